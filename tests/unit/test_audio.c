/* Audio: what is spoken, which languages eSpeak NG can speak, and the
 * durations of recordings, from bytes built by the formats' specifications
 * (Ogg RFC 3533 + Opus RFC 7845, ISO/IEC 14496-12 movie header, ISO/IEC
 * 11172-3 MPEG audio frames). */
#include "audio.h"
#include "audio_duration.h"
#include "check.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

static const SourceFile SRC = {.path = "content/thuisopdrachten/x.nl.md", .kind = KIND_THUISOPDRACHT, .slug = "x",
                               .lang = "nl"};

static void test_text(void)
{
    CHECK_SUITE("speech text");
    const char *body = "## Voor ouders\n\nPraat samen.\n\n- eerste punt\n- tweede punt?\n\n"
                       "| Tijd | Wat |\n| --- | --- |\n| 19:00 | Tabelwoord |\n\n"
                       "```programma\n19:00 Programmawoord\n```\n\n"
                       "```antwoord regels=2\nWelk beroep past bij jou?\n```\n\n"
                       "```\ncodewoord\n```\n\n![plaatjeswoord](a.png) Met **nadruk** en [een link](https://x.nl).\n";
    Material m = {.src = &SRC, .title = "Titel", .summary = "Kort gezegd", .body = body, .body_len = strlen(body)};
    Buf o = BUF_INIT;
    audio_speech_text(&m, &o);
    const char *t = buf_cstr(&o);
    CHECK_STR("title, summary, headings, paragraphs, list items and block text, each a sentence", t,
              "Titel.\n\nKort gezegd.\n\nVoor ouders.\n\nPraat samen.\n\neerste punt.\n\ntweede punt?\n\n"
              "Welk beroep past bij jou?\n\nMet nadruk en een link.");
    CHECK("tables are not read aloud", !strstr(t, "Tabelwoord"), "%s", t);
    CHECK("the programma block (times) is not read aloud", !strstr(t, "Programmawoord"), "%s", t);
    CHECK("code is not read aloud", !strstr(t, "codewoord"), "%s", t);
    CHECK("images are not read aloud", !strstr(t, "plaatjeswoord"), "%s", t);
    buf_free(&o);
}

static void test_voices(void)
{
    CHECK_SUITE("voices");
    /* eSpeak NG 1.51 (Debian 12) has these six, and neither Tigrinya nor Somali */
    static const char *const have[] = {"nl", "en", "tr", "ar", "pl", "uk", "ar-MA", "EN"};
    for (size_t i = 0; i < sizeof have / sizeof *have; i++) {
        char name[64];
        snprintf(name, sizeof name, "eSpeak NG speaks %s", have[i]);
        CHECK(name, audio_voice(have[i]) != NULL, "no voice");
    }
    CHECK("no voice for Tigrinya", audio_voice("ti") == NULL, "got %s", audio_voice("ti"));
    CHECK("no voice for Somali", audio_voice("so") == NULL, "got %s", audio_voice("so"));
}

/* ---- Ogg ---- */

static void ogg_page(Buf *b, uint64_t granule, uint32_t serial, const unsigned char *body, size_t n)
{
    unsigned char h[27] = {'O', 'g', 'g', 'S', 0, 0};
    for (int i = 0; i < 8; i++)
        h[6 + i] = (unsigned char)(granule >> (8 * i));
    for (int i = 0; i < 4; i++)
        h[14 + i] = (unsigned char)(serial >> (8 * i));
    h[26] = 1; /* one segment: the CRC is not checked by a duration reader */
    buf_append(b, (const char *)h, 27);
    buf_putc(b, (char)n);
    buf_append(b, (const char *)body, n);
}

static void test_ogg(void)
{
    CHECK_SUITE("Ogg Opus duration");
    Buf b = BUF_INIT;
    unsigned char head[19] = {'O', 'p', 'u', 's', 'H', 'e', 'a', 'd', 1, 1, 0x38, 0x01 /* pre-skip 312 */};
    ogg_page(&b, 0, 5, head, sizeof head);
    unsigned char tags[16] = {'O', 'p', 'u', 's', 'T', 'a', 'g', 's'};
    ogg_page(&b, 0, 5, tags, sizeof tags);
    unsigned char audio[3] = {1, 2, 3};
    ogg_page(&b, 48000 + 312, 5, audio, 3);
    ogg_page(&b, 48000 * 61 + 312, 5, audio, 3);
    double s = -1;
    const char *why = NULL;
    bool ok = audio_duration("opus", (const unsigned char *)b.data, b.len, &s, &why);
    CHECK("last granule minus pre-skip over 48000 (RFC 7845)", ok && fabs(s - 61.0) < 1e-9, "ok=%d s=%f why=%s", ok, s,
          why ? why : "");
    ok = audio_duration("opus", (const unsigned char *)"RIFF....WAVEfmt ", 16, &s, &why);
    CHECK("a WAV file is refused with a reason", !ok && why && strstr(why, "not an Ogg file"), "why=%s",
          why ? why : "");
    buf_free(&b);
}

static void be32(Buf *b, uint32_t v)
{
    for (int i = 3; i >= 0; i--)
        buf_putc(b, (char)(v >> (8 * i)));
}

static void test_mp4(void)
{
    CHECK_SUITE("M4A duration");
    Buf b = BUF_INIT;
    be32(&b, 16);
    buf_append(&b, "ftypM4A \0\0\0\0", 12);
    be32(&b, 8 + 8 + 100);
    buf_append(&b, "moov", 4);
    be32(&b, 8 + 100);
    buf_append(&b, "mvhd", 4);
    unsigned char mv[100] = {0};
    mv[15] = 0xE8, mv[14] = 0x03;              /* time scale 1000 */
    mv[19] = 0x94, mv[18] = 0x11, mv[17] = 0x01; /* duration 70036 */
    buf_append(&b, (const char *)mv, sizeof mv);
    double s = -1;
    const char *why = NULL;
    bool ok = audio_duration("m4a", (const unsigned char *)b.data, b.len, &s, &why);
    CHECK("movie header duration over its time scale", ok && fabs(s - 70.036) < 1e-9, "ok=%d s=%f why=%s", ok, s,
          why ? why : "");
    buf_free(&b);
}

static void test_mp3(void)
{
    CHECK_SUITE("MP3 duration");
    /* MPEG-1 Layer III, 128 kbit/s, 44100 Hz, no padding: 417 bytes and
     * 1152 samples a frame; 100 frames are 115200 / 44100 s */
    Buf b = BUF_INIT;
    buf_append(&b, "ID3\x03\x00\x00\x00\x00\x00\x05", 10);
    buf_append(&b, "\0\0\0\0\0", 5);
    for (int f = 0; f < 100; f++) {
        buf_append(&b, "\xFF\xFB\x90\x00", 4);
        for (int i = 4; i < 417; i++)
            buf_putc(&b, 0);
    }
    buf_append(&b, "TAG", 3);
    double s = -1;
    const char *why = NULL;
    bool ok = audio_duration("mp3", (const unsigned char *)b.data, b.len, &s, &why);
    CHECK("frames counted after the ID3v2 tag", ok && fabs(s - 115200.0 / 44100.0) < 1e-9, "ok=%d s=%f why=%s", ok, s,
          why ? why : "");
    ok = audio_duration("mp3", (const unsigned char *)"hello", 5, &s, &why);
    CHECK("text is not an MP3 file", !ok, "s=%f", s);
    buf_free(&b);
}

static void test_synthesize(void)
{
    CHECK_SUITE("synthesis");
    Buf a = BUF_INIT, b = BUF_INIT;
    const char *why = NULL;
    bool ok = audio_synthesize("nl", "Goedemorgen. Dit is een korte zin.", 42, &a, &why);
    ok = ok && audio_synthesize("nl", "Goedemorgen. Dit is een korte zin.", 42, &b, &why);
    CHECK("the same text gives the same bytes", ok && a.len == b.len && !memcmp(a.data, b.data, a.len),
          "ok=%d %zu/%zu why=%s", ok, a.len, b.len, why ? why : "");
    CHECK("the Ogg serial number is the one asked for", a.len > 18 && a.data[14] == 42 && !a.data[15],
          "serial byte %d", a.len > 18 ? a.data[14] : -1);
    double s = -1;
    ok = audio_duration("opus", (const unsigned char *)a.data, a.len, &s, &why);
    CHECK("it is Ogg Opus of a plausible length (1 to 6 s)", ok && s > 1 && s < 6, "s=%f", s);
    buf_free(&a);
    buf_free(&b);
}

int main(void)
{
    test_text();
    test_voices();
    test_ogg();
    test_mp4();
    test_mp3();
    test_synthesize();
    CHECK_DONE();
}
