#include "build.h"

#include "encoding.h"
#include "frontmatter.h"
#include "inputs.h"
#include "parsecache.h"
#include "paths.h"
#include "pool.h"
#include "print.h"
#include "readability.h"
#include "render.h"
#include "scan.h"
#include "segment.h"
#include "stop.h"
#include "translate.h"
#include "write.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <xxhash.h>

/* ---- the content files: read, decoded and parsed on threads ---------------- */

typedef struct {
    Project *p;
    const bool *keep_body; /* [n_files]: its body stays in memory after the load */
    Material **mat;        /* [n_files]: each file's material; NULL for PO files */
    ParseCache *cache;     /* the last builds' parses (parsecache.h), or NULL */
    const int *dir_fd;     /* [n_files]: its folder, open (O_PATH), or -1 */
} LoadJobs;

static void load_job(void *ctx, size_t i, Arena *a, Diags *d)
{
    LoadJobs *lj = ctx;
    const SourceFile *sf = &lj->p->scan.files[i];
    if (sf->is_po)
        return; /* assembled later, from its source-language material */
    const char *enc = lj->p->cfg.langs[sf->lang_index].encoding;
    /* unchanged since the last build: its parse, without decoding or YAML
     * (a translation's fingerprint, for a recording, needs the text) */
    Material *hit = lj->cache && !(sf->lang_index != 0 && lj->p->scan.n_recordings)
                        ? arena_alloc(a, sizeof(Material))
                        : NULL;
    struct stat st;
    /* a body the load keeps is read anyway; else the file's stat may
     * vouch for it (parsecache_trust), and it is not opened: a stat by its
     * name in its folder, which is what inputs_check compares at the end */
    if (hit && !lj->keep_body[i]) {
        const char *slash = strrchr(sf->abs, '/');
        int fd = slash ? lj->dir_fd[i] : -1;
        if (fstatat(fd >= 0 ? fd : AT_FDCWD, fd >= 0 ? slash + 1 : sf->abs, &st, 0) == 0 &&
            parsecache_trust(lj->cache, i, sf, enc, &st, a, hit)) {
            inputs_note_file(sf->abs, &st);
            lj->p->scan.files[i].mtime = (long long)st.st_mtim.tv_sec;
            lj->p->scan.files[i].has_mtime = true;
            hit->body = NULL;
            if (!hit->title)
                hit->title = "";
            lj->mat[i] = hit;
            return;
        }
    }
    size_t len;
    char *bytes = read_text_input_stat(sf->abs, &len, &st);
    if (!bytes) {
        input_read_error(d, sf->abs, &st);
        return;
    }
    /* this job's own element; read after the pool's join */
    lj->p->scan.files[i].mtime = (long long)st.st_mtim.tv_sec;
    lj->p->scan.files[i].has_mtime = true;
    if (hit && parsecache_get(lj->cache, i, sf, enc, bytes, len, &st, a, hit) &&
        (!lj->keep_body[i] || (hit->text_is_bytes && hit->body_at <= len && hit->body_len == len - hit->body_at))) {
        hit->body = lj->keep_body[i] ? arena_strndup(a, bytes + hit->body_at, hit->body_len) : NULL;
        if (!hit->title)
            hit->title = "";
        free(bytes);
        lj->mat[i] = hit;
        return;
    }
    /* the decoded text lives only for the parse: what the build keeps is
     * copied into the worker's arena a */
    Arena *text_arena = arena_new();
    char *text;
    size_t tlen;
    const char *used;
    bool ok = encoding_decode(text_arena, sf->abs, bytes, len, enc, &text, &tlen, &used, d);
    /* the slot a cache hit would have filled, cleared of what a failed
     * lookup left in it: a second Material per file would stay in the
     * arena to the end of the build (320 bytes a file, 250 MB at 100,000 x 8) */
    Material *m = hit ? memset(hit, 0, sizeof *hit) : arena_alloc(a, sizeof(Material));
    /* A material with errors stays in the model, so that links to it
     * still resolve and every other error is reported in this run too;
     * nothing is published anyway. */
    m->src = sf;
    if (ok) {
        size_t said = d->len;
        bool parsed = frontmatter_parse(a, sf, text, tlen, m, d);
        /* on the parsed body, once per version of the file: the units a
         * translation may have left in the source language (site_build) */
        if (parsed && m->body)
            segment_text_hashes(a, m->body, m->body_len, &m->unit_hash, &m->n_units);
        m->text_is_bytes = tlen == len && !memcmp(text, bytes, len);
        if (parsed && d->len == said)
            parsecache_put(lj->cache, i, m); /* a file that said nothing: from the cache, it says nothing again */
        if (sf->lang_index != 0 && lj->p->scan.n_recordings) /* a recording's staleness (audio.h) */
            site_fingerprint(m->title ? m->title : "", m->body, m->fingerprint);
        m->body = lj->keep_body[i] ? arena_strndup(a, m->body, m->body_len) : NULL;
    } else {
        m->body = "";
        site_fingerprint("", "", m->fingerprint);
    }
    if (!m->title)
        m->title = "";
    free(bytes);
    arena_free(text_arena);
    lj->mat[i] = m;
}

/* The sources of PO translations: their bodies are what a PO file's
 * units are cut from (translate_load_po). "kind/slug" of each PO file, sorted. */
static int str_cmp(const void *x, const void *y) { return strcmp(*(char *const *)x, *(char *const *)y); }

/* cache: parsecache_start's, or NULL; freed here */
static void load_materials(Project *p, const LoadOptions *opt, ParseCache *cache, Diags *d)
{
    Arena *a = p->a;
    size_t n = p->scan.n_files;
    bool keep_all = !opt->bodies_on_demand || opt->lint; /* lint: readability reads every body */
    for (size_t l = 0; l < p->cfg.n_langs; l++)
        keep_all |= p->cfg.speech && p->cfg.speech[l]; /* audio_make speaks the bodies */
    bool *keep = xcalloc(n + 1, sizeof(bool));
    const char **po = arena_alloc(a, (n + 1) * sizeof(char *));
    size_t n_po = 0;
    for (size_t i = 0; i < n; i++)
        if (p->scan.files[i].is_po)
            po[n_po++] = arena_printf(a, "%s/%s", kind_names[p->scan.files[i].kind], p->scan.files[i].slug);
    qsort(po, n_po, sizeof *po, str_cmp);
    for (size_t i = 0; i < n; i++) {
        const SourceFile *sf = &p->scan.files[i];
        keep[i] = keep_all;
        if (!keep[i] && n_po && sf->lang_index == 0 && !sf->is_po) {
            const char *key = arena_printf(a, "%s/%s", kind_names[sf->kind], sf->slug);
            keep[i] = bsearch(&key, po, n_po, sizeof *po, str_cmp) != NULL;
        }
    }
    parsecache_slots(cache, n);
    /* each content folder opened once, for a stat of each file by its name
     * in it (a short lookup rather than the whole path's); the files are
     * sorted by path, so a folder's files come together */
    int *dir_fd = xcalloc(n + 1, sizeof(int));
    int *opened = NULL;
    size_t n_opened = 0, cap_opened = 0;
    for (size_t i = 0; i < n; i++) {
        const char *abs = p->scan.files[i].abs, *slash = strrchr(abs, '/');
        const char *prev = i ? p->scan.files[i - 1].abs : NULL, *pslash = prev ? strrchr(prev, '/') : NULL;
        dir_fd[i] = -1;
        if (!cache || !slash || slash == abs)
            continue;
        size_t dl = (size_t)(slash - abs);
        if (pslash && (size_t)(pslash - prev) == dl && !memcmp(prev, abs, dl)) {
            dir_fd[i] = dir_fd[i - 1];
            continue;
        }
        char dir[4096];
        if (dl >= sizeof dir)
            continue; /* by its whole path */
        memcpy(dir, abs, dl);
        dir[dl] = '\0';
        dir_fd[i] = open(dir, O_PATH | O_DIRECTORY | O_CLOEXEC);
        if (dir_fd[i] >= 0) {
            ALLOC_GROW(opened, n_opened + 1, cap_opened);
            opened[n_opened++] = dir_fd[i];
        }
    }
    LoadJobs lj = {p, keep, xcalloc(n + 1, sizeof(Material *)), cache, dir_fd};
    /* diagnostics are merged in file order: the same as one thread's */
    run_parallel(default_threads(), n, load_job, &lj, &p->load_arenas, &p->n_load_arenas, d);
    for (size_t k = 0; k < n_opened; k++)
        close(opened[k]);
    free(opened);
    free(dir_fd);
    /* after a stop the parses are not all there: the cache file stays the
     * last build's (still right for every file it has) */
    if (!stop_requested())
        parsecache_save(cache, d);
    parsecache_free(cache);
    p->mats = arena_alloc(a, (n + 1) * sizeof(Material *));
    for (size_t i = 0; i < n; i++)
        if (lj.mat[i])
            p->mats[p->n_mats++] = lj.mat[i];
    free(lj.mat);
    free(keep);
}

/* Where the translations left Dutch text (site_build counted it): each
 * such unit, or once a file that is all Dutch, warned about at its line
 * and column. Their bodies are read again for that (material_body), which
 * only files with Dutch text cost. */
static void source_text_report(Project *p, Diags *d)
{
    const Site *s = &p->site;
    for (size_t i = 0; i < s->n_items; i++) {
        const Item *it = s->items[i];
        const Material *src = it->source;
        for (size_t l = 1; l < p->cfg.n_langs; l++) {
            const Material *m = it->by_lang[l];
            bool all = !m && it->untranslated && it->untranslated[l];
            if (all)
                m = it->untranslated[l];
            /* a draft (shown with --drafts) is work in progress: marked, not warned about */
            if (!m || m->src->is_po || !m->n_source_text || m->draft)
                continue;
            Arena *scratch = arena_new();
            const char *body = material_body(m, p->cfg.langs[l].encoding, scratch, d);
            TextUnit *u = NULL;
            size_t n = 0;
            if (body)
                segment_text_units(scratch, body, m->body_len, m->body_line, &u, &n);
            /* a whole file left in Dutch is one thing to fix: one message, at its first text */
            if (all && n)
                diag_warn(d, m->src->abs, u[0].line, u[0].col,
                          "this file's text is still the Dutch text of %s (all %d paragraphs and headings from here "
                          "to line %d), so it is not published as a translation: readers get the Dutch page with the "
                          "notice that there is no translation yet; translate it, or put back draft: true until it is done",
                          src->src->path, m->n_source_text, u[n - 1].line);
            for (size_t k = 0; k < n && !all; k++)
                if (segment_has_text(src->unit_hash, src->n_units, u[k].hash))
                    diag_warn(d, m->src->abs, u[k].line, u[k].col,
                              "this text is still the Dutch text of %s; the page shows it marked as Dutch (lang=\"%s\") "
                              "with a note that it is not translated yet; translate it",
                              src->src->path, p->cfg.langs[0].tag);
            arena_free(scratch);
        }
    }
}

const char *material_body(const Material *m, const char *default_enc, Arena *a, Diags *d)
{
    if (m->body)
        return m->body;
    const char *file = m->src->abs;
    size_t len;
    char *bytes = read_file(file, &len);
    if (!bytes) {
        /* the words of inputs_check (inputs.h), which reports the same file again */
        diag_error(d, file, 0, 0,
                   errno == ENOENT ? "this file was deleted during the build; nothing was published; run the build again"
                                   : "this file changed during the build; nothing was published; run the build again");
        return NULL;
    }
    const char *text = bytes;
    size_t tlen = len;
    if (!m->text_is_bytes) {
        Diags scratch = DIAGS_INIT; /* the text decoded before; if not now, it changed */
        char *t;
        const char *used;
        if (!encoding_decode(a, file, bytes, len, default_enc, &t, &tlen, &used, &scratch)) {
            t = NULL;
            tlen = 0;
        }
        diags_free(&scratch);
        text = t;
    }
    const char *body = NULL;
    if (text && tlen >= m->body_at && tlen - m->body_at == m->body_len &&
        XXH3_64bits(text + m->body_at, m->body_len) == m->body_hash)
        body = arena_strndup(a, text + m->body_at, m->body_len);
    else
        diag_error(d, file, 0, 0, "this file changed during the build; nothing was published; run the build again");
    free(bytes);
    return body;
}

bool project_load(Project *p, const char *root, const LoadOptions *opt, Diags *d)
{
    memset(p, 0, sizeof *p);
    inputs_begin();
    p->a = arena_new();
    p->root = root;
    Arena *a = p->a;
    size_t e0 = diags_count(d, DIAG_ERROR);
    if (!config_load(a, root, &p->cfg, d))
        return false;
    if (opt->open_output) {
        char *out = project_output_dir(p, root, opt->output);
        /* quietly: what is wrong with the output is said once, by the
         * caller's check and project_publish, after the content's errors */
        Diags quiet = DIAGS_INIT;
        if (path_output_is_safe(root, out, &quiet))
            p->writer = writer_open(out, false, &quiet);
        diags_free(&quiet);
        if (p->writer)
            p->output_dir = out;
        else
            free(out);
    }
    size_t nl = p->cfg.n_langs;
    /* a build keeps what it parsed for the next (parsecache.h); the file
     * is read while the locales load and the content is listed */
    ParseCache *cache = opt->keep_parses ? parsecache_start(root, p->cfg.audio_cache) : NULL;

    /* locales first: a broken locale is reported along with the content */
    p->locales = arena_alloc(a, nl * sizeof(Locale *));
    for (size_t l = 0; l < nl; l++)
        p->locales[l] = locale_load(a, root, p->cfg.langs[l].tag, d);

    scan_content(a, root, &p->cfg, &p->scan, d);
    load_materials(p, opt, cache, d);
    if (stop_requested()) /* the pool said so in d; the model of a part of the content is of no use */
        return false;
    translate_load_po(a, &p->cfg, &p->scan, p->mats, &p->n_mats, d);

    p->glossary = arena_alloc(a, nl * sizeof(Glossary *));
    for (size_t i = 0; i < p->scan.n_glossaries; i++) {
        const char *path = p->scan.glossaries[i];
        /* content/woordenlijst.<lang>.yaml */
        const char *dot = strchr(path + strlen("content/"), '.');
        char *lang = arena_strdup(a, dot ? dot + 1 : "");
        char *end = strrchr(lang, '.');
        if (end)
            *end = '\0';
        int li = config_lang_index(&p->cfg, lang);
        if (li < 0)
            continue; /* scan already reported it */
        Glossary *g = arena_alloc(a, sizeof(Glossary));
        if (glossary_load(a, root, path, p->cfg.langs[li].tag, g, d))
            p->glossary[li] = g;
    }

    site_build(a, &p->cfg, p->mats, p->n_mats, opt->drafts, &p->site, d);
    source_text_report(p, d);
    p->audio = audio_plan(a, &p->cfg, &p->scan, &p->site, opt->lint, d);
    if (opt->load_templates)
        p->tpl = templates_load(root, d);
    if (opt->lint) {
        for (size_t l = 1; l < nl; l++) {
            size_t n;
            const char **keys = locale_missing_keys(a, p->locales[l], p->locales[0], &n);
            const char *file = locale_file(p->locales[l]);
            for (size_t k = 0; k < n; k++)
                diag_warn(d, file ? file : arena_printf(a, "locales/%s.yaml", p->cfg.langs[l].tag), 0, 0,
                          "the interface string '%s' is missing; readers see the %s text until you add it",
                          keys[k], p->cfg.langs[0].tag);
        }
        const char **tags = arena_alloc(a, nl * sizeof(char *));
        bool *covered = arena_alloc(a, nl * sizeof(bool));
        for (size_t l = 0; l < nl; l++)
            tags[l] = p->cfg.langs[l].tag;
        print_font_coverage(tags, nl, covered);
        for (size_t l = 0; l < nl; l++)
            if (!covered[l])
                diag_warn(d, "lobgen.yaml", 0, 0,
                          "no font on this machine covers %s (%s); printed handouts would show empty boxes; install one, e.g. fonts-noto-core",
                          p->cfg.langs[l].tag, locale_native_name(p->locales[l]));
        for (size_t i = 0; i < p->n_mats; i++)
            if (p->mats[i]->src->lang_index == 0)
                readability_check(p->mats[i], d);
    }
    return diags_count(d, DIAG_ERROR) == e0;
}

char *project_output_dir(const Project *p, const char *root, const char *output)
{
    if (output)
        return xstrdup(output);
    Buf b = BUF_INIT;
    path_join_buf(&b, root, p->cfg.output ? p->cfg.output : "site");
    return buf_detach(&b);
}

void project_free(Project *p)
{
    if (p->writer) /* not published: the spare goes back as it was */
        writer_abort(p->writer);
    free(p->output_dir);
    templates_free(p->tpl);
    if (p->locales)
        for (size_t l = 0; l < p->cfg.n_langs; l++)
            if (p->locales[l])
                locale_free(p->locales[l]);
    for (size_t i = 0; i < p->n_load_arenas; i++)
        arena_free(p->load_arenas[i]);
    free(p->load_arenas);
    arena_free(p->a);
    memset(p, 0, sizeof *p);
    inputs_end();
}

bool project_publish(Project *p, const char *out_dir, bool dry_run, size_t *pages, Diags *d)
{
    if (stop_requested()) /* stop.h: nothing more is made; project_free gives the spare back */
        return false;
    /* the writer opened while the content loaded, when it is for this output */
    Writer *w = p->writer && !dry_run && !strcmp(p->output_dir, out_dir) ? p->writer : NULL;
    if (p->writer && !w)
        writer_abort(p->writer);
    p->writer = NULL;
    if (!w)
        w = writer_open(out_dir, dry_run, d);
    if (!w)
        return false;
    long long epoch = -1;
    const char *sde = getenv("SOURCE_DATE_EPOCH");
    if (sde && *sde) {
        char *end;
        long long v = strtoll(sde, &end, 10);
        if (*end || v < 0)
            diag_warn(d, NULL, 0, 0, "SOURCE_DATE_EPOCH is not a number of seconds; it is ignored");
        else
            epoch = v;
    }
    RenderInput in = {
        .root = p->root,
        .cfg = &p->cfg,
        .site = &p->site,
        .locales = p->locales,
        .tpl = p->tpl,
        .glossary = (const Glossary **)p->glossary,
        .epoch = epoch,
        .lastmod = lastmod_load(p->a, p->root, epoch),
        .dry_run = dry_run,
    };
    /* pages unchanged since the last build into out_dir are reused (incremental.h) */
    Incremental *inc = dry_run ? NULL : incr_open(out_dir, p->tpl, p->full);
    in.inc = inc;
    /* audio first: the pages show each file's duration */
    bool ok = audio_make(p->audio, p->root, &p->cfg, &p->site, w, dry_run, d);
    in.audio = p->audio;
    ok = ok && render_site(&in, w, d);
    if (pages)
        *pages = writer_count(w);
    /* every input still the version that was read: else the site would
     * match no state of the project (a stylesheet deleted after the folder
     * was listed, a list made before a file was removed); also after a
     * failed render, which may have failed for that very reason (a body
     * read again, material_body) and should say what else changed */
    ok = inputs_check(d) && ok;
    incr_counts(inc, &p->pages_reused, &p->pages_rendered);
    if (!ok) {
        writer_report(w, d);
        writer_abort(w);
        incr_free(inc);
        return false;
    }
    /* the manifest is written while the site is published, and takes its
     * place only once the site did */
    incr_save_start(inc, out_dir);
    ok = writer_commit(w, d);
    incr_save_finish(inc, ok, d);
    incr_free(inc);
    return ok;
}
