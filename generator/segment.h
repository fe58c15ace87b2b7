/* Translation units (gettext "messages") cut from a source-language
 * material's parsed Markdown, and the assembly of a translated body from
 * the source structure and one translation per unit. */
#ifndef LOBGEN_SEGMENT_H
#define LOBGEN_SEGMENT_H

#include "buf.h"

#include <stdbool.h>
#include <stddef.h>

typedef enum { SEG_TITLE, SEG_SUMMARY, SEG_BODY } SegField;

typedef struct {
    SegField field;
    int section;       /* S of the context (0 for title, summary) */
    char type;         /* 'h' heading, 'p' paragraph, 't' title, 's' summary */
    const char *ctxt;  /* msgctxt: "kind/slug title", "kind/slug summary" or
                        * "kind/slug S.N" (unit N of section S; section 0 is
                        * the text before the first ## heading) */
    const char *msgid; /* the unit's Markdown as written (inline Markdown kept),
                        * continuation lines without their container prefix,
                        * joined with '\n'; never empty */
    char hash[17];     /* FNV-1a of msgid, 16 hex digits */
    int line;          /* line in the material's file (body units: body_line based) */
    int col;           /* SEG_BODY: 1-based byte column of cs on that line */
    unsigned long long text_hash; /* SEG_BODY: FNV-1a of the text a reader sees
                        * (text and code spans, markup gone, each run of
                        * blanks and line breaks one space): two units with
                        * the same text have the same hash, however written */
    int words;         /* SEG_BODY: words to translate in that text (segment_words) */
    size_t cs, ce;     /* SEG_BODY: the byte range of body the unit occupies */
    const char *cont;  /* SEG_BODY: what a continuation line starts with
                        * (list indentation, "> " of a quote) */
} Segment;

typedef struct {
    Segment *units;
    size_t n;
} SegList;

/* Cut a material into units: title, summary (may be NULL), then the body's
 * headings, paragraphs (in lists, quotes) and the paragraphs, items and
 * headings inside fenced blocks that have an info word (block templates:
 * antwoord, tip, programma ...; a fence without info is code and is not
 * translated). key is "kind/slug"; body_line is the file line of body[0].
 * All strings are arena-owned. Never fails. */
void segment_material(Arena *a, const char *key, const char *title, const char *summary,
                      const char *body, size_t len, int body_line, SegList *out);

/* The words of s worth translating: blank-separated tokens with at least
 * two letters (an ASCII letter or any non-ASCII character counts as one),
 * leaving out what reads the same in any language: numbers, URLs
 * ("://", "www."), e-mail addresses ("@"), and names: a word with an
 * ASCII capital, but for the first (Mevrouw Jansen van Dijk: two words). */
int segment_words(const char *s);

/* The two code points that wrap a unit shown in the source language
 * (U+FDD0, U+FDD1: Unicode noncharacters, reserved for internal use);
 * markdown_render turns them into a lang-marked span with a notice.
 * Each is followed/preceded by one space in the text so that emphasis
 * delimiters next to them keep their meaning. */
#define SEG_OPEN "\xEF\xB7\x90 "
#define SEG_CLOSE " \xEF\xB7\x91"

/* The body with every SEG_BODY unit i replaced by tr[i] (its continuation
 * lines given list.units[i].cont), or, where tr[i] is NULL, kept in the
 * source language between SEG_OPEN and SEG_CLOSE. tr has list->n entries
 * (entries of title/summary units are ignored). Appends to out. */
void segment_assemble(const char *body, size_t len, const SegList *list, const char *const *tr, Buf *out);

/* A body unit with text to translate, as a material keeps it to find
 * what a translation left in the source language (site.c). */
#define SEG_MIN_WORDS 4 /* fewer: a name, a date, a short label may well be
                         * the same in both languages */
typedef struct {
    unsigned long long hash; /* Segment.text_hash */
    int line, col;           /* where it starts in the file */
    unsigned cs, ce;         /* its byte range in the body (a body of 4 GiB or
                              * more has none: the units stay small, as a
                              * build keeps every file's) */
} TextUnit;

/* The body units (segment_material's SEG_BODY units) with at least
 * SEG_MIN_WORDS words, in body order, into *out (arena-owned; NULL when
 * none) and *n. body_line is the file line of body[0]. Never fails. */
void segment_text_units(Arena *a, const char *body, size_t len, int body_line, TextUnit **out, size_t *n);

/* The hashes of segment_text_units' units alone, in body order, into
 * *out (in a; NULL when none) and *n: what a build keeps of every file (8
 * bytes a unit), the positions being needed only where a translation left
 * text in the source language. Never fails. */
void segment_text_hashes(Arena *a, const char *body, size_t len, unsigned long long **out, size_t *n);

/* Whether hash h is in hs[0..n) (n is small: a file's units). */
bool segment_has_text(const unsigned long long *hs, size_t n, unsigned long long h);

/* Append body to out with each unit of u[0..n) whose text is one of the
 * source's, src[0..n_src) (segment_text_hashes), between SEG_OPEN and
 * SEG_CLOSE (shown as source-language text, as segment_assemble shows an
 * untranslated unit), the rest as it is. u is in body order, as
 * segment_text_units gives it. Returns how many units were marked. */
size_t segment_mark_source(const char *body, size_t len, const TextUnit *u, size_t n,
                           const unsigned long long *src, size_t n_src, Buf *out);

#endif
