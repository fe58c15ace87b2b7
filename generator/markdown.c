/* Markdown bodies through libcmark-gfm. The document is parsed once, the
 * tree is rewritten in one walk in document order (so "first use" of a
 * glossary term and heading de-duplication follow reading order, also
 * inside nested blocks), and then rendered in safe mode. Everything we emit
 * ourselves (heading tags, glossary links, rendered blocks) goes through
 * custom nodes whose text we escape here; everything else cmark escapes. */
#include "markdown.h"
#include "mdmem.h"
#include "segment.h"

#include "slug.h"
#include "termlink.h"
#include "text.h"
#include "url.h"

#include <cmark-gfm-core-extensions.h>
#include <cmark-gfm.h>
#include <pthread.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <unicode/uchar.h>
#include <unicode/ustring.h>
#include <unicode/utf16.h>
#include <unicode/utf8.h>

enum { MAX_BLOCK_DEPTH = 8 };
/* A table of more cells is refused: a 12 KB body can declare 2,000 columns
 * and 2,000 rows (GFM fills short rows with empty cells), 4 million cells
 * and some 36 MB of HTML on each of its pages. 10,000 cells is already far
 * more than a printed page holds. */
enum { MAX_TABLE_CELLS = 10000 };

/* Never CMARK_OPT_UNSAFE: raw HTML becomes a comment, bad schemes a blank href. */
#define PARSE_OPTIONS CMARK_OPT_VALIDATE_UTF8
#define RENDER_OPTIONS CMARK_OPT_DEFAULT

/* ---- small helpers ------------------------------------------------------ */

static pthread_once_t extensions_once = PTHREAD_ONCE_INIT;

/* Stands in, for a moment, as the syntax extension of a table cell (see
 * link_terms); lives as long as the process, like cmark's own extensions. */
static cmark_syntax_extension *inline_host;

static int host_can_contain(cmark_syntax_extension *ext, cmark_node *node, cmark_node_type child)
{
    (void)ext;
    (void)node;
    return (child & CMARK_NODE_TYPE_MASK) == CMARK_NODE_TYPE_INLINE;
}

/* cmark's own registration flag is not thread-safe; builds may render in parallel. */
static void register_extensions(void)
{
    cmark_gfm_core_extensions_ensure_registered();
    inline_host = cmark_syntax_extension_new("lobgen-inline-host");
    cmark_syntax_extension_set_can_contain_func(inline_host, host_can_contain);
}

/* The vendored cmark-gfm keeps the extensions' trigger characters in each
 * parser (vendor/cmark-gfm/lobgen-thread-safety.patch), so parsers on
 * different threads share nothing mutable and need no lock. */
static cmark_node *parse(cmark_parser *p, const char *md, size_t len)
{
    cmark_parser_feed(p, md, len);
    return cmark_parser_finish(p);
}

/* n as HTML, in this thread's arena (mdmem.h), whatever allocator made n:
 * give it back with free_html (it is the last block, so that is a no-op
 * only when something was allocated after it). */
static char *render_html(cmark_node *n, cmark_llist *exts)
{
    return cmark_render_html_with_mem(n, RENDER_OPTIONS, exts, mdmem_allocator());
}

static void free_html(char *h) { mdmem_allocator()->free(h); }

static cmark_parser *new_parser(void)
{
    static const char *const names[] = {"table", "strikethrough", "autolink", "tasklist"};
    pthread_once(&extensions_once, register_extensions);
    /* on this thread's bump arena (mdmem.h): render_level gives it all
     * back at once after the tree and parser are freed */
    cmark_parser *p = cmark_parser_new_with_mem(PARSE_OPTIONS, mdmem_allocator());
    for (size_t i = 0; i < sizeof names / sizeof names[0]; i++) {
        cmark_syntax_extension *e = cmark_find_syntax_extension(names[i]);
        if (e)
            cmark_parser_attach_syntax_extension(p, e);
    }
    return p;
}


/* Copy n bytes into the arena, replacing invalid UTF-8 with U+FFFD. */
static char *arena_utf8_copy(Arena *a, const char *s, size_t n)
{
    int32_t i = 0, len = (int32_t)n;
    /* valid UTF-8 (every fence's name and attributes but a broken one)
     * is its own copy: checked in one pass, copied in one piece */
    bool valid = true;
    while (valid && i < len) {
        UChar32 c;
        U8_NEXT(s, i, len, c);
        valid = c >= 0;
    }
    if (valid)
        return arena_strndup(a, s, n);
    Buf b = BUF_INIT;
    i = 0;
    while (i < len) {
        int32_t start = i;
        UChar32 c;
        U8_NEXT(s, i, len, c);
        if (c < 0)
            buf_puts(&b, "\xEF\xBF\xBD");
        else
            buf_append(&b, s + start, (size_t)(i - start));
    }
    char *r = arena_strndup(a, buf_cstr(&b), b.len);
    buf_free(&b);
    return r;
}

/* ---- shared state of one markdown_render call ----------------------------- */

typedef enum { INFO_HEADING = 1, INFO_BLOCK } InfoKind;

/* Hung on our custom nodes as user data (arena-owned, never freed by cmark). */
typedef struct {
    InfoKind kind;
    int level;         /* a heading's */
    const char *id;    /* a heading's */
    const char *text;  /* a heading's plain text */
    const char *plain; /* a block's body as plain text */
    const char *name;  /* a block's name */
    MdAttr *attrs;     /* a block's attributes */
    size_t n_attrs;
    const char *print_html; /* a block's rendering for print, when it differs */
} NodeInfo;

typedef struct {
    Arena *a;
    const char *file;
    const MdOptions *opt;
    Diags *d;
    bool ok;
    bool twin; /* also render for print (no glossary links) from the same tree */

    TermLinker terms; /* the glossary terms still to link */

    SlugSet ids; /* every id in the document */

    MdHeading *headings;
    size_t n_headings, cap_headings;

    Buf tmp; /* scratch */
} Shared;

typedef struct {
    Shared *sh;
    const char *md;
    size_t len;
    int first_line; /* file line of md's first line */
    int col_offset; /* columns before md's text on each line (container prefix) */
    int depth;
    size_t *line_starts; /* built on first need */
    size_t n_lines;
} Level;

/* ---- heading ids ------------------------------------------------------------ */

char *markdown_slugify(Arena *a, const char *text) { return slug_from_text(a, text); }

void markdown_inline_text(cmark_node *n, char brk, bool skip_images, Buf *out)
{
    switch (cmark_node_get_type(n)) {
    case CMARK_NODE_TEXT:
    case CMARK_NODE_CODE:
        buf_puts(out, cmark_node_get_literal(n));
        return;
    case CMARK_NODE_SOFTBREAK:
    case CMARK_NODE_LINEBREAK:
        buf_putc(out, brk);
        return;
    case CMARK_NODE_HTML_INLINE:
        return;
    case CMARK_NODE_IMAGE:
        if (skip_images)
            return;
        break;
    default:
        break;
    }
    for (cmark_node *c = cmark_node_first_child(n); c; c = cmark_node_next(c))
        markdown_inline_text(c, brk, skip_images, out);
}

static void add_heading(Shared *sh, int level, const char *id, const char *text)
{
    ARENA_GROW(sh->a, sh->headings, sh->n_headings, sh->n_headings + 1, sh->cap_headings);
    sh->headings[sh->n_headings++] = (MdHeading){level, id, text};
}

/* On entering a heading: its id and text, recorded in reading order. */
static void name_heading(Shared *sh, cmark_node *h)
{
    int level = cmark_node_get_heading_level(h);
    Buf text = BUF_INIT;
    markdown_inline_text(h, ' ', false, &text);
    const char *plain = arena_strndup(sh->a, buf_cstr(&text), text.len);
    buf_free(&text);
    const char *id = slugset_unique(&sh->ids, slug_from_text(sh->a, plain));
    add_heading(sh, level, id, plain);

    NodeInfo *info = arena_alloc(sh->a, sizeof *info);
    info->kind = INFO_HEADING;
    info->level = level;
    info->id = id;
    info->text = plain;
    cmark_node_set_user_data(h, info);
}

/* On leaving a heading (its links checked): cmark has no heading
 * attributes, so let cmark render it and put the id into its start tag,
 * then stand the result in for the heading as a custom block. */
static cmark_node *finish_heading(cmark_node *h, cmark_llist *exts)
{
    NodeInfo *info = cmark_node_get_user_data(h);
    char *html = render_html(h, exts);
    const char *gt = strchr(html, '>');
    Buf b = BUF_INIT;
    buf_printf(&b, "<h%d id=\"", info->level);
    buf_html_escape(&b, info->id, strlen(info->id));
    buf_puts(&b, "\"");
    buf_puts(&b, gt ? gt : ">");
    free_html(html);

    cmark_node *c = cmark_node_new_with_mem(CMARK_NODE_CUSTOM_BLOCK, mdmem_allocator());
    cmark_node_set_on_enter(c, buf_cstr(&b));
    buf_free(&b);
    cmark_node_set_user_data(c, info);
    cmark_node_replace(h, c);
    cmark_node_free(h);
    return c;
}

static NodeInfo *node_info(cmark_node *n)
{
    if (cmark_node_get_type(n) != CMARK_NODE_CUSTOM_BLOCK)
        return NULL;
    return cmark_node_get_user_data(n);
}

/* ---- blocks ------------------------------------------------------------------ */

typedef struct {
    MdListItem *v;
    size_t n, cap;
} ItemList;

/* What one level renders: the web form, and with Shared.twin the print form. */
typedef struct {
    Buf html;
    MdDoc *top;      /* the whole body's sections, at the top level */
    ItemList *items; /* a block body's list items */
    bool same;       /* print only: no glossary link went in, so print is web
                      * and nothing above was filled */
} LevelOut;

static bool render_level(Shared *sh, const char *md, size_t len, int first_line, int col_offset,
                         int depth, Buf *plain, LevelOut *web, LevelOut *print);

static void build_line_index(Level *L)
{
    size_t cap = 0;
    L->n_lines = 0;
    ALLOC_GROW(L->line_starts, 1, cap);
    size_t start = 0;
    /* cmark skips a leading byte order mark before counting columns */
    if (L->len >= 3 && !memcmp(L->md, "\xEF\xBB\xBF", 3))
        start = 3;
    L->line_starts[L->n_lines++] = start;
    if (!memchr(L->md + start, '\r', L->len - start)) {
        /* no CR (the common case): memchr from line feed to line feed,
         * not a test per byte (a tenth of a body's own render_level) */
        for (const char *q = L->md + start, *end = L->md + L->len; (q = memchr(q, '\n', (size_t)(end - q))) != NULL;) {
            q++;
            ALLOC_GROW(L->line_starts, L->n_lines + 1, cap);
            L->line_starts[L->n_lines++] = (size_t)(q - L->md);
        }
        return;
    }
    for (size_t i = start; i < L->len; i++) {
        char c = L->md[i];
        if (c != '\n' && c != '\r')
            continue;
        if (c == '\r' && i + 1 < L->len && L->md[i + 1] == '\n')
            i++;
        ALLOC_GROW(L->line_starts, L->n_lines + 1, cap);
        L->line_starts[L->n_lines++] = i + 1;
    }
}

static size_t line_end(const Level *L, size_t start)
{
    size_t e = start;
    while (e < L->len && L->md[e] != '\n' && L->md[e] != '\r')
        e++;
    return e;
}

typedef struct {
    const char *line; /* the fence's source line */
    size_t fence;     /* offset of the fence characters in line */
    size_t info;      /* offset of the info string (after the fence) */
    size_t end;       /* offset of the end of the line */
} FenceLine;

/* The fence line as written: cmark hands out the info string with
 * backslash escapes and entities already decoded, which would lose the
 * \" inside quoted attribute values. */
static bool find_fence_line(Level *L, cmark_node *n, char fch, FenceLine *f)
{
    if (!L->line_starts)
        build_line_index(L);
    int line = cmark_node_get_start_line(n), col = cmark_node_get_start_column(n);
    if (line < 1 || (size_t)line > L->n_lines || col < 1)
        return false;
    size_t ls = L->line_starts[line - 1], le = line_end(L, ls);
    size_t p = ls + (size_t)col - 1;
    if (p >= le || L->md[p] != fch) {
        /* columns shift when cmark replaced invalid bytes; look for the fence itself */
        p = ls;
        while (p + 2 < le && !(L->md[p] == fch && L->md[p + 1] == fch && L->md[p + 2] == fch))
            p++;
        if (p + 2 >= le)
            return false;
    }
    f->line = L->md + ls;
    f->fence = p - ls;
    while (p < le && L->md[p] == fch)
        p++;
    f->info = p - ls;
    f->end = le - ls;
    return true;
}

static int fence_col(const Level *L, const FenceLine *f, size_t off)
{
    return L->col_offset + (int)utf8_length(f->line, off) + 1;
}

static bool is_hspace(char c) { return c == ' ' || c == '\t'; }

/* key=value pairs after the block name; values bare or "double quoted" with \" and \\. */
static bool parse_attrs(Level *L, const FenceLine *f, size_t p, int line, const char *block,
                        MdAttr **out, size_t *n_out)
{
    Shared *sh = L->sh;
    const char *s = f->line;
    size_t end = f->end;
    MdAttr *attrs = NULL;
    size_t n = 0, cap = 0;
    bool ok = true;
    Buf val = BUF_INIT;
    while (ok) {
        while (p < end && is_hspace(s[p]))
            p++;
        if (p >= end)
            break;
        size_t start = p;
        int col = fence_col(L, f, start);
        while (p < end && !is_hspace(s[p]) && s[p] != '=')
            p++;
        const char *name = s + start;
        size_t name_len = p - start;
        bool name_ok = name_len > 0 && name[0] >= 'a' && name[0] <= 'z';
        for (size_t i = 0; i < name_len && name_ok; i++) {
            char c = name[i];
            name_ok = (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_' || c == '-';
        }
        char *name_shown = arena_utf8_copy(sh->a, name, name_len);
        if (!name_ok) {
            diag_error(sh->d, sh->file, line, col,
                       "block \"%s\": \"%s\" is not a valid attribute name; names use lowercase "
                       "letters, digits, '-' and '_' and start with a letter, as in regels=5",
                       block, name_shown);
            ok = false;
            break;
        }
        if (p >= end || s[p] != '=' || p + 1 >= end || is_hspace(s[p + 1])) {
            diag_error(sh->d, sh->file, line, col,
                       "block \"%s\": attribute \"%s\" has no value; write %s=value, or "
                       "%s=\"a value with spaces\"",
                       block, name_shown, name_shown, name_shown);
            ok = false;
            break;
        }
        p++; /* '=' */
        buf_clear(&val);
        if (s[p] == '"') {
            p++;
            bool closed = false;
            while (p < end) {
                if (s[p] == '\\' && p + 1 < end && (s[p + 1] == '"' || s[p + 1] == '\\')) {
                    buf_putc(&val, s[p + 1]);
                    p += 2;
                } else if (s[p] == '"') {
                    closed = true;
                    p++;
                    break;
                } else {
                    buf_putc(&val, s[p++]);
                }
            }
            if (!closed) {
                diag_error(sh->d, sh->file, line, col,
                           "block \"%s\": the value of attribute \"%s\" has no closing quote; end it "
                           "with \" (write \\\" for a quote inside the value)",
                           block, name_shown);
                ok = false;
                break;
            }
            if (p < end && !is_hspace(s[p])) {
                diag_error(sh->d, sh->file, line, col,
                           "block \"%s\": attribute \"%s\" runs on after its closing quote; put a "
                           "space between attributes",
                           block, name_shown);
                ok = false;
                break;
            }
        } else {
            while (p < end && !is_hspace(s[p])) {
                if (s[p] == '"') {
                    diag_error(sh->d, sh->file, line, col,
                               "block \"%s\": the value of attribute \"%s\" contains a quote; put "
                               "the whole value in double quotes, as %s=\"...\"",
                               block, name_shown, name_shown);
                    ok = false;
                    break;
                }
                buf_putc(&val, s[p++]);
            }
            if (!ok)
                break;
        }
        for (size_t i = 0; i < n; i++) {
            if (!strcmp(attrs[i].name, name_shown)) {
                diag_error(sh->d, sh->file, line, col,
                           "block \"%s\": attribute \"%s\" is given twice; keep one of them", block,
                           name_shown);
                ok = false;
                break;
            }
        }
        if (!ok)
            break;
        ARENA_GROW(sh->a, attrs, n, n + 1, cap);
        attrs[n].name = name_shown;
        attrs[n].value = arena_utf8_copy(sh->a, buf_cstr(&val), val.len);
        attrs[n].col = col;
        n++;
    }
    buf_free(&val);
    *out = attrs;
    *n_out = n;
    return ok;
}

static const char *source_lang_units(Arena *a, const char *s, bool html, const char *mark);

/* A fenced block whose first info word names a block template becomes the
 * template's HTML. Returns the node now standing where n stood. */
/* A block body as the block template gets it. The block's text also
 * leaves in other forms than the page (its items pair up on a bilingual
 * handout, a card sheet lists them): units still in the source language
 * are marked up here already. */
static MdBlockBody block_body(Shared *sh, LevelOut *o)
{
    const char *mark = sh->opt->untranslated_html;
    MdBlockBody bb = {arena_strndup(sh->a, buf_cstr(&o->html), o->html.len), o->items->v, o->items->n};
    bb.html = source_lang_units(sh->a, bb.html, true, mark);
    for (size_t i = 0; i < o->items->n; i++)
        o->items->v[i].html = source_lang_units(sh->a, o->items->v[i].html, true, mark);
    return bb;
}

static cmark_node *render_block_node(Level *L, cmark_node *n)
{
    Shared *sh = L->sh;
    const MdOptions *o = sh->opt;
    if (!o || !o->is_block || !o->render_block)
        return n;
    int fence_len = 0, fence_off = 0;
    char fch = 0;
    if (!cmark_node_get_fenced(n, &fence_len, &fence_off, &fch))
        return n;

    FenceLine f;
    if (!find_fence_line(L, n, fch, &f))
        return n;
    size_t p = f.info;
    while (p < f.end && is_hspace(f.line[p]))
        p++;
    size_t ws = p;
    while (p < f.end && !is_hspace(f.line[p]))
        p++;
    if (p == ws)
        return n;
    buf_clear(&sh->tmp);
    buf_append(&sh->tmp, f.line + ws, p - ws);
    if (!o->is_block(o->ctx, buf_cstr(&sh->tmp))) {
        const char *near = o->near_block ? o->near_block(o->ctx, buf_cstr(&sh->tmp)) : NULL;
        if (near)
            diag_warn(sh->d, sh->file, L->first_line + cmark_node_get_start_line(n) - 1, fence_col(L, &f, ws),
                      "'%s' is not a block, so this is shown as code; did you mean '%s'?", buf_cstr(&sh->tmp), near);
        return n;
    }
    char *name = arena_utf8_copy(sh->a, f.line + ws, p - ws);

    int line = L->first_line + cmark_node_get_start_line(n) - 1;
    MdAttr *attrs = NULL;
    size_t n_attrs = 0;
    if (!parse_attrs(L, &f, p, line, name, &attrs, &n_attrs)) {
        sh->ok = false;
        return n;
    }
    if (L->depth + 1 > MAX_BLOCK_DEPTH) {
        diag_error(sh->d, sh->file, line, fence_col(L, &f, f.fence),
                   "block \"%s\" is nested more than %d blocks deep; take some blocks out of the "
                   "others",
                   name, MAX_BLOCK_DEPTH);
        sh->ok = false;
        return n;
    }

    const char *body = cmark_node_get_literal(n);
    Buf inner_plain = BUF_INIT, out = BUF_INIT;
    ItemList items = {0}, print_items = {0};
    LevelOut web = {BUF_INIT, NULL, &items, false}, print = {BUF_INIT, NULL, &print_items, false};
    bool was_ok = sh->ok;
    sh->ok = true;
    /* the body starts on the line after the fence, indented like the fence */
    render_level(sh, body, strlen(body), line + 1, fence_col(L, &f, f.fence) - 1, L->depth + 1,
                 &inner_plain, &web, sh->twin ? &print : NULL);
    bool ok = sh->ok;
    sh->ok = was_ok && ok;
    cmark_node *result = n;
    if (ok) {
        /* headings before n were already turned into custom blocks */
        cmark_node *prev = cmark_node_previous(n);
        NodeInfo *pi = prev ? node_info(prev) : NULL;
        const char *heading_before = pi && pi->kind == INFO_HEADING ? pi->text : NULL;
        if (heading_before)
            heading_before = source_lang_units(sh->a, heading_before, false, NULL);
        MdBlockBody bb = block_body(sh, &web);
        const char *print_html = NULL;
        /* a body without glossary links is the same on paper: one rendering,
         * through the print context (print_html NULL: as on the web) */
        void *ctx = sh->twin && print.same && o->print_ctx ? o->print_ctx : o->ctx;
        bool done = o->render_block(ctx, name, attrs, n_attrs, &bb, heading_before, sh->file, line, &out, sh->d);
        if (done && sh->twin && !print.same) {
            /* the same block for print, from its body without glossary links */
            Buf pout = BUF_INIT;
            MdBlockBody pb = block_body(sh, &print);
            done = o->render_block(o->print_ctx ? o->print_ctx : o->ctx, name, attrs, n_attrs, &pb,
                                   heading_before, sh->file, line, &pout, sh->d);
            print_html = arena_strndup(sh->a, buf_cstr(&pout), pout.len);
            buf_free(&pout);
        }
        if (done) {
            cmark_node *c = cmark_node_new_with_mem(CMARK_NODE_CUSTOM_BLOCK, mdmem_allocator());
            cmark_node_set_on_enter(c, buf_cstr(&out));
            NodeInfo *info = arena_alloc(sh->a, sizeof *info);
            info->print_html = print_html;
            info->kind = INFO_BLOCK;
            info->plain = arena_strndup(sh->a, buf_cstr(&inner_plain), inner_plain.len);
            info->name = name;
            info->attrs = attrs;
            info->n_attrs = n_attrs;
            cmark_node_set_user_data(c, info);
            cmark_node_replace(n, c);
            cmark_node_free(n);
            result = c;
        } else {
            sh->ok = false;
        }
    }
    buf_free(&web.html);
    buf_free(&print.html);
    buf_free(&inner_plain);
    buf_free(&out);
    return result;
}

/* ---- the rewrite walk -------------------------------------------------------- */

static bool blocks_terms(cmark_node *n)
{
    cmark_node_type t = cmark_node_get_type(n);
    return t == CMARK_NODE_LINK || t == CMARK_NODE_IMAGE || t == CMARK_NODE_HEADING;
}

/* A table past MAX_TABLE_CELLS is an error and stands in the tree as an
 * empty paragraph, so its cells are never rendered. Returns the node now
 * in n's place. */
static cmark_node *check_table(Level *L, cmark_node *n)
{
    if (strcmp(cmark_node_get_type_string(n), "table"))
        return n;
    size_t cols = cmark_gfm_extensions_get_table_columns(n), rows = 0;
    for (cmark_node *r = cmark_node_first_child(n); r; r = cmark_node_next(r))
        rows++;
    if (rows * cols <= MAX_TABLE_CELLS)
        return n;
    Shared *sh = L->sh;
    diag_error(sh->d, sh->file, L->first_line + cmark_node_get_start_line(n) - 1,
               L->col_offset + cmark_node_get_start_column(n),
               "this table has %zu rows of %zu columns, %zu cells; a table may have at most %d "
               "cells (rows missing cells get empty ones); split it into smaller tables or "
               "make it a list",
               rows, cols, rows * cols, MAX_TABLE_CELLS);
    sh->ok = false;
    cmark_node *p = cmark_node_new_with_mem(CMARK_NODE_PARAGRAPH, mdmem_allocator());
    cmark_node_replace(n, p);
    cmark_node_free(n);
    return p;
}

/* One pass in document order, changing the tree as it goes (which cmark's
 * iterator does not allow): the next node is always taken from the node
 * that now stands in the tree. */
static void rewrite(Level *L, cmark_node *root, cmark_llist *exts)
{
    Shared *sh = L->sh;
    int no_terms = 0; /* inside headings, links, images */
    cmark_node *n = cmark_node_first_child(root);
    while (n) {
        switch (cmark_node_get_type(n)) {
        case CMARK_NODE_CODE_BLOCK:
            n = render_block_node(L, n);
            break;
        case CMARK_NODE_HEADING:
            name_heading(sh, n);
            break;
        case CMARK_NODE_LINK:
        case CMARK_NODE_IMAGE: {
            const char *url = cmark_node_get_url(n);
            if (url && url_is_dangerous(url, cmark_node_get_type(n) == CMARK_NODE_IMAGE))
                cmark_node_set_url(n, "");
            break;
        }
        case CMARK_NODE_TEXT:
            if (!no_terms && termlink_pending(&sh->terms))
                n = termlink_text(&sh->terms, n);
            break;
        default:
            if ((cmark_node_get_type(n) & CMARK_NODE_TYPE_MASK) == CMARK_NODE_TYPE_BLOCK)
                n = check_table(L, n);
            break;
        }
        if (blocks_terms(n))
            no_terms++;
        /* our own nodes (term links, rendered blocks) are finished */
        cmark_node_type t = cmark_node_get_type(n);
        bool ours = t == CMARK_NODE_CUSTOM_INLINE || t == CMARK_NODE_CUSTOM_BLOCK;
        cmark_node *child = ours ? NULL : cmark_node_first_child(n);
        if (child) {
            n = child;
            continue;
        }
        /* leave n, then every ancestor that has no next sibling */
        for (;;) {
            if (blocks_terms(n))
                no_terms--;
            if (cmark_node_get_type(n) == CMARK_NODE_HEADING)
                n = finish_heading(n, exts);
            cmark_node *next = cmark_node_next(n);
            if (next) {
                n = next;
                break;
            }
            n = cmark_node_parent(n);
            if (!n || n == root) {
                n = NULL;
                break;
            }
        }
    }
}

/* ---- plain text --------------------------------------------------------------- */

static void ensure_newlines(Buf *b, size_t k)
{
    if (!b->len)
        return;
    size_t have = 0;
    while (have < b->len && have < k && b->data[b->len - 1 - have] == '\n')
        have++;
    for (; have < k; have++)
        buf_putc(b, '\n');
}

/* A block ends: one newline inside containers, a blank line between top-level blocks. */
static void end_block(cmark_node *n, Buf *out)
{
    cmark_node *parent = cmark_node_parent(n);
    bool top = parent && cmark_node_get_type(parent) == CMARK_NODE_DOCUMENT;
    ensure_newlines(out, top ? 2 : 1);
}

static void plain_text(cmark_node *doc, Buf *out)
{
    cmark_iter *it = cmark_iter_new(doc);
    cmark_event_type ev;
    while ((ev = cmark_iter_next(it)) != CMARK_EVENT_DONE) {
        cmark_node *n = cmark_iter_get_node(it);
        cmark_node_type t = cmark_node_get_type(n);
        bool cell = !strcmp(cmark_node_get_type_string(n), "table_cell");
        if (ev == CMARK_EVENT_EXIT) {
            /* containers (and custom blocks) get an exit event; leaf blocks do not */
            if ((t & CMARK_NODE_TYPE_MASK) == CMARK_NODE_TYPE_BLOCK && t != CMARK_NODE_DOCUMENT &&
                !cell)
                end_block(n, out);
            continue;
        }
        switch (t) {
        case CMARK_NODE_TEXT:
        case CMARK_NODE_CODE:
            buf_puts(out, cmark_node_get_literal(n));
            break;
        case CMARK_NODE_SOFTBREAK:
            buf_putc(out, ' ');
            break;
        case CMARK_NODE_LINEBREAK:
            buf_putc(out, '\n');
            break;
        case CMARK_NODE_CODE_BLOCK:
            ensure_newlines(out, 1);
            buf_puts(out, cmark_node_get_literal(n));
            end_block(n, out);
            break;
        case CMARK_NODE_THEMATIC_BREAK:
            end_block(n, out);
            break;
        case CMARK_NODE_CUSTOM_BLOCK: {
            NodeInfo *info = node_info(n);
            if (info) {
                ensure_newlines(out, 1);
                buf_puts(out, info->kind == INFO_BLOCK ? info->plain : info->text);
            }
            break;
        }
        default:
            if (cell && cmark_node_previous(n))
                buf_putc(out, '\t');
            break;
        }
    }
    cmark_iter_free(it);
    while (out->len && (out->data[out->len - 1] == '\n' || out->data[out->len - 1] == ' '))
        out->data[--out->len] = '\0';
}

/* ---- rendering ---------------------------------------------------------------- */

/* parts of the open section: ends[i] is where part i ends in its html */
typedef struct {
    size_t *ends;
    NodeInfo **blocks;
    size_t n, cap;
} PartCuts;

static void cut_part(PartCuts *pc, size_t end, NodeInfo *block)
{
    if (pc->n == pc->cap) {
        pc->cap = pc->cap ? pc->cap * 2 : 8;
        pc->ends = xrealloc(pc->ends, pc->cap * sizeof *pc->ends);
        pc->blocks = xrealloc(pc->blocks, pc->cap * sizeof *pc->blocks);
    }
    pc->ends[pc->n] = end;
    pc->blocks[pc->n++] = block;
}

static void push_section(Arena *a, MdDoc *top, size_t *cap, MdSection s, const Buf *html, PartCuts *pc)
{
    ARENA_GROW(a, top->sections, top->n_sections, top->n_sections + 1, *cap);
    s.html = arena_strndup(a, html->data, html->len);
    cut_part(pc, html->len, NULL);
    s.parts = arena_alloc(a, pc->n * sizeof *s.parts);
    s.n_parts = pc->n;
    size_t start = 0;
    for (size_t i = 0; i < pc->n; i++) {
        NodeInfo *b = pc->blocks[i];
        s.parts[i] = (MdPart){arena_strndup(a, s.html + start, pc->ends[i] - start), b ? b->name : NULL,
                              b ? b->attrs : NULL, b ? b->n_attrs : 0};
        start = pc->ends[i];
    }
    pc->n = 0;
    top->sections[top->n_sections++] = s;
}

/* Each top-level node is rendered on its own, so the cut before every h2
 * needs no marker in the output; cmark starts and ends every block on its
 * own line, so the parts concatenate to the whole-document rendering. */
static void render_sections(Shared *sh, cmark_node *doc, cmark_llist *exts, Buf *html, MdDoc *top)
{
    size_t cap = 0;
    Buf part = BUF_INIT;
    PartCuts pc = {0};
    MdSection open = {0, "", "", "", NULL, 0};
    buf_reserve(&part, 2048);
    for (cmark_node *c = cmark_node_first_child(doc); c; c = cmark_node_next(c)) {
        NodeInfo *info = node_info(c);
        if (info && info->kind == INFO_HEADING && info->level == 2) {
            if (open.level != 0 || part.len)
                push_section(sh->a, top, &cap, open, &part, &pc);
            pc.n = 0;
            buf_clear(&part);
            open = (MdSection){2, info->id, info->text, "", NULL, 0};
        }
        char *h = render_html(c, exts);
        buf_puts(&part, h);
        buf_puts(html, h);
        free_html(h);
        if (info && info->kind == INFO_BLOCK)
            cut_part(&pc, part.len, info);
    }
    if (open.level != 0 || part.len)
        push_section(sh->a, top, &cap, open, &part, &pc);
    buf_free(&part);
    free(pc.ends);
    free(pc.blocks);
}

static void trim_html(Buf *b, Arena *a, const char **out)
{
    size_t s = 0, e = b->len;
    while (s < e && (b->data[s] == '\n' || b->data[s] == ' '))
        s++;
    while (e > s && (b->data[e - 1] == '\n' || b->data[e - 1] == ' '))
        e--;
    *out = arena_strndup(a, b->data + s, e - s);
}

/* One list item's content. A lone paragraph gives its inline content (in
 * a loose list cmark would wrap it in <p>); otherwise the item is rendered
 * whole, in its list (cmark decides tightness and line breaks there), and
 * the <li> it opens with and the </li> it ends with are left off. */
static MdListItem list_item(Shared *sh, cmark_node *item, cmark_llist *exts)
{
    MdListItem r = {""};
    Buf b = BUF_INIT;
    cmark_node *first = cmark_node_first_child(item);
    /* a task item's checkbox is in its <li> start tag: rendered whole */
    bool task = cmark_node_get_syntax_extension(item) != NULL;
    if (!task && first && !cmark_node_next(first) && cmark_node_get_type(first) == CMARK_NODE_PARAGRAPH) {
        for (cmark_node *c = cmark_node_first_child(first); c; c = cmark_node_next(c)) {
            char *h = render_html(c, exts);
            buf_puts(&b, h);
            free_html(h);
        }
    } else {
        char *h = render_html(item, exts);
        const char *start = strchr(h, '>'); /* <li> or, for a task, <li><input ... /> */
        start = start ? start + 1 : h;
        size_t n = strlen(start);
        if (n >= 6 && !memcmp(start + n - 6, "</li>\n", 6))
            n -= 6;
        else if (n >= 5 && !memcmp(start + n - 5, "</li>", 5))
            n -= 5;
        buf_append(&b, start, n);
        free_html(h);
    }
    trim_html(&b, sh->a, &r.html);
    buf_free(&b);
    return r;
}

/* The list items of doc not inside another list item, in document order. */
static void collect_items(Shared *sh, cmark_node *doc, cmark_llist *exts, ItemList *out)
{
    cmark_iter *it = cmark_iter_new(doc);
    cmark_event_type ev;
    int depth = 0;
    while ((ev = cmark_iter_next(it)) != CMARK_EVENT_DONE) {
        cmark_node *n = cmark_iter_get_node(it);
        if (cmark_node_get_type(n) != CMARK_NODE_ITEM)
            continue;
        if (ev == CMARK_EVENT_EXIT) {
            depth--;
            continue;
        }
        if (depth++ == 0) {
            ARENA_GROW(sh->a, out->v, out->n, out->n + 1, out->cap);
            out->v[out->n++] = list_item(sh, n, exts);
        }
    }
    cmark_iter_free(it);
}

/* After the web rendering, the tree as print shows it: glossary links
 * (our only custom inlines) become their bare text, blocks their print
 * rendering. */
static void to_print(cmark_node *doc)
{
    cmark_iter *it = cmark_iter_new(doc);
    cmark_event_type ev;
    while ((ev = cmark_iter_next(it)) != CMARK_EVENT_DONE) {
        if (ev != CMARK_EVENT_ENTER)
            continue;
        cmark_node *n = cmark_iter_get_node(it);
        cmark_node_type t = cmark_node_get_type(n);
        if (t == CMARK_NODE_CUSTOM_INLINE) {
            cmark_node_set_on_enter(n, "");
            cmark_node_set_on_exit(n, "");
        } else if (t == CMARK_NODE_CUSTOM_BLOCK) {
            NodeInfo *info = node_info(n);
            if (info && info->kind == INFO_BLOCK && info->print_html)
                cmark_node_set_on_enter(n, info->print_html);
        }
    }
    cmark_iter_free(it);
}

static void render_out(Shared *sh, cmark_node *doc, cmark_llist *exts, LevelOut *o)
{
    if (o->top) {
        render_sections(sh, doc, exts, &o->html, o->top);
    } else {
        char *h = render_html(doc, exts);
        buf_puts(&o->html, h);
        free_html(h);
    }
    if (o->items)
        collect_items(sh, doc, exts, o->items);
}

static bool render_level(Shared *sh, const char *md, size_t len, int first_line, int col_offset,
                         int depth, Buf *plain, LevelOut *web, LevelOut *print)
{
    Level L = {sh, md, len, first_line, col_offset, depth, NULL, 0};
    MdMark mark = mdmem_mark();
    cmark_parser *parser = new_parser();
    cmark_node *doc = parse(parser, md, len);
    /* term matching works per text node; cmark-gfm mostly merges adjacent
     * text already (around "&", stray "*"), this makes sure of it */
    cmark_consolidate_text_nodes(doc);
    /* the list belongs to the parser: freed with it, not here */
    cmark_llist *exts = cmark_parser_get_syntax_extensions(parser);
    size_t unlinked = sh->terms.terms_left;
    rewrite(&L, doc, exts);
    plain_text(doc, plain);
    render_out(sh, doc, exts, web);
    if (print) {
        print->same = sh->terms.terms_left == unlinked; /* here or in a block inside */
        if (!print->same) {
            to_print(doc);
            render_out(sh, doc, exts, print);
        }
    }

    cmark_node_free(doc);
    cmark_parser_free(parser);
    mdmem_release(mark);
    free(L.line_starts);
    return sh->ok;
}

/* Units of a partly translated page that are shown in the source
 * language (segment.c wraps them): a span that says so to screen readers,
 * hyphenation and fonts, and a visible notice after it. With html false
 * (plain text, heading text) the markers just go. */
static const char *source_lang_units(Arena *a, const char *s, bool html, const char *mark)
{
    if (!strstr(s, "\xEF\xB7"))
        return s;
    Buf b = BUF_INIT;
    for (const char *p = s; *p;) {
        if (!strncmp(p, SEG_OPEN, sizeof SEG_OPEN - 1)) {
            if (html)
                buf_puts(&b, "<span lang=\"nl\" dir=\"ltr\" class=\"untranslated\">");
            p += sizeof SEG_OPEN - 1;
        } else if (!strncmp(p, SEG_CLOSE, sizeof SEG_CLOSE - 1)) {
            if (html) {
                buf_puts(&b, "</span>");
                if (mark)
                    buf_puts(&b, mark);
            }
            p += sizeof SEG_CLOSE - 1;
        } else if (!strncmp(p, SEG_OPEN, sizeof SEG_OPEN - 2) || !strncmp(p, &SEG_CLOSE[1], sizeof SEG_CLOSE - 2)) {
            p += 3; /* a marker whose space cmark took (end of a line) */
        } else {
            buf_putc(&b, *p++);
        }
    }
    const char *r = arena_strndup(a, b.data, b.len);
    buf_free(&b);
    return r;
}

static void source_lang_doc(Arena *a, MdDoc *doc, const char *mark)
{
    doc->html = source_lang_units(a, doc->html, true, mark);
    for (size_t i = 0; i < doc->n_sections; i++) {
        doc->sections[i].html = source_lang_units(a, doc->sections[i].html, true, mark);
        doc->sections[i].text = source_lang_units(a, doc->sections[i].text, false, NULL);
        for (size_t k = 0; k < doc->sections[i].n_parts; k++)
            doc->sections[i].parts[k].html = source_lang_units(a, doc->sections[i].parts[k].html, true, mark);
    }
}
/* Whether md has a segment marker's lead bytes (EF B7: U+FDD0..U+FDEF):
 * memchr for the rare EF, where glibc's memmem walks a 2-byte needle
 * byte by byte. */
static bool has_seg_mark(const char *md, size_t len)
{
    for (const char *p = md, *end = md + len; (p = memchr(p, '\xEF', (size_t)(end - p))) != NULL; p++)
        if (end - p >= 2 && p[1] == '\xB7')
            return true;
    return false;
}


static bool render_doc(Arena *a, const char *file, int first_line, const char *md, size_t len,
                       const MdOptions *opt, MdDoc *doc, MdDoc *print, Diags *d)
{
    Shared sh = {0};
    buf_init(&sh.tmp);
    sh.ids = (SlugSet)SLUGSET_INIT(a);
    sh.a = a;
    sh.file = file;
    sh.opt = opt;
    sh.d = d;
    sh.ok = true;
    sh.twin = print != NULL;
    pthread_once(&extensions_once, register_extensions);
    termlink_init(&sh.terms, opt ? opt->terms : NULL, opt ? opt->n_terms : 0, inline_host);

    Buf plain = BUF_INIT;
    LevelOut web = {BUF_INIT, doc, NULL, false}, pr = {BUF_INIT, print, NULL, false};
    memset(doc, 0, sizeof *doc);
    if (print)
        memset(print, 0, sizeof *print);
    /* the body's HTML and plain text at about their final size at once:
     * grown from 64 bytes by doubling, each was copied seven times */
    buf_reserve(&web.html, 2 * len + 256);
    buf_reserve(&plain, len + 64);
    render_level(&sh, md ? md : "", md ? len : 0, first_line, 0, 0, &plain, &web, print ? &pr : NULL);

    doc->html = arena_strndup(a, buf_cstr(&web.html), web.html.len);
    doc->plain = arena_strndup(a, buf_cstr(&plain), plain.len);
    doc->headings = sh.headings;
    doc->n_headings = sh.n_headings;
    if (print && !pr.same)
        print->html = arena_strndup(a, buf_cstr(&pr.html), pr.html.len);
    if (md && has_seg_mark(md, len)) {
        const char *mark = opt ? opt->untranslated_html : NULL;
        source_lang_doc(a, doc, mark);
        if (print && !pr.same)
            source_lang_doc(a, print, mark);
        doc->plain = source_lang_units(a, doc->plain, false, NULL);
        for (size_t i = 0; i < doc->n_headings; i++)
            doc->headings[i].text = source_lang_units(a, doc->headings[i].text, false, NULL);
    }
    if (print && pr.same) {
        *print = *doc; /* no glossary link anywhere: the same bytes */
    } else if (print) {
        /* the same text and headings; only links and blocks differ */
        print->plain = doc->plain;
        print->headings = doc->headings;
        print->n_headings = doc->n_headings;
    }

    buf_free(&web.html);
    buf_free(&pr.html);
    buf_free(&plain);
    buf_free(&sh.tmp);
    termlink_free(&sh.terms);
    slugset_free(&sh.ids);
    return sh.ok;
}

bool markdown_render(Arena *a, const char *file, int first_line, const char *md, size_t len,
                     const MdOptions *opt, MdDoc *doc, Diags *d)
{
    return render_doc(a, file, first_line, md, len, opt, doc, NULL, d);
}

bool markdown_render_twin(Arena *a, const char *file, int first_line, const char *md, size_t len,
                          const MdOptions *opt, MdDoc *web, MdDoc *print, Diags *d)
{
    return render_doc(a, file, first_line, md, len, opt, web, print, d);
}

/* A rewrite of html that copied html[0, copied) with its changes into
 * out: html itself when nothing changed, else out and the rest, in a. Frees out. */
static const char *rewritten(Arena *a, const char *html, const char *copied, Buf *out)
{
    const char *r = html;
    if (copied != html) {
        buf_puts(out, copied);
        r = arena_strndup(a, out->data, out->len);
    }
    buf_free(out);
    return r;
}

const char *markdown_unique_ids(Arena *a, SlugSet *ids, const char *html, const MdDoc *doc, IdRenames *renamed)
{
    Buf out = BUF_INIT, tag = BUF_INIT;
    const char *pos = html, *copied = html, *end = html + strlen(html);
    /* Where html has a heading's start tag ("<hN id=\""), found in one pass:
     * a bilingual handout gives each of its rows here with the whole
     * text's headings, and searching the row once per heading was a tenth
     * of that page's cost. Each heading below looks only at these. */
    const char *small[32], **starts = small;
    size_t n_starts = 0, cap_starts = sizeof small / sizeof *small;
    /* by the '=' of " id=": memchr is vectorized, and a text has few
     * attributes (memmem for "<h" cost more than the search per heading) */
    for (const char *eq = html; (eq = memchr(eq, '=', (size_t)(end - eq))) != NULL; eq++) {
        const char *at = eq - 6; /* "<hN id=" */
        if (eq - html < 6 || end - eq < 2 || eq[1] != '"' || at[0] != '<' || at[1] != 'h' || at[2] < '1' ||
            at[2] > '6' || memcmp(at + 3, " id", 3))
            continue;
        if (n_starts == cap_starts) {
            const char **more = arena_alloc(a, 2 * cap_starts * sizeof *more);
            memcpy(more, starts, n_starts * sizeof *more);
            starts = more;
            cap_starts *= 2;
        }
        starts[n_starts++] = at;
    }
    size_t next = 0; /* the first of starts at or after pos */
    for (size_t i = 0; n_starts && i < doc->n_headings; i++) {
        const MdHeading *h = &doc->headings[i];
        if (!h->id[0])
            continue;
        /* the start tag finish_heading wrote; headings are in document order */
        buf_clear(&tag);
        buf_append(&tag, "<h", 2);
        buf_putc(&tag, (char)('0' + h->level)); /* 1 to 6 */
        buf_append(&tag, " id=\"", 5);
        buf_html_escape(&tag, h->id, strlen(h->id));
        buf_putc(&tag, '"');
        while (next < n_starts && starts[next] < pos)
            next++;
        const char *at = NULL;
        for (size_t k = next; k < n_starts; k++)
            if ((size_t)(end - starts[k]) >= tag.len && !memcmp(starts[k], tag.data, tag.len)) {
                at = starts[k];
                break;
            }
        if (!at)
            continue;
        pos = at + tag.len;
        const char *id = slugset_unique(ids, h->id);
        if (id == h->id || !strcmp(id, h->id))
            continue;
        if (renamed) {
            if (renamed->n == renamed->cap) {
                size_t cap = renamed->cap ? 2 * renamed->cap : 8;
                const char **from = arena_alloc(a, cap * sizeof(char *)), **to = arena_alloc(a, cap * sizeof(char *));
                if (renamed->n) {
                    memcpy(from, renamed->from, renamed->n * sizeof(char *));
                    memcpy(to, renamed->to, renamed->n * sizeof(char *));
                }
                renamed->from = from;
                renamed->to = to;
                renamed->cap = cap;
            }
            renamed->from[renamed->n] = h->id;
            renamed->to[renamed->n++] = id;
        }
        const char *val = at + strlen("<h1 id=\""); /* levels are one digit */
        buf_append(&out, copied, (size_t)(val - copied));
        buf_html_escape(&out, id, strlen(id));
        copied = pos - 1; /* the closing quote */
    }
    buf_free(&tag);
    return rewritten(a, html, copied, &out);
}

static int hex_value(char c)
{
    return c >= '0' && c <= '9' ? c - '0' : c >= 'a' && c <= 'f' ? c - 'a' + 10 : c >= 'A' && c <= 'F' ? c - 'A' + 10 : -1;
}

/* An href value as the browser reads the fragment: character references
 * (cmark writes &amp; and &#x27;) and percent escapes undone. */
static void decode_href(const char *s, size_t n, Buf *out)
{
    buf_clear(out);
    for (size_t i = 0; i < n; i++) {
        if (s[i] == '%' && i + 2 < n && hex_value(s[i + 1]) >= 0 && hex_value(s[i + 2]) >= 0) {
            buf_putc(out, (char)(hex_value(s[i + 1]) * 16 + hex_value(s[i + 2])));
            i += 2;
        } else if (s[i] == '&' && n - i >= 5 && !memcmp(s + i, "&amp;", 5)) {
            buf_putc(out, '&');
            i += 4;
        } else if (s[i] == '&' && n - i >= 6 && !memcmp(s + i, "&#x27;", 6)) {
            buf_putc(out, '\'');
            i += 5;
        } else if (s[i] == '&' && n - i >= 6 && !memcmp(s + i, "&quot;", 6)) {
            buf_putc(out, '"');
            i += 5;
        } else {
            buf_putc(out, s[i]);
        }
    }
}

const char *markdown_relink_fragments(Arena *a, const char *html, const IdRenames *renamed)
{
    if (!renamed || !renamed->n)
        return html;
    static const char mark[] = "href=\"#";
    Buf out = BUF_INIT, target = BUF_INIT;
    const char *copied = html;
    for (const char *at = strstr(html, mark); at; at = strstr(at, mark)) {
        const char *val = at + strlen(mark);
        const char *end = strchr(val, '"');
        if (!end)
            break;
        decode_href(val, (size_t)(end - val), &target);
        at = end;
        for (size_t k = 0; k < renamed->n; k++) {
            if (strcmp(buf_cstr(&target), renamed->from[k]))
                continue;
            /* the new id is the old one and a suffix of ASCII: append it
             * to the link as written, whatever escapes it used */
            buf_append(&out, copied, (size_t)(end - copied));
            buf_puts(&out, renamed->to[k] + strlen(renamed->from[k]));
            copied = end;
            break;
        }
    }
    buf_free(&target);
    return rewritten(a, html, copied, &out);
}

cmark_node *markdown_parse_tree(const char *md, size_t len, cmark_parser **parser)
{
    *parser = new_parser();
    return parse(*parser, md, len);
}

void markdown_tree_free(cmark_parser *parser, cmark_node *doc)
{
    cmark_node_free(doc);
    cmark_parser_free(parser);
}
