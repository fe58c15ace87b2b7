/* The one JSON writer: prints a Value tree (value.h) as JSON (RFC 8259),
 * for structured output such as lobgen status --json. */
#ifndef LOBGEN_JSON_H
#define LOBGEN_JSON_H

#include "buf.h"
#include "value.h"

#include <stdio.h>

/* Append v as JSON to out, indented by two spaces per level, a map's keys
 * in their order, ending without a newline. Strings are UTF-8 with " \ and
 * control characters escaped; numbers that are whole print without a
 * fraction, others with 17 significant digits; NaN and infinities (which
 * JSON has no form for) print as null. */
void json_write(Buf *out, const Value *v);

/* Print v as json_write does, then a newline, to out (a command's standard
 * output). Write errors are left to the stream's error flag, which main
 * checks at exit for every command. */
void json_print(FILE *out, const Value *v);

#endif
