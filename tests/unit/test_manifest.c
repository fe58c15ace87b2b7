/* The manifest of incremental builds (incremental.h) as a build uses it:
 * a build that reuses everything writes the manifest it read, byte for
 * byte, however many threads noted its units and in what order; files
 * reused one by one give the same manifest as units reused whole; and a
 * manifest that is damaged anywhere, cut off, written by another binary or
 * by an earlier lobgen (text) is not used at all: the build renders
 * everything. */
#include "check.h"
#include "check_files.h"
#include "incremental.h"

#include "buf.h"
#include "templates.h"
#include "write.h"

#include <dirent.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>
#include <xxhash.h>

static char tmpdir[64];
static char site[128], manifest[160];
static Templates *tpl;

#define N_UNITS 12
static const char *const langs[] = {"nl", "en", "ar"};
#define N_LANGS 3
/* files of no unit (a list page written without emit, say) */
static const char *const loose[] = {"sitemap.xml", "robots.txt"};
#define N_LOOSE 2

static IncrKey key_of(const char *s, int n)
{
    IncrHash *h = incr_hash_new();
    incr_hash_str(h, s);
    incr_hash_int(h, n);
    return incr_hash_done(h);
}

static void unit_name(char *b, size_t n, int u) { snprintf(b, n, "thuisopdrachten/opdracht-%02d", u); }
static void file_name(char *b, size_t n, int u, int l) { snprintf(b, n, "%s/thuisopdrachten/opdracht-%02d/index.html", langs[l], u); }

/* set: unit 0 asks for a template no other unit does (test_sets) */
static bool unit0_voet;

static void use_of(TemplateUse *use, int u, bool reverse)
{
    static char *const a[] = {"page", "partials/kop"}, *const b[] = {"partials/kop", "page"};
    static char *const c[] = {"page"}, *const v[] = {"page", "partials/voet"};
    /* every third unit's pages ask for one template, the others for two,
     * named in either order */
    use->names = (char **)(u == 0 && unit0_voet ? v : u % 3 == 0 ? c : reverse ? b : a);
    use->n = u % 3 == 0 && !(u == 0 && unit0_voet) ? 1 : 2;
    use->cap = 0;
}

typedef enum { RENDER, PAGES, WHOLE, MIXED } Mode;

/* set: a RENDER build renders unit 0 only and reuses the others whole */
static bool render_one;
/* set: the build keeps its files in memory until incr_save (incr_hold_in_memory), as before
 * they went to the pieces */
static bool hold;
/* set: unit 5 is begun a second time after it ended (a name used twice: its files, already in
 * the pieces, are kept as files of no unit) */
static bool twice;
/* set: the build, once every unit ended, counts the files with no name open beside the site
 * and anywhere (pieces_beside, pieces_all), then, when kill_before_save, kills itself */
static bool probe, kill_before_save;
static int pieces_beside, pieces_all;

typedef struct {
    Incremental *inc;
    Writer *w;
    Mode mode;
    bool reverse;
    int thread, threads;
    Diags d;
    int failed; /* units or files that were to be reused and were not */
} Job;

static void note_unit(Job *j, int u)
{
    char name[64], rel[128];
    unit_name(name, sizeof name, u);
    IncrKey ukey = key_of(name, 0);
    if (render_one && u != 0) {
        if (!incr_reuse_unit(j->inc, j->w, name, ukey, &j->d))
            j->failed++;
        return;
    }
    if (j->mode == WHOLE || (j->mode == MIXED && u % 2)) {
        if (!incr_reuse_unit(j->inc, j->w, name, ukey, &j->d))
            j->failed++;
        return;
    }
    size_t from = j->d.len;
    size_t prev = incr_unit_begin(j->inc, name, ukey);
    for (int k = 0; k < N_LANGS; k++) {
        int l = j->reverse ? N_LANGS - 1 - k : k;
        file_name(rel, sizeof rel, u, l);
        IncrKey key = key_of(rel, 1);
        TemplateUse use;
        use_of(&use, u, j->reverse);
        if (j->mode == RENDER) {
            char body[160];
            snprintf(body, sizeof body, "<h1>%s</h1>\n", rel);
            if (writer_put(j->w, rel, body, strlen(body), &j->d))
                incr_record(j->inc, j->w, rel, key, langs[l], u % 4, &use);
        } else if (!incr_reuse(j->inc, j->w, rel, key)) {
            j->failed++;
        }
    }
    /* the Markdown's templates, named in any order */
    static char *const blocks[] = {"blocks/tip", "blocks/vraag"};
    for (int k = 0; k < N_LANGS; k++) {
        int l = j->reverse ? N_LANGS - 1 - k : k;
        TemplateUse use = {(char **)blocks + (u + l) % 2, 1, 0};
        incr_unit_templates(j->inc, langs[l], u % 4, &use);
    }
    if (u == 0 && unit0_voet) { /* one set more: the numbers of the sets after it move */
        static char *const voet[] = {"partials/voet"};
        TemplateUse use = {(char **)voet, 1, 0};
        incr_unit_templates(j->inc, "nl", 0, &use);
    }
    if (u == 3)
        diag_warn(&j->d, "content/thuisopdrachten/opdracht-03.nl.md", 4, 2, "unknown block 'tipp'; did you mean 'tip'?");
    incr_unit_end(j->inc, prev, &j->d, from);
    if (twice && u == 5)
        incr_unit_end(j->inc, incr_unit_begin(j->inc, name, ukey), &j->d, j->d.len);
}

static void *run_job(void *p)
{
    Job *j = p;
    for (int k = 0; k < N_UNITS; k++) {
        int u = j->reverse ? N_UNITS - 1 - k : k;
        if (u % j->threads == j->thread)
            note_unit(j, u);
    }
    return NULL;
}

typedef struct {
    bool ok;            /* written and saved */
    int failed;         /* what was to be reused and was not */
    size_t reused, rendered;
    bool warned_again;  /* unit 3's warning, given again */
} Result;

/* One build of the test site into site/: every unit noted as mode says,
 * on threads threads, in reverse order when reverse; then the files of
 * no unit. */
static Result build(Mode mode, bool reverse, int threads)
{
    Result r = {0};
    Diags d = DIAGS_INIT;
    Incremental *inc = incr_open(site, tpl, mode == RENDER && !render_one);
    if (hold)
        incr_hold_in_memory(inc);
    Writer *w = writer_open(site, false, &d);
    if (!w) {
        incr_free(inc);
        diags_free(&d);
        return r;
    }
    Job jobs[2];
    pthread_t th[2];
    for (int t = 0; t < threads; t++) {
        jobs[t] = (Job){inc, w, mode, reverse, t, threads, DIAGS_INIT, 0};
        pthread_create(&th[t], NULL, run_job, &jobs[t]);
    }
    for (int t = 0; t < threads; t++) {
        pthread_join(th[t], NULL);
        r.failed += jobs[t].failed;
        for (size_t k = 0; k < jobs[t].d.len; k++)
            if (strstr(jobs[t].d.items[k].msg, "did you mean 'tip'") && jobs[t].d.items[k].line == 4)
                r.warned_again = true;
        diags_free(&jobs[t].d);
    }
    for (int k = 0; k < N_LOOSE; k++) {
        const char *rel = loose[reverse ? N_LOOSE - 1 - k : k];
        IncrKey key = key_of(rel, 2);
        TemplateUse none = {0};
        if (mode == RENDER) {
            if (writer_put(w, rel, "x\n", 2, &d))
                incr_record(inc, w, rel, key, "", 0, &none);
        } else if (!incr_reuse(inc, w, rel, key)) {
            r.failed++;
        }
    }
    incr_counts(inc, &r.reused, &r.rendered);
    if (probe) {
        pieces_beside = check_pieces_in(tmpdir);
        pieces_all = check_pieces_in(NULL);
        if (kill_before_save)
            raise(SIGKILL);
    }
    r.ok = writer_commit(w, &d) && incr_save(inc, site, &d) && !diags_count(&d, DIAG_ERROR);
    incr_free(inc);
    diags_free(&d);
    return r;
}

static char *slurp(const char *path, size_t *len)
{
    *len = 0;
    return read_file(path, len);
}

static void put_bytes(const char *path, const void *p, size_t n)
{
    FILE *f = fopen(path, "wb");
    if (!f || fwrite(p, 1, n, f) != n) {
        perror(path);
        exit(2);
    }
    fclose(f);
}

static bool same_as(const char *want, size_t want_len)
{
    size_t len;
    char *got = slurp(manifest, &len);
    bool same = got && len == want_len && !memcmp(got, want, len);
    free(got);
    return same;
}

static const size_t total = N_UNITS * N_LANGS + N_LOOSE;

static void test_round_trip(char **m1, size_t *m1_len)
{
    CHECK_SUITE("round trip");
    Result r = build(RENDER, false, 1);
    CHECK("a full build writes its manifest", r.ok && r.rendered == total, "ok=%d rendered=%zu", r.ok, r.rendered);
    *m1 = slurp(manifest, m1_len);
    CHECK("the manifest is beside the site, not in it", *m1 && *m1_len > 0, "");
    CHECK("it starts with a line that says what it is", *m1 && !strncmp(*m1, "lobgen-manifest 3\n", 18), "");
    if (!*m1)
        return;

    r = build(WHOLE, false, 1);
    CHECK("a build with nothing changed reuses every unit whole", r.ok && !r.failed, "failed=%d", r.failed);
    CHECK("and counts every file reused, none rendered", r.reused == total && r.rendered == 0, "reused=%zu rendered=%zu",
          r.reused, r.rendered);
    CHECK("a unit reused whole gives its warning again (file, line, message)", r.warned_again, "");
    CHECK("and writes the manifest it read, byte for byte", same_as(*m1, *m1_len), "");

    r = build(WHOLE, false, 1);
    CHECK("again", r.ok && !r.failed && same_as(*m1, *m1_len), "failed=%d", r.failed);

    r = build(PAGES, false, 1);
    CHECK("files reused one by one: every file", r.ok && !r.failed && r.reused == total, "failed=%d reused=%zu",
          r.failed, r.reused);
    CHECK("give the manifest units reused whole give", same_as(*m1, *m1_len), "");
    r = build(WHOLE, false, 1);
    CHECK("which a build reuses whole again", r.ok && !r.failed && r.warned_again && same_as(*m1, *m1_len), "failed=%d",
          r.failed);
}

static void test_threads(const char *m1, size_t m1_len)
{
    CHECK_SUITE("threads");
    Result r = build(WHOLE, true, 2);
    CHECK("units reused whole on two threads in reverse order: the same manifest",
          r.ok && !r.failed && same_as(m1, m1_len), "failed=%d", r.failed);
    r = build(PAGES, true, 2);
    CHECK("files reused one by one on two threads, units, files and templates in reverse order: the same manifest",
          r.ok && !r.failed && same_as(m1, m1_len), "failed=%d", r.failed);
    r = build(MIXED, true, 2);
    CHECK("half whole, half file by file, on two threads: the same manifest", r.ok && !r.failed && same_as(m1, m1_len),
          "failed=%d", r.failed);
    for (int i = 0; i < 20; i++) {
        r = build(i % 2 ? PAGES : MIXED, i % 3 == 0, 2);
        if (!r.ok || r.failed || !same_as(m1, m1_len))
            break;
    }
    CHECK("twenty builds more on two threads: the same manifest each time", r.ok && !r.failed && same_as(m1, m1_len),
          "failed=%d", r.failed);
}

/* Files left in tmpdir (the site's folder) but the site, its manifest and the writer's files
 * (lock, spare, the tree a killed build was making), and the templates. */
static int strays(void)
{
    DIR *d = opendir(tmpdir);
    int n = 0;
    struct dirent *e;
    while (d && (e = readdir(d)))
        n += strcmp(e->d_name, ".") && strcmp(e->d_name, "..") && strcmp(e->d_name, "site") &&
             strcmp(e->d_name, ".site.lobgen-manifest") && strcmp(e->d_name, ".site.lobgen-lock") &&
             strcmp(e->d_name, ".site.lobgen-spare") && /* the writer's (write.h), and its tree in the making */
             strcmp(e->d_name, ".site.lobgen-folders") && /* the writer's folder record (write.c) */
             strncmp(e->d_name, ".site.lobgen-new-", 17) &&
             strcmp(e->d_name, "templates");
    if (d)
        closedir(d);
    return n;
}

/* A build does not hold its files until the end: each unit's go to a file with no name beside
 * the manifest when the unit ends (incremental.h), and the manifest assembled from it is the one
 * a build that held them in memory writes, byte for byte, whatever the threads did. */
static void test_pieces(void)
{
    CHECK_SUITE("pieces");
    /* a full build on two threads in reverse order, streamed, against the same files held */
    Result r = build(RENDER, true, 2);
    size_t m2_len;
    char *m2 = slurp(manifest, &m2_len);
    CHECK("a full build on two threads, units and files in reverse order, streamed", r.ok && m2, "ok=%d", r.ok);
    hold = true;
    r = build(PAGES, false, 1);
    hold = false;
    CHECK("... writes the manifest one thread holding every file in memory writes, byte for byte",
          r.ok && !r.failed && m2 && same_as(m2, m2_len), "failed=%d", r.failed);
    r = build(MIXED, true, 2);
    CHECK("... and so does a build that reuses half of it, streamed", r.ok && !r.failed && m2 && same_as(m2, m2_len),
          "failed=%d", r.failed);

    /* a unit begun again after it went to the pieces: its files come back as files of no unit */
    twice = true;
    r = build(PAGES, true, 2);
    size_t m3_len;
    char *m3 = slurp(manifest, &m3_len);
    hold = true;
    r = build(PAGES, false, 1);
    hold = false;
    bool same3 = m3 && same_as(m3, m3_len);
    twice = false;
    CHECK("a unit named twice, its files read back from the pieces: the manifest held in memory gives",
          r.ok && !r.failed && same3 && (m2_len != m3_len || memcmp(m2, m3, m2_len)), "failed=%d", r.failed);
    r = build(PAGES, false, 1);
    CHECK("... and every file of it is reused by the next build", r.ok && !r.failed && r.reused == total,
          "failed=%d reused=%zu", r.failed, r.reused);

    /* where the pieces are, and that none is left */
    probe = true;
    r = build(RENDER, true, 2);
    probe = false;
    CHECK("the pieces are one file with no name, beside the manifest (in the site's folder), and none elsewhere",
          r.ok && pieces_beside == 1 && pieces_all == 1, "beside=%d anywhere=%d", pieces_beside, pieces_all);
    CHECK("... gone after the build", check_pieces_in(NULL) == 0 && strays() == 0, "open=%d strays=%d",
          check_pieces_in(NULL), strays());
    size_t before_len;
    char *before = slurp(manifest, &before_len);
    {
        /* a build that fails: freed without incr_save */
        Incremental *inc = incr_open(site, tpl, true);
        Diags d = DIAGS_INIT;
        Writer *w = writer_open(site, false, &d);
        Job j = {inc, w, RENDER, false, 0, 1, DIAGS_INIT, 0};
        run_job(&j);
        bool had = check_pieces_in(tmpdir) == 1;
        writer_abort(w);
        incr_free(inc);
        diags_free(&j.d);
        diags_free(&d);
        CHECK("a failed build leaves no file behind (it had its pieces) and the manifest as it was",
              had && check_pieces_in(NULL) == 0 && strays() == 0 && before && same_as(before, before_len),
              "had=%d open=%d strays=%d", had, check_pieces_in(NULL), strays());
    }
    /* killed while its pieces are written: the old manifest whole, nothing left */
    fflush(NULL);
    pid_t pid = fork();
    if (pid == 0) {
        probe = kill_before_save = true;
        build(RENDER, false, 2);
        _exit(0); /* not reached */
    }
    int st = 0;
    bool killed = pid > 0 && waitpid(pid, &st, 0) == pid && WIFSIGNALED(st) && WTERMSIG(st) == SIGKILL;
    CHECK("a build killed before it saves leaves the manifest as it was, byte for byte, and no file behind",
          killed && before && same_as(before, before_len) && strays() == 0, "killed=%d strays=%d", killed, strays());
    r = build(WHOLE, false, 2);
    CHECK("... which the next build uses whole", r.ok && !r.failed && r.reused == total, "failed=%d reused=%zu",
          r.failed, r.reused);
    free(before);
    free(m2);
    free(m3);
}

static void put(const char *rel, const char *text);

/* The sets of a unit reused whole are numbered anew when the numbers move
 * (incremental.c): wrong numbers would tie its files to another set, and
 * a template edit would leave them stale. */
static void test_sets(void)
{
    CHECK_SUITE("sets");
    /* unit 0, first by name, renders asking for a new set: every set of
     * the manifest gets a number one higher */
    put("templates/partials/voet.mustache", "<footer></footer>");
    templates_free(tpl);
    Diags d = DIAGS_INIT;
    tpl = templates_load(tmpdir, &d);
    unit0_voet = render_one = true;
    Result r = build(RENDER, false, 1);
    render_one = false;
    CHECK("one unit rendered with a new template, the others reused whole", r.ok && !r.failed && r.rendered == N_LANGS + N_LOOSE,
          "ok=%d failed=%d rendered=%zu", r.ok, r.failed, r.rendered);
    /* then a partial that all but every third unit use is edited */
    put("templates/partials/kop.mustache", "<h1 class=\"kop\">{{title}}</h1>");
    templates_free(tpl);
    tpl = templates_load(tmpdir, &d);
    CHECK("the templates load again", tpl && !d.len, "");
    Incremental *inc = incr_open(site, tpl, false);
    Writer *w = writer_open(site, false, &d);
    int wrong = -1;
    for (int u = 0; w && u < N_UNITS; u++) {
        char name[64];
        unit_name(name, sizeof name, u);
        bool uses_kop = u % 3 != 0;
        if (incr_reuse_unit(inc, w, name, key_of(name, 0), &d) == uses_kop && wrong < 0)
            wrong = u;
    }
    CHECK("after a partial is edited, exactly the units that use it are not reused", w && wrong < 0,
          "unit %d is wrong", wrong);
    if (w)
        writer_abort(w);
    incr_free(inc);
    diags_free(&d);
}

/* Whether the manifest now at manifest is used by a build writing with w:
 * any unit reused whole, or any file of no unit reused. */
static bool used(Writer *w)
{
    Diags d = DIAGS_INIT;
    Incremental *inc = incr_open(site, tpl, false);
    bool any = false;
    for (int u = 0; u < N_UNITS; u++) {
        char name[64];
        unit_name(name, sizeof name, u);
        any |= incr_reuse_unit(inc, w, name, key_of(name, 0), &d);
    }
    for (int k = 0; k < N_LOOSE; k++)
        any |= incr_reuse(inc, w, loose[k], key_of(loose[k], 2));
    incr_free(inc);
    diags_free(&d);
    return any;
}

static void test_damage(const char *m1, size_t len)
{
    CHECK_SUITE("damage");
    Diags wd = DIAGS_INIT;
    Writer *w = writer_open(site, false, &wd);
    CHECK("a build opens", w, "");
    if (!w)
        return;
    put_bytes(manifest, m1, len);
    CHECK("the manifest as written is used", used(w), "");
    char *b = xmalloc(len + 16);
    long first = -1;
    size_t n_used = 0;
    for (size_t i = 0; i < len; i++) {
        memcpy(b, m1, len);
        b[i] ^= (char)(1 + i % 255);
        put_bytes(manifest, b, len);
        if (used(w)) {
            n_used++;
            if (first < 0)
                first = (long)i;
        }
    }
    CHECK("a byte changed anywhere (head, units, files, sets, checksum): not used", !n_used,
          "%zu of %zu used, the first at byte %ld", n_used, len, first);
    first = -1;
    n_used = 0;
    for (size_t cut = 0; cut < len; cut++) {
        put_bytes(manifest, m1, cut);
        if (used(w)) {
            n_used++;
            if (first < 0)
                first = (long)cut;
        }
    }
    CHECK("cut off at any length: not used", !n_used, "%zu used, the first cut at %ld", n_used, first);
    memcpy(b, m1, len);
    memset(b + len, 0, 16);
    put_bytes(manifest, b, len + 8);
    CHECK("with bytes added at the end: not used", !used(w), "");
    /* another lobgen binary: its identity in the head, the checksum right */
    memcpy(b, m1, len);
    b[24] ^= 1;
    uint64_t sum = XXH3_64bits(b, len - 8);
    memcpy(b + len - 8, &sum, 8);
    put_bytes(manifest, b, len);
    CHECK("written by another lobgen binary (checksum right): not used", !used(w), "");
    const char *text = "lobgen-manifest 2 0123456789abcdef0123456789abcdef\n"
                       "U\t0123456789abcdef0123456789abcdef\t0\tthuisopdrachten/opdracht-00\n"
                       "E\t0123456789abcdef\n";
    put_bytes(manifest, text, strlen(text));
    CHECK("the text manifest of an earlier lobgen: not used", !used(w), "");
    put_bytes(manifest, "", 0);
    CHECK("an empty file: not used", !used(w), "");
    /* a FIFO no one writes to: opening it would wait forever */
    unlink(manifest);
    if (mkfifo(manifest, 0600) == 0) {
        pid_t pid = fork();
        if (pid == 0) {
            alarm(10); /* the wait ended, the check failed */
            _exit(used(w) ? 3 : 0);
        }
        int st = 0;
        bool waited = pid > 0 && waitpid(pid, &st, 0) == pid;
        CHECK("a FIFO (no writer) instead of the manifest: not used, and not waited for",
              waited && WIFEXITED(st) && WEXITSTATUS(st) == 0, "status=%d", st);
        unlink(manifest);
    }
    /* damage the checksum cannot see (made to match): read without a
     * fault; ASan and valgrind watch every byte read */
    size_t n_ok = 0;
    Writer *dry = writer_open(site, true, &wd); /* a dry run links nothing */
    for (size_t i = 0; i + 8 < len; i++) {
        memcpy(b, m1, len);
        b[i] ^= (char)0x80;
        sum = XXH3_64bits(b, len - 8);
        memcpy(b + len - 8, &sum, 8);
        put_bytes(manifest, b, len);
        Diags d = DIAGS_INIT;
        Incremental *inc = incr_open(site, tpl, false);
        for (int u = 0; u < N_UNITS; u++) {
            char name[64];
            unit_name(name, sizeof name, u);
            incr_reuse_unit(inc, dry, name, key_of(name, 0), &d);
        }
        incr_free(inc);
        diags_free(&d);
        n_ok++;
    }
    CHECK("a manifest changed with its checksum made to match is read without a fault", n_ok == len - 8, "");
    writer_abort(dry);
    writer_abort(w);
    diags_free(&wd);
    free(b);
    put_bytes(manifest, m1, len);
    Result r = build(WHOLE, false, 1);
    CHECK("the manifest put back is used again", r.ok && !r.failed && same_as(m1, len), "failed=%d", r.failed);
}

/* audio.c forks a process to speak each text while the manifest may still
 * be read on its thread (incr_open returns at once). The child has none of
 * the parent's other threads: it must find the manifest read, not half
 * read (nor an allocator lock the reader held, which under ASan hangs
 * it), so the reading is finished before any fork. Each child tells
 * whether it can reuse the units the parent can. */
static void test_fork(void)
{
    CHECK_SUITE("fork");
    Diags wd = DIAGS_INIT;
    Writer *w = writer_open(site, false, &wd);
    bool parent_used = w && used(w);
    writer_abort(w);
    diags_free(&wd);
    CHECK("the manifest is used by a build", parent_used, "");
    int tries = 50, unread = 0, failed = 0;
    for (int t = 0; t < tries && parent_used; t++) {
        Incremental *inc = incr_open(site, tpl, false);
        pid_t pid = fork();
        if (pid == 0) {
            Diags d = DIAGS_INIT;
            Writer *cw = writer_open(site, false, &d);
            bool any = false;
            for (int u = 0; cw && u < N_UNITS; u++) {
                char name[64];
                unit_name(name, sizeof name, u);
                any |= incr_reuse_unit(inc, cw, name, key_of(name, 0), &d);
            }
            writer_abort(cw);
            _exit(any ? 0 : 3);
        }
        int st = 0;
        if (pid < 0 || waitpid(pid, &st, 0) != pid || !WIFEXITED(st))
            failed++;
        else if (WEXITSTATUS(st) != 0)
            unread++;
        incr_free(inc);
    }
    CHECK("a process forked right after incr_open finds the manifest read (50 forks)", !unread && !failed,
          "%d of %d children found it unread, %d failed", unread, tries, failed);
}

static void put(const char *rel, const char *text)
{
    char path[256];
    snprintf(path, sizeof path, "%s/%s", tmpdir, rel);
    for (char *s = path + strlen(tmpdir) + 1; *s; s++)
        if (*s == '/') {
            *s = '\0';
            mkdir(path, 0777);
            *s = '/';
        }
    put_bytes(path, text, strlen(text));
}

int main(void)
{
    strcpy(tmpdir, "/tmp/lobgen-manifest-XXXXXX");
    if (!mkdtemp(tmpdir)) {
        perror("mkdtemp");
        return 2;
    }
    snprintf(site, sizeof site, "%s/site", tmpdir);
    snprintf(manifest, sizeof manifest, "%s/.site.lobgen-manifest", tmpdir);
    put("templates/page.mustache", "<main>{{{content}}}</main>");
    put("templates/partials/kop.mustache", "<h1>{{title}}</h1>");
    put("templates/ar/partials/kop.mustache", "<h1 dir=\"rtl\">{{title}}</h1>");
    put("templates/blocks/tip.mustache", "<aside>{{{content}}}</aside>");
    put("templates/blocks/vraag.mustache", "<p>{{{content}}}</p>");
    Diags d = DIAGS_INIT;
    tpl = templates_load(tmpdir, &d);
    CHECK("the templates load", tpl && !d.len, "");
    diags_free(&d);
    if (tpl) {
        char *m1 = NULL;
        size_t m1_len = 0;
        test_round_trip(&m1, &m1_len);
        if (m1) {
            test_threads(m1, m1_len);
            test_damage(m1, m1_len);
            test_fork();
            test_sets();
            test_pieces(); /* last: its full builds publish new files, which m1 does not name */
        }
        free(m1);
        templates_free(tpl);
    }
    check_rm_tree(tmpdir);
    CHECK_DONE();
}
