/* lobgen status --diff: what changed in the Dutch text since a
 * translation was made, unit by unit, as a word-level diff. */
#ifndef LOBGEN_TRDIFF_H
#define LOBGEN_TRDIFF_H

#include "diag.h"

#include <stdbool.h>
#include <stdio.h>

/* Report on out (text, or JSON with json) the Dutch changes behind the
 * translation file (a project path or one relative to the current
 * folder; Markdown or PO) of the project at root. The old Dutch comes
 * from git history (the version whose fingerprint is the translation's
 * source) for Markdown, from the entries' "#| msgid" (after an in-memory
 * translate update) for PO. Returns false after errors (no such
 * translation, the project does not load). */
bool trdiff_report(const char *root, const char *file, bool json, FILE *out, Diags *d);

#endif
