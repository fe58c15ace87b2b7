#include "locale.h"

#include "scan.h"

#include "paths.h"

#include "value.h"
#include "yamlload.h"

#include <errno.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unicode/udat.h>
#include <unicode/udatpg.h>
#include <unicode/uenum.h>
#include <unicode/uloc.h>
#include <unicode/unum.h>
#include <unicode/upluralrules.h>
#include <unicode/ustring.h>

enum { PL_ZERO, PL_ONE, PL_TWO, PL_FEW, PL_MANY, PL_OTHER, PL_N };
static const char *const plural_names[PL_N] = {"zero", "one", "two", "few", "many", "other"};

/* A plain string is stored as its "other" form, so every lookup that wants
 * "the text" can read forms[PL_OTHER]. */
typedef struct {
    const char *key;
    const char *forms[PL_N];
    bool is_plural;
} Entry;

typedef struct {
    int64_t secs;
    char *text; /* UTF-8, malloc'ed; NULL: empty slot */
    size_t len;
} DateMemo;

struct Locale {
    const char *tag;    /* as configured: "ar-MA" */
    const char *icu_id; /* ICU's form: "ar_MA" */
    const char *file;   /* "locales/ar.yaml" (the file the strings came from) or NULL */
    const char *name;
    bool rtl, reviewed;
    Entry *entries; /* sorted by key with strcmp, for bsearch and for missing_keys */
    size_t n_entries;
    unsigned categories;     /* bit per PL_*: what the language's rules can select */
    unsigned int_categories; /* ... for whole counts, which is all lobgen ever counts */
    UPluralRules *plural;
    /* ICU formatters are not safe to share between threads (a date format
     * mutates its calendar while formatting), and pages may be rendered in
     * parallel: the lock guards their lazy creation and every use. */
    pthread_mutex_t lock;
    UNumberFormat *num;
    UDateFormat *date[2][2]; /* [DateStyle][has_time] */
    bool num_failed, date_failed[2][2];
    /* every card formats its date once for its key and once for its page,
     * in every language, and a year has a few hundred distinct dates: ICU's
     * udat_format behind the lock was most of a no-op rebuild's card keys.
     * Open addressing, keyed by the formatted instant; guarded by lock. */
    DateMemo *memo[2][2];
    size_t n_memo[2][2], cap_memo[2][2];
    /* 0 to 9 as locale_format_int writes them, made once: every handout's
     * page numbers name the locale's digits (print_css_digits), and ICU
     * behind the lock per digit per handout showed in the profile */
    char digit[10][16];
    atomic_bool digits_ready;
};

static const char *const top_keys[] = {"name", "direction", "reviewed", "strings"};
enum { N_TOP_KEYS = sizeof top_keys / sizeof top_keys[0] };

/* ---------------------------------------------------------------- helpers */

static int plural_index(const char *name)
{
    for (int i = 0; i < PL_N; i++)
        if (!strcmp(name, plural_names[i]))
            return i;
    return -1;
}

static void append_uchars(Buf *out, const UChar *u, int32_t len)
{
    UErrorCode e = U_ZERO_ERROR;
    int32_t need = 0;
    u_strToUTF8(NULL, 0, &need, u, len, &e);
    if (e != U_BUFFER_OVERFLOW_ERROR && U_FAILURE(e))
        return;
    buf_reserve(out, (size_t)need + 1);
    e = U_ZERO_ERROR;
    u_strToUTF8(out->data + out->len, need + 1, NULL, u, len, &e);
    if (U_FAILURE(e))
        return;
    out->len += (size_t)need;
    out->data[out->len] = '\0';
}

static const char *kind_word(const Value *v)
{
    switch (v->kind) {
    case V_NULL: return "empty";
    case V_BOOL: return "true/false";
    case V_NUM: return "a number";
    case V_STR: return "a string";
    case V_LIST: return "a list";
    case V_MAP: return "a map";
    }
    return "something else";
}

/* "one and other", "zero, one, two, few, many and other" */
static void list_categories(Buf *b, unsigned set)
{
    int total = 0, seen = 0;
    for (int i = 0; i < PL_N; i++)
        total += (set >> i) & 1;
    for (int i = 0; i < PL_N; i++) {
        if (!((set >> i) & 1))
            continue;
        if (seen)
            buf_puts(b, seen == total - 1 ? " and " : ", ");
        buf_puts(b, plural_names[i]);
        seen++;
    }
}

static bool tag_is_safe(const char *tag)
{
    if (!tag || !*tag || strlen(tag) > 64 || tag[0] == '-')
        return false;
    for (const char *p = tag; *p; p++) {
        char c = *p;
        if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-'))
            return false;
    }
    return true;
}

static bool is_regular_file(const char *path)
{
    struct stat st;
    return stat(path, &st) == 0 && S_ISREG(st.st_mode);
}

static const char *icu_display_name(Arena *a, const char *icu_id)
{
    UChar name[256];
    UErrorCode e = U_ZERO_ERROR;
    int32_t n = uloc_getDisplayName(icu_id, icu_id, name, 256, &e);
    if (U_FAILURE(e) || n <= 0)
        return NULL;
    Buf b = BUF_INIT;
    append_uchars(&b, name, n);
    char *s = arena_strdup(a, buf_cstr(&b));
    buf_free(&b);
    return s;
}

static void plural_setup(Locale *l)
{
    UErrorCode e = U_ZERO_ERROR;
    l->plural = uplrules_open(l->icu_id, &e);
    if (U_FAILURE(e)) {
        if (l->plural)
            uplrules_close(l->plural);
        l->plural = NULL;
    }
    l->categories = 1u << PL_OTHER;
    l->int_categories = 1u << PL_OTHER;
    if (!l->plural)
        return;
    e = U_ZERO_ERROR;
    UEnumeration *kw = uplrules_getKeywords(l->plural, &e);
    if (U_SUCCESS(e)) {
        const char *k;
        while ((k = uenum_next(kw, NULL, &e)) && U_SUCCESS(e)) {
            int i = plural_index(k);
            if (i >= 0)
                l->categories |= 1u << i;
        }
    }
    uenum_close(kw);
    /* Categories that only fractions reach (Polish "other") or only
     * millions (French "many") need no form of their own in a file that
     * counts minutes and pages; 0..1000 shows every form a count uses. */
    l->int_categories = 0;
    for (long n = 0; n <= 1000; n++)
        l->int_categories |= 1u << plural_index(locale_plural_category(l, n));
}

/* ------------------------------------------------------------- loading */

typedef struct {
    Arena *a;
    Locale *l;
    const char *file;
    Diags *d;
    Entry *entries;
    size_t n, cap;
} Loader;

static const char *language_label(const Locale *l)
{
    return l->name ? l->name : l->tag;
}

static void load_plural(Loader *L, const char *key, int kl, int kc, const Value *map, Entry *e)
{
    Locale *l = L->l;
    e->is_plural = true;
    bool ok = true;
    unsigned have = 0;
    for (size_t i = 0; i < map->u.map.len; i++) {
        const char *cat = map->u.map.keys[i];
        const Value *v = map->u.map.vals[i];
        int cl = map->u.map.key_lines[i], cc = map->u.map.key_cols[i];
        int ci = plural_index(cat);
        if (ci < 0) {
            const char *near = diag_closest(cat, plural_names, PL_N, 2);
            Buf b = BUF_INIT;
            list_categories(&b, l->categories);
            diag_error(L->d, L->file, cl, cc,
                       "'%s' in '%s' is not a plural category; %s%s%suse the forms this language has: %s", cat,
                       key, near ? "did you mean '" : "", near ? near : "", near ? "'? " : "", buf_cstr(&b));
            buf_free(&b);
            ok = false;
            continue;
        }
        if (!((l->categories >> ci) & 1)) {
            Buf b = BUF_INIT;
            list_categories(&b, l->categories);
            diag_error(L->d, L->file, cl, cc,
                       "'%s' in '%s' is a plural form that %s (%s) never uses; remove it (this language has: %s)",
                       cat, key, language_label(l), l->tag, buf_cstr(&b));
            buf_free(&b);
            ok = false;
            continue;
        }
        if (v->kind != V_STR) {
            diag_error(L->d, L->file, v->line, v->col,
                       "the '%s' form of '%s' must be a text, not %s; write it in quotes, e.g. %s: \"{n} ...\"", cat,
                       key, kind_word(v), cat);
            ok = false;
            continue;
        }
        e->forms[ci] = v->u.str.s;
        have |= 1u << ci;
    }
    if (!(have & (1u << PL_OTHER)) && ok) {
        diag_error(L->d, L->file, kl, kc,
                   "the plural forms of '%s' have no 'other'; add it: it is used for every count without a form "
                   "of its own, e.g. other: \"{n} ...\"",
                   key);
        ok = false;
    }
    if (!ok) {
        e->key = NULL; /* a half-valid entry would break "other is always there" */
        return;
    }
    unsigned lacking = l->int_categories & ~have;
    if (lacking) {
        Buf b = BUF_INIT;
        list_categories(&b, lacking);
        diag_warn(L->d, L->file, kl, kc,
                  "'%s' has no %s form, so counts that need it get the 'other' form; add %s to write those "
                  "counts correctly",
                  key, buf_cstr(&b), buf_cstr(&b));
        buf_free(&b);
    }
}

static void load_strings(Loader *L, const Value *strings)
{
    for (size_t i = 0; i < strings->u.map.len; i++) {
        const char *key = strings->u.map.keys[i];
        const Value *v = strings->u.map.vals[i];
        int kl = strings->u.map.key_lines[i], kc = strings->u.map.key_cols[i];
        Entry e = {0};
        e.key = key;
        if (v->kind == V_STR) {
            e.forms[PL_OTHER] = v->u.str.s;
        } else if (v->kind == V_MAP) {
            load_plural(L, key, kl, kc, v, &e);
        } else if (v->kind == V_LIST) {
            diag_error(L->d, L->file, v->line, v->col,
                       "'%s' must be a text (or a map of plural forms such as one: and other:), not a list; write "
                       "it as  %s: \"...\"",
                       key, key);
            e.key = NULL;
        } else {
            diag_error(L->d, L->file, v->line, v->col,
                       "'%s' must be a text, not %s; put the text in quotes, e.g.  %s: \"%s\"", key, kind_word(v),
                       key, v->raw && *v->raw ? v->raw : "...");
            e.key = NULL;
        }
        if (!e.key)
            continue;
        ARENA_GROW(L->a, L->entries, L->n, L->n + 1, L->cap);
        L->entries[L->n++] = e;
    }
}

static int entry_cmp(const void *x, const void *y)
{
    return strcmp(((const Entry *)x)->key, ((const Entry *)y)->key);
}

/* own_file: the file is this tag's own (its name may set the native name);
 * a base language's file (ar.yaml for ar-MA) gives strings and direction. */
static void load_file(Arena *a, Locale *l, const char *path, bool own_file, Diags *d)
{
    Value *root = yaml_load_file(a, path, d);
    if (!root)
        return;
    if (root->kind != V_MAP) {
        diag_error(d, path, root->line, root->col,
                   "a locale file must be a map with the keys name, direction, reviewed and strings, each on a line "
                   "of its own, e.g. 'name: \"Türkçe\"', 'direction: ltr', 'reviewed: false', and 'strings:' "
                   "with the strings indented below it ('  home: \"Ana sayfa\"'); 'lobgen new language TAG' "
                   "writes one");
        return;
    }
    Loader L = {.a = a, .l = l, .file = path, .d = d};
    for (size_t i = 0; i < root->u.map.len; i++) {
        const char *key = root->u.map.keys[i];
        const Value *v = root->u.map.vals[i];
        int kl = root->u.map.key_lines[i], kc = root->u.map.key_cols[i];
        if (!strcmp(key, "name")) {
            if (v->kind != V_STR || v->u.str.len == 0)
                diag_error(d, path, v->line, v->col,
                           "name must be the language's name written in that language, in quotes, e.g. name: "
                           "\"Türkçe\"");
            else if (own_file)
                l->name = v->u.str.s;
        } else if (!strcmp(key, "direction")) {
            const char *s = value_cstr(v);
            if (s && !strcmp(s, "ltr"))
                l->rtl = false;
            else if (s && !strcmp(s, "rtl"))
                l->rtl = true;
            else
                diag_error(d, path, v->line, v->col,
                           "direction must be ltr (left to right) or rtl (right to left, e.g. Arabic), not '%s'",
                           v->raw ? v->raw : kind_word(v));
        } else if (!strcmp(key, "reviewed")) {
            if (v->kind != V_BOOL)
                diag_error(d, path, v->line, v->col,
                           "reviewed must be true (a native speaker has checked these strings) or false, without "
                           "quotes, not '%s'",
                           v->raw ? v->raw : kind_word(v));
            else
                l->reviewed = v->u.b;
        } else if (!strcmp(key, "strings")) {
            if (v->kind == V_MAP)
                load_strings(&L, v);
            else if (v->kind != V_NULL) /* "strings:" with nothing under it is an empty map */
                diag_error(d, path, v->line, v->col,
                           "strings must be a map of key: text, one per line and indented under strings:, not %s",
                           kind_word(v));
        } else {
            const char *near = diag_closest(key, top_keys, N_TOP_KEYS, 2);
            diag_error(d, path, kl, kc,
                       "unknown key '%s' in a locale file; %s%s%sa locale file has only name, direction, "
                       "reviewed and strings (interface texts go under strings:)",
                       key, near ? "did you mean '" : "", near ? near : "", near ? "'? " : "");
        }
    }
    if (L.n)
        qsort(L.entries, L.n, sizeof(Entry), entry_cmp);
    l->entries = L.entries;
    l->n_entries = L.n;
}

/* A tag ICU can read but whose language it does not know ("nll", "tu")
 * would silently get English plurals and dates: a warning with the closest
 * language ICU knows (ISO 639). */
static void language_known(Arena *a, const char *root, const char *tag, const char *icu_id, Diags *d)
{
    char lang[ULOC_LANG_CAPACITY];
    UErrorCode e = U_ZERO_ERROR;
    int32_t n = uloc_getLanguage(icu_id, lang, sizeof lang, &e);
    if (U_FAILURE(e) || n <= 0)
        return;
    const char *const *iso = uloc_getISOLanguages();
    size_t count = 0;
    for (; iso[count]; count++)
        if (!strcmp(iso[count], lang))
            return;
    const char *near = diag_closest(lang, (const char *const *)iso, count, 1);
    const char *file = path_join(a, root, "lobgen.yaml");
    if (near)
        diag_warn(d, file, 0, 0, "the language tag '%s' names no language ICU knows, so plurals and dates fall back to "
                  "English rules; did you mean '%s'?", tag, near);
    else
        diag_warn(d, file, 0, 0, "the language tag '%s' names no language ICU knows, so plurals and dates fall back to "
                  "English rules; use an ISO 639 language code such as nl, tr, ar or uk", tag);
}

Locale *locale_load(Arena *a, const char *root, const char *tag, Diags *d)
{
    Locale *l = arena_alloc(a, sizeof *l);
    pthread_mutex_init(&l->lock, NULL);
    l->reviewed = true;
    l->tag = arena_strdup(a, tag ? tag : "");
    if (!tag_is_safe(tag)) {
        diag_error(d, NULL, 0, 0,
                   "'%s' is not a language tag; use a BCP 47 tag such as nl, tr, ar or ar-MA", l->tag);
        l->icu_id = "";
        plural_setup(l);
        l->name = l->tag;
        return l;
    }
    char icu[ULOC_FULLNAME_CAPACITY];
    UErrorCode e = U_ZERO_ERROR;
    int32_t parsed = 0;
    uloc_forLanguageTag(tag, icu, sizeof icu, &parsed, &e);
    if (U_FAILURE(e) || parsed != (int32_t)strlen(tag) || !icu[0]) {
        diag_error(d, NULL, 0, 0,
                   "ICU cannot read the language tag '%s'; use a BCP 47 tag such as nl, tr, ar or ar-MA", tag);
        snprintf(icu, sizeof icu, "%s", tag);
    }
    l->icu_id = arena_strdup(a, icu);
    language_known(a, root, tag, l->icu_id, d);
    l->rtl = uloc_isRightToLeft(l->icu_id);
    plural_setup(l);

    const char *rel = arena_printf(a, "locales/%s.yaml", tag);
    const char *path = path_join(a, root, rel);
    bool own = true;
    if (!is_regular_file(path)) {
        own = false;
        path = NULL;
        char base[ULOC_LANG_CAPACITY];
        e = U_ZERO_ERROR;
        int32_t bn = uloc_getLanguage(l->icu_id, base, sizeof base, &e);
        if (U_SUCCESS(e) && bn > 0 && strcmp(base, l->icu_id) != 0) {
            const char *brel = arena_printf(a, "locales/%s.yaml", base);
            const char *bpath = path_join(a, root, brel);
            if (is_regular_file(bpath)) {
                rel = brel;
                path = bpath;
            }
        }
    }
    /* the same rule as content/ and templates/: a locale reached through a
     * symlink (the file or the locales/ folder) must stay in the project,
     * or a link to any readable file would be published */
    if (path && !scan_path_inside(path, path_is_here(root) ? "." : root)) {
        diag_error(d, path, 0, 0, "this locale file lies outside the project (through a symlink); copy it into locales/ instead");
        path = NULL;
    }
    if (path) {
        l->file = rel;
        load_file(a, l, path, own, d);
    } else {
        diag_error(d, rel, 0, 0,
                   "the language '%s' has no locale file (nor has its base language); create it with 'lobgen new language %s'",
                   tag, tag);
    }
    if (!l->name)
        l->name = icu_display_name(a, l->icu_id);
    if (!l->name)
        l->name = l->tag;
    return l;
}

void locale_free(Locale *l)
{
    if (!l)
        return;
    if (l->plural)
        uplrules_close(l->plural);
    if (l->num)
        unum_close(l->num);
    for (int s = 0; s < 2; s++)
        for (int t = 0; t < 2; t++)
            if (l->date[s][t])
                udat_close(l->date[s][t]);
    for (int s = 0; s < 2; s++)
        for (int t = 0; t < 2; t++) {
            for (size_t i = 0; i < l->cap_memo[s][t]; i++)
                free(l->memo[s][t][i].text);
            free(l->memo[s][t]);
            l->memo[s][t] = NULL;
            l->n_memo[s][t] = l->cap_memo[s][t] = 0;
        }
    l->plural = NULL;
    l->num = NULL;
    memset(l->date, 0, sizeof l->date);
    pthread_mutex_destroy(&l->lock);
}

/* ------------------------------------------------------------ accessors */

const char *locale_tag(const Locale *l) { return l->tag; }
const char *locale_file(const Locale *l) { return l->file; }
const char *locale_native_name(const Locale *l) { return l->name; }
bool locale_is_rtl(const Locale *l) { return l->rtl; }
bool locale_reviewed(const Locale *l) { return l->reviewed; }

static const Entry *find(const Locale *l, const char *key)
{
    if (!l || !key || !l->n_entries)
        return NULL;
    Entry probe = {.key = key};
    return bsearch(&probe, l->entries, l->n_entries, sizeof(Entry), entry_cmp);
}

const char *locale_string(const Locale *l, const Locale *fb, const char *key)
{
    const Entry *e = find(l, key);
    if (!e)
        e = find(fb, key);
    return e ? e->forms[PL_OTHER] : NULL;
}

const char *locale_plural_category(const Locale *l, long n)
{
    if (!l || !l->plural)
        return plural_names[PL_OTHER];
    UChar kw[32];
    char name[32];
    UErrorCode e = U_ZERO_ERROR;
    int32_t len = uplrules_select(l->plural, (double)n, kw, 32, &e);
    if (U_FAILURE(e) || len <= 0 || len >= 32)
        return plural_names[PL_OTHER];
    u_UCharsToChars(kw, name, len);
    name[len] = '\0';
    int i = plural_index(name);
    return plural_names[i >= 0 ? i : PL_OTHER];
}

void locale_plural(const Locale *l, const Locale *fb, const char *key, long n, Buf *out)
{
    /* The text, its plural category and its digits all come from the same
     * locale: Dutch fallback text gets Dutch plurals and Latin digits. */
    const Locale *src = l;
    const Entry *e = find(l, key);
    if (!e) {
        src = fb;
        e = find(fb, key);
    }
    if (!e)
        return; /* neither has the key: the caller's template names a key no locale defines */
    const char *s = e->forms[PL_OTHER];
    if (e->is_plural) {
        int ci = plural_index(locale_plural_category(src, n));
        if (ci >= 0 && e->forms[ci])
            s = e->forms[ci];
    }
    Buf num = BUF_INIT;
    locale_format_int(src, n, &num);
    locale_fill(out, s, "n", buf_cstr(&num), (const char *)NULL);
    buf_free(&num);
}

const char **locale_keys(Arena *a, const Locale *l, size_t *n)
{
    const char **keys = arena_alloc(a, (l->n_entries + 1) * sizeof *keys);
    for (size_t i = 0; i < l->n_entries; i++)
        keys[i] = l->entries[i].key;
    *n = l->n_entries;
    return keys;
}

const char **locale_missing_keys(Arena *a, const Locale *l, const Locale *source, size_t *n)
{
    size_t count = 0;
    size_t total = source ? source->n_entries : 0;
    const char **keys = arena_alloc(a, (total + 1) * sizeof *keys);
    /* source->entries is sorted with strcmp, so the result is too */
    for (size_t i = 0; i < total; i++)
        if (!find(l, source->entries[i].key))
            keys[count++] = arena_strdup(a, source->entries[i].key);
    *n = count;
    return keys;
}

/* -------------------------------------------------------------- numbers */

static void format_int(const Locale *l, long n, Buf *out);

void locale_format_int(const Locale *l, long n, Buf *out)
{
    if (!l || n < 0 || n > 9) {
        format_int(l, n, out);
        return;
    }
    Locale *m = (Locale *)l; /* the cache is not part of the locale's value */
    if (!atomic_load_explicit(&m->digits_ready, memory_order_acquire)) {
        char digit[10][16];
        bool fits = true;
        for (int d = 0; d <= 9; d++) {
            Buf o = BUF_INIT;
            format_int(l, d, &o);
            fits = fits && o.len < sizeof digit[d];
            if (fits)
                memcpy(digit[d], buf_cstr(&o), o.len + 1);
            buf_free(&o);
        }
        if (!fits) {
            format_int(l, n, out);
            return;
        }
        pthread_mutex_lock(&m->lock);
        if (!atomic_load_explicit(&m->digits_ready, memory_order_relaxed)) {
            memcpy(m->digit, digit, sizeof digit);
            atomic_store_explicit(&m->digits_ready, true, memory_order_release);
        }
        pthread_mutex_unlock(&m->lock);
    }
    buf_puts(out, m->digit[n]);
}

static void format_int(const Locale *l, long n, Buf *out)
{
    if (!l) {
        buf_printf(out, "%ld", n);
        return;
    }
    Locale *m = (Locale *)l; /* the cache is not part of the locale's value */
    UChar u[64];
    int32_t len = -1;
    pthread_mutex_lock(&m->lock);
    if (!m->num && !m->num_failed) {
        UErrorCode e = U_ZERO_ERROR;
        m->num = unum_open(UNUM_DECIMAL, NULL, 0, m->icu_id, NULL, &e);
        if (U_FAILURE(e)) {
            if (m->num)
                unum_close(m->num);
            m->num = NULL;
            m->num_failed = true;
        }
    }
    if (m->num) {
        UErrorCode e = U_ZERO_ERROR;
        len = unum_formatInt64(m->num, (int64_t)n, u, 64, NULL, &e);
        if (U_FAILURE(e) || len >= 64)
            len = -1;
    }
    pthread_mutex_unlock(&m->lock);
    if (len < 0)
        buf_printf(out, "%ld", n);
    else
        append_uchars(out, u, len);
}

/* ---------------------------------------------------------------- dates */

static UDateFormat *open_date_format(const Locale *l, DateStyle style, bool with_time)
{
    static const char *const skeletons[2][2] = {
        [DATE_LONG] = {"yMMMMEEEEd", "yMMMMEEEEdHm"},
        [DATE_SHORT] = {"yMMMd", "yMMMdHm"},
    };
    /* A school in the Netherlands dates its evenings in the Gregorian
     * calendar; a locale whose default is another calendar (fa, th) would
     * otherwise give a date no letter from school matches. */
    char loc[ULOC_FULLNAME_CAPACITY];
    UErrorCode e = U_ZERO_ERROR;
    snprintf(loc, sizeof loc, "%s", l->icu_id);
    uloc_setKeywordValue("calendar", "gregorian", loc, sizeof loc, &e);
    if (U_FAILURE(e))
        snprintf(loc, sizeof loc, "%s", l->icu_id);

    e = U_ZERO_ERROR;
    UDateTimePatternGenerator *g = udatpg_open(loc, &e);
    if (U_FAILURE(e)) {
        if (g)
            udatpg_close(g);
        return NULL;
    }
    UChar skel[32], pat[128];
    u_uastrcpy(skel, skeletons[style == DATE_SHORT][with_time]);
    int32_t plen = udatpg_getBestPattern(g, skel, -1, pat, 128, &e);
    udatpg_close(g);
    if (U_FAILURE(e) || plen >= 128)
        return NULL;
    static const UChar utc[] = {'U', 'T', 'C', 0};
    UDateFormat *f = udat_open(UDAT_PATTERN, UDAT_PATTERN, loc, utc, -1, pat, plen, &e);
    if (U_FAILURE(e)) {
        if (f)
            udat_close(f);
        return NULL;
    }
    return f;
}

static size_t memo_slot(int64_t secs, size_t cap)
{
    uint64_t h = (uint64_t)secs * UINT64_C(0x9E3779B97F4A7C15);
    return (size_t)(h >> 32) & (cap - 1);
}

/* The slot of secs in the memo, or an empty slot where it would go; NULL
 * when the memo has no table yet. Called with l->lock held. */
static const DateMemo *memo_find(const Locale *l, int si, int ti, int64_t secs)
{
    size_t cap = l->cap_memo[si][ti];
    if (!cap)
        return NULL;
    const DateMemo *t = l->memo[si][ti];
    for (size_t i = memo_slot(secs, cap);; i = (i + 1) & (cap - 1))
        if (!t[i].text || t[i].secs == secs)
            return &t[i];
}

static void memo_add(Locale *l, int si, int ti, int64_t secs, const char *text, size_t len)
{
    enum { MEMO_MAX = 1 << 16 }; /* dates a year of a large library uses; more are formatted each time */
    if (l->n_memo[si][ti] >= MEMO_MAX)
        return;
    if ((l->n_memo[si][ti] + 1) * 2 > l->cap_memo[si][ti]) {
        size_t old_cap = l->cap_memo[si][ti], cap = old_cap ? old_cap * 2 : 64;
        DateMemo *old = l->memo[si][ti], *t = xcalloc(cap, sizeof *t);
        for (size_t i = 0; i < old_cap; i++)
            if (old[i].text) {
                size_t k = memo_slot(old[i].secs, cap);
                while (t[k].text)
                    k = (k + 1) & (cap - 1);
                t[k] = old[i];
            }
        free(old);
        l->memo[si][ti] = t;
        l->cap_memo[si][ti] = cap;
    }
    DateMemo *slot = (DateMemo *)memo_find(l, si, ti, secs);
    char *copy = xmalloc(len + 1);
    memcpy(copy, text, len);
    copy[len] = '\0';
    *slot = (DateMemo){secs, copy, len};
    l->n_memo[si][ti]++;
}

void locale_format_date(const Locale *l, const Date *dt, DateStyle style, Buf *out)
{
    if (!dt || dt->y == 0)
        return;
    int si = style == DATE_SHORT, ti = dt->has_time ? 1 : 0;
    /* days since 1970 are exact and free of any time zone, so "12 March
     * 19:30" stays exactly that when formatted in UTC */
    int64_t days = date_days_from_civil(dt->y, dt->m, dt->d);
    int64_t secs = days * 86400 + (ti ? (int64_t)dt->hour * 3600 + (int64_t)dt->minute * 60 : 0);
    UDate when = (UDate)secs * 1000.0;

    UChar u[256];
    int32_t len = -1;
    UChar *big = NULL;
    if (l) {
        Locale *m = (Locale *)l; /* the caches are not part of the locale's value */
        pthread_mutex_lock(&m->lock);
        const DateMemo *hit = memo_find(m, si, ti, secs);
        if (hit && hit->text) {
            buf_append(out, hit->text, hit->len);
            pthread_mutex_unlock(&m->lock);
            return;
        }
        if (!m->date[si][ti] && !m->date_failed[si][ti]) {
            m->date[si][ti] = open_date_format(m, style, ti);
            m->date_failed[si][ti] = !m->date[si][ti];
        }
        UDateFormat *f = m->date[si][ti];
        if (f) {
            UErrorCode e = U_ZERO_ERROR;
            len = udat_format(f, when, u, 256, NULL, &e);
            if (e == U_BUFFER_OVERFLOW_ERROR) {
                big = xmalloc(((size_t)len + 1) * sizeof(UChar));
                e = U_ZERO_ERROR;
                len = udat_format(f, when, big, len + 1, NULL, &e);
            }
            if (U_FAILURE(e))
                len = -1;
        }
        if (len >= 0) {
            size_t at = out->len;
            append_uchars(out, big ? big : u, len);
            memo_add(m, si, ti, secs, out->data ? out->data + at : "", out->len - at);
        }
        pthread_mutex_unlock(&m->lock);
    }
    if (len < 0 && ti)
        buf_printf(out, "%04d-%02d-%02d %02d:%02d", dt->y, dt->m, dt->d, dt->hour, dt->minute);
    else if (len < 0)
        buf_printf(out, "%04d-%02d-%02d", dt->y, dt->m, dt->d);
    free(big);
}

/* ----------------------------------------------------------- placeholders */

void locale_fill(Buf *out, const char *s, ...)
{
    if (!s)
        return;
    const char *p = s;
    while (*p) {
        const char *open = strchr(p, '{');
        if (!open) {
            buf_puts(out, p);
            return;
        }
        buf_append(out, p, (size_t)(open - p));
        const char *name = open + 1;
        size_t nlen = strspn(name, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_");
        bool replaced = false;
        if (nlen > 0 && name[nlen] == '}') {
            va_list ap;
            va_start(ap, s);
            const char *k;
            while ((k = va_arg(ap, const char *)) != NULL) {
                const char *v = va_arg(ap, const char *);
                if (strlen(k) == nlen && !memcmp(k, name, nlen)) {
                    if (v)
                        buf_puts(out, v);
                    replaced = true;
                    break;
                }
            }
            va_end(ap);
        }
        if (replaced) {
            p = name + nlen + 1;
        } else {
            buf_putc(out, '{');
            p = name; /* the rest is ordinary text; a '{' inside it may still start a placeholder */
        }
    }
}
