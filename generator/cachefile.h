/* lobgen's own files kept between builds: the caches in the project's
 * cache folder (audio's `cache` setting, default .lobgen-cache: speech/,
 * qr/, parse/) and the incremental manifest beside the output. Each is
 * made again when lost or damaged, so it is written whole (a temporary
 * name, then a rename: a reader sees the old file or the new one) but not
 * fsync'ed, and a failure to write it is a warning, not an error. */
#ifndef LOBGEN_CACHEFILE_H
#define LOBGEN_CACHEFILE_H

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

/* A file of the project's cache folder: makes dir below root (the project
 * folder), refuses a dir that leads outside root through a link, then
 * cachefile_replace of dir/name. NULL on success, else the cause. */
const char *cachefile_put(const char *root, const char *dir, const char *name, const char *data, size_t len);

#endif
