/* The site model: materials grouped across languages, their translation
 * state, and the year's line (prepares/follows) checked both ways. */
#ifndef LOBGEN_SITE_H
#define LOBGEN_SITE_H

#include "config.h"
#include "diag.h"
#include "frontmatter.h"
#include "scan.h"

#include <stdbool.h>

typedef enum {
    TR_SOURCE,     /* the Dutch original */
    TR_CURRENT,    /* a translation made from the current Dutch text */
    TR_STALE,      /* a translation made from an older Dutch text */
    TR_MISSING     /* no translation: the page shows the Dutch text */
} TrState;

typedef struct Item Item;

struct Item {
    Kind kind;
    const char *slug;
    const char *key;        /* "kind/slug" */
    Material *source;       /* the source-language file */
    Material **by_lang;     /* [n_langs]; NULL where there is no file */
    TrState *state;         /* [n_langs] */
    /* [n_langs], or NULL when there is none: a Markdown translation whose
     * every unit is still the source's text (site_build), which counts as
     * missing and is not published (by_lang NULL) */
    Material **untranslated;
    /* [n_langs], or NULL when there is none: a translation left out because
     * it is marked draft: true (counts as missing; status names the file) */
    Material **drafts;
    char fingerprint[17];   /* of the source title and body */
    Item **prepares, **follows; /* resolved, published only */
    size_t n_prepares, n_follows;
    size_t cap_prepares, cap_follows; /* allocated (arena) */
    bool needs_followup;    /* a thuisopdracht that no gesprek or ouderavond follows up */
    int order;              /* position in the year's line (week, then kind, then slug) */
};

typedef struct {
    const Config *cfg;
    Item **items;           /* published items, sorted by week, kind, slug */
    size_t n_items;
    Item **by_key;          /* the same n_items, sorted by kind and slug (site_find) */
} Site;

/* Group materials (all languages) into items; drafts are left out unless
 * drafts is true (a translation marked draft counts as missing); check translations against their source and the references
 * both ways. Errors: a translation without a source-language file, a
 * translation: key in a source file, a reference to nothing. Warnings:
 * a cycle in the line, a follows whose target comes later in the year, a
 * title or summary of SEG_MIN_WORDS words or more left as the source's.
 * A published Markdown translation's units (Material.unit_hash) that are
 * still its source's text word for word are counted in n_source_text (the
 * caller reports them where they stand); when that is every unit, the
 * translation counts as missing (Item.untranslated).
 * Returns false after errors. */
bool site_build(Arena *a, const Config *cfg, Material **mats, size_t n, bool drafts, Site *out,
                Diags *d);

/* Whether translation m's title or summary is its source src's text word
 * for word, so that a reader sees Dutch where the page's language is
 * expected: in a Markdown file when it has SEG_MIN_WORDS words or more (a
 * shorter one may be a name, rightly left as it is; the rule of
 * site_build's warning and of the body's units), in a PO file always (an
 * entry not translated shows the source's text). False when either has no
 * such field. Pages mark such a text lang="nl" (pagedata.c, title_lang). */
typedef enum { SITE_TITLE, SITE_SUMMARY } SiteField;
bool site_field_is_source(const Material *m, const Material *src, SiteField f);

/* The fingerprint of a source text: 16 hex digits of a hash of the title
 * and the body with line ends and trailing blanks normalised. */
void site_fingerprint(const char *title, const char *body, char out[17]);

/* Items of leerjaar n in the year's order; count in *count. */
Item **site_leerjaar(Arena *a, const Site *s, int n, size_t *count);
/* The published item of that kind and slug, or NULL; O(log n). */
Item *site_find(const Site *s, Kind kind, const char *slug);

#endif
