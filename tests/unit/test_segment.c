/* Translation units cut from cmark's tree (segment.c), their assembly
 * back into a body, and the Dutch-fallback markers markdown_render turns
 * into a lang="nl" span with the reader's notice. */
#include "check.h"
#include "markdown.h"
#include "segment.h"

#include <stdlib.h>
#include <string.h>

static const char BODY[] =
    "Intro *met nadruk* en een [link](https://school.example/a).\n"
    "\n"
    "## Voor ouders\n"
    "\n"
    "1. Kies een moment\n"
    "   dat u beiden past.\n"
    "2. **Vraag:** wat kan ik?\n"
    "\n"
    "> Een citaat\n"
    "> over twee regels.\n"
    "\n"
    "```antwoord regels=3\n"
    "Welke drie dingen kan ik goed?\n"
    "```\n"
    "\n"
    "```\n"
    "code, niet vertalen\n"
    "```\n"
    "\n"
    "## Tot slot ##\n"
    "\n"
    "| Wie | Wat |\n"
    "| --- | --- |\n"
    "| Ouder | Leest **voor** |\n";

static const Segment *find(const SegList *L, const char *ctxt)
{
    for (size_t i = 0; i < L->n; i++)
        if (!strcmp(L->units[i].ctxt, ctxt))
            return &L->units[i];
    return NULL;
}

static void test_units(void)
{
    CHECK_SUITE("segment units");
    Arena *a = arena_new();
    SegList L;
    segment_material(a, "thuisopdrachten/x", "Titel", "Samenvatting", BODY, strlen(BODY), 8, &L);
    CHECK("title, summary and 11 body units", L.n == 13, "got %zu units", L.n);
    const Segment *s = find(&L, "thuisopdrachten/x title");
    CHECK_STR("the title is a unit", s ? s->msgid : NULL, "Titel");
    s = find(&L, "thuisopdrachten/x 0.1");
    CHECK_STR("text before the first ## is section 0, inline Markdown kept", s ? s->msgid : NULL,
              "Intro *met nadruk* en een [link](https://school.example/a).");
    CHECK("its line is the file line", s && s->line == 8, "line %d", s ? s->line : -1);
    s = find(&L, "thuisopdrachten/x 1.1");
    CHECK_STR("a heading is a unit, without its #", s ? s->msgid : NULL, "Voor ouders");
    s = find(&L, "thuisopdrachten/x 1.2");
    CHECK_STR("a list item's paragraph over two lines, without the indentation", s ? s->msgid : NULL,
              "Kies een moment\ndat u beiden past.");
    s = find(&L, "thuisopdrachten/x 1.3");
    CHECK_STR("a second list item keeps its emphasis", s ? s->msgid : NULL, "**Vraag:** wat kan ik?");
    s = find(&L, "thuisopdrachten/x 1.4");
    CHECK_STR("a quote's paragraph without its > markers", s ? s->msgid : NULL, "Een citaat\nover twee regels.");
    s = find(&L, "thuisopdrachten/x 1.5");
    CHECK_STR("the text inside a block is a unit", s ? s->msgid : NULL, "Welke drie dingen kan ik goed?");
    CHECK("a fence without an info word is code, not a unit", !find(&L, "thuisopdrachten/x 1.6") ||
          strcmp(find(&L, "thuisopdrachten/x 1.6")->msgid, "code, niet vertalen"), "code was cut");
    s = find(&L, "thuisopdrachten/x 2.1");
    CHECK_STR("a closed ATX heading without its closing #s", s ? s->msgid : NULL, "Tot slot");
    s = find(&L, "thuisopdrachten/x 2.5");
    CHECK_STR("a table cell is a unit, without the spaces around it", s ? s->msgid : NULL, "Leest **voor**");
    CHECK("the hash is of the text", s && strlen(s->hash) == 16, "hash %s", s ? s->hash : "");

    /* every unit replaced by itself gives the body back, byte for byte */
    const char **tr = calloc(L.n, sizeof *tr);
    for (size_t i = 0; i < L.n; i++)
        tr[i] = L.units[i].msgid;
    Buf b = BUF_INIT;
    segment_assemble(BODY, strlen(BODY), &L, tr, &b);
    CHECK_STR("assembling the units themselves gives the body back", b.data, BODY);
    buf_clear(&b);
    /* a translation over two lines continues inside its list item */
    for (size_t i = 0; i < L.n; i++)
        tr[i] = !strcmp(L.units[i].ctxt, "thuisopdrachten/x 1.2") ? "Choose a time\nthat suits you both." : NULL;
    segment_assemble(BODY, strlen(BODY), &L, tr, &b);
    CHECK_CONTAINS("a translated line continues with the item's indentation", b.data,
                   "1. Choose a time\n   that suits you both.\n");
    CHECK_CONTAINS("an untranslated unit is kept between the markers", b.data, SEG_OPEN "Voor ouders" SEG_CLOSE);

    MdOptions opt = {0};
    opt.untranslated_html = "<small>(not yet translated)</small>";
    MdDoc doc;
    Diags d = DIAGS_INIT;
    markdown_render(a, "x.md", 1, b.data, b.len, &opt, &doc, &d);
    CHECK_CONTAINS("the Dutch heading is marked lang=nl with the notice", doc.html,
                   "<span lang=\"nl\" dir=\"ltr\" class=\"untranslated\">Voor ouders</span><small>(not yet translated)</small>");
    CHECK_CONTAINS("emphasis next to a marker keeps its meaning", doc.html,
                   "<span lang=\"nl\" dir=\"ltr\" class=\"untranslated\"><strong>Vraag:</strong> wat kan ik?</span>");
    CHECK("no marker code point is left in the HTML", !strstr(doc.html, "\xEF\xB7\x90") && !strstr(doc.html, "\xEF\xB7\x91"),
          "%s", doc.html);
    CHECK("nor in the plain text", !strstr(doc.plain, "\xEF\xB7"), "%s", doc.plain);
    CHECK("the heading id is the one the Dutch gets", doc.n_headings > 0 && !strcmp(doc.headings[0].id, "voor-ouders"),
          "id %s", doc.n_headings ? doc.headings[0].id : "");
    CHECK_STR("the heading text has no markers", doc.n_headings ? doc.headings[0].text : NULL, "Voor ouders");
    diags_free(&d);
    buf_free(&b);
    free(tr);
    arena_free(a);
}

/* A block's list items and the heading before it, as the block callback
 * gets them: what a bilingual handout pairs and a card sheet lists. */
static Buf seen;
static bool any_block(void *ctx, const char *name)
{
    (void)ctx;
    return !strcmp(name, "vraagwijzer");
}
static bool capture_block(void *ctx, const char *name, const MdAttr *attrs, size_t n_attrs, const MdBlockBody *body,
                          const char *heading_before, const char *file, int line, Buf *out, Diags *d)
{
    (void)ctx, (void)name, (void)attrs, (void)n_attrs, (void)file, (void)line, (void)d;
    buf_printf(&seen, "heading=%s\n", heading_before ? heading_before : "");
    for (size_t i = 0; i < body->n_items; i++)
        buf_printf(&seen, "item=%s\n", body->items[i].html);
    buf_printf(out, "<div class=\"block\">%s</div>", body->html);
    return true;
}

static void test_block_units(void)
{
    Arena *a = arena_new();
    const char *md = "## " SEG_OPEN "Vragen" SEG_CLOSE "\n\n```vraagwijzer\n- " SEG_OPEN "Wat kan ik?" SEG_CLOSE
                     "\n- Ne kadar?\n```\n\nSon.\n";
    MdOptions opt = {.is_block = any_block, .render_block = capture_block, .untranslated_html = "<small>(nog niet)</small>"};
    MdDoc doc;
    Diags d = DIAGS_INIT;
    buf_init(&seen);
    CHECK("a page with units in blocks renders", markdown_render(a, "x.md", 1, md, strlen(md), &opt, &doc, &d), "");
    const char *s = buf_cstr(&seen);
    CHECK_CONTAINS("a block's list item has the unit marked, with the notice", s,
                   "item=<span lang=\"nl\" dir=\"ltr\" class=\"untranslated\">Wat kan ik?</span><small>(nog niet)</small>\n");
    CHECK_CONTAINS("the heading before the block is plain text", s, "heading=Vragen\n");
    CHECK("the block callback gets no marker code point", !strstr(s, "\xEF\xB7"), "%s", s);
    CHECK("the page shows the notice after each unit still in Dutch", doc.html && strstr(doc.html, "(nog niet)") &&
          strstr(strstr(doc.html, "(nog niet)") + 1, "(nog niet)") && !strstr(doc.html, "\xEF\xB7"), "%s", doc.html);
    bool clean = doc.n_sections > 0;
    for (size_t i = 0; i < doc.n_sections; i++)
        for (size_t k = 0; k < doc.sections[i].n_parts; k++)
            clean = clean && !strstr(doc.sections[i].parts[k].html, "\xEF\xB7");
    CHECK("no section part (a bilingual handout row) keeps a marker", clean, "%zu sections", doc.n_sections);
    diags_free(&d);
    buf_free(&seen);
    arena_free(a);
}

/* What counts as text to translate, and a translation's units found by
 * the text a reader sees, however the Markdown was written. */
static void test_text_units(void)
{
    CHECK_SUITE("text units");
    CHECK("a sentence: its words", segment_words("Kies samen met uw kind een school.") == 7, "%d",
          segment_words("Kies samen met uw kind een school."));
    CHECK("a name: the capitalised words after the first are not words to translate",
          segment_words("Mevrouw Jansen van Dijk") == 2, "%d", segment_words("Mevrouw Jansen van Dijk"));
    CHECK("numbers, URLs and e-mail addresses are not words",
          segment_words("020 123 45 67 https://www.example.org/a www.example.org mentor@school.nl") == 0, "%d",
          segment_words("020 123 45 67 https://www.example.org/a www.example.org mentor@school.nl"));
    CHECK("non-ASCII letters count (Arabic)", segment_words("خذ معك قلمًا وورقة.") == 4, "%d",
          segment_words("خذ معك قلمًا وورقة."));

    Arena *a = arena_new();
    static const char nl[] = "Kies *samen* met uw kind een school.\n\nMevrouw Jansen van Dijk\n\n"
                             "- Schrijf drie vragen op\n  voor de docent.\n";
    static const char tr[] = "Çocuğunuzla birlikte bir okul seçin.\n\n- Schrijf  drie _vragen_ op voor\n"
                             "  de docent.\n";
    TextUnit *un, *ut;
    size_t nn, nt, nh;
    unsigned long long *hn;
    segment_text_units(a, nl, strlen(nl), 10, &un, &nn);
    segment_text_units(a, tr, strlen(tr), 20, &ut, &nt);
    segment_text_hashes(a, nl, strlen(nl), &hn, &nh);
    CHECK("text_hashes: the units' hashes, what a build keeps", nh == nn && nh == 2 && hn[0] == un[0].hash &&
          hn[1] == un[1].hash, "%zu", nh);
    CHECK("the Dutch units: the sentence and the list item, not the name", nn == 2, "%zu", nn);
    CHECK("the translation's units", nt == 2, "%zu", nt);
    CHECK("a list item's unit starts at its text: line and column", nt == 2 && ut[1].line == 22 && ut[1].col == 3,
          "%d:%d", nt == 2 ? ut[1].line : 0, nt == 2 ? ut[1].col : 0);
    CHECK("the same text written with other breaks, blanks and emphasis is the same text",
          nt == 2 && segment_has_text(hn, nh, ut[1].hash), "");
    CHECK("a translated text is not the Dutch", nt == 2 && !segment_has_text(hn, nh, ut[0].hash), "");
    Buf out = BUF_INIT;
    size_t marked = segment_mark_source(tr, strlen(tr), ut, nt, hn, nh, &out);
    CHECK("mark_source wraps the Dutch unit alone", marked == 1, "%zu", marked);
    CHECK_STR("... in the source-language markers, the rest as it was", buf_cstr(&out),
              "Çocuğunuzla birlikte bir okul seçin.\n\n- " SEG_OPEN "Schrijf  drie _vragen_ op voor\n  de docent." SEG_CLOSE
              "\n");
    buf_free(&out);

    /* the lean walk and the full cut agree on a body with every kind of unit */
    TextUnit *ub;
    unsigned long long *hb;
    size_t nb, nhb;
    segment_text_units(a, BODY, strlen(BODY), 1, &ub, &nb);
    segment_text_hashes(a, BODY, strlen(BODY), &hb, &nhb);
    bool agree = nb == nhb;
    for (size_t i = 0; agree && i < nb; i++)
        agree = ub[i].hash == hb[i];
    CHECK("text_hashes and text_units agree on headings, lists, quotes, blocks and tables", agree && nb > 0,
          "%zu vs %zu", nb, nhb);
    arena_free(a);
}

int main(void)
{
    test_units();
    test_text_units();
    test_block_units();
    CHECK_DONE();
}
