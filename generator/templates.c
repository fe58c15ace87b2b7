#include "templates.h"

#include "paths.h"

#include "buf.h"
#include "encoding.h"
#include "scan.h"
#include "inputs.h"

#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <xxhash.h>

typedef struct {
    char *rel; /* path below templates/, without the extension */
    int ext_rank; /* 0 = .mustache, 1 = .html: .mustache wins */
    Mustache *m;
    uint64_t id[2]; /* XXH3-128 of rel, rank and the NFC source: templates_identity */
} Entry;

struct Templates {
    Entry *e;
    size_t n, cap;
    /* open addressing over the names: index + 1 of the first (best ranked)
     * entry of each name, 0 for an empty slot; mask + 1 slots. Partials are
     * looked up per tag per page, up to four names each (templates_find). */
    size_t *slot;
    size_t mask;
};

static uint64_t name_hash(const char *s, size_t n)
{
    uint64_t h = 1469598103934665603ull;
    for (size_t i = 0; i < n; i++)
        h = (h ^ (unsigned char)s[i]) * 1099511628211ull;
    return h;
}

static void index_names(Templates *t)
{
    size_t cap = 16;
    while (cap < 2 * t->n)
        cap *= 2;
    t->slot = xcalloc(cap, sizeof(size_t));
    t->mask = cap - 1;
    for (size_t i = 0; i < t->n; i++) {
        if (i && !strcmp(t->e[i - 1].rel, t->e[i].rel))
            continue; /* sorted: the first of a name has the best extension rank */
        size_t h = (size_t)name_hash(t->e[i].rel, strlen(t->e[i].rel)) & t->mask;
        while (t->slot[h])
            h = (h + 1) & t->mask;
        t->slot[h] = i + 1;
    }
}

static int cmp_entry(const void *a, const void *b)
{
    const Entry *x = a, *y = b;
    int c = strcmp(x->rel, y->rel);
    return c ? c : x->ext_rank - y->ext_rank;
}

const char *templates_source_text(const char *file, const char *src, size_t len, size_t *out_len, char **owned,
                                  Diags *d)
{
    *owned = NULL;
    if (!encoding_check_utf8(file, src, len, d))
        return NULL;
    size_t nlen;
    char *nfc = encoding_nfc(src, len, &nlen);
    if (!nfc) {
        *out_len = len;
        return src;
    }
    *owned = nfc;
    *out_len = nlen;
    return nfc;
}

static void walk(Templates *t, const char *root, const char *dir_abs, const char *rel, Diags *d, int depth)
{
    DIR *dir = opendir(dir_abs);
    if (!dir) {
        diag_error(d, dir_abs, 0, 0, "cannot read the folder: %s", strerror(errno));
        return;
    }
    inputs_note_dir(dir_abs, dir);
    struct dirent *de;
    while ((de = readdir(dir))) {
        const char *nm = de->d_name;
        if (nm[0] == '.')
            continue;
        Buf abs = BUF_INIT, r = BUF_INIT;
        buf_printf(&abs, "%s/%s", dir_abs, nm);
        if (*rel)
            buf_printf(&r, "%s/%s", rel, nm);
        else
            buf_puts(&r, nm);
        struct stat st, lst;
        if (lstat(abs.data, &lst) == 0 && S_ISLNK(lst.st_mode) && !scan_path_inside(abs.data, root)) {
            diag_error(d, abs.data, 0, 0, "this symlink points outside the project; copy the template in instead");
        } else if (stat(abs.data, &st) != 0) {
            diag_error(d, abs.data, 0, 0, "cannot read: %s", strerror(errno));
        } else if (S_ISDIR(st.st_mode)) {
            if (depth < 8)
                walk(t, root, abs.data, r.data, d, depth + 1);
        } else if (S_ISREG(st.st_mode)) {
            size_t nl = strlen(r.data);
            int rank = -1;
            size_t cut = 0;
            if (nl > 9 && !strcmp(r.data + nl - 9, ".mustache"))
                rank = 0, cut = 9;
            else if (nl > 5 && !strcmp(r.data + nl - 5, ".html"))
                rank = 1, cut = 5;
            if (rank >= 0) {
                size_t len;
                struct stat sst;
                char *src = read_text_input_stat(abs.data, &len, &sst);
                if (!src) {
                    input_read_error(d, abs.data, &sst);
                } else {
                    /* a page with bytes that are not UTF-8 is never published */
                    size_t tlen;
                    char *nfc;
                    const char *text = templates_source_text(abs.data, src, len, &tlen, &nfc, d);
                    Mustache *m = text ? mustache_compile(text, tlen, abs.data, d) : NULL;
                    if (m) {
                        ALLOC_GROW(t->e, t->n + 1, t->cap);
                        r.data[nl - cut] = '\0';
                        XXH3_state_t *h = XXH3_createState();
                        XXH3_128bits_reset(h);
                        XXH3_128bits_update(h, r.data, strlen(r.data) + 1);
                        XXH3_128bits_update(h, &rank, sizeof rank);
                        XXH3_128bits_update(h, text, tlen);
                        XXH128_hash_t id = XXH3_128bits_digest(h);
                        XXH3_freeState(h);
                        t->e[t->n++] = (Entry){xstrdup(r.data), rank, m, {id.low64, id.high64}};
                    }
                    free(nfc);
                    free(src);
                }
            }
        }
        buf_free(&abs);
        buf_free(&r);
    }
    closedir(dir);
}

Templates *templates_load(const char *root, Diags *d)
{
    size_t before = diags_count(d, DIAG_ERROR);
    Templates *t = xcalloc(1, sizeof *t);
    Buf dir = BUF_INIT;
    path_join_buf(&dir, root, "templates");
    struct stat st;
    if (stat(dir.data, &st) != 0 || !S_ISDIR(st.st_mode)) {
        diag_error(d, dir.data, 0, 0, "the project has no templates/ folder; copy the default templates from lobgen's repository");
    } else {
        walk(t, root, dir.data, "", d, 0);
    }
    buf_free(&dir);
    if (t->n > 1) /* t->e is NULL when there is no template: not for qsort */
        qsort(t->e, t->n, sizeof(Entry), cmp_entry);
    index_names(t);
    if (diags_count(d, DIAG_ERROR) > before) {
        templates_free(t);
        return NULL;
    }
    return t;
}

void templates_free(Templates *t)
{
    if (!t)
        return;
    for (size_t i = 0; i < t->n; i++) {
        free(t->e[i].rel);
        mustache_free(t->e[i].m);
    }
    free(t->e);
    free(t->slot);
    free(t);
}

/* The entry named by the n bytes at rel. */
static const Entry *find_entry_n(const Templates *t, const char *rel, size_t n)
{
    if (!t->slot)
        return NULL;
    for (size_t h = (size_t)name_hash(rel, n) & t->mask; t->slot[h]; h = (h + 1) & t->mask) {
        const Entry *e = &t->e[t->slot[h] - 1];
        if (!strncmp(e->rel, rel, n) && !e->rel[n])
            return e;
    }
    return NULL;
}

/* The entry NAME resolves to in a scope: the lookup order of templates_find,
 * the most specific first: LANG/leerjaar-N/NAME, LANG/NAME, leerjaar-N/NAME,
 * NAME. The names are put together by hand: snprintf per partial tag per
 * page was a measurable part of rendering. */
static const Entry *resolve(const Templates *t, const char *name, const char *lang, int leerjaar)
{
    /* A name from a template may not climb out of templates/. */
    if (!name[0] || name[0] == '/' || strstr(name, ".."))
        return NULL;
    size_t nn = strlen(name), ln = lang ? strlen(lang) : 0;
    char buf[512];
    /* "leerjaar-" + up to 10 digits + two slashes */
    if (ln + nn + 24 > sizeof buf)
        return find_entry_n(t, name, nn); /* longer than any template name */
    char yr[24];
    size_t yn = 0;
    if (leerjaar > 0) {
        char dg[12];
        int k = 0;
        for (int v = leerjaar; v; v /= 10)
            dg[k++] = (char)('0' + v % 10);
        memcpy(yr, "leerjaar-", 9);
        yn = 9;
        while (k)
            yr[yn++] = dg[--k];
        yr[yn++] = '/';
    }
    const Entry *e;
    if (lang && leerjaar > 0) {
        char *p = buf;
        memcpy(p, lang, ln), p += ln, *p++ = '/';
        memcpy(p, yr, yn), p += yn;
        memcpy(p, name, nn), p += nn;
        if ((e = find_entry_n(t, buf, (size_t)(p - buf))))
            return e;
    }
    if (lang) {
        char *p = buf;
        memcpy(p, lang, ln), p += ln, *p++ = '/';
        memcpy(p, name, nn), p += nn;
        if ((e = find_entry_n(t, buf, (size_t)(p - buf))))
            return e;
    }
    if (leerjaar > 0) {
        char *p = buf;
        memcpy(p, yr, yn), p += yn;
        memcpy(p, name, nn), p += nn;
        if ((e = find_entry_n(t, buf, (size_t)(p - buf))))
            return e;
    }
    return find_entry_n(t, name, nn);
}

void templates_identity(const Templates *t, const char *name, const char *lang, int leerjaar, uint64_t id[2])
{
    const Entry *e = t ? resolve(t, name, lang, leerjaar) : NULL;
    id[0] = e ? e->id[0] : 0;
    id[1] = e ? e->id[1] : 0;
}

void template_use_add(TemplateUse *u, const char *name)
{
    for (size_t i = 0; i < u->n; i++)
        if (!strcmp(u->names[i], name))
            return;
    ALLOC_GROW(u->names, u->n + 1, u->cap);
    u->names[u->n++] = xstrdup(name);
}

void template_use_free(TemplateUse *u)
{
    for (size_t i = 0; i < u->n; i++)
        free(u->names[i]);
    free(u->names);
    memset(u, 0, sizeof *u);
}

const Mustache *templates_find(const Templates *t, const char *name, const char *lang, int leerjaar)
{
    const Entry *e = resolve(t, name, lang, leerjaar);
    return e ? e->m : NULL;
}

const Mustache *templates_lookup(void *scope, const char *name, Diags *d)
{
    const TemplateScope *s = scope;
    if (s->use)
        template_use_add(s->use, name);
    const Mustache *m = templates_find(s->t, name, s->lang, s->leerjaar);
    /* The spec renders a missing partial as nothing; a site missing its
     * partials/card would publish home pages without materials and exit 0. */
    if (!m && d)
        diag_error(d, "templates", 0, 0,
                   "this template includes '%s', but there is no templates/%s.mustache (also looked per language and "
                   "leerjaar); add it, or remove the {{>%s}} tag",
                   name, name, name);
    return m;
}

bool templates_render(const TemplateScope *s, const char *name, const Value *data, Buf *out, Diags *d)
{
    if (s->use)
        template_use_add(s->use, name);
    const Mustache *m = templates_find(s->t, name, s->lang, s->leerjaar);
    if (!m) {
        diag_error(d, "templates", 0, 0, "no template '%s' (looked for templates/%s.mustache, also per language and leerjaar); add it", name, name);
        return false;
    }
    TemplateScope sc = *s;
    return mustache_render(m, data, templates_lookup, &sc, out, d);
}

size_t templates_block_names(const Templates *t, const char **out, size_t max)
{
    size_t k = 0;
    for (size_t i = 0; t && i < t->n && k < max; i++) {
        const char *r = t->e[i].rel, *b = strstr(r, "blocks/");
        if (!b || (b != r && b[-1] != '/') || strchr(b + 7, '/') || !b[7])
            continue;
        bool dup = false;
        for (size_t j = 0; j < k && !dup; j++)
            dup = !strcmp(out[j], b + 7);
        if (!dup)
            out[k++] = b + 7;
    }
    return k;
}
