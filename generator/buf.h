/* Growable byte buffers and a bump arena: the two memory idioms of lobgen.
 * A Buf owns its bytes (free with buf_free); an Arena owns everything
 * allocated from it and frees it all at once. Allocation failure aborts:
 * a static site generator has nothing sensible to do without memory. */
#ifndef LOBGEN_BUF_H
#define LOBGEN_BUF_H

#include <stdarg.h>
#include <stddef.h>

typedef struct {
    char *data; /* always NUL-terminated when cap > 0 */
    size_t len;
    size_t cap;
} Buf;

#define BUF_INIT {NULL, 0, 0}

void buf_reserve(Buf *b, size_t extra);
void buf_append(Buf *b, const char *s, size_t n);
void buf_puts(Buf *b, const char *s);
void buf_putc(Buf *b, char c);
void buf_printf(Buf *b, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
void buf_vprintf(Buf *b, const char *fmt, va_list ap);
/* Escape & < > " ' for element content and quoted attributes. */
void buf_html_escape(Buf *b, const char *s, size_t n);
/* Escape for XML text/attributes (same set; named for intent at call sites). */
#define buf_xml_escape buf_html_escape
const char *buf_cstr(Buf *b); /* "" for an empty buffer */
/* Read a whole file into a new malloc'd, NUL-terminated string; NULL with
 * errno set when it cannot be read. */
char *read_file(const char *path, size_t *len);
char *buf_detach(Buf *b);     /* malloc'd NUL-terminated string; b is reset */
void buf_clear(Buf *b);       /* len = 0, keeps capacity */
void buf_free(Buf *b);

typedef struct Arena Arena;

Arena *arena_new(void);
void arena_free(Arena *a);
void *arena_alloc(Arena *a, size_t n); /* zeroed, aligned for any type */
char *arena_strndup(Arena *a, const char *s, size_t n);
char *arena_strdup(Arena *a, const char *s);
char *arena_printf(Arena *a, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
char *arena_vprintf(Arena *a, const char *fmt, va_list ap);
/* Grow an arena-owned array: returns a copy with room for new_cap items. */
void *arena_grow(Arena *a, void *old, size_t old_count, size_t new_count, size_t item);

void *xmalloc(size_t n);
void *xcalloc(size_t n, size_t size);
void *xrealloc(void *p, size_t n);
char *xstrdup(const char *s);

#endif
