#include "mdmem.h"

#include "buf.h"

#include <cmark-gfm.h>
#include <pthread.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

/* Under AddressSanitizer, memory given back (or not yet handed out) is
 * poisoned, so a pointer kept past mdmem_release is caught as a
 * use-after-free would be with malloc. */
#if defined(__SANITIZE_ADDRESS__)
#define MDMEM_ASAN 1
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
#define MDMEM_ASAN 1
#endif
#endif
#ifdef MDMEM_ASAN
#include <sanitizer/asan_interface.h>
#define POISON(p, n) ASAN_POISON_MEMORY_REGION((p), (n))
#define UNPOISON(p, n) ASAN_UNPOISON_MEMORY_REGION((p), (n))
#else
#define POISON(p, n) ((void)(p), (void)(n))
#define UNPOISON(p, n) ((void)(p), (void)(n))
#endif

#define CHUNK (256u << 10) /* most texts' trees fit in one */
#define HEAD 16            /* each block's size, before it; keeps 16-byte alignment */

typedef struct Chunk {
    struct Chunk *prev;
    size_t cap, used;
    size_t pad; /* data 16-byte aligned */
    _Alignas(16) unsigned char data[];
} Chunk;

static _Thread_local Chunk *cur;   /* the chunk allocated from; prev: older ones */
static _Thread_local Chunk *spare; /* one released chunk of CHUNK bytes, kept for the next text */
static _Thread_local int registered;
static pthread_key_t key;
static pthread_once_t key_once = PTHREAD_ONCE_INIT;

static size_t round16(size_t n) { return (n + 15) & ~(size_t)15; }

/* A thread's chunks go with it. */
static void thread_done(void *unused)
{
    (void)unused;
    while (cur) {
        Chunk *p = cur->prev;
        free(cur);
        cur = p;
    }
    free(spare);
    spare = NULL;
}

static void make_key(void)
{
    if (pthread_key_create(&key, thread_done) != 0)
        abort();
}

static void new_chunk(size_t need)
{
    Chunk *c;
    if (spare && spare->cap >= need) {
        c = spare;
        spare = NULL;
    } else {
        size_t cap = need > CHUNK ? need : CHUNK;
        c = xmalloc(sizeof(Chunk) + cap);
        c->cap = cap;
        if (!registered) {
            pthread_once(&key_once, make_key);
            pthread_setspecific(key, (void *)1);
            registered = 1;
        }
    }
    c->used = 0;
    c->prev = cur;
    POISON(c->data, c->cap);
    cur = c;
}

static void *alloc(size_t n)
{
    if (n > SIZE_MAX / 2)
        abort();
    size_t need = HEAD + round16(n);
    if (!cur || cur->cap - cur->used < need)
        new_chunk(need);
    unsigned char *h = cur->data + cur->used;
    cur->used += need;
    UNPOISON(h, HEAD + n);
    memcpy(h, &n, sizeof n);
    return h + HEAD;
}

static size_t size_of(const void *p)
{
    size_t n;
    memcpy(&n, (const unsigned char *)p - HEAD, sizeof n);
    return n;
}

/* Whether p is the block allocated last (it can grow or go in place). */
static bool is_last(const void *p)
{
    return cur && (const unsigned char *)p > cur->data && (const unsigned char *)p <= cur->data + cur->used &&
           (const unsigned char *)p + round16(size_of(p)) == cur->data + cur->used;
}

static void *mem_calloc(size_t count, size_t size)
{
    if (size && count > SIZE_MAX / 2 / size)
        abort();
    void *p = alloc(count * size);
    memset(p, 0, count * size);
    return p;
}

static void *mem_realloc(void *p, size_t n)
{
    if (!p)
        return alloc(n);
    size_t old = size_of(p);
    if (is_last(p) && n <= SIZE_MAX / 2 &&
        (size_t)(cur->data + cur->cap - (unsigned char *)p) >= round16(n)) {
        cur->used = (size_t)((unsigned char *)p - cur->data) + round16(n);
        UNPOISON(p, n);
        memcpy((unsigned char *)p - HEAD, &n, sizeof n);
        return p;
    }
    void *q = alloc(n);
    memcpy(q, p, old < n ? old : n);
    return q;
}

static void mem_free(void *p)
{
    if (p && is_last(p)) {
        unsigned char *h = (unsigned char *)p - HEAD;
        cur->used = (size_t)(h - cur->data);
        POISON(h, cur->cap - cur->used);
    }
}

static cmark_mem allocator = {mem_calloc, mem_realloc, mem_free};

cmark_mem *mdmem_allocator(void) { return &allocator; }

MdMark mdmem_mark(void) { return (MdMark){cur, cur ? cur->used : 0}; }

void mdmem_release(MdMark m)
{
    while (cur && cur != m.chunk) {
        Chunk *p = cur->prev;
        if (!spare && cur->cap == CHUNK) {
            spare = cur;
            spare->prev = NULL;
            POISON(spare->data, spare->cap);
        } else {
            free(cur);
        }
        cur = p;
    }
    if (cur) {
        cur->used = m.used;
        POISON(cur->data + cur->used, cur->cap - cur->used);
    }
}

size_t mdmem_held(void)
{
    size_t n = spare ? spare->cap : 0;
    for (Chunk *c = cur; c; c = c->prev)
        n += c->cap;
    return n;
}
