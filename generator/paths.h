/* Paths, one way: joining a project folder with a project-relative path
 * (which is also how every message names a file: a path the user can open
 * from the folder where they ran lobgen), and checking an output folder. */
#ifndef LOBGEN_PATHS_H
#define LOBGEN_PATHS_H

#include "buf.h"
#include "diag.h"

#include <stdbool.h>

/* True when root names the current folder: NULL, "", ".", "./", ".//". */
bool path_is_here(const char *root);
/* root/rel: rel alone when root is the current folder or rel is absolute;
 * root's trailing slashes do not double. Arena-owned. */
char *path_join(Arena *a, const char *root, const char *rel);
/* The same, appended to b. */
void path_join_buf(Buf *b, const char *root, const char *rel);
/* True when out may be built into: not the project, not a folder that
 * holds it, not inside content/, templates/ or locales/ (a build replaces
 * the output folder whole). A trailing slash on out is fine. Adds an error
 * at out to d and returns false otherwise. */
bool path_output_is_safe(const char *root, const char *out, Diags *d);
/* A FILE argument (new translation, translate import, status --diff and
 * --mark-current): a path from the current folder, or else, when nothing
 * is there, from the project root as lobgen prints paths (content/…,
 * po/…). Returns file or the joined path (arena-owned). */
const char *path_arg(Arena *a, const char *root, const char *file);
/* True when the file name (no folder) is what an editor leaves beside a
 * file it saves, never an input: a hidden file (a swap or lock file,
 * .git), a backup "x~" (Emacs, gedit, Kate, nano -B) or an Emacs
 * auto-save "#x#". */
bool path_is_editor_file(const char *name);

#endif
