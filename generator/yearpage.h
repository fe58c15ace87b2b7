/* A leerjaar's page in pages of YEAR_PAGE_SIZE materials: the first at the
 * year's own address (leerjaar-N/index.html), the next at pagina-2.html,
 * pagina-3.html, ... in the same folder. A year of 2,500 materials in one
 * page was 300 KB and 5,000 elements. */
#ifndef LOBGEN_YEARPAGE_H
#define LOBGEN_YEARPAGE_H

#include "pagedata.h"

enum { YEAR_PAGE_SIZE = 100 };

/* How many pages a year of count materials has: at least 1 (an empty year
 * has its page too). */
size_t yearpage_count(size_t count);
/* The materials [*k0, *k1) of page (0-based) in the year's order. */
void yearpage_range(size_t count, size_t page, size_t *k0, size_t *k1);
/* The file name of page (0-based): "index.html", "pagina-2.html", ...
 * (static, or in a). */
const char *yearpage_file(Arena *a, size_t page);

/* On a year's page root r (year_page_root) for page `page` of `pages`:
 * year.start (the first material's number, for <ol start>), and, when
 * there are several pages, year.paged, year.page {n, total, label, prev_url,
 * next_url, pages [{n, label, url, current, gap}]: the first, the last and those
 * within two of this one, a {gap: true} between} with numbers in language l's
 * digits; r's canonical and hreflang alternates point at the same page
 * number in each language. Values in a. */
void yearpage_links(const Build *b, Arena *a, size_t l, Value *r, Value *y, int n, size_t page, size_t pages);

#endif
