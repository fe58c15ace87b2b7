/* B1 readability checks for parents: sentences longer than 20 words and
 * the share of long words, reported as warnings with file:line so that
 * coordinators can keep to plain language. */
#ifndef LOBGEN_READABILITY_H
#define LOBGEN_READABILITY_H

#include "diag.h"
#include "frontmatter.h"

#define READ_MAX_WORDS 20       /* words in one sentence */
#define READ_LONG_WORD 15       /* letters that make a word long */
#define READ_MAX_LONG_SHARE 6.0 /* percent of long words in a text */

/* Check a source-language material's title, summary and body. */
void readability_check(const Material *m, Diags *d);

#endif
