/* Civil dates and times, written once: the proleptic Gregorian calendar,
 * parsing the front matter's forms, adding minutes, and printing the forms
 * Atom (RFC 3339) and iCalendar (RFC 5545) use. No time zones: a date is
 * what the school wrote (Dutch local time), a build stamp is UTC. */
#ifndef LOBGEN_DATE_H
#define LOBGEN_DATE_H

#include <stdbool.h>
#include <stdint.h>

typedef struct {
    int y, m, d;              /* y == 0: not set */
    int hour, minute, second; /* when has_time */
    bool has_time;
    int line, col; /* where it was written (front matter), 0 otherwise */
} Date;

typedef enum { DATE_OK, DATE_FORM, DATE_MONTH, DATE_DAY, DATE_YEAR, DATE_TIME } DateStatus;

bool date_is_leap(int y);
/* Days in month m (1..12) of year y. */
int date_days_in_month(int y, int m);
/* Days since 1970-01-01 (negative before), exact for any year (H. Hinnant). */
int64_t date_days_from_civil(int64_t y, int m, int d);
/* The inverse: the civil date of a day number. */
void date_civil_from_days(int64_t days, int *y, int *m, int *d);

/* Check "YYYY-MM-DD" or "YYYY-MM-DD HH:MM" (years 1900-2200, a real day
 * and time of day); on DATE_OK *out is filled (line/col untouched), else
 * the status says what is wrong, for the message. */
DateStatus date_check(const char *s, Date *out);
/* date_check(s, out) == DATE_OK; false for NULL. */
bool date_parse(const char *s, Date *out);

/* A Dutch local time (Europe/Amsterdam, EU rules since 1996: clocks go
 * forward on the last Sunday of March at 02:00 and back on the last Sunday
 * of October at 03:00): DST_SKIPPED when that time does not exist (02:00 to
 * 02:59 in spring), DST_TWICE when it happens twice (02:00 to 02:59 in
 * autumn), else DST_FINE (also for a date without a time). */
typedef enum { DST_FINE, DST_SKIPPED, DST_TWICE } DateDst;
DateDst date_amsterdam_dst(const Date *d);

/* Move d (a set date; its time of day counts as 00:00:00 without has_time)
 * forward by minutes >= 0, across days, months and years. */
void date_add_minutes(Date *d, long minutes);
/* The UTC date and time secs seconds after 1970-01-01T00:00:00Z. */
Date date_from_epoch(long long secs);
/* YYYYMMDD as a number, for ordering; 0 when d is unset. */
long date_key(const Date *d);

typedef enum {
    DATE_RFC3339_UTC, /* 2026-11-19T19:00:00Z (midnight when no time) */
    DATE_ICAL_DATE,   /* 20261119 */
    DATE_ICAL_LOCAL,  /* 20261119T190000 (floating, with a TZID beside it) */
    DATE_ICAL_UTC,    /* 20261119T190000Z */
    DATE_HTML_LOCAL,  /* 2026-11-19 or, with a time, 2026-11-19T19:00 (HTML's
                         valid date / local date-time string, <time datetime>) */
} DateForm;

/* d in form f into out (at least 32 bytes); returns out. */
char *date_format(const Date *d, DateForm f, char out[32]);

#endif
