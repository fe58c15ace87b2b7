#include "incremental.h"

#include "buf.h"
#include "cachefile.h"

#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <xxhash.h>

#define MANIFEST_MAGIC "lobgen-manifest 2"
#define NO_UNIT ((size_t)-1)

/* A set of template names looked up in one scope, and the identity of
 * what they resolved to when it was made (old sets) or now (new sets). */
typedef struct {
    char *lang;
    int leerjaar;
    char **names;
    size_t n;
    uint64_t id[2];
    bool valid; /* old sets: the names resolve to the same files now */
} TSet;

typedef struct {
    char *rel;
    IncrKey key;
    size_t set;
    size_t unit; /* NO_UNIT, or the unit it belongs to */
    WriterFileId fid;
} Entry;

/* A unit (incremental.h): its input key, the template sets its Markdown
 * used, the warnings its render gave; old units also list their files. */
typedef struct {
    char *name;
    IncrKey key;
    size_t *sets;
    size_t n_sets, cap_sets;
    Diag *warn;
    size_t n_warn, cap_warn;
    size_t *entries; /* old: indices into Incremental.old */
    size_t n_entries;
    bool broken; /* this build's: a file of it could not be noted, so it is not saved */
} Unit;

/* rel -> entry index, open addressing; or a set's canonical text -> set index */
typedef struct {
    size_t *slot; /* index + 1, 0 = empty */
    size_t cap;   /* a power of 2 */
} Table;

struct Incremental {
    const Templates *tpl;
    uint64_t exe[2]; /* the identity of this lobgen binary */
    /* the previous build's manifest */
    TSet *old_sets;
    size_t n_old_sets;
    Entry *old;
    size_t n_old;
    Table old_index;
    Unit *old_units;
    size_t n_old_units;
    Table old_unit_index;
    size_t *set_map; /* [n_old_sets]: its index in this build's sets + 1, 0 = not yet */
    /* this build's */
    pthread_mutex_t lock;
    TSet *sets;
    char **set_text; /* canonical text of sets[i], for interning */
    size_t n_sets, cap_sets, cap_text;
    Table set_index;
    Entry *cur;
    size_t n_cur, cap_cur;
    Unit *units;
    size_t n_units, cap_units;
    Table unit_index;
    size_t reused, rendered;
};

/* The unit this thread's pages belong to (incr_unit_begin). */
static _Thread_local size_t cur_unit = NO_UNIT;

/* ---- tables ------------------------------------------------------------------- */

static uint64_t str_hash(const char *s) { return XXH3_64bits(s, strlen(s)); }

static void table_init(Table *t, size_t n)
{
    t->cap = 16;
    while (t->cap < 2 * n + 2)
        t->cap *= 2;
    t->slot = xcalloc(t->cap, sizeof(size_t));
}

/* The slot for s: holding its index + 1, or 0 (where to put it). */
static size_t *table_find(const Table *t, const char *s, char *(*name_of)(const void *, size_t), const void *ctx)
{
    size_t i = (size_t)str_hash(s) & (t->cap - 1);
    while (t->slot[i] && strcmp(name_of(ctx, t->slot[i] - 1), s))
        i = (i + 1) & (t->cap - 1);
    return &t->slot[i];
}

static char *entry_rel(const void *ctx, size_t i) { return ((const Entry *)ctx)[i].rel; }
static char *unit_name(const void *ctx, size_t i) { return ((const Unit *)ctx)[i].name; }
static char *set_text_of(const void *ctx, size_t i) { return ((char *const *)ctx)[i]; }

/* ---- template sets ------------------------------------------------------------- */

static void set_identity(const Templates *tpl, const char *lang, int leerjaar, char *const *names, size_t n,
                         uint64_t id[2])
{
    XXH3_state_t *h = XXH3_createState();
    XXH3_128bits_reset(h);
    for (size_t i = 0; i < n; i++) {
        uint64_t one[2];
        templates_identity(tpl, names[i], lang, leerjaar, one);
        XXH3_128bits_update(h, names[i], strlen(names[i]) + 1);
        XXH3_128bits_update(h, one, sizeof one);
    }
    XXH128_hash_t r = XXH3_128bits_digest(h);
    XXH3_freeState(h);
    id[0] = r.low64;
    id[1] = r.high64;
}

static bool plain_field(const char *s) { return !strpbrk(s, "\t\n"); }

/* Intern a set (lang, leerjaar, names in a canonical order); the caller
 * holds inc->lock. Returns its index, or (size_t)-1 when it cannot be
 * written to the manifest. */
static size_t intern_set(Incremental *inc, const char *lang, int leerjaar, char *const *names, size_t n)
{
    if (!plain_field(lang))
        return (size_t)-1;
    char **sorted = xcalloc(n + 1, sizeof(char *));
    if (n)
        memcpy(sorted, names, n * sizeof(char *));
    for (size_t i = 1; i < n; i++) /* insertion sort: a handful of names */
        for (size_t j = i; j > 0 && strcmp(sorted[j - 1], sorted[j]) > 0; j--) {
            char *t = sorted[j];
            sorted[j] = sorted[j - 1];
            sorted[j - 1] = t;
        }
    Buf text = BUF_INIT;
    buf_printf(&text, "%s\t%d", lang, leerjaar);
    for (size_t i = 0; i < n; i++) {
        if (!plain_field(sorted[i]) || !sorted[i][0]) {
            free(sorted);
            buf_free(&text);
            return (size_t)-1;
        }
        buf_printf(&text, "\t%s", sorted[i]);
    }
    size_t *slot = table_find(&inc->set_index, text.data, set_text_of, inc->set_text);
    if (*slot) {
        free(sorted);
        buf_free(&text);
        return *slot - 1;
    }
    if (2 * (inc->n_sets + 1) >= inc->set_index.cap) {
        free(inc->set_index.slot);
        table_init(&inc->set_index, 2 * (inc->n_sets + 1));
        for (size_t i = 0; i < inc->n_sets; i++)
            *table_find(&inc->set_index, inc->set_text[i], set_text_of, inc->set_text) = i + 1;
        slot = table_find(&inc->set_index, text.data, set_text_of, inc->set_text);
    }
    ALLOC_GROW(inc->sets, inc->n_sets + 1, inc->cap_sets);
    ALLOC_GROW(inc->set_text, inc->n_sets + 1, inc->cap_text);
    TSet *s = &inc->sets[inc->n_sets];
    *s = (TSet){.lang = xstrdup(lang), .leerjaar = leerjaar, .names = sorted, .n = n, .valid = true};
    for (size_t i = 0; i < n; i++)
        s->names[i] = xstrdup(sorted[i]);
    set_identity(inc->tpl, lang, leerjaar, s->names, n, s->id);
    inc->set_text[inc->n_sets] = buf_detach(&text);
    *slot = inc->n_sets + 1;
    return inc->n_sets++;
}

static void free_sets(TSet *s, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        for (size_t k = 0; k < s[i].n; k++)
            free(s[i].names[k]);
        free(s[i].names);
        free(s[i].lang);
    }
    free(s);
}

static void free_units(Unit *u, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        free(u[i].name);
        free(u[i].sets);
        for (size_t k = 0; k < u[i].n_warn; k++) {
            free(u[i].warn[k].file);
            free(u[i].warn[k].msg);
        }
        free(u[i].warn);
        free(u[i].entries);
    }
    free(u);
}

/* A warning's file and message on one manifest line: backslash, tab and
 * newline escaped; a file of NULL is "-", any other starts with "=". */
static void put_escaped(Buf *o, const char *s)
{
    for (; *s; s++)
        if (*s == '\\')
            buf_puts(o, "\\\\");
        else if (*s == '\t')
            buf_puts(o, "\\t");
        else if (*s == '\n')
            buf_puts(o, "\\n");
        else
            buf_putc(o, *s);
}

/* The text put_escaped wrote, malloc'ed; NULL when it is not such text. */
static char *unescape(const char *s)
{
    Buf o = BUF_INIT;
    for (; *s; s++) {
        if (*s != '\\') {
            buf_putc(&o, *s);
            continue;
        }
        s++;
        if (*s == '\\')
            buf_putc(&o, '\\');
        else if (*s == 't')
            buf_putc(&o, '\t');
        else if (*s == 'n')
            buf_putc(&o, '\n');
        else {
            buf_free(&o);
            return NULL;
        }
    }
    buf_cstr(&o);
    char *r = buf_detach(&o);
    return r ? r : xstrdup("");
}

/* ---- reading the manifest --------------------------------------------------- */

static char *manifest_path(const char *out_dir, const char *suffix)
{
    Buf o = BUF_INIT;
    buf_puts(&o, out_dir);
    while (o.len > 1 && o.data[o.len - 1] == '/')
        o.data[--o.len] = '\0';
    const char *slash = strrchr(o.data, '/');
    Buf b = BUF_INIT;
    if (slash) {
        buf_append(&b, o.data, (size_t)(slash - o.data) + 1);
        buf_printf(&b, ".%s.lobgen-manifest%s", slash + 1, suffix);
    } else {
        buf_printf(&b, ".%s.lobgen-manifest%s", o.data, suffix);
    }
    buf_free(&o);
    return buf_detach(&b);
}

/* The manifest has a line per published file (hundreds of thousands on a
 * large site): its numbers are read and written by hand, not by strtoull
 * and printf. */
static bool parse_hex128(const char *s, uint64_t v[2])
{
    uint64_t w[2] = {0, 0};
    for (int i = 0; i < 32; i++) {
        char c = s[i];
        unsigned d = c >= '0' && c <= '9' ? (unsigned)(c - '0') : c >= 'a' && c <= 'f' ? (unsigned)(c - 'a' + 10) : 16;
        if (d == 16)
            return false;
        w[i / 16] = w[i / 16] << 4 | d;
    }
    if (s[32])
        return false;
    v[1] = w[0];
    v[0] = w[1];
    return true;
}

static bool parse_num(const char *s, unsigned long long *v)
{
    unsigned long long r = 0;
    size_t n = 0;
    for (; s[n] >= '0' && s[n] <= '9'; n++)
        r = r * 10 + (unsigned long long)(s[n] - '0');
    if (!n || s[n] || n > 19)
        return false;
    *v = r;
    return true;
}

static void put_hex128(Buf *o, uint64_t hi, uint64_t lo)
{
    static const char digits[] = "0123456789abcdef";
    char t[32];
    for (int i = 15; i >= 0; i--, hi >>= 4, lo >>= 4) {
        t[i] = digits[hi & 15];
        t[16 + i] = digits[lo & 15];
    }
    buf_append(o, t, 32);
}

static void put_num(Buf *o, unsigned long long v)
{
    char t[24];
    int i = 24;
    do
        t[--i] = (char)('0' + v % 10);
    while (v /= 10);
    buf_append(o, t + i, (size_t)(24 - i));
}

/* Split line at tabs into at most max fields (the last keeps the rest of
 * the line); returns how many. */
static size_t split_tabs(char *line, char **f, size_t max)
{
    size_t n = 0;
    while (n < max) {
        f[n++] = line;
        char *t = strchr(line, '\t');
        if (!t || n == max) /* the last field keeps its tabs */
            break;
        *t = '\0';
        line = t + 1;
    }
    return n;
}

/* Parse text (NUL-terminated, modified) into inc's old sets and entries;
 * false when anything is not as written by incr_save. */
static bool parse_manifest(Incremental *inc, char *text, size_t len)
{
    /* the last line: "E\t<xxh64 of everything before it>" */
    if (len < 2 || text[len - 1] != '\n')
        return false;
    text[len - 1] = '\0';
    char *last = strrchr(text, '\n');
    if (!last)
        return false;
    char want[32];
    snprintf(want, sizeof want, "E\t%016" PRIx64, XXH3_64bits(text, (size_t)(last - text) + 1));
    *last = '\0';
    if (strcmp(last + 1, want))
        return false;
    char *line = text;
    char *nl = strchr(line, '\n');
    if (!nl)
        return false;
    *nl = '\0';
    char head[128];
    snprintf(head, sizeof head, "%s %016" PRIx64 "%016" PRIx64, MANIFEST_MAGIC, inc->exe[1], inc->exe[0]);
    if (strcmp(line, head) || !inc->exe[1])
        return false;
    size_t cap_sets = 0, cap = 0, cap_units = 0;
    for (line = nl + 1; line < last; line = nl + 1) {
        nl = strchr(line, '\n');
        if (!nl)
            nl = last;
        *nl = '\0';
        char *f[10];
        if (line[0] == 'S') {
            /* S lang leerjaar id n name... */
            char *rest = line;
            size_t nf = split_tabs(rest, f, 5);
            unsigned long long lj, n;
            uint64_t id[2];
            if (nf != 5 || strcmp(f[0], "S") || !parse_num(f[2], &lj) || !parse_hex128(f[3], id))
                return false;
            char *nums = f[4];
            char *names = strchr(nums, '\t');
            if (names)
                *names++ = '\0';
            if (!parse_num(nums, &n) || n > 4096 || (n > 0) != (names != NULL))
                return false;
            ALLOC_GROW(inc->old_sets, inc->n_old_sets + 1, cap_sets);
            TSet *s = &inc->old_sets[inc->n_old_sets++];
            *s = (TSet){.lang = xstrdup(f[1]), .leerjaar = (int)lj, .names = xcalloc(n + 1, sizeof(char *))};
            for (char *p = names; s->n < n; s->n++) {
                if (!p)
                    return false;
                char *t = strchr(p, '\t');
                if (t)
                    *t = '\0';
                s->names[s->n] = xstrdup(p);
                p = t ? t + 1 : NULL;
            }
            s->id[0] = id[0];
            s->id[1] = id[1];
        } else if (line[0] == 'U') {
            /* U key n set... name */
            size_t nf = split_tabs(line, f, 4);
            uint64_t key[2];
            unsigned long long n;
            if (nf != 4 || strcmp(f[0], "U") || !parse_hex128(f[1], key) || !parse_num(f[2], &n) || n > 4096)
                return false;
            ALLOC_GROW(inc->old_units, inc->n_old_units + 1, cap_units);
            Unit *u = &inc->old_units[inc->n_old_units++];
            *u = (Unit){.key = {key[0], key[1]}, .sets = xcalloc(n + 1, sizeof(size_t))};
            char *p = f[3];
            for (; u->n_sets < n; u->n_sets++) {
                char *t = strchr(p, '\t');
                unsigned long long v;
                if (!t)
                    return false;
                *t = '\0';
                if (!parse_num(p, &v) || v >= inc->n_old_sets)
                    return false;
                u->sets[u->n_sets] = (size_t)v;
                p = t + 1;
            }
            if (!*p || strchr(p, '\t'))
                return false;
            u->name = xstrdup(p);
        } else if (line[0] == 'W') {
            /* W level line col file msg: a warning of the unit before */
            size_t nf = split_tabs(line, f, 6);
            unsigned long long v[3];
            if (nf != 6 || strcmp(f[0], "W") || !inc->n_old_units)
                return false;
            for (int k = 0; k < 3; k++)
                if (!parse_num(f[1 + k], &v[k]) || v[k] > 1u << 30)
                    return false;
            if (strcmp(f[4], "-") && f[4][0] != '=')
                return false;
            Unit *u = &inc->old_units[inc->n_old_units - 1];
            char *file = strcmp(f[4], "-") ? unescape(f[4] + 1) : NULL, *msg = unescape(f[5]);
            ALLOC_GROW(u->warn, u->n_warn + 1, u->cap_warn);
            u->warn[u->n_warn++] = (Diag){(DiagLevel)(v[0] ? DIAG_WARNING : DIAG_ERROR), file, (int)v[1], (int)v[2], msg};
            if (!msg || (strcmp(f[4], "-") && !file) || v[0] != 1)
                return false;
        } else if (line[0] == 'F') {
            /* F key set unit dev ino size mtime_s mtime_ns rel */
            size_t nf = split_tabs(line, f, 10);
            unsigned long long v[7];
            uint64_t key[2];
            if (nf != 10 || strcmp(f[0], "F") || !parse_hex128(f[1], key))
                return false;
            for (int k = 0; k < 7; k++)
                if (!parse_num(f[2 + k], &v[k]))
                    return false;
            if (v[0] >= inc->n_old_sets || v[1] > inc->n_old_units || !f[9][0])
                return false;
            ALLOC_GROW(inc->old, inc->n_old + 1, cap);
            inc->old[inc->n_old++] = (Entry){xstrdup(f[9]), {key[0], key[1]}, (size_t)v[0],
                                             v[1] ? (size_t)v[1] - 1 : NO_UNIT,
                                             {v[2], v[3], v[4], (long long)v[5], (long)v[6]}};
        } else {
            return false;
        }
    }
    table_init(&inc->old_index, inc->n_old);
    for (size_t i = 0; i < inc->n_old; i++) {
        size_t *slot = table_find(&inc->old_index, inc->old[i].rel, entry_rel, inc->old);
        if (*slot)
            return false; /* a name twice: not a manifest incr_save wrote */
        *slot = i + 1;
    }
    table_init(&inc->old_unit_index, inc->n_old_units);
    for (size_t i = 0; i < inc->n_old_units; i++) {
        size_t *slot = table_find(&inc->old_unit_index, inc->old_units[i].name, unit_name, inc->old_units);
        if (*slot)
            return false;
        *slot = i + 1;
    }
    /* each unit's files */
    for (size_t i = 0; i < inc->n_old; i++)
        if (inc->old[i].unit != NO_UNIT)
            inc->old_units[inc->old[i].unit].n_entries++;
    for (size_t u = 0; u < inc->n_old_units; u++) {
        inc->old_units[u].entries = xcalloc(inc->old_units[u].n_entries + 1, sizeof(size_t));
        inc->old_units[u].n_entries = 0;
    }
    for (size_t i = 0; i < inc->n_old; i++)
        if (inc->old[i].unit != NO_UNIT) {
            Unit *u = &inc->old_units[inc->old[i].unit];
            u->entries[u->n_entries++] = i;
        }
    return true;
}

static void drop_old(Incremental *inc)
{
    free_sets(inc->old_sets, inc->n_old_sets);
    for (size_t i = 0; i < inc->n_old; i++)
        free(inc->old[i].rel);
    free(inc->old);
    free(inc->old_index.slot);
    free_units(inc->old_units, inc->n_old_units);
    free(inc->old_unit_index.slot);
    free(inc->set_map);
    inc->set_map = NULL;
    inc->old_sets = NULL;
    inc->old = NULL;
    inc->old_units = NULL;
    inc->old_index = inc->old_unit_index = (Table){0};
    inc->n_old_sets = inc->n_old = inc->n_old_units = 0;
}

Incremental *incr_open(const char *out_dir, const Templates *tpl, bool full)
{
    Incremental *inc = xcalloc(1, sizeof *inc);
    inc->tpl = tpl;
    cachefile_binary_id(inc->exe);
    pthread_mutex_init(&inc->lock, NULL);
    table_init(&inc->set_index, 64);
    table_init(&inc->unit_index, 64);
    if (full || !tpl)
        return inc;
    char *path = manifest_path(out_dir, "");
    size_t len;
    char *text = read_file(path, &len);
    free(path);
    if (!text)
        return inc;
    if (strlen(text) != len || !parse_manifest(inc, text, len)) {
        drop_old(inc);
    } else {
        inc->set_map = xcalloc(inc->n_old_sets + 1, sizeof(size_t));
        for (size_t i = 0; i < inc->n_old_sets; i++) {
            TSet *s = &inc->old_sets[i];
            uint64_t now[2];
            set_identity(tpl, s->lang, s->leerjaar, s->names, s->n, now);
            s->valid = now[0] == s->id[0] && now[1] == s->id[1];
        }
    }
    free(text);
    return inc;
}

void incr_free(Incremental *inc)
{
    if (!inc)
        return;
    drop_old(inc);
    free_sets(inc->sets, inc->n_sets);
    for (size_t i = 0; i < inc->n_sets; i++)
        free(inc->set_text[i]);
    free(inc->set_text);
    free(inc->set_index.slot);
    for (size_t i = 0; i < inc->n_cur; i++)
        free(inc->cur[i].rel);
    free(inc->cur);
    free_units(inc->units, inc->n_units);
    free(inc->unit_index.slot);
    pthread_mutex_destroy(&inc->lock);
    free(inc);
}

/* ---- keys --------------------------------------------------------------------- */

/* XXH3's streaming update costs some 40 instructions a call whatever its
 * length, and a page's data is thousands of pieces of a few bytes (a kind,
 * a length, a key): they are gathered into buf and given to XXH3 in large
 * blocks. XXH3 of a stream does not depend on how it is cut, so the keys
 * are the same as when every piece went to XXH3 by itself. */
#define INCR_HASH_BUF 8192

struct IncrHash {
    XXH3_state_t *st;
    size_t n; /* bytes waiting in buf */
    unsigned char buf[INCR_HASH_BUF];
};

IncrHash *incr_hash_new(void)
{
    IncrHash *h = xmalloc(sizeof *h);
    h->st = XXH3_createState();
    if (!h->st) {
        fputs("lobgen: error: out of memory\n", stderr);
        abort();
    }
    XXH3_128bits_reset(h->st);
    h->n = 0;
    return h;
}

static void put_slow(IncrHash *h, const void *p, size_t n);

/* Inline: most pieces are a few bytes and fit. */
static inline void put(IncrHash *h, const void *p, size_t n)
{
    if (n <= INCR_HASH_BUF - h->n) {
        memcpy(h->buf + h->n, p, n);
        h->n += n;
        return;
    }
    put_slow(h, p, n);
}

static void put_slow(IncrHash *h, const void *p, size_t n)
{
    if (h->n) {
        XXH3_128bits_update(h->st, h->buf, h->n);
        h->n = 0;
    }
    if (n >= INCR_HASH_BUF / 2) {
        XXH3_128bits_update(h->st, p, n);
        return;
    }
    memcpy(h->buf, p, n);
    h->n = n;
}

void incr_hash_bytes(IncrHash *h, const void *p, size_t n)
{
    put(h, &n, sizeof n); /* length first: "ab"+"c" is not "a"+"bc" */
    put(h, p, n);
}

void incr_hash_str(IncrHash *h, const char *s)
{
    if (!s) {
        size_t none = SIZE_MAX;
        put(h, &none, sizeof none);
        return;
    }
    incr_hash_bytes(h, s, strlen(s));
}

void incr_hash_int(IncrHash *h, long long v) { put(h, &v, sizeof v); }

void incr_hash_key(IncrHash *h, IncrKey k)
{
    put(h, &k.lo, sizeof k.lo);
    put(h, &k.hi, sizeof k.hi);
}

IncrKey incr_hash_done(IncrHash *h)
{
    if (h->n)
        XXH3_128bits_update(h->st, h->buf, h->n);
    XXH128_hash_t r = XXH3_128bits_digest(h->st);
    XXH3_freeState(h->st);
    free(h);
    return (IncrKey){r.low64, r.high64};
}

struct IncrMemo {
    const Value **v; /* open addressing by pointer, NULL when empty */
    IncrKey *key;
    size_t n, nslots; /* nslots a power of two, at least 2n */
};

static size_t memo_slot(const IncrMemo *m, const Value *v)
{
    uint64_t x = (uint64_t)(uintptr_t)v;
    x = (x ^ (x >> 29)) * UINT64_C(0xbf58476d1ce4e5b9);
    size_t i = (size_t)(x >> 32) & (m->nslots - 1);
    while (m->v[i] && m->v[i] != v)
        i = (i + 1) & (m->nslots - 1);
    return i;
}

static const IncrKey *memo_find(const IncrMemo *m, const Value *v)
{
    if (!m || !m->n)
        return NULL;
    size_t i = memo_slot(m, v);
    return m->v[i] ? &m->key[i] : NULL;
}

static void hash_tree(IncrHash *hh, const Value *data, const IncrMemo *memo);

static IncrKey memo_hash(const Value *v)
{
    IncrHash *h = incr_hash_new();
    hash_tree(h, v, NULL);
    return incr_hash_done(h);
}

IncrMemo *incr_memo_new(void) { return xcalloc(1, sizeof(IncrMemo)); }

void incr_memo_add(IncrMemo *m, const Value *v)
{
    if (!v || (v->kind != V_MAP && v->kind != V_LIST) || memo_find(m, v))
        return;
    if (2 * (m->n + 1) > m->nslots) {
        IncrMemo old = *m;
        m->nslots = old.nslots ? 2 * old.nslots : 64;
        m->v = xcalloc(m->nslots, sizeof *m->v);
        m->key = xcalloc(m->nslots, sizeof *m->key);
        for (size_t i = 0; i < old.nslots; i++)
            if (old.v[i]) {
                size_t j = memo_slot(m, old.v[i]);
                m->v[j] = old.v[i];
                m->key[j] = old.key[i];
            }
        free(old.v);
        free(old.key);
    }
    size_t i = memo_slot(m, v);
    m->v[i] = v;
    m->key[i] = memo_hash(v);
    m->n++;
}

bool incr_memo_unchanged(const IncrMemo *m)
{
    for (size_t i = 0; m && i < m->nslots; i++)
        if (m->v[i]) {
            IncrKey k = memo_hash(m->v[i]);
            if (k.lo != m->key[i].lo || k.hi != m->key[i].hi)
                return false;
        }
    return true;
}

void incr_memo_free(IncrMemo *m)
{
    if (!m)
        return;
    free(m->v);
    free(m->key);
    free(m);
}

void incr_hash_value(IncrHash *hh, const Value *data) { hash_tree(hh, data, NULL); }

/* A memoized subtree is written as kind 0xfe and its key: no value kind is
 * 0xfe, so the stream stays one that no other tree gives. */
static void hash_tree(IncrHash *hh, const Value *data, const IncrMemo *memo)
{
    /* every value in document order, by an explicit stack (value trees from
     * YAML can be deep); each marked with its kind and length, so that two
     * different trees never give the same stream */
    const Value *small[256];
    size_t cap = sizeof small / sizeof *small, n = 0;
    const Value **stack = small;
    stack[n++] = data;
    while (n) {
        const Value *v = stack[--n];
        const IncrKey *known = v && (v->kind == V_LIST || v->kind == V_MAP) ? memo_find(memo, v) : NULL;
        unsigned char kind = known ? 0xfe : v ? (unsigned char)v->kind : 0xff;
        put(hh, &kind, 1);
        if (known) {
            put(hh, known, sizeof *known);
            continue;
        }
        if (!v)
            continue;
        switch (v->kind) {
        case V_NULL:
            break;
        case V_BOOL: {
            unsigned char b = v->u.b;
            put(hh, &b, 1);
            break;
        }
        case V_NUM:
            put(hh, &v->u.n, sizeof v->u.n);
            break;
        case V_STR:
            put(hh, &v->u.str.len, sizeof v->u.str.len);
            put(hh, v->u.str.s, v->u.str.len);
            break;
        case V_LIST:
        case V_MAP: {
            size_t len = v->kind == V_LIST ? v->u.list.len : v->u.map.len;
            put(hh, &len, sizeof len);
            if (v->kind == V_MAP)
                for (size_t i = 0; i < len; i++) {
                    size_t kn = strlen(v->u.map.keys[i]);
                    put(hh, &kn, sizeof kn);
                    put(hh, v->u.map.keys[i], kn);
                }
            if (n + len > cap) {
                size_t ncap = cap;
                while (n + len > ncap)
                    ncap *= 2;
                if (stack == small) {
                    stack = xmalloc(ncap * sizeof *stack);
                    memcpy(stack, small, n * sizeof *stack);
                } else {
                    stack = xrealloc(stack, ncap * sizeof *stack);
                }
                cap = ncap;
            }
            /* pushed in reverse: popped in order */
            for (size_t i = len; i-- > 0;)
                stack[n++] = v->kind == V_LIST ? v->u.list.items[i] : v->u.map.vals[i];
            break;
        }
        }
        if (v->kind != V_LIST && v->kind != V_MAP && v->raw)
            incr_hash_bytes(hh, v->raw, strlen(v->raw));
    }
    if (stack != small)
        free(stack);
}

IncrKey incr_page_key(const char *rel, const char *tpl, const char *lang, int leerjaar, const Value *data,
                      const IncrMemo *memo)
{
    IncrHash *h = incr_hash_new();
    incr_hash_bytes(h, rel, strlen(rel));
    incr_hash_bytes(h, tpl, strlen(tpl));
    incr_hash_bytes(h, lang ? lang : "", lang ? strlen(lang) : 0);
    put(h, &leerjaar, sizeof leerjaar);
    hash_tree(h, data, memo);
    return incr_hash_done(h);
}

/* Old set i as one of this build's (interned once, not once a file); the
 * caller holds inc->lock. (size_t)-1 when it cannot be. */
static size_t map_set(Incremental *inc, size_t i)
{
    if (!inc->set_map[i]) {
        const TSet *s = &inc->old_sets[i];
        size_t set = intern_set(inc, s->lang, s->leerjaar, s->names, s->n);
        inc->set_map[i] = set == (size_t)-1 ? SIZE_MAX : set + 1;
    }
    return inc->set_map[i] == SIZE_MAX ? (size_t)-1 : inc->set_map[i] - 1;
}

/* ---- reuse and record ------------------------------------------------------------ */

/* The caller holds inc->lock. */
static void add_cur(Incremental *inc, const char *rel, IncrKey key, size_t set, const WriterFileId *fid)
{
    ALLOC_GROW(inc->cur, inc->n_cur + 1, inc->cap_cur);
    inc->cur[inc->n_cur++] = (Entry){xstrdup(rel), key, set, cur_unit, *fid};
}

/* The current unit cannot be saved (a file of it is not noted); the
 * caller holds inc->lock. */
static void unit_broken(Incremental *inc)
{
    if (cur_unit != NO_UNIT)
        inc->units[cur_unit].broken = true;
}

bool incr_reuse(Incremental *inc, Writer *w, const char *rel, IncrKey key)
{
    if (!inc || !inc->n_old)
        return false;
    size_t *slot = table_find(&inc->old_index, rel, entry_rel, inc->old);
    if (!*slot)
        return false;
    const Entry *e = &inc->old[*slot - 1];
    const TSet *s = &inc->old_sets[e->set];
    if (e->key.lo != key.lo || e->key.hi != key.hi || !s->valid)
        return false;
    if (!writer_link_previous(w, rel, &e->fid))
        return false;
    pthread_mutex_lock(&inc->lock);
    size_t set = map_set(inc, e->set);
    if (set != (size_t)-1)
        add_cur(inc, rel, key, set, &e->fid);
    else
        unit_broken(inc);
    inc->reused++;
    pthread_mutex_unlock(&inc->lock);
    return true;
}

void incr_record(Incremental *inc, const Writer *w, const char *rel, IncrKey key, const char *lang, int leerjaar,
                 const TemplateUse *use)
{
    if (!inc)
        return;
    WriterFileId fid;
    bool have = plain_field(rel) && writer_file_id(w, rel, &fid);
    pthread_mutex_lock(&inc->lock);
    inc->rendered++;
    size_t set = have ? intern_set(inc, lang ? lang : "", leerjaar, use->names, use->n) : (size_t)-1;
    if (set != (size_t)-1)
        add_cur(inc, rel, key, set, &fid);
    else
        unit_broken(inc);
    pthread_mutex_unlock(&inc->lock);
}

/* ---- units --------------------------------------------------------------------- */

/* This build's unit named name, made on first use; the caller holds
 * inc->lock. NO_UNIT when the name cannot be written to the manifest. */
static size_t intern_unit(Incremental *inc, const char *name, IncrKey key)
{
    if (!plain_field(name) || !name[0])
        return NO_UNIT;
    size_t *slot = table_find(&inc->unit_index, name, unit_name, inc->units);
    if (*slot) {
        inc->units[*slot - 1].broken = true; /* one name, two units: keep neither */
        return *slot - 1;
    }
    if (2 * (inc->n_units + 1) >= inc->unit_index.cap) {
        free(inc->unit_index.slot);
        table_init(&inc->unit_index, 2 * (inc->n_units + 1));
        for (size_t i = 0; i < inc->n_units; i++)
            *table_find(&inc->unit_index, inc->units[i].name, unit_name, inc->units) = i + 1;
        slot = table_find(&inc->unit_index, name, unit_name, inc->units);
    }
    ALLOC_GROW(inc->units, inc->n_units + 1, inc->cap_units);
    inc->units[inc->n_units] = (Unit){.name = xstrdup(name), .key = key};
    *slot = inc->n_units + 1;
    return inc->n_units++;
}

static void unit_add_set(Unit *u, size_t set)
{
    for (size_t k = 0; k < u->n_sets; k++)
        if (u->sets[k] == set)
            return;
    ALLOC_GROW(u->sets, u->n_sets + 1, u->cap_sets);
    u->sets[u->n_sets++] = set;
}

static void unit_add_warning(Unit *u, const Diag *g)
{
    ALLOC_GROW(u->warn, u->n_warn + 1, u->cap_warn);
    u->warn[u->n_warn++] = (Diag){g->level, g->file ? xstrdup(g->file) : NULL, g->line, g->col, xstrdup(g->msg)};
}

bool incr_reuse_unit(Incremental *inc, Writer *w, const char *name, IncrKey key, Diags *d)
{
    if (!inc || !inc->n_old_units)
        return false;
    size_t *slot = table_find(&inc->old_unit_index, name, unit_name, inc->old_units);
    if (!*slot)
        return false;
    const Unit *u = &inc->old_units[*slot - 1];
    if (u->key.lo != key.lo || u->key.hi != key.hi)
        return false;
    for (size_t k = 0; k < u->n_sets; k++)
        if (!inc->old_sets[u->sets[k]].valid)
            return false;
    for (size_t k = 0; k < u->n_entries; k++)
        if (!inc->old_sets[inc->old[u->entries[k]].set].valid)
            return false;
    /* all or nothing: a file that is not the one published any more means
     * the unit is rendered, and what was linked of it taken out again */
    for (size_t k = 0; k < u->n_entries; k++) {
        const Entry *e = &inc->old[u->entries[k]];
        if (!writer_link_previous(w, e->rel, &e->fid)) {
            while (k-- > 0)
                writer_unlink(w, inc->old[u->entries[k]].rel);
            return false;
        }
    }
    pthread_mutex_lock(&inc->lock);
    size_t saved = cur_unit;
    cur_unit = intern_unit(inc, name, key);
    for (size_t k = 0; cur_unit != NO_UNIT && k < u->n_sets; k++) {
        size_t set = map_set(inc, u->sets[k]);
        if (set == (size_t)-1)
            unit_broken(inc);
        else
            unit_add_set(&inc->units[cur_unit], set);
    }
    for (size_t k = 0; cur_unit != NO_UNIT && k < u->n_warn; k++)
        unit_add_warning(&inc->units[cur_unit], &u->warn[k]);
    for (size_t k = 0; k < u->n_entries; k++) {
        const Entry *e = &inc->old[u->entries[k]];
        size_t set = map_set(inc, e->set);
        if (set != (size_t)-1)
            add_cur(inc, e->rel, e->key, set, &e->fid);
        else
            unit_broken(inc);
    }
    inc->reused += u->n_entries;
    cur_unit = saved;
    pthread_mutex_unlock(&inc->lock);
    for (size_t k = 0; k < u->n_warn; k++) {
        const Diag *g = &u->warn[k];
        diag_add(d, g->level, g->file, g->line, g->col, "%s", g->msg);
    }
    return true;
}

size_t incr_unit_begin(Incremental *inc, const char *name, IncrKey key)
{
    size_t prev = cur_unit;
    if (!inc)
        return prev;
    pthread_mutex_lock(&inc->lock);
    cur_unit = intern_unit(inc, name, key);
    pthread_mutex_unlock(&inc->lock);
    return prev;
}

void incr_unit_templates(Incremental *inc, const char *lang, int leerjaar, const TemplateUse *use)
{
    if (!inc || cur_unit == NO_UNIT || !use->n) /* no names: nothing that can change */
        return;
    pthread_mutex_lock(&inc->lock);
    size_t set = intern_set(inc, lang, leerjaar, use->names, use->n);
    if (set == (size_t)-1)
        unit_broken(inc);
    else
        unit_add_set(&inc->units[cur_unit], set);
    pthread_mutex_unlock(&inc->lock);
}

void incr_unit_include(Incremental *inc, const char *name)
{
    if (!inc || cur_unit == NO_UNIT)
        return;
    pthread_mutex_lock(&inc->lock);
    size_t *slot = table_find(&inc->unit_index, name, unit_name, inc->units);
    if (!*slot || inc->units[*slot - 1].broken) {
        unit_broken(inc);
    } else {
        const Unit *o = &inc->units[*slot - 1];
        for (size_t k = 0; k < o->n_sets; k++)
            unit_add_set(&inc->units[cur_unit], o->sets[k]);
    }
    pthread_mutex_unlock(&inc->lock);
}

void incr_unit_end(Incremental *inc, size_t prev, const Diags *d, size_t from)
{
    if (!inc)
        return;
    if (cur_unit != NO_UNIT && d) {
        pthread_mutex_lock(&inc->lock);
        for (size_t k = from; k < d->len; k++)
            if (d->items[k].level == DIAG_WARNING && d->items[k].msg)
                unit_add_warning(&inc->units[cur_unit], &d->items[k]);
            else
                unit_broken(inc); /* an error: nothing is published anyway */
        pthread_mutex_unlock(&inc->lock);
    }
    cur_unit = prev;
}

void incr_counts(const Incremental *inc, size_t *reused, size_t *rendered)
{
    *reused = inc ? inc->reused : 0;
    *rendered = inc ? inc->rendered : 0;
}

/* ---- writing the manifest -------------------------------------------------------- */

static int cmp_entry(const void *a, const void *b)
{
    return strcmp(((const Entry *)a)->rel, ((const Entry *)b)->rel);
}

bool incr_save(Incremental *inc, const char *out_dir, Diags *d)
{
    if (!inc)
        return true;
    if (!inc->exe[1])
        return true; /* no identity for this binary: a manifest nobody could use */
    /* sorted: the same site gives the same manifest, whatever the threads did */
    if (inc->n_cur > 1)
        qsort(inc->cur, inc->n_cur, sizeof(Entry), cmp_entry);
    /* written as it is made: at 100,000 materials in 8 languages it is
     * about 450 MB, which held whole raised the build's peak memory */
    char *path = manifest_path(out_dir, "");
    CacheOut *out = cachefile_begin(path);
    Buf o = BUF_INIT;
    buf_printf(&o, "%s %016" PRIx64 "%016" PRIx64 "\n", MANIFEST_MAGIC, inc->exe[1], inc->exe[0]);
    for (size_t i = 0; i < inc->n_sets; i++) {
        const TSet *s = &inc->sets[i];
        buf_printf(&o, "S\t%s\t%d\t%016" PRIx64 "%016" PRIx64 "\t%zu", s->lang, s->leerjaar, s->id[1], s->id[0], s->n);
        for (size_t k = 0; k < s->n; k++)
            buf_printf(&o, "\t%s", s->names[k]);
        buf_putc(&o, '\n');
        cachefile_drain(out, &o, 1 << 20);
    }
    /* units, numbered from 1 in the order written; a broken one is left out */
    size_t *number = xcalloc(inc->n_units + 1, sizeof(size_t));
    size_t written = 0;
    for (size_t i = 0; i < inc->n_units; i++) {
        const Unit *u = &inc->units[i];
        if (u->broken)
            continue;
        number[i] = ++written;
        buf_printf(&o, "U\t%016" PRIx64 "%016" PRIx64 "\t%zu", u->key.hi, u->key.lo, u->n_sets);
        for (size_t k = 0; k < u->n_sets; k++)
            buf_printf(&o, "\t%zu", u->sets[k]);
        buf_printf(&o, "\t%s\n", u->name);
        for (size_t k = 0; k < u->n_warn; k++) {
            const Diag *g = &u->warn[k];
            buf_printf(&o, "W\t1\t%d\t%d\t", g->line > 0 ? g->line : 0, g->col > 0 ? g->col : 0);
            if (g->file) {
                buf_putc(&o, '=');
                put_escaped(&o, g->file);
            } else {
                buf_putc(&o, '-');
            }
            buf_putc(&o, '\t');
            put_escaped(&o, g->msg);
            buf_putc(&o, '\n');
        }
        cachefile_drain(out, &o, 1 << 20);
    }
    for (size_t i = 0; i < inc->n_cur; i++) {
        const Entry *e = &inc->cur[i];
        const unsigned long long v[7] = {e->set, e->unit == NO_UNIT ? 0 : number[e->unit], e->fid.dev, e->fid.ino,
                                         e->fid.size, (unsigned long long)e->fid.mtime_s,
                                         (unsigned long long)e->fid.mtime_ns};
        buf_puts(&o, "F\t");
        put_hex128(&o, e->key.hi, e->key.lo);
        for (int k = 0; k < 7; k++) {
            buf_putc(&o, '\t');
            put_num(&o, v[k]);
        }
        buf_putc(&o, '\t');
        buf_puts(&o, e->rel);
        buf_putc(&o, '\n');
        cachefile_drain(out, &o, 1 << 20);
    }
    free(number);
    cachefile_drain(out, &o, 0);
    buf_printf(&o, "E\t%016" PRIx64 "\n", cachefile_sum(out));
    const char *why = cachefile_end(out, &o);
    if (why)
        diag_warn(d, path, 0, 0, "cannot write the list of built pages (%s); the next build renders every page", why);
    free(path);
    buf_free(&o);
    return !why;
}
