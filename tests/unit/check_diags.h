/* Printing the diagnostics a failed check produced, under its FAIL line. */
#ifndef LOBGEN_CHECK_DIAGS_H
#define LOBGEN_CHECK_DIAGS_H

#include "diag.h"

#include <stdio.h>
#include <stdlib.h>

static void dump(const Diags *d)
{
    for (size_t i = 0; i < d->len; i++) {
        char *s = diag_format(&d->items[i]);
        printf("    %s\n", s);
        free(s);
    }
}

#endif
