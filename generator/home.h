/* A language's home page: per leerjaar the few materials a parent needs
 * first, and a link to the year's page with all of them. A home with every
 * material as a card was 4.8 MB and 90,000 elements at 10,000 x 8, half a
 * minute on a slow phone connection. */
#ifndef LOBGEN_HOME_H
#define LOBGEN_HOME_H

#include "date.h"
#include "site.h"
#include "value.h"

/* The home's materials of one leerjaar: of year[0..n) (the year's line,
 * site_leerjaar's order) at most max (0: all), chosen and ordered by their
 * date, or their deadline when they have no date:
 *   1. on or after today (the build's stamp day), soonest first;
 *   2. before today, the most recent first;
 *   3. without a date or deadline, in the year's order.
 * Ties keep the year's order. A pure function of its arguments, so a build
 * with the same stamp day chooses the same (and the page key, inputkey.h,
 * holds the day). Returns an array in a; its length in *count. */
Item **home_choose(Arena *a, Item *const *year, size_t n, const Date *today, size_t max, size_t *count);

#endif
