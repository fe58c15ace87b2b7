/* Finding the content files: content/<kind>/<slug>.<lang>.md. */
#ifndef LOBGEN_SCAN_H
#define LOBGEN_SCAN_H

#include "buf.h"
#include "config.h"
#include "diag.h"
#include "model.h"

#include <stdbool.h>

typedef struct {
    const char *path; /* relative to the project root: "content/gesprekken/x.nl.md" */
    const char *abs;  /* path to open, and to name the file in messages (path_join of
                       * the project folder and path: what the user can open) */
    Kind kind;
    const char *slug; /* [a-z0-9]+(-[a-z0-9]+)* */
    const char *lang; /* a configured tag */
    int lang_index;   /* index into Config.langs */
    bool is_po;       /* a translation as a gettext PO file (<slug>.<lang>.po) */
    bool has_mtime;   /* mtime is the read file's (project_load): lastmod.h needs no stat */
    long long mtime;  /* modification time, seconds since 1970 */
} SourceFile;

typedef struct {
    SourceFile *files; /* sorted by path */
    size_t n_files;
    SourceFile *recordings; /* content/<kind>/<slug>.<lang>.(opus|ogg|mp3|m4a), same fields */
    size_t n_recordings;
    const char **glossaries; /* content/woordenlijst.<lang>.yaml paths found (relative), sorted */
    size_t n_glossaries;
} ScanResult;

/* Walk ROOT/content. Recordings (see audio.h) are listed apart from the
 * texts. Misnamed files, unknown kinds, unconfigured languages,
 * and symlinks that point outside the project are errors; dotfiles are
 * ignored. Returns false if any error was added. */
bool scan_content(Arena *a, const char *root, const Config *c, ScanResult *out, Diags *d);
/* True when s is a valid slug. */
bool scan_valid_slug(const char *s, size_t len);
/* True when path (after resolving symlinks) lies inside dir. */
bool scan_path_inside(const char *path, const char *dir);

#endif
