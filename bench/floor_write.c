/* The write-only floor of make bench: the time to write the files a build
 * wrote, the same number and sizes, into a fresh folder on the same
 * filesystem, with nothing to compute. lobgen's build time divided by this
 * is how far it is from only writing its output.
 *   usage: floor_write [--link FROM] LIST DIR [THREADS]
 * LIST holds one "size<TAB>relative/path" a line (find -printf '%s\t%P\n');
 * DIR must not exist. THREADS (default 1) writers take every THREADS-th
 * file. Prints "write-only: S s, N files, B bytes, T threads".
 * --link FROM: instead of writing, hard-link FROM/path to DIR/path for every
 * file (what publishing an unchanged site into a fresh folder costs: the
 * floor of an incremental build before the spare), then remove DIR
 * again, and print both times: "link-only: S s, N files, T threads;
 * removing them: S s".
 * --keep FROM: what publishing an unchanged site costs with the spare
 * (generator/write.h): every folder of FROM listed once (getdents), then
 * every file of LIST stat'ed relative to FROM (one fstatat per kept file),
 * on THREADS threads; DIR is not used. Prints "keep-only: S s, N files, T
 * threads (listing the folders: S s)". */
#define _GNU_SOURCE
#include <errno.h>
#include <dirent.h>
#include <ftw.h>
#include <pthread.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

static double now(void)
{
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return t.tv_sec + t.tv_nsec / 1e9;
}

/* mkdir -p of path's folders (not its last part) */
static int make_parents(char *path)
{
    for (char *s = path + 1; *s; s++) {
        if (*s != '/')
            continue;
        *s = '\0';
        int r = mkdir(path, 0777);
        *s = '/';
        if (r != 0 && errno != EEXIST)
            return -1;
    }
    return 0;
}

typedef struct {
    char **paths, **from;
    size_t *sizes, n;
    const char *data;
    int t, nt;
    int failed;
} Job;

static void *writer(void *arg)
{
    Job *j = arg;
    for (size_t i = (size_t)j->t; i < j->n; i += (size_t)j->nt) {
        if (make_parents(j->paths[i]) != 0) {
            perror(j->paths[i]);
            j->failed = 1;
            return NULL;
        }
        if (j->from) {
            if (link(j->from[i], j->paths[i]) != 0) {
                perror(j->paths[i]);
                j->failed = 1;
                return NULL;
            }
            continue;
        }
        int fd = open(j->paths[i], O_WRONLY | O_CREAT | O_TRUNC, 0666);
        if (fd < 0 || write(fd, j->data, j->sizes[i]) != (ssize_t)j->sizes[i] || close(fd) != 0) {
            perror(j->paths[i]);
            j->failed = 1;
            return NULL;
        }
    }
    return NULL;
}

typedef struct {
    int root;
    char **rel;
    size_t n;
    int t, nt;
} StatJob;

static void *stater(void *arg)
{
    StatJob *j = arg;
    struct stat st;
    for (size_t i = (size_t)j->t; i < j->n; i += (size_t)j->nt)
        fstatat(j->root, j->rel[i], &st, AT_SYMLINK_NOFOLLOW);
    return NULL;
}

/* every folder below fd listed, as the build's walk of its spare does */
static size_t list_all(int fd)
{
    DIR *d = fdopendir(fd);
    struct dirent *e;
    size_t n = 0;
    while (d && (e = readdir(d))) {
        if (e->d_type != DT_DIR || !strcmp(e->d_name, ".") || !strcmp(e->d_name, ".."))
            continue;
        int sub = openat(fd, e->d_name, O_RDONLY | O_DIRECTORY | O_NOFOLLOW);
        if (sub >= 0)
            n += 1 + list_all(sub);
    }
    if (d)
        closedir(d);
    return n;
}

static int rm_entry(const char *path, const struct stat *st, int flag, struct FTW *ftw)
{
    (void)st;
    (void)ftw;
    return (flag == FTW_DP ? rmdir(path) : unlink(path)) == 0 ? 0 : -1;
}

int main(int argc, char **argv)
{
    const char *link_from = NULL, *keep = NULL;
    if (argc > 2 && !strcmp(argv[1], "--keep")) {
        keep = argv[2];
        argv += 2;
        argc -= 2;
    }
    if (argc > 2 && !strcmp(argv[1], "--link")) {
        link_from = argv[2];
        argv += 2;
        argc -= 2;
    }
    if (argc != 3 && argc != 4) {
        fprintf(stderr, "usage: floor_write [--link FROM] LIST DIR [THREADS]\n");
        return 2;
    }
    int nt = argc == 4 ? atoi(argv[3]) : 1;
    if (nt < 1 || nt > 64) {
        fprintf(stderr, "floor_write: THREADS is 1 to 64\n");
        return 2;
    }
    FILE *list = fopen(argv[1], "r");
    if (!list) {
        perror(argv[1]);
        return 1;
    }
    /* read the list first: only the writing is timed */
    size_t n = 0, cap = 1024, max = 0;
    char **paths = malloc(cap * sizeof *paths), **from = malloc(cap * sizeof *from);
    size_t *sizes = malloc(cap * sizeof *sizes);
    char line[8192];
    while (fgets(line, sizeof line, list)) {
        char *tab = strchr(line, '\t');
        if (!tab)
            continue;
        line[strcspn(line, "\n")] = '\0';
        if (n == cap) {
            cap *= 2;
            paths = realloc(paths, cap * sizeof *paths);
            from = realloc(from, cap * sizeof *from);
            sizes = realloc(sizes, cap * sizeof *sizes);
        }
        sizes[n] = strtoul(line, NULL, 10);
        if (asprintf(&paths[n], "%s/%s", argv[2], tab + 1) < 0 ||
            (link_from && asprintf(&from[n], "%s/%s", link_from, tab + 1) < 0))
            return 1;
        if (sizes[n] > max)
            max = sizes[n];
        n++;
    }
    fclose(list);
    if (keep) {
        int root = open(keep, O_RDONLY | O_DIRECTORY);
        if (root < 0) {
            perror(keep);
            return 1;
        }
        char **rel = malloc((n + 1) * sizeof *rel);
        size_t dl = strlen(argv[2]) + 1;
        for (size_t i = 0; i < n; i++)
            rel[i] = paths[i] + dl;
        double t0 = now();
        list_all(dup(root));
        double tl = now() - t0;
        StatJob sj[64];
        pthread_t th[64];
        for (int t = 0; t < nt; t++) {
            sj[t] = (StatJob){root, rel, n, t, nt};
            pthread_create(&th[t], NULL, stater, &sj[t]);
        }
        for (int t = 0; t < nt; t++)
            pthread_join(th[t], NULL);
        printf("keep-only: %.3f s, %zu files, %d threads (listing the folders: %.3f s)\n", now() - t0, n, nt, tl);
        return 0;
    }
    char *data = malloc(max + 1);
    memset(data, 'x', max + 1);
    if (mkdir(argv[2], 0777) != 0) {
        perror(argv[2]);
        return 1;
    }
    Job jobs[64];
    pthread_t th[64];
    double t0 = now();
    for (int t = 0; t < nt; t++) {
        jobs[t] = (Job){paths, link_from ? from : NULL, sizes, n, data, t, nt, 0};
        pthread_create(&th[t], NULL, writer, &jobs[t]);
    }
    int failed = 0;
    for (int t = 0; t < nt; t++) {
        pthread_join(th[t], NULL);
        failed |= jobs[t].failed;
    }
    double t = now() - t0;
    if (failed)
        return 1;
    size_t bytes = 0;
    for (size_t i = 0; i < n; i++)
        bytes += sizes[i];
    if (link_from) {
        double t1 = now();
        if (nftw(argv[2], rm_entry, 64, FTW_DEPTH | FTW_PHYS) != 0) {
            perror(argv[2]);
            return 1;
        }
        printf("link-only: %.3f s, %zu files, %d threads; removing them: %.3f s\n", t, n, nt, now() - t1);
        return 0;
    }
    printf("write-only: %.3f s, %zu files, %zu bytes, %d threads\n", t, n, bytes, nt);
    return 0;
}
