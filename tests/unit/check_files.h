/* Scratch folders for tests that need files on disk. */
#ifndef LOBGEN_CHECK_FILES_H
#define LOBGEN_CHECK_FILES_H

#include <ftw.h>
#include <unistd.h>
#include <string.h>
#include <dirent.h>
#include <stdio.h>
#include <sys/stat.h>

static inline int check_rm_entry_(const char *path, const struct stat *sb, int flag, struct FTW *ftw)
{
    (void)sb;
    (void)flag;
    (void)ftw;
    return remove(path);
}

/* Remove a scratch folder and everything in it (symlinks are not followed). */
static inline void check_rm_tree(const char *dir) { nftw(dir, check_rm_entry_, 16, FTW_DEPTH | FTW_PHYS); }

/* Files with no name a process holds open (cachefile_anon): counted from
 * /proc/self/fd, whose links name such a file "<folder>/#<n> (deleted)"
 * (O_TMPFILE) or "<folder>/<name> (deleted)" (a name unlinked at once). */
/* How many such files are open in the folder dir (NULL: in any folder). */
static inline int check_pieces_in(const char *dir)
{
    DIR *d = opendir("/proc/self/fd");
    int n = 0;
    struct dirent *e;
    while (d && (e = readdir(d))) {
        char link[300], target[4096];
        snprintf(link, sizeof link, "/proc/self/fd/%s", e->d_name);
        ssize_t k = readlink(link, target, sizeof target - 1);
        if (k <= 0)
            continue;
        target[k] = '\0';
        const char *tail = " (deleted)";
        size_t tl = strlen(tail);
        if ((size_t)k < tl || strcmp(target + k - tl, tail))
            continue;
        char *slash = strrchr(target, '/');
        if (!slash)
            continue;
        *slash = '\0';
        if (!dir || !strcmp(target, dir))
            n++;
    }
    if (d)
        closedir(d);
    return n;
}

#endif
