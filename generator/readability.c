#include "readability.h"

#include "buf.h"
#include "markdown.h"

#include <cmark-gfm.h>

#include <ctype.h>
#include <string.h>

/* Letters in a UTF-8 word: count code points that are not ASCII
 * punctuation or digits. */
static int letters(const char *w, size_t n)
{
    int k = 0;
    for (size_t i = 0; i < n; i++) {
        unsigned char c = (unsigned char)w[i];
        if ((c & 0xC0) == 0x80)
            continue;
        if (c < 0x80 && !isalpha(c))
            continue;
        k++;
    }
    return k;
}

typedef struct {
    const Material *m;
    Diags *d;
    long words, long_words;
} Counter;

/* One unit of text (a paragraph, a list item, a line of a block) that
 * starts on line: split into sentences at . ! ? and count words. */
static void check_unit(Counter *c, const char *s, size_t n, int line)
{
    int words = 0, start_line = line, cur_line = line;
    bool in_word = false, reported = false;
    size_t wstart = 0;
    for (size_t i = 0; i <= n; i++) {
        char ch = i < n ? s[i] : ' ';
        if (ch == '\n')
            cur_line++;
        bool space = ch == ' ' || ch == '\n' || ch == '\t';
        if (!space && !in_word) {
            in_word = true;
            wstart = i;
            if (words == 0)
                start_line = cur_line;
        } else if (space && in_word) {
            in_word = false;
            int L = letters(s + wstart, i - wstart);
            if (L > 0) {
                words++;
                c->words++;
                if (L >= READ_LONG_WORD)
                    c->long_words++;
            }
            /* look through closing marks, all of them: "zo.**" ends a sentence */
            size_t k = i;
            while (k > wstart + 1 && (s[k - 1] == ')' || s[k - 1] == '"' || s[k - 1] == '*' || s[k - 1] == '\''))
                k--;
            char last = s[k - 1];
            if (last == '.' || last == '!' || last == '?' || last == ':' || last == ';') {
                if (words > READ_MAX_WORDS && !reported)
                    diag_warn(c->d, c->m->src->abs, start_line, 1,
                              "a sentence of %d words; parents read more easily with at most %d, so split it",
                              words, READ_MAX_WORDS);
                words = 0;
                reported = false;
            }
        }
    }
    if (words > READ_MAX_WORDS)
        diag_warn(c->d, c->m->src->abs, start_line, 1,
                  "a sentence of %d words; parents read more easily with at most %d, so split it", words,
                  READ_MAX_WORDS);
}

enum { MAX_NESTING = 8 };

/* Every unit of text in md (whose first line is file line first_line):
 * paragraphs, headings and table cells each on their own, so a table or a
 * list is not one long sentence; a block's body (a fence named like
 * ```tip) is text for parents, other code is not. */
static void check_markdown(Counter *c, const char *md, size_t len, int first_line, int depth)
{
    cmark_parser *parser;
    cmark_node *doc = markdown_parse_tree(md, len, &parser);
    cmark_iter *it = cmark_iter_new(doc);
    cmark_event_type ev;
    Buf unit = BUF_INIT;
    while ((ev = cmark_iter_next(it)) != CMARK_EVENT_DONE) {
        cmark_node *n = cmark_iter_get_node(it);
        if (ev != CMARK_EVENT_ENTER)
            continue;
        cmark_node_type t = cmark_node_get_type(n);
        int line = first_line + cmark_node_get_start_line(n) - 1;
        if (t == CMARK_NODE_PARAGRAPH || t == CMARK_NODE_HEADING ||
            !strcmp(cmark_node_get_type_string(n), "table_cell")) {
            buf_clear(&unit);
            /* line breaks kept: check_unit counts lines by them */
            markdown_inline_text(n, '\n', false, &unit);
            check_unit(c, unit.data, unit.len, line);
        } else if (t == CMARK_NODE_CODE_BLOCK && cmark_node_get_fenced(n, &(int){0}, &(int){0}, &(char){0})) {
            const char *info = cmark_node_get_fence_info(n);
            const char *body = cmark_node_get_literal(n);
            if (info && islower((unsigned char)info[0]) && body && depth < MAX_NESTING)
                check_markdown(c, body, strlen(body), line + 1, depth + 1);
        }
    }
    buf_free(&unit);
    cmark_iter_free(it);
    markdown_tree_free(parser, doc);
}

void readability_check(const Material *m, Diags *d)
{
    Counter c = {m, d, 0, 0};
    check_unit(&c, m->title, strlen(m->title), m->title_line ? m->title_line : 1);
    if (m->summary)
        check_unit(&c, m->summary, strlen(m->summary), 1);
    check_markdown(&c, m->body, m->body_len, m->body_line, 0);
    if (c.words >= 50) {
        double share = 100.0 * (double)c.long_words / (double)c.words;
        if (share > READ_MAX_LONG_SHARE)
            diag_warn(d, m->src->abs, m->body_line, 1,
                      "%.1f%% of the words have %d or more letters; at B1 level keep it under %.0f%%: use shorter, everyday words",
                      share, READ_LONG_WORD, READ_MAX_LONG_SHARE);
    }
}
