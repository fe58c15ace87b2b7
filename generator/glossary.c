#include "glossary.h"

#include "slug.h"
#include "paths.h"

#include "yamlload.h"

#include <ctype.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <unicode/ucol.h>
#include <unicode/uloc.h>
#include <unicode/ustring.h>

typedef struct {
    GlossaryEntry e;
    uint8_t *key; /* the collator's sort key for e.term */
} Keyed;

static int cmp_keyed(const void *a, const void *b)
{
    const Keyed *x = a, *y = b;
    int c = strcmp((const char *)x->key, (const char *)y->key);
    return c ? c : strcmp(x->e.term, y->e.term);
}

/* Sort the terms the way a reader of lang expects a list (ICU's collator
 * for the language, CLDR's rules): Turkish puts "Çocuk" between "Ceza" and
 * "Ders", Dutch ignores case and accents first. Byte order would put every
 * letter outside ASCII after "z". Sort keys are NUL-terminated byte
 * strings, so the comparison is strcmp. */
static void sort_terms(Arena *a, GlossaryEntry *entries, size_t n, const char *lang)
{
    char loc[ULOC_FULLNAME_CAPACITY];
    UErrorCode e = U_ZERO_ERROR;
    uloc_forLanguageTag(lang, loc, sizeof loc, NULL, &e);
    if (U_FAILURE(e)) {
        e = U_ZERO_ERROR;
        snprintf(loc, sizeof loc, "%s", lang);
    }
    UCollator *coll = ucol_open(loc, &e);
    Keyed *k = xmalloc((n ? n : 1) * sizeof *k);
    for (size_t i = 0; i < n; i++) {
        k[i].e = entries[i];
        int32_t tl = 0;
        UErrorCode te = U_ZERO_ERROR;
        u_strFromUTF8(NULL, 0, &tl, entries[i].term, -1, &te);
        UChar *term = xmalloc(((size_t)tl + 1) * sizeof *term);
        te = U_ZERO_ERROR;
        u_strFromUTF8(term, tl + 1, NULL, entries[i].term, -1, &te);
        int32_t kl = U_SUCCESS(e) && U_SUCCESS(te) ? ucol_getSortKey(coll, term, tl, NULL, 0) : 0;
        /* without a collator (ICU data missing) every key is empty and
         * the tie-break, byte order, decides */
        k[i].key = arena_alloc(a, (size_t)kl + 1);
        k[i].key[0] = 0;
        if (kl > 0)
            ucol_getSortKey(coll, term, tl, k[i].key, kl + 1);
        free(term);
    }
    qsort(k, n, sizeof *k, cmp_keyed);
    for (size_t i = 0; i < n; i++)
        entries[i] = k[i].e;
    free(k);
    if (coll)
        ucol_close(coll);
}

bool glossary_load(Arena *a, const char *root, const char *path, const char *lang, Glossary *out, Diags *d)
{
    memset(out, 0, sizeof *out);
    out->lang = lang;
    size_t e0 = diags_count(d, DIAG_ERROR);
    /* one name for the file in every message, as the other modules name
     * theirs: relative to the project, or under root when one was given */
    const char *file = path_join(a, root, path);
    Value *v = yaml_load_file(a, file, d);
    if (!v)
        return false;
    /* messages name the file as the project knows it */
    if (v->kind != V_LIST) {
        diag_error(d, file, v->line, v->col,
                   "a glossary is a list of terms, each like `- term: mentor` with `text: ...` under it");
        return false;
    }
    out->entries = arena_alloc(a, (v->u.list.len + 1) * sizeof(GlossaryEntry));
    /* where each accepted term was written, for the duplicate message */
    int *term_line = arena_alloc(a, (v->u.list.len + 1) * sizeof(int));
    for (size_t i = 0; i < v->u.list.len; i++) {
        Value *e = v->u.list.items[i];
        if (e->kind != V_MAP) {
            diag_error(d, file, e->line, e->col, "each glossary entry is a map with term and text");
            continue;
        }
        GlossaryEntry *g = &out->entries[out->n];
        memset(g, 0, sizeof *g); /* a rejected entry before may have left fields */
        int tl = e->line, tc = e->col;
        for (size_t k = 0; k < e->u.map.len; k++) {
            const char *key = e->u.map.keys[k];
            Value *val = e->u.map.vals[k];
            if (!strcmp(key, "term") || !strcmp(key, "text")) {
                if (val->kind != V_STR && val->kind != V_NUM) {
                    diag_error(d, file, val->line, val->col, "%s must be text", key);
                    continue;
                }
                const char *s = val->raw ? val->raw : val->u.str.s;
                if (!strcmp(key, "term")) {
                    g->term = s;
                    tl = val->line;
                    tc = val->col;
                } else
                    g->text = s;
            } else if (!strcmp(key, "also")) {
                Value *list = val;
                if (val->kind == V_STR) {
                    list = value_list(a);
                    value_push(a, list, val);
                }
                if (list->kind != V_LIST) {
                    diag_error(d, file, val->line, val->col, "also must be a word or a list of words");
                    continue;
                }
                g->also = arena_alloc(a, (list->u.list.len + 1) * sizeof(char *));
                for (size_t j = 0; j < list->u.list.len; j++) {
                    Value *w = list->u.list.items[j];
                    if (w->kind != V_STR)
                        diag_error(d, file, w->line, w->col, "each form in also must be text");
                    else
                        g->also[g->n_also++] = w->u.str.s;
                }
            } else {
                diag_error(d, file, e->u.map.key_lines[k], e->u.map.key_cols[k],
                           "unknown key '%s' in a glossary entry; use term, text and also", key);
            }
        }
        if (!g->term || !*g->term || !g->text || !*g->text) {
            diag_error(d, file, e->line, e->col, "a glossary entry needs both term and text");
            continue;
        }
        size_t j = 0;
        while (j < out->n && strcasecmp(out->entries[j].term, g->term))
            j++;
        if (j < out->n) {
            diag_error(d, file, tl, tc, "the term '%s' is explained twice (first on line %d); keep one", g->term,
                       term_line[j]);
            continue;
        }
        term_line[out->n++] = tl;
    }
    sort_terms(a, out->entries, out->n, lang);
    /* ids in page order, unique on the glossary page ("ouder-avond" and
     * "ouder avond" make the same slug) */
    SlugSet ids = SLUGSET_INIT(a);
    slugset_take_layout(&ids);
    for (size_t i = 0; i < out->n; i++)
        out->entries[i].id = slugset_unique(&ids, slug_from_text(a, out->entries[i].term));
    slugset_free(&ids);
    return diags_count(d, DIAG_ERROR) == e0;
}

MdTerm *glossary_terms(Arena *a, const Glossary *g, const char *href_prefix, size_t *n)
{
    size_t total = 0;
    for (size_t i = 0; i < g->n; i++)
        total += 1 + g->entries[i].n_also;
    MdTerm *t = arena_alloc(a, (total + 1) * sizeof(MdTerm));
    size_t k = 0;
    for (size_t i = 0; i < g->n; i++) {
        const GlossaryEntry *e = &g->entries[i];
        const char *href = arena_printf(a, "%s#%s", href_prefix, e->id);
        t[k++] = (MdTerm){e->term, href, e->text};
        for (size_t j = 0; j < e->n_also; j++)
            t[k++] = (MdTerm){e->also[j], href, e->text};
    }
    *n = k;
    return t;
}
