/* What a build read, so that it can tell whether its inputs stayed put
 * until the end: a content file deleted or an editor saving a template
 * while pages render would otherwise publish a site that matches no state
 * of the project (a missing stylesheet, an empty list). Each read records
 * the file's identity and version (device, inode, size, modification time,
 * from fstat of the open file, or the stat that stood in for reading it);
 * folders whose listing the build used record the same, so a file added or removed shows as the folder's change.
 * Recording is process-wide and thread-safe. */
#ifndef LOBGEN_INPUTS_H
#define LOBGEN_INPUTS_H

#include "diag.h"

#include <dirent.h>
#include <stdbool.h>
#include <stddef.h>

/* Forget what was recorded and record from now on (one build). */
void inputs_begin(void);
/* Stop recording and forget (after the check). */
void inputs_end(void);

/* read_file (buf.h) of an input: the whole file, malloc'ed (caller frees),
 * length in *len; NULL with errno set. Records it while recording. */
char *read_input(const char *path, size_t *len);
/* read_input that also gives the whole fstat of the version read (taken
 * when it was opened, before reading; st_ino 0 when it failed). */
struct stat;
char *read_input_stat(const char *path, size_t *len, struct stat *st);
/* The most a text input (a material, a PO file, a YAML file, a
 * template) may hold: 8 MiB, a hundred times a long material. A bigger
 * one is a mistake (a pasted picture, a log saved under a material's
 * name) that would cost seconds and gigabytes and then fail far from its
 * cause, as a page grown past the 64 MB a page may have. */
#define INPUT_TEXT_MAX ((size_t)8 << 20)
/* read_input_stat of a text input: NULL with errno EFBIG, without reading
 * it, when it holds more than INPUT_TEXT_MAX (st gives its size). */
char *read_text_input_stat(const char *path, size_t *len, struct stat *st);
/* The error for a text input read_text_input_stat (or a size check) could
 * not take: too big (errno EFBIG; st_size is its size), with what to do,
 * or the system's reason (errno). shown names the file. */
void input_read_error(Diags *d, const char *shown, const struct stat *st);
/* Record a file the build used without reading it, in the version st
 * shows (a stat the caller took, e.g. fstatat by its name in its folder,
 * following a symbolic link as open does), as a read records it: the
 * check below then finds an edit after that stat. */
void inputs_note_file(const char *path, const struct stat *st);
/* Record an open folder whose names the build used (path as in messages). */
void inputs_note_dir(const char *path, DIR *dir);

/* After rendering, before publishing: each recorded file or folder still
 * exists and is the version that was read (checked on threads, each file
 * by its name in its folder). Adds one error per path that is not ("...
 * changed during the build; run the build again"), in the order of the
 * paths, and returns false. True when nothing is recorded. */
bool inputs_check(Diags *d);

#endif
