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

static bool file_is(const char *path, const char *want)
{
    size_t len;
    char *got = read_file(path, &len);
    bool ok = got && len == strlen(want) && !memcmp(got, want, len);
    free(got);
    return ok;
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

    why = cachefile_put(root, dir, "codes", "qr", 2);
    snprintf(path, sizeof path, "%s/codes", dir);
    CHECK("a cache file is put in its folder", !why && file_is(path, "qr"), "");

    /* the cache folder is a link to a folder outside the project */
    char outside[64], link[200], escaped[260];
    snprintf(outside, sizeof outside, "/tmp/lobgen-cfo-XXXXXX");
    if (!mkdtemp(outside))
        return 1;
    snprintf(link, sizeof link, "%s/elsewhere", root);
    if (symlink(outside, link) != 0)
        return 1;
    snprintf(dir, sizeof dir, "%s/elsewhere/qr", root);
    why = cachefile_put(root, dir, "codes", "qr", 2);
    snprintf(escaped, sizeof escaped, "%s/qr/codes", outside);
    CHECK("a folder that leads outside the project is refused", why != NULL, "");
    CHECK("... and nothing is written there", access(escaped, F_OK) != 0, "");

    char cmd[200];
    snprintf(cmd, sizeof cmd, "rm -rf '%s' '%s'", root, outside);
    if (system(cmd) != 0)
        return 1;
    CHECK_DONE();
}
