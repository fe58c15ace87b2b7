#include "qrcache.h"

#include "cachefile.h"
#include "print.h"
#include "scan.h"

#include <errno.h>
#include <pthread.h>
#include <qrencode.h>
#include <stdatomic.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <xxhash.h>

/* The file: MAGIC, libqrencode's version and '\n'; then per code a u16
 * text length (little-endian), the text, a u8 width and the modules
 * (width*width/8 + 1 bytes, print_qr_encode's form); then the XXH3-64 of
 * everything before it (u64, little-endian). Version 1 had an FNV-1a
 * sum, which a byte at a time took 50 ms for a site of 80,000 codes. */
#define MAGIC "lobgen-qr-2\n"

typedef struct {
    const char *text; /* in the file's bytes */
    size_t len;
    const unsigned char *bits;
    int width;
} Code;

/* This build's code of a slot. A code encoded now is not kept in memory
 * (800,000 codes at 100,000 materials in 8 languages, about 250 bytes
 * each, were a tenth of the build's peak): it is appended, as the record
 * the cache file holds, to a file with no name in the cache folder (the
 * pieces, cachefile_anon), and qrcache_save copies it from there. */
enum { S_EMPTY, S_HIT, S_PIECE, S_UNKEPT, S_LOST };
typedef struct {
    uint64_t at;  /* S_HIT: the index in old; S_PIECE: the offset in the pieces */
    uint32_t len; /* S_PIECE: the record's bytes */
    uint8_t state; /* S_UNKEPT: made, too large for the file's record (never kept);
                      S_LOST: made, but the pieces could not take it */
} Slot;

struct QrCache {
    char *root; /* the project: the cache must stay inside it */
    char *dir;
    char *file;  /* the file's bytes, or NULL */
    Code *old;   /* the file's codes */
    size_t n_old;
    size_t *table; /* open addressing: index+1 into old, 0 = empty */
    size_t cap;    /* power of two */
    Slot *slots;   /* [n] this build's codes */
    size_t n;
    size_t hits, made; /* counted at save (slots are per thread until then) */
    /* the file is read when the first code is asked for: a build that
     * reuses every page (incremental.h) asks for none */
    pthread_mutex_t lock;
    atomic_bool loaded;
    /* the pieces: opened with the first code made (under lock), then
     * appended to by any thread at an offset it reserves */
    int pieces; /* -1: not open (yet, or it cannot be) */
    bool pieces_tried;
    bool no_save; /* qrcache_no_save */
    const char *pieces_why; /* why a code could not be kept, or NULL */
    atomic_uint_least64_t pieces_end;
};

static uint64_t hash(const char *s, size_t n) { return XXH3_64bits(s, n); }

static size_t bits_len(int w) { return (size_t)w * (size_t)w / 8 + 1; }

static void load(QrCache *c)
{
    Buf path = BUF_INIT;
    buf_printf(&path, "%s/codes", c->dir);
    size_t len;
    char *f = read_file(buf_cstr(&path), &len);
    buf_free(&path);
    if (!f)
        return;
    const char *ver = QRcode_APIVersionString();
    size_t head = strlen(MAGIC) + strlen(ver) + 1;
    uint64_t sum = 0;
    if (len < head + 8 || memcmp(f, MAGIC, strlen(MAGIC)) || memcmp(f + strlen(MAGIC), ver, strlen(ver)) ||
        f[head - 1] != '\n')
        goto bad;
    for (int k = 0; k < 8; k++)
        sum |= (uint64_t)(unsigned char)f[len - 8 + k] << (8 * k);
    if (XXH3_64bits(f, len - 8) != sum)
        goto bad;
    /* count, then index */
    size_t cap = 0;
    for (int pass = 0; pass < 2; pass++) {
        size_t p = head, k = 0;
        while (p < len - 8) {
            if (p + 2 > len - 8)
                goto bad;
            size_t tl = (unsigned char)f[p] | (size_t)(unsigned char)f[p + 1] << 8;
            p += 2;
            if (p + tl + 1 > len - 8)
                goto bad;
            const char *text = f + p;
            p += tl;
            int w = (unsigned char)f[p++];
            if (w < 21 || p + bits_len(w) > len - 8)
                goto bad;
            if (pass == 1)
                c->old[k] = (Code){text, tl, (const unsigned char *)f + p, w};
            p += bits_len(w);
            k++;
        }
        if (pass == 0) {
            c->n_old = k;
            c->old = xcalloc(k + 1, sizeof(Code));
            for (cap = 16; cap < 2 * k; cap *= 2)
                ;
        }
    }
    c->cap = cap;
    c->table = xcalloc(cap, sizeof(size_t));
    for (size_t k = 0; k < c->n_old; k++) {
        size_t i = hash(c->old[k].text, c->old[k].len) & (cap - 1);
        while (c->table[i])
            i = (i + 1) & (cap - 1);
        c->table[i] = k + 1;
    }
    c->file = f;
    return;
bad:
    free(c->old);
    c->old = NULL;
    c->n_old = 0;
    free(f);
}

QrCache *qrcache_open(const char *root, const char *cache, size_t n)
{
    QrCache *c = xcalloc(1, sizeof *c);
    c->n = n;
    c->slots = xcalloc(n + 1, sizeof(Slot));
    c->pieces = -1;
    atomic_init(&c->pieces_end, 0);
    pthread_mutex_init(&c->lock, NULL);
    atomic_init(&c->loaded, false);
    if (root && cache) {
        Buf dir = BUF_INIT;
        buf_printf(&dir, "%s/%s/qr", root, cache);
        c->dir = buf_detach(&dir);
        c->root = xstrdup(root);
    }
    return c;
}

static const Code *find(const QrCache *c, const char *text, size_t len)
{
    if (!c->table)
        return NULL;
    for (size_t i = hash(text, len) & (c->cap - 1); c->table[i]; i = (i + 1) & (c->cap - 1)) {
        const Code *o = &c->old[c->table[i] - 1];
        if (o->len == len && !memcmp(o->text, text, len))
            return o;
    }
    return NULL;
}

/* Read the file, once, on the first thread that needs it; the others wait. */
static void need_file(QrCache *c)
{
    if (atomic_load_explicit(&c->loaded, memory_order_acquire))
        return;
    pthread_mutex_lock(&c->lock);
    if (!atomic_load_explicit(&c->loaded, memory_order_relaxed)) {
        if (c->dir && scan_path_inside(c->dir, c->root))
            load(c);
        atomic_store_explicit(&c->loaded, true, memory_order_release);
    }
    pthread_mutex_unlock(&c->lock);
}

/* The pieces file, opened on first use: in the cache folder, which is
 * made here (as qrcache_save would make it) and must stay inside the
 * project. -1 with *why when there is none. */
static int pieces_fd(QrCache *c)
{
    pthread_mutex_lock(&c->lock);
    if (!c->pieces_tried) {
        c->pieces_tried = true;
        if (!c->dir)
            c->pieces_why = "there is no cache folder";
        else if (!cachefile_make_dirs(c->root, c->dir))
            c->pieces_why = strerror(errno);
        else if (!scan_path_inside(c->dir, c->root))
            c->pieces_why = "it leads outside the project (through a link)";
        else if ((c->pieces = cachefile_anon(c->dir)) < 0)
            c->pieces_why = strerror(errno);
    }
    int fd = c->pieces;
    pthread_mutex_unlock(&c->lock);
    return fd;
}

static void put_u16(Buf *b, size_t v)
{
    buf_putc(b, (char)(v & 0xff));
    buf_putc(b, (char)(v >> 8 & 0xff));
}

/* One code's record, as the file holds it. */
static void put_record(Buf *b, const char *text, size_t len, int width, const unsigned char *bits)
{
    put_u16(b, len);
    buf_append(b, text, len);
    buf_putc(b, (char)width);
    buf_append(b, (const char *)bits, bits_len(width));
}

void qrcache_no_save(QrCache *c) { c->no_save = true; }

/* Keep the code just made for slot in the pieces. */
static void keep(QrCache *c, size_t slot, const char *text, size_t len, const unsigned char *bits, int w)
{
    Slot *s = &c->slots[slot];
    if (len > 0xffff || w > 255 || c->no_save) { /* no record holds it (encoded every time), or none is written */
        *s = (Slot){0, 0, S_UNKEPT};
        return;
    }
    int fd = pieces_fd(c);
    *s = (Slot){0, 0, S_LOST};
    if (fd < 0)
        return;
    Buf b = BUF_INIT;
    put_record(&b, text, len, w, bits);
    uint64_t at = atomic_fetch_add(&c->pieces_end, (uint64_t)b.len);
    if (cachefile_pwrite(fd, b.data, b.len, at))
        *s = (Slot){at, (uint32_t)b.len, S_PIECE};
    else {
        const char *why = strerror(errno);
        pthread_mutex_lock(&c->lock);
        c->pieces_why = why;
        pthread_mutex_unlock(&c->lock);
    }
    buf_free(&b);
}

bool qrcache_svg(QrCache *c, size_t slot, const char *text, const char *label, Buf *out)
{
    size_t len = strlen(text);
    need_file(c);
    const Code *o = len <= 0xffff ? find(c, text, len) : NULL;
    if (o) {
        c->slots[slot] = (Slot){(uint64_t)(o - c->old), 0, S_HIT};
        print_qr_format(o->bits, o->width, label, out);
        return true;
    }
    unsigned char *bits;
    int w;
    if (!print_qr_encode(text, &bits, &w))
        return false;
    print_qr_format(bits, w, label, out);
    keep(c, slot, text, len, bits, w);
    free(bits);
    return true;
}

/* The records of slots from i on that lie one after the other in the
 * pieces (threads mostly append in slot order), up to 1 MiB, read with one
 * pread onto b; returns the slot after them, or (size_t)-1 on failure. */
static size_t copy_pieces(QrCache *c, size_t i, Buf *b)
{
    uint64_t at = c->slots[i].at, len = c->slots[i].len;
    size_t j = i + 1;
    while (j < c->n && c->slots[j].state == S_PIECE && c->slots[j].at == at + len && len < (1u << 20))
        len += c->slots[j++].len;
    buf_reserve(b, (size_t)len);
    if (!cachefile_pread(c->pieces, b->data + b->len, (size_t)len, at))
        return (size_t)-1;
    b->len += (size_t)len;
    b->data[b->len] = '\0';
    return j;
}

void qrcache_save(QrCache *c, Diags *d)
{
    size_t filled = 0, lost = 0;
    c->hits = c->made = 0;
    for (size_t i = 0; i < c->n; i++)
        if (c->slots[i].state != S_EMPTY) {
            filled++;
            if (c->slots[i].state == S_HIT)
                c->hits++;
            else
                c->made++;
            lost += c->slots[i].state == S_LOST;
        }
    /* Unchanged: every code from the file, and the file holds no others.
     * A build that asked for only some codes (an incremental build reusing
     * pages) and made none leaves the file as it is, for the pages it did
     * not render; one that asked for none has not even read it. */
    if (!c->dir || c->no_save || (filled == 0 && c->n > 0))
        return;
    need_file(c);
    if (c->made == 0 && c->file && (filled == c->n_old || filled < c->n))
        return;
    if (lost) { /* a file without them would say they are not worth keeping */
        diag_warn(d, NULL, 0, 0, "cannot keep the QR codes in the cache folder %s: %s; the next build makes them again",
                  c->dir, c->pieces_why ? c->pieces_why : "unknown error");
        return;
    }
    /* written as it is made (a reader sees the old file or the new one,
     * never half of one): at 800,000 codes the file is about 100 MB */
    CacheOut *out = cachefile_begin_in(c->root, c->dir, "codes");
    Buf b = BUF_INIT;
    buf_puts(&b, MAGIC);
    buf_puts(&b, QRcode_APIVersionString());
    buf_putc(&b, '\n');
    const char *why = NULL;
    for (size_t i = 0; i < c->n && !why;) {
        const Slot *s = &c->slots[i];
        if (s->state == S_HIT) {
            const Code *o = &c->old[s->at];
            put_record(&b, o->text, o->len, o->width, o->bits);
        } else if (s->state == S_PIECE) {
            size_t next = copy_pieces(c, i, &b);
            if (next == (size_t)-1) {
                why = strerror(errno);
                break;
            }
            i = next;
            cachefile_drain(out, &b, 1 << 20);
            continue;
        }
        i++;
        cachefile_drain(out, &b, 1 << 20);
    }
    /* the codes of pages this build did not render (reused), from the
     * file; two sites' worth at most, and the next full build keeps only
     * its own */
    if (!why && filled < c->n && c->n_old) {
        bool *taken = xcalloc(c->n_old, sizeof(bool));
        for (size_t i = 0; i < c->n; i++)
            if (c->slots[i].state == S_HIT) /* a code made now is not in the file (else it was found) */
                taken[c->slots[i].at] = true;
        for (size_t k = 0; k < c->n_old && filled < 2 * c->n; k++)
            if (!taken[k]) {
                const Code *o = &c->old[k];
                put_record(&b, o->text, o->len, o->width, o->bits);
                cachefile_drain(out, &b, 1 << 20);
                filled++;
            }
        free(taken);
    }
    cachefile_drain(out, &b, 0);
    uint64_t sum = cachefile_sum(out);
    for (int k = 0; k < 8; k++)
        buf_putc(&b, (char)(sum >> (8 * k) & 0xff));
    if (why) /* the pieces could not be read back: the old file rather than one short of codes */
        cachefile_fail(out, why);
    why = cachefile_end(out, &b);
    if (why)
        diag_warn(d, NULL, 0, 0, "cannot keep the QR codes in the cache folder %s: %s; the next build makes them again",
                  c->dir, why);
    buf_free(&b);
}

void qrcache_counts(const QrCache *c, size_t *hits, size_t *made)
{
    *hits = c->hits;
    *made = c->made;
}

void qrcache_free(QrCache *c)
{
    if (!c)
        return;
    if (c->pieces >= 0)
        close(c->pieces);
    free(c->slots);
    free(c->table);
    free(c->old);
    free(c->file);
    free(c->dir);
    free(c->root);
    pthread_mutex_destroy(&c->lock);
    free(c);
}
