#include "stop.h"

#include <pthread.h>
#include <signal.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

/* A lock-free atomic is what C11 allows a handler to store to besides a
 * volatile sig_atomic_t, and other threads (the pool's) read it too. */
_Static_assert(ATOMIC_INT_LOCK_FREE == 2, "the stop flag must be lock-free to be set in a signal handler");
static atomic_int stop_sig;

static const int caught[] = {SIGINT, SIGTERM, SIGHUP};
#define N_CAUGHT (sizeof caught / sizeof *caught)
static struct sigaction saved[N_CAUGHT];
static volatile sig_atomic_t installed[N_CAUGHT]; /* read by the handler */

void stop_note(int sig)
{
    int none = 0;
    atomic_compare_exchange_strong(&stop_sig, &none, sig);
}

static void on_signal(int sig)
{
    stop_note(sig);
    /* a second signal while the build cleans up: the default, at once
     * (sigaction is async-signal-safe) */
    struct sigaction dfl = {.sa_handler = SIG_DFL};
    sigemptyset(&dfl.sa_mask);
    for (size_t k = 0; k < N_CAUGHT; k++)
        if (installed[k]) /* one ignored from the start stays ignored */
            sigaction(caught[k], &dfl, NULL);
}

void stop_install(void) { stop_catch(on_signal); }

void stop_catch(void (*handler)(int sig))
{
    struct sigaction sa = {.sa_handler = handler, .sa_flags = SA_RESTART};
    sigemptyset(&sa.sa_mask);
    for (size_t k = 0; k < N_CAUGHT; k++)
        sigaddset(&sa.sa_mask, caught[k]);
    for (size_t k = 0; k < N_CAUGHT; k++) {
        installed[k] = false;
        if (sigaction(caught[k], NULL, &saved[k]) != 0 || saved[k].sa_handler == SIG_IGN)
            continue; /* nohup, a background job: the user said not to stop on it */
        installed[k] = sigaction(caught[k], &sa, NULL) == 0;
    }
}

void stop_restore(void)
{
    for (size_t k = 0; k < N_CAUGHT; k++)
        if (installed[k]) {
            sigaction(caught[k], &saved[k], NULL);
            installed[k] = false;
        }
}

bool stop_requested(void) { return atomic_load_explicit(&stop_sig, memory_order_relaxed) != 0; }

int stop_signal(void) { return atomic_load(&stop_sig); }

_Noreturn void stop_exit(int sig)
{
    fflush(NULL);
    struct sigaction dfl = {.sa_handler = SIG_DFL};
    sigemptyset(&dfl.sa_mask);
    sigaction(sig, &dfl, NULL);
    sigset_t one;
    sigemptyset(&one);
    sigaddset(&one, sig);
    pthread_sigmask(SIG_UNBLOCK, &one, NULL);
    raise(sig);
    _exit(128 + sig); /* a signal whose default is not to end the process */
}

const char *stop_signal_name(int sig)
{
    switch (sig) {
    case SIGINT: return "SIGINT";
    case SIGTERM: return "SIGTERM";
    case SIGHUP: return "SIGHUP";
    }
    static char other[32];
    snprintf(other, sizeof other, "signal %d", sig);
    return other;
}
