/* lobgen.yaml: valid settings are read as written, and every mistake is an
 * error at the line and column where the user made it. */
#include "check.h"
#include "check_files.h"
#include "check_diags.h"
#include "config.h"

#include <ftw.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static char tmpdir[64];

static void write_config(const char *text)
{
    char path[128];
    snprintf(path, sizeof path, "%s/lobgen.yaml", tmpdir);
    FILE *f = fopen(path, "wb");
    if (!f) {
        perror(path);
        exit(2);
    }
    fputs(text, f);
    fclose(f);
}

static const Diag *find_diag(const Diags *d, const char *needle)
{
    for (size_t i = 0; i < d->len; i++)
        if (strstr(d->items[i].msg, needle))
            return &d->items[i];
    return NULL;
}

/* One load of text as lobgen.yaml, kept for the checks that follow. */
typedef struct {
    Arena *a;
    Diags d;
    Config c;
    bool ok;
} Load;

static Load load(const char *text)
{
    Load l = {.a = arena_new(), .d = DIAGS_INIT};
    write_config(text);
    l.ok = config_load(l.a, tmpdir, &l.c, &l.d);
    return l;
}

static void unload(Load *l)
{
    diags_free(&l->d);
    arena_free(l->a);
}


/* An error containing needle at line:col. */
static void expect_error(const char *name, const char *text, const char *needle, int line, int col)
{
    Load l = load(text);
    const Diag *g = find_diag(&l.d, needle);
    CHECK(name, !l.ok && g && g->level == DIAG_ERROR && g->line == line && g->col == col,
          "ok=%d, want [%s] at %d:%d, got %s at %d:%d", l.ok, needle, line, col, g ? g->msg : "(none)",
          g ? g->line : -1, g ? g->col : -1);
    if (!g)
        dump(&l.d);
    unload(&l);
}

#define BASE "title: Ouders en loopbaan\nschool: Het Baken\nbase_url: https://lob.hetbaken.nl\n"

static void test_valid(void)
{
    CHECK_SUITE("config valid");
    Load l = load("title: Ouders en loopbaan\n"
                  "school: Het Baken\n"
                  "base_url: https://lob.hetbaken.nl/\n"
                  "languages:\n"
                  "  - nl\n"
                  "  - tr\n"
                  "  - {tag: ar, encoding: windows-1256}\n"
                  "  - tag: ar-MA\n"
                  "output: public/\n");
    CHECK("loads without errors", l.ok && l.d.len == 0, "ok=%d errors=%zu", l.ok, l.d.len);
    dump(&l.d);
    CHECK_STR("title", l.c.title, "Ouders en loopbaan");
    CHECK_STR("school", l.c.school, "Het Baken");
    CHECK_STR("base_url loses its trailing slash", l.c.base_url, "https://lob.hetbaken.nl");
    CHECK("four languages", l.c.n_langs == 4, "n_langs=%zu", l.c.n_langs);
    if (l.c.n_langs == 4) {
        CHECK_STR("first language is the source", l.c.langs[0].tag, "nl");
        CHECK("plain tag has no encoding", l.c.langs[1].encoding == NULL, "");
        CHECK_STR("map item tag", l.c.langs[2].tag, "ar");
        CHECK_STR("map item encoding", l.c.langs[2].encoding, "windows-1256");
        CHECK_STR("map item with only a tag", l.c.langs[3].tag, "ar-MA");
    }
    CHECK("config_lang_index finds tr", config_lang_index(&l.c, "tr") == 1, "");
    CHECK("config_lang_index is case-sensitive", config_lang_index(&l.c, "ar-ma") == -1, "");
    CHECK("config_lang_index misses de", config_lang_index(&l.c, "de") == -1, "");
    CHECK_STR("output without trailing slash", l.c.output, "public");
    char want[128];
    snprintf(want, sizeof want, "%s/lobgen.yaml", tmpdir);
    CHECK_STR("file names the root", l.c.file, want);
    unload(&l);

    l = load(BASE "languages: [nl]\n");
    CHECK("output is optional", l.ok && l.c.output == NULL, "ok=%d", l.ok);
    CHECK("print.duplex is off unless set", !l.c.print_duplex, "");
    unload(&l);

    l = load(BASE "languages: [nl]\nprint:\n  duplex: true\n");
    CHECK("print.duplex: true", l.ok && l.c.print_duplex, "ok=%d", l.ok);
    CHECK("feed.entries is 50 unless set", l.c.feed_entries == 50, "%zu", l.c.feed_entries);
    unload(&l);

    l = load(BASE "languages: [nl]\nfeed:\n  entries: 7\n");
    CHECK("feed.entries: 7", l.ok && l.c.feed_entries == 7, "ok=%d %zu", l.ok, l.c.feed_entries);
    unload(&l);

    l = load(BASE "languages: [nl]\n");
    CHECK("home.cards is 6 unless set", l.ok && l.c.home_cards == 6, "%zu", l.c.home_cards);
    unload(&l);
    l = load(BASE "languages: [nl]\nhome:\n  cards: 12\n");
    CHECK("home.cards: 12", l.ok && l.c.home_cards == 12, "ok=%d %zu", l.ok, l.c.home_cards);
    unload(&l);
    l = load(BASE "languages: [nl]\nhome:\n  cards: 0\n");
    CHECK("home.cards: 0 (all)", l.ok && l.c.home_cards == 0, "ok=%d %zu", l.ok, l.c.home_cards);
    unload(&l);
}

static void test_missing_file(void)
{
    CHECK_SUITE("config missing file");
    char want[128];
    snprintf(want, sizeof want, "%s/lobgen.yaml", tmpdir);
    remove(want);
    Arena *a = arena_new();
    Diags d = DIAGS_INIT;
    Config c;
    bool ok = config_load(a, tmpdir, &c, &d);
    CHECK("missing file fails", !ok && d.len == 1, "ok=%d n=%zu", ok, d.len);
    if (d.len) {
        CHECK_STR("error names root/lobgen.yaml", d.items[0].file, want);
        /* most often lobgen was run in another folder: the way to the
         * project, or to a new one, not a lobgen.yaml written here */
        CHECK_CONTAINS("names --source", d.items[0].msg, "--source DIR");
        CHECK_CONTAINS("names lobgen init", d.items[0].msg, "lobgen init DIR");
        CHECK("one line (a diagnostic shows a line break as \\x0A)", !strchr(d.items[0].msg, '\n'), "%s",
              d.items[0].msg);
    }
    diags_free(&d);

    /* root "." names the file as the user sees it from the project folder */
    char cwd[4096];
    if (!getcwd(cwd, sizeof cwd) || chdir(tmpdir) != 0) {
        CHECK("chdir into the fixture", 0, "cannot chdir");
    } else {
        ok = config_load(a, ".", &c, &d);
        CHECK("root '.' fails too", !ok && d.len == 1, "");
        if (d.len)
            CHECK_STR("root '.' error file is lobgen.yaml", d.items[0].file, "lobgen.yaml");
        diags_free(&d);
        write_config(BASE "languages: [nl]\n");
        ok = config_load(a, ".", &c, &d);
        CHECK("root '.' loads lobgen.yaml", ok && d.len == 0, "");
        CHECK_STR("Config.file for root '.'", c.file, "lobgen.yaml");
        diags_free(&d);
        if (chdir(cwd) != 0)
            exit(2);
    }
    arena_free(a);
}

static void test_required(void)
{
    CHECK_SUITE("config required keys");
    Load l = load("");
    CHECK("empty file fails", !l.ok, "");
    const char *keys[] = {"title is missing", "school is missing", "base_url is missing", "languages is missing"};
    for (int i = 0; i < 4; i++) {
        const Diag *g = find_diag(&l.d, keys[i]);
        CHECK(keys[i], g && g->level == DIAG_ERROR, "not reported");
    }
    CHECK("exactly four errors", l.d.len == 4, "got %zu", l.d.len);
    unload(&l);

    l = load("school: X\nbase_url: https://x.nl\nlanguages: [nl]\n");
    CHECK("only the missing title is reported", !l.ok && l.d.len == 1 && find_diag(&l.d, "title is missing"), "n=%zu",
          l.d.len);
    unload(&l);
}

static void test_unknown_keys(void)
{
    CHECK_SUITE("config unknown keys");
    expect_error("titel suggests title", "titel: X\nschool: Y\nbase_url: https://x.nl\nlanguages: [nl]\n",
                 "unknown key 'titel'; did you mean 'title'?", 1, 1);
    expect_error("languges suggests languages", BASE "languges: [nl]\n",
                 "unknown key 'languges'; did you mean 'languages'?", 4, 1);
    expect_error("baseurl suggests base_url", BASE "languages: [nl]\n  \nbaseurl: x\n",
                 "did you mean 'base_url'?", 6, 1);
    expect_error("far key lists the known keys", BASE "languages: [nl]\ncolour: red\n",
                 "unknown key 'colour'; the keys are title, school, base_url, languages, output, print, audio, feed and home", 5, 1);
    expect_error("unknown key under print", BASE "languages: [nl]\nprint:\n  duplx: true\n",
                 "unknown key 'duplx' under print; did you mean 'duplex'?", 6, 3);
    expect_error("print.duplex not a boolean", BASE "languages: [nl]\nprint:\n  duplex: ja\n",
                 "print.duplex must be true or false, not text", 6, 11);
    expect_error("print not a map", BASE "languages: [nl]\nprint: duplex\n",
                 "print must hold settings such as 'duplex: true'", 5, 8);
    expect_error("unknown key under feed", BASE "languages: [nl]\nfeed:\n  entris: 20\n",
                 "unknown key 'entris' under feed; did you mean 'entries'?", 6, 3);
    expect_error("feed.entries zero", BASE "languages: [nl]\nfeed:\n  entries: 0\n",
                 "feed.entries must be a whole number from 1 to 1000000, not 0", 6, 12);
    expect_error("feed.entries a fraction", BASE "languages: [nl]\nfeed:\n  entries: 2.5\n",
                 "feed.entries must be a whole number from 1 to 1000000, not 2.5", 6, 12);
    expect_error("feed.entries text", BASE "languages: [nl]\nfeed:\n  entries: veel\n",
                 "feed.entries must be a whole number from 1 to 1000000, not text", 6, 12);
    expect_error("feed.entries too many", BASE "languages: [nl]\nfeed:\n  entries: 1000001\n",
                 "feed.entries must be a whole number from 1 to 1000000", 6, 12);
    expect_error("unknown key under home", BASE "languages: [nl]\nhome:\n  card: 6\n",
                 "unknown key 'card' under home; did you mean 'cards'?", 6, 3);
    expect_error("home.cards negative", BASE "languages: [nl]\nhome:\n  cards: -1\n",
                 "home.cards must be a whole number from 0 to 1000000, not -1", 6, 10);
    expect_error("home.cards a fraction", BASE "languages: [nl]\nhome:\n  cards: 2.5\n",
                 "home.cards must be a whole number from 0 to 1000000, not 2.5", 6, 10);
    expect_error("home.cards text", BASE "languages: [nl]\nhome:\n  cards: zes\n",
                 "home.cards must be a whole number from 0 to 1000000, not text", 6, 10);
    expect_error("home not a map", BASE "languages: [nl]\nhome: 6\n",
                 "home must hold settings such as 'cards: 6'", 5, 7);
    expect_error("feed not a map", BASE "languages: [nl]\nfeed: 50\n",
                 "feed must hold settings such as 'entries: 50'", 5, 7);
    expect_error("unknown key in a language map", BASE "languages:\n  - {tag: ar, encodng: windows-1256}\n",
                 "unknown key 'encodng' in a language; did you mean 'encoding'?", 5, 15);
}

static void test_types(void)
{
    CHECK_SUITE("config types");
    expect_error("title as a list", "title: [a, b]\nschool: Y\nbase_url: https://x.nl\nlanguages: [nl]\n",
                 "title must be text, not a list", 1, 8);
    expect_error("title as a number", "title: 2024\nschool: Y\nbase_url: https://x.nl\nlanguages: [nl]\n",
                 "put it in quotes", 1, 8);
    expect_error("empty school", "title: X\nschool:\nbase_url: https://x.nl\nlanguages: [nl]\n",
                 "school is empty", 2, 8);
    expect_error("school as a map", "title: X\nschool:\n  name: Y\nbase_url: https://x.nl\nlanguages: [nl]\n",
                 "school must be text, not a map", 3, 3);
    expect_error("languages as a string", BASE "languages: nl\n", "languages must be a list", 4, 12);
    expect_error("languages empty", BASE "languages: []\n", "languages is empty", 4, 12);
    expect_error("language item is a number", BASE "languages: [nl, 12]\n", "a language tag must be text", 4, 17);
    expect_error("language item is a list", BASE "languages: [nl, [tr]]\n", "not a list", 4, 17);
    expect_error("output as a bool", BASE "languages: [nl]\noutput: true\n", "output must be text", 5, 9);
    expect_error("encoding as a number", BASE "languages:\n  - tag: ar\n    encoding: 1256\n",
                 "encoding must be text", 6, 15);
    expect_error("the root is a list", "- a\n- b\n", "must hold settings", 1, 1);
    Load l = load("title: [unclosed\n");
    CHECK("YAML syntax error fails with a position", !l.ok && l.d.len >= 1 && l.d.items[0].line >= 1, "");
    unload(&l);
}

static void test_base_url(void)
{
    CHECK_SUITE("config base_url");
    expect_error("no scheme", "title: X\nschool: Y\nbase_url: lob.hetbaken.nl\nlanguages: [nl]\n",
                 "starting with https:// or http://", 3, 11);
    expect_error("ftp scheme", "title: X\nschool: Y\nbase_url: ftp://x.nl\nlanguages: [nl]\n",
                 "starting with https:// or http://", 3, 11);
    expect_error("no host", "title: X\nschool: Y\nbase_url: https://\nlanguages: [nl]\n", "no host name", 3, 11);
    expect_error("a space", "title: X\nschool: Y\nbase_url: 'https://x.nl/my site'\nlanguages: [nl]\n",
                 "without spaces", 3, 11);
    Load l = load("title: X\nschool: Y\nbase_url: http://x.nl/lob//\nlanguages: [nl]\n");
    CHECK_STR("http with a path keeps the path", l.c.base_url, "http://x.nl/lob");
    unload(&l);
}

static void test_languages(void)
{
    CHECK_SUITE("config languages");
    expect_error("a word is not a tag", BASE "languages:\n  - nl\n  - Dutch\n", "'Dutch' is not a language tag", 6,
                 5);
    expect_error("wrong case gets the fix", BASE "languages: [nl, ar-ma]\n", "write it as 'ar-MA'", 4, 17);
    expect_error("script casing gets the fix", BASE "languages: [nl, sr-latn]\n", "write it as 'sr-Latn'", 4, 17);
    expect_error("duplicate tag at the second", BASE "languages: [nl, tr, nl]\n", "'nl' is listed twice", 4, 21);
    expect_error("duplicate via a map", BASE "languages:\n  - tr\n  - {tag: tr, encoding: iso-8859-9}\n",
                 "'tr' is listed twice", 6, 11);
    expect_error("map without tag", BASE "languages:\n  - nl\n  - encoding: windows-1256\n",
                 "this language has no tag", 6, 5);
    expect_error("unknown encoding", BASE "languages:\n  - nl\n  - {tag: ar, encoding: windows-9999}\n",
                 "unknown encoding 'windows-9999'", 6, 25);
    expect_error("iconv suffixes are not encodings", BASE "languages:\n  - {tag: nl, encoding: 'cp1252//IGNORE'}\n",
                 "unknown encoding", 5, 25);
    expect_error("utf-16 is not a default encoding", BASE "languages:\n  - {tag: nl, encoding: utf-16}\n",
                 "cannot be a language's default encoding", 5, 25);
    Load l = load(BASE "languages:\n  - {tag: tr, encoding: iso-8859-9}\n  - {tag: uk, encoding: koi8-u}\n");
    CHECK("iso-8859-9 and koi8-u are known", l.ok, "");
    dump(&l.d);
    unload(&l);

    CHECK_SUITE("config_valid_tag");
    const char *good[] = {"nl", "ar", "ar-MA", "sr-Latn", "sr-Latn-RS", "es-419", "fil", "ti"};
    for (size_t i = 0; i < sizeof good / sizeof *good; i++)
        CHECK(good[i], config_valid_tag(good[i]), "should be valid");
    const char *bad[] = {"", "n", "NL", "ar_MA", "ar-ma", "sr-latn", "dutch", "ar-", "nl-NL-x", "ar-MAR", "n1"};
    for (size_t i = 0; i < sizeof bad / sizeof *bad; i++)
        CHECK(bad[i][0] ? bad[i] : "(empty)", !config_valid_tag(bad[i]), "should be invalid");
}

static void test_output(void)
{
    CHECK_SUITE("config output");
    expect_error("absolute output", BASE "languages: [nl]\noutput: /var/www\n", "not an absolute path", 5, 9);
    expect_error("output with ..", BASE "languages: [nl]\noutput: site/../../x\n", "must not contain '..'", 5, 9);
    expect_error("output is the project", BASE "languages: [nl]\noutput: ./\n", "not the project folder", 5, 9);
    expect_error("output over the sources", BASE "languages: [nl]\noutput: content/site\n",
                 "must not be inside content/", 5, 9);
    Load l = load(BASE "languages: [nl]\noutput: build/site\n");
    CHECK_STR("nested relative output", l.c.output, "build/site");
    unload(&l);
}

int main(void)
{
    strcpy(tmpdir, "/tmp/lobgen-config-XXXXXX");
    if (!mkdtemp(tmpdir)) {
        perror("mkdtemp");
        return 2;
    }
    test_valid();
    test_missing_file();
    test_required();
    test_unknown_keys();
    test_types();
    test_base_url();
    test_languages();
    test_output();
    check_rm_tree(tmpdir);
    CHECK_DONE();
}
