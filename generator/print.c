#include "print.h"

#include <fontconfig/fontconfig.h>
#include <qrencode.h>
#include <string.h>

bool print_qr_svg(const char *text, const char *label, Buf *out)
{
    QRcode *qr = QRcode_encodeString(text, 0, QR_ECLEVEL_M, QR_MODE_8, 1);
    if (!qr)
        return false;
    const int quiet = 4, w = qr->width, size = w + 2 * quiet;
    buf_printf(out,
               "<svg class=\"qr\" xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 %d %d\" "
               "role=\"img\" aria-label=\"",
               size, size);
    buf_html_escape(out, label, strlen(label));
    buf_printf(out, "\" shape-rendering=\"crispEdges\"><rect width=\"%d\" height=\"%d\" fill=\"#fff\"/>"
                    "<path fill=\"#000\" d=\"",
               size, size);
    /* one path of horizontal runs keeps the SVG small */
    for (int y = 0; y < w; y++) {
        for (int x = 0; x < w;) {
            if (!(qr->data[y * w + x] & 1)) {
                x++;
                continue;
            }
            int run = 1;
            while (x + run < w && (qr->data[y * w + x + run] & 1))
                run++;
            buf_printf(out, "M%d %dh%dv1h-%dz", x + quiet, y + quiet, run, run);
            x += run;
        }
    }
    buf_puts(out, "\"/></svg>");
    QRcode_free(qr);
    return true;
}

Value *print_bilingual_rows(Arena *a, const MdDoc *home, const MdDoc *source)
{
    Value *rows = value_list(a);
    /* Sections before the first h2 pair with each other; after that the
     * i-th h2 section of one pairs with the i-th of the other. */
    size_t hi = 0, si = 0;
    while (hi < home->n_sections || si < source->n_sections) {
        const MdSection *h = hi < home->n_sections ? &home->sections[hi] : NULL;
        const MdSection *s = si < source->n_sections ? &source->sections[si] : NULL;
        if (h && s && (h->level == 0) != (s->level == 0)) {
            /* only one side has an intro: it gets a row of its own */
            if (h->level == 0)
                s = NULL;
            else
                h = NULL;
        }
        Value *row = value_map(a);
        value_set(a, row, "home", value_str_borrow(a, h ? h->html : ""));
        value_set(a, row, "source", value_str_borrow(a, s ? s->html : ""));
        value_push(a, rows, row);
        if (h)
            hi++;
        if (s)
            si++;
    }
    return rows;
}

static bool covers(const char *tag)
{
    /* fontconfig knows orthographies by language code: "ar", "ti", "uk" */
    char lang[16];
    size_t n = strcspn(tag, "-_");
    if (n >= sizeof lang)
        n = sizeof lang - 1;
    memcpy(lang, tag, n);
    lang[n] = '\0';
    FcPattern *pat = FcPatternCreate();
    FcLangSet *ls = FcLangSetCreate();
    FcLangSetAdd(ls, (const FcChar8 *)lang);
    FcPatternAddLangSet(pat, FC_LANG, ls);
    FcObjectSet *os = FcObjectSetBuild(FC_FAMILY, (char *)NULL);
    FcFontSet *fs = FcFontList(NULL, pat, os);
    bool ok = fs && fs->nfont > 0;
    if (fs)
        FcFontSetDestroy(fs);
    FcObjectSetDestroy(os);
    FcLangSetDestroy(ls);
    FcPatternDestroy(pat);
    return ok;
}

void print_font_coverage(const char *const *tags, size_t n, bool *covered)
{
    if (!FcInit()) {
        /* cannot tell: say nothing rather than cry wolf */
        for (size_t i = 0; i < n; i++)
            covered[i] = true;
        return;
    }
    for (size_t i = 0; i < n; i++)
        covered[i] = covers(tags[i]);
    FcFini();
}
