/* Stopping a build (stop.h): a signal is only noted; the pool starts no
 * job after it and says so with one error; the first signal puts the
 * default action back (a second one ends the process); a signal ignored
 * at the start stays ignored. The whole build, stopped at every stage, is
 * tests/golden/stop.sh. */
#include "check.h"
#include "diag.h"
#include "pool.h"
#include "stop.h"

#include <signal.h>
#include <stdatomic.h>
#include <string.h>

static atomic_size_t ran;

static void job(void *ctx, size_t i, Arena *a, Diags *d)
{
    (void)ctx, (void)i, (void)a, (void)d;
    atomic_fetch_add(&ran, 1);
}

typedef void (*Handler)(int);

static Handler action(int sig)
{
    struct sigaction sa;
    sigaction(sig, NULL, &sa);
    return sa.sa_handler;
}

int main(void)
{
    CHECK_SUITE("stop");
    Diags d = DIAGS_INIT;
    run_parallel(4, 100, job, NULL, NULL, NULL, &d);
    CHECK("without a stop every job runs", atomic_load(&ran) == 100, "ran %zu", atomic_load(&ran));
    CHECK("... and nothing is said", d.len == 0, "%zu diagnostics", d.len);
    CHECK("no stop asked at first", !stop_requested() && stop_signal() == 0, "signal %d", stop_signal());

    /* the defaults, as a terminal starts a program: a test run as a
     * shell's background job (make test under a harness) inherits SIGINT
     * ignored, which stop_install rightly leaves ignored */
    signal(SIGINT, SIG_DFL);
    signal(SIGTERM, SIG_DFL);
    signal(SIGHUP, SIG_IGN); /* as nohup starts a program */
    stop_install();
    CHECK("SIGINT is caught", action(SIGINT) != SIG_DFL && action(SIGINT) != SIG_IGN, " ");
    CHECK("SIGTERM is caught", action(SIGTERM) != SIG_DFL && action(SIGTERM) != SIG_IGN, " ");
    CHECK("SIGHUP ignored at the start stays ignored", action(SIGHUP) == SIG_IGN, " ");
    raise(SIGHUP);
    CHECK("... and asks for no stop", !stop_requested(), "signal %d", stop_signal());

    raise(SIGINT); /* the handler runs before raise returns */
    CHECK("SIGINT asks for a stop", stop_requested() && stop_signal() == SIGINT, "signal %d", stop_signal());
    CHECK_STR("its name", stop_signal_name(stop_signal()), "SIGINT");
    CHECK_STR("SIGTERM's name", stop_signal_name(SIGTERM), "SIGTERM");
    CHECK_STR("SIGHUP's name", stop_signal_name(SIGHUP), "SIGHUP");
    CHECK("after the first signal a second one ends the process (SIGINT default again)",
          action(SIGINT) == SIG_DFL, " ");
    CHECK("... and SIGTERM default again", action(SIGTERM) == SIG_DFL, " ");
    CHECK("... and SIGHUP, ignored from the start, still ignored", action(SIGHUP) == SIG_IGN, " ");
    stop_note(SIGTERM);
    CHECK("the first signal is the one kept", stop_signal() == SIGINT, "signal %d", stop_signal());

    atomic_store(&ran, 0);
    run_parallel(4, 100, job, NULL, NULL, NULL, &d);
    CHECK("after a stop no job starts", atomic_load(&ran) == 0, "ran %zu", atomic_load(&ran));
    CHECK("... and the run has one error", diags_count(&d, DIAG_ERROR) == 1, "%zu errors",
          diags_count(&d, DIAG_ERROR));
    CHECK_CONTAINS("... naming the signal", d.len ? d.items[0].msg : NULL, "stopped by SIGINT");
    diags_free(&d);

    stop_restore();
    CHECK("stop_restore leaves SIGHUP ignored", action(SIGHUP) == SIG_IGN, " ");
    return check_failed_ ? 1 : 0;
}
