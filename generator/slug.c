#include "slug.h"

#include "text.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <unicode/uchar.h>
#include <unicode/ustring.h>
#include <unicode/utf16.h>
#include <unicode/utf8.h>

static SlugSlot *id_find(SlugSet *sh, const char *key)
{
    size_t mask = sh->cap - 1;
    for (size_t i = fnv1a_str(FNV1A_INIT, key) & mask;; i = (i + 1) & mask) {
        if (!sh->slots[i].key || !strcmp(sh->slots[i].key, key))
            return &sh->slots[i];
    }
}

static void id_insert(SlugSet *sh, const char *key)
{
    if ((sh->len + 1) * 2 > sh->cap) {
        SlugSlot *old = sh->slots;
        size_t old_cap = sh->cap;
        sh->cap = old_cap ? old_cap * 2 : 64;
        sh->slots = xcalloc(sh->cap, sizeof(SlugSlot));
        for (size_t i = 0; i < old_cap; i++)
            if (old[i].key)
                *id_find(sh, old[i].key) = old[i];
        free(old);
    }
    SlugSlot *s = id_find(sh, key);
    if (!s->key) {
        s->key = key;
        s->next_suffix = 2;
        sh->len++;
    }
}

const char *slugset_unique(SlugSet *sh, const char *base)
{
    if (sh->cap) {
        SlugSlot *s = id_find(sh, base);
        if (s->key) {
            /* the base remembers where to continue, so n equal headings stay linear */
            for (int k = s->next_suffix;; k++) {
                char num[21];
                dec_format(num, k);
                char *cand = arena_cat(sh->a, base, "-", num, (char *)NULL);
                SlugSlot *c = id_find(sh, cand);
                if (!c->key) {
                    id_find(sh, base)->next_suffix = k + 1;
                    id_insert(sh, cand);
                    return cand;
                }
            }
        }
    }
    id_insert(sh, base);
    return base;
}

char *slug_from_text(Arena *a, const char *text)
{
    int32_t n8 = (int32_t)strlen(text);
    int32_t cap = n8 + 1, n16 = 0;
    UChar *src = xmalloc((size_t)cap * sizeof(UChar));
    UErrorCode e = U_ZERO_ERROR;
    u_strFromUTF8WithSub(src, cap, &n16, text, n8, 0xFFFD, NULL, &e);
    if (U_FAILURE(e))
        n16 = 0;

    int32_t lcap = n16 * 3 + 1, nl = 0;
    UChar *low = xmalloc((size_t)lcap * sizeof(UChar));
    e = U_ZERO_ERROR;
    nl = u_strToLower(low, lcap, src, n16, "", &e); /* root locale: no Turkish/Lithuanian rules */
    if (U_FAILURE(e))
        nl = 0;

    Buf b = BUF_INIT;
    bool pending_dash = false, in_word = false;
    for (int32_t i = 0; i < nl;) {
        UChar32 c;
        U16_NEXT(low, i, nl, c);
        bool keep = u_isalnum(c) || (in_word && text_is_word_cp(c));
        if (!keep) {
            pending_dash = b.len > 0;
            in_word = false;
            continue;
        }
        if (pending_dash)
            buf_putc(&b, '-');
        pending_dash = false;
        in_word = true;
        char u8[U8_MAX_LENGTH];
        int32_t k = 0;
        U8_APPEND_UNSAFE(u8, k, c);
        buf_append(&b, u8, (size_t)k);
    }
    free(src);
    free(low);
    char *r = b.len ? arena_strndup(a, b.data, b.len) : arena_strdup(a, "sectie");
    buf_free(&b);
    return r;
}

void slugset_take(SlugSet *s, const char *id) { id_insert(s, id); }

bool slugset_has(SlugSet *s, const char *id) { return s->cap && id_find(s, id)->key; }

void slugset_free(SlugSet *s)
{
    free(s->slots);
    s->slots = NULL;
    s->cap = s->len = 0;
}

const char *const slug_layout_ids[] = {"inhoud"};
const size_t slug_n_layout_ids = sizeof slug_layout_ids / sizeof slug_layout_ids[0];

void slugset_take_layout(SlugSet *s)
{
    for (size_t i = 0; i < slug_n_layout_ids; i++)
        slugset_take(s, slug_layout_ids[i]);
}
