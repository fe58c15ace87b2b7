#include "serve.h"

#include "build.h"
#include "buf.h"
#include "diag.h"
#include "locale.h"
#include "stop.h"
#include "watch.h"

#include <arpa/inet.h>
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <ftw.h>
#include <limits.h>
#include <microhttpd.h>
#include <poll.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#define EVENTS_PATH "/__lobgen/events"
#define DEBOUNCE_MS 150

/* Shared between the watching thread (writer) and MHD's connection threads. */
typedef struct {
    pthread_mutex_t lock;
    pthread_cond_t changed;
    unsigned long gen;  /* counts finished builds, good or bad */
    bool stopping;
    bool have_site;     /* a good build exists in site_dir */
    char *errors_html;  /* the current build's errors as <li>s; NULL when none */
    char *site_dir;     /* <tmp>/site */
    char *site_real;    /* realpath of site_dir once it exists */
    /* per configured language, from the last build that got that far: the
     * tag, the error heading in that language (serve_errors), its direction */
    size_t n_langs;
    char **tags, **headings;
    bool *rtl;
} State;

static State st = {.lock = PTHREAD_MUTEX_INITIALIZER, .changed = PTHREAD_COND_INITIALIZER};
static int sig_pipe[2] = {-1, -1};

static void on_signal(int sig)
{
    stop_note(sig); /* a build under way stops (stop.h) */
    unsigned char c = (unsigned char)sig;
    ssize_t r = write(sig_pipe[1], &c, 1);
    (void)r;
}

/* ---- paths and types ------------------------------------------------------ */

const char *serve_content_type(const char *name)
{
    static const struct {
        const char *ext, *type;
    } types[] = {
        {".html", "text/html; charset=utf-8"},
        {".css", "text/css; charset=utf-8"},
        {".xml", "application/xml; charset=utf-8"},
        {".ics", "text/calendar; charset=utf-8"},
        {".txt", "text/plain; charset=utf-8"},
        {".svg", "image/svg+xml; charset=utf-8"},
        {".json", "application/json; charset=utf-8"},
        {".js", "text/javascript; charset=utf-8"},
        {".webmanifest", "application/manifest+json; charset=utf-8"},
        {".png", "image/png"},
        {".jpg", "image/jpeg"},
        {".jpeg", "image/jpeg"},
        {".webp", "image/webp"},
        {".gif", "image/gif"},
        {".ico", "image/vnd.microsoft.icon"},
        {".pdf", "application/pdf"},
        {".woff2", "font/woff2"},
        {".woff", "font/woff"},
        {".mp3", "audio/mpeg"},
        {".ogg", "audio/ogg"},
        {".opus", "audio/ogg"},
        {".m4a", "audio/mp4"}, /* a recording lobgen takes (scan.c) */
        {".wav", "audio/wav"},
        {".mp4", "video/mp4"},
        {".webm", "video/webm"},
        {".ttf", "font/ttf"},
        {".otf", "font/otf"},
        {".avif", "image/avif"},
        {".csv", "text/csv; charset=utf-8"},
    };
    const char *dot = strrchr(name, '.');
    const char *slash = strrchr(name, '/');
    if (dot && (!slash || dot > slash))
        for (size_t i = 0; i < sizeof types / sizeof types[0]; i++)
            if (!strcasecmp(dot, types[i].ext))
                return types[i].type;
    return "application/octet-stream";
}

bool serve_path_is_safe(const char *path)
{
    if (path[0] != '/' || strchr(path, '\\'))
        return false;
    for (const char *s = path + 1; *s;) {
        const char *e = strchr(s, '/');
        size_t n = e ? (size_t)(e - s) : strlen(s);
        if (n && s[0] == '.')
            return false; /* "..", ".", ".lobgen-site", any hidden file */
        if (!e)
            break;
        s = e + 1;
    }
    return true;
}

int serve_parse_range(const char *h, uint64_t size, uint64_t *from, uint64_t *to)
{
    /* one range of bytes only: several ranges would need a multipart
     * answer, and the whole file is as right an answer (RFC 9110, 14.2) */
    if (strncmp(h, "bytes=", 6) || strchr(h, ','))
        return 0;
    const char *p = h + 6;
    while (*p == ' ')
        p++;
    char *end;
    if (*p == '-') { /* the last n bytes */
        if (p[1] < '0' || p[1] > '9')
            return 0;
        errno = 0;
        unsigned long long n = strtoull(p + 1, &end, 10);
        if (errno || *end)
            return 0;
        if (n == 0 || size == 0)
            return -1;
        *from = n >= size ? 0 : size - n;
        *to = size - 1;
        return 1;
    }
    if (*p < '0' || *p > '9')
        return 0;
    errno = 0;
    unsigned long long a = strtoull(p, &end, 10);
    if (errno || *end != '-')
        return 0;
    p = end + 1;
    unsigned long long b = UINT64_MAX;
    if (*p) {
        if (*p < '0' || *p > '9')
            return 0;
        b = strtoull(p, &end, 10);
        if (errno || *end || b < a)
            return 0;
    }
    if (a >= size)
        return -1;
    *from = a;
    *to = b >= size ? size - 1 : b;
    return 1;
}

/* ---- responses ------------------------------------------------------------ */

/* The reload script of a page served from build gen. A browser opens at
 * most 6 HTTP/1.1 connections to one server and each open page's stream
 * holds one, so a seventh tab would wait for ever: a hidden page closes
 * its stream, and a page shown again opens it with the build it shows
 * (?since=gen), which reloads it at once when a build finished meanwhile. */
static void put_reload_script(Buf *b, unsigned long gen)
{
    buf_printf(b,
               "<script>/* lobgen serve: reload on every rebuild; a hidden page gives its connection back */"
               "(function(){var e=null;function on(){if(!e&&!document.hidden){e=new EventSource(\"" EVENTS_PATH
               "?since=%lu\");e.onmessage=function(){location.reload()}}}"
               "function off(){if(e){e.close();e=null}}"
               "document.addEventListener(\"visibilitychange\",function(){document.hidden?off():on()});"
               "addEventListener(\"pagehide\",off);addEventListener(\"pageshow\",on);on()})();</script>\n",
               gen);
}

/* The heading of the error box for a page: in the language its URL starts
 * with (/tr/...), else the source language; English before any locale
 * loaded. Called with st.lock held; appends to b. */
static void put_heading(Buf *b, const char *url)
{
    size_t li = 0;
    const char *seg = url + 1, *end = strchr(seg, '/');
    size_t n = end ? (size_t)(end - seg) : 0;
    for (size_t l = 0; n && l < st.n_langs; l++)
        if (strlen(st.tags[l]) == n && !strncmp(st.tags[l], seg, n))
            li = l;
    if (st.n_langs && st.headings[li]) {
        buf_printf(b, "<strong lang=\"%s\" dir=\"%s\">", st.tags[li], st.rtl[li] ? "rtl" : "ltr");
        buf_html_escape(b, st.headings[li], strlen(st.headings[li]));
        buf_puts(b, "</strong>");
    } else {
        buf_puts(b, "<strong>The content has errors; this is the last good version of the page. "
                    "Fix the files and save them; the page then reloads.</strong>");
    }
}

/* The error box: fixed at the top so the last good page stays readable
 * below it. The diagnostics are lobgen's own, in English. */
static void put_error_box(Buf *b, const char *errors_html, const char *heading_html)
{
    buf_puts(b, "<div id=\"lobgen-errors\" role=\"alert\" lang=\"en\" dir=\"ltr\" style=\"position:fixed;"
                "top:0;left:0;right:0;max-height:60vh;overflow:auto;z-index:99999;background:#fff3f3;"
                "color:#700;border-bottom:3px solid #c00;padding:1em;font:15px/1.4 sans-serif\">");
    buf_puts(b, heading_html);
    buf_puts(b, "<ul style=\"font:13px/1.4 monospace;overflow-wrap:anywhere;padding-inline-start:1.2em\">");
    buf_puts(b, errors_html);
    buf_puts(b, "</ul></div>\n");
}

static enum MHD_Result queue(struct MHD_Connection *c, unsigned status, struct MHD_Response *r, const char *type)
{
    MHD_add_response_header(r, MHD_HTTP_HEADER_CONTENT_TYPE, type);
    MHD_add_response_header(r, MHD_HTTP_HEADER_CACHE_CONTROL, "no-store");
    enum MHD_Result ret = MHD_queue_response(c, status, r);
    MHD_destroy_response(r);
    return ret;
}

static enum MHD_Result send_buf(struct MHD_Connection *c, unsigned status, Buf *b, const char *type)
{
    size_t len = b->len;
    char *data = buf_detach(b);
    struct MHD_Response *r = MHD_create_response_from_buffer(len, data, MHD_RESPMEM_MUST_FREE);
    return queue(c, status, r, type);
}

static char *read_all(int fd, size_t *len)
{
    Buf b = BUF_INIT;
    char tmp[65536];
    ssize_t n;
    while ((n = read(fd, tmp, sizeof tmp)) > 0)
        buf_append(&b, tmp, (size_t)n);
    *len = b.len;
    return buf_detach(&b);
}

/* An HTML file with the reload script (and, while the content has errors,
 * the error box) put before </body>: only what is served changes, never
 * the files a build writes. */
static enum MHD_Result send_html(struct MHD_Connection *c, unsigned status, int fd, const char *errors,
                                 const char *heading, unsigned long gen)
{
    size_t len;
    char *html = read_all(fd, &len);
    close(fd);
    const char *end = NULL;
    for (const char *p = html; (p = strstr(p, "</body>")); p++)
        end = p;
    size_t at = end ? (size_t)(end - html) : len;
    Buf b = BUF_INIT;
    buf_append(&b, html, at);
    if (errors)
        put_error_box(&b, errors, heading);
    put_reload_script(&b, gen);
    buf_append(&b, html + at, len - at);
    free(html);
    return send_buf(c, status, &b, "text/html; charset=utf-8");
}

static enum MHD_Result send_error_page(struct MHD_Connection *c, const char *errors, const char *heading,
                                       unsigned long gen)
{
    Buf b = BUF_INIT;
    buf_puts(&b, "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">"
                 "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">"
                 "<title>lobgen: errors</title></head><body>\n");
    put_error_box(&b, errors ? errors : "<li>the site has not been built yet</li>", heading);
    put_reload_script(&b, gen);
    buf_puts(&b, "</body></html>\n");
    return send_buf(c, MHD_HTTP_INTERNAL_SERVER_ERROR, &b, "text/html; charset=utf-8");
}

/* Open site_dir + rel for reading if it is a regular file inside the
 * served folder once every symlink is resolved; -1 otherwise. *is_dir is
 * set for a folder. */
static int open_inside(const char *rel, bool *is_dir)
{
    *is_dir = false;
    Buf p = BUF_INIT;
    buf_printf(&p, "%s%s", st.site_dir, rel);
    char real[PATH_MAX];
    int fd = -1;
    if (st.site_real && realpath(p.data, real)) {
        size_t n = strlen(st.site_real);
        if (!strncmp(real, st.site_real, n) && (real[n] == '/' || real[n] == '\0')) {
            struct stat sb;
            if (stat(real, &sb) == 0 && S_ISDIR(sb.st_mode))
                *is_dir = true;
            else if (S_ISREG(sb.st_mode))
                fd = open(real, O_RDONLY | O_CLOEXEC | O_NOFOLLOW);
        }
    }
    buf_free(&p);
    return fd;
}

static enum MHD_Result send_file(struct MHD_Connection *c, unsigned status, int fd, const char *name,
                                 const char *errors, const char *heading, unsigned long gen)
{
    const char *type = serve_content_type(name);
    if (!strncmp(type, "text/html", 9))
        return send_html(c, status, fd, errors, heading, gen);
    struct stat sb;
    if (fstat(fd, &sb) != 0) {
        close(fd);
        return MHD_NO;
    }
    uint64_t size = (uint64_t)sb.st_size, from, to;
    const char *range = status == MHD_HTTP_OK ? MHD_lookup_connection_value(c, MHD_HEADER_KIND, "Range") : NULL;
    int got = range ? serve_parse_range(range, size, &from, &to) : 0;
    struct MHD_Response *r;
    if (got < 0) {
        close(fd);
        r = MHD_create_response_from_buffer(0, (void *)"", MHD_RESPMEM_PERSISTENT);
        char cr[64];
        snprintf(cr, sizeof cr, "bytes */%llu", (unsigned long long)size);
        MHD_add_response_header(r, MHD_HTTP_HEADER_CONTENT_RANGE, cr);
        return queue(c, MHD_HTTP_RANGE_NOT_SATISFIABLE, r, type);
    }
    if (got > 0) {
        r = MHD_create_response_from_fd_at_offset64(to - from + 1, fd, from);
        char cr[96];
        snprintf(cr, sizeof cr, "bytes %llu-%llu/%llu", (unsigned long long)from, (unsigned long long)to,
                 (unsigned long long)size);
        MHD_add_response_header(r, MHD_HTTP_HEADER_CONTENT_RANGE, cr);
        MHD_add_response_header(r, MHD_HTTP_HEADER_ACCEPT_RANGES, "bytes");
        return queue(c, MHD_HTTP_PARTIAL_CONTENT, r, type);
    }
    r = MHD_create_response_from_fd(size, fd);
    MHD_add_response_header(r, MHD_HTTP_HEADER_ACCEPT_RANGES, "bytes");
    return queue(c, status, r, type);
}

static enum MHD_Result send_404(struct MHD_Connection *c, const char *errors, const char *heading,
                                unsigned long gen)
{
    bool is_dir;
    int fd = open_inside("/404.html", &is_dir);
    if (fd >= 0)
        return send_file(c, MHD_HTTP_NOT_FOUND, fd, "404.html", errors, heading, gen);
    Buf b = BUF_INIT;
    buf_puts(&b, "Not found\n");
    return send_buf(c, MHD_HTTP_NOT_FOUND, &b, "text/plain; charset=utf-8");
}

/* ---- the reload stream (server-sent events) -------------------------------- */

typedef struct {
    unsigned long seen;
    bool greeted;
} Stream;

/* How often an idle stream says it is still there. A reader that went
 * away (a tab closed or hidden, a page reloaded) is only noticed when a
 * write to it fails, the second after it left, and until then it holds
 * one of the server's 64 connections: seconds, not the next rebuild. */
#define KEEPALIVE_S 2

static ssize_t stream_read(void *cls, uint64_t pos, char *buf, size_t max)
{
    (void)pos;
    Stream *s = cls;
    if (!s->greeted) {
        s->greeted = true;
        return snprintf(buf, max, "retry: 500\n: lobgen serve, build %lu\n\n", s->seen);
    }
    pthread_mutex_lock(&st.lock);
    struct timespec until;
    clock_gettime(CLOCK_REALTIME, &until);
    until.tv_sec += KEEPALIVE_S;
    while (!st.stopping && st.gen == s->seen)
        if (pthread_cond_timedwait(&st.changed, &st.lock, &until) == ETIMEDOUT)
            break;
    bool stop = st.stopping;
    unsigned long gen = st.gen;
    pthread_mutex_unlock(&st.lock);
    if (stop)
        return MHD_CONTENT_READER_END_OF_STREAM;
    if (gen == s->seen)
        return snprintf(buf, max, ": still here\n\n"); /* keeps proxies from closing it */
    s->seen = gen;
    return snprintf(buf, max, "data: reload %lu\n\n", gen);
}

static enum MHD_Result send_events(struct MHD_Connection *c)
{
    Stream *s = xcalloc(1, sizeof *s);
    pthread_mutex_lock(&st.lock);
    s->seen = st.gen;
    pthread_mutex_unlock(&st.lock);
    /* ?since=N: the build the page shows; another one than the current
     * means a build finished while the page's stream was closed */
    const char *since = MHD_lookup_connection_value(c, MHD_GET_ARGUMENT_KIND, "since");
    if (since && *since >= '0' && *since <= '9') {
        char *end;
        errno = 0;
        unsigned long v = strtoul(since, &end, 10);
        if (!*end && !errno)
            s->seen = v;
    }
    struct MHD_Response *r = MHD_create_response_from_callback(MHD_SIZE_UNKNOWN, 256, stream_read, s, free);
    return queue(c, MHD_HTTP_OK, r, "text/event-stream; charset=utf-8");
}

/* ---- requests ---------------------------------------------------------------- */

static enum MHD_Result on_request(void *cls, struct MHD_Connection *c, const char *url, const char *method,
                                  const char *version, const char *upload, size_t *upload_len, void **con_cls)
{
    (void)cls, (void)version, (void)upload, (void)upload_len, (void)con_cls;
    if (strcmp(method, "GET") && strcmp(method, "HEAD")) {
        Buf b = BUF_INIT;
        buf_puts(&b, "lobgen serve only answers GET and HEAD\n");
        return send_buf(c, MHD_HTTP_METHOD_NOT_ALLOWED, &b, "text/plain; charset=utf-8");
    }
    if (!strcmp(url, EVENTS_PATH))
        return send_events(c);
    pthread_mutex_lock(&st.lock);
    bool have_site = st.have_site;
    unsigned long gen = st.gen;
    char *errors = st.errors_html ? xstrdup(st.errors_html) : NULL;
    Buf hb = BUF_INIT;
    put_heading(&hb, url);
    pthread_mutex_unlock(&st.lock);
    const char *heading = buf_cstr(&hb);
    enum MHD_Result ret;
    if (!have_site) {
        ret = send_error_page(c, errors, heading, gen);
    } else if (!serve_path_is_safe(url) || strlen(url) > 2048) {
        ret = send_404(c, errors, heading, gen);
    } else {
        Buf rel = BUF_INIT;
        buf_puts(&rel, url);
        if (url[strlen(url) - 1] == '/')
            buf_puts(&rel, "index.html");
        bool is_dir;
        int fd = open_inside(rel.data, &is_dir);
        if (fd >= 0) {
            ret = send_file(c, MHD_HTTP_OK, fd, rel.data, errors, heading, gen);
        } else if (is_dir) {
            Buf loc = BUF_INIT;
            buf_printf(&loc, "%s/", url);
            struct MHD_Response *r = MHD_create_response_from_buffer(0, (void *)"", MHD_RESPMEM_PERSISTENT);
            MHD_add_response_header(r, MHD_HTTP_HEADER_LOCATION, loc.data);
            ret = queue(c, MHD_HTTP_MOVED_PERMANENTLY, r, "text/plain; charset=utf-8");
            buf_free(&loc);
        } else {
            ret = send_404(c, errors, heading, gen);
        }
        buf_free(&rel);
    }
    free(errors);
    buf_free(&hb);
    return ret;
}

/* ---- building ------------------------------------------------------------------ */

static void free_langs(void)
{
    for (size_t l = 0; l < st.n_langs; l++) {
        free(st.tags[l]);
        free(st.headings[l]);
    }
    free(st.tags);
    free(st.headings);
    free(st.rtl);
    st.n_langs = 0;
}

static void errors_to_html(const Diags *d, Buf *b)
{
    for (size_t i = 0; i < d->len; i++) {
        if (d->items[i].level != DIAG_ERROR)
            continue;
        char *line = diag_format(&d->items[i]);
        buf_puts(b, "<li>");
        buf_html_escape(b, line, strlen(line));
        buf_puts(b, "</li>");
        free(line);
    }
}

typedef enum { BUILT, FAILED, SUPERSEDED } Outcome;

/* Whether an input was saved since the last look: events wait on the
 * watch. Reads them; the last changed path goes into *changed. */
static bool input_changed(Watch *w, Buf *changed)
{
    struct pollfd q = {watch_fd(w), POLLIN, 0};
    return poll(&q, 1, 0) > 0 && watch_read(w, changed);
}

/* A build into site_dir, incremental after the first (pages unchanged
 * since the last good build are reused, incremental.h); the previous good
 * site stays in place when it fails. Prints the diagnostics and returns
 * BUILT or FAILED; *reused of *total pages were reused. A failed build
 * during which an input was saved again (an editor's second write, a save
 * while the build ran: build.c then refuses to publish) is SUPERSEDED:
 * nothing is printed or shown in the browser, *changed names the newer
 * save, and the caller builds again. */
static Outcome rebuild(const ServeOptions *o, Watch *w, Buf *changed, double *secs, size_t *reused, size_t *total)
{
    struct timespec t0, t1;
    clock_gettime(CLOCK_MONOTONIC, &t0);
    Diags d = DIAGS_INIT;
    Project p;
    LoadOptions lo = {.drafts = o->drafts, .load_templates = true, .keep_parses = true};
    bool ok = project_load(&p, o->source, &lo, &d);
    size_t pages = 0;
    if (ok)
        ok = project_publish(&p, st.site_dir, false, &pages, &d);
    *reused = p.pages_reused;
    *total = p.pages_reused + p.pages_rendered;
    if (p.locales && p.cfg.n_langs) {
        size_t nl = p.cfg.n_langs;
        char **tags = xcalloc(nl, sizeof *tags), **heads = xcalloc(nl, sizeof *heads);
        bool *rtl = xcalloc(nl, sizeof *rtl);
        for (size_t l = 0; l < nl; l++) {
            const char *h = p.locales[l] ? locale_string(p.locales[l], p.locales[0], "serve_errors") : NULL;
            tags[l] = xstrdup(p.cfg.langs[l].tag);
            heads[l] = h ? xstrdup(h) : NULL;
            rtl[l] = p.locales[l] && locale_is_rtl(p.locales[l]);
        }
        pthread_mutex_lock(&st.lock);
        free_langs();
        st.n_langs = nl;
        st.tags = tags;
        st.headings = heads;
        st.rtl = rtl;
        pthread_mutex_unlock(&st.lock);
    }
    project_free(&p);
    /* stopped by a signal: nothing to show; the caller stops too */
    if (!ok && (stop_requested() || input_changed(w, changed))) {
        diags_free(&d);
        return SUPERSEDED;
    }
    diags_sort(&d);
    diags_print(&d, stderr);
    Buf eh = BUF_INIT;
    if (!ok) {
        errors_to_html(&d, &eh);
        if (!eh.len)
            buf_puts(&eh, "<li>the build failed; see the terminal</li>");
        fprintf(stderr, "lobgen: %zu error%s; still serving the last good site\n", diags_count(&d, DIAG_ERROR),
                diags_count(&d, DIAG_ERROR) == 1 ? "" : "s");
    }
    diags_free(&d);
    char real[PATH_MAX];
    bool resolved = ok && realpath(st.site_dir, real);
    pthread_mutex_lock(&st.lock);
    free(st.errors_html);
    st.errors_html = ok ? NULL : buf_detach(&eh);
    if (resolved && !st.site_real)
        st.site_real = xstrdup(real);
    if (ok)
        st.have_site = true;
    st.gen++;
    pthread_cond_broadcast(&st.changed);
    pthread_mutex_unlock(&st.lock);
    buf_free(&eh);
    clock_gettime(CLOCK_MONOTONIC, &t1);
    *secs = (double)(t1.tv_sec - t0.tv_sec) + (double)(t1.tv_nsec - t0.tv_nsec) / 1e9;
    return ok ? BUILT : FAILED;
}

/* The page a changed input shows on: content/<kind>/<slug>.<lang>.md (or
 * a .po translation) is /<lang>/<kind>/<slug>/ when the built site has
 * that folder. */
static void page_of(const char *changed, Buf *url)
{
    buf_clear(url);
    buf_puts(url, "/");
    const char *p = changed;
    if (strncmp(p, "content/", 8))
        return;
    p += 8;
    const char *slash = strchr(p, '/');
    if (!slash)
        return;
    const char *name = slash + 1;
    const char *dot1 = strchr(name, '.');
    if (!dot1 || strchr(name, '/'))
        return;
    const char *dot2 = strchr(dot1 + 1, '.');
    if (!dot2 || (strcmp(dot2, ".md") && strcmp(dot2, ".po")))
        return;
    Buf cand = BUF_INIT;
    buf_printf(&cand, "/%.*s/%.*s/%.*s/", (int)(dot2 - dot1 - 1), dot1 + 1, (int)(slash - p), p,
               (int)(dot1 - name), name);
    Buf abs = BUF_INIT;
    buf_printf(&abs, "%s%s", st.site_dir, cand.data);
    struct stat sb;
    if (stat(abs.data, &sb) == 0 && S_ISDIR(sb.st_mode)) {
        buf_clear(url);
        buf_puts(url, cand.data);
    }
    buf_free(&abs);
    buf_free(&cand);
}

static int rm_entry(const char *path, const struct stat *sb, int flag, struct FTW *ftw)
{
    (void)sb, (void)flag, (void)ftw;
    return remove(path);
}

#define LOCK_NAME "lobgen-serve.lock"

/* A serve killed where it could not clean up (SIGKILL, the OOM killer)
 * leaves its folder, a whole site and its spare, in TMPDIR. Each serve
 * holds an exclusive flock on LOCK_NAME in its folder for its life, which
 * the kernel drops with the process: a folder of ours (a lobgen-serve-*
 * of this user with the lock file) whose lock can be taken is a dead
 * serve's and is removed. One without the lock file (being made, or not
 * ours) is left alone. */
static void remove_dead_previews(const char *tmpdir, const char *own)
{
    DIR *dir = opendir(tmpdir);
    if (!dir)
        return;
    struct dirent *e;
    while ((e = readdir(dir))) {
        if (strncmp(e->d_name, "lobgen-serve-", 13))
            continue;
        Buf p = BUF_INIT, l = BUF_INIT;
        buf_printf(&p, "%s/%s", tmpdir, e->d_name);
        buf_printf(&l, "%s/" LOCK_NAME, p.data);
        struct stat sb;
        int fd = -1;
        if (strcmp(p.data, own) && lstat(p.data, &sb) == 0 && S_ISDIR(sb.st_mode) && sb.st_uid == getuid() &&
            (fd = open(l.data, O_RDWR | O_CLOEXEC | O_NOFOLLOW)) >= 0 && flock(fd, LOCK_EX | LOCK_NB) == 0)
            nftw(p.data, rm_entry, 16, FTW_DEPTH | FTW_PHYS);
        if (fd >= 0)
            close(fd);
        buf_free(&p);
        buf_free(&l);
    }
    closedir(dir);
}

static struct MHD_Daemon *start(const ServeOptions *o, int port, bool v6, const void *addr)
{
    struct sockaddr_in a4 = {.sin_family = AF_INET, .sin_port = htons((uint16_t)port)};
    struct sockaddr_in6 a6 = {.sin6_family = AF_INET6, .sin6_port = htons((uint16_t)port)};
    if (v6)
        memcpy(&a6.sin6_addr, addr, sizeof a6.sin6_addr);
    else
        memcpy(&a4.sin_addr, addr, sizeof a4.sin_addr);
    (void)o;
    unsigned flags = MHD_USE_THREAD_PER_CONNECTION | MHD_USE_INTERNAL_POLLING_THREAD | MHD_USE_ITC;
    if (v6)
        flags |= MHD_USE_IPv6;
    return MHD_start_daemon(flags, (uint16_t)port, NULL, NULL, on_request, NULL, MHD_OPTION_SOCK_ADDR,
                            v6 ? (struct sockaddr *)&a6 : (struct sockaddr *)&a4, MHD_OPTION_CONNECTION_TIMEOUT,
                            (unsigned)120, MHD_OPTION_CONNECTION_LIMIT, (unsigned)64, MHD_OPTION_END);
}

int serve_run(const ServeOptions *o)
{
    const char *bind = o->bind ? o->bind : "127.0.0.1";
    unsigned char addr[16];
    bool v6 = strchr(bind, ':') != NULL;
    if (inet_pton(v6 ? AF_INET6 : AF_INET, bind, addr) != 1) {
        fprintf(stderr, "lobgen: --bind '%s' is not an IPv4 or IPv6 address; use e.g. 127.0.0.1 or 0.0.0.0\n", bind);
        return 2;
    }
    Buf cfg = BUF_INIT;
    buf_printf(&cfg, "%s/lobgen.yaml", o->source);
    struct stat sb;
    if (stat(cfg.data, &sb) != 0) {
        fprintf(stderr, "%s: error: no lobgen.yaml here; give the project folder with --source DIR, or make one with 'lobgen init DIR'\n",
                cfg.data);
        buf_free(&cfg);
        return 1;
    }
    buf_free(&cfg);

    const char *tmpdir = getenv("TMPDIR");
    Buf tmpl = BUF_INIT;
    buf_printf(&tmpl, "%s/lobgen-serve-XXXXXX", tmpdir && *tmpdir ? tmpdir : "/tmp");
    if (!mkdtemp(tmpl.data)) {
        fprintf(stderr, "lobgen: cannot make a temporary folder %s: %s\n", tmpl.data, strerror(errno));
        buf_free(&tmpl);
        return 1;
    }
    char *tmp = buf_detach(&tmpl);
    /* held until the process ends, however it ends (remove_dead_previews) */
    Buf lk = BUF_INIT;
    buf_printf(&lk, "%s/" LOCK_NAME, tmp);
    int lock_fd = open(lk.data, O_RDWR | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
    if (lock_fd >= 0)
        flock(lock_fd, LOCK_EX);
    buf_free(&lk);
    remove_dead_previews(tmpdir && *tmpdir ? tmpdir : "/tmp", tmp);
    Buf sd = BUF_INIT;
    buf_printf(&sd, "%s/site", tmp);
    st.site_dir = buf_detach(&sd);

    /* Signals only write a byte; the loop below then cleans up as on any exit. */
    int rc = 1;
    Watch *w = NULL;
    struct MHD_Daemon *daemon = NULL;
    Buf changed = BUF_INIT, last = BUF_INIT, url = BUF_INIT;
    if (pipe2(sig_pipe, O_CLOEXEC | O_NONBLOCK) != 0) {
        fprintf(stderr, "lobgen: %s\n", strerror(errno));
        goto out;
    }
    /* build's signals, and its rule: `nohup lobgen serve &` keeps serving
     * after the terminal closes (SIGHUP stays ignored) */
    stop_catch(on_signal);
    signal(SIGPIPE, SIG_IGN);

    w = watch_open(o->source);
    if (!w) {
        fprintf(stderr, "lobgen: cannot watch %s for changes (inotify: %s)\n", o->source, strerror(errno));
        goto out;
    }
    double secs;
    size_t reused, total;
    Outcome got = rebuild(o, w, &changed, &secs, &reused, &total);
    if (stop_requested())
        goto stopped;

    int port = o->port;
    if (port < 0) {
        for (port = 1313; port < 1413 && !(daemon = start(o, port, v6, addr)); port++)
            ;
    } else {
        daemon = start(o, port, v6, addr);
    }
    if (!daemon) {
        fprintf(stderr, "lobgen: cannot listen on %s port %d: %s; choose another with --port N\n", bind,
                o->port < 0 ? 1313 : o->port, strerror(errno));
        goto out;
    }
    const union MHD_DaemonInfo *info = MHD_get_daemon_info(daemon, MHD_DAEMON_INFO_BIND_PORT);
    port = info ? info->port : port;
    Buf base = BUF_INIT;
    buf_printf(&base, v6 ? "http://[%s]:%d" : "http://%s:%d", bind, port);
    printf("lobgen: serving %s/ (the language chooser)%s; Ctrl-C stops\n", base.data,
           got == FAILED ? " with errors" : "");
    if (strcmp(bind, "127.0.0.1") && strcmp(bind, "::1"))
        fprintf(stderr, "lobgen: warning: --bind %s makes the preview reachable from other machines\n", bind);
    fflush(stdout);
    if (o->open) {
        /* xdg-open from a grandchild, whose parent ends at once and is
         * reaped here: the browser it starts is not serve's child, and a
         * finished xdg-open is no zombie while serve waits for changes */
        Buf u = BUF_INIT;
        buf_printf(&u, "%s/", base.data);
        pid_t pid = fork();
        if (pid == 0) {
            if (fork() == 0) {
                execlp("xdg-open", "xdg-open", u.data, (char *)NULL);
                _exit(127);
            }
            _exit(0);
        }
        if (pid > 0)
            while (waitpid(pid, NULL, 0) < 0 && errno == EINTR)
                ;
        buf_free(&u);
    }

    for (;;) {
        struct pollfd pf[2] = {{sig_pipe[0], POLLIN, 0}, {watch_fd(w), POLLIN, 0}};
        /* a superseded build: straight on to the next, once quiet */
        if (poll(pf, 2, got == SUPERSEDED ? 0 : -1) < 0 && errno != EINTR)
            break;
        if (pf[0].revents)
            break;
        if (got != SUPERSEDED && !(pf[1].revents && watch_read(w, &changed)))
            continue;
        if (got == SUPERSEDED) {
            printf("lobgen: %s was saved again during the build; building again\n", changed.data);
            fflush(stdout);
        }
        buf_clear(&last);
        buf_puts(&last, changed.data);
        /* An editor saves in several steps (write, rename, chmod): wait
         * until the inputs have been quiet for a moment, then build once. */
        for (;;) {
            struct pollfd q[2] = {{sig_pipe[0], POLLIN, 0}, {watch_fd(w), POLLIN, 0}};
            int n = poll(q, 2, DEBOUNCE_MS);
            if (n <= 0 || q[0].revents)
                break;
            if (watch_read(w, &changed)) {
                buf_clear(&last);
                buf_puts(&last, changed.data);
            }
        }
        got = rebuild(o, w, &changed, &secs, &reused, &total);
        if (stop_requested())
            break;
        if (got == SUPERSEDED)
            continue;
        if (got == BUILT) {
            page_of(last.data, &url);
            printf("lobgen: rebuilt after a change to %s (%.2f s, %zu of %zu pages unchanged): %s%s\n", last.data,
                   secs, reused, total, base.data, url.data);
        } else {
            printf("lobgen: the content has errors after a change to %s; the browser shows them over the last good "
                   "site\n",
                   last.data);
        }
        fflush(stdout);
    }
    buf_free(&base);
stopped:
    rc = 0;
    printf("lobgen: stopped; removed the preview folder\n");
out:
    pthread_mutex_lock(&st.lock);
    st.stopping = true;
    pthread_cond_broadcast(&st.changed);
    pthread_mutex_unlock(&st.lock);
    if (daemon)
        MHD_stop_daemon(daemon);
    watch_close(w);
    buf_free(&changed);
    buf_free(&last);
    buf_free(&url);
    nftw(tmp, rm_entry, 16, FTW_DEPTH | FTW_PHYS);
    if (lock_fd >= 0)
        close(lock_fd);
    free(tmp);
    free(st.site_dir);
    free(st.site_real);
    free(st.errors_html);
    free_langs();
    if (sig_pipe[0] >= 0) {
        close(sig_pipe[0]);
        close(sig_pipe[1]);
    }
    return rc;
}
