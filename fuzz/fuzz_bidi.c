/* libFuzzer target: isolating left-to-right runs in right-to-left plain
 * text (bidi.h), on any bytes (invalid UTF-8 included). Checks what the
 * function promises: only FSI ... PDI pairs are added, and isolating the
 * result again adds nothing (nothing is wrapped twice). */
#include "bidi.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    Buf once = BUF_INIT, twice = BUF_INIT;
    bidi_isolate_ltr_runs((const char *)data, size, &once);
    if ((once.len - size) % 6 != 0)
        abort(); /* something other than FSI (3 bytes) + PDI (3 bytes) was added */
    bidi_isolate_ltr_runs(once.data ? once.data : "", once.len, &twice);
    if (twice.len != once.len || (once.len && memcmp(once.data, twice.data, once.len) != 0))
        abort(); /* a run was wrapped twice */
    Arena *a = arena_new();
    char *v = malloc(size + 1);
    memcpy(v, data, size);
    v[size] = '\0';
    bidi_isolate_value(a, v);
    bidi_rtl_text(a, v);
    free(v);
    arena_free(a);
    buf_free(&once);
    buf_free(&twice);
    return 0;
}
