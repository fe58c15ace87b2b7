#include "home.h"

#include "pagedata.h"

#include <stdlib.h>
#include <string.h>

/* The day and minute a material happens or is due: its date, or its
 * deadline; 0 without either. */
static long long when(const Item *it)
{
    const Material *m = it->source;
    const Date *d = m->date.y ? &m->date : &m->deadline;
    if (!d->y)
        return 0;
    return (long long)date_key(d) * 1440 + (d->has_time ? d->hour * 60 + d->minute : 0);
}

typedef struct {
    Item *it;
    long long when;
    size_t pos;  /* in the year's line: the tie-break, so the order is total */
    int group;   /* 0 coming, 1 passed, 2 undated */
} Pick;

static int pick_cmp(const void *pa, const void *pb)
{
    const Pick *a = pa, *b = pb;
    if (a->group != b->group)
        return a->group < b->group ? -1 : 1;
    if (a->when != b->when) {
        bool earlier = a->when < b->when;
        /* coming: soonest first; passed: the most recent first */
        return (a->group == 0) == earlier ? -1 : 1;
    }
    return a->pos < b->pos ? -1 : a->pos > b->pos;
}

Item **home_choose(Arena *a, Item *const *year, size_t n, const Date *today, size_t max, size_t *count)
{
    long long day = (long long)date_key(today) * 1440; /* the stamp day's first minute */
    Pick *p = xmalloc((n + 1) * sizeof *p);
    for (size_t k = 0; k < n; k++) {
        long long w = when(year[k]);
        p[k] = (Pick){year[k], w, k, !w ? 2 : w >= day ? 0 : 1};
    }
    qsort(p, n, sizeof *p, pick_cmp);
    size_t m = max && max < n ? max : n;
    Item **r = arena_alloc(a, (m + 1) * sizeof(Item *));
    for (size_t k = 0; k < m; k++)
        r[k] = p[k].it;
    free(p);
    *count = m;
    return r;
}

/* A language's home page: per leerjaar its chosen materials (b->home) and
 * a link to the year's page with all of them. */
void page_home(PageStage *st, const PageJob *j, Arena *a, Buf *out, Diags *d)
{
    Build *b = st->b;
    size_t l = j->l;
    const char *lang = lang_tag(b, l);
    int depth = 1;
    Value *r = page_root(b, a, l, depth, 0);
    add_languages(b, a, r, l, depth, same_rel(b, a, ""), all_real(b, a), "index.html");
    Value *years = value_list(a);
    for (int n = 1; n <= 4; n++) {
        size_t count = b->year_n[n], shown = b->home_n[n];
        Value *y = value_map(a);
        value_set_num(a, y, "n", n);
        value_set(a, y, "label", b->lj_label[l][n]);
        const char *url = arena_printf(a, "leerjaar-%d/index.html", n);
        value_set_str(a, y, "url", url);
        value_set(a, y, "items", year_cards(b, a, l, b->home[n], shown, depth));
        value_set(a, y, "count_text", b->lj_count[l][n]);
        value_set_num(a, y, "count", (double)count);
        value_set_num(a, y, "shown", (double)shown);
        value_set_bool(a, y, "more", shown < count);
        if (count) {
            /* "Alle 250 materialen van leerjaar 1": the count by the plural
             * rules and digits of the language, the year in its digits */
            Buf o = BUF_INIT, num = BUF_INIT;
            locale_plural(b->in->locales[l], b->in->locales[0], "home_all_materials", (long)count, &o);
            locale_format_int(b->in->locales[l], n, &num);
            Value *all = fill1(a, buf_cstr(&o), "year", buf_cstr(&num));
            buf_free(&o);
            buf_free(&num);
            value_set(a, y, "all_text", all);
            value_set_str(a, y, "all_url", url);
        }
        value_push(a, years, y);
    }
    value_set(a, r, "years", years);
    emit(st, arena_printf(a, "%s/index.html", lang), r, "home", l, 0, out, d);
}
