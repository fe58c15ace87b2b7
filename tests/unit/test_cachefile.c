/* lobgen's own files kept between builds (cachefile.h): the binary's
 * identity, folders made below the project, a file replaced whole with
 * the mode fopen would give it, and nothing written through a link that
 * leads outside the project. */
#include "buf.h"
#include "cachefile.h"
#include "check.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <sys/wait.h>
#include <signal.h>
#include <xxhash.h>

static bool file_is(const char *path, const char *want)
{
    size_t len;
    char *got = read_file(path, &len);
    bool ok = got && len == strlen(want) && !memcmp(got, want, len);
    free(got);
    return ok;
}

/* dir/name in the project's cache folder, written in pieces of 5 bytes */
static const char *put(const char *root, const char *dir, const char *name, const char *data)
{
    CacheOut *o = cachefile_begin_in(root, dir, name);
    Buf b = BUF_INIT;
    for (const char *p = data; *p; p++) {
        buf_putc(&b, *p);
        cachefile_drain(o, &b, 5);
    }
    const char *why = cachefile_end(o, &b);
    buf_free(&b);
    return why;
}

/* entries of dir besides . and .. */
static int entries(const char *dir)
{
    char cmd[256];
    snprintf(cmd, sizeof cmd, "ls -A '%s' | wc -l", dir);
    FILE *p = popen(cmd, "r");
    int n = -1;
    if (p) {
        if (fscanf(p, "%d", &n) != 1)
            n = -1;
        pclose(p);
    }
    return n;
}

int main(void)
{
    CHECK_SUITE("cachefile");
    uint64_t a[2], b[2];
    cachefile_binary_id(a);
    cachefile_binary_id(b);
    CHECK("the running binary has an identity", a[0] || a[1], "");
    CHECK("the same identity every time", a[0] == b[0] && a[1] == b[1], "");

    char root[64];
    snprintf(root, sizeof root, "/tmp/lobgen-cf-XXXXXX");
    if (!mkdtemp(root))
        return 1;
    char dir[160], path[200];
    snprintf(dir, sizeof dir, "%s/.lobgen-cache/parse", root);
    CHECK("folders below the project are made", cachefile_make_dirs(root, dir), "");
    struct stat st;
    CHECK("... every missing one", stat(dir, &st) == 0 && S_ISDIR(st.st_mode), "");
    CHECK("making them again is no error", cachefile_make_dirs(root, dir), "");

    mode_t mask = umask(022);
    snprintf(path, sizeof path, "%s/materials", dir);
    const char *why = cachefile_replace(path, "one", 3);
    CHECK("a new file is written", !why && file_is(path, "one"), "%s", why ? why : "");
    CHECK("... with mode 0666 less the umask, as fopen makes it",
          stat(path, &st) == 0 && (st.st_mode & 0777) == 0644, "mode %o", (unsigned)(st.st_mode & 0777));
    ino_t before = st.st_ino;
    why = cachefile_replace(path, "second", 6);
    CHECK("a file is replaced whole", !why && file_is(path, "second"), "");
    CHECK("... by a new file renamed over it, not written in place", stat(path, &st) == 0 && st.st_ino != before, "");
    CHECK("no temporary file is left beside it", entries(dir) == 1, "%d entries", entries(dir));
    umask(mask);

    char missing[220];
    snprintf(missing, sizeof missing, "%s/no-such-folder/file", root);
    why = cachefile_replace(missing, "x", 1);
    CHECK("a file that cannot be made gives its cause", why && *why, "");

    static const char text[] = "a file of many pieces, written as they come";
    why = put(root, dir, "codes", text);
    snprintf(path, sizeof path, "%s/codes", dir);
    CHECK("a file written in pieces holds them all, in order", !why && file_is(path, text), "%s", why ? why : "");
    CacheOut *o = cachefile_begin(path);
    Buf pieces = BUF_INIT;
    buf_puts(&pieces, "abc");
    cachefile_drain(o, &pieces, 4);
    CHECK("... a piece below the size asked for stays in the buffer", pieces.len == 3, "%zu", pieces.len);
    cachefile_drain(o, &pieces, 3);
    CHECK("... and is written out once it has that size, the buffer emptied", pieces.len == 0 && pieces.data[0] == '\0',
          "%zu", pieces.len);
    buf_puts(&pieces, "defgh");
    cachefile_drain(o, &pieces, 0);
    CHECK("its checksum is XXH3-64 of all the bytes at once", cachefile_sum(o) == XXH3_64bits("abcdefgh", 8), "");
    CHECK("the old file stays until the end", file_is(path, text), "");
    why = cachefile_end(o, &pieces);
    CHECK("... then the new one replaces it", !why && file_is(path, "abcdefgh"), "");

    /* a file with no name until it is kept (the manifest, written while
     * the site is published): nothing beside its name meanwhile, so a
     * build killed then leaves nothing; given up, the old file stays */
    int before_n = entries(dir);
    o = cachefile_begin(path);
    buf_puts(&pieces, "nameless");
    CHECK("a file being written unnamed is not in its folder", !cachefile_close(o, &pieces) && entries(dir) == before_n,
          "%d entries, were %d", entries(dir), before_n);
    why = cachefile_finish(o, false);
    CHECK("given up: the old file stays, and nothing else", !why && file_is(path, "abcdefgh") && entries(dir) == before_n,
          "%d entries", entries(dir));
    mask = umask(022);
    o = cachefile_begin(path);
    buf_puts(&pieces, "kept");
    cachefile_close(o, &pieces);
    why = cachefile_finish(o, true);
    CHECK("kept: it replaces the old file, and nothing else is left", !why && file_is(path, "kept") && entries(dir) == before_n,
          "%d entries", entries(dir));
    CHECK("... with mode 0666 less the umask", stat(path, &st) == 0 && (st.st_mode & 0777) == 0644, "mode %o",
          (unsigned)(st.st_mode & 0777));
    umask(mask);
    buf_free(&pieces);

    /* a writer killed half-way, however it was begun (the parse and QR
     * caches by folder, the manifest and speech by path): nothing of it
     * is left beside the file, and the file is as it was */
    for (int how = 0; how < 2; how++) {
        pid_t pid = fork();
        if (pid == 0) {
            CacheOut *k = how ? cachefile_begin_in(root, dir, "kept") : cachefile_begin(path);
            Buf half = BUF_INIT;
            buf_puts(&half, "half a file");
            cachefile_drain(k, &half, 0);
            raise(SIGKILL);
            _exit(0);
        }
        int status = 0;
        waitpid(pid, &status, 0);
        CHECK(how ? "a cache file begun in its folder and killed half-way leaves nothing behind"
                  : "a cache file begun by its path and killed half-way leaves nothing behind",
              WIFSIGNALED(status) && entries(dir) == before_n && file_is(path, "kept"), "%d entries, were %d",
              entries(dir), before_n);
    }

    /* the cache folder is a link to a folder outside the project */
    char outside[64], link[200], escaped[260];
    snprintf(outside, sizeof outside, "/tmp/lobgen-cfo-XXXXXX");
    if (!mkdtemp(outside))
        return 1;
    snprintf(link, sizeof link, "%s/elsewhere", root);
    if (symlink(outside, link) != 0)
        return 1;
    snprintf(dir, sizeof dir, "%s/elsewhere/qr", root);
    why = put(root, dir, "codes", "qr");
    snprintf(escaped, sizeof escaped, "%s/qr/codes", outside);
    CHECK("a folder that leads outside the project is refused", why != NULL, "");
    CHECK("... and nothing is written there", access(escaped, F_OK) != 0, "");

    char cmd[200];
    snprintf(cmd, sizeof cmd, "rm -rf '%s' '%s'", root, outside);
    if (system(cmd) != 0)
        return 1;
    CHECK_DONE();
}
