#include "url.h"

#include <string.h>
#include <strings.h>

/* Schemes that run code or read local files once a reader clicks. Browsers
 * drop tabs and newlines anywhere in a URL and control characters and
 * spaces at its start, so "java&#x09;script:" must count as javascript:
 * even though cmark's own check (which runs on the decoded URL) misses it. */
bool url_is_dangerous(const char *url, bool image)
{
    char scheme[16];
    size_t n = 0;
    const unsigned char *p = (const unsigned char *)url;
    while (*p && *p <= 0x20)
        p++;
    for (; *p && *p != ':'; p++) {
        unsigned char c = *p;
        if (c <= 0x20 || c == 0x7F)
            continue;
        bool alpha = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
        bool ok = alpha || (c >= '0' && c <= '9') || c == '+' || c == '-' || c == '.';
        if (!ok || (n == 0 && !alpha) || n == sizeof scheme - 1)
            return false; /* no scheme at all, or none we know: a relative or ordinary URL */
        scheme[n++] = (char)(c | 0x20);
    }
    if (*p != ':')
        return false;
    scheme[n] = '\0';
    if (!strcmp(scheme, "javascript") || !strcmp(scheme, "vbscript") || !strcmp(scheme, "file"))
        return true;
    if (strcmp(scheme, "data") != 0)
        return false;
    if (!image)
        return true;
    static const char *const safe_images[] = {"image/png", "image/gif", "image/jpeg", "image/webp"};
    const char *rest = (const char *)p + 1;
    for (size_t i = 0; i < sizeof safe_images / sizeof safe_images[0]; i++) {
        size_t k = strlen(safe_images[i]);
        if (strncasecmp(rest, safe_images[i], k) == 0 && (rest[k] == ';' || rest[k] == ','))
            return false;
    }
    return true;
}

/* An href for an attribute we write ourselves: like cmark's, unsafe bytes
 * percent-encoded and the HTML-special ones escaped. */
void url_put_href(Buf *b, const char *url)
{
    static const char hex[] = "0123456789ABCDEF";
    for (const unsigned char *p = (const unsigned char *)url; *p; p++) {
        unsigned char c = *p;
        if (c == '&')
            buf_puts(b, "&amp;");
        else if (c == '\'')
            buf_puts(b, "&#39;");
        else if (c <= 0x20 || c >= 0x7F || strchr("\"<>\\^`{|}", c)) {
            buf_putc(b, '%');
            buf_putc(b, hex[c >> 4]);
            buf_putc(b, hex[c & 15]);
        } else
            buf_putc(b, (char)c);
    }
}
