#include "bidi.h"

#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <unicode/uchar.h>
#include <unicode/utf8.h>

#define FSI "\xE2\x81\xA8"
#define PDI "\xE2\x81\xA9"

typedef struct {
    int32_t cp;
    size_t at, end; /* byte offsets of the code point */
} Cp;

static bool is_initiator(int32_t c) { return c == 0x2066 || c == 0x2067 || c == 0x2068; }

/* Classes a left-to-right run cannot cross: right-to-left letters and
 * Arabic digits, paragraph breaks, and every explicit directional mark. */
static bool blocks(int32_t c)
{
    switch (u_charDirection(c)) {
    case U_RIGHT_TO_LEFT:
    case U_RIGHT_TO_LEFT_ARABIC:
    case U_ARABIC_NUMBER:
    case U_BLOCK_SEPARATOR:
    case U_LEFT_TO_RIGHT_EMBEDDING:
    case U_LEFT_TO_RIGHT_OVERRIDE:
    case U_RIGHT_TO_LEFT_EMBEDDING:
    case U_RIGHT_TO_LEFT_OVERRIDE:
    case U_POP_DIRECTIONAL_FORMAT:
    case U_LEFT_TO_RIGHT_ISOLATE:
    case U_RIGHT_TO_LEFT_ISOLATE:
    case U_FIRST_STRONG_ISOLATE:
    case U_POP_DIRECTIONAL_ISOLATE:
        return true;
    default:
        return false;
    }
}

static bool is_ltr(int32_t c)
{
    UCharDirection d = u_charDirection(c);
    return d == U_LEFT_TO_RIGHT || d == U_EUROPEAN_NUMBER;
}

static bool is_space(int32_t c) { return u_charDirection(c) == U_WHITE_SPACE_NEUTRAL || u_charDirection(c) == U_SEGMENT_SEPARATOR; }

static bool is_opener(int32_t c) { return c && strchr("([{\"'", c) ? true : c == 0xAB || c == 0x2039 || c == 0x201C || c == 0x2018 || c == 0x201E; }
static bool is_closer(int32_t c) { return c && strchr(")]}\"'", c) ? true : c == 0xBB || c == 0x203A || c == 0x201D || c == 0x2019; }
static bool is_stop(int32_t c) { return c && strchr(".,:;!?*_~", c) ? true : c == 0x2026; }

/* The code points of s, decoded once (invalid bytes become U+FFFD, which
 * is neutral). Caller frees. */
static Cp *decode(const char *s, size_t n, size_t *count)
{
    Cp *v = xmalloc((n + 1) * sizeof *v);
    size_t k = 0;
    for (int32_t i = 0; (size_t)i < n;) {
        int32_t at = i, c;
        U8_NEXT(s, i, (int32_t)n, c);
        v[k++] = (Cp){c < 0 ? 0xFFFD : c, (size_t)at, (size_t)i};
    }
    *count = k;
    return v;
}

/* The index after the isolate that starts at i (its matching PDI), or the
 * end of the text when it is not closed. */
static size_t skip_isolate(const Cp *v, size_t n, size_t i)
{
    int depth = 0;
    for (; i < n; i++) {
        if (is_initiator(v[i].cp))
            depth++;
        else if (v[i].cp == 0x2069 && --depth == 0)
            return i + 1;
    }
    return n;
}

void bidi_isolate_ltr_runs(const char *s, size_t n, Buf *out)
{
    size_t nc;
    Cp *v = decode(s, n, &nc);
    size_t copied = 0; /* code points already in out */
    size_t i = 0;
    while (i < nc) {
        if (is_initiator(v[i].cp)) {
            i = skip_isolate(v, nc, i); /* already isolated: as it is */
            continue;
        }
        if (!is_ltr(v[i].cp)) {
            i++;
            continue;
        }
        /* the core: from this L/EN to the last L/EN before a blocker or a
         * closing bracket whose opening one is outside the run (a bracket
         * pair takes the surrounding direction, UAX #9 N0) */
        size_t start = i, last = i, k = i + 1;
        int depth = 0;
        for (; k < nc && !blocks(v[k].cp); k++) {
            int32_t c = v[k].cp;
            if (c == '(' || c == '[' || c == '{')
                depth++;
            else if (c == ')' || c == ']' || c == '}') {
                if (depth == 0)
                    break;
                depth--;
            }
            if (is_ltr(c))
                last = k;
        }
        /* the rest of the word on either side */
        while (start > copied && !blocks(v[start - 1].cp) && !is_space(v[start - 1].cp))
            start--;
        while (start < i && is_opener(v[start].cp))
            start++;
        size_t end = last + 1;
        while (end < k && !is_space(v[end].cp))
            end++;
        /* the sentence's punctuation after the run stays outside: a closing
         * quote, and a stop unless it comes before a closing quote ("«Wat
         * kan ik?»": the question mark is the quote's) */
        bool closer = false;
        while (end > last + 1) {
            int32_t c = v[end - 1].cp;
            if (is_closer(c))
                closer = true;
            else if (!is_stop(c) || closer)
                break;
            end--;
        }
        buf_append(out, s + v[copied].at, v[start].at - v[copied].at);
        buf_puts(out, FSI);
        buf_append(out, s + v[start].at, v[end - 1].end - v[start].at);
        buf_puts(out, PDI);
        copied = i = end;
    }
    if (copied < nc)
        buf_append(out, s + v[copied].at, n - v[copied].at);
    free(v);
}

bool bidi_starts_rtl(const char *v)
{
    size_t nc;
    Cp *c = decode(v, strlen(v), &nc);
    bool rtl = false;
    for (size_t i = 0; i < nc;) {
        if (is_initiator(c[i].cp)) {
            i = skip_isolate(c, nc, i);
            continue;
        }
        UCharDirection d = u_charDirection(c[i].cp);
        if (d == U_LEFT_TO_RIGHT)
            break;
        if (d == U_RIGHT_TO_LEFT || d == U_RIGHT_TO_LEFT_ARABIC) {
            rtl = true;
            break;
        }
        i++;
    }
    free(c);
    return rtl;
}

const char *bidi_isolate_value(Arena *a, const char *v)
{
    if (!v || !v[0])
        return "";
    if (!bidi_starts_rtl(v))
        return arena_printf(a, FSI "%s" PDI, v);
    Buf b = BUF_INIT;
    buf_puts(&b, FSI);
    bidi_isolate_ltr_runs(v, strlen(v), &b);
    buf_puts(&b, PDI);
    const char *r = arena_strndup(a, b.data, b.len);
    buf_free(&b);
    return r;
}

const char *bidi_rtl_text(Arena *a, const char *v)
{
    if (!v || !bidi_starts_rtl(v))
        return v;
    Buf b = BUF_INIT;
    bidi_isolate_ltr_runs(v, strlen(v), &b);
    const char *r = arena_strndup(a, b.data ? b.data : "", b.len);
    buf_free(&b);
    return r;
}
