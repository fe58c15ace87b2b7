#include "pagedata.h"

#include <string.h>

/* sitemap.xml: every page a reader should find, with its translations. */
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
    emit(st, "sitemap.xml", r, "sitemap.xml", 0, 0, out, d);
}
