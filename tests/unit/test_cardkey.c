/* A card's input key (inputkey.c: input_card_key) hashes the fields the
 * card shows rather than the card itself (card(), pagedata.c), so that an
 * incremental build need not build every card to find the few that
 * changed. The rule it must keep: whenever the card a list or a linking
 * page shows changes, so does its key (else that page stays stale). Each
 * field the card shows is changed here, one at a time, in the source
 * language and in a translation; the card must change (else the check
 * proves nothing) and so must the key. A change the card does not show (a
 * sentence added to the body) leaves the key as it was: pages that link to
 * the material are not made again for it. */
#include "check.h"
#include "incremental.h"
#include "inputkey.h"
#include "locale.h"
#include "pagedata.h"

#include <stdlib.h>
#include <string.h>

enum { NL = 2 };

static IncrKey card_hash(const Build *b, Arena *a, size_t l)
{
    IncrHash *h = incr_hash_new();
    incr_hash_value(h, card(b, a, 0, l));
    return incr_hash_done(h);
}

static bool same_key(IncrKey x, IncrKey y) { return x.lo == y.lo && x.hi == y.hi; }

typedef struct {
    Build b;
    Arena *a;
    Item *it;
    Material *src, *tr;
    IncrKey shown[NL], key[NL];
} Fix;

/* what render_site makes before any card: the values cards share, each
 * distinct date in each language (card_dates) */
static void facts(Fix *f)
{
    card_shared_new(&f->b);
    card_dates(&f->b);
    for (size_t l = 0; l < NL; l++)
        card_date_job(&f->b, l, f->a, NULL);
}

static void snap(Fix *f)
{
    facts(f);
    for (size_t l = 0; l < NL; l++) {
        f->shown[l] = card_hash(&f->b, f->a, l);
        f->key[l] = input_card_key(&f->b, f->a, 0, l);
    }
}

/* after a change: the card of language l changed, and its key with it */
static void expect_change(Fix *f, const char *what, size_t l)
{
    IncrKey before = f->shown[l], kb = f->key[l];
    snap(f);
    char name[160];
    snprintf(name, sizeof name, "%s: the card shows it (language %zu)", what, l);
    CHECK(name, !same_key(before, f->shown[l]), "");
    snprintf(name, sizeof name, "%s: the card's key changes (language %zu)", what, l);
    CHECK(name, !same_key(kb, f->key[l]), "");
}

int main(void)
{
    CHECK_SUITE("card key");
    Arena *a = arena_new();
    Diags d = DIAGS_INIT;
    static LangConfig langs[NL] = {{"nl", NULL}, {"ar", NULL}};
    Config cfg = {.title = "t", .school = "s", .base_url = "https://school.example", .langs = langs, .n_langs = NL};
    Locale *loc[NL] = {locale_load(a, ".", "nl", &d), locale_load(a, ".", "ar", &d)};
    CHECK("the locales load", loc[0] && loc[1] && diags_count(&d, DIAG_ERROR) == 0, "");

    SourceFile sf_nl = {"content/thuisopdrachten/pan.nl.md", "./content/thuisopdrachten/pan.nl.md", KIND_THUISOPDRACHT,
                        "pan", "nl", 0, false, false, 0};
    SourceFile sf_ar = {"content/thuisopdrachten/pan.ar.md", "./content/thuisopdrachten/pan.ar.md", KIND_THUISOPDRACHT,
                        "pan", "ar", 1, false, false, 0};
    Material src = {0}, tr = {0};
    src.src = &sf_nl;
    src.title = "Samen koken";
    src.summary = "Een gerecht van thuis";
    src.week = 5;
    src.date = (Date){2026, 11, 19, 0, 0, 0, false, 4, 7};
    tr.src = &sf_ar;
    tr.title = "الطبخ معا";
    tr.is_translation = true;
    tr.tr_reviewed = true;
    Material *by_lang[NL] = {&src, &tr};
    TrState state[NL] = {TR_SOURCE, TR_CURRENT};
    Item item = {.kind = KIND_THUISOPDRACHT, .slug = "pan", .key = "thuisopdrachten/pan", .source = &src,
                 .by_lang = by_lang, .state = state};
    Item *items[1] = {&item};
    Site site = {.cfg = &cfg, .items = items, .n_items = 1, .by_key = items};
    RenderInput in = {.root = ".", .cfg = &cfg, .site = &site, .locales = loc, .epoch = -1};
    Value *(*weeks)[53] = arena_alloc(a, NL * sizeof *weeks);
    for (size_t l = 0; l < NL; l++)
        for (int w = 1; w <= 52; w++)
            weeks[l][w] = value_str(a, arena_printf(a, "%s week %d", langs[l].tag, w));
    Fix f = {.b = {.in = &in, .nl = NL, .a = a, .week_label = weeks}, .a = a, .it = &item, .src = &src,
             .tr = &tr};
    snap(&f);

    src.title = "Samen bakken";
    expect_change(&f, "the Dutch title", 0);
    tr.title = "الخبز معا";
    expect_change(&f, "the translated title", 1);
    src.summary = "Een gerecht van vroeger";
    expect_change(&f, "the Dutch summary", 0);
    tr.summary = "ملخص";
    expect_change(&f, "a translated summary added", 1);
    /* a title or summary left as the Dutch is marked Dutch: that follows
     * from the Dutch text too, which may change while the translation's
     * stays as it was */
    src.title = "Samen bakken met uw kind";
    expect_change(&f, "a longer Dutch title", 0);
    tr.title = "Samen bakken met uw kind";
    expect_change(&f, "the translation's title left as the Dutch title", 1);
    src.title = "Samen koken met uw kind";
    expect_change(&f, "the Dutch title changed, the translation's left as it was", 1);
    tr.summary = "Een gerecht van vroeger";
    expect_change(&f, "the translation's summary left as the Dutch summary", 1);
    src.summary = "Een gerecht van thuis";
    expect_change(&f, "the Dutch summary changed, the translation's left as it was", 1);
    src.date.d = 20;
    expect_change(&f, "the date's day", 0);
    src.date.has_time = true;
    src.date.hour = 19;
    expect_change(&f, "a time added to the date", 1);
    src.deadline = (Date){2026, 12, 1, 0, 0, 0, false, 5, 11};
    expect_change(&f, "a deadline added", 0);
    src.deadline.m = 11;
    expect_change(&f, "the deadline's month", 1);
    src.week = 6;
    expect_change(&f, "the week", 0);
    item.needs_followup = true;
    expect_change(&f, "needs a follow-up", 1);
    tr.tr_reviewed = false;
    expect_change(&f, "the translation marked not reviewed", 1);
    tr.n_source_text = 2;
    expect_change(&f, "a Markdown translation with units left in Dutch", 1);
    tr.n_source_text = 0;
    expect_change(&f, "... all translated again", 1);
    state[1] = TR_STALE;
    expect_change(&f, "the translation stale", 1);
    sf_ar.is_po = true;
    tr.po_units = 10;
    tr.po_translated = 4;
    expect_change(&f, "a PO translation partly done", 1);
    tr.po_translated = 10;
    expect_change(&f, "the PO translation done", 1);
    item.slug = "pannenkoek";
    expect_change(&f, "the slug", 0);
    item.kind = KIND_GESPREK;
    expect_change(&f, "the kind", 1);
    by_lang[1] = NULL;
    state[1] = TR_MISSING;
    expect_change(&f, "the translation removed", 1);

    /* what the card does not show */
    IncrKey k0 = f.key[0], k1 = f.key[1], s0 = f.shown[0];
    src.body_hash ^= 1;
    src.body_len += 12;
    src.title_line = 9;
    src.date.line = 8;
    snap(&f);
    CHECK("a body edit and moved lines: the card is the same", same_key(s0, f.shown[0]), "");
    CHECK("... and so are its keys (linking pages are not made again)", same_key(k0, f.key[0]) && same_key(k1, f.key[1]),
          "");

    diags_free(&d);
    for (size_t l = 0; l < NL; l++)
        locale_free(loc[l]);
    arena_free(a);
    CHECK_DONE();
}
