#include "translate.h"

#include "cachefile.h"

#include "build.h"
#include "paths.h"
#include "site.h"

#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

/* ---- matching units to entries ---------------------------------------------- */

typedef enum { U_TRANSLATED, U_FUZZY, U_UNTRANSLATED } UState;

static bool live(const PoEntry *e) { return !e->obsolete && !e->msgid_plural; }
static bool same(const char *a, const char *b) { return a && b && !strcmp(a, b); }

/* The entry that translates unit u: the same Dutch text (in the same
 * place if there is one), else the entry that stood in u's place with
 * another Dutch text (fuzzy), as msgmerge pairs them. */
static UState unit_match(const Segment *u, const PoFile *po, const PoEntry **out)
{
    const PoEntry *any = NULL, *place = NULL;
    *out = NULL;
    for (size_t i = 0; i < po->n; i++) {
        const PoEntry *e = &po->e[i];
        if (!live(e))
            continue;
        if (same(e->msgid, u->msgid)) {
            if (same(e->ctxt, u->ctxt)) {
                *out = e;
                return e->msgstr[0] ? (e->fuzzy ? U_FUZZY : U_TRANSLATED) : U_UNTRANSLATED;
            }
            if (!any && e->msgstr[0] && !e->fuzzy)
                any = e;
        } else if (same(e->ctxt, u->ctxt) && !place) {
            place = e;
        }
    }
    if (any) {
        *out = any;
        return U_TRANSLATED;
    }
    if (place && place->msgstr[0]) {
        *out = place;
        return U_FUZZY;
    }
    return U_UNTRANSLATED;
}

static const char *material_key(Arena *a, const SourceFile *sf)
{
    return arena_printf(a, "%s/%s", kind_names[sf->kind], sf->slug);
}

/* ---- checks --------------------------------------------------------------------- */

/* Link targets "](x)" and autolinks "<x:…>", and placeholders "{x}", sorted. */
static size_t tokens(const char *s, char kind, char ***out)
{
    size_t n = 0, cap = 0;
    char **v = NULL;
    for (const char *p = s; *p; p++) {
        const char *b = NULL, *e = NULL;
        if (kind == 'l' && p[0] == ']' && p[1] == '(') {
            b = p + 2;
            int depth = 0;
            for (e = b; *e && !(*e == ')' && depth == 0); e++)
                depth += *e == '(' ? 1 : *e == ')' ? -1 : 0;
        } else if (kind == 'l' && p[0] == '<' && isalpha((unsigned char)p[1])) {
            const char *q = p + 1;
            while (isalnum((unsigned char)*q) || *q == '+' || *q == '.' || *q == '-')
                q++;
            if (*q == ':' && strchr(q, '>')) {
                b = p + 1;
                e = strchr(q, '>');
            }
        } else if (kind == '{' && p[0] == '{') {
            b = p;
            e = strchr(p, '}');
            if (e)
                e++;
        }
        if (b && e && e >= b) {
            ALLOC_GROW(v, n + 1, cap);
            v[n++] = strndup(b, (size_t)(e - b));
            p = e > p ? e - 1 : p;
        }
    }
    for (size_t i = 1; i < n; i++)
        for (size_t j = i; j > 0 && strcmp(v[j - 1], v[j]) > 0; j--) {
            char *t = v[j];
            v[j] = v[j - 1];
            v[j - 1] = t;
        }
    *out = v;
    return n;
}

static void free_tokens(char **v, size_t n)
{
    for (size_t i = 0; i < n; i++)
        free(v[i]);
    free(v);
}

static void check_tokens(const PoEntry *e, char kind, const char *file, Diags *d)
{
    char **a, **b;
    size_t na = tokens(e->msgid, kind, &a), nb = tokens(e->msgstr, kind, &b);
    const char *what = kind == 'l' ? "link target" : "placeholder";
    for (size_t i = 0, j = 0; i < na || j < nb;) {
        int c = i >= na ? 1 : j >= nb ? -1 : strcmp(a[i], b[j]);
        if (c == 0) {
            i++;
            j++;
        } else if (c < 0) {
            diag_error(d, file, e->line, 1,
                       "the Dutch text has the %s '%s' and the translation lost it; keep %ss exactly as in the msgid "
                       "(translate only the text around them)",
                       what, a[i++], what);
        } else {
            diag_error(d, file, e->line, 1,
                       "the translation has the %s '%s', which the Dutch text does not have; keep %ss exactly as in "
                       "the msgid",
                       what, b[j++], what);
        }
    }
    free_tokens(a, na);
    free_tokens(b, nb);
}

bool translate_check_entries(const PoFile *po, const char *lang, const char *file, Diags *d)
{
    size_t e0 = diags_count(d, DIAG_ERROR);
    if (!po->language)
        diag_error(d, file, 1, 1, "the PO header has no Language: field; add \"Language: %s\\n\"", lang);
    else if (strcmp(po->language, lang))
        diag_error(d, file, 1, 1, "the PO header says Language: %s, but the file is for %s; fix the header or the file name",
                   po->language, lang);
    int want = po_nplurals(po_plural_forms(lang));
    int have = po_nplurals(po->plural_forms);
    if (po->plural_forms && want > 0 && have != want)
        diag_error(d, file, 1, 1, "the header's Plural-Forms has nplurals=%d, but %s has %d plural forms; use \"%s\"",
                   have, lang, want, po_plural_forms(lang));
    for (size_t i = 0; i < po->n; i++) {
        const PoEntry *e = &po->e[i];
        if (e->obsolete)
            continue;
        if (e->msgid_plural && want > 0 && e->n_plural != want)
            diag_error(d, file, e->line, 1, "this entry has %d plural forms (msgstr[0..%d]), but %s needs %d", e->n_plural,
                       e->n_plural - 1, lang, want);
        if (!e->msgstr[0] || e->fuzzy)
            continue;
        check_tokens(e, 'l', file, d);
        check_tokens(e, '{', file, d);
        for (const char *p = strchr(e->msgstr, '<'); p; p = strchr(p + 1, '<')) {
            if (!(isalpha((unsigned char)p[1]) || p[1] == '/' || p[1] == '!' || p[1] == '?'))
                continue;
            size_t n = 1;
            while (p[n] && (isalnum((unsigned char)p[n]) || p[n] == '/' || p[n] == '!' || p[n] == '?'))
                n++;
            char *tag = strndup(p, n);
            bool autolink = p[n] == ':' ;
            if (!autolink && !strstr(e->msgid, tag))
                diag_error(d, file, e->line, 1,
                           "the translation adds HTML ('%s…'), which lobgen does not publish; write it as Markdown text",
                           tag);
            free(tag);
        }
        if (strstr(e->msgstr, "\n\n"))
            diag_error(d, file, e->line, 1,
                       "the translation has an empty line, which would split this unit into two paragraphs; "
                       "keep one unit one paragraph");
    }
    return diags_count(d, DIAG_ERROR) == e0;
}

/* ---- the build: a PO translation's page -------------------------------------------- */

static bool header_true(Arena *a, const PoFile *po, const char *field)
{
    const char *v = po_header_value(a, po, field);
    return v && (!strcmp(v, "true") || !strcmp(v, "yes"));
}

bool translate_po_material(Arena *a, const Config *cfg, const Material *src, const SourceFile *sf, Material *out,
                           Diags *d)
{
    (void)cfg;
    memset(out, 0, sizeof *out);
    out->src = sf;
    out->title = "";
    out->body = "";
    out->is_translation = true;
    PoFile po;
    if (!po_read(a, sf->abs, sf->abs, &po, d))
        return false;
    bool ok = translate_check_entries(&po, sf->lang, sf->abs, d);
    SegList L;
    segment_material(a, material_key(a, sf), src->title, src->summary, src->body, src->body_len, src->body_line, &L);
    const char **tr = arena_alloc(a, (L.n + 1) * sizeof(char *));
    for (size_t i = 0; i < L.n; i++) {
        const PoEntry *e;
        UState st = unit_match(&L.units[i], &po, &e);
        out->po_units++;
        if (st == U_TRANSLATED) {
            out->po_translated++;
            tr[i] = e->msgstr;
        } else if (st == U_FUZZY) {
            out->po_fuzzy++;
        } else {
            out->po_untranslated++;
        }
        if (L.units[i].field == SEG_TITLE)
            out->title = tr[i] ? tr[i] : src->title;
        else if (L.units[i].field == SEG_SUMMARY)
            out->summary = tr[i] ? tr[i] : src->summary;
    }
    if (!out->title[0])
        out->title = src->title;
    Buf b = BUF_INIT;
    segment_assemble(src->body, src->body_len, &L, tr, &b);
    out->body = arena_strndup(a, b.data, b.len);
    out->body_len = b.len;
    out->body_line = src->body_line;
    buf_free(&b);
    site_fingerprint(out->title, out->body, out->fingerprint);
    /* per-unit staleness replaces the whole-file fingerprint */
    out->tr_source = arena_strdup(a, src->fingerprint);
    out->tr_reviewed = header_true(a, &po, "X-Lobgen-Reviewed");
    return ok;
}

void translate_load_po(Arena *a, const Config *cfg, const ScanResult *scan, Material **mats, size_t *n_mats,
                       Diags *d)
{
    size_t n_md = *n_mats;
    for (size_t i = 0; i < scan->n_files; i++) {
        const SourceFile *sf = &scan->files[i];
        if (!sf->is_po)
            continue;
        const Material *src = NULL;
        bool dup = false;
        /* mats[0, n_md) are in path order (scan.h): the files of this
         * material, content/<kind>/<slug>.<lang>.md, lie together; found by
         * bisection, so a library of PO translations loads in n log n */
        char *prefix = arena_printf(a, "content/%s/%s.", kind_names[sf->kind], sf->slug);
        size_t plen = strlen(prefix), lo = 0, hi = n_md;
        while (lo < hi) {
            size_t mid = lo + (hi - lo) / 2;
            if (strcmp(mats[mid]->src->path, prefix) < 0)
                lo = mid + 1;
            else
                hi = mid;
        }
        for (size_t k = lo; k < n_md && !strncmp(mats[k]->src->path, prefix, plen); k++) {
            const SourceFile *o = mats[k]->src;
            if (o->kind != sf->kind || strcmp(o->slug, sf->slug))
                continue;
            if (o->lang_index == 0)
                src = mats[k];
            else if (o->lang_index == sf->lang_index)
                dup = true;
        }
        if (dup) {
            diag_error(d, sf->abs, 0, 0,
                       "this material has both a Markdown and a PO translation into %s; keep one of them "
                       "(content/%s/%s.%s.md or this file)",
                       sf->lang, kind_names[sf->kind], sf->slug, sf->lang);
            continue;
        }
        if (!src) {
            diag_error(d, sf->abs, 0, 0, "there is no %s original content/%s/%s.%s.md for this translation",
                       cfg->langs[0].tag, kind_names[sf->kind], sf->slug, cfg->langs[0].tag);
            continue;
        }
        Material *m = arena_alloc(a, sizeof(Material));
        translate_po_material(a, cfg, src, sf, m, d);
        mats[(*n_mats)++] = m;
    }
}

/* ---- git history: the Dutch text a translation was made from ------------------------ */

static void shell_quote(Buf *b, const char *s)
{
    buf_putc(b, '\'');
    for (; *s; s++) {
        if (*s == '\'')
            buf_puts(b, "'\\''");
        else
            buf_putc(b, *s);
    }
    buf_putc(b, '\'');
}

static char *run_capture(const char *cmd, size_t *len)
{
    FILE *f = popen(cmd, "r");
    if (!f)
        return NULL;
    Buf b = BUF_INIT;
    char tmp[4096];
    size_t n;
    while ((n = fread(tmp, 1, sizeof tmp, f)) > 0)
        buf_append(&b, tmp, n);
    int rc = pclose(f);
    if (rc != 0) {
        buf_free(&b);
        return NULL;
    }
    if (len)
        *len = b.len;
    return buf_detach(&b);
}

bool translate_git_source(Arena *a, const char *root, const SourceFile *sf, const char *fingerprint, Material *out,
                          const char **commit)
{
    Buf cmd = BUF_INIT;
    buf_puts(&cmd, "git -C ");
    shell_quote(&cmd, root);
    buf_puts(&cmd, " log --format=%H -- ");
    shell_quote(&cmd, sf->path);
    buf_puts(&cmd, " 2>/dev/null");
    char *list = run_capture(cmd.data, NULL);
    buf_free(&cmd);
    if (!list)
        return false;
    bool found = false;
    for (char *line = strtok(list, "\n"); line && !found; line = strtok(NULL, "\n")) {
        Buf c = BUF_INIT;
        buf_puts(&c, "git -C ");
        shell_quote(&c, root);
        buf_puts(&c, " show ");
        Buf spec = BUF_INIT;
        buf_printf(&spec, "%s:%s", line, sf->path);
        shell_quote(&c, spec.data);
        buf_puts(&c, " 2>/dev/null");
        buf_free(&spec);
        size_t len;
        char *text = run_capture(c.data, &len);
        buf_free(&c);
        if (!text)
            continue;
        Diags scratch = DIAGS_INIT;
        Material m;
        memset(&m, 0, sizeof m);
        char *copy = arena_strndup(a, text, len);
        free(text);
        if (frontmatter_parse(a, sf, copy, len, &m, &scratch) && m.title && m.body) {
            char fp[17];
            site_fingerprint(m.title, m.body, fp);
            if (!strcmp(fp, fingerprint)) {
                *out = m;
                if (commit)
                    *commit = arena_strndup(a, line, 12);
                found = true;
            }
        }
        diags_free(&scratch);
    }
    free(list);
    return found;
}

/* ---- export, update, import -------------------------------------------------------- */

typedef struct {
    const char *source;
    const char *lang;
    const char *output;
    const char *only;
    char **files;
    int n_files;
} TOpts;

static int t_usage(const char *fmt, const char *arg)
{
    fputs("lobgen: ", stderr);
    fprintf(stderr, fmt, arg);
    fputs("\nusage: lobgen translate export --lang LANG [--output DIR] [--only missing|stale|all] [--source DIR]\n"
          "       lobgen translate update [--lang LANG] [--source DIR]\n"
          "       lobgen translate import FILE.po... [--source DIR]\n",
          stderr);
    return 2;
}

static int t_parse(int argc, char **argv, TOpts *o, const char *allowed)
{
    o->source = ".";
    o->files = argv;
    for (int i = 0; i < argc; i++) {
        const char *s = argv[i];
        char flag = !strcmp(s, "--source") ? 's' : !strcmp(s, "--lang") ? 'l' : !strcmp(s, "--output") ? 'o'
                  : !strcmp(s, "--only") ? 'y' : 0;
        if (s[0] == '-' && (!flag || !strchr(allowed, flag)))
            return t_usage("unknown option '%s'", s);
        if (!flag) {
            if (!strchr(allowed, 'f'))
                return t_usage("unexpected argument '%s'", s);
            o->files[o->n_files++] = argv[i];
            continue;
        }
        if (i + 1 >= argc || !argv[i + 1][0])
            return t_usage("%s needs a value", s);
        const char *v = argv[++i];
        switch (flag) {
        case 's': o->source = v; break;
        case 'l': o->lang = v; break;
        case 'o': o->output = v; break;
        case 'y': o->only = v; break;
        }
    }
    if (o->only && strcmp(o->only, "missing") && strcmp(o->only, "stale") && strcmp(o->only, "all"))
        return t_usage("--only takes missing, stale or all, not '%s'", o->only);
    return 0;
}

static int t_finish(Diags *d, bool ok)
{
    diags_sort(d);
    diags_print(d, stderr);
    size_t ne = diags_count(d, DIAG_ERROR);
    if (ne)
        fprintf(stderr, "lobgen: %zu error%s; no file was changed\n", ne, ne == 1 ? "" : "s");
    diags_free(d);
    return ok && !ne ? 0 : 1;
}

static const char *header_for(Arena *a, const char *key, const char *lang, bool reviewed)
{
    Buf b = BUF_INIT;
    buf_printf(&b, "Project-Id-Version: %s\n", key);
    buf_puts(&b, "Report-Msgid-Bugs-To: \n");
    buf_puts(&b, "PO-Revision-Date: \n");
    buf_puts(&b, "Last-Translator: \n");
    buf_puts(&b, "Language-Team: \n");
    buf_printf(&b, "Language: %s\n", lang ? lang : "");
    buf_puts(&b, "MIME-Version: 1.0\n");
    buf_puts(&b, "Content-Type: text/plain; charset=UTF-8\n");
    buf_puts(&b, "Content-Transfer-Encoding: 8bit\n");
    const char *pf = lang ? po_plural_forms(lang) : NULL;
    buf_printf(&b, "Plural-Forms: %s\n", pf ? pf : "nplurals=2; plural=(n != 1);");
    buf_printf(&b, "X-Lobgen-Material: %s\n", key);
    if (lang)
        buf_printf(&b, "X-Lobgen-Reviewed: %s\n", reviewed ? "true" : "false");
    const char *r = arena_strndup(a, b.data, b.len);
    buf_free(&b);
    return r;
}

static void new_entry(Arena *a, PoFile *out, const Segment *u, const char *src_path)
{
    ARENA_GROW(a, out->e, out->n, out->n + 1, out->cap);
    PoEntry *e = &out->e[out->n++];
    memset(e, 0, sizeof *e);
    e->ctxt = u->ctxt;
    e->msgid = u->msgid;
    e->msgstr = "";
    e->ref = arena_printf(a, "%s:%d", src_path, u->field == SEG_BODY ? u->line : 1);
    e->extracted = u->field == SEG_TITLE     ? "title"
                 : u->field == SEG_SUMMARY ? "summary"
                 : u->type == 'h'          ? "heading"
                                           : "paragraph";
}

/* msgmerge for one file: every current unit gets an entry (an exact match
 * keeps its translation; the entry that stood in its place with another
 * Dutch text becomes fuzzy with "#| msgid"); entries no unit uses, and
 * that hold a translation, stay as obsolete (#~). */
void translate_merge(Arena *a, const SegList *L, const PoFile *old, const char *src_path, PoFile *out)
{
    memset(out, 0, sizeof *out);
    bool *used = old ? arena_alloc(a, old->n + 1) : NULL;
    for (size_t i = 0; i < L->n; i++) {
        const Segment *u = &L->units[i];
        new_entry(a, out, u, src_path);
        PoEntry *ne = &out->e[out->n - 1];
        if (!old)
            continue;
        const PoEntry *e;
        UState st = unit_match(u, old, &e);
        if (!e) {
            /* a translation that was put aside as obsolete comes back */
            for (size_t k = 0; k < old->n; k++)
                if (old->e[k].obsolete && same(old->e[k].msgid, u->msgid) && old->e[k].msgstr[0]) {
                    e = &old->e[k];
                    st = U_FUZZY;
                    break;
                }
            if (!e)
                continue;
        }
        used[e - old->e] = true;
        ne->msgstr = e->msgstr;
        ne->comments = e->comments;
        ne->fuzzy = st == U_FUZZY;
        if (!same(e->msgid, u->msgid))
            ne->prev_msgid = e->msgid;
        else if (st == U_FUZZY)
            ne->prev_msgid = e->prev_msgid;
    }
    for (size_t k = 0; old && k < old->n; k++) {
        const PoEntry *e = &old->e[k];
        if (used[k] || !e->msgstr[0] || e->msgid_plural)
            continue;
        bool dup = false; /* the same entry already kept (obsolete twice) */
        for (size_t j = 0; j < out->n && !dup; j++)
            dup = out->e[j].obsolete && same(out->e[j].msgid, e->msgid) && same(out->e[j].ctxt, e->ctxt);
        if (dup)
            continue;
        ARENA_GROW(a, out->e, out->n, out->n + 1, out->cap);
        PoEntry *o = &out->e[out->n++];
        *o = *e;
        o->obsolete = true;
        o->ref = NULL;
        o->prev_msgid = NULL;
    }
}

/* Pair the units of a Markdown translation with those of the Dutch text
 * it was made from: the same blocks in the same order, section by
 * section (sections whose blocks differ stay unpaired). pair[i] = index
 * into T, or -1. */
static void align(const SegList *S, const SegList *T, int *pair)
{
    for (size_t i = 0; i < S->n; i++)
        pair[i] = -1;
    for (size_t i = 0; i < S->n; i++) {
        const Segment *u = &S->units[i];
        if (u->field != SEG_BODY) {
            for (size_t j = 0; j < T->n; j++)
                if (T->units[j].field == u->field)
                    pair[i] = (int)j;
            continue;
        }
        if (i > 0 && S->units[i - 1].field == SEG_BODY && S->units[i - 1].section == u->section)
            continue; /* done with its section */
        size_t si = i, ns = 0, ti = 0, nt = 0;
        while (si + ns < S->n && S->units[si + ns].section == u->section)
            ns++;
        while (ti < T->n && !(T->units[ti].field == SEG_BODY && T->units[ti].section == u->section))
            ti++;
        while (ti + nt < T->n && T->units[ti + nt].section == u->section && T->units[ti + nt].field == SEG_BODY)
            nt++;
        if (ns != nt)
            continue;
        bool ok = true;
        for (size_t k = 0; k < ns && ok; k++)
            ok = S->units[si + k].type == T->units[ti + k].type;
        for (size_t k = 0; k < ns && ok; k++)
            pair[si + k] = (int)(ti + k);
    }
}

/* Unnamed until whole, then renamed over path (cachefile.h): a reader
 * sees the old file or the new one, and an import killed half-way leaves
 * neither a half file nor a temporary one beside it. */
static bool write_file_atomic(const char *path, const char *data, size_t len, Diags *d)
{
    const char *why = cachefile_replace(path, data, len);
    if (why)
        diag_error(d, path, 0, 0, "cannot write the file: %s", why);
    return !why;
}

static void mkdirs(const char *path)
{
    char *p = xstrdup(path);
    for (char *s = p + 1; *s; s++)
        if (*s == '/') {
            *s = '\0';
            mkdir(p, 0777);
            *s = '/';
        }
    free(p);
    mkdir(path, 0777);
}

static int find_lang(const Config *cfg, const char *tag) { return tag ? config_lang_index(cfg, tag) : -1; }

/* Whether unit t of a Markdown translation, aligned with unit s of the
 * Dutch, is still the Dutch text (site.h): an export must not hand the
 * translator the Dutch as a translated entry. */
static bool left_in_dutch(const Material *src, const Segment *s, const Segment *t)
{
    if (t->field == SEG_BODY)
        return t->words >= SEG_MIN_WORDS && segment_has_text(src->unit_hash, src->n_units, t->text_hash);
    return !strcmp(t->msgid, s->msgid) && segment_words(t->msgid) >= SEG_MIN_WORDS;
}

static int cmd_export(int argc, char **argv)
{
    TOpts o = {0};
    int rc = t_parse(argc, argv, &o, "slyo");
    if (rc)
        return rc;
    if (!o.lang)
        return t_usage("%s", "export needs --lang LANG");
    Diags d = DIAGS_INIT;
    Project p;
    LoadOptions lo = {.drafts = true};
    bool ok = project_load(&p, o.source, &lo, &d);
    int l = ok ? find_lang(&p.cfg, o.lang) : 1;
    if (ok && l <= 0) {
        config_not_a_translation_language(&d, &p.cfg, o.lang);
        ok = false;
    }
    const char *only = o.only ? o.only : "all";
    const char *outdir = o.output ? o.output : path_join(p.a, o.source, "po");
    size_t written = 0;
    for (size_t i = 0; ok && i < p.site.n_items; i++) {
        Item *it = p.site.items[i];
        Material *src = it->source, *tm = it->by_lang[l];
        TrState st = it->state[l];
        bool partial = tm && tm->src->is_po && tm->po_translated < tm->po_units;
        if (!strcmp(only, "missing") && st != TR_MISSING)
            continue;
        if (!strcmp(only, "stale") && st != TR_STALE && !partial)
            continue;
        Arena *a = p.a;
        SegList S;
        segment_material(a, it->key, src->title, src->summary, src->body, src->body_len, src->body_line, &S);
        PoFile out;
        if (tm && tm->src->is_po) {
            PoFile old;
            if (!po_read(a, tm->src->abs, tm->src->abs, &old, &d)) {
                ok = false;
                break;
            }
            translate_merge(a, &S, &old, src->src->path, &out);
        } else {
            translate_merge(a, &S, NULL, src->src->path, &out);
            if (tm) {
                /* the Dutch the translation was made from: the current text,
                 * or when stale its version in git, else every unit is fuzzy */
                Material old;
                const SegList *base = &S;
                SegList O;
                bool have_old = false;
                if (st == TR_STALE && tm->tr_source &&
                    translate_git_source(a, p.root, src->src, tm->tr_source, &old, NULL)) {
                    segment_material(a, it->key, old.title, old.summary, old.body, old.body_len, old.body_line, &O);
                    base = &O;
                    have_old = true;
                }
                SegList T;
                segment_material(a, it->key, tm->title, tm->summary, tm->body, tm->body_len, tm->body_line, &T);
                int *pair = arena_alloc(a, (base->n + 1) * sizeof(int));
                align(base, &T, pair);
                PoFile prev = {0};
                for (size_t k = 0; k < base->n; k++) {
                    if (pair[k] < 0 || left_in_dutch(src, &base->units[k], &T.units[pair[k]]))
                        continue;
                    ARENA_GROW(a, prev.e, prev.n, prev.n + 1, prev.cap);
                    PoEntry *e = &prev.e[prev.n++];
                    memset(e, 0, sizeof *e);
                    e->ctxt = base->units[k].ctxt;
                    e->msgid = base->units[k].msgid;
                    e->msgstr = T.units[pair[k]].msgid;
                    e->fuzzy = st == TR_STALE && !have_old;
                }
                translate_merge(a, &S, &prev, src->src->path, &out);
            }
        }
        const char *dir = path_join(a, outdir, kind_names[it->kind]);
        mkdirs(dir);
        PoFile pot = out;
        pot.e = arena_alloc(a, (out.n + 1) * sizeof(PoEntry));
        pot.n = 0;
        for (size_t k = 0; k < out.n; k++)
            if (!out.e[k].obsolete) {
                PoEntry e = out.e[k];
                e.msgstr = "";
                e.fuzzy = false;
                e.prev_msgid = NULL;
                e.comments = NULL;
                pot.e[pot.n++] = e;
            }
        const char *pot_path = arena_printf(a, "%s/%s.pot", dir, it->slug);
        const char *po_path = arena_printf(a, "%s/%s.%s.po", dir, it->slug, o.lang);
        ok = po_write(&pot, header_for(a, it->key, NULL, false), pot_path, &d) &&
             po_write(&out, header_for(a, it->key, o.lang, tm && tm->tr_reviewed), po_path, &d);
        written++;
        fprintf(stderr, "lobgen: wrote %s\n", po_path);
    }
    if (ok)
        fprintf(stderr, "lobgen: exported %zu material%s for %s into %s\n", written, written == 1 ? "" : "s", o.lang,
                outdir);
    project_free(&p);
    return t_finish(&d, ok);
}

static int cmd_update(int argc, char **argv)
{
    TOpts o = {0};
    int rc = t_parse(argc, argv, &o, "sl");
    if (rc)
        return rc;
    Diags d = DIAGS_INIT;
    Project p;
    LoadOptions lo = {.drafts = true};
    /* a PO file out of step with the Dutch is what update is for: load
     * errors of PO files do not stop it, only those of the Dutch */
    bool ok = project_load(&p, o.source, &lo, &d) || p.site.n_items > 0;
    if (ok && o.lang && find_lang(&p.cfg, o.lang) <= 0) {
        config_not_a_translation_language(&d, &p.cfg, o.lang);
        ok = false;
    }
    size_t n = 0;
    for (size_t i = 0; ok && i < p.scan.n_files; i++) {
        const SourceFile *sf = &p.scan.files[i];
        if (!sf->is_po || (o.lang && strcmp(o.lang, sf->lang)))
            continue;
        Item *it = site_find(&p.site, sf->kind, sf->slug);
        if (!it)
            continue;
        Arena *a = p.a;
        Material *src = it->source;
        PoFile old, out;
        Diags scratch = DIAGS_INIT;
        if (!po_read(a, sf->abs, sf->abs, &old, &d)) {
            ok = false;
            diags_free(&scratch);
            break;
        }
        diags_free(&scratch);
        SegList S;
        segment_material(a, it->key, src->title, src->summary, src->body, src->body_len, src->body_line, &S);
        translate_merge(a, &S, &old, src->src->path, &out);
        const char *hdr = old.header ? old.header : header_for(a, it->key, sf->lang, false);
        size_t fz = 0, un = 0;
        for (size_t k = 0; k < out.n; k++)
            if (!out.e[k].obsolete) {
                fz += out.e[k].fuzzy;
                un += !out.e[k].msgstr[0];
            }
        ok = po_write(&out, hdr, sf->abs, &d);
        fprintf(stderr, "lobgen: updated %s: %zu fuzzy, %zu untranslated\n", sf->path, fz, un);
        n++;
    }
    if (ok)
        fprintf(stderr, "lobgen: updated %zu PO file%s\n", n, n == 1 ? "" : "s");
    project_free(&p);
    /* the PO files' own load errors were about the old state */
    if (ok) {
        size_t k = 0;
        for (size_t i = 0; i < d.len; i++)
            if (d.items[i].level != DIAG_ERROR)
                d.items[k++] = d.items[i];
            else {
                free(d.items[i].msg);
                free(d.items[i].file);
            }
        d.len = k;
    }
    return t_finish(&d, ok);
}

static int cmd_import(int argc, char **argv)
{
    TOpts o = {0};
    int rc = t_parse(argc, argv, &o, "sf");
    if (rc)
        return rc;
    if (!o.n_files)
        return t_usage("%s", "import needs one or more PO files");
    Diags d = DIAGS_INIT;
    Project p;
    LoadOptions lo = {.drafts = true};
    project_load(&p, o.source, &lo, &d);
    if (!p.a || !p.cfg.n_langs) {
        project_free(&p);
        return t_finish(&d, false);
    }
    /* the project's own state does not matter here; the files do */
    for (size_t i = 0; i < d.len; i++) {
        free(d.items[i].msg);
        free(d.items[i].file);
    }
    d.len = 0;
    Arena *a = p.a;
    const char **dest = arena_alloc(a, (size_t)o.n_files * sizeof(char *));
    const char **md = arena_alloc(a, (size_t)o.n_files * sizeof(char *));
    for (int f = 0; f < o.n_files; f++) {
        /* the path export printed (po/…, from the project) works too */
        o.files[f] = (char *)path_arg(a, o.source, o.files[f]);
        const char *file = o.files[f];
        PoFile po;
        if (!po_read(a, file, file, &po, &d))
            continue;
        const char *key = po_header_value(a, &po, "X-Lobgen-Material");
        if (!key || !po.language) {
            diag_error(&d, file, 1, 1, "the PO header lacks %s; export PO files with lobgen translate export",
                       !key ? "X-Lobgen-Material: <kind>/<slug>" : "Language:");
            continue;
        }
        const char *slash = strchr(key, '/');
        Kind k = slash ? kind_from_name(key, (size_t)(slash - key)) : KIND_COUNT;
        Item *it = k < KIND_COUNT ? site_find(&p.site, k, slash + 1) : NULL;
        if (!it) {
            diag_error(&d, file, 1, 1, "there is no material '%s' in this project (X-Lobgen-Material)", key);
            continue;
        }
        int l = find_lang(&p.cfg, po.language);
        if (l <= 0) {
            diag_error(&d, file, 1, 1, "'%s' (Language:) is not a translation language of this project", po.language);
            continue;
        }
        if (!translate_check_entries(&po, po.language, file, &d))
            continue;
        /* a file from an older export: say what will show in Dutch until an update */
        SegList S;
        const Material *src = it->source;
        segment_material(a, it->key, src->title, src->summary, src->body, src->body_len, src->body_line, &S);
        size_t stray = 0;
        for (size_t i = 0; i < po.n; i++) {
            const PoEntry *e = &po.e[i];
            bool found = false;
            for (size_t u = 0; u < S.n && !found; u++)
                found = same(S.units[u].msgid, e->msgid);
            stray += !found && !e->obsolete && e->msgstr[0];
        }
        if (stray)
            diag_warn(&d, file, 1, 1,
                      "%zu translated entr%s no unit of the current Dutch text of %s; after the import, run "
                      "lobgen translate update to turn them into fuzzy entries for the translator",
                      stray, stray == 1 ? "y matches" : "ies match", src->src->path);
        dest[f] = arena_printf(a, "content/%s/%s.%s.po", kind_names[k], it->slug, po.language);
        /* a Markdown file still all in Dutch is not published, but is replaced all the same */
        Material *tm = it->by_lang[l] ? it->by_lang[l] : it->untranslated ? it->untranslated[l] : NULL;
        if (tm && !tm->src->is_po)
            md[f] = tm->src->path;
    }
    bool ok = diags_count(&d, DIAG_ERROR) == 0;
    for (int f = 0; ok && f < o.n_files; f++) {
        size_t len;
        char *bytes = read_file(o.files[f], &len);
        const char *to = path_join(a, o.source, dest[f]);
        if (!bytes || !write_file_atomic(to, bytes, len, &d))
            ok = false;
        free(bytes);
        if (ok && md[f]) {
            const char *mdp = path_join(a, o.source, md[f]);
            if (unlink(mdp) == 0)
                fprintf(stderr, "lobgen: %s replaces the Markdown translation %s (removed; its text is in the PO file)\n",
                        dest[f], md[f]);
        }
        if (ok)
            fprintf(stderr, "lobgen: installed %s as %s\n", o.files[f], dest[f]);
    }
    project_free(&p);
    return t_finish(&d, ok);
}

int translate_main(int argc, char **argv)
{
    if (argc < 1)
        return t_usage("%s", "translate needs export, update or import");
    if (!strcmp(argv[0], "export"))
        return cmd_export(argc - 1, argv + 1);
    if (!strcmp(argv[0], "update"))
        return cmd_update(argc - 1, argv + 1);
    if (!strcmp(argv[0], "import"))
        return cmd_import(argc - 1, argv + 1);
    return t_usage("unknown translate command '%s'", argv[0]);
}

void translate_unit_counts(Arena *a, const Item *it, size_t l, int c[4])
{
    const Material *m = it->by_lang[l];
    if (m && m->src->is_po) {
        c[0] = m->po_units;
        c[1] = m->po_translated;
        c[2] = m->po_fuzzy;
        c[3] = m->po_untranslated;
        return;
    }
    const Material *s = it->source;
    SegList L;
    segment_material(a, it->key, s->title, s->summary, s->body, s->body_len, s->body_line, &L);
    c[0] = (int)L.n;
    c[1] = c[2] = c[3] = 0;
    TrState st = it->state[l];
    /* a Markdown translation is one unit of work: all current, all to check,
     * or none; but for the units it left in Dutch (site_build) */
    int dutch = m && l > 0 ? m->n_source_text : 0;
    if (dutch > (int)L.n)
        dutch = (int)L.n;
    c[st == TR_SOURCE || st == TR_CURRENT ? 1 : st == TR_STALE ? 2 : 3] = (int)L.n - dutch;
    c[3] += dutch;
}
