#include "check.h"
#include "frontmatter.h"

#include <stdlib.h>
#include <string.h>

static const SourceFile SRC = {
    .path = "content/gesprekken/kennismaking.tr.md",
    .abs = "content/gesprekken/kennismaking.tr.md", /* the project is the current folder */
    .kind = KIND_GESPREK,
    .slug = "kennismaking",
    .lang = "tr",
};

typedef struct {
    Arena *a;
    Material m;
    Diags d;
    bool ok;
    char *all; /* every diagnostic, formatted, for failure output */
} Run;

static void run(Run *r, const char *text)
{
    r->a = arena_new();
    r->d = (Diags)DIAGS_INIT;
    r->ok = frontmatter_parse(r->a, &SRC, text, strlen(text), &r->m, &r->d);
    Buf b = BUF_INIT;
    for (size_t i = 0; i < r->d.len; i++) {
        char *s = diag_format(&r->d.items[i]);
        buf_printf(&b, "\n    %s", s);
        free(s);
    }
    r->all = buf_detach(&b);
}

static void done(Run *r)
{
    free(r->all);
    diags_free(&r->d);
    arena_free(r->a);
}

static bool has_error(const Run *r, int line, int col, const char *phrase)
{
    for (size_t i = 0; i < r->d.len; i++) {
        const Diag *g = &r->d.items[i];
        if (g->level == DIAG_ERROR && g->line == line && g->col == col && strstr(g->msg, phrase) &&
            g->file && !strcmp(g->file, SRC.path))
            return true;
    }
    return false;
}

/* One bad input: parsing fails with exactly one error, at line:col, saying phrase. */
static void bad(const char *name, const char *text, int line, int col, const char *phrase)
{
    Run r;
    run(&r, text);
    CHECK(name, !r.ok && r.d.len == 1 && has_error(&r, line, col, phrase),
          "want one error at %d:%d containing [%s]; ok=%d, got %zu:%s", line, col, phrase, r.ok, r.d.len, r.all);
    done(&r);
}

static void test_full_example(void)
{
    CHECK_SUITE("full example");
    const char *text = "---\n"
                       "title: \"Kennismaking: wie ben jij?\"\n"
                       "summary: Een gesprek van twintig minuten.\n"
                       "leerjaar: [3, 1, 3]\n"
                       "niveau: [kb, gl]\n"
                       "competenties:\n"
                       "  - netwerken\n"
                       "  - kwaliteitenreflectie\n"
                       "week: 12\n"
                       "duration: 20\n"
                       "date: 2026-03-12 19:30\n"
                       "deadline: 2026-03-19\n"
                       "prepares: [ouderavonden/presentatie, thuisopdrachten/mijn-netwerk]\n"
                       "follows: thuisopdrachten/wie-ben-ik\n"
                       "draft: true\n"
                       "translation:\n"
                       "  source: 3f2a9c01ab\n"
                       "  reviewed: true\n"
                       "encoding: iso-8859-9\n"
                       "---\n"
                       "# Kennismaking\n\nTekst.\n";
    Run r;
    run(&r, text);
    const Material *m = &r.m;
    CHECK("parses without errors", r.ok && r.d.len == 0, "%s", r.all);
    CHECK("src is kept", m->src == &SRC, "%s", "condition false");
    CHECK_STR("title", m->title, "Kennismaking: wie ben jij?");
    CHECK("title position", m->title_line == 2 && m->title_col == 8, "%d:%d", m->title_line, m->title_col);
    CHECK_STR("summary", m->summary, "Een gesprek van twintig minuten.");
    CHECK("leerjaar sorted and unique", m->n_leerjaar == 2 && m->leerjaar[0] == 1 && m->leerjaar[1] == 3,
          "n=%d [%d %d]", m->n_leerjaar, m->leerjaar[0], m->leerjaar[1]);
    CHECK("niveau bits", m->niveau == (NIVEAU_KB | NIVEAU_GL), "%u", m->niveau);
    CHECK("competenties bits", m->competenties == ((1u << 4) | (1u << 0)), "%u", m->competenties);
    CHECK("week", m->week == 12, "%d", m->week);
    CHECK("duration", m->duration == 20, "%d", m->duration);
    CHECK("date with time", m->date.y == 2026 && m->date.m == 3 && m->date.d == 12 && m->date.has_time &&
                                m->date.hour == 19 && m->date.minute == 30,
          "%d-%d-%d %d:%d", m->date.y, m->date.m, m->date.d, m->date.hour, m->date.minute);
    CHECK("date position", m->date.line == 11 && m->date.col == 7, "%d:%d", m->date.line, m->date.col);
    CHECK("deadline without time", m->deadline.y == 2026 && m->deadline.m == 3 && m->deadline.d == 19 &&
                                       !m->deadline.has_time, "%s", "condition false");
    CHECK("prepares list", m->n_prepares == 2 && m->prepares[0].kind == KIND_OUDERAVOND &&
                               !strcmp(m->prepares[0].slug, "presentatie") &&
                               m->prepares[1].kind == KIND_THUISOPDRACHT &&
                               !strcmp(m->prepares[1].slug, "mijn-netwerk"),
          "n=%zu", m->n_prepares);
    CHECK("prepares positions", m->n_prepares == 2 && m->prepares[0].line == 13 && m->prepares[0].col == 12 &&
                                    m->prepares[1].line == 13 && m->prepares[1].col == 38, "%s", "condition false");
    CHECK("follows single", m->n_follows == 1 && m->follows[0].kind == KIND_THUISOPDRACHT &&
                                !strcmp(m->follows[0].slug, "wie-ben-ik") && m->follows[0].line == 14 &&
                                m->follows[0].col == 10, "%s", "condition false");
    CHECK("draft", m->draft, "%s", "condition false");
    CHECK("is_translation", m->is_translation, "%s", "condition false");
    CHECK_STR("translation.source", m->tr_source, "3f2a9c01ab");
    CHECK("translation.source position", m->tr_source_line == 17 && m->tr_source_col == 11, "%d:%d",
          m->tr_source_line, m->tr_source_col);
    CHECK("translation.reviewed", m->tr_reviewed, "%s", "condition false");
    CHECK_STR("encoding", m->encoding, "iso-8859-9");
    CHECK_STR("body", m->body, "# Kennismaking\n\nTekst.\n");
    CHECK("body_len", m->body_len == strlen("# Kennismaking\n\nTekst.\n"), "%zu", m->body_len);
    CHECK("body_line", m->body_line == 21, "%d", m->body_line);
    done(&r);
}

static void test_defaults(void)
{
    CHECK_SUITE("defaults");
    Run r;
    run(&r, "---\ntitle: Thuisopdracht\nleerjaar: 2\n...\nTekst\n");
    const Material *m = &r.m;
    CHECK("minimal file parses", r.ok && r.d.len == 0, "%s", r.all);
    CHECK("'...' closes the front matter", !strcmp(m->body, "Tekst\n") && m->body_line == 5, "[%s] %d", m->body,
          m->body_line);
    CHECK("single leerjaar", m->n_leerjaar == 1 && m->leerjaar[0] == 2, "%s", "condition false");
    CHECK("niveau defaults to all", m->niveau == NIVEAU_ALL, "%u", m->niveau);
    CHECK("nothing optional set", !m->summary && !m->competenties && !m->week && !m->duration && !m->date.y &&
                                      !m->deadline.y && !m->n_prepares && !m->n_follows && !m->draft &&
                                      !m->encoding, "%s", "condition false");
    CHECK("not a translation", !m->is_translation && !m->tr_source && !m->tr_reviewed, "%s", "condition false");
    done(&r);

    run(&r, "---\ntitle: 1984\nleerjaar: 4\nniveau: tl\ncompetenties: verwachtingen\n"
            "translation:\n  source: \"12345678\"\ndraft: false\n---\n");
    m = &r.m;
    CHECK("single niveau, single competentie, numeric title", r.ok && !strcmp(m->title, "1984") &&
                                                                 m->niveau == NIVEAU_TL &&
                                                                 m->competenties == 1u << 5,
          "%s", r.all);
    CHECK("translation without reviewed is not reviewed", m->is_translation && !m->tr_reviewed &&
                                                              m->tr_source && !strcmp(m->tr_source, "12345678"), "%s", "condition false");
    CHECK("empty body after closing line at the end", m->body_len == 0 && *m->body == '\0' && m->body_line == 10,
          "%zu %d", m->body_len, m->body_line);
    done(&r);

    run(&r, "---\ntitle: T\nleerjaar: 1\ntranslation:\n  source: 12345678\n---");
    CHECK("a fingerprint of digits only (a YAML number) is kept as written",
          r.ok && r.m.tr_source && !strcmp(r.m.tr_source, "12345678"), "%s", r.all);
    CHECK("closing line without newline", r.m.body_len == 0 && r.m.body_line == 7, "%d", r.m.body_line);
    done(&r);

    run(&r, "---\ntitle: T\nleerjaar: 1\ndate: 2024-02-29\n---\n");
    CHECK("29 February in a leap year", r.ok && r.m.date.d == 29, "%s", r.all);
    done(&r);
}

static void test_bad(void)
{
    CHECK_SUITE("bad front matter");
    bad("missing opening ---", "title: Wie ben ik?\nleerjaar: 1\n", 1, 1, "must start with a line '---'");
    bad("empty file", "", 1, 1, "must start with a line '---'");
    bad("opening --- with trailing spaces", "---  \ntitle: T\nleerjaar: 1\n---\n", 1, 4, "remove the spaces");
    bad("unclosed front matter", "---\ntitle: T\nleerjaar: 1\n\nTekst\n", 5, 1, "never closed");
    bad("unclosed, only the opening line", "---\n", 1, 1, "never closed");
    bad("closing --- with trailing spaces", "---\ntitle: T\nleerjaar: 1\n--- \nTekst\n", 4, 4,
        "has spaces after it");
    bad("missing title", "---\nleerjaar: 1\n---\n", 1, 1, "no title");
    bad("missing leerjaar", "---\ntitle: T\n---\n", 1, 1, "no leerjaar");
    bad("empty title in quotes", "---\ntitle: \"\"\nleerjaar: 1\n---\n", 2, 8, "title must not be empty");
    bad("title without value", "---\ntitle:\nleerjaar: 1\n---\n", 2, 1, "title must not be empty");
    bad("title is a list", "---\ntitle: [a, b]\nleerjaar: 1\n---\n", 2, 8, "found a list");
    bad("leerjaar 5", "---\ntitle: T\nleerjaar: 5\n---\n", 3, 11, "from 1 to 4");
    bad("leerjaar 0", "---\ntitle: T\nleerjaar: 0\n---\n", 3, 11, "found 0");
    bad("leerjaar 'een'", "---\ntitle: T\nleerjaar: een\n---\n", 3, 11,
        "leerjaar must be a number from 1 to 4 or a list of them, like `leerjaar: [1, 2]`; found the text 'een'");
    bad("leerjaar list with a 7", "---\ntitle: T\nleerjaar: [1, 7]\n---\n", 3, 15, "found 7");
    bad("leerjaar block list with a 7", "---\ntitle: T\nleerjaar:\n  - 2\n  - 7\n---\n", 5, 5, "found 7");
    bad("leerjaar quoted number", "---\ntitle: T\nleerjaar: \"3\"\n---\n", 3, 11, "remove the quotes");
    bad("leerjaar 2.5", "---\ntitle: T\nleerjaar: 2.5\n---\n", 3, 11, "not a whole number");
    bad("leerjaar empty list", "---\ntitle: T\nleerjaar: []\n---\n", 3, 11, "empty list");
    bad("niveau 'vwo'", "---\ntitle: T\nleerjaar: 1\nniveau: vwo\n---\n", 4, 9, "not one of bb, kb, gl, tl");
    bad("niveau uppercase", "---\ntitle: T\nleerjaar: 1\nniveau: [bb, KB]\n---\n", 4, 14, "lowercase: 'kb'");
    bad("niveau gt", "---\ntitle: T\nleerjaar: 1\nniveau: gt\n---\n", 4, 9, "[gl, tl]");
    bad("competenties typo", "---\ntitle: T\nleerjaar: 1\ncompetenties: [netwerken, kwaliteitsreflectie]\n---\n",
        4, 27, "did you mean 'kwaliteitenreflectie'?");
    bad("competenties unknown", "---\ntitle: T\nleerjaar: 1\ncompetenties: rekenen\n---\n", 4, 15,
        "use kwaliteitenreflectie, motievenreflectie");
    bad("week 53", "---\ntitle: T\nleerjaar: 1\nweek: 53\n---\n", 4, 7, "from 1 to 52, like `week: 12`; found 53");
    bad("week 0", "---\ntitle: T\nleerjaar: 1\nweek: 0\n---\n", 4, 7, "from 1 to 52, like `week: 12`; found 0");
    bad("duration -5", "---\ntitle: T\nleerjaar: 1\nduration: -5\n---\n", 4, 11, "minutes from 1 to 600, like `duration: 20`; found -5");
    bad("duration in quotes", "---\ntitle: T\nleerjaar: 1\nduration: '20'\n---\n", 4, 11, "remove the quotes");
    bad("date 2026-02-30", "---\ntitle: T\nleerjaar: 1\ndate: 2026-02-30\n---\n", 4, 7,
        "2026-02-30 is not a real date: that month has 28 days");
    bad("date 2026-13-01", "---\ntitle: T\nleerjaar: 1\ndate: 2026-13-01\n---\n", 4, 7, "there is no month 13");
    bad("date with hour 24", "---\ntitle: T\nleerjaar: 1\ndate: 2026-03-12 24:00\n---\n", 4, 7, "no such time");
    bad("date 2100-02-29 (no leap year)", "---\ntitle: T\nleerjaar: 1\ndate: 2100-02-29\n---\n", 4, 7,
        "not a real date");
    bad("deadline 'next week'", "---\ntitle: T\nleerjaar: 1\ndeadline: 'next week'\n---\n", 4, 11,
        "YYYY-MM-DD or \"YYYY-MM-DD HH:MM\"");
    bad("date in Dutch order", "---\ntitle: T\nleerjaar: 1\ndate: 12-03-2026\n---\n", 4, 7,
        "year first, as YYYY-MM-DD: `date: 2026-03-12`");
    bad("prepares 'gesprekken/'", "---\ntitle: T\nleerjaar: 1\nprepares: 'gesprekken/'\n---\n", 4, 11,
        "the slug after 'gesprekken/' is missing");
    bad("prepares 'onzin/x'", "---\ntitle: T\nleerjaar: 1\nprepares: onzin/x\n---\n", 4, 11,
        "'onzin' is not a kind of material; use thuisopdrachten, gesprekken or ouderavonden");
    bad("prepares kind typo", "---\ntitle: T\nleerjaar: 1\nprepares: gesprek/x\n---\n", 4, 11,
        "did you mean 'gesprekken'?");
    bad("prepares without kind", "---\ntitle: T\nleerjaar: 1\nprepares: eerste-gesprek\n---\n", 4, 11,
        "has no kind");
    bad("follows uppercase slug", "---\ntitle: T\nleerjaar: 1\nfollows: [gesprekken/a, gesprekken/Wie-Ben-Ik]\n---\n",
        4, 25, "did you mean 'gesprekken/wie-ben-ik'?");
    bad("follows with file name", "---\ntitle: T\nleerjaar: 1\nfollows: thuisopdrachten/wie-ben-ik.nl.md\n---\n", 4,
        10, "did you mean 'thuisopdrachten/wie-ben-ik'?");
    bad("draft: 'ja'", "---\ntitle: T\nleerjaar: 1\ndraft: 'ja'\n---\n", 4, 8,
        "draft must be true or false, like `draft: true`; found the text 'ja'");
    bad("draft: yes (a string in YAML 1.2)", "---\ntitle: T\nleerjaar: 1\ndraft: yes\n---\n", 4, 8,
        "true or false");
    bad("translation.source not hex", "---\ntitle: T\nleerjaar: 1\ntranslation:\n  source: xyz12345\n---\n", 5, 11,
        "8 to 64 lowercase hex characters");
    bad("translation.source uppercase hex", "---\ntitle: T\nleerjaar: 1\ntranslation:\n  source: ABCDEF12\n---\n", 5,
        11, "must be written in lowercase: 'abcdef12'");
    bad("translation.source too short", "---\ntitle: T\nleerjaar: 1\ntranslation: {source: abc}\n---\n", 4, 23,
        "8 to 64");
    bad("translation.reviewed 'yes'", "---\ntitle: T\nleerjaar: 1\ntranslation:\n  source: abcdef12\n  reviewed: 'yes'\n---\n",
        6, 13, "translation.reviewed must be true or false");
    bad("translation not a map", "---\ntitle: T\nleerjaar: 1\ntranslation: abcdef12\n---\n", 4, 14,
        "translation must be a block");
    bad("unknown translation sub-key, near", "---\ntitle: T\nleerjaar: 1\ntranslation:\n  sourse: abcdef12\n---\n", 5,
        3, "did you mean 'source'?");
    bad("unknown translation sub-key, far", "---\ntitle: T\nleerjaar: 1\ntranslation:\n  translator: Ayse\n---\n", 5,
        3, "only source and reviewed");
    bad("dotted translation key", "---\ntitle: T\nleerjaar: 1\ntranslation.source: abcdef12\n---\n", 4, 1,
        "must be written as a map");
    bad("unknown key 'titel' with title present", "---\ntitle: T\nleerjaar: 1\ntitel: X\n---\n", 4, 1,
        "unknown key 'titel'; did you mean 'title'?");
    bad("unknown key 'foo'", "---\ntitle: T\nleerjaar: 1\nfoo: bar\n---\n", 4, 1,
        "the front matter takes only title, summary, leerjaar, niveau");
    bad("week has no value", "---\ntitle: T\nleerjaar: 1\nweek:\n---\n", 4, 1, "week has no value");
    bad("encoding is a number", "---\ntitle: T\nleerjaar: 1\nencoding: [1]\n---\n", 4, 11, "encoding must be text");
    bad("front matter is a list", "---\n- title\n- leerjaar\n---\n", 2, 1, "must be keys with values");
    /* libyaml's own words ("did not find expected ',' or ']'", "mapping values are not
     * allowed in this context") name the cause and the fix instead, at the place to edit */
    bad("invalid YAML: unclosed list", "---\ntitle: T\nleerjaar: [1, 2\nweek: 3\n---\n", 3, 11,
        "this list in [ ] is not closed; separate its items with commas and end it with ']'");
    bad("invalid YAML: colon in a plain value", "---\ntitle: Thuis: wie ben ik\nleerjaar: 1\n---\n", 2, 13,
        "put the value in quotes");
    bad("invalid YAML: a tab used for indentation", "---\ntitle: T\nleerjaar:\n\t- 1\n---\n", 4, 1,
        "YAML does not allow tabs; indent with spaces");
    bad("invalid YAML: an unclosed quote", "---\ntitle: \"Thuis\nleerjaar: 1\n---\n", 2, 8,
        "this quote is never closed");
    bad("invalid YAML: a list item at the wrong indent", "---\ntitle: T\nniveau:\n  - vmbo-b\n - havo\nleerjaar: 1\n---\n", 5, 2,
        "this line is indented differently from the lines above it");
    bad("duplicate key", "---\ntitle: T\nleerjaar: 1\ntitle: U\n---\n", 4, 1, "appears twice");
}

static void test_all_reported(void)
{
    CHECK_SUITE("several errors");
    Run r;
    run(&r, "---\n"
            "titel: Wie ben ik?\n"
            "leerjaar: [1, 5]\n"
            "niveau: vwo\n"
            "week: 60\n"
            "date: 2026-02-30\n"
            "draft: ja\n"
            "---\n"
            "Tekst\n");
    CHECK("fails", !r.ok, "%s", "condition false");
    CHECK("seven errors", r.d.len == 7, "got %zu:%s", r.d.len, r.all);
    CHECK("unknown key titel", has_error(&r, 2, 1, "did you mean 'title'?"), "%s", r.all);
    CHECK("leerjaar 5 in the list", has_error(&r, 3, 15, "from 1 to 4"), "%s", r.all);
    CHECK("niveau vwo", has_error(&r, 4, 9, "'vwo'"), "%s", r.all);
    CHECK("week 60", has_error(&r, 5, 7, "found 60"), "%s", r.all);
    CHECK("date 2026-02-30", has_error(&r, 6, 7, "not a real date"), "%s", r.all);
    CHECK("draft ja", has_error(&r, 7, 8, "true or false"), "%s", r.all);
    CHECK("missing title", has_error(&r, 1, 1, "no title"), "%s", r.all);
    CHECK("body still found", r.m.body && !strcmp(r.m.body, "Tekst\n") && r.m.body_line == 9, "%s", "condition false");
    done(&r);
}

static void test_span(void)
{
    CHECK_SUITE("frontmatter_span");
    const char *t = "---\ntitle: T\nleerjaar: 1\n---\nTekst\n";
    size_t s = 0, e = 0;
    CHECK("found", frontmatter_span(t, strlen(t), &s, &e), "%s", "condition false");
    CHECK("covers exactly the YAML", s == 4 && e == 25 && !strncmp(t + s, "title: T\nleerjaar: 1\n", e - s),
          "%zu..%zu", s, e);
    const char *empty = "---\n---\n";
    CHECK("empty front matter", frontmatter_span(empty, strlen(empty), &s, &e) && s == 4 && e == 4, "%zu..%zu", s,
          e);
    CHECK("no opening line", !frontmatter_span("title: T\n", 9, &s, &e), "%s", "condition false");
    CHECK("no closing line", !frontmatter_span("---\ntitle: T\n", 13, &s, &e), "%s", "condition false");
    CHECK("'----' is not a delimiter", !frontmatter_span("---\ntitle: T\n----\n", 18, &s, &e), "%s", "condition false");
}

static void test_date_parse(void)
{
    CHECK_SUITE("date_parse");
    Date d = {0};
    CHECK("plain date", date_parse("2026-03-12", &d) && d.y == 2026 && d.m == 3 && d.d == 12 && !d.has_time, "%s", "condition false");
    CHECK("date and time", date_parse("2026-03-12 08:05", &d) && d.has_time && d.hour == 8 && d.minute == 5, "%s", "condition false");
    CHECK("midnight and 23:59", date_parse("2026-01-01 00:00", &d) && date_parse("2026-12-31 23:59", &d), "%s", "condition false");
    CHECK("leap year 2024", date_parse("2024-02-29", &d), "%s", "condition false");
    CHECK("leap year 2000", date_parse("2000-02-29", &d), "%s", "condition false");
    CHECK("1900 is not a leap year", !date_parse("1900-02-29", &d), "%s", "condition false");
    CHECK("2026 is not a leap year", !date_parse("2026-02-29", &d), "%s", "condition false");
    CHECK("30 February", !date_parse("2026-02-30", &d), "%s", "condition false");
    CHECK("31 April", !date_parse("2026-04-31", &d), "%s", "condition false");
    CHECK("31 May exists", date_parse("2026-05-31", &d), "%s", "condition false");
    CHECK("month 13", !date_parse("2026-13-01", &d), "%s", "condition false");
    CHECK("month 0", !date_parse("2026-00-10", &d), "%s", "condition false");
    CHECK("day 0", !date_parse("2026-03-00", &d), "%s", "condition false");
    CHECK("hour 24", !date_parse("2026-03-12 24:00", &d), "%s", "condition false");
    CHECK("minute 60", !date_parse("2026-03-12 10:60", &d), "%s", "condition false");
    CHECK("T separator", !date_parse("2026-03-12T10:00", &d), "%s", "condition false");
    CHECK("seconds", !date_parse("2026-03-12 10:00:00", &d), "%s", "condition false");
    CHECK("one-digit month", !date_parse("2026-3-12", &d), "%s", "condition false");
    CHECK("Dutch order", !date_parse("12-03-2026", &d), "%s", "condition false");
    CHECK("year before 1900", !date_parse("1899-12-31", &d), "%s", "condition false");
    CHECK("year after 2200", !date_parse("2201-01-01", &d), "%s", "condition false");
    CHECK("NULL", !date_parse(NULL, &d), "%s", "condition false");
}

int main(void)
{
    test_full_example();
    test_defaults();
    test_bad();
    test_all_reported();
    test_span();
    test_date_parse();
    CHECK_DONE();
}
