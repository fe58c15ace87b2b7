#include "sitemap.h"

#include "pagedata.h"

#include <stdio.h>
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

/* page_sitemap's callbacks: the template with a view of urls[from, to) */
typedef struct {
    PageStage *st;
    Arena *a;
    Value *root, *urls;
    TemplateUse use; /* the template names its renders looked up (incremental.h) */
} SitemapCtx;

static bool sitemap_render(void *ctx, size_t from, size_t to, Buf *out, Diags *d)
{
    SitemapCtx *c = ctx;
    Value view = *c->urls; /* borrows the items, copies nothing */
    view.u.list.items = c->urls->u.list.items + from;
    view.u.list.len = view.u.list.cap = to - from;
    value_set(c->a, c->root, "urls", &view);
    TemplateScope sc = {c->st->b->in->tpl, lang_tag(c->st->b, 0), 0, &c->use};
    bool ok = templates_render(&sc, "sitemap.xml", c->root, out, d);
    value_set(c->a, c->root, "urls", c->urls);
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
    Value *r = value_map(a);
    Value *urls = value_list(a);
    /* the root, the language chooser: where x-default points */
    Value *root_url = value_map(a);
    value_set_str(a, root_url, "loc", abs_url(b, a, ""));
    value_set(a, root_url, "alternates", value_list(a));
    value_push(a, urls, root_url);
    /* every page a reader should find, with its real translations */
    for (size_t k = 0; k < b->nl; k++) {
        const char *simple[6];
        size_t ns = 0;
        simple[ns++] = "";
        for (int n = 1; n <= 4; n++)
            simple[ns++] = arena_printf(a, "leerjaar-%d", n);
        if (b->in->glossary[k])
            simple[ns++] = "woordenlijst";
        for (size_t s = 0; s < ns; s++) {
            Value *u = value_map(a);
            const char *rel = *simple[s] ? arena_printf(a, "%s/%s", lang_tag(b, k), simple[s]) : lang_tag(b, k);
            value_set_str(a, u, "loc", abs_url(b, a, rel));
            Value *alts = value_list(a);
            for (size_t q = 0; q < b->nl; q++) {
                if (!strcmp(simple[s], "woordenlijst") && !b->in->glossary[q])
                    continue;
                Value *al = value_map(a);
                value_set_str(a, al, "hreflang", lang_tag(b, q));
                value_set_str(a, al, "href",
                              abs_url(b, a, *simple[s] ? arena_printf(a, "%s/%s", lang_tag(b, q), simple[s]) : lang_tag(b, q)));
                value_push(a, alts, al);
            }
            value_set(a, u, "alternates", alts);
            value_push(a, urls, u);
        }
        for (size_t x = 0; x < site->n_items; x++) {
            const Item *it = site->items[x];
            if (it->state[k] == TR_MISSING)
                continue; /* a fallback page is the Dutch page's duplicate */
            Value *u = value_map(a);
            value_set(a, u, "loc", material_url_abs(b, a, x, k));
            Value *alts = value_list(a);
            for (size_t q = 0; q < b->nl; q++) {
                if (it->state[q] == TR_MISSING)
                    continue;
                Value *al = value_map(a);
                value_set_str(a, al, "hreflang", lang_tag(b, q));
                value_set(a, al, "href", material_url_abs(b, a, x, q));
                value_push(a, alts, al);
            }
            value_set(a, u, "alternates", alts);
            value_push(a, urls, u);
        }
    }
    value_set(a, r, "urls", urls);
    value_set(a, r, "x_default", value_str(a, abs_url(b, a, "")));
    (void)out;
    SitemapCtx c = {st, a, r, urls, {0}};
    sitemap_write(urls->u.list.len, b->in->cfg->base_url, sitemap_render, sitemap_put, &c, d);
    incr_unit_templates(b->in->inc, lang_tag(b, 0), 0, &c.use);
    template_use_free(&c.use);
}
