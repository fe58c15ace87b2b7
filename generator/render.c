#include "render.h"

#include "assets.h"
#include "blocks.h"
#include "markdown.h"
#include "pagedata.h"
#include "pool.h"
#include "print.h"
#include "progress.h"
#include "qrcache.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

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
    /* a translation has no leerjaar of its own: templates follow the Dutch
     * source's, as on every other page of the material */
    BlockCtx bc = {b, j->lang, it->source->n_leerjaar ? it->source->leerjaar[0] : 0, a, value_map(a)};
    MdOptions opt = {.is_block = block_exists,
                     .render_block = block_render,
                     .ctx = &bc,
                     .terms = b->terms[j->lang],
                     .n_terms = b->n_terms[j->lang],
                     .near_block = block_near,
                     .untranslated_html = untranslated_mark(b, a, j->lang)};
    Docs *docs = &b->docs[j->item][j->lang];
    docs->ok = markdown_render(a, m->src->abs, m->body_line, m->body, m->body_len, &opt, &docs->web, d);
    opt.terms = NULL;
    opt.n_terms = 0;
    bc.blocks = value_map(a);
    if (docs->ok)
        docs->ok = markdown_render(a, m->src->abs, m->body_line, m->body, m->body_len, &opt, &docs->print, d);
    docs->blocks = bc.blocks;
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
    qrcache_svg(b->qrc, i, url, T(b, l, "scan_qr"), &qr);
    b->qr[item][l] = value_strn(a, buf_cstr(&qr), qr.len);
    buf_free(&qr);
}

/* ---- stage 4: pages, each made by the function for its kind -------------------- */

static void page_job(void *ctx, size_t i, Arena *a, Diags *d)
{
    PageStage *st = ctx;
    const PageJob *j = &st->jobs[i];
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

/* ---- the whole build ------------------------------------------------------------ */

bool render_site(const RenderInput *in, Writer *w, Diags *d)
{
    size_t e0 = diags_count(d, DIAG_ERROR);
    Build b = {.in = in, .nl = in->cfg->n_langs, .a = arena_new()};
    Arena *a = b.a;
    const Site *site = in->site;
    size_t ni = site->n_items, nl = b.nl;
    int threads = in->threads > 0 ? in->threads : default_threads();

    /* the build stamp: reproducible, from SOURCE_DATE_EPOCH or the newest
     * date in the content (its day, at midnight UTC), else 2000-01-01 */
    Date stamp = {.y = 2000, .m = 1, .d = 1};
    if (in->epoch >= 0) {
        stamp = date_from_epoch(in->epoch);
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
        Value *pr = value_map(a);
        value_set_bool(a, pr, "duplex", in->cfg->print_duplex);
        value_set(a, s, "print", pr);
        value_set(a, base, "site", s);
        value_set(a, base, "lang", lang_value(&b, a, l));
        b.t[l] = strings_value(&b, a, l);
        value_set(a, base, "t", b.t[l]);
        b.base[l] = base;
        for (int n = 1; n <= 4; n++) {
            size_t count = b.n_year[n];
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
    progress_stage("Markdown", nd);
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
        b.qrc = qrcache_open(in->root, in->cfg->audio_cache, ni * nl);
        progress_stage("QR codes", ni * nl);
        run_parallel(threads, ni * nl, qr_job, &b, &qr_arenas, &n_qr_arenas, d);
        if (!in->dry_run)
            qrcache_save(b.qrc, d);
        qrcache_free(b.qrc);
        b.qrc = NULL;
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
        progress_stage("pages", nj);
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
