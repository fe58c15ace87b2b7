/* The front matter of every content file, kept across builds: decoding,
 * normalizing and parsing the YAML of the files that did not change was
 * most of a no-op rebuild's load, and reading them most of what was left.
 * The cache is one file, <cache>/parse/materials (the project's cache
 * folder, as qrcache.h), holding each parsed Material keyed by a 128-bit
 * hash (XXH3) of the file's bytes, its path, name parts, language, the
 * language's default encoding and the lobgen binary, with the stat of the
 * version it was parsed from (device, inode, size, modification and change
 * time in nanoseconds). A file whose stat is the recorded one is taken
 * without being opened, unless its times lie within a margin (2 s) of the
 * moment the recording build began to look at the files: git's rule for
 * its index ("racy git"), since a write in the same clock tick as the read
 * could leave the times as they were. Only parses that gave no message at
 * all are kept, so a file read from the cache has nothing to report. It
 * holds the files of the last build that wrote it; it is written to a
 * temporary name and renamed; a damaged or foreign file (checksum, format
 * version) is ignored and replaced. Output and messages are byte-identical
 * with and without it. */
#ifndef LOBGEN_PARSECACHE_H
#define LOBGEN_PARSECACHE_H

#include "diag.h"
#include "frontmatter.h"

#include <stdbool.h>
#include <stddef.h>

struct stat;

typedef struct ParseCache ParseCache;

/* A cache for n files (slots 0..n-1) read from root/cache/parse/materials
 * (root the project folder, cache the cache folder relative to it). Never
 * fails: a missing, unreadable or damaged file, or a folder that leads
 * outside the project, is an empty cache. Free with parsecache_free. */
ParseCache *parsecache_open(const char *root, const char *cache, size_t n);

/* parsecache_open in two steps, so that the file is read and indexed (and
 * the binary's identity hashed) on a thread of its own while the caller
 * lists the content: parsecache_start begins reading (never fails; NULL
 * root or cache: an empty cache that keeps nothing), parsecache_slots
 * waits for the read and makes the n slots. Call parsecache_slots once,
 * before any other call but parsecache_free. */
ParseCache *parsecache_start(const char *root, const char *cache);
void parsecache_slots(ParseCache *c, size_t n);

/* The parse of sf with these bytes (the file as read) and default encoding
 * (the language's, or NULL), if the cache has it: fills *m (strings in a;
 * body NULL, src sf) and returns true. Else remembers the key in the slot
 * for parsecache_put and returns false. st: the stat of the version read
 * (fstat of the open file, taken before reading), kept with the entry for
 * parsecache_trust in the next build; NULL or st_ino 0: unknown, the next
 * build reads the file. Safe on several threads at once for distinct slots. */
bool parsecache_get(ParseCache *c, size_t slot, const SourceFile *sf, const char *default_enc, const char *bytes,
                    size_t len, const struct stat *st, Arena *a, Material *m);

/* The parse of sf without reading it: when the cache's entry for this file
 * (the same path, name parts, language, default encoding, binary) was made
 * from a version with this stat st (taken now, by the caller: every field
 * of Stamp equal) and its times are not racy (above), fills *m as
 * parsecache_get and returns true; the entry is kept for the next build.
 * Else false, and the caller reads the file and asks parsecache_get.
 * Safe on several threads at once for distinct slots. */
bool parsecache_trust(ParseCache *c, size_t slot, const SourceFile *sf, const char *default_enc,
                      const struct stat *st, Arena *a, Material *m);

/* Keep m, the parse of the file last asked for in slot, for the next build
 * (m's strings are copied). Only for a parse that gave no message. */
void parsecache_put(ParseCache *c, size_t slot, const Material *m);

/* Write the file with this build's entries, unless it holds exactly those
 * already. A failure is a warning in d (the next build parses again). */
void parsecache_save(ParseCache *c, Diags *d);

/* How many files came from the cache, how many were parsed and kept, and
 * how many of the hits were taken by their stat, unread (trusted may be
 * NULL). Set by parsecache_save. */
void parsecache_counts(const ParseCache *c, size_t *hits, size_t *kept, size_t *trusted);

void parsecache_free(ParseCache *c);

#endif
