/* libFuzzer target: Markdown with blocks (attributes parsed, a block
 * rendered through a callback) and glossary linking. */
#include "markdown.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

static bool is_block(void *ctx, const char *name)
{
    (void)ctx;
    return !strcmp(name, "tip") || !strcmp(name, "antwoord");
}

static const char *near_block(void *ctx, const char *word)
{
    (void)ctx;
    return !strcmp(word, "tips") ? "tip" : NULL;
}

static bool render_block(void *ctx, const char *name, const MdAttr *attrs, size_t n_attrs, const MdBlockBody *body,
                         const char *heading_before, const char *file, int line, Buf *out, Diags *d)
{
    (void)ctx;
    (void)heading_before;
    (void)file;
    (void)line;
    (void)d;
    buf_printf(out, "<div class=\"%s\">", name);
    for (size_t i = 0; i < n_attrs; i++)
        buf_printf(out, "[%s=%zu]", attrs[i].name, strlen(attrs[i].value));
    buf_puts(out, body->html);
    for (size_t i = 0; i < body->n_items; i++)
        buf_puts(out, body->items[i].html);
    buf_puts(out, "</div>");
    return true;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static const MdTerm terms[] = {
        {"mentor", "../woordenlijst/#mentor", "De begeleider"},
        {"mbo", "../woordenlijst/#mbo", NULL},
        {"stage", "../woordenlijst/#stage", "Werken & leren"},
    };
    Arena *a = arena_new();
    Diags d = DIAGS_INIT;
    MdOptions opt = {.is_block = is_block, .render_block = render_block, .terms = terms, .n_terms = 3, .near_block = near_block};
    MdDoc doc;
    markdown_render(a, "x.md", 5, (const char *)data, size, &opt, &doc, &d);
    diags_free(&d);
    arena_free(a);
    return 0;
}
