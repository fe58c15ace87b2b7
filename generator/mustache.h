/* Mustache templates (spec v1.4: interpolation, sections, inverted sections,
 * comments, partials, set delimiters, inheritance, dynamic names; no lambdas).
 * A template is compiled once and rendered many times. Partials and parents
 * are resolved by name through the caller's lookup function, which returns
 * a compiled template (owned and cached by the caller) or NULL. */
#ifndef LOBGEN_MUSTACHE_H
#define LOBGEN_MUSTACHE_H

#include "buf.h"
#include "diag.h"
#include "value.h"

#include <stdbool.h>

typedef struct Mustache Mustache;

/* Find the partial or parent called name. Return NULL when there is none
 * (a missing partial renders as empty, as the spec says); add an error to
 * d and return NULL when it exists but does not compile, or when the
 * caller treats a missing one as an error: an error added without a line
 * is placed at the tag that asked for the partial. */
typedef const Mustache *(*MustacheLookup)(void *ctx, const char *name, Diags *d);

/* Compile src (not necessarily NUL-terminated). file names the source in
 * error messages. Returns NULL after adding errors with line:col. */
Mustache *mustache_compile(const char *src, size_t len, const char *file, Diags *d);
void mustache_free(Mustache *t);
const char *mustache_file(const Mustache *t);

/* Render with data as the root context, appending to out. Returns false
 * after adding an error (e.g. partial recursion deeper than the limit). */
bool mustache_render(const Mustache *t, const Value *data, MustacheLookup lookup, void *ctx,
                     Buf *out, Diags *d);

/* One render may write at most this many bytes (64 MB); beyond it,
 * mustache_render stops with an error at the tag being rendered. */
#define MUSTACHE_MAX_OUTPUT (64 << 20)

/* Partials and parents may nest at most this deep. */
#define MUSTACHE_MAX_DEPTH 64

#endif
