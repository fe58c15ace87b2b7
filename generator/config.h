/* lobgen.yaml: the project's configuration. */
#ifndef LOBGEN_CONFIG_H
#define LOBGEN_CONFIG_H

#include "buf.h"
#include "diag.h"
#include "value.h"

#include <stdbool.h>
#include <stddef.h>

typedef struct {
    const char *tag;      /* BCP 47, e.g. "nl", "ar-MA" */
    const char *encoding; /* default legacy encoding of its content files, or NULL */
} LangConfig;

#define FEED_ENTRIES_DEFAULT 50   /* a feed is a list of news: readers show the latest few */
#define FEED_ENTRIES_MAX 1000000
/* a home page is read on a phone: a few materials per year, the rest on the year's page */
#define HOME_CARDS_DEFAULT 6
#define HOME_CARDS_MAX 1000000

typedef struct {
    const char *file;     /* path of lobgen.yaml as given, for messages */
    const char *title;    /* site title (required) */
    const char *school;   /* school name (required) */
    const char *base_url; /* absolute http(s) URL, stored without trailing '/' */
    LangConfig *langs;    /* langs[0] is the source language */
    size_t n_langs;
    const char *output;   /* output directory from the file, or NULL */
    bool print_duplex;    /* print.duplex: packs are printed on both sides, each handout on a right-hand page */
    size_t feed_entries;  /* feed.entries: how many of the newest materials each feed lists */
    size_t home_cards;    /* home.cards: materials per leerjaar on the home pages (home.h); 0: all */
    bool *speech;         /* [n_langs] synthetic speech asked for (audio:, see audio.h) */
    const char *audio_cache; /* folder for made speech, relative to the project */
} Config;

/* Read ROOT/lobgen.yaml. Keys: title, school, base_url, languages (list of
 * tags, or of maps {tag, encoding}), output, print ({duplex: bool}),
 * feed ({entries: 1..FEED_ENTRIES_MAX}), home ({cards: 0..HOME_CARDS_MAX}),
 * audio (audio.h). Returns false after errors. */
bool config_load(Arena *a, const char *root, Config *out, Diags *d);
/* Index of tag in langs, or -1. */
int config_lang_index(const Config *c, const char *tag);
/* The error for a tag given where a translation language is needed (new
 * translation, translate export/update --lang) that is the source
 * language or not configured: what to do instead, at cfg->file. */
void config_not_a_translation_language(Diags *d, const Config *cfg, const char *tag);
/* The tag with the usual casing of its parts (EN -> en, ar-ma -> ar-MA,
 * ar_MA -> ar-MA), arena-owned, or NULL when recasing does not make it a
 * tag config_valid_tag takes. */
char *config_recased_tag(Arena *a, const char *tag);
/* True when tag is a well-formed BCP 47 tag of the kind lobgen accepts
 * (language[-Script][-REGION], e.g. nl, ar-MA, sr-Latn). */
bool config_valid_tag(const char *tag);

#endif
