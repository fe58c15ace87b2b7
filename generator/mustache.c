/* Mustache templates: compile once into a node tree, render many times.
 *
 * Compiling runs in passes over a flat token list so that no pass recurses:
 *   1. scan: split the source into text tokens (one per source line piece)
 *      and tags, following set-delimiter tags as they come;
 *   2. match: pair open and close tags, find block arguments of parents and
 *      the tokens a parent ignores;
 *   3. whitespace: the spec's standalone-line rules, the parent/block pair
 *      rules and the intrinsic indentation of blocks (see the spec's
 *      whitespace notes), all decided on the token list;
 *   4. build: the node tree, with consecutive text merged into one node that
 *      remembers where its source lines start, so that a partial's
 *      indentation can be inserted at render time without re-parsing.
 * Rendering walks the tree recursively; nesting is capped at compile time
 * and at render time, so no input can exhaust the C stack. */
#include "mustache.h"

#include <math.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

enum {
    MAX_DELIM = 16,          /* longest custom delimiter */
    MAX_NEST = 1000,         /* sections/blocks/parents inside each other, per template */
    MAX_RENDER_NEST = 2000,  /* the same across partials while rendering */
    MAX_DYN_NAME = 512,      /* longest partial name taken from data */
};

/* ------------------------------------------------------------------------ */
/* The compiled form                                                          */

typedef enum { N_TEXT, N_VAR, N_SECTION, N_INVERTED, N_PARTIAL, N_PARENT, N_BLOCK } NodeKind;

/* How a block's content is indented where it is expanded (spec whitespace
 * notes): INTRINSIC when its open tag stands alone on its line (the
 * indentation of the first content line was stripped from every line and is
 * added back at expansion), LEADING when the tag pair is alone on its line but
 * shares it with its content (the line's leading whitespace stays literal
 * text and is added to the argument's later lines), INLINE otherwise. */
typedef enum { BM_INLINE, BM_LEADING, BM_INTRINSIC } BlockMode;

typedef struct {
    const char *s;
    size_t len;
    uint32_t hash; /* value_key_hash(s, len): maps compare it before the bytes */
} Part;

typedef struct {
    const Part *parts;
    size_t n; /* 0 for the implicit iterator "." */
} Name;

typedef struct Node Node;
struct Node {
    uint8_t kind, mode;
    bool bol;        /* starts a source line: gets the partial indentation */
    bool raw;        /* {{{x}}} / {{&x}} */
    bool standalone; /* partial/parent alone on its line: ind is its indentation */
    bool dynamic;    /* {{>*name}} / {{<*name}} */
    int line, col;
    const char *str; /* text; static partial/parent name; block name (NUL-terminated) */
    size_t len;
    Name name;       /* variables, sections, dynamic partial/parent names */
    const size_t *bols; /* text: offsets where source lines start */
    size_t nbols;
    const Node *kids; /* section body; parent arguments (blocks); block default */
    size_t nkids;
    const char *ind;
    size_t ind_len;
};

struct Mustache {
    Arena *arena;
    char *file;
    const Node *root;
    size_t nroot;
};

/* ------------------------------------------------------------------------ */
/* Tokens                                                                     */

typedef enum {
    TK_TEXT, TK_VAR, TK_RAW, TK_SECTION, TK_INVERTED, TK_CLOSE, TK_COMMENT,
    TK_PARTIAL, TK_DELIM, TK_PARENT, TK_BLOCK
} TokKind;

typedef struct {
    TokKind kind;
    size_t start, end;         /* text, or the tag's name (trimmed, without '*') */
    size_t ind_start, ind_len; /* indentation taken from the source */
    size_t match;              /* open <-> close */
    size_t grp;                /* source line group */
    int line, col;
    uint8_t mode;
    bool eol;        /* text ending in '\n' */
    bool removed;    /* whitespace dropped by a standalone rule */
    bool standalone; /* tag alone on its line */
    bool ignored;    /* inside a parent but outside its blocks */
    bool dynamic;
    bool argument;   /* block directly inside a parent */
    bool bol;
} Tok;

typedef struct {
    const char *src;
    size_t len;
    const char *file;
    Diags *d;
    Tok *t;
    size_t n, cap;
    size_t *gfirst; /* first token of each line group; gfirst[ng] == n */
    size_t ng;
    size_t pos;
    int line, col;
    char otag[MAX_DELIM + 1], ctag[MAX_DELIM + 1];
    size_t olen, clen;
} Cx;

static void cx_error(Cx *c, int line, int col, const char *fmt, ...) __attribute__((format(printf, 4, 5)));
static void cx_error(Cx *c, int line, int col, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    diag_vadd(c->d, DIAG_ERROR, c->file, line, col, fmt, ap);
    va_end(ap);
}

static bool is_ws(char ch) { return ch == ' ' || ch == '\t' || ch == '\r' || ch == '\n' || ch == '\v' || ch == '\f'; }

/* Columns count characters, not bytes, like the YAML loader's. */
static void advance(Cx *c, size_t to)
{
    for (size_t i = c->pos; i < to; i++) {
        unsigned char ch = (unsigned char)c->src[i];
        if (ch == '\n') {
            c->line++;
            c->col = 1;
        } else if ((ch & 0xC0) != 0x80) {
            c->col++;
        }
    }
    c->pos = to;
}

static Tok *push_tok(Cx *c, TokKind k, int line, int col)
{
    ALLOC_GROW(c->t, c->n + 1, c->cap);
    Tok *t = &c->t[c->n++];
    memset(t, 0, sizeof *t);
    t->kind = k;
    t->line = line;
    t->col = col;
    return t;
}

static void scan_text(Cx *c, size_t end)
{
    while (c->pos < end) {
        const char *nl = memchr(c->src + c->pos, '\n', end - c->pos);
        size_t e = nl ? (size_t)(nl - c->src) + 1 : end;
        Tok *t = push_tok(c, TK_TEXT, c->line, c->col);
        t->start = c->pos;
        t->end = e;
        t->eol = nl != NULL;
        advance(c, e);
    }
}

static size_t find(const Cx *c, size_t from, const char *needle, size_t nlen)
{
    if (from >= c->len)
        return SIZE_MAX;
    const char *p = memmem(c->src + from, c->len - from, needle, nlen);
    return p ? (size_t)(p - c->src) : SIZE_MAX;
}

static const char *kind_word(TokKind k)
{
    switch (k) {
    case TK_INVERTED: return "inverted section";
    case TK_PARENT: return "parent";
    case TK_BLOCK: return "block";
    default: return "section";
    }
}

static char sigil_of(TokKind k)
{
    switch (k) {
    case TK_SECTION: return '#';
    case TK_INVERTED: return '^';
    case TK_CLOSE: return '/';
    case TK_PARTIAL: return '>';
    case TK_PARENT: return '<';
    case TK_BLOCK: return '$';
    case TK_RAW: return '&';
    default: return 0;
    }
}

/* A tag's name: trimmed, '*' split off where dynamic names are allowed, no
 * inner whitespace, and for looked-up names no empty dotted parts. */
static bool take_name(Cx *c, Tok *t, size_t a, size_t b)
{
    while (a < b && is_ws(c->src[a]))
        a++;
    while (b > a && is_ws(c->src[b - 1]))
        b--;
    if ((t->kind == TK_PARTIAL || t->kind == TK_PARENT || t->kind == TK_CLOSE) && a < b && c->src[a] == '*') {
        t->dynamic = true;
        a++;
        while (a < b && is_ws(c->src[a]))
            a++;
    }
    char sg = sigil_of(t->kind);
    if (a == b) {
        cx_error(c, t->line, t->col, "this tag has no name; write one between the delimiters, like %s%s%stitle%s",
                 c->otag, sg ? (char[]){sg, 0} : "", t->dynamic ? "*" : "", c->ctag);
        return false;
    }
    for (size_t i = a; i < b; i++) {
        if (is_ws(c->src[i])) {
            cx_error(c, t->line, t->col,
                     "the tag name '%.*s' contains whitespace; a name is one word like page.title "
                     "(write comments as %s! ...%s)",
                     (int)(b - a), c->src + a, c->otag, c->ctag);
            return false;
        }
    }
    bool dotted = t->kind == TK_VAR || t->kind == TK_RAW || t->kind == TK_SECTION || t->kind == TK_INVERTED ||
                  t->dynamic;
    if (dotted && !(b - a == 1 && c->src[a] == '.')) {
        bool bad = c->src[a] == '.' || c->src[b - 1] == '.';
        for (size_t i = a; i + 1 < b && !bad; i++)
            bad = c->src[i] == '.' && c->src[i + 1] == '.';
        if (bad) {
            cx_error(c, t->line, t->col, "the name '%.*s' has an empty part between dots; write names like a.b.c, or . for the current item",
                     (int)(b - a), c->src + a);
            return false;
        }
    }
    t->start = a;
    t->end = b;
    return true;
}

static bool set_delims(Cx *c, const Tok *t, size_t a, size_t b)
{
    size_t p = a;
    while (p < b && is_ws(c->src[p]))
        p++;
    size_t s1 = p;
    while (p < b && !is_ws(c->src[p]))
        p++;
    size_t e1 = p;
    while (p < b && is_ws(c->src[p]))
        p++;
    size_t s2 = p;
    while (p < b && !is_ws(c->src[p]))
        p++;
    size_t e2 = p;
    while (p < b && is_ws(c->src[p]))
        p++;
    if (e1 == s1 || e2 == s2 || p != b || e1 - s1 > MAX_DELIM || e2 - s2 > MAX_DELIM) {
        cx_error(c, t->line, t->col,
                 "a set-delimiter tag needs two delimiters of at most %d characters separated by a space, "
                 "like %s=<%% %%>=%s",
                 MAX_DELIM, c->otag, c->ctag);
        return false;
    }
    memcpy(c->otag, c->src + s1, e1 - s1);
    c->otag[e1 - s1] = '\0';
    c->olen = e1 - s1;
    memcpy(c->ctag, c->src + s2, e2 - s2);
    c->ctag[e2 - s2] = '\0';
    c->clen = e2 - s2;
    return true;
}

static bool scan(Cx *c)
{
    while (c->pos < c->len) {
        size_t open = find(c, c->pos, c->otag, c->olen);
        if (open == SIZE_MAX) {
            scan_text(c, c->len);
            break;
        }
        scan_text(c, open);
        int line = c->line, col = c->col;
        size_t p = open + c->olen;
        char sig = p < c->len ? c->src[p] : '\0';
        TokKind k;
        switch (sig) {
        case '#': k = TK_SECTION; break;
        case '^': k = TK_INVERTED; break;
        case '/': k = TK_CLOSE; break;
        case '>': k = TK_PARTIAL; break;
        case '<': k = TK_PARENT; break;
        case '$': k = TK_BLOCK; break;
        case '!': k = TK_COMMENT; break;
        case '=': k = TK_DELIM; break;
        case '&':
        case '{': k = TK_RAW; break;
        default: k = TK_VAR; sig = '\0'; break;
        }
        if (sig)
            p++;
        size_t cend, tagend;
        char close[MAX_DELIM + 2];
        if (sig == '=' || sig == '{') {
            close[0] = sig == '=' ? '=' : '}';
            memcpy(close + 1, c->ctag, c->clen);
            size_t e = find(c, p, close, c->clen + 1);
            size_t plain = find(c, p, c->ctag, c->clen);
            if (e == SIZE_MAX || (sig == '{' && plain < e)) {
                if (sig == '=')
                    cx_error(c, line, col, "this set-delimiter tag does not end with =%s; write it like %s=<%% %%>=%s",
                             c->ctag, c->otag, c->ctag);
                else
                    cx_error(c, line, col, "this %s{ tag is never closed; end it with }%s", c->otag, c->ctag);
                return false;
            }
            cend = e;
            tagend = e + 1 + c->clen;
        } else {
            size_t e = find(c, p, c->ctag, c->clen);
            if (e == SIZE_MAX) {
                cx_error(c, line, col, "this tag is never closed; add %s after its name", c->ctag);
                return false;
            }
            cend = e;
            tagend = e + c->clen;
        }
        Tok *t = push_tok(c, k, line, col);
        if (k == TK_DELIM) {
            if (!set_delims(c, t, p, cend))
                return false;
        } else if (k != TK_COMMENT) {
            if (!take_name(c, t, p, cend))
                return false;
        }
        advance(c, tagend);
    }
    return true;
}

/* ------------------------------------------------------------------------ */
/* Matching open and close tags                                               */

/* Names compare as written, with any star in front: a close tag for "*x" closes {{<*x}}
 * and also a section named "*x". */
static bool same_name(const Cx *c, const Tok *a, const Tok *b)
{
    const char *as = c->src + a->start, *bs = c->src + b->start;
    size_t al = a->end - a->start, bl = b->end - b->start;
    if (a->dynamic == b->dynamic)
        return al == bl && memcmp(as, bs, al) == 0;
    if (a->dynamic)
        return bl == al + 1 && bs[0] == '*' && memcmp(bs + 1, as, al) == 0;
    return al == bl + 1 && as[0] == '*' && memcmp(as + 1, bs, bl) == 0;
}

static bool match_tags(Cx *c)
{
    typedef struct {
        size_t tok;
        bool content_ignored;
    } Open;
    Open *st = NULL;
    size_t sn = 0, scap = 0;
    bool ok = true;
    for (size_t i = 0; i < c->n && ok; i++) {
        Tok *t = &c->t[i];
        Open *top = sn ? &st[sn - 1] : NULL;
        bool ign_here = top && top->content_ignored;
        switch (t->kind) {
        case TK_SECTION:
        case TK_INVERTED:
        case TK_PARENT:
        case TK_BLOCK:
            if (top && t->kind == TK_BLOCK && c->t[top->tok].kind == TK_PARENT) {
                t->argument = true;
                t->ignored = c->t[top->tok].ignored;
            } else {
                t->ignored = ign_here;
            }
            if (sn >= MAX_NEST) {
                cx_error(c, t->line, t->col,
                         "sections, blocks and parents nest more than %d deep here; close some before opening more",
                         MAX_NEST);
                ok = false;
                break;
            }
            ALLOC_GROW(st, sn + 1, scap);
            st[sn++] = (Open){i, t->kind == TK_PARENT ? true : t->ignored};
            break;
        case TK_CLOSE: {
            const char *star = t->dynamic ? "*" : "";
            int nl = (int)(t->end - t->start);
            const char *nm = c->src + t->start;
            if (!top) {
                cx_error(c, t->line, t->col,
                         "%s/%s%.*s%s closes nothing: no section '%s%.*s' is open here; remove it or add %s#%s%.*s%s before it",
                         c->otag, star, nl, nm, c->ctag, star, nl, nm, c->otag, star, nl, nm, c->ctag);
                ok = false;
                break;
            }
            Tok *o = &c->t[top->tok];
            if (!same_name(c, o, t)) {
                const char *ostar = o->dynamic ? "*" : "";
                int ol = (int)(o->end - o->start);
                const char *on = c->src + o->start;
                cx_error(c, t->line, t->col,
                         "%s/%s%.*s%s does not match the open %s '%s%.*s' (line %d, col %d); "
                         "close '%s%.*s' first with %s/%s%.*s%s, or fix the name",
                         c->otag, star, nl, nm, c->ctag, kind_word(o->kind), ostar, ol, on, o->line, o->col, ostar,
                         ol, on, c->otag, ostar, ol, on, c->ctag);
                ok = false;
                break;
            }
            o->match = i;
            t->match = top->tok;
            t->ignored = o->ignored;
            sn--;
            break;
        }
        default:
            t->ignored = ign_here;
            break;
        }
    }
    if (ok && sn) {
        const Tok *o = &c->t[st[sn - 1].tok];
        const char *star = o->dynamic ? "*" : "";
        int ol = (int)(o->end - o->start);
        cx_error(c, o->line, o->col, "%s '%s%.*s' opened here is never closed; add %s/%s%.*s%s", kind_word(o->kind), star,
                 ol, c->src + o->start, c->otag, star, ol, c->src + o->start, c->ctag);
        ok = false;
    }
    free(st);
    return ok;
}

/* ------------------------------------------------------------------------ */
/* Whitespace: standalone lines, parent and block pairs, indentation          */

static bool ws_text(const Cx *c, const Tok *t)
{
    if (t->kind != TK_TEXT)
        return false;
    for (size_t i = t->start; i < t->end; i++)
        if (!is_ws(c->src[i]))
            return false;
    return true;
}

static size_t gend(const Cx *c, size_t g) { return c->gfirst[g + 1]; }

/* All tokens of i's line before i are whitespace text. */
static bool clear_before(const Cx *c, size_t i)
{
    for (size_t k = c->gfirst[c->t[i].grp]; k < i; k++)
        if (!ws_text(c, &c->t[k]))
            return false;
    return true;
}

static bool clear_after(const Cx *c, size_t i)
{
    for (size_t k = i + 1; k < gend(c, c->t[i].grp); k++)
        if (!ws_text(c, &c->t[k]))
            return false;
    return true;
}

static void remove_before(Cx *c, size_t i)
{
    for (size_t k = c->gfirst[c->t[i].grp]; k < i; k++)
        c->t[k].removed = true;
}

static void remove_after(Cx *c, size_t i)
{
    for (size_t k = i + 1; k < gend(c, c->t[i].grp); k++)
        c->t[k].removed = true;
}

/* The leading whitespace of i's line, when i is preceded only by it. */
static void take_leading(Cx *c, Tok *t, size_t i)
{
    size_t first = c->gfirst[t->grp];
    if (first < i && c->t[first].kind == TK_TEXT) {
        t->ind_start = c->t[first].start;
        t->ind_len = c->t[first].end - c->t[first].start;
    }
}

/* Block i's open tag ends its line: its intrinsic indentation is the
 * leading whitespace of the next line, and is stripped from the start of
 * every line of its content (outer blocks have already stripped theirs, so
 * nested blocks get indentation relative to the enclosing block). */
static void intrinsic(Cx *c, size_t i)
{
    Tok *b = &c->t[i];
    size_t j = b->match, nx = gend(c, b->grp);
    b->mode = BM_INTRINSIC;
    b->ind_len = 0;
    if (nx >= j || c->t[nx].kind != TK_TEXT)
        return;
    size_t s = c->t[nx].start, e = s;
    while (e < c->t[nx].end && (c->src[e] == ' ' || c->src[e] == '\t'))
        e++;
    b->ind_start = s;
    b->ind_len = e - s;
    if (!b->ind_len)
        return;
    for (size_t k = nx; k < j; k++) {
        Tok *t = &c->t[k];
        if (t->kind == TK_TEXT && k == c->gfirst[t->grp] && t->end - t->start >= b->ind_len &&
            memcmp(c->src + t->start, c->src + b->ind_start, b->ind_len) == 0)
            t->start += b->ind_len;
    }
}

static void whitespace(Cx *c)
{
    /* line groups: a tag spanning lines (a multi-line comment) stays in one */
    c->gfirst = xmalloc((c->n + 2) * sizeof(size_t));
    size_t g = 0;
    c->gfirst[0] = 0;
    for (size_t i = 0; i < c->n; i++) {
        c->t[i].grp = g;
        if (c->t[i].kind == TK_TEXT && c->t[i].eol)
            c->gfirst[++g] = i + 1;
    }
    c->ng = c->gfirst[g] == c->n ? g : g + 1;
    c->gfirst[c->ng] = c->n;

    /* a line with one non-interpolation tag and only whitespace besides */
    for (size_t gi = 0; gi < c->ng; gi++) {
        size_t a = c->gfirst[gi], b = gend(c, gi), tag = SIZE_MAX, ntags = 0;
        bool other = false;
        for (size_t k = a; k < b && !other; k++) {
            const Tok *t = &c->t[k];
            if (t->kind == TK_TEXT)
                other = !ws_text(c, t);
            else if (t->kind == TK_VAR || t->kind == TK_RAW)
                other = true;
            else
                ntags++, tag = k;
        }
        if (other || ntags != 1)
            continue;
        Tok *t = &c->t[tag];
        t->standalone = true;
        take_leading(c, t, tag);
        for (size_t k = a; k < b; k++)
            if (c->t[k].kind == TK_TEXT)
                c->t[k].removed = true;
    }

    for (size_t i = 0; i < c->n; i++) {
        Tok *t = &c->t[i];
        if (t->kind == TK_PARENT) {
            /* {{<p}}...{{/p}} alone on its lines, however many it spans */
            if (clear_before(c, i) && clear_after(c, t->match)) {
                t->standalone = true;
                take_leading(c, t, i);
                remove_before(c, i);
                remove_after(c, t->match);
            }
        } else if (t->kind == TK_BLOCK) {
            size_t j = t->match, last = gend(c, t->grp) - 1;
            bool at_eol = last > i && c->t[last].kind == TK_TEXT && c->t[last].eol && clear_after(c, i);
            if (t->argument) {
                /* an argument is an inline template: a line end right after
                 * its open tag, and the indentation before its close tag,
                 * belong to the tags */
                if (at_eol) {
                    remove_after(c, i);
                    intrinsic(c, i);
                }
                if (clear_before(c, j)) {
                    remove_before(c, j);
                    c->t[j].standalone = true; /* no line start to indent here */
                }
                for (size_t k = i + 1; k < j; k++) {
                    if (c->t[k].removed)
                        continue;
                    if (!c->t[k].standalone)
                        c->t[k].bol = true;
                    break;
                }
            } else if (t->standalone) {
                intrinsic(c, i);
            } else if (clear_before(c, i) && clear_after(c, j)) {
                t->mode = BM_LEADING;
                take_leading(c, t, i);
            } else {
                t->mode = BM_INLINE;
            }
        }
    }

    for (size_t i = 0; i < c->n; i++) {
        Tok *t = &c->t[i];
        if (i == c->gfirst[t->grp] && !t->removed && !t->standalone)
            t->bol = true;
    }
}

/* ------------------------------------------------------------------------ */
/* Building the tree                                                          */

typedef struct {
    Node *v;
    size_t n, cap;
} NVec;

typedef struct {
    size_t tok;
    NVec kids;
} BFrame;

typedef struct {
    Cx *c;
    Arena *a;
    Buf text;
    size_t *bols;
    size_t nb, cb;
} Builder;

static Node *nvec_push(NVec *v)
{
    ALLOC_GROW(v->v, v->n + 1, v->cap);
    Node *nd = &v->v[v->n++];
    memset(nd, 0, sizeof *nd);
    return nd;
}

static void add_bol(Builder *b)
{
    if (b->nb && b->bols[b->nb - 1] == b->text.len)
        return;
    ALLOC_GROW(b->bols, b->nb + 1, b->cb);
    b->bols[b->nb++] = b->text.len;
}

static void flush_text(Builder *b, NVec *into)
{
    if (!b->text.len && !b->nb)
        return;
    Node *nd = nvec_push(into);
    nd->kind = N_TEXT;
    nd->str = arena_strndup(b->a, b->text.data, b->text.len);
    nd->len = b->text.len;
    if (b->nb) {
        size_t *bols = arena_alloc(b->a, b->nb * sizeof(size_t));
        memcpy(bols, b->bols, b->nb * sizeof(size_t));
        nd->bols = bols;
        nd->nbols = b->nb;
    }
    buf_clear(&b->text);
    b->nb = 0;
}

static Name make_name(Arena *a, const char *s, size_t n)
{
    Name nm = {NULL, 0};
    if (n == 1 && s[0] == '.')
        return nm;
    size_t parts = 1;
    for (size_t i = 0; i < n; i++)
        parts += s[i] == '.';
    char *copy = arena_strndup(a, s, n);
    Part *p = arena_alloc(a, parts * sizeof(Part));
    size_t k = 0, from = 0;
    for (size_t i = 0; i <= n; i++) {
        if (i == n || copy[i] == '.') {
            p[k].s = copy + from;
            p[k].len = i - from;
            p[k].hash = value_key_hash(p[k].s, p[k].len);
            k++;
            from = i + 1;
        }
    }
    nm.parts = p;
    nm.n = parts;
    return nm;
}

static void node_from_tok(Builder *b, Node *nd, const Tok *t)
{
    const Cx *c = b->c;
    const char *nm = c->src + t->start;
    size_t nl = t->end - t->start;
    nd->line = t->line;
    nd->col = t->col;
    nd->bol = t->bol;
    nd->dynamic = t->dynamic;
    switch (t->kind) {
    case TK_VAR:
    case TK_RAW:
        nd->kind = N_VAR;
        nd->raw = t->kind == TK_RAW;
        nd->name = make_name(b->a, nm, nl);
        break;
    case TK_SECTION:
    case TK_INVERTED:
        nd->kind = t->kind == TK_SECTION ? N_SECTION : N_INVERTED;
        nd->name = make_name(b->a, nm, nl);
        break;
    case TK_PARTIAL:
    case TK_PARENT:
    case TK_BLOCK:
        nd->kind = t->kind == TK_PARTIAL ? N_PARTIAL : t->kind == TK_PARENT ? N_PARENT : N_BLOCK;
        nd->str = arena_strndup(b->a, nm, nl);
        nd->len = nl;
        if (t->dynamic)
            nd->name = make_name(b->a, nm, nl);
        nd->standalone = t->standalone;
        nd->mode = t->mode;
        if (t->ind_len)
            nd->ind = arena_strndup(b->a, c->src + t->ind_start, t->ind_len);
        nd->ind_len = t->ind_len;
        break;
    default:
        break;
    }
}

static bool build(Cx *c, Mustache *m)
{
    Builder b = {c, m->arena, BUF_INIT, NULL, 0, 0};
    BFrame *st = xmalloc(sizeof(BFrame) * 8);
    size_t sn = 1, scap = 8;
    st[0] = (BFrame){SIZE_MAX, {NULL, 0, 0}};
    for (size_t i = 0; i < c->n; i++) {
        const Tok *t = &c->t[i];
        if (t->removed || t->ignored)
            continue;
        NVec *kids = &st[sn - 1].kids;
        switch (t->kind) {
        case TK_TEXT:
            if (t->bol)
                add_bol(&b);
            buf_append(&b.text, c->src + t->start, t->end - t->start);
            break;
        case TK_COMMENT:
        case TK_DELIM:
            /* the line's indentation still goes where the tag was */
            if (t->bol)
                add_bol(&b);
            break;
        case TK_VAR:
        case TK_RAW:
        case TK_PARTIAL:
            flush_text(&b, kids);
            node_from_tok(&b, nvec_push(kids), t);
            break;
        case TK_SECTION:
        case TK_INVERTED:
        case TK_PARENT:
        case TK_BLOCK:
            flush_text(&b, kids);
            ALLOC_GROW(st, sn + 1, scap);
            st[sn++] = (BFrame){i, {NULL, 0, 0}};
            break;
        case TK_CLOSE: {
            /* text in a parent outside its blocks is dropped, and so is its indentation */
            if (t->bol && c->t[t->match].kind != TK_PARENT)
                add_bol(&b);
            flush_text(&b, kids);
            BFrame f = st[--sn];
            Node *nd = nvec_push(&st[sn - 1].kids);
            node_from_tok(&b, nd, &c->t[f.tok]);
            if (f.kids.n) {
                Node *k = arena_alloc(m->arena, f.kids.n * sizeof(Node));
                memcpy(k, f.kids.v, f.kids.n * sizeof(Node));
                nd->kids = k;
                nd->nkids = f.kids.n;
            }
            free(f.kids.v);
            break;
        }
        }
    }
    flush_text(&b, &st[0].kids);
    if (st[0].kids.n) {
        Node *k = arena_alloc(m->arena, st[0].kids.n * sizeof(Node));
        memcpy(k, st[0].kids.v, st[0].kids.n * sizeof(Node));
        m->root = k;
        m->nroot = st[0].kids.n;
    }
    free(st[0].kids.v);
    free(st);
    buf_free(&b.text);
    free(b.bols);
    return true;
}

Mustache *mustache_compile(const char *src, size_t len, const char *file, Diags *d)
{
    Cx c;
    memset(&c, 0, sizeof c);
    c.src = src ? src : "";
    c.len = src ? len : 0;
    c.file = file;
    c.d = d;
    c.line = c.col = 1;
    memcpy(c.otag, "{{", 3);
    memcpy(c.ctag, "}}", 3);
    c.olen = c.clen = 2;
    Mustache *m = NULL;
    if (scan(&c) && match_tags(&c)) {
        whitespace(&c);
        m = xcalloc(1, sizeof *m);
        m->arena = arena_new();
        m->file = xstrdup(file ? file : "");
        build(&c, m);
    }
    free(c.t);
    free(c.gfirst);
    return m;
}

void mustache_free(Mustache *t)
{
    if (!t)
        return;
    arena_free(t->arena);
    free(t->file);
    free(t);
}

const char *mustache_file(const Mustache *t) { return t ? t->file : NULL; }

/* ------------------------------------------------------------------------ */
/* Rendering                                                                  */

/* One parent being expanded: its arguments, the template they were written
 * in, and the parents that were being expanded around that template. */
typedef struct Ovr {
    const Node *parent;
    const Mustache *tpl;
    const struct Ovr *prev;
} Ovr;

typedef struct {
    MustacheLookup lookup;
    void *lctx;
    Buf *out;
    Diags *d;
    const Value **ctx;
    size_t nctx, cctx;
    const Value *ctx0[64];
    Buf ind;          /* indentation for source line starts: ind.data[ind_start..ind.len) */
    size_t ind_start;
    bool suppress;    /* the next line start already has its indentation */
    const Ovr *chain;
    const Mustache *tpl;
    int pdepth, depth;
    bool failed;
    size_t out0; /* out->len when rendering began: the page's size is out->len - out0 */
    Buf scratch;
} RS;

static void render_nodes(RS *rs, const Node *n, size_t count);

static void render_error(RS *rs, const Node *nd, const char *fmt, ...) __attribute__((format(printf, 3, 4)));
static void render_error(RS *rs, const Node *nd, const char *fmt, ...)
{
    Buf b = BUF_INIT;
    va_list ap;
    va_start(ap, fmt);
    buf_vprintf(&b, fmt, ap);
    va_end(ap);
    diag_error(rs->d, rs->tpl ? rs->tpl->file : NULL, nd->line, nd->col, "%s", buf_cstr(&b));
    buf_free(&b);
    rs->failed = true;
}

static inline void line_start(RS *rs)
{
    if (rs->suppress) {
        rs->suppress = false;
        return;
    }
    if (rs->ind.len > rs->ind_start)
        buf_append(rs->out, rs->ind.data + rs->ind_start, rs->ind.len - rs->ind_start);
}

static inline const Value *get_key(const Value *m, const Part *p)
{
    return value_geth(m, p->s, p->len, p->hash);
}

static const Value *resolve(const RS *rs, const Name *nm)
{
    if (nm->n == 0)
        return rs->nctx ? rs->ctx[rs->nctx - 1] : NULL;
    const Value *v = NULL;
    for (size_t i = rs->nctx; i-- > 0 && !v;)
        v = get_key(rs->ctx[i], &nm->parts[0]);
    for (size_t p = 1; v && p < nm->n; p++)
        v = get_key(v, &nm->parts[p]);
    return v;
}

static void push_ctx(RS *rs, const Value *v)
{
    if (rs->nctx == rs->cctx) {
        size_t nc = grow_capacity(rs->cctx, rs->nctx + 1, sizeof *rs->ctx);
        if (rs->ctx == rs->ctx0) {
            rs->ctx = xmalloc(nc * sizeof *rs->ctx);
            memcpy(rs->ctx, rs->ctx0, rs->nctx * sizeof *rs->ctx);
        } else {
            rs->ctx = xrealloc(rs->ctx, nc * sizeof *rs->ctx);
        }
        rs->cctx = nc;
    }
    rs->ctx[rs->nctx++] = v;
}

static bool enter(RS *rs, const Node *nd)
{
    if (rs->depth >= MAX_RENDER_NEST) {
        render_error(rs, nd,
                     "sections, partials and blocks nest more than %d deep while rendering; "
                     "look for a partial that includes itself",
                     MAX_RENDER_NEST);
        return false;
    }
    rs->depth++;
    return true;
}

static void render_text(RS *rs, const Node *nd)
{
    if (!nd->nbols || (rs->ind.len == rs->ind_start && !rs->suppress)) {
        buf_append(rs->out, nd->str, nd->len);
        return;
    }
    size_t at = 0;
    for (size_t i = 0; i < nd->nbols; i++) {
        buf_append(rs->out, nd->str + at, nd->bols[i] - at);
        line_start(rs);
        at = nd->bols[i];
    }
    buf_append(rs->out, nd->str + at, nd->len - at);
}

/* Most values have nothing to escape; one pass to find out is cheaper than
 * escaping piece by piece. The escaping itself is buf_html_escape's. The
 * pass looks at 8 bytes at a time (a byte-by-byte loop was most of
 * render_nodes' own time): a byte of x equals c where (x ^ c*0x01..01) has
 * a zero byte, and a word has a zero byte where (y - 0x01..01) & ~y has a
 * high bit set (a borrow can only mark bytes above a real zero). */
#define ONES UINT64_C(0x0101010101010101)
#define HIGHS UINT64_C(0x8080808080808080)
static inline uint64_t zero_bytes(uint64_t y) { return (y - ONES) & ~y & HIGHS; }

static bool needs_escape(const char *s, size_t n)
{
    size_t i = 0;
    for (; i + 8 <= n; i += 8) {
        uint64_t x;
        memcpy(&x, s + i, 8);
        if (zero_bytes(x ^ (ONES * '&')) | zero_bytes(x ^ (ONES * '<')) | zero_bytes(x ^ (ONES * '>')) |
            zero_bytes(x ^ (ONES * '"')) | zero_bytes(x ^ (ONES * '\'')))
            return true;
    }
    for (; i < n; i++) {
        switch (s[i]) {
        case '&':
        case '<':
        case '>':
        case '"':
        case '\'':
            return true;
        default:
            break;
        }
    }
    return false;
}
#undef ONES
#undef HIGHS

static void render_var(RS *rs, const Node *nd)
{
    const Value *v = resolve(rs, &nd->name);
    if (!v)
        return;
    if (v->kind == V_STR) {
        if (nd->raw || !needs_escape(v->u.str.s, v->u.str.len))
            buf_append(rs->out, v->u.str.s, v->u.str.len);
        else
            buf_html_escape(rs->out, v->u.str.s, v->u.str.len);
    } else if (v->kind == V_NUM && v->u.n > -1e15 && v->u.n < 1e15 && v->u.n == (double)(long long)v->u.n &&
               !(v->u.n == 0 && signbit(v->u.n))) {
        /* whole numbers are most of what pages print (years, counts, steps);
         * printf's float formatting was a quarter of render time. Same text
         * as value_to_text gives. */
        char tmp[24], *e = tmp + sizeof tmp, *q = e;
        long long x = (long long)v->u.n;
        unsigned long long u = x < 0 ? 0ULL - (unsigned long long)x : (unsigned long long)x;
        do
            *--q = (char)('0' + u % 10);
        while (u /= 10);
        if (x < 0)
            *--q = '-';
        buf_append(rs->out, q, (size_t)(e - q));
    } else {
        /* numbers and booleans hold nothing to escape; lists and maps print nothing */
        value_to_text(v, rs->out);
    }
}

static void render_section(RS *rs, const Node *nd)
{
    const Value *v = resolve(rs, &nd->name);
    bool truthy = value_truthy(v);
    if (nd->kind == N_INVERTED) {
        if (truthy || !enter(rs, nd))
            return;
        render_nodes(rs, nd->kids, nd->nkids);
        rs->depth--;
        return;
    }
    if (!truthy || !enter(rs, nd))
        return;
    if (v->kind == V_LIST) {
        for (size_t i = 0; i < v->u.list.len && !rs->failed; i++) {
            push_ctx(rs, v->u.list.items[i]);
            render_nodes(rs, nd->kids, nd->nkids);
            rs->nctx--;
        }
    } else {
        push_ctx(rs, v);
        render_nodes(rs, nd->kids, nd->nkids);
        rs->nctx--;
    }
    rs->depth--;
}

/* The partial name a dynamic tag's data gives, or NULL to render nothing. */
static const char *dynamic_name(RS *rs, const Node *nd)
{
    const Value *v = resolve(rs, &nd->name);
    if (!v || v->kind == V_LIST || v->kind == V_MAP || v->kind == V_NULL)
        return NULL;
    buf_clear(&rs->scratch);
    value_to_text(v, &rs->scratch);
    if (rs->scratch.len == 0 || rs->scratch.len > MAX_DYN_NAME || memchr(rs->scratch.data, '\0', rs->scratch.len))
        return NULL;
    return rs->scratch.data;
}

static void render_partial(RS *rs, const Node *nd)
{
    const char *name = nd->dynamic ? dynamic_name(rs, nd) : nd->str;
    if (!name || !rs->lookup)
        return;
    size_t before = rs->d->len;
    const Mustache *t = rs->lookup(rs->lctx, name, rs->d);
    if (!t) {
        for (size_t i = before; i < rs->d->len; i++) {
            Diag *g = &rs->d->items[i];
            if (g->level != DIAG_ERROR)
                continue;
            rs->failed = true;
            /* an error without a place (a partial that does not exist) is
             * placed at the tag of the template that asked for it */
            if (g->line <= 0 && rs->tpl && rs->tpl->file) {
                free(g->file);
                g->file = xstrdup(rs->tpl->file);
                g->line = nd->line;
                g->col = nd->col;
            }
        }
        return;
    }
    if (rs->pdepth >= MUSTACHE_MAX_DEPTH) {
        render_error(rs, nd,
                     "%s '%s' nests more than %d partials and parents deep (it probably includes itself "
                     "without end); stop the recursion, e.g. inside a section whose list runs out",
                     nd->kind == N_PARENT ? "parent" : "partial", name, MUSTACHE_MAX_DEPTH);
        return;
    }
    if (!enter(rs, nd))
        return;
    size_t ind_start = rs->ind_start, ind_len = rs->ind.len;
    if (nd->standalone)
        buf_append(&rs->ind, nd->ind ? nd->ind : "", nd->ind_len);
    else
        rs->ind_start = rs->ind.len; /* mid-line: the partial's own lines are not indented */
    const Mustache *tpl = rs->tpl;
    const Ovr *chain = rs->chain;
    Ovr frame = {nd, tpl, chain};
    if (nd->kind == N_PARENT)
        rs->chain = &frame;
    rs->tpl = t;
    rs->pdepth++;
    render_nodes(rs, t->root, t->nroot);
    rs->pdepth--;
    rs->tpl = tpl;
    rs->chain = chain;
    rs->ind.len = ind_len;
    rs->ind_start = ind_start;
    rs->depth--;
}

static void render_block(RS *rs, const Node *nd)
{
    /* the outermost parent's argument wins */
    const Node *arg = NULL;
    const Ovr *from = NULL;
    for (const Ovr *o = rs->chain; o; o = o->prev) {
        const Node *p = o->parent;
        for (size_t i = 0; i < p->nkids; i++) {
            const Node *k = &p->kids[i];
            if (k->kind == N_BLOCK && k->len == nd->len && memcmp(k->str, nd->str, nd->len) == 0) {
                arg = k;
                from = o;
                break;
            }
        }
    }
    if (!enter(rs, nd))
        return;
    size_t ind_start = rs->ind_start, ind_len = rs->ind.len;
    if (nd->mode == BM_INTRINSIC || (arg && nd->mode == BM_LEADING))
        buf_append(&rs->ind, nd->ind ? nd->ind : "", nd->ind_len);
    if (arg) {
        const Ovr *chain = rs->chain;
        const Mustache *tpl = rs->tpl;
        /* unless the block's line was removed, the argument's first line
         * continues the parent's line, which has its indentation already */
        if (nd->mode != BM_INTRINSIC)
            rs->suppress = true;
        rs->chain = from->prev;
        rs->tpl = from->tpl;
        render_nodes(rs, arg->kids, arg->nkids);
        rs->chain = chain;
        rs->tpl = tpl;
        if (nd->mode != BM_INTRINSIC)
            rs->suppress = false;
    } else {
        render_nodes(rs, nd->kids, nd->nkids);
    }
    rs->ind.len = ind_len;
    rs->ind_start = ind_start;
    rs->depth--;
}

static void render_nodes(RS *rs, const Node *n, size_t count)
{
    for (size_t i = 0; i < count && !rs->failed; i++) {
        const Node *nd = &n[i];
        /* Sections over lists nest multiplicatively (an alias bomb in the
         * data makes that exponential): one page may not grow without end. */
        if (rs->out->len - rs->out0 > MUSTACHE_MAX_OUTPUT) {
            render_error(rs, nd,
                         "the rendered page grew beyond %d MB, the most one page may have; look for sections over "
                         "lists nested inside each other, data that repeats itself through YAML aliases, or a list "
                         "too long for one page (a year's pack of thousands of materials: give them other leerjaren)",
                         MUSTACHE_MAX_OUTPUT >> 20);
            break;
        }
        if (nd->kind == N_TEXT) {
            render_text(rs, nd);
            continue;
        }
        if (nd->bol)
            line_start(rs);
        switch (nd->kind) {
        case N_VAR: render_var(rs, nd); break;
        case N_SECTION:
        case N_INVERTED: render_section(rs, nd); break;
        case N_PARTIAL:
        case N_PARENT: render_partial(rs, nd); break;
        case N_BLOCK: render_block(rs, nd); break;
        default: break;
        }
    }
}

bool mustache_render(const Mustache *t, const Value *data, MustacheLookup lookup, void *ctx, Buf *out, Diags *d)
{
    if (!t)
        return false;
    RS rs;
    memset(&rs, 0, sizeof rs);
    buf_init(&rs.ind);
    buf_init(&rs.scratch);
    rs.lookup = lookup;
    rs.lctx = ctx;
    rs.out = out;
    rs.out0 = out->len;
    rs.d = d;
    rs.ctx = rs.ctx0;
    rs.cctx = sizeof rs.ctx0 / sizeof rs.ctx0[0];
    rs.tpl = t;
    if (data)
        rs.ctx[rs.nctx++] = data;
    render_nodes(&rs, t->root, t->nroot);
    if (rs.ctx != rs.ctx0)
        free(rs.ctx);
    buf_free(&rs.ind);
    buf_free(&rs.scratch);
    return !rs.failed;
}
