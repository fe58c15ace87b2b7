/* The QR code cache (qrcache.h): the same SVG as encoding afresh, codes
 * taken from the file on the next build, a damaged or truncated file
 * ignored, the file holding only the last build's codes, and never a
 * write outside the project. */
#include "check.h"
#include "check_files.h"
#include "print.h"
#include "qrcache.h"

#include <pthread.h>
#include <qrencode.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>
#include <xxhash.h>

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

/* ---- many codes, made on two threads (the pieces, qrcache.c) ---- */

#define N_MANY 300
static char many[N_MANY][96];

typedef struct {
    QrCache *c;
    int thread;
    bool same;
} Maker;

/* Slots of thread 0: the even ones from the last down; thread 1: the odd ones up, so that the
 * codes reach the pieces in no slot order. */
static void *make_codes(void *p)
{
    Maker *m = p;
    m->same = true;
    for (int k = 0; k < N_MANY / 2; k++) {
        int i = m->thread == 0 ? N_MANY - 2 - 2 * k : 2 * k + 1;
        Buf a = BUF_INIT, b = BUF_INIT;
        m->same &= qrcache_svg(m->c, (size_t)i, many[i], "QR", &a) && print_qr_svg(many[i], "QR", &b) &&
                   a.len == b.len && !memcmp(a.data, b.data, a.len);
        buf_free(&a);
        buf_free(&b);
    }
    return NULL;
}

/* The cache file of the codes of many in slot order, as qrcache.c's comment describes it: the
 * magic line and libqrencode's version; per code its text's length (u16, little-endian), the
 * text, the width (u8) and the modules (print_qr_encode); then XXH3-64 of all before it. */
static Buf expected_file(void)
{
    Buf f = BUF_INIT;
    buf_printf(&f, "lobgen-qr-2\n%s\n", QRcode_APIVersionString());
    for (int i = 0; i < N_MANY; i++) {
        unsigned char *bits;
        int w;
        if (!print_qr_encode(many[i], &bits, &w))
            continue;
        size_t len = strlen(many[i]);
        buf_putc(&f, (char)(len & 0xff));
        buf_putc(&f, (char)(len >> 8));
        buf_puts(&f, many[i]);
        buf_putc(&f, (char)w);
        buf_append(&f, (const char *)bits, (size_t)w * (size_t)w / 8 + 1);
        free(bits);
    }
    uint64_t sum = XXH3_64bits(f.data, f.len);
    for (int k = 0; k < 8; k++)
        buf_putc(&f, (char)(sum >> (8 * k) & 0xff));
    return f;
}

static bool file_is(const Buf *want)
{
    size_t len;
    char *got = read_file(file, &len);
    bool same = got && len == want->len && !memcmp(got, want->data, len);
    free(got);
    return same;
}

static void test_pieces(void)
{
    CHECK_SUITE("qr cache pieces");
    for (int i = 0; i < N_MANY; i++)
        snprintf(many[i], sizeof many[i], "https://lob.example.nl/%s/thuisopdrachten/materiaal-%d/", i % 2 ? "ar" : "nl",
                 i);
    char dir[160];
    snprintf(dir, sizeof dir, "%s/.lobgen-cache/qr", root);
    unlink(file);
    QrCache *c = qrcache_open(root, ".lobgen-cache", N_MANY);
    Maker m[2] = {{c, 0, false}, {c, 1, false}};
    pthread_t th[2];
    for (int t = 0; t < 2; t++)
        pthread_create(&th[t], NULL, make_codes, &m[t]);
    for (int t = 0; t < 2; t++)
        pthread_join(th[t], NULL);
    int beside = check_pieces_in(dir), anywhere = check_pieces_in(NULL);
    Diags d = DIAGS_INIT;
    qrcache_save(c, &d);
    size_t hits, made;
    qrcache_counts(c, &hits, &made);
    qrcache_free(c);
    CHECK("300 codes made on two threads in no slot order: the SVG encoding gives", m[0].same && m[1].same &&
          made == N_MANY && hits == 0 && d.len == 0, "made=%zu hits=%zu warnings=%zu", made, hits, d.len);
    diags_free(&d);
    CHECK("... kept meanwhile in one file with no name in the cache folder, none elsewhere",
          beside == 1 && anywhere == 1, "in the cache folder %d, anywhere %d", beside, anywhere);
    CHECK("... gone after the build", check_pieces_in(NULL) == 0, "%d open", check_pieces_in(NULL));
    Buf want = expected_file();
    CHECK("the file written from them holds every code in slot order, as the format says, byte for byte",
          file_is(&want), "");
    bool same;
    static const char *all[N_MANY];
    for (int i = 0; i < N_MANY; i++)
        all[i] = many[i];
    build(all, N_MANY, &hits, &made, &same, ".lobgen-cache");
    CHECK("... and the next build reads it back whole", hits == N_MANY && made == 0 && same, "hits=%zu made=%zu", hits,
          made);

    /* a build that fails (no save): nothing left, the file as it was */
    c = qrcache_open(root, ".lobgen-cache", 2);
    Buf svg = BUF_INIT;
    qrcache_svg(c, 0, "https://lob.example.nl/nl/nieuw-1/", "QR", &svg);
    int had = check_pieces_in(dir);
    qrcache_free(c);
    CHECK("a build that fails before it saves leaves no file behind and the cache file as it was",
          had == 1 && check_pieces_in(NULL) == 0 && file_is(&want), "had=%d open=%d", had, check_pieces_in(NULL));

    /* killed while codes go to the pieces */
    fflush(NULL);
    pid_t pid = fork();
    if (pid == 0) {
        QrCache *k = qrcache_open(root, ".lobgen-cache", N_MANY);
        for (int i = 0; i < N_MANY; i++) {
            char u[128];
            snprintf(u, sizeof u, "https://lob.example.nl/tr/gesprekken/nieuw-%d/", i);
            qrcache_svg(k, (size_t)i, u, "QR", &svg);
            if (i == N_MANY / 2)
                raise(SIGKILL);
        }
        _exit(0);
    }
    int st = 0;
    bool killed = pid > 0 && waitpid(pid, &st, 0) == pid && WIFSIGNALED(st) && WTERMSIG(st) == SIGKILL;
    DIR *qd = opendir(dir);
    int entries = 0;
    struct dirent *e;
    while (qd && (e = readdir(qd)))
        entries += e->d_name[0] != '.';
    if (qd)
        closedir(qd);
    CHECK("a build killed while it keeps codes leaves the cache file as it was and nothing beside it",
          killed && file_is(&want) && entries == 1, "killed=%d entries=%d", killed, entries);
    build(all, N_MANY, &hits, &made, &same, ".lobgen-cache");
    CHECK("... which the next build reads whole", hits == N_MANY && made == 0 && same, "hits=%zu made=%zu", hits, made);
    buf_free(&svg);
    buf_free(&want);
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
    {
        /* the pieces too: never opened there */
        char there[160];
        snprintf(there, sizeof there, "%s/qr", outside);
        QrCache *c = qrcache_open(root, "elsewhere", 1);
        Buf svg = BUF_INIT;
        qrcache_svg(c, 0, urls[0], "QR", &svg);
        CHECK("a cache folder linked outside the project gets no pieces", check_pieces_in(there) == 0 &&
              check_pieces_in(NULL) == 0, "%d there", check_pieces_in(there));
        Diags d = DIAGS_INIT;
        qrcache_save(c, &d);
        CHECK("... and a warning that the codes are not kept", d.len == 1 && strstr(d.items[0].msg, "outside the project"),
              "%zu messages", d.len);
        diags_free(&d);
        qrcache_free(c);
        buf_free(&svg);
    }
    build(urls, 3, &hits, &made, &same, "elsewhere");
    snprintf(escaped, sizeof escaped, "%s/qr/codes", outside);
    CHECK("a cache folder linked outside the project gets nothing", access(escaped, F_OK) != 0 && same, "");

    test_pieces();

    {
        /* a dry run (lobgen check): reads the cache, writes nothing, makes no folder */
        char fresh[64], made_dir[128];
        snprintf(fresh, sizeof fresh, "/tmp/lobgen-qrd-XXXXXX");
        if (!mkdtemp(fresh))
            return 2;
        snprintf(made_dir, sizeof made_dir, "%s/.lobgen-cache", fresh);
        QrCache *c = qrcache_open(fresh, ".lobgen-cache", 2);
        qrcache_no_save(c);
        Buf svg = BUF_INIT, want = BUF_INIT;
        bool ok = qrcache_svg(c, 0, urls[0], "QR", &svg) && print_qr_svg(urls[0], "QR", &want) && svg.len == want.len &&
                  !memcmp(svg.data, want.data, svg.len);
        int open_pieces = check_pieces_in(NULL);
        Diags d = DIAGS_INIT;
        qrcache_save(c, &d);
        qrcache_free(c);
        CHECK("a dry run's codes: the same SVG, no pieces, no cache folder made, no file written", ok &&
              open_pieces == 0 && access(made_dir, F_OK) != 0 && d.len == 0, "pieces=%d", open_pieces);
        diags_free(&d);
        buf_free(&svg);
        buf_free(&want);
        rmdir(fresh);
    }

    /* no cache folder at all: encodes, writes nothing */
    build(urls, 3, &hits, &made, &same, NULL);
    CHECK("without a cache the codes are encoded", made == 3 && same, "made=%zu", made);

    char cmd[256];
    snprintf(cmd, sizeof cmd, "rm -rf '%s' '%s'", root, outside);
    if (system(cmd) != 0)
        return 2;
    CHECK_DONE();
}
