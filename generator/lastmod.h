/* When each content file last changed, for the feeds' <updated>: the
 * committer date of the last commit that touched it when the project is a
 * git checkout (as Hugo's enableGitInfo), else its modification time.
 * With SOURCE_DATE_EPOCH every time is clamped to it (never later), so
 * a fresh checkout builds the same bytes anywhere. */
#ifndef LOBGEN_LASTMOD_H
#define LOBGEN_LASTMOD_H

#include "buf.h"
#include "site.h"

typedef struct LastMod LastMod;

/* Read the history of root/content and root/lobgen.yaml with one
 * `git log` (no shell; git's own messages discarded; no git or no
 * checkout simply means no history). epoch: SOURCE_DATE_EPOCH or -1.
 * Allocated in a; never NULL. */
LastMod *lastmod_load(Arena *a, const char *root, long long epoch);

/* Seconds since 1970 (UTC) of the last change of path (relative to the
 * project root, as SourceFile.path), found in git, else the mtime of abs
 * (the path to stat); clamped to the epoch. -1 when neither is known. */
long long lastmod_get(const LastMod *lm, const char *path, const char *abs);

/* The last change of what the reader of each language l < nl sees of an
 * item, into out[l]: the later of its source file's and, where a
 * translation is shown (current or stale), that file's; -1 when unknown.
 * Each file's time is read once (a stat per file, not per file and
 * language). */
void lastmod_items(const LastMod *lm, const Item *it, size_t nl, long long *out);

#endif
