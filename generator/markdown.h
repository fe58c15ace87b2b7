/* Markdown bodies through libcmark-gfm (tables, strikethrough, autolinks,
 * task lists), with raw HTML off, dangerous link schemes neutralised,
 * stable unique heading ids, fenced blocks rendered through the caller's
 * block templates, and the first use of glossary terms linked. */
#ifndef LOBGEN_MARKDOWN_H
#define LOBGEN_MARKDOWN_H

#include "buf.h"
#include "diag.h"
#include "slug.h"

#include <stdbool.h>
#include <stddef.h>

typedef struct {
    const char *name;  /* [a-z][a-z0-9_-]* */
    const char *value; /* unquoted */
    int col;           /* 1-based column of the name on the fence line */
} MdAttr;

typedef struct {
    const char *term; /* as written in the text, matched case-insensitively on word boundaries */
    const char *href; /* where its explanation is */
    const char *title;/* short explanation for the title attribute, or NULL */
} MdTerm;

/* A list item of a block's body, taken from cmark's node tree: a list
 * item not inside another list item of the same body (a block nested in
 * the body is opaque). */
typedef struct {
    const char *html; /* the item's content without <li>: a lone paragraph's
                       * inline content without <p>, else its blocks' HTML,
                       * with surrounding spaces and newlines trimmed */
} MdListItem;

/* A fenced block's body, rendered as Markdown. */
typedef struct {
    const char *html;        /* the whole body */
    const MdListItem *items; /* its list items in document order */
    size_t n_items;
} MdBlockBody;

typedef struct {
    /* True when a fenced block's info word names a block template. */
    bool (*is_block)(void *ctx, const char *name);
    /* Render block `name` with its body into out. heading_before is the
     * plain text of the heading the block directly follows (nothing between
     * them), or NULL: that heading already names the block, so its template
     * need not repeat a title. All strings belong to the markdown_render
     * call's arena. Return false after adding an error to d. */
    bool (*render_block)(void *ctx, const char *name, const MdAttr *attrs, size_t n_attrs,
                         const MdBlockBody *body, const char *heading_before, const char *file,
                         int line, Buf *out, Diags *d);
    void *ctx;
    /* markdown_render_twin: the ctx of render_block for the print rendering
     * of a block (its body without glossary links); NULL: ctx. A block whose
     * body has no glossary link is rendered once, through print_ctx, for
     * both: ctx and print_ctx must render a block alike. */
    void *print_ctx;
    const MdTerm *terms; /* glossary terms to link on first use; terms with the same
                          * href are forms of one entry and link once; may be NULL */
    size_t n_terms;
    /* HTML lobgen made, put after a unit that a translation shows in the
     * source language (segment.h's SEG_OPEN ... SEG_CLOSE): the notice in
     * the reader's language; NULL for none. Such a unit becomes
     * <span lang="nl" dir="ltr" class="untranslated">…</span>. */
    const char *untranslated_html;
    /* Optional: for an info word that is not a block, the block name it is
     * probably a typo of, or NULL; the fence then gets a "did you mean"
     * warning and stays code. The returned string must outlive the call. */
    const char *(*near_block)(void *ctx, const char *word);
} MdOptions;

/* A section cut after each of its top-level blocks: the last part holds
 * what follows the last block (possibly ""). */
typedef struct {
    const char *html;     /* this part's HTML */
    const char *block;    /* the block this part ends with, or NULL for the last part */
    const MdAttr *attrs;  /* that block's attributes */
    size_t n_attrs;
} MdPart;

typedef struct {
    int level;        /* 2 for a section opened by an h2; 0 for text before the first h2 */
    const char *id;   /* the heading's id, or "" */
    const char *text; /* the heading's plain text, or "" */
    const char *html; /* the section's HTML, heading included */
    MdPart *parts;    /* html cut after every top-level block; the parts concatenate to html */
    size_t n_parts;
} MdSection;

typedef struct {
    int level;
    const char *id;
    const char *text;
} MdHeading;

typedef struct {
    const char *html;      /* the whole body */
    MdSection *sections;   /* the body cut before every h2, in order */
    size_t n_sections;
    MdHeading *headings;   /* every heading, in order */
    size_t n_headings;
    const char *plain;     /* the body as plain text (for summaries, checks) */
} MdDoc;

/* Render md (from file, whose body starts on line first_line) into doc,
 * all strings arena-owned. Returns false after adding errors. */
bool markdown_render(Arena *a, const char *file, int first_line, const char *md, size_t len,
                     const MdOptions *opt, MdDoc *doc, Diags *d);

/* markdown_render's web rendering (with opt->terms) and, from the same
 * parse, the print one into print: what markdown_render with no terms
 * would give, byte for byte (glossary links are their bare text, blocks
 * are rendered again from their bodies without links, through
 * opt->print_ctx). plain and headings are shared by both. Errors are
 * added once. Returns false after adding errors. */
bool markdown_render_twin(Arena *a, const char *file, int first_line, const char *md, size_t len,
                          const MdOptions *opt, MdDoc *web, MdDoc *print, Diags *d);

struct cmark_node;
struct cmark_parser;
/* Parse md with lobgen's parser (the same extensions and options as
 * markdown_render) for checks that walk the tree. Returns the document
 * node; *parser owns it: free both with markdown_tree_free(parser, doc). */
struct cmark_node *markdown_parse_tree(const char *md, size_t len, struct cmark_parser **parser);
void markdown_tree_free(struct cmark_parser *parser, struct cmark_node *doc);

/* Append to out the text of root's inline content as a reader sees it:
 * text and code spans, markup gone, each soft or hard line break written as
 * brk. With skip_images an image's alt text is left out (speech has no use
 * for it); raw HTML is never text. */
void markdown_inline_text(struct cmark_node *root, char brk, bool skip_images, Buf *out);

/* The heading ids one text lost to de-duplication on a page: from[k]
 * became to[k] (always from[k] with a "-N" suffix). Start zeroed; the
 * arrays live in the arena given to markdown_unique_ids. */
typedef struct {
    const char **from, **to;
    size_t n, cap;
} IdRenames;

/* The same HTML with the ids of doc's headings that are in it made unique
 * on a page: each heading found in html (a whole body or some of its
 * sections, as lobgen rendered them) gets slugset_unique(ids, its id), so
 * ids already on the page (an anchor, another text's heading) are not
 * repeated. Headings not in html are left alone and take no id. Each
 * id changed is added to renamed (may be NULL): pass every piece of one
 * text through the same IdRenames, then each piece through
 * markdown_relink_fragments, so links between its pieces follow too.
 * Returns html itself when no id changed, else a copy in a. */
const char *markdown_unique_ids(Arena *a, SlugSet *ids, const char *html, const MdDoc *doc, IdRenames *renamed);

/* The same HTML with every same-page link to a renamed heading
 * (href="#voor-ouders" where that heading became voor-ouders-2) pointing
 * at the new id, so a text's own table of contents and "see above" links
 * still reach its own headings once it shares a page. Links are compared
 * by their decoded target (HTML character references and URL percent
 * escapes undone, as a browser does before it looks the fragment up);
 * other links are left as written. Returns html itself when nothing
 * changed, else a copy in a. */
const char *markdown_relink_fragments(Arena *a, const char *html, const IdRenames *renamed);

/* The id a heading with this plain text gets (before de-duplication):
 * lowercased, letters and digits of any script kept, the rest as '-'. */
char *markdown_slugify(Arena *a, const char *text);

#endif
