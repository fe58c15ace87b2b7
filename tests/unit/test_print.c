/* Print output: the QR code on every handout, the rows of the bilingual
 * handout, and the font check that warns before a page prints as boxes. */
#include "check.h"
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

static MdSection sec(int level, const char *html) { return (MdSection){level, "", "", html}; }

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
    test_bilingual();
    test_fonts();
    CHECK_DONE();
}
