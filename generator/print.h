/* Print output: the QR code on every handout, and the pairing of a
 * translation's sections with the Dutch ones for the bilingual handout. */
#ifndef LOBGEN_PRINT_H
#define LOBGEN_PRINT_H

#include "buf.h"
#include "markdown.h"
#include "value.h"

#include <stdbool.h>

/* An inline SVG QR code (libqrencode, error correction M) for text, with
 * the given accessible label. Returns false if text cannot be encoded. */
bool print_qr_svg(const char *text, const char *label, Buf *out);

/* Rows of the bilingual handout: section i of home beside section i of
 * the source (they are aligned at h2 headings); a side with fewer sections
 * gets empty cells. Each row: {home, source} raw HTML. */
Value *print_bilingual_rows(Arena *a, const MdDoc *home, const MdDoc *source);

/* covered[i]: an installed font (fontconfig) covers the script of tags[i].
 * A printed page of empty boxes is useless, so lobgen check warns. */
void print_font_coverage(const char *const *tags, size_t n, bool *covered);

#endif
