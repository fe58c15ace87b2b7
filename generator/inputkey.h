/* The input keys of incremental builds (incremental.h): for each unit of
 * the site (a material's files, a part of a year's pack), a hash of
 * everything its files can show, made from the inputs before any Markdown
 * is parsed, so that an unchanged unit costs no rendering at all.
 *
 * What a material's files show, and so what its key holds:
 *  - the context of every page (input_context_key): lobgen.yaml, every
 *    configured language's locale file and glossary, the names of the
 *    block templates, SOURCE_DATE_EPOCH, the ICU version;
 *  - the material itself: its parsed source in every language (every
 *    field of Material: front matter, body, PO counts, file paths) and its
 *    translation state in each, whether a follow-up is missing;
 *  - the cards of the materials it prepares and follows, in every
 *    language, as the page shows them (input_card_key: the fields card(),
 *    pagedata.h, reads; a field a card starts to show must be added there,
 *    and tests/unit/test_cardkey.c changes each one);
 *  - its last change in every language (lastmod.h: the calendar files'
 *    DTSTAMP) and its audio in every language (audio.h).
 * The templates are not in the key: the manifest keeps the names each
 * page and each material's Markdown (block templates) asked for, and a
 * unit is reused only while they resolve to the same files.
 * A pack part's key holds the context, the year's size and the keys of
 * its materials in order; a list page's, the context and the cards it
 * lists (a feed also the build stamp and each entry's last change; a home
 * the stamp day, from which home_choose picks its cards; the sitemap each
 * material's languages).
 *
 * Anything a page shows that is missing here is a page left stale by an
 * incremental build: tests/golden/incremental.py compares them with full
 * builds after random edits of each kind. */
#ifndef LOBGEN_INPUTKEY_H
#define LOBGEN_INPUTKEY_H

#include "incremental.h"
#include "pagedata.h"

/* The key of what every page of the build shares. */
IncrKey input_context_key(const Build *b);

/* The key of how material item's card (card(), pagedata.h: what lists
 * and linking pages show of it) looks in language l: a hash of the fields
 * of the model the card shows (not of the card, which is not built); the
 * locale's strings and formats it shows are in the context key, which every
 * key that holds a card key holds too. a: unused. */
IncrKey input_card_key(const Build *b, Arena *a, size_t item, size_t l);

/* The key of material item's files, given the context key and the card
 * keys cards[i * nl + l] of every material (for those it links to). */
IncrKey input_item_key(const Build *b, size_t item, IncrKey context, const IncrKey *cards);

/* The key of part `part` of leerjaar n's pack, given the context key and
 * item_keys[i] of every material i (by its order). */
IncrKey input_pack_key(const Build *b, int n, size_t part, IncrKey context, const IncrKey *item_keys);

/* The unit name (in a) and key of a page made of the lists alone (home,
 * leerjaar, feed, sitemap, glossary, chooser, 404, an empty year's pack). */
const char *input_list_unit(Arena *a, const PageJob *j);
IncrKey input_list_key(const Build *b, const PageJob *j, IncrKey context, const IncrKey *cards);

#endif
