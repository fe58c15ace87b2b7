/* The cmark-only floor of make bench: cmark-gfm parsing and rendering to
 * HTML every Markdown body of a corpus once, on one thread, with the
 * extensions lobgen uses (table, strikethrough, autolink, tasklist). A
 * build can not be faster than its Markdown on one core divided by the
 * cores; lobgen's time divided by this shows what the rest costs.
 *   usage: find CORPUS/content -name '*.md' | floor_cmark
 * Prints "cmark-only: S s, N bodies, B bytes of HTML". */
#define _GNU_SOURCE
#include <cmark-gfm-core-extensions.h>
#include <cmark-gfm.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

static double now(void)
{
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return t.tv_sec + t.tv_nsec / 1e9;
}

int main(void)
{
    cmark_gfm_core_extensions_ensure_registered();
    const char *ext_names[] = {"table", "strikethrough", "autolink", "tasklist"};
    /* read every body first: only parsing and rendering are timed */
    size_t cap = 1024;
    int argc = 1;
    char **body = calloc(cap, sizeof *body);
    size_t *len = calloc(cap, sizeof *len);
    char name[4096];
    for (int i = 1; fgets(name, sizeof name, stdin); i++, argc++) {
        name[strcspn(name, "\n")] = '\0';
        if ((size_t)i == cap) {
            cap *= 2;
            body = realloc(body, cap * sizeof *body);
            len = realloc(len, cap * sizeof *len);
        }
        FILE *f = fopen(name, "rb");
        if (!f) {
            perror(name);
            return 1;
        }
        fseek(f, 0, SEEK_END);
        long n = ftell(f);
        rewind(f);
        char *s = malloc((size_t)n + 1);
        if (fread(s, 1, (size_t)n, f) != (size_t)n)
            return 1;
        s[n] = '\0';
        fclose(f);
        /* the body: after the front matter's closing --- line */
        char *b = s;
        if (!strncmp(s, "---\n", 4)) {
            char *end = strstr(s + 4, "\n---\n");
            if (end)
                b = end + 5;
        }
        body[i] = b;
        len[i] = strlen(b);
    }
    double t0 = now();
    size_t out = 0;
    for (int i = 1; i < argc; i++) {
        cmark_parser *p = cmark_parser_new(CMARK_OPT_DEFAULT);
        for (size_t k = 0; k < sizeof ext_names / sizeof *ext_names; k++)
            cmark_parser_attach_syntax_extension(p, cmark_find_syntax_extension(ext_names[k]));
        cmark_parser_feed(p, body[i], len[i]);
        cmark_node *doc = cmark_parser_finish(p);
        char *html = cmark_render_html(doc, CMARK_OPT_DEFAULT, cmark_parser_get_syntax_extensions(p));
        out += strlen(html);
        free(html);
        cmark_node_free(doc);
        cmark_parser_free(p);
    }
    double t = now() - t0;
    printf("cmark-only: %.3f s, %d bodies, %zu bytes of HTML\n", t, argc - 1, out);
    return 0;
}
