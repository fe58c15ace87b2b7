/* Languages: locales/<lang>.yaml (native name, direction, interface
 * strings with CLDR plural categories), plural choice, dates and numbers
 * written the reader's way (ICU). */
#ifndef LOBGEN_LOCALE_H
#define LOBGEN_LOCALE_H

#include "buf.h"
#include "diag.h"
#include "frontmatter.h"

#include <stdbool.h>

typedef struct Locale Locale;

/* Load locales/<tag>.yaml. Unknown top-level keys, a bad direction, a
 * plural map with a category the language does not use, or a string that
 * is not a string are errors with file:line:col. Without locales/<tag>.yaml
 * the base language's file is used (ar.yaml for ar-MA); without either it
 * is an error naming 'lobgen new language'. */
Locale *locale_load(Arena *a, const char *root, const char *tag, Diags *d);
/* Close the ICU objects (plural rules, cached number and date formats) a
 * loaded locale holds outside its arena; call before freeing the arena. */
void locale_free(Locale *l);

const char *locale_tag(const Locale *l);
const char *locale_file(const Locale *l);       /* "locales/<tag>.yaml" or NULL */
const char *locale_native_name(const Locale *l); /* "Türkçe", "العربية" */
bool locale_is_rtl(const Locale *l);
bool locale_reviewed(const Locale *l);          /* false when the file says reviewed: false */

/* The string for key; falls back to fb (the source language) when l has
 * none; NULL when neither has it. For a plural key, its "other" form. */
const char *locale_string(const Locale *l, const Locale *fb, const char *key);
/* A plural string for count n: the CLDR category chosen by ICU for l's
 * language, then "other"; "{n}" replaced by n in the locale's digits. */
void locale_plural(const Locale *l, const Locale *fb, const char *key, long n, Buf *out);
/* CLDR plural category name ("zero".."other") for n in this language. */
const char *locale_plural_category(const Locale *l, long n);
/* Every key l has, sorted; count in *n. */
const char **locale_keys(Arena *a, const Locale *l, size_t *n);
/* Keys the source locale has and l lacks, sorted; count in *n. */
const char **locale_missing_keys(Arena *a, const Locale *l, const Locale *source, size_t *n);

typedef enum { DATE_LONG, DATE_SHORT } DateStyle;
/* A date in the reader's way ("12 maart 2026", "12 Mart 2026", Arabic
 * month names and digits as the locale writes them); time appended when set. */
void locale_format_date(const Locale *l, const Date *dt, DateStyle style, Buf *out);
/* An integer in the locale's digits. */
void locale_format_int(const Locale *l, long n, Buf *out);

/* Replace {name} placeholders in s with the given values (pairs of
 * name, value; NULL-terminated). Unknown placeholders stay as written. */
void locale_fill(Buf *out, const char *s, ...);

#endif
