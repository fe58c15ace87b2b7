#include "lastmod.h"

#include <fcntl.h>
#include <spawn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

extern char **environ;

typedef struct {
    const char *path; /* relative to the project root */
    long long when;   /* committer date, seconds since 1970 */
} GitTime;

struct LastMod {
    GitTime *git; /* sorted by path, one per path: its newest commit */
    size_t n_git;
    long long epoch;
};

static int by_path(const void *pa, const void *pb)
{
    const GitTime *a = pa, *b = pb;
    int c = strcmp(a->path, b->path);
    if (c)
        return c;
    return a->when > b->when ? -1 : a->when < b->when; /* newest first */
}

/* git -C root log --relative --name-only: one "\x01<committer time>" line
 * per commit, then the files it touched, relative to root. One process for
 * the whole history, parsed once: linear in the history's size. */
static void read_git(Arena *a, const char *root, LastMod *lm)
{
    int fds[2];
    if (pipe(fds) != 0)
        return;
    posix_spawn_file_actions_t fa;
    posix_spawn_file_actions_init(&fa);
    posix_spawn_file_actions_adddup2(&fa, fds[1], STDOUT_FILENO);
    posix_spawn_file_actions_addclose(&fa, fds[0]);
    posix_spawn_file_actions_addclose(&fa, fds[1]);
    /* no git, or not a checkout: git's complaints are not the user's business */
    posix_spawn_file_actions_addopen(&fa, STDERR_FILENO, "/dev/null", O_WRONLY, 0);
    posix_spawn_file_actions_addopen(&fa, STDIN_FILENO, "/dev/null", O_RDONLY, 0);
    char *argv[] = {"git", "-C", (char *)root, "-c", "core.quotePath=false", "-c", "log.showSignature=false",
                    "log", "--relative", "--name-only", "--no-renames", "--format=%x01%ct", "--",
                    "content", "lobgen.yaml", NULL};
    pid_t pid;
    int rc = posix_spawnp(&pid, "git", &fa, NULL, argv, environ);
    posix_spawn_file_actions_destroy(&fa);
    close(fds[1]);
    if (rc != 0) {
        close(fds[0]);
        return;
    }
    FILE *f = fdopen(fds[0], "r");
    if (!f) {
        close(fds[0]);
        waitpid(pid, NULL, 0);
        return;
    }
    GitTime *v = NULL;
    size_t n = 0, cap = 0;
    long long when = -1;
    char *line = NULL;
    size_t lcap = 0;
    ssize_t len;
    while ((len = getline(&line, &lcap, f)) > 0) {
        if (line[len - 1] == '\n')
            line[--len] = '\0';
        if (len == 0)
            continue;
        if (line[0] == '\x01') {
            char *end;
            when = strtoll(line + 1, &end, 10);
            if (*end || end == line + 1)
                when = -1;
            continue;
        }
        if (when < 0)
            continue;
        ALLOC_GROW(v, n + 1, cap);
        v[n++] = (GitTime){arena_strndup(a, line, (size_t)len), when};
    }
    free(line);
    fclose(f);
    int status;
    if (waitpid(pid, &status, 0) != pid || !WIFEXITED(status) || WEXITSTATUS(status) != 0)
        n = 0; /* not a checkout (or git failed part-way): no history at all */
    if (n) {
        qsort(v, n, sizeof *v, by_path);
        size_t k = 0;
        for (size_t i = 0; i < n; i++)
            if (k == 0 || strcmp(v[k - 1].path, v[i].path) != 0)
                v[k++] = v[i];
        lm->git = arena_alloc(a, k * sizeof *lm->git);
        memcpy(lm->git, v, k * sizeof *v);
        lm->n_git = k;
    }
    free(v);
}

LastMod *lastmod_load(Arena *a, const char *root, long long epoch)
{
    LastMod *lm = arena_alloc(a, sizeof *lm);
    lm->epoch = epoch;
    read_git(a, root, lm);
    return lm;
}

/* lastmod_get, with the file's own time given (mtime >= 0) instead of a stat of abs. */
static long long lookup(const LastMod *lm, const char *path, const char *abs, long long mtime)
{
    long long t = -1;
    GitTime key = {path, 0};
    size_t lo = 0, hi = lm->n_git;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        int c = strcmp(lm->git[mid].path, key.path);
        if (c == 0) {
            t = lm->git[mid].when;
            break;
        }
        if (c < 0)
            lo = mid + 1;
        else
            hi = mid;
    }
    struct stat st;
    if (t < 0 && mtime >= 0)
        t = mtime;
    else if (t < 0 && abs && stat(abs, &st) == 0)
        t = (long long)st.st_mtim.tv_sec; /* not (yet) committed: the file's own time */
    if (t >= 0 && lm->epoch >= 0 && t > lm->epoch)
        t = lm->epoch;
    return t;
}

long long lastmod_get(const LastMod *lm, const char *path, const char *abs) { return lookup(lm, path, abs, -1); }

/* lastmod_get of a content file, with the time of the version the load
 * read when it has one: the file is the same until inputs_check says
 * otherwise, and a stat per file and language was 2 % of a no-op build. */
static long long lastmod_file(const LastMod *lm, const SourceFile *s)
{
    return lookup(lm, s->path, s->abs, s->has_mtime ? s->mtime : -1);
}

void lastmod_items(const LastMod *lm, const Item *it, size_t nl, long long *out)
{
    const SourceFile *s = it->source->src;
    long long t = lastmod_file(lm, s);
    for (size_t l = 0; l < nl; l++) {
        const Material *m = it->by_lang[l];
        out[l] = t;
        if (m && m != it->source && (it->state[l] == TR_CURRENT || it->state[l] == TR_STALE)) {
            long long u = lastmod_file(lm, m->src);
            if (u > t)
                out[l] = u;
        }
    }
}
