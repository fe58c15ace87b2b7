/* gettext PO files through libgettextpo (Debian's gettext): read into
 * arena-owned entries, write from them. libgettextpo's own messages come
 * back as file:line diagnostics. */
#ifndef LOBGEN_PO_H
#define LOBGEN_PO_H

#include "buf.h"
#include "diag.h"

#include <stdbool.h>
#include <stddef.h>

typedef struct {
    const char *ctxt;         /* msgctxt, or NULL */
    const char *msgid;
    const char *msgid_plural; /* or NULL */
    const char *msgstr;       /* msgstr, or msgstr[0] of a plural entry */
    int n_plural;             /* msgstr[i] count of a plural entry, else 0 */
    const char *prev_msgid;   /* "#| msgid", or NULL */
    const char *comments;     /* translator comments ("# "), or NULL */
    const char *extracted;    /* "#." comments, or NULL */
    const char *ref;          /* the "#:" reference "file:line", or NULL */
    bool fuzzy, obsolete;
    int line;                 /* line of its msgid in the file (0 when written here) */
} PoEntry;

typedef struct {
    const char *language;     /* the Language: header, or NULL */
    const char *plural_forms; /* the Plural-Forms: header, or NULL */
    const char *header;       /* the whole header text, or NULL */
    PoEntry *e;               /* in file order, header excluded */
    size_t n, cap;
} PoFile;

/* Read path (named file in messages). Syntax errors are added to d at
 * their line. Returns false after errors. */
bool po_read(Arena *a, const char *path, const char *file, PoFile *out, Diags *d);

/* The value of header field name (arena-owned), or NULL. */
const char *po_header_value(Arena *a, const PoFile *po, const char *name);

/* Write po to path with the given header text (the fields, each line
 * "Name: value\n"). Returns false after an error. */
bool po_write(const PoFile *po, const char *header, const char *path, Diags *d);

/* The gettext Plural-Forms for a BCP 47 language tag (CLDR's cardinal
 * rules in gettext's C form); NULL when lobgen does not know it. */
const char *po_plural_forms(const char *tag);
/* nplurals=N of a Plural-Forms value; -1 when absent. */
int po_nplurals(const char *plural_forms);

#endif
