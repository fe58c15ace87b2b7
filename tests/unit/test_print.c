/* Print output: the QR code on every handout, the rows of the bilingual
 * handout, and the font check that warns before a page prints as boxes. */
#include "check.h"
#include "locale.h"
#include "print.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* The n in viewBox="0 0 n n", or -1. */
static int viewbox_size(const char *svg)
{
    const char *v = strstr(svg, "viewBox=\"0 0 ");
    int a = -1, b = -2;
    if (!v || sscanf(v, "viewBox=\"0 0 %d %d\"", &a, &b) != 2 || a != b)
        return -1;
    return a;
}

/* The modules an SVG path of stroked lines paints, per SVG's path grammar
 * (absolute M, relative m, horizontal h; a line of width 1 along y + 0.5
 * covers the squares [x, x + n) x [y, y + 1)), into grid (size x size).
 * Returns false for anything else in the path. */
static bool paint_path(const char *svg, int size, unsigned char *grid)
{
    const char *d = strstr(svg, " d=\"");
    if (!d || !strstr(svg, "stroke=\"#000\"") || !strstr(svg, "stroke-width=\"1\""))
        return false;
    d += 4;
    double x = 0, y = 0;
    while (*d && *d != '"') {
        char cmd = *d++;
        char *e;
        if (cmd == 'M' || cmd == 'm') {
            double a = strtod(d, &e);
            if (e == d || *e != ' ')
                return false;
            double b = strtod(e + 1, &e);
            x = cmd == 'M' ? a : x + a;
            y = cmd == 'M' ? b : y + b;
        } else if (cmd == 'h') {
            double n = strtod(d, &e);
            if (e == d || n <= 0 || y - (int)y != 0.5)
                return false;
            for (int k = 0; k < (int)n; k++) {
                int gx = (int)x + k, gy = (int)y;
                if (gx < 0 || gy < 0 || gx >= size || gy >= size)
                    return false;
                grid[gy * size + gx]++;
            }
            x += n;
        } else {
            return false;
        }
        d = e;
    }
    return *d == '"';
}

static void test_qr_modules(void)
{
    CHECK_SUITE("qr");
    const char *urls[] = {"https://lob.example.nl/tr/thuisopdrachten/wat-kan-ik/", "x",
                          "https://lob.voorbeeldschool.nl/ar/gesprekken/gesprek-stage-en-keuze/"};
    for (size_t u = 0; u < sizeof urls / sizeof urls[0]; u++) {
        unsigned char *bits = NULL;
        int w = 0;
        Buf svg = BUF_INIT;
        bool ok = print_qr_encode(urls[u], &bits, &w) && print_qr_svg(urls[u], "qr", &svg);
        int size = ok ? w + 8 : 0;
        unsigned char *grid = ok ? calloc((size_t)size * (size_t)size, 1) : NULL;
        ok = ok && grid && viewbox_size(buf_cstr(&svg)) == size && paint_path(buf_cstr(&svg), size, grid);
        int wrong = 0, twice = 0;
        for (int y = 0; ok && y < size; y++)
            for (int x = 0; x < size; x++) {
                int qx = x - 4, qy = y - 4;
                bool dark = qx >= 0 && qy >= 0 && qx < w && qy < w &&
                            (bits[(qy * w + qx) >> 3] >> ((qy * w + qx) & 7) & 1);
                wrong += (grid[y * size + x] > 0) != dark;
                twice += grid[y * size + x] > 1;
            }
        CHECK("the path paints exactly the dark modules, each once, in a quiet zone of 4", ok && !wrong && !twice,
              "url=%s ok=%d wrong=%d twice=%d", urls[u], ok, wrong, twice);
        free(grid);
        free(bits);
        buf_free(&svg);
    }
}

static void test_qr(void)
{
    CHECK_SUITE("qr");
    const char *url = "https://lob.example.nl/tr/thuisopdrachten/wat-kan-ik/";
    Buf a = BUF_INIT, b = BUF_INIT, c = BUF_INIT;
    bool ok = print_qr_svg(url, "QR-code: <Türkçe> & \"online\" 'versie'", &a);
    const char *s = buf_cstr(&a);
    CHECK("encodes a URL", ok && a.len > 0, "");
    CHECK("is one <svg> element", !strncmp(s, "<svg", 4) && a.len >= 6 && !strcmp(s + a.len - 6, "</svg>"),
          "%.40s...", s);
    CHECK("is SVG in its namespace", strstr(s, "xmlns=\"http://www.w3.org/2000/svg\"") != NULL, "");
    int n = viewbox_size(s);
    /* a QR symbol is 17 + 4 * version modules wide, plus a quiet zone of 4 on each side */
    CHECK("viewBox is a QR symbol with its quiet zone", n >= 29 && (n - 8 - 17) % 4 == 0, "n=%d", n);
    CHECK("role img for screen readers", strstr(s, "role=\"img\"") != NULL, "");
    CHECK_CONTAINS("aria-label is escaped", s,
                   "aria-label=\"QR-code: &lt;Türkçe&gt; &amp; &quot;online&quot; &#39;versie&#39;\"");
    CHECK("draws dark modules", strstr(s, "d=\"M") != NULL && strstr(s, "h") != NULL, "");

    print_qr_svg(url, "QR-code: <Türkçe> & \"online\" 'versie'", &b);
    CHECK("the same URL gives the same SVG", a.len == b.len && !strcmp(buf_cstr(&a), buf_cstr(&b)), "");
    print_qr_svg("https://lob.example.nl/ar/thuisopdrachten/wat-kan-ik/", "QR-code: <Türkçe> & \"online\" 'versie'",
                 &c);
    CHECK("a different URL gives a different SVG", strcmp(buf_cstr(&a), buf_cstr(&c)) != 0, "");

    /* appends: a second code after the first leaves the first as it was */
    size_t first = b.len;
    print_qr_svg("x", "x", &b);
    CHECK("appends to what is there", b.len > first && !strncmp(b.data, a.data, first) &&
                                          !strncmp(b.data + first, "<svg", 4),
          "");

    Buf big = BUF_INIT, small = BUF_INIT;
    for (int i = 0; i < 600; i++)
        buf_puts(&big, "https://lob.example.nl/");
    Buf out = BUF_INIT;
    buf_puts(&out, "voor");
    ok = print_qr_svg(buf_cstr(&big), "te lang", &out);
    CHECK("text too long for a QR code is refused", !ok, "");
    CHECK("and adds nothing", !strcmp(buf_cstr(&out), "voor"), "len=%zu", out.len);
    print_qr_svg("https://x.nl/", "kort", &small);
    int n_small = viewbox_size(buf_cstr(&small));
    CHECK("a longer URL needs a bigger symbol", n_small > 0 && n_small < n, "small=%d url=%d", n_small, n);
    buf_free(&out);
    buf_free(&big);
    buf_free(&small);
    buf_free(&a);
    buf_free(&b);
    buf_free(&c);
}

static MdSection sec(int level, const char *html) { return (MdSection){level, "", "", html, NULL, 0}; }

static const char *cell(const Value *rows, size_t i, const char *side)
{
    if (!rows || rows->kind != V_LIST || i >= rows->u.list.len)
        return "(no row)";
    const char *s = value_cstr(value_get(rows->u.list.items[i], side));
    return s ? s : "(null)";
}

/* rows match want: pairs of {home, source}, NULL-terminated */
static bool rows_are(const Value *rows, const char *const *want, size_t n)
{
    if (!rows || rows->kind != V_LIST || rows->u.list.len != n)
        return false;
    for (size_t i = 0; i < n; i++)
        if (strcmp(cell(rows, i, "home"), want[2 * i]) || strcmp(cell(rows, i, "source"), want[2 * i + 1]))
            return false;
    return true;
}

static void show(const Value *rows)
{
    for (size_t i = 0; rows && i < rows->u.list.len; i++)
        printf("    row %zu: [%s] | [%s]\n", i, cell(rows, i, "home"), cell(rows, i, "source"));
}

static void test_bilingual(void)
{
    CHECK_SUITE("bilingual rows");
    Arena *a = arena_new();

    MdSection h1[] = {sec(0, "<p>giriş</p>"), sec(2, "<h2>Ebeveynler</h2>"), sec(2, "<h2>Sorular</h2>")};
    MdSection s1[] = {sec(0, "<p>intro</p>"), sec(2, "<h2>Voor ouders</h2>"), sec(2, "<h2>De vragen</h2>")};
    MdDoc home = {.sections = h1, .n_sections = 3}, source = {.sections = s1, .n_sections = 3};
    Value *rows = print_bilingual_rows(a, &home, &source);
    const char *w1[] = {"<p>giriş</p>", "<p>intro</p>", "<h2>Ebeveynler</h2>", "<h2>Voor ouders</h2>",
                        "<h2>Sorular</h2>", "<h2>De vragen</h2>"};
    CHECK("sections pair by index", rows_are(rows, w1, 3), "");
    if (!rows_are(rows, w1, 3))
        show(rows);

    /* only the translation has an intro */
    MdSection h2[] = {sec(0, "<p>giriş</p>"), sec(2, "<h2>A</h2>"), sec(2, "<h2>B</h2>")};
    MdSection s2[] = {sec(2, "<h2>a</h2>"), sec(2, "<h2>b</h2>")};
    home = (MdDoc){.sections = h2, .n_sections = 3};
    source = (MdDoc){.sections = s2, .n_sections = 2};
    rows = print_bilingual_rows(a, &home, &source);
    const char *w2[] = {"<p>giriş</p>", "", "<h2>A</h2>", "<h2>a</h2>", "<h2>B</h2>", "<h2>b</h2>"};
    CHECK("an intro in the translation only gets its own row", rows_are(rows, w2, 3), "");
    if (!rows_are(rows, w2, 3))
        show(rows);

    /* only the source has an intro */
    home = (MdDoc){.sections = s2, .n_sections = 2};
    source = (MdDoc){.sections = h2, .n_sections = 3};
    rows = print_bilingual_rows(a, &home, &source);
    const char *w3[] = {"", "<p>giriş</p>", "<h2>a</h2>", "<h2>A</h2>", "<h2>b</h2>", "<h2>B</h2>"};
    CHECK("an intro in the source only gets its own row", rows_are(rows, w3, 3), "");
    if (!rows_are(rows, w3, 3))
        show(rows);

    /* fewer sections on one side: empty cells */
    MdSection h4[] = {sec(2, "<h2>A</h2>")};
    MdSection s4[] = {sec(2, "<h2>a</h2>"), sec(2, "<h2>b</h2>"), sec(2, "<h2>c</h2>")};
    home = (MdDoc){.sections = h4, .n_sections = 1};
    source = (MdDoc){.sections = s4, .n_sections = 3};
    rows = print_bilingual_rows(a, &home, &source);
    const char *w4[] = {"<h2>A</h2>", "<h2>a</h2>", "", "<h2>b</h2>", "", "<h2>c</h2>"};
    CHECK("a shorter translation gets empty cells", rows_are(rows, w4, 3), "");
    if (!rows_are(rows, w4, 3))
        show(rows);
    rows = print_bilingual_rows(a, &source, &home);
    const char *w5[] = {"<h2>a</h2>", "<h2>A</h2>", "<h2>b</h2>", "", "<h2>c</h2>", ""};
    CHECK("a shorter source gets empty cells", rows_are(rows, w5, 3), "");

    MdDoc empty = {0};
    rows = print_bilingual_rows(a, &empty, &empty);
    CHECK("two empty texts give no rows", rows && rows->kind == V_LIST && rows->u.list.len == 0, "");
    arena_free(a);
}

static void test_parts(void)
{
    CHECK_SUITE("bilingual rows per question");
    Arena *a = arena_new();
    MdAttr five[] = {{.name = "regels", .value = "5"}};
    MdPart hp[] = {{"<h2>S</h2><p>q1</p>", "antwoord", five, 1}, {"<p>q2</p>", "antwoord", NULL, 0}, {"<p>x</p>", NULL, NULL, 0}};
    MdPart sp[] = {{"<h2>V</h2><p>v1</p>", "antwoord", five, 1}, {"<p>v2</p>", "antwoord", NULL, 0}, {"", NULL, NULL, 0}};
    MdSection h[] = {{2, "s", "S", "<h2>S</h2><p>q1</p><p>q2</p><p>x</p>", hp, 3}};
    MdSection s[] = {{2, "v", "V", "<h2>V</h2><p>v1</p><p>v2</p>", sp, 3}};
    MdDoc home = {.sections = h, .n_sections = 1}, source = {.sections = s, .n_sections = 1};
    Value *rows = print_bilingual_rows(a, &home, &source);
    const char *w[] = {"<h2>S</h2><p>q1</p>", "<h2>V</h2><p>v1</p>", "<p>q2</p>", "<p>v2</p>", "<p>x</p>", ""};
    CHECK("the same blocks on both sides: a row per block", rows_are(rows, w, 3), "");
    if (!rows_are(rows, w, 3))
        show(rows);
    const Value *r0 = rows->u.list.len == 3 ? rows->u.list.items[0] : NULL;
    const Value *ans = value_get(value_get(r0, "after"), "antwoord");
    const Value *lines = value_get(ans, "regels_list");
    CHECK("a row ending with a block names it under after, with its attributes and counts",
          ans && !strcmp(value_cstr(value_get(value_get(ans, "attrs"), "regels")), "5") && lines &&
              lines->kind == V_LIST && lines->u.list.len == 5,
          "");
    CHECK("the last part ends with no block",
          rows->u.list.len == 3 && !value_get(rows->u.list.items[2], "after"), "");

    /* a translation with a block the source lacks: no per-question rows */
    MdPart sp2[] = {{"<h2>V</h2><p>v1</p>", "tip", NULL, 0}, {"<p>v2</p>", "antwoord", NULL, 0}, {"", NULL, NULL, 0}};
    MdSection s2[] = {{2, "v", "V", "<h2>V</h2><p>v1</p><p>v2</p>", sp2, 3}};
    source = (MdDoc){.sections = s2, .n_sections = 1};
    rows = print_bilingual_rows(a, &home, &source);
    const char *w2[] = {"<h2>S</h2><p>q1</p><p>q2</p><p>x</p>", "<h2>V</h2><p>v1</p><p>v2</p>"};
    CHECK("different blocks: the sections pair whole", rows_are(rows, w2, 1), "");

    /* cards: block i of a name beside block i, item beside item */
    Value *hb = value_map(a), *sb = value_map(a);
    const char *const hw[] = {"dapper", "eerlijk"}, *const sw[] = {"cesur"};
    Value *hl = value_list(a), *sl = value_list(a), *hi = value_list(a), *si = value_list(a);
    for (int i = 0; i < 2; i++) {
        Value *it = value_map(a);
        value_set_str(a, it, "html", hw[i]);
        value_push(a, hi, it);
    }
    Value *it = value_map(a);
    value_set_str(a, it, "html", sw[0]);
    value_push(a, si, it);
    Value *b1 = value_map(a), *b2 = value_map(a);
    value_set(a, b1, "items", hi);
    value_set(a, b2, "items", si);
    value_push(a, hl, b1);
    value_push(a, sl, b2);
    value_set(a, hb, "complimenten", hl);
    value_set(a, sb, "complimenten", sl);
    value_set(a, hb, "tip", value_list(a));
    Value *pairs = print_pair_blocks(a, hb, sb);
    const Value *cl = value_get(pairs, "complimenten");
    const Value *items = value_get(cl && cl->u.list.len ? cl->u.list.items[0] : NULL, "items");
    CHECK("cards pair item by item, an empty side where one has fewer",
          items && items->u.list.len == 2 &&
              !strcmp(value_cstr(value_get(items->u.list.items[0], "home")), "dapper") &&
              !strcmp(value_cstr(value_get(items->u.list.items[0], "source")), "cesur") &&
              !strcmp(value_cstr(value_get(items->u.list.items[1], "source")), ""),
          "");
    CHECK("a block only one side has is left out", !value_get(pairs, "tip"), "");
    arena_free(a);
}

static void test_css(void)
{
    CHECK_SUITE("print css");
    Buf o = BUF_INIT;
    print_css_string("a\"b\\c</style>\nd", &o);
    CHECK_STR("a CSS string escapes quotes, backslashes, '<' and line ends", buf_cstr(&o),
              "\"a\\22 b\\5C c\\3C /style\\3E \\20 d\"");
    buf_clear(&o);
    PrintHead h = {"Wat kan ik?", NULL, NULL, "Naam", NULL};
    print_css_page(NULL, &h, "Pagina {n} van {total}", false, &o);
    const char *s = buf_cstr(&o);
    CHECK_CONTAINS("the title runs at the top left", s, "@top-left { content: \"\\2068\" \"Wat kan ik?\" \"\\2069\"");
    CHECK_CONTAINS("the name line at the top right", s, "@top-right { content: \"Naam\" \": ____");
    CHECK_CONTAINS("page k of n with the locale's digits, each number isolated", s,
                   "content: \"Pagina \" \"\\2068\" counter(page, lobgen-digits) \"\\2069\" \" van \" \"\\2068\" "
                   "counter(pages, lobgen-digits) \"\\2069\" ;");
    /* empty boxes, not none: a page edge without one gets the browser's
     * own header in Chrome's print dialog (tests/print/dialog.sh) */
    CHECK_CONTAINS("not on the first page, which has the handout's header", s,
                   "@page :first { @top-left { content: \"\"; } @top-right { content: \"\"; } }");
    buf_clear(&o);
    PrintHead k = {"عنوان", "Titel", "٣", NULL, "thuisopdrachten-x"};
    print_css_page("handout-3", &k, NULL, true, &o);
    s = buf_cstr(&o);
    CHECK_CONTAINS("a right-to-left head starts at the right, number first, both titles", s,
                   "@page handout-3 {\n  @top-right { content: \"٣\" \"  \" \"\\2068\" \"عنوان\" \"\\2069\" \" \\B7  \\2068\" \"Titel\"");
    CHECK_CONTAINS("the handout is put on its named page", s, "[id=\"thuisopdrachten-x\"] { page: handout-3; }");
    CHECK("a named page keeps its head on every page", !strstr(s, ":first"), "%s", s);
    buf_free(&o);
}

/* Numbered steps in Arabic count ١. ٢. ٣. as the page numbers and dates
 * do; Dutch and ar-MA (Latin digits in CLDR) keep 1. 2. 3. */
static void test_list_digits(void)
{
    CHECK_SUITE("list digits");
    Arena *a = arena_new();
    Diags d = DIAGS_INIT;
    const char *tags[] = {"ar", "nl", "ar-MA"};
    const char *rule[] = {"ol:lang(ar) { list-style-type: lobgen-digits; }", NULL, NULL};
    for (int i = 0; i < 3; i++) {
        Locale *l = locale_load(a, ".", tags[i], &d);
        Buf o = BUF_INIT;
        print_css_digits(l, &o);
        const char *s = buf_cstr(&o);
        if (rule[i])
            CHECK_CONTAINS("Arabic lists count in the Arabic-Indic digits of its page numbers", s, rule[i]);
        else
            CHECK("a language with Latin digits keeps the browser's own list numbers", !strstr(s, "ol:lang"), "%s: %s",
                  tags[i], s);
        buf_free(&o);
    }
    CHECK("the locales load", d.len == 0, "%zu diagnostics", d.len);
    diags_free(&d);
    arena_free(a);
}

static void test_fonts(void)
{
    CHECK_SUITE("font coverage");
    /* qaa is a private-use code: no font can claim it */
    const char *tags[] = {"nl", "qaa", "nl-BE"};
    bool cov[3] = {false, true, false};
    print_font_coverage(tags, 3, cov);
    CHECK("Dutch is covered on this machine", cov[0], "");
    CHECK("a language no font knows is not covered", !cov[1], "");
    CHECK("a region subtag is looked up by its language", cov[2], "");
}

int main(void)
{
    test_qr();
    test_qr_modules();
    test_bilingual();
    test_parts();
    test_css();
    test_list_digits();
    test_fonts();
    CHECK_DONE();
}
