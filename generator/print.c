#include "print.h"

#include <fontconfig/fontconfig.h>
#include <qrencode.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

/* the font stack of print.css: margin boxes do not inherit the page's */
#define HEAD_FONT "\"Noto Sans\", \"Noto Sans Arabic\", \"Noto Naskh Arabic\", \"Noto Sans Ethiopic\", " \
    "\"Abyssinica SIL\", \"DejaVu Sans\", sans-serif"

bool print_qr_encode(const char *text, unsigned char **bits, int *width)
{
    QRcode *qr = QRcode_encodeString(text, 0, QR_ECLEVEL_M, QR_MODE_8, 1);
    if (!qr)
        return false;
    int w = qr->width;
    size_t n = (size_t)w * (size_t)w;
    unsigned char *p = xcalloc(n / 8 + 1, 1);
    for (size_t i = 0; i < n; i++)
        if (qr->data[i] & 1)
            p[i >> 3] |= (unsigned char)(1u << (i & 7));
    QRcode_free(qr);
    *bits = p;
    *width = w;
    return true;
}

/* n in decimal at p; returns the end. n >= 0. A QR code's numbers are
 * below 200 (modules): one or two digits written straight, not by the
 * loop, whose divisions were half the cost of formatting a code. */
static char *put_int(char *p, int n)
{
    if (n < 10) {
        *p++ = (char)('0' + n);
        return p;
    }
    if (n < 100) {
        p[0] = (char)('0' + n / 10);
        p[1] = (char)('0' + n % 10);
        return p + 2;
    }
    char tmp[12];
    int k = 0;
    do
        tmp[k++] = (char)('0' + n % 10);
    while ((n /= 10) > 0);
    while (k)
        *p++ = tmp[--k];
    return p;
}

/* The first module at or after i, before end, that is dark (or light when
 * !dark), or end. bits: row-major, module k at bit k & 7 of byte k >> 3,
 * readable 8 bytes past the byte of end. */
static inline __attribute__((always_inline)) size_t next_module(const unsigned char *bits, size_t i, size_t end,
                                                                bool dark)
{
    while (i < end) {
        unsigned shift = (unsigned)(i & 7);
        uint64_t word = 0;
#if defined(__BYTE_ORDER__) && __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
        memcpy(&word, bits + (i >> 3), 8);
#else
        for (int k = 7; k >= 0; k--)
            word = word << 8 | bits[(i >> 3) + (size_t)k];
#endif
        word >>= shift; /* bit 0 is module i; 64 - shift valid bits */
        if (!dark)
            word = ~word & (shift ? (UINT64_C(1) << (64 - shift)) - 1 : ~UINT64_C(0));
        if (word) {
            size_t at = i + (size_t)__builtin_ctzll(word);
            return at < end ? at : end;
        }
        i += 64 - shift;
    }
    return end;
}

void print_qr_format(const unsigned char *bits, int w, const char *label, Buf *out)
{
    const int quiet = 4, size = w + 2 * quiet;
    char num[12];
    size_t nlen = (size_t)(put_int(num, size) - num);
    buf_puts(out, "<svg class=\"qr\" xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 ");
    buf_append(out, num, nlen);
    buf_putc(out, ' ');
    buf_append(out, num, nlen);
    buf_puts(out, "\" role=\"img\" aria-label=\"");
    buf_html_escape(out, label, strlen(label));
    buf_puts(out, "\" shape-rendering=\"crispEdges\"><rect width=\"");
    buf_append(out, num, nlen);
    buf_puts(out, "\" height=\"");
    buf_append(out, num, nlen);
    buf_puts(out, "\" fill=\"#fff\"/><path stroke=\"#000\" stroke-width=\"1\" d=\"");
    /* Each run of dark modules is one line, stroked 1 wide along the middle
     * of its row (y + 0.5), so it covers exactly the modules' squares, as a
     * filled rectangle would. The pen moves relative to the end of the last
     * run ("m2 0h3" within a row, "m-14 1h2" to the next), about half the
     * bytes of a rectangle per run ("M12 25h3v1h-3z"), and the QR code was
     * the biggest part of a handout. Numbers written by hand: printf per run
     * was a fifth of a handout's cost. */
    /* A row is scanned a 64-bit word at a time for the next dark and the
     * next light module (count trailing zeros), and the runs are written
     * straight into out, which holds the most a row can take. */
    size_t n = (size_t)w * (size_t)w, nbytes = n / 8 + 1;
    unsigned char *pad = xmalloc(nbytes + 8);
    memcpy(pad, bits, nbytes);
    memset(pad + nbytes, 0, 8);
    size_t most = ((size_t)w / 2 + 1) * 16; /* "m-177 177h177" per run */
    int px = -1, py = 0; /* the pen, in modules; px < 0 before the first run */
    for (int y = 0; y < w; y++) {
        size_t row = (size_t)y * (size_t)w, end = row + (size_t)w;
        buf_reserve(out, most);
        char *p = out->data + out->len;
        for (size_t i = next_module(pad, row, end, true); i < end; i = next_module(pad, i, end, true)) {
            size_t stop = next_module(pad, i, end, false);
            int x = (int)(i - row), run = (int)(stop - i);
            if (px < 0) {
                /* "M%d %d.5" */
                *p++ = 'M';
                p = put_int(p, x + quiet);
                *p++ = ' ';
                p = put_int(p, y + quiet);
                *p++ = '.';
                *p++ = '5';
            } else {
                /* "m%d %d", dx may be negative */
                int dx = x - px;
                *p++ = 'm';
                if (dx < 0) {
                    *p++ = '-';
                    dx = -dx;
                }
                p = put_int(p, dx);
                *p++ = ' ';
                p = put_int(p, y - py);
            }
            *p++ = 'h';
            p = put_int(p, run);
            px = x + run;
            py = y;
            i = stop;
        }
        out->len = (size_t)(p - out->data);
        out->data[out->len] = '\0';
    }
    free(pad);
    buf_puts(out, "\"/></svg>");
}

bool print_qr_svg(const char *text, const char *label, Buf *out)
{
    unsigned char *bits;
    int w;
    if (!print_qr_encode(text, &bits, &w))
        return false;
    print_qr_format(bits, w, label, out);
    free(bits);
    return true;
}

/* Both sections have the same blocks at the top level, in the same order:
 * then they are cut after each block, so that each question of one stands
 * beside the same question of the other. */
static bool parts_pair(const MdSection *h, const MdSection *s)
{
    if (h->n_parts < 2 || h->n_parts != s->n_parts)
        return false;
    for (size_t k = 0; k + 1 < h->n_parts; k++)
        if (!h->parts[k].block || !s->parts[k].block || strcmp(h->parts[k].block, s->parts[k].block))
            return false;
    return true;
}

static Value *row_of(Arena *a, const char *home, const char *source, const MdPart *part)
{
    Value *row = value_map(a);
    value_set(a, row, "home", value_str_borrow(a, home));
    value_set(a, row, "source", value_str_borrow(a, source));
    if (part && part->block) {
        /* after.NAME: the block the pair ends with, with its attributes as
         * a block template gets them (by name, under attrs, NAME_list 1..N
         * for a count), for the template to add e.g. writing lines once
         * under the pair */
        Value *blk = value_map(a), *at = value_map(a), *after = value_map(a);
        for (size_t i = 0; i < part->n_attrs; i++) {
            const char *v = part->attrs[i].value;
            value_set(a, at, part->attrs[i].name, value_str(a, v));
            value_set(a, blk, part->attrs[i].name, value_str(a, v));
            char *end;
            long k = strtol(v, &end, 10);
            if (*v && !*end && k >= 0 && k <= 200) {
                Value *list = value_list(a);
                for (long j = 1; j <= k; j++)
                    value_push(a, list, value_num(a, (double)j));
                value_set(a, blk, arena_cat(a, part->attrs[i].name, "_list", (char *)NULL), list);
            }
        }
        value_set(a, blk, "attrs", at);
        value_set(a, after, part->block, blk);
        value_set(a, row, "after", after);
    }
    return row;
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
        if (h && s && parts_pair(h, s)) {
            for (size_t k = 0; k < h->n_parts; k++)
                value_push(a, rows, row_of(a, h->parts[k].html, s->parts[k].html, &s->parts[k]));
        } else {
            value_push(a, rows, row_of(a, h ? h->html : "", s ? s->html : "", NULL));
        }
        if (h)
            hi++;
        if (s)
            si++;
    }
    return rows;
}

static const Value *nth(const Value *list, size_t i)
{
    return list && list->kind == V_LIST && i < list->u.list.len ? list->u.list.items[i] : NULL;
}

static size_t count(const Value *list) { return list && list->kind == V_LIST ? list->u.list.len : 0; }

Value *print_pair_blocks(Arena *a, const Value *home, const Value *source)
{
    Value *out = value_map(a);
    if (!home || !source || home->kind != V_MAP)
        return out;
    for (size_t k = 0; k < home->u.map.len; k++) {
        const Value *hs = home->u.map.vals[k], *ss = value_get(source, home->u.map.keys[k]);
        if (!ss)
            continue;
        Value *pairs = value_list(a);
        size_t nb = count(hs) < count(ss) ? count(hs) : count(ss);
        for (size_t i = 0; i < nb; i++) {
            const Value *hi = value_get(nth(hs, i), "items"), *si = value_get(nth(ss, i), "items");
            size_t n = count(hi) > count(si) ? count(hi) : count(si);
            Value *items = value_list(a);
            for (size_t q = 0; q < n; q++) {
                const Value *h = nth(hi, q), *s = nth(si, q);
                Value *it = value_map(a);
                const char *hh = value_cstr(value_get(h, "html")), *sh = value_cstr(value_get(s, "html"));
                value_set(a, it, "home", value_str_borrow(a, hh ? hh : ""));
                value_set(a, it, "source", value_str_borrow(a, sh ? sh : ""));
                value_push(a, items, it);
            }
            Value *block = value_map(a);
            value_set(a, block, "items", items);
            value_push(a, pairs, block);
        }
        value_set(a, out, home->u.map.keys[k], pairs);
    }
    return out;
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

void print_css_string(const char *s, Buf *out)
{
    buf_putc(out, '"');
    const unsigned char *p = (const unsigned char *)s, *run = p;
    for (; *p; p++) {
        if (*p == '"' || *p == '\\' || *p == '<' || *p == '>' || *p == '&' || *p < 0x20) {
            buf_append(out, (const char *)run, (size_t)(p - run));
            run = p + 1;
            /* "\\%X ": the code in hex, then a space that ends it */
            unsigned c = *p == '\n' || *p == '\r' || *p == '\t' ? ' ' : *p;
            char esc[4] = {'\\', 0, 0, ' '}, *e = esc + 1;
            if (c >= 16)
                *e++ = "0123456789ABCDEF"[c >> 4];
            *e++ = "0123456789ABCDEF"[c & 15];
            *e++ = ' ';
            buf_append(out, esc, (size_t)(e - esc));
        }
    }
    buf_append(out, (const char *)run, (size_t)(p - run));
    buf_putc(out, '"');
}

void print_css_digits(const Locale *l, Buf *out)
{
    buf_puts(out, "@counter-style lobgen-digits { system: numeric; symbols:");
    bool latin = true;
    for (long d = 0; d <= 9; d++) {
        Buf o = BUF_INIT;
        locale_format_int(l, d, &o);
        buf_putc(out, ' ');
        print_css_string(buf_cstr(&o), out);
        latin = latin && o.len == 1 && buf_cstr(&o)[0] == '0' + d;
        buf_free(&o);
    }
    buf_puts(out, "; }\n");
    /* numbered steps in the page's own language count in its digits, as
     * its dates and page numbers do (1. 2. among ٩ أكتوبر in Arabic);
     * text in another language (a Dutch column) keeps its own */
    if (!latin) {
        buf_puts(out, "ol:lang(");
        buf_puts(out, locale_tag(l));
        buf_puts(out, ") { list-style-type: lobgen-digits; }\n");
    }
}

/* The locale's page_of sentence as a CSS content value. */
static void page_of_content(const char *page_of, Buf *out)
{
    Buf lit = BUF_INIT;
    const char *p = page_of;
    while (*p) {
        const char *counter = !strncmp(p, "{n}", 3) ? "page" : !strncmp(p, "{total}", 7) ? "pages" : NULL;
        if (!counter) {
            buf_putc(&lit, *p++);
            continue;
        }
        if (lit.len) {
            print_css_string(buf_cstr(&lit), out);
            buf_putc(out, ' ');
            buf_clear(&lit);
        }
        /* FSI ... PDI: a number is its own run, whatever the direction */
        buf_puts(out, "\"\\2068\" counter(");
        buf_puts(out, counter);
        buf_puts(out, ", lobgen-digits) \"\\2069\" ");
        p += counter[4] ? 7 : 3;
    }
    if (lit.len) {
        print_css_string(buf_cstr(&lit), out);
        buf_putc(out, ' ');
    }
    buf_free(&lit);
}

/* "; BOX direction: D; text-align: SIDE; vertical-align: bottom;" */
static void head_box(Buf *out, const char *box, bool rtl, const char *side)
{
    buf_puts(out, "; ");
    buf_puts(out, box);
    buf_puts(out, rtl ? " direction: rtl; text-align: " : " direction: ltr; text-align: ");
    buf_puts(out, side);
    buf_puts(out, "; vertical-align: bottom;");
}

void print_css_page(const char *page_name, const PrintHead *h, const char *page_of, bool rtl, Buf *out)
{
    const char *start = rtl ? "right" : "left", *end = rtl ? "left" : "right";
    /* the padding keeps the isolate marks, which some PDF readers measure
     * as glyphs, inside the text column */
    const char *box = "font: 8.5pt/1.3 " HEAD_FONT "; color: #333; unicode-bidi: isolate; padding: 0 1mm;";
    /* buf_puts, not buf_printf: this runs for every handout */
    buf_puts(out, "@page");
    if (page_name) {
        buf_putc(out, ' ');
        buf_puts(out, page_name);
    }
    buf_puts(out, " {\n");
    if (h->title) {
        buf_puts(out, "  @top-");
        buf_puts(out, start);
        buf_puts(out, " { content: ");
        if (h->number) {
            print_css_string(h->number, out);
            buf_puts(out, " \"  \" ");
        }
        /* each title its own isolate: a Dutch title after an Arabic one
         * stays in its place */
        buf_puts(out, "\"\\2068\" ");
        print_css_string(h->title, out);
        buf_puts(out, " \"\\2069\"");
        if (h->title2) {
            buf_puts(out, " \" \\B7  \\2068\" ");
            print_css_string(h->title2, out);
            buf_puts(out, " \"\\2069\"");
        }
        head_box(out, box, rtl, start);
        buf_puts(out, h->number ? " font-weight: 700; }\n" : " }\n");
    }
    if (h->name_label) {
        buf_puts(out, "  @top-");
        buf_puts(out, end);
        buf_puts(out, " { content: ");
        print_css_string(h->name_label, out);
        buf_puts(out, " \": ________________________\"");
        head_box(out, box, rtl, end);
        buf_puts(out, " }\n");
    }
    if (page_of) {
        buf_puts(out, "  @bottom-center { content: ");
        page_of_content(page_of, out);
        buf_puts(out, "; ");
        buf_puts(out, box);
        buf_puts(out, rtl ? " direction: rtl; }\n" : " direction: ltr; }\n");
    }
    buf_puts(out, "}\n");
    if (page_name && h->id) {
        buf_puts(out, "[id=");
        print_css_string(h->id, out);
        buf_puts(out, "] { page: ");
        buf_puts(out, page_name);
        buf_puts(out, "; }\n");
    }
    if (!page_name && (h->title || h->name_label))
        /* the first page has the handout's own header; empty boxes, not
         * none: an edge without a box gets the browser's own header
         * (print.css) */
        buf_puts(out, rtl ? "@page :first { @top-right { content: \"\"; } @top-left { content: \"\"; } }\n"
                          : "@page :first { @top-left { content: \"\"; } @top-right { content: \"\"; } }\n");
}
