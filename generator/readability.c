#include "readability.h"

#include "buf.h"

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

static bool is_item_start(const char *l, size_t n)
{
    size_t i = 0;
    while (i < n && l[i] == ' ')
        i++;
    if (i + 1 < n && (l[i] == '-' || l[i] == '*' || l[i] == '+') && l[i + 1] == ' ')
        return true;
    size_t j = i;
    while (j < n && isdigit((unsigned char)l[j]))
        j++;
    return j > i && j + 1 < n && (l[j] == '.' || l[j] == ')') && l[j + 1] == ' ';
}

void readability_check(const Material *m, Diags *d)
{
    Counter c = {m, d, 0, 0};
    check_unit(&c, m->title, strlen(m->title), m->title_line ? m->title_line : 1);
    if (m->summary)
        check_unit(&c, m->summary, strlen(m->summary), 1);
    Buf unit = BUF_INIT;
    int unit_line = 0, line = m->body_line;
    bool in_code = false, in_block = false;
    const char *p = m->body;
    while (*p) {
        const char *e = strchr(p, '\n');
        size_t n = e ? (size_t)(e - p) : strlen(p);
        bool blank = strspn(p, " \t") >= n;
        bool fence = n >= 3 && (!strncmp(p, "```", 3) || !strncmp(p, "~~~", 3));
        bool heading = n > 0 && p[0] == '#';
        bool item = is_item_start(p, n);
        if (fence) {
            if (!in_code && !in_block) {
                /* a block's body is text for parents; other code is not */
                const char *info = p + 3;
                in_block = n > 3 && islower((unsigned char)*info);
                in_code = !in_block;
            } else {
                in_code = in_block = false;
            }
        }
        if (blank || fence || heading || item || in_block || in_code) {
            if (unit.len)
                check_unit(&c, unit.data, unit.len, unit_line);
            buf_clear(&unit);
            unit_line = 0;
        }
        if (!blank && !fence && !in_code) {
            const char *t = p;
            size_t tn = n;
            while (tn && (*t == '#' || *t == ' ' || *t == '>')) {
                t++;
                tn--;
            }
            if (item) {
                while (tn && *t != ' ') {
                    t++;
                    tn--;
                }
            }
            if (!unit_line)
                unit_line = line;
            buf_append(&unit, t, tn);
            buf_putc(&unit, '\n');
            if (heading || item || in_block) {
                /* headings and list items stand alone; a block line too */
                check_unit(&c, unit.data, unit.len, unit_line);
                buf_clear(&unit);
                unit_line = 0;
            }
        }
        line++;
        if (!e)
            break;
        p = e + 1;
    }
    if (unit.len)
        check_unit(&c, unit.data, unit.len, unit_line);
    buf_free(&unit);
    if (c.words >= 50) {
        double share = 100.0 * (double)c.long_words / (double)c.words;
        if (share > READ_MAX_LONG_SHARE)
            diag_warn(d, m->src->abs, m->body_line, 1,
                      "%.1f%% of the words have %d or more letters; at B1 level keep it under %.0f%%: use shorter, everyday words",
                      share, READ_LONG_WORD, READ_MAX_LONG_SHARE);
    }
}
