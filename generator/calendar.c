#include "calendar.h"
#include "bidi.h"

#include "pagedata.h"

#include <stdbool.h>
#include <stdio.h>
#include <string.h>

/* RFC 5545 3.3.11: escape backslash, semicolon, comma and newlines. */
static void escape_text(Buf *b, const char *s)
{
    for (; s && *s; s++) {
        switch (*s) {
        case '\\': buf_puts(b, "\\\\"); break;
        case ';': buf_puts(b, "\\;"); break;
        case ',': buf_puts(b, "\\,"); break;
        case '\n': buf_puts(b, "\\n"); break;
        case '\r': break;
        default: buf_putc(b, *s);
        }
    }
}

/* RFC 5545 3.1: lines longer than 75 octets are folded with CRLF + space,
 * never inside a UTF-8 sequence. */
static void put_line(Buf *out, const char *line, size_t len)
{
    if (len <= 75) { /* most lines: nothing to fold */
        buf_append(out, line, len);
        buf_append(out, "\r\n", 2);
        return;
    }
    size_t col = 0;
    for (size_t i = 0; i < len;) {
        size_t n = 1;
        unsigned char c = (unsigned char)line[i];
        if (c >= 0xF0) n = 4;
        else if (c >= 0xE0) n = 3;
        else if (c >= 0xC0) n = 2;
        if (i + n > len)
            n = len - i;
        if (col + n > 75) {
            buf_puts(out, "\r\n ");
            col = 1;
        }
        buf_append(out, line + i, n);
        col += n;
        i += n;
    }
    buf_puts(out, "\r\n");
}

static void prop(Buf *out, const char *name, const char *value, bool escape)
{
    Buf l = BUF_INIT;
    buf_puts(&l, name);
    if (!value) { /* a whole line given as name */
        put_line(out, l.data, l.len);
        buf_free(&l);
        return;
    }
    buf_putc(&l, ':');
    if (escape)
        escape_text(&l, value);
    else
        buf_puts(&l, value);
    put_line(out, l.data, l.len);
    buf_free(&l);
}

void calendar_event(Buf *out, const char *uid, const char *stamp, const char *summary,
                    const char *description, const char *url, const Date *when, int duration,
                    const char *tz)
{
    char v[64];
    prop(out, "BEGIN", "VCALENDAR", false);
    prop(out, "VERSION", "2.0", false);
    prop(out, "PRODID", "-//lobgen//lobgen " LOBGEN_VERSION "//NL", false);
    prop(out, "CALSCALE", "GREGORIAN", false);
    prop(out, "METHOD", "PUBLISH", false);
    if (when->has_time) {
        /* RFC 5545 3.2.19: a TZID must be defined by a VTIMEZONE; Dutch
         * schools keep Central European time with EU summer time. */
        static const char *const vtz[] = {
            "BEGIN:VTIMEZONE", NULL, "BEGIN:STANDARD", "DTSTART:19701025T030000",
            "RRULE:FREQ=YEARLY;BYMONTH=10;BYDAY=-1SU", "TZOFFSETFROM:+0200", "TZOFFSETTO:+0100",
            "TZNAME:CET", "END:STANDARD", "BEGIN:DAYLIGHT", "DTSTART:19700329T020000",
            "RRULE:FREQ=YEARLY;BYMONTH=3;BYDAY=-1SU", "TZOFFSETFROM:+0100", "TZOFFSETTO:+0200",
            "TZNAME:CEST", "END:DAYLIGHT", "END:VTIMEZONE"};
        for (size_t i = 0; i < sizeof vtz / sizeof vtz[0]; i++) {
            if (vtz[i])
                prop(out, vtz[i], NULL, false);
            else
                prop(out, "TZID", tz, false);
        }
    }
    prop(out, "BEGIN", "VEVENT", false);
    prop(out, "UID", uid, false);
    prop(out, "DTSTAMP", stamp, false);
    if (when->has_time) {
        Date start = *when, end = *when;
        start.second = end.second = 0;
        date_add_minutes(&end, duration > 0 ? duration : 60);
        Buf n = BUF_INIT;
        date_format(&start, DATE_ICAL_LOCAL, v);
        buf_puts(&n, "DTSTART;TZID=");
        buf_puts(&n, tz);
        prop(out, n.data, v, false);
        buf_clear(&n);
        date_format(&end, DATE_ICAL_LOCAL, v);
        buf_puts(&n, "DTEND;TZID=");
        buf_puts(&n, tz);
        prop(out, n.data, v, false);
        buf_free(&n);
    } else {
        Date end = *when;
        end.has_time = false;
        date_add_minutes(&end, 24 * 60);
        date_format(when, DATE_ICAL_DATE, v);
        prop(out, "DTSTART;VALUE=DATE", v, false);
        date_format(&end, DATE_ICAL_DATE, v);
        prop(out, "DTEND;VALUE=DATE", v, false);
    }
    prop(out, "SUMMARY", summary, true);
    if (description && *description)
        prop(out, "DESCRIPTION", description, true);
    if (url)
        prop(out, "URL", url, false);
    prop(out, "END", "VEVENT", false);
    prop(out, "END", "VCALENDAR", false);
}

/* agenda.ics of a dated material. */
void page_ics(PageStage *st, const PageJob *j, Arena *a, Buf *out, Diags *d)
{
    Build *b = st->b;
    const Site *site = b->in->site;
    size_t l = j->l;
    const char *lang = lang_tag(b, l);
    (void)out;
    const Item *it = site->items[j->item];
    const Material *src = it->source;
    const Material *shown = it->by_lang[l] ? it->by_lang[l] : src;
    Value *p = b->material[j->item][l];
    const Date *when = src->date.y ? &src->date : &src->deadline;
    const char *host = b->in->cfg->base_url;
    const char *hs = strstr(host, "://");
    host = hs ? hs + 3 : host;
    char *uid = arena_cat(a, kind_names[it->kind], "-", it->slug, "-", lang, "@", host, (char *)NULL);
    for (char *q = strchr(uid, '@'); q && *q; q++)
        if (*q == '/')
            *q = '-';
    Buf o = BUF_INIT;
    const char *summary = shown->title, *description = shown->summary;
    /* a calendar entry is plain text: in a right-to-left language its
     * left-to-right runs are isolated, as in the announcement (bidi.h) */
    bool rtl = locale_is_rtl(b->in->locales[l]);
    if (!src->date.y)
        summary = arena_cat(a, T(b, l, "deadline_label"), ": ",
                            rtl ? bidi_isolate_value(a, shown->title) : shown->title, (char *)NULL);
    if (rtl) {
        summary = bidi_rtl_text(a, summary);
        description = bidi_rtl_text(a, description);
    }
    /* RFC 5545 3.8.7.2: with METHOD, DTSTAMP is when this iCalendar object
     * was created: the last change of what it shows (lastmod.h, clamped to
     * SOURCE_DATE_EPOCH), so a file changes only with its material, not
     * with every edit to the site; the build stamp where that is unknown */
    const char *stamp = b->stamp_ics;
    long long t = item_lastmod(b, j->item, l);
    char made[32];
    if (t >= 0) {
        Date at = date_from_epoch(t);
        stamp = date_format(&at, DATE_ICAL_UTC, made);
    }
    calendar_event(&o, uid, stamp, summary, description, value_cstr(value_get(p, "url_abs")), when, src->duration,
                   "Europe/Amsterdam");
    emit_file(st, arena_cat(a, lang, "/", kind_names[it->kind], "/", it->slug, "/agenda.ics", (char *)NULL), o.data,
              o.len, d);
    buf_free(&o);
}
