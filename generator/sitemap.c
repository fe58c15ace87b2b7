#include "sitemap.h"

#include "pagedata.h"
#include "yearpage.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

bool sitemap_write(size_t n, const char *base_url, SitemapRenderFn *render, SitemapPutFn *put, void *ctx,
                   Diags *d)
{
    Buf part = BUF_INIT, index = BUF_INIT;
    bool ok = true;
    size_t from = 0, k = SITEMAP_MAX_URLS, parts = 0;
    /* a first guess from the first URLs' size: a render of 50,000 URLs
     * at a few KB each would pass the 64 MB cap on a rendered page */
    if (n > SITEMAP_PROBE) {
        if (!render(ctx, 0, SITEMAP_PROBE, &part, d)) {
            buf_free(&part);
            return false;
        }
        /* up to 1.2 times the limit: under the cap (1.28 times), and a
         * site just within the limit still gets one file */
        size_t fit = (size_t)((double)SITEMAP_PROBE * SITEMAP_MAX_BYTES / (part.len ? part.len : 1) * 1.2);
        if (fit < k)
            k = fit ? fit : 1;
    }
    buf_puts(&index, "<?xml version=\"1.0\" encoding=\"utf-8\"?>\n"
                     "<sitemapindex xmlns=\"http://www.sitemaps.org/schemas/sitemap/0.9\">\n");
    do {
        size_t to = n - from < k ? n : from + k;
        buf_clear(&part);
        if (!(ok = render(ctx, from, to, &part, d)))
            break;
        while (part.len > SITEMAP_MAX_BYTES && to - from > 1) {
            /* fewer URLs in proportion, 2 % under, so that one more render fits */
            size_t fit = (size_t)((double)(to - from) * SITEMAP_MAX_BYTES / part.len * 0.98);
            to = from + (fit ? fit : 1);
            buf_clear(&part);
            if (!(ok = render(ctx, from, to, &part, d)))
                break;
        }
        if (!ok)
            break;
        if (part.len > SITEMAP_MAX_BYTES) {
            diag_error(d, "templates/sitemap.xml.mustache", 0, 0,
                       "one URL's entry in the sitemap is larger than the %u bytes a sitemap file may hold; make "
                       "the template write less per URL", SITEMAP_MAX_BYTES);
            ok = false;
            break;
        }
        if (from == 0 && to == n) /* all within one file: no index */
            break;
        if (++parts > SITEMAP_MAX_URLS) {
            diag_error(d, NULL, 0, 0, "the site has more URLs than one sitemap index of %d sitemaps can hold",
                       SITEMAP_MAX_URLS);
            ok = false;
            break;
        }
        char rel[48];
        snprintf(rel, sizeof rel, "sitemap-%zu.xml", parts);
        if (!(ok = put(ctx, rel, buf_cstr(&part), part.len, d)))
            break;
        buf_puts(&index, "  <sitemap>\n    <loc>");
        buf_xml_escape(&index, base_url, strlen(base_url));
        buf_printf(&index, "/%s</loc>\n  </sitemap>\n", rel);
        k = to - from; /* the next part starts from the size that fitted */
        from = to;
    } while (from < n);
    if (ok) {
        if (parts) {
            buf_puts(&index, "</sitemapindex>\n");
            ok = put(ctx, "sitemap.xml", buf_cstr(&index), index.len, d);
        } else {
            ok = put(ctx, "sitemap.xml", buf_cstr(&part), part.len, d);
        }
    }
    buf_free(&part);
    buf_free(&index);
    return ok;
}

/* page_sitemap's URLs, in the order of the file: the root (the language
 * chooser, where x-default points), then per language its home, leerjaar
 * pages and glossary, then its materials. Compact: a part's data is built
 * from these when it is rendered, so that the sitemap never holds more
 * than one part's tree, however large the library. */
enum { SM_YEARPAGE = -3, SM_ROOT = -2, SM_MATERIAL = -1 }; /* else the index into simple[] */

typedef struct {
    uint32_t x; /* the item (SM_MATERIAL); the leerjaar + 8 * the page (SM_YEARPAGE) */
    uint16_t k; /* the language */
    int16_t s;  /* SM_ROOT, SM_MATERIAL or a simple page */
} SitemapUrl;

static const char *const simple_pages[] = {"", "leerjaar-1", "leerjaar-2", "leerjaar-3", "leerjaar-4", "woordenlijst"};
enum { N_SIMPLE = 6, SIMPLE_GLOSSARY = 5 };

/* page_sitemap's callbacks: the template with the data of urls[from, to) */
typedef struct {
    PageStage *st;
    const SitemapUrl *urls;
    TemplateUse use; /* the template names its renders looked up (incremental.h) */
} SitemapCtx;

/* hreflang and href of every language version of a page; href[q] is
 * language q's URL, NULL when q has no version of its own */
static Value *alternates(const Build *b, Arena *a, const Value *const *href)
{
    Value *alts = value_list(a);
    for (size_t q = 0; q < b->nl; q++) {
        if (!href[q])
            continue;
        Value *al = value_map_sized(a, 2);
        value_append_borrow(a, al, "hreflang", b->card_shared[q].lang);
        value_append_borrow(a, al, "href", (Value *)href[q]);
        value_push(a, alts, al);
    }
    return alts;
}

static bool sitemap_render(void *ctx, size_t from, size_t to, Buf *out, Diags *d)
{
    SitemapCtx *c = ctx;
    Build *b = c->st->b;
    const Site *site = b->in->site;
    size_t nl = b->nl;
    Arena *a = arena_new();
    /* a page's URLs and alternates are the same in each language's entry:
     * made once per render, on first use */
    Value **item_href = arena_alloc(a, (site->n_items * nl + 1) * sizeof(Value *));
    Value **item_alts = arena_alloc(a, (site->n_items + 1) * sizeof(Value *));
    Value *simple_href[N_SIMPLE][8 + 1] = {{0}};
    Value **simple_hrefs[N_SIMPLE] = {0};
    Value *simple_alts[N_SIMPLE] = {0};
    Value *r = value_map(a);
    Value *urls = value_list(a);
    urls->u.list.items = arena_alloc(a, (to - from + 1) * sizeof(Value *));
    urls->u.list.cap = to - from + 1;
    for (size_t i = from; i < to; i++) {
        const SitemapUrl *su = &c->urls[i];
        Value *u = value_map_sized(a, 2);
        if (su->s == SM_ROOT) {
            value_append_borrow(a, u, "loc", value_str_borrow(a, abs_url(b, a, "")));
            value_append_borrow(a, u, "alternates", value_list(a));
        } else if (su->s == SM_YEARPAGE) {
            /* a year's later pages (yearpage.h): in every language, each its own URL */
            int n = (int)(su->x % 8);
            const char *file = yearpage_file(a, su->x / 8);
            Value **href = arena_alloc(a, nl * sizeof(Value *));
            for (size_t q = 0; q < nl; q++)
                href[q] = value_str(a, arena_cat(a, abs_url(b, a, arena_printf(a, "%s/leerjaar-%d", lang_tag(b, q), n)),
                                                 file, (char *)NULL));
            value_append_borrow(a, u, "loc", href[su->k]);
            value_append_borrow(a, u, "alternates", alternates(b, a, (const Value *const *)href));
        } else if (su->s == SM_MATERIAL) {
            const Item *it = site->items[su->x];
            Value **href = &item_href[(size_t)su->x * nl];
            if (!item_alts[su->x]) {
                for (size_t q = 0; q < nl; q++)
                    if (it->state[q] != TR_MISSING)
                        href[q] = material_url_abs(b, a, su->x, q);
                item_alts[su->x] = alternates(b, a, (const Value *const *)href);
            }
            value_append_borrow(a, u, "loc", href[su->k]);
            value_append_borrow(a, u, "alternates", item_alts[su->x]);
        } else {
            const char *page = simple_pages[su->s];
            if (!simple_alts[su->s]) {
                Value **href = simple_hrefs[su->s] = nl <= 8 ? simple_href[su->s] : arena_alloc(a, nl * sizeof(Value *));
                for (size_t q = 0; q < nl; q++) {
                    if (su->s == SIMPLE_GLOSSARY && !b->in->glossary[q])
                        continue;
                    href[q] = value_str(a, abs_url(b, a, *page ? arena_printf(a, "%s/%s", lang_tag(b, q), page)
                                                              : lang_tag(b, q)));
                }
                simple_alts[su->s] = alternates(b, a, (const Value *const *)href);
            }
            value_append_borrow(a, u, "loc", simple_hrefs[su->s][su->k]);
            value_append_borrow(a, u, "alternates", simple_alts[su->s]);
        }
        value_push(a, urls, u);
    }
    value_set(a, r, "urls", urls);
    value_set(a, r, "x_default", value_str(a, abs_url(b, a, "")));
    TemplateScope sc = {b->in->tpl, lang_tag(b, 0), 0, &c->use};
    bool ok = templates_render(&sc, "sitemap.xml", r, out, d);
    arena_free(a);
    return ok;
}

static bool sitemap_put(void *ctx, const char *rel, const char *data, size_t len, Diags *d)
{
    SitemapCtx *c = ctx;
    return emit_file(c->st, rel, data, len, d); /* noted for incremental builds */
}

/* sitemap.xml: every page a reader should find, with its translations;
 * in parts under a sitemap index on a site past the protocol's limits. */
void page_sitemap(PageStage *st, const PageJob *j, Arena *a, Buf *out, Diags *d)
{
    Build *b = st->b;
    const Site *site = b->in->site;
    (void)j;
    (void)a;
    (void)out;
    size_t n = 0;
    size_t year_pages = 0; /* a year's pages after its first */
    for (int y = 1; y <= 4; y++)
        year_pages += yearpage_count(b->year_n[y]) - 1;
    SitemapUrl *urls = xmalloc((1 + b->nl * (N_SIMPLE + year_pages + site->n_items)) * sizeof *urls);
    urls[n++] = (SitemapUrl){0, 0, SM_ROOT};
    for (size_t k = 0; k < b->nl; k++) {
        for (int s = 0; s < N_SIMPLE; s++) {
            if (s != SIMPLE_GLOSSARY || b->in->glossary[k])
                urls[n++] = (SitemapUrl){0, (uint16_t)k, (int16_t)s};
            if (s >= 1 && s <= 4) /* leerjaar-s: its next pages follow its first */
                for (size_t p = 1; p < yearpage_count(b->year_n[s]); p++)
                    urls[n++] = (SitemapUrl){(uint32_t)(p * 8 + (size_t)s), (uint16_t)k, SM_YEARPAGE};
        }
        for (size_t x = 0; x < site->n_items; x++)
            if (site->items[x]->state[k] != TR_MISSING) /* a fallback page is the Dutch page's duplicate */
                urls[n++] = (SitemapUrl){(uint32_t)x, (uint16_t)k, SM_MATERIAL};
    }
    SitemapCtx c = {st, urls, {0}};
    sitemap_write(n, b->in->cfg->base_url, sitemap_render, sitemap_put, &c, d);
    incr_unit_templates(b->in->inc, lang_tag(b, 0), 0, &c.use);
    template_use_free(&c.use);
    free(urls);
}
