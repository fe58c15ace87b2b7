/* What a build read stays what it read (inputs.h): a file saved, replaced
 * or deleted after it was read, or a file added to a listed folder, is an
 * error naming it; an input left alone is not. The whole-build version,
 * with the previous site kept, is tests/golden/midbuild.sh. */
#include "check.h"
#include "check_diags.h"
#include "inputs.h"

#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

static char dir[] = "/tmp/lobgen-inputs.XXXXXX";

static void put(const char *name, const char *text)
{
    char p[256];
    snprintf(p, sizeof p, "%s/%s", dir, name);
    FILE *f = fopen(p, "w");
    fputs(text, f);
    fclose(f);
}

static char *path(const char *name)
{
    static char p[4][256];
    static int k;
    k = (k + 1) % 4;
    snprintf(p[k], sizeof p[k], "%s/%s", dir, name);
    return p[k];
}

/* read name as a build does; true when it could */
static bool take(const char *name)
{
    size_t len;
    char *s = read_input(path(name), &len);
    free(s);
    return s != NULL;
}

static bool has(const Diags *d, const char *file, const char *words)
{
    for (size_t i = 0; i < d->len; i++)
        if (d->items[i].level == DIAG_ERROR && !strcmp(d->items[i].file, file) && strstr(d->items[i].msg, words))
            return true;
    return false;
}

int main(void)
{
    CHECK_SUITE("inputs");
    if (!mkdtemp(dir))
        return 1;
    put("a.md", "een\n");
    put("b.md", "twee\n");
    put("c.md", "drie\n");
    put("d.md", "vier\n");

    /* what a read gives: the bytes, their count, a NUL after them */
    {
        size_t len = 99;
        char *t = read_input(path("a.md"), &len);
        CHECK("a file read is its bytes", t && len == 4 && !memcmp(t, "een\n", 5), "len=%zu", len);
        free(t);
        put("leeg.md", "");
        t = read_input(path("leeg.md"), &len);
        CHECK("an empty file reads as an empty string", t && len == 0 && t[0] == '\0', "");
        free(t);
        unlink(path("leeg.md"));
        char big[20000];
        for (size_t i = 0; i < sizeof big - 1; i++)
            big[i] = (char)('a' + i % 26);
        big[sizeof big - 1] = '\0';
        put("groot.md", big);
        t = read_input(path("groot.md"), &len);
        CHECK("a file of many blocks reads whole", t && len == sizeof big - 1 && !strcmp(t, big), "len=%zu", len);
        free(t);
        unlink(path("groot.md"));
        errno = 0;
        t = read_input(path("geen.md"), &len);
        CHECK("a missing file reads as NULL with ENOENT", !t && errno == ENOENT, "");
        t = read_input(dir, &len);
        CHECK("a folder reads as NULL", !t, "");
    }
    inputs_begin();
    bool read = take("a.md") && take("b.md") && take("c.md") && take("d.md");
    DIR *dh = opendir(dir);
    inputs_note_dir(dir, dh);
    closedir(dh);
    Diags d = DIAGS_INIT;
    CHECK("inputs left alone pass the check", read && inputs_check(&d) && d.len == 0, "");
    dump(&d);

    /* a save that keeps the size and the second: only the nanoseconds of
     * the modification time, or the inode, tell */
    struct timespec later[2] = {{0, UTIME_OMIT}, {0, 0}};
    clock_gettime(CLOCK_REALTIME, &later[1]);
    later[1].tv_sec += 60;
    put("a.md", "EEN\n");
    utimensat(AT_FDCWD, path("a.md"), later, 0);
    put("x.tmp", "twee\n");
    rename(path("x.tmp"), path("b.md")); /* an editor's write-and-rename, same bytes */
    unlink(path("c.md"));
    Diags e = DIAGS_INIT;
    bool ok = inputs_check(&e);
    CHECK("a changed input fails the check", !ok, "");
    CHECK("a saved file is named: changed during the build", has(&e, path("a.md"), "this file changed during the build"), "");
    CHECK("a file replaced by rename is named, though its bytes are the same",
          has(&e, path("b.md"), "this file changed during the build"), "");
    CHECK("a deleted file is named", has(&e, path("c.md"), "this file was deleted during the build"), "");
    CHECK("the folder that lost and gained a name is named", has(&e, dir, "this folder changed during the build"), "");
    CHECK("an untouched file is not named", !has(&e, path("d.md"), ""), "");
    CHECK("every message says to build again",
          e.len == 4 && strstr(e.items[0].msg, "run the build again") && strstr(e.items[3].msg, "run the build again"),
          "%zu messages", e.len);
    if (e.len != 4)
        dump(&e);

    /* one path read twice, changed in between: the two reads disagree */
    inputs_begin();
    take("d.md");
    put("d.md", "VIER, langer\n");
    take("d.md");
    Diags f = DIAGS_INIT;
    CHECK("a file that changed between two reads of one build fails", !inputs_check(&f) && has(&f, path("d.md"), "changed"), "");
    inputs_end();
    Diags g = DIAGS_INIT;
    CHECK("after inputs_end nothing is recorded", inputs_check(&g) && g.len == 0, "");
    take("d.md");
    CHECK("reads outside a build are not recorded", inputs_check(&g) && g.len == 0, "");

    /* Many inputs in several folders, read in turns as threads do: checked
     * on threads, each by its name in its folder. Exactly the ones changed
     * are named, once each, in the order of their paths. */
    enum { FOLDERS = 6, FILES = 300 };
    char sub[FOLDERS][300];
    for (int k = 0; k < FOLDERS; k++) {
        snprintf(sub[k], sizeof sub[k], "%s/f%d", dir, k);
        mkdir(sub[k], 0755);
        for (int i = 0; i < FILES; i++) {
            char name[32];
            snprintf(name, sizeof name, "f%d/n%03d.md", k, i);
            put(name, name);
        }
    }
    inputs_begin();
    bool all = true;
    for (int i = 0; i < FILES; i++)
        for (int k = 0; k < FOLDERS; k++) {
            char name[32];
            snprintf(name, sizeof name, "f%d/n%03d.md", k, i);
            all = take(name) && all;
        }
    Diags h = DIAGS_INIT;
    CHECK("many inputs left alone pass the check", all && inputs_check(&h) && h.len == 0, "%zu messages", h.len);
    dump(&h);
    take("f3/n017.md"); /* read again: two records, one message */
    put("x.tmp", "f0/n000.md");
    rename(path("x.tmp"), path("f0/n000.md")); /* same bytes, another file */
    put("f3/n017.md", "changed, and longer");
    unlink(path("f5/n200.md"));
    take("f1/n005.md");
    put("f1/n005.md", "read twice, changed in between");
    take("f1/n005.md");
    Diags k = DIAGS_INIT;
    CHECK("many inputs with some changed fail the check", !inputs_check(&k), "");
    CHECK("exactly the changed ones are named, each once", k.len == 4, "%zu messages", k.len);
    if (k.len != 4)
        dump(&k);
    CHECK("a file replaced by rename among many is named", has(&k, path("f0/n000.md"), "this file changed during the build"), "");
    CHECK("a file saved among many is named", has(&k, path("f3/n017.md"), "this file changed during the build"), "");
    CHECK("a file deleted among many is named", has(&k, path("f5/n200.md"), "this file was deleted during the build"), "");
    CHECK("a file read twice among many, changed in between, is named", has(&k, path("f1/n005.md"), "changed during the build"), "");
    bool sorted = true;
    for (size_t i = 1; i < k.len; i++)
        sorted = sorted && strcmp(k.items[i - 1].file, k.items[i].file) < 0;
    CHECK("in the order of their paths", sorted, "");
    inputs_end();
    for (int kk = 0; kk < FOLDERS; kk++) {
        for (int i = 0; i < FILES; i++) {
            char name[32];
            snprintf(name, sizeof name, "f%d/n%03d.md", kk, i);
            unlink(path(name));
        }
        rmdir(sub[kk]);
    }
    diags_free(&h);
    diags_free(&k);

    diags_free(&d);
    diags_free(&e);
    diags_free(&f);
    diags_free(&g);
    unlink(path("a.md"));
    unlink(path("b.md"));
    unlink(path("d.md"));
    rmdir(dir);
    return check_failed_ ? 1 : 0;
}
