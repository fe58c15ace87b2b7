#include "translate.h"

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
    /* per-unit staleness replaces the whole-file fingerprint */
    char fp[17];
    site_fingerprint(src->title, src->body, fp);
    out->tr_source = arena_strdup(a, fp);
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
        for (size_t k = 0; k < n_md; k++) {
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
