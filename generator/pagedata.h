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
    Arena *a;            /* everything kept for the whole build */
    Value **base;        /* [nl] site, lang, t, nav: shared by every page of a language */
    Value **t;           /* [nl] interface strings */
    /* What lists need beyond the site model: the dates in the reader's
     * words (ICU formatting is the dear part of a card), each distinct
     * date or deadline of the site once per language, not once per
     * material (a school year has a few hundred; 16 bytes a material and
     * language kept to the end at 100,000 x 8 was 100 MB): card_dates */
    Date *dates;         /* the distinct dates and deadlines, sorted (date_text_cmp) */
    size_t n_dates;
    const char **date_texts; /* [nl * n_dates]: dates[k] in language l's long form at l * n_dates + k */
    Value *(*week_label)[53]; /* [nl][1..52] "Week 5" in each language */
    Value *(*root)[4][5]; /* [nl][depth 0..3][leerjaar 0..4]: page_root's shared part, or NULL */
    Item **year[5];      /* [1..4] the items of each leerjaar in the year's order (site_leerjaar) */
    size_t year_n[5];
    Item **home[5];      /* [1..4] the few of each year the home pages show (home_choose) */
    size_t home_n[5];
    /* The slots below are filled by a material's own job (render.c) and
     * cleared when its pages and the pack parts it is in are written:
     * only the materials in flight hold their rendered documents. */
    Docs **docs;         /* [n_items] -> [nl]: docs of the file shown in that language; NULL unless in flight */
    Value ***material;   /* [n_items] -> [nl]: the material page's "page" map; NULL unless in flight */
    struct MaterialLangs **mlangs; /* [n_items]: material_langs_new, NULL unless in flight */
    char **qr_svg;       /* [n_items * nl]: the handouts' QR code (SVG), made on first use (qr_of); malloc'ed */
    struct QrCache *qrc; /* where qr_svg comes from (qrcache.h) */
    MdTerm **terms;      /* [nl] glossary terms, linked from material pages */
    size_t *n_terms;
    Value *(*lj_label)[5];   /* [nl][1..4] "Leerjaar 2" in each language */
    Value *(*lj_intro)[5];
    Value *(*lj_count)[5];   /* "3 materialen" */
    Item **feed;         /* every material, newest first (feed.c); n_items long */
    long long *item_time;  /* [n_items * nl]: lastmod_items of each material, or NULL */
    Date stamp;            /* the build stamp (render_site): SOURCE_DATE_EPOCH, else the content's last change */
    const char *stamp_iso; /* build stamp, 2000-01-01T00:00:00Z form */
    const char *stamp_ics;
    const char *base_path; /* path part of base_url, ending in '/' */
    struct IncrMemo *memo; /* the shared parts of root, hashed once for page keys (incremental.h), or NULL */
    struct CardShared *card_shared; /* [nl]: card_shared_new */
} Build;

/* The values every card of a language has in common (its kind's name and
 * label, the language's tag and direction), made once per language: a list
 * page of 100,000 cards made them 100,000 times (values are never changed
 * in place, so cards can share them). */
typedef struct CardShared {
    Value *kind[KIND_COUNT], *kind_label[KIND_COUNT];
    Value *lang, *dir; /* the language's tag and "rtl" or "ltr" */
} CardShared;
/* b->card_shared for every language, in b->a; after b->t is set. */
void card_shared_new(Build *b);


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
    size_t part; /* packs: 0-based part of the year's pack (PACK_PART_SIZE handouts each);
                    leerjaar pages: 0-based page (yearpage.h) */
} PageJob;

/* Handouts per file of a year's pack: a pack of a large library is cut
 * into parts a browser can print (handouts.html, handouts-2.html, ...). */
enum { PACK_PART_SIZE = 100 };

typedef struct {
    Build *b;
    PageJob *jobs;
    size_t n_jobs;
    Writer *w;
} PageStage;

/* ---- helpers shared by the page functions ------------------------------- */

/* Sort the lists pages show materials in, once per build, not once per
 * page and language (their order is the same in every language): b->year,
 * b->home (home.h, from b->stamp) and b->feed, in b->a. Call before the
 * page stage, after b->stamp is set. */
void build_orders(Build *b);
/* Every material of the site, newest first (by date or deadline, then the
 * year's line), in a; n_items long. feed.c. */
Item **feed_order(const Build *b, Arena *a);

/* When what the reader of language l sees of material item last changed
 * (lastmod_items), or -1 when unknown. */
long long item_lastmod(const Build *b, size_t item, size_t l);
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
/* The leerjaar navigation of a page at depth in language l: a list of
 * {n, label, url, current, current_section} in a. section = 1..4, the
 * leerjaar the page belongs to, or 0; is_its_page: the page is that
 * leerjaar's own page (the link's target), which gets current
 * (aria-current="page"); any other page in it gets current_section
 * (aria-current="true", WAI-ARIA 1.2). */
Value *leerjaren_nav(const Build *b, Arena *a, size_t l, int depth, int section, bool is_its_page);
/* A date in language l's long or short form, or NULL when dt is unset. */
const char *date_text(const Build *b, Arena *a, size_t l, const Date *dt, DateStyle st);
/* The same date for <time datetime> ("2026-11-19", "2026-11-19T19:00"), in
 * arena a; NULL when dt is unset. */
const char *date_iso(Arena *a, const Date *dt);
const char *kind_label_key(Kind k);
/* The material as it appears in lists of language l, built in a from the
 * site model and b->date_texts. */
Value *card(const Build *b, Arena *a, size_t item, size_t l);
/* Collect the distinct dates and deadlines of the site's materials into
 * b->dates (in b->a); b->date_texts is then filled by card_date_job. */
void card_dates(Build *b);
/* Format b->dates in language l into b->date_texts (in arena a, which must
 * live as long as b): a job of run_parallel over the languages. */
void card_date_job(void *ctx, size_t l, Arena *a, Diags *d);
/* dt in language l's long form, from b->date_texts; NULL when dt is unset. */
const char *card_date_text(const Build *b, size_t l, const Date *dt);
/* The absolute URL of a material's page in language l, as a string value in a. */
Value *material_url_abs(const Build *b, Arena *a, size_t item, size_t l);
/* A card copied with its url relative to a page at depth. */
Value *card_at(Arena *a, Value *card, int depth);
/* Cards of items[0..n) for a page at depth; with n 0 a shared empty list
 * (never to be pushed to). */
Value *links(const Build *b, Arena *a, Item **items, size_t n, size_t l, int depth);
/* Fill b->material[item][l], the material page's "page" map, in arena a;
 * needs b->docs[item] of the language shown. */
void material_data(Build *b, Arena *a, size_t item, size_t l);
/* languages (the switcher) and alternates (hreflang) of a page. */
void add_languages(const Build *b, Arena *a, Value *root, size_t l, int depth, const char *const *rel,
                   const bool *real, const char *file);
/* The data every HTML page starts from: a copy of b->root[l][depth][leerjaar]
 * (its values shared: set new ones, never change them in place). */
Value *page_root(const Build *b, Arena *a, size_t l, int depth, int leerjaar);
enum { ROOT_DEPTHS = 4 };
/* The same built afresh (for b->root). */
Value *page_root_new(const Build *b, Arena *a, size_t l, int depth, int leerjaar);
/* A shallow copy of map with room for extra more keys (keys and values shared). */
Value *map_clone(Arena *a, const Value *map, size_t extra);
/* Render template tpl with data into out and write it to rel; errors go to d. */
void emit(PageStage *st, const char *rel, const Value *data, const char *tpl, size_t l, int leerjaar, Buf *out,
          Diags *d);
/* emit, for a page with values it needs only when it is rendered, not when
 * an incremental build reuses it (incremental.h): fill(ctx) adds them
 * to data after the reuse check. What fill adds must follow from the data
 * already there (the page key is made without it): the QR code follows
 * from url_abs and t.scan_qr. */
void emit_filled(PageStage *st, const char *rel, const Value *data, const char *tpl, size_t l, int leerjaar,
                 Buf *out, Diags *d, void (*fill)(void *ctx), void *ctx);
/* Write a file made without a template (a calendar file, an
 * announcement) to rel, noted for incremental builds as part of the unit
 * being rendered (incremental.h). False after an error in d. */
bool emit_file(PageStage *st, const char *rel, const char *data, size_t len, Diags *d);
/* The handouts' QR code of material item in language l (its url_abs, with
 * t.scan_qr under it): made on first use, once, from any thread; owned by b. */
const char *qr_of(Build *b, size_t item, size_t l);
/* "lang/suffix" (or "lang") for every language. */
const char **same_rel(const Build *b, Arena *a, const char *suffix);
/* true for every language. */
bool *all_real(const Build *b, Arena *a);
/* The cards of leerjaar n with their links, for a page at depth; *count = how many. */
Value *year_items(const Build *b, Arena *a, size_t l, int n, int depth, size_t *count);
/* The same for items[0..count). */
Value *year_cards(const Build *b, Arena *a, size_t l, Item **items, size_t count, int depth);
/* How many parts a pack of count handouts has (at least 1), and the
 * handouts [*k0, *k1) of part (0-based) in the year's order. */
size_t pack_parts(size_t count);
void pack_part_range(size_t count, size_t part, size_t *k0, size_t *k1);
/* The file name of a pack's part: handouts.html, handouts-2.html, ... (static or in a). */
const char *pack_file(Arena *a, size_t part);

/* The page root of leerjaar page j (its page j->part, yearpage.h) or of its
 * pack's part j->part, for the file named file, with "year" set (returned
 * through *year_out) and the folder "leerjaar-N" in *sub_out. */
Value *year_page_root(PageStage *st, const PageJob *j, Arena *a, const char *file, Value **year_out,
                      const char **sub_out);
/* The parts of a material's pages that are the same in every language of
 * it: its folder and whether it has its own version in each language, the
 * hreflang alternates, and the switchers of its web page, handout and
 * bilingual handout (their entries made twice per language: current or not).
 * Shared by the pages, never changed in place. */
typedef struct MaterialLangs {
    const char **rel;     /* [nl] folder in language k */
    bool *real;           /* [nl] language k has its own version */
    Value *alternates;    /* the list add_languages makes: the same for each page */
    Value **languages[3]; /* [MF_*] -> [nl]: the switcher of the page in language l */
} MaterialLangs;
enum { MF_INDEX, MF_HANDOUT, MF_BILINGUAL };
/* Fill b->mlangs[item] in a (the material's arena, which must outlive its
 * pages); material_page_root uses it, byte for byte what it built per page. */
void material_langs_new(Build *b, Arena *a, size_t item);
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
PageFn page_home;     /* home.c: LANG/index.html */
PageFn page_leerjaar; /* yearpage.c: LANG/leerjaar-N/index.html, pagina-2.html, ... */
PageFn page_material; /* pagedata.c: LANG/KIND/SLUG/index.html */
PageFn page_glossary; /* pagedata.c: LANG/woordenlijst/index.html */
/* Set y.part and y.parts (the links between a pack's parts) when there are several parts. */
void pack_part_links(const Build *b, Arena *a, size_t l, Value *y, size_t part, size_t parts);
PageFn page_pack;      /* print_pages.c: LANG/leerjaar-N/handouts.html */
PageFn page_handout;   /* print_pages.c: LANG/KIND/SLUG/handout.html */
PageFn page_bilingual; /* print_pages.c: LANG/KIND/SLUG/handout-nl.html */
PageFn page_feed;     /* feed.c: LANG/feed.xml (Atom) */
PageFn page_sitemap;  /* sitemap.c: sitemap.xml */
PageFn page_announce; /* announce.c: aankondiging.txt */
PageFn page_ics;      /* calendar.c: agenda.ics (RFC 5545) */

#endif
