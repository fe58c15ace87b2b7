/* Publishing: a new site replaces the old one whole, a failed build leaves
 * it as it was, and nothing is ever written outside the output folder. */
#include "check.h"
#include "check_files.h"
#include "write.h"

#include "buf.h"

#include <dirent.h>
#include <ftw.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <xxhash.h>

static char tmpdir[64];

/* tmpdir/rel, in a static ring of buffers so a check can name a few. */
static const char *at(const char *rel)
{
    static char bufs[8][256];
    static int next;
    char *b = bufs[next++ % 8];
    snprintf(b, 256, "%s/%s", tmpdir, rel);
    return b;
}

static bool exists(const char *path)
{
    struct stat st;
    return lstat(path, &st) == 0;
}

static bool file_is(const char *path, const char *want)
{
    size_t len;
    char *s = read_file(path, &len);
    bool ok = s && !strcmp(s, want);
    free(s);
    return ok;
}

static void put_file(const char *path, const char *text)
{
    FILE *f = fopen(path, "wb");
    if (!f) {
        perror(path);
        exit(2);
    }
    fputs(text, f);
    fclose(f);
}

/* Names in tmpdir that belong to lobgen's temporary folders (the lock
 * file stays by design: removing a lock file races with its next user; the
 * spare is the previous site, kept for the next build; the folder record
 * is kept for the next build too). */
static int leftovers(void)
{
    DIR *d = opendir(tmpdir);
    int n = 0;
    struct dirent *e;
    while (d && (e = readdir(d)))
        if (strstr(e->d_name, ".lobgen-") && !strstr(e->d_name, ".lobgen-lock") && !strstr(e->d_name, ".lobgen-spare") &&
            !strstr(e->d_name, ".lobgen-folders")) {
            printf("    left over: %s\n", e->d_name);
            n++;
        }
    if (d)
        closedir(d);
    return n;
}

static const Diag *find(const Diags *d, const char *needle)
{
    for (size_t i = 0; i < d->len; i++)
        if (d->items[i].level == DIAG_ERROR && strstr(d->items[i].msg, needle))
            return &d->items[i];
    return NULL;
}

static void test_first_build(void)
{
    CHECK_SUITE("first build");
    Diags d = DIAGS_INIT;
    Writer *w = writer_open(at("site"), false, &d);
    CHECK("opens a folder that does not exist yet", w && d.len == 0, "n=%zu", d.len);
    if (!w)
        return;
    CHECK("nothing is visible before commit", !exists(at("site")), "");
    bool ok = writer_put(w, "index.html", "<h1>Kies</h1>", 13, &d);
    ok &= writer_put(w, "tr/thuisopdrachten/wat-kan-ik/index.html", "<p>Türkçe</p>", strlen("<p>Türkçe</p>"), &d);
    ok &= writer_put(w, "nl/index.html", "a\0b", 3, &d);
    ok &= writer_put(w, "nl/index.html", "NL", 2, &d);
    CHECK("puts succeed", ok && d.len == 0, "n=%zu", d.len);
    CHECK("writer_count counts puts", writer_count(w) == 4, "count=%zu", writer_count(w));
    ok = writer_commit(w, &d);
    CHECK("commit succeeds", ok && d.len == 0, "n=%zu", d.len);
    CHECK("the file is published", file_is(at("site/index.html"), "<h1>Kies</h1>"), "");
    CHECK("nested folders are made", file_is(at("site/tr/thuisopdrachten/wat-kan-ik/index.html"), "<p>Türkçe</p>"),
          "");
    CHECK("a second put replaces the first", file_is(at("site/nl/index.html"), "NL"), "");
    CHECK("the site carries lobgen's marker", exists(at("site/.lobgen-site")), "");
    CHECK("no temporary folder is left beside it", leftovers() == 0, "");
    diags_free(&d);
}

static void test_replace(void)
{
    CHECK_SUITE("replace");
    Diags d = DIAGS_INIT;
    /* the site of test_first_build is there */
    Writer *w = writer_open(at("site"), false, &d);
    CHECK("opens over a site lobgen made", w && d.len == 0, "n=%zu", d.len);
    if (!w)
        return;
    writer_put(w, "index.html", "nieuw", 5, &d);
    writer_put(w, "pl/index.html", "pl", 2, &d);
    CHECK("the old site is still served during the build", file_is(at("site/tr/thuisopdrachten/wat-kan-ik/index.html"),
                                                                   "<p>Türkçe</p>"),
          "");
    bool ok = writer_commit(w, &d);
    CHECK("commit over an existing site succeeds", ok && d.len == 0, "n=%zu", d.len);
    CHECK("the new file is there", file_is(at("site/index.html"), "nieuw"), "");
    CHECK("a new folder is there", file_is(at("site/pl/index.html"), "pl"), "");
    CHECK("a page the new build did not write is gone", !exists(at("site/tr")), "");
    CHECK("the marker is kept", exists(at("site/.lobgen-site")), "");
    CHECK("no .site.lobgen-* folder is left beside it", leftovers() == 0, "");

    /* a trailing slash names the same folder */
    w = writer_open(at("site/"), false, &d);
    if (w) {
        writer_put(w, "index.html", "slash", 5, &d);
        writer_commit(w, &d);
    }
    CHECK("out_dir with a trailing slash", w && file_is(at("site/index.html"), "slash") && leftovers() == 0, "");
    diags_free(&d);
}

static void test_abort(void)
{
    CHECK_SUITE("abort");
    Diags d = DIAGS_INIT;
    Writer *w = writer_open(at("site"), false, &d);
    CHECK("opens", w != NULL, "");
    if (!w)
        return;
    writer_put(w, "index.html", "kapot", 5, &d);
    writer_put(w, "ar/index.html", "ar", 2, &d);
    writer_abort(w);
    CHECK("abort keeps the old file", file_is(at("site/index.html"), "slash"), "");
    CHECK("abort adds nothing", !exists(at("site/ar")), "");
    CHECK("abort leaves no temporary folder", leftovers() == 0, "");

    /* a build that was killed left its folder: the next build clears it */
    mkdir(at(".site.lobgen-new-Xk3pQ1"), 0755);
    put_file(at(".site.lobgen-new-Xk3pQ1/oud-en-half.html"), "x");
    w = writer_open(at("site"), false, &d);
    if (w) {
        writer_put(w, "index.html", "vers", 4, &d);
        writer_commit(w, &d);
    }
    CHECK("a killed build's files do not end up in the site", w && !exists(at("site/oud-en-half.html")) &&
                                                                  file_is(at("site/index.html"), "vers"),
          "");
    CHECK("and its folder is gone", leftovers() == 0, "");
    diags_free(&d);
}

static void test_refused_paths(void)
{
    CHECK_SUITE("refused paths");
    Diags d = DIAGS_INIT;
    Writer *w = writer_open(at("site"), false, &d);
    if (!w) {
        CHECK("opens", false, "");
        return;
    }
    char abs[256];
    snprintf(abs, sizeof abs, "%s/absoluut.html", tmpdir);
    const char *bad[] = {"../ontsnapt.html",
                         "tr/../../ontsnapt.html",
                         "tr/..",
                         abs,
                         "/ontsnapt.html",
                         ".htaccess",
                         "tr/.git/config",
                         "tr/./index.html",
                         "",
                         "tr//index.html",
                         "tr/",
                         "tr\\..\\..\\ontsnapt.html"};
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        size_t before = d.len;
        bool ok = writer_put(w, bad[i], "x", 1, &d);
        char name[300];
        snprintf(name, sizeof name, "refused: \"%s\"", bad[i]);
        CHECK(name, !ok && d.len == before + 1 && d.items[before].level == DIAG_ERROR &&
                        strstr(d.items[before].msg, "refusing"),
              "ok=%d", ok);
    }
    CHECK("refused puts are not counted", writer_count(w) == 0, "count=%zu", writer_count(w));
    writer_put(w, "index.html", "ok", 2, &d);
    bool ok = writer_commit(w, &d);
    CHECK("the site still commits", ok, "");
    CHECK("nothing escaped above the site", !exists(at("ontsnapt.html")) && !exists(abs), "");
    CHECK("no hidden file was written", !exists(at("site/.htaccess")) && !exists(at("site/tr")), "");
    diags_free(&d);
}

static void test_foreign_folder(void)
{
    CHECK_SUITE("foreign folder");
    Diags d = DIAGS_INIT;
    mkdir(at("documenten"), 0755);
    put_file(at("documenten/belangrijk.txt"), "niet weggooien");
    Writer *w = writer_open(at("documenten"), false, &d);
    const Diag *e = find(&d, "not made by lobgen");
    CHECK("a non-empty folder without the marker is refused", !w && e, "w=%p n=%zu", (void *)w, d.len);
    CHECK("the error names the folder", e && e->file && !strcmp(e->file, at("documenten")), "");
    CHECK("its files are untouched", file_is(at("documenten/belangrijk.txt"), "niet weggooien"), "");
    CHECK("no temporary folder is left", leftovers() == 0, "");
    if (w)
        writer_abort(w);
    diags_free(&d);

    mkdir(at("leeg"), 0755);
    w = writer_open(at("leeg"), false, &d);
    CHECK("an empty folder may be used", w && d.len == 0, "");
    if (w) {
        writer_put(w, "index.html", "x", 1, &d);
        CHECK("and is filled on commit", writer_commit(w, &d) && file_is(at("leeg/index.html"), "x"), "");
    }
    CHECK("no temporary folder is left", leftovers() == 0, "");
    diags_free(&d);

    put_file(at("een-bestand"), "tekst");
    w = writer_open(at("een-bestand"), false, &d);
    CHECK("a file as output is refused", !w && find(&d, "not a folder"), "");
    CHECK("the file is untouched", file_is(at("een-bestand"), "tekst"), "");
    if (w)
        writer_abort(w);
    diags_free(&d);
}

static void test_dry_run(void)
{
    CHECK_SUITE("dry run");
    Diags d = DIAGS_INIT;
    Writer *w = writer_open(at("droog"), true, &d);
    CHECK("opens", w && d.len == 0, "");
    if (!w)
        return;
    bool ok = writer_put(w, "index.html", "x", 1, &d) && writer_put(w, "tr/index.html", "y", 1, &d);
    CHECK("puts succeed", ok, "");
    CHECK("and are counted", writer_count(w) == 2, "count=%zu", writer_count(w));
    CHECK("a bad path is still refused", !writer_put(w, "../x.html", "x", 1, &d) && find(&d, "refusing"), "");
    ok = writer_commit(w, &d);
    CHECK("commit succeeds", ok, "");
    CHECK("nothing is written", !exists(at("droog")) && leftovers() == 0, "");
    diags_free(&d);
}

static void test_copy(void)
{
    CHECK_SUITE("copy");
    Diags d = DIAGS_INIT;
    put_file(at("style.css"), "body{margin:0}");
    Writer *w = writer_open(at("kopie"), false, &d);
    if (!w) {
        CHECK("opens", false, "");
        return;
    }
    CHECK("copy succeeds", writer_copy(w, at("style.css"), "assets/style.css", &d), "");
    CHECK("copy of a missing file fails", !writer_copy(w, at("bestaat-niet.css"), "assets/x.css", &d) &&
                                              find(&d, "cannot read"),
          "");
    CHECK("copy to a bad path fails", !writer_copy(w, at("style.css"), "../style.css", &d), "");
    writer_commit(w, &d);
    CHECK("the copy is published", file_is(at("kopie/assets/style.css"), "body{margin:0}"), "");
    diags_free(&d);
}

typedef struct {
    Writer *w;
    int t;
    bool ok;
} Job;

static void *put_many(void *arg)
{
    Job *j = arg;
    Diags d = DIAGS_INIT;
    j->ok = true;
    for (int i = 0; i < 50; i++) {
        char rel[64], body[64];
        snprintf(rel, sizeof rel, "t%d/gedeeld/p%d.html", j->t, i);
        snprintf(body, sizeof body, "%d-%d", j->t, i);
        j->ok &= writer_put(j->w, rel, body, strlen(body), &d);
    }
    diags_free(&d);
    return NULL;
}

static void test_threads(void)
{
    CHECK_SUITE("threads");
    Diags d = DIAGS_INIT;
    Writer *w = writer_open(at("draden"), false, &d);
    if (!w) {
        CHECK("opens", false, "");
        return;
    }
    pthread_t th[4];
    Job jobs[4];
    for (int t = 0; t < 4; t++) {
        jobs[t] = (Job){w, t, false};
        pthread_create(&th[t], NULL, put_many, &jobs[t]);
    }
    bool ok = true;
    for (int t = 0; t < 4; t++) {
        pthread_join(th[t], NULL);
        ok &= jobs[t].ok;
    }
    CHECK("puts from four threads succeed", ok, "");
    CHECK("every put is counted once", writer_count(w) == 200, "count=%zu", writer_count(w));
    writer_commit(w, &d);
    CHECK("files from every thread are published", file_is(at("draden/t0/gedeeld/p0.html"), "0-0") &&
                                                       file_is(at("draden/t3/gedeeld/p49.html"), "3-49"),
          "");
    diags_free(&d);
}

/* Incremental builds share the previous site's files through hard links:
 * only while a file is the one published, and never writing into it. */
static void test_link_previous(void)
{
    CHECK_SUITE("link previous");
    Diags d = DIAGS_INIT;
    Writer *w = writer_open(at("delen"), false, &d);
    writer_put(w, "nl/a.html", "oud-a", 5, &d);
    writer_put(w, "nl/b.html", "oud-b", 5, &d);
    WriterFileId a, b;
    CHECK("a written file has an id", writer_file_id(w, "nl/a.html", &a) && writer_file_id(w, "nl/b.html", &b), "");
    WriterFileId none;
    CHECK("no id for a file not written", !writer_file_id(w, "nl/c.html", &none), "");
    writer_commit(w, &d);

    w = writer_open(at("delen"), false, &d);
    CHECK("the published file is linked while it is the one recorded", writer_link_previous(w, "nl/a.html", &a), "");
    CHECK("a linked file counts as written", writer_count(w) == 1, "count=%zu", writer_count(w));
    WriterFileId wrong = b;
    wrong.mtime_ns ^= 1;
    CHECK("a file whose id differs is not linked", !writer_link_previous(w, "nl/b.html", &wrong), "");
    /* the same name written after a link: a new file, the published one untouched */
    writer_put(w, "nl/a.html", "nieuw", 5, &d);
    CHECK("writing over a linked name leaves the published file as it was", file_is(at("delen/nl/a.html"), "oud-a"), "");
    writer_abort(w);
    CHECK("after an aborted build the published files are as they were",
          file_is(at("delen/nl/a.html"), "oud-a") && file_is(at("delen/nl/b.html"), "oud-b"), "");

    /* a published file changed in place gets a new mtime: never linked */
    w = writer_open(at("delen"), false, &d);
    usleep(10000);
    put_file(at("delen/nl/a.html"), "hand!");
    CHECK("a published file changed since is not linked", !writer_link_previous(w, "nl/a.html", &a), "");
    writer_abort(w);
    CHECK("no diagnostics", diags_count(&d, DIAG_ERROR) == 0, "");
    diags_free(&d);
}

/* The site a commit replaces is kept as the spare, and the next writer is
 * made in that folder: what it keeps is checked, what it writes is renamed
 * in (the published site, sharing the files, stays as it was), and the
 * names it neither keeps nor writes are removed. */
static void test_spare(void)
{
    CHECK_SUITE("spare");
    Diags d = DIAGS_INIT;
    Writer *w = writer_open(at("reserve"), false, &d);
    writer_put(w, "a.html", "a1", 2, &d);
    writer_put(w, "nl/b.html", "b1", 2, &d);
    writer_put(w, "nl/weg/c.html", "c1", 2, &d);
    WriterFileId a, b;
    writer_file_id(w, "a.html", &a);
    writer_file_id(w, "nl/b.html", &b);
    writer_commit(w, &d);
    CHECK("the first build leaves no spare (there was no previous site)", !exists(at(".reserve.lobgen-spare")), "");
    w = writer_open(at("reserve"), false, &d);
    writer_link_previous(w, "a.html", &a);
    writer_link_previous(w, "nl/b.html", &b);
    writer_put(w, "nl/weg/c.html", "c1", 2, &d);
    writer_commit(w, &d);
    CHECK("the previous site is kept as the spare", exists(at(".reserve.lobgen-spare/.lobgen-site")), "");
    struct stat sp, st;
    CHECK("the spare is a folder", stat(at(".reserve.lobgen-spare"), &sp) == 0 && S_ISDIR(sp.st_mode), "");

    w = writer_open(at("reserve"), false, &d);
    CHECK("the next build claims the spare (gone from its name)", w && !exists(at(".reserve.lobgen-spare")), "");
    if (!w)
        return;
    CHECK("a file the spare holds unchanged is kept", writer_link_previous(w, "a.html", &a), "");
    WriterFileId wrong = b;
    wrong.mtime_ns ^= 1;
    CHECK("a file whose id differs is not", !writer_link_previous(w, "nl/b.html", &wrong), "");
    writer_put(w, "nl/b.html", "b2", 2, &d);
    CHECK("a file written into the spare leaves the published one as it was", file_is(at("reserve/nl/b.html"), "b1"), "");
    writer_put(w, "nieuw.html", "n", 1, &d);
    CHECK("a build into the spare counts what it kept and wrote", writer_count(w) == 3, "count=%zu", writer_count(w));
    CHECK("commit succeeds", writer_commit(w, &d), "");
    CHECK("the site is published from the spare's folder", stat(at("reserve"), &st) == 0 && st.st_ino == sp.st_ino, "");
    CHECK("with the files kept and written", file_is(at("reserve/a.html"), "a1") && file_is(at("reserve/nl/b.html"), "b2") &&
                                                 file_is(at("reserve/nieuw.html"), "n"),
          "");
    CHECK("without the names the build did not write, and the folder they leave empty",
          !exists(at("reserve/nl/weg")), "");
    CHECK("without a temporary file of the writer", !exists(at("reserve/.lobgen-put-1")) && leftovers() == 0, "");

    /* an aborted build gives the spare back; a folder at the spare's name
     * without lobgen's marker is never claimed */
    w = writer_open(at("reserve"), false, &d);
    writer_put(w, "a.html", "kapot", 5, &d);
    writer_abort(w);
    CHECK("an aborted build leaves the site as it was", file_is(at("reserve/a.html"), "a1"), "");
    CHECK("and gives the spare back", exists(at(".reserve.lobgen-spare/.lobgen-site")), "");
    check_rm_tree(at(".reserve.lobgen-spare"));
    mkdir(at(".reserve.lobgen-spare"), 0755);
    put_file(at(".reserve.lobgen-spare/a.html"), "van iemand");
    w = writer_open(at("reserve"), false, &d);
    if (w) {
        writer_put(w, "a.html", "a3", 2, &d);
        writer_commit(w, &d);
    }
    CHECK("a spare without lobgen's marker is not used", file_is(at("reserve/a.html"), "a3"), "");
    CHECK("nor changed", file_is(at(".reserve.lobgen-spare/a.html"), "van iemand") &&
                             !exists(at(".reserve.lobgen-spare/.lobgen-site")),
          "");
    CHECK("no diagnostics", diags_count(&d, DIAG_ERROR) == 0, "");
    diags_free(&d);
}

/* The spare's files are stat'ed while it is walked (in the background,
 * from writer_open on), and a reuse compares with that stat: so a file
 * edited since the last build is caught, and a name this build wrote,
 * removed or cleared the way for is stat'ed again, never taken on the
 * walk's word. Enough folders that the walk runs on its threads. */
#define SP_LANGS 3
#define SP_PAGES 40
static const char *sp_rel(int l, int p, int f)
{
    static char bufs[4][64];
    static int next;
    char *b = bufs[next++ % 4];
    static const char *files[] = {"index.html", "handout.html", "agenda.ics"};
    snprintf(b, 64, "t%d/k/p%d/%s", l, p, files[f]);
    return b;
}

static void test_spare_stats(void)
{
    CHECK_SUITE("spare stats");
    Diags d = DIAGS_INIT;
    static WriterFileId id[SP_LANGS][SP_PAGES][3];
    Writer *w = writer_open(at("walk"), false, &d);
    for (int l = 0; l < SP_LANGS; l++)
        for (int p = 0; p < SP_PAGES; p++)
            for (int f = 0; f < 3; f++) {
                const char *r = sp_rel(l, p, f);
                writer_put(w, r, r, strlen(r), &d);
                writer_file_id(w, r, &id[l][p][f]);
            }
    writer_commit(w, &d);
    /* the second build links every file: its site shares them with the spare */
    w = writer_open(at("walk"), false, &d);
    bool all = true;
    for (int l = 0; l < SP_LANGS; l++)
        for (int p = 0; p < SP_PAGES; p++)
            for (int f = 0; f < 3; f++)
                all = writer_link_previous(w, sp_rel(l, p, f), &id[l][p][f]) && all;
    CHECK("a build links every unchanged published file", all, "");
    writer_commit(w, &d);
    CHECK("its previous site is the spare", exists(at(".walk.lobgen-spare/t0/k/p0/index.html")), "");

    /* by hand, between builds: a page edited in place (one file for site and spare) */
    usleep(10000);
    FILE *f = fopen(at("walk/t1/k/p5/index.html"), "a");
    fputs("<!-- hand -->", f);
    fclose(f);

    w = writer_open(at("walk"), false, &d);
    if (!w)
        return;
    CHECK("a file edited in place in the spare's folder since the last build is not kept",
          !writer_link_previous(w, "t1/k/p5/index.html", &id[1][5][0]), "");
    /* taken out again, then asked for again: the walk's stat says nothing any more */
    CHECK("a file kept", writer_link_previous(w, "t0/k/p1/index.html", &id[0][1][0]), "");
    writer_unlink(w, "t0/k/p1/index.html");
    CHECK("a file taken out and asked for again is linked again", writer_link_previous(w, "t0/k/p1/index.html", &id[0][1][0]), "");
    /* written over, then asked for: the new file is not the one expected */
    writer_put(w, "t0/k/p2/index.html", "nieuw", 5, &d);
    bool again = writer_link_previous(w, "t0/k/p2/index.html", &id[0][2][0]);
    /* a file put where a folder of the spare was: the files below it are gone */
    writer_put(w, "t2/k/p3", "bestand", 7, &d);
    bool below = writer_link_previous(w, "t2/k/p3/agenda.ics", &id[2][3][2]);
    size_t kept = 0, asked = 0;
    for (int l = 0; l < SP_LANGS; l++)
        for (int p = 0; p < SP_PAGES; p++)
            for (int k = 0; k < 3; k++) {
                if ((l == 1 && p == 5 && k == 0) || (l == 0 && p >= 1 && p <= 2 && k == 0) || (l == 2 && p == 3))
                    continue;
                asked++;
                kept += writer_link_previous(w, sp_rel(l, p, k), &id[l][p][k]);
            }
    CHECK("every other file is kept", kept == asked, "%zu of %zu", kept, asked);
    CHECK("commit succeeds", writer_commit(w, &d), "");
    CHECK("... and the file taken out and linked again is published", file_is(at("walk/t0/k/p1/index.html"), "t0/k/p1/index.html"), "");
    CHECK("a name written over is linked to the published file again, which it is afterwards",
          again && file_is(at("walk/t0/k/p2/index.html"), "t0/k/p2/index.html"), "");
    CHECK("a file below a folder a write removed is linked again, and there afterwards",
          below && file_is(at("walk/t2/k/p3/agenda.ics"), "t2/k/p3/agenda.ics"), "");
    CHECK("a file kept is there afterwards", file_is(at("walk/t2/k/p39/handout.html"), "t2/k/p39/handout.html"), "");

    /* a build given up at once, while the walk may still be running: the
     * spare goes back whole */
    w = writer_open(at("walk"), false, &d);
    writer_abort(w);
    CHECK("a build aborted at once gives the spare back", exists(at(".walk.lobgen-spare/t2/k/p39/handout.html")), "");
    CHECK("no diagnostics", diags_count(&d, DIAG_ERROR) == 0, "");
    diags_free(&d);
}


/* The folder record (write.c): a build into a spare takes a page folder's
 * names from the record of the build that last published that tree when
 * the folder's stat is the recorded one, else lists it; whatever it takes
 * from the record, the site comes out as when every folder is listed. */
/* the page folders (t0/k/p0 ...) and the kind folders the walkers start
 * from (t0/k ...): taken from the record when unchanged */
#define FR_ALL (SP_LANGS * SP_PAGES + SP_LANGS)
#define FR_NEAR (1 + SP_LANGS) /* the root, t0 ...: always listed */

static WriterFileId fr_id[SP_LANGS][SP_PAGES][3];

/* One build that keeps or links every page (writes it when it cannot);
 * the walk's counts in *listed and *trusted. */
static bool fr_build(size_t *listed, size_t *trusted)
{
    Diags d = DIAGS_INIT;
    Writer *w = writer_open(at("rec"), false, &d);
    if (!w)
        return false;
    writer_walk_counts(w, listed, trusted);
    for (int l = 0; l < SP_LANGS; l++)
        for (int p = 0; p < SP_PAGES; p++)
            for (int f = 0; f < 3; f++) {
                const char *r = sp_rel(l, p, f);
                if (!writer_link_previous(w, r, &fr_id[l][p][f])) {
                    writer_put(w, r, r, strlen(r), &d);
                    writer_file_id(w, r, &fr_id[l][p][f]);
                }
            }
    bool ok = writer_commit(w, &d) && diags_count(&d, DIAG_ERROR) == 0;
    diags_free(&d);
    return ok;
}

/* the site holds every page as written, and nothing else */
static bool fr_site_right(void)
{
    for (int l = 0; l < SP_LANGS; l++)
        for (int p = 0; p < SP_PAGES; p++)
            for (int f = 0; f < 3; f++) {
                char rel[96];
                snprintf(rel, sizeof rel, "rec/%s", sp_rel(l, p, f));
                if (!file_is(at(rel), sp_rel(l, p, f)))
                    return false;
            }
    return true;
}

static char *fr_read_record(size_t *len) { return read_file(at(".rec.lobgen-folders"), len); }

static void fr_write_record(const char *data, size_t len)
{
    FILE *f = fopen(at(".rec.lobgen-folders"), "wb");
    fwrite(data, 1, len, f);
    fclose(f);
}

/* The walk's counts of a build given up at once (the spare goes back as
 * it was, the record file is not written) */
static void fr_open_counts(size_t *listed, size_t *trusted)
{
    Diags d = DIAGS_INIT;
    Writer *w = writer_open(at("rec"), false, &d);
    *listed = *trusted = 0;
    if (w) {
        writer_walk_counts(w, listed, trusted);
        writer_abort(w);
    }
    diags_free(&d);
}

static void test_folder_record(void)
{
    CHECK_SUITE("folder record");
    size_t listed, trusted;
    /* two fresh trees (the first build keeps no spare), then one build in
     * each once their folders are older than the racy margin (2.1 s): each
     * lists every folder and records its tree */
    fr_build(&listed, &trusted);
    fr_build(&listed, &trusted);
    CHECK("a build into a fresh folder walks nothing", listed == 0 && trusted == 0, "%zu %zu", listed, trusted);
    sleep(3);
    fr_build(&listed, &trusted);
    CHECK("a spare without a record: every folder listed", listed == FR_NEAR + FR_ALL && trusted == 0, "listed %zu trusted %zu",
          listed, trusted);
    fr_build(&listed, &trusted);
    CHECK("... the other tree too", listed == FR_NEAR + FR_ALL && trusted == 0, "listed %zu trusted %zu", listed, trusted);
    /* site and spare alternate: each build finds its own tree's record */
    for (int i = 0; i < 3; i++) {
        fr_build(&listed, &trusted);
        CHECK("a build with nothing changed lists no page folder", listed == FR_NEAR && trusted == FR_ALL,
              "build %d: listed %zu trusted %zu", i, listed, trusted);
    }
    CHECK("the site is right", fr_site_right(), "");

    /* by hand, in the spare: a file added to a folder that was trusted;
     * a folder replaced by a new one of the same name holding the same
     * files and one more */
    put_file(at(".rec.lobgen-spare/t0/k/p1/extra.html"), "van iemand");
    rename(at(".rec.lobgen-spare/t1/k/p2"), at(".rec.lobgen-spare/t1/k/p2-oud"));
    mkdir(at(".rec.lobgen-spare/t1/k/p2"), 0755);
    rename(at(".rec.lobgen-spare/t1/k/p2-oud/index.html"), at(".rec.lobgen-spare/t1/k/p2/index.html"));
    rename(at(".rec.lobgen-spare/t1/k/p2-oud/handout.html"), at(".rec.lobgen-spare/t1/k/p2/handout.html"));
    rename(at(".rec.lobgen-spare/t1/k/p2-oud/agenda.ics"), at(".rec.lobgen-spare/t1/k/p2/agenda.ics"));
    rmdir(at(".rec.lobgen-spare/t1/k/p2-oud"));
    put_file(at(".rec.lobgen-spare/t1/k/p2/stray.html"), "van iemand");
    /* and in the published site, which is the next build's spare */
    put_file(at("rec/t2/k/p3/hand.html"), "van iemand");
    fr_build(&listed, &trusted);
    /* and the kind folder t1/k, in which p2 was renamed and made */
    CHECK("a folder with a file added, and one replaced by a new folder, are listed",
          listed == FR_NEAR + 3 && trusted == FR_ALL - 3, "listed %zu trusted %zu", listed, trusted);
    CHECK("the file added to a folder that was trusted is pruned", !exists(at("rec/t0/k/p1/extra.html")), "");
    CHECK("the file in the folder replaced is pruned", !exists(at("rec/t1/k/p2/stray.html")), "");
    CHECK("the site is right after hand edits of the spare", fr_site_right(), "");
    fr_build(&listed, &trusted);
    CHECK("the next build lists the folder of the file added to the site", listed == FR_NEAR + 1 && trusted == FR_ALL - 1,
          "listed %zu trusted %zu", listed, trusted);
    CHECK("and prunes it", !exists(at("rec/t2/k/p3/hand.html")), "");
    CHECK("the site is right after a hand edit of the site", fr_site_right(), "");

    /* racy: the folders these two builds listed (their times are those of
     * the hand edits, less than the margin before their stat) are listed
     * again, though nothing changed them since */
    fr_build(&listed, &trusted);
    CHECK("a folder whose record is racy is listed (p1, p2 and t1/k)", listed == FR_NEAR + 3 && trusted == FR_ALL - 3,
          "listed %zu trusted %zu", listed, trusted);
    fr_build(&listed, &trusted);
    CHECK("... in the other tree too", listed == FR_NEAR + 1 && trusted == FR_ALL - 1, "listed %zu trusted %zu", listed,
          trusted);

    /* a build given up gives the spare back with its record still right */
    fr_open_counts(&listed, &trusted);
    fr_open_counts(&listed, &trusted);
    CHECK("after a failed build the spare's record is still used", trusted >= FR_ALL - 3, "listed %zu trusted %zu", listed,
          trusted);
    size_t good_n;
    char *good = fr_read_record(&good_n);
    size_t base_trusted = trusted;
    CHECK("the record file is there", good && good_n > 64, "");
    if (!good)
        return;
    /* a damaged, cut, foreign or missing record: every folder listed */
    char *bad = malloc(good_n);
    memcpy(bad, good, good_n);
    bad[good_n / 2] ^= 0x20;
    fr_write_record(bad, good_n);
    fr_open_counts(&listed, &trusted);
    CHECK("a record with a byte changed is not used", trusted == 0 && listed == FR_NEAR + FR_ALL, "listed %zu trusted %zu",
          listed, trusted);
    fr_write_record(good, good_n - 9);
    fr_open_counts(&listed, &trusted);
    CHECK("a record cut short is not used", trusted == 0, "trusted %zu", trusted);
    memcpy(bad, good, good_n);
    bad[20] ^= 1; /* the binary's identity, with a right checksum */
    uint64_t sum = XXH3_64bits(bad, good_n - 8);
    memcpy(bad + good_n - 8, &sum, 8);
    fr_write_record(bad, good_n);
    fr_open_counts(&listed, &trusted);
    CHECK("a record of another lobgen binary is not used", trusted == 0, "trusted %zu", trusted);
    unlink(at(".rec.lobgen-folders"));
    fr_open_counts(&listed, &trusted);
    CHECK("without a record every folder is listed", trusted == 0 && listed == FR_NEAR + FR_ALL, "listed %zu trusted %zu",
          listed, trusted);
    fr_write_record(good, good_n);
    fr_open_counts(&listed, &trusted);
    CHECK("the record put back is used again", trusted == base_trusted, "trusted %zu, was %zu", trusted, base_trusted);
    /* a whole build with a damaged record: the output is right */
    fr_write_record(good, good_n / 2);
    put_file(at(".rec.lobgen-spare/t0/k/p7/extra.html"), "van iemand");
    fr_build(&listed, &trusted);
    CHECK("a build with a cut record lists every folder", trusted == 0, "trusted %zu", trusted);
    CHECK("and its site is right", fr_site_right() && !exists(at("rec/t0/k/p7/extra.html")), "");
    free(bad);
    free(good);

    /* A kind folder (t0/k, where a walker starts) is taken from the record
     * like a page folder: every hand edit in it or of it is still seen. */
    sleep(3); /* every folder older than the racy margin: both trees trusted again */
    fr_build(&listed, &trusted);
    fr_build(&listed, &trusted);
    fr_build(&listed, &trusted);
    CHECK("with both records fresh, nothing listed below the top", listed == FR_NEAR && trusted == FR_ALL,
          "listed %zu trusted %zu", listed, trusted);
    /* in the spare: a file added to a kind folder, a page folder in another
     * replaced by a symbolic link to a folder outside the site, a page
     * edited in place (its folder does not change) */
    put_file(at(".rec.lobgen-spare/t0/k/extra.html"), "van iemand");
    mkdir(at("buiten"), 0755);
    put_file(at("buiten/index.html"), "buiten");
    check_rm_tree(at(".rec.lobgen-spare/t1/k/p4"));
    symlink(at("buiten"), at(".rec.lobgen-spare/t1/k/p4"));
    FILE *f = fopen(at(".rec.lobgen-spare/t2/k/p5/index.html"), "r+");
    if (f) {
        fputs("veranderd", f);
        fclose(f);
    }
    fr_build(&listed, &trusted);
    /* t1/k, whose link the walk removed, changed while it was read: read
     * again trusting nothing, so its other page folders are listed too */
    CHECK("a kind folder with a file added, one with a page folder replaced by a link: both listed",
          listed == FR_NEAR + 2 + (SP_PAGES - 1) && trusted == FR_ALL - 2 - SP_PAGES, "listed %zu trusted %zu", listed,
          trusted);
    CHECK("the file added to the kind folder is pruned", !exists(at("rec/t0/k/extra.html")), "");
    struct stat ls;
    CHECK("the link is gone, the page folder is back", lstat(at("rec/t1/k/p4"), &ls) == 0 && S_ISDIR(ls.st_mode), "");
    CHECK("the folder outside is untouched", file_is(at("buiten/index.html"), "buiten"), "");
    CHECK("the page edited in place in a trusted folder is seen", fr_site_right(), "");
}

int main(void)
{
    strcpy(tmpdir, "/tmp/lobgen-write-XXXXXX");
    if (!mkdtemp(tmpdir)) {
        perror("mkdtemp");
        return 2;
    }
    test_first_build();
    test_replace();
    test_abort();
    test_refused_paths();
    test_foreign_folder();
    test_dry_run();
    test_copy();
    test_threads();
    test_link_previous();
    test_spare();
    test_spare_stats();
    test_folder_record();
    check_rm_tree(tmpdir);
    CHECK_DONE();
}
