/* Publishing: pages are written into a folder of their own beside the
 * output and swapped in (RENAME_EXCHANGE) only when the whole build
 * succeeded, so a failed or killed build leaves the previous site as it
 * was. The new tree is on disk (syncfs) before the swap, and the swap
 * happens under an exclusive flock on ".<output>.lobgen-lock" beside the
 * output: a second build into the same output waits for the first.
 *
 * The site a swap replaces is not removed: it is kept beside the output
 * as ".<output>.lobgen-spare", and the next build takes that folder as its
 * own (renamed to its build folder under the lock, so a second build at
 * the same time finds none and starts a fresh folder, mkdtemp) and brings
 * it up to date in place, so that publishing costs what changed, not the
 * whole site. The spare shares most files with the published site (hard
 * links), so nothing in it is ever written in place: a file is written
 * beside its name and renamed over it. Nothing about the spare is trusted:
 * it is walked when claimed (in the background: one fstatat per file; a
 * folder is listed with getdents unless its stat is the one recorded, with
 * its names, by the build that last published the tree, in
 * ".<output>.lobgen-folders": see write.c), anything that is
 * not a file or folder is removed at once, a file is kept only when a
 * stat shows it is the very file the caller expects (writer_link_previous),
 * and every name the build neither kept nor wrote is removed before the
 * swap. A build that fails or is stopped (stop.h: writer_commit swaps
 * nothing in once a stop was asked) gives the spare back; a folder left by a killed
 * build becomes the spare when there is none. A spare folder without
 * lobgen's marker is never used, replaced or removed. Nothing is written
 * outside the output and its ".<output>.lobgen-*" siblings. */
#ifndef LOBGEN_WRITE_H
#define LOBGEN_WRITE_H

#include "diag.h"

#include <stdbool.h>
#include <stddef.h>

typedef struct Writer Writer;

/* Prepare to publish into out_dir: claims the spare when there is one (and
 * starts walking it on background threads, so that the caller's next work,
 * reading the manifest, runs meanwhile; every other call on w waits for
 * the walk and helps finish it), else makes a fresh folder. dry_run: validate
 * paths, write nothing. NULL with a diagnostic when out_dir is not lobgen's
 * or its parent is missing. */
Writer *writer_open(const char *out_dir, bool dry_run, Diags *d);
/* Write one file at rel (e.g. "tr/index.html"): relative, no "..", no
 * empty or hidden segments. Safe to call from several threads. */
bool writer_put(Writer *w, const char *rel, const char *data, size_t len, Diags *d);
/* Copy a file from the project (e.g. an asset) to rel. */
bool writer_copy(Writer *w, const char *src_path, const char *rel, Diags *d);
/* Remove what a claimed spare held and this build neither wrote nor kept,
 * then swap the new tree in place of out_dir (atomically where the kernel
 * can), under the publishing lock; re-checks that out_dir is still
 * lobgen's. The previous site becomes the spare. Frees w. False, with a
 * diagnostic, when any write failed or the swap did. */
bool writer_commit(Writer *w, Diags *d);
/* Add the count of failed writes beyond the first (which writer_put
 * reported with its cause) as one error; writer_commit does this itself. */
void writer_report(const Writer *w, Diags *d);
/* Throw away what was written; out_dir is untouched. A claimed spare is
 * given back as the spare (its files are checked again by the next build),
 * a fresh folder removed. Frees w. */
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
/* Put the previous site's file at rel, the one expect describes (device,
 * inode, size and modification time: a file changed or replaced since is
 * never reused), into the new tree: kept when the spare holds that very
 * file at rel (by the walk's stat of it, no system call; one fstatat when
 * this build wrote or removed rel since; no write), else the published out_dir/rel hard
 * linked in (in a spare: linked to a name of its own, checked, renamed
 * over rel). Published files are never written in place (writer_put makes
 * a new file), so sharing them keeps the previous site as it was. Counts
 * as one file written. False when the file is not the same, is gone, or
 * cannot be linked (another file system, a dry run): nothing new is then
 * at rel, and the caller writes the file itself. */
bool writer_link_previous(Writer *w, const char *rel, const WriterFileId *expect);
/* Before a run of writer_link_previous calls (a unit's files): start
 * loading from memory what looking rel up among the spare's names reads,
 * so that the lookups that follow do not each wait for it in turn. Call it
 * for every rel of the run with stage 0, then with 1, then with 2 (the
 * table's slot, the name's record, its path). Changes nothing. */
void writer_prefetch(Writer *w, const char *rel, int stage);
/* Take the file at rel out of the new tree again (one that
 * writer_link_previous put or kept there): no longer counted as written. */
void writer_unlink(Writer *w, const char *rel);

/* How the walk of the claimed spare found its folders (waits for it):
 * *listed read with getdents (the root and the language folders always;
 * below them every folder that changed, is racy or has no record),
 * *trusted taken from the folder record of the build that last published
 * this tree, without being opened. Both 0 when no spare was claimed. For
 * tests and measurements. */
void writer_walk_counts(Writer *w, size_t *listed, size_t *trusted);

/* Replace the regular file at path with len bytes of data: written beside
 * it (mkstemp), fsync'ed, given the old file's mode, renamed over it, and
 * the folder fsync'ed, so a crash leaves the old file or the new one. A
 * symbolic link is refused, not followed or replaced. False with a
 * diagnostic at path when anything fails; the file is then unchanged. */
bool write_file_replacing(const char *path, const char *data, size_t len, Diags *d);

#endif
