/* Incremental builds: a page whose inputs did not change since the last
 * build into the same output is not rendered again; the new site gets the
 * published file as a hard link (write.h, writer_link_previous).
 *
 * What proves a page unchanged: a page is the Mustache render of its data
 * (a Value tree) through one template and the partials and parents that
 * render asks for, all looked up for one language and leerjaar. The page
 * key hashes the output path, the template name, the scope and the whole
 * data tree (Markdown output, cards, strings, URLs: everything the page
 * shows); the manifest also keeps the names the last render looked up and
 * the identity of the files they resolved to (templates_identity). Same
 * key, same files behind the same names, same published file (device,
 * inode, size, mtime), same lobgen binary: the render would give the same
 * bytes, so the published file is reused. Anything else renders the page.
 *
 * The manifest is a text file beside the output, never inside it (so it is
 * never published): "<dir>/.<base>.lobgen-manifest", next to the publishing
 * lock. It ends with a checksum; a manifest that is missing, corrupt, made
 * by another lobgen binary, or written for another output simply reuses
 * nothing (a full build). `lobgen build --full` ignores it. */
#ifndef LOBGEN_INCREMENTAL_H
#define LOBGEN_INCREMENTAL_H

#include "diag.h"
#include "templates.h"
#include "value.h"
#include "write.h"

#include <stdbool.h>
#include <stdint.h>

typedef struct Incremental Incremental;

/* A page's key: 128 bits. */
typedef struct {
    uint64_t lo, hi;
} IncrKey;

/* Read the manifest of the site published at out_dir, for templates tpl
 * (which must outlive the result). full: read nothing, reuse nothing, but
 * still record a manifest for the next build. Never fails: anything wrong
 * with the manifest means nothing is reused. Free with incr_free. */
Incremental *incr_open(const char *out_dir, const Templates *tpl, bool full);
void incr_free(Incremental *inc);

/* The key of the page rel rendered through template tpl in scope (lang,
 * leerjaar) from data. */
IncrKey incr_page_key(const char *rel, const char *tpl, const char *lang, int leerjaar, const Value *data);

/* Reuse the previous build's file at rel when its key and templates are
 * the same and it is still the file published: hard-linked into w, noted
 * for the next manifest, true. False: render and write it, then call
 * incr_record. Safe from several threads. */
bool incr_reuse(Incremental *inc, Writer *w, const char *rel, IncrKey key);

/* Note the page just written at rel by w with key, rendered in scope (lang,
 * leerjaar) asking for the template names in use. Safe from several threads. */
void incr_record(Incremental *inc, const Writer *w, const char *rel, IncrKey key, const char *lang, int leerjaar,
                 const TemplateUse *use);

/* After the site was published at out_dir: write the manifest of what was
 * recorded (written beside it, then renamed over the old one). False with
 * a warning when it cannot be written (the next build is then full). */
bool incr_save(Incremental *inc, const char *out_dir, Diags *d);

/* Pages reused and pages rendered since incr_open. */
void incr_counts(const Incremental *inc, size_t *reused, size_t *rendered);

#endif
