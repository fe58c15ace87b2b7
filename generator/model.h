/* The content model's types that every stage shares: the kinds of
 * material (PRODUCT.md). Dates are in date.h. */
#ifndef LOBGEN_MODEL_H
#define LOBGEN_MODEL_H

#include <stddef.h>

typedef enum { KIND_THUISOPDRACHT, KIND_GESPREK, KIND_OUDERAVOND, KIND_COUNT } Kind;

/* Folder names, which are also the URL segments: "thuisopdrachten", ... */
extern const char *const kind_names[KIND_COUNT];
/* The kind whose folder name is name[0..len); KIND_COUNT when none is. */
Kind kind_from_name(const char *name, size_t len);

#endif
