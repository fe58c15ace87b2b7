#include "pagedata.h"

#include "home.h"
#include "yearpage.h"

#include "qrcache.h"

#include "print.h"

#include <ctype.h>
#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

const char *lang_tag(const Build *b, size_t l) { return b->in->cfg->langs[l].tag; }

long long item_lastmod(const Build *b, size_t item, size_t l)
{
    return b->item_time ? b->item_time[item * b->nl + l] : -1;
}

const char *T(const Build *b, size_t l, const char *key)
{
    const char *s = locale_string(b->in->locales[l], b->in->locales[0], key);
    return s ? s : key;
}

/* Whether translation m shows some units in Dutch: a PO file's units
 * without a translation, a Markdown file's units left as the Dutch text
 * (site_build). */
static bool partly_dutch(const Material *m)
{
    return m->src->is_po ? m->po_translated < m->po_units : m->n_source_text > 0;
}

const char *untranslated_mark(const Build *b, Arena *a, size_t l)
{
    Buf o = BUF_INIT;
    buf_printf(&o, " <small class=\"untranslated-mark\" lang=\"%s\" dir=\"%s\">(", lang_tag(b, l),
               locale_is_rtl(b->in->locales[l]) ? "rtl" : "ltr");
    const char *t = T(b, l, "not_translated_badge");
    buf_html_escape(&o, t, strlen(t));
    buf_puts(&o, ")</small>");
    const char *r = arena_strndup(a, o.data, o.len);
    buf_free(&o);
    return r;
}

Value *fill1(Arena *a, const char *fmt, const char *name, const char *val)
{
    Buf o = BUF_INIT;
    locale_fill(&o, fmt, name, val, (const char *)NULL);
    Value *v = value_strn(a, buf_cstr(&o), o.len);
    buf_free(&o);
    return v;
}

Value *fill_n(const Build *b, Arena *a, size_t l, const char *key, long n)
{
    Buf num = BUF_INIT;
    locale_format_int(b->in->locales[l], n, &num);
    Value *v = fill1(a, T(b, l, key), "n", buf_cstr(&num));
    buf_free(&num);
    return v;
}

/* ---- URLs ------------------------------------------------------------------ */

const char *material_dir(Arena *a, const char *lang, const Item *it)
{
    return arena_cat(a, lang, "/", kind_names[it->kind], "/", it->slug, (char *)NULL);
}

/* An absolute URL of a folder page: base_url/rel/ */
const char *abs_url(const Build *b, Arena *a, const char *rel)
{
    return arena_cat(a, b->in->cfg->base_url, "/", rel, *rel ? "/" : "", (char *)NULL);
}

const char *up(int depth)
{
    static const char *const ups[] = {"", "../", "../../", "../../../", "../../../../"};
    return ups[depth < 0 ? 0 : depth > 4 ? 4 : depth];
}

/* ---- blocks inside Markdown -------------------------------------------------- */

/* ---- stage 1: per-language data ---------------------------------------------- */

Value *lang_value(const Build *b, Arena *a, size_t l)
{
    const Locale *lo = b->in->locales[l];
    Value *v = value_map(a);
    value_set_str(a, v, "code", lang_tag(b, l));
    value_set_str(a, v, "name", locale_native_name(lo));
    value_set_str(a, v, "dir", locale_is_rtl(lo) ? "rtl" : "ltr");
    value_set_bool(a, v, "rtl", locale_is_rtl(lo));
    value_set_bool(a, v, "source", l == 0);
    value_set_bool(a, v, "reviewed", locale_reviewed(lo));
    return v;
}

/* Every interface string of the source language, in the reader's
 * language where it has one: templates name them as t.key, so a school
 * can add a string for its own template without touching C. */
Value *strings_value(const Build *b, Arena *a, size_t l)
{
    Value *t = value_map(a);
    size_t n;
    const char **keys = locale_keys(a, b->in->locales[0], &n);
    for (size_t i = 0; i < n; i++)
        value_set(a, t, keys[i], value_str_borrow(a, T(b, l, keys[i])));
    const char *own_title = locale_string(b->in->locales[l], b->in->locales[l], "site_title");
    value_set(a, t, "feed_title", fill1(a, T(b, l, "feed_title"), "site", own_title && *own_title ? own_title : b->in->cfg->title));
    return t;
}

Value *leerjaren_nav(const Build *b, Arena *a, size_t l, int depth, int section, bool is_its_page)
{
    Value *list = value_list(a);
    for (int n = 1; n <= 4; n++) {
        Value *v = value_map(a);
        value_set_num(a, v, "n", n);
        value_set(a, v, "label", b->lj_label[l][n]);
        value_set(a, v, "url", value_strf(a, "%s%s/leerjaar-%d/index.html", up(depth), lang_tag(b, l), n));
        /* aria-current="page" is for the link to this very page only; the
         * link to the section a page lies in is aria-current="true"
         * (WAI-ARIA 1.2): a screen reader must not say "current page" on a
         * material or on a leerjaar's second page */
        value_set_bool(a, v, "current", n == section && is_its_page);
        value_set_bool(a, v, "current_section", n == section && !is_its_page);
        value_push(a, list, v);
    }
    return list;
}


/* ---- stage 3: material data ---------------------------------------------------- */

const char *date_text(const Build *b, Arena *a, size_t l, const Date *dt, DateStyle st)
{
    if (!dt->y)
        return NULL;
    Buf o = BUF_INIT;
    locale_format_date(b->in->locales[l], dt, st, &o);
    char *s = arena_strndup(a, buf_cstr(&o), o.len);
    buf_free(&o);
    return s;
}

/* The machine-readable form of a date for <time datetime>: "2026-11-19"
 * or "2026-11-19T19:00" (HTML's valid date and local date-time strings). */
const char *date_iso(Arena *a, const Date *dt)
{
    if (!dt->y)
        return NULL;
    char s[32];
    return arena_strdup(a, date_format(dt, DATE_HTML_LOCAL, s));
}

const char *kind_label_key(Kind k)
{
    static const char *const keys[] = {"kind_thuisopdracht", "kind_gesprek", "kind_ouderavond"};
    return keys[k];
}

/* The order of dates by what a date's long form shows (locale_format_date):
 * the day, and the time when there is one. */
static int date_text_cmp(const void *pa, const void *pb)
{
    const Date *x = pa, *y = pb;
    int kx[6] = {x->y, x->m, x->d, x->has_time, x->has_time ? x->hour : 0, x->has_time ? x->minute : 0};
    int ky[6] = {y->y, y->m, y->d, y->has_time, y->has_time ? y->hour : 0, y->has_time ? y->minute : 0};
    for (int i = 0; i < 6; i++)
        if (kx[i] != ky[i])
            return kx[i] < ky[i] ? -1 : 1;
    return 0;
}

void card_dates(Build *b)
{
    const Site *site = b->in->site;
    Date *ds = arena_alloc(b->a, (2 * site->n_items + 1) * sizeof(Date));
    size_t n = 0;
    for (size_t i = 0; i < site->n_items; i++) {
        const Material *m = site->items[i]->source;
        if (m->date.y)
            ds[n++] = m->date;
        if (m->deadline.y)
            ds[n++] = m->deadline;
    }
    qsort(ds, n, sizeof *ds, date_text_cmp);
    size_t u = 0;
    for (size_t k = 0; k < n; k++)
        if (!u || date_text_cmp(&ds[u - 1], &ds[k]) != 0)
            ds[u++] = ds[k];
    b->dates = ds;
    b->n_dates = u;
    b->date_texts = arena_alloc(b->a, (b->nl * u + 1) * sizeof(char *));
}

void card_date_job(void *ctx, size_t l, Arena *a, Diags *d)
{
    (void)d;
    Build *b = ctx;
    for (size_t k = 0; k < b->n_dates; k++)
        b->date_texts[l * b->n_dates + k] = date_text(b, a, l, &b->dates[k], DATE_LONG);
}

const char *card_date_text(const Build *b, size_t l, const Date *dt)
{
    if (!dt->y)
        return NULL;
    const Date *hit = bsearch(dt, b->dates, b->n_dates, sizeof *dt, date_text_cmp);
    return hit ? b->date_texts[l * b->n_dates + (size_t)(hit - b->dates)] : NULL;
}

Value *material_url_abs(const Build *b, Arena *a, size_t item, size_t l)
{
    /* abs_url(material_dir(...)) in one string: the sitemap makes one for
     * every material in every language of a part (400,000 at 100,000 x 8) */
    const Item *it = b->in->site->items[item];
    return value_str_borrow(a, arena_cat(a, b->in->cfg->base_url, "/", lang_tag(b, l), "/", kind_names[it->kind], "/",
                                         it->slug, "/", (char *)NULL));
}

/* A list page shows thousands of cards: their maps are built in one go,
 * not key by key (pagedata.h). A map for keys set in code is never read
 * from YAML, so every key's line and column is 0: one zeroed array serves
 * both. */
/* true and false, shared by every card: values are never changed in place */
static Value v_true = {.kind = V_BOOL, .u.b = true}, v_false = {.kind = V_BOOL, .u.b = false};
static Value *flag(bool b) { return b ? &v_true : &v_false; }
/* the links of a material without prepares or follows: most of them */
static Value v_no_links = {.kind = V_LIST};

void card_shared_new(Build *b)
{
    b->card_shared = arena_alloc(b->a, b->nl * sizeof(CardShared));
    for (size_t l = 0; l < b->nl; l++) {
        CardShared *cs = &b->card_shared[l];
        for (int k = 0; k < KIND_COUNT; k++) {
            cs->kind[k] = value_str_borrow(b->a, kind_names[k]);
            cs->kind_label[k] = value_str_borrow(b->a, T(b, l, kind_label_key((Kind)k)));
        }
        cs->lang = value_str_borrow(b->a, lang_tag(b, l));
        cs->dir = value_str_borrow(b->a, locale_is_rtl(b->in->locales[l]) ? "rtl" : "ltr");
    }
}

enum { CARD_KEYS = 20 }; /* and the two flags where a text is left in Dutch: rare */

/* card() with room for extra more keys; its strings are borrowed from the
 * model, the facts and the locales, which outlive every page. */
static Value *card_sized(const Build *b, Arena *a, size_t item, size_t l, size_t extra)
{
    const Item *it = b->in->site->items[item];
    const Material *shown = it->by_lang[l] ? it->by_lang[l] : it->source;
    const char *day_text = card_date_text(b, l, &it->source->date);
    const char *due_text = card_date_text(b, l, &it->source->deadline);
    TrState st = it->state[l];
    Value *c = value_map_sized(a, CARD_KEYS + extra);
    const CardShared *cs = &b->card_shared[st == TR_MISSING ? 0 : l];
    /* a translation's title or summary left as the Dutch is shown as Dutch
     * (WCAG 2.1 SC 3.1.2), as its body's Dutch units are: the templates put
     * title_lang / summary_lang on its element, and the page, whose text
     * is in the page's language, marks it where title_untranslated says */
    const Material *tr = st != TR_MISSING && l > 0 ? it->by_lang[l] : NULL;
    bool title_nl = tr && site_field_is_source(tr, it->source, SITE_TITLE);
    bool summary_nl = tr && site_field_is_source(tr, it->source, SITE_SUMMARY);
    const CardShared *ts = title_nl ? &b->card_shared[0] : cs, *ss = summary_nl ? &b->card_shared[0] : cs;
    value_append_borrow(a, c, "title", value_str_borrow(a, shown->title));
    value_append_borrow(a, c, "title_lang", ts->lang);
    value_append_borrow(a, c, "title_dir", ts->dir);
    /* the flags only where true: every page's key hashes its cards, and
     * templates read them as page.title_untranslated, not from a card */
    if (title_nl)
        value_append_borrow(a, c, "title_untranslated", flag(true));
    if (shown->summary) {
        value_append_borrow(a, c, "summary", value_str_borrow(a, shown->summary));
        value_append_borrow(a, c, "summary_lang", ss->lang);
        value_append_borrow(a, c, "summary_dir", ss->dir);
        if (summary_nl)
            value_append_borrow(a, c, "summary_untranslated", flag(true));
    }
    value_append_borrow(a, c, "kind", b->card_shared[l].kind[it->kind]);
    value_append_borrow(a, c, "kind_label", b->card_shared[l].kind_label[it->kind]);
    value_append_borrow(a, c, "slug", value_str_borrow(a, it->slug));
    value_append_borrow(a, c, "path", value_str_borrow(a, material_dir(a, lang_tag(b, l), it)));
    if (it->source->week)
        value_append_borrow(a, c, "week_label", b->week_label[l][it->source->week]);
    if (day_text) {
        value_append_borrow(a, c, "date_text", value_str_borrow(a, day_text));
        value_append_borrow(a, c, "date_iso", value_str_borrow(a, date_iso(a, &it->source->date)));
    }
    if (due_text) {
        value_append_borrow(a, c, "deadline_text", value_str_borrow(a, due_text));
        value_append_borrow(a, c, "deadline_iso", value_str_borrow(a, date_iso(a, &it->source->deadline)));
    }
    value_append_borrow(a, c, "missing", flag(st == TR_MISSING));
    value_append_borrow(a, c, "stale", flag(st == TR_STALE));
    value_append_borrow(a, c, "unreviewed", flag((st == TR_CURRENT || st == TR_STALE) && !it->by_lang[l]->tr_reviewed));
    value_append_borrow(a, c, "needs_followup", flag(it->needs_followup));
    /* a translation with units still shown in Dutch */
    value_append_borrow(a, c, "partly", flag(st != TR_MISSING && l > 0 && it->by_lang[l] && partly_dutch(it->by_lang[l])));
    return c;
}

/* The material as it appears in lists of language l. */
Value *card(const Build *b, Arena *a, size_t item, size_t l) { return card_sized(b, a, item, l, 0); }

/* A card copied with its url relative to a page at depth. */
Value *card_at(Arena *a, Value *card, int depth)
{
    Value *c = map_clone(a, card, 6);
    value_set(a, c, "url",
              value_str_borrow(a, arena_cat(a, up(depth), value_cstr(value_get(card, "path")), "/index.html",
                                            (char *)NULL)));
    return c;
}

/* card_at(card(...)) without the copy, with room for extra more keys. */
static Value *card_url(const Build *b, Arena *a, size_t item, size_t l, int depth, size_t extra)
{
    Value *c = card_sized(b, a, item, l, 1 + extra);
    value_append_borrow(a, c, "url",
                        value_str_borrow(a, arena_cat(a, up(depth), value_cstr(value_get(c, "path")), "/index.html",
                                                      (char *)NULL)));
    return c;
}

Value *links(const Build *b, Arena *a, Item **items, size_t n, size_t l, int depth)
{
    if (!n)
        return &v_no_links;
    Value *list = value_list_sized(a, n);
    for (size_t i = 0; i < n; i++)
        value_push(a, list, card_url(b, a, (size_t)items[i]->order, l, depth, 0));
    return list;
}

void material_data(Build *b, Arena *a, size_t item, size_t l)
{
    const Item *it = b->in->site->items[item];
    const Material *src = it->source;
    TrState st = it->state[l];
    size_t shown_l = st == TR_MISSING ? 0 : l;
    const Material *shown = it->by_lang[shown_l];
    const Docs *docs = &b->docs[item][shown_l];
    Value *p = map_clone(a, card(b, a, item, l), 40);
    value_set(a, p, "body", value_str_borrow(a, docs->web.html));
    value_set(a, p, "print_body", value_str_borrow(a, docs->print.html));
    value_set_str(a, p, "content_lang", lang_tag(b, shown_l));
    value_set_str(a, p, "content_dir", locale_is_rtl(b->in->locales[shown_l]) ? "rtl" : "ltr");
    value_set_bool(a, p, "is_thuisopdracht", it->kind == KIND_THUISOPDRACHT);
    value_set_bool(a, p, "is_gesprek", it->kind == KIND_GESPREK);
    value_set_bool(a, p, "is_ouderavond", it->kind == KIND_OUDERAVOND);
    const char *dir = material_dir(a, lang_tag(b, l), it);
    value_set_str(a, p, "url_abs", abs_url(b, a, dir));
    const char *src_dir = material_dir(a, lang_tag(b, 0), it);
    value_set_str(a, p, "source_url_abs", abs_url(b, a, src_dir));
    value_set(a, p, "source_url", value_strf(a, "%s%s/index.html", up(3), src_dir));
    value_set_str(a, p, "canonical", abs_url(b, a, st == TR_MISSING ? src_dir : dir));
    Buf lang_name = BUF_INIT;
    buf_puts(&lang_name, locale_native_name(b->in->locales[l]));
    if (st == TR_MISSING)
        value_set(a, p, "notice_missing", fill1(a, T(b, l, "notice_missing"), "language", lang_name.data));
    if (st == TR_STALE)
        value_set(a, p, "notice_stale", value_str_borrow(a, T(b, l, "notice_stale")));
    if ((st == TR_CURRENT || st == TR_STALE) && !shown->tr_reviewed)
        value_set(a, p, "notice_unreviewed", fill1(a, T(b, l, "notice_unreviewed"), "language", lang_name.data));
    if (st != TR_MISSING && l > 0 && partly_dutch(shown))
        value_set(a, p, "notice_partly", value_str_borrow(a, T(b, l, "notice_partly")));
    buf_free(&lang_name);
    value_set_bool(a, p, "translated", st == TR_CURRENT || st == TR_STALE);
    /* facts */
    Value *lj = value_list(a);
    for (int i = 0; i < src->n_leerjaar; i++) {
        Value *v = value_map(a);
        value_set(a, v, "label", fill_n(b, a, l, "leerjaar", src->leerjaar[i]));
        value_set(a, v, "url", value_strf(a, "%s%s/leerjaar-%d/index.html", up(3), lang_tag(b, l), src->leerjaar[i]));
        value_push(a, lj, v);
    }
    value_set(a, p, "leerjaren", lj);
    /* "Leerjaar" for one year, "Leerjaren" for more (CLDR plural forms) */
    Buf ljl = BUF_INIT;
    locale_plural(b->in->locales[l], b->in->locales[0], "leerjaren_label", src->n_leerjaar, &ljl);
    if (!ljl.len) /* a project's locales from before the key: the menu's word */
        buf_puts(&ljl, T(b, l, "menu_leerjaren"));
    value_set(a, p, "leerjaren_label", value_strn(a, buf_cstr(&ljl), ljl.len));
    buf_free(&ljl);
    if (src->duration) {
        Buf o = BUF_INIT;
        locale_plural(b->in->locales[l], b->in->locales[0], "minutes", src->duration, &o);
        value_set(a, p, "duration_text", value_strn(a, buf_cstr(&o), o.len));
        buf_free(&o);
    }
    if (src->niveau != NIVEAU_ALL) {
        Value *nv = value_list(a);
        for (int i = 0; i < N_NIVEAUS; i++)
            if (src->niveau & (1u << i)) {
                char up_name[8];
                snprintf(up_name, sizeof up_name, "%s", niveau_names[i]);
                for (char *q = up_name; *q; q++)
                    *q = (char)toupper((unsigned char)*q);
                value_push(a, nv, value_str(a, up_name));
            }
        value_set(a, p, "niveaus", nv);
        value_set_bool(a, p, "has_niveaus", true);
    }
    Value *cv = value_list(a);
    for (int i = 0; i < N_COMPETENTIES; i++)
        if (src->competenties & (1u << i)) {
            char key[64];
            snprintf(key, sizeof key, "competentie_%s", competentie_names[i]);
            value_push(a, cv, value_str_borrow(a, T(b, l, key)));
        }
    value_set(a, p, "competenties", cv);
    value_set_bool(a, p, "has_competenties", cv->u.list.len > 0);
    value_set(a, p, "prepares", links(b, a, it->prepares, it->n_prepares, l, 3));
    value_set_bool(a, p, "has_prepares", it->n_prepares > 0);
    value_set(a, p, "follows", links(b, a, it->follows, it->n_follows, l, 3));
    value_set_bool(a, p, "has_follows", it->n_follows > 0);
    /* print and the parents' channels */
    value_set_str(a, p, "handout_url", "handout.html");
    if (st == TR_CURRENT || st == TR_STALE)
        value_set_str(a, p, "bilingual_url", "handout-nl.html");
    if (it->kind == KIND_THUISOPDRACHT && src->deadline.y)
        value_set_str(a, p, "announcement_url", "aankondiging.txt");
    if (src->date.y || src->deadline.y)
        value_set_str(a, p, "ics_url", "agenda.ics");
    /* listening (audio.h): a recording or synthetic speech of this page's own text */
    const AudioTrack *at = audio_track(b->in->audio, item, l);
    if (at && at->source != AUDIO_NONE) {
        Value *av = value_map(a);
        value_set_str(a, av, "url", at->name);
        value_set_str(a, av, "type", at->mime);
        value_set_bool(a, av, "synthetic", at->source == AUDIO_SPEECH);
        value_set_bool(a, av, "stale", at->stale);
        if (at->seconds >= 0) {
            long minutes = (long)((at->seconds + 30) / 60);
            Buf o = BUF_INIT;
            locale_plural(b->in->locales[l], b->in->locales[0], "minutes", minutes < 1 ? 1 : minutes, &o);
            value_set(a, av, "duration_text", value_strn(a, buf_cstr(&o), o.len));
            buf_free(&o);
        }
        value_set(a, p, "audio", av);
    }
    b->material[item][l] = p;
}



/* hreflang alternates and the language switcher of one page. rel_of(l)
 * gives the page's path in language l (folder, without index.html);
 * real[l] says whether language l has its own version of it. */
/* One entry of the language switcher: language k's version of a page at
 * url (relative to the page). */
static Value *switcher_entry(const Build *b, Arena *a, size_t k, const char *url, bool current, bool real)
{
    Value *v = value_map_sized(a, 6);
    value_append_borrow(a, v, "code", value_str_borrow(a, lang_tag(b, k)));
    value_append_borrow(a, v, "name", value_str_borrow(a, locale_native_name(b->in->locales[k])));
    value_append_borrow(a, v, "dir", value_str_borrow(a, locale_is_rtl(b->in->locales[k]) ? "rtl" : "ltr"));
    value_append_borrow(a, v, "url", value_str_borrow(a, url));
    value_append_borrow(a, v, "current", flag(current));
    value_append_borrow(a, v, "real", flag(real));
    return v;
}

/* The hreflang alternates of a page whose version in language k is in
 * folder rel[k] where real[k]. */
static Value *alternates(const Build *b, Arena *a, const char *const *rel, const bool *real)
{
    Value *alt = value_list_sized(a, b->nl + 1);
    for (size_t k = 0; k < b->nl; k++)
        if (real[k]) {
            Value *al = value_map_sized(a, 2);
            value_append_borrow(a, al, "hreflang", value_str_borrow(a, lang_tag(b, k)));
            value_append_borrow(a, al, "href", value_str_borrow(a, abs_url(b, a, rel[k])));
            value_push(a, alt, al);
        }
    Value *xd = value_map_sized(a, 2);
    value_append_borrow(a, xd, "hreflang", value_str_borrow(a, "x-default"));
    value_append_borrow(a, xd, "href", value_str_borrow(a, abs_url(b, a, "")));
    value_push(a, alt, xd);
    return alt;
}

/* hreflang alternates and the language switcher of one page. rel_of(l)
 * gives the page's path in language l (folder, without index.html);
 * real[l] says whether language l has its own version of it. */
void add_languages(const Build *b, Arena *a, Value *root, size_t l, int depth,
                          const char *const *rel, const bool *real, const char *file)
{
    /* every page of a site has these (22,000 at 1,000 x 4): maps built at
     * their size, keys and the language's own strings (lang_tag, the
     * locale's name) borrowed, flags shared, so a page copies nothing but
     * its own URLs; a material's pages share theirs (material_langs_new) */
    Value *sw = value_list_sized(a, b->nl);
    for (size_t k = 0; k < b->nl; k++)
        value_push(a, sw, switcher_entry(b, a, k, arena_cat(a, up(depth), rel[k], "/", file, (char *)NULL), k == l,
                                         real[k]));
    value_set(a, root, "languages", sw);
    value_set(a, root, "alternates", alternates(b, a, rel, real));
    value_set(a, root, "canonical", value_str_borrow(a, abs_url(b, a, rel[l])));
}

void material_langs_new(Build *b, Arena *a, size_t item)
{
    static const char *const files[3] = {[MF_INDEX] = "index.html", [MF_HANDOUT] = "handout.html",
                                         [MF_BILINGUAL] = "handout-nl.html"};
    const Item *it = b->in->site->items[item];
    size_t nl = b->nl;
    MaterialLangs *ml = arena_alloc(a, sizeof *ml);
    ml->rel = arena_alloc(a, nl * sizeof(char *));
    ml->real = arena_alloc(a, nl);
    for (size_t k = 0; k < nl; k++) {
        ml->rel[k] = material_dir(a, lang_tag(b, k), it);
        ml->real[k] = it->state[k] != TR_MISSING;
    }
    ml->alternates = alternates(b, a, ml->rel, ml->real);
    for (int f = 0; f < 3; f++) {
        Value *entry[2][nl];
        for (size_t k = 0; k < nl; k++) {
            /* a bilingual handout exists only where a translation does:
             * the others (and Dutch) link to their plain handout */
            const char *file = f == MF_BILINGUAL && (!ml->real[k] || k == 0) ? files[MF_HANDOUT] : files[f];
            const char *url = arena_cat(a, up(3), ml->rel[k], "/", file, (char *)NULL);
            for (int cur = 0; cur < 2; cur++)
                entry[cur][k] = switcher_entry(b, a, k, url, cur, ml->real[k]);
        }
        ml->languages[f] = arena_alloc(a, nl * sizeof(Value *));
        for (size_t l = 0; l < nl; l++) {
            Value *sw = value_list_sized(a, nl);
            for (size_t k = 0; k < nl; k++)
                value_push(a, sw, entry[k == l][k]);
            ml->languages[f][l] = sw;
        }
    }
    b->mlangs[item] = ml;
}

/* A shallow copy of a map with room for extra more keys: the keys and
 * values are map's, which must outlive the copy. */
Value *map_clone(Arena *a, const Value *map, size_t extra)
{
    return value_map_copy(a, map, extra + 1);
}

Value *page_root_new(const Build *b, Arena *a, size_t l, int depth, int leerjaar)
{
    Value *r = value_map_copy(a, b->base[l], 16);
    value_set_str(a, r, "root", up(depth));
    value_set(a, r, "assets", value_strf(a, "%sassets/", up(depth)));
    value_set(a, r, "home_url", value_strf(a, "%s%s/index.html", up(depth), lang_tag(b, l)));
    value_set(a, r, "chooser_url", value_strf(a, "%sindex.html", up(depth)));
    value_set(a, r, "glossary_url", value_strf(a, "%s%s/woordenlijst/index.html", up(depth), lang_tag(b, l)));
    value_set(a, r, "feed_url", value_strf(a, "%s%s/feed.xml", up(depth), lang_tag(b, l)));
    /* the page exists in every language once the source has a glossary */
    value_set_bool(a, r, "has_glossary", b->in->glossary[l] != NULL || b->in->glossary[0] != NULL);
    value_set(a, r, "leerjaren", leerjaren_nav(b, a, l, depth, leerjaar, false));
    return r;
}

/* The same for every page of a language at one depth and leerjaar: built
 * once per build (render.c fills b->root), copied per page. */
Value *page_root(const Build *b, Arena *a, size_t l, int depth, int leerjaar)
{
    if (b->root && depth >= 0 && depth < ROOT_DEPTHS && leerjaar >= 0 && leerjaar <= 4)
        return map_clone(a, b->root[l][depth][leerjaar], 8);
    return page_root_new(b, a, l, depth, leerjaar);
}

void emit(PageStage *st, const char *rel, const Value *data, const char *tpl, size_t l, int leerjaar,
                 Buf *out, Diags *d)
{
    emit_filled(st, rel, data, tpl, l, leerjaar, out, d, NULL, NULL);
}

void emit_filled(PageStage *st, const char *rel, const Value *data, const char *tpl, size_t l, int leerjaar,
                 Buf *out, Diags *d, void (*fill)(void *ctx), void *ctx)
{
    const Build *b = st->b;
    /* incremental builds (incremental.h): the same key and templates as the
     * published page, the published file */
    Incremental *inc = b->in->inc;
    IncrKey key = {0, 0};
    if (inc) {
        key = incr_page_key(rel, tpl, lang_tag(b, l), leerjaar, data, b->memo);
        if (incr_reuse(inc, st->w, rel, key))
            return;
    }
    if (fill)
        fill(ctx);
    TemplateUse use = {0};
    TemplateScope sc = {.t = b->in->tpl, .lang = lang_tag(b, l), .leerjaar = leerjaar, .use = inc ? &use : NULL};
    buf_clear(out);
    /* room for most pages at once: growing from 64 bytes by doubling copied
     * each page several times over */
    buf_reserve(out, 32 << 10);
    if (templates_render(&sc, tpl, data, out, d) && writer_put(st->w, rel, buf_cstr(out), out->len, d) && inc)
        incr_record(inc, st->w, rel, key, lang_tag(b, l), leerjaar, &use);
    template_use_free(&use);
}

bool emit_file(PageStage *st, const char *rel, const char *data, size_t len, Diags *d)
{
    Incremental *inc = st->b->in->inc;
    if (!writer_put(st->w, rel, data, len, d))
        return false;
    if (inc) {
        TemplateUse none = {0};
        incr_record(inc, st->w, rel, (IncrKey){0, 0}, "", 0, &none);
    }
    return true;
}

const char *qr_of(Build *b, size_t item, size_t l)
{
    size_t slot_no = item * b->nl + l;
    char **slot = &b->qr_svg[slot_no];
    char *s = __atomic_load_n(slot, __ATOMIC_ACQUIRE);
    if (s)
        return s;
    /* A material in two years' packs can be asked for by two pack parts at
     * once; the cache's slot may only be filled by one of them. */
#define MU PTHREAD_MUTEX_INITIALIZER
#define MU8 MU, MU, MU, MU, MU, MU, MU, MU
    static pthread_mutex_t stripes[16] = {MU8, MU8};
#undef MU8
#undef MU
    pthread_mutex_t *mu = &stripes[slot_no % 16];
    pthread_mutex_lock(mu);
    s = __atomic_load_n(slot, __ATOMIC_ACQUIRE);
    if (!s) {
        const char *url = value_cstr(value_get(b->material[item][l], "url_abs"));
        Buf qr = BUF_INIT;
        qrcache_svg(b->qrc, slot_no, url, T(b, l, "scan_qr"), &qr);
        buf_cstr(&qr);
        s = buf_detach(&qr);
        if (!s)
            s = xstrdup("");
        __atomic_store_n(slot, s, __ATOMIC_RELEASE);
    }
    pthread_mutex_unlock(mu);
    return s;
}

const char **same_rel(const Build *b, Arena *a, const char *suffix)
{
    const char **rel = arena_alloc(a, b->nl * sizeof(char *));
    for (size_t k = 0; k < b->nl; k++)
        rel[k] = *suffix ? arena_cat(a, lang_tag(b, k), "/", suffix, (char *)NULL) : lang_tag(b, k);
    return rel;
}

bool *all_real(const Build *b, Arena *a)
{
    bool *r = arena_alloc(a, b->nl);
    memset(r, 1, b->nl);
    return r;
}

void build_orders(Build *b)
{
    for (int n = 1; n <= 4; n++) {
        b->year[n] = site_leerjaar(b->a, b->in->site, n, &b->year_n[n]);
        b->home[n] = home_choose(b->a, b->year[n], b->year_n[n], &b->stamp, b->in->cfg->home_cards, &b->home_n[n]);
    }
    b->feed = feed_order(b, b->a);
}

Value *year_items(const Build *b, Arena *a, size_t l, int n, int depth, size_t *count)
{
    Item **items = b->year[n];
    *count = b->year_n[n];
    return year_cards(b, a, l, items, *count, depth);
}

Value *year_cards(const Build *b, Arena *a, size_t l, Item **items, size_t count, int depth)
{
    Value *list = value_list(a);
    list->u.list.items = arena_alloc(a, (count + 1) * sizeof(Value *));
    list->u.list.cap = count + 1;
    for (size_t i = 0; i < count; i++) {
        Value *c = card_url(b, a, (size_t)items[i]->order, l, depth, 4);
        const Item *it = items[i];
        value_append_borrow(a, c, "follows", links(b, a, it->follows, it->n_follows, l, depth));
        value_append_borrow(a, c, "has_follows", flag(it->n_follows > 0));
        value_append_borrow(a, c, "prepares", links(b, a, it->prepares, it->n_prepares, l, depth));
        value_append_borrow(a, c, "has_prepares", flag(it->n_prepares > 0));
        value_push(a, list, c);
    }
    return list;
}

/* ---- one function per kind of page ------------------------------------------- */

/* The language chooser (index.html) and the 404 page. */
void page_chooser(PageStage *st, const PageJob *j, Arena *a, Buf *out, Diags *d)
{
    Build *b = st->b;
    int depth = 0;
    Value *r = page_root(b, a, 0, depth, 0);
    bool *real = all_real(b, a);
    add_languages(b, a, r, 0, depth, same_rel(b, a, ""), real, "index.html");
    if (j->kind == PG_404)
        value_set(a, r, "canonical", value_null(a));
    else
        value_set_str(a, r, "canonical", abs_url(b, a, ""));
    /* every language's own words for the chooser and the 404 */
    Value *langs = value_get(r, "languages");
    for (size_t k = 0; k < b->nl; k++) {
        Value *v = langs->u.list.items[k];
        /* neither page is a language's own page (nl/index.html is not the
         * chooser): no switcher link says aria-current="page" */
        value_set(a, v, "current", flag(false));
        value_set_str(a, v, "choose_language", T(b, k, "choose_language"));
        value_set_str(a, v, "not_found_title", T(b, k, "not_found_title"));
        value_set_str(a, v, "not_found_text", T(b, k, "not_found_text"));
        value_set_str(a, v, "tagline", T(b, k, "site_tagline"));
    }
    if (j->kind == PG_404) {
        /* a 404 is served at any depth: links start at the site's own path */
        value_set_str(a, r, "root", b->base_path);
        value_set(a, r, "assets", value_strf(a, "%sassets/", b->base_path));
        for (size_t k = 0; k < b->nl; k++)
            value_set(a, langs->u.list.items[k], "url", value_strf(a, "%s%s/index.html", b->base_path, lang_tag(b, k)));
        value_set(a, r, "chooser_url", value_strf(a, "%sindex.html", b->base_path));
        value_set(a, r, "home_url", value_strf(a, "%s%s/index.html", b->base_path, lang_tag(b, 0)));
        value_set(a, r, "glossary_url", value_strf(a, "%s%s/woordenlijst/index.html", b->base_path, lang_tag(b, 0)));
        value_set(a, r, "feed_url", value_strf(a, "%s%s/feed.xml", b->base_path, lang_tag(b, 0)));
        Value *lj = value_set(a, r, "leerjaren", leerjaren_nav(b, a, 0, 0, 0, false)); /* its own: changed below */
        for (size_t k = 0; k < lj->u.list.len; k++)
            value_set(a, lj->u.list.items[k], "url",
                      value_strf(a, "%s%s/leerjaar-%zu/index.html", b->base_path, lang_tag(b, 0), k + 1));
        emit(st, "404.html", r, "404", 0, 0, out, d);
    } else {
        emit(st, "index.html", r, "chooser", 0, 0, out, d);
    }
}

/* The data a leerjaar page and its pack share: the page root with "year"
 * set; *year_out is that map, *sub the folder ("leerjaar-N"). */
Value *year_page_root(PageStage *st, const PageJob *j, Arena *a, const char *file, Value **year_out,
                      const char **sub_out)
{
    Build *b = st->b;
    size_t l = j->l;
    const char *lang = lang_tag(b, l);
    int depth = 2;
    Value *r = page_root(b, a, l, depth, j->n);
    /* the root's leerjaren mark the year as the section; its first page is the link's own page */
    if (!strcmp(file, "index.html"))
        value_set(a, r, "leerjaren", leerjaren_nav(b, a, l, depth, j->n, true));
    const char *sub = arena_printf(a, "leerjaar-%d", j->n);
    add_languages(b, a, r, l, depth, same_rel(b, a, sub), all_real(b, a), file);
    Value *y = value_map(a);
    value_set_num(a, y, "n", j->n);
    value_set(a, y, "label", b->lj_label[l][j->n]);
    value_set(a, y, "intro", b->lj_intro[l][j->n]);
    size_t count;
    Item **its = b->year[j->n];
    count = b->year_n[j->n];
    pack_part_links(b, a, l, y, j->kind == PG_PACK ? j->part : SIZE_MAX, pack_parts(count));
    size_t k0 = 0, k1 = count;
    if (j->kind == PG_PACK) /* a pack's part lists its own handouts */
        pack_part_range(count, j->part, &k0, &k1);
    else /* a leerjaar page its own materials (yearpage.h) */
        yearpage_range(count, j->part, &k0, &k1);
    its += k0;
    count = k1 - k0;
    Value *items = year_cards(b, a, l, its, count, depth);
    value_set(a, y, "items", items);
    value_set_str(a, y, "pack_url", "handouts.html");
    value_set(a, y, "url_abs", value_str(a, abs_url(b, a, arena_printf(a, "%s/%s", lang, sub))));
    value_set(a, r, "year", y);
    *year_out = y;
    *sub_out = sub;
    return r;
}

size_t pack_parts(size_t count) { return count ? (count + PACK_PART_SIZE - 1) / PACK_PART_SIZE : 1; }

void pack_part_range(size_t count, size_t part, size_t *k0, size_t *k1)
{
    *k0 = part * PACK_PART_SIZE < count ? part * PACK_PART_SIZE : count;
    *k1 = *k0 + PACK_PART_SIZE < count ? *k0 + PACK_PART_SIZE : count;
}

const char *pack_file(Arena *a, size_t part)
{
    return part ? arena_printf(a, "handouts-%zu.html", part + 1) : "handouts.html";
}

/* The data a material's page and its handouts share: the page root with
 * "page" set, for the page named file in the material's folder. real[k]
 * (arena-owned, returned through *real_out) says language k has its own
 * version; rel[k] its folder. */
Value *material_page_root(PageStage *st, const PageJob *j, Arena *a, const char *file, const char ***rel_out,
                          bool **real_out)
{
    Build *b = st->b;
    const Site *site = b->in->site;
    size_t l = j->l;
    int depth = 3;
    const Item *it = site->items[j->item];
    int lj = it->source->n_leerjaar ? it->source->leerjaar[0] : 0;
    Value *r = page_root(b, a, l, depth, lj);
    Value *p = b->material[j->item][l];
    const MaterialLangs *ml = b->mlangs ? b->mlangs[j->item] : NULL;
    int f = !strcmp(file, "index.html") ? MF_INDEX
            : !strcmp(file, "handout.html") ? MF_HANDOUT
            : !strcmp(file, "handout-nl.html") ? MF_BILINGUAL : -1;
    if (ml && f >= 0) {
        /* what add_languages would make, made once for every language */
        value_set(a, r, "languages", ml->languages[f][l]);
        value_set(a, r, "alternates", ml->alternates);
        value_set(a, r, "canonical", value_get(p, "canonical"));
        value_set(a, r, "page", p);
        *rel_out = ml->rel;
        *real_out = ml->real;
        return r;
    }
    const char **rel = arena_alloc(a, b->nl * sizeof(char *));
    bool *real = arena_alloc(a, b->nl);
    for (size_t k = 0; k < b->nl; k++) {
        rel[k] = material_dir(a, lang_tag(b, k), it);
        real[k] = it->state[k] != TR_MISSING;
    }
    add_languages(b, a, r, l, depth, rel, real, file);
    value_set(a, r, "page", p);
    value_set(a, r, "canonical", value_get(p, "canonical"));
    *rel_out = rel;
    *real_out = real;
    return r;
}

size_t shown_lang(const Build *b, size_t item, size_t l)
{
    return b->in->site->items[item]->state[l] == TR_MISSING ? 0 : l;
}

/* The leerjaar of a material's pages (for leerjaar-specific templates), or 0. */
int material_leerjaar(const Build *b, size_t item)
{
    const Item *it = b->in->site->items[item];
    return it->source->n_leerjaar ? it->source->leerjaar[0] : 0;
}

/* A material's page. */
void page_material(PageStage *st, const PageJob *j, Arena *a, Buf *out, Diags *d)
{
    const char **rel;
    bool *real;
    Value *r = material_page_root(st, j, a, "index.html", &rel, &real);
    /* the layout's own ids come first: a heading "Inhoud" gets inhoud-2 */
    Build *b = st->b;
    SlugSet ids = SLUGSET_INIT(a);
    slugset_take_layout(&ids);
    Value *p = b->material[j->item][j->l];
    const char *body = value_cstr(value_get(p, "body"));
    IdRenames renamed = {0};
    const char *unique = markdown_unique_ids(a, &ids, body, &b->docs[j->item][shown_lang(b, j->item, j->l)].web,
                                             &renamed);
    unique = markdown_relink_fragments(a, unique, &renamed);
    slugset_free(&ids);
    if (unique != body) {
        Value *copy = value_map_copy(a, p, 0);
        value_set(a, copy, "body", value_str_borrow(a, unique));
        value_set(a, r, "page", copy);
    }
    emit(st, arena_cat(a, rel[j->l], "/index.html", (char *)NULL), r, "material", j->l, material_leerjaar(st->b, j->item),
         out, d);
}

/* A language's glossary page. */
void page_glossary(PageStage *st, const PageJob *j, Arena *a, Buf *out, Diags *d)
{
    Build *b = st->b;
    size_t l = j->l;
    const char *lang = lang_tag(b, l);
    (void)j;
    int depth = 2;
    Value *r = page_root(b, a, l, depth, 0);
    bool *real = arena_alloc(a, b->nl);
    for (size_t k = 0; k < b->nl; k++)
        real[k] = b->in->glossary[k] != NULL;
    add_languages(b, a, r, l, depth, same_rel(b, a, "woordenlijst"), real, "index.html");
    const Glossary *g = b->in->glossary[l] ? b->in->glossary[l] : b->in->glossary[0];
    Value *terms = value_list(a);
    for (size_t k = 0; g && k < g->n; k++) {
        Value *v = value_map(a);
        value_set_str(a, v, "term", g->entries[k].term);
        value_set_str(a, v, "id", g->entries[k].id);
        value_set_str(a, v, "text", g->entries[k].text);
        value_push(a, terms, v);
    }
    value_set(a, r, "terms", terms);
    /* the header's glossary link leads here: aria-current="page" */
    value_set_bool(a, r, "glossary_current", true);
    value_set_bool(a, r, "glossary_missing", b->in->glossary[l] == NULL);
    value_set_str(a, r, "glossary_lang", b->in->glossary[l] ? lang : lang_tag(b, 0));
    value_set_str(a, r, "glossary_dir",
                  locale_is_rtl(b->in->locales[b->in->glossary[l] ? l : 0]) ? "rtl" : "ltr");
    emit(st, arena_printf(a, "%s/woordenlijst/index.html", lang), r, "glossary", l, 0, out, d);
}
