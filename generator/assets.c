#include "assets.h"
#include "inputs.h"
#include "paths.h"

#include <dirent.h>
#include <stdlib.h>
#include <sys/stat.h>

void copy_assets(const RenderInput *in, Writer *w, const char *dir_abs, const char *rel, Diags *d, int depth)
{
    DIR *dir = opendir(dir_abs);
    if (!dir)
        return;
    inputs_note_dir(dir_abs, dir);
    size_t n = 0, cap = 0;
    char **names = NULL;
    struct dirent *e;
    while ((e = readdir(dir))) {
        if (path_is_editor_file(e->d_name))
            continue; /* a backup of style.css is not published */
        ALLOC_GROW(names, n + 1, cap);
        names[n++] = xstrdup(e->d_name);
    }
    closedir(dir);
    for (size_t i = 0; i < n; i++) {
        Buf abs = BUF_INIT, r = BUF_INIT;
        buf_printf(&abs, "%s/%s", dir_abs, names[i]);
        buf_printf(&r, "%s/%s", rel, names[i]);
        struct stat st;
        if (stat(abs.data, &st) == 0) {
            if (S_ISDIR(st.st_mode) && depth < 4)
                copy_assets(in, w, abs.data, r.data, d, depth + 1);
            else if (S_ISREG(st.st_mode))
                writer_copy(w, abs.data, r.data, d);
        }
        buf_free(&abs);
        buf_free(&r);
        free(names[i]);
    }
    free(names);
}
