#include "yearpage.h"

#include <stdint.h>
#include <string.h>

size_t yearpage_count(size_t count) { return count ? (count + YEAR_PAGE_SIZE - 1) / YEAR_PAGE_SIZE : 1; }

void yearpage_range(size_t count, size_t page, size_t *k0, size_t *k1)
{
    *k0 = page * YEAR_PAGE_SIZE < count ? page * YEAR_PAGE_SIZE : count;
    *k1 = *k0 + YEAR_PAGE_SIZE < count ? *k0 + YEAR_PAGE_SIZE : count;
}

const char *yearpage_file(Arena *a, size_t page)
{
    return page ? arena_printf(a, "pagina-%zu.html", page + 1) : "index.html";
}

/* n in language l's digits, as a string value in a */
static Value *number(const Build *b, Arena *a, size_t l, long n)
{
    Buf o = BUF_INIT;
    locale_format_int(b->in->locales[l], n, &o);
    Value *v = value_strn(a, buf_cstr(&o), o.len);
    buf_free(&o);
    return v;
}

void yearpage_links(const Build *b, Arena *a, size_t l, Value *r, Value *y, int n, size_t page, size_t pages)
{
    /* an attribute value: ASCII digits, whatever the language writes */
    value_set_num(a, y, "start", (double)(page * YEAR_PAGE_SIZE + 1));
    if (pages < 2)
        return;
    Value *pv = value_map(a);
    Value *no = number(b, a, l, (long)page + 1), *total = number(b, a, l, (long)pages);
    value_set(a, pv, "n", no);
    value_set(a, pv, "total", total);
    Buf o = BUF_INIT;
    locale_fill(&o, T(b, l, "page_of"), "n", value_cstr(no), "total", value_cstr(total), (const char *)NULL);
    value_set(a, pv, "label", value_strn(a, buf_cstr(&o), o.len));
    buf_free(&o);
    if (page > 0)
        value_set_str(a, pv, "prev_url", yearpage_file(a, page - 1));
    if (page + 1 < pages)
        value_set_str(a, pv, "next_url", yearpage_file(a, page + 1));
    /* the first, the last and the two either side of this one: a year of
     * 250 pages does not put 250 links on each of them */
    Value *list = value_list(a);
    bool gap = false;
    for (size_t p = 0; p < pages; p++) {
        bool near = p + 2 >= page && p <= page + 2;
        if (p != 0 && p + 1 != pages && !near) {
            if (!gap) {
                Value *v = value_map(a);
                value_set_bool(a, v, "gap", true);
                value_push(a, list, v);
            }
            gap = true;
            continue;
        }
        gap = false;
        Value *v = value_map(a);
        Value *pn = p == page ? no : number(b, a, l, (long)p + 1);
        value_set(a, v, "n", pn);
        Buf pl = BUF_INIT;
        locale_fill(&pl, T(b, l, "page_of"), "n", value_cstr(pn), "total", value_cstr(total), (const char *)NULL);
        value_set(a, v, "label", value_strn(a, buf_cstr(&pl), pl.len));
        buf_free(&pl);
        value_set_str(a, v, "url", yearpage_file(a, p));
        value_set_bool(a, v, "current", p == page);
        value_set_bool(a, v, "gap", false);
        value_push(a, list, v);
    }
    value_set(a, pv, "pages", list);
    value_set_bool(a, y, "paged", true);
    value_set(a, y, "page", pv);
    if (page == 0)
        return; /* the first page's address is the year's folder, as add_languages made it */
    /* every language has the same pages: the alternates and the canonical
     * name this page's file, not the year's folder */
    const char *file = yearpage_file(a, page);
    const char *sub = arena_printf(a, "leerjaar-%d", n);
    Value *alts = value_list(a);
    for (size_t k = 0; k < b->nl; k++) {
        Value *al = value_map(a);
        value_set_str(a, al, "hreflang", lang_tag(b, k));
        value_set_str(a, al, "href",
                      arena_cat(a, abs_url(b, a, arena_printf(a, "%s/%s", lang_tag(b, k), sub)), file, (char *)NULL));
        value_push(a, alts, al);
    }
    Value *xd = value_map(a);
    value_set_str(a, xd, "hreflang", "x-default");
    value_set_str(a, xd, "href", abs_url(b, a, ""));
    value_push(a, alts, xd);
    value_set(a, r, "alternates", alts);
    value_set_str(a, r, "canonical",
                  arena_cat(a, abs_url(b, a, arena_printf(a, "%s/%s", lang_tag(b, l), sub)), file, (char *)NULL));
}

/* A leerjaar's page: its materials [k0, k1) with what they prepare and follow. */
void page_leerjaar(PageStage *st, const PageJob *j, Arena *a, Buf *out, Diags *d)
{
    Value *y;
    const char *sub;
    const char *file = yearpage_file(a, j->part);
    Value *r = year_page_root(st, j, a, file, &y, &sub);
    yearpage_links(st->b, a, j->l, r, y, j->n, j->part, yearpage_count(st->b->year_n[j->n]));
    emit(st, arena_printf(a, "%s/%s/%s", lang_tag(st->b, j->l), sub, file), r, "leerjaar", j->l, j->n, out, d);
}
