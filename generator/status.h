/* The coordinator's view of translations: lobgen status, fingerprint and
 * --mark-current. */
#ifndef LOBGEN_STATUS_H
#define LOBGEN_STATUS_H

#include "diag.h"

#include <stdbool.h>
#include <stdio.h>

/* A table per language (or, with json, the documented JSON form) of
 * translated / stale / missing / unreviewed materials and missing
 * interface strings, with the files to work on. */
bool status_report(const char *root, bool json, FILE *out, Diags *d);
/* The fingerprint of a material file's title and body. */
bool status_fingerprint_file(const char *path, char fp[17], Diags *d);
/* Write the current source fingerprint into each translation's
 * translation.source, changing nothing else in the file. */
bool status_mark_current(const char *root, const char *const *files, size_t n, Diags *d);

#endif
