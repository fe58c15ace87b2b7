#include "date.h"

#include <stdio.h>
#include <string.h>

bool date_is_leap(int y) { return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0; }

int date_days_in_month(int y, int m)
{
    static const int dm[12] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    return m == 2 && date_is_leap(y) ? 29 : dm[m - 1];
}

int64_t date_days_from_civil(int64_t y, int m, int d)
{
    y -= m <= 2;
    int64_t era = (y >= 0 ? y : y - 399) / 400;
    int64_t yoe = y - era * 400;
    int64_t doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
    int64_t doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    return era * 146097 + doe - 719468;
}

void date_civil_from_days(int64_t z, int *y, int *m, int *d)
{
    z += 719468;
    int64_t era = (z >= 0 ? z : z - 146096) / 146097;
    int64_t doe = z - era * 146097;
    int64_t yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
    int64_t doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    int64_t mp = (5 * doy + 2) / 153;
    *d = (int)(doy - (153 * mp + 2) / 5 + 1);
    *m = (int)(mp < 10 ? mp + 3 : mp - 9);
    *y = (int)(yoe + era * 400 + (*m <= 2));
}

static int digits(const char *s, int n)
{
    int v = 0;
    for (int i = 0; i < n; i++) {
        if (s[i] < '0' || s[i] > '9')
            return -1;
        v = v * 10 + (s[i] - '0');
    }
    return v;
}

DateStatus date_check(const char *s, Date *out)
{
    size_t n = strlen(s);
    if ((n != 10 && n != 16) || s[4] != '-' || s[7] != '-' || (n == 16 && (s[10] != ' ' || s[13] != ':')))
        return DATE_FORM;
    int y = digits(s, 4), m = digits(s + 5, 2), d = digits(s + 8, 2);
    int hh = 0, mm = 0;
    if (n == 16) {
        hh = digits(s + 11, 2);
        mm = digits(s + 14, 2);
    }
    if (y < 0 || m < 0 || d < 0 || hh < 0 || mm < 0)
        return DATE_FORM;
    if (y < 1900 || y > 2200)
        return DATE_YEAR;
    if (m < 1 || m > 12)
        return DATE_MONTH;
    if (d < 1 || d > date_days_in_month(y, m))
        return DATE_DAY;
    if (hh > 23 || mm > 59)
        return DATE_TIME;
    out->y = y;
    out->m = m;
    out->d = d;
    out->hour = hh;
    out->minute = mm;
    out->second = 0;
    out->has_time = n == 16;
    return DATE_OK;
}

bool date_parse(const char *s, Date *out) { return s && date_check(s, out) == DATE_OK; }

void date_add_minutes(Date *d, long minutes)
{
    long t = (d->has_time ? d->hour * 60L + d->minute : 0) + minutes;
    int64_t days = date_days_from_civil(d->y, d->m, d->d) + t / (24 * 60);
    t %= 24 * 60;
    date_civil_from_days(days, &d->y, &d->m, &d->d);
    d->hour = (int)(t / 60);
    d->minute = (int)(t % 60);
}

Date date_from_epoch(long long secs)
{
    Date r = {0};
    long long days = secs / 86400, rest = secs % 86400;
    if (rest < 0) {
        rest += 86400;
        days--;
    }
    date_civil_from_days(days, &r.y, &r.m, &r.d);
    r.hour = (int)(rest / 3600);
    r.minute = (int)(rest / 60 % 60);
    r.second = (int)(rest % 60);
    r.has_time = true;
    return r;
}

long date_key(const Date *d) { return d->y ? d->y * 10000L + d->m * 100 + d->d : 0; }

/* v (0..10^w - 1) in w digits with leading zeros, as printf's %0wd; returns
 * the end. */
static char *put_digits(char *p, int v, int w)
{
    for (int i = w - 1; i >= 0; i--, v /= 10)
        p[i] = (char)('0' + v % 10);
    return p + w;
}

char *date_format(const Date *d, DateForm f, char out[32])
{
    int h = d->has_time ? d->hour : 0, mi = d->has_time ? d->minute : 0, s = d->has_time ? d->second : 0;
    /* by hand where every field fits its width (every valid date: snprintf
     * per date was a third of the feed's and calendar's cost), else printf */
    if (d->y >= 0 && d->y <= 9999 && d->m >= 0 && d->m <= 99 && d->d >= 0 && d->d <= 99 && h >= 0 && h <= 99 &&
        mi >= 0 && mi <= 99 && s >= 0 && s <= 99) {
        bool dashes = f == DATE_RFC3339_UTC || f == DATE_HTML_LOCAL;
        bool time = f != DATE_ICAL_DATE && (f != DATE_HTML_LOCAL || d->has_time);
        char *p = put_digits(out, d->y, 4);
        if (dashes)
            *p++ = '-';
        p = put_digits(p, d->m, 2);
        if (dashes)
            *p++ = '-';
        p = put_digits(p, d->d, 2);
        if (time) {
            *p++ = 'T';
            p = put_digits(p, h, 2);
            if (dashes)
                *p++ = ':';
            p = put_digits(p, mi, 2);
            if (f != DATE_HTML_LOCAL) {
                if (dashes)
                    *p++ = ':';
                p = put_digits(p, s, 2);
            }
            if (f == DATE_RFC3339_UTC || f == DATE_ICAL_UTC)
                *p++ = 'Z';
        }
        *p = '\0';
        return out;
    }
    switch (f) {
    case DATE_RFC3339_UTC:
        snprintf(out, 32, "%04d-%02d-%02dT%02d:%02d:%02dZ", d->y, d->m, d->d, h, mi, s);
        break;
    case DATE_ICAL_DATE:
        snprintf(out, 32, "%04d%02d%02d", d->y, d->m, d->d);
        break;
    case DATE_ICAL_LOCAL:
        snprintf(out, 32, "%04d%02d%02dT%02d%02d%02d", d->y, d->m, d->d, h, mi, s);
        break;
    case DATE_ICAL_UTC:
        snprintf(out, 32, "%04d%02d%02dT%02d%02d%02dZ", d->y, d->m, d->d, h, mi, s);
        break;
    case DATE_HTML_LOCAL:
        if (d->has_time)
            snprintf(out, 32, "%04d-%02d-%02dT%02d:%02d", d->y, d->m, d->d, h, mi);
        else
            snprintf(out, 32, "%04d-%02d-%02d", d->y, d->m, d->d);
        break;
    }
    return out;
}

/* The day of the month of the last Sunday of month m in year y. */
static int last_sunday(int y, int m)
{
    int last = date_days_in_month(y, m);
    int64_t days = date_days_from_civil(y, m, last);
    int wd = (int)(((days % 7) + 11) % 7); /* 1970-01-01 was a Thursday: 0 = Sunday */
    return last - wd;
}

DateDst date_amsterdam_dst(const Date *d)
{
    if (!d->y || !d->has_time || d->hour != 2 || d->y < 1996)
        return DST_FINE;
    if (d->m == 3 && d->d == last_sunday(d->y, 3))
        return DST_SKIPPED;
    if (d->m == 10 && d->d == last_sunday(d->y, 10))
        return DST_TWICE;
    return DST_FINE;
}
