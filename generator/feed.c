#include "pagedata.h"

#include <string.h>

/* A language's Atom feed (feed.xml), newest first. */
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
    /* newest first: by the material's date or deadline, then the line's order */
    size_t n = site->n_items;
    Item **order = arena_alloc(a, (n + 1) * sizeof(Item *));
    memcpy(order, site->items, n * sizeof(Item *));
    for (size_t x = 1; x < n; x++) {
        Item *t = order[x];
        size_t y = x;
        while (y > 0) {
            const Material *pm = order[y - 1]->source, *tm = t->source;
            const Date *pd = pm->date.y ? &pm->date : &pm->deadline;
            const Date *td = tm->date.y ? &tm->date : &tm->deadline;
            long pk = pd->y * 10000L + pd->m * 100 + pd->d, tk = td->y * 10000L + td->m * 100 + td->d;
            if (pk > tk || (pk == tk && order[y - 1]->order > t->order))
                break;
            order[y] = order[y - 1];
            y--;
        }
        order[y] = t;
    }
    Value *entries = value_list(a);
    for (size_t k = 0; k < n; k++) {
        Value *c = card_at(a, b->cards[order[k]->order][l], 1);
        const Material *m = order[k]->source;
        const Date *dt = m->date.y ? &m->date : &m->deadline;
        if (dt->y)
            value_set(a, c, "updated", value_strf(a, "%04d-%02d-%02dT00:00:00Z", dt->y, dt->m, dt->d));
        else
            value_set_str(a, c, "updated", b->stamp_iso);
        value_set(a, c, "url_abs", value_get(b->material[order[k]->order][l], "url_abs"));
        value_push(a, entries, c);
    }
    value_set(a, r, "entries", entries);
    emit(st, arena_printf(a, "%s/feed.xml", lang), r, "feed.xml", l, 0, out, d);
}
