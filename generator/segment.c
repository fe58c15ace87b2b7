#include "segment.h"

#include "markdown.h"
#include "mdmem.h"
#include "text.h"

#include <cmark-gfm.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

typedef struct {
    Arena *a;
    const char *key;
    const char *body;
    size_t len;
    int body_line;
    size_t *line_start; /* [n_lines + 2]: offset of 1-based line i */
    size_t n_lines;
    Segment *units;
    size_t n, cap;
    int section, index;
} Cut;

static size_t off_of(const Cut *c, int line, int col)
{
    if (line < 1)
        line = 1;
    if ((size_t)line > c->n_lines)
        return c->len;
    size_t o = c->line_start[line] + (size_t)(col > 0 ? col - 1 : 0);
    return o > c->len ? c->len : o;
}

static size_t line_end(const Cut *c, size_t o)
{
    while (o < c->len && c->body[o] != '\n')
        o++;
    return o;
}

static void hash_of(const char *s, char out[17])
{
    snprintf(out, 17, "%016llx", (unsigned long long)fnv1a_str(FNV1A_INIT, s));
}

/* The unit text: continuation lines lose their leading blanks (and the
 * quote markers when in a quote), since they belong to the container. */
static char *unit_text(Arena *a, const char *s, size_t n, bool quoted)
{
    Buf b = BUF_INIT;
    size_t i = 0;
    bool first = true;
    while (i < n) {
        size_t e = i;
        while (e < n && s[e] != '\n')
            e++;
        size_t p = i;
        if (!first) {
            while (p < e && (s[p] == ' ' || s[p] == '\t' || (quoted && s[p] == '>')))
                p++;
            buf_putc(&b, '\n');
        }
        size_t q = e;
        while (q > p && (s[q - 1] == ' ' || s[q - 1] == '\t' || s[q - 1] == '\r'))
            q--;
        /* a hard line break written as two spaces is kept */
        if (e - q >= 2 && e < n)
            q = e;
        buf_append(&b, s + p, q - p);
        first = false;
        i = e < n ? e + 1 : e;
    }
    char *r = arena_strndup(a, b.data, b.len);
    buf_free(&b);
    return r;
}

/* What a reader sees of n's inline content: all into seen, the prose
 * (text nodes, not code spans, not alt text) into prose. */
static void reader_text(cmark_node *n, Buf *seen, Buf *prose)
{
    for (cmark_node *k = cmark_node_first_child(n); k; k = cmark_node_next(k)) {
        switch (cmark_node_get_type(k)) {
        case CMARK_NODE_TEXT:
            buf_puts(seen, cmark_node_get_literal(k));
            buf_puts(prose, cmark_node_get_literal(k));
            break;
        case CMARK_NODE_CODE:
            buf_puts(seen, cmark_node_get_literal(k));
            buf_putc(prose, ' ');
            break;
        case CMARK_NODE_SOFTBREAK:
        case CMARK_NODE_LINEBREAK:
            buf_putc(seen, ' ');
            buf_putc(prose, ' ');
            break;
        case CMARK_NODE_HTML_INLINE:
            break;
        case CMARK_NODE_IMAGE: {
            Buf none = BUF_INIT;
            reader_text(k, seen, &none);
            buf_free(&none);
            buf_putc(prose, ' ');
            break;
        }
        default:
            reader_text(k, seen, prose);
        }
    }
}

static bool blank(char ch) { return ch == ' ' || ch == '\t' || ch == '\n' || ch == '\r'; }

/* FNV-1a of s with each run of blanks one space, none at the ends */
static unsigned long long text_hash(const char *s)
{
    unsigned long long h = FNV1A_INIT;
    bool space = false, any = false;
    for (; *s; s++) {
        if (blank(*s)) {
            space = any;
            continue;
        }
        if (space)
            h = fnv1a_byte(h, ' ');
        h = fnv1a_byte(h, (unsigned char)*s);
        space = false;
        any = true;
    }
    return h;
}

static bool letter(unsigned char ch) { return ((ch | 0x20) >= 'a' && (ch | 0x20) <= 'z') || ch >= 0xC0; }

int segment_words(const char *s)
{
    int n = 0;
    bool first = true;
    /* one pass over each token: the load runs this over every file's text */
    while (*s) {
        while (*s && blank(*s))
            s++;
        if (!*s)
            break;
        const char *b = s;
        int letters = 0;
        bool url = false;
        unsigned char lead = 0; /* the token's first letter */
        for (; *s && !blank(*s); s++) {
            unsigned char ch = (unsigned char)*s;
            if (letter(ch)) {
                letters++;
                if (!lead)
                    lead = ch;
            } else if (ch == '@' || (ch == ':' && s[1] == '/' && s[2] == '/')) {
                url = true;
            }
        }
        if (s - b > 4 && !strncmp(b, "www.", 4))
            url = true;
        if (letters < 2 || url)
            continue;
        /* a capital inside the text starts a name (Jansen, De Vries, Deltion College) */
        if (first || !(lead >= 'A' && lead <= 'Z'))
            n++;
        first = false;
    }
    return n;
}

static void add(Cut *c, size_t cs, size_t ce, int line, bool quoted, char type, cmark_node *node)
{
    while (cs < ce && (c->body[cs] == ' ' || c->body[cs] == '\t'))
        cs++; /* a table cell's range starts after its pipe */
    while (ce > cs && (c->body[ce - 1] == ' ' || c->body[ce - 1] == '\t' || c->body[ce - 1] == '\n'))
        ce--;
    if (ce <= cs)
        return;
    char *text = unit_text(c->a, c->body + cs, ce - cs, quoted);
    if (!text[0])
        return;
    /* continuation prefix: the first line's prefix with all but quote markers blanked */
    size_t ls = cs;
    while (ls > 0 && c->body[ls - 1] != '\n')
        ls--;
    char *cont = arena_strndup(c->a, c->body + ls, cs - ls);
    for (char *p = cont; *p; p++)
        if (*p != '>')
            *p = ' ';
    ARENA_GROW(c->a, c->units, c->n, c->n + 1, c->cap);
    Segment *s = &c->units[c->n++];
    memset(s, 0, sizeof *s);
    s->field = SEG_BODY;
    s->section = c->section;
    s->type = type;
    s->ctxt = arena_printf(c->a, "%s %d.%d", c->key, c->section, ++c->index);
    s->msgid = text;
    hash_of(text, s->hash);
    s->line = c->body_line + line - 1;
    s->col = (int)(cs - ls) + 1;
    Buf seen = BUF_INIT, prose = BUF_INIT;
    reader_text(node, &seen, &prose);
    s->text_hash = text_hash(buf_cstr(&seen));
    s->words = segment_words(buf_cstr(&prose));
    buf_free(&seen);
    buf_free(&prose);
    s->cs = cs;
    s->ce = ce;
    s->cont = cont;
}

/* The body of a fenced block with a name (```tips): Markdown of its own,
 * which the translator translates; NULL for any other code block. */
static const char *block_markdown(cmark_node *k)
{
    const char *info = cmark_node_get_fence_info(k);
    int flen, foff;
    char fch;
    if (!cmark_node_get_fenced(k, &flen, &foff, &fch) || !info || !info[0] || info[0] == ' ')
        return NULL;
    return cmark_node_get_literal(k);
}

static void walk(Cut *c, cmark_node *n, int line_off, int col_off, bool top, bool quoted);

static void leaf(Cut *c, cmark_node *n, int line_off, int col_off, bool quoted)
{
    int sl = cmark_node_get_start_line(n) + line_off, sc = cmark_node_get_start_column(n) + col_off;
    int el = cmark_node_get_end_line(n) + line_off, ec = cmark_node_get_end_column(n) + col_off;
    size_t cs = off_of(c, sl, sc), ce;
    if (cmark_node_get_type(n) == CMARK_NODE_HEADING) {
        if (el > sl) { /* setext: the text lines, not the underline */
            ce = line_end(c, off_of(c, el - 1, 1));
        } else {
            ce = line_end(c, cs);
            while (cs < ce && c->body[cs] == '#')
                cs++;
            while (cs < ce && (c->body[cs] == ' ' || c->body[cs] == '\t'))
                cs++;
            while (ce > cs && (c->body[ce - 1] == ' ' || c->body[ce - 1] == '\t'))
                ce--;
            size_t h = ce;
            while (h > cs && c->body[h - 1] == '#')
                h--;
            if (h < ce && (h == cs || c->body[h - 1] == ' ' || c->body[h - 1] == '\t'))
                ce = h;
        }
    } else {
        ce = off_of(c, el, ec) + 1;
        size_t le = line_end(c, off_of(c, el, 1));
        if (ce > le)
            ce = le;
    }
    add(c, cs, ce, sl, quoted,
        cmark_node_get_type(n) == CMARK_NODE_HEADING ? 'h' : cmark_node_get_type(n) == CMARK_NODE_PARAGRAPH ? 'p' : 'c', n);
}

static void walk(Cut *c, cmark_node *n, int line_off, int col_off, bool top, bool quoted)
{
    for (cmark_node *k = cmark_node_first_child(n); k; k = cmark_node_next(k)) {
        cmark_node_type t = cmark_node_get_type(k);
        if (t == CMARK_NODE_HEADING) {
            if (top && cmark_node_get_heading_level(k) == 2) {
                c->section++;
                c->index = 0;
            }
            leaf(c, k, line_off, col_off, quoted);
        } else if (t == CMARK_NODE_PARAGRAPH) {
            leaf(c, k, line_off, col_off, quoted);
        } else if (t == CMARK_NODE_CODE_BLOCK) {
            const char *lit = block_markdown(k);
            if (!lit)
                continue;
            /* cut it with its lines mapped back */
            cmark_parser *p;
            cmark_node *doc = markdown_parse_tree(lit, strlen(lit), &p);
            int fl = cmark_node_get_start_line(k) + line_off;
            int fc = cmark_node_get_start_column(k) + col_off - 1;
            walk(c, doc, fl, fc, false, quoted);
            markdown_tree_free(p, doc);
        } else if (t == CMARK_NODE_BLOCK_QUOTE) {
            walk(c, k, line_off, col_off, false, true);
        } else if (t == CMARK_NODE_LIST || t == CMARK_NODE_ITEM) {
            walk(c, k, line_off, col_off, false, quoted);
        } else if (!strcmp(cmark_node_get_type_string(k), "table_cell")) {
            leaf(c, k, line_off, col_off, quoted);
        } else if (cmark_node_first_child(k) && t != CMARK_NODE_HTML_BLOCK) {
            /* tables and other containers of the extensions */
            walk(c, k, line_off, col_off, false, quoted);
        }
    }
}

static void add_field(Cut *c, SegField f, const char *name, const char *text)
{
    if (!text || !text[0])
        return;
    ARENA_GROW(c->a, c->units, c->n, c->n + 1, c->cap);
    Segment *s = &c->units[c->n++];
    memset(s, 0, sizeof *s);
    s->field = f;
    s->type = f == SEG_TITLE ? 't' : 's';
    s->ctxt = arena_printf(c->a, "%s %s", c->key, name);
    s->msgid = arena_strdup(c->a, text);
    hash_of(text, s->hash);
    s->cont = "";
}

void segment_material(Arena *a, const char *key, const char *title, const char *summary,
                      const char *body, size_t len, int body_line, SegList *out)
{
    Cut c = {.a = a, .key = key, .body = body, .len = len, .body_line = body_line};
    size_t lines = 1;
    for (size_t i = 0; i < len; i++)
        lines += body[i] == '\n';
    c.line_start = arena_alloc(a, (lines + 2) * sizeof(size_t));
    c.line_start[1] = 0;
    c.n_lines = 1;
    for (size_t i = 0; i < len; i++)
        if (body[i] == '\n')
            c.line_start[++c.n_lines] = i + 1;
    add_field(&c, SEG_TITLE, "title", title);
    add_field(&c, SEG_SUMMARY, "summary", summary);
    cmark_parser *p;
    cmark_node *doc = markdown_parse_tree(body, len, &p);
    walk(&c, doc, 0, 0, true, false);
    markdown_tree_free(p, doc);
    out->units = c.units;
    out->n = c.n;
}

void segment_assemble(const char *body, size_t len, const SegList *list, const char *const *tr, Buf *out)
{
    size_t at = 0;
    for (size_t i = 0; i < list->n; i++) {
        const Segment *s = &list->units[i];
        if (s->field != SEG_BODY || s->cs < at)
            continue;
        buf_append(out, body + at, s->cs - at);
        if (tr[i]) {
            for (const char *p = tr[i]; *p; p++) {
                if (*p == '\n') {
                    buf_putc(out, '\n');
                    buf_puts(out, s->cont);
                } else {
                    buf_putc(out, *p);
                }
            }
        } else {
            buf_puts(out, SEG_OPEN);
            buf_append(out, body + s->cs, s->ce - s->cs);
            buf_puts(out, SEG_CLOSE);
        }
        at = s->ce;
    }
    buf_append(out, body + at, len - at);
}

void segment_text_units(Arena *a, const char *body, size_t len, int body_line, TextUnit **out, size_t *n)
{
    *out = NULL;
    *n = 0;
    if (len >= 0xFFFFFFFFu)
        return;
    /* the cut's strings in an arena of their own: only the units stay */
    Arena *scratch = arena_new();
    SegList L;
    MdMark mark = mdmem_mark();
    segment_material(scratch, "", NULL, NULL, body, len, body_line, &L);
    mdmem_release(mark);
    size_t k = 0;
    for (size_t i = 0; i < L.n; i++)
        k += L.units[i].field == SEG_BODY && L.units[i].words >= SEG_MIN_WORDS;
    if (k) {
        TextUnit *u = arena_alloc(a, k * sizeof *u);
        k = 0;
        for (size_t i = 0; i < L.n; i++) {
            const Segment *s = &L.units[i];
            if (s->field == SEG_BODY && s->words >= SEG_MIN_WORDS)
                u[k++] = (TextUnit){s->text_hash, s->line, s->col, (unsigned)s->cs, (unsigned)s->ce};
        }
        *out = u;
        *n = k;
    }
    arena_free(scratch);
}

typedef struct {
    unsigned long long *v;
    size_t n, cap;
    Buf seen, prose;
} Hashes;

static void hash_unit(Hashes *h, cmark_node *n)
{
    buf_clear(&h->seen);
    buf_clear(&h->prose);
    reader_text(n, &h->seen, &h->prose);
    if (segment_words(buf_cstr(&h->prose)) < SEG_MIN_WORDS)
        return;
    ALLOC_GROW(h->v, h->n + 1, h->cap);
    h->v[h->n++] = text_hash(buf_cstr(&h->seen));
}

/* walk()'s units, without their places and strings: the load does this
 * for every file, the places are wanted for a few (segment_text_units) */
static void hash_walk(Hashes *h, cmark_node *n)
{
    for (cmark_node *k = cmark_node_first_child(n); k; k = cmark_node_next(k)) {
        cmark_node_type t = cmark_node_get_type(k);
        if (t == CMARK_NODE_HEADING || t == CMARK_NODE_PARAGRAPH) {
            hash_unit(h, k);
        } else if (t == CMARK_NODE_CODE_BLOCK) {
            const char *lit = block_markdown(k);
            if (!lit)
                continue;
            cmark_parser *p;
            cmark_node *doc = markdown_parse_tree(lit, strlen(lit), &p);
            hash_walk(h, doc);
            markdown_tree_free(p, doc);
        } else if (t == CMARK_NODE_BLOCK_QUOTE || t == CMARK_NODE_LIST || t == CMARK_NODE_ITEM) {
            hash_walk(h, k);
        } else if (!strcmp(cmark_node_get_type_string(k), "table_cell")) {
            hash_unit(h, k);
        } else if (cmark_node_first_child(k) && t != CMARK_NODE_HTML_BLOCK) {
            hash_walk(h, k);
        }
    }
}

void segment_text_hashes(Arena *a, const char *body, size_t len, unsigned long long **out, size_t *n)
{
    *out = NULL;
    *n = 0;
    if (len >= 0xFFFFFFFFu)
        return; /* as segment_text_units */
    Hashes h = {NULL, 0, 0, BUF_INIT, BUF_INIT};
    /* the trees' memory back to the thread's allocator (mdmem.h) at once:
     * the load does this for every file on a few threads */
    MdMark mark = mdmem_mark();
    cmark_parser *p;
    cmark_node *doc = markdown_parse_tree(body, len, &p);
    hash_walk(&h, doc);
    markdown_tree_free(p, doc);
    mdmem_release(mark);
    if (h.n) {
        *out = arena_alloc(a, h.n * sizeof **out);
        memcpy(*out, h.v, h.n * sizeof **out);
        *n = h.n;
    }
    free(h.v);
    buf_free(&h.seen);
    buf_free(&h.prose);
}

bool segment_has_text(const unsigned long long *hs, size_t n, unsigned long long h)
{
    for (size_t i = 0; i < n; i++)
        if (hs[i] == h)
            return true;
    return false;
}

size_t segment_mark_source(const char *body, size_t len, const TextUnit *u, size_t n,
                           const unsigned long long *src, size_t n_src, Buf *out)
{
    size_t at = 0, marked = 0;
    for (size_t i = 0; i < n; i++) {
        if (u[i].cs < at || u[i].ce > len || !segment_has_text(src, n_src, u[i].hash))
            continue;
        buf_append(out, body + at, u[i].cs - at);
        buf_puts(out, SEG_OPEN);
        buf_append(out, body + u[i].cs, u[i].ce - u[i].cs);
        buf_puts(out, SEG_CLOSE);
        at = u[i].ce;
        marked++;
    }
    buf_append(out, body + at, len - at);
    return marked;
}
