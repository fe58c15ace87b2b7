/* The glossary of school terms: loaded from content/woordenlijst.<lang>.yaml,
 * sorted, with anchors and other forms, and every mistake at its line. */
#include "check.h"
#include "check_files.h"
#include "check_diags.h"
#include "glossary.h"

#include <ftw.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

static char tmpdir[64];
static const char *PATH = "content/woordenlijst.nl.yaml";

static void write_glossary(const char *text)
{
    char path[128];
    snprintf(path, sizeof path, "%s/%s", tmpdir, PATH);
    FILE *f = fopen(path, "wb");
    if (!f) {
        perror(path);
        exit(2);
    }
    fputs(text, f);
    fclose(f);
}

typedef struct {
    Arena *a;
    Diags d;
    Glossary g;
    bool ok;
} Load;

static Load load(const char *text)
{
    Load l = {.a = arena_new(), .d = DIAGS_INIT};
    write_glossary(text);
    l.ok = glossary_load(l.a, tmpdir, PATH, "nl", &l.g, &l.d);
    return l;
}

static void unload(Load *l)
{
    diags_free(&l->d);
    arena_free(l->a);
}


static const Diag *find(const Diags *d, const char *needle)
{
    for (size_t i = 0; i < d->len; i++)
        if (strstr(d->items[i].msg, needle))
            return &d->items[i];
    return NULL;
}

/* Loading fails with an error in the glossary file at line:col saying needle. */
static void bad(const char *name, const char *text, int line, int col, const char *needle)
{
    Load l = load(text);
    const Diag *g = find(&l.d, needle);
    /* messages name the file under the project root, as every module does */
    char want_file[512];
    snprintf(want_file, sizeof want_file, "%s/%s", tmpdir, PATH);
    CHECK(name, !l.ok && g && g->level == DIAG_ERROR && g->file && !strcmp(g->file, want_file) && g->line == line &&
                    g->col == col,
          "ok=%d, want [%s] at %s:%d:%d, got %s at %s:%d:%d", l.ok, needle, want_file, line, col, g ? g->msg : "(none)",
          g && g->file ? g->file : "-", g ? g->line : -1, g ? g->col : -1);
    if (!g)
        dump(&l.d);
    unload(&l);
}

static void test_load(void)
{
    CHECK_SUITE("glossary load");
    Load l = load("# schoolwoorden\n"
                  "- term: vmbo\n"
                  "  text: Voorbereidend middelbaar beroepsonderwijs.\n"
                  "- term: mentor\n"
                  "  also: [mentoren, mentorles]\n"
                  "  text: \"De docent die uw kind begeleidt.\"\n"
                  "- term: LOB\n"
                  "  text: Loopbaanoriëntatie en -begeleiding.\n"
                  "- term: Decaan\n"
                  "  also: decanen\n"
                  "  text: Helpt bij het kiezen.\n"
                  "- term: open dag\n"
                  "  text: Een dag waarop u een school kunt bekijken.\n");
    CHECK("loads without errors", l.ok && l.d.len == 0, "ok=%d n=%zu", l.ok, l.d.len);
    dump(&l.d);
    CHECK_STR("keeps the language", l.g.lang, "nl");
    CHECK("five entries", l.g.n == 5, "n=%zu", l.g.n);
    if (l.g.n == 5) {
        const char *want[] = {"Decaan", "LOB", "mentor", "open dag", "vmbo"};
        bool sorted = true;
        for (size_t i = 0; i < 5; i++)
            sorted &= !strcmp(l.g.entries[i].term, want[i]);
        CHECK("sorted by term, ignoring case", sorted, "got %s %s %s %s %s", l.g.entries[0].term, l.g.entries[1].term,
              l.g.entries[2].term, l.g.entries[3].term, l.g.entries[4].term);
        const GlossaryEntry *dec = &l.g.entries[0], *lob = &l.g.entries[1], *men = &l.g.entries[2],
                            *od = &l.g.entries[3];
        CHECK_STR("id is lowercase", dec->id, "decaan");
        CHECK_STR("id of an abbreviation", lob->id, "lob");
        CHECK_STR("id of two words", od->id, "open-dag");
        CHECK_STR("text as written", men->text, "De docent die uw kind begeleidt.");
        CHECK_STR("text with a non-ASCII letter", lob->text, "Loopbaanoriëntatie en -begeleiding.");
        CHECK("also as a list", men->n_also == 2 && !strcmp(men->also[0], "mentoren") &&
                                    !strcmp(men->also[1], "mentorles"),
              "n_also=%zu", men->n_also);
        CHECK("also as one word", dec->n_also == 1 && !strcmp(dec->also[0], "decanen"), "n_also=%zu", dec->n_also);
        CHECK("no also", lob->n_also == 0, "");
    }

    size_t n = 0;
    MdTerm *t = glossary_terms(l.a, &l.g, "../../woordenlijst/index.html", &n);
    CHECK("one term per entry and per other form", n == 8, "n=%zu", n);
    bool found_men = false, found_forms = false, found_dec = false;
    for (size_t i = 0; i < n; i++) {
        if (!strcmp(t[i].term, "mentor"))
            found_men = !strcmp(t[i].href, "../../woordenlijst/index.html#mentor") &&
                        !strcmp(t[i].title, "De docent die uw kind begeleidt.");
        if (!strcmp(t[i].term, "mentorles"))
            found_forms = !strcmp(t[i].href, "../../woordenlijst/index.html#mentor");
        if (!strcmp(t[i].term, "decanen"))
            found_dec = !strcmp(t[i].href, "../../woordenlijst/index.html#decaan") &&
                        !strcmp(t[i].title, "Helpt bij het kiezen.");
    }
    CHECK("a term links to its anchor with its text as title", found_men, "");
    CHECK("another form links to the same anchor", found_forms, "");
    CHECK("a single also-form links to its term", found_dec, "");
    unload(&l);

    l = load("- term: 2026\n  text: Het schooljaar.\n");
    CHECK("a number as a term is kept as written", l.ok && l.g.n == 1 && !strcmp(l.g.entries[0].term, "2026"), "");
    unload(&l);

    l = load("");
    CHECK("an empty file is not a list", !l.ok && find(&l.d, "is a list of terms"), "");
    unload(&l);

    /* two terms with the same slug, and one that is the layout's own id:
     * each entry keeps a distinct anchor on the glossary page */
    l = load("- term: ouder-avond\n  text: A.\n- term: ouder avond\n  text: B.\n- term: Inhoud\n  text: C.\n");
    CHECK("terms with the same slug get distinct ids, in page order",
          l.ok && l.g.n == 3 && !strcmp(l.g.entries[0].id, "inhoud-2") && !strcmp(l.g.entries[1].id, "ouder-avond") &&
              !strcmp(l.g.entries[2].id, "ouder-avond-2"),
          "%s %s %s", l.g.n > 0 ? l.g.entries[0].id : "-", l.g.n > 1 ? l.g.entries[1].id : "-",
          l.g.n > 2 ? l.g.entries[2].id : "-");
    unload(&l);
}

static void test_errors(void)
{
    CHECK_SUITE("glossary errors");
    bad("a missing text is an error at its entry", "- term: mentor\n  text: De docent.\n- term: decaan\n  also: [decanen]\n",
        3, 3, "needs both term and text");
    bad("an empty text is an error", "- term: mentor\n  text: \"\"\n", 1, 3, "needs both term and text");
    bad("a missing term is an error", "- text: Zonder woord.\n", 1, 3, "needs both term and text");
    bad("an unknown key is an error at the key", "- term: mentor\n  text: De docent.\n  uitleg: meer\n", 3, 3,
        "unknown key 'uitleg'");
    bad("a term that is a list", "- term: [a, b]\n  text: x\n", 1, 9, "term must be text");
    bad("also that is a map", "- term: a\n  also: {x: 1}\n  text: x\n", 2, 9, "also must be a word or a list");
    bad("an entry that is not a map", "- term: a\n  text: x\n- gewoon tekst\n", 3, 3, "each glossary entry is a map");
    bad("a map instead of a list", "term: mentor\ntext: x\n", 1, 1, "is a list of terms");
    bad("a duplicate term at the second one", "- term: mentor\n  text: De docent.\n- term: LOB\n  text: x\n- term: mentor\n  text: Nog eens.\n",
        5, 9, "'mentor' is explained twice");
    bad("a duplicate in another case", "- term: Mentor\n  text: a\n- term: mentor\n  text: b\n", 3, 9,
        "explained twice");

    Load l = load("- term: mentor\n  text: a\n- term: mentor\n  text: b\n- term: mentor\n  text: c\n");
    CHECK("three of one term: two errors", !l.ok && diags_count(&l.d, DIAG_ERROR) == 2, "n=%zu",
          diags_count(&l.d, DIAG_ERROR));
    const Diag *g = find(&l.d, "twice");
    CHECK("the error points back at the first", g && strstr(g->msg, "line 1"), "%s", g ? g->msg : "(none)");
    unload(&l);

    l = load("- term: mentor\n  text: [a\n");
    /* reported where the unclosed [ is, the place to fix */
    CHECK("a YAML syntax error fails the load", !l.ok && l.d.len >= 1 && l.d.items[0].line == 2, "n=%zu line=%d",
          l.d.len, l.d.len ? l.d.items[0].line : -1);
    unload(&l);

    Arena *a = arena_new();
    Diags d = DIAGS_INIT;
    Glossary gl;
    bool ok = glossary_load(a, tmpdir, "content/woordenlijst.xx.yaml", "xx", &gl, &d);
    CHECK("a missing file is an error", !ok && d.len == 1 && strstr(d.items[0].msg, "cannot read"), "");
    diags_free(&d);
    arena_free(a);
}

/* The order a reader of the language expects (CLDR collation), not byte
 * order: Turkish has Ç after C and ı before i; Dutch ignores case and
 * accents first; a decomposed é is the same letter as a composed one. */
static void test_collation(void)
{
    CHECK_SUITE("glossary order per language");
    static const struct {
        const char *lang, *yaml, *want;
    } cases[] = {
        {"tr", "- {term: Ders, text: a}\n- {term: Çocuk, text: b}\n- {term: Ceza, text: c}\n", "Ceza|Çocuk|Ders|"},
        {"tr", "- {term: iyi, text: a}\n- {term: ılık, text: b}\n- {term: hız, text: c}\n", "hız|ılık|iyi|"},
        {"nl", "- {term: zon, text: a}\n- {term: Één, text: b}\n- {term: ezel, text: c}\n", "Één|ezel|zon|"},
        {"pl", "- {term: zdanie, text: a}\n- {term: łąka, text: b}\n- {term: mama, text: c}\n", "łąka|mama|zdanie|"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        write_glossary(cases[i].yaml);
        Arena *a = arena_new();
        Diags d = DIAGS_INIT;
        Glossary g;
        bool ok = glossary_load(a, tmpdir, PATH, cases[i].lang, &g, &d);
        char got[256] = "";
        for (size_t k = 0; ok && k < g.n; k++) {
            strncat(got, g.entries[k].term, sizeof got - strlen(got) - 1);
            strncat(got, "|", sizeof got - strlen(got) - 1);
        }
        char name[160];
        snprintf(name, sizeof name, "%s lists %s", cases[i].lang, cases[i].want);
        CHECK(name, ok && !strcmp(got, cases[i].want), "got %s", got);
        diags_free(&d);
        arena_free(a);
    }
    /* a term saved decomposed (e + U+0301) is read as the composed é */
    Load l = load("- {term: \"cafe\xCC\x81\", text: \"e\xCC\x81\xC3\xA9n\"}\n");
    CHECK("a decomposed term is read in NFC", l.ok && l.g.n == 1 && !strcmp(l.g.entries[0].term, "caf\xC3\xA9"),
          "term %s", l.g.n ? l.g.entries[0].term : "-");
    CHECK("its explanation too", l.ok && l.g.n == 1 && !strcmp(l.g.entries[0].text, "\xC3\xA9\xC3\xA9n"), "");
    unload(&l);
}

static void test_repo_glossaries(void)
{
    CHECK_SUITE("example glossaries");
    const char *langs[] = {"nl", "en", "tr", "ar", "pl", "uk"};
    for (size_t i = 0; i < sizeof langs / sizeof langs[0]; i++) {
        Arena *a = arena_new();
        Diags d = DIAGS_INIT;
        Glossary g;
        char path[64], name[96];
        snprintf(path, sizeof path, "content/woordenlijst.%s.yaml", langs[i]);
        snprintf(name, sizeof name, "%s loads with terms", path);
        bool ok = glossary_load(a, ".", path, langs[i], &g, &d);
        CHECK(name, ok && g.n >= 5 && d.len == 0, "ok=%d n=%zu diags=%zu", ok, g.n, d.len);
        dump(&d);
        diags_free(&d);
        arena_free(a);
    }
}

int main(void)
{
    strcpy(tmpdir, "/tmp/lobgen-gloss-XXXXXX");
    if (!mkdtemp(tmpdir)) {
        perror("mkdtemp");
        return 2;
    }
    char content[96];
    snprintf(content, sizeof content, "%s/content", tmpdir);
    mkdir(content, 0755);
    test_load();
    test_errors();
    test_collation();
    test_repo_glossaries();
    check_rm_tree(tmpdir);
    CHECK_DONE();
}
