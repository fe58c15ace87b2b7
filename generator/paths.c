#include "paths.h"

#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

/* root without trailing slashes ("/" stays "/"). */
static size_t trimmed_len(const char *root)
{
    size_t n = strlen(root);
    while (n > 1 && root[n - 1] == '/')
        n--;
    return n;
}

bool path_is_here(const char *root)
{
    if (!root)
        return true;
    size_t n = trimmed_len(root);
    return n == 0 || (n == 1 && root[0] == '.');
}

void path_join_buf(Buf *b, const char *root, const char *rel)
{
    if (path_is_here(root) || rel[0] == '/') {
        buf_puts(b, rel);
        return;
    }
    size_t n = trimmed_len(root);
    buf_append(b, root, n);
    if (root[n - 1] != '/')
        buf_putc(b, '/');
    buf_puts(b, rel);
}

char *path_join(Arena *a, const char *root, const char *rel)
{
    Buf b = BUF_INIT;
    path_join_buf(&b, root, rel);
    char *r = arena_strndup(a, b.data, b.len);
    buf_free(&b);
    return r;
}

bool path_output_is_safe(const char *root, const char *out, Diags *d)
{
    char rr[PATH_MAX], ro[PATH_MAX];
    if (!realpath(path_is_here(root) ? "." : root, rr))
        return true; /* config loading reports the missing source */
    /* the output may not exist yet: resolve its parent */
    char *copy = xstrdup(out);
    size_t n = trimmed_len(copy);
    copy[n] = '\0'; /* "site/" is the folder site */
    char *slash = strrchr(copy, '/');
    const char *parent = ".", *base = copy;
    if (slash) {
        *slash = '\0';
        parent = *copy ? copy : "/";
        base = slash + 1;
    }
    bool ok = true;
    if (!*base || !strcmp(base, ".") || !strcmp(base, "..")) {
        ok = false;
    } else if (realpath(parent, ro)) {
        size_t k = strlen(ro);
        snprintf(ro + k, sizeof ro - k, "%s%s", ro[k - 1] == '/' ? "" : "/", base);
        size_t lr = strlen(rr), lo = strlen(ro);
        /* out == root, or out is an ancestor of root */
        if (lo <= lr && !strncmp(rr, ro, lo) && (rr[lo] == '/' || rr[lo] == '\0'))
            ok = false;
        static const char *const inputs[] = {"content", "templates", "locales"};
        for (int i = 0; i < 3 && ok; i++) {
            char in[PATH_MAX + 16];
            snprintf(in, sizeof in, "%s/%s", rr, inputs[i]);
            size_t li = strlen(in);
            if (lo >= li && !strncmp(ro, in, li) && (ro[li] == '/' || ro[li] == '\0'))
                ok = false;
        }
    }
    if (!ok)
        diag_error(d, out, 0, 0,
                   "this output folder would replace the project or its content; name a folder of its own, e.g. --output site");
    free(copy);
    return ok;
}

bool path_is_editor_file(const char *name)
{
    size_t n = strlen(name);
    return name[0] == '.' || (n > 1 && name[n - 1] == '~') || (n > 2 && name[0] == '#' && name[n - 1] == '#');
}

const char *path_arg(Arena *a, const char *root, const char *file)
{
    if (path_is_here(root) || file[0] == '/' || access(file, F_OK) == 0)
        return file;
    const char *in = path_join(a, root, file);
    return access(in, F_OK) == 0 ? in : file;
}
