/* Civil dates (date.h): the Gregorian rules, parsing the front matter's
 * forms, arithmetic across month and year ends, and the RFC 3339 and
 * iCalendar forms. Expected values come from the calendar itself (and
 * Python's datetime for the epoch seconds), not from lobgen's output. */
#include "check.h"
#include "date.h"

#include <stdio.h>
#include <string.h>

static const char *fmt(Date d, DateForm f)
{
    static char out[32];
    return date_format(&d, f, out);
}

static Date at(int y, int m, int d, int hh, int mm) { return (Date){.y = y, .m = m, .d = d, .hour = hh, .minute = mm, .has_time = true}; }

int main(void)
{
    CHECK_SUITE("date");
    CHECK("leap years: 2000 and 2024 are, 1900 and 2100 are not",
          date_is_leap(2000) && date_is_leap(2024) && !date_is_leap(1900) && !date_is_leap(2100), "");
    CHECK("February has 29 days in 2028, 28 in 2027",
          date_days_in_month(2028, 2) == 29 && date_days_in_month(2027, 2) == 28, "");
    CHECK("day numbers: 1970-01-01 is 0, 2000-03-01 is 11017",
          date_days_from_civil(1970, 1, 1) == 0 && date_days_from_civil(2000, 3, 1) == 11017, "%lld",
          (long long)date_days_from_civil(2000, 3, 1));

    /* every day from 1900 to 2200 survives the round trip and follows the one before */
    bool round = true;
    int64_t prev = date_days_from_civil(1899, 12, 31);
    for (int y = 1900; y <= 2200 && round; y++)
        for (int m = 1; m <= 12 && round; m++)
            for (int d = 1; d <= date_days_in_month(y, m) && round; d++) {
                int64_t n = date_days_from_civil(y, m, d);
                int yy, mm, dd;
                date_civil_from_days(n, &yy, &mm, &dd);
                round = n == prev + 1 && yy == y && mm == m && dd == d;
                prev = n;
                if (!round)
                    printf("at %04d-%02d-%02d\n", y, m, d);
            }
    CHECK("1900-2200: day numbers are consecutive and convert back", round, "");

    Date d = at(2028, 2, 28, 23, 30);
    date_add_minutes(&d, 60);
    CHECK_STR("23:30 plus an hour on 28 February of a leap year", fmt(d, DATE_ICAL_LOCAL), "20280229T003000");
    d = at(2026, 12, 31, 23, 0);
    date_add_minutes(&d, 120);
    CHECK_STR("across the year's end", fmt(d, DATE_ICAL_LOCAL), "20270101T010000");
    d = (Date){.y = 2027, .m = 2, .d = 28};
    date_add_minutes(&d, 24 * 60);
    CHECK_STR("an all-day date plus a day", fmt(d, DATE_ICAL_DATE), "20270301");

    CHECK_STR("epoch 0 is 1970-01-01T00:00:00Z", fmt(date_from_epoch(0), DATE_RFC3339_UTC), "1970-01-01T00:00:00Z");
    CHECK_STR("epoch 1790000000 (datetime.utcfromtimestamp)", fmt(date_from_epoch(1790000000), DATE_RFC3339_UTC),
              "2026-09-21T14:13:20Z");
    CHECK_STR("epoch -1 is the last second of 1969", fmt(date_from_epoch(-1), DATE_ICAL_UTC), "19691231T235959Z");
    CHECK_STR("a date without time is midnight in RFC 3339", fmt((Date){.y = 2027, .m = 2, .d = 2}, DATE_RFC3339_UTC),
              "2027-02-02T00:00:00Z");
    /* HTML's valid date string and valid local date and time string
     * (HTML 2.4.5.2, 2.4.5.5): no seconds, no zone */
    CHECK_STR("<time datetime>: a date", fmt((Date){.y = 2027, .m = 2, .d = 2}, DATE_HTML_LOCAL), "2027-02-02");
    CHECK_STR("<time datetime>: a date and time", fmt(at(2026, 11, 19, 9, 5), DATE_HTML_LOCAL), "2026-11-19T09:05");
    CHECK_STR("iCalendar DATE-TIME in UTC with seconds (RFC 5545 3.3.5)",
              fmt((Date){.y = 2026, .m = 1, .d = 2, .hour = 3, .minute = 4, .second = 5, .has_time = true}, DATE_ICAL_UTC),
              "20260102T030405Z");
    /* four-digit years are zero-padded (RFC 3339 date-fullyear); the
     * earliest and latest of them, and past them what %04d writes */
    CHECK_STR("year 1 is 0001", fmt((Date){.y = 1, .m = 1, .d = 1}, DATE_ICAL_DATE), "00010101");
    CHECK_STR("year 9999", fmt(at(9999, 12, 31, 23, 59), DATE_RFC3339_UTC), "9999-12-31T23:59:00Z");
    CHECK_STR("year 10000 keeps its five digits", fmt((Date){.y = 10000, .m = 1, .d = 1}, DATE_ICAL_DATE), "100000101");

    Date p = {0};
    CHECK("YYYY-MM-DD HH:MM parses", date_check("2026-11-19 19:30", &p) == DATE_OK && p.has_time && p.hour == 19 &&
                                         p.minute == 30 && p.d == 19, "");
    CHECK("29 February 2027 is not a day", date_check("2027-02-29", &p) == DATE_DAY, "");
    CHECK("29 February 2028 is", date_check("2028-02-29", &p) == DATE_OK, "");
    CHECK("month 13, hour 24, year 1800 and a slash form are told apart",
          date_check("2026-13-01", &p) == DATE_MONTH && date_check("2026-01-01 24:00", &p) == DATE_TIME &&
              date_check("1800-01-01", &p) == DATE_YEAR && date_check("2026/01/01", &p) == DATE_FORM,
          "");
    CHECK("date_key orders by day; unset is 0",
          date_key(&(Date){.y = 2027, .m = 1, .d = 2}) > date_key(&(Date){.y = 2026, .m = 12, .d = 31}) &&
              date_key(&(Date){0}) == 0,
          "");
    CHECK_DONE();
}
