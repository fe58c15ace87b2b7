#include "inputs.h"

#include "buf.h"
#include "pool.h"

#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

typedef struct {
    char *path;
    bool is_dir;
    dev_t dev;
    ino_t ino;
    off_t size;
    struct timespec mtime;
} Input;

static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;
static bool recording;
static Input *seen;
static size_t n_seen, cap_seen;

static void forget(void)
{
    for (size_t i = 0; i < n_seen; i++)
        free(seen[i].path);
    free(seen);
    seen = NULL;
    n_seen = cap_seen = 0;
}

void inputs_begin(void)
{
    pthread_mutex_lock(&lock);
    forget();
    recording = true;
    pthread_mutex_unlock(&lock);
}

void inputs_end(void)
{
    pthread_mutex_lock(&lock);
    forget();
    recording = false;
    pthread_mutex_unlock(&lock);
}

static void note(const char *path, const struct stat *st, bool is_dir)
{
    pthread_mutex_lock(&lock);
    if (recording) {
        ALLOC_GROW(seen, n_seen + 1, cap_seen);
        seen[n_seen++] = (Input){xstrdup(path), is_dir, st->st_dev, st->st_ino, is_dir ? 0 : st->st_size, st->st_mtim};
    }
    pthread_mutex_unlock(&lock);
}

char *read_input_stat(const char *path, size_t *len, struct stat *st)
{
    /* the version read: fstat of the open file, before reading it, so a
     * write during the read shows as a later modification time */
    struct stat own;
    if (!st)
        st = &own;
    char *data = read_file_stat(path, len, st);
    if (data && st->st_ino)
        note(path, st, false);
    return data;
}

char *read_input(const char *path, size_t *len) { return read_input_stat(path, len, NULL); }

char *read_text_input_stat(const char *path, size_t *len, struct stat *st)
{
    struct stat own;
    if (!st)
        st = &own;
    char *data = read_file_stat_max(path, len, st, INPUT_TEXT_MAX);
    if (data && st->st_ino)
        note(path, st, false);
    return data;
}

void input_read_error(Diags *d, const char *shown, const struct stat *st)
{
    if (errno != EFBIG) {
        diag_error(d, shown, 0, 0, "cannot read the file: %s", strerror(errno));
        return;
    }
    size_t n = strlen(shown);
    bool material = n > 3 && (!strcmp(shown + n - 3, ".md") || !strcmp(shown + n - 3, ".po"));
    diag_error(d, shown, 0, 0, "this file holds %.1f MB, more than the %zu MB lobgen reads from one text file; %s",
               (double)st->st_size / 1e6, INPUT_TEXT_MAX >> 20,
               material ? "a material for parents is a few pages: split it into several materials, and add "
                          "pictures as files rather than pasted into the text"
                        : "check that this is the right file");
}

void inputs_note_file(const char *path, const struct stat *st)
{
    if (st->st_ino)
        note(path, st, false);
}

void inputs_note_dir(const char *path, DIR *dir)
{
    struct stat st;
    if (dir && fstat(dirfd(dir), &st) == 0)
        note(path, &st, true);
}

static bool same(const Input *a, const struct stat *st)
{
    return a->dev == st->st_dev && a->ino == st->st_ino && (a->is_dir || a->size == st->st_size) &&
           a->mtime.tv_sec == st->st_mtim.tv_sec && a->mtime.tv_nsec == st->st_mtim.tv_nsec;
}

/* ---- the check ------------------------------------------------------------- */

/* How a record compares with the file now, by inputs_check's jobs. */
enum { SAME, CHANGED, GONE };

#define CHECK_CHUNK 1024 /* records per job */
#define DIR_CACHE 4      /* folders a job keeps open: content files come folder by folder */

typedef struct {
    unsigned char *state; /* [n_seen] */
} Check;

/* The state of records [i*CHECK_CHUNK, +CHECK_CHUNK): each file stat'ed by
 * its name in its folder, opened once (O_PATH) for the run of records in
 * it, rather than by its whole path from the root every time. */
static void check_job(void *ctx, size_t job, Arena *a, Diags *d)
{
    (void)a;
    (void)d;
    Check *c = ctx;
    struct {
        int fd;
        size_t len;
        const char *path; /* the folder is path[0..len) */
    } dirs[DIR_CACHE];
    int n_dirs = 0, next = 0;
    size_t end = (job + 1) * CHECK_CHUNK < n_seen ? (job + 1) * CHECK_CHUNK : n_seen;
    for (size_t i = job * CHECK_CHUNK; i < end; i++) {
        const char *path = seen[i].path;
        const char *slash = strrchr(path, '/');
        struct stat st;
        int r = -1;
        bool done = false;
        if (slash && slash != path && slash[1]) {
            size_t len = (size_t)(slash - path);
            int k = 0;
            while (k < n_dirs && !(dirs[k].len == len && !memcmp(dirs[k].path, path, len)))
                k++;
            if (k == n_dirs) {
                char dir[4096];
                int fd = len < sizeof dir ? (memcpy(dir, path, len), dir[len] = '\0',
                                             open(dir, O_PATH | O_DIRECTORY | O_CLOEXEC))
                                          : -1;
                if (fd >= 0) {
                    if (n_dirs < DIR_CACHE) {
                        k = n_dirs++;
                    } else { /* the one opened longest ago makes room */
                        k = next;
                        close(dirs[k].fd);
                        next = (next + 1) % DIR_CACHE;
                    }
                    dirs[k].fd = fd;
                    dirs[k].len = len;
                    dirs[k].path = path;
                }
            }
            if (k < n_dirs) {
                /* follows a final symbolic link, as stat does */
                r = fstatat(dirs[k].fd, slash + 1, &st, 0);
                done = true;
            }
        }
        if (!done) /* no folder to open (it is gone, or the path has none): the path itself */
            r = stat(path, &st);
        c->state[i] = r != 0 ? GONE : same(&seen[i], &st) ? SAME : CHANGED;
    }
    for (int k = 0; k < n_dirs; k++)
        close(dirs[k].fd);
}

/* failed records: by path, then what they are, so one message per path in a fixed order */
static int by_failure(const void *pa, const void *pb)
{
    const Input *a = &seen[*(const size_t *)pa], *b = &seen[*(const size_t *)pb];
    int c = strcmp(a->path, b->path);
    if (c)
        return c;
    if (a->is_dir != b->is_dir)
        return a->is_dir ? 1 : -1;
    size_t x = *(const size_t *)pa, y = *(const size_t *)pb;
    return x < y ? -1 : x > y;
}

bool inputs_check(Diags *d)
{
    pthread_mutex_lock(&lock);
    /* Each record checked on its own, on threads: a path read twice must be
     * the same version both times, and is when each read is still the file
     * there. Only the failures are sorted, so each path is reported once
     * and in a stable order. */
    Check c = {xcalloc(n_seen + 1, 1)};
    size_t jobs = (n_seen + CHECK_CHUNK - 1) / CHECK_CHUNK;
    Diags none = DIAGS_INIT;
    if (jobs)
        run_parallel(jobs > 1 ? default_threads() : 1, jobs, check_job, &c, NULL, NULL, &none);
    diags_free(&none);
    size_t *bad = NULL, n_bad = 0, cap_bad = 0;
    for (size_t i = 0; i < n_seen; i++)
        if (c.state[i] != SAME) {
            ALLOC_GROW(bad, n_bad + 1, cap_bad);
            bad[n_bad++] = i;
        }
    if (n_bad > 1)
        qsort(bad, n_bad, sizeof *bad, by_failure);
    for (size_t k = 0; k < n_bad; k++) {
        const Input *in = &seen[bad[k]];
        if (k > 0 && !strcmp(seen[bad[k - 1]].path, in->path))
            continue;
        bool gone = c.state[bad[k]] == GONE;
        if (in->is_dir)
            diag_error(d, in->path, 0, 0,
                       gone ? "this folder was removed during the build; nothing was published; run the build again"
                 : "this folder changed during the build (a file in it was added, removed or renamed); "
                   "nothing was published; run the build again");
        else
            diag_error(d, in->path, 0, 0,
                       gone ? "this file was deleted during the build; nothing was published; run the build again"
                 : "this file changed during the build; nothing was published; run the build again");
    }
    free(bad);
    free(c.state);
    pthread_mutex_unlock(&lock);
    return n_bad == 0;
}
