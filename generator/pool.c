#include "pool.h"

#include "progress.h"
#include "stop.h"

#include <errno.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

/* ---- a tiny thread pool over an index range --------------------------------- */

typedef struct {
    size_t n;
    size_t next;
    pthread_mutex_t lock;
    void (*fn)(void *ctx, size_t i, Arena *a, Diags *d);
    void *ctx;
    Diags *diags; /* [n]: merged in index order afterwards, so output order is fixed */
    Arena **arenas;
    size_t n_arenas;
    bool keep_arenas;
    atomic_bool skipped; /* a stop was asked (stop.h) before every job started */
} Pool;

typedef struct {
    Pool *p;
    size_t id;
} Worker;

static void *worker_main(void *arg)
{
    Worker *w = arg;
    Pool *p = w->p;
    for (;;) {
        pthread_mutex_lock(&p->lock);
        size_t i = p->next++;
        pthread_mutex_unlock(&p->lock);
        if (i >= p->n)
            break;
        /* a job that started runs to its end (its file is written whole);
         * none starts after a stop was asked */
        if (stop_requested()) {
            atomic_store(&p->skipped, true);
            break;
        }
        if (!p->keep_arenas) {
            Arena *a = arena_new();
            p->fn(p->ctx, i, a, &p->diags[i]);
            arena_free(a);
        } else {
            p->fn(p->ctx, i, p->arenas[w->id], &p->diags[i]);
        }
        progress_add(1);
    }
    return NULL;
}

/* Run fn(ctx, i) for i < n on threads. With keep != NULL, each thread
 * allocates into an arena that outlives the run (returned through keep);
 * otherwise every job gets a fresh arena freed after it. */
void run_parallel(int threads, size_t n, void (*fn)(void *, size_t, Arena *, Diags *), void *ctx,
                         Arena ***keep, size_t *n_keep, Diags *d)
{
    Pool p = {.n = n, .fn = fn, .ctx = ctx};
    atomic_init(&p.skipped, false);
    pthread_mutex_init(&p.lock, NULL);
    p.diags = xcalloc(n + 1, sizeof(Diags));
    size_t nt = (size_t)threads;
    if (nt > n)
        nt = n ? n : 1;
    p.keep_arenas = keep != NULL;
    p.arenas = xcalloc(nt, sizeof(Arena *));
    for (size_t i = 0; i < nt; i++)
        p.arenas[i] = keep ? arena_new() : NULL;
    Worker *ws = xcalloc(nt, sizeof(Worker));
    pthread_t *th = xcalloc(nt, sizeof(pthread_t));
    for (size_t i = 0; i < nt; i++) {
        ws[i] = (Worker){&p, i};
        if (i > 0 && pthread_create(&th[i], NULL, worker_main, &ws[i]) != 0)
            ws[i].p = NULL; /* could not start: the other threads do its share */
    }
    worker_main(&ws[0]);
    for (size_t i = 1; i < nt; i++)
        if (ws[i].p)
            pthread_join(th[i], NULL);
    for (size_t i = 0; i < n; i++)
        diags_merge(d, &p.diags[i]);
    /* an error, so that every stage after this one treats the run as
     * failed (nothing is saved or published); lobgen build prints the stop
     * alone (cli.c), not this */
    if (atomic_load(&p.skipped))
        diag_error(d, NULL, 0, 0, "stopped by %s before every job ran; nothing was published",
                   stop_signal_name(stop_signal()));
    if (keep) {
        *keep = p.arenas;
        *n_keep = nt;
    } else {
        free(p.arenas);
    }
    free(p.diags);
    free(ws);
    free(th);
    pthread_mutex_destroy(&p.lock);
}

int default_threads(void)
{
    const char *env = getenv("LOBGEN_JOBS");
    if (env && atoi(env) > 0)
        return atoi(env) > 64 ? 64 : atoi(env);
    long n = sysconf(_SC_NPROCESSORS_ONLN);
    return n < 1 ? 1 : n > 8 ? 8 : (int)n;
}

bool pool_jobs_env_valid(void)
{
    const char *j = getenv("LOBGEN_JOBS");
    if (!j || !*j)
        return true;
    errno = 0;
    char *end;
    long v = strtol(j, &end, 10);
    return !*end && !errno && v >= 1 && v <= 64 && strspn(j, "0123456789") == strlen(j);
}

/* ---- background threads and fork (pool.h) ---- */

static pthread_mutex_t guard_lock = PTHREAD_MUTEX_INITIALIZER;
static struct {
    void (*finish)(void *);
    void *arg;
} guards[64];
static int n_guards;
static pthread_once_t guard_once = PTHREAD_ONCE_INIT;

static void guard_before_fork(void)
{
    /* held until after the fork (both sides): no background work starts meanwhile */
    pthread_mutex_lock(&guard_lock);
    for (int i = 0; i < n_guards; i++)
        guards[i].finish(guards[i].arg);
}

static void guard_after_fork(void) { pthread_mutex_unlock(&guard_lock); }

static void guard_init(void) { pthread_atfork(guard_before_fork, guard_after_fork, guard_after_fork); }

bool fork_guard_begin(void (*finish)(void *arg), void *arg)
{
    pthread_once(&guard_once, guard_init);
    pthread_mutex_lock(&guard_lock);
    if (n_guards == (int)(sizeof guards / sizeof *guards)) {
        pthread_mutex_unlock(&guard_lock);
        return false;
    }
    guards[n_guards].finish = finish;
    guards[n_guards].arg = arg;
    n_guards++;
    return true;
}

void fork_guard_end(void) { pthread_mutex_unlock(&guard_lock); }

void fork_guard_forget(void *arg)
{
    pthread_mutex_lock(&guard_lock);
    for (int i = 0; i < n_guards; i++)
        if (guards[i].arg == arg) {
            guards[i] = guards[--n_guards];
            break;
        }
    pthread_mutex_unlock(&guard_lock);
}
