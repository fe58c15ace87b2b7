#include "inputkey.h"

#include "yearpage.h"

#include <stdlib.h>
#include <string.h>
#include <unicode/uversion.h>

/* A new field in these structs is something pages may show: hash it in
 * hash_material (or say there why not), then change the size here. */
_Static_assert(sizeof(void *) != 8 || sizeof(Material) == 336, "Material changed: hash the new field in hash_material");
/* SourceFile's mtime: what pages show of it is item_lastmod, hashed per language */
_Static_assert(sizeof(void *) != 8 || sizeof(SourceFile) == 56, "SourceFile changed: hash the new field in hash_material");
_Static_assert(sizeof(void *) != 8 || sizeof(Date) == 36, "Date changed: hash the new field in hash_date");

static void hash_file(IncrHash *h, const char *path)
{
    size_t len;
    char *bytes = path ? read_file(path, &len) : NULL;
    if (bytes)
        incr_hash_bytes(h, bytes, len);
    else
        incr_hash_str(h, NULL);
    free(bytes);
}

IncrKey input_context_key(const Build *b)
{
    const RenderInput *in = b->in;
    IncrHash *h = incr_hash_new();
    incr_hash_str(h, "lobgen input key 1");
    UVersionInfo icu;
    u_getVersion(icu); /* dates, plurals and digits come from ICU's data */
    incr_hash_bytes(h, icu, sizeof icu);
    incr_hash_str(h, in->root);
    hash_file(h, in->cfg->file);
    incr_hash_int(h, in->epoch);
    incr_hash_int(h, in->lastmod != NULL);
    incr_hash_int(h, in->audio != NULL);
    incr_hash_int(h, (long long)b->nl);
    for (size_t l = 0; l < b->nl; l++) {
        incr_hash_str(h, lang_tag(b, l));
        const char *lf = locale_file(in->locales[l]);
        if (lf) {
            char *path = arena_printf(b->a, "%s/%s", in->root, lf);
            hash_file(h, path);
        } else {
            incr_hash_str(h, NULL);
        }
        const Glossary *g = in->glossary[l];
        incr_hash_int(h, g ? (long long)g->n : -1);
        for (size_t k = 0; g && k < g->n; k++) {
            const GlossaryEntry *e = &g->entries[k];
            incr_hash_str(h, e->term);
            incr_hash_str(h, e->id);
            incr_hash_str(h, e->text);
            incr_hash_int(h, (long long)e->n_also);
            for (size_t q = 0; q < e->n_also; q++)
                incr_hash_str(h, e->also[q]);
        }
    }
    /* which info words are blocks: a new block template turns code into a
     * block (and changes the "did you mean" of a misspelt one) */
    const char *names[256];
    size_t nb = in->tpl ? templates_block_names(in->tpl, names, 256) : 0;
    incr_hash_int(h, (long long)nb);
    for (size_t k = 0; k < nb; k++)
        incr_hash_str(h, names[k]);
    return incr_hash_done(h);
}

static void hash_date(IncrHash *h, const Date *d)
{
    const int v[9] = {d->y, d->m, d->d, d->hour, d->minute, d->second, d->has_time, d->line, d->col};
    incr_hash_bytes(h, v, sizeof v);
}

static void hash_refs(IncrHash *h, const MaterialRef *r, size_t n)
{
    incr_hash_int(h, (long long)n);
    for (size_t k = 0; k < n; k++) {
        const int v[3] = {(int)r[k].kind, r[k].line, r[k].col};
        incr_hash_bytes(h, v, sizeof v);
        incr_hash_str(h, r[k].slug);
    }
}

/* Every field of a material as parsed: what its pages show, and where
 * its messages point. */
static void hash_material(IncrHash *h, const Material *m)
{
    if (!m) {
        incr_hash_str(h, NULL);
        return;
    }
    const SourceFile *sf = m->src;
    incr_hash_str(h, sf->path);
    incr_hash_str(h, sf->abs);
    incr_hash_str(h, sf->slug);
    incr_hash_str(h, sf->lang);
    const int s[3] = {(int)sf->kind, sf->lang_index, sf->is_po};
    incr_hash_bytes(h, s, sizeof s);
    incr_hash_str(h, m->title);
    incr_hash_str(h, m->summary);
    const int v[21] = {m->title_line, m->title_col, m->summary_line, m->summary_col, m->leerjaar[0], m->leerjaar[1],
                       m->leerjaar[2], m->leerjaar[3], m->n_leerjaar, (int)m->niveau, (int)m->competenties, m->week,
                       m->duration, m->draft, m->is_translation, m->tr_source_line, m->tr_source_col,
                       m->tr_reviewed, m->body_line, m->po_units, m->po_translated};
    incr_hash_bytes(h, v, sizeof v);
    const int po[2] = {m->po_fuzzy, m->po_untranslated};
    incr_hash_bytes(h, po, sizeof po);
    hash_date(h, &m->date);
    hash_date(h, &m->deadline);
    hash_refs(h, m->prepares, m->n_prepares);
    hash_refs(h, m->follows, m->n_follows);
    incr_hash_str(h, m->tr_source);
    incr_hash_str(h, m->encoding);
    incr_hash_str(h, m->rec_source);
    /* a build leaves bodies on disk (build.h, material_body) and keeps
     * their hash; PO translations and other commands keep the text */
    if (m->body)
        incr_hash_bytes(h, m->body, m->body_len);
    else
        incr_hash_bytes(h, &m->body_hash, sizeof m->body_hash);
    incr_hash_int(h, (long long)m->body_len);
    /* body_at, fingerprint, text_is_bytes and units follow from the text
     * hashed above; n_source_text from it and the source's, which every
     * key that hashes a translation hashes too (input_item_key) */
}

/* A date as pages show it (date_text, date_iso): not where it was written */
static void hash_shown_date(IncrHash *h, const Date *d)
{
    const int v[7] = {d->y, d->m, d->d, d->hour, d->minute, d->second, d->has_time};
    incr_hash_bytes(h, v, sizeof v);
}

/* What card_sized (pagedata.c) reads, field by field, rather than the card
 * built and hashed: that was a map of 18 values per material and language
 * on every build (7 % of a build with nothing changed at 10,000 x 8). The
 * locale's strings, the language tags and directions, and ICU's formats,
 * which the card also shows, are in the context key that every key holding
 * a card key holds too. tests/unit/test_cardkey.c changes each field the
 * card shows and checks that the card changes exactly when this key does. */
IncrKey input_card_key(const Build *b, Arena *a, size_t item, size_t l)
{
    (void)a;
    const Item *it = b->in->site->items[item];
    const Material *tr = it->by_lang[l];
    const Material *shown = tr ? tr : it->source;
    IncrHash *h = incr_hash_new();
    incr_hash_str(h, "card 3");
    const int v[5] = {(int)l, (int)it->kind, (int)it->state[l], it->needs_followup, it->source->week};
    incr_hash_bytes(h, v, sizeof v);
    incr_hash_str(h, it->slug);
    incr_hash_str(h, shown->title);
    incr_hash_str(h, shown->summary);
    hash_shown_date(h, &it->source->date);
    hash_shown_date(h, &it->source->deadline);
    const int t[5] = {tr ? tr->tr_reviewed : -1, tr ? tr->src->is_po : -1, tr ? tr->po_translated : -1,
                      tr ? tr->po_units : -1, tr ? tr->n_source_text : -1};
    incr_hash_bytes(h, t, sizeof t);
    /* a title or summary left as the source's is marked Dutch: that
     * follows from the source's text too, which may change alone */
    const Material *own = it->state[l] != TR_MISSING && l > 0 ? tr : NULL;
    const int same[2] = {own && site_field_is_source(own, it->source, SITE_TITLE),
                         own && site_field_is_source(own, it->source, SITE_SUMMARY)};
    incr_hash_bytes(h, same, sizeof same);
    return incr_hash_done(h);
}

static void hash_cards(IncrHash *h, const Build *b, const IncrKey *cards, Item **items, size_t n, size_t l)
{
    incr_hash_int(h, (long long)n);
    for (size_t k = 0; k < n; k++)
        incr_hash_key(h, cards[(size_t)items[k]->order * b->nl + l]);
}

IncrKey input_item_key(const Build *b, size_t item, IncrKey context, const IncrKey *cards)
{
    const RenderInput *in = b->in;
    const Item *it = in->site->items[item];
    IncrHash *h = incr_hash_new();
    incr_hash_key(h, context);
    incr_hash_str(h, "material");
    incr_hash_int(h, (long long)it->kind);
    incr_hash_str(h, it->slug);
    incr_hash_str(h, it->key);
    incr_hash_str(h, it->fingerprint);
    incr_hash_int(h, it->needs_followup);
    hash_material(h, it->source);
    for (size_t l = 0; l < b->nl; l++) {
        incr_hash_int(h, (long long)it->state[l]);
        hash_material(h, it->by_lang[l]);
        incr_hash_int(h, item_lastmod(b, item, l));
        const AudioTrack *at = in->audio ? audio_track(in->audio, item, l) : NULL;
        incr_hash_int(h, at ? (long long)at->source : -1);
        if (at) {
            incr_hash_str(h, at->name);
            incr_hash_str(h, at->mime);
            incr_hash_str(h, at->voice);
            incr_hash_str(h, at->recording ? at->recording->path : NULL);
            incr_hash_int(h, at->stale);
            incr_hash_bytes(h, &at->seconds, sizeof at->seconds);
        }
    }
    for (size_t l = 0; l < b->nl; l++) {
        hash_cards(h, b, cards, it->prepares, it->n_prepares, l);
        hash_cards(h, b, cards, it->follows, it->n_follows, l);
    }
    return incr_hash_done(h);
}

IncrKey input_pack_key(const Build *b, int n, size_t part, IncrKey context, const IncrKey *item_keys)
{
    IncrHash *h = incr_hash_new();
    incr_hash_key(h, context);
    incr_hash_str(h, "pack");
    incr_hash_int(h, n);
    incr_hash_int(h, (long long)part);
    size_t count = b->year_n[n], k0, k1;
    incr_hash_int(h, (long long)count);
    pack_part_range(count, part, &k0, &k1);
    for (size_t k = k0; k < k1; k++)
        incr_hash_key(h, item_keys[b->year[n][k]->order]);
    return incr_hash_done(h);
}

const char *input_list_unit(Arena *a, const PageJob *j)
{
    return arena_printf(a, "list/%d/%zu/%d/%zu", (int)j->kind, j->l, j->n, j->part);
}

/* The cards of a year's line as its pages show them: each with the
 * cards of what it follows and prepares. */
static void hash_line(IncrHash *h, const Build *b, const IncrKey *cards, Item *const *items, size_t n, size_t l)
{
    incr_hash_int(h, (long long)n);
    for (size_t k = 0; k < n; k++) {
        const Item *it = items[k];
        incr_hash_key(h, cards[(size_t)it->order * b->nl + l]);
        hash_cards(h, b, cards, it->follows, it->n_follows, l);
        hash_cards(h, b, cards, it->prepares, it->n_prepares, l);
    }
}

IncrKey input_list_key(const Build *b, const PageJob *j, IncrKey context, const IncrKey *cards)
{
    const RenderInput *in = b->in;
    const Site *site = in->site;
    IncrHash *h = incr_hash_new();
    incr_hash_key(h, context);
    incr_hash_str(h, "list");
    const int v[3] = {(int)j->kind, j->n, (int)j->part};
    incr_hash_bytes(h, v, sizeof v);
    incr_hash_int(h, (long long)j->l);
    for (int n = 1; n <= 4; n++) /* the count of each year (home, packs) */
        incr_hash_int(h, (long long)b->year_n[n]);
    switch (j->kind) {
    case PG_HOME:
        /* the materials home_choose chose (home.h), which follow from the
         * dates of the year's materials, home.cards (lobgen.yaml, in the
         * context) and the stamp day: without SOURCE_DATE_EPOCH that day is
         * the content's last change, which the context does not hold */
        incr_hash_int(h, date_key(&b->stamp));
        for (int n = 1; n <= 4; n++)
            hash_line(h, b, cards, b->home[n], b->home_n[n], j->l);
        break;
    case PG_LEERJAAR: { /* its page of the year (yearpage.h); the number of pages follows from year_n */
        size_t k0, k1;
        yearpage_range(b->year_n[j->n], j->part, &k0, &k1);
        hash_line(h, b, cards, b->year[j->n] + k0, k1 - k0, j->l);
        break;
    }
    case PG_PACK:
        hash_line(h, b, cards, b->year[j->n], b->year_n[j->n], j->l);
        break;
    case PG_FEED: {
        incr_hash_str(h, b->stamp_iso);
        size_t n = site->n_items < in->cfg->feed_entries ? site->n_items : in->cfg->feed_entries;
        incr_hash_int(h, (long long)n);
        for (size_t k = 0; k < n; k++) {
            const Item *it = b->feed[k];
            incr_hash_key(h, cards[(size_t)it->order * b->nl + j->l]);
            incr_hash_int(h, item_lastmod(b, (size_t)it->order, j->l));
        }
        break;
    }
    case PG_SITEMAP:
        incr_hash_int(h, (long long)site->n_items);
        for (size_t i = 0; i < site->n_items; i++) {
            const Item *it = site->items[i];
            incr_hash_int(h, (long long)it->kind);
            incr_hash_str(h, it->slug);
            for (size_t l = 0; l < b->nl; l++)
                incr_hash_int(h, (long long)it->state[l]);
        }
        break;
    default: /* the chooser, the 404 page, a glossary: the context alone */
        break;
    }
    return incr_hash_done(h);
}
