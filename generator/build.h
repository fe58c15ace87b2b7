/* The pipeline driver: load a project (config, scan, decode, front matter,
 * locales, glossary, site model, templates), then render and publish. */
#ifndef LOBGEN_BUILD_H
#define LOBGEN_BUILD_H

#include "audio.h"
#include "config.h"
#include "diag.h"
#include "glossary.h"
#include "locale.h"
#include "site.h"
#include "templates.h"

#include <stdbool.h>

typedef struct {
    Arena *a;
    const char *root;
    Config cfg;
    ScanResult scan;
    Material **mats;     /* every content file that parsed, in path order */
    size_t n_mats;
    Locale **locales;    /* [n_langs] */
    Glossary **glossary; /* [n_langs], NULL where none */
    Site site;
    Templates *tpl;      /* NULL unless load_templates */
    AudioPlan *audio;    /* recordings and speech per item and language (audio.h) */
    /* incremental builds (incremental.h): full = render every page (--full);
     * after project_publish, how many pages were reused and rendered */
    bool full;
    size_t pages_reused, pages_rendered;
    Arena **load_arenas; /* the materials, one arena per thread that loaded them */
    size_t n_load_arenas;
    /* LoadOptions.open_output: the writer opened for output_dir while the
     * content loads, for project_publish (NULL: none, or it could not be) */
    struct Writer *writer;
    char *output_dir;
} Project;

typedef struct {
    bool drafts;
    bool load_templates;
    bool lint; /* lobgen check: also warn about missing interface strings,
                * fonts, and sentences too long for parents */
    bool bodies_on_demand; /* leave the bodies on disk (Material.body NULL) and
                            * read each again when it is rendered (material_body):
                            * memory then does not grow with the text of the
                            * library. Bodies a later stage reads anyway (PO
                            * sources, speech, lint) stay. */
    /* a build: open the output's writer (write.h) as soon as lobgen.yaml is
     * read, so that the walk of the spare runs on other threads while the
     * content loads, not after it. The output is `output`, or NULL: the
     * project's (lobgen.yaml's output:, else "site"), as lobgen build names
     * it. An output that is not safe or cannot be opened is left alone
     * here, and project_publish reports it. */
    bool open_output;
    const char *output;
    bool keep_parses; /* take unchanged files' parses from the project's cache
                       * folder and keep this load's there (parsecache.h):
                       * build and serve; commands that only read do not */
} LoadOptions;

/* Load and check everything. Returns false when errors were added; the
 * project may then be partially filled, and must still be freed. */
bool project_load(Project *p, const char *root, const LoadOptions *opt, Diags *d);
void project_free(Project *p);

/* The folder a build of the project at root publishes to: output when
 * given (--output), else lobgen.yaml's output (default "site") under root.
 * Needs p->cfg loaded. Returns a malloc'd path the caller frees. */
char *project_output_dir(const Project *p, const char *root, const char *output);

/* The body of m: m->body when the load kept it; else the file read and
 * decoded again (default_enc: its language's encoding from lobgen.yaml),
 * copied into a. NULL, with an error in d, when the file is no longer the
 * text that was loaded. Safe from any thread. */
const char *material_body(const Material *m, const char *default_enc, Arena *a, Diags *d);

/* Render into out_dir (or, with dry_run, only render and check). */
bool project_publish(Project *p, const char *out_dir, bool dry_run, size_t *pages, Diags *d);


#endif
