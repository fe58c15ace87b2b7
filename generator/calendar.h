/* agenda.ics (RFC 5545) for a dated activity, so parents can put an
 * evening, a conversation round or a deadline in their phone's calendar. */
#ifndef LOBGEN_CALENDAR_H
#define LOBGEN_CALENDAR_H

#include "buf.h"
#include "frontmatter.h"

/* One VEVENT in a VCALENDAR. uid must be stable across builds (e.g.
 * "kind/slug/lang@host"). when: timed (with duration minutes, 60 when 0)
 * or all-day. stamp: DTSTAMP as YYYYMMDDTHHMMSSZ (from SOURCE_DATE_EPOCH
 * or the content, never the clock, so builds are reproducible). */
void calendar_event(Buf *out, const char *uid, const char *stamp, const char *summary,
                    const char *description, const char *url, const Date *when, int duration,
                    const char *location_tz);

#endif
