/* Growable byte buffers and a bump arena: the two memory idioms of lobgen.
 * A Buf owns its bytes (free with buf_free); an Arena owns everything
 * allocated from it and frees it all at once. Allocation failure aborts:
 * a static site generator has nothing sensible to do without memory. */
#ifndef LOBGEN_BUF_H
#define LOBGEN_BUF_H

#include <stdarg.h>
#include <stddef.h>

/* Invariants (as git's strbuf): data is never NULL and data[len] == '\0'
 * always, so b.data can be read as a C string at any time. cap == 0 means
 * the buffer owns nothing yet and data points at the shared, read-only
 * empty string buf_slopbuf; the first write allocates. A Buf must start
 * as BUF_INIT (or buf_init): a zero-filled Buf breaks the invariant.
 * Every function aborts on allocation failure; none can fail otherwise. */
typedef struct {
    char *data;
    size_t len; /* bytes in data, not counting the final NUL */
    size_t cap; /* bytes allocated, 0 while data == buf_slopbuf */
} Buf;

extern char buf_slopbuf[1]; /* never written: always "" */
#define BUF_INIT {buf_slopbuf, 0, 0}
void buf_init(Buf *b); /* *b = BUF_INIT, for Bufs inside zero-filled structs */

/* buf_reserve when b has no room: grows it (capacity doubles from 64). */
void buf_grow(Buf *b, size_t extra);
/* Make room for extra more bytes (plus the NUL) without changing contents.
 * Inline, like buf_append and buf_putc: a page appends millions of small
 * pieces, nearly all into room already there. */
static inline void buf_reserve(Buf *b, size_t extra)
{
    /* cap > len whenever cap > 0, so this cannot wrap */
    if (b->cap && extra < b->cap - b->len)
        return;
    buf_grow(b, extra);
}
/* Append n bytes of s (may contain NUL bytes). */
static inline void buf_append(Buf *b, const char *s, size_t n)
{
    if (!n)
        return; /* data[len] is already '\0' */
    buf_reserve(b, n);
    __builtin_memcpy(b->data + b->len, s, n);
    b->len += n;
    b->data[b->len] = '\0';
}
/* Append the C string s. */
void buf_puts(Buf *b, const char *s);
/* Append one byte. */
static inline void buf_putc(Buf *b, char c)
{
    buf_reserve(b, 1);
    b->data[b->len++] = c;
    b->data[b->len] = '\0';
}
/* Write v in decimal (as printf's %lld) and a NUL to out; returns the
 * number of digits and sign written. For the hot paths where a whole
 * printf per number was most of their cost. */
size_t dec_format(char out[21], long long v);
/* Append v in decimal (as printf's %lld). */
void buf_put_int(Buf *b, long long v);
/* Append printf-formatted text. */
void buf_printf(Buf *b, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
void buf_vprintf(Buf *b, const char *fmt, va_list ap);
/* Append the first n bytes of s with & < > " ' escaped, for element content
 * and quoted attributes. */
void buf_html_escape(Buf *b, const char *s, size_t n);
/* Escape for XML text/attributes (same set; named for intent at call sites). */
#define buf_xml_escape buf_html_escape
/* b->data; kept as an accessor for older call sites. Valid until the next write. */
const char *buf_cstr(Buf *b);
/* Read a whole file into a new malloc'd, NUL-terminated string (*len =
 * its bytes); NULL with errno set when it cannot be read. A pipe is read
 * until it ends; a FIFO no process has open for writing reads as empty
 * at once (open() does not wait for a writer). */
char *read_file(const char *path, size_t *len);
/* read_file, and when st is not NULL the file's fstat taken when it was
 * opened, before reading (st->st_ino 0 when fstat failed). */
struct stat;
char *read_file_stat(const char *path, size_t *len, struct stat *st);
/* read_file_stat of a file that may hold at most max bytes: a regular file
 * fstat shows bigger is not read (NULL, errno EFBIG, *st filled). */
char *read_file_stat_max(const char *path, size_t *len, struct stat *st, size_t max);
/* The contents as a malloc'd NUL-terminated string the caller frees ("" when
 * empty); b is left as BUF_INIT. */
char *buf_detach(Buf *b);
/* len = 0, keeps the allocation for reuse. */
void buf_clear(Buf *b);
/* Free the allocation; b is left as BUF_INIT and may be used again. */
void buf_free(Buf *b);

/* Grow array `arr` (with *cap items allocated, via xrealloc) so it holds at
 * least `need` items: capacity doubles (from 8), so n appends cost O(n).
 * Aborts when the byte size would overflow size_t. */
#define ALLOC_GROW(arr, need, cap)                                                          \
    do {                                                                                   \
        if ((need) > (cap)) {                                                              \
            (cap) = grow_capacity((cap), (need), sizeof *(arr));                           \
            (arr) = xrealloc((arr), (cap) * sizeof *(arr));                                \
        }                                                                                  \
    } while (0)
/* The same for an arena-owned array (the old copy stays in the arena). */
#define ARENA_GROW(arena, arr, len, need, cap)                                             \
    do {                                                                                   \
        if ((need) > (cap)) {                                                              \
            size_t nc_ = grow_capacity((cap), (need), sizeof *(arr));                      \
            (arr) = arena_grow((arena), (arr), (len), nc_, sizeof *(arr));                 \
            (cap) = nc_;                                                                   \
        }                                                                                  \
    } while (0)
/* The capacity ALLOC_GROW moves to: at least need, at least twice cap (from
 * 8); aborts when need * item would overflow. */
size_t grow_capacity(size_t cap, size_t need, size_t item);

typedef struct Arena Arena;

Arena *arena_new(void);
void arena_free(Arena *a);
/* Move everything allocated in from (made on another thread, say) into a,
 * so that it lives until arena_free(a); frees from (NULL: nothing). */
void arena_adopt(Arena *a, Arena *from);
/* n bytes in a, aligned for any type, zeroed; they live until arena_free(a).
 * Aborts when memory runs out. */
void *arena_alloc(Arena *a, size_t n);
/* The same without zeroing: the n bytes hold whatever the arena's memory
 * held (a reused chunk keeps an earlier page's bytes). Only for a caller
 * that writes every byte it later reads (a string copy, a grown array's
 * old items). */
void *arena_alloc_raw(Arena *a, size_t n);
char *arena_strndup(Arena *a, const char *s, size_t n);
char *arena_strdup(Arena *a, const char *s);
char *arena_printf(Arena *a, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
char *arena_vprintf(Arena *a, const char *fmt, va_list ap);
/* The strings given, up to a NULL, joined into one in a: arena_printf's
 * "%s%s..." without formatting, for paths and URLs made per page. */
char *arena_cat(Arena *a, ...) __attribute__((sentinel));
/* Grow an arena-owned array: returns a copy of old's first old_count items
 * with room for new_count, the items after old_count zeroed. */
void *arena_grow(Arena *a, void *old, size_t old_count, size_t new_count, size_t item);

void *xmalloc(size_t n);
void *xcalloc(size_t n, size_t size);
void *xrealloc(void *p, size_t n);
char *xstrdup(const char *s);

#endif
