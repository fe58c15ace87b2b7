/* The shared idioms: Buf, Arena, Value, Diags and the YAML loader. Every
 * other module builds on these, so their promises are checked here. */
#include "buf.h"
#include "check.h"
#include "check_diags.h"
#include "diag.h"
#include "value.h"
#include "yamlload.h"

#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

static void test_buf(void)
{
    CHECK_SUITE("buf");
    Buf b = BUF_INIT;
    CHECK_STR("an empty buffer reads as \"\"", buf_cstr(&b), "");
    buf_puts(&b, "ouder");
    buf_putc(&b, 's');
    buf_append(&b, "avond-XYZ", 5);
    CHECK_STR("puts, putc and append concatenate", buf_cstr(&b), "oudersavond");
    CHECK("len counts the bytes", b.len == 11, "len=%zu", b.len);
    buf_printf(&b, " %d/%s", 3, "tl");
    CHECK_STR("printf appends", buf_cstr(&b), "oudersavond 3/tl");

    /* longer than the first 64 bytes of room: the retry path */
    Buf big = BUF_INIT;
    char want[1001];
    memset(want, 'x', 1000);
    want[1000] = '\0';
    buf_puts(&big, "ab");
    buf_printf(&big, "%s", want);
    CHECK("printf of 1000 bytes is complete", big.len == 1002 && !strncmp(big.data, "ab", 2) &&
                                                   !strcmp(big.data + 2, want),
          "len=%zu", big.len);
    CHECK("the data stays NUL-terminated", big.data[big.len] == '\0', "");
    buf_free(&big);

    buf_clear(&b);
    CHECK("clear empties but keeps the room", b.len == 0 && b.cap > 0 && !strcmp(buf_cstr(&b), ""),
          "len=%zu cap=%zu", b.len, b.cap);

    buf_html_escape(&b, "<a href=\"x\">Tom & Jerry's</a>", 29);
    CHECK_STR("html escape of & < > \" '", buf_cstr(&b),
              "&lt;a href=&quot;x&quot;&gt;Tom &amp; Jerry&#39;s&lt;/a&gt;");
    buf_clear(&b);
    buf_html_escape(&b, "a&b<c", 3);
    CHECK_STR("html escape stops at n", buf_cstr(&b), "a&amp;b");
    buf_clear(&b);
    buf_html_escape(&b, "gewoon één zin", strlen("gewoon één zin"));
    CHECK_STR("text without specials is copied as is", buf_cstr(&b), "gewoon één zin");

    buf_clear(&b);
    buf_puts(&b, "los");
    char *s = buf_detach(&b);
    CHECK_STR("detach hands over the text", s, "los");
    CHECK("detach leaves an empty buffer", b.len == 0 && !strcmp(b.data, ""), "len=%zu", b.len);
    buf_puts(&b, "weer");
    CHECK("a detached buffer can be written again, the detached text stays",
          !strcmp(b.data, "weer") && !strcmp(s, "los"), "[%s] [%s]", b.data, s);
    buf_free(&b);
    free(s);
    s = buf_detach(&b);
    CHECK_STR("detach of an empty buffer gives \"\"", s, "");
    free(s);

    Buf bin = BUF_INIT;
    buf_append(&bin, "a\0b", 3);
    CHECK("append keeps NUL bytes", bin.len == 3 && bin.data[1] == '\0' && bin.data[2] == 'b', "");
    buf_free(&bin);
    buf_free(&b);
    CHECK("free leaves an empty buffer", b.len == 0 && !strcmp(b.data, ""), "");
    buf_puts(&b, "opnieuw");
    CHECK_STR("a freed buffer can be used again", b.data, "opnieuw");
    buf_free(&b);

    /* the data of a buffer is a C string at any time, without buf_cstr */
    Buf e = BUF_INIT;
    CHECK("a new buffer's data is \"\"", e.data && e.data[0] == '\0' && e.len == 0, "");
    buf_append(&e, "", 0);
    buf_clear(&e);
    CHECK("appending nothing and clearing keep it \"\"", e.data && !strcmp(e.data, ""), "");
    buf_free(&e);

    /* ALLOC_GROW: capacity doubles, so n appends make O(log n) reallocations */
    int *arr = NULL;
    size_t n = 0, cap = 0, grows = 0;
    for (int i = 0; i < 10000; i++) {
        size_t before = cap;
        ALLOC_GROW(arr, n + 1, cap);
        grows += cap != before;
        arr[n++] = i;
    }
    bool intact = true;
    for (int i = 0; i < 10000; i++)
        intact &= arr[i] == i;
    CHECK("ALLOC_GROW keeps every item", intact && n == 10000 && cap >= n, "cap=%zu", cap);
    CHECK("ALLOC_GROW grows geometrically", grows <= 12, "%zu reallocations for 10000 items", grows);
    free(arr);
    CHECK("grow_capacity: at least what is needed", grow_capacity(0, 1, 4) >= 1 && grow_capacity(8, 100, 4) >= 100, "");
    pid_t pid = fork();
    if (pid == 0) {
        /* a size that overflows aborts instead of wrapping around */
        fclose(stderr);
        grow_capacity(8, SIZE_MAX / 2, 16);
        _exit(0);
    }
    int status = 0;
    waitpid(pid, &status, 0);
    CHECK("grow_capacity aborts on overflow", WIFSIGNALED(status), "status=%d", status);
}

static void test_arena(void)
{
    CHECK_SUITE("arena");
    Arena *a = arena_new();
    bool zero = true, aligned = true;
    for (int i = 0; i < 2000; i++) {
        size_t n = (size_t)(i % 97) + 1;
        unsigned char *p = arena_alloc(a, n);
        for (size_t k = 0; k < n; k++)
            zero &= p[k] == 0;
        aligned &= (uintptr_t)p % _Alignof(max_align_t) == 0;
        memset(p, 0xAB, n);
    }
    CHECK("allocations are zeroed", zero, "");
    CHECK("allocations are aligned for any type", aligned, "");

    /* a big request between small ones: all three stay intact */
    char *s1 = arena_strdup(a, "eerste");
    unsigned char *big = arena_alloc(a, 200000);
    char *s2 = arena_strdup(a, "tweede");
    bool big_zero = true;
    for (size_t k = 0; k < 200000; k++)
        big_zero &= big[k] == 0;
    CHECK("a big allocation is zeroed", big_zero, "");
    memset(big, 0xFF, 200000);
    CHECK("small strings around a big block are intact", !strcmp(s1, "eerste") && !strcmp(s2, "tweede"),
          "[%s] [%s]", s1, s2);

    char *nd = arena_strndup(a, "leerjaar-3", 8);
    CHECK_STR("strndup copies n bytes", nd, "leerjaar");
    char *pf = arena_printf(a, "%s/%s.%s.md", "gesprekken", "mbo-keuze", "tr");
    CHECK_STR("arena_printf", pf, "gesprekken/mbo-keuze.tr.md");

    CHECK_STR("arena_cat joins up to NULL", arena_cat(a, "nl", "/", "gesprekken", "", "/mbo", (char *)NULL),
              "nl/gesprekken/mbo");
    CHECK_STR("arena_cat of nothing", arena_cat(a, (char *)NULL), "");

    int *arr = arena_alloc(a, 3 * sizeof(int));
    arr[0] = 7, arr[1] = 8, arr[2] = 9;
    int *grown = arena_grow(a, arr, 3, 10, sizeof(int));
    CHECK("grow keeps the old items", grown[0] == 7 && grown[1] == 8 && grown[2] == 9, "");
    CHECK("grow zeroes the new room", grown[3] == 0 && grown[9] == 0, "");
    arena_free(a);
    arena_free(NULL);

    /* a new arena reuses the chunks of a freed one: what it hands out is
     * zeroed all the same */
    Arena *b = arena_new();
    bool reused_zero = true;
    for (int i = 0; i < 3000; i++) {
        unsigned char *p = arena_alloc(b, 100);
        for (size_t k = 0; k < 100; k++)
            reused_zero &= p[k] == 0;
        memset(p, 0xCD, 100);
    }
    arena_free(b);
    Arena *c = arena_new();
    for (int i = 0; i < 3000; i++) {
        unsigned char *p = arena_alloc(c, 100);
        for (size_t k = 0; k < 100; k++)
            reused_zero &= p[k] == 0;
    }
    CHECK("allocations from reused chunks are zeroed", reused_zero, "");
    arena_free(c);

    /* arena_alloc_raw skips the zeroing, arena_alloc and arena_grow's new
     * room must not: a chunk reused from a freed arena is full of its bytes */
    Arena *d = arena_new();
    for (int i = 0; i < 3000; i++)
        memset(arena_alloc_raw(d, 100), 0xEE, 100);
    arena_free(d);
    Arena *e = arena_new();
    bool raw_aligned = true, raw_apart = true, zero_after_raw = true, grow_zero = true, grow_kept = true;
    unsigned char *prev = NULL;
    for (int i = 0; i < 3000; i++) {
        size_t n = (size_t)(i % 13) + 1;
        unsigned char *r = arena_alloc_raw(e, n);
        raw_aligned &= (uintptr_t)r % _Alignof(max_align_t) == 0;
        memset(r, 0x5A, n);
        if (prev)
            raw_apart &= prev[0] == 0x5B; /* the last block, not overwritten by this one */
        unsigned char *z = arena_alloc(e, 40);
        for (size_t k = 0; k < 40; k++)
            zero_after_raw &= z[k] == 0;
        int *old = arena_alloc_raw(e, 2 * sizeof(int));
        old[0] = 11, old[1] = 12;
        int *g = arena_grow(e, old, 2, 9, sizeof(int));
        grow_kept &= g[0] == 11 && g[1] == 12;
        for (int k = 2; k < 9; k++)
            grow_zero &= g[k] == 0;
        memset(r, 0x5B, n);
        prev = r;
    }
    CHECK("raw allocations are aligned for any type", raw_aligned, "");
    CHECK("raw allocations do not overlap", raw_apart, "");
    CHECK("zeroed allocations in a reused chunk are zeroed", zero_after_raw, "");
    CHECK("grow in a reused chunk keeps the old items", grow_kept, "");
    CHECK("grow in a reused chunk zeroes the new room", grow_zero, "");
    char *sd = arena_strndup(e, "woordenlijst", 5);
    CHECK_STR("strndup in a reused chunk ends its copy", sd, "woord");
    CHECK_STR("arena_cat in a reused chunk ends its copy", arena_cat(e, "nl", "/x", (char *)NULL), "nl/x");
    arena_free(e);
}

/* read_file reads the size fstat gives in one read; these are the files
 * where that size is not the whole story. */
static void test_read_file(void)
{
    CHECK_SUITE("read_file");
    char dir[] = "/tmp/lobgen-rf-XXXXXX";
    if (!mkdtemp(dir))
        exit(2);
    char path[64];
    size_t len = 0;
    /* larger than one stdio buffer, with a NUL inside */
    snprintf(path, sizeof path, "%s/big", dir);
    size_t nbig = 200000;
    char *want = malloc(nbig);
    for (size_t i = 0; i < nbig; i++)
        want[i] = (char)('a' + i % 23);
    want[1000] = '\0';
    FILE *f = fopen(path, "wb");
    fwrite(want, 1, nbig, f);
    fclose(f);
    char *got = read_file(path, &len);
    CHECK("a file of 200,000 bytes is read whole", got && len == nbig && !memcmp(got, want, nbig) && got[len] == '\0',
          "len=%zu", len);
    free(got);
    struct stat st;
    got = read_file_stat(path, &len, &st);
    CHECK("... and its fstat given", got && st.st_ino != 0 && st.st_size == (off_t)nbig, "size=%lld",
          (long long)st.st_size);
    free(got);
    free(want);
    /* empty */
    snprintf(path, sizeof path, "%s/empty", dir);
    f = fopen(path, "wb");
    fclose(f);
    got = read_file(path, &len);
    CHECK("an empty file is an empty string", got && len == 0 && got[0] == '\0', "len=%zu", len);
    free(got);
    /* a size of 0 that is not the content: /proc */
    got = read_file("/proc/self/status", &len);
    CHECK("a /proc file (fstat says 0 bytes) is read to its end",
          got && len > 20 && !strncmp(got, "Name:", 5) && strlen(got) == len, "len=%zu", len);
    free(got);
    /* no size at all: a pipe, filled and closed before it is read */
    int fds[2];
    if (pipe(fds) != 0)
        exit(2);
    const char msg[] = "---\ntitle: Uit een pijp\n---\nTekst.\n";
    if (write(fds[1], msg, sizeof msg - 1) != (ssize_t)(sizeof msg - 1))
        exit(2);
    close(fds[1]);
    snprintf(path, sizeof path, "/proc/self/fd/%d", fds[0]);
    got = read_file(path, &len);
    CHECK("a pipe is read until it ends", got && len == sizeof msg - 1 && !strcmp(got, msg), "len=%zu", len);
    free(got);
    close(fds[0]);
    /* a FIFO no process writes to, where a cache file or the manifest
     * should be (put there by hand, or by another program): open() alone
     * would wait for a writer forever; the caches read it as empty (not
     * one of theirs) and the build goes on */
    snprintf(path, sizeof path, "%s/fifo", dir);
    if (mkfifo(path, 0600) != 0)
        exit(2);
    pid_t pid = fork();
    if (pid == 0) {
        alarm(10); /* the wait ended, the check failed */
        got = read_file(path, &len);
        _exit(got && len == 0 ? 0 : 3);
    }
    int ws = 0;
    bool waited = pid > 0 && waitpid(pid, &ws, 0) == pid;
    CHECK("a FIFO no one writes to is read at once, as empty", waited && WIFEXITED(ws) && WEXITSTATUS(ws) == 0,
          "status=%d", ws);
    unlink(path);
    /* errors */
    snprintf(path, sizeof path, "%s/missing", dir);
    errno = 0;
    got = read_file(path, &len);
    CHECK("a missing file is NULL with errno ENOENT", !got && errno == ENOENT, "errno=%d", errno);
    errno = 0;
    got = read_file(dir, &len);
    CHECK("a folder is NULL with errno set", !got && errno != 0, "errno=%d", errno);
    snprintf(path, sizeof path, "%s/big", dir);
    unlink(path);
    snprintf(path, sizeof path, "%s/empty", dir);
    unlink(path);
    rmdir(dir);
}

/* arena_adopt: what another arena allocated lives as long as the adopter. */
static void test_arena_adopt(void)
{
    CHECK_SUITE("arena");
    Arena *a = arena_new();
    char *mine = arena_strdup(a, "eigen");
    for (int i = 0; i < 40; i++) /* several chunks: the adopted go between them */
        memset(arena_alloc(a, 8000), 0x66, 8000);
    Arena *from = arena_new();
    char *s[200];
    bool alike = true;
    for (int i = 0; i < 200; i++) {
        char word[32];
        snprintf(word, sizeof word, "woord-%d", i);
        s[i] = arena_strdup(from, word);
    }
    char *big = arena_alloc(from, 100000);
    big[99999] = 'x';
    arena_adopt(a, from);
    /* a keeps allocating, after and between the adopted chunks */
    for (int i = 0; i < 1000; i++)
        memset(arena_alloc(a, 64), 0x77, 64);
    for (int i = 0; i < 200; i++) {
        char word[32];
        snprintf(word, sizeof word, "woord-%d", i);
        alike &= !strcmp(s[i], word);
    }
    CHECK("adopted strings keep their bytes while the adopter allocates", alike && big[99999] == 'x', "");
    CHECK_STR("the adopter's own allocations too", mine, "eigen");
    Arena *empty = arena_new();
    arena_adopt(a, empty);
    arena_adopt(a, NULL);
    Arena *fresh = arena_new();
    Arena *full = arena_new();
    char *t = arena_strdup(full, "eerste");
    arena_adopt(fresh, full);
    CHECK_STR("an arena with nothing yet adopts", t, "eerste");
    arena_free(fresh);
    arena_free(a); /* the sanitizer build: every chunk freed, once */
}

static void test_value(void)
{
    CHECK_SUITE("value");
    Arena *a = arena_new();
    Value *m = value_map(a);
    value_set_str(a, m, "title", "Open dag");
    value_set_num(a, m, "week", 12);
    value_set_bool(a, m, "draft", false);
    value_set_str(a, m, "summary", NULL);
    CHECK("four keys", m->u.map.len == 4, "len=%zu", m->u.map.len);
    CHECK("keys keep insertion order",
          !strcmp(m->u.map.keys[0], "title") && !strcmp(m->u.map.keys[1], "week") &&
              !strcmp(m->u.map.keys[2], "draft") && !strcmp(m->u.map.keys[3], "summary"),
          "");
    CHECK("set_str(NULL) is null", value_get(m, "summary") && value_get(m, "summary")->kind == V_NULL, "");
    value_set_str(a, m, "title", "Ouderavond");
    CHECK("setting a key again replaces it in place",
          m->u.map.len == 4 && !strcmp(m->u.map.keys[0], "title") &&
              !strcmp(value_cstr(value_get(m, "title")), "Ouderavond"),
          "len=%zu", m->u.map.len);
    CHECK("value_get of a missing key", value_get(m, "datum") == NULL, "");
    CHECK("value_getn matches the whole key only", value_getn(m, "weekend", 4) == value_get(m, "week") &&
                                                       value_getn(m, "tit", 3) == NULL,
          "");
    CHECK("value_index", value_index(m, "draft") == 2 && value_index(m, "nope") == (size_t)-1, "");
    CHECK("value_get on a non-map", value_get(value_str(a, "x"), "x") == NULL && value_get(NULL, "x") == NULL, "");

    char key[16];
    strcpy(key, "lang");
    value_set_str(a, m, key, "nl");
    strcpy(key, "XXXX");
    CHECK("value_set copies the key", value_get(m, "lang") != NULL, "");

    /* big maps keep a hash index (VALUE_MAP_INDEXED): the same answers as
     * the small ones, before and after the index grows, in copies too */
    Value *big = value_map(a);
    char k[32];
    for (int i = 0; i < 300; i++) {
        snprintf(k, sizeof k, "key_%d", i);
        value_set_num(a, big, k, i);
    }
    for (int i = 0; i < 300; i += 3) {
        snprintf(k, sizeof k, "key_%d", i);
        value_set_num(a, big, k, -i); /* replaced, not added */
    }
    bool all = big->u.map.len == 300;
    for (int i = 0; all && i < 300; i++) {
        snprintf(k, sizeof k, "key_%d", i);
        const Value *v = value_get(big, k);
        all = v && v->u.n == (i % 3 ? i : -i) && value_index(big, k) == (size_t)i &&
              !strcmp(big->u.map.keys[i], k);
    }
    CHECK("a map of 300 keys finds each, in insertion order, replaced in place", all, "len=%zu", big->u.map.len);
    CHECK("a map of 300 keys misses what it lacks",
          !value_get(big, "key_300") && !value_get(big, "key_") && !value_getn(big, "key_1", 4), "");
    Value *cp = value_map_copy(a, big, 2);
    value_set_str(a, cp, "extra", "ja");
    value_set_num(a, cp, "key_7", 70);
    for (int i = 0; i < 50; i++) {
        snprintf(k, sizeof k, "more_%d", i);
        value_set_num(a, cp, k, i);
    }
    CHECK("a copy of a big map finds the old keys and its own",
          value_get(cp, "key_299") && value_get(cp, "key_299")->u.n == 299 && value_cstr(value_get(cp, "extra")) &&
              value_get(cp, "key_7")->u.n == 70 && value_get(cp, "more_49") && cp->u.map.len == 351,
          "len=%zu", cp->u.map.len);
    CHECK("the original does not see the copy's keys",
          !value_get(big, "extra") && !value_get(big, "more_0") && value_get(big, "key_7")->u.n == 7 &&
              big->u.map.len == 300,
          "");

    /* a map built in code with room made first and keys borrowed (cards,
     * sitemap entries): found like any other, past its room and past the
     * size that gets a hash index */
    static const char *const names[] = {"title", "kind", "slug", "url", "week", "date", "year_1", "year_2",
                                        "year_3", "year_4", "a", "b", "c", "d", "e", "f", "g", "h", "i", "j"};
    Value *sized = value_map_sized(a, 3);
    for (int i = 0; i < 20; i++)
        value_append_borrow(a, sized, names[i], value_num(a, i));
    bool found = sized->u.map.len == 20;
    for (int i = 0; found && i < 20; i++)
        found = value_get(sized, names[i]) && value_get(sized, names[i])->u.n == i && sized->u.map.keys[i] == names[i];
    CHECK("a sized map of borrowed keys finds each, past its room and its index size", found, "len=%zu",
          sized->u.map.len);
    value_set_num(a, sized, "week", 40);
    value_set_num(a, sized, "new", 1);
    CHECK("value_set on it replaces and adds as on any map",
          value_get(sized, "week")->u.n == 40 && value_get(sized, "new") && sized->u.map.len == 21 &&
              !value_get(sized, "k"),
          "len=%zu", sized->u.map.len);

    /* where each key was written is what a message about it points at: a
     * copy of a map read from a file keeps it; a map built in code has 0
     * for every key (no line to point at), also once it outgrew its room */
    Value *ym = value_map(a);
    for (int i = 0; i < 5; i++) {
        snprintf(k, sizeof k, "yaml_%d", i);
        value_append(a, ym, k, value_num(a, i));
        ym->u.map.key_lines[i] = 10 + i;
        ym->u.map.key_cols[i] = 3 + 2 * i;
    }
    Value *ycp = value_map_copy(a, ym, 2);
    value_append(a, ycp, "later", value_num(a, 5));
    bool kept = ycp->u.map.len == 6 && ycp->u.map.key_lines[5] == 0 && ycp->u.map.key_cols[5] == 0;
    for (int i = 0; kept && i < 5; i++)
        kept = ycp->u.map.key_lines[i] == 10 + i && ycp->u.map.key_cols[i] == 3 + 2 * i;
    CHECK("a copy of a map read from a file keeps each key's line and column", kept, "");
    Value *zero = value_map_sized(a, 2), *zcp = value_map_copy(a, sized, 1);
    for (int i = 0; i < 70; i++) {
        snprintf(k, sizeof k, "code_%d", i);
        value_append(a, zero, k, value_num(a, i));
        value_append(a, zcp, k, value_num(a, i));
    }
    bool zeros = zero->u.map.len == 70 && zcp->u.map.len == 91 && value_get(zero, "code_69") &&
                 value_get(zcp, "code_0") && value_get(zcp, "title");
    for (size_t i = 0; zeros && i < zero->u.map.len; i++)
        zeros = zero->u.map.key_lines[i] == 0 && zero->u.map.key_cols[i] == 0;
    for (size_t i = 0; zeros && i < zcp->u.map.len; i++)
        zeros = zcp->u.map.key_lines[i] == 0 && zcp->u.map.key_cols[i] == 0;
    CHECK("a map built in code, and its copy, have line and column 0 for every key, past their room", zeros, "");

    Value *l = value_list(a);
    for (int i = 0; i < 20; i++)
        value_push(a, l, value_num(a, i));
    bool order = l->u.list.len == 20;
    for (size_t i = 0; order && i < 20; i++)
        order = l->u.list.items[i]->u.n == (double)i;
    CHECK("a list keeps 20 pushed items in order", order, "len=%zu", l->u.list.len);

    CHECK("null is false", !value_truthy(value_null(a)), "");
    CHECK("NULL is false", !value_truthy(NULL), "");
    CHECK("false is false", !value_truthy(value_bool(a, false)), "");
    CHECK("true is true", value_truthy(value_bool(a, true)), "");
    CHECK("\"\" is false", !value_truthy(value_str(a, "")), "");
    CHECK("\"0\" is true", value_truthy(value_str(a, "0")), "");
    CHECK("0 is true (Mustache)", value_truthy(value_num(a, 0)), "");
    CHECK("an empty list is false", !value_truthy(value_list(a)), "");
    CHECK("a list with items is true", value_truthy(l), "");
    CHECK("an empty map is true", value_truthy(value_map(a)), "");

    struct {
        double n;
        const char *want;
    } nums[] = {{1.210, "1.21"}, {3, "3"}, {-12, "-12"}, {0.1, "0.1"}, {2.5e-7, "2.5e-07"}, {1e20, "1e+20"}};
    for (size_t i = 0; i < sizeof nums / sizeof nums[0]; i++) {
        Buf b = BUF_INIT;
        value_to_text(value_num(a, nums[i].n), &b);
        char name[64];
        snprintf(name, sizeof name, "number as text: %s", nums[i].want);
        CHECK_STR(name, buf_cstr(&b), nums[i].want);
        buf_free(&b);
    }
    Buf b = BUF_INIT;
    value_to_text(value_bool(a, true), &b);
    value_to_text(value_null(a), &b);
    value_to_text(value_str(a, "|x"), &b);
    value_to_text(l, &b);
    CHECK_STR("bool, null, string and list as text", buf_cstr(&b), "true|x");
    buf_free(&b);

    Value *f = value_strf(a, "%s-%d", "leerjaar", 4);
    CHECK_STR("value_strf", value_cstr(f), "leerjaar-4");
    CHECK("value_strf length", f->u.str.len == 10, "len=%zu", f->u.str.len);
    Value *sn = value_strn(a, "abcdef", 3);
    CHECK("value_strn copies n bytes", sn->u.str.len == 3 && !strcmp(sn->u.str.s, "abc"), "");
    const char *lit = "geleend";
    CHECK("value_str_borrow keeps the pointer", value_str_borrow(a, lit)->u.str.s == lit, "");
    CHECK("value_cstr of a non-string is NULL", value_cstr(value_num(a, 1)) == NULL, "");
    arena_free(a);
}

static const Diag *find(const Diags *d, const char *needle)
{
    for (size_t i = 0; i < d->len; i++)
        if (strstr(d->items[i].msg, needle))
            return &d->items[i];
    return NULL;
}

static void test_diag(void)
{
    CHECK_SUITE("diag");
    Diags d = DIAGS_INIT;
    diag_warn(&d, "content/b.nl.md", 3, 1, "long sentence");
    diag_error(&d, "content/a.nl.md", 10, 2, "second %s", "thing");
    diag_error(&d, "content/a.nl.md", 2, 7, "first");
    diag_error(&d, NULL, 0, 0, "no %s", "file");
    diag_error(&d, "content/a.nl.md", 2, 7, "first");
    CHECK("five added", d.len == 5, "len=%zu", d.len);
    CHECK("count errors", diags_count(&d, DIAG_ERROR) == 4, "");
    CHECK("count warnings", diags_count(&d, DIAG_WARNING) == 1, "");
    const Diag *g = find(&d, "second");
    CHECK("the message is formatted", g && !strcmp(g->msg, "second thing"), "");

    diags_sort(&d);
    CHECK("sort drops the exact duplicate", d.len == 4, "len=%zu", d.len);
    if (d.len == 4) {
        CHECK("without a file first", d.items[0].file == NULL, "");
        CHECK("then by file and line", !strcmp(d.items[1].msg, "first") && !strcmp(d.items[2].msg, "second thing") &&
                                           !strcmp(d.items[3].msg, "long sentence"),
              "[%s] [%s] [%s]", d.items[1].msg, d.items[2].msg, d.items[3].msg);
    }

    Diag full = {DIAG_ERROR, "content/x.nl.md", 4, 9, "title is missing"};
    char *s = diag_format(&full);
    CHECK_STR("file:line:col: error: msg", s, "content/x.nl.md:4:9: error: title is missing");
    free(s);
    Diag w = {DIAG_WARNING, "locales/tr.yaml", 5, 0, "unused"};
    s = diag_format(&w);
    CHECK_STR("no column: file:line: warning", s, "locales/tr.yaml:5: warning: unused");
    free(s);
    Diag nl = {DIAG_ERROR, "site", 0, 3, "x"};
    s = diag_format(&nl);
    CHECK_STR("no line: just the file", s, "site: error: x");
    free(s);
    Diag nf = {DIAG_ERROR, NULL, 0, 0, "out of room"};
    s = diag_format(&nf);
    CHECK_STR("no file: lobgen:", s, "lobgen: error: out of room");
    free(s);

    char *text = NULL;
    size_t len = 0;
    FILE *mem = open_memstream(&text, &len);
    diags_print(&d, mem);
    fclose(mem);
    CHECK_STR("print writes one line each, in order", text,
              "lobgen: error: no file\n"
              "content/a.nl.md:2:7: error: first\n"
              "content/a.nl.md:10:2: error: second thing\n"
              "content/b.nl.md:3:1: warning: long sentence\n");
    free(text);

    Diags src = DIAGS_INIT;
    for (int i = 0; i < 40; i++)
        diag_warn(&src, "f", i + 1, 1, "w%d", i);
    diags_merge(&d, &src);
    CHECK("merge moves everything", d.len == 44 && src.len == 0 && src.items == NULL, "len=%zu", d.len);
    CHECK("merged items keep their text", !strcmp(d.items[43].msg, "w39") && d.items[43].line == 40, "");

    /* sorting is stable by position and puts errors before warnings at one place */
    Diags e = DIAGS_INIT;
    diag_warn(&e, "f", 1, 1, "b");
    diag_error(&e, "f", 1, 1, "z");
    diags_sort(&e);
    CHECK("error before warning at the same place", e.len == 2 && e.items[0].level == DIAG_ERROR, "");
    diags_free(&e);
    diags_free(&d);
    CHECK("free resets", d.len == 0 && d.items == NULL, "");
}

static Value *parse(Arena *a, const char *text, int first_line, Diags *d)
{
    return yaml_parse(a, text, strlen(text), "x.yaml", first_line, d);
}


/* Parsing fails with an error at line:col containing needle. */
static void bad(const char *name, const char *text, int line, int col, const char *needle)
{
    Arena *a = arena_new();
    Diags d = DIAGS_INIT;
    Value *v = parse(a, text, 1, &d);
    const Diag *g = find(&d, needle);
    CHECK(name, !v && g && g->level == DIAG_ERROR && g->line == line && g->col == col && g->file &&
                    !strcmp(g->file, "x.yaml"),
          "v=%p, want [%s] at %d:%d, got %s at %d:%d", (void *)v, needle, line, col, g ? g->msg : "(none)",
          g ? g->line : -1, g ? g->col : -1);
    if (!g)
        dump(&d);
    diags_free(&d);
    arena_free(a);
}

static void test_yaml(void)
{
    CHECK_SUITE("yaml");
    Arena *a = arena_new();
    Diags d = DIAGS_INIT;
    Value *v = parse(a,
                     "title: Open dag\n"
                     "week: 12\n"
                     "ratio: 1.5\n"
                     "quoted: \"12\"\n"
                     "single: 'true'\n"
                     "yes: true\n"
                     "no: False\n"
                     "none: ~\n"
                     "empty:\n"
                     "hex: 0x1F\n"
                     "inf: .inf\n"
                     "date: 2026-03-12\n"
                     "list: [a, 2, \"b\"]\n"
                     "map:\n"
                     "  inner: x\n",
                     1, &d);
    CHECK("parses without errors", v && d.len == 0, "v=%p n=%zu", (void *)v, d.len);
    dump(&d);
    if (v) {
        CHECK("root is a map in file order", v->kind == V_MAP && v->u.map.len == 14 &&
                                                 !strcmp(v->u.map.keys[0], "title") &&
                                                 !strcmp(v->u.map.keys[13], "map"),
              "");
        CHECK_STR("a plain string", value_cstr(value_get(v, "title")), "Open dag");
        Value *w = value_get(v, "week");
        CHECK("a plain integer is a number", w && w->kind == V_NUM && w->u.n == 12, "");
        CHECK_STR("a number keeps its raw text", w ? w->raw : NULL, "12");
        Value *r = value_get(v, "ratio");
        CHECK("a plain decimal is a number", r && r->kind == V_NUM && r->u.n == 1.5, "");
        Value *q = value_get(v, "quoted");
        CHECK("a quoted number stays a string", q && q->kind == V_STR && q->quoted && !strcmp(q->u.str.s, "12"), "");
        Value *s = value_get(v, "single");
        CHECK("a quoted 'true' stays a string", s && s->kind == V_STR && s->quoted, "");
        Value *t = value_get(v, "yes");
        CHECK("true is a bool", t && t->kind == V_BOOL && t->u.b, "");
        Value *f = value_get(v, "no");
        CHECK("False is a bool", f && f->kind == V_BOOL && !f->u.b, "");
        Value *n = value_get(v, "none");
        CHECK("~ is null", n && n->kind == V_NULL, "");
        Value *e = value_get(v, "empty");
        CHECK("an empty value is null", e && e->kind == V_NULL, "");
        Value *h = value_get(v, "hex");
        CHECK("hex stays text", h && h->kind == V_STR && !strcmp(h->u.str.s, "0x1F"), "");
        Value *i = value_get(v, "inf");
        CHECK(".inf stays text", i && i->kind == V_STR, "");
        Value *dt = value_get(v, "date");
        CHECK("a date stays text", dt && dt->kind == V_STR && !strcmp(dt->u.str.s, "2026-03-12"), "");
        Value *l = value_get(v, "list");
        CHECK("a flow list", l && l->kind == V_LIST && l->u.list.len == 3 && l->u.list.items[1]->kind == V_NUM &&
                                 l->u.list.items[2]->kind == V_STR,
              "");
        Value *m = value_get(v, "map");
        CHECK_STR("a nested map", value_cstr(value_get(m, "inner")), "x");
        CHECK("key positions", v->u.map.key_lines[1] == 2 && v->u.map.key_cols[1] == 1, "line=%d col=%d",
              v->u.map.key_lines[1], v->u.map.key_cols[1]);
        CHECK("value positions", w && w->line == 2 && w->col == 7, "line=%d col=%d", w ? w->line : -1,
              w ? w->col : -1);
        CHECK("nested value positions", m && value_get(m, "inner")->line == 15 && value_get(m, "inner")->col == 10,
              "");
    }
    diags_free(&d);

    v = parse(a, "a: 1\nb: zin\n", 7, &d);
    Value *b = v ? value_get(v, "b") : NULL;
    CHECK("first_line shifts every position", b && b->line == 8 && b->col == 4 && v->u.map.key_lines[0] == 7,
          "line=%d", b ? b->line : -1);
    diags_free(&d);

    v = parse(a, "title: a\n  week: 3\n", 5, &d);
    CHECK("first_line shifts error positions too", !v && d.len == 1 && d.items[0].line == 6 && d.items[0].col == 7,
          "line=%d col=%d", d.len ? d.items[0].line : -1, d.len ? d.items[0].col : -1);
    diags_free(&d);

    v = parse(a, "", 1, &d);
    CHECK("an empty document is an empty map", v && v->kind == V_MAP && v->u.map.len == 0 && d.len == 0, "");
    v = parse(a, "# alleen commentaar\n", 1, &d);
    CHECK("a comment-only document is an empty map", v && v->kind == V_MAP && v->u.map.len == 0, "");
    v = parse(a, "[1, 2]", 1, &d);
    CHECK("a list document", v && v->kind == V_LIST && v->u.list.len == 2, "");
    v = parse(a, "base: &b {x: 1}\nother: *b\n", 1, &d);
    /* the alias shares the anchored value's contents but stands where it is written */
    CHECK("an alias gives the anchored value", v && value_get(v, "other") &&
                                                   value_get(value_get(v, "other"), "x") ==
                                                       value_get(value_get(v, "base"), "x") &&
                                                   value_get(v, "other")->line == 2 && value_get(v, "other")->col == 8,
          "");
    v = parse(a, "{\"title\": \"JSON\", \"n\": [1, 2.5]}", 1, &d);
    CHECK("JSON is YAML", v && !strcmp(value_cstr(value_get(v, "title")), "JSON") &&
                              value_get(v, "n")->u.list.items[1]->u.n == 2.5,
          "");
    CHECK("no errors from valid documents", d.len == 0, "n=%zu", d.len);
    dump(&d);
    diags_free(&d);

    bad("a duplicate key at the second one", "title: a\nweek: 3\ntitle: b\n", 3, 1, "appears twice");
    bad("a tab-broken line", "title: a\n  week: 3\n", 2, 7, "put the value in quotes");
    bad("an unknown alias", "a: *nergens\n", 1, 4, "alias names no anchor");
    bad("two documents", "a: 1\n---\nb: 2\n", 2, 1, "only one YAML document");
    bad("a list as a key", "? [a, b]\n: c\n", 1, 3, "a key must be a plain word");

    Buf deep = BUF_INIT;
    for (int i = 0; i < 300; i++)
        buf_putc(&deep, '[');
    for (int i = 0; i < 300; i++)
        buf_putc(&deep, ']');
    v = parse(a, deep.data, 1, &d);
    CHECK("nesting deeper than 200 is an error", !v && find(&d, "200 levels"), "");
    buf_free(&deep);
    diags_free(&d);

    /* a file with a byte order mark */
    char path[] = "/tmp/lobgen-core-XXXXXX";
    int fd = mkstemp(path);
    const char data[] = "\xEF\xBB\xBFtitle: Met BOM\nweek: 4\n";
    bool wrote = fd >= 0 && write(fd, data, sizeof data - 1) == (ssize_t)(sizeof data - 1);
    if (fd >= 0)
        close(fd);
    if (!wrote) {
        printf("FAIL setup: cannot write %s\n", path);
        exit(2);
    }
    v = yaml_load_file(a, path, &d);
    CHECK("a file with a BOM loads", v && !strcmp(value_cstr(value_get(v, "title")), "Met BOM") && d.len == 0, "");
    CHECK("positions in a file start at line 1", v && value_get(v, "week")->line == 2, "");
    unlink(path);
    v = yaml_load_file(a, path, &d);
    CHECK("a missing file is an error naming it", !v && d.len == 1 && d.items[0].file &&
                                                     !strcmp(d.items[0].file, path) &&
                                                     strstr(d.items[0].msg, "cannot read"),
          "n=%zu", d.len);
    diags_free(&d);
    arena_free(a);
}

/* Decimal numbers as C's printf %lld writes them (C11 7.21.6.1): the
 * ends of long long included. */
static void test_dec(void)
{
    CHECK_SUITE("dec");
    char num[21];
    CHECK("0", dec_format(num, 0) == 1 && !strcmp(num, "0"), "%s", num);
    CHECK("-7", dec_format(num, -7) == 2 && !strcmp(num, "-7"), "%s", num);
    CHECK("1000000", dec_format(num, 1000000) == 7 && !strcmp(num, "1000000"), "%s", num);
    CHECK("LLONG_MAX", dec_format(num, 9223372036854775807LL) == 19 && !strcmp(num, "9223372036854775807"), "%s",
          num);
    CHECK("LLONG_MIN", dec_format(num, -9223372036854775807LL - 1) == 20 && !strcmp(num, "-9223372036854775808"),
          "%s", num);
    Buf b = BUF_INIT;
    buf_puts(&b, "n=");
    buf_put_int(&b, -42);
    CHECK_STR("buf_put_int appends", buf_cstr(&b), "n=-42");
    buf_free(&b);
}

int main(void)
{
    test_dec();
    test_buf();
    test_arena();
    test_arena_adopt();
    test_read_file();
    test_value();
    test_diag();
    test_yaml();
    CHECK_DONE();
}
