/* Ids for headings, glossary entries and anchors: one function makes a
 * slug from text, and one SlugSet per output page keeps every id on that
 * page unique (a print pack joins several materials; a bilingual handout
 * two texts). */
#ifndef LOBGEN_SLUG_H
#define LOBGEN_SLUG_H

#include "buf.h"

#include <stdbool.h>

/* The slug of text: lowercased (root locale), letters and digits of any
 * script kept, word-inner marks kept, every other run as one '-', no '-'
 * at either end; "sectie" when nothing is left. Arena-owned. */
char *slug_from_text(Arena *a, const char *text);

typedef struct {
    const char *key;
    int next_suffix;
} SlugSlot;

/* The ids taken on one page. Start with SLUGSET_INIT(arena); free the
 * table with slugset_free (strings stay in the arena). */
typedef struct {
    Arena *a;
    SlugSlot *slots; /* open addressing, power-of-two size */
    size_t cap, len;
} SlugSet;

#define SLUGSET_INIT(arena) {(arena), NULL, 0, 0}

/* Mark id as taken (a template's own id, an anchor). id must outlive s. */
void slugset_take(SlugSet *s, const char *id);
/* True when id is taken. */
bool slugset_has(SlugSet *s, const char *id);
/* base if it is free, else base-2, base-3, ... (the first free one);
 * the result is taken. base must outlive s (the result may be base
 * itself; others are allocated in s's arena). Linear in the number of
 * equal bases overall. */
const char *slugset_unique(SlugSet *s, const char *base);
void slugset_free(SlugSet *s);

/* Ids templates/layout.mustache gives its own elements (the skip link's
 * target): taken first on every page built on the layout, so a heading or
 * glossary term "Inhoud" gets inhoud-2. */
extern const char *const slug_layout_ids[];
extern const size_t slug_n_layout_ids;
/* Take every layout id in s. */
void slugset_take_layout(SlugSet *s);

#endif
