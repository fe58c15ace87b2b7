/* The templates/ folder: the lookup order that lets a school override a
 * template per language and per leerjaar, partials that follow the page,
 * and the refusals that keep templates inside the project. */
#include "check.h"
#include "check_files.h"
#include "check_diags.h"
#include "templates.h"

#include <ftw.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static char base[64];

/* Write base/rel, making its folders. */
static void put(const char *rel, const char *text)
{
    char path[512];
    snprintf(path, sizeof path, "%s/%s", base, rel);
    for (char *p = strchr(path + strlen(base) + 1, '/'); p; p = strchr(p + 1, '/')) {
        *p = '\0';
        mkdir(path, 0755);
        *p = '/';
    }
    FILE *f = fopen(path, "wb");
    if (!f) {
        perror(path);
        exit(2);
    }
    fputs(text, f);
    fclose(f);
}

static const char *at(const char *rel)
{
    static char bufs[4][512];
    static int next;
    char *b = bufs[next++ % 4];
    snprintf(b, 512, "%s/%s", base, rel);
    return b;
}

/* A step of the test's own setup; without it nothing after makes sense. */
static void must(bool ok, const char *what)
{
    if (!ok) {
        printf("FAIL setup: %s\n", what);
        exit(2);
    }
}


/* What NAME renders to for lang and leerjaar, or "(none)". */
static char *render(const Templates *t, const char *name, const char *lang, int leerjaar)
{
    static char out[256];
    Arena *a = arena_new();
    Diags d = DIAGS_INIT;
    Buf b = BUF_INIT;
    TemplateScope s = {t, lang, leerjaar, NULL};
    bool ok = templates_render(&s, name, value_map(a), &b, &d);
    snprintf(out, sizeof out, "%s", ok ? buf_cstr(&b) : "(none)");
    buf_free(&b);
    diags_free(&d);
    arena_free(a);
    return out;
}

static void lookup(const Templates *t, const char *name, const char *lang, int leerjaar, const char *want)
{
    char label[160];
    snprintf(label, sizeof label, "%s for %s, leerjaar %d is %s", name, lang ? lang : "(no language)", leerjaar, want);
    CHECK_STR(label, render(t, name, lang, leerjaar), want);
}

static void make_project(const char *dir)
{
    snprintf(base, sizeof base, "%s", dir);
    mkdir(base, 0755);
    mkdir(at("templates"), 0755);
}

static void test_lookup(const char *root)
{
    CHECK_SUITE("lookup order");
    make_project(root);
    put("templates/page.mustache", "root");
    put("templates/leerjaar-2/page.mustache", "lj2");
    put("templates/tr/page.mustache", "tr");
    put("templates/tr/leerjaar-2/page.mustache", "tr-lj2");
    put("templates/x.mustache", "x-root");
    put("templates/leerjaar-2/x.mustache", "x-lj2");
    put("templates/tr/x.mustache", "x-tr");
    put("templates/ext.html", "ext-html");
    put("templates/ext.mustache", "ext-mustache");
    put("templates/tr/ext.html", "ext-tr-html");
    put("templates/only.html", "only-html");
    put("templates/blocks/tip.mustache", "tip");
    put("templates/notes.txt", "not a template");
    put("templates/.verborgen.mustache", "hidden");
    put("geheim.mustache", "GEHEIM");
    put("templates/layout.mustache", "[{{> partials/kop}}|{{<base}}{{$b}}inhoud{{/b}}{{/base}}]");
    put("templates/partials/kop.mustache", "kop");
    put("templates/tr/partials/kop.mustache", "kop-tr");
    put("templates/leerjaar-3/partials/kop.mustache", "kop-lj3");
    put("templates/base.mustache", "base({{$b}}leeg{{/b}})");
    put("templates/tr/base.mustache", "tr-base({{$b}}leeg{{/b}})");
    put("templates/escape.mustache", "[{{> ../geheim}}]");

    Diags d = DIAGS_INIT;
    Templates *t = templates_load(base, &d);
    CHECK("loads", t && d.len == 0, "n=%zu", d.len);
    dump(&d);
    diags_free(&d);
    if (!t)
        return;

    lookup(t, "page", "tr", 2, "tr-lj2");
    lookup(t, "page", "tr", 1, "tr");
    lookup(t, "page", "tr", 0, "tr");
    lookup(t, "page", "ar", 2, "lj2");
    lookup(t, "page", NULL, 2, "lj2");
    lookup(t, "page", "ar", 3, "root");
    lookup(t, "page", NULL, 0, "root");
    lookup(t, "x", "tr", 2, "x-tr");
    lookup(t, "x", "ar", 2, "x-lj2");
    lookup(t, "ext", "nl", 0, "ext-mustache");
    lookup(t, "ext", "tr", 0, "ext-tr-html");
    lookup(t, "only", "nl", 1, "only-html");
    lookup(t, "blocks/tip", "tr", 1, "tip");

    CHECK("a missing name is not found", templates_find(t, "bestaat-niet", "nl", 1) == NULL, "");
    CHECK("other files are not templates", templates_find(t, "notes", "nl", 0) == NULL &&
                                               templates_find(t, "notes.txt", "nl", 0) == NULL,
          "");
    CHECK("hidden files are not templates", templates_find(t, ".verborgen", NULL, 0) == NULL, "");
    CHECK("a name with .. is not found", templates_find(t, "../geheim", NULL, 0) == NULL, "");
    CHECK("a name with .. inside is not found", templates_find(t, "partials/../page", NULL, 0) == NULL, "");
    CHECK("an absolute name is not found", templates_find(t, "/page", NULL, 0) == NULL, "");
    CHECK("an empty name is not found", templates_find(t, "", NULL, 0) == NULL, "");
    CHECK("the name with its extension is not found", templates_find(t, "page.mustache", NULL, 0) == NULL, "");
    const Mustache *m = templates_find(t, "page", "tr", 2);
    CHECK("the template knows its file", m && strstr(mustache_file(m), "templates/tr/leerjaar-2/page.mustache"),
          "%s", m ? mustache_file(m) : "(none)");

    CHECK_SUITE("partials");
    lookup(t, "layout", "nl", 0, "[kop|base(inhoud)]");
    lookup(t, "layout", "tr", 0, "[kop-tr|tr-base(inhoud)]");
    lookup(t, "layout", "nl", 3, "[kop-lj3|base(inhoud)]");
    lookup(t, "layout", "tr", 3, "[kop-tr|tr-base(inhoud)]");
    /* a partial outside templates/ is never read: it is missing, which is an error */
    lookup(t, "escape", "nl", 0, "(none)");
    TemplateScope sc = {t, "tr", 0, NULL};
    const Mustache *k = templates_lookup(&sc, "partials/kop", NULL);
    CHECK("templates_lookup follows its scope", k && strstr(mustache_file(k), "templates/tr/partials/kop.mustache"),
          "");
    CHECK("templates_lookup refuses ..", templates_lookup(&sc, "../geheim", NULL) == NULL, "");

    Arena *a = arena_new();
    Buf out = BUF_INIT;
    d = (Diags)DIAGS_INIT;
    bool ok = templates_render(&sc, "nergens", value_map(a), &out, &d);
    CHECK("rendering a missing template is an error that names it", !ok && d.len == 1 &&
                                                                         strstr(d.items[0].msg, "'nergens'"),
          "ok=%d n=%zu", ok, d.len);
    buf_free(&out);
    diags_free(&d);
    arena_free(a);
    templates_free(t);
}

static void test_symlinks(const char *root, const char *outside)
{
    CHECK_SUITE("symlinks");
    char out_file[256];
    snprintf(out_file, sizeof out_file, "%s/evil.mustache", outside);
    mkdir(outside, 0755);
    FILE *f = fopen(out_file, "w");
    must(f != NULL, "a file outside the project");
    fputs("van buiten", f);
    fclose(f);

    make_project(root);
    put("templates/page.mustache", "root");
    put("shared/gedeeld.mustache", "gedeeld");
    int r1 = symlink(at("shared/gedeeld.mustache"), at("templates/gedeeld.mustache"));
    int r2 = symlink("page.mustache", at("templates/alias.mustache"));
    must(r1 == 0 && r2 == 0, "symlinks inside the project");
    Diags d = DIAGS_INIT;
    Templates *t = templates_load(base, &d);
    CHECK("symlinks inside the project are followed", t && d.len == 0, "n=%zu", d.len);
    dump(&d);
    if (t) {
        lookup(t, "gedeeld", NULL, 0, "gedeeld");
        lookup(t, "alias", NULL, 0, "root");
    }
    templates_free(t);
    diags_free(&d);

    must(symlink(out_file, at("templates/evil.mustache")) == 0, "a symlink to outside");
    t = templates_load(base, &d);
    const Diag *g = d.len ? &d.items[0] : NULL;
    CHECK("a symlink to outside the project is refused", !t && d.len == 1 && g->level == DIAG_ERROR &&
                                                              strstr(g->msg, "outside the project"),
          "t=%p n=%zu", (void *)t, d.len);
    CHECK("the error names the symlink", g && g->file && strstr(g->file, "templates/evil.mustache"), "%s",
          g && g->file ? g->file : "(none)");
    templates_free(t);
    diags_free(&d);
    unlink(at("templates/evil.mustache"));

    must(symlink(outside, at("templates/extern")) == 0, "a folder symlink to outside");
    t = templates_load(base, &d);
    CHECK("a symlinked folder outside the project is refused", !t && d.len == 1 && strstr(d.items[0].msg, "outside"),
          "n=%zu", d.len);
    templates_free(t);
    diags_free(&d);
}

static void test_errors(const char *root)
{
    CHECK_SUITE("errors");
    make_project(root);
    put("templates/page.mustache", "root");
    put("templates/tr/bad.mustache", "<ul>\n  {{#items}}\n<li>{{.}}</li>\n");
    Diags d = DIAGS_INIT;
    Templates *t = templates_load(base, &d);
    CHECK("a syntax error fails the load", !t && d.len >= 1, "n=%zu", d.len);
    const Diag *g = d.len ? &d.items[0] : NULL;
    CHECK("reported in its file", g && g->file && !strcmp(g->file, at("templates/tr/bad.mustache")), "%s",
          g && g->file ? g->file : "(none)");
    CHECK("at the line and column of the unclosed tag", g && g->line == 2 && g->col == 3, "line=%d col=%d",
          g ? g->line : -1, g ? g->col : -1);
    CHECK("saying what to add", g && strstr(g->msg, "never closed"), "%s", g ? g->msg : "");
    templates_free(t);
    diags_free(&d);

    char empty[96];
    snprintf(empty, sizeof empty, "%s-leeg", root);
    mkdir(empty, 0755);
    t = templates_load(empty, &d);
    CHECK("a project without templates/ is an error", !t && d.len == 1 && strstr(d.items[0].msg, "no templates/"),
          "n=%zu", d.len);
    templates_free(t);
    diags_free(&d);

    char tpl[128];
    snprintf(tpl, sizeof tpl, "%s/templates", empty);
    mkdir(tpl, 0755);
    t = templates_load(empty, &d);
    CHECK("an empty templates/ loads", t && d.len == 0, "n=%zu", d.len);
    CHECK("and finds nothing", t && templates_find(t, "page", "nl", 1) == NULL, "");
    templates_free(t);
    diags_free(&d);
    rmdir(tpl);
    rmdir(empty);
}

int main(void)
{
    char top[] = "/tmp/lobgen-tpl-XXXXXX";
    if (!mkdtemp(top)) {
        perror("mkdtemp");
        return 2;
    }
    char p1[64], p2[64], p3[64], outside[64];
    snprintf(p1, sizeof p1, "%s/p1", top);
    snprintf(p2, sizeof p2, "%s/p2", top);
    snprintf(p3, sizeof p3, "%s/p3", top);
    snprintf(outside, sizeof outside, "%s/buiten", top);
    test_lookup(p1);
    test_symlinks(p2, outside);
    test_errors(p3);
    check_rm_tree(top);
    CHECK_DONE();
}
