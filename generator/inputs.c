#include "inputs.h"

#include "buf.h"

#include <errno.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

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

char *read_input_mtime(const char *path, size_t *len, long long *mtime)
{
    /* the version read: fstat of the open file, before reading it, so a
     * write during the read shows as a later modification time */
    struct stat st;
    char *data = read_file_stat(path, len, &st);
    if (data && st.st_ino)
        note(path, &st, false);
    if (data && mtime)
        *mtime = (long long)st.st_mtim.tv_sec;
    return data;
}

char *read_input(const char *path, size_t *len) { return read_input_mtime(path, len, NULL); }

void inputs_note_dir(const char *path, DIR *dir)
{
    struct stat st;
    if (dir && fstat(dirfd(dir), &st) == 0)
        note(path, &st, true);
}

static int by_path(const void *pa, const void *pb)
{
    const Input *a = pa, *b = pb;
    return strcmp(a->path, b->path);
}

static bool same(const Input *a, const struct stat *st)
{
    return a->dev == st->st_dev && a->ino == st->st_ino && (a->is_dir || a->size == st->st_size) &&
           a->mtime.tv_sec == st->st_mtim.tv_sec && a->mtime.tv_nsec == st->st_mtim.tv_nsec;
}

bool inputs_check(Diags *d)
{
    pthread_mutex_lock(&lock);
    /* sorted, so each path is reported once and in a stable order; a path
     * read twice must be the same version both times */
    if (n_seen)
        qsort(seen, n_seen, sizeof *seen, by_path);
    bool ok = true;
    for (size_t i = 0; i < n_seen;) {
        size_t j = i + 1;
        while (j < n_seen && !strcmp(seen[j].path, seen[i].path))
            j++;
        struct stat st;
        bool gone = stat(seen[i].path, &st) != 0;
        bool changed = gone;
        for (size_t k = i; k < j && !changed; k++)
            changed = !same(&seen[k], &st);
        if (changed) {
            ok = false;
            if (seen[i].is_dir)
                diag_error(d, seen[i].path, 0, 0,
                           gone ? "this folder was removed during the build; nothing was published; run the build again"
                     : "this folder changed during the build (a file in it was added, removed or renamed); "
                       "nothing was published; run the build again");
            else
                diag_error(d, seen[i].path, 0, 0,
                           gone ? "this file was deleted during the build; nothing was published; run the build again"
                     : "this file changed during the build; nothing was published; run the build again");
        }
        i = j;
    }
    pthread_mutex_unlock(&lock);
    return ok;
}
