/* The parse cache (parsecache.h): a file read from it is the Material a
 * fresh parse gives, field by field; any change to what the parse reads
 * (the bytes, the name, the language's default encoding) misses; a
 * damaged file is ignored and replaced; the file is left alone when a
 * build took everything from it. */
#include "check.h"
#include "frontmatter.h"
#include "parsecache.h"
#include "site.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static char root[64];
static char file[128];

static const char *const text_a =
    "---\n"
    "title: \"Wat kan ik? Een gesprek\"\n"
    "summary: Over kwaliteiten en motieven\n"
    "leerjaar: [3, 1]\n"
    "niveau: [kb, gl]\n"
    "competenties: [kwaliteitenreflectie, netwerken]\n"
    "week: 12\n"
    "duration: 45\n"
    "date: 2026-03-12 19:30\n"
    "deadline: 2026-03-20\n"
    "prepares: [gesprekken/gesprek-kwaliteiten]\n"
    "follows: [ouderavonden/start-lob, thuisopdrachten/mijn-talenten]\n"
    "draft: true\n"
    "---\n"
    "## Voor ouders\n\nPraat samen over wat uw kind goed kan.\n";

static const char *const text_tr =
    "---\n"
    "title: Neler yapabilirim?\n"
    "translation:\n"
    "  source: 0123456789abcdef\n"
    "  reviewed: true\n"
    "---\n"
    "Metin.\n";

static SourceFile source(const char *path, const char *slug, const char *lang, int lang_index)
{
    SourceFile sf = {.path = path, .abs = path, .kind = KIND_GESPREK, .slug = slug, .lang = lang,
                     .lang_index = lang_index};
    return sf;
}

static bool same_date(const Date *a, const Date *b)
{
    return a->y == b->y && a->m == b->m && a->d == b->d && a->hour == b->hour && a->minute == b->minute &&
           a->second == b->second && a->has_time == b->has_time && a->line == b->line && a->col == b->col;
}

static bool same_str(const char *a, const char *b) { return (!a && !b) || (a && b && !strcmp(a, b)); }

static bool same_refs(const MaterialRef *a, size_t na, const MaterialRef *b, size_t nb)
{
    if (na != nb)
        return false;
    for (size_t i = 0; i < na; i++)
        if (a[i].kind != b[i].kind || a[i].line != b[i].line || a[i].col != b[i].col || !same_str(a[i].slug, b[i].slug))
            return false;
    return true;
}

/* Every field the parse fills, but body (a pointer into the text; the
 * cache gives NULL and the load reads it from the bytes). */
static bool same_material(const Material *a, const Material *b)
{
    return same_str(a->title, b->title) && a->title_line == b->title_line && a->title_col == b->title_col &&
           same_str(a->summary, b->summary) && a->summary_line == b->summary_line &&
           a->summary_col == b->summary_col && !memcmp(a->leerjaar, b->leerjaar, sizeof a->leerjaar) &&
           a->n_leerjaar == b->n_leerjaar && a->niveau == b->niveau && a->competenties == b->competenties &&
           a->week == b->week && a->duration == b->duration && same_date(&a->date, &b->date) &&
           same_date(&a->deadline, &b->deadline) && same_refs(a->prepares, a->n_prepares, b->prepares, b->n_prepares) &&
           same_refs(a->follows, a->n_follows, b->follows, b->n_follows) && a->draft == b->draft &&
           a->is_translation == b->is_translation && same_str(a->tr_source, b->tr_source) &&
           a->tr_source_line == b->tr_source_line && a->tr_source_col == b->tr_source_col &&
           a->tr_reviewed == b->tr_reviewed && same_str(a->encoding, b->encoding) &&
           same_str(a->rec_source, b->rec_source) && a->body_len == b->body_len && a->body_line == b->body_line &&
           a->body_at == b->body_at && a->body_hash == b->body_hash && !strcmp(a->fingerprint, b->fingerprint) &&
           a->text_is_bytes == b->text_is_bytes && a->po_units == b->po_units;
}

/* One "build" of files: each looked up, parsed on a miss and kept. */
typedef struct {
    const SourceFile *sf;
    const char *text;
    const char *enc;
} File;

static void build(const File *f, size_t n, Material *got, bool *hit, size_t *hits, size_t *kept, Arena *a)
{
    ParseCache *c = parsecache_open(root, ".lobgen-cache", n);
    Diags d = DIAGS_INIT;
    for (size_t i = 0; i < n; i++) {
        hit[i] = parsecache_get(c, i, f[i].sf, f[i].enc, f[i].text, strlen(f[i].text), a, &got[i]);
        if (!hit[i]) {
            frontmatter_parse(a, f[i].sf, f[i].text, strlen(f[i].text), &got[i], &d);
            got[i].text_is_bytes = true;
            parsecache_put(c, i, &got[i]);
        }
    }
    parsecache_save(c, &d);
    parsecache_counts(c, hits, kept);
    parsecache_free(c);
    diags_free(&d);
}

static long mtime_ns(const char *path)
{
    struct stat st;
    return stat(path, &st) ? -1 : st.st_mtim.tv_sec * 1000000000L + st.st_mtim.tv_nsec;
}

int main(void)
{
    CHECK_SUITE("parse cache");
    snprintf(root, sizeof root, "/tmp/lobgen-pc-XXXXXX");
    if (!mkdtemp(root))
        return 2;
    snprintf(file, sizeof file, "%s/.lobgen-cache/parse/materials", root);
    Arena *a = arena_new();
    SourceFile sa = source("content/gesprekken/wat-kan-ik.nl.md", "wat-kan-ik", "nl", 0);
    SourceFile st = source("content/gesprekken/wat-kan-ik.tr.md", "wat-kan-ik", "tr", 1);
    File files[2] = {{&sa, text_a, NULL}, {&st, text_tr, "windows-1254"}};
    Material fresh[2], got[3];
    bool hit[3];
    size_t hits, kept;

    Diags d = DIAGS_INIT;
    for (int i = 0; i < 2; i++) {
        frontmatter_parse(a, files[i].sf, files[i].text, strlen(files[i].text), &fresh[i], &d);
        fresh[i].text_is_bytes = true;
    }
    CHECK("the test texts parse without a message", d.len == 0, "%s", d.len ? d.items[0].msg : "");
    diags_free(&d);

    build(files, 2, got, hit, &hits, &kept, a);
    CHECK("a first build parses every file and keeps it", !hit[0] && !hit[1] && kept == 2 && hits == 0,
          "hits=%zu kept=%zu", hits, kept);
    CHECK("... in .lobgen-cache/parse/materials", access(file, R_OK) == 0, "");
    long t0 = mtime_ns(file);

    memset(got, 0, sizeof got);
    build(files, 2, got, hit, &hits, &kept, a);
    CHECK("the next build takes both from the cache", hit[0] && hit[1] && hits == 2 && kept == 0,
          "hits=%zu kept=%zu", hits, kept);
    CHECK("... the material with every key is the fresh parse, field by field", same_material(&got[0], &fresh[0]), "");
    CHECK("... so is the translation", same_material(&got[1], &fresh[1]), "");
    CHECK("... its source is the file asked about, its body left to the load", got[0].src == &sa && !got[0].body, "");
    CHECK("... the fingerprint is the text's (site_fingerprint)", !strcmp(got[0].fingerprint, fresh[0].fingerprint) &&
          strlen(got[0].fingerprint) == 16, "%s", got[0].fingerprint);
    CHECK("... and the file is left as it was", mtime_ns(file) == t0, "");

    /* anything the parse reads, changed */
    char *edited = strdup(text_a);
    edited[strlen(edited) - 2] = '!'; /* one byte of the body */
    File e1[2] = {{&sa, edited, NULL}, {&st, text_tr, "windows-1254"}};
    build(e1, 2, got, hit, &hits, &kept, a);
    CHECK("one byte changed: that file is parsed again", !hit[0] && hit[1], "");
    CHECK("... and its new parse is kept", kept == 1 && hits == 1, "hits=%zu kept=%zu", hits, kept);
    CHECK("... with the new body's hash", got[0].body_hash != fresh[0].body_hash, "");
    File e2[2] = {{&sa, edited, NULL}, {&st, text_tr, "iso-8859-9"}};
    build(e2, 2, got, hit, &hits, &kept, a);
    CHECK("the language's default encoding changed: parsed again", hit[0] && !hit[1], "");
    SourceFile renamed = source("content/gesprekken/wat-kan-ik-2.nl.md", "wat-kan-ik-2", "nl", 0);
    File e3[1] = {{&renamed, edited, NULL}};
    build(e3, 1, got, hit, &hits, &kept, a);
    CHECK("the same bytes under another name: parsed again", !hit[0], "");
    CHECK("... and the file now holds only this build's one file", kept == 1, "kept=%zu", kept);
    build(e1, 2, got, hit, &hits, &kept, a);
    CHECK("... so the files before it are parsed again", !hit[0] && !hit[1], "");

    /* the entries are looked for where the last build had them first; a
     * file at another place in the list is found all the same */
    build(e1, 2, got, hit, &hits, &kept, a);
    File swapped[2] = {{&st, text_tr, "windows-1254"}, {&sa, edited, NULL}};
    build(swapped, 2, got, hit, &hits, &kept, a);
    CHECK("the same files in another order: both from the cache", hit[0] && hit[1] && hits == 2, "hits=%zu", hits);
    CHECK("... each its own parse", got[0].src == &st && got[0].is_translation && got[1].src == &sa &&
          !got[1].is_translation, "");
    SourceFile extra = source("content/gesprekken/aaa.nl.md", "aaa", "nl", 0);
    File shifted[3] = {{&extra, text_a, NULL}, {&st, text_tr, "windows-1254"}, {&sa, edited, NULL}};
    build(shifted, 3, got, hit, &hits, &kept, a);
    CHECK("a file added in front: the others still from the cache", !hit[0] && hit[1] && hit[2] && kept == 1, "");

    /* started, then its slots: the file is read on a thread meanwhile */
    {
        ParseCache *c = parsecache_start(root, ".lobgen-cache");
        Material m0, m1;
        memset(&m0, 0, sizeof m0);
        Diags dd = DIAGS_INIT;
        frontmatter_parse(a, &sa, edited, strlen(edited), &m0, &dd); /* the caller's own work */
        m0.text_is_bytes = true;
        diags_free(&dd);
        parsecache_slots(c, 3);
        bool h0 = parsecache_get(c, 0, &extra, NULL, text_a, strlen(text_a), a, &m1);
        bool h2 = parsecache_get(c, 2, &sa, NULL, edited, strlen(edited), a, &m1);
        CHECK("parsecache_start, then parsecache_slots: the cache read on a thread is found", h0 && h2 &&
              same_material(&m1, &m0), "h0=%d h2=%d", h0, h2);
        parsecache_free(c);
        /* freed before its slots: the thread is waited for (ASan, TSan) */
        parsecache_free(parsecache_start(root, ".lobgen-cache"));
    }

    /* a damaged file: every byte checked, so one flipped byte is a miss, not a wrong Material */
    FILE *fp = fopen(file, "r+b");
    if (fp) {
        fseek(fp, 40, SEEK_SET);
        int ch = fgetc(fp);
        fseek(fp, 40, SEEK_SET);
        fputc(ch ^ 0x20, fp);
        fclose(fp);
    }
    build(e1, 2, got, hit, &hits, &kept, a);
    CHECK("a damaged file is ignored", !hit[0] && !hit[1] && kept == 2, "hits=%zu kept=%zu", hits, kept);
    build(e1, 2, got, hit, &hits, &kept, a);
    CHECK("... and replaced by a whole one", hit[0] && hit[1], "");
    if (truncate(file, 30) == 0) {
        build(e1, 2, got, hit, &hits, &kept, a);
        CHECK("a cut-off file is ignored", !hit[0] && !hit[1], "");
    }

    /* no cache folder asked for: nothing kept, nothing read */
    ParseCache *none = parsecache_open(NULL, NULL, 1);
    Material m;
    CHECK("without a project folder nothing is found", !parsecache_get(none, 0, &sa, NULL, text_a, strlen(text_a), a, &m),
          "");
    parsecache_free(none);

    free(edited);
    arena_free(a);
    char cmd[160];
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", root);
    if (system(cmd) != 0)
        return 2;
    CHECK_DONE();
}
