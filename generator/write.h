/* Publishing: pages are written into a fresh folder beside the output and
 * swapped in only when the whole build succeeded, so a failed or killed
 * build leaves the previous site as it was. Nothing is written outside. */
#ifndef LOBGEN_WRITE_H
#define LOBGEN_WRITE_H

#include "diag.h"

#include <stdbool.h>
#include <stddef.h>

typedef struct Writer Writer;

/* Prepare to publish into out_dir. dry_run: validate paths, write nothing. */
Writer *writer_open(const char *out_dir, bool dry_run, Diags *d);
/* Write one file at rel (e.g. "tr/index.html"): relative, no "..", no
 * empty or hidden segments. Safe to call from several threads. */
bool writer_put(Writer *w, const char *rel, const char *data, size_t len, Diags *d);
/* Copy a file from the project (e.g. an asset) to rel. */
bool writer_copy(Writer *w, const char *src_path, const char *rel, Diags *d);
/* Swap the new tree in place of out_dir (atomically where the kernel can). */
bool writer_commit(Writer *w, Diags *d);
/* Throw away what was written; out_dir is untouched. Frees w. */
void writer_abort(Writer *w);
size_t writer_count(const Writer *w);

#endif
