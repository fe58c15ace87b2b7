/* The sitemap protocol's limits (sitemaps.org 0.9): a sitemap file holds
 * at most 50,000 URLs and 50 MiB (52,428,800 bytes) uncompressed; a larger
 * site needs a sitemap index of parts. These checks run sitemap_write with
 * the protocol's own limits (SITEMAP_MAX_URLS, SITEMAP_MAX_BYTES), on URL
 * lists as large as a 10,000 materials x 8 languages site has (80,040
 * URLs, about 1,075 bytes each with their hreflang alternates), rendered by
 * a stand-in for the template so that the test needs no site build. */
#include "check.h"
#include "sitemap.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define HEAD "<?xml version=\"1.0\" encoding=\"utf-8\"?>\n<urlset xmlns=\"http://www.sitemaps.org/schemas/sitemap/0.9\">\n"
#define TAIL "</urlset>\n"

typedef struct {
    size_t entry_bytes; /* each <url> element, padded to this size */
    size_t last_extra;  /* more bytes in the last URL's entry */
    size_t n;
    /* what put saw */
    size_t files, next_url, max_urls, max_bytes, parts;
    size_t max_render; /* the largest document render was asked for */
    bool in_order, index_ok, single;
    char index[4096];
} Fake;

static bool fake_render(void *ctx, size_t from, size_t to, Buf *out, Diags *d)
{
    (void)d;
    Fake *f = ctx;
    buf_puts(out, HEAD);
    for (size_t i = from; i < to; i++) {
        size_t start = out->len;
        buf_printf(out, "<url><loc>https://lob.example.nl/p/%zu/</loc>", i);
        size_t want = f->entry_bytes + (i == f->n - 1 ? f->last_extra : 0), tail = strlen("</url>\n");
        static const char spaces[2048] = {[0 ... 2047] = ' '};
        size_t used = out->len - start + tail;
        for (size_t pad = used < want ? want - used : 0; pad;) {
            size_t k = pad < sizeof spaces ? pad : sizeof spaces;
            buf_append(out, spaces, k);
            pad -= k;
        }
        buf_puts(out, "</url>\n");
    }
    buf_puts(out, TAIL);
    if (out->len > f->max_render)
        f->max_render = out->len;
    return true;
}

/* Checks each file as it is written: its URLs continue where the last
 * part ended, and it is within both limits. */
static bool fake_put(void *ctx, const char *rel, const char *data, size_t len, Diags *d)
{
    (void)d;
    Fake *f = ctx;
    f->files++;
    if (!strcmp(rel, "sitemap.xml") && strstr(data, "<sitemapindex")) {
        snprintf(f->index, sizeof f->index, "%s", data);
        f->index_ok = len < sizeof f->index;
        return true;
    }
    if (!strcmp(rel, "sitemap.xml"))
        f->single = true;
    else
        f->parts++;
    /* line by line with lengths: strstr on a 50 MB text measures the
     * text again at every call under AddressSanitizer */
    static const char url_start[] = "<url><loc>https://lob.example.nl/p/";
    size_t urls = 0, ul = sizeof url_start - 1;
    for (const char *p = data, *end = data + len; p < end;) {
        const char *nl = memchr(p, '\n', (size_t)(end - p));
        size_t ll = nl ? (size_t)(nl - p) : (size_t)(end - p);
        if (ll > ul && !memcmp(p, url_start, ul)) {
            size_t k = 0;
            for (const char *q = p + ul; q < p + ll && *q >= '0' && *q <= '9'; q++)
                k = k * 10 + (size_t)(*q - '0');
            if (k != f->next_url)
                f->in_order = false;
            f->next_url = k + 1;
            urls++;
        }
        p += ll + 1;
    }
    if (urls > f->max_urls)
        f->max_urls = urls;
    if (len > f->max_bytes)
        f->max_bytes = len;
    return true;
}

static Fake run(size_t n, size_t entry_bytes, size_t last_extra)
{
    Fake f = {.entry_bytes = entry_bytes, .last_extra = last_extra, .n = n, .in_order = true};
    Diags d = DIAGS_INIT;
    bool ok = sitemap_write(n, "https://lob.example.nl", fake_render, fake_put, &f, &d);
    CHECK("sitemap_write succeeds", ok && d.len == 0, "ok=%d diags=%zu", ok, d.len);
    diags_free(&d);
    return f;
}

int main(void)
{
    CHECK_SUITE("sitemap limits");
    size_t head = strlen(HEAD) + strlen(TAIL);

    /* exactly 50,000 URLs: still one file */
    Fake f = run(SITEMAP_MAX_URLS, 200, 0);
    CHECK("50,000 URLs: one sitemap.xml, no index", f.single && f.files == 1 && f.parts == 0, "files=%zu", f.files);
    CHECK("... with every URL", f.max_urls == 50000 && f.next_url == 50000 && f.in_order, "%zu", f.max_urls);

    /* one more: an index of two parts */
    f = run(SITEMAP_MAX_URLS + 1, 200, 0);
    CHECK("50,001 URLs: an index and two parts", !f.single && f.parts == 2 && f.index_ok, "parts=%zu", f.parts);
    CHECK("... the first part holds 50,000, the limit", f.max_urls == 50000, "%zu", f.max_urls);
    CHECK("... every URL once, in order", f.next_url == 50001 && f.in_order, "next=%zu", f.next_url);
    CHECK_STR("... sitemap.xml is the index of the parts' absolute URLs", f.index,
              "<?xml version=\"1.0\" encoding=\"utf-8\"?>\n"
              "<sitemapindex xmlns=\"http://www.sitemaps.org/schemas/sitemap/0.9\">\n"
              "  <sitemap>\n    <loc>https://lob.example.nl/sitemap-1.xml</loc>\n  </sitemap>\n"
              "  <sitemap>\n    <loc>https://lob.example.nl/sitemap-2.xml</loc>\n  </sitemap>\n"
              "</sitemapindex>\n");

    /* a document of exactly 50 MiB is allowed; one byte more is not */
    size_t n = 40000, per = (SITEMAP_MAX_BYTES - head) / n;
    f = run(n, per, SITEMAP_MAX_BYTES - head - per * n);
    CHECK("a sitemap of exactly 52,428,800 bytes stays one file", f.single && f.parts == 0 &&
          f.max_bytes == SITEMAP_MAX_BYTES, "bytes=%zu parts=%zu", f.max_bytes, f.parts);
    f = run(n, per, SITEMAP_MAX_BYTES - head - per * n + 1);
    CHECK("one byte more: parts, each within 50 MiB", !f.single && f.parts == 2 && f.max_bytes <= SITEMAP_MAX_BYTES,
          "bytes=%zu parts=%zu", f.max_bytes, f.parts);
    CHECK("... every URL once, in order", f.next_url == n && f.in_order, "next=%zu", f.next_url);

    /* the site of 10,000 materials in 8 languages: 80,040 URLs of about
     * 1,075 bytes, 86 MB in one file before */
    f = run(80040, 1075, 0);
    CHECK("80,040 URLs of 1,075 bytes: parts under an index", !f.single && f.index_ok && f.parts == 2,
          "parts=%zu", f.parts);
    CHECK("... none over 50,000 URLs", f.max_urls <= SITEMAP_MAX_URLS, "%zu", f.max_urls);
    CHECK("... none over 52,428,800 bytes", f.max_bytes <= SITEMAP_MAX_BYTES, "%zu", f.max_bytes);
    CHECK("... the first part filled close to the bytes limit", f.max_bytes > SITEMAP_MAX_BYTES / 100 * 97,
          "%zu", f.max_bytes);
    CHECK("... every URL once, in order", f.next_url == 80040 && f.in_order, "next=%zu", f.next_url);

    /* entries of 2,500 bytes (20 languages' alternates): 50,000 of them
     * would be 125 MB, past the 64 MB lobgen allows a rendered page */
    f = run(50000, 2500, 0);
    CHECK("50,000 URLs of 2,500 bytes: parts within the limits", !f.single && f.max_bytes <= SITEMAP_MAX_BYTES &&
          f.max_urls <= SITEMAP_MAX_URLS && f.next_url == 50000 && f.in_order, "parts=%zu bytes=%zu", f.parts,
          f.max_bytes);
    CHECK("... never rendering a document past the 64 MB page cap", f.max_render <= (64u << 20), "%zu",
          f.max_render);

    /* base_url is escaped in the index */
    f = (Fake){.entry_bytes = 100, .n = 50001, .in_order = true};
    Diags d = DIAGS_INIT;
    sitemap_write(50001, "https://x.nl/a&b", fake_render, fake_put, &f, &d);
    CHECK_CONTAINS("the index escapes & in base_url", f.index, "<loc>https://x.nl/a&amp;b/sitemap-1.xml</loc>");
    diags_free(&d);
    CHECK_DONE();
}
