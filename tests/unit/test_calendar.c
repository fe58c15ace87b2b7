/* agenda.ics: what a parent's phone imports must be valid RFC 5545, with the
 * right days and times, escaped text and correctly folded lines. */
#include "calendar.h"
#include "check.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static Date day(int y, int m, int d) { return (Date){.y = y, .m = m, .d = d}; }

static Date at_time(int y, int m, int d, int hh, int mm)
{
    return (Date){.y = y, .m = m, .d = d, .hour = hh, .minute = mm, .has_time = true};
}

/* The event as text, and unfolded (CRLF + space removed) for reading. */
typedef struct {
    Buf raw;
    Buf unfolded;
} Ics;

static Ics make(const char *summary, const char *description, const Date *when, int duration)
{
    Ics r = {BUF_INIT, BUF_INIT};
    calendar_event(&r.raw, "ouderavonden/presentatie/nl@lob.example.nl", "20260301T120000Z", summary, description,
                   "https://lob.example.nl/nl/ouderavonden/presentatie/", when, duration, "Europe/Amsterdam");
    const char *s = buf_cstr(&r.raw);
    for (size_t i = 0; i < r.raw.len; i++) {
        if (s[i] == '\r' && s[i + 1] == '\n' && s[i + 2] == ' ') {
            i += 2;
            continue;
        }
        buf_putc(&r.unfolded, s[i]);
    }
    return r;
}

static void ics_free(Ics *r)
{
    buf_free(&r->raw);
    buf_free(&r->unfolded);
}

/* True when the unfolded text has this exact line. */
static bool has_line(Ics *r, const char *line)
{
    char want[1024];
    snprintf(want, sizeof want, "\r\n%s\r\n", line);
    return strstr(buf_cstr(&r->unfolded), want) != NULL;
}

static void all_day(const char *name, Date d, const char *start, const char *end)
{
    Ics r = make("Inleveren", NULL, &d, 0);
    char s[64], e[64];
    snprintf(s, sizeof s, "DTSTART;VALUE=DATE:%s", start);
    snprintf(e, sizeof e, "DTEND;VALUE=DATE:%s", end);
    CHECK(name, has_line(&r, s) && has_line(&r, e), "want %s .. %s in:\n%s", start, end, buf_cstr(&r.unfolded));
    ics_free(&r);
}

static void test_all_day(void)
{
    CHECK_SUITE("all-day");
    all_day("an ordinary day ends the next day", day(2026, 3, 12), "20260312", "20260313");
    all_day("the last of a 30-day month", day(2026, 4, 30), "20260430", "20260501");
    all_day("31 December ends on 1 January", day(2025, 12, 31), "20251231", "20260101");
    all_day("28 February in a leap year", day(2024, 2, 28), "20240228", "20240229");
    all_day("29 February in a leap year", day(2024, 2, 29), "20240229", "20240301");
    all_day("28 February in a common year", day(2025, 2, 28), "20250228", "20250301");
    all_day("28 February 1900 (not a leap year)", day(1900, 2, 28), "19000228", "19000301");
    all_day("28 February 2000 (a leap year)", day(2000, 2, 28), "20000228", "20000229");

    Date d = day(2026, 10, 9);
    Ics r = make("Inleveren", NULL, &d, 0);
    const char *s = buf_cstr(&r.raw);
    CHECK("an all-day event has no time zone", !strstr(s, "VTIMEZONE") && !strstr(s, "TZID"), "");
    CHECK("no DESCRIPTION when there is none", !strstr(s, "DESCRIPTION"), "");
    CHECK("starts with BEGIN:VCALENDAR", !strncmp(s, "BEGIN:VCALENDAR\r\nVERSION:2.0\r\n", 30), "");
    CHECK("ends with END:VCALENDAR", r.raw.len > 15 && !strcmp(s + r.raw.len - 15, "END:VCALENDAR\r\n"), "");
    CHECK("has the uid", has_line(&r, "UID:ouderavonden/presentatie/nl@lob.example.nl"), "");
    CHECK("has the stamp", has_line(&r, "DTSTAMP:20260301T120000Z"), "");
    CHECK("has the url unescaped", has_line(&r, "URL:https://lob.example.nl/nl/ouderavonden/presentatie/"), "");
    CHECK("has a PRODID", strstr(s, "\r\nPRODID:") != NULL, "");
    CHECK("VEVENT inside VCALENDAR", strstr(s, "BEGIN:VEVENT") && strstr(s, "END:VEVENT\r\nEND:VCALENDAR"), "");
    ics_free(&r);
}

static void test_timed(void)
{
    CHECK_SUITE("timed");
    Date d = at_time(2026, 3, 12, 19, 30);
    Ics r = make("Ouderavond", "Kom samen met uw kind.", &d, 90);
    const char *s = buf_cstr(&r.unfolded);
    CHECK("start in local time with TZID", has_line(&r, "DTSTART;TZID=Europe/Amsterdam:20260312T193000"), "%s", s);
    CHECK("end after the duration", has_line(&r, "DTEND;TZID=Europe/Amsterdam:20260312T210000"), "%s", s);
    CHECK("the zone is defined", has_line(&r, "BEGIN:VTIMEZONE") && has_line(&r, "TZID:Europe/Amsterdam") &&
                                     has_line(&r, "END:VTIMEZONE"),
          "");
    CHECK("with winter and summer time", has_line(&r, "TZOFFSETTO:+0100") && has_line(&r, "TZOFFSETTO:+0200") &&
                                             has_line(&r, "RRULE:FREQ=YEARLY;BYMONTH=3;BYDAY=-1SU"),
          "");
    const char *tz = strstr(s, "BEGIN:VTIMEZONE"), *ev = strstr(s, "BEGIN:VEVENT");
    CHECK("the zone comes before the event", tz && ev && tz < ev, "");
    CHECK("no VALUE=DATE", !strstr(s, "VALUE=DATE"), "");
    CHECK("the description is there", has_line(&r, "DESCRIPTION:Kom samen met uw kind."), "");
    ics_free(&r);

    d = at_time(2026, 11, 2, 15, 45);
    r = make("Gesprek", NULL, &d, 0);
    CHECK("no duration: one hour", has_line(&r, "DTEND;TZID=Europe/Amsterdam:20261102T164500"), "%s",
          buf_cstr(&r.unfolded));
    ics_free(&r);

    d = at_time(2026, 1, 31, 23, 30);
    r = make("Laat", NULL, &d, 45);
    CHECK("past midnight into the next month", has_line(&r, "DTEND;TZID=Europe/Amsterdam:20260201T001500"), "%s",
          buf_cstr(&r.unfolded));
    ics_free(&r);

    d = at_time(2025, 12, 31, 22, 0);
    r = make("Oud en nieuw", NULL, &d, 150);
    CHECK("past midnight into the next year", has_line(&r, "DTEND;TZID=Europe/Amsterdam:20260101T003000"), "%s",
          buf_cstr(&r.unfolded));
    ics_free(&r);

    d = at_time(2024, 2, 28, 20, 0);
    r = make("Schrikkel", NULL, &d, 5 * 60);
    CHECK("past midnight on 28 February of a leap year", has_line(&r, "DTEND;TZID=Europe/Amsterdam:20240229T010000"),
          "%s", buf_cstr(&r.unfolded));
    ics_free(&r);

    d = at_time(2026, 3, 12, 9, 5);
    r = make("Kort", NULL, &d, 20);
    CHECK("minutes keep two digits", has_line(&r, "DTSTART;TZID=Europe/Amsterdam:20260312T090500") &&
                                         has_line(&r, "DTEND;TZID=Europe/Amsterdam:20260312T092500"),
          "%s", buf_cstr(&r.unfolded));
    ics_free(&r);
}

static void test_escaping(void)
{
    CHECK_SUITE("escaping");
    Date d = day(2026, 5, 1);
    Ics r = make("Avond, deel 1; met C:\\pad", "Eerste regel\nTweede, en; \\ derde\r\nVierde", &d, 0);
    CHECK("SUMMARY escapes , ; and \\", has_line(&r, "SUMMARY:Avond\\, deel 1\\; met C:\\\\pad"), "%s",
          buf_cstr(&r.unfolded));
    CHECK("DESCRIPTION escapes newlines, and drops CR", has_line(&r, "DESCRIPTION:Eerste regel\\nTweede\\, en\\; \\\\ derde\\nVierde"),
          "%s", buf_cstr(&r.unfolded));
    ics_free(&r);
}

/* Every physical line is at most 75 octets, ends in CRLF, and a fold is
 * never inside a UTF-8 sequence. */
static bool lines_ok(const Buf *b, char *why, size_t why_len)
{
    const char *s = b->data;
    size_t start = 0;
    for (size_t i = 0; i < b->len; i++) {
        if (s[i] == '\n' && (i == 0 || s[i - 1] != '\r')) {
            snprintf(why, why_len, "bare LF at %zu", i);
            return false;
        }
        if (s[i] == '\r' && (i + 1 >= b->len || s[i + 1] != '\n')) {
            snprintf(why, why_len, "bare CR at %zu", i);
            return false;
        }
        if (s[i] == '\n') {
            size_t len = i - 1 - start;
            if (len > 75) {
                snprintf(why, why_len, "a line of %zu octets at %zu", len, start);
                return false;
            }
            /* a continuation line: its first byte after the space starts a character */
            if (i + 2 < b->len && s[i + 1] == ' ' && ((unsigned char)s[i + 2] & 0xC0) == 0x80) {
                snprintf(why, why_len, "a fold inside a UTF-8 sequence at %zu", i);
                return false;
            }
            start = i + 1;
        }
    }
    if (b->len < 2 || s[b->len - 2] != '\r' || s[b->len - 1] != '\n') {
        snprintf(why, why_len, "does not end in CRLF");
        return false;
    }
    return true;
}

static void test_folding(void)
{
    CHECK_SUITE("folding");
    Date d = day(2026, 5, 1);
    char why[128] = "";

    /* 2-, 3- and 4-byte characters, shifted so that every offset meets the fold */
    const char *pieces[] = {"é", "€", "😀", "ë"};
    bool all = true, roundtrip = true, folded = false;
    for (int shift = 0; shift < 4; shift++) {
        Buf text = BUF_INIT;
        for (int i = 0; i < shift; i++)
            buf_putc(&text, 'x');
        for (int i = 0; i < 60; i++)
            buf_puts(&text, pieces[i % 4]);
        Ics r = make(buf_cstr(&text), buf_cstr(&text), &d, 0);
        if (!lines_ok(&r.raw, why, sizeof why)) {
            all = false;
            printf("    shift %d: %s\n", shift, why);
        }
        Buf want = BUF_INIT;
        buf_printf(&want, "SUMMARY:%s", buf_cstr(&text));
        roundtrip &= has_line(&r, want.data);
        folded |= strstr(buf_cstr(&r.raw), "\r\n ") != NULL;
        buf_free(&want);
        buf_free(&text);
        ics_free(&r);
    }
    CHECK("long UTF-8 lines are folded", folded, "");
    CHECK("lines of at most 75 octets, CRLF, never split inside a character", all, "%s", why);
    CHECK("unfolding gives back the text", roundtrip, "");

    Buf ascii = BUF_INIT;
    for (int i = 0; i < 200; i++)
        buf_putc(&ascii, (char)('a' + i % 26));
    Ics r = make(buf_cstr(&ascii), NULL, &d, 0);
    const char *s = buf_cstr(&r.raw);
    const char *sum = strstr(s, "SUMMARY:");
    const char *crlf = sum ? strstr(sum, "\r\n") : NULL;
    CHECK("an ASCII line is folded at exactly 75 octets", sum && crlf && crlf - sum == 75, "first part %td",
          sum && crlf ? crlf - sum : -1);
    CHECK("continuation lines start with one space", crlf && crlf[2] == ' ' && crlf[3] != ' ', "");
    CHECK("ASCII lines are valid too", lines_ok(&r.raw, why, sizeof why), "%s", why);
    Buf want = BUF_INIT;
    buf_printf(&want, "SUMMARY:%s", buf_cstr(&ascii));
    CHECK("and unfold to the text", has_line(&r, want.data), "");
    buf_free(&want);
    buf_free(&ascii);
    ics_free(&r);

    r = make("Kort", NULL, &d, 0);
    CHECK("a short line is not folded", has_line(&r, "SUMMARY:Kort") && !strstr(buf_cstr(&r.raw), "\r\n "), "");
    ics_free(&r);

    /* an escape sequence that meets the fold still unfolds to the same text */
    Buf commas = BUF_INIT;
    for (int i = 0; i < 70; i++)
        buf_puts(&commas, "a,");
    r = make(buf_cstr(&commas), NULL, &d, 0);
    CHECK("escaped text folds validly", lines_ok(&r.raw, why, sizeof why), "%s", why);
    CHECK("and unfolds with every comma escaped", strstr(buf_cstr(&r.unfolded), "a\\,a\\,a\\,") &&
                                                      !strstr(buf_cstr(&r.unfolded), "a,"),
          "");
    buf_free(&commas);
    ics_free(&r);
}

int main(void)
{
    test_all_day();
    test_timed();
    test_escaping();
    test_folding();
    CHECK_DONE();
}
