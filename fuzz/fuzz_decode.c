/* libFuzzer target: the decoder alone (UTF-8, UTF-16 with BOM, legacy
 * encodings declared in the front matter), with a legacy default too. */
#include "encoding.h"

#include <stdint.h>
#include <stdlib.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    Arena *a = arena_new();
    Diags d = DIAGS_INIT;
    char *text;
    size_t len;
    const char *used;
    encoding_decode(a, "x.md", (const char *)data, size, NULL, &text, &len, &used, &d);
    encoding_decode(a, "x.md", (const char *)data, size, "windows-1254", &text, &len, &used, &d);
    diags_free(&d);
    arena_free(a);
    return 0;
}
