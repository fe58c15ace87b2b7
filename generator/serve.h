/* lobgen serve: build into a private temporary folder, serve it over HTTP
 * (libmicrohttpd), rebuild on every saved input (watch.h) and reload the
 * open pages through server-sent events. */
#ifndef LOBGEN_SERVE_H
#define LOBGEN_SERVE_H

#include <stdbool.h>
#include <stdint.h>

typedef struct {
    const char *source; /* the project folder */
    const char *bind;   /* an IPv4 or IPv6 address; "127.0.0.1" by default */
    int port;           /* -1: 1313 or the first free port after it; 0: any free port */
    bool drafts;
    bool open;          /* start xdg-open with the chooser's URL */
} ServeOptions;

/* Run until SIGINT, SIGTERM or SIGHUP; the temporary folder is removed
 * before returning. Returns the exit status: 0 after a signal, 1 when the
 * server could not start (the reason printed on stderr). */
int serve_run(const ServeOptions *o);

/* The Content-Type lobgen serve sends for a file name ("x.css" ->
 * "text/css; charset=utf-8"); a static string, never NULL. */
const char *serve_content_type(const char *name);

/* Whether an URL path (already percent-decoded) may be served: it starts
 * with '/', and no segment is "..", "." or hidden (starts with '.'), and it
 * has no backslash. */
bool serve_path_is_safe(const char *path);

/* The byte range a Range header value h asks of a file of size bytes
 * (RFC 9110, 14.1.2): 1 and the first and last byte in *from and *to (a
 * last byte past the end is cut at it; "-n" is the last n bytes); -1 when
 * it starts after the end (416); 0 to send the whole file: another unit,
 * several ranges, or a value that is not a range. */
int serve_parse_range(const char *h, uint64_t size, uint64_t *from, uint64_t *to);

#endif
