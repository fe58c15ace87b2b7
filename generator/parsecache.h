/* The front matter of every content file, kept across builds: a build reads
 * every file, and decoding, normalizing and parsing the YAML of the files
 * that did not change was most of a no-op rebuild's load. The cache is one
 * file, <cache>/parse/materials (the project's cache folder, as qrcache.h),
 * holding each parsed Material keyed by a 128-bit hash (XXH3) of the file's
 * bytes, its path, name parts, language, the language's default encoding
 * and the lobgen binary. Only parses that gave no message at all are kept,
 * so a file read from the cache has nothing to report. It holds the files
 * of the last build that wrote it; it is written to a temporary name and
 * renamed; a damaged or foreign file (checksum, format) is ignored and
 * replaced. Output and messages are byte-identical with and without it. */
#ifndef LOBGEN_PARSECACHE_H
#define LOBGEN_PARSECACHE_H

#include "diag.h"
#include "frontmatter.h"

#include <stdbool.h>
#include <stddef.h>

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
 * for parsecache_put and returns false. Safe on several threads at once
 * for distinct slots. */
bool parsecache_get(ParseCache *c, size_t slot, const SourceFile *sf, const char *default_enc, const char *bytes,
                    size_t len, Arena *a, Material *m);

/* Keep m, the parse of the file last asked for in slot, for the next build
 * (m's strings are copied). Only for a parse that gave no message. */
void parsecache_put(ParseCache *c, size_t slot, const Material *m);

/* Write the file with this build's entries, unless it holds exactly those
 * already. A failure is a warning in d (the next build parses again). */
void parsecache_save(ParseCache *c, Diags *d);

/* How many files came from the cache and how many were parsed and kept. */
void parsecache_counts(const ParseCache *c, size_t *hits, size_t *kept);

void parsecache_free(ParseCache *c);

#endif
