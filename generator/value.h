/* The value tree that templates render and that YAML/JSON files load into:
 * null, bool, number, string, list, map. Values live in an Arena; maps keep
 * insertion order (so output never depends on hashing). Values loaded from
 * a file carry the line and column where they start, for error messages. */
#ifndef LOBGEN_VALUE_H
#define LOBGEN_VALUE_H

#include "buf.h"

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

typedef enum { V_NULL, V_BOOL, V_NUM, V_STR, V_LIST, V_MAP } ValueKind;

typedef struct Value Value;
struct Value {
    ValueKind kind;
    int line, col; /* source position, 0 when built in code */
    bool quoted;   /* a YAML scalar written in quotes (never typed) */
    const char *raw; /* a scalar's text as written in its file, else NULL */
    union {
        bool b;
        double n;
        struct {
            const char *s;
            size_t len;
        } str;
        struct {
            Value **items;
            size_t len, cap;
        } list;
        struct {
            const char **keys;
            Value **vals;
            int *key_lines, *key_cols; /* where each key was written, 0 if built */
            uint32_t *hashes;          /* value_key_hash of each key: a lookup compares these first */
            /* maps of VALUE_MAP_INDEXED keys or more (a language's strings):
             * open addressing by hash, index + 1 of each key, 0 when empty;
             * one byte a slot while nslots <= 256 (a card's 64), else four */
            void *slots;
            size_t nslots; /* a power of two, or 0 without slots */
            size_t len, cap;
        } map;
    } u;
};

Value *value_null(Arena *a);
Value *value_bool(Arena *a, bool b);
Value *value_num(Arena *a, double n);
Value *value_str(Arena *a, const char *s);             /* copies s */
Value *value_strn(Arena *a, const char *s, size_t n);  /* copies s */
Value *value_str_borrow(Arena *a, const char *s);      /* s must outlive the value */
Value *value_strf(Arena *a, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
Value *value_list(Arena *a);
Value *value_map(Arena *a);
/* An empty list with room for cap items before value_push grows it. */
Value *value_list_sized(Arena *a, size_t cap);

void value_push(Arena *a, Value *list, Value *item);
/* Set key (copied) to v; replaces an existing key. Returns v. */
Value *value_set(Arena *a, Value *map, const char *key, Value *v);
/* Add key (copied) at the end without looking for it: for a caller that
 * knows the key is new (the YAML loader keeps its own hash of keys), so
 * a map of n keys is built in O(n). Returns v. */
Value *value_append(Arena *a, Value *map, const char *key, Value *v);
/* An empty map with room for cap keys before it grows: for data built in
 * code whose keys are known (a card, a sitemap entry). Its keys' lines and
 * columns (all 0, built in code) are one shared read-only array while it
 * has up to VALUE_SHARED_POSITIONS keys: only for maps whose positions
 * nobody sets (the YAML loader's maps are made by value_map). */
Value *value_map_sized(Arena *a, size_t cap);
/* value_append without copying key: key (a string literal, or one that
 * outlives the map) is borrowed. The caller knows it is not in map yet. */
void value_append_borrow(Arena *a, Value *map, const char *key, Value *v);
/* A new map in a with map's keys and values in order (a shallow copy: keys
 * and values are shared, so map's arena must outlive the copy), with room
 * for extra more keys. O(n), where a copy by value_set is O(n^2). */
Value *value_map_copy(Arena *a, const Value *map, size_t extra);
Value *value_set_str(Arena *a, Value *map, const char *key, const char *s);
Value *value_set_bool(Arena *a, Value *map, const char *key, bool b);
Value *value_set_num(Arena *a, Value *map, const char *key, double n);

Value *value_get(const Value *map, const char *key);       /* NULL if absent or not a map */
Value *value_getn(const Value *map, const char *key, size_t keylen);
size_t value_index(const Value *map, const char *key);     /* (size_t)-1 if absent */

/* Keys of a map made by value_map_sized that share the zero positions. */
#define VALUE_SHARED_POSITIONS 64

/* From this many keys on, a map keeps a hash index besides its order. */
#define VALUE_MAP_INDEXED 16

/* The hash of a map key's n bytes that maps keep beside each key (FNV-1a,
 * 32 bits): a lookup that knows it compares hashes before bytes. */
static inline uint32_t value_key_hash(const char *s, size_t n)
{
    uint32_t h = 2166136261u;
    for (size_t i = 0; i < n; i++)
        h = (h ^ (unsigned char)s[i]) * 16777619u;
    return h;
}
/* The value at key (n bytes, hash h = value_key_hash(key, n)), or NULL if
 * absent or map is not a map: value_getn without hashing the key. */
Value *value_geth(const Value *map, const char *key, size_t n, uint32_t h);

/* Mustache truthiness: null, false, empty list, and the empty string are false. */
bool value_truthy(const Value *v);
/* Append a scalar's text (numbers per the Mustache spec: 1.210 -> "1.21"). */
void value_to_text(const Value *v, Buf *out);
/* A string's text, or NULL for non-strings. */
const char *value_cstr(const Value *v);

#endif
