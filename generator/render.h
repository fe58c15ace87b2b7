/* Rendering the whole site: every page of every language through the
 * project's templates, plus feeds, sitemap, handouts, announcements and
 * calendar files. Markdown and pages render on several threads (pool.h);
 * output does not depend on their order. render.c runs the stages; the
 * page data and each output format live in their own files (pagedata.h). */
#ifndef LOBGEN_RENDER_H
#define LOBGEN_RENDER_H

#include "audio.h"
#include "config.h"
#include "diag.h"
#include "glossary.h"
#include "incremental.h"
#include "lastmod.h"
#include "locale.h"
#include "site.h"
#include "templates.h"
#include "write.h"

typedef struct {
    const char *root;          /* project folder */
    const Config *cfg;
    const Site *site;
    Locale **locales;          /* [n_langs] */
    const Templates *tpl;
    const Glossary **glossary; /* [n_langs], NULL where a language has none */
    long long epoch;           /* SOURCE_DATE_EPOCH, or -1 */
    int threads;               /* 0 = as many as the machine has, at most 8 */
    const AudioPlan *audio;    /* the players of material pages (audio.h), or NULL */
    Incremental *inc;          /* pages of the previous build to reuse (incremental.h), or NULL */
    const LastMod *lastmod;    /* when each content file last changed (lastmod.h), or NULL */
    bool dry_run;              /* lobgen check: caches are read, not written */
} RenderInput;

/* Render everything into w. Returns false after errors. */
bool render_site(const RenderInput *in, Writer *w, Diags *d);

#endif
