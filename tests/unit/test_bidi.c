/* Isolating left-to-right runs in right-to-left plain text (bidi.h,
 * UAX #9): which runs are wrapped in FSI ... PDI, and that nothing is
 * wrapped twice. The reader's view (the visual order a bidi engine makes
 * of the announcement) is checked in tests/golden/bidi.sh with FriBidi. */
#include "bidi.h"
#include "check.h"

#include <stdlib.h>

#define FSI "\xE2\x81\xA8"
#define PDI "\xE2\x81\xA9"
#define AR "\xD8\xB9\xD8\xB1\xD8\xA8" /* an Arabic word */

static char *iso(const char *s)
{
    static char out[1024];
    Buf b = BUF_INIT;
    bidi_isolate_ltr_runs(s, strlen(s), &b);
    snprintf(out, sizeof out, "%s", b.data ? b.data : "");
    buf_free(&b);
    return out;
}

int main(void)
{
    CHECK_SUITE("bidi");
    CHECK_STR("a URL keeps its final slash inside the isolate", iso(AR " https://x.nl/ar/ " AR),
              AR " " FSI "https://x.nl/ar/" PDI " " AR);
    CHECK_STR("a Latin phrase that starts with a digit is one run", iso(AR " 3 dagen " AR),
              AR " " FSI "3 dagen" PDI " " AR);
    CHECK_STR("a number in Latin digits is isolated", iso(AR " 1 " AR), AR " " FSI "1" PDI " " AR);
    CHECK_STR("a Latin word in brackets: the brackets and full stop stay the sentence's",
              iso(AR " (teamleider)."), AR " (" FSI "teamleider" PDI ").");
    CHECK_STR("a quoted Dutch question keeps its question mark", iso(AR " \xC2\xABWat kan ik?\xC2\xBB " AR),
              AR " \xC2\xAB" FSI "Wat kan ik?" PDI "\xC2\xBB " AR);
    CHECK_STR("a phone number keeps its plus", iso(AR " +31 20 123 " AR), AR " " FSI "+31 20 123" PDI " " AR);
    CHECK_STR("Latin words separated by Arabic are two runs", iso("mbo " AR " havo"),
              FSI "mbo" PDI " " AR " " FSI "havo" PDI);
    CHECK_STR("Arabic-Indic digits are not isolated", iso(AR " \xD9\xA1\xD9\xA2 " AR), AR " \xD9\xA1\xD9\xA2 " AR);
    CHECK_STR("text already isolated is not wrapped again", iso(AR " " FSI "Wat kan ik?" PDI " " AR),
              AR " " FSI "Wat kan ik?" PDI " " AR);
    char twice[1024];
    snprintf(twice, sizeof twice, "%s", iso(AR " mbo 2 " AR " https://x.nl/a/."));
    CHECK_STR("isolating twice changes nothing more", iso(twice), twice);
    CHECK_STR("a run does not cross a line break", iso("abc\ndef"), FSI "abc" PDI "\n" FSI "def" PDI);
    CHECK_STR("Arabic alone is unchanged", iso(AR " " AR "."), AR " " AR ".");

    Arena *a = arena_new();
    CHECK_STR("a Dutch value is one isolate", bidi_isolate_value(a, "Wat kan ik?"), FSI "Wat kan ik?" PDI);
    CHECK_STR("an Arabic value has its Latin runs isolated inside its own isolate",
              bidi_isolate_value(a, AR " (mbo) 2"), FSI AR " (" FSI "mbo" PDI ") " FSI "2" PDI PDI);
    CHECK_STR("an empty value stays empty", bidi_isolate_value(a, ""), "");
    CHECK("an Arabic value that starts with a Latin word is right-to-left once that word is isolated",
          !bidi_starts_rtl("mbo " AR) && bidi_starts_rtl(FSI "mbo" PDI " " AR), "");
    arena_free(a);
    return check_failed_ ? 1 : 0;
}
