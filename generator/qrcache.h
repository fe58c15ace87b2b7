/* The QR codes of a build, kept across builds: a handout's QR code depends
 * only on its page's URL, and encoding it (libqrencode) was the dearest
 * part of a handout. The cache is one file, <cache>/qr/codes (the
 * project's cache folder, audio's cache: setting, default .lobgen-cache),
 * holding each code's modules keyed by the text encoded (the label only
 * goes into the SVG, made fresh every time). It holds the codes of the
 * last build that wrote it (and, after an incremental build, those of the
 * pages it reused), so it never grows past two sites' worth
 * (about 200 bytes a code); it is written to a temporary name and renamed,
 * so a killed build or two builds at once leave a whole file; a damaged
 * or foreign file (checksum, format, libqrencode version) is ignored and
 * replaced. Output is byte-identical with and without it. While a build
 * runs, the codes it makes wait in a file with no name in the cache
 * folder, not in memory (qrcache.c). */
#ifndef LOBGEN_QRCACHE_H
#define LOBGEN_QRCACHE_H

#include "buf.h"
#include "diag.h"

#include <stdbool.h>
#include <stddef.h>

typedef struct QrCache QrCache;

/* A cache for n codes (slots 0..n-1) read from root/cache/qr/codes (root
 * the project folder, cache the cache folder relative to it); root or
 * cache NULL gives a cache that only encodes and saves nothing. The file
 * is read when the first code is asked for (an incremental build that
 * reuses every handout asks for none). Never fails: a missing, unreadable
 * or damaged file, or a folder that leads outside the project, is an
 * empty cache. Free with qrcache_free. */
QrCache *qrcache_open(const char *root, const char *cache, size_t n);

/* For a build that will not call qrcache_save (a dry run: lobgen check,
 * which reads the cache and writes nothing): the codes it makes are not
 * kept, so not even the cache folder is made. Call before the first code. */
void qrcache_no_save(QrCache *c);

/* Append the SVG of text's QR code with the accessible label to out
 * (print_qr_svg's output), from the cache or encoded; slot < n names this
 * code for qrcache_save. Safe on several threads at once for distinct
 * slots. Returns false if text cannot be encoded. */
bool qrcache_svg(QrCache *c, size_t slot, const char *text, const char *label, Buf *out);

/* Write the codes of every slot filled, in slot order, as the cache file
 * (making its folders inside the project), unless the file already holds
 * exactly those. When some slots were not asked for (pages an incremental
 * build reused), the file keeps its other codes too, 2n in all at most,
 * and is left alone if no code was made (or none asked for). A failure is a warning in
 * d (the site is fine; the next build encodes again). */
void qrcache_save(QrCache *c, Diags *d);

/* How many codes came from the file and how many were encoded. */
void qrcache_counts(const QrCache *c, size_t *hits, size_t *made);

void qrcache_free(QrCache *c);

#endif
