#include "frontmatter.h"

#include "site.h"
#include "yamlload.h"

#include <xxhash.h>

#include <math.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

const char *const niveau_names[N_NIVEAUS] = {"bb", "kb", "gl", "tl"};

const char *const competentie_names[N_COMPETENTIES] = {
    "kwaliteitenreflectie", "motievenreflectie", "werkexploratie",
    "loopbaansturing",      "netwerken",         "verwachtingen",
};

enum {
    K_TITLE, K_SUMMARY, K_LEERJAAR, K_NIVEAU, K_COMPETENTIES, K_WEEK, K_DURATION,
    K_DATE, K_DEADLINE, K_PREPARES, K_FOLLOWS, K_DRAFT, K_TRANSLATION, K_ENCODING, K_RECORDING,
    N_KEYS
};

/* The example in each key's entry is what a message shows to say how to fix it. */
static const struct {
    const char *name;
    const char *example;
} keys[N_KEYS] = {
    [K_TITLE] = {"title", "title: Wie ben ik?"},
    [K_SUMMARY] = {"summary", "summary: Praat thuis over wat je goed kunt."},
    [K_LEERJAAR] = {"leerjaar", "leerjaar: [1, 2]"},
    [K_NIVEAU] = {"niveau", "niveau: [kb, gl]"},
    [K_COMPETENTIES] = {"competenties", "competenties: [kwaliteitenreflectie, netwerken]"},
    [K_WEEK] = {"week", "week: 12"},
    [K_DURATION] = {"duration", "duration: 20"},
    [K_DATE] = {"date", "date: 2026-03-12 19:30"},
    [K_DEADLINE] = {"deadline", "deadline: 2026-03-19"},
    [K_PREPARES] = {"prepares", "prepares: gesprekken/eerste-gesprek"},
    [K_FOLLOWS] = {"follows", "follows: thuisopdrachten/wie-ben-ik"},
    [K_DRAFT] = {"draft", "draft: true"},
    [K_TRANSLATION] = {"translation", "translation: {source: 3f2a9c01, reviewed: false}"},
    [K_ENCODING] = {"encoding", "encoding: windows-1252"},
    [K_RECORDING] = {"recording", "recording: {source: 3f2a9c01}"},
};

static const char *const translation_keys[] = {"source", "reviewed"};

typedef struct {
    Arena *a; /* the YAML tree and the messages' scratch: freed after the parse */
    const char *file;
    Diags *d;
} Ctx;

static void err(Ctx *c, int line, int col, const char *fmt, ...) __attribute__((format(printf, 4, 5)));
static void err(Ctx *c, int line, int col, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    diag_vadd(c->d, DIAG_ERROR, c->file, line, col, fmt, ap);
    va_end(ap);
}

/* ---- splitting the text ------------------------------------------------- */

typedef enum { SPLIT_OK, SPLIT_NO_OPEN, SPLIT_UNCLOSED } SplitStatus;

typedef struct {
    size_t start, end;  /* the YAML between the delimiter lines */
    size_t body;        /* offset of the body */
    int body_line;
    int last_line;      /* the file's last line, for "never closed" */
    int near_miss_line; /* a delimiter with trailing blanks, which is easy to miss */
} Split;

static bool only_blanks(const char *s, size_t n)
{
    for (size_t i = 0; i < n; i++)
        if (s[i] != ' ' && s[i] != '\t')
            return false;
    return true;
}

static SplitStatus split(const char *text, size_t len, Split *sp)
{
    memset(sp, 0, sizeof *sp);
    const char *end = text + len;
    const char *nl = memchr(text, '\n', len);
    size_t first_len = nl ? (size_t)(nl - text) : len;
    if (first_len < 3 || memcmp(text, "---", 3) != 0 || !only_blanks(text + 3, first_len - 3))
        return SPLIT_NO_OPEN;
    if (first_len != 3) {
        sp->near_miss_line = 1;
        return SPLIT_NO_OPEN;
    }
    if (!nl) {
        sp->last_line = 1;
        return SPLIT_UNCLOSED;
    }
    sp->start = first_len + 1;
    int line = 2;
    const char *p = text + sp->start;
    if (p == end) {
        sp->last_line = 1;
        return SPLIT_UNCLOSED;
    }
    while (p < end) {
        const char *e = memchr(p, '\n', (size_t)(end - p));
        size_t n = e ? (size_t)(e - p) : (size_t)(end - p);
        if (n == 3 && (!memcmp(p, "---", 3) || !memcmp(p, "...", 3))) {
            sp->end = (size_t)(p - text);
            sp->body = e ? (size_t)(e + 1 - text) : len;
            sp->body_line = line + 1;
            return SPLIT_OK;
        }
        if (n > 3 && (!memcmp(p, "---", 3) || !memcmp(p, "...", 3)) && only_blanks(p + 3, n - 3) &&
            !sp->near_miss_line)
            sp->near_miss_line = line;
        if (!e) {
            sp->last_line = line;
            return SPLIT_UNCLOSED;
        }
        p = e + 1;
        if (p < end)
            line++;
    }
    sp->last_line = line;
    return SPLIT_UNCLOSED;
}

bool frontmatter_span(const char *text, size_t len, size_t *start, size_t *end)
{
    Split sp;
    if (split(text, len, &sp) != SPLIT_OK)
        return false;
    *start = sp.start;
    *end = sp.end;
    return true;
}

/* ---- dates ---------------------------------------------------------------- */

static int digits(const char *s, int n)
{
    int v = 0;
    for (int i = 0; i < n; i++) {
        if (s[i] < '0' || s[i] > '9')
            return -1;
        v = v * 10 + (s[i] - '0');
    }
    return v;
}

/* ---- describing values in messages -------------------------------------- */

/* Long or multi-line values would drown the message; cut at a UTF-8 boundary. */
static const char *shown(Ctx *c, const char *s)
{
    size_t n = strcspn(s, "\n");
    bool cut = s[n] != '\0';
    if (n > 60) {
        n = 60;
        while (n > 0 && ((unsigned char)s[n] & 0xC0) == 0x80)
            n--;
        cut = true;
    }
    return arena_printf(c->a, "%.*s%s", (int)n, s, cut ? "…" : "");
}

static const char *found(Ctx *c, const Value *v)
{
    switch (v->kind) {
    case V_NULL: return "nothing";
    case V_BOOL: return v->u.b ? "the value true" : "the value false";
    case V_NUM: return arena_printf(c->a, "the number %s", v->raw ? v->raw : "?");
    case V_STR:
        if (v->u.str.len == 0)
            return "empty text";
        return arena_printf(c->a, "the text '%s'", shown(c, v->u.str.s));
    case V_LIST: return "a list";
    case V_MAP: return "a map of keys and values";
    }
    return "something else";
}

/* The text of a scalar as its author wrote it: a plain 12345678 is a number
 * to YAML but still the text the author meant for text-valued keys. */
static const char *scalar_text(const Value *v)
{
    if (v->kind == V_STR)
        return v->u.str.s;
    if (v->kind == V_NUM && v->raw)
        return v->raw;
    return NULL;
}

/* ---- did you mean --------------------------------------------------------- */

static const char *join(Ctx *c, const char *const *names, size_t n, const char *last_sep)
{
    Buf b = BUF_INIT;
    for (size_t i = 0; i < n; i++) {
        if (i)
            buf_puts(&b, i + 1 == n ? last_sep : ", ");
        buf_puts(&b, names[i]);
    }
    const char *s = arena_strdup(c->a, buf_cstr(&b));
    buf_free(&b);
    return s;
}

static const char *lowercased(Ctx *c, const char *s)
{
    char *t = arena_strdup(c->a, s);
    for (char *p = t; *p; p++)
        if (*p >= 'A' && *p <= 'Z')
            *p = (char)(*p - 'A' + 'a');
    return t;
}

/* ---- the keys ------------------------------------------------------------- */

/* Reads a whole number from a plain scalar, or explains what was expected. */
static bool get_int(Ctx *c, const Value *v, const char *expect, int *out)
{
    if (v->kind == V_NUM) {
        const char *raw = v->raw ? v->raw : "";
        if (v->u.n != floor(v->u.n) || strpbrk(raw, ".eE")) {
            err(c, v->line, v->col, "%s; found %s, which is not a whole number", expect, raw);
            return false;
        }
        if (fabs(v->u.n) > 1e9) {
            err(c, v->line, v->col, "%s; found %s", expect, raw);
            return false;
        }
        *out = (int)v->u.n;
        return true;
    }
    if (v->kind == V_STR && v->quoted) {
        const char *s = v->u.str.s;
        size_t k = (*s == '-' || *s == '+') ? 1 : 0;
        if (s[k] && strspn(s + k, "0123456789") == strlen(s + k)) {
            err(c, v->line, v->col, "%s; found \"%s\" in quotes, which is text: remove the quotes", expect, s);
            return false;
        }
    }
    err(c, v->line, v->col, "%s; found %s", expect, found(c, v));
    return false;
}

static void do_title(Ctx *c, const Value *v, Material *m)
{
    const char *s = scalar_text(v);
    if (!s) {
        err(c, v->line, v->col, "title must be text, like `%s`; found %s", keys[K_TITLE].example, found(c, v));
        return;
    }
    if (only_blanks(s, strlen(s))) {
        err(c, v->line, v->col, "title must not be empty; write the material's title, like `%s`",
            keys[K_TITLE].example);
        return;
    }
    m->title = s;
    m->title_line = v->line;
    m->title_col = v->col;
}

static const char *get_text(Ctx *c, const Value *v, const char *key, const char *example)
{
    const char *s = scalar_text(v);
    if (!s) {
        err(c, v->line, v->col, "%s must be text, like `%s`; found %s", key, example, found(c, v));
        return NULL;
    }
    return s;
}

/* Calls item() for a single value or for each item of a non-empty list. */
static void each_item(Ctx *c, const Value *v, const char *key, const char *example,
                      void (*item)(Ctx *, const Value *, void *), void *arg)
{
    if (v->kind != V_LIST) {
        item(c, v, arg);
        return;
    }
    if (v->u.list.len == 0) {
        err(c, v->line, v->col, "%s is an empty list; name at least one, like `%s`, or remove the key", key,
            example);
        return;
    }
    for (size_t i = 0; i < v->u.list.len; i++)
        item(c, v->u.list.items[i], arg);
}

#define LEERJAAR_EXPECT "leerjaar must be a number from 1 to 4 or a list of them, like `leerjaar: [1, 2]`"

static void leerjaar_item(Ctx *c, const Value *v, void *arg)
{
    unsigned *bits = arg;
    int n;
    if (v->kind == V_LIST || v->kind == V_MAP) {
        err(c, v->line, v->col, LEERJAAR_EXPECT "; found %s inside the list", found(c, v));
        return;
    }
    if (!get_int(c, v, LEERJAAR_EXPECT, &n))
        return;
    if (n < 1 || n > 4) {
        err(c, v->line, v->col, LEERJAAR_EXPECT "; found %d, which is not a leerjaar of the vmbo", n);
        return;
    }
    *bits |= 1u << n;
}

static void do_leerjaar(Ctx *c, const Value *v, Material *m)
{
    unsigned bits = 0;
    each_item(c, v, "leerjaar", keys[K_LEERJAAR].example, leerjaar_item, &bits);
    m->n_leerjaar = 0;
    for (int y = 1; y <= 4; y++)
        if (bits & (1u << y))
            m->leerjaar[m->n_leerjaar++] = y;
}

#define NIVEAU_EXPECT "niveau must be bb, kb, gl or tl, or a list of them, like `niveau: [kb, gl]`"

static void niveau_item(Ctx *c, const Value *v, void *arg)
{
    unsigned *bits = arg;
    if (v->kind != V_STR) {
        err(c, v->line, v->col, NIVEAU_EXPECT "; found %s", found(c, v));
        return;
    }
    const char *s = v->u.str.s;
    for (int i = 0; i < N_NIVEAUS; i++)
        if (!strcmp(s, niveau_names[i])) {
            *bits |= 1u << i;
            return;
        }
    const char *low = lowercased(c, s);
    for (int i = 0; i < N_NIVEAUS; i++)
        if (!strcmp(low, niveau_names[i])) {
            err(c, v->line, v->col, "niveau '%s' must be written in lowercase: '%s'", s, niveau_names[i]);
            return;
        }
    if (!strcmp(low, "gt")) {
        err(c, v->line, v->col, "niveau 'gt' is not one of bb, kb, gl, tl; for the gemengd-theoretische leerweg "
                                "write both, like `niveau: [gl, tl]`");
        return;
    }
    err(c, v->line, v->col, "niveau '%s' is not one of bb, kb, gl, tl; %s", shown(c, s),
        "use one of them or a list, like `niveau: [kb, gl]`, or remove the key for all niveaus");
}

static void do_niveau(Ctx *c, const Value *v, Material *m)
{
    unsigned bits = 0;
    each_item(c, v, "niveau", keys[K_NIVEAU].example, niveau_item, &bits);
    if (bits)
        m->niveau = bits;
}

static void competentie_item(Ctx *c, const Value *v, void *arg)
{
    unsigned *bits = arg;
    const char *all = join(c, competentie_names, N_COMPETENTIES, " or ");
    if (v->kind != V_STR) {
        err(c, v->line, v->col, "competenties must be one or a list of %s; found %s", all, found(c, v));
        return;
    }
    const char *s = v->u.str.s;
    for (int i = 0; i < N_COMPETENTIES; i++)
        if (!strcmp(s, competentie_names[i])) {
            *bits |= 1u << i;
            return;
        }
    /* The names are long compound words, so allow one more slip than for keys. */
    const char *near = diag_closest(lowercased(c, s), competentie_names, N_COMPETENTIES, 3);
    if (near)
        err(c, v->line, v->col, "'%s' is not a career competence; did you mean '%s'?", shown(c, s), near);
    else
        err(c, v->line, v->col, "'%s' is not a career competence; use %s", shown(c, s), all);
}

static void do_competenties(Ctx *c, const Value *v, Material *m)
{
    unsigned bits = 0;
    each_item(c, v, "competenties", keys[K_COMPETENTIES].example, competentie_item, &bits);
    m->competenties = bits;
}

static void do_range(Ctx *c, const Value *v, const char *expect, int lo, int hi, int *out)
{
    int n;
    if (!get_int(c, v, expect, &n))
        return;
    if (n < lo || n > hi) {
        err(c, v->line, v->col, "%s; found %d", expect, n);
        return;
    }
    *out = n;
}

static void do_date(Ctx *c, const Value *v, const char *key, const char *example, Date *out)
{
    const char *s = v->kind == V_STR ? v->u.str.s : NULL;
    if (!s) {
        err(c, v->line, v->col, "%s must be a date written as YYYY-MM-DD or \"YYYY-MM-DD HH:MM\", like `%s`; found %s",
            key, example, found(c, v));
        return;
    }
    Date dt = {0};
    switch (date_check(s, &dt)) {
    case DATE_OK:
        dt.line = v->line;
        dt.col = v->col;
        switch (date_amsterdam_dst(&dt)) {
        case DST_SKIPPED:
            err(c, v->line, v->col,
                "%s %s does not exist in Dutch time: that night the clocks go forward from 02:00 to 03:00; "
                "write 03:%02d (or a time before 02:00)", key, s, dt.minute);
            return;
        case DST_TWICE:
            diag_warn(c->d, c->file, v->line, v->col,
                      "%s %s happens twice in Dutch time: that night the clocks go back from 03:00 to 02:00; "
                      "calendars read it as the first time (summer time); choose another time to be clear", key, s);
            break;
        case DST_FINE:
            break;
        }
        *out = dt;
        return;
    case DATE_FORM:
        /* Dutch writes day-month-year; say how to turn it around. */
        if (strlen(s) == 10 && s[2] == '-' && s[5] == '-' && digits(s, 2) >= 0 && digits(s + 3, 2) >= 0 &&
            digits(s + 6, 4) >= 0) {
            err(c, v->line, v->col, "%s must be written year first, as YYYY-MM-DD: `%s: %.4s-%.2s-%.2s`", key, key,
                s + 6, s + 3, s);
            return;
        }
        err(c, v->line, v->col, "%s must be a date written as YYYY-MM-DD or \"YYYY-MM-DD HH:MM\", like `%s`; found %s",
            key, example, found(c, v));
        return;
    case DATE_YEAR:
        err(c, v->line, v->col, "%s %s has a year outside 1900-2200; check the year", key, s);
        return;
    case DATE_MONTH:
        err(c, v->line, v->col, "%s %s is not a real date: there is no month %.2s; write YYYY-MM-DD", key, s, s + 5);
        return;
    case DATE_DAY:
        err(c, v->line, v->col, "%s %.10s is not a real date: that month has %d days", key, s,
            date_days_in_month(digits(s, 4), digits(s + 5, 2)));
        return;
    case DATE_TIME:
        err(c, v->line, v->col, "%s %s has no such time of day; write the time as HH:MM from 00:00 to 23:59", key, s);
        return;
    }
}

typedef struct {
    const char *key;
    MaterialRef *refs;
    size_t n, cap;
} Refs;

static void ref_item(Ctx *c, const Value *v, void *arg)
{
    Refs *r = arg;
    const char *kinds = join(c, kind_names, KIND_COUNT, " or ");
    if (v->kind != V_STR) {
        err(c, v->line, v->col, "%s must name a material as kind/slug, like `gesprekken/eerste-gesprek`; found %s",
            r->key, found(c, v));
        return;
    }
    const char *s = v->u.str.s;
    const char *slash = strchr(s, '/');
    if (!slash) {
        err(c, v->line, v->col,
            "%s must name a material as kind/slug, like `gesprekken/eerste-gesprek`; '%s' has no kind: "
            "put %s and a '/' in front of it",
            r->key, shown(c, s), kinds);
        return;
    }
    size_t klen = (size_t)(slash - s);
    Kind k = kind_from_name(s, klen);
    if (k == KIND_COUNT) {
        const char *kind = arena_strndup(c->a, s, klen);
        const char *near = diag_closest(lowercased(c, kind), kind_names, KIND_COUNT, 3);
        if (near)
            err(c, v->line, v->col, "%s: '%s' is not a kind of material; did you mean '%s'?", r->key,
                shown(c, kind), near);
        else
            err(c, v->line, v->col, "%s: '%s' is not a kind of material; use %s, like `gesprekken/eerste-gesprek`",
                r->key, shown(c, kind), kinds);
        return;
    }
    const char *slug = slash + 1;
    size_t slen = strlen(slug);
    if (slen == 0) {
        err(c, v->line, v->col, "%s: the slug after '%s/' is missing; write the material's file name without "
                                "language and .md, like `%s/eerste-gesprek`",
            r->key, kind_names[k], kind_names[k]);
        return;
    }
    if (!scan_valid_slug(slug, slen)) {
        size_t stem = strcspn(slug, ".");
        const char *lower = lowercased(c, arena_strndup(c->a, slug, stem));
        if (stem > 0 && scan_valid_slug(lower, strlen(lower)))
            err(c, v->line, v->col,
                "%s: '%s' is not a valid slug (lowercase letters, digits and single hyphens); did you mean '%s/%s'?",
                r->key, shown(c, slug), kind_names[k], lower);
        else
            err(c, v->line, v->col,
                "%s: '%s' is not a valid slug; use lowercase letters, digits and single hyphens, like "
                "'eerste-gesprek'",
                r->key, shown(c, slug));
        return;
    }
    ARENA_GROW(c->a, r->refs, r->n, r->n + 1, r->cap);
    r->refs[r->n++] = (MaterialRef){.kind = k, .slug = slug, .line = v->line, .col = v->col};
}

static void do_refs(Ctx *c, const Value *v, int key, MaterialRef **out, size_t *n_out)
{
    Refs r = {.key = keys[key].name};
    each_item(c, v, keys[key].name, keys[key].example, ref_item, &r);
    *out = r.refs;
    *n_out = r.n;
}

static void do_draft(Ctx *c, const Value *v, Material *m)
{
    if (v->kind != V_BOOL) {
        err(c, v->line, v->col, "draft must be true or false, like `draft: true`; found %s", found(c, v));
        return;
    }
    m->draft = v->u.b;
}

static bool is_fingerprint(const char *s)
{
    size_t n = strlen(s);
    return n >= 8 && n <= 64 && strspn(s, "0123456789abcdef") == n;
}

static void do_translation(Ctx *c, const Value *v, Material *m)
{
    m->is_translation = true;
    if (v->kind != V_MAP) {
        err(c, v->line, v->col,
            "translation must be a block: a line 'translation:' with 'reviewed: false' (and the 'source:' "
            "that lobgen status --mark-current writes) indented below it; found %s",
            found(c, v));
        return;
    }
    for (size_t i = 0; i < v->u.map.len; i++) {
        const char *k = v->u.map.keys[i];
        const Value *sv = v->u.map.vals[i];
        int kl = v->u.map.key_lines[i], kc = v->u.map.key_cols[i];
        if (!strcmp(k, "source")) {
            const char *s = scalar_text(sv);
            int line = sv->kind == V_NULL ? kl : sv->line, col = sv->kind == V_NULL ? kc : sv->col;
            if (s && !is_fingerprint(s) && is_fingerprint(lowercased(c, s))) {
                err(c, line, col, "translation.source must be written in lowercase: '%s'", lowercased(c, s));
                continue;
            }
            if (!s || !is_fingerprint(s)) {
                err(c, line, col,
                    "translation.source must be the fingerprint of the Dutch text this translation was made from: "
                    "8 to 64 lowercase hex characters (0-9, a-f); found %s",
                    found(c, sv));
                continue;
            }
            m->tr_source = s;
            m->tr_source_line = sv->line;
            m->tr_source_col = sv->col;
        } else if (!strcmp(k, "reviewed")) {
            if (sv->kind != V_BOOL) {
                err(c, sv->kind == V_NULL ? kl : sv->line, sv->kind == V_NULL ? kc : sv->col,
                    "translation.reviewed must be true or false, like `reviewed: true`; found %s", found(c, sv));
                continue;
            }
            m->tr_reviewed = sv->u.b;
        } else {
            const char *near = diag_closest(lowercased(c, k), translation_keys, 2, 2);
            if (near)
                err(c, kl, kc, "translation has no key '%s'; did you mean '%s'?", shown(c, k), near);
            else
                err(c, kl, kc, "translation has no key '%s'; it takes only source and reviewed", shown(c, k));
        }
    }
}

/* recording.source: the fingerprint of this file's text when its recording
 * (<slug>.<lang>.opus beside it) was made; see audio.h. */
static void do_recording(Ctx *c, const Value *v, Material *m)
{
    if (v->kind != V_MAP) {
        err(c, v->line, v->col, "recording must be a map with source, like `%s`; found %s", keys[K_RECORDING].example,
            found(c, v));
        return;
    }
    for (size_t i = 0; i < v->u.map.len; i++) {
        const char *k = v->u.map.keys[i];
        const Value *sv = v->u.map.vals[i];
        int kl = v->u.map.key_lines[i], kc = v->u.map.key_cols[i];
        if (strcmp(k, "source")) {
            err(c, kl, kc, "recording has no key '%s'; it takes only source", shown(c, k));
            continue;
        }
        const char *s = scalar_text(sv);
        if (!s || !is_fingerprint(s)) {
            err(c, sv->kind == V_NULL ? kl : sv->line, sv->kind == V_NULL ? kc : sv->col,
                "recording.source must be the fingerprint of this file's text when the recording was made "
                "(lobgen fingerprint FILE prints it): 8 to 64 lowercase hex characters; found %s",
                found(c, sv));
            continue;
        }
        m->rec_source = s;
    }
}

static void unknown_key(Ctx *c, const char *k, int line, int col)
{
    if (!strncmp(k, "translation.", 12)) {
        err(c, line, col, "'%s' must be written as a map: a line `translation:` with `  %s: ...` indented below it",
            shown(c, k), shown(c, k + 12));
        return;
    }
    const char *names[N_KEYS];
    for (int i = 0; i < N_KEYS; i++)
        names[i] = keys[i].name;
    const char *near = diag_closest(lowercased(c, k), names, N_KEYS, 2);
    if (near)
        err(c, line, col, "unknown key '%s'; did you mean '%s'?", shown(c, k), near);
    else
        err(c, line, col, "unknown key '%s'; the front matter takes only %s", shown(c, k),
            join(c, names, N_KEYS, " and "));
}

static void do_key(Ctx *c, int key, const Value *v, int kl, int kc, Material *m)
{
    if (v->kind == V_NULL) {
        /* An empty value has no position of its own worth showing: point at the key. */
        if (key == K_TITLE)
            err(c, kl, kc, "title must not be empty; write the material's title, like `%s`", keys[key].example);
        else
            err(c, kl, kc, "%s has no value; write one, like `%s`, or remove the line", keys[key].name,
                keys[key].example);
        return;
    }
    switch (key) {
    case K_TITLE: do_title(c, v, m); break;
    case K_SUMMARY:
        m->summary = get_text(c, v, "summary", keys[key].example);
        m->summary_line = v->line;
        m->summary_col = v->col;
        break;
    case K_LEERJAAR: do_leerjaar(c, v, m); break;
    case K_NIVEAU: do_niveau(c, v, m); break;
    case K_COMPETENTIES: do_competenties(c, v, m); break;
    case K_WEEK: do_range(c, v, "week must be a school-year week from 1 to 52, like `week: 12`", 1, 52, &m->week); break;
    case K_DURATION:
        do_range(c, v, "duration must be a number of minutes from 1 to 600, like `duration: 20`", 1, 600,
                 &m->duration);
        break;
    case K_DATE: do_date(c, v, "date", keys[key].example, &m->date); break;
    case K_DEADLINE: do_date(c, v, "deadline", keys[key].example, &m->deadline); break;
    case K_PREPARES: do_refs(c, v, key, &m->prepares, &m->n_prepares); break;
    case K_FOLLOWS: do_refs(c, v, key, &m->follows, &m->n_follows); break;
    case K_DRAFT: do_draft(c, v, m); break;
    case K_TRANSLATION: do_translation(c, v, m); break;
    case K_RECORDING: do_recording(c, v, m); break;
    case K_ENCODING: {
        const char *s = get_text(c, v, "encoding", keys[key].example);
        if (s && !*s)
            err(c, v->line, v->col, "encoding must not be empty; write one, like `%s`, or remove the line",
                keys[key].example);
        else
            m->encoding = s;
        break;
    }
    }
}

/* The strings out keeps, moved from the parse's scratch arena into a: a
 * pointer field added to Material that the parse fills must be copied here. */
static void keep_strings(Arena *a, Material *m)
{
#define KEEP(f) (f) = (f) ? arena_strdup(a, (f)) : NULL
    KEEP(m->title);
    KEEP(m->summary);
    KEEP(m->tr_source);
    KEEP(m->encoding);
    KEEP(m->rec_source);
#undef KEEP
    MaterialRef **lists[2] = {&m->prepares, &m->follows};
    size_t ns[2] = {m->n_prepares, m->n_follows};
    for (int k = 0; k < 2; k++) {
        if (!*lists[k])
            continue;
        MaterialRef *r = arena_alloc(a, (ns[k] + 1) * sizeof *r);
        for (size_t i = 0; i < ns[k]; i++) {
            r[i] = (*lists[k])[i];
            r[i].slug = arena_strdup(a, r[i].slug);
        }
        *lists[k] = r;
    }
}

static bool parse(Ctx *c, const SourceFile *src, const char *text, size_t len, Material *out, Diags *d);

bool frontmatter_parse(Arena *a, const SourceFile *src, const char *text, size_t len, Material *out, Diags *d)
{
    /* the tree of a few keys would otherwise stay for the whole build,
     * once per file */
    Ctx c = {.a = arena_new(), .file = src ? src->abs : NULL, .d = d};
    bool ok = parse(&c, src, text, len, out, d);
    keep_strings(a, out);
    arena_free(c.a);
    out->body_at = (size_t)(out->body - text);
    out->body_hash = XXH3_64bits(out->body, out->body_len);
    if (!src || src->lang_index == 0)
        site_fingerprint(out->title ? out->title : "", out->body, out->fingerprint);
    return ok;
}

static bool parse(Ctx *c, const SourceFile *src, const char *text, size_t len, Material *out, Diags *d)
{
    size_t errors_before = diags_count(d, DIAG_ERROR);
    memset(out, 0, sizeof *out);
    out->src = src;
    out->niveau = NIVEAU_ALL;
    out->body = text + len;
    out->body_len = 0;
    out->body_line = 1;

    Split sp;
    switch (split(text, len, &sp)) {
    case SPLIT_NO_OPEN:
        if (sp.near_miss_line)
            err(c, 1, 4, "the first line must be exactly '---'; remove the spaces after it");
        else
            err(c, 1, 1, "a material must start with a line '---', then its front matter (like `title: ...` and "
                          "`leerjaar: 1`), then a line '---' before the text; add them at the top of the file");
        return false;
    case SPLIT_UNCLOSED:
        if (sp.near_miss_line)
            err(c, sp.near_miss_line, 4,
                "the front matter opened by '---' on line 1 is never closed: this line looks like the closing "
                "'---' but has spaces after it; remove them");
        else
            err(c, sp.last_line, 1,
                "the front matter opened by '---' on line 1 is never closed; add a line '---' after its last key, "
                "before the text");
        return false;
    case SPLIT_OK: break;
    }
    out->body = text + sp.body;
    out->body_len = len - sp.body;
    out->body_line = sp.body_line;

    Value *root = yaml_parse(c->a, text + sp.start, sp.end - sp.start, c->file, 2, d);
    if (!root)
        return false;
    if (root->kind != V_MAP) {
        err(c, root->line, root->col, "the front matter must be keys with values, like `title: ...` on one line "
                                      "and `leerjaar: 1` on the next; found %s", found(c, root));
        return false;
    }

    bool seen[N_KEYS] = {false};
    for (size_t i = 0; i < root->u.map.len; i++) {
        const char *k = root->u.map.keys[i];
        int kl = root->u.map.key_lines[i], kc = root->u.map.key_cols[i];
        int key = -1;
        for (int j = 0; j < N_KEYS; j++)
            if (!strcmp(k, keys[j].name))
                key = j;
        if (key < 0) {
            unknown_key(c, k, kl, kc);
            continue;
        }
        seen[key] = true;
        do_key(c, key, root->u.map.vals[i], kl, kc, out);
    }
    /* A file named as a translation (x.tr.md) takes its place in the year
     * from its original: say so about the translation: block it lacks,
     * not about a leerjaar only the original may set. */
    bool named_translation = src && src->lang_index != 0;
    if (named_translation && !out->is_translation)
        err(c, 1, 1,
            "this file is named as a translation (.%s.md) but has no translation: block; add a line "
            "'translation:' to the front matter with '  reviewed: false' below it, then, once the text matches "
            "the Dutch, run 'lobgen status --mark-current %s' to record its source (lobgen new translation "
            "writes the block for you)",
            src->lang, src->abs);
    if (named_translation)
        for (size_t i = 0; i < root->u.map.len; i++) {
            const char *k = root->u.map.keys[i];
            static const char *const source_only[] = {"leerjaar", "niveau", "competenties", "week", "duration",
                                                      "date", "deadline", "prepares", "follows"};
            for (size_t j = 0; j < sizeof source_only / sizeof *source_only; j++)
                if (!strcmp(k, source_only[j]))
                    diag_warn(d, c->file, root->u.map.key_lines[i], root->u.map.key_cols[i],
                              "%s is taken from the original, not from a translation; this value is ignored, "
                              "so remove the line (change it in the original if it is wrong)", k);
        }
    if (!seen[K_TITLE])
        err(c, 1, 1, "the front matter has no title; add a line like `%s`", keys[K_TITLE].example);
    /* a translation takes its place in the year from its original */
    if (!seen[K_LEERJAAR] && !out->is_translation && !named_translation)
        err(c, 1, 1, "the front matter has no leerjaar; add a line like `leerjaar: 2` or `%s`",
            keys[K_LEERJAAR].example);

    return diags_count(d, DIAG_ERROR) == errors_before;
}
