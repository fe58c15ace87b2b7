#include "value.h"

#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static Value *mk(Arena *a, ValueKind k)
{
    /* every member set here (a page makes thousands of values: memset by
     * call cost more than the stores) */
    Value *v = arena_alloc_raw(a, sizeof(Value));
    *v = (Value){.kind = k};
    return v;
}

Value *value_null(Arena *a) { return mk(a, V_NULL); }

Value *value_bool(Arena *a, bool b)
{
    Value *v = mk(a, V_BOOL);
    v->u.b = b;
    return v;
}

Value *value_num(Arena *a, double n)
{
    Value *v = mk(a, V_NUM);
    v->u.n = n;
    return v;
}

Value *value_strn(Arena *a, const char *s, size_t n)
{
    Value *v = mk(a, V_STR);
    v->u.str.s = arena_strndup(a, s, n);
    v->u.str.len = n;
    return v;
}

Value *value_str(Arena *a, const char *s) { return value_strn(a, s, strlen(s)); }

Value *value_str_borrow(Arena *a, const char *s)
{
    Value *v = mk(a, V_STR);
    v->u.str.s = s;
    v->u.str.len = strlen(s);
    return v;
}

Value *value_strf(Arena *a, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    Value *v = value_str_borrow(a, arena_vprintf(a, fmt, ap));
    va_end(ap);
    return v;
}

Value *value_list(Arena *a) { return mk(a, V_LIST); }

Value *value_list_sized(Arena *a, size_t cap)
{
    Value *l = mk(a, V_LIST);
    if (cap) {
        l->u.list.items = arena_alloc_raw(a, cap * sizeof(Value *));
        l->u.list.cap = cap;
    }
    return l;
}
Value *value_map(Arena *a) { return mk(a, V_MAP); }

void value_push(Arena *a, Value *list, Value *item)
{
    ARENA_GROW(a, list->u.list.items, list->u.list.len, list->u.list.len + 1, list->u.list.cap);
    list->u.list.items[list->u.list.len++] = item;
}

/* The key index + 1 in slot s, 0 when the slot is empty. */
static inline size_t slot_get(const Value *map, size_t s)
{
    return map->u.map.nslots <= 256 ? ((const uint8_t *)map->u.map.slots)[s] : ((const uint32_t *)map->u.map.slots)[s];
}

/* The index of key (n bytes, hash h) in map, or (size_t)-1. */
static size_t index_h(const Value *map, const char *key, size_t n, uint32_t h)
{
    if (!map || map->kind != V_MAP)
        return (size_t)-1;
    const uint32_t *hs = map->u.map.hashes;
    if (map->u.map.slots) {
        size_t mask = map->u.map.nslots - 1;
        for (size_t s = h & mask, x; (x = slot_get(map, s)); s = (s + 1) & mask) {
            size_t i = x - 1;
            const char *k = map->u.map.keys[i];
            if (hs[i] == h && memcmp(k, key, n) == 0 && k[n] == '\0')
                return i;
        }
        return (size_t)-1;
    }
    for (size_t i = 0; i < map->u.map.len; i++) {
        if (hs[i] != h)
            continue;
        const char *k = map->u.map.keys[i];
        if (memcmp(k, key, n) == 0 && k[n] == '\0')
            return i;
    }
    return (size_t)-1;
}

size_t value_index(const Value *map, const char *key)
{
    size_t n = strlen(key);
    return index_h(map, key, n, value_key_hash(key, n));
}

Value *value_geth(const Value *map, const char *key, size_t n, uint32_t h)
{
    size_t i = index_h(map, key, n, h);
    return i == (size_t)-1 ? NULL : map->u.map.vals[i];
}

static Value *append_h(Arena *a, Value *map, const char *key, size_t n, uint32_t h, Value *v);

/* Put key i of map into its slots. */
static void slot_put(Value *map, size_t i)
{
    size_t mask = map->u.map.nslots - 1;
    size_t s = map->u.map.hashes[i] & mask;
    while (slot_get(map, s))
        s = (s + 1) & mask;
    /* slots are put while 2 * keys <= nslots: at most 128 keys in one-byte slots */
    if (map->u.map.nslots <= 256)
        ((uint8_t *)map->u.map.slots)[s] = (uint8_t)(i + 1);
    else
        ((uint32_t *)map->u.map.slots)[s] = (uint32_t)(i + 1);
}

static size_t slot_bytes(size_t nslots) { return nslots <= 256 ? 1 : sizeof(uint32_t); }

/* Keep map's hash index up to date after its key len - 1 was added: made
 * when the map reaches VALUE_MAP_INDEXED keys, made anew, twice as big,
 * when it is half full. */
static void index_added(Arena *a, Value *map)
{
    size_t n = map->u.map.len;
    if (n < VALUE_MAP_INDEXED || n > UINT32_MAX - 1)
        return;
    if (map->u.map.slots && 2 * n <= map->u.map.nslots) {
        slot_put(map, n - 1);
        return;
    }
    size_t ns = 4 * VALUE_MAP_INDEXED;
    while (ns < 4 * n)
        ns *= 2;
    map->u.map.slots = arena_alloc(a, ns * slot_bytes(ns));
    map->u.map.nslots = ns;
    for (size_t i = 0; i < n; i++)
        slot_put(map, i);
}

Value *value_set(Arena *a, Value *map, const char *key, Value *v)
{
    size_t n = strlen(key);
    uint32_t h = value_key_hash(key, n);
    size_t i = index_h(map, key, n, h);
    if (i != (size_t)-1) {
        map->u.map.vals[i] = v;
        return v;
    }
    return append_h(a, map, key, n, h, v);
}

Value *value_append(Arena *a, Value *map, const char *key, Value *v)
{
    size_t n = strlen(key);
    return append_h(a, map, key, n, value_key_hash(key, n), v);
}

/* The lines and columns of the keys of a map built in code (value.h). */
static const int no_positions[VALUE_SHARED_POSITIONS];
#define SHARED_POSITIONS(v) ((v)->u.map.key_lines == (int *)no_positions)

/* Room for one more key in map: the five arrays move to one new block,
 * not zeroed (as map_sized's: an append writes key i of each before len
 * covers it, and nothing reads past len); five arena_grow calls, each
 * zeroing its new room, were a fifth of a value_set. A map that shared
 * the zero positions has its own from here on. */
static void map_room(Arena *a, Value *map)
{
    if (map->u.map.len < map->u.map.cap)
        return;
    size_t n = map->u.map.len, nc = grow_capacity(map->u.map.cap, n + 1, sizeof(Value *));
    char *p = arena_alloc_raw(a, nc * (2 * sizeof(void *) + sizeof(uint32_t) + 2 * sizeof(int)));
    const char **keys = (const char **)p;
    p += nc * sizeof(char *);
    Value **vals = (Value **)p;
    p += nc * sizeof(Value *);
    uint32_t *hashes = (uint32_t *)p;
    p += nc * sizeof(uint32_t);
    int *lines = (int *)p;
    p += nc * sizeof(int);
    int *cols = (int *)p;
    if (n) {
        memcpy(keys, map->u.map.keys, n * sizeof *keys);
        memcpy(vals, map->u.map.vals, n * sizeof *vals);
        memcpy(hashes, map->u.map.hashes, n * sizeof *hashes);
        if (SHARED_POSITIONS(map)) {
            memset(lines, 0, n * sizeof *lines);
            memset(cols, 0, n * sizeof *cols);
        } else {
            memcpy(lines, map->u.map.key_lines, n * sizeof *lines);
            memcpy(cols, map->u.map.key_cols, n * sizeof *cols);
        }
    }
    map->u.map.keys = keys;
    map->u.map.vals = vals;
    map->u.map.hashes = hashes;
    map->u.map.key_lines = lines;
    map->u.map.key_cols = cols;
    map->u.map.cap = nc;
}

static Value *append_h(Arena *a, Value *map, const char *key, size_t klen, uint32_t h, Value *v)
{
    map_room(a, map);
    size_t k = map->u.map.len++;
    map->u.map.keys[k] = arena_strndup(a, key, klen);
    map->u.map.hashes[k] = h;
    index_added(a, map);
    map->u.map.vals[k] = v;
    if (!SHARED_POSITIONS(map)) {
        map->u.map.key_lines[k] = 0;
        map->u.map.key_cols[k] = 0;
    }
    return v;
}

static Value *map_sized(Arena *a, size_t cap, bool positions);

Value *value_map_copy(Arena *a, const Value *map, size_t extra)
{
    size_t n = map->u.map.len;
    /* whole arrays at once: a copy by value_set looks every key up in the
     * keys copied so far, quadratic in the map's size */
    /* positions written in a file are copied; zeros stay shared where they fit */
    Value *c = map_sized(a, n + extra, n && !SHARED_POSITIONS(map));
    if (!c->u.map.cap)
        return c;
    if (n) {
        memcpy(c->u.map.keys, map->u.map.keys, n * sizeof(char *));
        memcpy(c->u.map.vals, map->u.map.vals, n * sizeof(Value *));
        if (!SHARED_POSITIONS(c)) {
            memcpy(c->u.map.key_lines, map->u.map.key_lines, n * sizeof(int));
            memcpy(c->u.map.key_cols, map->u.map.key_cols, n * sizeof(int));
        }
        memcpy(c->u.map.hashes, map->u.map.hashes, n * sizeof(uint32_t));
    }
    if (map->u.map.slots) {
        /* the same keys at the same indices: the same slots */
        size_t bytes = map->u.map.nslots * slot_bytes(map->u.map.nslots);
        c->u.map.slots = arena_alloc_raw(a, bytes);
        memcpy(c->u.map.slots, map->u.map.slots, bytes);
        c->u.map.nslots = map->u.map.nslots;
    }
    c->u.map.len = n;
    return c;
}

Value *value_set_str(Arena *a, Value *map, const char *key, const char *s)
{
    return value_set(a, map, key, s ? value_str(a, s) : value_null(a));
}

Value *value_set_bool(Arena *a, Value *map, const char *key, bool b)
{
    return value_set(a, map, key, value_bool(a, b));
}

Value *value_set_num(Arena *a, Value *map, const char *key, double n)
{
    return value_set(a, map, key, value_num(a, n));
}

Value *value_getn(const Value *map, const char *key, size_t keylen)
{
    /* keylen bytes, but a key never holds a NUL: stop at one as strncmp did */
    const char *z = memchr(key, '\0', keylen);
    if (z)
        keylen = (size_t)(z - key);
    return value_geth(map, key, keylen, value_key_hash(key, keylen));
}

Value *value_get(const Value *map, const char *key) { return value_getn(map, key, strlen(key)); }

bool value_truthy(const Value *v)
{
    if (!v)
        return false;
    switch (v->kind) {
    case V_NULL: return false;
    case V_BOOL: return v->u.b;
    case V_NUM: return true;
    case V_STR: return v->u.str.len > 0;
    case V_LIST: return v->u.list.len > 0;
    case V_MAP: return true;
    }
    return false;
}

void value_to_text(const Value *v, Buf *out)
{
    if (!v)
        return;
    switch (v->kind) {
    case V_NULL: return;
    case V_BOOL: buf_puts(out, v->u.b ? "true" : "false"); return;
    case V_NUM: {
        double n = v->u.n;
        if (isfinite(n) && n == floor(n) && fabs(n) < 1e15) {
            buf_printf(out, "%.0f", n);
            return;
        }
        /* shortest text that reads back as the same double */
        char tmp[40];
        for (int prec = 1; prec <= 17; prec++) {
            snprintf(tmp, sizeof tmp, "%.*g", prec, n);
            if (strtod(tmp, NULL) == n)
                break;
        }
        buf_puts(out, tmp);
        return;
    }
    case V_STR: buf_append(out, v->u.str.s, v->u.str.len); return;
    case V_LIST:
    case V_MAP: return;
    }
}

const char *value_cstr(const Value *v) { return v && v->kind == V_STR ? v->u.str.s : NULL; }

/* An empty map with room for cap keys; positions: its own arrays of key
 * lines and columns, else the shared zeros when cap allows. */
static Value *map_sized(Arena *a, size_t cap, bool positions)
{
    Value *m = value_map(a);
    if (!cap)
        return m;
    bool shared = !positions && cap <= VALUE_SHARED_POSITIONS;
    /* the arrays in one block, not zeroed: an append writes key i of
     * each before len covers it, and nothing reads past len */
    char *p = arena_alloc_raw(a, cap * (2 * sizeof(void *) + sizeof(uint32_t) + (shared ? 0 : 2 * sizeof(int))));
    m->u.map.keys = (const char **)p;
    p += cap * sizeof(char *);
    m->u.map.vals = (Value **)p;
    p += cap * sizeof(Value *);
    m->u.map.hashes = (uint32_t *)p;
    p += cap * sizeof(uint32_t);
    if (shared) {
        m->u.map.key_lines = m->u.map.key_cols = (int *)no_positions;
    } else {
        m->u.map.key_lines = (int *)p;
        p += cap * sizeof(int);
        m->u.map.key_cols = (int *)p;
    }
    m->u.map.cap = cap;
    return m;
}

Value *value_map_sized(Arena *a, size_t cap) { return map_sized(a, cap, false); }

void value_append_borrow(Arena *a, Value *map, const char *key, Value *v)
{
    map_room(a, map);
    size_t k = map->u.map.len++;
    map->u.map.keys[k] = key;
    map->u.map.hashes[k] = value_key_hash(key, strlen(key));
    index_added(a, map);
    map->u.map.vals[k] = v;
    if (!SHARED_POSITIONS(map)) {
        map->u.map.key_lines[k] = 0;
        map->u.map.key_cols[k] = 0;
    }
}
