/* The front matter of a material: split from the body, parsed with libyaml
 * and validated against the content model of PRODUCT.md. */
#ifndef LOBGEN_FRONTMATTER_H
#define LOBGEN_FRONTMATTER_H

#include "buf.h"
#include "date.h"
#include "diag.h"
#include "scan.h"
#include "segment.h"

#include <stdbool.h>

enum { NIVEAU_BB = 1, NIVEAU_KB = 2, NIVEAU_GL = 4, NIVEAU_TL = 8, NIVEAU_ALL = 15 };
#define N_NIVEAUS 4
extern const char *const niveau_names[N_NIVEAUS]; /* "bb","kb","gl","tl" */

#define N_COMPETENTIES 6
/* kwaliteitenreflectie, motievenreflectie, werkexploratie, loopbaansturing,
 * netwerken, verwachtingen (the sixth: expectations, barriers, stereotypes) */
extern const char *const competentie_names[N_COMPETENTIES];

typedef struct {
    Kind kind;
    const char *slug;
    int line, col;
} MaterialRef;

typedef struct {
    const SourceFile *src;
    const char *title;
    int title_line, title_col;
    const char *summary; /* NULL if absent */
    int summary_line, summary_col;
    int leerjaar[4];     /* sorted, unique, 1..4 */
    int n_leerjaar;
    unsigned niveau;       /* NIVEAU_* bits; NIVEAU_ALL when absent */
    unsigned competenties; /* bit i = competentie_names[i] */
    int week;              /* 1..52, 0 when absent */
    int duration;          /* minutes, 0 when absent */
    Date date, deadline;
    MaterialRef *prepares, *follows;
    size_t n_prepares, n_follows;
    bool draft;
    bool is_translation;     /* has a translation: map */
    const char *tr_source;   /* translation.source, or NULL */
    int tr_source_line, tr_source_col;
    bool tr_reviewed;        /* translation.reviewed (default false for translations) */
    const char *encoding;    /* the encoding: key, or NULL */
    const char *rec_source;  /* recording.source: fingerprint of this text when its recording was made, or NULL */
    const char *body;        /* Markdown after the closing ---, NUL-terminated; NULL when
                              * project_load left it on disk (LoadOptions.bodies_on_demand):
                              * material_body (build.h) reads it again */
    size_t body_len;
    int body_line;           /* file line where the body starts */
    size_t body_at;          /* offset of the body in the decoded text */
    unsigned long long body_hash; /* XXH3-64 of the body's body_len bytes, to know a re-read is the same text */
    char fingerprint[17];    /* site_fingerprint of title (or "") and body (site.h): of every source-language
                              * file, and of a translation only when the project has recordings (the one use
                              * of a translation's, audio.h); "" otherwise (frontmatter_parse, build.c) */
    bool text_is_bytes;      /* the decoded text is the file's bytes as they are */
    /* the hashes of the body's units with text to translate
     * (segment_text_hashes): of a Markdown file, filled by the load
     * (build.c, not frontmatter_parse) and kept in the parse cache.
     * site_build counts a translation's units that are its source's text
     * (n_source_text) */
    unsigned long long *unit_hash;
    size_t n_units;
    int n_source_text;
    /* a PO translation (src->is_po), assembled by translate.c: its units */
    int po_units, po_translated, po_fuzzy, po_untranslated;
} Material;

/* Parse decoded text (UTF-8, LF). All problems are added as errors with the
 * file, line and column of the offending value; unknown keys get a "did you
 * mean" when a known key is close. References (prepares/follows) are only
 * checked for form here; the site model checks that they exist.
 * out's strings are copied into a, except body, which points into text;
 * body_at and body_hash are filled too, and the fingerprint of a file in
 * the source language (src NULL or lang_index 0; with an empty title when
 * there is none); a translation's is left "" for the caller to compute
 * where it is needed (site_fingerprint, one multiply per byte of the body,
 * was a fifth of the parse). The YAML tree lives only during the call.
 * Returns false if any error was added. */
bool frontmatter_parse(Arena *a, const SourceFile *src, const char *text, size_t len,
                       Material *out, Diags *d);

/* Where the front matter's YAML lies in text (after the opening ---, up to
 * the closing ---), for tools that rewrite a key in place. */
bool frontmatter_span(const char *text, size_t len, size_t *start, size_t *end);

#endif
