/* Print output: the QR code on every handout, and the pairing of a
 * translation's sections with the Dutch ones for the bilingual handout. */
#ifndef LOBGEN_PRINT_H
#define LOBGEN_PRINT_H

#include "buf.h"
#include "locale.h"
#include "markdown.h"
#include "value.h"

#include <stdbool.h>

/* An inline SVG QR code (libqrencode, error correction M) for text, with
 * the given accessible label. Returns false if text cannot be encoded. */
bool print_qr_svg(const char *text, const char *label, Buf *out);

/* The QR code of text (libqrencode, error correction M) as its modules:
 * *width x *width, row-major, module i dark when bit i%8 of byte i/8 of
 * *bits is set; *bits (width*width/8 + 1 bytes) is the caller's to free.
 * Returns false if text cannot be encoded. */
bool print_qr_encode(const char *text, unsigned char **bits, int *width);

/* The inline SVG of print_qr_svg for modules as print_qr_encode gives
 * them, appended to out. */
void print_qr_format(const unsigned char *bits, int width, const char *label, Buf *out);

/* Rows of the bilingual handout: section i of home beside section i of
 * the source (they are aligned at h2 headings); a side with fewer sections
 * gets empty cells. Each row: {home, source} raw HTML. Where two sections
 * have the same top-level blocks in the same order, they give a row per
 * block instead (each ending with the block), with after.NAME holding the
 * block's attributes (attrs, by name, NAME_list), so that a template can
 * put an answer's writing lines once under the pair. */
Value *print_bilingual_rows(Arena *a, const MdDoc *home, const MdDoc *source);

/* What the running head of a printed document shows on its pages. */
typedef struct {
    const char *title;      /* the material's title (UTF-8), or NULL */
    const char *title2;     /* bilingual: the source language's title, shown after title; or NULL */
    const char *number;     /* in a pack: the handout's number there, in the reader's digits; or NULL */
    const char *name_label; /* "Naam": adds a name line to write on; NULL for none */
    const char *id;         /* a named page: the id of the element printed on it */
} PrintHead;

/* The start of a printed document's own CSS (for its <style>): a counter
 * style "lobgen-digits" with the digits ICU writes for locale l (Arabic-
 * Indic for ar, Latin for ar-MA), so that page numbers read as in the
 * text around them; for digits other than 0-9 also a rule that numbers
 * the ordered lists in l's language with them. Appends to out. */
void print_css_digits(const Locale *l, Buf *out);

/* One @page rule with running heads, appended to out. page_name NULL is the
 * document's default page, whose first page (the one with the handout's
 * own header) then shows no running head; otherwise the rule is
 * `@page page_name` for a named page (a pack's handout k), on all its
 * pages. page_of is the locale's "Pagina {n} van {total}": {n} and
 * {total} become the page counters in lobgen-digits, each isolated (FSI,
 * PDI) so that the sentence reads in order in a right-to-left page. rtl
 * puts the title at the right and the name line at the left. A named
 * page also gets the rule that puts the element h->id on it. */
void print_css_page(const char *page_name, const PrintHead *h, const char *page_of, bool rtl, Buf *out);

/* s as a double-quoted CSS string, safe inside a <style> element: quotes,
 * backslashes, line ends and '<' (no "</style>") as CSS escapes. */
void print_css_string(const char *s, Buf *out);

/* The blocks of a translation beside those of its source, for a bilingual
 * sheet that shows both languages on one card: home and source each map a
 * block name to its blocks in order, each {items: [{html, …}]} (as block
 * templates get them). Returns a map name -> list of {items: [{home,
 * source}]}: the k-th block of a name in both, item i beside item i (raw
 * HTML; "" where one side has fewer). Names only one side has are left out. */
Value *print_pair_blocks(Arena *a, const Value *home, const Value *source);

/* covered[i]: an installed font (fontconfig) covers the script of tags[i].
 * A printed page of empty boxes is useless, so lobgen check warns. */
void print_font_coverage(const char *const *tags, size_t n, bool *covered);

#endif
