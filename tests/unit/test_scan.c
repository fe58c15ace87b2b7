/* Finding content files: well-named files are found in a fixed order; every
 * misnamed file, unknown folder or escaping symlink is an error at that file. */
#include "check.h"
#include "check_files.h"
#include "check_diags.h"
#include "scan.h"

#include <errno.h>
#include <ftw.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static void die(const char *what)
{
    perror(what);
    exit(2);
}

/* mkdir -p for the folders of path (not its last part). */
static void make_parents(const char *path)
{
    char buf[1024];
    snprintf(buf, sizeof buf, "%s", path);
    for (char *p = buf + 1; *p; p++) {
        if (*p != '/')
            continue;
        *p = '\0';
        if (mkdir(buf, 0777) != 0 && errno != EEXIST)
            die(buf);
        *p = '/';
    }
}

static void put(const char *root, const char *rel, const char *text)
{
    char path[1024];
    snprintf(path, sizeof path, "%s/%s", root, rel);
    make_parents(path);
    FILE *f = fopen(path, "wb");
    if (!f)
        die(path);
    fputs(text, f);
    fclose(f);
}

static void dir(const char *root, const char *rel)
{
    char path[1024];
    snprintf(path, sizeof path, "%s/%s/", root, rel);
    make_parents(path);
}

static void link_to(const char *target, const char *root, const char *rel)
{
    char path[1024];
    snprintf(path, sizeof path, "%s/%s", root, rel);
    make_parents(path);
    if (symlink(target, path) != 0)
        die(path);
}

static char *mktemp_dir(const char *name)
{
    char *d = xmalloc(64);
    snprintf(d, 64, "/tmp/lobgen-%s-XXXXXX", name);
    if (!mkdtemp(d))
        die("mkdtemp");
    return d;
}

static LangConfig langs[] = {{"nl", NULL}, {"tr", NULL}, {"ar-MA", NULL}};
static const Config config = {.file = "lobgen.yaml", .langs = langs, .n_langs = 3};

static const Diag *diag_for(const Diags *d, const char *root, const char *rel)
{
    char path[1024];
    snprintf(path, sizeof path, "%s/%s", root, rel);
    for (size_t i = 0; i < d->len; i++)
        if (d->items[i].file && !strcmp(d->items[i].file, path))
            return &d->items[i];
    return NULL;
}


static void test_helpers(const char *tmp)
{
    CHECK_SUITE("scan helpers");
    CHECK("kind thuisopdrachten", kind_from_name("thuisopdrachten", 15) == KIND_THUISOPDRACHT, "");
    CHECK("kind gesprekken", kind_from_name("gesprekken", 10) == KIND_GESPREK, "");
    CHECK("kind ouderavonden", kind_from_name("ouderavonden", 12) == KIND_OUDERAVOND, "");
    CHECK("a prefix is not a kind", kind_from_name("gesprekken", 9) == KIND_COUNT, "");
    CHECK("singular is not a kind", kind_from_name("gesprek", 7) == KIND_COUNT, "");
    CHECK_STR("kind_names are the folders", kind_names[KIND_GESPREK], "gesprekken");

    const char *good[] = {"a", "mijn-kwaliteiten", "week-12", "3d", "a-b-c"};
    for (size_t i = 0; i < sizeof good / sizeof *good; i++)
        CHECK(good[i], scan_valid_slug(good[i], strlen(good[i])), "should be a valid slug");
    const char *bad[] = {"", "-a", "a-", "a--b", "Mijn", "a_b", "a b", "é", "a.b"};
    for (size_t i = 0; i < sizeof bad / sizeof *bad; i++)
        CHECK(bad[i][0] ? bad[i] : "(empty)", !scan_valid_slug(bad[i], strlen(bad[i])), "should be invalid");
    CHECK("slug length is respected", scan_valid_slug("abc-", 3), "");

    char p[1024], q[1024];
    put(tmp, "proj/x.txt", "x");
    put(tmp, "projector/y.txt", "y");
    snprintf(p, sizeof p, "%s/proj/x.txt", tmp);
    snprintf(q, sizeof q, "%s/proj", tmp);
    CHECK("file inside its folder", scan_path_inside(p, q), "");
    CHECK("folder inside itself", scan_path_inside(q, q), "");
    snprintf(p, sizeof p, "%s/projector/y.txt", tmp);
    CHECK("a name prefix is not inside", !scan_path_inside(p, q), "");
    snprintf(p, sizeof p, "%s/proj/../projector/y.txt", tmp);
    CHECK("'..' is resolved before comparing", !scan_path_inside(p, q), "");
    link_to("../projector/y.txt", tmp, "proj/link.txt");
    snprintf(p, sizeof p, "%s/proj/link.txt", tmp);
    CHECK("a symlink out is not inside", !scan_path_inside(p, q), "");
    snprintf(p, sizeof p, "%s/proj/missing.txt", tmp);
    CHECK("a missing path is not inside", !scan_path_inside(p, q), "");
}

static void test_valid(const char *tmp)
{
    CHECK_SUITE("scan valid project");
    char root[512];
    snprintf(root, sizeof root, "%s/valid", tmp);
    put(root, "content/thuisopdrachten/mijn-kwaliteiten.nl.md", "---\ntitle: A\n---\n");
    put(root, "content/thuisopdrachten/mijn-kwaliteiten.tr.md", "x");
    put(root, "content/thuisopdrachten/beroepen-in-de-familie.nl.md", "x");
    put(root, "content/gesprekken/voortgang-1.ar-MA.md", "x");
    put(root, "content/gesprekken/mijn-kwaliteiten.nl.md", "same slug in another kind is allowed");
    put(root, "content/woordenlijst.tr.yaml", "a: b\n");
    put(root, "content/woordenlijst.nl.yaml", "a: b\n");
    /* recordings beside the texts are listed apart from them */
    put(root, "content/thuisopdrachten/mijn-kwaliteiten.tr.opus", "OggS");
    put(root, "content/gesprekken/voortgang-1.ar-MA.m4a", "x");
    /* ignored: dotfiles and dot-folders, wherever they are */
    put(root, "content/.DS_Store", "junk");
    put(root, "content/thuisopdrachten/.mijn-kwaliteiten.nl.md.swp", "junk");
    put(root, "content/.concepten/Wat Dan.docx", "junk");
    put(root, "content/gesprekken/.oud/x.nl.md", "junk");
    /* symlinks that stay in the project are followed */
    put(root, "gedeeld/samen.tr.md", "x");
    link_to("../../gedeeld/samen.tr.md", root, "content/gesprekken/samen.tr.md");
    put(root, "bronnen/avonden/avond-1.nl.md", "x");
    link_to("../bronnen/avonden", root, "content/ouderavonden");

    Arena *a = arena_new();
    Diags d = DIAGS_INIT;
    ScanResult r;
    bool ok = scan_content(a, root, &config, &r, &d);
    CHECK("no errors", ok && d.len == 0, "ok=%d n=%zu", ok, d.len);
    dump(&d);
    static const struct {
        const char *path, *slug, *lang;
        Kind kind;
        int lang_index;
    } want[] = {
        {"content/gesprekken/mijn-kwaliteiten.nl.md", "mijn-kwaliteiten", "nl", KIND_GESPREK, 0},
        {"content/gesprekken/samen.tr.md", "samen", "tr", KIND_GESPREK, 1},
        {"content/gesprekken/voortgang-1.ar-MA.md", "voortgang-1", "ar-MA", KIND_GESPREK, 2},
        {"content/ouderavonden/avond-1.nl.md", "avond-1", "nl", KIND_OUDERAVOND, 0},
        {"content/thuisopdrachten/beroepen-in-de-familie.nl.md", "beroepen-in-de-familie", "nl", KIND_THUISOPDRACHT, 0},
        {"content/thuisopdrachten/mijn-kwaliteiten.nl.md", "mijn-kwaliteiten", "nl", KIND_THUISOPDRACHT, 0},
        {"content/thuisopdrachten/mijn-kwaliteiten.tr.md", "mijn-kwaliteiten", "tr", KIND_THUISOPDRACHT, 1},
    };
    size_t nw = sizeof want / sizeof *want;
    CHECK("seven files found", r.n_files == nw, "got %zu", r.n_files);
    CHECK("two recordings found, sorted by path, with slug and language",
          r.n_recordings == 2 && !strcmp(r.recordings[0].path, "content/gesprekken/voortgang-1.ar-MA.m4a") &&
              !strcmp(r.recordings[0].slug, "voortgang-1") && r.recordings[0].lang_index == 2 &&
              !strcmp(r.recordings[1].slug, "mijn-kwaliteiten") && !strcmp(r.recordings[1].lang, "tr"),
          "got %zu", r.n_recordings);
    for (size_t i = 0; i < nw && i < r.n_files; i++) {
        const SourceFile *f = &r.files[i];
        char name[96], abs[1024];
        snprintf(name, sizeof name, "file %zu path (sorted)", i);
        CHECK_STR(name, f->path, want[i].path);
        snprintf(name, sizeof name, "file %zu slug", i);
        CHECK_STR(name, f->slug, want[i].slug);
        snprintf(name, sizeof name, "file %zu lang", i);
        CHECK_STR(name, f->lang, want[i].lang);
        snprintf(name, sizeof name, "file %zu kind and lang_index", i);
        CHECK(name, f->kind == want[i].kind && f->lang_index == want[i].lang_index, "kind=%d idx=%d", f->kind,
              f->lang_index);
        snprintf(name, sizeof name, "file %zu abs", i);
        snprintf(abs, sizeof abs, "%s/%s", root, want[i].path);
        CHECK_STR(name, f->abs, abs);
    }
    CHECK("abs opens the file", r.n_files > 5 && access(r.files[5].abs, R_OK) == 0, "");
    CHECK("two glossaries", r.n_glossaries == 2, "got %zu", r.n_glossaries);
    if (r.n_glossaries == 2) {
        CHECK_STR("glossaries sorted (nl)", r.glossaries[0], "content/woordenlijst.nl.yaml");
        CHECK_STR("glossaries sorted (tr)", r.glossaries[1], "content/woordenlijst.tr.yaml");
    }
    diags_free(&d);

    /* root "." gives paths as the user sees them from the project folder */
    char cwd[4096];
    if (!getcwd(cwd, sizeof cwd) || chdir(root) != 0) {
        CHECK("chdir into the fixture", 0, "");
    } else {
        ok = scan_content(a, ".", &config, &r, &d);
        CHECK("root '.' scans too", ok && r.n_files == nw, "");
        if (r.n_files)
            CHECK_STR("root '.': abs is the relative path", r.files[0].abs, "content/gesprekken/mijn-kwaliteiten.nl.md");
        diags_free(&d);
        if (chdir(cwd) != 0)
            exit(2);
    }
    arena_free(a);
}

static void expect(const Diags *d, const char *root, const char *rel, const char *needle)
{
    const Diag *g = diag_for(d, root, rel);
    CHECK(rel, g && g->level == DIAG_ERROR && g->line == 0 && g->col == 0 && strstr(g->msg, needle),
          "want [%s], got [%s]", needle, g ? g->msg : "(no error for this file)");
}

static void test_errors(const char *tmp, const char *outside)
{
    CHECK_SUITE("scan errors");
    char root[512];
    snprintf(root, sizeof root, "%s/bad", tmp);
    put(root, "content/gesprekken/goed.nl.md", "x");
    put(root, "content/thuisopdrachten/notities.txt", "x");
    put(root, "content/thuisopdrachten/Mijn_Taak.nl.md", "x");
    put(root, "content/thuisopdrachten/a--b.nl.md", "x");
    put(root, "content/thuisopdrachten/taak.md", "x");
    put(root, "content/thuisopdrachten/taak.de.md", "x");
    put(root, "content/thuisopdrachten/taak.ar-ma.md", "x");
    put(root, "content/thuisopdrachten/taak.concept.md", "x");
    put(root, "content/thuisopdrachten/taak.nl.MD", "x");
    put(root, "content/thuisopdrachten/leerjaar1/taak.nl.md", "x");
    put(root, "content/gesprekke/x.nl.md", "x");
    dir(root, "content/plaatjes");
    put(root, "content/losse-taak.nl.md", "x");
    put(root, "content/woordenlijst.de.yaml", "x");
    put(root, "content/woordenlijst.yml", "x");
    put(outside, "geheim.nl.md", "x");
    char target[1024];
    snprintf(target, sizeof target, "%s/geheim.nl.md", outside);
    link_to(target, root, "content/gesprekken/geheim.nl.md");
    link_to(outside, root, "content/gesprekken/extern");
    link_to(outside, root, "content/ouderavonden");
    link_to("nergens.nl.md", root, "content/gesprekken/kapot.nl.md");

    Arena *a = arena_new();
    Diags d = DIAGS_INIT;
    ScanResult r;
    bool ok = scan_content(a, root, &config, &r, &d);
    CHECK("scan fails", !ok, "");
    const char *naming = "content files are named content/<kind>/<slug>.<lang>.md, with kind one of "
                         "thuisopdrachten, gesprekken, ouderavonden (recordings beside them "
                         "<slug>.<lang>.opus, .ogg, .mp3 or .m4a); rename this file";
    expect(&d, root, "content/thuisopdrachten/notities.txt", "not a Markdown file (.md)");
    expect(&d, root, "content/thuisopdrachten/notities.txt", naming);
    expect(&d, root, "content/thuisopdrachten/Mijn_Taak.nl.md", "'Mijn_Taak' is not a valid slug");
    expect(&d, root, "content/thuisopdrachten/a--b.nl.md", "'a--b' is not a valid slug");
    expect(&d, root, "content/thuisopdrachten/taak.md", "needs a slug and a language");
    expect(&d, root, "content/thuisopdrachten/taak.de.md",
           "the language 'de' is not configured; add it to languages in lobgen.yaml or rename the file");
    expect(&d, root, "content/thuisopdrachten/taak.ar-ma.md", "did you mean 'ar-MA'?");
    expect(&d, root, "content/thuisopdrachten/taak.concept.md", "'concept' in the name is not a language tag");
    expect(&d, root, "content/thuisopdrachten/taak.nl.MD", ".md in lowercase");
    expect(&d, root, "content/thuisopdrachten/leerjaar1", "folders inside content/thuisopdrachten/ are not read");
    expect(&d, root, "content/gesprekke", "unknown folder 'gesprekke' in content/; did you mean 'gesprekken'?");
    expect(&d, root, "content/plaatjes", "the folders in content/ are thuisopdrachten, gesprekken and ouderavonden");
    expect(&d, root, "content/losse-taak.nl.md", "only glossaries");
    expect(&d, root, "content/woordenlijst.de.yaml", "the language 'de' is not configured");
    expect(&d, root, "content/woordenlijst.yml", "content/woordenlijst.<lang>.yaml");
    expect(&d, root, "content/gesprekken/geheim.nl.md", "points outside the project; copy the file in instead");
    expect(&d, root, "content/gesprekken/extern", "points outside the project");
    expect(&d, root, "content/ouderavonden", "points outside the project");
    expect(&d, root, "content/gesprekken/kapot.nl.md", "does not exist");
    CHECK("one error per bad entry, nothing inside refused folders", d.len == 18, "got %zu", d.len);
    if (d.len != 18)
        dump(&d);
    CHECK("the good file is still found", r.n_files == 1 && !strcmp(r.files[0].slug, "goed"), "n=%zu", r.n_files);
    CHECK("no glossary accepted", r.n_glossaries == 0, "");
    diags_free(&d);
    arena_free(a);
}

static void test_no_content(const char *tmp, const char *outside)
{
    CHECK_SUITE("scan content folder");
    char root[512];
    snprintf(root, sizeof root, "%s/empty", tmp);
    dir(root, "templates");
    Arena *a = arena_new();
    Diags d = DIAGS_INIT;
    ScanResult r;
    bool ok = scan_content(a, root, &config, &r, &d);
    CHECK("missing content/ fails", !ok && d.len == 1, "n=%zu", d.len);
    expect(&d, root, "content", "the project has no content/ folder; create it");
    diags_free(&d);

    snprintf(root, sizeof root, "%s/elsewhere", tmp);
    dir(root, "templates");
    link_to(outside, root, "content");
    ok = scan_content(a, root, &config, &r, &d);
    CHECK("content/ linked outside fails", !ok && d.len == 1, "n=%zu", d.len);
    expect(&d, root, "content", "points outside the project");
    diags_free(&d);

    snprintf(root, sizeof root, "%s/emptycontent", tmp);
    dir(root, "content");
    ok = scan_content(a, root, &config, &r, &d);
    CHECK("an empty content/ is fine", ok && d.len == 0 && r.n_files == 0 && r.n_glossaries == 0, "");
    diags_free(&d);
    arena_free(a);
}

/* Each entry of content/ is walked on a thread of its own: the files and
 * the messages come out in the same order whatever the number of threads,
 * the files sorted by path, the messages in the order of the names. */
static void test_threads(const char *tmp)
{
    CHECK_SUITE("scan on threads");
    char root[512];
    snprintf(root, sizeof root, "%s/threads", tmp);
    static const char *const kinds[] = {"gesprekken", "ouderavonden", "thuisopdrachten"};
    for (int k = 0; k < 3; k++)
        for (int i = 0; i < 40; i++) {
            char rel[128];
            snprintf(rel, sizeof rel, "content/%s/m-%d.%s.md", kinds[k], i, i % 3 == 0 ? "nl" : i % 3 == 1 ? "tr" : "ar-MA");
            put(root, rel, "x");
            snprintf(rel, sizeof rel, "content/%s/Fout_%d.nl.md", kinds[k], i % 7);
            put(root, rel, "x");
        }
    put(root, "content/aaa.txt", "x");
    put(root, "content/woordenlijst.tr.yaml", "x");
    put(root, "content/zzz/x.nl.md", "x");
    ScanResult r[3];
    Diags d[3] = {DIAGS_INIT, DIAGS_INIT, DIAGS_INIT};
    Arena *a = arena_new();
    static const char *const jobs[] = {"1", "2", "5"};
    for (int t = 0; t < 3; t++) {
        setenv("LOBGEN_JOBS", jobs[t], 1);
        scan_content(a, root, &config, &r[t], &d[t]);
    }
    unsetenv("LOBGEN_JOBS");
    CHECK("120 files, 1 glossary on one thread", r[0].n_files == 120 && r[0].n_glossaries == 1, "n=%zu", r[0].n_files);
    bool sorted = true;
    for (size_t i = 1; i < r[0].n_files; i++)
        sorted &= strcmp(r[0].files[i - 1].path, r[0].files[i].path) < 0;
    CHECK("... sorted by path", sorted, "");
    bool msgs_sorted = d[0].len == 3 * 7 + 2;
    for (size_t i = 1; i < d[0].len && msgs_sorted; i++)
        msgs_sorted = strcmp(d[0].items[i - 1].file, d[0].items[i].file) < 0;
    CHECK("... one message per bad entry, in the order of the names", msgs_sorted, "n=%zu", d[0].len);
    for (int t = 1; t < 3; t++) {
        bool same = r[t].n_files == r[0].n_files && r[t].n_glossaries == r[0].n_glossaries && d[t].len == d[0].len;
        for (size_t i = 0; same && i < r[0].n_files; i++)
            same = !strcmp(r[t].files[i].path, r[0].files[i].path) && !strcmp(r[t].files[i].abs, r[0].files[i].abs) &&
                   !strcmp(r[t].files[i].slug, r[0].files[i].slug) && r[t].files[i].kind == r[0].files[i].kind &&
                   r[t].files[i].lang_index == r[0].files[i].lang_index;
        for (size_t i = 0; same && i < d[0].len; i++)
            same = !strcmp(d[t].items[i].file, d[0].items[i].file) && !strcmp(d[t].items[i].msg, d[0].items[i].msg);
        char name[96];
        snprintf(name, sizeof name, "LOBGEN_JOBS=%s: the same files and messages in the same order", jobs[t]);
        CHECK(name, same, "files %zu/%zu, messages %zu/%zu", r[t].n_files, r[0].n_files, d[t].len, d[0].len);
        diags_free(&d[t]);
    }
    diags_free(&d[0]);
    arena_free(a);
}

int main(void)
{
    char *tmp = mktemp_dir("scan");
    char *outside = mktemp_dir("outside");
    test_helpers(tmp);
    test_valid(tmp);
    test_errors(tmp, outside);
    test_no_content(tmp, outside);
    test_threads(tmp);
    check_rm_tree(tmp);
    check_rm_tree(outside);
    free(tmp);
    free(outside);
    CHECK_DONE();
}
