/* How fast one material page renders: a page that inherits a full HTML
 * layout ({{<layout}} with blocks), includes partials, escapes its values and
 * lists 30 steps. Compiles once, renders N times (default 20000) and prints
 * "template renders per second: X".
 *   usage: bench_template [N] */
#include "mustache.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

static const char *layout_src =
    "<!doctype html>\n"
    "<html lang=\"{{lang.code}}\" dir=\"{{lang.dir}}\">\n"
    "  <head>\n"
    "    <meta charset=\"utf-8\">\n"
    "    <meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n"
    "    <title>{{$title}}{{site.name}}{{/title}}</title>\n"
    "    <meta name=\"description\" content=\"{{summary}}\">\n"
    "    <link rel=\"stylesheet\" href=\"{{site.root}}assets/site.css\">\n"
    "    <link rel=\"alternate\" type=\"application/atom+xml\" href=\"{{site.root}}{{lang.code}}/feed.xml\" title=\"{{site.name}}\">\n"
    "    {{#translations}}\n"
    "    <link rel=\"alternate\" hreflang=\"{{code}}\" href=\"{{site.root}}{{code}}/{{path}}\">\n"
    "    {{/translations}}\n"
    "    <style>\n"
    "      body { margin: 0; font: 1.05rem/1.55 system-ui, -apple-system, \"Segoe UI\", Roboto, \"Noto Sans\", sans-serif; color: #1d1d1f; background: #fff; }\n"
    "      .wrap { max-width: 44rem; margin: 0 auto; padding: 0 1rem; }\n"
    "      .skip { position: absolute; left: -999px; } .skip:focus { left: 1rem; top: 1rem; background: #ffd; padding: .5rem; }\n"
    "      .site-header { border-bottom: 1px solid #ddd; padding: .75rem 0; } .brand { font-weight: 700; text-decoration: none; color: inherit; }\n"
    "      .years ul { list-style: none; display: flex; flex-wrap: wrap; gap: .5rem; padding: 0; margin: .5rem 0; }\n"
    "      .years .current a { font-weight: 700; text-decoration: underline; }\n"
    "      .switcher summary { cursor: pointer; } .switcher ul { columns: 2; padding-left: 1.2rem; }\n"
    "      .notice { background: #fff4d6; border-left: 4px solid #e0a800; padding: .75rem 1rem; }\n"
    "      .material h1 { font-size: 1.8rem; line-height: 1.2; margin: .5rem 0; } .summary { font-size: 1.15rem; color: #444; }\n"
    "      .facts { display: grid; grid-template-columns: max-content 1fr; gap: .25rem 1rem; }\n"
    "      .competences { display: flex; gap: .5rem; list-style: none; padding: 0; } .competences li { border-radius: 1rem; padding: .1rem .6rem; background: #eef; }\n"
    "      .steps { padding-left: 0; list-style: none; } .step { border-top: 1px solid #eee; padding: .75rem 0; } .step.done h3::after { content: \" \\2713\"; }\n"
    "      .answer { height: calc(var(--lines) * 2rem); background: repeating-linear-gradient(#fff 0 1.95rem, #bbb 1.95rem 2rem); }\n"
    "      .line { display: flex; justify-content: space-between; margin: 2rem 0; }\n"
    "      .site-footer { border-top: 1px solid #ddd; margin-top: 3rem; font-size: .9rem; color: #555; }\n"
    "      [dir=rtl] .line { flex-direction: row-reverse; }\n"
    "      @media print { .site-header, .site-footer, .switcher, .print, .skip { display: none; } body { font-size: 11pt; } .step { break-inside: avoid; } }\n"
    "    </style>\n"
    "    {{$head}}{{/head}}\n"
    "  </head>\n"
    "  <body class=\"{{kind}}\">\n"
    "    <a class=\"skip\" href=\"#main\">{{strings.skip}}</a>\n"
    "    <header class=\"site-header\">\n"
    "      <div class=\"wrap\">\n"
    "        <a class=\"brand\" href=\"{{site.root}}{{lang.code}}/\">{{site.name}}</a>\n"
    "        <nav class=\"years\" aria-label=\"{{strings.years}}\">\n"
    "          <ul>\n"
    "            {{#years}}\n"
    "            <li{{#current}} class=\"current\"{{/current}}><a href=\"{{site.root}}{{lang.code}}/leerjaar-{{n}}/\">{{label}}</a></li>\n"
    "            {{/years}}\n"
    "          </ul>\n"
    "        </nav>\n"
    "        {{>switcher}}\n"
    "      </div>\n"
    "    </header>\n"
    "    {{#notice}}\n"
    "    <p class=\"notice\" role=\"note\">{{notice}} <a href=\"{{site.root}}nl/{{path}}\">{{strings.read_dutch}}</a></p>\n"
    "    {{/notice}}\n"
    "    <main id=\"main\" class=\"wrap\">\n"
    "      {{$main}}\n"
    "      <p>{{strings.empty}}</p>\n"
    "      {{/main}}\n"
    "    </main>\n"
    "    <footer class=\"site-footer\">\n"
    "      <div class=\"wrap\">\n"
    "        {{$footer}}\n"
    "        <p>{{site.school}} &middot; {{site.city}}</p>\n"
    "        <p><a href=\"{{site.root}}{{lang.code}}/privacy/\">{{strings.privacy}}</a> &middot;\n"
    "           <a href=\"{{site.root}}{{lang.code}}/feed.xml\">{{strings.feed}}</a> &middot;\n"
    "           <a href=\"{{site.root}}{{lang.code}}/woordenlijst/\">{{strings.glossary}}</a></p>\n"
    "        {{/footer}}\n"
    "        <p class=\"built\">{{strings.built_with}} lobgen {{site.version}}</p>\n"
    "      </div>\n"
    "    </footer>\n"
    "  </body>\n"
    "</html>\n";

static const char *switcher_src =
    "<details class=\"switcher\">\n"
    "  <summary>{{strings.language}}: {{lang.native}}</summary>\n"
    "  <ul>\n"
    "    {{#translations}}\n"
    "    <li><a href=\"{{site.root}}{{code}}/{{path}}\" hreflang=\"{{code}}\" lang=\"{{code}}\">{{native}}</a></li>\n"
    "    {{/translations}}\n"
    "  </ul>\n"
    "</details>\n";

static const char *step_src =
    "<li class=\"step{{#done}} done{{/done}}\" id=\"stap-{{nr}}\">\n"
    "  <h3><span class=\"nr\">{{nr}}.</span> {{title}}</h3>\n"
    "  <p>{{text}}</p>\n"
    "  {{#minutes}}<p class=\"time\">{{minutes}} {{strings.minutes}}</p>{{/minutes}}\n"
    "  {{#lines}}\n"
    "  <div class=\"answer\" style=\"--lines: {{lines}}\" aria-label=\"{{strings.answer}}\"></div>\n"
    "  {{/lines}}\n"
    "</li>\n";

static const char *page_src =
    "{{<layout}}\n"
    "{{$title}}{{title}} – {{site.name}}{{/title}}\n"
    "{{$head}}<link rel=\"stylesheet\" href=\"{{site.root}}assets/print.css\" media=\"print\">{{/head}}\n"
    "{{$main}}\n"
    "<article class=\"material\">\n"
    "  <header>\n"
    "    <p class=\"kind\">{{strings.kind}} &middot; {{strings.year}} {{leerjaar}}</p>\n"
    "    <h1>{{title}}</h1>\n"
    "    <p class=\"summary\">{{summary}}</p>\n"
    "    <dl class=\"facts\">\n"
    "      {{#deadline}}<dt>{{strings.deadline}}</dt><dd><time datetime=\"{{deadline.iso}}\">{{deadline.text}}</time></dd>{{/deadline}}\n"
    "      {{#duration}}<dt>{{strings.duration}}</dt><dd>{{duration}} {{strings.minutes}}</dd>{{/duration}}\n"
    "    </dl>\n"
    "    <ul class=\"competences\">\n"
    "      {{#competences}}\n"
    "      <li class=\"c-{{id}}\">{{label}}</li>\n"
    "      {{/competences}}\n"
    "    </ul>\n"
    "  </header>\n"
    "  <div class=\"body\">\n"
    "    {{{body}}}\n"
    "  </div>\n"
    "  <ol class=\"steps\">\n"
    "    {{#steps}}\n"
    "    {{>step}}\n"
    "    {{/steps}}\n"
    "  </ol>\n"
    "  {{^steps}}<p>{{strings.no_steps}}</p>{{/steps}}\n"
    "  <nav class=\"line\" aria-label=\"{{strings.line}}\">\n"
    "    {{#follows}}<a rel=\"prev\" href=\"{{site.root}}{{lang.code}}/{{path}}\">&larr; {{title}}</a>{{/follows}}\n"
    "    {{#prepares}}<a rel=\"next\" href=\"{{site.root}}{{lang.code}}/{{path}}\">{{title}} &rarr;</a>{{/prepares}}\n"
    "  </nav>\n"
    "  <p class=\"print\"><a href=\"{{site.root}}{{lang.code}}/{{path}}print.html\">{{strings.print}}</a></p>\n"
    "</article>\n"
    "{{/main}}\n"
    "{{/layout}}\n";

typedef struct {
    const char *name;
    const char *src;
    Mustache *m;
} Tpl;

static Tpl partials[] = {{"layout", NULL, NULL}, {"switcher", NULL, NULL}, {"step", NULL, NULL}};

static const Mustache *lookup(void *ctx, const char *name, Diags *d)
{
    (void)ctx;
    (void)d;
    for (size_t i = 0; i < sizeof partials / sizeof partials[0]; i++)
        if (strcmp(partials[i].name, name) == 0)
            return partials[i].m;
    return NULL;
}

static Value *make_data(Arena *a)
{
    Value *d = value_map(a);
    Value *site = value_set(a, d, "site", value_map(a));
    value_set_str(a, site, "name", "LOB & ouders");
    value_set_str(a, site, "root", "../../");
    value_set_str(a, site, "school", "Vmbo De Brug");
    value_set_str(a, site, "city", "Rotterdam");
    value_set_str(a, site, "version", "0.1.0");
    Value *lang = value_set(a, d, "lang", value_map(a));
    value_set_str(a, lang, "code", "nl");
    value_set_str(a, lang, "dir", "ltr");
    value_set_str(a, lang, "native", "Nederlands");
    Value *s = value_set(a, d, "strings", value_map(a));
    const char *strs[][2] = {{"skip", "Naar de inhoud"}, {"years", "Leerjaren"}, {"read_dutch", "Lees de Nederlandse tekst"},
                             {"empty", "Geen inhoud"}, {"privacy", "Privacy"}, {"feed", "Nieuws"},
                             {"glossary", "Woordenlijst"}, {"built_with", "Gemaakt met"}, {"language", "Taal"},
                             {"minutes", "minuten"}, {"answer", "Ruimte voor je antwoord"}, {"kind", "Thuisopdracht"},
                             {"year", "leerjaar"}, {"deadline", "Inleveren"}, {"duration", "Duur"},
                             {"no_steps", "Geen stappen"}, {"line", "Doorlopende lijn"}, {"print", "Afdrukken"}};
    for (size_t i = 0; i < sizeof strs / sizeof strs[0]; i++)
        value_set_str(a, s, strs[i][0], strs[i][1]);
    value_set_str(a, d, "kind", "thuisopdrachten");
    value_set_str(a, d, "path", "thuisopdrachten/beroepen-in-de-familie/");
    value_set_str(a, d, "title", "Beroepen in de familie");
    value_set_str(a, d, "summary", "Praat thuis over het werk van je ouders, ooms & tantes. Wat doen zij <echt> op een dag?");
    value_set_num(a, d, "leerjaar", 2);
    value_set_num(a, d, "duration", 20);
    value_set(a, d, "notice", value_null(a));
    Value *dl = value_set(a, d, "deadline", value_map(a));
    value_set_str(a, dl, "iso", "2025-10-17");
    value_set_str(a, dl, "text", "vrijdag 17 oktober");
    value_set_str(a, d, "body",
                  "<p>In deze opdracht ontdek je samen met je ouders welke beroepen er in je familie zijn.</p>\n"
                  "<p>Neem de tijd: een goed gesprek duurt langer dan tien minuten.</p>");
    Value *years = value_set(a, d, "years", value_list(a));
    for (int i = 1; i <= 4; i++) {
        Value *y = value_map(a);
        value_set_num(a, y, "n", i);
        value_set(a, y, "label", value_strf(a, "Leerjaar %d", i));
        value_set_bool(a, y, "current", i == 2);
        value_push(a, years, y);
    }
    Value *tr = value_set(a, d, "translations", value_list(a));
    const char *langs[][2] = {{"nl", "Nederlands"}, {"tr", "Türkçe"}, {"ar", "العربية"}, {"pl", "Polski"},
                              {"uk", "Українська"}, {"ti", "ትግርኛ"}, {"so", "Soomaali"}, {"en", "English"}};
    for (size_t i = 0; i < sizeof langs / sizeof langs[0]; i++) {
        Value *l = value_map(a);
        value_set_str(a, l, "code", langs[i][0]);
        value_set_str(a, l, "native", langs[i][1]);
        value_push(a, tr, l);
    }
    Value *comp = value_set(a, d, "competences", value_list(a));
    const char *cs[][2] = {{"werkexploratie", "Werkexploratie"}, {"netwerken", "Netwerken"}, {"motieven", "Motievenreflectie"}};
    for (size_t i = 0; i < 3; i++) {
        Value *c = value_map(a);
        value_set_str(a, c, "id", cs[i][0]);
        value_set_str(a, c, "label", cs[i][1]);
        value_push(a, comp, c);
    }
    Value *steps = value_set(a, d, "steps", value_list(a));
    for (int i = 1; i <= 30; i++) {
        Value *st = value_map(a);
        value_set_num(a, st, "nr", i);
        value_set(a, st, "title", value_strf(a, "Vraag %d: wie werkt er \"buiten\" & wie binnen?", i));
        value_set(a, st, "text", value_strf(a, "Schrijf op wat <oom/tante %d> doet en wat hij of zij er leuk aan vindt.", i));
        if (i % 3 == 0)
            value_set_num(a, st, "minutes", 5);
        if (i % 2 == 0)
            value_set_num(a, st, "lines", 4);
        value_set_bool(a, st, "done", i < 4);
        value_push(a, steps, st);
    }
    Value *fol = value_set(a, d, "follows", value_map(a));
    value_set_str(a, fol, "path", "thuisopdrachten/mijn-kwaliteiten/");
    value_set_str(a, fol, "title", "Mijn kwaliteiten");
    Value *pre = value_set(a, d, "prepares", value_map(a));
    value_set_str(a, pre, "path", "gesprekken/voortgangsgesprek-2/");
    value_set_str(a, pre, "title", "Het voortgangsgesprek");
    return d;
}

static double now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

int main(int argc, char **argv)
{
    long n = argc > 1 ? strtol(argv[1], NULL, 10) : 20000;
    if (n <= 0)
        n = 20000;
    Diags d = DIAGS_INIT;
    partials[0].src = layout_src;
    partials[1].src = switcher_src;
    partials[2].src = step_src;
    for (size_t i = 0; i < sizeof partials / sizeof partials[0]; i++)
        partials[i].m = mustache_compile(partials[i].src, strlen(partials[i].src), partials[i].name, &d);
    Mustache *page = mustache_compile(page_src, strlen(page_src), "page", &d);
    Arena *a = arena_new();
    Value *data = make_data(a);
    Buf out = BUF_INIT;
    int status = 0;
    if (!page || d.len || !mustache_render(page, data, lookup, NULL, &out, &d)) {
        diags_print(&d, stderr);
        status = 1;
    } else {
        size_t size = out.len, tsize = strlen(layout_src) + strlen(switcher_src) + strlen(step_src) + strlen(page_src);
        double t0 = now();
        for (long i = 0; i < n; i++) {
            buf_clear(&out);
            mustache_render(page, data, lookup, NULL, &out, &d);
        }
        double dt = now() - t0;
        printf("templates: %zu bytes, page: %zu bytes, %ld renders in %.3f s\n", tsize, size, n, dt);
        printf("template renders per second: %.0f\n", (double)n / dt);
        if (getenv("BENCH_SHOW"))
            fputs(buf_cstr(&out), stdout);
    }
    buf_free(&out);
    arena_free(a);
    mustache_free(page);
    for (size_t i = 0; i < sizeof partials / sizeof partials[0]; i++)
        mustache_free(partials[i].m);
    diags_free(&d);
    return status;
}
