/* The QR code cache (qrcache.h): the same SVG as encoding afresh, codes
 * taken from the file on the next build, a damaged or truncated file
 * ignored, the file holding only the last build's codes, and never a
 * write outside the project. */
#include "check.h"
#include "print.h"
#include "qrcache.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static char root[64];
static char file[128];

static const char *urls[] = {"https://lob.example.nl/nl/thuisopdrachten/wat-kan-ik/",
                             "https://lob.example.nl/tr/thuisopdrachten/wat-kan-ik/",
                             "https://lob.example.nl/ar/gesprekken/gesprek-kwaliteiten-en-motieven/"};

/* One build: codes of urls (n of them) with a label; *same: every SVG equals print_qr_svg's. */
static void build(const char **u, size_t n, size_t *hits, size_t *made, bool *same, const char *cache)
{
    QrCache *c = qrcache_open(root, cache, n);
    Diags d = DIAGS_INIT;
    *same = true;
    for (size_t i = 0; i < n; i++) {
        Buf a = BUF_INIT, b = BUF_INIT;
        bool ok = qrcache_svg(c, i, u[i], "QR-code <&> \"x\"", &a) && print_qr_svg(u[i], "QR-code <&> \"x\"", &b);
        *same &= ok && a.len == b.len && !memcmp(a.data, b.data, a.len);
        buf_free(&a);
        buf_free(&b);
    }
    qrcache_save(c, &d);
    qrcache_counts(c, hits, made);
    qrcache_free(c);
    diags_free(&d);
}

static long mtime_ns(const char *path)
{
    struct stat st;
    return stat(path, &st) ? -1 : st.st_mtim.tv_sec * 1000000000L + st.st_mtim.tv_nsec;
}

int main(void)
{
    CHECK_SUITE("qr cache");
    snprintf(root, sizeof root, "/tmp/lobgen-qrc-XXXXXX");
    if (!mkdtemp(root))
        return 2;
    snprintf(file, sizeof file, "%s/.lobgen-cache/qr/codes", root);
    size_t hits, made;
    bool same;

    build(urls, 3, &hits, &made, &same, ".lobgen-cache");
    CHECK("a first build encodes every code", made == 3 && hits == 0, "made=%zu hits=%zu", made, hits);
    CHECK("... the same SVG as print_qr_svg", same, "");
    CHECK("... and keeps them in .lobgen-cache/qr/codes", access(file, R_OK) == 0, "");
    long t0 = mtime_ns(file);

    usleep(20000);
    build(urls, 3, &hits, &made, &same, ".lobgen-cache");
    CHECK("the next build takes every code from the cache", made == 0 && hits == 3, "made=%zu hits=%zu", made, hits);
    CHECK("... byte for byte the SVG encoding gives", same, "");
    CHECK("... and leaves the unchanged file alone", mtime_ns(file) == t0, "");

    /* one URL changed: only it is encoded; the file then holds exactly this build's codes */
    const char *changed[] = {urls[0], urls[1], "https://lob.example.nl/pl/ouderavonden/nieuw/"};
    build(changed, 3, &hits, &made, &same, ".lobgen-cache");
    CHECK("a changed URL is encoded, the rest from the cache", made == 1 && hits == 2, "made=%zu hits=%zu", made,
          hits);
    CHECK("... the same SVG", same, "");
    build(urls + 2, 1, &hits, &made, &same, ".lobgen-cache");
    CHECK("a code the last build did not use is no longer kept (bounded)", made == 1 && hits == 0,
          "made=%zu hits=%zu", made, hits);

    /* an incremental build: three slots, one code asked for (the pages of
     * the others reused); the next full build still finds all three */
    build(urls, 3, &hits, &made, &same, ".lobgen-cache");
    {
        QrCache *c = qrcache_open(root, ".lobgen-cache", 3);
        Diags d = DIAGS_INIT;
        Buf a = BUF_INIT;
        qrcache_svg(c, 0, "https://lob.example.nl/en/ouderavonden/nieuw/", "QR", &a);
        qrcache_save(c, &d);
        qrcache_free(c);
        diags_free(&d);
        buf_free(&a);
    }
    build(urls, 3, &hits, &made, &same, ".lobgen-cache");
    CHECK("codes of pages an incremental build reused stay in the cache", made == 0 && hits == 3,
          "made=%zu hits=%zu", made, hits);
    build(urls + 2, 1, &hits, &made, &same, ".lobgen-cache");

    /* the file is read when the first code is asked for, not at open: a
     * build that reuses every page (asks for no code) neither reads nor
     * writes it, and one damaged between open and the first code sees
     * the damage */
    {
        long before = mtime_ns(file);
        QrCache *c = qrcache_open(root, ".lobgen-cache", 3);
        Diags d = DIAGS_INIT;
        usleep(20000);
        qrcache_save(c, &d);
        qrcache_counts(c, &hits, &made);
        CHECK("a build that asks for no code leaves the file alone", mtime_ns(file) == before && hits == 0 &&
              made == 0 && d.len == 0, "hits=%zu made=%zu", hits, made);
        qrcache_free(c);
        c = qrcache_open(root, ".lobgen-cache", 1);
        FILE *g = fopen(file, "r+b");
        fseek(g, 30, SEEK_SET);
        int b = fgetc(g);
        fseek(g, 30, SEEK_SET);
        fputc(b ^ 0x01, g);
        fclose(g);
        Buf svg = BUF_INIT, fresh = BUF_INIT;
        qrcache_svg(c, 0, urls[2], "QR", &svg);
        print_qr_svg(urls[2], "QR", &fresh);
        qrcache_save(c, &d);
        qrcache_counts(c, &hits, &made);
        CHECK("a file damaged after the open, before the first code: ignored", made == 1 && hits == 0 &&
              svg.len == fresh.len && !memcmp(svg.data, fresh.data, svg.len), "hits=%zu made=%zu", hits, made);
        qrcache_free(c);
        buf_free(&svg);
        buf_free(&fresh);
        diags_free(&d);
    }
    build(urls + 2, 1, &hits, &made, &same, ".lobgen-cache");
    CHECK("... and replaced by a whole one", made == 0 && hits == 1, "made=%zu hits=%zu", made, hits);

    /* a damaged file: one byte flipped in the middle, then cut short */
    FILE *f = fopen(file, "r+b");
    fseek(f, 40, SEEK_SET);
    int ch = fgetc(f);
    fseek(f, 40, SEEK_SET);
    fputc(ch ^ 0x20, f);
    fclose(f);
    build(urls + 2, 1, &hits, &made, &same, ".lobgen-cache");
    CHECK("a damaged cache file is ignored", made == 1 && hits == 0 && same, "made=%zu hits=%zu", made, hits);
    build(urls + 2, 1, &hits, &made, &same, ".lobgen-cache");
    CHECK("... and replaced by a good one", made == 0 && hits == 1, "made=%zu hits=%zu", made, hits);
    struct stat st;
    stat(file, &st);
    if (truncate(file, st.st_size - 3) != 0)
        return 2;
    build(urls + 2, 1, &hits, &made, &same, ".lobgen-cache");
    CHECK("a cache file cut short is ignored", made == 1 && hits == 0 && same, "made=%zu hits=%zu", made, hits);

    /* a cache folder that leads outside the project is never written */
    char outside[64], link[128], escaped[160];
    snprintf(outside, sizeof outside, "/tmp/lobgen-qro-XXXXXX");
    if (!mkdtemp(outside))
        return 2;
    snprintf(link, sizeof link, "%s/elsewhere", root);
    if (symlink(outside, link) != 0)
        return 2;
    build(urls, 3, &hits, &made, &same, "elsewhere");
    snprintf(escaped, sizeof escaped, "%s/qr/codes", outside);
    CHECK("a cache folder linked outside the project gets nothing", access(escaped, F_OK) != 0 && same, "");

    /* no cache folder at all: encodes, writes nothing */
    build(urls, 3, &hits, &made, &same, NULL);
    CHECK("without a cache the codes are encoded", made == 3 && same, "made=%zu", made);

    char cmd[256];
    snprintf(cmd, sizeof cmd, "rm -rf '%s' '%s'", root, outside);
    if (system(cmd) != 0)
        return 2;
    CHECK_DONE();
}
