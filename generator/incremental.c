#include "incremental.h"

#include "pool.h"

#include "buf.h"
#include "cachefile.h"

#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <xxhash.h>

#define NO_UNIT ((size_t)-1)

/* ---- the manifest's format ------------------------------------------------------
 *
 * Binary, and read by the binary that wrote it only (its identity is in the
 * head), so numbers are in this machine's byte order and layout. It is read
 * with one read() and used where it lies: nothing in it is parsed, copied or
 * allocated per file. Every part starts at a multiple of 8 bytes; padding
 * is zeros.
 *
 *   FileHead  the magic line and the identity of the binary
 *   blocks    one per unit, in the order of their names (strcmp)
 *   block     the files of no unit (its name is "")
 *   sets      the template sets (SetRec and its strings), numbered in the
 *             order the blocks before them first name them
 *   Trailer   where the parts are, and XXH3-64 of every byte before its sum
 *
 * A block: BlockHead, EntryRec[n_entries] sorted by rel (strcmp), uint32_t
 * sets[n_sets] (padded to 8), WarnRec[n_warn], then its strings: the unit's
 * name first, each NUL-terminated, padded to 8.
 *
 * A unit reused whole is written again as the bytes it was read as, only
 * its set numbers changed: no sorting, no allocation per file. The order of
 * units and files and the numbers of sets follow from the names alone, so
 * a build gives the same manifest on any number of threads. A manifest of
 * an earlier lobgen (text, "lobgen-manifest 2") is not one of these: the
 * build after an upgrade is a full one, as it is for any new binary. */
#define MANIFEST_MAGIC "lobgen-manifest 3\n"
#define NO_STR UINT32_MAX

typedef struct {
    char magic[24]; /* MANIFEST_MAGIC, NUL-padded */
    uint64_t exe[2];
} FileHead;

typedef struct {
    uint64_t len; /* bytes of the whole block, a multiple of 8 */
    uint64_t key_lo, key_hi;
    uint32_t n_entries, n_sets, n_warn;
    uint32_t str_len; /* bytes of its strings, the last one's NUL included */
} BlockHead;

/* A published file: its page key, which file it is (WriterFileId), the
 * template set its render asked for. */
typedef struct {
    uint64_t key_lo, key_hi;
    uint64_t dev, ino, size;
    int64_t mtime_s, mtime_ns;
    uint32_t set;
    uint32_t rel; /* offset of its name in the block's strings */
} EntryRec;

/* A warning its unit's render gave (level DIAG_WARNING). */
typedef struct {
    int32_t line, col;
    uint32_t file; /* offset in the block's strings, or NO_STR */
    uint32_t msg;
} WarnRec;

/* Followed by its strings: lang, then each name, NUL-terminated, padded to 8. */
typedef struct {
    uint64_t id[2];
    int32_t leerjaar;
    uint32_t n_names;
    uint32_t str_len;
    uint32_t zero;
} SetRec;

typedef struct {
    uint64_t n_units, loose_off, sets_off, n_sets;
    uint64_t sum; /* XXH3-64 of the file's bytes before it */
} Trailer;

_Static_assert(sizeof(FileHead) == 40 && sizeof(BlockHead) == 40 && sizeof(EntryRec) == 64 &&
                   sizeof(WarnRec) == 16 && sizeof(SetRec) == 32 && sizeof(Trailer) == 40,
               "the manifest's records have no padding of the compiler's");

static size_t pad8(size_t n) { return (n + 7) & ~(size_t)7; }

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

/* A block of the previous build's manifest, where it lies in the file read. */
typedef struct {
    const char *name; /* "" for the files of no unit */
    IncrKey key;
    const unsigned char *bytes;
    size_t len;
    const EntryRec *entries;
    const uint32_t *sets;
    const WarnRec *warn;
    const char *str;
    size_t n_entries, n_sets, n_warn, str_len;
} OldBlock;

/* A file of this build, noted by incr_reuse or incr_record. */
typedef struct {
    const char *rel; /* owned (own), in Incremental.strs, or in the previous manifest */
    IncrKey key;
    size_t set;
    WriterFileId fid;
    bool own;
} Entry;

/* A unit of this build (incremental.h): its input key, the template sets
 * its Markdown used, the warnings its render gave, its files. */
typedef struct {
    const char *name; /* in Incremental.strs */
    IncrKey key;
    size_t *sets;
    size_t n_sets, cap_sets;
    Diag *warn;
    size_t n_warn, cap_warn;
    Entry *e; /* rendered or reused one by one */
    size_t n_e, cap_e;
    const OldBlock *reused; /* reused whole: its files are that block's (then e is empty) */
    const OldBlock *was;    /* the previous build's unit of this name, or NULL */
    bool broken;            /* a file of it could not be noted, so it is not saved as a unit */
    /* ended and written to the pieces (piece_len > 0): its block is there,
     * with this build's set numbers, and e and warn are empty */
    uint64_t piece_at, piece_len;
} Unit;

/* name -> index, open addressing */
typedef struct {
    size_t *slot; /* index + 1, 0 = empty */
    size_t cap;   /* a power of 2 */
} Table;

struct Incremental {
    const Templates *tpl;
    uint64_t exe[2]; /* the identity of this lobgen binary */
    /* the previous build's manifest, read on a thread of its own while the
     * build goes on (incr_open); every use of it waits for it (old_ready) */
    char *path;
    pthread_t reader;
    bool reading; /* reader started, not joined yet */
    atomic_bool ready;
    pthread_mutex_t ready_lock;
    unsigned char *file; /* its bytes; blocks and entries point into it */
    TSet *old_sets;
    size_t n_old_sets;
    OldBlock *old_units;
    size_t n_old_units;
    Table old_unit_index;
    OldBlock old_loose; /* its files of no unit */
    bool have_old;
    size_t *set_map; /* [n_old_sets]: its index in this build's sets + 1, 0 = not yet */
    /* this build's */
    pthread_mutex_t lock;
    Arena *strs; /* names of units and files */
    TSet *sets;
    char **set_text; /* canonical text of sets[i], for interning */
    size_t n_sets, cap_sets, cap_text;
    Table set_index;
    Entry *loose; /* files of no unit */
    size_t n_loose, cap_loose;
    Unit *units;
    size_t n_units, cap_units;
    Table unit_index;
    size_t reused, rendered;
    /* The pieces: a file with no name beside the manifest (cachefile_anon)
     * that takes each unit's block when the unit ends, so that a build
     * does not hold its files until incr_save (3.4 million at 100,000
     * materials in 8 languages, about 130 bytes each); incr_save copies
     * the blocks in the order of their names. Opened with the first unit
     * that ends; hold: none (it cannot be made, or incr_hold_in_memory),
     * the files are kept in memory as before. */
    char *pieces_dir;
    int pieces;
    bool pieces_tried, hold;
    uint64_t pieces_end;
    /* the manifest written while the site is published (incr_save_start) */
    pthread_t saver;
    bool saving;     /* saver started, not joined yet */
    char *save_dir;  /* the output's path, for the saver */
    CacheOut *saved; /* the manifest under its temporary name, or NULL */
    char *save_path;
    const char *save_why;
};

/* The unit this thread's pages belong to (incr_unit_begin), and the
 * previous build's unit of that name, where its files are looked up. */
static _Thread_local size_t cur_unit = NO_UNIT;
static _Thread_local const OldBlock *cur_was;

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
static size_t *table_find(const Table *t, const char *s, const char *(*name_of)(const void *, size_t),
                          const void *ctx)
{
    size_t i = (size_t)str_hash(s) & (t->cap - 1);
    while (t->slot[i] && strcmp(name_of(ctx, t->slot[i] - 1), s))
        i = (i + 1) & (t->cap - 1);
    return &t->slot[i];
}

static const char *block_name(const void *ctx, size_t i) { return ((const OldBlock *)ctx)[i].name; }
static const char *unit_name(const void *ctx, size_t i) { return ((const Unit *)ctx)[i].name; }
static const char *set_text_of(const void *ctx, size_t i) { return ((char *const *)ctx)[i]; }

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
    buf_puts(&text, lang);
    buf_putc(&text, '\t');
    buf_put_int(&text, leerjaar);
    for (size_t i = 0; i < n; i++) {
        if (!plain_field(sorted[i]) || !sorted[i][0]) {
            free(sorted);
            buf_free(&text);
            return (size_t)-1;
        }
        buf_putc(&text, '\t');
        buf_puts(&text, sorted[i]);
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
        free(u[i].sets);
        for (size_t k = 0; k < u[i].n_warn; k++) {
            free(u[i].warn[k].file);
            free(u[i].warn[k].msg);
        }
        free(u[i].warn);
        for (size_t k = 0; k < u[i].n_e; k++)
            if (u[i].e[k].own)
                free((char *)u[i].e[k].rel);
        free(u[i].e);
    }
    free(u);
}

/* ---- reading the manifest --------------------------------------------------- */

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

/* The manifest at path whole, in one malloc'ed buffer (aligned for the
 * records), with *len; NULL when it cannot be read or does not start with
 * head (another format, another binary: not read further, which at
 * 100,000 materials saves reading hundreds of MB after an upgrade). */
static unsigned char *read_whole(const char *path, const FileHead *head, size_t *len)
{
    int fd = open(path, O_RDONLY | O_CLOEXEC | O_NONBLOCK); /* a FIFO: no wait for a writer (refused below) */
    if (fd < 0)
        return NULL;
    struct stat st;
    unsigned char *p = NULL;
    if (fstat(fd, &st) == 0 && S_ISREG(st.st_mode) && (uint64_t)st.st_size >= sizeof *head &&
        (uint64_t)st.st_size < SIZE_MAX / 2) {
        size_t want = (size_t)st.st_size, got = 0;
        p = xmalloc(want);
        while (got < want) {
            /* the head first */
            size_t ask = got < sizeof *head ? sizeof *head - got : want - got;
            ssize_t k = read(fd, p + got, ask);
            if (k < 0 && errno == EINTR)
                continue;
            if (k <= 0)
                break;
            got += (size_t)k;
            if (got == sizeof *head && memcmp(p, head, sizeof *head))
                break;
        }
        if (got != want) { /* not this binary's, cut off while read, or an error */
            free(p);
            p = NULL;
        }
        *len = got;
    }
    close(fd);
    return p;
}

/* A block at p, with avail bytes left before the next part; false when
 * it is not one incr_save wrote. Its contents are checked by block_check. */
static bool parse_block(const unsigned char *p, size_t avail, OldBlock *b)
{
    BlockHead h;
    if (avail < sizeof h)
        return false;
    memcpy(&h, p, sizeof h);
    if (h.len > avail || h.len % 8 || !h.str_len)
        return false;
    size_t at_entries = sizeof h, at_sets = at_entries + (size_t)h.n_entries * sizeof(EntryRec),
           at_warn = at_sets + pad8((size_t)h.n_sets * sizeof(uint32_t)),
           at_str = at_warn + (size_t)h.n_warn * sizeof(WarnRec);
    if (at_str + pad8(h.str_len) != h.len)
        return false;
    /* the file is read into malloc'ed memory and every part starts at a
     * multiple of 8: the records can be read where they lie */
    *b = (OldBlock){.key = {h.key_lo, h.key_hi},
                    .bytes = p,
                    .len = (size_t)h.len,
                    .entries = (const EntryRec *)(const void *)(p + at_entries),
                    .sets = (const uint32_t *)(const void *)(p + at_sets),
                    .warn = (const WarnRec *)(const void *)(p + at_warn),
                    .str = (const char *)p + at_str,
                    .n_entries = h.n_entries,
                    .n_sets = h.n_sets,
                    .n_warn = h.n_warn,
                    .str_len = h.str_len};
    b->name = b->str;
    return b->str[b->str_len - 1] == '\0'; /* so every string in it ends */
}

/* Every number in block b in range (sets, strings), every file named. */
static bool block_check(const OldBlock *b, size_t n_sets)
{
    for (size_t k = 0; k < b->n_sets; k++)
        if (b->sets[k] >= n_sets)
            return false;
    for (size_t k = 0; k < b->n_warn; k++) {
        const WarnRec *g = &b->warn[k];
        if ((g->file != NO_STR && g->file >= b->str_len) || g->msg >= b->str_len || g->line < 0 || g->col < 0)
            return false;
    }
    for (size_t k = 0; k < b->n_entries; k++) {
        const EntryRec *e = &b->entries[k];
        if (e->set >= n_sets || e->rel >= b->str_len || !b->str[e->rel])
            return false;
    }
    return true;
}

static bool parse_sets(Incremental *inc, const unsigned char *p, const unsigned char *end, size_t n)
{
    inc->old_sets = xcalloc(n + 1, sizeof(TSet));
    for (size_t i = 0; i < n; i++) {
        SetRec r;
        if ((size_t)(end - p) < sizeof r)
            return false;
        memcpy(&r, p, sizeof r);
        p += sizeof r;
        if (r.n_names > 4096 || !r.str_len || (size_t)(end - p) < pad8(r.str_len) || p[r.str_len - 1])
            return false;
        const char *s = (const char *)p, *stop = s + r.str_len;
        TSet *t = &inc->old_sets[inc->n_old_sets++];
        *t = (TSet){.lang = xstrdup(s), .leerjaar = r.leerjaar, .names = xcalloc(r.n_names + 1, sizeof(char *))};
        t->id[0] = r.id[0];
        t->id[1] = r.id[1];
        /* as intern_set makes them: else the set could not be carried on */
        if (!plain_field(t->lang))
            return false;
        s += strlen(s) + 1;
        for (; t->n < r.n_names; t->n++) {
            if (s >= stop || !*s || !plain_field(s))
                return false;
            t->names[t->n] = xstrdup(s);
            s += strlen(s) + 1;
        }
        if (s != stop)
            return false;
        p += pad8(r.str_len);
    }
    return p == end;
}

/* Read the manifest's len bytes at file into inc's old sets and blocks;
 * false when anything is not as incr_save wrote it. */
static bool parse_manifest(Incremental *inc, const unsigned char *file, size_t len)
{
    FileHead head;
    Trailer tr;
    if (len < sizeof head + sizeof tr || len % 8 || !inc->exe[1])
        return false;
    memcpy(&head, file, sizeof head);
    memcpy(&tr, file + len - sizeof tr, sizeof tr);
    char magic[sizeof head.magic] = {0};
    memcpy(magic, MANIFEST_MAGIC, sizeof MANIFEST_MAGIC - 1);
    if (memcmp(head.magic, magic, sizeof magic) || head.exe[0] != inc->exe[0] || head.exe[1] != inc->exe[1])
        return false;
    if (tr.sum != XXH3_64bits(file, len - sizeof tr.sum))
        return false;
    size_t end = len - sizeof tr;
    if (tr.loose_off < sizeof head || tr.loose_off > tr.sets_off || tr.sets_off > end || tr.loose_off % 8 ||
        tr.sets_off % 8 || tr.n_units > len / sizeof(BlockHead) || tr.n_sets > len / sizeof(SetRec))
        return false;
    if (!parse_sets(inc, file + tr.sets_off, file + end, (size_t)tr.n_sets))
        return false;
    inc->old_units = xcalloc((size_t)tr.n_units + 1, sizeof(OldBlock));
    table_init(&inc->old_unit_index, (size_t)tr.n_units);
    size_t at = sizeof head;
    while (at < tr.loose_off) {
        if (inc->n_old_units == tr.n_units)
            return false;
        OldBlock *b = &inc->old_units[inc->n_old_units];
        if (!parse_block(file + at, (size_t)tr.loose_off - at, b) || !b->name[0] || !block_check(b, inc->n_old_sets))
            return false;
        size_t *slot = table_find(&inc->old_unit_index, b->name, block_name, inc->old_units);
        if (*slot)
            return false; /* a name twice: not a manifest incr_save wrote */
        *slot = ++inc->n_old_units;
        at += b->len;
    }
    if (inc->n_old_units != tr.n_units)
        return false;
    OldBlock *b = &inc->old_loose;
    return parse_block(file + at, (size_t)(tr.sets_off - at), b) && b->len == tr.sets_off - at && !b->name[0] &&
           !b->n_sets && !b->n_warn && block_check(b, inc->n_old_sets);
}

static void drop_old(Incremental *inc)
{
    free_sets(inc->old_sets, inc->n_old_sets);
    free(inc->old_units);
    free(inc->old_unit_index.slot);
    free(inc->set_map);
    free(inc->file);
    inc->file = NULL;
    inc->set_map = NULL;
    inc->old_sets = NULL;
    inc->old_units = NULL;
    inc->old_unit_index = (Table){0};
    inc->old_loose = (OldBlock){0};
    inc->n_old_sets = inc->n_old_units = 0;
    inc->have_old = false;
}

/* Read and check the manifest at inc->path (the reader thread). */
static void *read_old(void *p)
{
    Incremental *inc = p;
    size_t len = 0;
    FileHead head = {.exe = {inc->exe[0], inc->exe[1]}};
    memcpy(head.magic, MANIFEST_MAGIC, sizeof MANIFEST_MAGIC - 1);
    inc->file = read_whole(inc->path, &head, &len);
    if (!inc->file)
        return NULL;
    if (!parse_manifest(inc, inc->file, len)) {
        drop_old(inc);
        return NULL;
    }
    inc->set_map = xcalloc(inc->n_old_sets + 1, sizeof(size_t));
    for (size_t i = 0; i < inc->n_old_sets; i++) {
        TSet *s = &inc->old_sets[i];
        uint64_t now[2];
        set_identity(inc->tpl, s->lang, s->leerjaar, s->names, s->n, now);
        s->valid = now[0] == s->id[0] && now[1] == s->id[1];
    }
    inc->have_old = true;
    return NULL;
}

/* Wait for the reader: the previous manifest is read (or found unusable). */
static void old_ready(Incremental *inc)
{
    if (atomic_load_explicit(&inc->ready, memory_order_acquire))
        return;
    pthread_mutex_lock(&inc->ready_lock);
    if (inc->reading) {
        pthread_join(inc->reader, NULL);
        inc->reading = false;
    }
    atomic_store_explicit(&inc->ready, true, memory_order_release);
    pthread_mutex_unlock(&inc->ready_lock);
}

/* finished before any fork (pool.h): audio.c speaks each text in a child */
static void finish_reading(void *inc) { old_ready(inc); }

Incremental *incr_open(const char *out_dir, const Templates *tpl, bool full)
{
    Incremental *inc = xcalloc(1, sizeof *inc);
    inc->tpl = tpl;
    cachefile_binary_id(inc->exe);
    pthread_mutex_init(&inc->lock, NULL);
    pthread_mutex_init(&inc->ready_lock, NULL);
    inc->strs = arena_new();
    table_init(&inc->set_index, 64);
    table_init(&inc->unit_index, 64);
    inc->pieces = -1;
    {
        char *m = manifest_path(out_dir, "");
        char *slash = strrchr(m, '/');
        if (slash)
            *slash = '\0';
        inc->pieces_dir = slash ? m : xstrdup(".");
        if (!slash)
            free(m);
    }
    if (full || !tpl) {
        atomic_init(&inc->ready, true);
        return inc;
    }
    /* tens of MB on a large site: read while the build goes on to its
     * first unit (the cards' keys, the pack parts) */
    inc->path = manifest_path(out_dir, "");
    atomic_init(&inc->ready, false);
    if (fork_guard_begin(finish_reading, inc)) { /* else read here */
        inc->reading = pthread_create(&inc->reader, NULL, read_old, inc) == 0;
        fork_guard_end();
    }
    if (!inc->reading)
        read_old(inc);
    return inc;
}

void incr_free(Incremental *inc)
{
    if (!inc)
        return;
    fork_guard_forget(inc);
    incr_save_finish(inc, false, NULL); /* a manifest started and not wanted: removed */
    free(inc->save_dir);
    old_ready(inc);
    drop_old(inc);
    free(inc->path);
    free(inc->pieces_dir);
    if (inc->pieces >= 0)
        close(inc->pieces);
    pthread_mutex_destroy(&inc->ready_lock);
    free_sets(inc->sets, inc->n_sets);
    for (size_t i = 0; i < inc->n_sets; i++)
        free(inc->set_text[i]);
    free(inc->set_text);
    free(inc->set_index.slot);
    free(inc->loose);
    free_units(inc->units, inc->n_units);
    free(inc->unit_index.slot);
    arena_free(inc->strs);
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
 * caller holds inc->lock (or is the only thread). (size_t)-1 when it
 * cannot be. */
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

static WriterFileId rec_fid(const EntryRec *e)
{
    return (WriterFileId){e->dev, e->ino, e->size, (long long)e->mtime_s, (long)e->mtime_ns};
}

/* The file rel in old block b, or NULL: a block's files are sorted. */
static const EntryRec *block_find(const OldBlock *b, const char *rel)
{
    size_t lo = 0, hi = b->n_entries;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        int c = strcmp(b->str + b->entries[mid].rel, rel);
        if (!c)
            return &b->entries[mid];
        if (c < 0)
            lo = mid + 1;
        else
            hi = mid;
    }
    return NULL;
}

/* Note a file for the unit u (NO_UNIT: of no unit); rel must live until
 * incr_free. The caller holds inc->lock. */
static void add_entry(Incremental *inc, size_t u, const char *rel, IncrKey key, size_t set, const WriterFileId *fid,
                      bool own)
{
    Entry e = {rel, key, set, *fid, own};
    if (u == NO_UNIT) {
        ALLOC_GROW(inc->loose, inc->n_loose + 1, inc->cap_loose);
        inc->loose[inc->n_loose++] = e;
    } else {
        Unit *x = &inc->units[u];
        ALLOC_GROW(x->e, x->n_e + 1, x->cap_e);
        x->e[x->n_e++] = e;
    }
}

/* Note the files of old block b for unit u one by one; the caller holds
 * inc->lock. */
static void add_block(Incremental *inc, size_t u, const OldBlock *b)
{
    for (size_t k = 0; k < b->n_entries; k++) {
        const EntryRec *r = &b->entries[k];
        size_t set = map_set(inc, r->set);
        WriterFileId fid = rec_fid(r);
        if (set != (size_t)-1) /* else it is left out: the next build renders it */
            add_entry(inc, u, b->str + r->rel, (IncrKey){r->key_lo, r->key_hi}, set, &fid, false);
    }
}

/* Unit u cannot be saved as a unit (a file of it is not noted, or its
 * name is used twice): its files are kept as files of no unit. The caller
 * holds inc->lock. */
static void unit_break(Incremental *inc, size_t u)
{
    if (u == NO_UNIT)
        return;
    Unit *x = &inc->units[u];
    x->broken = true;
    if (x->reused) {
        const OldBlock *b = x->reused;
        x->reused = NULL;
        add_block(inc, u, b);
    }
}

static void unit_broken(Incremental *inc) { unit_break(inc, cur_unit); }

bool incr_reuse(Incremental *inc, Writer *w, const char *rel, IncrKey key)
{
    if (!inc)
        return false;
    old_ready(inc);
    if (!inc->have_old)
        return false;
    /* in the previous build's unit of the same name, else among its files
     * of no unit (a unit that could not be saved as one) */
    const OldBlock *b = cur_was;
    const EntryRec *e = b ? block_find(b, rel) : NULL;
    if (!e) {
        b = &inc->old_loose;
        e = block_find(b, rel);
    }
    if (!e || e->key_lo != key.lo || e->key_hi != key.hi || !inc->old_sets[e->set].valid)
        return false;
    WriterFileId fid = rec_fid(e);
    if (!writer_link_previous(w, rel, &fid))
        return false;
    pthread_mutex_lock(&inc->lock);
    size_t set = map_set(inc, e->set);
    if (set != (size_t)-1)
        add_entry(inc, cur_unit, b->str + e->rel, key, set, &fid, false);
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
    bool have = rel[0] && writer_file_id(w, rel, &fid);
    pthread_mutex_lock(&inc->lock);
    inc->rendered++;
    size_t set = have ? intern_set(inc, lang ? lang : "", leerjaar, use->names, use->n) : (size_t)-1;
    /* a unit's names are freed when it goes to the pieces; the files of no unit stay */
    if (set != (size_t)-1 && cur_unit != NO_UNIT)
        add_entry(inc, cur_unit, xstrdup(rel), key, set, &fid, true);
    else if (set != (size_t)-1)
        add_entry(inc, cur_unit, arena_strdup(inc->strs, rel), key, set, &fid, false);
    else
        unit_broken(inc);
    pthread_mutex_unlock(&inc->lock);
}

/* ---- units --------------------------------------------------------------------- */

static bool to_pieces(Incremental *inc, Unit *x);

/* This build's unit named name, made on first use; the caller holds
 * inc->lock. NO_UNIT when there can be no unit of that name. */
static size_t intern_unit(Incremental *inc, const char *name, IncrKey key)
{
    if (!name[0]) /* the name of the files of no unit */
        return NO_UNIT;
    size_t *slot = table_find(&inc->unit_index, name, unit_name, inc->units);
    if (*slot) {
        unit_break(inc, *slot - 1); /* one name, two units: keep neither */
        return *slot - 1;
    }
    if (2 * (inc->n_units + 1) >= inc->unit_index.cap) {
        free(inc->unit_index.slot);
        table_init(&inc->unit_index, 2 * (inc->n_units + 1));
        for (size_t i = 0; i < inc->n_units; i++)
            *table_find(&inc->unit_index, inc->units[i].name, unit_name, inc->units) = i + 1;
        slot = table_find(&inc->unit_index, name, unit_name, inc->units);
    }
    const OldBlock *was = NULL;
    if (inc->n_old_units) {
        size_t *o = table_find(&inc->old_unit_index, name, block_name, inc->old_units);
        was = *o ? &inc->old_units[*o - 1] : NULL;
    }
    ALLOC_GROW(inc->units, inc->n_units + 1, inc->cap_units);
    inc->units[inc->n_units] = (Unit){.name = arena_strdup(inc->strs, name), .key = key, .was = was};
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
    if (!inc || !name[0])
        return false;
    old_ready(inc);
    if (!inc->n_old_units)
        return false;
    size_t *slot = table_find(&inc->old_unit_index, name, block_name, inc->old_units);
    if (!*slot)
        return false;
    const OldBlock *u = &inc->old_units[*slot - 1];
    if (u->key.lo != key.lo || u->key.hi != key.hi)
        return false;
    for (size_t k = 0; k < u->n_sets; k++)
        if (!inc->old_sets[u->sets[k]].valid)
            return false;
    for (size_t k = 0; k < u->n_entries; k++)
        if (!inc->old_sets[u->entries[k].set].valid)
            return false;
    /* the spare's records of the unit's files loaded from memory side by
     * side, not one miss after another in the loop below */
    for (int stage = 0; stage < 3; stage++)
        for (size_t k = 0; k < u->n_entries; k++)
            writer_prefetch(w, u->str + u->entries[k].rel, stage);
    /* all or nothing: a file that is not the one published any more means
     * the unit is rendered, and what was linked of it taken out again */
    for (size_t k = 0; k < u->n_entries; k++) {
        const EntryRec *e = &u->entries[k];
        WriterFileId fid = rec_fid(e);
        if (!writer_link_previous(w, u->str + e->rel, &fid)) {
            while (k-- > 0)
                writer_unlink(w, u->str + u->entries[k].rel);
            return false;
        }
    }
    /* its files are noted as the block they were read as (incr_save
     * writes it again); one lock for the whole unit */
    pthread_mutex_lock(&inc->lock);
    size_t saved = cur_unit;
    cur_unit = intern_unit(inc, name, key);
    Unit *x = &inc->units[cur_unit];
    if (x->broken)
        add_block(inc, cur_unit, u);
    else
        x->reused = u;
    for (size_t k = 0; k < u->n_sets; k++) {
        size_t set = map_set(inc, u->sets[k]);
        if (set == (size_t)-1)
            unit_broken(inc);
        else
            unit_add_set(&inc->units[cur_unit], set);
    }
    inc->reused += u->n_entries;
    cur_unit = saved;
    pthread_mutex_unlock(&inc->lock);
    for (size_t k = 0; k < u->n_warn; k++) {
        const WarnRec *g = &u->warn[k];
        diag_add(d, DIAG_WARNING, g->file == NO_STR ? NULL : u->str + g->file, g->line, g->col, "%s", u->str + g->msg);
    }
    return true;
}

size_t incr_unit_begin(Incremental *inc, const char *name, IncrKey key)
{
    size_t prev = cur_unit;
    if (!inc)
        return prev;
    old_ready(inc); /* a unit's files are looked up in the previous build's unit of its name */
    pthread_mutex_lock(&inc->lock);
    cur_unit = intern_unit(inc, name, key);
    cur_was = cur_unit == NO_UNIT ? NULL : inc->units[cur_unit].was;
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
    pthread_mutex_lock(&inc->lock);
    for (size_t k = from; cur_unit != NO_UNIT && d && k < d->len; k++)
        if (d->items[k].level == DIAG_WARNING && d->items[k].msg)
            unit_add_warning(&inc->units[cur_unit], &d->items[k]);
        else
            unit_broken(inc); /* an error: nothing is published anyway */
    if (cur_unit != NO_UNIT) { /* its files are all noted: to the pieces, or no room kept for more */
        Unit *x = &inc->units[cur_unit];
        if (!x->broken && !x->reused && x->n_e && !to_pieces(inc, x) && x->cap_e > x->n_e) {
            x->e = xrealloc(x->e, x->n_e * sizeof *x->e);
            x->cap_e = x->n_e;
        }
    }
    cur_unit = prev;
    cur_was = prev == NO_UNIT ? NULL : inc->units[prev].was;
    pthread_mutex_unlock(&inc->lock);
}

void incr_counts(const Incremental *inc, size_t *reused, size_t *rendered)
{
    *reused = inc ? inc->reused : 0;
    *rendered = inc ? inc->rendered : 0;
}

/* ---- writing the manifest -------------------------------------------------------- */

/* The manifest being written: its sets numbered in the order first written. */
typedef struct {
    Incremental *inc;
    CacheOut *out;
    Buf o;
    size_t off;    /* bytes drained from o so far */
    uint32_t *num; /* [this build's set]: its number + 1, 0 = not written yet */
    size_t cap_num;
    size_t *order; /* [number]: this build's set */
    size_t n_order, cap_order;
    bool raw; /* a block for the pieces: sets keep this build's numbers */
} Save;

static void save_drain(Save *s, size_t at_least)
{
    size_t n = s->o.len;
    cachefile_drain(s->out, &s->o, at_least);
    if (!s->o.len)
        s->off += n;
}

static uint32_t number_set(Save *s, size_t set)
{
    if (s->raw)
        return (uint32_t)set;
    if (set >= s->cap_num) {
        size_t cap = s->cap_num;
        s->cap_num = 2 * set + 16;
        s->num = xrealloc(s->num, s->cap_num * sizeof *s->num);
        memset(s->num + cap, 0, (s->cap_num - cap) * sizeof *s->num);
    }
    if (!s->num[set]) {
        ALLOC_GROW(s->order, s->n_order + 1, s->cap_order);
        s->order[s->n_order++] = set;
        s->num[set] = (uint32_t)s->n_order;
    }
    return s->num[set] - 1;
}

/* Old block b as it was read, with its sets numbered anew: b's set numbers
 * are the previous build's, or this build's when ours (a block of the
 * pieces). */
static void put_old_block(Save *s, const OldBlock *b, bool ours)
{
    size_t at = s->o.len;
    buf_append(&s->o, (const char *)b->bytes, b->len);
    unsigned char *q = (unsigned char *)s->o.data + at;
    size_t at_sets = (size_t)((const unsigned char *)b->sets - b->bytes);
    for (size_t k = 0; k < b->n_sets; k++) {
        uint32_t v = number_set(s, ours ? b->sets[k] : map_set(s->inc, b->sets[k]));
        memcpy(q + at_sets + k * sizeof v, &v, sizeof v);
    }
    /* sets of old blocks map to this build's (parse_sets took only sets
     * intern_set accepts); a file's set is numbered when first seen */
    size_t at_set = sizeof(BlockHead) + offsetof(EntryRec, set);
    uint32_t last_old = UINT32_MAX, last_num = 0;
    for (size_t k = 0; k < b->n_entries; k++) {
        uint32_t old = b->entries[k].set;
        if (old != last_old) {
            last_old = old;
            last_num = number_set(s, ours ? old : map_set(s->inc, old));
        }
        memcpy(q + at_set + k * sizeof(EntryRec), &last_num, sizeof last_num);
    }
}

static int cmp_entry(const void *a, const void *b)
{
    const Entry *x = a, *y = b;
    int c = strcmp(x->rel, y->rel);
    /* one name twice is not made; ordered all the same, whatever the threads did */
    return c ? c : memcmp(&x->key, &y->key, sizeof x->key) ? memcmp(&x->key, &y->key, sizeof x->key)
                                                            : memcmp(&x->fid, &y->fid, sizeof x->fid);
}

static void put_zeros(Buf *o, size_t n)
{
    static const char zeros[8];
    buf_append(o, zeros, n);
}

/* A block of this build's: files e (sorted here), sets, warnings. */
static void put_new_block(Save *s, const char *name, IncrKey key, const size_t *sets, size_t n_sets,
                          const Diag *warn, size_t n_warn, Entry *e, size_t n)
{
    if (n > 1)
        qsort(e, n, sizeof *e, cmp_entry);
    /* numbered as put_old_block does: the unit's sets, then its files' */
    uint32_t *num = xcalloc(n_sets + 1, sizeof *num);
    for (size_t k = 0; k < n_sets; k++)
        num[k] = number_set(s, sets[k]);
    size_t str_len = strlen(name) + 1;
    for (size_t k = 0; k < n; k++)
        str_len += strlen(e[k].rel) + 1;
    for (size_t k = 0; k < n_warn; k++)
        str_len += (warn[k].file ? strlen(warn[k].file) + 1 : 0) + strlen(warn[k].msg) + 1;
    BlockHead h = {.len = sizeof h + n * sizeof(EntryRec) + pad8(n_sets * sizeof(uint32_t)) + n_warn * sizeof(WarnRec) +
                          pad8(str_len),
                   .key_lo = key.lo,
                   .key_hi = key.hi,
                   .n_entries = (uint32_t)n,
                   .n_sets = (uint32_t)n_sets,
                   .n_warn = (uint32_t)n_warn,
                   .str_len = (uint32_t)str_len};
    buf_append(&s->o, (const char *)&h, sizeof h);
    size_t off = strlen(name) + 1;
    for (size_t k = 0; k < n; k++) {
        EntryRec r = {.key_lo = e[k].key.lo,
                      .key_hi = e[k].key.hi,
                      .dev = e[k].fid.dev,
                      .ino = e[k].fid.ino,
                      .size = e[k].fid.size,
                      .mtime_s = e[k].fid.mtime_s,
                      .mtime_ns = e[k].fid.mtime_ns,
                      .set = number_set(s, e[k].set),
                      .rel = (uint32_t)off};
        buf_append(&s->o, (const char *)&r, sizeof r);
        off += strlen(e[k].rel) + 1;
    }
    buf_append(&s->o, (const char *)num, n_sets * sizeof *num);
    free(num);
    put_zeros(&s->o, pad8(n_sets * sizeof(uint32_t)) - n_sets * sizeof(uint32_t));
    for (size_t k = 0; k < n_warn; k++) {
        const Diag *g = &warn[k];
        WarnRec r = {g->line > 0 ? g->line : 0, g->col > 0 ? g->col : 0, NO_STR, 0};
        if (g->file) {
            r.file = (uint32_t)off;
            off += strlen(g->file) + 1;
        }
        r.msg = (uint32_t)off;
        off += strlen(g->msg) + 1;
        buf_append(&s->o, (const char *)&r, sizeof r);
    }
    buf_append(&s->o, name, strlen(name) + 1);
    for (size_t k = 0; k < n; k++)
        buf_append(&s->o, e[k].rel, strlen(e[k].rel) + 1);
    for (size_t k = 0; k < n_warn; k++) {
        if (warn[k].file)
            buf_append(&s->o, warn[k].file, strlen(warn[k].file) + 1);
        buf_append(&s->o, warn[k].msg, strlen(warn[k].msg) + 1);
    }
    put_zeros(&s->o, pad8(str_len) - str_len);
}

/* Sort u's sets in the order of their text, not of the calls. */
static void sort_sets(const Incremental *inc, Unit *u)
{
    for (size_t k = 1; k < u->n_sets; k++)
        for (size_t j = k; j > 0 && strcmp(inc->set_text[u->sets[j - 1]], inc->set_text[u->sets[j]]) > 0; j--) {
            size_t t = u->sets[j];
            u->sets[j] = u->sets[j - 1];
            u->sets[j - 1] = t;
        }
}

/* Write ended unit x's block to the pieces (opened on first use) and free
 * its files and warnings; the caller holds inc->lock. False when it stays
 * in memory (no pieces, or they failed: then no unit after it goes
 * there). */
static bool to_pieces(Incremental *inc, Unit *x)
{
    if (inc->hold)
        return false;
    if (!inc->pieces_tried) {
        inc->pieces_tried = true;
        inc->pieces = cachefile_anon(inc->pieces_dir);
    }
    if (inc->pieces < 0) {
        inc->hold = true;
        return false;
    }
    sort_sets(inc, x);
    Save s = {.inc = inc, .o = BUF_INIT, .raw = true};
    put_new_block(&s, x->name, x->key, x->sets, x->n_sets, x->warn, x->n_warn, x->e, x->n_e);
    bool ok = cachefile_pwrite(inc->pieces, s.o.data, s.o.len, inc->pieces_end);
    if (ok) {
        x->piece_at = inc->pieces_end;
        x->piece_len = s.o.len;
        inc->pieces_end += s.o.len;
        for (size_t k = 0; k < x->n_e; k++)
            if (x->e[k].own)
                free((char *)x->e[k].rel);
        free(x->e);
        x->e = NULL;
        x->n_e = x->cap_e = 0;
        for (size_t k = 0; k < x->n_warn; k++) {
            free(x->warn[k].file);
            free(x->warn[k].msg);
        }
        free(x->warn);
        x->warn = NULL;
        x->n_warn = x->cap_warn = 0;
    } else {
        inc->hold = true;
    }
    buf_free(&s.o);
    return ok;
}

/* Unit u's block, read back from the pieces into *bytes (malloc'ed; free
 * it after b is used); false when it cannot be read. */
static bool read_piece(const Incremental *inc, const Unit *u, unsigned char **bytes, OldBlock *b)
{
    *bytes = xmalloc((size_t)u->piece_len + 1);
    return cachefile_pread(inc->pieces, *bytes, (size_t)u->piece_len, u->piece_at) &&
           parse_block(*bytes, (size_t)u->piece_len, b) && b->len == u->piece_len;
}

void incr_hold_in_memory(Incremental *inc)
{
    if (inc)
        inc->hold = true;
}

static int cmp_unit(const void *a, const void *b)
{
    return strcmp((*(Unit *const *)a)->name, (*(Unit *const *)b)->name);
}

/* The manifest, written under a temporary name beside its own: into
 * inc->saved (closed; renamed by incr_save_finish), its path and the first
 * failure in save_path and save_why. */
static void save_write(Incremental *inc, const char *out_dir)
{
    old_ready(inc);
    /* written as it is made: at 100,000 materials in 8 languages it is
     * hundreds of MB, which held whole raised the build's peak memory */
    char *path = manifest_path(out_dir, "");
    /* nameless until it is wanted: written while the site is published, it
     * may be given up, and a build killed meanwhile leaves nothing */
    Save s = {.inc = inc, .out = cachefile_begin(path), .o = BUF_INIT};
    FileHead head = {.exe = {inc->exe[0], inc->exe[1]}};
    memcpy(head.magic, MANIFEST_MAGIC, sizeof MANIFEST_MAGIC - 1);
    buf_append(&s.o, (const char *)&head, sizeof head);
    /* units in the order of their names, whatever order the threads made them in */
    Unit **units = xcalloc(inc->n_units + 1, sizeof(Unit *));
    for (size_t i = 0; i < inc->n_units; i++)
        units[i] = &inc->units[i];
    if (inc->n_units > 1)
        qsort(units, inc->n_units, sizeof *units, cmp_unit);
    for (size_t i = 0; i < inc->n_units; i++)
        if (inc->units[i].reused && inc->units[i].n_e) /* not made so; but never lost */
            unit_break(inc, i);
    Trailer tr = {0};
    size_t n_loose = inc->n_loose;
    /* units broken after they went to the pieces (a name used twice):
     * their files are read back, to be kept as files of no unit */
    unsigned char **back = xcalloc(inc->n_units + 1, sizeof *back);
    OldBlock *back_b = xcalloc(inc->n_units + 1, sizeof *back_b);
    const char *why = NULL;
    for (size_t i = 0; i < inc->n_units && !why; i++) {
        Unit *u = units[i];
        if (u->broken) {
            n_loose += u->n_e;
            if (u->piece_len && !read_piece(inc, u, &back[i], &back_b[i]))
                why = strerror(errno ? errno : EIO);
            n_loose += back_b[i].n_entries;
            continue;
        }
        /* its sets in the order of their text, not of the calls */
        sort_sets(inc, u);
        if (u->reused) {
            put_old_block(&s, u->reused, false);
        } else if (u->piece_len) {
            unsigned char *bytes;
            OldBlock b;
            if (read_piece(inc, u, &bytes, &b))
                put_old_block(&s, &b, true);
            else
                why = strerror(errno ? errno : EIO);
            free(bytes);
        } else {
            put_new_block(&s, u->name, u->key, u->sets, u->n_sets, u->warn, u->n_warn, u->e, u->n_e);
        }
        tr.n_units++;
        save_drain(&s, 1 << 20);
    }
    /* the files of no unit, with those of units that cannot be saved as one */
    Entry *loose = xcalloc(n_loose + 1, sizeof(Entry));
    if (inc->n_loose)
        memcpy(loose, inc->loose, inc->n_loose * sizeof(Entry));
    n_loose = inc->n_loose;
    for (size_t i = 0; i < inc->n_units && !why; i++) {
        if (units[i]->broken && units[i]->n_e) {
            memcpy(loose + n_loose, units[i]->e, units[i]->n_e * sizeof(Entry));
            n_loose += units[i]->n_e;
        }
        const OldBlock *b = &back_b[i];
        for (size_t k = 0; k < b->n_entries; k++) {
            const EntryRec *r = &b->entries[k];
            loose[n_loose++] = (Entry){b->str + r->rel, {r->key_lo, r->key_hi}, r->set, rec_fid(r), false};
        }
    }
    free(units);
    tr.loose_off = s.off + s.o.len;
    put_new_block(&s, "", (IncrKey){0, 0}, NULL, 0, NULL, 0, loose, n_loose);
    free(loose);
    for (size_t i = 0; i < inc->n_units; i++)
        free(back[i]);
    free(back);
    free(back_b);
    tr.sets_off = s.off + s.o.len;
    for (size_t k = 0; k < s.n_order; k++) {
        const TSet *t = &inc->sets[s.order[k]];
        size_t str_len = strlen(t->lang) + 1;
        for (size_t j = 0; j < t->n; j++)
            str_len += strlen(t->names[j]) + 1;
        SetRec r = {.id = {t->id[0], t->id[1]},
                    .leerjaar = t->leerjaar,
                    .n_names = (uint32_t)t->n,
                    .str_len = (uint32_t)str_len};
        buf_append(&s.o, (const char *)&r, sizeof r);
        buf_append(&s.o, t->lang, strlen(t->lang) + 1);
        for (size_t j = 0; j < t->n; j++)
            buf_append(&s.o, t->names[j], strlen(t->names[j]) + 1);
        put_zeros(&s.o, pad8(str_len) - str_len);
        save_drain(&s, 1 << 20);
    }
    tr.n_sets = s.n_order;
    buf_append(&s.o, (const char *)&tr, offsetof(Trailer, sum));
    save_drain(&s, 0);
    tr.sum = cachefile_sum(s.out);
    buf_append(&s.o, (const char *)&tr.sum, sizeof tr.sum);
    if (why) /* a block could not be read back from the pieces: the old manifest stays */
        cachefile_fail(s.out, why);
    inc->save_why = cachefile_close(s.out, &s.o);
    inc->saved = s.out;
    inc->save_path = path;
    buf_free(&s.o);
    free(s.num);
    free(s.order);
}

static void *saver(void *arg)
{
    Incremental *inc = arg;
    save_write(inc, inc->save_dir);
    return NULL;
}

void incr_save_start(Incremental *inc, const char *out_dir)
{
    if (!inc || !inc->exe[1] || inc->saving || inc->saved)
        return; /* no identity for this binary: a manifest nobody could use */
    free(inc->save_dir);
    inc->save_dir = xstrdup(out_dir);
    cachefile_init(); /* the umask is read here, not on the saver while the publishing makes files */
    inc->saving = pthread_create(&inc->saver, NULL, saver, inc) == 0;
    if (!inc->saving) /* no thread: here */
        save_write(inc, out_dir);
}

bool incr_save_finish(Incremental *inc, bool publish, Diags *d)
{
    if (!inc)
        return true;
    if (inc->saving)
        pthread_join(inc->saver, NULL);
    inc->saving = false;
    if (!inc->saved)
        return true;
    const char *why = cachefile_finish(inc->saved, publish);
    inc->saved = NULL;
    if (why && publish)
        diag_warn(d, inc->save_path, 0, 0,
                  "cannot write the list of built pages (%s); the next build renders every page", why);
    free(inc->save_path);
    inc->save_path = NULL;
    return !why || !publish;
}

bool incr_save(Incremental *inc, const char *out_dir, Diags *d)
{
    incr_save_start(inc, out_dir);
    return incr_save_finish(inc, true, d);
}
