#include "buf.h"

#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static void die_oom(void)
{
    fputs("lobgen: error: out of memory\n", stderr);
    abort();
}

void *xmalloc(size_t n)
{
    void *p = malloc(n ? n : 1);
    if (!p)
        die_oom();
    return p;
}

void *xcalloc(size_t n, size_t size)
{
    void *p = calloc(n ? n : 1, size ? size : 1);
    if (!p)
        die_oom();
    return p;
}

void *xrealloc(void *p, size_t n)
{
    p = realloc(p, n ? n : 1);
    if (!p)
        die_oom();
    return p;
}

char *xstrdup(const char *s)
{
    size_t n = strlen(s);
    char *d = xmalloc(n + 1);
    memcpy(d, s, n + 1);
    return d;
}

char buf_slopbuf[1];

void buf_init(Buf *b) { *b = (Buf)BUF_INIT; }

size_t grow_capacity(size_t cap, size_t need, size_t item)
{
    size_t nc = cap < 8 ? 8 : cap;
    while (nc < need) {
        if (nc > SIZE_MAX / 2)
            die_oom();
        nc *= 2;
    }
    if (item && nc > SIZE_MAX / item)
        die_oom();
    return nc;
}

void buf_grow(Buf *b, size_t extra)
{
    if (extra > SIZE_MAX - 1 - b->len)
        die_oom();
    if (b->len + extra + 1 <= b->cap)
        return;
    size_t cap = b->cap ? b->cap : 64;
    while (cap < b->len + extra + 1) {
        if (cap > SIZE_MAX / 2)
            die_oom();
        cap *= 2;
    }
    if (b->cap) {
        b->data = xrealloc(b->data, cap);
    } else {
        b->data = xmalloc(cap);
        b->data[0] = '\0';
    }
    b->cap = cap;
}

void buf_puts(Buf *b, const char *s) { buf_append(b, s, strlen(s)); }

size_t dec_format(char out[21], long long v)
{
    char tmp[20];
    size_t n = 0, k = 0;
    /* the magnitude as unsigned: -LLONG_MIN does not fit a long long */
    unsigned long long u = v < 0 ? 0ULL - (unsigned long long)v : (unsigned long long)v;
    do {
        tmp[n++] = (char)('0' + u % 10);
        u /= 10;
    } while (u);
    if (v < 0)
        out[k++] = '-';
    while (n)
        out[k++] = tmp[--n];
    out[k] = '\0';
    return k;
}

void buf_put_int(Buf *b, long long v)
{
    char num[21];
    buf_append(b, num, dec_format(num, v));
}

void buf_vprintf(Buf *b, const char *fmt, va_list ap)
{
    /* Format straight into the spare room; grow and retry only when it
     * did not fit, so short strings are formatted once. */
    buf_reserve(b, 64);
    va_list cp;
    va_copy(cp, ap);
    size_t room = b->cap - b->len;
    int n = vsnprintf(b->data + b->len, room, fmt, cp);
    va_end(cp);
    if (n < 0) {
        b->data[b->len] = '\0';
        return;
    }
    if ((size_t)n >= room) {
        buf_reserve(b, (size_t)n);
        vsnprintf(b->data + b->len, (size_t)n + 1, fmt, ap);
    }
    b->len += (size_t)n;
}

void buf_printf(Buf *b, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    buf_vprintf(b, fmt, ap);
    va_end(ap);
}

void buf_html_escape(Buf *b, const char *s, size_t n)
{
    size_t start = 0;
    buf_reserve(b, n);
    for (size_t i = 0; i < n; i++) {
        const char *rep;
        switch (s[i]) {
        case '&': rep = "&amp;"; break;
        case '<': rep = "&lt;"; break;
        case '>': rep = "&gt;"; break;
        case '"': rep = "&quot;"; break;
        case '\'': rep = "&#39;"; break;
        default: continue;
        }
        buf_append(b, s + start, i - start);
        buf_puts(b, rep);
        start = i + 1;
    }
    buf_append(b, s + start, n - start);
}

/* open, fstat, one read of the size fstat gave (plus one byte, to see the
 * end without another read), close: a build reads every content file, and
 * stdio's buffer, its own fstat and the reads past the end were three
 * more system calls a file. A file whose size is not known (a pipe, /proc)
 * or changes while it is read is read until read gives 0. */
char *read_file_stat(const char *path, size_t *len, struct stat *st)
{
    return read_file_stat_max(path, len, st, SIZE_MAX);
}

char *read_file_stat_max(const char *path, size_t *len, struct stat *st, size_t max)
{
    /* O_NONBLOCK: a FIFO no process writes to (where a cache file was)
     * opens at once and reads as empty, instead of open() waiting for a
     * writer forever; a regular file ignores it */
    int fd = open(path, O_RDONLY | O_CLOEXEC | O_NONBLOCK);
    if (fd < 0)
        return NULL;
    struct stat own;
    if (!st)
        st = &own;
    size_t size = 0; /* what fstat says the file holds; 0: unknown */
    if (fstat(fd, st) != 0)
        st->st_ino = 0;
    else if (S_ISREG(st->st_mode) && st->st_size > 0)
        size = (size_t)st->st_size;
    if (size > max) {
        close(fd);
        errno = EFBIG;
        return NULL;
    }
    if (st->st_ino == 0 || !S_ISREG(st->st_mode))
        fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) & ~O_NONBLOCK); /* a pipe: read until it ends */
    size_t cap = size + 1, n = 0;
    char *data = xmalloc(cap + 1);
    for (;;) {
        if (n == cap) {
            cap = cap < 65536 ? 65536 : cap * 2;
            data = xrealloc(data, cap + 1);
        }
        ssize_t k = read(fd, data + n, cap - n);
        if (k < 0 && errno == EINTR)
            continue;
        if (k < 0) {
            close(fd);
            free(data);
            errno = EIO;
            return NULL;
        }
        n += (size_t)k;
        if (k == 0 || (size && n == size && n < cap))
            break; /* the end, or exactly the size fstat gave and a short read */
    }
    close(fd);
    data[n] = '\0';
    *len = n;
    return data;
}

char *read_file(const char *path, size_t *len)
{
    return read_file_stat(path, len, NULL);
}

const char *buf_cstr(Buf *b) { return b->data; }

char *buf_detach(Buf *b)
{
    char *d = b->cap ? b->data : xstrdup("");
    buf_init(b);
    return d;
}

void buf_clear(Buf *b)
{
    b->len = 0;
    if (b->cap)
        b->data[0] = '\0';
}

void buf_free(Buf *b)
{
    if (b->cap)
        free(b->data);
    buf_init(b);
}

/* Arena: a list of chunks; big requests get a chunk of their own. */
typedef struct Chunk {
    struct Chunk *next;
    size_t used, size;
    max_align_t data[];
} Chunk;

struct Arena {
    Chunk *head;
};

enum { CHUNK_SIZE = 64 * 1024 };

/* Chunks of freed arenas, kept per thread for the next arena: a build makes
 * an arena per page, and a malloc and free of 64 KiB per page showed in the
 * profile. At most CACHED_CHUNKS a thread; a thread's are freed when it ends
 * (the pool's workers), the main thread's stay reachable until exit. */
enum { CACHED_CHUNKS = 8 };
static _Thread_local Chunk *cached;
static _Thread_local int n_cached;
static pthread_key_t cache_key;
static pthread_once_t cache_once = PTHREAD_ONCE_INIT;

static void cache_drop(void *unused)
{
    (void)unused;
    while (cached) {
        Chunk *n = cached->next;
        free(cached);
        cached = n;
    }
    n_cached = 0;
}

static void cache_init(void)
{
    if (pthread_key_create(&cache_key, cache_drop) != 0)
        cache_key = (pthread_key_t)-1;
}

static void chunk_release(Chunk *c)
{
    if (c->size != CHUNK_SIZE || n_cached >= CACHED_CHUNKS) {
        free(c);
        return;
    }
    if (!n_cached) {
        /* a value for the key, so that cache_drop runs when this thread ends */
        pthread_once(&cache_once, cache_init);
        if (cache_key == (pthread_key_t)-1 || pthread_setspecific(cache_key, &cached) != 0) {
            free(c);
            return;
        }
    }
    c->next = cached;
    cached = c;
    n_cached++;
}

static Chunk *chunk_new(size_t size)
{
    if (size == CHUNK_SIZE && cached) {
        Chunk *c = cached;
        cached = c->next;
        n_cached--;
        return c;
    }
    Chunk *c = xmalloc(sizeof(Chunk) + size);
    c->size = size;
    return c;
}

Arena *arena_new(void) { return xcalloc(1, sizeof(Arena)); }

void arena_free(Arena *a)
{
    if (!a)
        return;
    Chunk *c = a->head;
    while (c) {
        Chunk *n = c->next;
        chunk_release(c);
        c = n;
    }
    free(a);
}

void arena_adopt(Arena *a, Arena *from)
{
    if (!from)
        return;
    Chunk *first = from->head;
    free(from);
    if (!first)
        return;
    if (!a->head) {
        a->head = first;
        return;
    }
    /* behind a's current chunk, whose free space stays in use */
    Chunk *last = first;
    while (last->next)
        last = last->next;
    last->next = a->head->next;
    a->head->next = first;
}

void *arena_alloc_raw(Arena *a, size_t n)
{
    const size_t align = sizeof(max_align_t);
    n = (n + align - 1) & ~(align - 1);
    if (n == 0)
        n = align;
    Chunk *c = a->head;
    if (!c || c->size - c->used < n) {
        size_t size = n > CHUNK_SIZE / 4 ? n : CHUNK_SIZE;
        Chunk *nc = chunk_new(size);
        nc->used = 0;
        if (size != CHUNK_SIZE && c) {
            /* keep the current chunk in front so its free space is still used */
            nc->next = c->next;
            c->next = nc;
            nc->used = n;
            return nc->data;
        }
        nc->next = c;
        a->head = c = nc;
    }
    void *p = (char *)c->data + c->used;
    c->used += n;
    return p;
}

void *arena_alloc(Arena *a, size_t n)
{
    void *p = arena_alloc_raw(a, n);
    memset(p, 0, n);
    return p;
}

char *arena_strndup(Arena *a, const char *s, size_t n)
{
    char *d = arena_alloc_raw(a, n + 1);
    if (n)
        memcpy(d, s, n);
    d[n] = '\0';
    return d;
}

char *arena_strdup(Arena *a, const char *s) { return arena_strndup(a, s, strlen(s)); }

char *arena_vprintf(Arena *a, const char *fmt, va_list ap)
{
    Buf b = BUF_INIT;
    buf_vprintf(&b, fmt, ap);
    char *d = arena_strndup(a, buf_cstr(&b), b.len);
    buf_free(&b);
    return d;
}

char *arena_printf(Arena *a, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    char *d = arena_vprintf(a, fmt, ap);
    va_end(ap);
    return d;
}

char *arena_cat(Arena *a, ...)
{
    va_list ap;
    size_t n = 0;
    va_start(ap, a);
    for (const char *s; (s = va_arg(ap, const char *));)
        n += strlen(s);
    va_end(ap);
    char *d = arena_alloc_raw(a, n + 1), *p = d;
    va_start(ap, a);
    for (const char *s; (s = va_arg(ap, const char *));) {
        size_t k = strlen(s);
        memcpy(p, s, k);
        p += k;
    }
    va_end(ap);
    *p = '\0';
    return d;
}

void *arena_grow(Arena *a, void *old, size_t old_count, size_t new_count, size_t item)
{
    /* only the new room is zeroed: the old items are copied over */
    if (!old)
        old_count = 0;
    if (old_count > new_count)
        old_count = new_count;
    char *p = arena_alloc_raw(a, new_count * item);
    if (old_count)
        memcpy(p, old, old_count * item);
    memset(p + old_count * item, 0, (new_count - old_count) * item);
    return p;
}
