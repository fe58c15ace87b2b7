/* Diagnostics: errors and warnings travel as values with their source
 * position and are printed in one place (diags_print), sorted by file and
 * position, in the form  file:line:col: error: message. */
#ifndef LOBGEN_DIAG_H
#define LOBGEN_DIAG_H

#include <stdarg.h>
#include <stdio.h>
#include <stddef.h>

typedef enum { DIAG_ERROR, DIAG_WARNING } DiagLevel;

typedef struct {
    DiagLevel level;
    char *file; /* may be NULL for errors without a file */
    int line;   /* 1-based; 0 when unknown */
    int col;    /* 1-based; 0 when unknown */
    char *msg;  /* "what, and how to fix it" */
} Diag;

typedef struct {
    Diag *items;
    size_t len, cap;
} Diags;

#define DIAGS_INIT {NULL, 0, 0}

void diag_add(Diags *d, DiagLevel level, const char *file, int line, int col,
              const char *fmt, ...) __attribute__((format(printf, 6, 7)));
void diag_vadd(Diags *d, DiagLevel level, const char *file, int line, int col, const char *fmt,
               va_list ap);
#define diag_error(d, file, line, col, ...) diag_add((d), DIAG_ERROR, (file), (line), (col), __VA_ARGS__)
#define diag_warn(d, file, line, col, ...) diag_add((d), DIAG_WARNING, (file), (line), (col), __VA_ARGS__)

/* For "did you mean": the name closest to word within max_dist edits (a
 * swap of two letters is one edit), first on a tie; NULL if none. */
const char *diag_closest(const char *word, const char *const *names, size_t n, int max_dist);

size_t diags_count(const Diags *d, DiagLevel level);
/* Move all of src into dst (src is left empty). */
void diags_merge(Diags *dst, Diags *src);
/* Stable sort by file, line, col; drops exact duplicates. */
void diags_sort(Diags *d);
/* Print one per line: "file:line:col: error: msg". */
void diags_print(const Diags *d, FILE *out);
/* Format one diagnostic the same way, without newline, into a malloc'd string. */
char *diag_format(const Diag *g);
void diags_free(Diags *d);

#endif
