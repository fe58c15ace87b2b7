/* The print pages: a material's handout, its bilingual handout, and a
 * leerjaar's pack of handouts. Their data is the web pages' data plus the
 * QR code and, for the bilingual handout, the aligned sections. */
#include "pagedata.h"

#include "locale.h"
#include "print.h"

/* A printed document's own CSS (print.h), for its <style>: running heads
 * and "page k of n" in language l. n heads; names[i] NULL for the
 * document's default page, else a named page (a pack's handout). */
static Value *print_css(const Build *b, Arena *a, size_t l, const PrintHead *heads, const char *const *names,
                        size_t n)
{
    Buf o = BUF_INIT;
    buf_reserve(&o, 2048); /* a handout's: about 1.2 KB */
    print_css_digits(b->in->locales[l], &o);
    bool rtl = locale_is_rtl(b->in->locales[l]);
    for (size_t i = 0; i < n; i++)
        print_css_page(names[i], &heads[i], i == 0 ? T(b, l, "page_of") : NULL, rtl, &o);
    Value *v = value_strn(a, buf_cstr(&o), o.len);
    buf_free(&o);
    return v;
}

/* Links between the parts of a year's pack, set on y when there are
 * several: has_parts, parts[] of {n, label, url, current} and, on a part
 * itself (part < parts), part with n, label, count, prev_url, next_url. */
void pack_part_links(const Build *b, Arena *a, size_t l, Value *y, size_t part, size_t parts)
{
    if (parts < 2)
        return;
    Value *list = value_list(a);
    for (size_t p = 0; p < parts; p++) {
        Value *v = value_map(a);
        Buf no = BUF_INIT;
        locale_format_int(b->in->locales[l], (long)p + 1, &no);
        value_set(a, v, "n", value_strn(a, buf_cstr(&no), no.len));
        value_set(a, v, "label", fill1(a, T(b, l, "pack_part"), "n", buf_cstr(&no)));
        buf_free(&no);
        value_set_str(a, v, "url", pack_file(a, p));
        value_set_bool(a, v, "current", p == part);
        value_push(a, list, v);
    }
    value_set_bool(a, y, "has_parts", true);
    value_set(a, y, "parts", list);
    if (part >= parts)
        return;
    Value *pv = value_map(a);
    value_set(a, pv, "n", value_get(list->u.list.items[part], "n"));
    value_set(a, pv, "label", value_get(list->u.list.items[part], "label"));
    value_set(a, pv, "count", value_get(list->u.list.items[parts - 1], "n"));
    if (part > 0)
        value_set_str(a, pv, "prev_url", pack_file(a, part - 1));
    if (part + 1 < parts)
        value_set_str(a, pv, "next_url", pack_file(a, part + 1));
    value_set(a, y, "part", pv);
}

/* The QR codes of a page, added after the incremental build's reuse check
 * (emit_filled): of one material (map gets "qr"), or of a pack's handouts
 * (each map of list gets its item's). */
typedef struct {
    Build *b;
    Arena *a;
    size_t l;
    Value *map; /* one material's page, or NULL */
    size_t item;
    Value *list; /* a pack's handouts, or NULL */
    Item **its;
} QrFill;

static void fill_qr(void *ctx)
{
    QrFill *f = ctx;
    if (f->map)
        value_set(f->a, f->map, "qr", value_str_borrow(f->a, qr_of(f->b, f->item, f->l)));
    for (size_t k = 0; f->list && k < f->list->u.list.len; k++)
        value_set(f->a, f->list->u.list.items[k], "qr", value_str_borrow(f->a, qr_of(f->b, f->its[k]->order, f->l)));
}

/* LANG/leerjaar-N/handouts.html (and handouts-2.html ... for a large
 * year): the year's handouts, one after another. */
void page_pack(PageStage *st, const PageJob *j, Arena *a, Buf *out, Diags *d)
{
    Build *b = st->b;
    size_t l = j->l;
    Value *y;
    const char *sub;
    const char *file = pack_file(a, j->part);
    Value *r = year_page_root(st, j, a, file, &y, &sub);
    size_t count, k0, k1;
    Item **its = b->year[j->n];
    count = b->year_n[j->n];
    pack_part_range(count, j->part, &k0, &k1);
    /* one page, several texts: every id on it unique, the anchors first */
    SlugSet ids = SLUGSET_INIT(a);
    const char **anchors = arena_alloc(a, (count + 1) * sizeof *anchors);
    for (size_t k = k0; k < k1; k++) {
        anchors[k] = arena_cat(a, kind_names[its[k]->kind], "-", its[k]->slug, (char *)NULL);
        slugset_take(&ids, anchors[k]);
    }
    Value *hs = value_list(a);
    /* heads[0]: the cover and blank pages, page numbers only; then
     * handout k on its own named page "handout-k" with k in its head
     * (k counts on across the parts of a pack) */
    size_t nh = k1 - k0;
    PrintHead *heads = arena_alloc(a, (nh + 1) * sizeof *heads);
    const char **names = arena_alloc(a, (nh + 1) * sizeof *names);
    heads[0] = (PrintHead){0};
    names[0] = NULL;
    for (size_t k = k0; k < k1; k++) {
        size_t item = (size_t)its[k]->order;
        Value *m = b->material[item][l];
        Value *h = value_map_copy(a, m, 8);
        value_set(a, h, "anchor", value_str_borrow(a, anchors[k]));
        Buf no = BUF_INIT;
        locale_format_int(b->in->locales[l], (long)k + 1, &no);
        const char *pack_no = arena_strndup(a, buf_cstr(&no), no.len);
        buf_free(&no);
        value_set_str(a, h, "pack_no", pack_no);
        size_t hk = k - k0 + 1;
        names[hk] = arena_printf(a, "handout-%zu", k + 1);
        value_set_str(a, h, "page_name", names[hk]);
        heads[hk] = (PrintHead){value_cstr(value_get(m, "title")), NULL, pack_no,
                                its[k]->kind == KIND_THUISOPDRACHT ? T(b, l, "handout_name") : NULL,
                                anchors[k]};
        const Docs *docs = &b->docs[item][shown_lang(b, item, l)];
        const char *body = value_cstr(value_get(m, "print_body"));
        IdRenames renamed = {0};
        const char *unique = markdown_unique_ids(a, &ids, body, &docs->print, &renamed);
        unique = markdown_relink_fragments(a, unique, &renamed);
        if (unique != body)
            value_set(a, h, "print_body", value_str_borrow(a, unique));
        value_push(a, hs, h);
    }
    slugset_free(&ids);
    value_set(a, y, "handouts", hs);
    value_set(a, r, "print_css", print_css(b, a, l, heads, names, nh + 1));
    QrFill qf = {b, a, l, NULL, 0, hs, its + k0};
    emit_filled(st, arena_printf(a, "%s/%s/%s", lang_tag(b, l), sub, file), r, "pack", l, j->n, out, d, fill_qr, &qf);
}

/* A handout's running heads: its title (and, bilingual, the Dutch one
 * after it); thuisopdrachten get a name line. */
static void handout_css(const Build *b, Arena *a, Value *r, const PageJob *j, bool bilingual)
{
    const Item *it = b->in->site->items[j->item];
    Value *p = value_get(r, "page");
    PrintHead h = {value_cstr(value_get(p, "title")), bilingual ? it->source->title : NULL, NULL,
                   it->kind == KIND_THUISOPDRACHT ? T(b, j->l, "handout_name") : NULL, NULL};
    const char *name = NULL;
    value_set(a, r, "print_css", print_css(b, a, j->l, &h, &name, 1));
}

/* A material's handout.html: the print body with its QR code. */
void page_handout(PageStage *st, const PageJob *j, Arena *a, Buf *out, Diags *d)
{
    const char **rel;
    bool *real;
    Value *r = material_page_root(st, j, a, "handout.html", &rel, &real);
    handout_css(st->b, a, r, j, false);
    QrFill qf = {st->b, a, j->l, r, j->item, NULL, NULL};
    emit_filled(st, arena_cat(a, rel[j->l], "/handout.html", (char *)NULL), r, "handout", j->l,
                material_leerjaar(st->b, j->item), out, d, fill_qr, &qf);
}

/* A translated material's handout-nl.html: its sections beside the Dutch ones. */
void page_bilingual(PageStage *st, const PageJob *j, Arena *a, Buf *out, Diags *d)
{
    Build *b = st->b;
    size_t l = j->l;
    const char **rel;
    bool *real;
    Value *r = material_page_root(st, j, a, "handout-nl.html", &rel, &real);
    /* a bilingual handout exists only where a translation does (made so
     * once for the material's languages when b->mlangs has it) */
    Value *langs = value_get(r, "languages");
    for (size_t k = 0; !(b->mlangs && b->mlangs[j->item]) && k < b->nl; k++)
        if (!real[k] || k == 0)
            value_set(a, langs->u.list.items[k], "url", value_strf(a, "%s%s/handout.html", up(3), rel[k]));
    handout_css(b, a, r, j, true);
    const Docs *home = &b->docs[j->item][l], *src = &b->docs[j->item][0];
    Value *rows = print_bilingual_rows(a, &home->print, &src->print);
    /* two texts on one page: the translation keeps its ids, the Dutch
     * text's repeats get a suffix */
    SlugSet ids = SLUGSET_INIT(a);
    static const char *const side[] = {"home", "source"};
    for (int s = 0; s < 2; s++) {
        /* a link in one section may point at a heading of another */
        IdRenames renamed = {0};
        for (size_t k = 0; k < rows->u.list.len; k++) {
            Value *row = rows->u.list.items[k];
            const char *html = value_cstr(value_get(row, side[s]));
            const char *unique = markdown_unique_ids(a, &ids, html, s == 0 ? &home->print : &src->print, &renamed);
            if (unique != html)
                value_set(a, row, side[s], value_str_borrow(a, unique));
        }
        for (size_t k = 0; k < rows->u.list.len; k++) {
            Value *row = rows->u.list.items[k];
            const char *html = value_cstr(value_get(row, side[s]));
            const char *relinked = markdown_relink_fragments(a, html, &renamed);
            if (relinked != html)
                value_set(a, row, side[s], value_str_borrow(a, relinked));
        }
    }
    slugset_free(&ids);
    value_set(a, r, "rows", rows);
    value_set(a, r, "paired_blocks", print_pair_blocks(a, home->blocks, src->blocks));
    Value *sl = lang_value(b, a, 0);
    value_set(a, r, "source_lang", sl);
    value_set_str(a, r, "source_title", b->in->site->items[j->item]->source->title);
    QrFill qf = {b, a, l, r, j->item, NULL, NULL};
    emit_filled(st, arena_cat(a, rel[l], "/handout-nl.html", (char *)NULL), r, "handout-bilingual", l,
                material_leerjaar(b, j->item), out, d, fill_qr, &qf);
}
