/* The keys of the incremental manifest (incremental.h): a key is XXH3-128
 * of the stream of length-prefixed pieces, however many pieces and of what
 * size (so a manifest written by an earlier lobgen keeps matching), and a
 * page key changes with any value of the page data. */
#include "check.h"
#include "incremental.h"
#include "value.h"

#include <stdlib.h>
#include <string.h>
#include <xxhash.h>

/* The stream the header describes, built by hand. */
typedef struct {
    unsigned char *p;
    size_t n, cap;
} Stream;

static void raw(Stream *s, const void *p, size_t n)
{
    if (s->n + n > s->cap) {
        s->cap = (s->n + n) * 2;
        s->p = realloc(s->p, s->cap);
    }
    memcpy(s->p + s->n, p, n);
    s->n += n;
}

static void piece(Stream *s, const void *p, size_t n)
{
    raw(s, &n, sizeof n);
    raw(s, p, n);
}

static bool same(IncrKey k, const Stream *s)
{
    XXH128_hash_t r = XXH3_128bits(s->p, s->n);
    return k.lo == r.low64 && k.hi == r.high64;
}

static bool eq(IncrKey a, IncrKey b) { return a.lo == b.lo && a.hi == b.hi; }

static IncrKey page(const char *rel, const Value *data) { return incr_page_key(rel, "material", "nl", 2, data, NULL); }

int main(void)
{
    CHECK_SUITE("incrhash");

    /* many small pieces, then pieces around any buffer size, then one large */
    size_t big = 100000;
    char *text = malloc(big + 1);
    for (size_t i = 0; i < big; i++)
        text[i] = (char)('a' + (i * 7 + i / 13) % 26);
    text[big] = '\0';
    Stream s = {0};
    IncrHash *h = incr_hash_new();
    for (int i = 0; i < 5000; i++) {
        incr_hash_int(h, i);
        long long v = i;
        raw(&s, &v, sizeof v);
        incr_hash_bytes(h, text + i, (size_t)(i % 11));
        piece(&s, text + i, (size_t)(i % 11));
    }
    for (size_t n = 1000; n < 20000; n += 997) {
        incr_hash_bytes(h, text, n);
        piece(&s, text, n);
    }
    incr_hash_str(h, NULL);
    size_t none = SIZE_MAX;
    raw(&s, &none, sizeof none);
    incr_hash_str(h, "");
    piece(&s, "", 0);
    IncrKey kk = {0x0123456789abcdefULL, 42};
    incr_hash_key(h, kk);
    raw(&s, &kk.lo, sizeof kk.lo);
    raw(&s, &kk.hi, sizeof kk.hi);
    incr_hash_bytes(h, text, big);
    piece(&s, text, big);
    CHECK("a key is XXH3-128 of the length-prefixed stream, cut into pieces of any size", same(incr_hash_done(h), &s),
          "");

    s.n = 0;
    h = incr_hash_new();
    CHECK("an empty stream is XXH3-128 of nothing", same(incr_hash_done(h), &s), "");

    /* "ab"+"c" is not "a"+"bc" */
    h = incr_hash_new();
    incr_hash_str(h, "ab");
    incr_hash_str(h, "c");
    IncrKey k1 = incr_hash_done(h);
    h = incr_hash_new();
    incr_hash_str(h, "a");
    incr_hash_str(h, "bc");
    CHECK("pieces cut differently give another key", !eq(k1, incr_hash_done(h)), "");

    /* page data: every value counts */
    Arena *a = arena_new();
    Value *d = value_map(a);
    value_set_str(a, d, "title", "Wat kan ik?");
    Value *list = value_set(a, d, "items", value_list(a));
    for (int i = 0; i < 300; i++) {
        Value *m = value_map(a);
        value_set_num(a, m, "n", i);
        value_set_bool(a, m, "on", i % 2);
        value_set(a, m, "body", value_strn(a, text + i * 50, 40));
        value_push(a, list, m);
    }
    IncrKey base = page("nl/a/index.html", d);
    CHECK("the same data gives the same key", eq(base, page("nl/a/index.html", d)), "");
    CHECK("another page's path gives another key", !eq(base, page("nl/b/index.html", d)), "");
    Value *last = list->u.list.items[299];
    value_set_num(a, last, "n", 300);
    CHECK("a number deep in the data changes the key", !eq(base, page("nl/a/index.html", d)), "");
    value_set_num(a, last, "n", 299);
    CHECK("and back gives the key again", eq(base, page("nl/a/index.html", d)), "");
    value_set_bool(a, list->u.list.items[151], "on", false);
    IncrKey k2 = page("nl/a/index.html", d);
    CHECK("a bool changes the key", !eq(base, k2), "");
    value_set_str(a, list->u.list.items[7], "body", "x");
    CHECK("a string changes the key", !eq(k2, page("nl/a/index.html", d)), "");

    Value *renamed = value_map(a);
    value_set_str(a, renamed, "titel", "Wat kan ik?");
    value_set(a, renamed, "items", list);
    Value *orig = value_map(a);
    value_set_str(a, orig, "title", "Wat kan ik?");
    value_set(a, orig, "items", list);
    CHECK("a renamed key changes the key", !eq(page("p", orig), page("p", renamed)), "");

    /* a tree deeper and wider than the hashing stack's first room */
    Value *deep = value_map(a);
    Value *at = deep;
    for (int i = 0; i < 2000; i++)
        at = value_set(a, at, "k", value_map(a));
    Value *wide = value_set(a, at, "wide", value_list(a));
    for (int i = 0; i < 1000; i++)
        value_push(a, wide, value_num(a, i));
    IncrKey k3 = page("x", deep);
    wide->u.list.items[999] = value_num(a, -1);
    CHECK("the last value of a deep, wide tree changes the key", !eq(k3, page("x", deep)), "");

    /* shared subtrees hashed once (incr_memo) */
    Value *strings = value_map(a);
    for (int i = 0; i < 120; i++)
        value_set_str(a, strings, arena_printf(a, "s%d", i), "Lees de tekst");
    Value *pg = value_map(a);
    value_set(a, pg, "t", strings);
    value_set_str(a, pg, "title", "Wat kan ik?");
    IncrMemo *memo = incr_memo_new();
    incr_memo_add(memo, strings);
    IncrKey m0 = incr_page_key("p", "material", "nl", 2, pg, memo);
    CHECK("with a shared part hashed once, the same data gives the same key",
          eq(m0, incr_page_key("p", "material", "nl", 2, pg, memo)), "");
    value_set_str(a, pg, "title", "Wat wil ik?");
    CHECK("a value beside the shared part still changes the key",
          !eq(m0, incr_page_key("p", "material", "nl", 2, pg, memo)), "");
    value_set_str(a, pg, "title", "Wat kan ik?");
    Value *strings2 = value_map_copy(a, strings, 0);
    value_set_str(a, strings2, "s77", "Lees de tekst!");
    IncrMemo *memo2 = incr_memo_new();
    incr_memo_add(memo2, strings2);
    value_set(a, pg, "t", strings2);
    CHECK("another build whose shared part differs in one value gives another key",
          !eq(m0, incr_page_key("p", "material", "nl", 2, pg, memo2)), "");
    CHECK("the shared parts are unchanged after the pages", incr_memo_unchanged(memo) && incr_memo_unchanged(memo2),
          "");
    value_set_str(a, strings, "s3", "Schrijf op");
    CHECK("a shared part changed in place is found", !incr_memo_unchanged(memo), "");
    /* many shared parts: the table grows, each still found */
    IncrMemo *memo3 = incr_memo_new();
    Value *lists = value_list(a);
    for (int i = 0; i < 500; i++) {
        Value *m = value_map(a);
        value_set_num(a, m, "n", i);
        value_push(a, lists, m);
        incr_memo_add(memo3, m);
    }
    IncrKey m1 = incr_page_key("q", "home", "nl", 0, lists, memo3);
    value_set_num(a, lists->u.list.items[321], "n", -1);
    IncrMemo *memo4 = incr_memo_new();
    for (int i = 0; i < 500; i++)
        incr_memo_add(memo4, lists->u.list.items[i]);
    CHECK("with 500 shared parts, one value changed changes the key",
          !eq(m1, incr_page_key("q", "home", "nl", 0, lists, memo4)) && !incr_memo_unchanged(memo3), "");
    incr_memo_free(memo);
    incr_memo_free(memo2);
    incr_memo_free(memo3);
    incr_memo_free(memo4);

    arena_free(a);
    free(s.p);
    free(text);
    CHECK_DONE();
}
