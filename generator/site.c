#include "site.h"

#include "segment.h"
#include "text.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

void site_fingerprint(const char *title, const char *body, char out[17])
{
    /* FNV-1a over a normalised text: trailing blanks of each line (a CR
     * of CRLF among them) and trailing empty lines do not count, so
     * re-saving a file does not make its translations stale. */
    uint64_t h = FNV1A_INIT;
#define MIX(c) (h = fnv1a_byte(h, (unsigned char)(c)))
    for (const char *p = title; *p; p++)
        MIX(*p);
    MIX('\n');
    const char *p = body;
    while (*p == '\n')
        p++;
    size_t pending_nl = 0;
    while (*p) {
        const char *e = strchr(p, '\n');
        size_t n = e ? (size_t)(e - p) : strlen(p);
        size_t m = n;
        while (m > 0 && (p[m - 1] == ' ' || p[m - 1] == '\t' || p[m - 1] == '\r'))
            m--;
        if (m > 0) {
            for (; pending_nl; pending_nl--)
                MIX('\n');
            for (size_t i = 0; i < m; i++)
                MIX(p[i]);
        }
        pending_nl++;
        if (!e)
            break;
        p = e + 1;
    }
#undef MIX
    snprintf(out, 17, "%016llx", (unsigned long long)h);
}

static int item_cmp_key(const Item *a, const Item *b)
{
    if (a->kind != b->kind)
        return a->kind < b->kind ? -1 : 1;
    return strcmp(a->slug, b->slug);
}

static int first_leerjaar(const Item *it) { return it->source->n_leerjaar ? it->source->leerjaar[0] : 0; }

/* The year's order: leerjaar, week (materials without a week last), kind
 * (an assignment before the talk before the evening), slug. */
static int item_cmp_line(const void *pa, const void *pb)
{
    const Item *a = *(Item *const *)pa, *b = *(Item *const *)pb;
    int la = first_leerjaar(a), lb = first_leerjaar(b);
    if (la != lb)
        return la < lb ? -1 : 1;
    int wa = a->source->week ? a->source->week : 99, wb = b->source->week ? b->source->week : 99;
    if (wa != wb)
        return wa < wb ? -1 : 1;
    return item_cmp_key(a, b);
}

/* Within one leerjaar: week (none last), kind, slug. A material of several
 * leerjaren sorts by its week there, not by its first leerjaar. */
static int item_cmp_week(const void *pa, const void *pb)
{
    const Item *a = *(Item *const *)pa, *b = *(Item *const *)pb;
    int wa = a->source->week ? a->source->week : 99, wb = b->source->week ? b->source->week : 99;
    if (wa != wb)
        return wa < wb ? -1 : 1;
    return item_cmp_key(a, b);
}

static int item_cmp_sorted(const void *pa, const void *pb)
{
    return item_cmp_key(*(Item *const *)pa, *(Item *const *)pb);
}

static Item *find_in(Item **arr, size_t n, Kind kind, const char *slug);

Item *site_find(const Site *s, Kind kind, const char *slug)
{
    return s->by_key ? find_in(s->by_key, s->n_items, kind, slug) : NULL;
}

static Item *find_in(Item **arr, size_t n, Kind kind, const char *slug)
{
    size_t lo = 0, hi = n;
    Item key = {.kind = kind, .slug = slug};
    while (lo < hi) {
        size_t mid = (lo + hi) / 2;
        int c = item_cmp_key(arr[mid], &key);
        if (c == 0)
            return arr[mid];
        if (c < 0)
            lo = mid + 1;
        else
            hi = mid;
    }
    return NULL;
}

/* Links are pushed without a search (N materials preparing one would make
 * that search quadratic) and made unique afterwards by dedup_items. */
static void push_item(Arena *a, Item ***arr, size_t *n, size_t *cap, Item *it)
{
    ARENA_GROW(a, *arr, *n, *n + 1, *cap);
    (*arr)[(*n)++] = it;
}

/* Drop repeated items from arr, keeping first occurrences in order, in
 * O(n): seen[order] == tag marks an item already kept (orders are the
 * items' indexes, tag is unique per list). */
static void dedup_items(Item **arr, size_t *n, size_t *seen, size_t tag)
{
    size_t w = 0;
    for (size_t i = 0; i < *n; i++) {
        size_t o = (size_t)arr[i]->order;
        if (seen[o] == tag)
            continue;
        seen[o] = tag;
        arr[w++] = arr[i];
    }
    *n = w;
}

/* Where an item stands in the year, in words for a message. */
static const char *place(Arena *a, const Item *it)
{
    if (it->source->week)
        return arena_printf(a, "leerjaar %d, week %d", first_leerjaar(it), it->source->week);
    return arena_printf(a, "leerjaar %d, without a week, so at the end of the year", first_leerjaar(it));
}

/* A year's position used to compare "earlier/later": leerjaar then week. */
static int when(const Item *it) { return first_leerjaar(it) * 100 + (it->source->week ? it->source->week : 99); }

/* Depth-first search over prepares-links; a link back to an item still on
 * the path closes a cycle. Colours: 0 new, 1 on the path, 2 done. With an
 * explicit stack (item, next link), so a line of 100,000 links cannot
 * overflow the C stack. */
typedef struct {
    Item *it;
    size_t k;
} Frame;

static void find_cycles(Frame *stack, Item *start, unsigned char *colour, Diags *d)
{
    size_t top = 0;
    stack[top++] = (Frame){start, 0};
    colour[start->order] = 1;
    while (top) {
        Frame *f = &stack[top - 1];
        if (f->k == f->it->n_prepares) {
            colour[f->it->order] = 2;
            top--;
            continue;
        }
        Item *t = f->it->prepares[f->k++];
        if (colour[t->order] == 1)
            diag_warn(d, f->it->source->src->abs, 1, 1,
                      "the year's line has a cycle: %s prepares %s, which leads back to it; remove one of the links",
                      f->it->key, t->key);
        else if (colour[t->order] == 0) {
            colour[t->order] = 1;
            stack[top++] = (Frame){t, 0}; /* each item is on the path at most once: top <= n_pub */
        }
    }
}

bool site_field_is_source(const Material *m, const Material *src, SiteField f)
{
    const char *mine = f == SITE_TITLE ? m->title : m->summary;
    const char *theirs = f == SITE_TITLE ? src->title : src->summary;
    if (!mine || !theirs || strcmp(mine, theirs))
        return false;
    /* a PO file's entry without a translation shows the source's text,
     * whatever its length; a Markdown file's short one may be a name */
    return m->src->is_po || segment_words(mine) >= SEG_MIN_WORDS;
}

/* Whether every unit of Markdown translation m is still the text of src
 * (bits: a bit per source hash); counts them in m->n_source_text and warns
 * about a title or summary left in Dutch when only some are. */
static bool markdown_all_source(Material *m, const Material *src, unsigned long long bits, Diags *d)
{
    int same = 0;
    for (size_t k = 0; k < m->n_units; k++)
        same += (bits >> (m->unit_hash[k] & 63) & 1) && segment_has_text(src->unit_hash, src->n_units, m->unit_hash[k]);
    m->n_source_text = same;
    /* the units' own warnings need their place in the body, which the
     * load left on disk: build.c, source_text_report */
    if (same && (size_t)same == m->n_units)
        return true;
    if (m->draft)
        return false; /* shown with --drafts: work in progress, not to be warned about */
    const char *what[2] = {"title", "summary"};
    const int line[2] = {m->title_line, m->summary_line}, col[2] = {m->title_col, m->summary_col};
    for (int f = 0; f < 2; f++)
        if (site_field_is_source(m, src, f == 0 ? SITE_TITLE : SITE_SUMMARY))
            diag_warn(d, m->src->abs, line[f], col[f], "the %s is still the Dutch %s of %s; translate it", what[f],
                      what[f], src->src->path);
    return false;
}

/* A translator who removes draft: true before translating publishes the
 * Dutch text as the other language: the page, the menu and the status
 * would say it is translated, a screen reader would read Dutch with the
 * other language's rules. So each unit with text to translate
 * (segment_text_units) that is a unit of the source word for word, as a
 * reader sees it, is counted here, reported where it stands (build.c,
 * which reads the body for its place) and marked as Dutch on the page
 * (render.c, segment_mark_source); one with fewer words (a name, a number,
 * a link) may rightly stay the same (gettext does not flag an msgstr equal
 * to its msgid either). A file that translated none of its units is what
 * a missing translation is: the Dutch page with its notice; so is a PO
 * file with no unit translated. */
static void source_text_check(Arena *a, const Config *cfg, Item *it, Diags *d)
{
    const Material *src = it->source;
    /* a bit per source hash: most units of a translation (translated) are
     * told apart by it alone, on every build, for every translation */
    unsigned long long bits = 0;
    for (size_t k = 0; k < src->n_units; k++)
        bits |= 1ULL << (src->unit_hash[k] & 63);
    for (size_t l = 1; l < cfg->n_langs; l++) {
        Material *m = it->by_lang[l];
        if (!m)
            continue;
        /* a PO file that translates none of its units (exported and
         * imported before the translator began) is the same: missing */
        bool all_source = m->src->is_po ? m->po_units > 0 && m->po_translated == 0 : markdown_all_source(m, src, bits, d);
        if (!all_source)
            continue;
        if (m->src->is_po)
            diag_warn(d, m->src->abs, 1, 1,
                      "this PO file translates none of the %d units of %s, so it is not published as a translation: "
                      "readers get the Dutch page with the notice that there is no translation yet; translate it in "
                      "a PO editor such as Poedit",
                      m->po_units, src->src->path);
        if (!it->untranslated)
            it->untranslated = arena_alloc(a, cfg->n_langs * sizeof(Material *));
        it->untranslated[l] = m;
        it->by_lang[l] = NULL;
        it->state[l] = TR_MISSING;
    }
}

bool site_build(Arena *a, const Config *cfg, Material **mats, size_t n, bool drafts, Site *out,
                Diags *d)
{
    size_t errors0 = diags_count(d, DIAG_ERROR);
    memset(out, 0, sizeof *out);
    out->cfg = cfg;
    size_t nl = cfg->n_langs;

    /* 1. the source-language files make the items */
    Item **all = arena_alloc(a, (n + 1) * sizeof(Item *));
    size_t n_all = 0;
    for (size_t i = 0; i < n; i++) {
        Material *m = mats[i];
        if (m->src->lang_index != 0)
            continue;
        if (m->is_translation)
            diag_error(d, m->src->abs, m->tr_source_line ? m->tr_source_line : 1, m->tr_source_col ? m->tr_source_col : 1,
                       "a file in the source language (%s) is not a translation; remove its translation: key",
                       cfg->langs[0].tag);
        Item *it = arena_alloc(a, sizeof(Item));
        it->kind = m->src->kind;
        it->slug = m->src->slug;
        it->key = arena_printf(a, "%s/%s", kind_names[it->kind], it->slug);
        it->source = m;
        it->by_lang = arena_alloc(a, nl * sizeof(Material *));
        it->state = arena_alloc(a, nl * sizeof(TrState));
        it->by_lang[0] = m;
        memcpy(it->fingerprint, m->fingerprint, sizeof it->fingerprint);
        all[n_all++] = it;
    }
    if (n_all > 1)
        qsort(all, n_all, sizeof(Item *), item_cmp_sorted);

    /* 2. translations join their item */
    for (size_t i = 0; i < n; i++) {
        Material *m = mats[i];
        if (m->src->lang_index == 0)
            continue;
        Item *it = find_in(all, n_all, m->src->kind, m->src->slug);
        if (!it) {
            diag_error(d, m->src->abs, 1, 1,
                       "this translation has no %s original; add content/%s/%s.%s.md or rename this file to the slug of its original",
                       cfg->langs[0].tag, kind_names[m->src->kind], m->src->slug, cfg->langs[0].tag);
            continue;
        }
        it->by_lang[m->src->lang_index] = m;
    }

    /* 3. drafts out, states in */
    Item **pub = arena_alloc(a, (n_all + 1) * sizeof(Item *));
    size_t n_pub = 0;
    for (size_t i = 0; i < n_all; i++) {
        Item *it = all[i];
        if (it->source->draft && !drafts)
            continue;
        it->state[0] = TR_SOURCE;
        for (size_t l = 1; l < nl; l++) {
            Material *m = it->by_lang[l];
            if (m && m->draft && !drafts) {
                if (!it->drafts)
                    it->drafts = arena_alloc(a, nl * sizeof(Material *));
                it->drafts[l] = m;
                it->by_lang[l] = m = NULL;
            }
            if (!m)
                it->state[l] = TR_MISSING;
            else if (m->tr_source && !strcmp(m->tr_source, it->fingerprint))
                it->state[l] = TR_CURRENT;
            else
                it->state[l] = TR_STALE;
        }
        pub[n_pub++] = it;
    }
    for (size_t i = 0; i < n_pub; i++)
        source_text_check(a, cfg, pub[i], d);

    /* 4. references, resolved among all items so a draft target can be told apart */
    for (size_t i = 0; i < n_pub; i++)
        pub[i]->order = (int)i; /* for dedup_items; the year's order is set below */
    for (size_t i = 0; i < n_pub; i++) {
        Item *it = pub[i];
        Material *m = it->source;
        for (int dir = 0; dir < 2; dir++) {
            MaterialRef *refs = dir ? m->follows : m->prepares;
            size_t nr = dir ? m->n_follows : m->n_prepares;
            const char *key = dir ? "follows" : "prepares";
            for (size_t r = 0; r < nr; r++) {
                Item *t = find_in(all, n_all, refs[r].kind, refs[r].slug);
                if (!t) {
                    diag_error(d, m->src->abs, refs[r].line, refs[r].col,
                               "%s names %s/%s, which does not exist; check the slug, or add content/%s/%s.%s.md",
                               key, kind_names[refs[r].kind], refs[r].slug, kind_names[refs[r].kind],
                               refs[r].slug, cfg->langs[0].tag);
                    continue;
                }
                if (t == it) {
                    diag_error(d, m->src->abs, refs[r].line, refs[r].col,
                               "%s names this material itself; name another material", key);
                    continue;
                }
                if (t->source->draft && !drafts) {
                    diag_warn(d, m->src->abs, refs[r].line, refs[r].col,
                              "%s names %s, which is a draft; the link is left out until it is published",
                              key, t->key);
                    continue;
                }
                if (dir) {
                    push_item(a, &it->follows, &it->n_follows, &it->cap_follows, t);
                    if (when(t) > when(it))
                        diag_warn(d, m->src->abs, refs[r].line, refs[r].col,
                                  "follows names %s, which comes later in the year (%s); check the weeks or the link",
                                  t->key, place(a, t));
                } else {
                    push_item(a, &it->prepares, &it->n_prepares, &it->cap_prepares, t);
                    /* the same link as "t follows it": it goes back in the year either way */
                    if (when(t) < when(it))
                        diag_warn(d, m->src->abs, refs[r].line, refs[r].col,
                                  "prepares names %s, which comes earlier in the year (%s); check the weeks or the link",
                                  t->key, place(a, t));
                }
            }
        }
    }
    /* the line both ways: "A prepares B" and "B follows A" are one link */
    for (size_t i = 0; i < n_pub; i++) {
        Item *it = pub[i];
        for (size_t k = 0; k < it->n_prepares; k++)
            push_item(a, &it->prepares[k]->follows, &it->prepares[k]->n_follows, &it->prepares[k]->cap_follows, it);
    }
    for (size_t i = 0; i < n_pub; i++) {
        Item *it = pub[i];
        for (size_t k = 0; k < it->n_follows; k++)
            push_item(a, &it->follows[k]->prepares, &it->follows[k]->n_prepares, &it->follows[k]->cap_prepares, it);
    }
    size_t *seen = arena_alloc(a, (n_pub + 1) * sizeof *seen), tag = 0;
    for (size_t i = 0; i < n_pub; i++) {
        Item *it = pub[i];
        dedup_items(it->prepares, &it->n_prepares, seen, ++tag);
        dedup_items(it->follows, &it->n_follows, seen, ++tag);
    }
    for (size_t i = 0; i < n_pub; i++) {
        Item *it = pub[i];
        if (it->n_prepares > 1)
            qsort(it->prepares, it->n_prepares, sizeof(Item *), item_cmp_line);
        if (it->n_follows > 1)
            qsort(it->follows, it->n_follows, sizeof(Item *), item_cmp_line);
        if (it->kind == KIND_THUISOPDRACHT) {
            bool followed = false;
            for (size_t k = 0; k < it->n_prepares; k++)
                followed |= it->prepares[k]->kind != KIND_THUISOPDRACHT;
            it->needs_followup = !followed;
        }
    }

    if (n_pub > 1)
        qsort(pub, n_pub, sizeof(Item *), item_cmp_line);
    for (size_t i = 0; i < n_pub; i++)
        pub[i]->order = (int)i;
    unsigned char *colour = arena_alloc(a, n_pub + 1);
    /* one stack for every search: one each would be quadratic in memory */
    Frame *stack = xmalloc((n_pub + 1) * sizeof *stack);
    for (size_t i = 0; i < n_pub; i++)
        if (!colour[i])
            find_cycles(stack, pub[i], colour, d);
    free(stack);
    out->items = pub;
    out->n_items = n_pub;
    /* by kind and slug too, for site_find: a look-up per recording or PO
     * file must not scan every item */
    out->by_key = arena_alloc(a, (n_pub + 1) * sizeof(Item *));
    memcpy(out->by_key, pub, n_pub * sizeof(Item *));
    if (n_pub > 1)
        qsort(out->by_key, n_pub, sizeof(Item *), item_cmp_sorted);
    return diags_count(d, DIAG_ERROR) == errors0;
}

Item **site_leerjaar(Arena *a, const Site *s, int n, size_t *count)
{
    Item **r = arena_alloc(a, (s->n_items + 1) * sizeof(Item *));
    size_t k = 0;
    for (size_t i = 0; i < s->n_items; i++) {
        const Material *m = s->items[i]->source;
        for (int j = 0; j < m->n_leerjaar; j++)
            if (m->leerjaar[j] == n) {
                r[k++] = s->items[i];
                break;
            }
    }
    if (k > 1)
        qsort(r, k, sizeof(Item *), item_cmp_week);
    *count = k;
    return r;
}
