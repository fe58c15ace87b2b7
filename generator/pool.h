/* A small thread pool over an index range: the render stages run their
 * jobs (Markdown, QR codes, pages) on it. Output never depends on the
 * order jobs finish in: each job writes its own slot, and diagnostics are
 * merged in index order afterwards. */
#ifndef LOBGEN_POOL_H
#define LOBGEN_POOL_H

#include "buf.h"
#include "diag.h"

#include <stdbool.h>

/* Run fn(ctx, i, arena, diags) for every i < n on up to `threads` threads
 * (the calling thread is one of them). With keep == NULL every job gets a
 * fresh arena, freed after it; otherwise each thread allocates into its
 * own arena, and those arenas (*n_keep of them, caller frees each with
 * arena_free and the array with free) outlive the run. Each job's
 * diagnostics are merged into d in index order. Once a stop is asked
 * (stop.h) no job starts any more (those running finish), and d gets one
 * error saying so: the caller's slots of jobs that did not run are as it
 * left them (zero, from xcalloc). */
void run_parallel(int threads, size_t n, void (*fn)(void *, size_t, Arena *, Diags *), void *ctx,
                  Arena ***keep, size_t *n_keep, Diags *d);

/* Background threads and fork: a forked child (audio.c speaks each text in
 * one) has only the thread that forked, so work a background thread is
 * doing (reading the manifest, walking the spare) must be finished before
 * any fork, or the child finds it half done or a lock that thread held.
 * fork_guard_begin registers finish(arg), which pthread_atfork calls before
 * every fork of the process until fork_guard_forget(arg); it returns true
 * with forks held off until fork_guard_end(), so the caller starts its
 * threads in between. False (64 are registered): nothing was registered
 * and nothing is held; the caller does the work on its own thread. */
bool fork_guard_begin(void (*finish)(void *arg), void *arg);
void fork_guard_end(void);
/* Unregister arg (no-op when it is not registered). */
void fork_guard_forget(void *arg);

/* LOBGEN_JOBS when set (at most 64), else the number of processors, at most 8. */
int default_threads(void);
/* Whether LOBGEN_JOBS, when set and not empty, is a thread count
 * default_threads takes as written: a whole number from 1 to 64 ("abc",
 * "4x", "0", "65" are not). True when it is unset or empty. */
bool pool_jobs_env_valid(void);

#endif
