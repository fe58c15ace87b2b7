/* The write-only floor of make bench: the time to write the files a build
 * wrote, the same number and sizes, into a fresh folder on the same
 * filesystem, on one thread, with nothing to compute. lobgen's build time
 * divided by this is how far it is from only writing its output.
 *   usage: floor_write LIST DIR
 * LIST holds one "size<TAB>relative/path" a line (find -printf '%s\t%P\n');
 * DIR must not exist. Prints "write-only: S s, N files, B bytes". */
#define _GNU_SOURCE
#include <errno.h>
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

int main(int argc, char **argv)
{
    if (argc != 3) {
        fprintf(stderr, "usage: floor_write LIST DIR\n");
        return 2;
    }
    FILE *list = fopen(argv[1], "r");
    if (!list) {
        perror(argv[1]);
        return 1;
    }
    /* read the list first: only the writing is timed */
    size_t n = 0, cap = 1024, max = 0;
    char **paths = malloc(cap * sizeof *paths);
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
            sizes = realloc(sizes, cap * sizeof *sizes);
        }
        sizes[n] = strtoul(line, NULL, 10);
        if (asprintf(&paths[n], "%s/%s", argv[2], tab + 1) < 0)
            return 1;
        if (sizes[n] > max)
            max = sizes[n];
        n++;
    }
    fclose(list);
    char *data = malloc(max + 1);
    memset(data, 'x', max + 1);
    if (mkdir(argv[2], 0777) != 0) {
        perror(argv[2]);
        return 1;
    }
    double t0 = now();
    size_t bytes = 0;
    for (size_t i = 0; i < n; i++) {
        if (make_parents(paths[i]) != 0) {
            perror(paths[i]);
            return 1;
        }
        int fd = open(paths[i], O_WRONLY | O_CREAT | O_TRUNC, 0666);
        if (fd < 0 || write(fd, data, sizes[i]) != (ssize_t)sizes[i] || close(fd) != 0) {
            perror(paths[i]);
            return 1;
        }
        bytes += sizes[i];
    }
    double t = now() - t0;
    printf("write-only: %.3f s, %zu files, %zu bytes\n", t, n, bytes);
    return 0;
}
