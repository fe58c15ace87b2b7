/* The glossary of school terms: content/woordenlijst.<lang>.yaml, a list
 * of {term, also?, text}. Rendered at /<lang>/woordenlijst/ and used to
 * link the first use of a term in a material to its explanation. */
#ifndef LOBGEN_GLOSSARY_H
#define LOBGEN_GLOSSARY_H

#include "buf.h"
#include "diag.h"
#include "markdown.h"

typedef struct {
    const char *term;
    const char *id;    /* anchor on the glossary page */
    const char *text;  /* explanation */
    const char **also; /* other forms matched in texts */
    size_t n_also;
} GlossaryEntry;

typedef struct {
    const char *lang;
    GlossaryEntry *entries; /* sorted by term with the language's collation (ICU ucol) */
    size_t n;
} Glossary;

/* Load ROOT/PATH (a content/woordenlijst.<lang>.yaml). Returns false after errors. */
bool glossary_load(Arena *a, const char *root, const char *path, const char *lang, Glossary *out, Diags *d);
/* The terms to link in a page whose glossary page is at href_prefix
 * (e.g. "../../woordenlijst/index.html"); count in *n. */
MdTerm *glossary_terms(Arena *a, const Glossary *g, const char *href_prefix, size_t *n);

#endif
