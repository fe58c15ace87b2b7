/* Turning a source file's bytes into UTF-8 text with LF line ends. */
#ifndef LOBGEN_ENCODING_H
#define LOBGEN_ENCODING_H

#include "buf.h"
#include "diag.h"

#include <stdbool.h>
#include <stddef.h>

/* Decode bytes read from file. Accepts UTF-8 (with or without BOM),
 * UTF-16LE/BE with BOM, and a legacy encoding when the front matter has a
 * line `encoding: NAME` or default_enc is set (front matter wins). CRLF and
 * lone CR become LF. Errors: invalid UTF-8 without a declared encoding
 * (line:col of the first bad byte, suggesting `encoding:`), a NUL byte,
 * an unknown encoding name, bytes the declared encoding cannot map.
 * On success *out is arena-owned, NUL-terminated; *used names the encoding
 * read ("utf-8", "utf-16le", or the declared name). */
bool encoding_decode(Arena *a, const char *file, const char *bytes, size_t len,
                     const char *default_enc, char **out, size_t *out_len,
                     const char **used, Diags *d);
/* The same UTF-8 text in Unicode Normalization Form C (ICU's NFC
 * normalizer), so that a text saved decomposed ("e" + U+0301) has the same
 * fingerprint, heading ids and glossary links as the composed one.
 * Returns NULL when s (len bytes) is already NFC or is not valid UTF-8
 * (the caller keeps s); else a malloc'd, NUL-terminated copy the caller
 * frees, its length in *out_len. */
char *encoding_nfc(const char *s, size_t len, size_t *out_len);
/* A file that has no encoding: of its own (a YAML file: lobgen.yaml, a
 * locale, a glossary) must be UTF-8 (a UTF-8 byte order mark allowed) or
 * start with a UTF-16 byte order mark. Adds an error at the line and
 * column of the first byte that is not UTF-8, saying to save the file as
 * UTF-8, and returns false; true when the bytes are fine. */
bool encoding_check_utf8(const char *file, const char *bytes, size_t len, Diags *d);
/* True when iconv knows the encoding name. */
bool encoding_known(const char *name);

#endif
