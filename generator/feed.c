#include "pagedata.h"

#include <stdlib.h>
#include <string.h>

/* The material's date, or its deadline; unset sorts last. */
static long item_key(const Item *it)
{
    const Material *m = it->source;
    return date_key(m->date.y ? &m->date : &m->deadline);
}

/* Newest first; on the same day, later in the year's line first. A total
 * order (order is unique), so qsort's instability cannot show. */
static int newest_first(const void *pa, const void *pb)
{
    const Item *a = *(Item *const *)pa, *b = *(Item *const *)pb;
    long ka = item_key(a), kb = item_key(b);
    if (ka != kb)
        return ka > kb ? -1 : 1;
    return a->order > b->order ? -1 : a->order < b->order;
}

Item **feed_order(const Build *b, Arena *a)
{
    const Site *site = b->in->site;
    size_t n = site->n_items;
    Item **order = arena_alloc(a, (n + 1) * sizeof(Item *));
    memcpy(order, site->items, n * sizeof(Item *));
    qsort(order, n, sizeof *order, newest_first);
    return order;
}

/* A language's Atom feed (feed.xml): the newest feed.entries materials,
 * newest first. */
void page_feed(PageStage *st, const PageJob *j, Arena *a, Buf *out, Diags *d)
{
    Build *b = st->b;
    const Site *site = b->in->site;
    size_t l = j->l;
    const char *lang = lang_tag(b, l);
    (void)j;
    Value *r = page_root(b, a, l, 1, 0);
    value_set(a, r, "feed_url_abs", value_strf(a, "%s/%s/feed.xml", b->in->cfg->base_url, lang));
    value_set(a, r, "home_url_abs", value_str(a, abs_url(b, a, lang)));
    value_set_str(a, r, "updated", b->stamp_iso);
    /* newest first (build_orders), as many as feed.entries */
    size_t n = site->n_items < b->in->cfg->feed_entries ? site->n_items : b->in->cfg->feed_entries;
    Item **order = b->feed;
    Value *entries = value_list(a);
    for (size_t k = 0; k < n; k++) {
        Value *c = card_at(a, card(b, a, (size_t)order[k]->order, l), 1);
        /* an entry is updated when its text last changed (lastmod.h), not
         * on the event's date or deadline */
        long long t = item_lastmod(b, (size_t)order[k]->order, l);
        char when[32];
        if (t >= 0) {
            Date at = date_from_epoch(t);
            value_set_str(a, c, "updated", date_format(&at, DATE_RFC3339_UTC, when));
        } else
            value_set_str(a, c, "updated", b->stamp_iso);
        value_set(a, c, "url_abs", material_url_abs(b, a, (size_t)order[k]->order, l));
        value_push(a, entries, c);
    }
    value_set(a, r, "entries", entries);
    emit(st, arena_printf(a, "%s/feed.xml", lang), r, "feed.xml", l, 0, out, d);
}
