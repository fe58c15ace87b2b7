/* libFuzzer target: the decoder, then the front matter parser and
 * validator, as a content file goes through them. */
#include "encoding.h"
#include "frontmatter.h"

#include <stdint.h>
#include <stdlib.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    Arena *a = arena_new();
    Diags d = DIAGS_INIT;
    char *text;
    size_t len;
    const char *used;
    if (encoding_decode(a, "content/thuisopdrachten/x.nl.md", (const char *)data, size, NULL, &text, &len, &used, &d)) {
        SourceFile sf = {.path = "content/thuisopdrachten/x.nl.md",
                         .abs = "content/thuisopdrachten/x.nl.md",
                         .kind = KIND_THUISOPDRACHT,
                         .slug = "x",
                         .lang = "nl",
                         .lang_index = 0};
        Material m;
        frontmatter_parse(a, &sf, text, len, &m, &d);
    }
    for (size_t i = 0; i < d.len; i++)
        free(diag_format(&d.items[i]));
    diags_free(&d);
    arena_free(a);
    return 0;
}
