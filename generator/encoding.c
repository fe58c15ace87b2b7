#include "encoding.h"

#include <ctype.h>
#include <errno.h>
#include <iconv.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <unicode/unorm2.h>
#include <unicode/ustring.h>

/* Line and column (in characters, 1-based) of byte offset off in text whose
 * bytes before off are valid UTF-8. CRLF, lone CR and LF each end a line,
 * because that is how the user's editor shows them. */
static void text_pos(const unsigned char *s, size_t off, int *line, int *col)
{
    int l = 1, c = 1;
    for (size_t i = 0; i < off; i++) {
        unsigned char ch = s[i];
        if (ch == '\n') {
            l++;
            c = 1;
        } else if (ch == '\r') {
            if (i + 1 < off && s[i + 1] == '\n')
                i++;
            l++;
            c = 1;
        } else if ((ch & 0xC0) != 0x80) {
            c++;
        }
    }
    *line = l;
    *col = c;
}

/* Copy n bytes to dst turning CRLF and lone CR into LF; returns the new length. */
static size_t copy_newlines(char *dst, const char *src, size_t n)
{
    size_t w = 0;
    for (size_t i = 0; i < n; i++) {
        char ch = src[i];
        if (ch == '\r') {
            dst[w++] = '\n';
            if (i + 1 < n && src[i + 1] == '\n')
                i++;
        } else {
            dst[w++] = ch;
        }
    }
    return w;
}

static char *arena_text(Arena *a, const char *s, size_t n, bool has_cr, size_t *out_len)
{
    char *t = arena_alloc(a, n + 1);
    if (has_cr) {
        n = copy_newlines(t, s, n);
    } else if (n) {
        memcpy(t, s, n);
    }
    t[n] = '\0';
    *out_len = n;
    return t;
}

typedef enum { U8_OK, U8_BAD, U8_NUL } U8Status;

#define ONES UINT64_C(0x0101010101010101)
#define HIGHS UINT64_C(0x8080808080808080)

static inline bool has_zero_byte(uint64_t x) { return ((x - ONES) & ~x & HIGHS) != 0; }
/* Some byte of x is below 0x20 (a C0 control, tab and line ends among them). */
static inline bool has_less_than_space(uint64_t x) { return ((x - ONES * 0x20) & ~x & HIGHS) != 0; }

/* One pass over the bytes: the common case (ASCII without NUL or CR) is
 * checked eight bytes at a time. On U8_BAD/U8_NUL *at is the offending byte
 * (the lead byte of a bad sequence). */
static U8Status utf8_check(const unsigned char *s, size_t len, size_t *at, bool *has_cr, bool *non_ascii)
{
    size_t i = 0;
    bool cr = false, na = false;
    U8Status st = U8_OK;
    while (i < len) {
        if (len - i >= 8) {
            uint64_t x;
            memcpy(&x, s + i, 8);
            if (!(x & HIGHS) && !has_zero_byte(x) && !has_zero_byte(x ^ (ONES * '\r'))) {
                i += 8;
                continue;
            }
        }
        unsigned char c = s[i];
        if (c < 0x80) {
            if (c == 0) {
                st = U8_NUL;
                break;
            }
            if (c == '\r')
                cr = true;
            i++;
            continue;
        }
        na = true;
        size_t n;
        unsigned char lo = 0x80, hi = 0xBF;
        if (c >= 0xC2 && c <= 0xDF) {
            n = 1;
        } else if (c == 0xE0) {
            n = 2;
            lo = 0xA0; /* below is overlong */
        } else if (c >= 0xE1 && c <= 0xEC) {
            n = 2;
        } else if (c == 0xED) {
            n = 2;
            hi = 0x9F; /* above are UTF-16 surrogates */
        } else if (c >= 0xEE && c <= 0xEF) {
            n = 2;
        } else if (c == 0xF0) {
            n = 3;
            lo = 0x90; /* below is overlong */
        } else if (c >= 0xF1 && c <= 0xF3) {
            n = 3;
        } else if (c == 0xF4) {
            n = 3;
            hi = 0x8F; /* above is beyond U+10FFFF */
        } else {
            st = U8_BAD; /* stray continuation byte, C0/C1 overlong, F5..FF */
            break;
        }
        if (len - i - 1 < n || s[i + 1] < lo || s[i + 1] > hi) {
            st = U8_BAD;
            break;
        }
        bool ok = true;
        for (size_t k = 2; k <= n; k++)
            if ((s[i + k] & 0xC0) != 0x80)
                ok = false;
        if (!ok) {
            st = U8_BAD;
            break;
        }
        i += n + 1;
    }
    *at = i;
    *has_cr = cr;
    *non_ascii = na;
    return st;
}

static void nul_error(Diags *d, const char *file, const unsigned char *text, size_t off)
{
    int line, col;
    text_pos(text, off, &line, &col);
    diag_error(d, file, line, col, "the file contains a NUL byte; is it a binary file? Only text files can be content");
}

/* Encodings whose bytes are not a superset of ASCII: a front matter line
 * `encoding: ...` cannot even be read in them, and reading ASCII bytes as
 * them produces nonsense, so they are refused as declared or default names. */
static bool ascii_incompatible(const char *name)
{
    static const char *const prefixes[] = {"utf-16", "utf16", "utf-32", "utf32", "ucs-2", "ucs2",
                                           "ucs-4",  "ucs4",  "utf-7",  "utf7",  "unicode"};
    for (size_t i = 0; i < sizeof prefixes / sizeof *prefixes; i++)
        if (!strncasecmp(name, prefixes[i], strlen(prefixes[i])))
            return true;
    return false;
}

static bool is_utf8_name(const char *name) { return !strcasecmp(name, "utf-8") || !strcasecmp(name, "utf8"); }

bool encoding_known(const char *name)
{
    if (!name || !*name)
        return false;
    /* iconv would also accept suffixes such as //IGNORE, which silently drop
     * bytes; only plain names are encodings a file can be written in. */
    for (const char *p = name; *p; p++)
        if (!isalnum((unsigned char)*p) && !strchr("-_.:()", *p))
            return false;
    iconv_t cd = iconv_open("UTF-8", name);
    if (cd == (iconv_t)-1)
        return false;
    iconv_close(cd);
    return true;
}

/* Convert with iconv into an arena string with LF line ends. shown is the
 * encoding's name as the user wrote it, for messages. */
static bool convert(Arena *a, const char *file, const unsigned char *in, size_t inlen, const char *from,
                    const char *shown, bool utf16, char **out, size_t *out_len, Diags *d)
{
    iconv_t cd = iconv_open("UTF-8", from);
    if (cd == (iconv_t)-1) {
        diag_error(d, file, 0, 0, "cannot read the encoding '%s' on this system; save the file as UTF-8", shown);
        return false;
    }
    Buf b = BUF_INIT;
    buf_reserve(&b, inlen + inlen / 2 + 16);
    char *ip = (char *)in;
    size_t il = inlen;
    bool ok = true, input_done = false;
    for (;;) {
        char *op = b.data + b.len;
        size_t ol = b.cap - b.len - 1;
        /* once all input is consumed, one more call flushes a stateful encoding's shift state */
        size_t r = input_done ? iconv(cd, NULL, NULL, &op, &ol) : iconv(cd, &ip, &il, &op, &ol);
        b.len = (size_t)(op - b.data);
        if (r != (size_t)-1) {
            if (input_done)
                break;
            input_done = true;
            continue;
        }
        if (errno == E2BIG) {
            buf_reserve(&b, b.cap);
            continue;
        }
        int line, col;
        text_pos((const unsigned char *)b.data, b.len, &line, &col);
        if (errno == EINVAL) {
            diag_error(d, file, line, col,
                       "the file ends in the middle of a character; it may be cut off, or it is not in %s: "
                       "save it again, or correct its encoding",
                       shown);
        } else if (utf16) {
            diag_error(d, file, line, col,
                       "this %s file contains an invalid character (a lone surrogate); save it again as UTF-8",
                       shown);
        } else {
            diag_error(d, file, line, col,
                       "byte 0x%02X cannot be read as %s; check the encoding the file was saved in, "
                       "or save it as UTF-8",
                       il ? (unsigned)(unsigned char)*ip : 0u, shown);
        }
        ok = false;
        break;
    }
    iconv_close(cd);
    if (ok) {
        const char *nul = memchr(b.data, '\0', b.len);
        if (nul) {
            nul_error(d, file, (const unsigned char *)b.data, (size_t)(nul - b.data));
            ok = false;
        }
    }
    if (ok)
        *out = arena_text(a, b.data, b.len, memchr(b.data, '\r', b.len) != NULL, out_len);
    buf_free(&b);
    return ok;
}

typedef struct {
    bool found;
    const unsigned char *val;
    size_t vlen;
    int line, col;
} Declaration;

static bool is_eol(unsigned char c) { return c == '\n' || c == '\r'; }

/* Length of the line at s (without its line end), and where the next starts. */
static size_t line_at(const unsigned char *s, size_t len, size_t start, size_t *next)
{
    size_t e = start;
    while (e < len && !is_eol(s[e]))
        e++;
    size_t n = e;
    if (n < len) {
        n++;
        if (s[e] == '\r' && n < len && s[n] == '\n')
            n++;
    }
    *next = n;
    return e - start;
}

static bool is_fence(const unsigned char *s, size_t n)
{
    if (n < 3 || memcmp(s, "---", 3))
        return false;
    for (size_t i = 3; i < n; i++)
        if (s[i] != ' ' && s[i] != '\t')
            return false;
    return true;
}

/* Look for a top-level `encoding:` line in the raw front matter. This runs
 * before decoding, which is why it works on bytes: every encoding it can
 * find is ASCII-compatible. */
static Declaration find_declaration(const unsigned char *s, size_t len)
{
    Declaration dc = {0};
    size_t next;
    size_t n = line_at(s, len, 0, &next);
    if (!is_fence(s, n))
        return dc;
    int line = 1;
    for (size_t pos = next; pos < len; pos = next) {
        line++;
        n = line_at(s, len, pos, &next);
        const unsigned char *l = s + pos;
        if (is_fence(l, n))
            break;
        if (n < 9 || memcmp(l, "encoding:", 9))
            continue;
        size_t i = 9;
        while (i < n && (l[i] == ' ' || l[i] == '\t'))
            i++;
        dc.found = true;
        dc.line = line;
        dc.col = (int)i + 1;
        if (i < n && (l[i] == '"' || l[i] == '\'')) {
            unsigned char q = l[i];
            size_t j = i + 1;
            while (j < n && l[j] != q)
                j++;
            dc.val = l + i + 1;
            dc.vlen = j - i - 1;
        } else {
            size_t j = i;
            while (j < n && !(l[j] == '#' && j > i && (l[j - 1] == ' ' || l[j - 1] == '\t')))
                j++;
            while (j > i && (l[j - 1] == ' ' || l[j - 1] == '\t'))
                j--;
            dc.val = l + i;
            dc.vlen = j - i;
        }
        break;
    }
    return dc;
}

/* The name as it may be shown in a message: non-ASCII bytes become '?'. */
static char *printable_name(Arena *a, const unsigned char *s, size_t n)
{
    char *t = arena_strndup(a, (const char *)s, n);
    for (size_t i = 0; i < n; i++)
        if ((unsigned char)t[i] < 0x20 || (unsigned char)t[i] >= 0x7F)
            t[i] = '?';
    return t;
}

static void bad_utf8_error(Diags *d, const char *file, const unsigned char *s, size_t at, bool bom)
{
    int line, col;
    text_pos(s, at, &line, &col);
    if (bom)
        diag_error(d, file, line, col,
                   "this file starts with a UTF-8 byte order mark but is not valid UTF-8 (byte 0x%02X); "
                   "save it again as UTF-8",
                   (unsigned)s[at]);
    else
        diag_error(d, file, line, col,
                   "this file is not valid UTF-8 (byte 0x%02X); save it as UTF-8, or declare its encoding "
                   "in the front matter, e.g. encoding: windows-1252",
                   (unsigned)s[at]);
}

bool encoding_check_utf8(const char *file, const char *bytes, size_t len, Diags *d)
{
    const unsigned char *s = (const unsigned char *)bytes;
    if (len >= 2 && ((s[0] == 0xFF && s[1] == 0xFE) || (s[0] == 0xFE && s[1] == 0xFF)))
        return true; /* UTF-16 with its byte order mark: libyaml reads it */
    bool bom = len >= 3 && !memcmp(s, "\xEF\xBB\xBF", 3);
    size_t skip = bom ? 3 : 0, at;
    bool cr, na;
    if (utf8_check(s + skip, len - skip, &at, &cr, &na) != U8_BAD)
        return true; /* a NUL is the parser's to report */
    int line, col;
    text_pos(s + skip, at, &line, &col);
    diag_error(d, file, line, col,
               "this file is not valid UTF-8 (byte 0x%02X, perhaps a letter such as \u00eb saved as Windows-1252); "
               "save it as UTF-8 (in the editor's Save As, choose the encoding UTF-8)",
               (unsigned)s[skip + at]);
    return false;
}

/* Strict UTF-8: the fast path of almost every file. */
static bool decode_utf8(Arena *a, const char *file, const unsigned char *s, size_t len, bool bom, char **out,
                        size_t *out_len, Diags *d)
{
    size_t at;
    bool cr, na;
    switch (utf8_check(s, len, &at, &cr, &na)) {
    case U8_OK:
        *out = arena_text(a, (const char *)s, len, cr, out_len);
        return true;
    case U8_NUL:
        nul_error(d, file, s, at);
        return false;
    case U8_BAD:
        bad_utf8_error(d, file, s, at, bom);
        return false;
    }
    return false;
}

static bool decode_bytes(Arena *a, const char *file, const char *bytes, size_t len, const char *default_enc,
                         char **out, size_t *out_len, const char **used, Diags *d);

char *encoding_nfc(const char *s, size_t len, size_t *out_len)
{
    /* Every character below U+0300 (ASCII, the Latin supplements and
     * extensions of Dutch, Turkish, Polish, ..., IPA) has NFC_Quick_Check
     * Yes and combining class 0 (UAX #15, DerivedNormalizationProps): a
     * text of only those is NFC, as most files are, and needs no copy into
     * UTF-16. In UTF-8 they are ASCII, continuation bytes and lead bytes
     * up to 0xCB (0xCC starts U+0300, the combining diacritical marks). */
    size_t i = 0;
    while (i < len) {
        uint64_t x;
        if (len - i >= 8 && (memcpy(&x, s + i, 8), !(x & HIGHS))) {
            i += 8; /* eight ASCII bytes */
            continue;
        }
        if ((unsigned char)s[i] > 0xCB)
            break;
        i++;
    }
    if (i == len || len > INT32_MAX / 2)
        return NULL;
    UErrorCode e = U_ZERO_ERROR;
    const UNormalizer2 *nfc = unorm2_getNFCInstance(&e);
    /* UTF-16 never takes more units than UTF-8 takes bytes: no preflight */
    int32_t n16 = 0;
    UChar *u = xmalloc((len + 1) * sizeof *u);
    u_strFromUTF8(u, (int32_t)len + 1, &n16, s, (int32_t)len, &e);
    char *out = NULL;
    if (U_SUCCESS(e) && !unorm2_isNormalized(nfc, u, n16, &e) && U_SUCCESS(e)) {
        /* preflight: NFC can be longer than its input */
        int32_t nn = unorm2_normalize(nfc, u, n16, NULL, 0, &e);
        if (e == U_BUFFER_OVERFLOW_ERROR) {
            e = U_ZERO_ERROR;
            UChar *v = xmalloc(((size_t)nn + 1) * sizeof *v);
            unorm2_normalize(nfc, u, n16, v, nn + 1, &e);
            int32_t n8 = 0;
            if (U_SUCCESS(e)) {
                u_strToUTF8(NULL, 0, &n8, v, nn, &e);
                if (e == U_BUFFER_OVERFLOW_ERROR) {
                    e = U_ZERO_ERROR;
                    out = xmalloc((size_t)n8 + 1);
                    u_strToUTF8(out, n8 + 1, NULL, v, nn, &e);
                    if (U_FAILURE(e)) {
                        free(out);
                        out = NULL;
                    } else {
                        out[n8] = '\0';
                        *out_len = (size_t)n8;
                    }
                }
            }
            free(v);
        }
    }
    free(u);
    return out;
}

bool encoding_decode(Arena *a, const char *file, const char *bytes, size_t len, const char *default_enc,
                     char **out, size_t *out_len, const char **used, Diags *d)
{
    if (!decode_bytes(a, file, bytes, len, default_enc, out, out_len, used, d))
        return false;
    size_t nlen;
    char *nfc = encoding_nfc(*out, *out_len, &nlen);
    if (nfc) {
        *out = arena_strndup(a, nfc, nlen);
        *out_len = nlen;
        free(nfc);
    }
    /* The one check on the way in for characters XML 1.0 forbids (C0
     * controls other than tab and newline, U+FFFE, U+FFFF): a feed or page
     * holding one is not well-formed, and a terminal sequence (ESC) would
     * reach every message quoting the line. */
    const unsigned char *t = (const unsigned char *)*out;
    for (size_t i = 0; i < *out_len; i++) {
        uint64_t x;
        /* eight bytes with no C0 control and no 0xEF (the lead byte of
         * U+FFFE and U+FFFF) hold none of them, nor the start of one */
        if (*out_len - i >= 8 && (memcpy(&x, t + i, 8), !has_less_than_space(x) && !has_zero_byte(x ^ (ONES * 0xEF)))) {
            i += 7;
            continue;
        }
        unsigned cp = 0;
        if (t[i] < 0x20 && t[i] != '\t' && t[i] != '\n')
            cp = t[i];
        else if (t[i] == 0xEF && i + 2 < *out_len && t[i + 1] == 0xBF && (t[i + 2] == 0xBE || t[i + 2] == 0xBF))
            cp = t[i + 2] == 0xBE ? 0xFFFE : 0xFFFF;
        else
            continue;
        int line, col;
        text_pos(t, i, &line, &col);
        diag_error(d, file, line, col,
                   "the file contains the invisible character U+%04X, which web pages, feeds and calendars cannot "
                   "hold; delete it (it often comes with text pasted from another program)", cp);
        *out = NULL;
        *out_len = 0;
        return false;
    }
    return true;
}

static bool decode_bytes(Arena *a, const char *file, const char *bytes, size_t len, const char *default_enc,
                         char **out, size_t *out_len, const char **used, Diags *d)
{
    const unsigned char *s = (const unsigned char *)bytes;
    *out = NULL;
    *out_len = 0;
    *used = NULL;
    if (!s)
        s = (const unsigned char *)"";

    /* A byte order mark is certain; it wins over any declaration. */
    if (len >= 3 && s[0] == 0xEF && s[1] == 0xBB && s[2] == 0xBF) {
        *used = "utf-8";
        return decode_utf8(a, file, s + 3, len - 3, true, out, out_len, d);
    }
    if (len >= 2 && s[0] == 0xFF && s[1] == 0xFE) {
        *used = "utf-16le";
        return convert(a, file, s + 2, len - 2, "UTF-16LE", "UTF-16LE", true, out, out_len, d);
    }
    if (len >= 2 && s[0] == 0xFE && s[1] == 0xFF) {
        *used = "utf-16be";
        return convert(a, file, s + 2, len - 2, "UTF-16BE", "UTF-16BE", true, out, out_len, d);
    }

    Declaration dc = find_declaration(s, len);
    if (dc.found) {
        char *name = printable_name(a, dc.val, dc.vlen);
        if (!*name) {
            diag_error(d, file, dc.line, dc.col,
                       "encoding: needs the name of an encoding, e.g. encoding: windows-1252; "
                       "remove the line if the file is UTF-8");
            return false;
        }
        if (is_utf8_name(name)) {
            *used = "utf-8";
            return decode_utf8(a, file, s, len, false, out, out_len, d);
        }
        if (ascii_incompatible(name)) {
            diag_error(d, file, dc.line, dc.col,
                       "the encoding '%s' cannot be declared in the front matter; save the file as UTF-8 "
                       "(or as UTF-16 with a byte order mark) and remove this line",
                       name);
            return false;
        }
        bool clean = strlen(name) == dc.vlen && !memcmp(name, dc.val, dc.vlen);
        if (!clean || !encoding_known(name)) {
            diag_error(d, file, dc.line, dc.col,
                       "unknown encoding '%s'; use a name such as windows-1252, iso-8859-9, windows-1256 "
                       "or windows-1251 (iconv -l lists them all)",
                       name);
            return false;
        }
        size_t at;
        bool cr, na;
        if (utf8_check(s, len, &at, &cr, &na) == U8_OK && na)
            diag_warn(d, file, dc.line, dc.col,
                      "the file declares encoding: %s but reads as valid UTF-8; it was read as %s. If it was "
                      "saved as UTF-8, remove this line",
                      name, name);
        *used = name;
        return convert(a, file, s, len, name, name, false, out, out_len, d);
    }

    size_t at;
    bool cr, na;
    U8Status st = utf8_check(s, len, &at, &cr, &na);
    if (st == U8_OK) {
        *used = "utf-8";
        *out = arena_text(a, (const char *)s, len, cr, out_len);
        return true;
    }
    if (st == U8_NUL) {
        nul_error(d, file, s, at);
        return false;
    }
    /* Valid UTF-8 stays UTF-8 even when the language has a default legacy
     * encoding: a translator who switched to UTF-8 must not get mojibake. */
    if (default_enc && *default_enc && !is_utf8_name(default_enc)) {
        if (ascii_incompatible(default_enc) || !encoding_known(default_enc)) {
            diag_error(d, file, 0, 0,
                       "the encoding '%s' set for this language in lobgen.yaml cannot be used; "
                       "use a name such as windows-1252, iso-8859-9 or windows-1256",
                       default_enc);
            return false;
        }
        char *name = arena_strdup(a, default_enc);
        *used = name;
        return convert(a, file, s, len, name, name, false, out, out_len, d);
    }
    bad_utf8_error(d, file, s, at, false);
    return false;
}
