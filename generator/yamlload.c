#include "yamlload.h"

#include "encoding.h"
#include "inputs.h"

#include <errno.h>
#include <math.h>
#include <sys/stat.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <yaml.h>

typedef struct {
    const char *anchor;
    Value *v;
} Anchor;

typedef struct {
    Arena *a;
    yaml_parser_t p;
    const char *file;
    const char *text; /* the YAML being parsed, for the character an error points at */
    size_t len;
    int line0;
    Diags *d;
    Anchor *anchors;
    size_t n_anchors, cap_anchors;
    int depth;
} Loader;

enum { MAX_DEPTH = 200 };

static void loader_error_at(Loader *L, yaml_mark_t m, const char *what)
{
    diag_error(L->d, L->file, (int)m.line + L->line0, (int)m.column + 1, "%s", what);
}

/* libyaml's messages ("mapping values are not allowed in this context")
 * name the parser's state, not the writer's mistake: each kind is told in
 * plain words with its fix, still at line:col. */
static void parser_error(Loader *L)
{
    yaml_mark_t m = L->p.problem_mark;
    const char *prob = L->p.problem ? L->p.problem : "invalid YAML";
    const char *ctx = L->p.context ? L->p.context : "";
    int line = (int)m.line + L->line0, col = (int)m.column + 1;
    char at = m.index < L->len ? L->text[m.index] : '\0';
    if (at == '\t' || strstr(prob, "tab character")) {
        diag_error(L->d, L->file, line, col, "YAML does not allow tabs; indent with spaces");
    } else if (strstr(prob, "mapping values are not allowed")) {
        diag_error(L->d, L->file, line, col,
                   "this value contains ': ', which YAML reads as a second key; put the value in quotes, "
                   "e.g. title: \"Thuis: wat kan ik?\"");
    } else if (strstr(ctx, "quoted scalar")) {
        yaml_mark_t c = L->p.context_mark;
        diag_error(L->d, L->file, (int)c.line + L->line0, (int)c.column + 1,
                   "this quote is never closed; end the value with the same quote on this line");
    } else if (strstr(prob, "did not find expected key") || strstr(prob, "did not find expected '-' indicator") ||
               strstr(prob, "expected <block end>")) {
        diag_error(L->d, L->file, line, col,
                   "this line is indented differently from the lines above it; keys and list items of one level "
                   "start in the same column (list items under a key are indented by two spaces)");
    } else if (strstr(ctx, "flow sequence") || strstr(ctx, "flow mapping")) {
        yaml_mark_t c = L->p.context_mark;
        bool seq = strstr(ctx, "sequence") != NULL;
        diag_error(L->d, L->file, (int)c.line + L->line0, (int)c.column + 1,
                   "this %s is not closed; separate its items with commas and end it with '%c' on the same line",
                   seq ? "list in [ ]" : "map in { }", seq ? ']' : '}');
    } else if (strstr(prob, "cannot start any token")) {
        diag_error(L->d, L->file, line, col,
                   "'%c' cannot start a YAML value; put the value in quotes", at ? at : '?');
    } else {
        diag_error(L->d, L->file, line, col, "%s%s%s; check the indentation, colons and quotes on this line", prob,
                   ctx[0] ? " " : "", ctx);
    }
}

static bool next_event(Loader *L, yaml_event_t *e)
{
    if (!yaml_parser_parse(&L->p, e)) {
        parser_error(L);
        return false;
    }
    return true;
}

static void remember(Loader *L, const unsigned char *anchor, Value *v)
{
    if (!anchor)
        return;
    ARENA_GROW(L->a, L->anchors, L->n_anchors, L->n_anchors + 1, L->cap_anchors);
    L->anchors[L->n_anchors].anchor = arena_strdup(L->a, (const char *)anchor);
    L->anchors[L->n_anchors].v = v;
    L->n_anchors++;
}

static bool is_null_word(const char *s)
{
    return !*s || !strcmp(s, "~") || !strcmp(s, "null") || !strcmp(s, "Null") || !strcmp(s, "NULL");
}

/* YAML escapes (\0, \x1b, \uFFFE) can make characters XML 1.0 forbids,
 * which make a feed or calendar not well-formed, and a \0 would silently
 * cut the text: refused here, the one way in for YAML text. */
static bool scalar_clean(Loader *L, const yaml_event_t *e)
{
    const unsigned char *s = e->data.scalar.value;
    size_t n = e->data.scalar.length;
    for (size_t i = 0; i < n; i++) {
        unsigned cp = 0;
        if (s[i] < 0x20 && s[i] != '\t' && s[i] != '\n' && s[i] != '\r')
            cp = s[i];
        else if (s[i] == 0xEF && i + 2 < n && s[i + 1] == 0xBF && (s[i + 2] == 0xBE || s[i + 2] == 0xBF))
            cp = s[i + 2] == 0xBE ? 0xFFFE : 0xFFFF;
        else
            continue;
        diag_error(L->d, L->file, (int)e->start_mark.line + L->line0, (int)e->start_mark.column + 1,
                   "this value contains the character U+%04X (written as an escape such as \\x%02X or \\u%04X), "
                   "which web pages, feeds and calendars cannot hold; remove it",
                   cp, cp & 0xFF, cp);
        return false;
    }
    return true;
}

static Value *scalar(Loader *L, yaml_event_t *e)
{
    if (!scalar_clean(L, e))
        return NULL;
    const char *s = (const char *)e->data.scalar.value;
    size_t n = e->data.scalar.length;
    Value *v;
    bool plain = e->data.scalar.style == YAML_PLAIN_SCALAR_STYLE;
    if (plain && is_null_word(s)) {
        v = value_null(L->a);
    } else if (plain && (!strcmp(s, "true") || !strcmp(s, "True") || !strcmp(s, "TRUE"))) {
        v = value_bool(L->a, true);
    } else if (plain && (!strcmp(s, "false") || !strcmp(s, "False") || !strcmp(s, "FALSE"))) {
        v = value_bool(L->a, false);
    } else {
        v = NULL;
        if (plain && n > 0 && strlen(s) == n) {
            char *end;
            errno = 0;
            double d = strtod(s, &end);
            bool numeric = *end == '\0' && errno == 0 && isfinite(d) &&
                           strspn(s, "+-0123456789.eE") == n; /* no hex, inf, nan */
            if (numeric)
                v = value_num(L->a, d);
        }
        if (!v) {
            v = value_strn(L->a, s, n);
            v->quoted = !plain;
        }
    }
    v->raw = arena_strndup(L->a, s, n);
    v->line = (int)e->start_mark.line + L->line0;
    v->col = (int)e->start_mark.column + 1;
    remember(L, e->data.scalar.anchor, v);
    return v;
}

static Value *node(Loader *L, yaml_event_t *e);

static Value *alias(Loader *L, yaml_event_t *e)
{
    for (size_t i = L->n_anchors; i-- > 0;)
        if (!strcmp(L->anchors[i].anchor, (const char *)e->data.alias.anchor)) {
            /* a copy that stands where the alias is written: an error about
             * this value points at the alias, not at the anchor's line
             * (lists and maps share their items with the anchor) */
            Value *v = arena_alloc(L->a, sizeof *v);
            *v = *L->anchors[i].v;
            v->line = (int)e->start_mark.line + L->line0;
            v->col = (int)e->start_mark.column + 1;
            return v;
        }
    loader_error_at(L, e->start_mark, "alias names no anchor defined before it; define '&name' first");
    return NULL;
}

static Value *sequence(Loader *L, yaml_event_t *start)
{
    Value *list = value_list(L->a);
    list->line = (int)start->start_mark.line + L->line0;
    list->col = (int)start->start_mark.column + 1;
    remember(L, start->data.sequence_start.anchor, list);
    for (;;) {
        yaml_event_t e;
        if (!next_event(L, &e))
            return NULL;
        if (e.type == YAML_SEQUENCE_END_EVENT) {
            yaml_event_delete(&e);
            return list;
        }
        Value *item = node(L, &e);
        yaml_event_delete(&e);
        if (!item)
            return NULL;
        value_push(L->a, list, item);
    }
}

/* The keys of one mapping, hashed, so a duplicate is found in O(1) and a
 * map of 100,000 keys loads in linear time (value_index is a scan). */
typedef struct {
    const char **slot;
    size_t cap, n;
} KeySet;

static size_t key_hash(const char *s)
{
    size_t h = 1469598103934665603u;
    for (; *s; s++)
        h = (h ^ (unsigned char)*s) * 1099511628211u;
    return h;
}

/* false when key was there already */
static bool keyset_add(KeySet *ks, const char *key)
{
    if (2 * (ks->n + 1) > ks->cap) {
        size_t nc = ks->cap ? 2 * ks->cap : 16;
        const char **ns = xcalloc(nc, sizeof *ns);
        for (size_t i = 0; i < ks->cap; i++)
            if (ks->slot[i])
                for (size_t j = key_hash(ks->slot[i]) & (nc - 1);; j = (j + 1) & (nc - 1))
                    if (!ns[j]) {
                        ns[j] = ks->slot[i];
                        break;
                    }
        free(ks->slot);
        ks->slot = ns;
        ks->cap = nc;
    }
    for (size_t j = key_hash(key) & (ks->cap - 1);; j = (j + 1) & (ks->cap - 1)) {
        if (!ks->slot[j]) {
            ks->slot[j] = key;
            ks->n++;
            return true;
        }
        if (!strcmp(ks->slot[j], key))
            return false;
    }
}

static Value *mapping_items(Loader *L, Value *map, KeySet *ks);

static Value *mapping(Loader *L, yaml_event_t *start)
{
    Value *map = value_map(L->a);
    map->line = (int)start->start_mark.line + L->line0;
    map->col = (int)start->start_mark.column + 1;
    remember(L, start->data.mapping_start.anchor, map);
    KeySet ks = {0};
    Value *r = mapping_items(L, map, &ks);
    free(ks.slot);
    return r;
}

static Value *mapping_items(Loader *L, Value *map, KeySet *ks)
{
    for (;;) {
        yaml_event_t e;
        if (!next_event(L, &e))
            return NULL;
        if (e.type == YAML_MAPPING_END_EVENT) {
            yaml_event_delete(&e);
            return map;
        }
        if (e.type != YAML_SCALAR_EVENT) {
            loader_error_at(L, e.start_mark, "a key must be a plain word, not a list or a map");
            yaml_event_delete(&e);
            return NULL;
        }
        if (!scalar_clean(L, &e)) {
            yaml_event_delete(&e);
            return NULL;
        }
        const char *key = arena_strndup(L->a, (const char *)e.data.scalar.value, e.data.scalar.length);
        int kl = (int)e.start_mark.line + L->line0, kc = (int)e.start_mark.column + 1;
        if (!keyset_add(ks, key)) {
            diag_error(L->d, L->file, kl, kc, "the key '%s' appears twice in the same map; keep one of them", key);
            yaml_event_delete(&e);
            return NULL;
        }
        yaml_event_delete(&e);
        yaml_event_t ve;
        if (!next_event(L, &ve))
            return NULL;
        Value *v = node(L, &ve);
        yaml_event_delete(&ve);
        if (!v)
            return NULL;
        value_append(L->a, map, key, v);
        size_t i = map->u.map.len - 1;
        map->u.map.key_lines[i] = kl;
        map->u.map.key_cols[i] = kc;
    }
}

static Value *node(Loader *L, yaml_event_t *e)
{
    if (++L->depth > MAX_DEPTH) {
        loader_error_at(L, e->start_mark, "the document nests more than 200 levels deep");
        return NULL;
    }
    Value *v = NULL;
    switch (e->type) {
    case YAML_SCALAR_EVENT: v = scalar(L, e); break;
    case YAML_ALIAS_EVENT: v = alias(L, e); break;
    case YAML_SEQUENCE_START_EVENT: v = sequence(L, e); break;
    case YAML_MAPPING_START_EVENT: v = mapping(L, e); break;
    default: loader_error_at(L, e->start_mark, "unexpected YAML structure"); break;
    }
    L->depth--;
    return v;
}

Value *yaml_parse(Arena *a, const char *text, size_t len, const char *file, int first_line, Diags *d)
{
    Loader L = {.a = a, .file = file, .text = text, .len = len, .line0 = first_line, .d = d};
    if (!yaml_parser_initialize(&L.p)) {
        diag_error(d, file, 0, 0, "cannot start the YAML parser");
        return NULL;
    }
    yaml_parser_set_input_string(&L.p, (const unsigned char *)text, len);
    Value *root = NULL;
    bool ok = true, seen_doc = false;
    for (;;) {
        yaml_event_t e;
        if (!next_event(&L, &e)) {
            ok = false;
            break;
        }
        yaml_event_type_t t = e.type;
        if (t == YAML_STREAM_END_EVENT) {
            yaml_event_delete(&e);
            break;
        }
        if (t == YAML_DOCUMENT_START_EVENT) {
            if (seen_doc) {
                loader_error_at(&L, e.start_mark, "only one YAML document is allowed here; remove the extra '---'");
                yaml_event_delete(&e);
                ok = false;
                break;
            }
            seen_doc = true;
        } else if (t != YAML_STREAM_START_EVENT && t != YAML_DOCUMENT_END_EVENT) {
            root = node(&L, &e);
            if (!root)
                ok = false;
        }
        yaml_event_delete(&e);
        if (!ok)
            break;
    }
    yaml_parser_delete(&L.p);
    if (!ok)
        return NULL;
    if (!root || root->kind == V_NULL) {
        root = value_map(a);
        root->line = first_line;
        root->col = 1;
    }
    return root;
}

Value *yaml_load_file(Arena *a, const char *path, Diags *d)
{
    size_t len;
    struct stat st;
    char *data = read_text_input_stat(path, &len, &st);
    if (!data) {
        input_read_error(d, path, &st);
        return NULL;
    }
    if (!encoding_check_utf8(path, data, len, d)) {
        free(data);
        return NULL;
    }
    const char *s = data;
    if (len >= 3 && !memcmp(s, "\xEF\xBB\xBF", 3)) {
        s += 3;
        len -= 3;
    }
    /* every YAML file (locales, glossaries, lobgen.yaml) is read as NFC,
     * as content is: a decomposed "é" must match a composed one */
    size_t nlen;
    char *nfc = encoding_nfc(s, len, &nlen);
    Value *v = nfc ? yaml_parse(a, nfc, nlen, path, 1, d) : yaml_parse(a, s, len, path, 1, d);
    free(nfc);
    free(data);
    return v;
}
