/* Plain text for a right-to-left reader (UAX #9). A plain-text message
 * (the announcement, a calendar entry) has no markup to say which runs are
 * left-to-right, so a messaging app orders a URL, a Dutch title, a number
 * in Latin digits or a Latin word inside an Arabic sentence by the
 * bidirectional algorithm alone: "https://x.nl/ar/" shows as
 * "/https://x.nl/ar", "3 dagen" as "dagen 3". Each such run is put between
 * FIRST STRONG ISOLATE (U+2068) and POP DIRECTIONAL ISOLATE (U+2069), so it
 * is laid out on its own, in its own order, and no longer decides the
 * paragraph's direction (P2 skips isolates). Text already inside an
 * isolate is never wrapped again. */
#ifndef LOBGEN_BIDI_H
#define LOBGEN_BIDI_H

#include "buf.h"

#include <stdbool.h>

/* Append UTF-8 text s (n bytes) to out with every left-to-right run outside
 * an existing isolate wrapped in FSI ... PDI. A run starts and ends at a
 * left-to-right letter or a European digit (bidi classes L, EN) and holds no
 * right-to-left letter, Arabic digit or paragraph break; it takes in the
 * rest of its word ("+31", "x.nl/ar/"), but not the sentence's punctuation
 * after it ("teamleider." keeps its full stop outside, as GFM's autolinks
 * do) nor an opening bracket or quote before it. */
void bidi_isolate_ltr_runs(const char *s, size_t n, Buf *out);

/* A value put into a right-to-left message, as one isolate: a value whose
 * first strong letter is right-to-left (a translated title) gets its own
 * left-to-right runs isolated first; any other (a Dutch title, a URL, a
 * date) is isolated whole. "" stays "". Allocated in a. */
const char *bidi_isolate_value(Arena *a, const char *v);

/* A whole plain-text field of a right-to-left reader (a calendar entry's
 * summary): text that starts right-to-left gets its left-to-right runs
 * isolated; other text (a Dutch title shown untranslated) is returned as
 * it is, a left-to-right paragraph of its own. Allocated in a, or v. */
const char *bidi_rtl_text(Arena *a, const char *v);

/* True when the first strong letter of v outside isolates is right-to-left
 * (bidi class R or AL). */
bool bidi_starts_rtl(const char *v);

#endif
