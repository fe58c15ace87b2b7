#include "diag.h"

#include "buf.h"

#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

void diag_add(Diags *d, DiagLevel level, const char *file, int line, int col, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    diag_vadd(d, level, file, line, col, fmt, ap);
    va_end(ap);
}

void diag_vadd(Diags *d, DiagLevel level, const char *file, int line, int col, const char *fmt, va_list ap)
{
    ALLOC_GROW(d->items, d->len + 1, d->cap);
    Buf b = BUF_INIT;
    buf_vprintf(&b, fmt, ap);
    Diag *g = &d->items[d->len++];
    g->level = level;
    g->file = file ? xstrdup(file) : NULL;
    g->line = line;
    g->col = col;
    g->msg = buf_detach(&b);
}

size_t diags_count(const Diags *d, DiagLevel level)
{
    size_t n = 0;
    for (size_t i = 0; i < d->len; i++)
        n += d->items[i].level == level;
    return n;
}

void diags_merge(Diags *dst, Diags *src)
{
    for (size_t i = 0; i < src->len; i++) {
        ALLOC_GROW(dst->items, dst->len + 1, dst->cap);
        dst->items[dst->len++] = src->items[i];
    }
    free(src->items);
    src->items = NULL;
    src->len = src->cap = 0;
}

static int cmp_diag(const Diag *a, const Diag *b)
{
    const char *fa = a->file ? a->file : "", *fb = b->file ? b->file : "";
    int c = strcmp(fa, fb);
    if (c)
        return c;
    if (a->line != b->line)
        return a->line < b->line ? -1 : 1;
    if (a->col != b->col)
        return a->col < b->col ? -1 : 1;
    if (a->level != b->level)
        return a->level < b->level ? -1 : 1;
    return strcmp(a->msg, b->msg);
}

static int cmp_diag_q(const void *a, const void *b) { return cmp_diag(a, b); }

void diags_sort(Diags *d)
{
    /* cmp_diag is a total order up to identical diagnostics, which are
     * dropped below, so qsort's instability does not show; O(n log n) for
     * a build with thousands of messages */
    if (d->len > 1)
        qsort(d->items, d->len, sizeof *d->items, cmp_diag_q);
    size_t w = 0;
    for (size_t i = 0; i < d->len; i++) {
        if (w > 0 && cmp_diag(&d->items[w - 1], &d->items[i]) == 0) {
            free(d->items[i].file);
            free(d->items[i].msg);
            continue;
        }
        d->items[w++] = d->items[i];
    }
    d->len = w;
}

/* Text from content (a title, a file name) can hold terminal control
 * sequences; they are shown as \xHH (C0, DEL) or \u00HH (C1), never sent
 * to the terminal raw. */
static void put_visible(Buf *b, const char *s)
{
    for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
        if (*p < 0x20 || *p == 0x7F)
            buf_printf(b, "\\x%02X", *p);
        else if (*p == 0xC2 && p[1] >= 0x80 && p[1] <= 0x9F)
            buf_printf(b, "\\u00%02X", *++p);
        else
            buf_putc(b, (char)*p);
    }
}

char *diag_format(const Diag *g)
{
    Buf b = BUF_INIT;
    if (g->file) {
        put_visible(&b, g->file);
        if (g->line > 0) {
            buf_printf(&b, ":%d", g->line);
            if (g->col > 0)
                buf_printf(&b, ":%d", g->col);
        }
        buf_puts(&b, ": ");
    } else {
        buf_puts(&b, "lobgen: ");
    }
    buf_puts(&b, g->level == DIAG_ERROR ? "error: " : "warning: ");
    put_visible(&b, g->msg);
    return buf_detach(&b);
}

void diags_print(const Diags *d, FILE *out)
{
    for (size_t i = 0; i < d->len; i++) {
        char *s = diag_format(&d->items[i]);
        fputs(s, out);
        fputc('\n', out);
        free(s);
    }
}

void diags_free(Diags *d)
{
    for (size_t i = 0; i < d->len; i++) {
        free(d->items[i].file);
        free(d->items[i].msg);
    }
    free(d->items);
    d->items = NULL;
    d->len = d->cap = 0;
}

/* Optimal string alignment distance: names are short, so a small table. */
static int edit_distance(const char *a, const char *b)
{
    enum { MAXN = 64 };
    size_t n = strlen(a), m = strlen(b);
    if (n >= MAXN || m >= MAXN)
        return 1000;
    int dp[MAXN][MAXN];
    for (size_t i = 0; i <= n; i++)
        dp[i][0] = (int)i;
    for (size_t j = 0; j <= m; j++)
        dp[0][j] = (int)j;
    for (size_t i = 1; i <= n; i++) {
        for (size_t j = 1; j <= m; j++) {
            int cost = a[i - 1] != b[j - 1];
            int best = dp[i - 1][j] + 1;
            if (dp[i][j - 1] + 1 < best)
                best = dp[i][j - 1] + 1;
            if (dp[i - 1][j - 1] + cost < best)
                best = dp[i - 1][j - 1] + cost;
            if (i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1] && dp[i - 2][j - 2] + 1 < best)
                best = dp[i - 2][j - 2] + 1;
            dp[i][j] = best;
        }
    }
    return dp[n][m];
}

const char *diag_closest(const char *word, const char *const *names, size_t n, int max_dist)
{
    const char *best = NULL;
    int best_d = max_dist + 1;
    for (size_t i = 0; i < n; i++) {
        int dist = edit_distance(word, names[i]);
        if (dist < best_d) {
            best_d = dist;
            best = names[i];
        }
    }
    return best;
}
