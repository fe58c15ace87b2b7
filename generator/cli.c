#include "cli.h"

#include "paths.h"
#include "pool.h"
#include "progress.h"

#include "build.h"
#include "mustache.h"
#include "scaffold.h"
#include "serve.h"
#include "status.h"
#include "stop.h"
#include "templates.h"
#include "translate.h"
#include "trdiff.h"
#include "yamlload.h"

#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

static const char USAGE[] =
    "usage: lobgen <command> [options]\n"
    "\n"
    "commands:\n"
    "  build [--source DIR] [--output DIR] [--drafts] [--quiet] [--full]\n"
    "                     build the site (default source '.', output '<source>/site');\n"
    "                     pages whose inputs did not change are reused; --full renders all\n"
    "  check [--source DIR] [--drafts]\n"
    "                     check everything build checks; write nothing\n"
    "  status [--source DIR] [--json]\n"
    "                     translated, stale, missing and unreviewed materials per language\n"
    "  status --diff FILE [--json]\n"
    "                     the Dutch changes since translation FILE was made, word by word\n"
    "  status --mark-current FILE...\n"
    "                     record in each translation that it matches the current source text\n"
    "  serve [--source DIR] [--port N] [--bind ADDR] [--drafts] [--open]\n"
    "                     build, serve on http://127.0.0.1:1313/ (or the next free port),\n"
    "                     rebuild on every save and reload the open pages\n"
    "  init DIR           create a new project in DIR that builds at once\n"
    "  new thuisopdracht|gesprek|ouderavond SLUG [--leerjaar N] [--source DIR]\n"
    "                     write content/<kind>/SLUG.nl.md from the kind's archetype\n"
    "  new translation FILE LANG [--source DIR]\n"
    "                     write the LANG file to translate beside the Dutch FILE\n"
    "  new language TAG [--source DIR]\n"
    "                     create locales/TAG.yaml and add TAG to lobgen.yaml\n"
    "  translate export --lang LANG [--output DIR] [--only missing|stale|all]\n"
    "                     write a .pot and a .<lang>.po per material (default into po/)\n"
    "  translate update [--lang LANG]\n"
    "                     merge the current Dutch units into every PO translation\n"
    "  translate import FILE.po...\n"
    "                     check PO files from translators and install them in content/\n"
    "  fingerprint FILE   print the fingerprint of a source-language material\n"
    "  template TEMPLATE --data FILE [--partials DIR]\n"
    "                     render one Mustache template with YAML or JSON data to stdout\n"
    "\n"
    "  -h, --help         show this help\n"
    "  --version          show the version\n";

static int usage_error(const char *fmt, const char *arg)
{
    fputs("lobgen: ", stderr);
    fprintf(stderr, fmt, arg);
    fputs("\n\n", stderr);
    fputs(USAGE, stderr);
    return 2;
}

/* Options of the project commands. */
typedef struct {
    const char *source;
    const char *output;
    bool drafts, quiet, json, full;
    bool mark_current;
    char **files;
    int n_files;
} Opts;

static int parse_opts(int argc, char **argv, Opts *o, const char *allowed)
{
    o->source = ".";
    o->files = argv;
    for (int i = 0; i < argc; i++) {
        const char *a = argv[i];
        bool has_value = !strcmp(a, "--source") || !strcmp(a, "--output");
        char flag = !strcmp(a, "--source") ? 's' : !strcmp(a, "--output") ? 'o' : !strcmp(a, "--drafts") ? 'd'
                  : !strcmp(a, "--quiet") ? 'q' : !strcmp(a, "--json") ? 'j' : !strcmp(a, "--mark-current") ? 'm'
                  : !strcmp(a, "--full") ? 'F' : 0;
        if (a[0] == '-' && a[1] && (!flag || !strchr(allowed, flag)))
            return usage_error("unknown option '%s'", a);
        if (!flag) {
            if (!strchr(allowed, 'f'))
                return usage_error("unexpected argument '%s'", a);
            o->files[o->n_files++] = argv[i];
            continue;
        }
        if (has_value) {
            if (i + 1 >= argc || !argv[i + 1][0])
                return usage_error("%s needs a folder", a);
            if (flag == 's')
                o->source = argv[++i];
            else
                o->output = argv[++i];
            continue;
        }
        switch (flag) {
        case 'd': o->drafts = true; break;
        case 'q': o->quiet = true; break;
        case 'j': o->json = true; break;
        case 'm': o->mark_current = true; break;
        case 'F': o->full = true; break;
        }
    }
    return 0;
}

/* The one place where diagnostics are printed. */
static int finish(Diags *d, bool ok, bool publishing)
{
    diags_sort(d);
    diags_print(d, stderr);
    size_t ne = diags_count(d, DIAG_ERROR);
    if (ne)
        fprintf(stderr, "lobgen: %zu error%s%s\n", ne, ne == 1 ? "" : "s",
                publishing ? "; nothing was published" : "");
    diags_free(d);
    return ok && !ne ? 0 : 1;
}

/* SOURCE_DATE_EPOCH (reproducible-builds.org): whole seconds since 1970
 * that RFC 3339 can write, i.e. up to 9999-12-31T23:59:59Z. Anything else
 * is a usage error, not a stamp silently made up. */
static int check_source_date_epoch(void)
{
    const char *sde = getenv("SOURCE_DATE_EPOCH");
    if (!sde || !*sde)
        return 0;
    errno = 0;
    char *end;
    long long v = strtoll(sde, &end, 10);
    if (*end || errno || v < 0 || v > 253402300799LL || strspn(sde, "0123456789") != strlen(sde))
        return usage_error("SOURCE_DATE_EPOCH must be a whole number of seconds since 1970-01-01 from 0 to "
                           "253402300799 (9999-12-31T23:59:59Z); found '%s'", sde);
    return 0;
}

/* LOBGEN_JOBS (pool.h): a value that is no number of threads ("abc",
 * "4x", 0) is a usage error like a bad SOURCE_DATE_EPOCH, not silently the
 * default or its first digits. */
static int check_jobs(void)
{
    if (pool_jobs_env_valid())
        return 0;
    return usage_error("LOBGEN_JOBS must be a whole number from 1 to 64; found '%s'", getenv("LOBGEN_JOBS"));
}

static int cmd_build(int argc, char **argv, bool dry)
{
    /* Ctrl-C, SIGTERM, SIGHUP: the build stops where it is and publishes
     * nothing (stop.h); caught from the start, so that none ends it on
     * the default action half way */
    stop_install();
    Opts o = {0};
    int rc = parse_opts(argc, argv, &o, dry ? "sd" : "sodqF");
    if (!rc)
        rc = check_source_date_epoch();
    if (!rc)
        rc = check_jobs();
    if (rc)
        return rc;
    Diags d = DIAGS_INIT;
    Project p;
    /* a build reads each body again when it renders it: memory stays flat */
    LoadOptions lo = {
        .drafts = o.drafts, .load_templates = true, .lint = dry, .bodies_on_demand = !dry, .keep_parses = !dry,
        .open_output = !dry, .output = o.output};
    struct timespec t0, t1;
    clock_gettime(CLOCK_MONOTONIC, &t0);
    /* only for a person watching: never into a log, never with --quiet */
    progress_begin(!o.quiet && isatty(STDERR_FILENO));
    progress_stage("reading the content", 0);
    bool ok = project_load(&p, o.source, &lo, &d);
    char *out = NULL;
    if (ok) {
        out = project_output_dir(&p, o.source, o.output);
        ok = dry || path_output_is_safe(o.source, out, &d);
    }
    size_t pages = 0;
    p.full = o.full;
    if (ok)
        ok = project_publish(&p, out, dry, &pages, &d);
    progress_end();
    if (ok && !o.quiet) {
        clock_gettime(CLOCK_MONOTONIC, &t1);
        double secs = (double)(t1.tv_sec - t0.tv_sec) + (double)(t1.tv_nsec - t0.tv_nsec) / 1e9;
        /* "1 language" after lobgen init, not "1 languages" */
        size_t nm = p.site.n_items, nl = p.cfg.n_langs;
        const char *ms = nm == 1 ? "" : "s", *ls = nl == 1 ? "" : "s", *fs = pages == 1 ? "" : "s";
        if (dry)
            fprintf(stderr, "lobgen: checked %zu material%s in %zu language%s (%zu file%s would be written)\n", nm, ms,
                    nl, ls, pages, fs);
        else if (p.pages_reused)
            fprintf(stderr, "lobgen: built %zu file%s from %zu material%s in %zu language%s into %s (%.2f s; "
                            "%zu of %zu pages unchanged since the last build, reused)\n",
                    pages, fs, nm, ms, nl, ls, out, secs, p.pages_reused, p.pages_reused + p.pages_rendered);
        else
            fprintf(stderr, "lobgen: built %zu file%s from %zu material%s in %zu language%s into %s (%.2f s)\n", pages,
                    fs, nm, ms, nl, ls, out, secs);
        if (!dry && p.audio && (p.audio->synthesized || p.audio->from_cache))
            fprintf(stderr, "lobgen: synthetic speech: %zu made, %zu from the cache\n", p.audio->synthesized,
                    p.audio->from_cache);
    }
    free(out);
    /* a stopped build's folder removed or given back as the spare; the
     * handlers stay to the exit, so that a signal after the swap is only
     * noted and the build ends as usual (not killed on its way out) */
    project_free(&p);
    /* Stopped before the swap: the errors the stop caused (jobs not run, a
     * child killed by the same Ctrl-C) are not the user's to read; one
     * line, and lobgen ends by the signal itself, so that a script or loop
     * that ran it stops too (stop.h). After the swap the build is done,
     * and says so as usual. */
    if (!ok && stop_requested()) {
        diags_free(&d);
        int sig = stop_signal();
        fprintf(stderr, "lobgen: stopped (%s); nothing was published, the site is as it was\n", stop_signal_name(sig));
        stop_exit(sig);
    }
    return finish(&d, ok, !dry);
}

/* ---- lobgen template ---------------------------------------------------------- */

typedef struct {
    const char *dir;
    char **names;
    Mustache **tpls;
    size_t cap; /* of names and tpls */
    size_t n;
} PartialDir;

static const Mustache *dir_lookup(void *ctx, const char *name, Diags *d)
{
    PartialDir *pd = ctx;
    for (size_t i = 0; i < pd->n; i++)
        if (!strcmp(pd->names[i], name))
            return pd->tpls[i];
    if (!pd->dir || !name[0] || strchr(name, '/') || strstr(name, ".."))
        return NULL;
    static const char *const exts[] = {".mustache", ".html"};
    for (int e = 0; e < 2; e++) {
        Buf path = BUF_INIT;
        buf_printf(&path, "%s/%s%s", pd->dir, name, exts[e]);
        size_t len;
        char *src = read_file(path.data, &len);
        if (src) {
            /* as a build reads its partials */
            size_t tlen;
            char *nfc;
            const char *text = templates_source_text(path.data, src, len, &tlen, &nfc, d);
            Mustache *m = text ? mustache_compile(text, tlen, path.data, d) : NULL;
            free(nfc);
            free(src);
            buf_free(&path);
            size_t cap = pd->cap;
            ALLOC_GROW(pd->names, pd->n + 1, cap);
            ALLOC_GROW(pd->tpls, pd->n + 1, pd->cap);
            pd->names[pd->n] = xstrdup(name);
            pd->tpls[pd->n++] = m; /* NULL too: compile once, report once */
            return m;
        }
        buf_free(&path);
    }
    return NULL;
}

static int cmd_template(int argc, char **argv)
{
    const char *tpl = NULL, *data = NULL, *partials = NULL;
    for (int i = 0; i < argc; i++) {
        if (!strcmp(argv[i], "--data") || !strcmp(argv[i], "--partials")) {
            if (i + 1 >= argc)
                return usage_error("%s needs a value", argv[i]);
            if (argv[i][2] == 'd')
                data = argv[++i];
            else
                partials = argv[++i];
        } else if (argv[i][0] == '-' && argv[i][1]) {
            return usage_error("unknown option '%s'", argv[i]);
        } else if (!tpl) {
            tpl = argv[i];
        } else {
            return usage_error("unexpected argument '%s'", argv[i]);
        }
    }
    if (!tpl || !data)
        return usage_error("%s", "template needs a TEMPLATE file and --data FILE");
    Diags d = DIAGS_INIT;
    Arena *a = arena_new();
    size_t len;
    char *src = read_file(tpl, &len);
    bool ok = false;
    PartialDir pd = {partials, NULL, NULL, 0, 0};
    size_t tlen;
    char *nfc = NULL;
    const char *text = NULL;
    if (!src)
        diag_error(&d, tpl, 0, 0, "cannot read the template: %s", strerror(errno));
    else
        text = templates_source_text(tpl, src, len, &tlen, &nfc, &d); /* as a build reads its templates */
    if (text) {
        Value *v = yaml_load_file(a, data, &d); /* NFC (yamlload.h) */
        Mustache *m = mustache_compile(text, tlen, tpl, &d);
        free(nfc);
        if (v && m) {
            Buf out = BUF_INIT;
            ok = mustache_render(m, v, dir_lookup, &pd, &out, &d);
            if (ok && diags_count(&d, DIAG_ERROR) == 0)
                fwrite(out.data, 1, out.len, stdout);
            buf_free(&out);
        }
        mustache_free(m);
    }
    free(src);
    for (size_t i = 0; i < pd.n; i++) {
        free(pd.names[i]);
        mustache_free(pd.tpls[i]);
    }
    free(pd.names);
    free(pd.tpls);
    arena_free(a);
    diags_print(&d, stderr);
    int rc = (ok && diags_count(&d, DIAG_ERROR) == 0) ? 0 : 1;
    diags_free(&d);
    return rc;
}

/* ---- lobgen serve ------------------------------------------------------------ */

static int cmd_serve(int argc, char **argv)
{
    ServeOptions o = {.source = ".", .bind = "127.0.0.1", .port = -1};
    for (int i = 0; i < argc; i++) {
        const char *a = argv[i];
        if (!strcmp(a, "--source") || !strcmp(a, "--port") || !strcmp(a, "--bind")) {
            if (i + 1 >= argc || !argv[i + 1][0])
                return usage_error("%s needs a value", a);
            const char *v = argv[++i];
            if (a[2] == 's') {
                o.source = v;
            } else if (a[2] == 'b') {
                o.bind = v;
            } else {
                char *end;
                long n = strtol(v, &end, 10);
                if (*end || n < 0 || n > 65535)
                    return usage_error("--port needs a number from 0 to 65535, not '%s'", v);
                o.port = (int)n;
            }
        } else if (!strcmp(a, "--drafts")) {
            o.drafts = true;
        } else if (!strcmp(a, "--open")) {
            o.open = true;
        } else {
            return usage_error(a[0] == '-' ? "unknown option '%s'" : "unexpected argument '%s'", a);
        }
    }
    /* serve's builds are build's: the same checks of the environment */
    int rc = check_source_date_epoch();
    if (!rc)
        rc = check_jobs();
    return rc ? rc : serve_run(&o);
}

/* ---- lobgen init and lobgen new ---------------------------------------------- */

static int cmd_init(int argc, char **argv)
{
    if (argc != 1 || argv[0][0] == '-')
        return usage_error("%s", "init needs exactly one DIR, the new project's folder");
    Diags d = DIAGS_INIT;
    bool ok = scaffold_init(argv[0], &d);
    if (ok)
        fprintf(stderr, "lobgen: created a project in %s; build it with: lobgen build --source %s\n", argv[0], argv[0]);
    return finish(&d, ok, false);
}

static int cmd_new(int argc, char **argv)
{
    const char *source = ".", *pos[3] = {NULL, NULL, NULL};
    int npos = 0, leerjaar = 1;
    for (int i = 0; i < argc; i++) {
        const char *a = argv[i];
        if (!strcmp(a, "--source") || !strcmp(a, "--leerjaar")) {
            if (i + 1 >= argc || !argv[i + 1][0])
                return usage_error("%s needs a value", a);
            const char *v = argv[++i];
            if (a[2] == 's') {
                source = v;
            } else {
                if (!(v[0] >= '1' && v[0] <= '4' && !v[1]))
                    return usage_error("--leerjaar needs 1, 2, 3 or 4, not '%s'", v);
                leerjaar = v[0] - '0';
            }
        } else if (a[0] == '-' && a[1]) {
            return usage_error("unknown option '%s'", a);
        } else if (npos < 3) {
            pos[npos++] = a;
        } else {
            return usage_error("unexpected argument '%s'", a);
        }
    }
    if (!pos[0])
        return usage_error("%s", "new needs what to make: thuisopdracht, gesprek, ouderavond, translation or language");
    Diags d = DIAGS_INIT;
    char *written = NULL;
    bool ok;
    if (!strcmp(pos[0], "translation")) {
        if (npos != 3)
            return usage_error("%s", "new translation needs FILE and LANG, e.g. content/thuisopdrachten/wie-ben-ik.nl.md tr");
        ok = scaffold_new_translation(source, pos[1], pos[2], &written, &d);
    } else if (!strcmp(pos[0], "language")) {
        if (npos != 2)
            return usage_error("%s", "new language needs one TAG, e.g. fa");
        ok = scaffold_new_language(source, pos[1], &written, &d);
    } else {
        if (npos != 2)
            return usage_error("new %s needs one SLUG, e.g. wie-ben-ik", pos[0]);
        ok = scaffold_new_material(source, pos[0], pos[1], leerjaar, &written, &d);
    }
    if (ok)
        fprintf(stderr, "lobgen: wrote %s\n", written);
    free(written);
    return finish(&d, ok, false);
}

/* ---- status and fingerprints ---------------------------------------------------- */

static int cmd_status(int argc, char **argv)
{
    /* --diff FILE: what changed in the Dutch since FILE was translated */
    const char *diff = NULL;
    for (int i = 0; i < argc; i++)
        if (!strcmp(argv[i], "--diff")) {
            if (i + 1 >= argc || !argv[i + 1][0])
                return usage_error("%s", "--diff needs a translation FILE");
            diff = argv[i + 1];
            memmove(argv + i, argv + i + 2, (size_t)(argc - i - 2) * sizeof *argv);
            argc -= 2;
            break;
        }
    if (diff) {
        Opts o = {0};
        int rc = parse_opts(argc, argv, &o, "sj");
        if (rc)
            return rc;
        Diags d = DIAGS_INIT;
        bool ok = trdiff_report(o.source, diff, o.json, stdout, &d);
        return finish(&d, ok, false);
    }
    Opts o = {0};
    int rc = parse_opts(argc, argv, &o, "sjmf");
    if (rc)
        return rc;
    if (o.mark_current) {
        if (o.n_files == 0)
            return usage_error("%s", "--mark-current needs one or more translation files");
        Diags d = DIAGS_INIT;
        bool ok = status_mark_current(o.source, (const char *const *)o.files, (size_t)o.n_files, &d);
        return finish(&d, ok, false);
    }
    if (o.n_files)
        return usage_error("unexpected argument '%s'", o.files[0]);
    Diags d = DIAGS_INIT;
    bool ok = status_report(o.source, o.json, stdout, &d);
    return finish(&d, ok, false);
}

static int cmd_fingerprint(int argc, char **argv)
{
    if (argc != 1 || argv[0][0] == '-')
        return usage_error("%s", "fingerprint needs exactly one FILE");
    Diags d = DIAGS_INIT;
    char fp[17];
    bool ok = status_fingerprint_file(argv[0], fp, &d);
    if (ok)
        printf("%s\n", fp);
    return finish(&d, ok, false);
}

int cli_main(int argc, char **argv)
{
    if (argc < 2)
        return usage_error("%s", "no command given");
    const char *cmd = argv[1];
    if (!strcmp(cmd, "-h") || !strcmp(cmd, "--help") || !strcmp(cmd, "help")) {
        fputs(USAGE, stdout);
        return 0;
    }
    if (!strcmp(cmd, "--version") || !strcmp(cmd, "version")) {
        printf("lobgen %s\n", LOBGEN_VERSION);
        return 0;
    }
    for (int i = 2; i < argc; i++)
        if (!strcmp(argv[i], "-h") || !strcmp(argv[i], "--help")) {
            fputs(USAGE, stdout);
            return 0;
        }
    if (!strcmp(cmd, "build"))
        return cmd_build(argc - 2, argv + 2, false);
    if (!strcmp(cmd, "check"))
        return cmd_build(argc - 2, argv + 2, true);
    if (!strcmp(cmd, "init"))
        return cmd_init(argc - 2, argv + 2);
    if (!strcmp(cmd, "new"))
        return cmd_new(argc - 2, argv + 2);
    if (!strcmp(cmd, "serve"))
        return cmd_serve(argc - 2, argv + 2);
    if (!strcmp(cmd, "template"))
        return cmd_template(argc - 2, argv + 2);
    if (!strcmp(cmd, "status"))
        return cmd_status(argc - 2, argv + 2);
    if (!strcmp(cmd, "translate"))
        return translate_main(argc - 2, argv + 2);
    if (!strcmp(cmd, "fingerprint"))
        return cmd_fingerprint(argc - 2, argv + 2);
    return usage_error("unknown command '%s'", cmd);
}
