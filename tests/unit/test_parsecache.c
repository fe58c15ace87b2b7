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
#include <stdint.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>
#include <xxhash.h>

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

static bool same_units(const Material *a, const Material *b)
{
    return a->n_units == b->n_units && (!a->n_units || !memcmp(a->unit_hash, b->unit_hash, a->n_units * sizeof *a->unit_hash));
}

/* The parse as the load makes it: the front matter, and the body's text units (build.c). */
static bool parse(Arena *a, const SourceFile *sf, const char *text, Material *m, Diags *d)
{
    bool ok = frontmatter_parse(a, sf, text, strlen(text), m, d);
    if (ok && m->body)
        segment_text_hashes(a, m->body, m->body_len, &m->unit_hash, &m->n_units);
    return ok;
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
           a->text_is_bytes == b->text_is_bytes && a->po_units == b->po_units && same_units(a, b);
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
        hit[i] = parsecache_get(c, i, f[i].sf, f[i].enc, f[i].text, strlen(f[i].text), NULL, a, &got[i]);
        if (!hit[i]) {
            parse(a, f[i].sf, f[i].text, &got[i], &d);
            got[i].text_is_bytes = true;
            parsecache_put(c, i, &got[i]);
        }
    }
    parsecache_save(c, &d);
    parsecache_counts(c, hits, kept, NULL);
    parsecache_free(c);
    diags_free(&d);
}

/* One build as the load does it (build.c): each file first by its stat
 * (parsecache_trust), unread; else "read" (its text) with that stat, looked
 * up by its bytes, parsed on a miss and kept. read[i]: the file was read. */
static void build_stat(const File *f, const struct stat *const *st, size_t n, Material *got, bool *read,
                       size_t *trusted, Arena *a)
{
    ParseCache *c = parsecache_open(root, ".lobgen-cache", n);
    Diags d = DIAGS_INIT;
    for (size_t i = 0; i < n; i++) {
        memset(&got[i], 0, sizeof got[i]);
        read[i] = !parsecache_trust(c, i, f[i].sf, f[i].enc, st[i], a, &got[i]);
        if (read[i] && !parsecache_get(c, i, f[i].sf, f[i].enc, f[i].text, strlen(f[i].text), st[i], a, &got[i])) {
            parse(a, f[i].sf, f[i].text, &got[i], &d);
            got[i].text_is_bytes = true;
            parsecache_put(c, i, &got[i]);
        }
    }
    parsecache_save(c, &d);
    size_t hits, kept;
    parsecache_counts(c, &hits, &kept, trusted);
    parsecache_free(c);
    diags_free(&d);
}

/* A stat of a regular file with these times (seconds since 1970, plus
 * nanoseconds), made up: the rule is about the values, which a test on a
 * real file system could not choose (the change time is the kernel's). */
static struct stat made_stat(long long dev, long long ino, long long size, long long msec, long mns, long long csec,
                             long cns)
{
    struct stat st;
    memset(&st, 0, sizeof st);
    st.st_mode = S_IFREG | 0644;
    st.st_dev = (dev_t)dev;
    st.st_ino = (ino_t)ino;
    st.st_size = (off_t)size;
    st.st_mtim.tv_sec = (time_t)msec;
    st.st_mtim.tv_nsec = mns;
    st.st_ctim.tv_sec = (time_t)csec;
    st.st_ctim.tv_nsec = cns;
    return st;
}

/* the cache file's inode: a file written again is a new one renamed over it */
static long long ino_of(const char *path)
{
    struct stat st;
    return stat(path, &st) ? -1 : (long long)st.st_ino;
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
        parse(a, files[i].sf, files[i].text, &fresh[i], &d);
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
    CHECK("... with its text unit's hash (what a translation is compared by, site.h)", got[0].n_units == 1, "n=%zu",
          got[0].n_units);
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
        parse(a, &sa, edited, &m0, &dd); /* the caller's own work */
        m0.text_is_bytes = true;
        diags_free(&dd);
        parsecache_slots(c, 3);
        bool h0 = parsecache_get(c, 0, &extra, NULL, text_a, strlen(text_a), NULL, a, &m1);
        bool h2 = parsecache_get(c, 2, &sa, NULL, edited, strlen(edited), NULL, a, &m1);
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

    /* racy git (parsecache.h): a file whose stat is the one recorded,
     * older than the recording build by the margin, is not read */
    {
        const long long old_s = 1577836800; /* 2020-01-01 */
        struct timespec now;
        clock_gettime(CLOCK_REALTIME, &now);
        long long la = (long long)strlen(text_a), lt = (long long)strlen(text_tr);
        struct stat s0 = made_stat(7, 1001, la, old_s, 5, old_s + 1, 6);
        struct stat s1 = made_stat(7, 1002, lt, old_s, 5, old_s + 1, 6);
        const struct stat *st2[2] = {&s0, &s1};
        bool rd[2];
        size_t trusted;
        build_stat(files, st2, 2, got, rd, &trusted, a); /* records both under s0, s1 */
        build_stat(files, st2, 2, got, rd, &trusted, a);
        CHECK("a file with its recorded stat, older than the cache: taken unread", !rd[0] && !rd[1] && trusted == 2,
              "read %d %d trusted=%zu", rd[0], rd[1], trusted);
        CHECK("... the same Material as a fresh parse", same_material(&got[0], &fresh[0]) &&
              same_material(&got[1], &fresh[1]) && got[0].src == &sa && !got[0].body, "");
        long long t1 = ino_of(file);
        build_stat(files, st2, 2, got, rd, &trusted, a);
        CHECK("... and a build that read nothing leaves the cache file as it was", trusted == 2 && ino_of(file) == t1,
              "");
        /* each field of the stat on its own: the file is read */
        struct stat v[7];
        const char *what[7] = {"the device", "the inode (a file replaced by another)", "the size",
                               "the modification time (seconds)", "the modification time (nanoseconds)",
                               "the change time (seconds: an edit with its modification time put back)",
                               "the change time (nanoseconds)"};
        for (int k = 0; k < 7; k++)
            v[k] = s0;
        v[0].st_dev++;
        v[1].st_ino++;
        v[2].st_size++;
        v[3].st_mtim.tv_sec++;
        v[4].st_mtim.tv_nsec++;
        v[5].st_ctim.tv_sec++;
        v[6].st_ctim.tv_nsec++;
        for (int k = 0; k < 7; k++) {
            build_stat(files, st2, 2, got, rd, &trusted, a); /* back to s0, s1 */
            const struct stat *sv[2] = {&v[k], &s1};
            build_stat(files, sv, 2, got, rd, &trusted, a);
            char name[160];
            snprintf(name, sizeof name, "another %s than recorded: the file is read", what[k]);
            CHECK(name, rd[0] && !rd[1] && trusted == 1, "read %d %d trusted=%zu", rd[0], rd[1], trusted);
        }
        const struct stat *nostat[2] = {NULL, &s1};
        build_stat(files, nostat, 2, got, rd, &trusted, a);
        build_stat(files, nostat, 2, got, rd, &trusted, a);
        CHECK("a file with no stat is always read", rd[0] && !rd[1], "");

        /* racy: times within the margin (2 s) of the moment the recording
         * build began, or later: a write in the same tick would not show */
        const char *rname[4] = {"a file changed in the second the cache was made: read again, though its stat is the same",
                                "a file modified later than the cache was made: read again",
                                "a file changed within the margin before the cache was made: read again",
                                "a file changed longer ago than the margin: taken unread"};
        for (int k = 0; k < 4; k++) {
            clock_gettime(CLOCK_REALTIME, &now); /* the recording build begins just after */
            struct stat sr[4] = {
                made_stat(7, 1001, la, old_s, 5, now.tv_sec, now.tv_nsec), /* changed just now */
                made_stat(7, 1001, la, now.tv_sec + 1, 0, old_s + 1, 6),   /* modified "after" */
                made_stat(7, 1001, la, old_s, 5, now.tv_sec - 1, 0),       /* within the margin */
                made_stat(7, 1001, la, old_s, 5, now.tv_sec - 4, 0),       /* older than it */
            };
            const struct stat *sx[2] = {&sr[k], &s1};
            build_stat(files, sx, 2, got, rd, &trusted, a); /* recorded with this stat */
            long long before = ino_of(file);
            build_stat(files, sx, 2, got, rd, &trusted, a);
            CHECK(rname[k], rd[0] == (k < 3) && !rd[1], "read %d %d", rd[0], rd[1]);
            if (k == 0)
                CHECK("... and its entry is written again, with this build's moment",
                      ino_of(file) != before && before != -1, "");
            if (k == 0)
                CHECK("... read, its bytes' entry still serves (no parse)", same_material(&got[0], &fresh[0]), "");
        }

        /* the format before the text units (version 2), whole and checksummed: ignored */
        build_stat(files, st2, 2, got, rd, &trusted, a);
        size_t flen;
        char *bytes = read_file(file, &flen);
        if (bytes && flen > 24 && !memcmp(bytes, "lobgen-parse-3\n", 15)) {
            bytes[13] = '2';
            uint64_t sum = XXH3_64bits(bytes, flen - 8);
            memcpy(bytes + flen - 8, &sum, 8);
            FILE *w = fopen(file, "wb");
            if (w) {
                fwrite(bytes, 1, flen, w);
                fclose(w);
            }
        }
        free(bytes);
        build_stat(files, st2, 2, got, rd, &trusted, a);
        CHECK("a cache of an earlier format (lobgen-parse-2), checksum right, is ignored", rd[0] && rd[1] && trusted == 0,
              "read %d %d", rd[0], rd[1]);
    }

    /* no cache folder asked for: nothing kept, nothing read */
    ParseCache *none = parsecache_open(NULL, NULL, 1);
    Material m;
    CHECK("without a project folder nothing is found", !parsecache_get(none, 0, &sa, NULL, text_a, strlen(text_a), NULL, a, &m),
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
