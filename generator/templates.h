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
#include <stdint.h>

typedef struct Templates Templates;

/* Load and compile every template under ROOT/templates. Symlinks that
 * point outside the project are refused. Returns NULL after errors. */
Templates *templates_load(const char *root, Diags *d);
void templates_free(Templates *t);

/* The text a template file is compiled from, as every reader of templates
 * takes it (a build, lobgen template and its partials): src (len bytes,
 * read from file) must be UTF-8, else an error at its first other byte
 * (encoding_check_utf8) and NULL; it is put in NFC, like the content it
 * shows. Returns src itself, or its NFC form in *owned (malloc'd; the
 * caller frees *owned, which is NULL otherwise), its length in *out_len. */
const char *templates_source_text(const char *file, const char *src, size_t len, size_t *out_len, char **owned,
                                  Diags *d);

/* Find NAME (e.g. "material", "blocks/tip") for a language and leerjaar
 * (0 = none). NULL when no file in the lookup order has it. */
const Mustache *templates_find(const Templates *t, const char *name, const char *lang, int leerjaar);

/* The names of the block templates (templates/blocks/NAME, also per
 * language and leerjaar), each once, into out[0..max); returns how many.
 * The strings belong to t. */
size_t templates_block_names(const Templates *t, const char **out, size_t max);

/* The template names a render asked for (its own, every partial and
 * parent, also names taken from data), each once, in first-use order;
 * malloc'ed copies. For incremental builds (incremental.h): a page is the
 * same as before when its data and what these names resolve to are. */
typedef struct {
    char **names;
    size_t n, cap;
} TemplateUse;
void template_use_add(TemplateUse *u, const char *name);
void template_use_free(TemplateUse *u);

/* A 128-bit identity of the file NAME resolves to for a language and
 * leerjaar (its path below templates/ and its source), into id[2]; {0, 0}
 * when it resolves to none. Equal ids: the same compiled template. */
void templates_identity(const Templates *t, const char *name, const char *lang, int leerjaar, uint64_t id[2]);

/* A MustacheLookup context bound to a language and leerjaar, so partials
 * and parents follow the same order as the page that uses them. use: NULL,
 * or where to record the names looked up. */
typedef struct {
    const Templates *t;
    const char *lang;
    int leerjaar;
    TemplateUse *use;
} TemplateScope;
/* A missing partial or parent is an error (placed at the tag that asked). */
const Mustache *templates_lookup(void *scope, const char *name, Diags *d);

/* Render template NAME in scope; an error if it does not exist. */
bool templates_render(const TemplateScope *s, const char *name, const Value *data, Buf *out, Diags *d);

#endif
