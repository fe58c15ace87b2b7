#include "write.h"

#include "buf.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <ftw.h>
#include <linux/fs.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>

#ifndef RENAME_EXCHANGE
#define RENAME_EXCHANGE (1 << 1)
#endif

struct Writer {
    char *out;  /* the output folder as named */
    char *tmp;  /* the new tree being written, beside out */
    bool dry;
    size_t count;
    pthread_mutex_t lock;
};

static int rm_entry(const char *path, const struct stat *st, int flag, struct FTW *ftw)
{
    (void)st;
    (void)flag;
    (void)ftw;
    return remove(path);
}

static void rm_tree(const char *path)
{
    nftw(path, rm_entry, 16, FTW_DEPTH | FTW_PHYS);
}

/* The temporary folder sits beside out so that rename() stays on one
 * file system; its name says whose it is. */
static char *sibling(const char *out, const char *what)
{
    Buf b = BUF_INIT;
    const char *slash = strrchr(out, '/');
    if (slash) {
        buf_append(&b, out, (size_t)(slash - out) + 1);
        buf_printf(&b, ".%s.lobgen-%s", slash + 1, what);
    } else {
        buf_printf(&b, ".%s.lobgen-%s", out, what);
    }
    return buf_detach(&b);
}

#define MARKER ".lobgen-site"

static bool has_marker(const char *dir)
{
    Buf m = BUF_INIT;
    buf_printf(&m, "%s/%s", dir, MARKER);
    struct stat st;
    bool ok = lstat(m.data, &st) == 0 && S_ISREG(st.st_mode);
    buf_free(&m);
    return ok;
}

static bool dir_is_empty(const char *path)
{
    DIR *d = opendir(path);
    if (!d)
        return false;
    struct dirent *e;
    bool empty = true;
    while ((e = readdir(d)))
        if (strcmp(e->d_name, ".") && strcmp(e->d_name, "..")) {
            empty = false;
            break;
        }
    closedir(d);
    return empty;
}

Writer *writer_open(const char *out_dir, bool dry_run, Diags *d)
{
    Writer *w = xcalloc(1, sizeof *w);
    Buf o = BUF_INIT;
    buf_puts(&o, out_dir);
    while (o.len > 1 && o.data[o.len - 1] == '/')
        o.data[--o.len] = '\0';
    w->out = buf_detach(&o);
    w->dry = dry_run;
    pthread_mutex_init(&w->lock, NULL);
    if (dry_run)
        return w;
    struct stat st;
    if (lstat(w->out, &st) == 0 && !S_ISDIR(st.st_mode)) {
        diag_error(d, w->out, 0, 0, "the output path exists and is not a folder; name another output folder with --output");
        writer_abort(w);
        return NULL;
    }
    w->tmp = sibling(w->out, "new");
    /* A folder left by a build that was killed is ours to clear. */
    rm_tree(w->tmp);
    /* Never replace a folder that lobgen did not make: an output path
     * mistyped as someone's documents folder must not be swapped away. */
    if (lstat(w->out, &st) == 0 && !dir_is_empty(w->out) && !has_marker(w->out)) {
        diag_error(d, w->out, 0, 0,
                   "this folder exists and was not made by lobgen, so it will not be replaced; "
                   "remove it or name another output folder with --output");
        writer_abort(w);
        return NULL;
    }
    if (mkdir(w->tmp, 0755) != 0) {
        diag_error(d, w->tmp, 0, 0, "cannot create the build folder: %s", strerror(errno));
        free(w->tmp);
        w->tmp = NULL;
        writer_abort(w);
        return NULL;
    }
    Buf m = BUF_INIT;
    buf_printf(&m, "%s/%s", w->tmp, MARKER);
    FILE *f = fopen(m.data, "w");
    if (f) {
        fputs("This folder is built by lobgen and replaced whole by every build.\n", f);
        fclose(f);
    }
    buf_free(&m);
    return w;
}

static bool valid_rel(const char *rel)
{
    if (!rel[0] || rel[0] == '/')
        return false;
    const char *p = rel;
    while (*p) {
        const char *e = strchr(p, '/');
        size_t n = e ? (size_t)(e - p) : strlen(p);
        if (n == 0 || p[0] == '.' || memchr(p, '\\', n))
            return false;
        if (!e)
            break;
        p = e + 1;
    }
    return rel[strlen(rel) - 1] != '/';
}

static bool mkdirs_for(const char *path)
{
    char *tmp = xstrdup(path);
    for (char *p = strchr(tmp + 1, '/'); p; p = strchr(p + 1, '/')) {
        *p = '\0';
        if (mkdir(tmp, 0755) != 0 && errno != EEXIST) {
            free(tmp);
            return false;
        }
        *p = '/';
    }
    free(tmp);
    return true;
}

bool writer_put(Writer *w, const char *rel, const char *data, size_t len, Diags *d)
{
    if (!valid_rel(rel)) {
        diag_error(d, rel, 0, 0, "refusing to write outside the output folder");
        return false;
    }
    pthread_mutex_lock(&w->lock);
    w->count++;
    pthread_mutex_unlock(&w->lock);
    if (w->dry)
        return true;
    Buf p = BUF_INIT;
    buf_printf(&p, "%s/%s", w->tmp, rel);
    const int flags = O_WRONLY | O_CREAT | O_TRUNC | O_NOFOLLOW | O_CLOEXEC;
    /* most folders exist already: create them only when open says so */
    int fd = open(p.data, flags, 0644);
    bool ok = fd >= 0 || (errno == ENOENT && mkdirs_for(p.data));
    if (ok && fd < 0)
        fd = open(p.data, flags, 0644);
    if (ok) {
        ok = fd >= 0;
        size_t off = 0;
        while (ok && off < len) {
            ssize_t n = write(fd, data + off, len - off);
            if (n < 0 && errno == EINTR)
                continue;
            ok = n > 0;
            if (ok)
                off += (size_t)n;
        }
        if (fd >= 0 && close(fd) != 0)
            ok = false;
    }
    if (!ok)
        diag_error(d, p.data, 0, 0, "cannot write: %s", strerror(errno));
    buf_free(&p);
    return ok;
}

bool writer_copy(Writer *w, const char *src_path, const char *rel, Diags *d)
{
    size_t len;
    char *data = read_file(src_path, &len);
    if (!data) {
        diag_error(d, src_path, 0, 0, "cannot read: %s", strerror(errno));
        return false;
    }
    bool ok = writer_put(w, rel, data, len, d);
    free(data);
    return ok;
}

bool writer_commit(Writer *w, Diags *d)
{
    if (w->dry) {
        writer_abort(w);
        return true;
    }
    bool ok = true;
    struct stat st;
    if (lstat(w->out, &st) != 0) {
        if (rename(w->tmp, w->out) != 0) {
            diag_error(d, w->out, 0, 0, "cannot publish the new site: %s", strerror(errno));
            ok = false;
        }
    } else if (syscall(SYS_renameat2, AT_FDCWD, w->tmp, AT_FDCWD, w->out, RENAME_EXCHANGE) != 0) {
        /* No atomic exchange here (old kernel or file system): two renames,
         * with a short moment in which out is absent. */
        char *old = sibling(w->out, "old");
        rm_tree(old);
        if (rename(w->out, old) != 0 || rename(w->tmp, w->out) != 0) {
            diag_error(d, w->out, 0, 0, "cannot publish the new site: %s", strerror(errno));
            rename(old, w->out);
            ok = false;
        } else {
            rm_tree(old);
        }
        free(old);
    }
    /* after an exchange, tmp holds the previous site */
    writer_abort(w);
    return ok;
}

void writer_abort(Writer *w)
{
    if (!w)
        return;
    if (w->tmp)
        rm_tree(w->tmp);
    pthread_mutex_destroy(&w->lock);
    free(w->tmp);
    free(w->out);
    free(w);
}

size_t writer_count(const Writer *w) { return w->count; }
