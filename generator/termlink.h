/* Glossary-term linking inside a cmark tree: the first use of each term
 * in reading order becomes a link to its explanation. markdown.c walks
 * the tree and hands every text node that may hold terms to this module. */
#ifndef LOBGEN_TERMLINK_H
#define LOBGEN_TERMLINK_H

#include "markdown.h"

#include <cmark-gfm-extension_api.h>
#include <cmark-gfm.h>
#include <stdbool.h>
#include <stdint.h>

typedef struct TlTerm TlTerm;

/* The terms of one text and which are still unlinked. */
typedef struct {
    TlTerm *terms;
    size_t n_terms, terms_left;
    size_t *order; /* term indices by first code point, longest first */
    int32_t *cps;  /* scratch: one text node as case-folded code points */
    size_t *offs;  /* their byte offsets */
    size_t scratch_cap;
    Buf tmp;
    cmark_syntax_extension *host; /* lent to a table cell while links go in */
} TermLinker;

/* Prepare terms[0..n) (borrowed: they must outlive tl) for one text. A
 * term listed twice (in any case) links once; terms with the same href are
 * forms of one entry and link once. host: a syntax extension that can
 * contain any inline (tables only accept inlines they know). */
void termlink_init(TermLinker *tl, const MdTerm *terms, size_t n, cmark_syntax_extension *host);
/* True while some term is still unlinked. */
static inline bool termlink_pending(const TermLinker *tl) { return tl->terms_left > 0; }
/* Link the first use of each unlinked term in text node tn by splitting
 * it into text, link, text... Returns the node now standing last where tn
 * stood (tn itself when nothing matched). */
cmark_node *termlink_text(TermLinker *tl, cmark_node *tn);
/* Free what termlink_init allocated; tl may be initialised again. */
void termlink_free(TermLinker *tl);

#endif
