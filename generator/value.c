#include "value.h"

#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static Value *mk(Arena *a, ValueKind k)
{
    Value *v = arena_alloc(a, sizeof(Value));
    v->kind = k;
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
Value *value_map(Arena *a) { return mk(a, V_MAP); }

void value_push(Arena *a, Value *list, Value *item)
{
    ARENA_GROW(a, list->u.list.items, list->u.list.len, list->u.list.len + 1, list->u.list.cap);
    list->u.list.items[list->u.list.len++] = item;
}

size_t value_index(const Value *map, const char *key)
{
    if (!map || map->kind != V_MAP)
        return (size_t)-1;
    for (size_t i = 0; i < map->u.map.len; i++)
        if (strcmp(map->u.map.keys[i], key) == 0)
            return i;
    return (size_t)-1;
}

Value *value_set(Arena *a, Value *map, const char *key, Value *v)
{
    size_t i = value_index(map, key);
    if (i != (size_t)-1) {
        map->u.map.vals[i] = v;
        return v;
    }
    return value_append(a, map, key, v);
}

Value *value_append(Arena *a, Value *map, const char *key, Value *v)
{
    if (map->u.map.len == map->u.map.cap) {
        size_t n = map->u.map.len, nc = grow_capacity(map->u.map.cap, n + 1, sizeof(Value *));
        map->u.map.keys = arena_grow(a, map->u.map.keys, n, nc, sizeof(char *));
        map->u.map.vals = arena_grow(a, map->u.map.vals, n, nc, sizeof(Value *));
        map->u.map.key_lines = arena_grow(a, map->u.map.key_lines, n, nc, sizeof(int));
        map->u.map.key_cols = arena_grow(a, map->u.map.key_cols, n, nc, sizeof(int));
        map->u.map.cap = nc;
    }
    size_t k = map->u.map.len++;
    map->u.map.keys[k] = arena_strdup(a, key);
    map->u.map.vals[k] = v;
    map->u.map.key_lines[k] = 0;
    map->u.map.key_cols[k] = 0;
    return v;
}

Value *value_map_copy(Arena *a, const Value *map, size_t extra)
{
    Value *c = value_map(a);
    size_t n = map->u.map.len, cap = n + extra;
    if (!cap)
        return c;
    /* whole arrays at once: a copy by value_set looks every key up in the
     * keys copied so far, quadratic in the map's size */
    c->u.map.keys = arena_alloc(a, cap * sizeof(char *));
    c->u.map.vals = arena_alloc(a, cap * sizeof(Value *));
    c->u.map.key_lines = arena_alloc(a, cap * sizeof(int));
    c->u.map.key_cols = arena_alloc(a, cap * sizeof(int));
    if (n) {
        memcpy(c->u.map.keys, map->u.map.keys, n * sizeof(char *));
        memcpy(c->u.map.vals, map->u.map.vals, n * sizeof(Value *));
        memcpy(c->u.map.key_lines, map->u.map.key_lines, n * sizeof(int));
        memcpy(c->u.map.key_cols, map->u.map.key_cols, n * sizeof(int));
    }
    c->u.map.len = n;
    c->u.map.cap = cap;
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
    if (!map || map->kind != V_MAP)
        return NULL;
    for (size_t i = 0; i < map->u.map.len; i++) {
        const char *k = map->u.map.keys[i];
        if (strncmp(k, key, keylen) == 0 && k[keylen] == '\0')
            return map->u.map.vals[i];
    }
    return NULL;
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
