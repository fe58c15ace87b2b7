/* Mustache beyond the spec cases: error messages with their positions,
 * recursion and nesting limits (errors, never a crash), big templates,
 * escaping, repeated rendering, lobgen's layout idiom, and random input. */
#include "check.h"
#include "mustache.h"
#include "yamlload.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* A lookup over a fixed table of partial sources, compiled once each. */
typedef struct {
    const char **names; /* NULL-terminated */
    const char **srcs;
    Mustache *compiled[16];
    bool tried[16];
    int calls;
} Table;

static const Mustache *table_lookup(void *ctx, const char *name, Diags *d)
{
    Table *t = ctx;
    t->calls++;
    for (int i = 0; t->names[i]; i++) {
        if (strcmp(t->names[i], name) != 0)
            continue;
        if (!t->tried[i]) {
            t->tried[i] = true;
            t->compiled[i] = mustache_compile(t->srcs[i], strlen(t->srcs[i]), name, d);
        }
        return t->compiled[i];
    }
    return NULL;
}

static void table_free(Table *t)
{
    for (int i = 0; i < 16; i++)
        mustache_free(t->compiled[i]);
}

/* Compile and render src; the output (malloc'd) or NULL on any error, with
 * the first error's text in *err when err is given. */
static char *render(const char *src, const Value *data, Table *parts, char **err)
{
    Diags d = DIAGS_INIT;
    Buf out = BUF_INIT;
    Mustache *m = mustache_compile(src, strlen(src), "page.mustache", &d);
    bool ok = m && mustache_render(m, data, parts ? table_lookup : NULL, parts, &out, &d);
    if (err)
        *err = d.len ? diag_format(&d.items[0]) : NULL;
    mustache_free(m);
    diags_free(&d);
    if (!ok) {
        buf_free(&out);
        return NULL;
    }
    return buf_detach(&out);
}

/* Compile src expecting one error; returns it (caller frees with diags_free). */
static Diags compile_error(const char *src)
{
    Diags d = DIAGS_INIT;
    Mustache *m = mustache_compile(src, strlen(src), "page.mustache", &d);
    mustache_free(m);
    return d;
}

static Value *yaml(Arena *a, const char *text)
{
    Diags d = DIAGS_INIT;
    Value *v = yaml_parse(a, text, strlen(text), "data.yaml", 1, &d);
    if (d.len)
        diags_print(&d, stdout);
    diags_free(&d);
    return v;
}

static void check_error(const char *name, const char *src, int line, int col, const char *needle)
{
    Diags d = compile_error(src);
    const Diag *g = d.len ? &d.items[0] : NULL;
    CHECK(name, g && g->level == DIAG_ERROR && g->line == line && g->col == col && g->file &&
                    strcmp(g->file, "page.mustache") == 0 && strstr(g->msg, needle),
          "want %d:%d containing [%s], got %s%d:%d [%s]", line, col, needle, g ? "" : "(no error) ", g ? g->line : 0,
          g ? g->col : 0, g ? g->msg : "");
    diags_free(&d);
}

static void test_errors(void)
{
    CHECK_SUITE("errors");
    check_error("unclosed section: position of its open tag", "<ul>\n  {{#items}}\n  <li>{{.}}</li>\n</ul>\n", 2, 3,
                "section 'items' opened here is never closed; add {{/items}}");
    check_error("unclosed inverted section", "{{^empty}}none", 1, 1, "inverted section 'empty' opened here is never closed");
    check_error("unclosed parent", "x\n{{<layout}}\n{{$main}}hi{{/main}}\n", 2, 1, "parent 'layout' opened here is never closed; add {{/layout}}");
    check_error("unclosed section reports the innermost", "{{#a}}\n{{#b}}\n{{/a}}", 3, 1, "{{/a}} does not match the open section 'b'");
    check_error("mismatched close names both", "{{#person}}\n  {{name}}\n  {{/persons}}\n{{/person}}", 3, 3,
                "{{/persons}} does not match the open section 'person' (line 1, col 1)");
    check_error("close without open", "text {{/items}}", 1, 6, "{{/items}} closes nothing");
    check_error("bad set-delimiter: one delimiter", "ab\n  {{=<% =}}", 2, 3, "set-delimiter tag needs two delimiters");
    check_error("bad set-delimiter: no closing =", "{{=<% %>}}", 1, 1, "does not end with =}}");
    check_error("bad set-delimiter: three parts", "{{=<% %> x=}}", 1, 1, "two delimiters");
    check_error("unclosed tag", "Hello\nmy {{name", 2, 4, "this tag is never closed; add }}");
    check_error("unclosed triple mustache", "a {{{name}} b", 1, 3, "never closed; end it with }}}");
    check_error("empty tag name", "x\n {{ }}", 2, 2, "this tag has no name");
    check_error("empty section name", "{{#}}{{/}}", 1, 1, "this tag has no name");
    check_error("empty partial name", "{{> }}", 1, 1, "this tag has no name");
    check_error("name with a space", "{{first name}}", 1, 1, "contains whitespace");
    check_error("empty dotted part", "{{a..b}}", 1, 1, "empty part between dots");
    check_error("column counts characters, not bytes", "één {{#x}}", 1, 5, "section 'x'");
    check_error("unclosed with custom delimiters suggests them", "{{=<% %>=}}\n<%#list%>", 2, 1, "add <%/list%>");
    check_error("tag left open after a delimiter change", "{{=[ ]=}}\n[name", 2, 1, "add ] after its name");

    Diags d = compile_error("{{#a}}");
    CHECK("a failed compile gives exactly one error", d.len == 1, "%zu errors", d.len);
    diags_free(&d);
}

static void test_recursion_and_depth(void)
{
    CHECK_SUITE("limits");
    Arena *a = arena_new();
    Value *data = yaml(a, "a: true\n");

    const char *n1[] = {"loop", NULL}, *s1[] = {"again {{>loop}}"};
    Table t = {n1, s1, {0}, {0}, 0};
    char *err = NULL;
    char *out = render("{{>loop}}", data, &t, &err);
    CHECK("a partial that includes itself is an error, not a crash", out == NULL && err && strstr(err, "partial 'loop'") &&
                                                                        strstr(err, "64"),
          "out [%s] err [%s]", out ? out : "(null)", err ? err : "");
    CHECK("the recursion stopped at the limit", t.calls >= MUSTACHE_MAX_DEPTH && t.calls <= MUSTACHE_MAX_DEPTH + 2,
          "%d lookups", t.calls);
    free(out);
    free(err);
    table_free(&t);

    const char *n2[] = {"self", NULL}, *s2[] = {"{{<self}}{{$x}}y{{/x}}{{/self}}"};
    Table t2 = {n2, s2, {0}, {0}, 0};
    out = render("{{<self}}{{/self}}", data, &t2, &err);
    CHECK("a parent that inherits from itself is an error", out == NULL && err && strstr(err, "parent 'self'"), "err [%s]",
          err ? err : "");
    free(out);
    free(err);
    table_free(&t2);

    /* bounded recursion is fine: a tree rendered by a recursive partial
     * (leaves need kids: [] or they would see their parent's kids) */
    Value *tree = yaml(a, "name: root\nkids:\n  - name: a\n    kids:\n      - {name: a1, kids: []}\n  - {name: b, kids: []}\n");
    const char *n3[] = {"node", NULL}, *s3[] = {"{{name}}({{#kids}}{{>node}}{{/kids}})"};
    Table t3 = {n3, s3, {0}, {0}, 0};
    out = render("{{>node}}", tree, &t3, NULL);
    CHECK_STR("a recursive partial over finite data renders", out, "root(a(a1())b())");
    free(out);
    table_free(&t3);

    /* 10000 nested sections: a compile error, not a stack overflow */
    Buf deep = BUF_INIT;
    for (int i = 0; i < 10000; i++)
        buf_puts(&deep, "{{#a}}");
    buf_puts(&deep, "x");
    for (int i = 0; i < 10000; i++)
        buf_puts(&deep, "{{/a}}");
    Diags d = DIAGS_INIT;
    Mustache *m = mustache_compile(deep.data, deep.len, "deep.mustache", &d);
    CHECK("10000 nested sections give an error", m == NULL && d.len == 1 && strstr(d.items[0].msg, "nest more than 1000") &&
                                                  d.items[0].line == 1 && d.items[0].col == 6000 + 1,
          "%s at col %d", d.len ? d.items[0].msg : "(no error)", d.len ? d.items[0].col : 0);
    diags_free(&d);
    mustache_free(m);
    buf_free(&deep);

    /* 900 levels are allowed and render */
    for (int i = 0; i < 900; i++)
        buf_puts(&deep, "{{#a}}");
    buf_puts(&deep, "x");
    for (int i = 0; i < 900; i++)
        buf_puts(&deep, "{{/a}}");
    out = render(deep.data, data, NULL, &err);
    CHECK_STR("900 nested sections render", out, "x");
    free(out);
    free(err);
    buf_free(&deep);

    /* deep nesting repeated through a recursive partial hits the render
     * limit as an error before the C stack runs out */
    for (int i = 0; i < 600; i++)
        buf_puts(&deep, "{{#a}}");
    buf_puts(&deep, "{{>p}}");
    for (int i = 0; i < 600; i++)
        buf_puts(&deep, "{{/a}}");
    const char *n4[] = {"p", NULL}, *s4[] = {deep.data};
    Table t4 = {n4, s4, {0}, {0}, 0};
    out = render("{{>p}}", data, &t4, &err);
    CHECK("nesting across partials is capped with an error", out == NULL && err && strstr(err, "nest more than"), "err [%s]",
          err ? err : "");
    free(out);
    free(err);
    table_free(&t4);
    buf_free(&deep);
    arena_free(a);
}

static void test_big_template(void)
{
    CHECK_SUITE("big");
    Arena *a = arena_new();
    Value *data = value_map(a);
    value_set_str(a, data, "name", "Ayşe & Omar");
    Value *items = value_set(a, data, "items", value_list(a));
    for (int i = 0; i < 3; i++)
        value_push(a, items, value_num(a, i));
    Buf src = BUF_INIT, want = BUF_INIT;
    int line = 0;
    while (src.len < 1024 * 1024) {
        buf_printf(&src, "<p class=\"l%d\">Hallo {{name}}! {{#items}}[{{.}}]{{/items}}</p>\n", line);
        buf_printf(&want, "<p class=\"l%d\">Hallo Ayşe &amp; Omar! [0][1][2]</p>\n", line);
        line++;
    }
    Diags d = DIAGS_INIT;
    Mustache *m = mustache_compile(src.data, src.len, "big.mustache", &d);
    Buf out = BUF_INIT;
    bool ok = m && mustache_render(m, data, NULL, NULL, &out, &d);
    CHECK("a 1 MB template renders exactly", ok && out.len == want.len && memcmp(out.data, want.data, want.len) == 0,
          "ok=%d, %zu bytes out, %zu wanted", ok, out.len, want.len);

    /* the same compiled template rendered 1000 times gives the same output */
    Mustache *small = mustache_compile("{{#items}}<{{.}}>{{/items}} {{name}}\n", 37, "s.mustache", &d);
    Buf first = BUF_INIT;
    mustache_render(small, data, NULL, NULL, &first, &d);
    int same = 0;
    for (int i = 0; i < 1000; i++) {
        Buf o = BUF_INIT;
        if (mustache_render(small, data, NULL, NULL, &o, &d) && o.len == first.len && memcmp(o.data, first.data, o.len) == 0)
            same++;
        buf_free(&o);
    }
    CHECK("1000 renders of one template are identical", same == 1000 && strcmp(buf_cstr(&first), "<0><1><2> Ayşe &amp; Omar\n") == 0,
          "%d identical, first [%s]", same, buf_cstr(&first));
    Buf o = BUF_INIT;
    buf_puts(&o, "head:");
    mustache_render(small, data, NULL, NULL, &o, &d);
    CHECK_STR("rendering appends to the output buffer", buf_cstr(&o), "head:<0><1><2> Ayşe &amp; Omar\n");
    buf_free(&o);
    CHECK("no errors along the way", d.len == 0, "%zu errors", d.len);
    buf_free(&first);
    mustache_free(small);
    mustache_free(m);
    diags_free(&d);
    buf_free(&out);
    buf_free(&src);
    buf_free(&want);
    arena_free(a);
}

static void test_values(void)
{
    CHECK_SUITE("values");
    Arena *a = arena_new();
    Value *data = value_map(a);
    value_set_str(a, data, "evil", "& < > \" ' <script>");
    value_set_num(a, data, "n1", 1.210);
    value_set_num(a, data, "n2", 3);
    value_set_num(a, data, "n3", -0.5);
    value_set_num(a, data, "zero", 0);
    value_set_bool(a, data, "yes", true);
    value_set_bool(a, data, "no", false);
    value_set_str(a, data, "empty", "");
    value_set_str(a, data, "zerostr", "0");
    value_set(a, data, "nothing", value_null(a));
    value_set(a, data, "list", value_list(a));

    char *out = render("{{evil}}", data, NULL, NULL);
    CHECK_STR("{{x}} escapes & < > \" '", out, "&amp; &lt; &gt; &quot; &#39; &lt;script&gt;");
    free(out);
    out = render("{{{evil}}}|{{&evil}}", data, NULL, NULL);
    CHECK_STR("{{{x}}} and {{&x}} are not escaped", out, "& < > \" ' <script>|& < > \" ' <script>");
    free(out);
    out = render("{{n1}} {{n2}} {{n3}} {{zero}} {{yes}} {{no}} [{{nothing}}] [{{missing}}]", data, NULL, NULL);
    CHECK_STR("numbers, booleans, null and misses print", out, "1.21 3 -0.5 0 true false [] []");
    free(out);
    out = render("{{#empty}}E{{/empty}}{{^empty}}e{{/empty}} {{#zerostr}}Z{{/zerostr}} {{#zero}}0{{/zero}} "
                 "{{#list}}L{{/list}}{{^list}}l{{/list}} {{#nothing}}N{{/nothing}}{{^nothing}}n{{/nothing}}",
                 data, NULL, NULL);
    CHECK_STR("falsey: empty string, empty list, null; truthy: \"0\" and 0", out, "e Z 0 l n");
    free(out);
    out = render("{{list}}|{{evil.x}}|{{.}}", value_list(a), NULL, NULL);
    CHECK_STR("lists and maps interpolate as nothing", out, "||");
    free(out);
    out = render("a{{x}}b", NULL, NULL, NULL);
    CHECK_STR("no data at all renders the text", out, "ab");
    free(out);

    /* data loaded from YAML, with positions on every value */
    Value *y = yaml(a, "title: Thuisopdracht\nleerjaar: 2\nprice: 1.50\nsteps:\n  - tekst: Praat <samen>\n  - tekst: Kies\n"
                       "school:\n  naam: \"'t Atrium\"\n");
    CHECK("YAML values carry positions", y && value_get(y, "steps") && value_get(y, "steps")->line == 5, "no positions");
    out = render("<h1>{{title}}</h1> jaar {{leerjaar}} €{{price}}\n{{#steps}}- {{tekst}}\n{{/steps}}{{school.naam}}", y,
                 NULL, NULL);
    CHECK_STR("data from YAML renders", out,
              "<h1>Thuisopdracht</h1> jaar 2 €1.5\n- Praat &lt;samen&gt;\n- Kies\n&#39;t Atrium");
    free(out);

    Value *ctx = yaml(a, "who: outer\nlist:\n  - who: inner\n  - other: 1\nmap:\n  deep:\n    who: deepest\n");
    out = render("{{#list}}{{who}},{{/list}} {{#map}}{{#deep}}{{who}}{{/deep}}/{{who}}{{/map}} {{map.deep.who}}", ctx,
                 NULL, NULL);
    CHECK_STR("names are looked up through the context stack", out, "inner,outer, deepest/outer deepest");
    free(out);
    arena_free(a);
}

static void test_partials(void)
{
    CHECK_SUITE("partials");
    Arena *a = arena_new();
    Value *data = yaml(a, "name: Omar\nkind: tip\nhtml: \"<b>x\\n  y</b>\"\n");

    {
        char *out = render("[{{>nope}}]", data, NULL, NULL);
        CHECK_STR("a missing partial renders empty (no lookup)", out, "[]");
        free(out);
        const char *n[] = {"other", NULL}, *s[] = {"x"};
        Table t = {n, s, {0}, {0}, 0};
        out = render("[{{>nope}}][{{<nope}}{{$a}}b{{/a}}{{/nope}}][{{>*name}}]", data, &t, NULL);
        CHECK_STR("missing partials and parents render empty", out, "[][][]");
        free(out);
        table_free(&t);
    }

    {
        const char *n[] = {"card", "inner", NULL};
        const char *s[] = {"<div>\n  {{>inner}}\n</div>\n", "<p>{{name}}</p>\n<p>{{{html}}}</p>\n"};
        Table t = {n, s, {0}, {0}, 0};
        char *out = render("<body>\n    {{>card}}\n</body>\n", data, &t, NULL);
        CHECK_STR("nested standalone partials add up their indentation, data is not indented", out,
                  "<body>\n    <div>\n      <p>Omar</p>\n      <p><b>x\n  y</b></p>\n    </div>\n</body>\n");
        free(out);
        table_free(&t);
    }

    {
        const char *n[] = {"blocks/tip", NULL}, *s[] = {"<aside>{{name}}</aside>"};
        Table t = {n, s, {0}, {0}, 0};
        char *out = render("{{#kind}}{{>blocks/tip}}{{/kind}} {{>*kind}}", data, &t, NULL);
        CHECK_STR("partial names may contain a slash", out, "<aside>Omar</aside> ");
        free(out);
        table_free(&t);
    }

    {
        const char *n[] = {"broken", NULL}, *s[] = {"{{#open}}"};
        Table t = {n, s, {0}, {0}, 0};
        char *err = NULL;
        char *out = render("a {{>broken}} b", data, &t, &err);
        CHECK("a partial that does not compile fails the render", out == NULL && err && strstr(err, "broken:1:1") &&
                                                                     strstr(err, "never closed"),
              "out [%s] err [%s]", out ? out : "(null)", err ? err : "");
        free(out);
        free(err);
        table_free(&t);
    }
    arena_free(a);
}

static void test_layouts(void)
{
    CHECK_SUITE("layouts");
    Arena *a = arena_new();
    Value *data = yaml(a, "title: Ouderavond\nbody: Welkom & fijn\nlang: nl\nlayout: layout\n");
    const char *n[] = {"layout", "head", NULL};
    const char *s[] = {"<!doctype html>\n"
                       "<html lang=\"{{lang}}\">\n"
                       "  {{>head}}\n"
                       "  <body>\n"
                       "    {{$main}}\n"
                       "    <p>no content</p>\n"
                       "    {{/main}}\n"
                       "    <footer>{{$footer}}school{{/footer}}</footer>\n"
                       "  </body>\n"
                       "</html>\n",
                       "<head><title>{{$title}}{{title}}{{/title}}</title></head>\n"};
    Table t = {n, s, {0}, {0}, 0};
    char *out = render("{{<layout}}\n"
                       "{{$title}}{{title}} – lobgen{{/title}}\n"
                       "{{$main}}\n"
                       "<main>\n"
                       "  <p>{{body}}</p>\n"
                       "</main>\n"
                       "{{/main}}\n"
                       "{{/layout}}\n",
                       data, &t, NULL);
    CHECK_STR("a page fills its layout's blocks, reindented", out,
              "<!doctype html>\n"
              "<html lang=\"nl\">\n"
              "  <head><title>Ouderavond – lobgen</title></head>\n"
              "  <body>\n"
              "    <main>\n"
              "      <p>Welkom &amp; fijn</p>\n"
              "    </main>\n"
              "    <footer>school</footer>\n"
              "  </body>\n"
              "</html>\n");
    free(out);

    out = render("{{<layout}}{{/layout}}", data, &t, NULL);
    CHECK_STR("a layout without arguments renders its defaults", out,
              "<!doctype html>\n<html lang=\"nl\">\n  <head><title>Ouderavond</title></head>\n  <body>\n"
              "    <p>no content</p>\n    <footer>school</footer>\n  </body>\n</html>\n");
    free(out);

    out = render("{{< * layout }}{{$footer}}{{lang}}{{/footer}}{{/*layout}}", data, &t, NULL);
    CHECK("a dynamic parent name picks the layout from data", out && strstr(out, "<footer>nl</footer>"), "[%s]",
          out ? out : "(null)");
    free(out);
    table_free(&t);
    arena_free(a);
}

static void test_whitespace_misc(void)
{
    CHECK_SUITE("whitespace");
    Arena *a = arena_new();
    Value *data = yaml(a, "items: [a, b]\nshow: true\n");
    char *out = render("<ul>\n  {{#items}}\n  <li>{{.}}</li>\n  {{/items}}\n</ul>\n", data, NULL, NULL);
    CHECK_STR("standalone section lines vanish", out, "<ul>\n  <li>a</li>\n  <li>b</li>\n</ul>\n");
    free(out);
    out = render("a\r\n{{#show}}\r\nb\r\n{{/show}}\r\nc", data, NULL, NULL);
    CHECK_STR("CRLF line ends", out, "a\r\nb\r\nc");
    free(out);
    out = render("{{=<% %>=}}\n<%#items%><%.%><%/items%>\n<%={{ }}=%>\n{{show}}", data, NULL, NULL);
    CHECK_STR("delimiters change and change back", out, "ab\ntrue");
    free(out);
    out = render("{{=<% %>=}}<%{ raw }%>|<%& raw %>|<% raw %>", yaml(a, "raw: \"<i>\"\n"), NULL, NULL);
    CHECK_STR("custom delimiters: triple and & stay raw, plain escapes", out, "<i>|<i>|&lt;i&gt;");
    free(out);
    out = render("{{#*x}}[{{.}}]{{/*x}}", yaml(a, "\"*x\": star\n"), NULL, NULL);
    CHECK_STR("a section name may start with * and closes with it", out, "[star]");
    free(out);
    out = render("1{{! a\n multi-line comment }}2", data, NULL, NULL);
    CHECK_STR("multi-line comments", out, "12");
    free(out);
    arena_free(a);

    Diags d = DIAGS_INIT;
    Mustache *m = mustache_compile("x", 1, "templates/page.mustache", &d);
    CHECK_STR("mustache_file names the source", mustache_file(m), "templates/page.mustache");
    mustache_free(m);
    m = mustache_compile(NULL, 0, "empty", &d);
    Buf o = BUF_INIT;
    CHECK("an empty template renders nothing", m && mustache_render(m, NULL, NULL, NULL, &o, &d) && o.len == 0 &&
                                                   strcmp(buf_cstr(&o), "") == 0);
    buf_free(&o);
    mustache_free(m);
    diags_free(&d);
}

/* Random soup of tag pieces: every input compiles to a template or to at
 * least one error, and renders without crashing (ASan watches). */
static void test_random_input(void)
{
    CHECK_SUITE("robustness");
    static const char *pieces[] = {"{{", "}}", "{{{", "}}}", "#", "^", "/", ">", "<", "$", "!", "=", "&", "*", ".",
                                   "a", "b", "a.b", " ", "\n", "  ", "\r\n", "x", "{{=<% %>=}}", "<%", "%>", "é"};
    const int np = (int)(sizeof pieces / sizeof pieces[0]);
    Arena *a = arena_new();
    Value *data = yaml(a, "a: [1, {b: x}]\nb: a\n");
    const char *n[] = {"a", "b", NULL}, *s[] = {"{{#a}}{{>b}}{{/a}}", "[{{$a}}{{.}}{{/a}}]"};
    Table t = {n, s, {0}, {0}, 0};
    unsigned seed = 12345;
    int consistent = 0, compiled = 0;
    const int rounds = 20000;
    for (int r = 0; r < rounds; r++) {
        Buf src = BUF_INIT;
        int len = 1 + (int)((seed = seed * 1103515245u + 12345u) >> 16) % 24;
        for (int i = 0; i < len; i++) {
            seed = seed * 1103515245u + 12345u;
            buf_puts(&src, pieces[(seed >> 16) % (unsigned)np]);
        }
        Diags d = DIAGS_INIT;
        Mustache *m = mustache_compile(src.data, src.len, "fuzz", &d);
        if (m) {
            compiled++;
            Buf out = BUF_INIT;
            mustache_render(m, data, table_lookup, &t, &out, &d);
            buf_free(&out);
            consistent += 1;
        } else {
            consistent += d.len >= 1 && d.items[0].line >= 1 && d.items[0].col >= 1;
        }
        mustache_free(m);
        diags_free(&d);
        buf_free(&src);
    }
    CHECK("random tag soup: a template or an error with a position, never a crash", consistent == rounds,
          "%d of %d consistent", consistent, rounds);
    CHECK("random tag soup: some of it compiles", compiled > rounds / 20, "%d compiled", compiled);
    table_free(&t);
    arena_free(a);
}

/* Every character HTML needs escaped is escaped wherever it stands in a
 * value (the check looks at words of 8 bytes: first, middle, last, tail),
 * and the bytes next to them in the code table are left alone. */
static void test_escape_positions(void)
{
    CHECK_SUITE("values");
    static const struct {
        char c;
        const char *entity;
    } esc[] = {{'&', "&amp;"}, {'<', "&lt;"}, {'>', "&gt;"}, {'"', "&quot;"}, {'\'', "&#39;"}};
    Arena *a = arena_new();
    int bad = 0;
    char first_bad[96] = "";
    for (size_t e = 0; e < sizeof esc / sizeof esc[0]; e++)
        for (size_t len = 1; len <= 27; len++)
            for (size_t at = 0; at < len; at++) {
                char v[32], want[64];
                memset(v, 'a', len);
                v[len] = '\0';
                v[at] = esc[e].c;
                snprintf(want, sizeof want, "%.*s%s%s", (int)at, v, esc[e].entity, v + at + 1);
                Value *data = value_map(a);
                value_set_str(a, data, "x", v);
                char *got = render("{{x}}", data, NULL, NULL);
                if (!got || strcmp(got, want)) {
                    if (!bad++)
                        snprintf(first_bad, sizeof first_bad, "[%s] gave [%s]", v, got ? got : "(error)");
                }
                free(got);
            }
    CHECK("& < > \" ' are escaped at every place in values of 1 to 27 bytes", bad == 0, "%d wrong, first %s", bad,
          first_bad);
    /* neighbours of the escaped bytes, and bytes that differ from them only
     * in the high bit, pass as they are */
    const char *plain = "%()*+,-./0123456789:;=?@[\\]^_`{|}~ \xa6\xbc\xbe\xa2\xa7 abcdefgh \x26x"; /* \x26 is & */
    Value *data = value_map(a);
    value_set_str(a, data, "x", plain + 0);
    char *got = render("{{x}}", data, NULL, NULL);
    CHECK("bytes near them are not escaped", got && !strncmp(got, plain, strlen(plain) - 3) &&
                                                   !strcmp(got + strlen(plain) - 3, " &amp;x"),
          "[%s]", got ? got : "(error)");
    free(got);
    arena_free(a);
}

int main(void)
{
    test_errors();
    test_escape_positions();
    test_recursion_and_depth();
    test_big_template();
    test_values();
    test_partials();
    test_layouts();
    test_whitespace_misc();
    test_random_input();
    CHECK_DONE();
}
