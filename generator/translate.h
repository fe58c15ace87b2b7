/* Translations as gettext PO files: a translated page assembled from the
 * source structure and the PO entries, and the translate commands
 * (export, update, import). */
#ifndef LOBGEN_TRANSLATE_H
#define LOBGEN_TRANSLATE_H

#include "buf.h"
#include "config.h"
#include "diag.h"
#include "frontmatter.h"
#include "po.h"
#include "segment.h"
#include "site.h"

#include <stdbool.h>

/* Make the Material of PO translation sf from its source-language
 * material src: the body and title assembled from the PO entries, a unit
 * without a translated, non-fuzzy entry kept in the source language
 * (segment.h); the counts in out->po_*. PO errors and check failures
 * (translate_check_entries) are added to d. Returns false after errors. */
bool translate_po_material(Arena *a, const Config *cfg, const Material *src, const SourceFile *sf, Material *out,
                           Diags *d);

/* Every PO translation of scan as a Material appended to mats (n by
 * *n_mats, room for all of scan's files): after the Markdown files are
 * parsed. A PO file with a Markdown translation of the same material and
 * language, or without a source-language material, is an error. */
void translate_load_po(Arena *a, const Config *cfg, const ScanResult *scan, Material **mats, size_t *n_mats,
                       Diags *d);

/* The checks a translator's PO file must pass (the header's Language and
 * Plural-Forms for lang, and per translated entry: link targets and {…}
 * placeholders as in the msgid, no HTML the msgid lacks, no blank line,
 * msgstr[] count = nplurals), as errors at the entry's line in file.
 * Returns false after errors. */
bool translate_check_entries(const PoFile *po, const char *lang, const char *file, Diags *d);

/* The version of source file sf in the project's git history (root is
 * a git checkout) whose title and body have this fingerprint, parsed into
 * *out; *commit (may be NULL) gets its abbreviated hash. False when git
 * is absent, the project is not a checkout, or no version matches. */
bool translate_git_source(Arena *a, const char *root, const SourceFile *sf, const char *fingerprint, Material *out,
                          const char **commit);

/* The units of item's material in language l: c[0] total, c[1]
 * translated, c[2] fuzzy (a stale Markdown translation counts all its
 * units here), c[3] untranslated. Scratch allocations in a. */
void translate_unit_counts(Arena *a, const Item *it, size_t l, int c[4]);

/* msgmerge for one file: out gets an entry per unit of L (in order): an
 * exact match in old (may be NULL) keeps its translation; the entry that
 * stood in the unit's place with another Dutch text gives a fuzzy entry
 * with that text as prev_msgid; then old's unused translated entries as
 * obsolete. src_path names the Dutch file in "#:" references. */
void translate_merge(Arena *a, const SegList *L, const PoFile *old, const char *src_path, PoFile *out);

/* lobgen translate export|update|import: argv after "translate".
 * Returns the exit status (0, 1 after errors, 2 on usage errors). */
int translate_main(int argc, char **argv);

#endif
