/* libFuzzer target: the Mustache compiler and renderer. The input is a
 * template; it is rendered against a fixed data tree with lists, maps and
 * HTML-looking text, with a partial lookup that resolves to itself (so
 * recursion limits and the output cap are exercised). */
#include "mustache.h"
#include "yamlload.h"

#include <stdint.h>
#include <stdlib.h>

static const char DATA[] = "title: \"<b>Tip & \\\"x\\\"</b>\"\n"
                           "items: [{html: \"<i>a</i>\", time: \"19:15\"}, {html: b}, {html: c}]\n"
                           "t: {tip_title: Tip, n: 3}\n"
                           "lang: {code: nl, dir: ltr, rtl: false}\n"
                           "l: [1, 2, 3, 4, 5, 6, 7, 8, 9, 10]\n"
                           "e: []\n";

static const Mustache *self;

static const Mustache *lookup(void *ctx, const char *name, Diags *d)
{
    (void)ctx;
    (void)d;
    return name[0] == 's' ? self : NULL;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    Arena *a = arena_new();
    Diags d = DIAGS_INIT;
    Value *v = yaml_parse(a, DATA, sizeof DATA - 1, "data.yaml", 1, &d);
    Mustache *m = mustache_compile((const char *)data, size, "fuzz.mustache", &d);
    if (m && v) {
        self = m;
        Buf out = BUF_INIT;
        mustache_render(m, v, lookup, NULL, &out, &d);
        buf_free(&out);
    }
    mustache_free(m);
    for (size_t i = 0; i < d.len; i++)
        free(diag_format(&d.items[i]));
    diags_free(&d);
    arena_free(a);
    return 0;
}
