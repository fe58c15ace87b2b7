#include "incremental.h"

#include "buf.h"

#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <xxhash.h>

#define MANIFEST_MAGIC "lobgen-manifest 1"

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
    WriterFileId fid;
} Entry;

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
    /* this build's */
    pthread_mutex_t lock;
    TSet *sets;
    char **set_text; /* canonical text of sets[i], for interning */
    size_t n_sets, cap_sets, cap_text;
    Table set_index;
    Entry *cur;
    size_t n_cur, cap_cur;
    size_t reused, rendered;
};

/* ---- the lobgen binary: a changed generator may render the same data differently */

static uint64_t exe_id[2];
static pthread_once_t exe_once = PTHREAD_ONCE_INIT;

static void exe_identity(void)
{
    size_t len;
    char *bytes = read_file("/proc/self/exe", &len);
    if (!bytes) {
        /* unknown binary: an identity no manifest has, so nothing is reused */
        exe_id[0] = exe_id[1] = 0;
        return;
    }
    XXH128_hash_t h = XXH3_128bits(bytes, len);
    free(bytes);
    exe_id[0] = h.low64;
    exe_id[1] = h.high64 | 1; /* never {0, 0} */
}

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

static bool parse_hex128(const char *s, uint64_t v[2])
{
    if (strlen(s) != 32 || strspn(s, "0123456789abcdef") != 32)
        return false;
    char part[17];
    memcpy(part, s, 16);
    part[16] = '\0';
    v[1] = strtoull(part, NULL, 16);
    v[0] = strtoull(s + 16, NULL, 16);
    return true;
}

static bool parse_num(const char *s, unsigned long long *v)
{
    if (!*s || strspn(s, "0123456789") != strlen(s) || strlen(s) > 19)
        return false;
    *v = strtoull(s, NULL, 10);
    return true;
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
    size_t cap_sets = 0, cap = 0;
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
        } else if (line[0] == 'F') {
            /* F key set dev ino size mtime_s mtime_ns rel */
            size_t nf = split_tabs(line, f, 9);
            unsigned long long v[6];
            uint64_t key[2];
            if (nf != 9 || strcmp(f[0], "F") || !parse_hex128(f[1], key))
                return false;
            for (int k = 0; k < 6; k++)
                if (!parse_num(f[2 + k], &v[k]))
                    return false;
            if (v[0] >= inc->n_old_sets || !f[8][0])
                return false;
            ALLOC_GROW(inc->old, inc->n_old + 1, cap);
            inc->old[inc->n_old++] = (Entry){xstrdup(f[8]), {key[0], key[1]}, (size_t)v[0],
                                             {v[1], v[2], v[3], (long long)v[4], (long)v[5]}};
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
    return true;
}

static void drop_old(Incremental *inc)
{
    free_sets(inc->old_sets, inc->n_old_sets);
    for (size_t i = 0; i < inc->n_old; i++)
        free(inc->old[i].rel);
    free(inc->old);
    free(inc->old_index.slot);
    inc->old_sets = NULL;
    inc->old = NULL;
    inc->old_index = (Table){0};
    inc->n_old_sets = inc->n_old = 0;
}

Incremental *incr_open(const char *out_dir, const Templates *tpl, bool full)
{
    Incremental *inc = xcalloc(1, sizeof *inc);
    inc->tpl = tpl;
    pthread_once(&exe_once, exe_identity);
    inc->exe[0] = exe_id[0];
    inc->exe[1] = exe_id[1];
    pthread_mutex_init(&inc->lock, NULL);
    table_init(&inc->set_index, 64);
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
    pthread_mutex_destroy(&inc->lock);
    free(inc);
}

/* ---- keys --------------------------------------------------------------------- */

static void hash_bytes(XXH3_state_t *h, const void *p, size_t n)
{
    XXH3_128bits_update(h, &n, sizeof n); /* length first: "ab"+"c" is not "a"+"bc" */
    XXH3_128bits_update(h, p, n);
}

IncrKey incr_page_key(const char *rel, const char *tpl, const char *lang, int leerjaar, const Value *data)
{
    XXH3_state_t *h = XXH3_createState();
    XXH3_128bits_reset(h);
    hash_bytes(h, rel, strlen(rel));
    hash_bytes(h, tpl, strlen(tpl));
    hash_bytes(h, lang ? lang : "", lang ? strlen(lang) : 0);
    XXH3_128bits_update(h, &leerjaar, sizeof leerjaar);
    /* every value in document order, by an explicit stack (value trees from
     * YAML can be deep); each marked with its kind and length, so that two
     * different trees never give the same stream */
    size_t cap = 64, n = 0;
    const Value **stack = xcalloc(cap, sizeof *stack);
    stack[n++] = data;
    while (n) {
        const Value *v = stack[--n];
        unsigned char kind = v ? (unsigned char)v->kind : 0xff;
        XXH3_128bits_update(h, &kind, 1);
        if (!v)
            continue;
        switch (v->kind) {
        case V_NULL:
            break;
        case V_BOOL: {
            unsigned char b = v->u.b;
            XXH3_128bits_update(h, &b, 1);
            break;
        }
        case V_NUM:
            XXH3_128bits_update(h, &v->u.n, sizeof v->u.n);
            break;
        case V_STR:
            hash_bytes(h, v->u.str.s, v->u.str.len);
            break;
        case V_LIST:
        case V_MAP: {
            size_t len = v->kind == V_LIST ? v->u.list.len : v->u.map.len;
            XXH3_128bits_update(h, &len, sizeof len);
            if (v->kind == V_MAP)
                for (size_t i = 0; i < len; i++)
                    hash_bytes(h, v->u.map.keys[i], strlen(v->u.map.keys[i]));
            if (n + len > cap) {
                while (n + len > cap)
                    cap *= 2;
                stack = xrealloc(stack, cap * sizeof *stack);
            }
            /* pushed in reverse: popped in order */
            for (size_t i = len; i-- > 0;)
                stack[n++] = v->kind == V_LIST ? v->u.list.items[i] : v->u.map.vals[i];
            break;
        }
        }
        if (v->kind != V_LIST && v->kind != V_MAP && v->raw)
            hash_bytes(h, v->raw, strlen(v->raw));
    }
    free(stack);
    XXH128_hash_t r = XXH3_128bits_digest(h);
    XXH3_freeState(h);
    return (IncrKey){r.low64, r.high64};
}

/* ---- reuse and record ------------------------------------------------------------ */

static void add_cur(Incremental *inc, const char *rel, IncrKey key, size_t set, const WriterFileId *fid)
{
    ALLOC_GROW(inc->cur, inc->n_cur + 1, inc->cap_cur);
    inc->cur[inc->n_cur++] = (Entry){xstrdup(rel), key, set, *fid};
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
    size_t set = intern_set(inc, s->lang, s->leerjaar, s->names, s->n);
    if (set != (size_t)-1)
        add_cur(inc, rel, key, set, &e->fid);
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
    if (have) {
        size_t set = intern_set(inc, lang ? lang : "", leerjaar, use->names, use->n);
        if (set != (size_t)-1)
            add_cur(inc, rel, key, set, &fid);
    }
    pthread_mutex_unlock(&inc->lock);
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
    Buf o = BUF_INIT;
    buf_printf(&o, "%s %016" PRIx64 "%016" PRIx64 "\n", MANIFEST_MAGIC, inc->exe[1], inc->exe[0]);
    for (size_t i = 0; i < inc->n_sets; i++) {
        const TSet *s = &inc->sets[i];
        buf_printf(&o, "S\t%s\t%d\t%016" PRIx64 "%016" PRIx64 "\t%zu", s->lang, s->leerjaar, s->id[1], s->id[0], s->n);
        for (size_t k = 0; k < s->n; k++)
            buf_printf(&o, "\t%s", s->names[k]);
        buf_putc(&o, '\n');
    }
    for (size_t i = 0; i < inc->n_cur; i++) {
        const Entry *e = &inc->cur[i];
        buf_printf(&o, "F\t%016" PRIx64 "%016" PRIx64 "\t%zu\t%llu\t%llu\t%llu\t%lld\t%ld\t%s\n", e->key.hi, e->key.lo,
                   e->set, e->fid.dev, e->fid.ino, e->fid.size, e->fid.mtime_s, e->fid.mtime_ns, e->rel);
    }
    buf_printf(&o, "E\t%016" PRIx64 "\n", XXH3_64bits(o.data, o.len));
    char *path = manifest_path(out_dir, "");
    char *tmp = manifest_path(out_dir, "-new-XXXXXX");
    int fd = mkstemp(tmp);
    bool ok = fd >= 0;
    size_t off = 0;
    while (ok && off < o.len) {
        ssize_t n = write(fd, o.data + off, o.len - off);
        if (n < 0 && errno == EINTR)
            continue;
        ok = n > 0;
        if (ok)
            off += (size_t)n;
    }
    int e = errno;
    if (fd >= 0 && close(fd) != 0 && ok) {
        ok = false;
        e = errno;
    }
    if (ok && rename(tmp, path) != 0) {
        ok = false;
        e = errno;
    }
    if (!ok) {
        if (fd >= 0)
            unlink(tmp);
        diag_warn(d, path, 0, 0, "cannot write the list of built pages (%s); the next build renders every page",
                  strerror(e));
    }
    free(tmp);
    free(path);
    buf_free(&o);
    return ok;
}
