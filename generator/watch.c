#include "watch.h"

#include "paths.h"

#include <dirent.h>
#include <errno.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <sys/inotify.h>
#include <sys/stat.h>
#include <unistd.h>

#define MASK (IN_CLOSE_WRITE | IN_MODIFY | IN_CREATE | IN_DELETE | IN_MOVED_FROM | IN_MOVED_TO | IN_DELETE_SELF | IN_ATTRIB)

typedef struct {
    int wd;
    char *rel; /* "" for the root, "content", "content/thuisopdrachten" */
} WatchDir;

struct Watch {
    int fd;
    char *root;
    WatchDir *dirs;
    size_t n, cap;
};

static void add_dir(Watch *w, const char *rel, bool recurse)
{
    Buf abs = BUF_INIT;
    buf_printf(&abs, "%s%s%s", w->root, *rel ? "/" : "", rel);
    int wd = inotify_add_watch(w->fd, abs.data, MASK | IN_ONLYDIR);
    if (wd >= 0) {
        bool known = false;
        for (size_t i = 0; i < w->n; i++)
            if (w->dirs[i].wd == wd) {
                free(w->dirs[i].rel);
                w->dirs[i].rel = xstrdup(rel);
                known = true;
            }
        if (!known) {
            ALLOC_GROW(w->dirs, w->n + 1, w->cap);
            w->dirs[w->n].wd = wd;
            w->dirs[w->n++].rel = xstrdup(rel);
        }
    }
    if (wd >= 0 && recurse) {
        DIR *dir = opendir(abs.data);
        struct dirent *e;
        while (dir && (e = readdir(dir))) {
            if (e->d_name[0] == '.')
                continue;
            Buf sub = BUF_INIT;
            buf_printf(&sub, "%s/%s", abs.data, e->d_name);
            struct stat st;
            if (lstat(sub.data, &st) == 0 && S_ISDIR(st.st_mode)) {
                Buf r = BUF_INIT;
                buf_printf(&r, "%s/%s", rel, e->d_name);
                add_dir(w, r.data, true);
                buf_free(&r);
            }
            buf_free(&sub);
        }
        if (dir)
            closedir(dir);
    }
    buf_free(&abs);
}

static bool is_input_top(const char *name)
{
    return !strcmp(name, "content") || !strcmp(name, "templates") || !strcmp(name, "locales");
}

Watch *watch_open(const char *root)
{
    int fd = inotify_init1(IN_NONBLOCK | IN_CLOEXEC);
    if (fd < 0)
        return NULL;
    Watch *w = xcalloc(1, sizeof *w);
    w->fd = fd;
    w->root = xstrdup(root);
    add_dir(w, "", false); /* for lobgen.yaml, and input folders made later */
    static const char *const tops[] = {"content", "templates", "locales"};
    for (int i = 0; i < 3; i++)
        add_dir(w, tops[i], true);
    return w;
}

int watch_fd(const Watch *w)
{
    return w->fd;
}

/* Editors write "x.md~", ".x.md.swp", "4913", "#x.md#": none is an input.
 * The same rule as the build's (path_is_editor_file), so that a file the
 * build reads, such as a stray "#notities", rebuilds and shows its error. */
static bool ignored_name(const char *name)
{
    return !*name || path_is_editor_file(name) || !strcmp(name, "4913");
}

bool watch_read(Watch *w, Buf *changed)
{
    bool any = false;
    char buf[16384] __attribute__((aligned(__alignof__(struct inotify_event))));
    for (;;) {
        ssize_t len = read(w->fd, buf, sizeof buf);
        if (len <= 0)
            break;
        for (char *p = buf; p < buf + len;) {
            struct inotify_event *ev = (struct inotify_event *)p;
            p += sizeof *ev + ev->len;
            const char *dir = NULL;
            for (size_t i = 0; i < w->n; i++)
                if (w->dirs[i].wd == ev->wd)
                    dir = w->dirs[i].rel;
            if (!dir || !ev->len || ignored_name(ev->name))
                continue;
            if (!*dir) { /* the project folder itself */
                if (is_input_top(ev->name)) {
                    if (ev->mask & (IN_CREATE | IN_MOVED_TO))
                        add_dir(w, ev->name, true);
                } else if (strcmp(ev->name, "lobgen.yaml")) {
                    continue; /* site/, README, anything else */
                }
            } else if ((ev->mask & IN_ISDIR) && (ev->mask & (IN_CREATE | IN_MOVED_TO))) {
                Buf r = BUF_INIT;
                buf_printf(&r, "%s/%s", dir, ev->name);
                add_dir(w, r.data, true);
                buf_free(&r);
            }
            buf_clear(changed);
            buf_printf(changed, "%s%s%s", dir, *dir ? "/" : "", ev->name);
            any = true;
        }
    }
    return any;
}

void watch_close(Watch *w)
{
    if (!w)
        return;
    close(w->fd);
    for (size_t i = 0; i < w->n; i++)
        free(w->dirs[i].rel);
    free(w->dirs);
    free(w->root);
    free(w);
}
