/* The home page's choice (home.h) and a year's pages (yearpage.h): which
 * materials come first from the stamp day, in which order, and how a year
 * is cut into pages of 100. The expected orders follow from the rule the
 * documentation gives (coming soonest first, then passed most recent
 * first, then undated in the year's order), worked out by hand. */
#include "check.h"
#include "home.h"
#include "yearpage.h"

#include <string.h>

enum { N = 9 };
static Material mats[N];
static Item items[N];
static Item *year[N];

/* material k with date (or deadline when due) d, time hh:mm when hh >= 0 */
static void mk(int k, const char *slug, bool due, int y, int m, int d, int hh, int mm)
{
    memset(&mats[k], 0, sizeof mats[k]);
    Date dt = {.y = y, .m = m, .d = d, .hour = hh < 0 ? 0 : hh, .minute = mm, .has_time = hh >= 0};
    if (due)
        mats[k].deadline = dt;
    else
        mats[k].date = dt;
    items[k] = (Item){.slug = slug, .source = &mats[k], .order = k};
    year[k] = &items[k];
}

static const char *order(Item **r, size_t n)
{
    static char out[256];
    out[0] = 0;
    for (size_t k = 0; k < n; k++) {
        if (k)
            strcat(out, " ");
        strcat(out, r[k]->slug);
    }
    return out;
}

int main(void)
{
    CHECK_SUITE("home");
    /* in the year's order (the line), with the stamp day 2026-11-15 */
    mk(0, "undated-a", false, 0, 0, 0, -1, 0);
    mk(1, "long-ago", false, 2026, 9, 1, 18, 0);
    mk(2, "evening-today", false, 2026, 11, 15, 19, 30);
    mk(3, "morning-today", false, 2026, 11, 15, 9, 0);
    mk(4, "due-yesterday", true, 2026, 11, 14, -1, 0);
    mk(5, "soon", false, 2026, 11, 20, -1, 0);
    mk(6, "soon-too", true, 2026, 11, 20, -1, 0);
    mk(7, "last-week", false, 2026, 11, 8, -1, 0);
    mk(8, "undated-b", false, 0, 0, 0, -1, 0);
    Date today = {.y = 2026, .m = 11, .d = 15, .hour = 12, .has_time = true};
    Arena *a = arena_new();
    size_t n;
    Item **r = home_choose(a, year, N, &today, 0, &n);
    CHECK_STR("all (0): the stamp day's own dates come first, by time, though the build's hour is past one of them; "
              "same day: the year's order; then passed, most recent first; then undated in the year's order",
              order(r, n),
              "morning-today evening-today soon soon-too due-yesterday last-week long-ago undated-a undated-b");
    r = home_choose(a, year, N, &today, 4, &n);
    CHECK("at most max", n == 4, "%zu", n);
    CHECK_STR("max 4: the first four of that order", order(r, n), "morning-today evening-today soon soon-too");
    r = home_choose(a, year, 3, &today, 6, &n);
    CHECK_STR("a year smaller than max: all of it, in the same order", order(r, n), "evening-today long-ago undated-a");
    Date later = {.y = 2027, .m = 1, .d = 1};
    r = home_choose(a, year, N, &later, 3, &n);
    CHECK_STR("a later day: everything passed, the most recent first", order(r, n), "soon soon-too evening-today");
    Date earlier = {.y = 2026, .m = 1, .d = 1};
    r = home_choose(a, year, N, &earlier, 3, &n);
    CHECK_STR("an earlier day: everything coming, the soonest first", order(r, n), "long-ago last-week due-yesterday");
    r = home_choose(a, year, 0, &today, 6, &n);
    CHECK("an empty year: nothing", n == 0, "%zu", n);
    arena_free(a);

    /* a year's pages */
    CHECK("pages: 0 -> 1, 100 -> 1, 101 -> 2, 250 -> 3",
          yearpage_count(0) == 1 && yearpage_count(100) == 1 && yearpage_count(101) == 2 && yearpage_count(250) == 3,
          "");
    size_t k0, k1;
    yearpage_range(250, 2, &k0, &k1);
    CHECK("250: the third page holds 200..250", k0 == 200 && k1 == 250, "%zu %zu", k0, k1);
    yearpage_range(250, 1, &k0, &k1);
    CHECK("250: the second page holds 100..200", k0 == 100 && k1 == 200, "%zu %zu", k0, k1);
    yearpage_range(0, 0, &k0, &k1);
    CHECK("an empty year's page holds nothing", k0 == 0 && k1 == 0, "%zu %zu", k0, k1);
    Arena *b = arena_new();
    CHECK_STR("the first page keeps the year's address", yearpage_file(b, 0), "index.html");
    CHECK_STR("the third page", yearpage_file(b, 2), "pagina-3.html");
    arena_free(b);
    CHECK_DONE();
}
