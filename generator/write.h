/* Publishing: pages are written into a fresh folder of their own beside the
 * output (mkdtemp) and swapped in only when the whole build succeeded, so a
 * failed or killed build leaves the previous site as it was. The new tree
 * is on disk (syncfs) before the swap, and the swap happens under an
 * exclusive flock on ".<output>.lobgen-lock" beside the output: a second
 * build into the same output waits for the first. Nothing is written
 * outside. */
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
/* Swap the new tree in place of out_dir (atomically where the kernel can),
 * under the publishing lock; re-checks that out_dir is still lobgen's.
 * Frees w. False, with a diagnostic, when any write failed or the swap did. */
bool writer_commit(Writer *w, Diags *d);
/* Add the count of failed writes beyond the first (which writer_put
 * reported with its cause) as one error; writer_commit does this itself. */
void writer_report(const Writer *w, Diags *d);
/* Throw away what was written; out_dir is untouched. Frees w. */
void writer_abort(Writer *w);
size_t writer_count(const Writer *w);

/* ---- incremental builds (incremental.h) ---- */

/* Which file a name is: the published file a later build may share. */
typedef struct {
    unsigned long long dev, ino, size;
    long long mtime_s;
    long mtime_ns;
} WriterFileId;
/* The id of the file just written at rel in the new tree. False (nothing
 * set) on a dry run or when there is no regular file at rel. */
bool writer_file_id(const Writer *w, const char *rel, WriterFileId *id);
/* Put the previous site's file at rel (out_dir/rel as published) into the
 * new tree as a hard link, when it is still the file expect describes
 * (device, inode, size and modification time: a file changed or replaced
 * since is never reused). Published files are never written in place
 * (writer_put makes a new file), so sharing them keeps the previous site
 * as it was. Counts as one file written. False when the file is not the
 * same, is gone, or cannot be linked (another file system, a dry run):
 * nothing is then left at rel, and the caller writes the file itself. */
bool writer_link_previous(Writer *w, const char *rel, const WriterFileId *expect);
/* Take the file at rel out of the new tree again (one that
 * writer_link_previous put there): no longer counted as written. */
void writer_unlink(Writer *w, const char *rel);

/* Replace the regular file at path with len bytes of data: written beside
 * it (mkstemp), fsync'ed, given the old file's mode, renamed over it, and
 * the folder fsync'ed, so a crash leaves the old file or the new one. A
 * symbolic link is refused, not followed or replaced. False with a
 * diagnostic at path when anything fails; the file is then unchanged. */
bool write_file_replacing(const char *path, const char *data, size_t len, Diags *d);

#endif
