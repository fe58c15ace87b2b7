/* sitemap.xml within the sitemap protocol's limits (sitemaps.org 0.9): a
 * sitemap file holds at most 50,000 URLs and 50 MiB uncompressed. A site
 * within both gets one sitemap.xml; a larger one gets its URLs in parts,
 * sitemap-1.xml, sitemap-2.xml, … each within both limits, and
 * sitemap.xml becomes a sitemap index of the parts, so that the address
 * crawlers and robots.txt know stays the same as the site grows. */
#ifndef LOBGEN_SITEMAP_H
#define LOBGEN_SITEMAP_H

#include "buf.h"
#include "diag.h"

#include <stdbool.h>
#include <stddef.h>

#define SITEMAP_MAX_URLS 50000            /* per sitemap file, and sitemaps per index */
#define SITEMAP_MAX_BYTES (50u << 20)     /* 52,428,800 bytes per file, uncompressed */
#define SITEMAP_PROBE 1000                /* URLs rendered first to guess a part's size */

/* Render the sitemap document (a whole <urlset>) of URLs [from, to) into
 * out, which is empty on entry. Returns false after errors (in d). */
typedef bool SitemapRenderFn(void *ctx, size_t from, size_t to, Buf *out, Diags *d);
/* Write data (len bytes) as the site's file rel ("sitemap.xml",
 * "sitemap-1.xml"). Returns false after errors (in d). */
typedef bool SitemapPutFn(void *ctx, const char *rel, const char *data, size_t len, Diags *d);

/* Write the sitemap of n URLs through render and put: sitemap.xml alone
 * when render(0, n) is within SITEMAP_MAX_URLS and SITEMAP_MAX_BYTES;
 * else parts sitemap-K.xml (K from 1), each a run of the next URLs within
 * both limits: the first part at most as many as the first SITEMAP_PROBE
 * URLs' size says fit in 1.2 times the bytes limit (under the 64 MB cap
 * of a rendered page), each next part as many as the part before; a part
 * over the limit is rendered again with proportionally fewer (98 %). sitemap.xml is then the index of their absolute URLs, base_url/sitemap-K.xml
 * (base_url without a trailing '/'). Output depends only on the inputs.
 * Returns false after errors (in d). */
bool sitemap_write(size_t n, const char *base_url, SitemapRenderFn *render, SitemapPutFn *put, void *ctx,
                   Diags *d);

#endif
