/* The bridge from Markdown to block templates: a fenced block whose info
 * word names templates/blocks/NAME becomes that template's HTML, with the
 * data docs/templates.md documents (content, items, attrs, counts as lists). */
#ifndef LOBGEN_BLOCKS_H
#define LOBGEN_BLOCKS_H

#include "markdown.h"
#include "pagedata.h"

typedef struct {
    const Build *b;
    size_t l;     /* the page's language */
    int leerjaar; /* for leerjaar-specific templates; 0 = none */
    Arena *a;     /* owns the data given to the template */
    Value *blocks; /* every block rendered: name -> list of {items}, in order */
    TemplateUse *use; /* NULL, or where to note the template names looked up (incremental.h) */
} BlockCtx;

/* MdOptions.is_block: true when name is a valid block name with a template. */
bool block_exists(void *ctx, const char *name);
/* MdOptions.near_block: the block name word is a likely typo of, or NULL. */
const char *block_near(void *ctx, const char *word);
/* MdOptions.render_block: render block `name` into out; heading_before
 * (or NULL) is the heading it directly follows. Appends {items} to
 * blocks[name]. Returns false after adding an error to d, placed at
 * file:line. */
bool block_render(void *ctx, const char *name, const MdAttr *attrs, size_t n_attrs,
                  const MdBlockBody *body, const char *heading_before, const char *file, int line,
                  Buf *out, Diags *d);

#endif
