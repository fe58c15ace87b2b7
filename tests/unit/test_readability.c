/* B1 readability: long sentences and many long words are warned about at
 * their line, and the repository's own Dutch materials pass the check. */
#include "check.h"
#include "check_diags.h"
#include "encoding.h"
#include "readability.h"

#include <glob.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const SourceFile SRC = {
    .path = "content/thuisopdrachten/lezen.nl.md",
    .abs = "content/thuisopdrachten/lezen.nl.md", /* the project is the current folder */
    .kind = KIND_THUISOPDRACHT,
    .slug = "lezen",
    .lang = "nl",
};

/* A material whose body starts on file line 6. */
static Material mat(const char *title, const char *summary, const char *body)
{
    return (Material){.src = &SRC, .title = title, .title_line = 2, .summary = summary, .body = body,
                      .body_len = strlen(body), .body_line = 6};
}

/* n words, without a full stop */
static char *words(int n, const char *word)
{
    Buf b = BUF_INIT;
    for (int i = 0; i < n; i++) {
        if (i)
            buf_putc(&b, ' ');
        buf_puts(&b, word);
    }
    return buf_detach(&b);
}


typedef struct {
    Diags d;
    Buf body;
} Run;

static void run(Run *r, const char *title, const char *summary)
{
    Material m = mat(title, summary, buf_cstr(&r->body));
    readability_check(&m, &r->d);
}

static const Diag *sentence_warning(const Diags *d)
{
    for (size_t i = 0; i < d->len; i++)
        if (d->items[i].level == DIAG_WARNING && strstr(d->items[i].msg, "a sentence of"))
            return &d->items[i];
    return NULL;
}

static void done(Run *r)
{
    diags_free(&r->d);
    buf_free(&r->body);
}

static void test_sentences(void)
{
    CHECK_SUITE("sentences");
    char *w25 = words(24, "woord"), *w20 = words(19, "woord"), *w12 = words(12, "kort"), *w10 = words(10, "tien");

    Run r = {DIAGS_INIT, BUF_INIT};
    buf_printf(&r.body, "Een korte zin.\n\nNog een korte zin. %s einde.\n", w25);
    run(&r, "Titel", NULL);
    const Diag *g = sentence_warning(&r.d);
    CHECK("a 25-word sentence is a warning", g && r.d.len == 1, "n=%zu", r.d.len);
    CHECK("at its line, in its file", g && g->line == 8 && g->col == 1 && g->file && !strcmp(g->file, SRC.path),
          "line=%d col=%d", g ? g->line : -1, g ? g->col : -1);
    CHECK("the message gives the count and the limit", g && strstr(g->msg, "25 words") && strstr(g->msg, "at most 20"),
          "%s", g ? g->msg : "");
    done(&r);

    r = (Run){DIAGS_INIT, BUF_INIT};
    buf_printf(&r.body, "%s einde.\n", w20);
    run(&r, "Titel", NULL);
    CHECK("a sentence of 20 words is fine", r.d.len == 0, "n=%zu", r.d.len);
    dump(&r.d);
    done(&r);

    r = (Run){DIAGS_INIT, BUF_INIT};
    buf_printf(&r.body, "Eerst kort.\n%s\n%s einde.\n", w12, w12);
    run(&r, "Titel", NULL);
    g = sentence_warning(&r.d);
    CHECK("a sentence over two lines counts as one, at its first line", g && g->line == 6 + 1 && strstr(g->msg, "25 words"),
          "line=%d %s", g ? g->line : -1, g ? g->msg : "(none)");
    done(&r);

    r = (Run){DIAGS_INIT, BUF_INIT};
    buf_printf(&r.body, "%s. %s! %s? %s: %s; ok.\n", w12, w12, w12, w12, w12);
    run(&r, "Titel", NULL);
    CHECK(". ! ? : ; end sentences", r.d.len == 0, "n=%zu", r.d.len);
    dump(&r.d);
    done(&r);

    r = (Run){DIAGS_INIT, BUF_INIT};
    buf_printf(&r.body, "**%s.** %s.\n\n(%s.) \"%s.\" %s.\n", w12, w12, w12, w12, w12);
    run(&r, "Titel", NULL);
    CHECK("a sentence ends before closing ** ) or \"", r.d.len == 0, "n=%zu", r.d.len);
    dump(&r.d);
    done(&r);

    r = (Run){DIAGS_INIT, BUF_INIT};
    buf_printf(&r.body, "Kort.\n");
    run(&r, w25, NULL);
    g = sentence_warning(&r.d);
    CHECK("a long title is a warning at the title's line", g && g->line == 2, "line=%d", g ? g->line : -1);
    done(&r);

    r = (Run){DIAGS_INIT, BUF_INIT};
    buf_printf(&r.body, "Kort.\n");
    run(&r, "Titel", w25);
    CHECK("a long summary is a warning", sentence_warning(&r.d) != NULL, "");
    done(&r);

    r = (Run){DIAGS_INIT, BUF_INIT};
    buf_printf(&r.body, "%s 1 2 3 4 5 6 7 8 9 10 - -- **.\n", w12);
    run(&r, "Titel", NULL);
    CHECK("numbers and dashes are not words", r.d.len == 0, "n=%zu", r.d.len);
    dump(&r.d);
    done(&r);
    free(w25);
    free(w20);
    free(w12);
    free(w10);
}

static void test_units(void)
{
    CHECK_SUITE("units");
    char *w10 = words(10, "tien"), *w12 = words(12, "kort"), *w25 = words(25, "lang");

    Run r = {DIAGS_INIT, BUF_INIT};
    buf_printf(&r.body, "Doe dit:\n\n- %s\n- %s\n* %s\n1. %s\n2) %s\n", w10, w10, w10, w10, w10);
    run(&r, "Titel", NULL);
    CHECK("list items without a full stop count separately", r.d.len == 0, "n=%zu", r.d.len);
    dump(&r.d);
    done(&r);

    r = (Run){DIAGS_INIT, BUF_INIT};
    buf_printf(&r.body, "Doe dit:\n\n- %s\n- %s\n- %s\n", w10, w25, w10);
    run(&r, "Titel", NULL);
    const Diag *g = sentence_warning(&r.d);
    CHECK("a long list item is a warning at its line", g && g->line == 9 && r.d.len == 1, "line=%d n=%zu",
          g ? g->line : -1, r.d.len);
    CHECK("the list marker is not a word", g && strstr(g->msg, "25 words"), "%s", g ? g->msg : "");
    done(&r);

    r = (Run){DIAGS_INIT, BUF_INIT};
    buf_printf(&r.body, "## %s\n%s\n\n### %s\n> %s\n", w12, w12, w12, w12);
    run(&r, "Titel", NULL);
    CHECK("headings count separately from the text below", r.d.len == 0, "n=%zu", r.d.len);
    dump(&r.d);
    done(&r);

    r = (Run){DIAGS_INIT, BUF_INIT};
    buf_printf(&r.body, "Tekst.\n\n## %s\n", w25);
    run(&r, "Titel", NULL);
    g = sentence_warning(&r.d);
    CHECK("a long heading is a warning at its line", g && g->line == 8, "line=%d", g ? g->line : -1);
    done(&r);

    r = (Run){DIAGS_INIT, BUF_INIT};
    buf_printf(&r.body, "Vul in:\n\n```antwoord regels=3\n%s\n```\n", w25);
    run(&r, "Titel", NULL);
    g = sentence_warning(&r.d);
    CHECK("a block's body is counted, at its line", g && g->line == 9, "line=%d", g ? g->line : -1);
    done(&r);

    r = (Run){DIAGS_INIT, BUF_INIT};
    buf_printf(&r.body, "Vul in:\n\n```tip\n%s\n\n%s\n```\n", w12, w12);
    run(&r, "Titel", NULL);
    CHECK("paragraphs in a block count separately", r.d.len == 0, "n=%zu", r.d.len);
    done(&r);

    /* a block's body is Markdown: two lines without a full stop are one
     * paragraph on the page, so one sentence to the reader */
    r = (Run){DIAGS_INIT, BUF_INIT};
    buf_printf(&r.body, "Vul in:\n\n```tip\n%s\n%s\n```\n", w12, w12);
    run(&r, "Titel", NULL);
    g = sentence_warning(&r.d);
    CHECK("two lines of one paragraph in a block are one sentence", g && g->line == 9 && strstr(g->msg, "24 words"),
          "n=%zu %s", r.d.len, g ? g->msg : "");
    done(&r);

    /* tables and lists are not sentences: every cell and item on its own */
    r = (Run){DIAGS_INIT, BUF_INIT};
    buf_printf(&r.body, "| Wie | Wat | Wanneer |\n| --- | --- | --- |\n");
    for (int i = 0; i < 6; i++)
        buf_printf(&r.body, "| de mentor van de klas | belt de ouders op | in de week voor de avond |\n");
    run(&r, "Titel", NULL);
    CHECK("a table of short cells is not one long sentence", r.d.len == 0, "n=%zu", r.d.len);
    dump(&r.d);
    done(&r);

    r = (Run){DIAGS_INIT, BUF_INIT};
    buf_printf(&r.body, "| Wie | Wat |\n| --- | --- |\n| de mentor | %s |\n", w25);
    run(&r, "Titel", NULL);
    g = sentence_warning(&r.d);
    CHECK("a long sentence in a table cell is found, at its row", g && g->line == 8 && strstr(g->msg, "25 words"),
          "line=%d", g ? g->line : -1);
    done(&r);

    r = (Run){DIAGS_INIT, BUF_INIT};
    buf_printf(&r.body, "```vraagwijzer\n- %s\n- %s\n```\n", w12, w12);
    run(&r, "Titel", NULL);
    CHECK("list items inside a block count separately", r.d.len == 0, "n=%zu", r.d.len);
    done(&r);

    r = (Run){DIAGS_INIT, BUF_INIT};
    buf_printf(&r.body, "Zie **%s** en *%s*\n", w12, w12);
    run(&r, "Titel", NULL);
    g = sentence_warning(&r.d);
    CHECK("emphasis is not a word and does not end a sentence", g && strstr(g->msg, "26 words"), "%s",
          g ? g->msg : "(none)");
    done(&r);

    r = (Run){DIAGS_INIT, BUF_INIT};
    buf_printf(&r.body, "Code:\n\n```\n%s\n```\n\n~~~\n%s\n~~~\n", w25, w25);
    run(&r, "Titel", NULL);
    CHECK("a code block without a block name is not counted", r.d.len == 0, "n=%zu", r.d.len);
    dump(&r.d);
    done(&r);

    r = (Run){DIAGS_INIT, BUF_INIT};
    buf_printf(&r.body, "```\n%s\n```\n%s einde.\n", w10, w25);
    run(&r, "Titel", NULL);
    g = sentence_warning(&r.d);
    CHECK("text after a code block is counted again", g && g->line == 9, "line=%d", g ? g->line : -1);
    done(&r);

    r = (Run){DIAGS_INIT, BUF_INIT};
    buf_printf(&r.body, "%s\n\n%s\n", w12, w12);
    run(&r, "Titel", NULL);
    CHECK("a blank line ends a paragraph", r.d.len == 0, "n=%zu", r.d.len);
    done(&r);
    free(w10);
    free(w12);
    free(w25);
}

static void test_long_words(void)
{
    CHECK_SUITE("long words");
    /* 78 words, 12 of them of 15 or more letters: 15% */
    Run r = {DIAGS_INIT, BUF_INIT};
    for (int i = 0; i < 6; i++)
        buf_printf(&r.body, "Het loopbaanoriëntatiegesprek gaat over wat uw kind wil en kan doen. Beroepsvoorlichting helpt.\n");
    run(&r, "Titel", NULL);
    const Diag *g = NULL;
    for (size_t i = 0; i < r.d.len; i++)
        if (strstr(r.d.items[i].msg, "letters"))
            g = &r.d.items[i];
    CHECK("many long words give a warning", g && g->level == DIAG_WARNING, "n=%zu", r.d.len);
    if (!g)
        dump(&r.d);
    CHECK("at the start of the body", g && g->line == 6 && g->col == 1, "line=%d", g ? g->line : -1);
    CHECK("with the share and the limit", g && strstr(g->msg, "15 or more letters") && strstr(g->msg, "under 6%"),
          "%s", g ? g->msg : "");
    done(&r);

    /* 84 words, 3 long ones: under 4% */
    r = (Run){DIAGS_INIT, BUF_INIT};
    for (int i = 0; i < 3; i++)
        buf_printf(&r.body, "Uw kind praat met u over het loopbaanoriëntatiegesprek en over wat het later wil doen op school.\n");
    for (int i = 0; i < 2; i++)
        buf_printf(&r.body, "Zo weet de mentor wat uw kind goed kan en wat het leuk vindt om te doen.\n");
    run(&r, "Kort", NULL);
    CHECK("a few long words are fine", r.d.len == 0, "n=%zu", r.d.len);
    dump(&r.d);
    done(&r);

    /* letters, not bytes: 14 letters in 15 bytes (ë) is not long */
    r = (Run){DIAGS_INIT, BUF_INIT};
    for (int i = 0; i < 15; i++)
        buf_printf(&r.body, "Oriëntatiefase oriëntatiefase gaat goed.\n");
    run(&r, "Titel", NULL);
    CHECK("a word of 14 letters with ë is not long", r.d.len == 0, "n=%zu", r.d.len);
    dump(&r.d);
    done(&r);

    r = (Run){DIAGS_INIT, BUF_INIT};
    buf_printf(&r.body, "Loopbaanoriëntatiegesprek.\n");
    run(&r, "Titel", NULL);
    CHECK("a short text is not judged on its share", r.d.len == 0, "n=%zu", r.d.len);
    done(&r);
}

static void test_repo_content(void)
{
    CHECK_SUITE("example content");
    glob_t gl;
    int rc = glob("content/*/*.nl.md", 0, NULL, &gl);
    CHECK("the example library has Dutch materials", rc == 0 && gl.gl_pathc >= 8, "rc=%d n=%zu", rc,
          rc == 0 ? gl.gl_pathc : 0);
    if (rc != 0)
        return;
    for (size_t i = 0; i < gl.gl_pathc; i++) {
        const char *path = gl.gl_pathv[i];
        Arena *a = arena_new();
        Diags d = DIAGS_INIT;
        size_t len = 0;
        char *bytes = read_file(path, &len);
        char *text = NULL;
        size_t text_len = 0;
        const char *used = NULL;
        bool ok = bytes && encoding_decode(a, path, bytes, len, NULL, &text, &text_len, &used, &d);
        free(bytes);
        /* content/<kind>/<slug>.nl.md */
        const char *kind_start = path + strlen("content/");
        const char *slash = strchr(kind_start, '/');
        SourceFile src = {.path = path, .abs = path, .lang = "nl", .lang_index = 0};
        src.kind = kind_from_name(kind_start, (size_t)(slash - kind_start));
        src.slug = arena_strndup(a, slash + 1, strlen(slash + 1) - strlen(".nl.md"));
        Material m;
        ok = ok && src.kind != KIND_COUNT && frontmatter_parse(a, &src, text, text_len, &m, &d);
        char name[256];
        snprintf(name, sizeof name, "%s parses", path);
        CHECK(name, ok && d.len == 0, "n=%zu", d.len);
        if (ok) {
            readability_check(&m, &d);
            snprintf(name, sizeof name, "%s has no readability warnings", path);
            CHECK(name, d.len == 0, "n=%zu", d.len);
        }
        dump(&d);
        diags_free(&d);
        arena_free(a);
    }
    globfree(&gl);
}

int main(void)
{
    test_sentences();
    test_units();
    test_long_words();
    test_repo_content();
    CHECK_DONE();
}
