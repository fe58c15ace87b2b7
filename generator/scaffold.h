/* Scaffolding: lobgen init (a new project) and lobgen new (a material from
 * an archetype, a translation to fill in, a new language's locale file). */
#ifndef LOBGEN_SCAFFOLD_H
#define LOBGEN_SCAFFOLD_H

#include "diag.h"

#include <stdbool.h>

/* The folder that holds the default templates/ and locales/: $LOBGEN_DATA_DIR,
 * else <bin>/../share/lobgen (installed), else <bin>/.. (build/lobgen in a
 * clone). Returns a malloc'd path, or NULL when none has templates/. */
char *scaffold_data_dir(void);

/* Create a new project in dir (which must not exist or be empty): lobgen.yaml
 * with comments, the default templates and the source locale, one example
 * material per kind, .gitignore. Returns false after errors. */
bool scaffold_init(const char *dir, Diags *d);

/* Write content/<kind folder>/<slug>.<source lang>.md in the project at
 * root from the archetype of kind ("thuisopdracht", "gesprek",
 * "ouderavond") for leerjaar (1-4). Never overwrites. On success *written
 * is the new file's path (malloc'd). */
bool scaffold_new_material(const char *root, const char *kind, const char *slug, int leerjaar, char **written,
                           Diags *d);

/* Write <slug>.<lang>.md beside the source-language material file: its
 * title, summary and text to translate, draft: true, and a translation:
 * block with the current fingerprint. lang must be configured. */
bool scaffold_new_translation(const char *root, const char *file, const char *lang, char **written, Diags *d);

/* Create locales/<tag>.yaml from the source language's file (native name
 * and direction from ICU, the CLDR plural categories, every string left to
 * translate as a comment) and add tag to lobgen.yaml's languages. */
bool scaffold_new_language(const char *root, const char *tag, char **written, Diags *d);

#endif
