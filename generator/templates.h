/* The project's templates/ folder, loaded and compiled once per build, and
 * the lookup order that lets a school override any template per language
 * and per leerjaar:
 *   templates/<lang>/leerjaar-<n>/NAME, templates/<lang>/NAME,
 *   templates/leerjaar-<n>/NAME, templates/NAME
 * where NAME is tried as NAME.mustache, then NAME.html. */
#ifndef LOBGEN_TEMPLATES_H
#define LOBGEN_TEMPLATES_H

#include "diag.h"
#include "mustache.h"

#include <stdbool.h>

typedef struct Templates Templates;

/* Load and compile every template under ROOT/templates. Symlinks that
 * point outside the project are refused. Returns NULL after errors. */
Templates *templates_load(const char *root, Diags *d);
void templates_free(Templates *t);

/* Find NAME (e.g. "material", "blocks/tip") for a language and leerjaar
 * (0 = none). NULL when no file in the lookup order has it. */
const Mustache *templates_find(const Templates *t, const char *name, const char *lang, int leerjaar);

/* The names of the block templates (templates/blocks/NAME, also per
 * language and leerjaar), each once, into out[0..max); returns how many.
 * The strings belong to t. */
size_t templates_block_names(const Templates *t, const char **out, size_t max);

/* A MustacheLookup context bound to a language and leerjaar, so partials
 * and parents follow the same order as the page that uses them. */
typedef struct {
    const Templates *t;
    const char *lang;
    int leerjaar;
} TemplateScope;
/* A missing partial or parent is an error (placed at the tag that asked). */
const Mustache *templates_lookup(void *scope, const char *name, Diags *d);

/* Render template NAME in scope; an error if it does not exist. */
bool templates_render(const TemplateScope *s, const char *name, const Value *data, Buf *out, Diags *d);

#endif
