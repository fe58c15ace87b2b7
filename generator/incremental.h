/* Incremental builds: a page whose inputs did not change since the last
 * build into the same output is not rendered again; the new site keeps the
 * published file (write.h, writer_link_previous: the spare it is made in
 * holds that very file already, or it is hard-linked from the site).
 *
 * Two keys prove a page unchanged.
 *
 * A unit's input key, checked first: a unit is a material (its page,
 * handout, bilingual handout, announcement and calendar file in every
 * language), a part of a year's pack, or a list page. The render stage
 * hashes, before any Markdown is parsed, everything the unit's files can
 * show (inputkey.h lists it: the material's parsed source in every
 * language, the cards of the materials it links to, the project-wide
 * context of config, locales and glossaries, ...). Same key as last time,
 * the templates its Markdown and pages asked for resolving to the same
 * files, every file of it still the one published: all its files are
 * linked and nothing of it is rendered (incr_reuse_unit). The warnings its
 * render gave are kept with it and given again.
 *
 * A page's data key, for a unit that is rendered: a page is the Mustache
 * render of its data (a Value tree) through one template and the partials
 * and parents that render asks for, all looked up for one language and
 * leerjaar. The page key hashes the output path, the template name, the
 * scope and the whole data tree; same key, same files behind the same
 * names, same published file (device, inode, size, mtime): the published
 * file is reused (incr_reuse). Anything else renders the page.
 *
 * The manifest (the pages, units and template sets of the last build) is
 * a file beside the output, never inside it (so it is never published):
 * "<dir>/.<base>.lobgen-manifest", next to the publishing lock. It is
 * binary, a block per unit (incremental.c describes it), read whole with
 * one read and used where it lies; a unit reused whole is written to the
 * next manifest as the same block. It ends with a checksum; a manifest
 * that is missing, corrupt, cut off, made by another lobgen binary (or an
 * earlier lobgen's text manifest), or written for another output simply
 * reuses nothing (a full build). `lobgen build --full` ignores it. The
 * same build gives the same manifest on any number of threads. While a
 * build runs, the files of each unit it ended wait in a file with no name
 * beside the manifest (incr_hold_in_memory), not in memory. */
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
 * (which must outlive the result): on a thread of its own, which the first
 * call below that needs it waits for, so the build goes on meanwhile.
 * full: read nothing, reuse nothing, but still record a manifest for the
 * next build. Never fails: anything wrong with the manifest means nothing
 * is reused. Free with incr_free. */
Incremental *incr_open(const char *out_dir, const Templates *tpl, bool full);
void incr_free(Incremental *inc);

/* Hashing for keys: one XXH3-128 state; every piece is length-prefixed,
 * so that two different sequences never hash as one ("ab"+"c", "a"+"bc").
 * incr_hash_new never fails; incr_hash_done returns the key and frees h. */
typedef struct IncrHash IncrHash;
IncrHash *incr_hash_new(void);
void incr_hash_bytes(IncrHash *h, const void *p, size_t n);
/* A string; NULL hashes apart from "". */
void incr_hash_str(IncrHash *h, const char *s);
void incr_hash_int(IncrHash *h, long long v);
void incr_hash_key(IncrHash *h, IncrKey k);
/* Every value of a tree in document order, with its kind and length. */
void incr_hash_value(IncrHash *h, const Value *v);
IncrKey incr_hash_done(IncrHash *h);

/* Subtrees of page data that many pages share and that no page changes
 * (a language's strings, its site and navigation maps), each hashed once
 * per build: a page key takes their 16-byte key in their place, so the key
 * of a page still changes when any value under them does. Adding and
 * checking run before and after the pages, single-threaded; lookups from
 * any number of threads. */
typedef struct IncrMemo IncrMemo;
IncrMemo *incr_memo_new(void);
/* Hash v (a map or a list; other values are ignored) now. v must not
 * change until incr_memo_unchanged. */
void incr_memo_add(IncrMemo *m, const Value *v);
/* Whether every subtree added still hashes as when it was added: false
 * means one was changed in place, and page keys made since are wrong. */
bool incr_memo_unchanged(const IncrMemo *m);
void incr_memo_free(IncrMemo *m);

/* The key of the page rel rendered through template tpl in scope (lang,
 * leerjaar) from data; memo (may be NULL) as above. */
IncrKey incr_page_key(const char *rel, const char *tpl, const char *lang, int leerjaar, const Value *data,
                      const IncrMemo *memo);

/* Reuse the previous build's file at rel when its key and templates are
 * the same and it is still the file published: kept in or linked into w
 * (writer_link_previous), noted for the next manifest, true. False: render and write it, then call
 * incr_record. Safe from several threads. */
bool incr_reuse(Incremental *inc, Writer *w, const char *rel, IncrKey key);

/* Note the page just written at rel by w with key, rendered in scope (lang,
 * leerjaar) asking for the template names in use. Safe from several threads. */
void incr_record(Incremental *inc, const Writer *w, const char *rel, IncrKey key, const char *lang, int leerjaar,
                 const TemplateUse *use);

/* ---- units: a material's files, a pack part, a list page ---- */

/* Keep or link (writer_link_previous) every file the unit named name
 * (e.g. "thuisopdrachten/wat-kan-ik") had in the previous build, when its input key then was key, the
 * template sets it used still resolve to the same files, and each file is
 * still the one published; note them for the next manifest, add the
 * warnings its render gave to d, and return true. False: nothing is noted
 * or linked, and the caller renders the unit inside incr_unit_begin/incr_unit_end. Safe
 * from several threads. */
bool incr_reuse_unit(Incremental *inc, Writer *w, const char *name, IncrKey key, Diags *d);

/* Pages recorded (incr_record, incr_reuse) on this thread from now until
 * incr_unit_end belong to the unit name with input key key. Units nest (a
 * material's job may write a pack part): returns the unit to give back to
 * incr_unit_end. inc NULL: does nothing. */
size_t incr_unit_begin(Incremental *inc, const char *name, IncrKey key);
/* The current unit's Markdown asked for the template names in use in
 * scope (lang, leerjaar): its files must resolve the same for a reuse. */
void incr_unit_templates(Incremental *inc, const char *lang, int leerjaar, const TemplateUse *use);
/* The current unit shows what the unit name (of this build, begun and
 * ended before) shows: it takes on that unit's template sets (a year's
 * pack shows its materials' Markdown, made with their block templates).
 * A name with no unit in this build makes the current unit unsaved. */
void incr_unit_include(Incremental *inc, const char *name);
/* End the current unit (back to prev); its warnings are the ones in
 * d->items[from..], kept in the manifest and given again on reuse. */
void incr_unit_end(Incremental *inc, size_t prev, const Diags *d, size_t from);

/* After the site was published at out_dir: write the manifest of what was
 * recorded (written beside it, then renamed over the old one). False with
 * a warning when it cannot be written (the next build is then full). */
bool incr_save(Incremental *inc, const char *out_dir, Diags *d);
/* incr_save in two steps, so that the manifest is written while the site
 * is published: incr_save_start writes it under a temporary name beside
 * the old one, on a thread of its own (nothing may record into inc after
 * it); incr_save_finish waits for that and, when publish is true (the
 * site was published), renames it over the old manifest, as incr_save
 * does (its result and warning); when false, removes it, and the old
 * manifest stays (true; d unused, may be NULL). incr_free finishes a
 * started one with publish false. */
void incr_save_start(Incremental *inc, const char *out_dir);
bool incr_save_finish(Incremental *inc, bool publish, Diags *d);

/* A build's files are not all held in memory until incr_save: each
 * unit's, when it ends, goes to a file with no name beside the manifest
 * (cachefile_anon: gone with the process however it ends), which
 * incr_save copies from. This keeps them in memory instead, as a build
 * does when that file cannot be made; the manifest is the same byte for
 * byte (tests compare the two). Call before the first unit ends. */
void incr_hold_in_memory(Incremental *inc);

/* Pages reused and pages rendered since incr_open. */
void incr_counts(const Incremental *inc, size_t *reused, size_t *rendered);

#endif
