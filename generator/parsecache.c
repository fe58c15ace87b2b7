#include "parsecache.h"

#include "cachefile.h"
#include "scan.h"

#include <errno.h>
#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>
#include <xxhash.h>

/* A new field in Material is something the parse fills: write and read it
 * below (put_material, get_material), then change the size here. */
_Static_assert(sizeof(void *) != 8 || sizeof(Material) == 336, "Material changed: keep the new field in the cache");
_Static_assert(sizeof(void *) != 8 || sizeof(Date) == 36, "Date changed: keep the new field in the cache");

/* The file: MAGIC; the moment its build began to look at the content
 * files (two i64: seconds and nanoseconds, CLOCK_REALTIME); then per entry
 * its key (two u64), its file's name key (two u64, meta_key), the stat of
 * the version it was parsed from (Stamp: seven 64-bit fields), a u32 record
 * length and the record (put_material's form, in this machine's byte order:
 * the keys hold the binary, so a file is only ever read by the binary that
 * wrote it); then the XXH3-64 of everything before it (u64). Version 1 had
 * neither the moment nor the stats, version 2 not the text units; both are
 * ignored. */
#define MAGIC "lobgen-parse-3\n"
#define ENTRY_HEAD (16 + 16 + 56 + 4)

/* How far a file's times must lie before the moment the cache's build
 * began for its stat to vouch for its bytes, in seconds. A write after the
 * read gives the file a new change time (which no user can set) from the
 * kernel's coarse clock: a tick (at most 10 ms) behind the time a program
 * reads, or a whole second behind on a file system that keeps whole seconds
 * (ext3, many network file systems), two on FAT (modification times). A
 * file whose times are older than the moment minus the coarsest of these
 * gets a different change time from any later write; one changed closer to
 * the read may be written again within the same tick, with its size and
 * times the same, and is read again (git's "racy" entries). 2 s covers
 * FAT; a larger margin costs nothing but reading again the files changed
 * in the seconds before a build, once. (It assumes the file system's
 * clock is not more than that behind this machine's, as git does.) */
#define RACY_MARGIN_S 2

/* A file version as stat shows it; ino 0: unknown, never trusted. */
typedef struct {
    uint64_t dev, ino;
    int64_t size, mtime_s, mtime_ns, ctime_s, ctime_ns;
} Stamp;
_Static_assert(sizeof(Stamp) == 56, "Stamp is written as it lies in memory");

/* An entry of the old file (kept small: a build holds one per file) */
typedef struct {
    uint64_t key[2];
    uint64_t mkey[2];  /* its file's name key (meta_seed) */
    const char *stamp; /* the Stamp of the version it was parsed from, in the file's bytes */
    const char *rec;   /* in the file's bytes */
    size_t len;
} Entry;

typedef struct {
    uint64_t key[2];
    uint64_t mkey[2];
    Stamp st;         /* this build's stat of the file */
    const char *rec;  /* the entry kept: in the old file's bytes, or owned (made); NULL: none */
    uint32_t len;
    bool made;
    bool keyed;   /* key is this build's file's */
    bool meta;    /* mkey is */
    bool fresh;   /* the entry differs from the old file's (parsed, another stat, racy there) */
    bool trusted; /* taken by its stat, unread (parsecache_trust) */
} Slot;

struct ParseCache {
    char *root, *dir;
    uint64_t exe[2];
    char *file; /* the file's bytes, or NULL */
    Entry *old;
    size_t n_old;
    size_t *table;  /* open addressing by key: index+1 into old, 0 = empty */
    size_t *mtable; /* the same by mkey */
    size_t cap;
    struct timespec was; /* when the old file's build began to look (valid with file) */
    struct timespec now; /* when this build began to look (parsecache_slots) */
    Slot *slots;
    size_t n;
    size_t hits, kept, trusted;
    pthread_t reader; /* reads the file while the caller scans (parsecache_start) */
    bool reading;     /* reader runs and is to be joined */
};

/* ---- records ---------------------------------------------------------------- */

static void put_i32(Buf *b, int v)
{
    int32_t x = v;
    buf_append(b, (const char *)&x, sizeof x);
}

static void put_u64(Buf *b, uint64_t v) { buf_append(b, (const char *)&v, sizeof v); }

static void put_str(Buf *b, const char *s)
{
    uint32_t n = s ? (uint32_t)strlen(s) : UINT32_MAX;
    buf_append(b, (const char *)&n, sizeof n);
    if (s)
        buf_append(b, s, n);
}

static void put_date(Buf *b, const Date *d)
{
    const int v[9] = {d->y, d->m, d->d, d->hour, d->minute, d->second, d->has_time, d->line, d->col};
    for (int i = 0; i < 9; i++)
        put_i32(b, v[i]);
}

static void put_refs(Buf *b, const MaterialRef *r, size_t n)
{
    put_i32(b, (int)n);
    for (size_t i = 0; i < n; i++) {
        put_i32(b, (int)r[i].kind);
        put_i32(b, r[i].line);
        put_i32(b, r[i].col);
        put_str(b, r[i].slug);
    }
}

static void put_material(Buf *b, const Material *m)
{
    put_str(b, m->title);
    put_str(b, m->summary);
    put_str(b, m->tr_source);
    put_str(b, m->encoding);
    put_str(b, m->rec_source);
    const int v[25] = {m->title_line,    m->title_col,      m->summary_line,   m->summary_col,   m->leerjaar[0],
                       m->leerjaar[1],   m->leerjaar[2],    m->leerjaar[3],    m->n_leerjaar,    (int)m->niveau,
                       (int)m->competenties, m->week,       m->duration,       m->draft,         m->is_translation,
                       m->tr_source_line, m->tr_source_col, m->tr_reviewed,    m->body_line,     m->text_is_bytes,
                       m->po_units,      m->po_translated,  m->po_fuzzy,       m->po_untranslated, 0};
    for (int i = 0; i < 25; i++)
        put_i32(b, v[i]);
    put_date(b, &m->date);
    put_date(b, &m->deadline);
    put_refs(b, m->prepares, m->n_prepares);
    put_refs(b, m->follows, m->n_follows);
    put_u64(b, m->body_at);
    put_u64(b, m->body_len);
    put_u64(b, m->body_hash);
    buf_append(b, m->fingerprint, sizeof m->fingerprint);
    put_i32(b, (int)m->n_units);
    for (size_t i = 0; i < m->n_units; i++)
        put_u64(b, m->unit_hash[i]);
}

typedef struct {
    const char *p, *end;
    bool bad;
} Reader;

static const char *take(Reader *r, size_t n)
{
    if (r->bad || (size_t)(r->end - r->p) < n) {
        r->bad = true;
        return NULL;
    }
    const char *s = r->p;
    r->p += n;
    return s;
}

static int get_i32(Reader *r)
{
    const char *s = take(r, sizeof(int32_t));
    int32_t x = 0;
    if (s)
        memcpy(&x, s, sizeof x);
    return x;
}

static uint64_t get_u64(Reader *r)
{
    const char *s = take(r, sizeof(uint64_t));
    uint64_t x = 0;
    if (s)
        memcpy(&x, s, sizeof x);
    return x;
}

static const char *get_str(Reader *r, Arena *a)
{
    const char *s = take(r, sizeof(uint32_t));
    uint32_t n = UINT32_MAX;
    if (s)
        memcpy(&n, s, sizeof n);
    if (!s || n == UINT32_MAX)
        return NULL;
    const char *t = take(r, n);
    return t ? arena_strndup(a, t, n) : NULL;
}

static void get_date(Reader *r, Date *d)
{
    int v[9];
    for (int i = 0; i < 9; i++)
        v[i] = get_i32(r);
    *d = (Date){.y = v[0], .m = v[1], .d = v[2], .hour = v[3], .minute = v[4], .second = v[5],
                .has_time = v[6] != 0, .line = v[7], .col = v[8]};
}

static void get_refs(Reader *r, Arena *a, MaterialRef **out, size_t *n_out)
{
    int n = get_i32(r);
    *out = NULL;
    *n_out = 0;
    if (n <= 0 || r->bad || (size_t)n > (size_t)(r->end - r->p)) {
        r->bad |= n < 0 || (n > 0 && (size_t)n > (size_t)(r->end - r->p));
        return;
    }
    MaterialRef *v = arena_alloc(a, ((size_t)n + 1) * sizeof *v);
    for (int i = 0; i < n; i++) {
        int kind = get_i32(r);
        v[i].kind = kind >= 0 && kind < KIND_COUNT ? (Kind)kind : KIND_THUISOPDRACHT;
        r->bad |= kind < 0 || kind >= KIND_COUNT;
        v[i].line = get_i32(r);
        v[i].col = get_i32(r);
        v[i].slug = get_str(r, a);
        r->bad |= !v[i].slug;
    }
    *out = v;
    *n_out = (size_t)n;
}

static bool get_material(const char *rec, size_t len, Arena *a, Material *m)
{
    Reader r = {rec, rec + len, false};
    memset(m, 0, sizeof *m);
    m->title = get_str(&r, a);
    m->summary = get_str(&r, a);
    m->tr_source = get_str(&r, a);
    m->encoding = get_str(&r, a);
    m->rec_source = get_str(&r, a);
    int v[25];
    for (int i = 0; i < 25; i++)
        v[i] = get_i32(&r);
    m->title_line = v[0];
    m->title_col = v[1];
    m->summary_line = v[2];
    m->summary_col = v[3];
    for (int i = 0; i < 4; i++)
        m->leerjaar[i] = v[4 + i];
    m->n_leerjaar = v[8];
    m->niveau = (unsigned)v[9];
    m->competenties = (unsigned)v[10];
    m->week = v[11];
    m->duration = v[12];
    m->draft = v[13] != 0;
    m->is_translation = v[14] != 0;
    m->tr_source_line = v[15];
    m->tr_source_col = v[16];
    m->tr_reviewed = v[17] != 0;
    m->body_line = v[18];
    m->text_is_bytes = v[19] != 0;
    m->po_units = v[20];
    m->po_translated = v[21];
    m->po_fuzzy = v[22];
    m->po_untranslated = v[23];
    get_date(&r, &m->date);
    get_date(&r, &m->deadline);
    get_refs(&r, a, &m->prepares, &m->n_prepares);
    get_refs(&r, a, &m->follows, &m->n_follows);
    m->body_at = (size_t)get_u64(&r);
    m->body_len = (size_t)get_u64(&r);
    m->body_hash = get_u64(&r);
    const char *fp = take(&r, sizeof m->fingerprint);
    if (fp)
        memcpy(m->fingerprint, fp, sizeof m->fingerprint);
    m->fingerprint[sizeof m->fingerprint - 1] = '\0';
    int nu = get_i32(&r);
    if (nu < 0 || (size_t)nu > (size_t)(r.end - r.p) / 8)
        r.bad = true;
    else if (nu > 0) {
        m->unit_hash = arena_alloc(a, (size_t)nu * sizeof *m->unit_hash);
        m->n_units = (size_t)nu;
        for (int i = 0; i < nu; i++)
            m->unit_hash[i] = get_u64(&r);
    }
    return !r.bad && r.p == r.end && m->n_leerjaar >= 0 && m->n_leerjaar <= 4;
}

/* ---- the file --------------------------------------------------------------- */

static size_t slot_of(const uint64_t key[2], size_t cap) { return (size_t)(key[0] ^ key[1]) & (cap - 1); }

/* The entry whose key (by_meta: mkey) is key; guess is where it likely is:
 * the file holds the last build's entries in the order of its files, so in
 * a build of the same files, with every one kept, file i's entry is entry
 * i, and looking there first spares the table's cache miss. */
static const Entry *find_in(const ParseCache *c, const uint64_t key[2], size_t guess, bool by_meta)
{
    const size_t *table = by_meta ? c->mtable : c->table;
    if (!table)
        return NULL;
#define KEY_OF(o) (by_meta ? (o)->mkey : (o)->key)
    if (guess < c->n_old && KEY_OF(&c->old[guess])[0] == key[0] && KEY_OF(&c->old[guess])[1] == key[1])
        return &c->old[guess];
    for (size_t i = slot_of(key, c->cap); table[i]; i = (i + 1) & (c->cap - 1)) {
        const Entry *o = &c->old[table[i] - 1];
        if (KEY_OF(o)[0] == key[0] && KEY_OF(o)[1] == key[1])
            return o;
    }
#undef KEY_OF
    return NULL;
}

static const Entry *find(const ParseCache *c, const uint64_t key[2], size_t guess)
{
    return find_in(c, key, guess, false);
}

static Stamp stamp_of(const struct stat *st)
{
    if (!st || !st->st_ino)
        return (Stamp){0};
    return (Stamp){(uint64_t)st->st_dev, (uint64_t)st->st_ino, (int64_t)st->st_size, (int64_t)st->st_mtim.tv_sec,
                   (int64_t)st->st_mtim.tv_nsec, (int64_t)st->st_ctim.tv_sec, (int64_t)st->st_ctim.tv_nsec};
}

static bool same_stamp(const Stamp *a, const Stamp *b)
{
    return a->dev == b->dev && a->ino == b->ino && a->size == b->size && a->mtime_s == b->mtime_s &&
           a->mtime_ns == b->mtime_ns && a->ctime_s == b->ctime_s && a->ctime_ns == b->ctime_ns;
}

/* s, recorded by a build that began to look at `was`, may not vouch for
 * the bytes: a time of it within RACY_MARGIN_S of `was`, or later (a file
 * written just before or while that build read it; in the future). */
static bool racy(const Stamp *s, struct timespec was)
{
    int64_t ls = (int64_t)was.tv_sec - RACY_MARGIN_S, lns = was.tv_nsec;
    return !s->ino || s->mtime_s > ls || (s->mtime_s == ls && s->mtime_ns >= lns) || s->ctime_s > ls ||
           (s->ctime_s == ls && s->ctime_ns >= lns);
}

static void load(ParseCache *c)
{
    Buf path = BUF_INIT;
    buf_printf(&path, "%s/materials", c->dir);
    size_t len;
    char *f = read_file(buf_cstr(&path), &len);
    buf_free(&path);
    if (!f)
        return;
    size_t head = strlen(MAGIC) + 16, n = 0;
    uint64_t sum;
    if (len < head + 8 || memcmp(f, MAGIC, strlen(MAGIC)))
        goto bad;
    memcpy(&sum, f + len - 8, 8);
    if (XXH3_64bits(f, len - 8) != sum)
        goto bad;
    int64_t was[2];
    memcpy(was, f + strlen(MAGIC), 16);
    if (was[1] < 0 || was[1] >= 1000000000)
        goto bad;
    c->was = (struct timespec){(time_t)was[0], (long)was[1]};
    for (int pass = 0; pass < 2; pass++) {
        size_t p = head, k = 0;
        while (p < len - 8) {
            uint32_t rl;
            if (len - 8 - p < ENTRY_HEAD)
                goto bad;
            if (pass == 1) {
                memcpy(c->old[k].key, f + p, 16);
                memcpy(c->old[k].mkey, f + p + 16, 16);
                c->old[k].stamp = f + p + 32;
            }
            memcpy(&rl, f + p + 88, 4);
            p += ENTRY_HEAD;
            if (len - 8 - p < rl)
                goto bad;
            if (pass == 1) {
                c->old[k].rec = f + p;
                c->old[k].len = rl;
            }
            p += rl;
            k++;
        }
        if (pass == 0) {
            n = k;
            c->old = xcalloc(n + 1, sizeof(Entry));
        }
    }
    c->n_old = n;
    for (c->cap = 16; c->cap < 2 * n + 2; c->cap *= 2)
        ;
    c->table = xcalloc(c->cap, sizeof(size_t));
    c->mtable = xcalloc(c->cap, sizeof(size_t));
    for (size_t k = 0; k < n; k++) {
        size_t i = slot_of(c->old[k].key, c->cap);
        while (c->table[i])
            i = (i + 1) & (c->cap - 1);
        c->table[i] = k + 1;
        i = slot_of(c->old[k].mkey, c->cap);
        while (c->mtable[i])
            i = (i + 1) & (c->cap - 1);
        c->mtable[i] = k + 1;
    }
    c->file = f;
    return;
bad:
    free(c->old);
    c->old = NULL;
    c->n_old = 0;
    free(f);
}

/* The reader thread: the binary's identity (hashing it reads the whole
 * executable) and the file, read, checked and indexed. */
static void *read_cache(void *arg)
{
    ParseCache *c = arg;
    /* a changed lobgen may parse the same bytes differently */
    cachefile_binary_id(c->exe);
    if (!c->exe[0] && !c->exe[1]) {
        free(c->dir); /* no identity: nothing is kept */
        c->dir = NULL;
        return NULL;
    }
    if (scan_path_inside(c->dir, c->root))
        load(c);
    return NULL;
}

ParseCache *parsecache_start(const char *root, const char *cache)
{
    ParseCache *c = xcalloc(1, sizeof *c);
    if (!root || !cache)
        return c;
    Buf dir = BUF_INIT;
    buf_printf(&dir, "%s/%s/parse", root, cache);
    c->dir = buf_detach(&dir);
    c->root = xstrdup(root);
    /* the file is read while the caller lists the content; when no thread
     * can be made, here */
    c->reading = pthread_create(&c->reader, NULL, read_cache, c) == 0;
    if (!c->reading)
        read_cache(c);
    return c;
}

void parsecache_slots(ParseCache *c, size_t n)
{
    if (!c)
        return;
    if (c->reading)
        pthread_join(c->reader, NULL);
    c->reading = false;
    free(c->slots);
    c->n = n;
    c->slots = xcalloc(n + 1, sizeof(Slot));
    /* before the caller looks at any file: every stat and read of this
     * build comes after it, which makes it the moment to judge racy
     * entries by in the next build */
    clock_gettime(CLOCK_REALTIME, &c->now);
}

ParseCache *parsecache_open(const char *root, const char *cache, size_t n)
{
    ParseCache *c = parsecache_start(root, cache);
    parsecache_slots(c, n);
    return c;
}

/* Everything the parse reads besides the bytes, chained into one seed
 * (no buffer to build per file); the slot's name key, from it, once. */
static uint64_t meta_seed(ParseCache *c, size_t slot, const SourceFile *sf, const char *default_enc)
{
    const int nums[3] = {(int)sf->kind, sf->lang_index, sf->is_po};
    uint64_t seed = XXH3_64bits_withSeed(c->exe, sizeof c->exe, 0x6c6f6267656e7031u);
    seed = XXH3_64bits_withSeed(nums, sizeof nums, seed);
    const char *strs[5] = {sf->path, sf->abs, sf->slug, sf->lang, default_enc};
    for (int k = 0; k < 5; k++)
        seed = strs[k] ? XXH3_64bits_withSeed(strs[k], strlen(strs[k]) + 1, seed) : seed + 0x9E3779B97F4A7C15u;
    Slot *s = &c->slots[slot];
    if (!s->meta) {
        XXH128_hash_t h = XXH3_128bits_withSeed(sf->abs, strlen(sf->abs), seed ^ 0x6d6574616b657931u);
        s->mkey[0] = h.low64;
        s->mkey[1] = h.high64;
        s->meta = true;
    }
    return seed;
}

bool parsecache_trust(ParseCache *c, size_t slot, const SourceFile *sf, const char *default_enc,
                      const struct stat *st, Arena *a, Material *m)
{
    if (!c || !c->dir)
        return false;
    meta_seed(c, slot, sf, default_enc);
    Slot *s = &c->slots[slot];
    s->st = stamp_of(st);
    if (!s->st.ino || !S_ISREG(st->st_mode))
        return false;
    const Entry *o = find_in(c, s->mkey, slot, true);
    Stamp ost;
    if (!o)
        return false;
    memcpy(&ost, o->stamp, sizeof ost);
    if (!same_stamp(&ost, &s->st) || racy(&ost, c->was) || !get_material(o->rec, o->len, a, m))
        return false;
    m->src = sf;
    s->key[0] = o->key[0];
    s->key[1] = o->key[1];
    s->keyed = true;
    s->trusted = true;
    s->fresh = false;
    s->rec = o->rec;
    s->len = (uint32_t)o->len;
    return true;
}

bool parsecache_get(ParseCache *c, size_t slot, const SourceFile *sf, const char *default_enc, const char *bytes,
                    size_t len, const struct stat *st, Arena *a, Material *m)
{
    if (!c || !c->dir)
        return false;
    uint64_t seed = meta_seed(c, slot, sf, default_enc);
    XXH128_hash_t h = XXH3_128bits_withSeed(bytes, len, seed);
    Slot *s = &c->slots[slot];
    s->key[0] = h.low64;
    s->key[1] = h.high64;
    s->keyed = true;
    s->trusted = false;
    s->st = stamp_of(st);
    s->fresh = true;
    const Entry *o = find(c, s->key, slot);
    if (!o || !get_material(o->rec, o->len, a, m))
        return false;
    m->src = sf;
    s->rec = o->rec;
    s->len = (uint32_t)o->len;
    /* the same entry under the same stat, which the next build can trust
     * as it is: no need to write the file for it */
    Stamp ost;
    memcpy(&ost, o->stamp, sizeof ost);
    s->fresh = !same_stamp(&ost, &s->st) || (s->st.ino && racy(&ost, c->was)) || o->mkey[0] != s->mkey[0] ||
               o->mkey[1] != s->mkey[1];
    return true;
}

void parsecache_put(ParseCache *c, size_t slot, const Material *m)
{
    if (!c || !c->dir || !c->slots[slot].keyed)
        return;
    Buf b = BUF_INIT;
    put_material(&b, m);
    Slot *s = &c->slots[slot];
    size_t len = b.len;
    if (len > UINT32_MAX) {
        buf_free(&b);
        return;
    }
    s->rec = buf_detach(&b);
    s->len = (uint32_t)len;
    s->made = true;
    s->fresh = true;
}

void parsecache_counts(const ParseCache *c, size_t *hits, size_t *kept, size_t *trusted)
{
    *hits = c ? c->hits : 0;
    *kept = c ? c->kept : 0;
    if (trusted)
        *trusted = c ? c->trusted : 0;
}

void parsecache_save(ParseCache *c, Diags *d)
{
    if (!c || !c->dir)
        return;
    size_t filled = 0, fresh = 0;
    c->hits = c->kept = c->trusted = 0;
    for (size_t i = 0; i < c->n; i++)
        if (c->slots[i].rec) {
            filled++;
            fresh += c->slots[i].fresh;
            if (c->slots[i].made)
                c->kept++;
            else
                c->hits++;
            c->trusted += c->slots[i].trusted;
        }
    /* unchanged: every entry from the file under the stat it has there
     * (not racy there, so the file's older moment serves as well), and
     * the file holds no others */
    if (c->kept == 0 && fresh == 0 && c->file && filled == c->n_old)
        return;
    /* written as it is made (a reader sees the old file or the new one,
     * never half of one): at 800,000 files the cache is 240 MB, which held
     * whole raised the build's peak memory */
    CacheOut *out = cachefile_begin_in(c->root, c->dir, "materials");
    Buf b = BUF_INIT;
    buf_puts(&b, MAGIC);
    const int64_t now[2] = {(int64_t)c->now.tv_sec, (int64_t)c->now.tv_nsec};
    buf_append(&b, (const char *)now, sizeof now);
    for (size_t i = 0; i < c->n; i++) {
        const Slot *s = &c->slots[i];
        if (!s->rec)
            continue;
        put_u64(&b, s->key[0]);
        put_u64(&b, s->key[1]);
        put_u64(&b, s->mkey[0]);
        put_u64(&b, s->mkey[1]);
        buf_append(&b, (const char *)&s->st, sizeof s->st);
        buf_append(&b, (const char *)&s->len, sizeof s->len);
        buf_append(&b, s->rec, s->len);
        cachefile_drain(out, &b, 1 << 20);
    }
    cachefile_drain(out, &b, 0);
    put_u64(&b, cachefile_sum(out));
    const char *why = cachefile_end(out, &b);
    if (why)
        diag_warn(d, NULL, 0, 0,
                  "cannot keep the parsed front matter in the cache folder %s: %s; the next build parses again",
                  c->dir, why);
    buf_free(&b);
}

void parsecache_free(ParseCache *c)
{
    if (!c)
        return;
    if (c->reading)
        pthread_join(c->reader, NULL);
    for (size_t i = 0; i < c->n; i++)
        if (c->slots[i].made)
            free((char *)c->slots[i].rec);
    free(c->slots);
    free(c->table);
    free(c->mtable);
    free(c->old);
    free(c->file);
    free(c->dir);
    free(c->root);
    free(c);
}
