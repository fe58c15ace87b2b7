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

#endif
