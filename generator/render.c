#include "render.h"

#include "calendar.h"
#include "markdown.h"
#include "print.h"

#include <ctype.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

/* ---- the shared state of one build ------------------------------------ */

typedef struct {
    MdDoc web;   /* with glossary links */
    MdDoc print; /* without: links mean nothing on paper */
    bool ok;
} Docs;

typedef struct {
    const RenderInput *in;
    size_t nl;
    Arena *a;            /* everything built before the page stage */
    Value **base;        /* [nl] site, lang, t, nav: shared by every page of a language */
    Value **t;           /* [nl] interface strings */
    Docs **docs;         /* [n_items][nl]: docs of the file shown in that language */
    Value ***cards;      /* [n_items][nl]: the material as shown in lists */
    Value ***material;   /* [n_items][nl]: the material page's "page" map */
    Value ***qr;         /* [n_items][nl]: the handouts' QR code (SVG) */
    MdTerm **terms;      /* [nl] glossary terms, linked from material pages */
    size_t *n_terms;
    Value *(*lj_label)[5];   /* [nl][1..4] "Leerjaar 2" in each language */
    Value *(*lj_intro)[5];
    Value *(*lj_count)[5];   /* "3 materialen" */
    const char *stamp_iso; /* build stamp, 2000-01-01T00:00:00Z form */
    const char *stamp_ics;
    const char *base_path; /* path part of base_url, ending in '/' */
} Build;

static const char *lang_tag(const Build *b, size_t l) { return b->in->cfg->langs[l].tag; }

static const char *T(const Build *b, size_t l, const char *key)
{
    const char *s = locale_string(b->in->locales[l], b->in->locales[0], key);
    return s ? s : key;
}

static Value *fill1(Arena *a, const char *fmt, const char *name, const char *val)
{
    Buf o = BUF_INIT;
    locale_fill(&o, fmt, name, val, (const char *)NULL);
    Value *v = value_strn(a, buf_cstr(&o), o.len);
    buf_free(&o);
    return v;
}

static Value *fill_n(const Build *b, Arena *a, size_t l, const char *key, long n)
{
    Buf num = BUF_INIT;
    locale_format_int(b->in->locales[l], n, &num);
    Value *v = fill1(a, T(b, l, key), "n", buf_cstr(&num));
    buf_free(&num);
    return v;
}

/* ---- URLs ------------------------------------------------------------------ */

static const char *material_dir(Arena *a, const char *lang, const Item *it)
{
    return arena_printf(a, "%s/%s/%s", lang, kind_names[it->kind], it->slug);
}

/* An absolute URL of a folder page: base_url/rel/ */
static const char *abs_url(const Build *b, Arena *a, const char *rel)
{
    return arena_printf(a, "%s/%s%s", b->in->cfg->base_url, rel, *rel ? "/" : "");
}

static const char *up(int depth)
{
    static const char *const ups[] = {"", "../", "../../", "../../../", "../../../../"};
    return ups[depth < 0 ? 0 : depth > 4 ? 4 : depth];
}

/* ---- blocks inside Markdown -------------------------------------------------- */

typedef struct {
    const Build *b;
    size_t l;
    int leerjaar;
    Arena *a;
} BlockCtx;

static bool block_exists(void *ctx, const char *name)
{
    BlockCtx *c = ctx;
    if (!name[0])
        return false;
    for (const char *p = name; *p; p++)
        if (!(islower((unsigned char)*p) || isdigit((unsigned char)*p) || *p == '-' || *p == '_'))
            return false;
    char path[256];
    snprintf(path, sizeof path, "blocks/%s", name);
    return templates_find(c->b->in->tpl, path, lang_tag(c->b, c->l), c->leerjaar) != NULL;
}

/* The top-level <li> items of a block body's list, so that templates can
 * lay them out (cards, a timed programme) without parsing HTML. */
static Value *list_items(Arena *a, const char *html)
{
    Value *items = value_list(a);
    const char *p = strstr(html, "<li");
    int depth = 0;
    const char *start = NULL;
    while (p && *p) {
        if (!strncmp(p, "<li>", 4) || !strncmp(p, "<li ", 4)) {
            if (depth++ == 0)
                start = strchr(p, '>') + 1;
            p += 3;
        } else if (!strncmp(p, "</li>", 5)) {
            if (--depth == 0 && start) {
                const char *e = p;
                while (start < e && (*start == '\n' || *start == ' '))
                    start++;
                while (e > start && (e[-1] == '\n' || e[-1] == ' '))
                    e--;
                Value *it = value_map(a);
                char *h = arena_strndup(a, start, (size_t)(e - start));
                /* "<p>" wraps items of a loose list */
                if (!strncmp(h, "<p>", 3)) {
                    size_t hl = strlen(h);
                    if (hl >= 7 && !strcmp(h + hl - 4, "</p>") && !strstr(h + 3, "<p>")) {
                        h[hl - 4] = '\0';
                        h += 3;
                    }
                }
                value_set(a, it, "html", value_str_borrow(a, h));
                /* "19:15 Welkom" -> time and the rest */
                if (isdigit((unsigned char)h[0]) && isdigit((unsigned char)h[1]) && h[2] == ':' &&
                    isdigit((unsigned char)h[3]) && isdigit((unsigned char)h[4]) &&
                    (h[5] == ' ' || h[5] == '\0')) {
                    value_set(a, it, "time", value_strn(a, h, 5));
                    value_set(a, it, "rest", value_str_borrow(a, h[5] ? h + 6 : ""));
                } else if (isdigit((unsigned char)h[0]) && h[1] == ':' && isdigit((unsigned char)h[2]) &&
                           isdigit((unsigned char)h[3]) && (h[4] == ' ' || h[4] == '\0')) {
                    value_set(a, it, "time", value_strf(a, "0%.4s", h));
                    value_set(a, it, "rest", value_str_borrow(a, h[4] ? h + 5 : ""));
                } else {
                    value_set(a, it, "rest", value_str_borrow(a, h));
                }
                value_push(a, items, it);
                start = NULL;
            }
            p += 5;
        } else {
            p++;
        }
        p = strchr(p, '<');
    }
    return items;
}

static bool block_render(void *ctx, const char *name, const MdAttr *attrs, size_t n_attrs,
                         const char *content_html, const char *file, int line, Buf *out, Diags *d)
{
    BlockCtx *c = ctx;
    Arena *a = c->a;
    Value *data = value_map(a);
    value_set(a, data, "content", value_str_borrow(a, content_html));
    value_set(a, data, "items", list_items(a, content_html));
    value_set(a, data, "t", c->b->t[c->l]);
    value_set(a, data, "lang", value_get(c->b->base[c->l], "lang"));
    Value *at = value_map(a);
    for (size_t i = 0; i < n_attrs; i++) {
        const char *v = attrs[i].value;
        value_set(a, at, attrs[i].name, value_str(a, v));
        value_set(a, data, attrs[i].name, value_str(a, v));
        /* a count (regels=5) also comes as a list to loop over */
        char *end;
        long k = strtol(v, &end, 10);
        if (*v && !*end) {
            if (k < 0 || k > 200) {
                diag_error(d, file, line, 1, "%s=%s is out of range; use a number from 0 to 200",
                           attrs[i].name, v);
                return false;
            }
            Value *list = value_list(a);
            for (long j = 1; j <= k; j++)
                value_push(a, list, value_num(a, (double)j));
            value_set(a, data, arena_printf(a, "%s_list", attrs[i].name), list);
        }
    }
    value_set(a, data, "attrs", at);
    TemplateScope sc = {c->b->in->tpl, lang_tag(c->b, c->l), c->leerjaar};
    char path[256];
    snprintf(path, sizeof path, "blocks/%s", name);
    size_t e0 = diags_count(d, DIAG_ERROR);
    bool ok = templates_render(&sc, path, data, out, d);
    if (!ok && diags_count(d, DIAG_ERROR) > e0) {
        Diag *last = &d->items[d->len - 1];
        char *m = last->msg;
        last->msg = NULL;
        Buf nm = BUF_INIT;
        buf_printf(&nm, "in the %s block: %s", name, m);
        free(m);
        last->msg = buf_detach(&nm);
        free(last->file);
        last->file = xstrdup(file);
        last->line = line;
        last->col = 1;
    }
    return ok;
}

/* ---- a tiny thread pool over an index range --------------------------------- */

typedef struct {
    size_t n;
    size_t next;
    pthread_mutex_t lock;
    void (*fn)(void *ctx, size_t i, Arena *a, Diags *d);
    void *ctx;
    Diags *diags; /* [n]: merged in index order afterwards, so output order is fixed */
    Arena **arenas;
    size_t n_arenas;
    bool keep_arenas;
} Pool;

typedef struct {
    Pool *p;
    size_t id;
} Worker;

static void *worker_main(void *arg)
{
    Worker *w = arg;
    Pool *p = w->p;
    for (;;) {
        pthread_mutex_lock(&p->lock);
        size_t i = p->next++;
        pthread_mutex_unlock(&p->lock);
        if (i >= p->n)
            break;
        if (!p->keep_arenas) {
            Arena *a = arena_new();
            p->fn(p->ctx, i, a, &p->diags[i]);
            arena_free(a);
        } else {
            p->fn(p->ctx, i, p->arenas[w->id], &p->diags[i]);
        }
    }
    return NULL;
}

/* Run fn(ctx, i) for i < n on threads. With keep != NULL, each thread
 * allocates into an arena that outlives the run (returned through keep);
 * otherwise every job gets a fresh arena freed after it. */
static void run_parallel(int threads, size_t n, void (*fn)(void *, size_t, Arena *, Diags *), void *ctx,
                         Arena ***keep, size_t *n_keep, Diags *d)
{
    Pool p = {.n = n, .fn = fn, .ctx = ctx};
    pthread_mutex_init(&p.lock, NULL);
    p.diags = xcalloc(n + 1, sizeof(Diags));
    size_t nt = (size_t)threads;
    if (nt > n)
        nt = n ? n : 1;
    p.keep_arenas = keep != NULL;
    p.arenas = xcalloc(nt, sizeof(Arena *));
    for (size_t i = 0; i < nt; i++)
        p.arenas[i] = keep ? arena_new() : NULL;
    Worker *ws = xcalloc(nt, sizeof(Worker));
    pthread_t *th = xcalloc(nt, sizeof(pthread_t));
    for (size_t i = 0; i < nt; i++) {
        ws[i] = (Worker){&p, i};
        if (i > 0 && pthread_create(&th[i], NULL, worker_main, &ws[i]) != 0)
            ws[i].p = NULL; /* could not start: the other threads do its share */
    }
    worker_main(&ws[0]);
    for (size_t i = 1; i < nt; i++)
        if (ws[i].p)
            pthread_join(th[i], NULL);
    for (size_t i = 0; i < n; i++)
        diags_merge(d, &p.diags[i]);
    if (keep) {
        *keep = p.arenas;
        *n_keep = nt;
    } else {
        free(p.arenas);
    }
    free(p.diags);
    free(ws);
    free(th);
    pthread_mutex_destroy(&p.lock);
}

/* ---- stage 1: per-language data ---------------------------------------------- */

static Value *lang_value(const Build *b, Arena *a, size_t l)
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
static Value *strings_value(const Build *b, Arena *a, size_t l)
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

static Value *leerjaren_nav(const Build *b, Arena *a, size_t l, int depth, int current)
{
    Value *list = value_list(a);
    for (int n = 1; n <= 4; n++) {
        Value *v = value_map(a);
        value_set_num(a, v, "n", n);
        value_set(a, v, "label", b->lj_label[l][n]);
        value_set(a, v, "url", value_strf(a, "%s%s/leerjaar-%d/index.html", up(depth), lang_tag(b, l), n));
        value_set_bool(a, v, "current", n == current);
        value_push(a, list, v);
    }
    return list;
}

/* ---- stage 2: Markdown of every file shown ------------------------------------ */

typedef struct {
    size_t item, lang; /* lang = the file's language */
} DocJob;

typedef struct {
    Build *b;
    DocJob *jobs;
} DocStage;

static void doc_job(void *ctx, size_t i, Arena *a, Diags *d)
{
    DocStage *st = ctx;
    Build *b = st->b;
    const DocJob *j = &st->jobs[i];
    const Item *it = b->in->site->items[j->item];
    const Material *m = it->by_lang[j->lang];
    BlockCtx bc = {b, j->lang, m->n_leerjaar ? m->leerjaar[0] : 0, a};
    MdOptions opt = {block_exists, block_render, &bc, b->terms[j->lang], b->n_terms[j->lang]};
    Docs *docs = &b->docs[j->item][j->lang];
    docs->ok = markdown_render(a, m->src->path, m->body_line, m->body, m->body_len, &opt, &docs->web, d);
    opt.terms = NULL;
    opt.n_terms = 0;
    if (docs->ok)
        docs->ok = markdown_render(a, m->src->path, m->body_line, m->body, m->body_len, &opt, &docs->print, d);
}

/* QR codes are the dearest part of a handout: made once per material and
 * language, on threads, and shared by the handout, the bilingual handout
 * and the year's pack. */
static void qr_job(void *ctx, size_t i, Arena *a, Diags *d)
{
    (void)d;
    Build *b = ctx;
    size_t item = i / b->nl, l = i % b->nl;
    const char *url = value_cstr(value_get(b->material[item][l], "url_abs"));
    Buf qr = BUF_INIT;
    print_qr_svg(url, T(b, l, "scan_qr"), &qr);
    b->qr[item][l] = value_strn(a, buf_cstr(&qr), qr.len);
    buf_free(&qr);
}

/* ---- stage 3: material data ---------------------------------------------------- */

static const char *date_text(const Build *b, Arena *a, size_t l, const Date *dt, DateStyle st)
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
static const char *date_iso(Arena *a, const Date *dt)
{
    if (!dt->y)
        return NULL;
    if (dt->has_time)
        return arena_printf(a, "%04d-%02d-%02dT%02d:%02d", dt->y, dt->m, dt->d, dt->hour, dt->minute);
    return arena_printf(a, "%04d-%02d-%02d", dt->y, dt->m, dt->d);
}

static const char *kind_label_key(Kind k)
{
    static const char *const keys[] = {"kind_thuisopdracht", "kind_gesprek", "kind_ouderavond"};
    return keys[k];
}

/* The material as it appears in lists of language l, linked from a page at depth. */
static Value *card(const Build *b, Arena *a, size_t item, size_t l)
{
    const Item *it = b->in->site->items[item];
    const Material *shown = it->by_lang[l] ? it->by_lang[l] : it->source;
    TrState st = it->state[l];
    Value *c = value_map(a);
    value_set_str(a, c, "title", shown->title);
    value_set_str(a, c, "title_lang", lang_tag(b, st == TR_MISSING ? 0 : l));
    value_set_str(a, c, "title_dir",
                  locale_is_rtl(b->in->locales[st == TR_MISSING ? 0 : l]) ? "rtl" : "ltr");
    if (shown->summary)
        value_set_str(a, c, "summary", shown->summary);
    value_set_str(a, c, "kind", kind_names[it->kind]);
    value_set_str(a, c, "kind_label", T(b, l, kind_label_key(it->kind)));
    value_set_str(a, c, "slug", it->slug);
    value_set_str(a, c, "path", material_dir(a, lang_tag(b, l), it));
    if (it->source->week)
        value_set(a, c, "week_label", fill_n(b, a, l, "week", it->source->week));
    const char *dt = date_text(b, a, l, &it->source->date, DATE_LONG);
    if (dt) {
        value_set_str(a, c, "date_text", dt);
        value_set_str(a, c, "date_iso", date_iso(a, &it->source->date));
    }
    const char *dl = date_text(b, a, l, &it->source->deadline, DATE_LONG);
    if (dl) {
        value_set_str(a, c, "deadline_text", dl);
        value_set_str(a, c, "deadline_iso", date_iso(a, &it->source->deadline));
    }
    value_set_bool(a, c, "missing", st == TR_MISSING);
    value_set_bool(a, c, "stale", st == TR_STALE);
    value_set_bool(a, c, "unreviewed", (st == TR_CURRENT || st == TR_STALE) && !it->by_lang[l]->tr_reviewed);
    value_set_bool(a, c, "needs_followup", it->needs_followup);
    return c;
}

/* A card copied with its url relative to a page at depth. */
static Value *card_at(Arena *a, Value *card, int depth)
{
    Value *c = value_map(a);
    for (size_t i = 0; i < card->u.map.len; i++)
        value_set(a, c, card->u.map.keys[i], card->u.map.vals[i]);
    value_set(a, c, "url", value_strf(a, "%s%s/index.html", up(depth), value_cstr(value_get(card, "path"))));
    return c;
}

static Value *links(const Build *b, Arena *a, Item **items, size_t n, size_t l, int depth)
{
    Value *list = value_list(a);
    for (size_t i = 0; i < n; i++)
        value_push(a, list, card_at(a, b->cards[items[i]->order][l], depth));
    return list;
}

static void material_data(Build *b, size_t item, size_t l)
{
    Arena *a = b->a;
    const Item *it = b->in->site->items[item];
    const Material *src = it->source;
    TrState st = it->state[l];
    size_t shown_l = st == TR_MISSING ? 0 : l;
    const Material *shown = it->by_lang[shown_l];
    const Docs *docs = &b->docs[item][shown_l];
    Value *p = value_map(a);
    Value *c = b->cards[item][l];
    for (size_t i = 0; i < c->u.map.len; i++)
        value_set(a, p, c->u.map.keys[i], c->u.map.vals[i]);
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
    b->material[item][l] = p;
}

/* ---- stage 4: pages ------------------------------------------------------------ */

typedef enum {
    PG_CHOOSER, PG_404, PG_SITEMAP, PG_HOME, PG_LEERJAAR, PG_PACK, PG_FEED, PG_GLOSSARY,
    PG_MATERIAL, PG_HANDOUT, PG_BILINGUAL, PG_ANNOUNCE, PG_ICS
} PageKind;

typedef struct {
    PageKind kind;
    size_t l;
    size_t item; /* material pages */
    int n;       /* leerjaar pages */
} PageJob;

typedef struct {
    Build *b;
    PageJob *jobs;
    size_t n_jobs;
    Writer *w;
} PageStage;

/* hreflang alternates and the language switcher of one page. rel_of(l)
 * gives the page's path in language l (folder, without index.html);
 * real[l] says whether language l has its own version of it. */
static void add_languages(const Build *b, Arena *a, Value *root, size_t l, int depth,
                          const char *const *rel, const bool *real, const char *file)
{
    Value *sw = value_list(a), *alt = value_list(a);
    for (size_t k = 0; k < b->nl; k++) {
        Value *v = value_map(a);
        value_set_str(a, v, "code", lang_tag(b, k));
        value_set_str(a, v, "name", locale_native_name(b->in->locales[k]));
        value_set_str(a, v, "dir", locale_is_rtl(b->in->locales[k]) ? "rtl" : "ltr");
        value_set(a, v, "url", value_strf(a, "%s%s/%s", up(depth), rel[k], file));
        value_set_bool(a, v, "current", k == l);
        value_set_bool(a, v, "real", real[k]);
        value_push(a, sw, v);
        if (real[k]) {
            Value *al = value_map(a);
            value_set_str(a, al, "hreflang", lang_tag(b, k));
            value_set_str(a, al, "href", abs_url(b, a, rel[k]));
            value_push(a, alt, al);
        }
    }
    Value *xd = value_map(a);
    value_set_str(a, xd, "hreflang", "x-default");
    value_set_str(a, xd, "href", abs_url(b, a, ""));
    value_push(a, alt, xd);
    value_set(a, root, "languages", sw);
    value_set(a, root, "alternates", alt);
    value_set_str(a, root, "canonical", abs_url(b, a, rel[l]));
}

static Value *page_root(const Build *b, Arena *a, size_t l, int depth, int leerjaar)
{
    Value *r = value_map(a);
    Value *base = b->base[l];
    for (size_t i = 0; i < base->u.map.len; i++)
        value_set(a, r, base->u.map.keys[i], base->u.map.vals[i]);
    value_set_str(a, r, "root", up(depth));
    value_set(a, r, "assets", value_strf(a, "%sassets/", up(depth)));
    value_set(a, r, "home_url", value_strf(a, "%s%s/index.html", up(depth), lang_tag(b, l)));
    value_set(a, r, "chooser_url", value_strf(a, "%sindex.html", up(depth)));
    value_set(a, r, "glossary_url", value_strf(a, "%s%s/woordenlijst/index.html", up(depth), lang_tag(b, l)));
    value_set(a, r, "feed_url", value_strf(a, "%s%s/feed.xml", up(depth), lang_tag(b, l)));
    /* the page exists in every language once the source has a glossary */
    value_set_bool(a, r, "has_glossary", b->in->glossary[l] != NULL || b->in->glossary[0] != NULL);
    value_set(a, r, "leerjaren", leerjaren_nav(b, a, l, depth, leerjaar));
    return r;
}

static void emit(PageStage *st, const char *rel, const Value *data, const char *tpl, size_t l, int leerjaar,
                 Buf *out, Diags *d)
{
    const Build *b = st->b;
    TemplateScope sc = {b->in->tpl, lang_tag(b, l), leerjaar};
    buf_clear(out);
    if (templates_render(&sc, tpl, data, out, d))
        writer_put(st->w, rel, buf_cstr(out), out->len, d);
}

static const char **same_rel(const Build *b, Arena *a, const char *suffix)
{
    const char **rel = arena_alloc(a, b->nl * sizeof(char *));
    for (size_t k = 0; k < b->nl; k++)
        rel[k] = *suffix ? arena_printf(a, "%s/%s", lang_tag(b, k), suffix) : lang_tag(b, k);
    return rel;
}

static bool *all_real(const Build *b, Arena *a)
{
    bool *r = arena_alloc(a, b->nl);
    memset(r, 1, b->nl);
    return r;
}

static Value *year_items(const Build *b, Arena *a, size_t l, int n, int depth, size_t *count)
{
    Item **items = site_leerjaar(a, b->in->site, n, count);
    Value *list = value_list(a);
    for (size_t i = 0; i < *count; i++) {
        Value *c = card_at(a, b->cards[items[i]->order][l], depth);
        const Item *it = items[i];
        value_set(a, c, "follows", links(b, a, it->follows, it->n_follows, l, depth));
        value_set_bool(a, c, "has_follows", it->n_follows > 0);
        value_set(a, c, "prepares", links(b, a, it->prepares, it->n_prepares, l, depth));
        value_set_bool(a, c, "has_prepares", it->n_prepares > 0);
        value_push(a, list, c);
    }
    return list;
}

enum { ANNOUNCE_MAX = 600 };

static size_t utf8_length(const char *s, size_t n)
{
    size_t k = 0;
    for (size_t i = 0; i < n; i++)
        k += ((unsigned char)s[i] & 0xC0) != 0x80;
    return k;
}

/* The summary may be empty and a date may end in a dot ("р."): no double
 * spaces or double full stops in a message; one final newline. */
static void announce_tidy(const Buf *o, Buf *clean)
{
    buf_clear(clean);
    for (size_t k = 0; k < o->len; k++) {
        char c = o->data[k];
        bool after = clean->len && clean->data[clean->len - 1] == c;
        bool dots = c == '.' && after && (k + 1 >= o->len || o->data[k + 1] != '.') &&
                    !(clean->len >= 2 && clean->data[clean->len - 2] == '.');
        if (!(c == ' ' && after) && !dots)
            buf_putc(clean, c);
    }
    buf_putc(clean, '\n');
}

static void page_job(void *ctx, size_t i, Arena *a, Diags *d)
{
    PageStage *st = ctx;
    Build *b = st->b;
    const PageJob *j = &st->jobs[i];
    const Site *site = b->in->site;
    size_t l = j->l;
    const char *lang = lang_tag(b, l);
    Buf out = BUF_INIT;
    switch (j->kind) {
    case PG_CHOOSER:
    case PG_404: {
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
            Value *lj = value_get(r, "leerjaren");
            for (size_t k = 0; k < lj->u.list.len; k++)
                value_set(a, lj->u.list.items[k], "url",
                          value_strf(a, "%s%s/leerjaar-%zu/index.html", b->base_path, lang_tag(b, 0), k + 1));
            emit(st, "404.html", r, "404", 0, 0, &out, d);
        } else {
            emit(st, "index.html", r, "chooser", 0, 0, &out, d);
        }
        break;
    }
    case PG_HOME: {
        int depth = 1;
        Value *r = page_root(b, a, l, depth, 0);
        add_languages(b, a, r, l, depth, same_rel(b, a, ""), all_real(b, a), "index.html");
        Value *years = value_list(a);
        for (int n = 1; n <= 4; n++) {
            size_t count;
            Value *y = value_map(a);
            value_set_num(a, y, "n", n);
            value_set(a, y, "label", b->lj_label[l][n]);
            value_set(a, y, "url", value_strf(a, "leerjaar-%d/index.html", n));
            value_set(a, y, "items", year_items(b, a, l, n, depth, &count));
            value_set(a, y, "count_text", b->lj_count[l][n]);
            value_push(a, years, y);
        }
        value_set(a, r, "years", years);
        emit(st, arena_printf(a, "%s/index.html", lang), r, "home", l, 0, &out, d);
        break;
    }
    case PG_LEERJAAR:
    case PG_PACK: {
        int depth = 2;
        Value *r = page_root(b, a, l, depth, j->n);
        char sub[32];
        snprintf(sub, sizeof sub, "leerjaar-%d", j->n);
        add_languages(b, a, r, l, depth, same_rel(b, a, sub), all_real(b, a),
                      j->kind == PG_PACK ? "handouts.html" : "index.html");
        Value *y = value_map(a);
        value_set_num(a, y, "n", j->n);
        value_set(a, y, "label", b->lj_label[l][j->n]);
        value_set(a, y, "intro", b->lj_intro[l][j->n]);
        size_t count;
        Value *items = year_items(b, a, l, j->n, depth, &count);
        value_set(a, y, "items", items);
        value_set_str(a, y, "pack_url", "handouts.html");
        value_set(a, y, "url_abs", value_str(a, abs_url(b, a, arena_printf(a, "%s/%s", lang, sub))));
        if (j->kind == PG_PACK) {
            Item **its = site_leerjaar(a, site, j->n, &count);
            Value *hs = value_list(a);
            for (size_t k = 0; k < count; k++) {
                Value *m = b->material[its[k]->order][l];
                Value *h = value_map(a);
                for (size_t q = 0; q < m->u.map.len; q++)
                    value_set(a, h, m->u.map.keys[q], m->u.map.vals[q]);
                value_set(a, h, "anchor", value_strf(a, "%s-%s", kind_names[its[k]->kind], its[k]->slug));
                value_set(a, h, "qr", b->qr[its[k]->order][l]);
                value_push(a, hs, h);
            }
            value_set(a, y, "handouts", hs);
        }
        value_set(a, r, "year", y);
        emit(st, arena_printf(a, "%s/%s/%s", lang, sub, j->kind == PG_PACK ? "handouts.html" : "index.html"), r,
             j->kind == PG_PACK ? "pack" : "leerjaar", l, j->n, &out, d);
        break;
    }
    case PG_MATERIAL:
    case PG_HANDOUT:
    case PG_BILINGUAL: {
        int depth = 3;
        const Item *it = site->items[j->item];
        int lj = it->source->n_leerjaar ? it->source->leerjaar[0] : 0;
        Value *r = page_root(b, a, l, depth, lj);
        const char **rel = arena_alloc(a, b->nl * sizeof(char *));
        bool *real = arena_alloc(a, b->nl);
        for (size_t k = 0; k < b->nl; k++) {
            rel[k] = material_dir(a, lang_tag(b, k), it);
            real[k] = it->state[k] != TR_MISSING;
        }
        static const char *const files[] = {"index.html", "handout.html", "handout-nl.html"};
        size_t fi = j->kind == PG_MATERIAL ? 0 : j->kind == PG_HANDOUT ? 1 : 2;
        add_languages(b, a, r, l, depth, rel, real, files[fi]);
        if (fi == 2) {
            /* a bilingual handout exists only where a translation does */
            Value *langs = value_get(r, "languages");
            for (size_t k = 0; k < b->nl; k++)
                if (!real[k] || k == 0)
                    value_set(a, langs->u.list.items[k], "url",
                              value_strf(a, "%s%s/handout.html", up(depth), rel[k]));
        }
        Value *p = b->material[j->item][l];
        value_set(a, r, "page", p);
        value_set(a, r, "canonical", value_get(p, "canonical"));
        if (fi > 0)
            value_set(a, r, "qr", b->qr[j->item][l]);
        if (fi == 2) {
            const Docs *home = &b->docs[j->item][l], *src = &b->docs[j->item][0];
            value_set(a, r, "rows", print_bilingual_rows(a, &home->print, &src->print));
            Value *sl = lang_value(b, a, 0);
            value_set(a, r, "source_lang", sl);
            value_set_str(a, r, "source_title", it->source->title);
        }
        emit(st, arena_printf(a, "%s/%s", rel[l], files[fi]), r,
             fi == 0 ? "material" : fi == 1 ? "handout" : "handout-bilingual", l, lj, &out, d);
        break;
    }
    case PG_ANNOUNCE: {
        const Item *it = site->items[j->item];
        Value *p = b->material[j->item][l];
        const Material *shown = it->by_lang[l] ? it->by_lang[l] : it->source;
        /* A message for the school's channel: at most 600 characters, so a
         * long summary is left out rather than the message cut short. */
        Buf clean = BUF_INIT, file = BUF_INIT;
        for (int with_summary = 1; with_summary >= 0; with_summary--) {
            Buf o = BUF_INIT;
            locale_fill(&o, T(b, l, "announce_text"), "title", shown->title, "summary",
                        with_summary && shown->summary ? shown->summary : "", "date",
                        value_cstr(value_get(p, "deadline_text")), "url", value_cstr(value_get(p, "url_abs")),
                        (const char *)NULL);
            announce_tidy(&o, &clean);
            buf_free(&o);
            if (utf8_length(clean.data, clean.len) <= ANNOUNCE_MAX)
                break;
        }
        /* A byte-order mark first: servers send .txt as text/plain without
         * a charset, and browsers then guess windows-1252; a BOM outranks
         * both (WHATWG Encoding, "BOM sniff"). */
        buf_puts(&file, "\xEF\xBB\xBF");
        buf_append(&file, clean.data, clean.len);
        writer_put(st->w, arena_printf(a, "%s/%s/%s/aankondiging.txt", lang, kind_names[it->kind], it->slug),
                   file.data, file.len, d);
        buf_free(&file);
        buf_free(&clean);
        break;
    }
    case PG_ICS: {
        const Item *it = site->items[j->item];
        const Material *src = it->source;
        const Material *shown = it->by_lang[l] ? it->by_lang[l] : src;
        Value *p = b->material[j->item][l];
        const Date *when = src->date.y ? &src->date : &src->deadline;
        const char *host = b->in->cfg->base_url;
        const char *hs = strstr(host, "://");
        host = hs ? hs + 3 : host;
        char *uid = arena_printf(a, "%s-%s-%s@%s", kind_names[it->kind], it->slug, lang, host);
        for (char *q = strchr(uid, '@'); q && *q; q++)
            if (*q == '/')
                *q = '-';
        Buf o = BUF_INIT;
        const char *summary = shown->title;
        if (!src->date.y)
            summary = arena_printf(a, "%s: %s", T(b, l, "deadline_label"), shown->title);
        calendar_event(&o, uid, b->stamp_ics, summary, shown->summary, value_cstr(value_get(p, "url_abs")), when,
                       src->duration, "Europe/Amsterdam");
        writer_put(st->w, arena_printf(a, "%s/%s/%s/agenda.ics", lang, kind_names[it->kind], it->slug), o.data,
                   o.len, d);
        buf_free(&o);
        break;
    }
    case PG_FEED: {
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
        emit(st, arena_printf(a, "%s/feed.xml", lang), r, "feed.xml", l, 0, &out, d);
        break;
    }
    case PG_GLOSSARY: {
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
        value_set_bool(a, r, "glossary_missing", b->in->glossary[l] == NULL);
        value_set_str(a, r, "glossary_lang", b->in->glossary[l] ? lang : lang_tag(b, 0));
        value_set_str(a, r, "glossary_dir",
                      locale_is_rtl(b->in->locales[b->in->glossary[l] ? l : 0]) ? "rtl" : "ltr");
        emit(st, arena_printf(a, "%s/woordenlijst/index.html", lang), r, "glossary", l, 0, &out, d);
        break;
    }
    case PG_SITEMAP: {
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
                value_set(a, u, "loc", value_get(b->material[x][k], "url_abs"));
                Value *alts = value_list(a);
                for (size_t q = 0; q < b->nl; q++) {
                    if (it->state[q] == TR_MISSING)
                        continue;
                    Value *al = value_map(a);
                    value_set_str(a, al, "hreflang", lang_tag(b, q));
                    value_set(a, al, "href", value_get(b->material[x][q], "url_abs"));
                    value_push(a, alts, al);
                }
                value_set(a, u, "alternates", alts);
                value_push(a, urls, u);
            }
        }
        value_set(a, r, "urls", urls);
        value_set(a, r, "x_default", value_str(a, abs_url(b, a, "")));
        emit(st, "sitemap.xml", r, "sitemap.xml", 0, 0, &out, d);
        break;
    }
    }
    buf_free(&out);
}

/* ---- assets ------------------------------------------------------------------ */

#include <dirent.h>
#include <sys/stat.h>

static void copy_assets(const RenderInput *in, Writer *w, const char *dir_abs, const char *rel, Diags *d, int depth)
{
    DIR *dir = opendir(dir_abs);
    if (!dir)
        return;
    size_t n = 0, cap = 16;
    char **names = xmalloc(cap * sizeof(char *));
    struct dirent *e;
    while ((e = readdir(dir))) {
        if (e->d_name[0] == '.')
            continue;
        if (n == cap)
            names = xrealloc(names, (cap *= 2) * sizeof(char *));
        names[n++] = xstrdup(e->d_name);
    }
    closedir(dir);
    for (size_t i = 0; i < n; i++) {
        Buf abs = BUF_INIT, r = BUF_INIT;
        buf_printf(&abs, "%s/%s", dir_abs, names[i]);
        buf_printf(&r, "%s/%s", rel, names[i]);
        struct stat st;
        if (stat(abs.data, &st) == 0) {
            if (S_ISDIR(st.st_mode) && depth < 4)
                copy_assets(in, w, abs.data, r.data, d, depth + 1);
            else if (S_ISREG(st.st_mode))
                writer_copy(w, abs.data, r.data, d);
        }
        buf_free(&abs);
        buf_free(&r);
        free(names[i]);
    }
    free(names);
}

/* ---- the whole build ------------------------------------------------------------ */

static int default_threads(void)
{
    const char *env = getenv("LOBGEN_JOBS");
    if (env && atoi(env) > 0)
        return atoi(env) > 64 ? 64 : atoi(env);
    long n = sysconf(_SC_NPROCESSORS_ONLN);
    return n < 1 ? 1 : n > 8 ? 8 : (int)n;
}

bool render_site(const RenderInput *in, Writer *w, Diags *d)
{
    size_t e0 = diags_count(d, DIAG_ERROR);
    Build b = {.in = in, .nl = in->cfg->n_langs, .a = arena_new()};
    Arena *a = b.a;
    const Site *site = in->site;
    size_t ni = site->n_items, nl = b.nl;
    int threads = in->threads > 0 ? in->threads : default_threads();

    /* the build stamp: reproducible, from SOURCE_DATE_EPOCH or the content */
    struct tm tmv;
    if (in->epoch >= 0) {
        time_t t = (time_t)in->epoch;
        gmtime_r(&t, &tmv);
    } else {
        memset(&tmv, 0, sizeof tmv);
        int best = 0;
        for (size_t i = 0; i < ni; i++) {
            const Material *m = site->items[i]->source;
            const Date *ds[2] = {&m->date, &m->deadline};
            for (int k = 0; k < 2; k++) {
                int key = ds[k]->y * 10000 + ds[k]->m * 100 + ds[k]->d;
                if (ds[k]->y && key > best) {
                    best = key;
                    tmv.tm_year = ds[k]->y - 1900;
                    tmv.tm_mon = ds[k]->m - 1;
                    tmv.tm_mday = ds[k]->d;
                }
            }
        }
        if (!best) {
            tmv.tm_year = 100;
            tmv.tm_mday = 1;
        }
    }
    b.stamp_iso = arena_printf(a, "%04d-%02d-%02dT%02d:%02d:%02dZ", tmv.tm_year + 1900, tmv.tm_mon + 1, tmv.tm_mday,
                               tmv.tm_hour, tmv.tm_min, tmv.tm_sec);
    b.stamp_ics = arena_printf(a, "%04d%02d%02dT%02d%02d%02dZ", tmv.tm_year + 1900, tmv.tm_mon + 1, tmv.tm_mday,
                               tmv.tm_hour, tmv.tm_min, tmv.tm_sec);
    const char *bu = strstr(in->cfg->base_url, "://");
    const char *path = bu ? strchr(bu + 3, '/') : NULL;
    b.base_path = path ? arena_printf(a, "%s/", path) : "/";

    /* 1. per language */
    b.base = arena_alloc(a, nl * sizeof(Value *));
    b.t = arena_alloc(a, nl * sizeof(Value *));
    b.terms = arena_alloc(a, nl * sizeof(MdTerm *));
    b.lj_label = arena_alloc(a, nl * sizeof *b.lj_label);
    b.lj_intro = arena_alloc(a, nl * sizeof *b.lj_intro);
    b.lj_count = arena_alloc(a, nl * sizeof *b.lj_count);
    b.n_terms = arena_alloc(a, nl * sizeof(size_t));
    for (size_t l = 0; l < nl; l++) {
        Value *base = value_map(a);
        Value *s = value_map(a);
        /* a locale's own site_title names the site in that language;
         * without one the title stays lobgen.yaml's, marked as the source
         * language's so it is read out in that language */
        const char *own_title = locale_string(in->locales[l], in->locales[l], "site_title");
        if (own_title && !*own_title)
            own_title = NULL; /* the source locale's empty site_title: lobgen.yaml's title */
        value_set_str(a, s, "title", own_title ? own_title : in->cfg->title);
        value_set_str(a, s, "title_lang", in->cfg->langs[own_title ? l : 0].tag);
        value_set_str(a, s, "school", in->cfg->school);
        value_set_str(a, s, "base_url", in->cfg->base_url);
        value_set_str(a, s, "generator", "lobgen " LOBGEN_VERSION);
        value_set(a, base, "site", s);
        value_set(a, base, "lang", lang_value(&b, a, l));
        b.t[l] = strings_value(&b, a, l);
        value_set(a, base, "t", b.t[l]);
        b.base[l] = base;
        for (int n = 1; n <= 4; n++) {
            size_t count;
            site_leerjaar(a, site, n, &count);
            b.lj_label[l][n] = fill_n(&b, a, l, "leerjaar", n);
            b.lj_intro[l][n] = fill_n(&b, a, l, "leerjaar_intro", n);
            Buf o = BUF_INIT;
            locale_plural(in->locales[l], in->locales[0], "materials_count", (long)count, &o);
            b.lj_count[l][n] = value_strn(a, buf_cstr(&o), o.len);
            buf_free(&o);
        }
        /* A text links its own language's glossary, also where it is shown
         * as the fallback on another language's page (material pages are
         * all three folders deep). */
        if (in->glossary[l])
            b.terms[l] = glossary_terms(a, in->glossary[l],
                                        arena_printf(a, "../../../%s/woordenlijst/index.html", lang_tag(&b, l)),
                                        &b.n_terms[l]);
    }

    /* 2. Markdown, on threads */
    b.docs = arena_alloc(a, (ni + 1) * sizeof(Docs *));
    DocJob *djobs = xcalloc(ni * nl + 1, sizeof(DocJob));
    size_t nd = 0;
    for (size_t i = 0; i < ni; i++) {
        b.docs[i] = arena_alloc(a, nl * sizeof(Docs));
        for (size_t l = 0; l < nl; l++)
            if (site->items[i]->by_lang[l] && site->items[i]->state[l] != TR_MISSING)
                djobs[nd++] = (DocJob){i, l};
    }
    DocStage ds = {&b, djobs};
    Arena **doc_arenas = NULL;
    size_t n_doc_arenas = 0;
    run_parallel(threads, nd, doc_job, &ds, &doc_arenas, &n_doc_arenas, d);
    free(djobs);
    bool ok = diags_count(d, DIAG_ERROR) == e0;

    /* 3. cards and material data */
    if (ok) {
        b.cards = arena_alloc(a, (ni + 1) * sizeof(Value **));
        b.material = arena_alloc(a, (ni + 1) * sizeof(Value **));
        for (size_t i = 0; i < ni; i++) {
            b.cards[i] = arena_alloc(a, nl * sizeof(Value *));
            b.material[i] = arena_alloc(a, nl * sizeof(Value *));
            for (size_t l = 0; l < nl; l++)
                b.cards[i][l] = card(&b, a, i, l);
        }
        for (size_t i = 0; i < ni; i++)
            for (size_t l = 0; l < nl; l++)
                material_data(&b, i, l);
        b.qr = arena_alloc(a, (ni + 1) * sizeof(Value **));
        for (size_t i = 0; i < ni; i++)
            b.qr[i] = arena_alloc(a, nl * sizeof(Value *));
        Arena **qr_arenas = NULL;
        size_t n_qr_arenas = 0;
        run_parallel(threads, ni * nl, qr_job, &b, &qr_arenas, &n_qr_arenas, d);
        /* keep them with the doc arenas, freed at the end */
        doc_arenas = xrealloc(doc_arenas, (n_doc_arenas + n_qr_arenas) * sizeof(Arena *));
        memcpy(doc_arenas + n_doc_arenas, qr_arenas, n_qr_arenas * sizeof(Arena *));
        n_doc_arenas += n_qr_arenas;
        free(qr_arenas);
    }

    /* 4. pages, on threads */
    if (ok) {
        size_t cap = 3 + nl * (12 + ni * 5);
        PageJob *jobs = xcalloc(cap, sizeof(PageJob));
        size_t nj = 0;
        jobs[nj++] = (PageJob){.kind = PG_CHOOSER};
        jobs[nj++] = (PageJob){.kind = PG_404};
        jobs[nj++] = (PageJob){.kind = PG_SITEMAP};
        for (size_t l = 0; l < nl; l++) {
            jobs[nj++] = (PageJob){.kind = PG_HOME, .l = l};
            jobs[nj++] = (PageJob){.kind = PG_FEED, .l = l};
            if (in->glossary[0] || in->glossary[l])
                jobs[nj++] = (PageJob){.kind = PG_GLOSSARY, .l = l};
            for (int n = 1; n <= 4; n++) {
                jobs[nj++] = (PageJob){.kind = PG_LEERJAAR, .l = l, .n = n};
                jobs[nj++] = (PageJob){.kind = PG_PACK, .l = l, .n = n};
            }
            for (size_t i = 0; i < ni; i++) {
                const Item *it = site->items[i];
                jobs[nj++] = (PageJob){.kind = PG_MATERIAL, .l = l, .item = i};
                jobs[nj++] = (PageJob){.kind = PG_HANDOUT, .l = l, .item = i};
                if (it->state[l] == TR_CURRENT || it->state[l] == TR_STALE)
                    jobs[nj++] = (PageJob){.kind = PG_BILINGUAL, .l = l, .item = i};
                if (it->kind == KIND_THUISOPDRACHT && it->source->deadline.y)
                    jobs[nj++] = (PageJob){.kind = PG_ANNOUNCE, .l = l, .item = i};
                if (it->source->date.y || it->source->deadline.y)
                    jobs[nj++] = (PageJob){.kind = PG_ICS, .l = l, .item = i};
            }
        }
        PageStage ps = {&b, jobs, nj, w};
        run_parallel(threads, nj, page_job, &ps, NULL, NULL, d);
        free(jobs);
        char *assets = arena_printf(a, "%s/templates/assets", in->root);
        copy_assets(in, w, assets, "assets", d, 0);
    }

    for (size_t i = 0; i < n_doc_arenas; i++)
        arena_free(doc_arenas[i]);
    free(doc_arenas);
    arena_free(a);
    return diags_count(d, DIAG_ERROR) == e0;
}
