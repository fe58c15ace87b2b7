/* Stopping a build on SIGINT (Ctrl-C), SIGTERM or SIGHUP: the handler
 * only notes the signal; the build sees it at its next check (the pool
 * starts no more jobs, project_load and project_publish give up between
 * stages, writer_commit swaps nothing in), throws away what it wrote
 * (write.h: the spare goes back, a fresh folder is removed), leaves the
 * published site and the caches as they were, and lobgen ends by the
 * same signal (stop_exit) with one line saying so. A build that already
 * swapped the new site in finishes as usual. */
#ifndef LOBGEN_STOP_H
#define LOBGEN_STOP_H

#include <stdbool.h>

/* Catch SIGINT, SIGTERM and SIGHUP (sigaction, SA_RESTART) for a build.
 * A signal that was ignored when lobgen started (nohup, a shell's
 * background job) stays ignored. The first signal puts the default
 * action back for all three, so a second one while the build cleans up
 * ends the process at once (the next build clears up after it). */
void stop_install(void);
/* stop_install with handler in place of lobgen's own: for a command that
 * stops on the same signals in its own way (serve: the handler notes the
 * stop with stop_note and wakes its loop). The same rule: a signal ignored
 * when lobgen started stays ignored; stop_restore puts back what it
 * replaced. handler runs with the three signals blocked (SA_RESTART). */
void stop_catch(void (*handler)(int sig));
/* Put back the actions stop_install replaced, for a caller that goes on
 * after its build (lobgen build keeps them to its exit: a signal after
 * the swap must not kill it on its way out). */
void stop_restore(void);
/* Note that sig asked the build to stop, as the handler does: for a
 * command with a handler of its own (serve). Async-signal-safe; the first
 * signal noted is kept. */
void stop_note(int sig);
/* True once a signal asked the build to stop. Safe from any thread and
 * cheap (one relaxed atomic load): call it in every long loop. */
bool stop_requested(void);
/* The signal that asked, or 0. */
int stop_signal(void);
/* End the process by sig, with its default action, once the stopped build
 * has cleaned up: the parent then sees the process killed by the signal
 * (WIFSIGNALED), not an exit status. That is what a shell running lobgen
 * in a script or loop needs to stop too on the same Ctrl-C: bash and dash
 * go on with the next command when a child exits, even with 130, and end
 * only when the child died of SIGINT ("wait and cooperative exit",
 * https://www.cons.org/cracauer/sigint.html). A shell's $? is 128 + sig
 * either way. Flushes stdio first. Does not return; if the signal cannot
 * end the process, exits with status 128 + sig. */
_Noreturn void stop_exit(int sig);
/* "SIGINT", "SIGTERM", "SIGHUP"; else "signal N" (static storage). */
const char *stop_signal_name(int sig);

#endif
