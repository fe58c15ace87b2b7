/* lobgen's own files kept between builds: the caches in the project's
 * cache folder (audio's `cache` setting, default .lobgen-cache: speech/,
 * qr/, parse/) and the incremental manifest beside the output. Each is
 * made again when lost or damaged, so it is written whole (unnamed until
 * complete, then renamed over the old one: a reader sees the old file or
 * the new one, and a killed writer leaves nothing) but not fsync'ed, and a
 * failure to write it is a warning, not an error. */
#ifndef LOBGEN_CACHEFILE_H
#define LOBGEN_CACHEFILE_H

#include "buf.h"

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* The identity of the running lobgen binary, for keys that a changed
 * generator must not reuse: XXH3-128 of /proc/self/exe, read once per
 * process (thread-safe). Sets {0, 0} when it cannot be read; a readable
 * binary never gives {0, 0}. */
void cachefile_binary_id(uint64_t id[2]);

/* mkdir -p of dir, mode 0777 less the umask: root is a folder that exists
 * and is a prefix of dir (e.g. the project folder); the folders after it
 * are made when missing. False with errno set when one cannot be made. */
bool cachefile_make_dirs(const char *root, const char *dir);

/* Replace the file at path with len bytes of data: written to a temporary
 * name beside it (mode 0666 less the umask, as fopen makes files) and
 * renamed over it. Call it when no other thread makes files (the umask is
 * read by setting it). NULL on success; else the cause in words (a static
 * string) and path is as it was. */
const char *cachefile_replace(const char *path, const char *data, size_t len);

/* A file written piece by piece, so that a large cache or manifest (the
 * manifest of 100,000 materials in 8 languages is 450 MB) is never whole
 * in memory: cachefile_begin, then cachefile_drain as the caller's Buf
 * fills, then cachefile_end, which renames it over its name as
 * cachefile_replace does. A failure at any step is kept and given by
 * cachefile_end; the steps after it do nothing. */
typedef struct CacheOut CacheOut;
/* Start writing the file at path. It has no name until cachefile_end (or
 * cachefile_finish) keeps it (O_TMPFILE in path's folder, where the file
 * system has it; else a temporary name beside path), so a build killed
 * meanwhile leaves nothing beside path. Never NULL. */
CacheOut *cachefile_begin(const char *path);
/* The same for dir/name in the project's cache folder: dir is made below
 * root and refused when it leads outside root through a link. */
CacheOut *cachefile_begin_in(const char *root, const char *dir, const char *name);
/* When b holds at least at_least bytes (0: any), write them out and empty
 * b; its memory is kept for the next pieces. */
void cachefile_drain(CacheOut *o, Buf *b, size_t at_least);
/* XXH3-64 of every byte drained so far (the value XXH3_64bits gives for
 * all of them at once), for a checksum at the end of the file. */
uint64_t cachefile_sum(const CacheOut *o);
/* Give up the file: a failure the caller found (why, a static string,
 * kept unless an earlier one was), so cachefile_end removes it. */
void cachefile_fail(CacheOut *o, const char *why);
/* Drain the rest of b (may be NULL), close the file and rename it over its
 * name; on any failure remove it instead. Frees o. NULL on success, else
 * the cause in words (a static string), and the old file is as it was. */
const char *cachefile_end(CacheOut *o, Buf *b);
/* Read the umask (which new cache files' mode follows) now, on a thread
 * while no other makes files; before starting a thread that makes cache
 * files. Done by the first cache file otherwise. */
void cachefile_init(void);
/* cachefile_end in two steps, so that a file can be written before it is
 * known whether it is wanted: cachefile_close drains the rest of b (may be
 * NULL) and closes the file, still under its temporary name (NULL, or the
 * first failure so far); cachefile_finish renames it over its name when
 * keep is true, else removes it (and on any failure), and frees o. It
 * returns what cachefile_end returns; NULL when keep is false and nothing
 * failed. cachefile_finish without cachefile_close closes first. */
const char *cachefile_close(CacheOut *o, Buf *b);
const char *cachefile_finish(CacheOut *o, bool keep);

/* A file with no name in the folder dir, for the pieces of a cache or of
 * the manifest while a build makes them (so that they are not all held in
 * memory): it is gone when closed, and when the process dies however it
 * dies (killed, crashed), so no build leaves one behind and no reader ever
 * sees one. O_TMPFILE where the filesystem has it, else a name unlinked at
 * once. dir must exist. Returns the descriptor (read and write,
 * close-on-exec) or -1 with errno set. */
int cachefile_anon(const char *dir);
/* Write or read exactly len bytes at offset off of fd (EINTR and short
 * transfers retried). False with errno set (EIO at an unexpected end). */
bool cachefile_pwrite(int fd, const void *p, size_t len, uint64_t off);
bool cachefile_pread(int fd, void *p, size_t len, uint64_t off);

#endif
