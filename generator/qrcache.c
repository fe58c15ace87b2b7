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
    const char *text; /* in the file's bytes or owned (made) */
    size_t len;
    const unsigned char *bits;
    int width;
    bool made; /* text and bits are malloc'd */
} Code;

struct QrCache {
    char *root; /* the project: the cache must stay inside it */
    char *dir;
    char *file;  /* the file's bytes, or NULL */
    Code *old;   /* the file's codes */
    size_t n_old;
    size_t *table; /* open addressing: index+1 into old, 0 = empty */
    size_t cap;    /* power of two */
    Code *slots;   /* [n] this build's codes */
    size_t n;
    size_t hits, made; /* counted at save (slots are per thread until then) */
    /* the file is read when the first code is asked for: a build that
     * reuses every page (incremental.h) asks for none */
    pthread_mutex_t lock;
    atomic_bool loaded;
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
                c->old[k] = (Code){text, tl, (const unsigned char *)f + p, w, false};
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
    c->slots = xcalloc(n + 1, sizeof(Code));
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

bool qrcache_svg(QrCache *c, size_t slot, const char *text, const char *label, Buf *out)
{
    size_t len = strlen(text);
    need_file(c);
    const Code *o = len <= 0xffff ? find(c, text, len) : NULL;
    if (o) {
        c->slots[slot] = *o;
    } else {
        unsigned char *bits;
        int w;
        if (!print_qr_encode(text, &bits, &w))
            return false;
        c->slots[slot] = (Code){xstrdup(text), len, bits, w, true};
    }
    print_qr_format(c->slots[slot].bits, c->slots[slot].width, label, out);
    return true;
}

static void put_u16(Buf *b, size_t v)
{
    buf_putc(b, (char)(v & 0xff));
    buf_putc(b, (char)(v >> 8 & 0xff));
}

void qrcache_save(QrCache *c, Diags *d)
{
    size_t filled = 0;
    c->hits = c->made = 0;
    for (size_t i = 0; i < c->n; i++)
        if (c->slots[i].text) {
            filled++;
            if (c->slots[i].made)
                c->made++;
            else
                c->hits++;
        }
    /* Unchanged: every code from the file, and the file holds no others.
     * A build that asked for only some codes (an incremental build reusing
     * pages) and made none leaves the file as it is, for the pages it did
     * not render; one that asked for none has not even read it. */
    if (!c->dir || (filled == 0 && c->n > 0))
        return;
    need_file(c);
    if (c->made == 0 && c->file && (filled == c->n_old || filled < c->n))
        return;
    /* written as it is made (a reader sees the old file or the new one,
     * never half of one): at 800,000 codes the file is about 100 MB */
    CacheOut *out = cachefile_begin_in(c->root, c->dir, "codes");
    Buf b = BUF_INIT;
    buf_puts(&b, MAGIC);
    buf_puts(&b, QRcode_APIVersionString());
    buf_putc(&b, '\n');
    for (size_t i = 0; i < c->n; i++) {
        const Code *s = &c->slots[i];
        if (!s->text || s->len > 0xffff || s->width > 255)
            continue;
        put_u16(&b, s->len);
        buf_append(&b, s->text, s->len);
        buf_putc(&b, (char)s->width);
        buf_append(&b, (const char *)s->bits, bits_len(s->width));
        cachefile_drain(out, &b, 1 << 20);
    }
    /* the codes of pages this build did not render (reused), from the
     * file; two sites' worth at most, and the next full build keeps only
     * its own */
    if (filled < c->n && c->n_old) {
        bool *taken = xcalloc(c->n_old, sizeof(bool));
        for (size_t i = 0; i < c->n; i++) {
            const Code *s = &c->slots[i];
            const Code *o = s->text ? find(c, s->text, s->len) : NULL;
            if (o)
                taken[o - c->old] = true;
        }
        for (size_t k = 0; k < c->n_old && filled < 2 * c->n; k++)
            if (!taken[k]) {
                const Code *o = &c->old[k];
                put_u16(&b, o->len);
                buf_append(&b, o->text, o->len);
                buf_putc(&b, (char)o->width);
                buf_append(&b, (const char *)o->bits, bits_len(o->width));
                cachefile_drain(out, &b, 1 << 20);
                filled++;
            }
        free(taken);
    }
    cachefile_drain(out, &b, 0);
    uint64_t sum = cachefile_sum(out);
    for (int k = 0; k < 8; k++)
        buf_putc(&b, (char)(sum >> (8 * k) & 0xff));
    const char *why = cachefile_end(out, &b);
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
    for (size_t i = 0; i < c->n; i++)
        if (c->slots[i].made) {
            free((char *)c->slots[i].text);
            free((unsigned char *)c->slots[i].bits);
        }
    free(c->slots);
    free(c->table);
    free(c->old);
    free(c->file);
    free(c->dir);
    free(c->root);
    pthread_mutex_destroy(&c->lock);
    free(c);
}
