/* lobgen serve's Content-Type for every kind of file a site holds: the
 * recordings lobgen takes (scan.c: .opus, .ogg, .mp3, .m4a), the files a
 * project puts in templates/assets (fonts, pictures, documents), and
 * lobgen's own. An audio/video file sent as application/octet-stream does
 * not play in Safari; a font so is refused under a strict policy. The
 * right type is the registered one (IANA media types; RFC 7845 for Opus in
 * Ogg, RFC 3003 for MP3, RFC 4337 for MP4 audio, RFC 8081 for fonts). */
#include "check.h"
#include "serve.h"

int main(void)
{
    CHECK_SUITE("servetypes");
    static const struct {
        const char *name, *type;
    } want[] = {
        {"x.opus", "audio/ogg"},     {"x.ogg", "audio/ogg"},       {"x.mp3", "audio/mpeg"},
        {"x.m4a", "audio/mp4"},      {"x.wav", "audio/wav"},       {"x.mp4", "video/mp4"},
        {"x.webm", "video/webm"},    {"x.woff2", "font/woff2"},    {"x.woff", "font/woff"},
        {"x.ttf", "font/ttf"},       {"x.otf", "font/otf"},        {"x.png", "image/png"},
        {"x.jpg", "image/jpeg"},     {"x.jpeg", "image/jpeg"},     {"x.webp", "image/webp"},
        {"x.avif", "image/avif"},    {"x.gif", "image/gif"},       {"x.pdf", "application/pdf"},
        {"X.M4A", "audio/mp4"},      {"x.html", "text/html; charset=utf-8"},
        {"x.css", "text/css; charset=utf-8"},
        {"x.ics", "text/calendar; charset=utf-8"},
        {"x.txt", "text/plain; charset=utf-8"},
        {"x.svg", "image/svg+xml; charset=utf-8"},
        {"x.xml", "application/xml; charset=utf-8"},
        {"x.csv", "text/csv; charset=utf-8"},
    };
    for (size_t i = 0; i < sizeof want / sizeof *want; i++) {
        char name[64];
        snprintf(name, sizeof name, "%s is %s", want[i].name, want[i].type);
        CHECK_STR(name, serve_content_type(want[i].name), want[i].type);
    }
    CHECK_STR("a name without a known ending is octet-stream", serve_content_type("LICENSE"),
              "application/octet-stream");
    CHECK_STR("a dot in a folder is no ending", serve_content_type("/a.b/c"), "application/octet-stream");
    CHECK_DONE();
}
