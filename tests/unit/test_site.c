/* The site model: fingerprints, translation states, drafts, the year's line
 * (prepares/follows) with its errors and warnings, and the year's order. */
#include "check.h"
#include "check_diags.h"
#include "site.h"

#include <stdlib.h>
#include <string.h>

static LangConfig LANGS[] = {{"nl", NULL}, {"tr", NULL}, {"ar", NULL}, {"pl", NULL}};
static const Config CFG = {.file = "lobgen.yaml",
                           .title = "LOB",
                           .school = "School",
                           .base_url = "https://lob.example.nl",
                           .langs = LANGS,
                           .n_langs = 4};

/* A set of materials being put together for one site_build. */
typedef struct {
    Arena *a;
    Material *m[32];
    size_t n;
    Diags d;
    Site s;
    bool ok;
} Lib;

static Lib lib_new(void) { return (Lib){.a = arena_new(), .d = DIAGS_INIT}; }

static void lib_free(Lib *l)
{
    diags_free(&l->d);
    arena_free(l->a);
}


/* Parse text as content/<kind>/<slug>.<lang>.md and add it to the library. */
static Material *add(Lib *l, Kind kind, const char *slug, const char *lang, const char *text)
{
    SourceFile *src = arena_alloc(l->a, sizeof *src);
    src->kind = kind;
    src->slug = slug;
    src->lang = lang;
    src->lang_index = config_lang_index(&CFG, lang);
    src->path = arena_printf(l->a, "content/%s/%s.%s.md", kind_names[kind], slug, lang);
    src->abs = src->path;
    Material *m = arena_alloc(l->a, sizeof *m);
    Diags d = DIAGS_INIT;
    if (!frontmatter_parse(l->a, src, text, strlen(text), m, &d)) {
        printf("FAIL setup: %s does not parse:\n", src->path);
        dump(&d);
        exit(2);
    }
    diags_free(&d);
    l->m[l->n++] = m;
    return m;
}

/* A minimal source text with extra front matter lines. */
static const char *src_text(Lib *l, const char *title, const char *extra)
{
    return arena_printf(l->a, "---\ntitle: %s\nleerjaar: 1\n%s---\nDe tekst van %s.\n", title, extra, title);
}

static void build(Lib *l, bool drafts)
{
    l->ok = site_build(l->a, &CFG, l->m, l->n, drafts, &l->s, &l->d);
}

static const Diag *find(const Diags *d, DiagLevel level, const char *needle)
{
    for (size_t i = 0; i < d->len; i++)
        if (d->items[i].level == level && strstr(d->items[i].msg, needle))
            return &d->items[i];
    return NULL;
}

static bool diag_at(const Diag *g, const char *file, int line, int col)
{
    return g && g->file && !strcmp(g->file, file) && g->line == line && g->col == col;
}

static void test_fingerprint(void)
{
    CHECK_SUITE("fingerprint");
    char a[17], b[17];
    const char *body = "## Voor ouders\n\nPraat samen over wat uw kind goed kan.\n";
    site_fingerprint("Wat kan ik?", body, a);
    CHECK("16 lowercase hex digits", strlen(a) == 16 && strspn(a, "0123456789abcdef") == 16, "[%s]", a);
    site_fingerprint("Wat kan ik?", body, b);
    CHECK_STR("the same text gives the same fingerprint", b, a);
    site_fingerprint("Wat kan ik?", "## Voor ouders   \n\nPraat samen over wat uw kind goed kan.\t \n", b);
    CHECK_STR("trailing blanks do not count", b, a);
    site_fingerprint("Wat kan ik?", "## Voor ouders\n\nPraat samen over wat uw kind goed kan.\n\n\n\n", b);
    CHECK_STR("extra trailing newlines do not count", b, a);
    site_fingerprint("Wat kan ik?", "## Voor ouders\n\nPraat samen over wat uw kind goed kan.", b);
    CHECK_STR("a missing final newline does not count", b, a);
    site_fingerprint("Wat kan ik?", "## Voor ouders\n  \nPraat samen over wat uw kind goed kan.\n", b);
    CHECK_STR("a blank line with spaces is a blank line", b, a);
    site_fingerprint("Wat kan ik?", "## Voor ouders\r\n\r\nPraat samen over wat uw kind goed kan.\r\n", b);
    CHECK_STR("CRLF line ends count as LF", b, a);
    site_fingerprint("Wat kan ik?", "## Voor ouders\n\nPraat samen over wat uw kind graag doet.\n", b);
    CHECK("a changed word changes it", strcmp(a, b) != 0, "both %s", a);
    site_fingerprint("Wat kan ik?", "## Voor ouders\nPraat samen over wat uw kind goed kan.\n", b);
    CHECK("a removed paragraph break changes it", strcmp(a, b) != 0, "both %s", a);
    site_fingerprint("Wat kan ik goed?", body, b);
    CHECK("a changed title changes it", strcmp(a, b) != 0, "both %s", a);
    site_fingerprint("Wat kan ik? ## Voor ouders", "\nPraat samen over wat uw kind goed kan.\n", b);
    CHECK("title and body do not run together", strcmp(a, b) != 0, "both %s", a);
}

static void test_translations(void)
{
    CHECK_SUITE("translation states");
    Lib l = lib_new();
    Material *nl = add(&l, KIND_THUISOPDRACHT, "wat-kan-ik", "nl", src_text(&l, "Wat kan ik?", ""));
    char fp[17];
    site_fingerprint(nl->title, nl->body, fp);
    add(&l, KIND_THUISOPDRACHT, "wat-kan-ik", "tr",
        arena_printf(l.a, "---\ntitle: Ne yapabilirim?\ntranslation:\n  source: %s\n  reviewed: true\n---\nMetin.\n",
                     fp));
    add(&l, KIND_THUISOPDRACHT, "wat-kan-ik", "ar",
        "---\ntitle: ماذا أستطيع؟\ntranslation:\n  source: 0123456789abcdef\n---\nنص.\n");
    build(&l, false);
    CHECK("builds", l.ok && l.d.len == 0, "ok=%d n=%zu", l.ok, l.d.len);
    dump(&l.d);
    Item *it = site_find(&l.s, KIND_THUISOPDRACHT, "wat-kan-ik");
    CHECK("one item", l.s.n_items == 1 && it, "n=%zu", l.s.n_items);
    if (it) {
        CHECK_STR("key is kind/slug", it->key, "thuisopdrachten/wat-kan-ik");
        CHECK_STR("the item's fingerprint is the source's", it->fingerprint, fp);
        CHECK("nl is the source", it->state[0] == TR_SOURCE && it->by_lang[0] == nl, "");
        CHECK("tr made from this text is current", it->state[1] == TR_CURRENT && it->by_lang[1], "state=%d",
              it->state[1]);
        CHECK("ar made from another text is stale", it->state[2] == TR_STALE && it->by_lang[2], "state=%d",
              it->state[2]);
        CHECK("pl without a file is missing", it->state[3] == TR_MISSING && !it->by_lang[3], "state=%d",
              it->state[3]);
    }
    lib_free(&l);

    /* editing the Dutch text makes a current translation stale */
    l = lib_new();
    /* the translation was made from "Oude tekst."; the Dutch now says more */
    add(&l, KIND_GESPREK, "kennismaking", "nl", "---\ntitle: Kennismaking\nleerjaar: 1\n---\nNieuwe tekst.\n");
    site_fingerprint("Kennismaking", "Oude tekst.\n", fp);
    add(&l, KIND_GESPREK, "kennismaking", "tr",
        arena_printf(l.a, "---\ntitle: Tanışma\ntranslation: {source: %s}\n---\nMetin.\n", fp));
    build(&l, false);
    Item *g = site_find(&l.s, KIND_GESPREK, "kennismaking");
    CHECK("a changed source makes the translation stale", g && g->state[1] == TR_STALE, "state=%d",
          g ? (int)g->state[1] : -1);
    lib_free(&l);

    l = lib_new();
    add(&l, KIND_GESPREK, "bestaat", "nl", src_text(&l, "Bestaat", ""));
    add(&l, KIND_GESPREK, "wees", "tr", "---\ntitle: Yetim\ntranslation: {source: 0123456789abcdef}\n---\nx\n");
    build(&l, false);
    const Diag *e = find(&l.d, DIAG_ERROR, "no nl original");
    CHECK("a translation without an original is an error", !l.ok && diag_at(e, "content/gesprekken/wees.tr.md", 1, 1),
          "ok=%d", l.ok);
    CHECK("the error says which file to add", e && strstr(e->msg, "content/gesprekken/wees.nl.md"), "");
    lib_free(&l);

    l = lib_new();
    add(&l, KIND_GESPREK, "bestaat", "nl",
        "---\ntitle: Bestaat\nleerjaar: 2\ntranslation:\n  source: 0123456789abcdef\n---\nx\n");
    build(&l, false);
    e = find(&l.d, DIAG_ERROR, "is not a translation");
    CHECK("a translation: key in a source file is an error at its value",
          !l.ok && diag_at(e, "content/gesprekken/bestaat.nl.md", 5, 11), "ok=%d line=%d col=%d", l.ok,
          e ? e->line : -1, e ? e->col : -1);
    lib_free(&l);
}

static void test_drafts(void)
{
    CHECK_SUITE("drafts");
    Lib l = lib_new();
    add(&l, KIND_OUDERAVOND, "klaar", "nl", src_text(&l, "Klaar", "week: 3\n"));
    add(&l, KIND_OUDERAVOND, "concept", "nl", src_text(&l, "Concept", "week: 4\ndraft: true\n"));
    Material *nl = l.m[0];
    char fp[17];
    site_fingerprint(nl->title, nl->body, fp);
    add(&l, KIND_OUDERAVOND, "klaar", "tr",
        arena_printf(l.a, "---\ntitle: Hazır\ndraft: true\ntranslation: {source: %s}\n---\nx\n", fp));
    add(&l, KIND_OUDERAVOND, "klaar", "ar",
        arena_printf(l.a, "---\ntitle: جاهز\ntranslation: {source: %s}\n---\nx\n", fp));
    build(&l, false);
    CHECK("builds", l.ok && l.d.len == 0, "ok=%d n=%zu", l.ok, l.d.len);
    CHECK("a draft is left out", l.s.n_items == 1 && !site_find(&l.s, KIND_OUDERAVOND, "concept"), "n=%zu",
          l.s.n_items);
    Item *it = site_find(&l.s, KIND_OUDERAVOND, "klaar");
    CHECK("a draft translation counts as missing", it && it->state[1] == TR_MISSING && !it->by_lang[1], "");
    CHECK("a published translation beside it is current", it && it->state[2] == TR_CURRENT, "");
    lib_free(&l);

    l = lib_new();
    add(&l, KIND_OUDERAVOND, "klaar", "nl", src_text(&l, "Klaar", "week: 3\n"));
    add(&l, KIND_OUDERAVOND, "concept", "nl", src_text(&l, "Concept", "week: 4\ndraft: true\n"));
    site_fingerprint(l.m[0]->title, l.m[0]->body, fp);
    add(&l, KIND_OUDERAVOND, "klaar", "tr",
        arena_printf(l.a, "---\ntitle: Hazır\ndraft: true\ntranslation: {source: %s}\n---\nx\n", fp));
    build(&l, true);
    CHECK("with drafts asked for, the draft is in", l.s.n_items == 2 && site_find(&l.s, KIND_OUDERAVOND, "concept"),
          "n=%zu", l.s.n_items);
    it = site_find(&l.s, KIND_OUDERAVOND, "klaar");
    CHECK("with drafts, a draft translation counts", it && it->state[1] == TR_CURRENT && it->by_lang[1], "");
    lib_free(&l);

    /* a link to a draft is a warning and is left out */
    l = lib_new();
    add(&l, KIND_THUISOPDRACHT, "opdracht", "nl",
        src_text(&l, "Opdracht", "week: 2\nprepares: gesprekken/concept\n"));
    add(&l, KIND_GESPREK, "concept", "nl", src_text(&l, "Concept", "week: 5\ndraft: true\n"));
    build(&l, false);
    const Diag *w = find(&l.d, DIAG_WARNING, "which is a draft");
    CHECK("a link to a draft is a warning at the link", l.ok && diag_at(w, "content/thuisopdrachten/opdracht.nl.md", 5, 11),
          "ok=%d line=%d col=%d", l.ok, w ? w->line : -1, w ? w->col : -1);
    it = site_find(&l.s, KIND_THUISOPDRACHT, "opdracht");
    CHECK("the link to a draft is left out", it && it->n_prepares == 0, "");
    lib_free(&l);
}

static void test_references(void)
{
    CHECK_SUITE("references");
    Lib l = lib_new();
    add(&l, KIND_THUISOPDRACHT, "opdracht", "nl",
        "---\n"
        "title: Opdracht\n"
        "leerjaar: 1\n"
        "prepares:\n"
        "  - gesprekken/bestaat\n"
        "  - gesprekken/bestaat-niet\n"
        "follows: ouderavonden/nergens\n"
        "---\nx\n");
    add(&l, KIND_GESPREK, "bestaat", "nl", src_text(&l, "Bestaat", ""));
    build(&l, false);
    CHECK("a reference to nothing fails the build", !l.ok, "");
    const Diag *e = find(&l.d, DIAG_ERROR, "gesprekken/bestaat-niet, which does not exist");
    CHECK("prepares naming nothing: error at the list item", diag_at(e, "content/thuisopdrachten/opdracht.nl.md", 6, 5),
          "line=%d col=%d", e ? e->line : -1, e ? e->col : -1);
    CHECK("the error says which file to add", e && strstr(e->msg, "content/gesprekken/bestaat-niet.nl.md"), "");
    e = find(&l.d, DIAG_ERROR, "ouderavonden/nergens, which does not exist");
    CHECK("follows naming nothing: error at the value", diag_at(e, "content/thuisopdrachten/opdracht.nl.md", 7, 10),
          "line=%d col=%d", e ? e->line : -1, e ? e->col : -1);
    CHECK("exactly two errors", diags_count(&l.d, DIAG_ERROR) == 2, "n=%zu", diags_count(&l.d, DIAG_ERROR));
    lib_free(&l);

    l = lib_new();
    add(&l, KIND_GESPREK, "zelf", "nl", src_text(&l, "Zelf", "prepares: gesprekken/zelf\n"));
    build(&l, false);
    e = find(&l.d, DIAG_ERROR, "itself");
    CHECK("a material that names itself is an error", !l.ok && diag_at(e, "content/gesprekken/zelf.nl.md", 4, 11),
          "line=%d col=%d", e ? e->line : -1, e ? e->col : -1);
    lib_free(&l);

    /* A prepares B and B follows A are one link, seen from both sides */
    l = lib_new();
    add(&l, KIND_THUISOPDRACHT, "a", "nl", src_text(&l, "A", "week: 2\nprepares: gesprekken/b\n"));
    add(&l, KIND_GESPREK, "b", "nl", src_text(&l, "B", "week: 4\nfollows: thuisopdrachten/a\n"));
    add(&l, KIND_OUDERAVOND, "c", "nl", src_text(&l, "C", "week: 6\nfollows: gesprekken/b\n"));
    build(&l, false);
    CHECK("a consistent line gives no diagnostics", l.ok && l.d.len == 0, "n=%zu", l.d.len);
    dump(&l.d);
    Item *a = site_find(&l.s, KIND_THUISOPDRACHT, "a"), *b = site_find(&l.s, KIND_GESPREK, "b"),
         *c = site_find(&l.s, KIND_OUDERAVOND, "c");
    CHECK("all three found", a && b && c, "");
    if (a && b && c) {
        CHECK("a prepares b once", a->n_prepares == 1 && a->prepares[0] == b, "n=%zu", a->n_prepares);
        CHECK("b follows a once", b->n_follows == 1 && b->follows[0] == a, "n=%zu", b->n_follows);
        CHECK("b prepares c, from c's follows", b->n_prepares == 1 && b->prepares[0] == c, "n=%zu", b->n_prepares);
        CHECK("c follows b", c->n_follows == 1 && c->follows[0] == b, "");
        CHECK("nothing follows a", a->n_follows == 0 && c->n_prepares == 0, "");
    }
    lib_free(&l);
}

static void test_line_warnings(void)
{
    CHECK_SUITE("line warnings");
    Lib l = lib_new();
    add(&l, KIND_GESPREK, "a", "nl", src_text(&l, "A", "week: 2\nprepares: gesprekken/b\n"));
    add(&l, KIND_GESPREK, "b", "nl", src_text(&l, "B", "week: 3\nprepares: gesprekken/c\n"));
    add(&l, KIND_GESPREK, "c", "nl", src_text(&l, "C", "week: 4\nprepares: gesprekken/a\n"));
    build(&l, false);
    const Diag *w = find(&l.d, DIAG_WARNING, "cycle");
    CHECK("a cycle is a warning, not an error", l.ok && w, "ok=%d", l.ok);
    CHECK("the cycle warning names a link of the cycle", w && strstr(w->msg, "gesprekken/"), "");
    size_t cycles = 0;
    for (size_t i = 0; i < l.d.len; i++)
        cycles += strstr(l.d.items[i].msg, "cycle") != NULL;
    CHECK("one cycle, one cycle warning", cycles == 1, "n=%zu", cycles);
    lib_free(&l);

    l = lib_new();
    add(&l, KIND_GESPREK, "a", "nl", src_text(&l, "A", "week: 2\nprepares: gesprekken/b\n"));
    add(&l, KIND_GESPREK, "b", "nl", src_text(&l, "B", "week: 3\nprepares: gesprekken/a\n"));
    build(&l, false);
    CHECK("a two-way prepares is a cycle", l.ok && find(&l.d, DIAG_WARNING, "cycle"), "");
    lib_free(&l);

    l = lib_new();
    add(&l, KIND_GESPREK, "vroeg", "nl", src_text(&l, "Vroeg", "week: 10\nfollows: ouderavonden/laat\n"));
    add(&l, KIND_OUDERAVOND, "laat", "nl", src_text(&l, "Laat", "week: 30\n"));
    build(&l, false);
    w = find(&l.d, DIAG_WARNING, "comes later in the year");
    CHECK("follows naming a later item is a warning at the link", l.ok && diag_at(w, "content/gesprekken/vroeg.nl.md", 5, 10),
          "ok=%d line=%d col=%d", l.ok, w ? w->line : -1, w ? w->col : -1);
    CHECK("the warning names the target and its week", w && strstr(w->msg, "ouderavonden/laat") && strstr(w->msg, "week 30"),
          "");
    CHECK("no cycle warning for it", !find(&l.d, DIAG_WARNING, "cycle"), "");
    lib_free(&l);

    /* "laat prepares vroeg" is the link "vroeg follows laat" written from the other side */
    l = lib_new();
    add(&l, KIND_OUDERAVOND, "laat", "nl", src_text(&l, "Laat", "week: 30\nprepares: gesprekken/vroeg\n"));
    add(&l, KIND_GESPREK, "vroeg", "nl", src_text(&l, "Vroeg", "week: 10\n"));
    build(&l, false);
    w = find(&l.d, DIAG_WARNING, "comes earlier in the year");
    CHECK("prepares naming an earlier item is a warning at the link",
          l.ok && diag_at(w, "content/ouderavonden/laat.nl.md", 5, 11), "ok=%d line=%d col=%d", l.ok,
          w ? w->line : -1, w ? w->col : -1);
    CHECK("the warning names the target and its week", w && strstr(w->msg, "gesprekken/vroeg") && strstr(w->msg, "week 10"),
          "");
    lib_free(&l);

    l = lib_new();
    add(&l, KIND_OUDERAVOND, "vroeg", "nl", src_text(&l, "Vroeg", "week: 10\nprepares: gesprekken/laat\n"));
    add(&l, KIND_GESPREK, "laat", "nl", src_text(&l, "Laat", "week: 30\n"));
    build(&l, false);
    CHECK("prepares naming a later item is fine", l.ok && l.d.len == 0, "n=%zu", l.d.len);
    dump(&l.d);
    lib_free(&l);

    l = lib_new();
    add(&l, KIND_GESPREK, "later", "nl", src_text(&l, "Later", "week: 30\nfollows: ouderavonden/eerder\n"));
    add(&l, KIND_OUDERAVOND, "eerder", "nl", src_text(&l, "Eerder", "week: 10\n"));
    build(&l, false);
    CHECK("follows naming an earlier item is fine", l.ok && l.d.len == 0, "n=%zu", l.d.len);
    dump(&l.d);
    lib_free(&l);

    l = lib_new();
    add(&l, KIND_GESPREK, "jaar1", "nl", src_text(&l, "Jaar1", "week: 40\nfollows: ouderavonden/jaar2\n"));
    add(&l, KIND_OUDERAVOND, "jaar2", "nl", "---\ntitle: Jaar2\nleerjaar: 2\nweek: 3\n---\nx\n");
    build(&l, false);
    CHECK("a later leerjaar is later even in an earlier week", find(&l.d, DIAG_WARNING, "comes later"), "");
    lib_free(&l);
}

static void test_followup(void)
{
    CHECK_SUITE("needs_followup");
    Lib l = lib_new();
    add(&l, KIND_THUISOPDRACHT, "los", "nl", src_text(&l, "Los", "week: 9\n"));
    add(&l, KIND_THUISOPDRACHT, "naar-gesprek", "nl", src_text(&l, "NG", "week: 2\nprepares: gesprekken/g\n"));
    add(&l, KIND_THUISOPDRACHT, "via-follows", "nl", src_text(&l, "VF", "week: 3\n"));
    add(&l, KIND_THUISOPDRACHT, "naar-opdracht", "nl",
        src_text(&l, "NO", "week: 4\nprepares: thuisopdrachten/los\n"));
    add(&l, KIND_THUISOPDRACHT, "naar-avond", "nl", src_text(&l, "NA", "week: 5\nprepares: ouderavonden/o\n"));
    add(&l, KIND_GESPREK, "g", "nl", src_text(&l, "G", "week: 6\nfollows: thuisopdrachten/via-follows\n"));
    add(&l, KIND_OUDERAVOND, "o", "nl", src_text(&l, "O", "week: 7\n"));
    build(&l, false);
    CHECK("builds without warnings", l.ok && l.d.len == 0, "n=%zu", l.d.len);
    dump(&l.d);
    Item *it;
    it = site_find(&l.s, KIND_THUISOPDRACHT, "los");
    CHECK("an assignment with no link needs a follow-up", it && it->needs_followup, "");
    it = site_find(&l.s, KIND_THUISOPDRACHT, "naar-gesprek");
    CHECK("an assignment that prepares a gesprek does not", it && !it->needs_followup, "");
    it = site_find(&l.s, KIND_THUISOPDRACHT, "via-follows");
    CHECK("an assignment a gesprek follows does not", it && !it->needs_followup, "");
    it = site_find(&l.s, KIND_THUISOPDRACHT, "naar-opdracht");
    CHECK("an assignment that only prepares another assignment does", it && it->needs_followup, "");
    it = site_find(&l.s, KIND_THUISOPDRACHT, "naar-avond");
    CHECK("an assignment that prepares an ouderavond does not", it && !it->needs_followup, "");
    it = site_find(&l.s, KIND_GESPREK, "g");
    CHECK("a gesprek never needs a follow-up", it && !it->needs_followup, "");
    it = site_find(&l.s, KIND_OUDERAVOND, "o");
    CHECK("an ouderavond never needs a follow-up", it && !it->needs_followup, "");
    lib_free(&l);

    l = lib_new();
    add(&l, KIND_THUISOPDRACHT, "op", "nl", src_text(&l, "Op", "week: 1\nprepares: gesprekken/concept\n"));
    add(&l, KIND_GESPREK, "concept", "nl", src_text(&l, "Concept", "week: 2\ndraft: true\n"));
    build(&l, false);
    it = site_find(&l.s, KIND_THUISOPDRACHT, "op");
    CHECK("a follow-up that is still a draft does not count", it && it->needs_followup, "");
    lib_free(&l);
}

static void test_order(void)
{
    CHECK_SUITE("order");
    Lib l = lib_new();
    /* added in an order unlike the year's */
    add(&l, KIND_THUISOPDRACHT, "jaar2", "nl", "---\ntitle: J2\nleerjaar: 2\nweek: 1\n---\nx\n");
    add(&l, KIND_GESPREK, "b", "nl", src_text(&l, "B", "week: 10\n"));
    add(&l, KIND_THUISOPDRACHT, "z", "nl", src_text(&l, "Z", "week: 10\n"));
    add(&l, KIND_OUDERAVOND, "c", "nl", src_text(&l, "C", "week: 3\n"));
    add(&l, KIND_THUISOPDRACHT, "zonder-week", "nl", src_text(&l, "D", ""));
    add(&l, KIND_THUISOPDRACHT, "y", "nl", src_text(&l, "Y", "week: 10\n"));
    add(&l, KIND_OUDERAVOND, "a", "nl", src_text(&l, "A", "week: 10\n"));
    build(&l, false);
    const char *want[] = {"ouderavonden/c", "thuisopdrachten/y", "thuisopdrachten/z", "gesprekken/b",
                          "ouderavonden/a", "thuisopdrachten/zonder-week", "thuisopdrachten/jaar2"};
    size_t nw = sizeof want / sizeof want[0];
    bool same = l.s.n_items == nw;
    for (size_t i = 0; same && i < nw; i++)
        same = !strcmp(l.s.items[i]->key, want[i]);
    CHECK("leerjaar, then week (none last), then kind, then slug", same, "got %zu items", l.s.n_items);
    if (!same)
        for (size_t i = 0; i < l.s.n_items; i++)
            printf("    %zu %s\n", i, l.s.items[i]->key);
    bool orders = true;
    for (size_t i = 0; i < l.s.n_items; i++)
        orders &= l.s.items[i]->order == (int)i;
    CHECK("order is the position in the line", orders, "");
    CHECK("site_find by kind and slug", site_find(&l.s, KIND_GESPREK, "b") == (same ? l.s.items[3] : NULL), "");
    CHECK("site_find of the wrong kind", site_find(&l.s, KIND_GESPREK, "a") == NULL, "");
    lib_free(&l);

    /* several links from one item are listed in the year's order */
    l = lib_new();
    add(&l, KIND_THUISOPDRACHT, "start", "nl",
        src_text(&l, "Start", "week: 1\nprepares: [ouderavonden/laat, gesprekken/midden, gesprekken/vroeg]\n"));
    add(&l, KIND_GESPREK, "vroeg", "nl", src_text(&l, "V", "week: 3\n"));
    add(&l, KIND_GESPREK, "midden", "nl", src_text(&l, "M", "week: 8\n"));
    add(&l, KIND_OUDERAVOND, "laat", "nl", src_text(&l, "L", "week: 20\n"));
    build(&l, false);
    Item *s = site_find(&l.s, KIND_THUISOPDRACHT, "start");
    CHECK("prepares in the year's order",
          s && s->n_prepares == 3 && !strcmp(s->prepares[0]->slug, "vroeg") && !strcmp(s->prepares[1]->slug, "midden") &&
              !strcmp(s->prepares[2]->slug, "laat"),
          "");
    lib_free(&l);
}

static bool has_key(Item **items, size_t n, const char *key)
{
    for (size_t i = 0; i < n; i++)
        if (!strcmp(items[i]->key, key))
            return true;
    return false;
}

static void test_leerjaar(void)
{
    CHECK_SUITE("site_leerjaar");
    Lib l = lib_new();
    add(&l, KIND_GESPREK, "twee-jaren", "nl", "---\ntitle: Twee\nleerjaar: [1, 3]\nweek: 20\n---\nx\n");
    add(&l, KIND_THUISOPDRACHT, "alleen-3", "nl", "---\ntitle: Drie\nleerjaar: 3\nweek: 5\n---\nx\n");
    add(&l, KIND_OUDERAVOND, "alleen-3-laat", "nl", "---\ntitle: Drie laat\nleerjaar: 3\nweek: 30\n---\nx\n");
    add(&l, KIND_OUDERAVOND, "alleen-1", "nl", "---\ntitle: Een\nleerjaar: 1\nweek: 2\n---\nx\n");
    build(&l, false);
    CHECK("builds", l.ok && l.s.n_items == 4, "ok=%d n=%zu", l.ok, l.s.n_items);
    size_t n1 = 0, n2 = 99, n3 = 0;
    Item **y1 = site_leerjaar(l.a, &l.s, 1, &n1);
    Item **y2 = site_leerjaar(l.a, &l.s, 2, &n2);
    Item **y3 = site_leerjaar(l.a, &l.s, 3, &n3);
    CHECK("leerjaar 1 has two", n1 == 2 && has_key(y1, n1, "gesprekken/twee-jaren") &&
                                    has_key(y1, n1, "ouderavonden/alleen-1"),
          "n=%zu", n1);
    CHECK("leerjaar 1 in week order", n1 == 2 && !strcmp(y1[0]->slug, "alleen-1") && !strcmp(y1[1]->slug, "twee-jaren"),
          "");
    CHECK("leerjaar 2 is empty", n2 == 0, "n=%zu", n2);
    (void)y2;
    CHECK("a material of two leerjaren is in the second too", n3 == 3 && has_key(y3, n3, "gesprekken/twee-jaren"),
          "n=%zu", n3);
    CHECK("leerjaar 3 in week order (5, 20, 30)",
          n3 == 3 && !strcmp(y3[0]->slug, "alleen-3") && !strcmp(y3[1]->slug, "twee-jaren") &&
              !strcmp(y3[2]->slug, "alleen-3-laat"),
          "got %s, %s, %s", n3 > 0 ? y3[0]->slug : "-", n3 > 1 ? y3[1]->slug : "-", n3 > 2 ? y3[2]->slug : "-");
    lib_free(&l);
}

int main(void)
{
    test_fingerprint();
    test_translations();
    test_drafts();
    test_references();
    test_line_warnings();
    test_followup();
    test_order();
    test_leerjaar();
    CHECK_DONE();
}
