/* Scratch folders for tests that need files on disk. */
#ifndef LOBGEN_CHECK_FILES_H
#define LOBGEN_CHECK_FILES_H

#include <ftw.h>
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

#endif
