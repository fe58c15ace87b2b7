#include "progress.h"

#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <time.h>

static struct {
    bool on, drawn;
    pthread_t thread;
    pthread_mutex_t lock;
    pthread_cond_t stop_cv;
    bool stop;
    const char *stage;
    size_t total;
    atomic_size_t done;
} P = {.lock = PTHREAD_MUTEX_INITIALIZER, .stop_cv = PTHREAD_COND_INITIALIZER};

#define DELAY_MS 1000 /* a build shorter than this shows nothing */
#define EVERY_MS 100

static void draw(void)
{
    size_t done = atomic_load(&P.done);
    if (P.total)
        fprintf(stderr, "\r\033[Klobgen: %s %zu/%zu", P.stage, done < P.total ? done : P.total, P.total);
    else
        fprintf(stderr, "\r\033[Klobgen: %s", P.stage);
    fflush(stderr);
    P.drawn = true;
}

static void *run(void *arg)
{
    (void)arg;
    struct timespec t;
    clock_gettime(CLOCK_REALTIME, &t);
    long wait_ms = DELAY_MS;
    pthread_mutex_lock(&P.lock);
    while (!P.stop) {
        t.tv_nsec += wait_ms * 1000000L;
        t.tv_sec += t.tv_nsec / 1000000000L;
        t.tv_nsec %= 1000000000L;
        pthread_cond_timedwait(&P.stop_cv, &P.lock, &t);
        if (!P.stop && P.stage)
            draw();
        wait_ms = EVERY_MS;
    }
    if (P.drawn) {
        fputs("\r\033[K", stderr);
        fflush(stderr);
    }
    pthread_mutex_unlock(&P.lock);
    return NULL;
}

void progress_begin(bool enabled)
{
    P.on = enabled;
    P.stop = false;
    P.drawn = false;
    P.stage = NULL;
    if (P.on && pthread_create(&P.thread, NULL, run, NULL) != 0)
        P.on = false;
}

void progress_stage(const char *name, size_t total)
{
    if (!P.on)
        return;
    pthread_mutex_lock(&P.lock);
    P.stage = name;
    P.total = total;
    atomic_store(&P.done, 0);
    pthread_mutex_unlock(&P.lock);
}

void progress_add(size_t n)
{
    if (P.on)
        atomic_fetch_add(&P.done, n);
}

void progress_end(void)
{
    if (!P.on)
        return;
    pthread_mutex_lock(&P.lock);
    P.stop = true;
    pthread_cond_signal(&P.stop_cv);
    pthread_mutex_unlock(&P.lock);
    pthread_join(P.thread, NULL);
    P.on = false;
}
