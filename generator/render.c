#include "render.h"

#include "assets.h"
#include "blocks.h"
#include "build.h"
#include "inputkey.h"
#include "markdown.h"
#include "pagedata.h"
#include "pool.h"
#include "print.h"
#include "progress.h"
#include "qrcache.h"
#include "segment.h"
#include "yearpage.h"

#include <malloc.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ---- stage 2: what lists need of every material, kept ---------------------- */

static void time_job(void *ctx, size_t i, Arena *a, Diags *d)
{
    (void)a;
    (void)d;
    Build *b = ctx;
    lastmod_items(b->in->lastmod, b->in->site->items[i], b->nl, &b->item_time[i * b->nl]);
}


/* ---- stage 3: each material's documents, data and pages, then freed ---------- */

/* A material's Markdown in language l: web (with glossary links) and print.
 * use: NULL, or where to note the block templates it looked up. */
static bool render_docs(Build *b, Arena *a, size_t item, size_t l, TemplateUse *use, Diags *d)
{
    const Item *it = b->in->site->items[item];
    const Material *m = it->by_lang[l];
    /* a translation has no leerjaar of its own: templates follow the Dutch
     * source's, as on every other page of the material */
    BlockCtx bc = {b, l, it->source->n_leerjaar ? it->source->leerjaar[0] : 0, a, NULL, use};
    /* print has no glossary links; its blocks are the ones print_pair_blocks pairs */
    BlockCtx print_bc = bc;
    print_bc.blocks = value_map(a);
    MdOptions opt = {.is_block = block_exists,
                     .render_block = block_render,
                     .ctx = &bc,
                     .print_ctx = &print_bc,
                     .terms = b->terms[l],
                     .n_terms = b->n_terms[l],
                     .near_block = block_near,
                     .untranslated_html = untranslated_mark(b, a, l)};
    Docs *docs = &b->docs[item][l];
    /* the body was left on disk by the load (build.h) */
    const char *body = material_body(m, b->in->cfg->langs[m->src->lang_index].encoding, a, d);
    size_t len = m->body_len;
    /* a translation's units still in Dutch (site_build) are marked as
     * Dutch, as a PO translation's untranslated units are */
    if (body && l > 0 && m->n_source_text > 0) {
        Buf marked = BUF_INIT;
        TextUnit *u;
        size_t n;
        segment_text_units(a, body, len, m->body_line, &u, &n);
        segment_mark_source(body, len, u, n, it->source->unit_hash, it->source->n_units, &marked);
        len = marked.len;
        body = arena_strndup(a, buf_cstr(&marked), marked.len);
        buf_free(&marked);
    }
    /* one parse for both; print differs from web only by glossary links */
    docs->ok = body && markdown_render_twin(a, m->src->abs, m->body_line, body, len, &opt, &docs->web,
                                            &docs->print, d);
    docs->blocks = print_bc.blocks;
    return docs->ok;
}

/* ---- pages, each made by the function for its kind -------------------------- */

static void page_job(PageStage *st, const PageJob *j, Arena *a, Diags *d)
{
    Buf out = BUF_INIT;
    /* to add a page kind: a PG_ value, its function here, its jobs in render_site */
    static PageFn *const make[] = {
        [PG_CHOOSER] = page_chooser, [PG_404] = page_chooser,   [PG_SITEMAP] = page_sitemap,
        [PG_HOME] = page_home,       [PG_LEERJAAR] = page_leerjaar, [PG_PACK] = page_pack,
        [PG_FEED] = page_feed,       [PG_GLOSSARY] = page_glossary,
        [PG_MATERIAL] = page_material, [PG_HANDOUT] = page_handout, [PG_BILINGUAL] = page_bilingual,
        [PG_ANNOUNCE] = page_announce, [PG_ICS] = page_ics,
    };
    make[j->kind](st, j, a, &out, d);
    buf_free(&out);
}

/* A part of a year's pack: handouts [first, first + count) of leerjaar n's
 * line, in every language. pending counts its materials not yet rendered;
 * the job that renders the last of them writes the part. */
typedef struct {
    int n;
    size_t part;
    Item **items;
    size_t count;
    atomic_size_t pending;
    Diags diags; /* merged in part order after the stage */
    IncrKey key;  /* its input key (inputkey.h), in an incremental build */
    bool linked;  /* the previous build's files of it are in the new site */
} PackPart;

typedef struct {
    PageStage ps;
    PackPart *parts;
    size_t n_parts;
    size_t **part_of;      /* [n_items] -> indices into parts, ending with SIZE_MAX */
    Arena **arena;         /* [n_items]: what a material in flight holds */
    atomic_size_t *refs;   /* [n_items]: its own job + the pack parts it is in, not yet written */
    atomic_bool *failed;   /* [n_items]: its Markdown had errors */
    /* incremental builds (incremental.h) */
    IncrKey context;       /* input_context_key */
    IncrKey *card;         /* [n_items * nl]: input_card_key */
    IncrKey *key;          /* [n_items]: input_item_key */
    bool *need_data;       /* [n_items]: a pack part it is in is rendered, so it is too */
    /* The list pages with a card or URL of every material (the homes, the
     * sitemap) hold a few hundred MB of template data and output each at
     * 100,000 materials: two at once set the build's peak. So a list-page
     * job takes the next big page only when no other big page is being
     * made (big_page), and the next small page otherwise; it waits only
     * when small pages are all taken. Messages are kept per page and
     * merged in page order, as the pool does per job. */
    pthread_mutex_t big_page;
    size_t *big, *small;          /* page indices, in page order */
    size_t n_big, n_small;
    atomic_size_t next_big, next_small;
    Diags *page_diags;            /* [n pages] */
} ItemStage;

static void card_key_job(void *ctx, size_t i, Arena *a, Diags *d)
{
    (void)d;
    ItemStage *is = ctx;
    for (size_t l = 0; l < is->ps.b->nl; l++)
        is->card[i * is->ps.b->nl + l] = input_card_key(is->ps.b, a, i, l);
}

static void key_job(void *ctx, size_t i, Arena *a, Diags *d)
{
    (void)d;
    (void)a;
    ItemStage *is = ctx;
    is->key[i] = input_item_key(is->ps.b, i, is->context, is->card);
}

/* The pages that need no material's documents: run from the pool; in an
 * incremental build each is a unit of its own (inputkey.h). */
static void list_page(ItemStage *is, size_t i, Arena *a, Diags *d)
{
    const PageJob *j = &is->ps.jobs[i];
    Incremental *inc = is->ps.b->in->inc;
    if (!inc) {
        page_job(&is->ps, j, a, d);
        return;
    }
    IncrKey key = input_list_key(is->ps.b, j, is->context, is->card);
    const char *name = input_list_unit(a, j);
    if (incr_reuse_unit(inc, is->ps.w, name, key, d))
        return;
    size_t unit = incr_unit_begin(inc, name, key);
    page_job(&is->ps, j, a, d);
    incr_unit_end(inc, unit, d, 0);
}

/* One job a page: a big one when none is being made, else a small one
 * (ItemStage.big_page). The pool runs as many jobs as there are pages. */
static void list_page_job(void *ctx, size_t i, Arena *a, Diags *d)
{
    ItemStage *is = ctx;
    (void)i;
    (void)d;
    bool locked = false;
    size_t page = SIZE_MAX;
    if (pthread_mutex_trylock(&is->big_page) == 0) {
        locked = true;
        size_t k = atomic_fetch_add(&is->next_big, 1);
        if (k < is->n_big)
            page = is->big[k];
    }
    if (page == SIZE_MAX) {
        size_t k = atomic_fetch_add(&is->next_small, 1);
        if (k < is->n_small) {
            if (locked) {
                pthread_mutex_unlock(&is->big_page);
                locked = false;
            }
            page = is->small[k];
        }
    }
    if (page == SIZE_MAX) { /* the small pages are all taken: wait for the big one in the making */
        if (!locked)
            pthread_mutex_lock(&is->big_page);
        locked = true;
        size_t k = atomic_fetch_add(&is->next_big, 1);
        page = k < is->n_big ? is->big[k] : SIZE_MAX;
    }
    bool big = page != SIZE_MAX && (is->ps.jobs[page].kind == PG_HOME || is->ps.jobs[page].kind == PG_SITEMAP);
    if (big) {
        /* in an arena of its own, freed and given back to the system before
         * the next big page, which another thread (another malloc arena,
         * where this one's freed memory is of no use) may make */
        Arena *pa = arena_new();
        list_page(is, page, pa, &is->page_diags[page]);
        arena_free(pa);
        malloc_trim(0);
    } else if (page != SIZE_MAX) {
        list_page(is, page, a, &is->page_diags[page]);
    }
    if (locked)
        pthread_mutex_unlock(&is->big_page);
}

static const char *pack_unit(Arena *a, const PackPart *pp) { return arena_printf(a, "pack/%d/%zu", pp->n, pp->part); }

/* One user of material i is done with it: the last frees its documents. */
static void item_release(ItemStage *is, size_t i)
{
    if (atomic_fetch_sub(&is->refs[i], 1) != 1)
        return;
    Build *b = is->ps.b;
    /* its slots lived in its arena */
    b->docs[i] = NULL;
    b->material[i] = NULL;
    b->mlangs[i] = NULL;
    arena_free(is->arena[i]);
    is->arena[i] = NULL;
    for (size_t l = 0; l < b->nl; l++) {
        free(b->qr_svg[i * b->nl + l]);
        b->qr_svg[i * b->nl + l] = NULL;
    }
}

static void pack_part_write(ItemStage *is, PackPart *pp)
{
    Build *b = is->ps.b;
    Incremental *inc = b->in->inc;
    if (pp->linked) { /* reused whole before the stage */
        for (size_t k = 0; k < pp->count; k++)
            item_release(is, (size_t)pp->items[k]->order);
        return;
    }
    Arena *na = arena_new();
    size_t unit = incr_unit_begin(inc, pack_unit(na, pp), pp->key);
    arena_free(na);
    bool ok = true;
    for (size_t k = 0; k < pp->count; k++)
        if (atomic_load(&is->failed[pp->items[k]->order]))
            ok = false; /* its error is reported; nothing is published */
    for (size_t l = 0; ok && l < b->nl; l++) {
        Arena *a = arena_new();
        PageJob j = {.kind = PG_PACK, .l = l, .n = pp->n, .part = pp->part};
        page_job(&is->ps, &j, a, &pp->diags);
        arena_free(a);
    }
    for (size_t k = 0; inc && k < pp->count; k++) /* its materials' Markdown: their block templates */
        incr_unit_include(inc, pp->items[k]->key);
    incr_unit_end(inc, unit, &pp->diags, 0);
    for (size_t k = 0; k < pp->count; k++)
        item_release(is, (size_t)pp->items[k]->order);
}

/* Material i's own job is over: the pack parts it completes are written
 * now, then its own hold on its documents is let go. */
static void item_done(ItemStage *is, size_t i)
{
    for (const size_t *p = is->part_of[i]; *p != SIZE_MAX; p++)
        if (atomic_fetch_sub(&is->parts[*p].pending, 1) == 1)
            pack_part_write(is, &is->parts[*p]);
    item_release(is, i);
}

static void item_job(void *ctx, size_t i, Arena *scratch, Diags *d)
{
    (void)scratch;
    ItemStage *is = ctx;
    Build *b = is->ps.b;
    const Item *it = b->in->site->items[i];
    Incremental *inc = b->in->inc;
    /* incremental builds: a material whose inputs did not change has its
     * files linked; it is not rendered at all unless a pack part it is in
     * is, which needs its documents and data (not its pages) */
    bool linked = inc && incr_reuse_unit(inc, is->ps.w, it->key, is->key[i], d);
    if (linked && !is->need_data[i]) {
        item_done(is, i);
        return;
    }
    size_t unit = linked ? 0 : incr_unit_begin(inc, it->key, inc ? is->key[i] : (IncrKey){0, 0});
    /* linked: its warnings were given again by incr_reuse_unit */
    Diags quiet = DIAGS_INIT, *md = linked ? &quiet : d;
    Arena *a = is->arena[i] = arena_new();
    /* its slots, only while it is in flight: for every material from the
     * start they were 0.9 KB a material in 8 languages */
    b->docs[i] = arena_alloc(a, b->nl * sizeof(Docs));
    b->material[i] = arena_alloc(a, b->nl * sizeof(Value *));
    bool ok = true;
    for (size_t l = 0; l < b->nl; l++)
        if (it->by_lang[l] && it->state[l] != TR_MISSING) {
            TemplateUse use = {0};
            ok = render_docs(b, a, i, l, inc && !linked ? &use : NULL, md) && ok;
            if (!linked)
                incr_unit_templates(inc, lang_tag(b, l), material_leerjaar(b, i), &use);
            template_use_free(&use);
        }
    if (linked) {
        if (diags_count(&quiet, DIAG_ERROR)) /* not after a build that published it; but never lost */
            diags_merge(d, &quiet);
        diags_free(&quiet);
    }
    if (ok) {
        for (size_t l = 0; l < b->nl; l++)
            material_data(b, a, i, l);
        if (!linked)
            material_langs_new(b, a, i);
        for (size_t l = 0; !linked && l < b->nl; l++) {
            PageJob jobs[5];
            size_t nj = 0;
            jobs[nj++] = (PageJob){.kind = PG_MATERIAL, .l = l, .item = i};
            jobs[nj++] = (PageJob){.kind = PG_HANDOUT, .l = l, .item = i};
            if (it->state[l] == TR_CURRENT || it->state[l] == TR_STALE)
                jobs[nj++] = (PageJob){.kind = PG_BILINGUAL, .l = l, .item = i};
            if (it->kind == KIND_THUISOPDRACHT && it->source->deadline.y)
                jobs[nj++] = (PageJob){.kind = PG_ANNOUNCE, .l = l, .item = i};
            if (it->source->date.y || it->source->deadline.y)
                jobs[nj++] = (PageJob){.kind = PG_ICS, .l = l, .item = i};
            for (size_t k = 0; k < nj; k++) {
                Arena *pa = arena_new();
                page_job(&is->ps, &jobs[k], pa, d);
                arena_free(pa);
            }
        }
    } else {
        atomic_store(&is->failed[i], true);
    }
    if (!linked)
        incr_unit_end(inc, unit, d, 0);
    item_done(is, i);
}

/* ---- the whole build ------------------------------------------------------------ */

bool render_site(const RenderInput *in, Writer *w, Diags *d)
{
    size_t e0 = diags_count(d, DIAG_ERROR);
    Build b = {.in = in, .nl = in->cfg->n_langs, .a = arena_new()};
    Arena *a = b.a;
    const Site *site = in->site;
    size_t ni = site->n_items, nl = b.nl;
    int threads = in->threads > 0 ? in->threads : default_threads();

    /* the build stamp: reproducible, from SOURCE_DATE_EPOCH, else the last
     * change of lobgen.yaml or anything the site shows (lastmod.h), else the
     * newest date in the content (its day, at midnight UTC), else 2000-01-01 */
    Date stamp = {.y = 2000, .m = 1, .d = 1};
    if (in->lastmod) { /* each material's last change in each language, once */
        b.item_time = arena_alloc(a, (ni * nl + 1) * sizeof(long long));
        run_parallel(threads, ni, time_job, &b, NULL, NULL, d);
    }
    long long newest = in->epoch < 0 && in->lastmod ? lastmod_get(in->lastmod, "lobgen.yaml", in->cfg->file) : -1;
    for (size_t i = 0; in->epoch < 0 && in->lastmod && i < ni; i++)
        for (size_t l = 0; l < nl; l++) {
            long long t = b.item_time[i * nl + l];
            if (t > newest)
                newest = t;
        }
    if (in->epoch >= 0) {
        stamp = date_from_epoch(in->epoch);
    } else if (newest >= 0) {
        stamp = date_from_epoch(newest);
    } else {
        long best = 0;
        for (size_t i = 0; i < ni; i++) {
            const Material *m = site->items[i]->source;
            const Date *ds[2] = {&m->date, &m->deadline};
            for (int k = 0; k < 2; k++)
                if (date_key(ds[k]) > best) {
                    best = date_key(ds[k]);
                    stamp = (Date){.y = ds[k]->y, .m = ds[k]->m, .d = ds[k]->d};
                }
        }
    }
    b.stamp = stamp;
    char when[32];
    b.stamp_iso = arena_strdup(a, date_format(&stamp, DATE_RFC3339_UTC, when));
    b.stamp_ics = arena_strdup(a, date_format(&stamp, DATE_ICAL_UTC, when));
    const char *bu = strstr(in->cfg->base_url, "://");
    const char *path = bu ? strchr(bu + 3, '/') : NULL;
    b.base_path = path ? arena_printf(a, "%s/", path) : "/";

    /* the orders pages list materials in: sorted once */
    build_orders(&b);

    /* 1. per language */
    b.base = arena_alloc(a, nl * sizeof(Value *));
    b.t = arena_alloc(a, nl * sizeof(Value *));
    b.terms = arena_alloc(a, nl * sizeof(MdTerm *));
    b.lj_label = arena_alloc(a, nl * sizeof *b.lj_label);
    b.lj_intro = arena_alloc(a, nl * sizeof *b.lj_intro);
    b.lj_count = arena_alloc(a, nl * sizeof *b.lj_count);
    b.week_label = arena_alloc(a, nl * sizeof *b.week_label);
    b.root = arena_alloc(a, nl * sizeof *b.root);
    b.n_terms = arena_alloc(a, nl * sizeof(size_t));
    size_t *lj_count = b.year_n;
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
        Value *pr = value_map(a);
        value_set_bool(a, pr, "duplex", in->cfg->print_duplex);
        value_set(a, s, "print", pr);
        value_set(a, base, "site", s);
        value_set(a, base, "lang", lang_value(&b, a, l));
        b.t[l] = strings_value(&b, a, l);
        value_set(a, base, "t", b.t[l]);
        b.base[l] = base;
        for (int n = 1; n <= 4; n++) {
            b.lj_label[l][n] = fill_n(&b, a, l, "leerjaar", n);
            b.lj_intro[l][n] = fill_n(&b, a, l, "leerjaar_intro", n);
            Buf o = BUF_INIT;
            locale_plural(in->locales[l], in->locales[0], "materials_count", (long)lj_count[n], &o);
            b.lj_count[l][n] = value_strn(a, buf_cstr(&o), o.len);
            buf_free(&o);
        }
        for (int depth = 0; depth < ROOT_DEPTHS; depth++)
            for (int n = 0; n <= 4; n++)
                b.root[l][depth][n] = page_root_new(&b, a, l, depth, n);
        for (int wk = 1; wk <= 52; wk++)
            b.week_label[l][wk] = fill_n(&b, a, l, "week", wk);
        /* A text links its own language's glossary, also where it is shown
         * as the fallback on another language's page (material pages are
         * all three folders deep). */
        if (in->glossary[l])
            b.terms[l] = glossary_terms(a, in->glossary[l],
                                        arena_printf(a, "../../../%s/woordenlijst/index.html", lang_tag(&b, l)),
                                        &b.n_terms[l]);
    }

    card_shared_new(&b);

    /* what every page of a language shares (strings, site, navigation), hashed
     * once for the page keys instead of once per page */
    if (in->inc) {
        b.memo = incr_memo_new();
        for (size_t l = 0; l < nl; l++)
            for (int depth = 0; depth < ROOT_DEPTHS; depth++)
                for (int n = 0; n <= 4; n++) {
                    const Value *r = b.root[l][depth][n];
                    for (size_t k = 0; k < r->u.map.len; k++)
                        incr_memo_add(b.memo, r->u.map.vals[k]);
                }
    }

    /* 2. what lists need beyond the model: each distinct date once per language, on threads */
    card_dates(&b);
    Arena **fact_arenas = NULL;
    size_t n_fact_arenas = 0;
    run_parallel(threads, nl, card_date_job, &b, &fact_arenas, &n_fact_arenas, d);

    /* the slots a material's job makes in its arena and its last user clears */
    b.docs = arena_alloc(a, (ni + 1) * sizeof(Docs *));
    b.material = arena_alloc(a, (ni + 1) * sizeof(Value **));
    b.mlangs = arena_alloc(a, (ni + 1) * sizeof(MaterialLangs *));
    /* QR codes are the dearest part of a handout: made on first use by the
     * page that shows them (qr_of), once per material and language, shared
     * by the handout, the bilingual handout and the year's pack, never for a
     * page an incremental build reuses, and freed with the material */
    b.qr_svg = xcalloc(ni * nl + 1, sizeof(char *));

    /* 3. the pages made of the lists alone, on threads */
    size_t year_pages = 0; /* a large year's page is in pages (yearpage.h) */
    for (int n = 1; n <= 4; n++)
        year_pages += yearpage_count(lj_count[n]);
    size_t cap = 3 + nl * (7 + year_pages);
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
            for (size_t p = 0; p < yearpage_count(lj_count[n]); p++)
                jobs[nj++] = (PageJob){.kind = PG_LEERJAAR, .l = l, .n = n, .part = p};
            if (!lj_count[n]) /* an empty year's pack: the cover alone */
                jobs[nj++] = (PageJob){.kind = PG_PACK, .l = l, .n = n};
        }
    }
    ItemStage is = {.ps = {&b, jobs, nj, w}};
    pthread_mutex_init(&is.big_page, NULL);
    is.big = xcalloc(nj, sizeof(size_t));
    is.small = xcalloc(nj, sizeof(size_t));
    is.page_diags = xcalloc(nj, sizeof(Diags));
    for (size_t k = 0; k < nj; k++) {
        if (jobs[k].kind == PG_HOME || jobs[k].kind == PG_SITEMAP)
            is.big[is.n_big++] = k;
        else
            is.small[is.n_small++] = k;
    }
    atomic_init(&is.next_big, 0);
    atomic_init(&is.next_small, 0);
    /* incremental builds (incremental.h): every card's and material's input key */
    if (in->inc) {
        is.context = input_context_key(&b);
        is.card = xcalloc(ni * nl + 1, sizeof(IncrKey));
        is.key = xcalloc(ni + 1, sizeof(IncrKey));
        is.need_data = xcalloc(ni + 1, sizeof(bool));
        run_parallel(threads, ni, card_key_job, &is, NULL, NULL, d);
        run_parallel(threads, ni, key_job, &is, NULL, NULL, d);
    }
    progress_stage("pages", nj);
    run_parallel(threads, nj, list_page_job, &is, NULL, NULL, d);
    for (size_t k = 0; k < nj; k++)
        diags_merge(d, &is.page_diags[k]);
    free(is.page_diags);
    free(is.big);
    free(is.small);
    free(jobs);
    pthread_mutex_destroy(&is.big_page);
    /* the list pages' memory is free again, but in the middle of malloc's
     * heaps, where it stays resident through the materials stage unless
     * it is given back (100 MB and more at 100,000 materials) */
    malloc_trim(0);

    /* 4. every material: its documents, data and pages, written and freed as
     * it goes; a pack part is written by the job that finishes its last
     * material, so a pack never holds more than its part */
    size_t n_parts = 0;
    for (int n = 1; n <= 4; n++)
        if (lj_count[n])
            n_parts += pack_parts(lj_count[n]);
    is.parts = xcalloc(n_parts + 1, sizeof(PackPart));
    is.part_of = xcalloc(ni + 1, sizeof(size_t *));
    size_t *n_part_of = xcalloc(ni + 1, sizeof(size_t));
    is.arena = xcalloc(ni + 1, sizeof(Arena *));
    is.refs = xcalloc(ni + 1, sizeof(atomic_size_t));
    is.failed = xcalloc(ni + 1, sizeof(atomic_bool));
    for (size_t i = 0; i < ni; i++) {
        atomic_init(&is.refs[i], 1);
        atomic_init(&is.failed[i], false);
    }
    for (int n = 1; n <= 4; n++) {
        if (!lj_count[n])
            continue;
        size_t count = b.year_n[n];
        Item **its = b.year[n];
        for (size_t p = 0; p < pack_parts(count); p++) {
            PackPart *pp = &is.parts[is.n_parts++];
            size_t k0, k1;
            pack_part_range(count, p, &k0, &k1);
            *pp = (PackPart){.n = n, .part = p, .items = its + k0, .count = k1 - k0};
            atomic_init(&pp->pending, k1 - k0);
            for (size_t k = k0; k < k1; k++) {
                size_t i = (size_t)its[k]->order;
                atomic_fetch_add(&is.refs[i], 1);
                n_part_of[i]++;
            }
        }
    }
    for (size_t i = 0; i < ni; i++) {
        is.part_of[i] = arena_alloc(a, (n_part_of[i] + 1) * sizeof(size_t));
        n_part_of[i] = 0;
    }
    for (size_t p = 0; p < is.n_parts; p++)
        for (size_t k = 0; k < is.parts[p].count; k++) {
            size_t i = (size_t)is.parts[p].items[k]->order;
            is.part_of[i][n_part_of[i]++] = p;
        }
    for (size_t i = 0; i < ni; i++)
        is.part_of[i][n_part_of[i]] = SIZE_MAX;
    free(n_part_of);
    /* incremental builds: the pack parts whose inputs did not change are
     * linked; a part that is rendered needs the documents of its materials */
    if (in->inc) {
        for (size_t p = 0; p < is.n_parts; p++) {
            PackPart *pp = &is.parts[p];
            pp->key = input_pack_key(&b, pp->n, pp->part, is.context, is.key);
            pp->linked = incr_reuse_unit(in->inc, w, pack_unit(a, pp), pp->key, &pp->diags);
            for (size_t k = 0; !pp->linked && k < pp->count; k++)
                is.need_data[pp->items[k]->order] = true;
        }
    }
    b.qrc = qrcache_open(in->root, in->cfg->audio_cache, ni * nl);
    if (in->dry_run)
        qrcache_no_save(b.qrc); /* it would make the cache folder for codes no one saves */
    progress_stage("materials", ni);
    run_parallel(threads, ni, item_job, &is, NULL, NULL, d);
    /* after a stop (stop.h) a pack part may wait for a material whose job
     * never ran: the documents of its others are still held */
    for (size_t i = 0; i < ni; i++)
        arena_free(is.arena[i]);
    if (!in->dry_run && diags_count(d, DIAG_ERROR) == e0)
        qrcache_save(b.qrc, d);
    qrcache_free(b.qrc);
    b.qrc = NULL;
    for (size_t p = 0; p < is.n_parts; p++)
        diags_merge(d, &is.parts[p].diags);
    free(is.parts);
    free(is.part_of);
    free(is.arena);
    free((void *)is.refs);
    free((void *)is.failed);
    free(is.card);
    free(is.key);
    free(is.need_data);

    if (!incr_memo_unchanged(b.memo))
        /* a page changed a shared part in place: the page keys are wrong,
         * so nothing is published (a fault in lobgen, not in the input) */
        diag_error(d, NULL, 0, 0, "internal error: page data that all pages share was changed while pages were "
                                  "made; nothing was published; please report this");
    incr_memo_free(b.memo);
    if (diags_count(d, DIAG_ERROR) == e0) {
        char *assets = arena_printf(a, "%s/templates/assets", in->root);
        copy_assets(in, w, assets, "assets", d, 0);
    }
    for (size_t i = 0; i < n_fact_arenas; i++)
        arena_free(fact_arenas[i]);
    free(fact_arenas);
    for (size_t i = 0; i < ni * nl; i++)
        free(b.qr_svg[i]); /* those of a material that failed */
    free(b.qr_svg);
    arena_free(a);
    return diags_count(d, DIAG_ERROR) == e0;
}
