/* Linking the first use of each glossary term in a text: matching on
 * case-folded code points at word boundaries (also across inline markup),
 * longest term first, forms of one entry linking once. */
#include "termlink.h"

#include "mdmem.h"
#include "text.h"
#include "url.h"

#include <stdlib.h>
#include <string.h>
#include <unicode/uchar.h>
#include <unicode/utf8.h>

struct TlTerm {
    UChar32 *cps; /* folded, whitespace runs as one ' ' */
    size_t n;
    const MdTerm *src;
    bool used;
};


static bool is_inline_type(cmark_node *n)
{
    return (cmark_node_get_type(n) & CMARK_NODE_TYPE_MASK) == CMARK_NODE_TYPE_INLINE;
}

static int term_order_cmp(const void *pa, const void *pb, void *ctx)
{
    const TlTerm *t = ctx;
    const TlTerm *a = &t[*(const size_t *)pa], *b = &t[*(const size_t *)pb];
    if (a->cps[0] != b->cps[0])
        return a->cps[0] < b->cps[0] ? -1 : 1;
    if (a->n != b->n)
        return a->n > b->n ? -1 : 1; /* longer terms win at the same position */
    for (size_t i = 0; i < a->n; i++)  /* equal terms side by side, to find repeats */
        if (a->cps[i] != b->cps[i])
            return a->cps[i] < b->cps[i] ? -1 : 1;
    size_t ia = *(const size_t *)pa, ib = *(const size_t *)pb;
    return ia < ib ? -1 : ia > ib;
}

void termlink_init(TermLinker *sh, const MdTerm *terms, size_t n_terms, cmark_syntax_extension *host)
{
    memset(sh, 0, sizeof *sh);
    buf_init(&sh->tmp);
    sh->host = host;
    if (!terms || !n_terms)
        return;
    sh->terms = xcalloc(n_terms, sizeof(TlTerm));
    sh->order = xcalloc(n_terms, sizeof(size_t));
    for (size_t k = 0; k < n_terms; k++) {
        const char *s = terms[k].term ? terms[k].term : "";
        int32_t len = (int32_t)strlen(s);
        TlTerm *t = &sh->terms[sh->n_terms];
        t->cps = xmalloc(((size_t)len + 1) * sizeof(UChar32));
        t->src = &terms[k];
        bool space = false;
        for (int32_t i = 0; i < len;) {
            UChar32 c;
            U8_NEXT(s, i, len, c);
            if (c < 0)
                c = 0xFFFD;
            if (text_is_space_cp(c)) {
                space = t->n > 0;
                continue;
            }
            if (space)
                t->cps[t->n++] = ' ';
            space = false;
            t->cps[t->n++] = u_foldCase(c, U_FOLD_CASE_DEFAULT);
        }
        if (!t->n) {
            free(t->cps);
            memset(t, 0, sizeof *t);
            continue;
        }
        sh->order[sh->n_terms] = sh->n_terms;
        sh->n_terms++;
    }
    qsort_r(sh->order, sh->n_terms, sizeof(size_t), term_order_cmp, sh->terms);
    /* A term listed twice (in any case) is one term: only its first entry links. */
    for (size_t i = 1; i < sh->n_terms; i++) {
        TlTerm *a = &sh->terms[sh->order[i - 1]], *b = &sh->terms[sh->order[i]];
        if (a->n == b->n && !memcmp(a->cps, b->cps, a->n * sizeof(UChar32)))
            b->used = true;
    }
    for (size_t i = 0; i < sh->n_terms; i++)
        sh->terms_left += !sh->terms[i].used;
}

/* Whether the character just before (or after) inline node n, within the
 * same block, is a word character: "bliksem*stage*" is not the word stage. */
static bool neighbour_is_word(cmark_node *n, bool before)
{
    cmark_node *cur = n;
    for (;;) {
        cmark_node *sib = before ? cmark_node_previous(cur) : cmark_node_next(cur);
        if (sib) {
            cmark_node *x = sib;
            for (;;) {
                cmark_node_type t = cmark_node_get_type(x);
                if (t == CMARK_NODE_TEXT || t == CMARK_NODE_CODE) {
                    const char *s = cmark_node_get_literal(x);
                    int32_t len = (int32_t)strlen(s);
                    if (!len)
                        return false;
                    UChar32 c;
                    if (before) {
                        int32_t i = len;
                        U8_PREV(s, 0, i, c);
                    } else {
                        int32_t i = 0;
                        U8_NEXT(s, i, len, c);
                    }
                    return text_is_word_cp(c);
                }
                cmark_node *in = before ? cmark_node_last_child(x) : cmark_node_first_child(x);
                if (!in || !is_inline_type(x))
                    return false; /* a break, raw HTML, an empty span */
                x = in;
            }
        }
        cmark_node *p = cmark_node_parent(cur);
        if (!p || !is_inline_type(p))
            return false;
        cur = p;
    }
}

static cmark_node *new_text(const char *s, size_t n, Buf *tmp)
{
    buf_clear(tmp);
    buf_append(tmp, s, n);
    cmark_node *t = cmark_node_new_with_mem(CMARK_NODE_TEXT, mdmem_allocator());
    cmark_node_set_literal(t, buf_cstr(tmp));
    return t;
}

static cmark_node *term_link(TermLinker *sh, const TlTerm *t, const char *text, size_t n)
{
    Buf *b = &sh->tmp;
    buf_clear(b);
    const char *href = t->src->href ? t->src->href : "";
    buf_puts(b, "<a class=\"term\" href=\"");
    if (!url_is_dangerous(href, false))
        url_put_href(b, href);
    buf_putc(b, '"');
    if (t->src->title) {
        buf_puts(b, " title=\"");
        buf_html_escape(b, t->src->title, strlen(t->src->title));
        buf_putc(b, '"');
    }
    buf_putc(b, '>');
    cmark_node *link = cmark_node_new_with_mem(CMARK_NODE_CUSTOM_INLINE, mdmem_allocator());
    cmark_node_set_on_enter(link, buf_cstr(b));
    cmark_node_set_on_exit(link, "</a>");
    cmark_node_append_child(link, new_text(text, n, b));
    return link;
}

/* End (in code points) of term t matched at cps[i], or 0 when it does not match. */
static size_t match_term(const TlTerm *t, const UChar32 *cps, size_t n, size_t i)
{
    size_t j = i;
    for (size_t k = 0; k < t->n; k++) {
        if (t->cps[k] == ' ') {
            if (j >= n || !text_is_space_cp(cps[j]))
                return 0;
            while (j < n && text_is_space_cp(cps[j]))
                j++;
        } else {
            if (j >= n || cps[j] != t->cps[k])
                return 0;
            j++;
        }
    }
    return j;
}

cmark_node *termlink_text(TermLinker *sh, cmark_node *tn)
{
    const char *lit = cmark_node_get_literal(tn);
    size_t blen = strlen(lit);
    if (!blen)
        return tn;
    if (blen + 1 > sh->scratch_cap) {
        size_t cap = sh->scratch_cap;
        ALLOC_GROW(sh->cps, blen + 1, cap);
        ALLOC_GROW(sh->offs, blen + 1, sh->scratch_cap);
    }
    size_t n = 0;
    for (int32_t i = 0, len = (int32_t)blen; i < len;) {
        sh->offs[n] = (size_t)i;
        UChar32 c;
        U8_NEXT(lit, i, len, c);
        if (c < 0)
            c = 0xFFFD;
        sh->cps[n++] = text_is_space_cp(c) ? c : u_foldCase(c, U_FOLD_CASE_DEFAULT);
    }
    sh->offs[n] = blen;
    const UChar32 *cps = sh->cps;

    char *copy = NULL; /* the literal, kept while tn's own copy is replaced */
    cmark_node *cur = tn, *last = tn;
    size_t base = 0;
    /* The table extension lets a cell hold only the inline types it knows,
     * not custom inlines; the cell's rendering does not depend on that
     * check, so lend the cell a permissive extension while we insert. */
    cmark_node *parent = cmark_node_parent(tn);
    cmark_syntax_extension *parent_ext = cmark_node_get_syntax_extension(parent);
    if (parent_ext)
        cmark_node_set_syntax_extension(parent, sh->host);
    for (size_t i = 0; i < n && sh->terms_left;) {
        bool word_start = i ? !text_is_word_cp(cps[i - 1]) : !neighbour_is_word(tn, true);
        if (!word_start || text_is_space_cp(cps[i])) {
            i++;
            continue;
        }
        /* candidates: the run of terms starting with this code point */
        size_t lo = 0, hi = sh->n_terms;
        while (lo < hi) {
            size_t mid = (lo + hi) / 2;
            if (sh->terms[sh->order[mid]].cps[0] < cps[i])
                lo = mid + 1;
            else
                hi = mid;
        }
        TlTerm *hit = NULL;
        size_t end = 0;
        for (size_t k = lo; k < sh->n_terms && sh->terms[sh->order[k]].cps[0] == cps[i]; k++) {
            TlTerm *t = &sh->terms[sh->order[k]];
            if (t->used)
                continue;
            size_t j = match_term(t, cps, n, i);
            if (!j)
                continue;
            bool word_end = j < n ? !text_is_word_cp(cps[j]) : !neighbour_is_word(cur, false);
            if (word_end) {
                hit = t;
                end = j;
                break;
            }
        }
        if (!hit) {
            i++;
            continue;
        }
        if (!copy) {
            copy = xmalloc(blen + 1);
            memcpy(copy, lit, blen + 1);
        }
        size_t b0 = sh->offs[i], b1 = sh->offs[end];
        cmark_node *link = term_link(sh, hit, copy + b0, b1 - b0);
        bool placed;
        if (b0 > base) {
            placed = cmark_node_insert_after(cur, link);
            if (placed) {
                buf_clear(&sh->tmp);
                buf_append(&sh->tmp, copy + base, b0 - base);
                cmark_node_set_literal(cur, buf_cstr(&sh->tmp));
            }
        } else {
            placed = cmark_node_replace(cur, link);
            if (placed)
                cmark_node_free(cur);
        }
        if (!placed) {
            /* a container that refuses links: leave this text as it is */
            cmark_node_free(link);
            break;
        }
        last = link;
        if (b1 < blen) {
            cmark_node *rest = new_text(copy + b1, blen - b1, &sh->tmp);
            cmark_node_insert_after(link, rest);
            cur = last = rest;
            base = b1;
        } else {
            cur = NULL;
        }
        /* forms of one entry share its href: the first use of any links */
        for (size_t k = 0; k < sh->n_terms; k++) {
            TlTerm *o = &sh->terms[k];
            if (!o->used && (o == hit || (o->src->href && hit->src->href && !strcmp(o->src->href, hit->src->href)))) {
                o->used = true;
                sh->terms_left--;
            }
        }
        i = end;
        if (!cur)
            break;
    }
    if (parent_ext)
        cmark_node_set_syntax_extension(parent, parent_ext);
    free(copy);
    return last;
}

void termlink_free(TermLinker *tl)
{
    for (size_t i = 0; i < tl->n_terms; i++)
        free(tl->terms[i].cps);
    free(tl->terms);
    free(tl->order);
    free(tl->cps);
    free(tl->offs);
    buf_free(&tl->tmp);
    memset(tl, 0, sizeof *tl);
    buf_init(&tl->tmp);
}
