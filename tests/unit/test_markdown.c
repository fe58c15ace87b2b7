#include "check.h"
#include "markdown.h"

#include <cmark-gfm-core-extensions.h>
#include <cmark-gfm.h>
#include <stdlib.h>
#include <string.h>

/* ---- a block template set for the tests: "tip" and "antwoord" exist, and
 * "kapot" exists but always fails. A block renders as a div carrying its
 * name and attributes, around its body. */

static int block_calls;
static char last_items[512]; /* the last block's list items, joined by '|' */

static bool test_is_block(void *ctx, const char *name)
{
    (void)ctx;
    return !strcmp(name, "tip") || !strcmp(name, "antwoord") || !strcmp(name, "kapot");
}

/* a render_block ctx that counts its calls (markdown_render_twin) */
typedef struct {
    int calls;
} CountCtx;

static bool test_render_block(void *ctx, const char *name, const MdAttr *attrs, size_t n_attrs,
                              const MdBlockBody *body, const char *heading_before, const char *file,
                              int line, Buf *out, Diags *d)
{
    if (ctx)
        ((CountCtx *)ctx)->calls++;
    block_calls++;
    last_items[0] = '\0';
    for (size_t i = 0; i < body->n_items; i++)
        snprintf(last_items + strlen(last_items), sizeof last_items - strlen(last_items), "%s%s",
                 i ? "|" : "", body->items[i].html);
    if (!strcmp(name, "kapot")) {
        diag_error(d, file, line, 1, "block template \"kapot\" failed; fix the template");
        return false;
    }
    buf_printf(out, "<div class=\"blok-%s\"", name);
    if (heading_before) {
        buf_puts(out, " data-na-kop=\"");
        buf_html_escape(out, heading_before, strlen(heading_before));
        buf_putc(out, '"');
    }
    for (size_t i = 0; i < n_attrs; i++) {
        buf_printf(out, " data-%s=\"", attrs[i].name);
        buf_html_escape(out, attrs[i].value, strlen(attrs[i].value));
        buf_putc(out, '"');
    }
    buf_puts(out, ">");
    buf_puts(out, body->html);
    buf_puts(out, "</div>\n");
    return true;
}

static const MdTerm glossary[] = {
    {"stage", "/nl/woordenlijst/#stage", "Een periode waarin je \"meewerkt\" in een bedrijf"},
    {"beroep", "/nl/woordenlijst/#beroep", NULL},
    {"beroep kiezen", "/nl/woordenlijst/#beroep-kiezen", NULL},
    {"café", "/nl/woordenlijst/#cafe", NULL},
    {"mentor", "javascript:alert(1)", NULL},
    {"ouder & kind", "/nl/woordenlijst/#ouder-kind", NULL},
};

static MdOptions opts(bool terms)
{
    MdOptions o = {.is_block = test_is_block, .render_block = test_render_block};
    if (terms) {
        o.terms = glossary;
        o.n_terms = sizeof glossary / sizeof glossary[0];
    }
    return o;
}

static Arena *arena;

static MdDoc render_full(const char *md, int first_line, const MdOptions *o, Diags *d, bool *ok)
{
    MdDoc doc;
    *ok = markdown_render(arena, "content/x.nl.md", first_line, md, strlen(md), o, &doc, d);
    return doc;
}

/* Render expecting success; a failure shows the first error. */
static MdDoc render(const char *md, const MdOptions *o)
{
    Diags d = DIAGS_INIT;
    bool ok;
    MdDoc doc = render_full(md, 1, o, &d, &ok);
    if (!ok || d.len) {
        printf("unexpected failure for [%s]: %s\n", md, d.len ? d.items[0].msg : "(no message)");
    }
    diags_free(&d);
    return doc;
}

static size_t count_of(const char *hay, const char *needle)
{
    size_t n = 0, k = strlen(needle);
    for (const char *p = strstr(hay, needle); p; p = strstr(p + k, needle))
        n++;
    return n;
}

/* True when every href="..." and src="..." in html is empty. */
static bool all_urls_blank(const char *html)
{
    static const char *const attrs[] = {"href=\"", "src=\""};
    for (size_t a = 0; a < 2; a++) {
        size_t k = strlen(attrs[a]);
        for (const char *p = strstr(html, attrs[a]); p; p = strstr(p + k, attrs[a]))
            if (p[k] != '"')
                return false;
    }
    return true;
}

static void test_basics(void)
{
    CHECK_SUITE("markdown basics");
    MdOptions o = opts(false);
    MdDoc d = render("Eerste alinea.\n\nTweede alinea.", &o);
    CHECK_STR("two paragraphs", d.html, "<p>Eerste alinea.</p>\n<p>Tweede alinea.</p>\n");

    d = render("Een *schuin* en **vet** woord.", &o);
    CHECK_STR("emphasis", d.html, "<p>Een <em>schuin</em> en <strong>vet</strong> woord.</p>\n");

    d = render("| Wie | Wat |\n| --- | --- |\n| ouder | vraagt |\n", &o);
    CHECK_CONTAINS("table rendered", d.html, "<table>");
    CHECK_CONTAINS("table header cell", d.html, "<th>Wie</th>");
    CHECK_CONTAINS("table body cell", d.html, "<td>vraagt</td>");

    d = render("Dit is ~~fout~~ goed.", &o);
    CHECK_CONTAINS("strikethrough", d.html, "<del>fout</del>");

    d = render("Kijk op www.example.nl en https://school.nl/lob?a=1&b=2 voor meer.", &o);
    CHECK_CONTAINS("www autolink", d.html, "<a href=\"http://www.example.nl\">www.example.nl</a>");
    CHECK_CONTAINS("url autolink", d.html,
                   "<a href=\"https://school.nl/lob?a=1&amp;b=2\">https://school.nl/lob?a=1&amp;b=2</a>");

    d = render("- [ ] vraag je ouder\n- [x] vul het blad in\n", &o);
    CHECK_CONTAINS("open task", d.html, "<li><input type=\"checkbox\" disabled=\"\" /> vraag je ouder</li>");
    CHECK_CONTAINS("done task", d.html,
                   "<li><input type=\"checkbox\" checked=\"\" disabled=\"\" /> vul het blad in</li>");

    d = render("Een gewone [link](https://school.nl/lob \"De school\").", &o);
    CHECK_CONTAINS("safe link kept", d.html, "<a href=\"https://school.nl/lob\" title=\"De school\">link</a>");

    d = render("Slechte bytes: \xff\xfe en verder.", &o);
    CHECK_CONTAINS("invalid UTF-8 replaced", d.html, "Slechte bytes: \xEF\xBF\xBD\xEF\xBF\xBD en verder.");

    d = render("", &o);
    CHECK("empty body: no sections, empty html", d.n_sections == 0 && !strcmp(d.html, "") &&
          !strcmp(d.plain, ""), "n=%zu html=[%s]", d.n_sections, d.html);

    d = render("Een tekst.", NULL);
    CHECK_STR("NULL options work", d.html, "<p>Een tekst.</p>\n");
}

static void test_raw_html(void)
{
    CHECK_SUITE("markdown raw HTML off");
    MdOptions o = opts(false);
    MdDoc d = render("<script>alert('x')</script>\n\nNa het script.", &o);
    CHECK("script block dropped", !strstr(d.html, "<script") && !strstr(d.html, "alert"), "%s", d.html);
    CHECK_CONTAINS("text after script kept", d.html, "<p>Na het script.</p>");

    d = render("Plaatje <img src=x onerror=alert(1)> hier.", &o);
    CHECK("img with onerror dropped", !strstr(d.html, "<img") && !strstr(d.html, "onerror"), "%s", d.html);

    d = render("Een <b>vet</b> woord en <a href=\"javascript:x()\">klik</a>.", &o);
    CHECK("inline tags dropped", !strstr(d.html, "<b>") && !strstr(d.html, "<a "), "%s", d.html);
    CHECK_CONTAINS("inline tag text kept", d.html, "vet");
}

static void test_dangerous_links(void)
{
    CHECK_SUITE("markdown dangerous links");
    MdOptions o = opts(false);
    static const char *const cases[] = {
        "[a](javascript:alert(1))",
        "[a](JaVaScRiPt:alert(1))",
        "[a](java&#x09;script:alert(1))",
        "[a](&#106;avascript:alert(1))",
        "[a](javascript&colon;alert(1))",
        "[a](&#x0A;javascript:alert(1))",
        "[a](<  javascript:alert(1)>)",
        "[a](<java\tscript:alert(1)>)",
        "<javascript:alert(1)>",
        "<JAVASCRIPT:alert(1)>",
        "[a][ref]\n\n[ref]: javascript:alert(1)",
        "[a][ref]\n\n[ref]: <java&#9;script:alert(1)>",
        "[a](vbscript:msgbox(1))",
        "[a](file:///etc/passwd)",
        "[a](data:text/html;base64,PHNjcmlwdD4=)",
        "[a](data:image/svg+xml;base64,PHN2Zz4=)",
        "![a](javascript:alert(1))",
        "![a](data:text/html,x)",
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        MdDoc d = render(cases[i], &o);
        char name[160] = "neutralised: ";
        size_t k = strlen(name);
        for (const char *c = cases[i]; *c && k + 3 < sizeof name; c++) {
            if (*c == '\n' || *c == '\t') { /* one output line per check */
                name[k++] = '\\';
                name[k++] = *c == '\n' ? 'n' : 't';
            } else
                name[k++] = *c;
        }
        name[k] = '\0';
        CHECK(name, all_urls_blank(d.html) && (strstr(d.html, "href=\"\"") || strstr(d.html, "src=\"\"")),
              "%s", d.html);
    }
    MdDoc d = render("![grafiek](data:image/png;base64,iVBORw0KGgo=)", &o);
    CHECK_CONTAINS("data:image/png image kept", d.html, "src=\"data:image/png;base64,iVBORw0KGgo=\"");
    d = render("[mail](mailto:ouders@school.nl) [tel](tel:+31201234567) [rel](../gesprekken/x.html)", &o);
    CHECK_CONTAINS("mailto kept", d.html, "href=\"mailto:ouders@school.nl\"");
    CHECK_CONTAINS("tel kept", d.html, "href=\"tel:+31201234567\"");
    CHECK_CONTAINS("relative kept", d.html, "href=\"../gesprekken/x.html\"");
}

static void test_headings(void)
{
    CHECK_SUITE("markdown headings");
    MdOptions o = opts(false);
    MdDoc d = render("## Wat vind jij?\n", &o);
    CHECK_STR("dutch heading with id", d.html, "<h2 id=\"wat-vind-jij\">Wat vind jij?</h2>\n");

    CHECK_STR("slug arabic", markdown_slugify(arena, "ما هو التدريب؟"), "ما-هو-التدريب");
    CHECK_STR("slug ukrainian lowercased", markdown_slugify(arena, "Що таке СТАЖУВАННЯ?"),
              "що-таке-стажування");
    CHECK_STR("slug tigrinya", markdown_slugify(arena, "እንታይ እዩ ስራሕ?"), "እንታይ-እዩ-ስራሕ");
    CHECK_STR("slug turkish letters", markdown_slugify(arena, "Çocuğunuz ÖĞRENİYOR"),
              "çocuğunuz-öğreni̇yor");
    CHECK_STR("slug punctuation runs and trim", markdown_slugify(arena, "  -- Hallo,  wereld! -- "),
              "hallo-wereld");
    CHECK_STR("slug digits kept", markdown_slugify(arena, "Leerjaar 3 (KB)"), "leerjaar-3-kb");
    CHECK_STR("slug hindi vowel signs kept", markdown_slugify(arena, "हिन्दी भाषा"), "हिन्दी-भाषा");
    CHECK_STR("slug empty", markdown_slugify(arena, "?!"), "sectie");

    d = render("# Плани\n\n## ما هو التدريب؟\n\n### እንታይ እዩ?\n", &o);
    CHECK_CONTAINS("arabic heading id", d.html, "<h2 id=\"ما-هو-التدريب\">ما هو التدريب؟</h2>");
    CHECK_CONTAINS("ukrainian heading id", d.html, "<h1 id=\"плани\">Плани</h1>");
    CHECK_CONTAINS("tigrinya heading id", d.html, "<h3 id=\"እንታይ-እዩ\">እንታይ እዩ?</h3>");

    d = render("## Vragen\n\ntekst\n\n## Vragen\n\n## vragen!\n\n## Vragen 2\n\n## ???\n", &o);
    CHECK("five headings listed", d.n_headings == 5, "n=%zu", d.n_headings);
    if (d.n_headings == 5) {
        CHECK_STR("first keeps its id", d.headings[0].id, "vragen");
        CHECK_STR("duplicate gets -2", d.headings[1].id, "vragen-2");
        CHECK_STR("third gets -3", d.headings[2].id, "vragen-3");
        CHECK_STR("literal 'vragen 2' does not collide", d.headings[3].id, "vragen-2-2");
        CHECK_STR("empty slug falls back", d.headings[4].id, "sectie");
        CHECK("heading level recorded", d.headings[0].level == 2, "%d", d.headings[0].level);
        CHECK_STR("heading text recorded", d.headings[2].text, "vragen!");
    }
    CHECK_CONTAINS("duplicate id in html", d.html, "<h2 id=\"vragen-2\">Vragen</h2>");

    d = render("### Over `code` en [de *link*](https://x.nl)\n", &o);
    CHECK("heading text is plain", d.n_headings == 1 && !strcmp(d.headings[0].text, "Over code en de link"),
          "%s", d.n_headings ? d.headings[0].text : "(none)");
    CHECK_CONTAINS("heading keeps inline markup", d.html,
                   "<h3 id=\"over-code-en-de-link\">Over <code>code</code> en <a href=\"https://x.nl\">de "
                   "<em>link</em></a></h3>");

    d = render("Titel\n=====\n\nOndertitel <b>x</b>\n---\n", &o);
    CHECK_CONTAINS("setext heading gets id", d.html, "<h1 id=\"titel\">Titel</h1>");
    CHECK("raw HTML in heading still dropped", !strstr(d.html, "<b>"), "%s", d.html);
}

static void test_blocks(void)
{
    CHECK_SUITE("markdown blocks");
    MdOptions o = opts(false);
    block_calls = 0;
    MdDoc d = render("Intro.\n\n```tip titel=\"Zeg \\\"hoi\\\" & lach\" regels=5\nDit is **vet**.\n\n- een\n```\n\nNa.", &o);
    CHECK_STR("block rendered through template with attributes and Markdown body", d.html,
              "<p>Intro.</p>\n<div class=\"blok-tip\" data-titel=\"Zeg &quot;hoi&quot; &amp; lach\" "
              "data-regels=\"5\"><p>Dit is <strong>vet</strong>.</p>\n<ul>\n<li>een</li>\n</ul>\n</div>\n"
              "<p>Na.</p>\n");
    CHECK("template called once", block_calls == 1, "%d", block_calls);

    /* a byte that is not UTF-8 in an attribute value becomes U+FFFD (the
     * Unicode Standard's substitution of ill-formed sequences), where it
     * stands and at the very end */
    d = render("```tip titel=\"a\xff" "b\"\nX\n```\n", &o);
    CHECK_CONTAINS("an ill-formed byte inside an attribute value is U+FFFD", d.html, "data-titel=\"a\xEF\xBF\xBD" "b\"");
    d = render("```tip titel=\"ab\xff\"\nX\n```\n", &o);
    CHECK_CONTAINS("an ill-formed byte ending an attribute value is U+FFFD", d.html, "data-titel=\"ab\xEF\xBF\xBD\"");
    d = render("```tip titel=\"caf\xc3\xa9\"\nX\n```\n", &o);
    CHECK_CONTAINS("a well-formed attribute value is kept as written", d.html, "data-titel=\"caf\xc3\xa9\"");

    d = render("````antwoord regels=3\nBuiten.\n\n```tip\nBinnen.\n```\n````\n", &o);
    CHECK_STR("nested blocks with longer fence", d.html,
              "<div class=\"blok-antwoord\" data-regels=\"3\"><p>Buiten.</p>\n"
              "<div class=\"blok-tip\"><p>Binnen.</p>\n</div>\n</div>\n");

    d = render("- punt\n\n  ~~~tip kleur=groen\n  In een lijst.\n  ~~~\n", &o);
    CHECK_CONTAINS("tilde block inside a list item", d.html,
                   "<div class=\"blok-tip\" data-kleur=\"groen\"><p>In een lijst.</p>\n</div>");

    d = render("```python\nprint(\"<b>hoi</b>\")\n```\n", &o);
    CHECK_STR("other fences stay escaped code", d.html,
              "<pre><code class=\"language-python\">print(&quot;&lt;b&gt;hoi&lt;/b&gt;&quot;)\n</code></pre>\n");

    d = render("```\n<script>x</script>\n```\n\n    ingesprongen tip\n", &o);
    CHECK("fence without info and indented code stay code",
          strstr(d.html, "<pre><code>&lt;script&gt;x&lt;/script&gt;\n</code></pre>") &&
              strstr(d.html, "<pre><code>ingesprongen tip\n</code></pre>"),
          "%s", d.html);

    d = render("```tip\n## Kop in tip\n```\n\n## Kop in tip\n", &o);
    CHECK("headings inside blocks share de-duplication",
          d.n_headings == 2 && !strcmp(d.headings[0].id, "kop-in-tip") &&
              !strcmp(d.headings[1].id, "kop-in-tip-2"),
          "%s", d.html);

    d = render("## Programma\n\n```tip\nA\n```\n\n## Verder\n\nTekst.\n\n```tip\nB\n```\n", &o);
    CHECK("a block right after a heading gets that heading's text, one after text does not",
          strstr(d.html, "<div class=\"blok-tip\" data-na-kop=\"Programma\"><p>A</p>") &&
              strstr(d.html, "<div class=\"blok-tip\"><p>B</p>"),
          "%s", d.html);

    d = render("```tip leeg=\"\"\n```\n", &o);
    CHECK_STR("empty body and empty quoted value", d.html, "<div class=\"blok-tip\" data-leeg=\"\"></div>\n");
}

/* Block templates lay out a body's list items (a timed programme, cards):
 * the items come from the parsed list, not from the HTML. */
static void test_block_items(void)
{
    CHECK_SUITE("markdown block items");
    MdOptions o = opts(false);
    render("```tip\n- een\n- *twee*\n```\n", &o);
    CHECK_STR("tight list: each item's inline HTML", last_items, "een|<em>twee</em>");
    render("```tip\n- een\n\n- 19:15 Welkom\n```\n", &o);
    CHECK_STR("loose list: a lone paragraph without <p>", last_items, "een|19:15 Welkom");
    render("```tip\n- a\n\n  b\n- c\n```\n", &o);
    CHECK_STR("two paragraphs keep their <p>", last_items, "<p>a</p>\n<p>b</p>|c");
    render("```tip\n- a\n  - b\n- c\n```\n", &o);
    CHECK_STR("a nested list belongs to its item", last_items, "a\n<ul>\n<li>b</li>\n</ul>|c");
    render("```tip\nTekst.\n\n> - geciteerd\n\n1. een\n2. twee\n```\n", &o);
    CHECK_STR("items of every list in the body, in order", last_items, "geciteerd|een|twee");
    render("```tip\n- [ ] doen\n```\n", &o);
    CHECK_STR("a task item keeps its checkbox", last_items, "<input type=\"checkbox\" disabled=\"\" /> doen");
    /* the inner block renders its own list into its HTML; that list is not the outer block's */
    MdDoc d = render("````antwoord\nIntro.\n\n```tip\n- binnen\n```\n````\n", &o);
    CHECK_STR("a nested block's list is not an item of the outer block", last_items, "");
    CHECK_CONTAINS("(the nested list is rendered)", d.html, "<li>binnen</li>");
    render("```tip\n- a\n\n  ```antwoord\n  x & y\n  ```\n```\n", &o);
    CHECK_STR("an item with a nested block is rendered whole", last_items,
              "<p>a</p>\n<div class=\"blok-antwoord\"><p>x &amp; y</p>\n</div>");
}

/* One page, several texts (a print pack, a bilingual handout): ids made
 * unique on the page, every other byte kept. */
static void test_unique_ids(void)
{
    CHECK_SUITE("markdown ids per page");
    MdOptions o = opts(false);
    MdDoc one = render("## Doel\n\nTekst.\n\n## Doel\n\n```\n<h2 id=\"doel\">\n```\n", &o);
    MdDoc two = render("## Doel\n\nAnders.\n\n## Stappen\n", &o);
    SlugSet ids = SLUGSET_INIT(arena);
    slugset_take(&ids, "stappen");
    const char *a = markdown_unique_ids(arena, &ids, one.html, &one, NULL);
    const char *b = markdown_unique_ids(arena, &ids, two.html, &two, NULL);
    CHECK_STR("the first text keeps its ids", a, one.html);
    CHECK_STR("the second text's repeated ids get the next suffix; nothing else changes", b,
              "<h2 id=\"doel-3\">Doel</h2>\n<p>Anders.</p>\n<h2 id=\"stappen-2\">Stappen</h2>\n");
    CHECK_CONTAINS("a heading tag inside code is text, not an id", a, "&lt;h2 id=&quot;doel&quot;&gt;");
    /* a section of a text: only its own headings take ids */
    SlugSet ids2 = SLUGSET_INIT(arena);
    const char *sec = markdown_unique_ids(arena, &ids2, two.sections[1].html, &two, NULL);
    CHECK("a fragment takes only the ids in it", !strcmp(sec, two.sections[1].html) && slugset_has(&ids2, "stappen") &&
                                                   !slugset_has(&ids2, "doel"),
          "%s", sec);
    slugset_free(&ids);
    slugset_free(&ids2);

    /* a text's links to its own headings follow them when they are renamed
     * (a browser goes to the first element with the id: the other text's) */
    MdDoc first = render("## Voor ouders\n\nTekst.\n\n## مقدمة\n", &o);
    MdDoc second = render("Lees [de uitleg](#voor-ouders) en [dit](#%D9%85%D9%82%D8%AF%D9%85%D8%A9), "
                          "[elders](#stappen) en [ook](../x.html#voor-ouders).\n\n"
                          "## Voor ouders\n\nTekst.\n\n## مقدمة\n\nZie [boven](#مقدمة).\n", &o);
    SlugSet page = SLUGSET_INIT(arena);
    IdRenames r1 = {0}, r2 = {0};
    const char *f = markdown_unique_ids(arena, &page, first.html, &first, &r1);
    CHECK("the first text keeps its ids and renames nothing", f == first.html && r1.n == 0, "%zu", r1.n);
    CHECK_STR("(so its links are left alone)", markdown_relink_fragments(arena, f, &r1), f);
    const char *s2 = markdown_unique_ids(arena, &page, second.html, &second, &r2);
    const char *linked = markdown_relink_fragments(arena, s2, &r2);
    CHECK_CONTAINS("a link to a renamed heading points at its new id", linked,
                   "<a href=\"#voor-ouders-2\">de uitleg</a>");
    CHECK_CONTAINS("a percent-escaped link to a renamed heading follows it", linked,
                   "<a href=\"#%D9%85%D9%82%D8%AF%D9%85%D8%A9-2\">dit</a>");
    CHECK_CONTAINS("a link written in the script itself follows it too", linked, "-2\">boven</a>");
    CHECK_CONTAINS("a link to an id that was not renamed stays", linked, "<a href=\"#stappen\">elders</a>");
    CHECK_CONTAINS("a link to another page stays", linked, "<a href=\"../x.html#voor-ouders\">ook</a>");
    CHECK_CONTAINS("(the heading itself was renamed)", linked, "<h2 id=\"voor-ouders-2\">");
    slugset_free(&page);

    /* a bilingual handout passes a text in sections: a link in one section
     * to a heading in a later one follows it as well */
    MdDoc cut = render("## Inleiding\n\nZie [de stappen](#stappen).\n\n## Stappen\n\nDoen.\n", &o);
    SlugSet page2 = SLUGSET_INIT(arena);
    slugset_take(&page2, "stappen");
    IdRenames r3 = {0};
    const char *p0 = markdown_unique_ids(arena, &page2, cut.sections[0].html, &cut, &r3);
    const char *p1 = markdown_unique_ids(arena, &page2, cut.sections[1].html, &cut, &r3);
    CHECK_CONTAINS("a link to a heading in a later section follows it", markdown_relink_fragments(arena, p0, &r3),
                   "<a href=\"#stappen-2\">de stappen</a>");
    CHECK_CONTAINS("(that heading was renamed in its own section)", p1, "<h2 id=\"stappen-2\">");
    slugset_free(&page2);

    /* a long text: 40 headings (more than the first room for start tags),
     * each id already on the page once */
    Buf many = BUF_INIT;
    for (int k = 0; k < 40; k++)
        buf_printf(&many, "### Vraag %d\n\nTekst.\n\n", k);
    MdDoc big = render(buf_cstr(&many), &o);
    SlugSet page3 = SLUGSET_INIT(arena);
    for (int k = 0; k < 40; k++)
        slugset_take(&page3, arena_printf(arena, "vraag-%d", k)); /* the set keeps the pointer */
    IdRenames r4 = {0};
    const char *all = markdown_unique_ids(arena, &page3, big.html, &big, &r4);
    CHECK("every one of 40 repeated ids gets a suffix", r4.n == 40 && strstr(all, "<h3 id=\"vraag-0-2\">") &&
                                                          strstr(all, "<h3 id=\"vraag-39-2\">") &&
                                                          !strstr(all, "<h3 id=\"vraag-39\">"),
          "n=%zu", r4.n);
    slugset_free(&page3);
    buf_free(&many);
}

static void expect_error(const char *name, const char *md, int first_line, int line, int col,
                         const char *msg_part)
{
    MdOptions o = opts(false);
    Diags d = DIAGS_INIT;
    bool ok;
    render_full(md, first_line, &o, &d, &ok);
    bool found = false;
    for (size_t i = 0; i < d.len; i++)
        if (d.items[i].level == DIAG_ERROR && d.items[i].line == line && d.items[i].col == col &&
            strstr(d.items[i].msg, msg_part) && d.items[i].file &&
            !strcmp(d.items[i].file, "content/x.nl.md"))
            found = true;
    CHECK(name, !ok && found, "ok=%d n=%zu first=%s:%d:%d %s", ok, d.len,
          d.len && d.items[0].file ? d.items[0].file : "-", d.len ? d.items[0].line : 0,
          d.len ? d.items[0].col : 0, d.len ? d.items[0].msg : "(none)");
    diags_free(&d);
}

static void test_block_errors(void)
{
    CHECK_SUITE("markdown block errors");
    /* body starts on file line 5; the fence is body line 3 -> file line 7 */
    expect_error("uppercase attribute name", "Tekst.\n\n```tip regels=5 Titel=x\nbody\n```\n", 5, 7, 17,
                 "\"Titel\" is not a valid attribute name");
    expect_error("unclosed quote", "```tip titel=\"open\nbody\n```\n", 1, 1, 8, "no closing quote");
    expect_error("attribute without value", "\n```tip regels\n```\n", 10, 11, 8, "has no value");
    expect_error("attribute with empty bare value", "```tip regels= x=1\n```\n", 1, 1, 8, "has no value");
    expect_error("text after closing quote", "```tip a=\"x\"y\n```\n", 1, 1, 8, "after its closing quote");
    expect_error("duplicate attribute", "```tip a=1 a=2\n```\n", 1, 1, 12, "given twice");
    expect_error("quote inside bare value", "```tip a=x\"y\n```\n", 1, 1, 8, "contains a quote");
    /* fence on body line 2 (file 21), nested fence on its line 2 -> file line 23, indented by 2 */
    expect_error("error in a nested block: right line and column",
                 "\n- ````antwoord\n  Tekst.\n  ```tip Fout=1\n  ```\n  ````\n", 20, 23, 10,
                 "\"Fout\" is not a valid attribute name");
    expect_error("CRLF line endings count lines like cmark", "A\r\n\r\n```tip Fout=1\r\n```\r\n", 1, 3, 8,
                 "\"Fout\" is not a valid attribute name");
    expect_error("column counts characters, not bytes", "```tip één=1\n```\n", 1, 1, 8,
                 "\"één\" is not a valid attribute name");
    expect_error("failing template fails the render", "Tekst.\n\n```kapot\nx\n```\n", 1, 3, 1,
                 "failed");

    /* ten blocks inside each other, each fence one backtick longer than the one inside */
    Buf b = BUF_INIT;
    for (int i = 10; i >= 1; i--) {
        for (int k = 0; k < i + 2; k++)
            buf_putc(&b, '`');
        buf_puts(&b, "tip\n");
    }
    buf_puts(&b, "diep\n");
    for (int i = 1; i <= 10; i++) {
        for (int k = 0; k < i + 2; k++)
            buf_putc(&b, '`');
        buf_putc(&b, '\n');
    }
    expect_error("blocks nested too deep", buf_cstr(&b), 1, 9, 1, "nested more than 8");
    buf_free(&b);
}

static void test_glossary(void)
{
    CHECK_SUITE("markdown glossary");
    MdOptions o = opts(true);
    MdDoc d = render("## Wat is een stage?\n\n"
                     "Je stages en de bliksemstage tellen niet, [een stage](https://x.nl) ook niet, "
                     "`stage` ook niet.\n"
                     "De Stage begint in mei. Na de stage volgt meer.\n",
                     &o);
    CHECK("no link in the heading", strstr(d.html, "<h2 id=\"wat-is-een-stage\">Wat is een stage?</h2>") != NULL,
          "%s", d.html);
    CHECK_CONTAINS("first use linked, original case kept, title escaped", d.html,
                   "De <a class=\"term\" href=\"/nl/woordenlijst/#stage\" title=\"Een periode waarin "
                   "je &quot;meewerkt&quot; in een bedrijf\">Stage</a> begint");
    CHECK("only the first use is linked", count_of(d.html, "class=\"term\"") == 1, "%s", d.html);
    CHECK_CONTAINS("plural and compound not linked", d.html, "Je stages en de bliksemstage tellen");
    CHECK_CONTAINS("link text untouched", d.html, "<a href=\"https://x.nl\">een stage</a>");
    CHECK_CONTAINS("code untouched", d.html, "<code>stage</code>");

    d = render("Een beroep kiezen is lastig. Elk beroep telt.", &o);
    CHECK_CONTAINS("longer term wins at the same position", d.html,
                   "<a class=\"term\" href=\"/nl/woordenlijst/#beroep-kiezen\">beroep kiezen</a> is lastig");
    CHECK_CONTAINS("shorter term linked at its own first use", d.html,
                   "Elk <a class=\"term\" href=\"/nl/woordenlijst/#beroep\">beroep</a> telt");

    d = render("We gaan naar het CAFÉ.", &o);
    CHECK_CONTAINS("case-insensitive beyond ASCII", d.html,
                   "<a class=\"term\" href=\"/nl/woordenlijst/#cafe\">CAFÉ</a>");

    d = render("Na de *stage*s en bliksem*stage* komt de **stage**.", &o);
    CHECK_CONTAINS("word boundaries across emphasis", d.html,
                   "<strong><a class=\"term\" href=\"/nl/woordenlijst/#stage\" title=\"Een periode "
                   "waarin je &quot;meewerkt&quot; in een bedrijf\">stage</a></strong>");
    CHECK("emphasised parts of words not linked", count_of(d.html, "class=\"term\"") == 1, "%s", d.html);

    d = render("```tip titel=stage\nDe stage duurt een week.\n```\n\nDe stage is leuk.", &o);
    CHECK_CONTAINS("block attribute not linked", d.html, "data-titel=\"stage\"");
    CHECK_CONTAINS("first use inside a block body is linked", d.html,
                   "<p>De <a class=\"term\" href=\"/nl/woordenlijst/#stage\"");
    CHECK("document order across blocks", count_of(d.html, "class=\"term\"") == 1, "%s", d.html);

    d = render("Een dag voor ouder & kind.", &o);
    CHECK_CONTAINS("term across cmark's split at &", d.html,
                   "<a class=\"term\" href=\"/nl/woordenlijst/#ouder-kind\">ouder &amp; kind</a>");

    d = render("De mentor belt.", &o);
    CHECK_CONTAINS("dangerous glossary href blanked", d.html, "<a class=\"term\" href=\"\">mentor</a>");

    static const MdTerm twice[] = {{"Stage", "/a", NULL}, {"bank", "/b", NULL}, {"stage", "/c", NULL}};
    MdOptions o2 = opts(false);
    o2.terms = twice;
    o2.n_terms = 3;
    d = render("Een stage, nog een stage en een bank.", &o2);
    CHECK("a term listed twice links once, to its first entry",
          count_of(d.html, "class=\"term\"") == 2 && strstr(d.html, "href=\"/a\">stage</a>, nog een stage"),
          "%s", d.html);

    d = render("| stage | x |\n|---|---|\n| y | z |\n\n> een stage\n", &o);
    CHECK_CONTAINS("terms in table cells", d.html, "<th><a class=\"term\"");
}

static void test_sections(void)
{
    CHECK_SUITE("markdown sections");
    MdOptions o = opts(false);
    MdDoc d = render("Inleiding.\n\n## Een\n\nA\n\n## Twee\n\nB\n\n### Sub\n\nC\n", &o);
    CHECK("three sections", d.n_sections == 3, "n=%zu", d.n_sections);
    if (d.n_sections == 3) {
        CHECK("first is level 0", d.sections[0].level == 0 && !strcmp(d.sections[0].id, ""),
              "level=%d", d.sections[0].level);
        CHECK_STR("level-0 html", d.sections[0].html, "<p>Inleiding.</p>\n");
        CHECK("second opened by h2", d.sections[1].level == 2, "%d", d.sections[1].level);
        CHECK_STR("section id", d.sections[1].id, "een");
        CHECK_STR("section text", d.sections[1].text, "Een");
        CHECK_STR("section html includes heading", d.sections[1].html, "<h2 id=\"een\">Een</h2>\n<p>A</p>\n");
        CHECK_STR("h3 stays in its section", d.sections[2].html,
                  "<h2 id=\"twee\">Twee</h2>\n<p>B</p>\n<h3 id=\"sub\">Sub</h3>\n<p>C</p>\n");
    }
    Buf all = BUF_INIT;
    for (size_t i = 0; i < d.n_sections; i++)
        buf_puts(&all, d.sections[i].html);
    CHECK_STR("sections concatenate to html", buf_cstr(&all), d.html);
    buf_free(&all);

    d = render("## Meteen\n\nTekst.\n", &o);
    CHECK("no empty level-0 section", d.n_sections == 1 && d.sections[0].level == 2, "n=%zu",
          d.n_sections);

    d = render("[x]: https://x.nl\n\n## Kop\n", &o);
    CHECK("reference definition alone makes no section", d.n_sections == 1, "n=%zu", d.n_sections);

    d = render("> ## In citaat\n\nTekst.\n", &o);
    CHECK("nested h2 does not cut", d.n_sections == 1 && d.sections[0].level == 0, "n=%zu", d.n_sections);

    /* the per-section rendering must equal cmark's whole-document rendering */
    const char *md = "Tekst *met* nadruk\nen een regel.\n\n> citaat\n> - lijst\n\n1. een\n2. twee\n\n"
                     "| a | b |\n|:--|--:|\n| 1 | 2 |\n\n---\n\n```c\nint x;\n```\n\n    code\n\n"
                     "- [ ] taak\n\n  los\n- b\n\n<div>rauw</div>\n\nslot";
    d = render(md, &o);
    cmark_gfm_core_extensions_ensure_registered();
    cmark_parser *p = cmark_parser_new(CMARK_OPT_VALIDATE_UTF8);
    const char *names[] = {"table", "strikethrough", "autolink", "tasklist"};
    for (int i = 0; i < 4; i++)
        cmark_parser_attach_syntax_extension(p, cmark_find_syntax_extension(names[i]));
    cmark_parser_feed(p, md, strlen(md));
    cmark_node *root = cmark_parser_finish(p);
    char *whole = cmark_render_html(root, 0, cmark_parser_get_syntax_extensions(p));
    CHECK_STR("same as a whole-document render", d.html, whole);
    free(whole);
    cmark_node_free(root);
    cmark_parser_free(p);
}

static void test_plain_and_determinism(void)
{
    CHECK_SUITE("markdown plain text and determinism");
    MdOptions o = opts(true);
    const char *md = "# Titel\n\nEen *mooie* tekst\nmet [een link](https://x.nl).\n\n- een\n- twee\n\n"
                     "```tip a=1\nIn de tip.\n```\n\n<b>rauw</b> eind.";
    MdDoc a = render(md, &o);
    CHECK_STR("plain text", a.plain, "Titel\n\nEen mooie tekst met een link.\n\neen\ntwee\n\nIn de tip.\n\nrauw eind.");
    MdDoc b = render(md, &o);
    CHECK("same input, same html", !strcmp(a.html, b.html), "%s\n---\n%s", a.html, b.html);
    CHECK("same input, same plain", !strcmp(a.plain, b.plain), "%s", b.plain);
    CHECK("same input, same sections", a.n_sections == b.n_sections, "%zu/%zu", a.n_sections, b.n_sections);
}

/* markdown_render_twin: one parse, the web rendering as markdown_render
 * with terms gives it and the print one as markdown_render without terms,
 * byte for byte, in every part (sections, parts, blocks' bodies) */
static void same_doc(const char *what, const MdDoc *got, const MdDoc *want)
{
    CHECK(what, !strcmp(got->html, want->html), "html:\n%s\n--- want:\n%s", got->html, want->html);
    bool same = got->n_sections == want->n_sections && !strcmp(got->plain, want->plain) &&
                got->n_headings == want->n_headings;
    for (size_t i = 0; same && i < got->n_sections; i++) {
        const MdSection *g = &got->sections[i], *w = &want->sections[i];
        same = !strcmp(g->html, w->html) && !strcmp(g->id, w->id) && !strcmp(g->text, w->text) &&
               g->n_parts == w->n_parts;
        for (size_t k = 0; same && k < g->n_parts; k++)
            same = !strcmp(g->parts[k].html, w->parts[k].html) &&
                   !strcmp(g->parts[k].block ? g->parts[k].block : "", w->parts[k].block ? w->parts[k].block : "");
    }
    for (size_t i = 0; same && i < got->n_headings; i++)
        same = !strcmp(got->headings[i].id, want->headings[i].id);
    CHECK(what, same, "sections, parts, plain text or headings differ");
}

static void test_twin(void)
{
    CHECK_SUITE("markdown web and print from one parse");
    static const char *const texts[] = {
        /* terms in the text and in a block's body and list items */
        "Voor de stage.\n\n## Een beroep kiezen\n\nOver een beroep en de stage.\n\n"
        "```tip\nDe mentor helpt bij de stage.\n\n- een beroep\n- café\n```\n\n## Eind\n\nOuder & kind.\n",
        /* a term only inside a block */
        "Tekst.\n\n```antwoord regels=2\nWelk beroep?\n```\n",
        /* no term anywhere: print is web */
        "Gewone tekst.\n\n```tip\nNiets.\n```\n",
        /* a term in a table cell and in a block in a block */
        "| stage | x |\n|---|---|\n| beroep | y |\n\n````tip\n```antwoord\ncafé\n```\n````\n",
    };
    for (size_t t = 0; t < sizeof texts / sizeof texts[0]; t++) {
        MdOptions with = opts(true), without = opts(false);
        MdDoc web_want = render(texts[t], &with);
        MdDoc print_want = render(texts[t], &without);
        CountCtx web_ctx = {0}, print_ctx = {0};
        MdOptions o = opts(true);
        o.ctx = &web_ctx;
        o.print_ctx = &print_ctx;
        MdDoc web, print;
        Diags d = DIAGS_INIT;
        bool ok = markdown_render_twin(arena, "content/x.nl.md", 1, texts[t], strlen(texts[t]), &o, &web, &print, &d);
        CHECK("renders", ok && !d.len, "text %zu: %s", t, d.len ? d.items[0].msg : "");
        diags_free(&d);
        same_doc("web is markdown_render with terms", &web, &web_want);
        same_doc("print is markdown_render without terms", &print, &print_want);
        /* every block is rendered for print exactly once, through print_ctx */
        size_t blocks = count_of(print_want.html, "<div class=\"blok-");
        CHECK("each block once through print_ctx", print_ctx.calls == (int)blocks, "text %zu: %d calls, %zu blocks",
              t, print_ctx.calls, blocks);
        if (t == 2)
            CHECK("no glossary link: nothing rendered twice", web_ctx.calls == 0 && print.html == web.html,
                  "%d web calls", web_ctx.calls);
    }
}

int main(void)
{
    arena = arena_new();
    test_basics();
    test_raw_html();
    test_dangerous_links();
    test_headings();
    test_blocks();
    test_block_items();
    test_unique_ids();
    test_block_errors();
    test_glossary();
    test_sections();
    test_plain_and_determinism();
    test_twin();
    arena_free(arena);
    CHECK_DONE();
}
