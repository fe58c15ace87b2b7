/* libFuzzer target: the locale loader (a locales/<tag>.yaml file, with
 * plurals and date patterns) and string lookup with it. The input is
 * written to a private folder, because the loader reads a project. */
#include "locale.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <unistd.h>

static char root[64];

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (!root[0]) {
        snprintf(root, sizeof root, "/tmp/lobgen-fuzz-locale.%d", (int)getpid());
        mkdir(root, 0700);
        char dir[96];
        snprintf(dir, sizeof dir, "%s/locales", root);
        mkdir(dir, 0700);
    }
    char path[96];
    snprintf(path, sizeof path, "%s/locales/tr.yaml", root);
    FILE *f = fopen(path, "wb");
    if (!f)
        return 0;
    fwrite(data, 1, size, f);
    fclose(f);
    Arena *a = arena_new();
    Diags d = DIAGS_INIT;
    Locale *l = locale_load(a, root, "tr", &d);
    if (l) {
        Buf b = BUF_INIT;
        locale_string(l, NULL, "tip_title");
        locale_plural(l, NULL, "materials", 3, &b);
        Date dt = {.y = 2026, .m = 3, .d = 29, .hour = 2, .minute = 30, .has_time = true};
        locale_format_date(l, &dt, DATE_LONG, &b);
        buf_free(&b);
        locale_free(l);
    }
    diags_free(&d);
    arena_free(a);
    return 0;
}
