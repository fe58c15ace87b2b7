/* The page-data model: the values every template gets, as docs/templates.md
 * documents them, built once per build (per language, per material) and
 * then per page by one function for each kind of page. Internal to the
 * render stage: render.c runs the stages, the page_* functions fill a
 * page's data and write it. Everything is arena-owned. */
#ifndef LOBGEN_PAGEDATA_H
#define LOBGEN_PAGEDATA_H

#include "markdown.h"
#include "render.h"
#include "value.h"

/* ---- the shared state of one build ------------------------------------ */

typedef struct {
    MdDoc web;   /* with glossary links */
    MdDoc print; /* without: links mean nothing on paper */
    Value *blocks; /* of the print doc: name -> list of {items} in order (print_pair_blocks) */
    bool ok;
} Docs;

typedef struct {
    const RenderInput *in;
    size_t nl;
    Arena *a;            /* everything built before the page stage */
    Value **base;        /* [nl] site, lang, t, nav: shared by every page of a language */
    Value **t;           /* [nl] interface strings */
    Docs **docs;         /* [n_items][nl]: docs of the file shown in that language */
    Value ***cards;      /* [n_items][nl]: the material as shown in lists */
    Value ***material;   /* [n_items][nl]: the material page's "page" map */
    Value ***qr;         /* [n_items][nl]: the handouts' QR code (SVG) */
    struct QrCache *qrc; /* where qr comes from (qrcache.h) */
    MdTerm **terms;      /* [nl] glossary terms, linked from material pages */
    size_t *n_terms;
    Value *(*lj_label)[5];   /* [nl][1..4] "Leerjaar 2" in each language */
    Value *(*lj_intro)[5];
    Value *(*lj_count)[5];   /* "3 materialen" */
    Item **year[5];      /* [1..4] leerjaar n's materials in the year's order (site_leerjaar) */
    size_t n_year[5];
    Item **feed;         /* every material, newest first (feed.c); n_items long */
    const char *stamp_iso; /* build stamp, 2000-01-01T00:00:00Z form */
    const char *stamp_ics;
    const char *base_path; /* path part of base_url, ending in '/' */
} Build;


/* ---- pages ---------------------------------------------------------------- */

typedef enum {
    PG_CHOOSER, PG_404, PG_SITEMAP, PG_HOME, PG_LEERJAAR, PG_PACK, PG_FEED, PG_GLOSSARY,
    PG_MATERIAL, PG_HANDOUT, PG_BILINGUAL, PG_ANNOUNCE, PG_ICS
} PageKind;

typedef struct {
    PageKind kind;
    size_t l;
    size_t item; /* material pages */
    int n;       /* leerjaar pages */
} PageJob;

typedef struct {
    Build *b;
    PageJob *jobs;
    size_t n_jobs;
    Writer *w;
} PageStage;

/* ---- helpers shared by the page functions ------------------------------- */

/* Sort the lists pages show materials in, once per build, not once per
 * page and language (their order is the same in every language): b->year
 * and b->feed, in b->a. Call before the page stage. */
void build_orders(Build *b);
/* Every material of the site, newest first (by date or deadline, then the
 * year's line), in a; n_items long. feed.c. */
Item **feed_order(const Build *b, Arena *a);

/* BCP 47 tag of language l. */
const char *lang_tag(const Build *b, size_t l);
/* Interface string key in language l (source language as fallback; the key itself when missing). */
const char *T(const Build *b, size_t l, const char *key);
/* The notice after a unit a PO translation shows in the source language:
 * HTML (arena-owned) with the reader's language's "not translated yet". */
const char *untranslated_mark(const Build *b, Arena *a, size_t l);
/* fmt with {name} filled in, as a string value in a. */
Value *fill1(Arena *a, const char *fmt, const char *name, const char *val);
/* Interface string key with {n} filled in as a number in language l's digits. */
Value *fill_n(const Build *b, Arena *a, size_t l, const char *key, long n);
/* "lang/kind/slug": a material's folder relative to the site root. */
const char *material_dir(Arena *a, const char *lang, const Item *it);
/* base_url/rel/: an absolute URL of a folder page. */
const char *abs_url(const Build *b, Arena *a, const char *rel);
/* "../" repeated depth times (0..4). Static storage. */
const char *up(int depth);
/* lang: {code, name, dir, rtl, source, reviewed}. */
Value *lang_value(const Build *b, Arena *a, size_t l);
/* t: every interface string in language l. */
Value *strings_value(const Build *b, Arena *a, size_t l);
/* The leerjaar navigation of a page at depth; current = 1..4 or 0. */
Value *leerjaren_nav(const Build *b, Arena *a, size_t l, int depth, int current);
/* A date in language l's long or short form, or NULL when dt is unset. */
const char *date_text(const Build *b, Arena *a, size_t l, const Date *dt, DateStyle st);
/* The same date for <time datetime> ("2026-11-19", "2026-11-19T19:00"), in
 * arena a; NULL when dt is unset. */
const char *date_iso(Arena *a, const Date *dt);
const char *kind_label_key(Kind k);
/* The material as it appears in lists of language l. */
Value *card(const Build *b, Arena *a, size_t item, size_t l);
/* A card copied with its url relative to a page at depth. */
Value *card_at(Arena *a, Value *card, int depth);
/* Cards of items[0..n) for a page at depth. */
Value *links(const Build *b, Arena *a, Item **items, size_t n, size_t l, int depth);
/* Fill b->material[item][l], the material page's "page" map. */
void material_data(Build *b, size_t item, size_t l);
/* languages (the switcher) and alternates (hreflang) of a page. */
void add_languages(const Build *b, Arena *a, Value *root, size_t l, int depth, const char *const *rel,
                   const bool *real, const char *file);
/* The data every HTML page starts from. */
Value *page_root(const Build *b, Arena *a, size_t l, int depth, int leerjaar);
/* Render template tpl with data into out and write it to rel; errors go to d. */
void emit(PageStage *st, const char *rel, const Value *data, const char *tpl, size_t l, int leerjaar, Buf *out,
          Diags *d);
/* "lang/suffix" (or "lang") for every language. */
const char **same_rel(const Build *b, Arena *a, const char *suffix);
/* true for every language. */
bool *all_real(const Build *b, Arena *a);
/* The cards of leerjaar n with their links, for a page at depth; *count = how many. */
Value *year_items(const Build *b, Arena *a, size_t l, int n, int depth, size_t *count);

/* The page root of leerjaar page j, for the file named file, with "year"
 * set (returned through *year_out) and the folder "leerjaar-N" in *sub_out. */
Value *year_page_root(PageStage *st, const PageJob *j, Arena *a, const char *file, Value **year_out,
                      const char **sub_out);
/* The page root of material page j, for the file named file in its folder,
 * with "page" set; *rel_out[k] is the folder in language k, *real_out[k]
 * whether language k has its own version. */
Value *material_page_root(PageStage *st, const PageJob *j, Arena *a, const char *file, const char ***rel_out,
                          bool **real_out);
/* The language whose text is shown for item in language l (l, or the
 * source language where l has no translation). */
size_t shown_lang(const Build *b, size_t item, size_t l);
/* The first leerjaar of a material (for leerjaar-specific templates), or 0. */
int material_leerjaar(const Build *b, size_t item);

/* ---- one function per kind of page: fill its data, render, write ---------- */

typedef void PageFn(PageStage *st, const PageJob *j, Arena *a, Buf *out, Diags *d);

PageFn page_chooser;  /* pagedata.c: index.html and 404.html */
PageFn page_home;     /* pagedata.c: LANG/index.html */
PageFn page_leerjaar; /* pagedata.c: LANG/leerjaar-N/index.html */
PageFn page_material; /* pagedata.c: LANG/KIND/SLUG/index.html */
PageFn page_glossary; /* pagedata.c: LANG/woordenlijst/index.html */
PageFn page_pack;      /* print_pages.c: LANG/leerjaar-N/handouts.html */
PageFn page_handout;   /* print_pages.c: LANG/KIND/SLUG/handout.html */
PageFn page_bilingual; /* print_pages.c: LANG/KIND/SLUG/handout-nl.html */
PageFn page_feed;     /* feed.c: LANG/feed.xml (Atom) */
PageFn page_sitemap;  /* sitemap.c: sitemap.xml */
PageFn page_announce; /* announce.c: aankondiging.txt */
PageFn page_ics;      /* calendar.c: agenda.ics (RFC 5545) */

#endif
