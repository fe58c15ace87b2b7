/* Reading source bytes: every encoding a school's files arrive in becomes
 * the same UTF-8 with LF line ends, and every unreadable byte is an error at
 * the line and column the user's editor shows. */
#include "check.h"
#include "encoding.h"

#include <stdlib.h>
#include <string.h>

typedef struct {
    Arena *a;
    Diags d;
    bool ok;
    char *out;
    size_t len;
    const char *used;
} Dec;

static Dec dec(const char *bytes, size_t len, const char *default_enc)
{
    Dec r = {.a = arena_new(), .d = DIAGS_INIT};
    r.ok = encoding_decode(r.a, "content/gesprekken/x.nl.md", bytes, len, default_enc, &r.out, &r.len, &r.used, &r.d);
    return r;
}

#define DEC(lit, enc) dec((lit), sizeof(lit) - 1, (enc))

static void done(Dec *r)
{
    diags_free(&r->d);
    arena_free(r->a);
}

/* Decoding succeeds with exactly want (and a NUL after it), read as used. */
static void expect_text(const char *name, Dec r, const char *want, const char *used)
{
    bool same = r.ok && r.out && r.len == strlen(want) && !memcmp(r.out, want, r.len) && r.out[r.len] == '\0';
    CHECK(name, same, "ok=%d got [%s] (%zu bytes) want [%s]%s%s", r.ok, r.out ? r.out : "(null)", r.len, want,
          r.d.len ? "; error: " : "", r.d.len ? r.d.items[0].msg : "");
    char n2[160];
    snprintf(n2, sizeof n2, "%s: read as %s", name, used);
    CHECK_STR(n2, r.used, used);
    done(&r);
}

/* Decoding fails with one error containing needle at line:col. */
static void expect_error(const char *name, Dec r, const char *needle, int line, int col)
{
    const Diag *g = NULL;
    for (size_t i = 0; i < r.d.len; i++)
        if (r.d.items[i].level == DIAG_ERROR)
            g = &r.d.items[i];
    CHECK(name, !r.ok && g && strstr(g->msg, needle) && g->line == line && g->col == col,
          "ok=%d want [%s] at %d:%d, got [%s] at %d:%d", r.ok, needle, line, col, g ? g->msg : "(no error)",
          g ? g->line : -1, g ? g->col : -1);
    CHECK_STR("error names the file", g ? g->file : NULL, "content/gesprekken/x.nl.md");
    done(&r);
}

/* UTF-16 bytes (with BOM) of a UTF-8 string, into out; returns the length. */
static size_t utf16(const char *s, bool be, char *out)
{
    size_t n = 0;
    unsigned units[2];
    out[n++] = be ? '\xFE' : '\xFF';
    out[n++] = be ? '\xFF' : '\xFE';
    for (const unsigned char *p = (const unsigned char *)s; *p;) {
        unsigned cp;
        if (*p < 0x80) {
            cp = *p++;
        } else if (*p < 0xE0) {
            cp = (*p & 0x1Fu) << 6 | (p[1] & 0x3Fu);
            p += 2;
        } else if (*p < 0xF0) {
            cp = (*p & 0x0Fu) << 12 | (p[1] & 0x3Fu) << 6 | (p[2] & 0x3Fu);
            p += 3;
        } else {
            cp = (*p & 0x07u) << 18 | (p[1] & 0x3Fu) << 12 | (p[2] & 0x3Fu) << 6 | (p[3] & 0x3Fu);
            p += 4;
        }
        int nu = 1;
        if (cp >= 0x10000) {
            units[0] = 0xD800 + ((cp - 0x10000) >> 10);
            units[1] = 0xDC00 + ((cp - 0x10000) & 0x3FF);
            nu = 2;
        } else {
            units[0] = cp;
        }
        for (int i = 0; i < nu; i++) {
            out[n++] = (char)(be ? units[i] >> 8 : units[i] & 0xFF);
            out[n++] = (char)(be ? units[i] & 0xFF : units[i] >> 8);
        }
    }
    return n;
}

static void test_utf8(void)
{
    CHECK_SUITE("encoding utf-8");
    expect_text("plain UTF-8 passes through", DEC("---\ntitle: Café\n---\nÉén 日本 😀\n", NULL),
                "---\ntitle: Café\n---\nÉén 日本 😀\n", "utf-8");
    expect_text("BOM is stripped", DEC("\xEF\xBB\xBF---\ntitle: x\n", NULL), "---\ntitle: x\n", "utf-8");
    expect_text("empty file", dec("", 0, NULL), "", "utf-8");
    expect_text("a long ASCII file (fast path)",
                DEC("abcdefghijklmnopqrstuvwxyz abcdefghijklmnopqrstuvwxyz\nabcdefghijklmnop\n", NULL),
                "abcdefghijklmnopqrstuvwxyz abcdefghijklmnopqrstuvwxyz\nabcdefghijklmnop\n", "utf-8");
    expect_text("largest code point U+10FFFF", DEC("a\xF4\x8F\xBF\xBF", NULL), "a\xF4\x8F\xBF\xBF", "utf-8");
    expect_text("encoding: utf-8 declared", DEC("---\nencoding: UTF-8\n---\nç\n", NULL), "---\nencoding: UTF-8\n---\nç\n",
                "utf-8");
}

/* Unicode Normalization Form C (UAX #15): the same text whatever form
 * the editor saved, so fingerprints, heading ids and glossary links match */
static void test_nfc(void)
{
    CHECK_SUITE("encoding NFC");
    expect_text("e + COMBINING ACUTE becomes é", DEC("---\ntitle: Cafe\xCC\x81\n---\nE\xCC\x81" "e\xCC\x81" "n\n", NULL),
                "---\ntitle: Caf\xC3\xA9\n---\n\xC3\x89\xC3\xA9n\n", "utf-8");
    expect_text("ANGSTROM SIGN becomes Å", DEC("\xE2\x84\xAB", NULL), "\xC3\x85", "utf-8");
    expect_text("UTF-16 text is composed too", DEC("\xFF\xFE" "e\0\x01\x03", NULL), "\xC3\xA9", "utf-16le");
    expect_text("text already in NFC is kept as is", DEC("\xC3\xA9 \xD9\x85\xD8\xAF\xD8\xB1\xD8\xB3\xD8\xA9", NULL),
                "\xC3\xA9 \xD9\x85\xD8\xAF\xD8\xB1\xD8\xB3\xD8\xA9", "utf-8");
    /* letters below U+0300 need no normalizing; what follows them still does */
    expect_text("Turkish and Polish letters are kept as is", DEC("\xC4\x9F\xC5\x9F\xC4\xB1 \xC5\x82\xC3\xB3", NULL),
                "\xC4\x9F\xC5\x9F\xC4\xB1 \xC5\x82\xC3\xB3", "utf-8");
    expect_text("a decomposed letter after composed ones is composed", DEC("caf\xC3\xA9 \xC3\xB3 e\xCC\x81", NULL),
                "caf\xC3\xA9 \xC3\xB3 \xC3\xA9", "utf-8");
}

static void test_newlines(void)
{
    CHECK_SUITE("encoding newlines");
    expect_text("CRLF and lone CR become LF", DEC("a\r\nb\rc\n\r\nd\r", NULL), "a\nb\nc\n\nd\n", "utf-8");
    expect_text("CR in the fast path", DEC("0123456789abcdef\r\n0123456789abcdef\r\n", NULL),
                "0123456789abcdef\n0123456789abcdef\n", "utf-8");
    expect_text("CRLF in a declared encoding", DEC("---\r\nencoding: windows-1252\r\n---\r\n\xE9\r\n", NULL),
                "---\nencoding: windows-1252\n---\né\n", "windows-1252");
}

static void test_utf16(void)
{
    CHECK_SUITE("encoding utf-16");
    char buf[512];
    size_t n = utf16("---\r\ntitle: Café €\r\n---\r\nİyi akşamlar 😀\r\n", false, buf);
    expect_text("UTF-16LE with BOM", dec(buf, n, NULL), "---\ntitle: Café €\n---\nİyi akşamlar 😀\n", "utf-16le");
    n = utf16("---\ntitle: مرحبا\n---\nЇжак 😀\n", true, buf);
    expect_text("UTF-16BE with BOM", dec(buf, n, NULL), "---\ntitle: مرحبا\n---\nЇжак 😀\n", "utf-16be");
    n = utf16("ab\ncd", false, buf);
    memcpy(buf + n, "\x00\xD8" "e\x00", 4); /* a lone high surrogate, then 'e' */
    expect_error("UTF-16 lone surrogate", dec(buf, n + 4, NULL), "invalid character", 2, 3);
    n = utf16("ab", true, buf);
    buf[n++] = 0;
    expect_error("UTF-16 cut off mid-character", dec(buf, n, NULL), "ends in the middle of a character", 1, 3);
    n = utf16("ab\n", false, buf);
    memcpy(buf + n, "\x00\x00", 2);
    expect_error("UTF-16 NUL character", dec(buf, n + 2, NULL), "NUL byte", 2, 1);
    n = utf16("---\nencoding: windows-1252\n---\né\n", false, buf);
    expect_text("a BOM wins over a declaration", dec(buf, n, NULL), "---\nencoding: windows-1252\n---\né\n", "utf-16le");
}

static void test_legacy(void)
{
    CHECK_SUITE("encoding legacy");
    expect_text("windows-1252 declared",
                DEC("---\ntitle: Caf\xE9 voor 5 \x80\nencoding: windows-1252\n---\nHet \x92 is \xE9\xE9n\n", NULL),
                "---\ntitle: Café voor 5 €\nencoding: windows-1252\n---\nHet ’ is één\n", "windows-1252");
    expect_text("double-quoted name", DEC("---\nencoding: \"windows-1252\"\n---\n\xE9", NULL),
                "---\nencoding: \"windows-1252\"\n---\né", "windows-1252");
    expect_text("single-quoted name with a comment",
                DEC("---\nencoding: 'iso-8859-9'   # Turks\n---\n\xDDyi ak\xFE" "am, \xF0\xFD\n", NULL),
                "---\nencoding: 'iso-8859-9'   # Turks\n---\nİyi akşam, ğı\n", "iso-8859-9");
    expect_text("iso-8859-9 Turkish",
                DEC("---\nencoding: iso-8859-9\ntitle: \xDE\x65hir\n---\n\xFE \xF0 \xFD \xDD \xDE \xD0\n", NULL),
                "---\nencoding: iso-8859-9\ntitle: Şehir\n---\nş ğ ı İ Ş Ğ\n", "iso-8859-9");
    expect_text("windows-1256 Arabic", DEC("---\nencoding: windows-1256\ntitle: \xE3\xD1\xCD\xC8\xC7\n---\n", NULL),
                "---\nencoding: windows-1256\ntitle: مرحبا\n---\n", "windows-1256");
    expect_text("koi8-u Ukrainian", DEC("---\nencoding: koi8-u\n---\n\xA7\n", NULL), "---\nencoding: koi8-u\n---\nї\n",
                "koi8-u");
    expect_text("default_enc from the configuration", DEC("---\ntitle: \xE3\xD1\xCD\xC8\xC7\n---\n", "windows-1256"),
                "---\ntitle: مرحبا\n---\n", "windows-1256");
    expect_text("front matter wins over default_enc", DEC("---\nencoding: iso-8859-9\n---\n\xFE\n", "windows-1256"),
                "---\nencoding: iso-8859-9\n---\nş\n", "iso-8859-9");
    expect_text("valid UTF-8 stays UTF-8 under a default", DEC("---\ntitle: مرحبا\n---\n", "windows-1256"),
                "---\ntitle: مرحبا\n---\n", "utf-8");
    expect_text("encoding: in the body is not a declaration", DEC("---\ntitle: x\n---\nencoding: windows-1252\n", NULL),
                "---\ntitle: x\n---\nencoding: windows-1252\n", "utf-8");
    expect_text("a nested encoding: key is not a declaration",
                DEC("---\ntranslation:\n  encoding: windows-1252\n---\né\n", NULL),
                "---\ntranslation:\n  encoding: windows-1252\n---\né\n", "utf-8");

    Dec r = DEC("---\nencoding: windows-1252\n---\nCafé\n", NULL);
    CHECK("declared legacy over valid UTF-8 is honoured", r.ok && strstr(r.out, "CafÃ©"), "got [%s]",
          r.out ? r.out : "(null)");
    CHECK("... with a warning to remove the line",
          r.d.len == 1 && r.d.items[0].level == DIAG_WARNING && r.d.items[0].line == 2 && r.d.items[0].col == 11 &&
              strstr(r.d.items[0].msg, "remove this line"),
          "n=%zu", r.d.len);
    done(&r);
}

static void test_errors(void)
{
    CHECK_SUITE("encoding errors");
    expect_error("invalid UTF-8 after multibyte characters",
                 DEC("---\ntitle: één\nsummary: 日本 caf\xE9 en meer\n---\n", NULL),
                 "this file is not valid UTF-8 (byte 0xE9); save it as UTF-8, or declare its encoding in the front "
                 "matter, e.g. encoding: windows-1252",
                 3, 16);
    expect_error("invalid byte after CRLF and CR lines", DEC("a\r\nb\rc\xFF", NULL), "byte 0xFF", 3, 2);
    expect_error("invalid byte deep in the fast path", DEC("0123456789abcdef0\x80", NULL), "byte 0x80", 1, 18);
    expect_error("overlong slash", DEC("a\xC0\xAF", NULL), "byte 0xC0", 1, 2);
    expect_error("overlong three-byte form", DEC("ab\xE0\x80\xAF", NULL), "byte 0xE0", 1, 3);
    expect_error("overlong four-byte form", DEC("\xF0\x82\x82\xAC", NULL), "byte 0xF0", 1, 1);
    expect_error("UTF-16 surrogate in UTF-8", DEC("é\xED\xA0\x80", NULL), "byte 0xED", 1, 2);
    expect_error("beyond U+10FFFF", DEC("\xF4\x90\x80\x80", NULL), "byte 0xF4", 1, 1);
    expect_error("cut off at the end", DEC("ab\xE2\x82", NULL), "byte 0xE2", 1, 3);
    expect_error("stray continuation byte", DEC("x\ny\xA9", NULL), "byte 0xA9", 2, 2);
    expect_error("invalid after a BOM", DEC("\xEF\xBB\xBF" "ab\xE9", NULL), "byte order mark but is not valid UTF-8", 1,
                 3);
    expect_error("declared utf-8 but is not", DEC("---\nencoding: utf-8\n---\n\xE9\n", NULL), "byte 0xE9", 4, 1);
    expect_error("NUL byte", DEC("ab\ncé\0ef", NULL), "the file contains a NUL byte; is it a binary file?", 2, 3);
    expect_error("NUL byte in the fast path", DEC("0123456789\0abcdef", NULL), "NUL byte", 1, 11);
    expect_error("NUL byte in a declared encoding", DEC("---\nencoding: cp1252\n---\n\xE9\0", NULL), "NUL byte", 4, 2);
    expect_error("NUL byte with a default encoding", DEC("\xE9\n\xE9\0", "windows-1252"), "NUL byte", 2, 2);
    expect_error("unknown encoding name", DEC("---\ntitle: x\nencoding: klingon-8\n---\n", NULL),
                 "unknown encoding 'klingon-8'", 3, 11);
    expect_error("quoted unknown name points at the quote", DEC("---\nencoding:  \"x-none\"\n---\n", NULL),
                 "unknown encoding 'x-none'", 2, 12);
    expect_error("iconv suffix refused", DEC("---\nencoding: cp1252//IGNORE\n---\n\x81", NULL), "unknown encoding", 2, 11);
    expect_error("empty encoding", DEC("---\nencoding:\n---\n", NULL), "needs the name of an encoding", 2, 10);
    expect_error("utf-16 cannot be declared", DEC("---\nencoding: utf-16\n---\n", NULL), "cannot be declared", 2, 11);
    expect_error("byte windows-1252 cannot convert",
                 DEC("---\nencoding: windows-1252\n---\ncaf\xE9 \x81 x\n", NULL),
                 "byte 0x81 cannot be read as windows-1252", 4, 6);
    expect_error("invalid UTF-8 with an unusable default", DEC("\xE9", "utf-16"), "cannot be used", 0, 0);
}

/* The checks read eight bytes at a time where they can (encoding.c): a
 * character of interest must be found at every position of a word, and at
 * the end of the text where no whole word is left. Expected values: UTF-8
 * per RFC 3629 (lead bytes, continuation bytes, no overlongs), NFC per
 * UAX #15, the characters XML 1.0 forbids (section 2.2: C0 controls but
 * tab, LF and CR; U+FFFE, U+FFFF). */
static void test_word_edges(void)
{
    CHECK_SUITE("encoding eight bytes at a time");
    const char *ascii = "abcdefghijklmnopqrstuvwx"; /* 24 bytes: three words */
    char in[64], want[64], name[96];
    for (int p = 0; p < 17; p++) {
        /* U+00E9 as C3 A9: valid two-byte UTF-8, NFC as it is */
        snprintf(in, sizeof in, "%.*s\xC3\xA9%s", p, ascii, ascii + p);
        snprintf(name, sizeof name, "U+00E9 at byte %d passes through", p);
        expect_text(name, dec(in, strlen(in), NULL), in, "utf-8");
        /* 0xFF is never in UTF-8: the column is the character's */
        snprintf(in, sizeof in, "%.*s\xFF%s", p, ascii, ascii + p);
        snprintf(name, sizeof name, "byte 0xFF at byte %d", p);
        expect_error(name, dec(in, strlen(in), NULL), "byte 0xFF", 1, p + 1);
        /* e + U+0301 COMBINING ACUTE ACCENT composes to U+00E9 */
        snprintf(in, sizeof in, "%.*se\xCC\x81%s", p, ascii, ascii + p);
        snprintf(want, sizeof want, "%.*s\xC3\xA9%s", p, ascii, ascii + p);
        snprintf(name, sizeof name, "e + U+0301 at byte %d is composed", p);
        expect_text(name, dec(in, strlen(in), NULL), want, "utf-8");
        /* CRLF becomes LF */
        snprintf(in, sizeof in, "%.*s\r\n%s", p, ascii, ascii + p);
        snprintf(want, sizeof want, "%.*s\n%s", p, ascii, ascii + p);
        snprintf(name, sizeof name, "CRLF at byte %d becomes LF", p);
        expect_text(name, dec(in, strlen(in), NULL), want, "utf-8");
        /* tab and LF are allowed; ESC (U+001B) and U+0001 are not */
        snprintf(in, sizeof in, "%.*s\t\n%s", p, ascii, ascii + p);
        snprintf(name, sizeof name, "tab and LF at byte %d pass through", p);
        expect_text(name, dec(in, strlen(in), NULL), in, "utf-8");
        snprintf(in, sizeof in, "%.*s\x1B%s", p, ascii, ascii + p);
        snprintf(name, sizeof name, "ESC at byte %d", p);
        expect_error(name, dec(in, strlen(in), NULL), "invisible character U+001B", 1, p + 1);
        snprintf(in, sizeof in, "%.*s\x01%s", p, ascii, ascii + p);
        snprintf(name, sizeof name, "U+0001 at byte %d", p);
        expect_error(name, dec(in, strlen(in), NULL), "invisible character U+0001", 1, p + 1);
        /* noncharacters U+FFFE (EF BF BE) and U+FFFF (EF BF BF), also
         * straddling two words; U+FEFF (EF BB BF) inside a text is allowed */
        snprintf(in, sizeof in, "%.*s\xEF\xBF\xBE%s", p, ascii, ascii + p);
        snprintf(name, sizeof name, "U+FFFE at byte %d", p);
        expect_error(name, dec(in, strlen(in), NULL), "invisible character U+FFFE", 1, p + 1);
        snprintf(in, sizeof in, "%.*s\xEF\xBF\xBF%s", p, ascii, ascii + p);
        snprintf(name, sizeof name, "U+FFFF at byte %d", p);
        expect_error(name, dec(in, strlen(in), NULL), "invisible character U+FFFF", 1, p + 1);
        snprintf(in, sizeof in, "x%.*s\xEF\xBB\xBF%s", p, ascii, ascii + p);
        snprintf(name, sizeof name, "U+FEFF at byte %d passes through", p + 1);
        expect_text(name, dec(in, strlen(in), NULL), in, "utf-8");
    }
    /* at the very end, after whole words */
    expect_error("U+0001 as the last byte after three words", DEC("abcdefghijklmnopqrstuvwx\x01", NULL),
                 "invisible character U+0001", 1, 25);
    expect_error("U+FFFF as the last character after two words", DEC("abcdefghijklmnop\xEF\xBF\xBF", NULL),
                 "invisible character U+FFFF", 1, 17);
    expect_text("EF BF at the end is only the start of a character", DEC("abcdefghijklmnop\xEF\xBF\xBDx", NULL),
                "abcdefghijklmnop\xEF\xBF\xBDx", "utf-8");
    expect_error("a lead byte cut off after a whole word", DEC("abcdefgh\xC3", NULL), "byte 0xC3", 1, 9);
    expect_error("a three-byte sequence cut off at the end", DEC("abcdefghijklmno\xE2\x82", NULL), "byte 0xE2", 1,
                 16);
    expect_error("a four-byte sequence cut off at the end", DEC("abcdefg\xF0\x9F\x98", NULL), "byte 0xF0", 1, 8);
    expect_text("a four-byte character at the end", DEC("abcdefg\xF0\x9F\x98\x80", NULL), "abcdefg\xF0\x9F\x98\x80",
                "utf-8");
    expect_text("a BOM, then words with CRLF", DEC("\xEF\xBB\xBF" "abcdefgh\r\nijklmnop\r\n", NULL),
                "abcdefgh\nijklmnop\n", "utf-8");
    expect_error("U+0001 after a line in a later word", DEC("abcdefgh\nijklmnopq\x01", NULL),
                 "invisible character U+0001", 2, 10);
    expect_text("e + U+0301 as the last characters after whole words", DEC("abcdefghijklmnope\xCC\x81", NULL),
                "abcdefghijklmnop\xC3\xA9", "utf-8");
}

static void test_known(void)
{
    CHECK_SUITE("encoding_known");
    const char *good[] = {"windows-1252", "iso-8859-9", "windows-1256", "iso-8859-6", "windows-1251", "koi8-u",
                          "CP1254", "utf-8"};
    for (size_t i = 0; i < sizeof good / sizeof *good; i++)
        CHECK(good[i], encoding_known(good[i]), "should be known");
    const char *bad[] = {"", "klingon-8", "cp1252//TRANSLIT", "windows 1252"};
    for (size_t i = 0; i < sizeof bad / sizeof *bad; i++)
        CHECK(bad[i][0] ? bad[i] : "(empty)", !encoding_known(bad[i]), "should be unknown");
    CHECK("NULL is unknown", !encoding_known(NULL), "");
}

int main(void)
{
    test_utf8();
    test_nfc();
    test_newlines();
    test_utf16();
    test_legacy();
    test_errors();
    test_word_edges();
    test_known();
    CHECK_DONE();
}
