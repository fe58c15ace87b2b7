/* YAML and JSON documents (JSON is YAML) read with libyaml into a Value
 * tree whose nodes carry their line and column. Plain scalars are typed
 * (null, true/false, numbers); quoted scalars stay strings. */
#ifndef LOBGEN_YAMLLOAD_H
#define LOBGEN_YAMLLOAD_H

#include "buf.h"
#include "diag.h"
#include "value.h"

/* Parse one document. first_line is the file line where text starts (1 for
 * a whole file; front matter passes the line after the opening ---).
 * An empty document gives an empty map. Returns NULL after adding errors. */
Value *yaml_parse(Arena *a, const char *text, size_t len, const char *file, int first_line, Diags *d);
/* Read and parse a whole file. */
Value *yaml_load_file(Arena *a, const char *path, Diags *d);

#endif
