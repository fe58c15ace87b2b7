#include "scaffold.h"

#include "cachefile.h"

#include "buf.h"
#include "config.h"
#include "paths.h"
#include "status.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unicode/uenum.h>
#include <unicode/ustring.h>
#include <unicode/uloc.h>
#include <unicode/upluralrules.h>
#include <unicode/ustring.h>
#include <unistd.h>

static bool is_dir(const char *p)
{
    struct stat st;
    return stat(p, &st) == 0 && S_ISDIR(st.st_mode);
}

static bool has_templates(const char *dir)
{
    Buf b = BUF_INIT;
    buf_printf(&b, "%s/templates/layout.mustache", dir);
    struct stat st;
    bool ok = stat(b.data, &st) == 0;
    buf_free(&b);
    return ok;
}

char *scaffold_data_dir(void)
{
    const char *env = getenv("LOBGEN_DATA_DIR");
    if (env && *env)
        return has_templates(env) ? xstrdup(env) : NULL;
    char exe[PATH_MAX];
    ssize_t n = readlink("/proc/self/exe", exe, sizeof exe - 1);
    if (n <= 0)
        return NULL;
    exe[n] = '\0';
    char *slash = strrchr(exe, '/');
    if (!slash)
        return NULL;
    *slash = '\0'; /* the binary's folder: <prefix>/bin or <clone>/build */
    /* build/lobgen, or build/test/lobgen and build/asan/lobgen, in a clone */
    static const char *const rel[] = {"/../share/lobgen", "/..", "/../.."};
    for (int i = 0; i < 3; i++) {
        Buf b = BUF_INIT;
        buf_printf(&b, "%s%s", exe, rel[i]);
        char real[PATH_MAX];
        if (has_templates(b.data) && realpath(b.data, real)) {
            buf_free(&b);
            return xstrdup(real);
        }
        buf_free(&b);
    }
    return NULL;
}

/* Write a new file; never replaces one. */
static bool write_new(const char *path, const char *data, size_t len, Diags *d)
{
    int fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0644);
    if (fd < 0) {
        if (errno == EEXIST)
            diag_error(d, path, 0, 0, "the file already exists; lobgen does not overwrite it (remove or rename it first)");
        else
            diag_error(d, path, 0, 0, "cannot create the file: %s", strerror(errno));
        return false;
    }
    bool ok = write(fd, data, len) == (ssize_t)len;
    if (close(fd) != 0)
        ok = false;
    if (!ok)
        diag_error(d, path, 0, 0, "cannot write the file: %s", strerror(errno));
    return ok;
}

static bool copy_tree(const char *from, const char *to, Diags *d)
{
    if (mkdir(to, 0755) != 0 && errno != EEXIST) {
        diag_error(d, to, 0, 0, "cannot create the folder: %s", strerror(errno));
        return false;
    }
    DIR *dir = opendir(from);
    if (!dir) {
        diag_error(d, from, 0, 0, "cannot read the folder: %s", strerror(errno));
        return false;
    }
    bool ok = true;
    struct dirent *e;
    while (ok && (e = readdir(dir))) {
        if (path_is_editor_file(e->d_name))
            continue;
        Buf s = BUF_INIT, t = BUF_INIT;
        buf_printf(&s, "%s/%s", from, e->d_name);
        buf_printf(&t, "%s/%s", to, e->d_name);
        if (is_dir(s.data)) {
            ok = copy_tree(s.data, t.data, d);
        } else {
            size_t len;
            char *data = read_file(s.data, &len);
            if (!data) {
                diag_error(d, s.data, 0, 0, "cannot read the file: %s", strerror(errno));
                ok = false;
            } else {
                ok = write_new(t.data, data, len, d);
                free(data);
            }
        }
        buf_free(&s);
        buf_free(&t);
    }
    closedir(dir);
    return ok;
}

/* ---- archetypes ------------------------------------------------------------- */

typedef struct {
    const char *kind, *folder;
    const char *front; /* the kind's own keys, after title, summary and leerjaar */
    const char *body;
} Archetype;

static const Archetype ARCHETYPES[] = {
    {"thuisopdracht", "thuisopdrachten",
     "# niveau: [bb, kb, gl, tl]     # leave out for every level\n"
     "competenties: [kwaliteitenreflectie] # also: motievenreflectie, werkexploratie, loopbaansturing, netwerken, verwachtingen\n"
     "week: 5                        # school-year week, 1 to 52: places it in the year's line\n"
     "# deadline: 2026-10-09         # the day the pupil hands it in\n"
     "# prepares: gesprekken/SLUG    # the conversation this assignment prepares\n",
     "## Voor ouders\n"
     "\n"
     "Schrijf hier in korte zinnen wat ouders samen met hun kind doen, en waarom.\n"
     "\n"
     "## Zo werkt het\n"
     "\n"
     "1. Kies samen een rustig moment.\n"
     "2. Uw kind stelt de vragen. U vertelt.\n"
     "\n"
     "```antwoord regels=4\n"
     "Wat kun jij goed?\n"
     "```\n"
     "\n"
     "```tip\n"
     "Laat uw kind eerst vertellen.\n"
     "```\n"},
    {"gesprek", "gesprekken",
     "week: 8                        # school-year week, 1 to 52\n"
     "duration: 20                   # minutes; a conversation takes 15 to 20\n"
     "# date: 2026-10-27             # the day of the conversation round\n"
     "# follows: thuisopdrachten/SLUG  # the home assignment this conversation discusses\n",
     "## Voorbereiding\n"
     "\n"
     "De leerling leidt het gesprek. Neem de antwoorden van de thuisopdracht mee.\n"
     "\n"
     "## Het gesprek\n"
     "\n"
     "- Wat ging goed?\n"
     "- Wat wil je nog weten?\n"
     "\n"
     "```afspraken regels=3\n"
     "Wat spreken we af?\n"
     "```\n"},
    {"ouderavond", "ouderavonden",
     "week: 12                       # school-year week, 1 to 52\n"
     "duration: 90                   # minutes\n"
     "# date: \"2026-11-19 19:00\"     # the evening, with its starting time\n"
     "# follows: gesprekken/SLUG     # the conversation this evening builds on\n",
     "## Programma\n"
     "\n"
     "```programma\n"
     "- 19:00 Welkom\n"
     "- 19:30 Presentaties door de leerlingen\n"
     "- 20:30 Napraten\n"
     "```\n"
     "\n"
     "```vraagwijzer\n"
     "- Wat vond je het leukst?\n"
     "- Wat wil je nog weten?\n"
     "```\n"},
};

static const Archetype *archetype(const char *kind)
{
    for (size_t i = 0; i < sizeof ARCHETYPES / sizeof ARCHETYPES[0]; i++)
        if (!strcmp(ARCHETYPES[i].kind, kind))
            return &ARCHETYPES[i];
    return NULL;
}

static bool slug_ok(const char *s)
{
    if (!*s || *s == '-')
        return false;
    for (const char *p = s; *p; p++) {
        bool alnum = (*p >= 'a' && *p <= 'z') || (*p >= '0' && *p <= '9');
        if (!alnum && !(*p == '-' && p[1] && p[1] != '-'))
            return false;
    }
    return true;
}

/* "naar-de-open-dag" -> "Naar de open dag" */
static void title_of(const char *slug, Buf *b)
{
    for (const char *p = slug; *p; p++)
        buf_putc(b, *p == '-' ? ' ' : (p == slug && *p >= 'a' && *p <= 'z') ? (char)(*p - 'a' + 'A') : *p);
}

static void put_material(Buf *b, const Archetype *at, const char *slug, int leerjaar, const char *link)
{
    buf_printf(b, "---\n# A %s; docs/content.md and 'man 5 lobgen' describe every key.\n", at->kind);
    buf_puts(b, "title: \"");
    title_of(slug, b);
    buf_puts(b, "\"\nsummary: \"Een of twee zinnen over de inhoud, voor lijsten, feeds en de aankondiging.\"\n");
    buf_printf(b, "leerjaar: %d                    # 1 to 4, or several: [1, 2]\n", leerjaar);
    const char *front = at->front;
    if (link) {
        /* init links its examples into one line of the year */
        const char *hash = strstr(front, "# follows: ");
        if (hash) {
            buf_append(b, front, (size_t)(hash - front));
            buf_printf(b, "follows: %s\n", link);
            front = strchr(hash, '\n') + 1;
        }
    }
    buf_puts(b, front);
    buf_puts(b, "---\n\n");
    buf_puts(b, at->body);
}

static bool source_lang(const char *root, Arena *a, Config *cfg, Diags *d)
{
    return config_load(a, root, cfg, d) && cfg->n_langs > 0;
}

bool scaffold_new_material(const char *root, const char *kind, const char *slug, int leerjaar, char **written,
                           Diags *d)
{
    const Archetype *at = archetype(kind);
    if (!at) {
        diag_error(d, NULL, 0, 0, "'%s' is not a kind of material; use thuisopdracht, gesprek or ouderavond", kind);
        return false;
    }
    if (!slug_ok(slug)) {
        diag_error(d, NULL, 0, 0,
                   "'%s' cannot be a slug: use lowercase letters a-z, digits and single hyphens, e.g. wie-ben-ik",
                   slug);
        return false;
    }
    if (leerjaar < 1 || leerjaar > 4) {
        diag_error(d, NULL, 0, 0, "--leerjaar must be 1, 2, 3 or 4");
        return false;
    }
    Arena *a = arena_new();
    Config cfg;
    bool ok = source_lang(root, a, &cfg, d);
    if (ok) {
        Buf dir = BUF_INIT, path = BUF_INIT, text = BUF_INIT;
        buf_printf(&dir, "%s/content", root);
        mkdir(dir.data, 0755);
        buf_printf(&dir, "/%s", at->folder);
        mkdir(dir.data, 0755);
        buf_printf(&path, "%s/%s.%s.md", dir.data, slug, cfg.langs[0].tag);
        put_material(&text, at, slug, leerjaar, NULL);
        ok = write_new(path.data, text.data, text.len, d);
        if (ok)
            *written = buf_detach(&path);
        buf_free(&dir);
        buf_free(&path);
        buf_free(&text);
    }
    arena_free(a);
    return ok;
}

/* ---- translations ------------------------------------------------------------ */

static char *english_name(const char *tag)
{
    char icu[ULOC_FULLNAME_CAPACITY];
    UErrorCode e = U_ZERO_ERROR;
    int32_t parsed;
    uloc_forLanguageTag(tag, icu, sizeof icu, &parsed, &e);
    UChar name[128];
    e = U_ZERO_ERROR;
    int32_t n = uloc_getDisplayName(icu, "en", name, 128, &e);
    Buf b = BUF_INIT;
    for (int32_t i = 0; U_SUCCESS(e) && i < n; i++)
        buf_putc(&b, name[i] < 128 ? (char)name[i] : '?');
    return buf_detach(&b);
}

bool scaffold_new_translation(const char *root, const char *file, const char *lang, char **written, Diags *d)
{
    Arena *a = arena_new();
    Config cfg;
    bool ok = source_lang(root, a, &cfg, d);
    const char *src = ok ? cfg.langs[0].tag : "";
    file = path_arg(a, root, file); /* from here, or from the project as status prints it */
    if (ok && config_lang_index(&cfg, lang) < 1) {
        config_not_a_translation_language(d, &cfg, lang);
        ok = false;
    }
    /* <dir>/<slug>.<src>.md */
    Buf suffix = BUF_INIT, out = BUF_INIT;
    buf_printf(&suffix, ".%s.md", src);
    size_t fl = strlen(file);
    if (ok && (fl <= suffix.len || strcmp(file + fl - suffix.len, suffix.data))) {
        diag_error(d, file, 0, 0, "this is not a %s material; give the source file, e.g. content/thuisopdrachten/wie-ben-ik.%s.md",
                   src, src);
        ok = false;
    }
    size_t len = 0;
    char *text = ok ? read_file(file, &len) : NULL;
    if (ok && !text) {
        diag_error(d, file, 0, 0, "cannot read the file: %s", strerror(errno));
        ok = false;
    }
    char fp[17];
    if (ok)
        ok = status_fingerprint_file(file, fp, d);
    const char *body = NULL;
    if (ok) {
        const char *close = strncmp(text, "---\n", 4) ? NULL : strstr(text + 3, "\n---\n");
        if (!close) {
            diag_error(d, file, 1, 1, "no front matter between two lines '---'");
            ok = false;
        } else {
            body = close + 5;
            char *fm = arena_strndup(a, text + 4, (size_t)(close + 1 - (text + 4)));
            char *name = english_name(lang);
            buf_printf(&out, "---\n# The %s translation. Translate the title, the summary and the text below;\n"
                             "# keep the lines ``` of the blocks, and their first words, as they are.\n"
                             "# When it is done, remove the line 'draft: true'; until then readers see the %s text.\n",
                       name, src);
            free(name);
            /* title: and summary: with their continuation lines */
            bool keep = false;
            for (char *line = fm; *line;) {
                char *nl = strchr(line, '\n');
                size_t ll = nl ? (size_t)(nl - line + 1) : strlen(line);
                if (line[0] != ' ' && line[0] != '\t')
                    keep = !strncmp(line, "title:", 6) || !strncmp(line, "summary:", 8);
                if (keep)
                    buf_append(&out, line, ll);
                line += ll;
            }
            buf_printf(&out, "draft: true\ntranslation:\n  source: %s\n  reviewed: false\n---\n", fp);
            buf_puts(&out, body);
            Buf path = BUF_INIT;
            buf_append(&path, file, fl - suffix.len);
            buf_printf(&path, ".%s.po", lang);
            struct stat po;
            if (stat(path.data, &po) == 0) {
                /* one translation per material and language: a .md beside
                 * it would make the build fail */
                diag_error(d, path.data, 0, 0, "this material already has a PO translation in %s; edit that "
                           "file in a PO editor (lobgen translate update brings it up to date), or remove it first",
                           lang);
                ok = false;
            } else {
                buf_clear(&path);
                buf_append(&path, file, fl - suffix.len);
                buf_printf(&path, ".%s.md", lang);
                ok = write_new(path.data, out.data, out.len, d);
            }
            if (ok)
                *written = buf_detach(&path);
            buf_free(&path);
        }
    }
    free(text);
    buf_free(&suffix);
    buf_free(&out);
    arena_free(a);
    return ok;
}

/* ---- languages ------------------------------------------------------------------ */

static bool icu_language_known(const char *icu)
{
    char base[ULOC_LANG_CAPACITY];
    UErrorCode e = U_ZERO_ERROR;
    uloc_getLanguage(icu, base, sizeof base, &e);
    if (U_FAILURE(e) || !base[0])
        return false;
    for (const char *const *l = uloc_getISOLanguages(); *l; l++)
        if (!strcmp(*l, base))
            return true;
    return false;
}

static void utf8_display_name(const char *icu, Buf *b)
{
    UChar name[256];
    UErrorCode e = U_ZERO_ERROR;
    int32_t n = uloc_getDisplayName(icu, icu, name, 256, &e);
    if (U_FAILURE(e))
        return;
    char utf8[1024];
    int32_t ul;
    e = U_ZERO_ERROR;
    u_strToUTF8(utf8, sizeof utf8, &ul, name, n, &e);
    if (U_SUCCESS(e))
        buf_append(b, utf8, (size_t)ul);
}

/* The categories ICU's CLDR rules use for the language, in CLDR's order. */
static void plural_categories(const char *icu, Buf *b)
{
    static const char *const order[] = {"zero", "one", "two", "few", "many", "other"};
    UErrorCode e = U_ZERO_ERROR;
    UPluralRules *pr = uplrules_open(icu, &e);
    UEnumeration *en = U_SUCCESS(e) ? uplrules_getKeywords(pr, &e) : NULL;
    bool have[6] = {false};
    const char *kw;
    while (en && U_SUCCESS(e) && (kw = uenum_next(en, NULL, &e)))
        for (int i = 0; i < 6; i++)
            if (!strcmp(kw, order[i]))
                have[i] = true;
    have[5] = true;
    bool first = true;
    for (int i = 0; i < 6; i++)
        if (have[i]) {
            buf_printf(b, "%s%s", first ? "" : ", ", order[i]);
            first = false;
        }
    if (en)
        uenum_close(en);
    if (pr)
        uplrules_close(pr);
}

/* Add tag to the languages of lobgen.yaml, in the file's own style: a flow
 * list [nl, tr] or one "- tag" line per language. */
static bool add_to_config(const char *path, const char *tag, Diags *d)
{
    size_t len;
    char *text = read_file(path, &len);
    if (!text) {
        diag_error(d, path, 0, 0, "cannot read the file: %s", strerror(errno));
        return false;
    }
    Buf out = BUF_INIT;
    bool done = false;
    char *line = text;
    while (*line && !done) {
        char *nl = strchr(line, '\n');
        size_t ll = nl ? (size_t)(nl - line + 1) : strlen(line);
        if (!strncmp(line, "languages:", 10)) {
            char *close = memchr(line, ']', ll);
            if (close) {
                buf_append(&out, line, (size_t)(close - line));
                buf_printf(&out, ", %s", tag);
                buf_append(&out, close, ll - (size_t)(close - line));
                line += ll;
            } else {
                buf_append(&out, line, ll);
                line += ll;
                /* the block list's item lines, then ours with their indent */
                int indent = 2;
                while (*line) {
                    char *n2 = strchr(line, '\n');
                    size_t l2 = n2 ? (size_t)(n2 - line + 1) : strlen(line);
                    size_t sp = strspn(line, " ");
                    if (line[sp] != '-')
                        break;
                    indent = (int)sp;
                    buf_append(&out, line, l2);
                    line += l2;
                }
                if (out.len && out.data[out.len - 1] != '\n')
                    buf_putc(&out, '\n');
                buf_printf(&out, "%*s- %s\n", indent, "", tag);
            }
            done = true;
            continue;
        }
        buf_append(&out, line, ll);
        line += ll;
    }
    buf_puts(&out, line);
    bool ok = done;
    if (!done) {
        diag_error(d, path, 0, 0, "no line 'languages:' to add %s to; add it by hand", tag);
    } else {
        /* unnamed until whole (cachefile.h): lobgen.yaml is the old one or
         * the new one, and nothing is left beside it, however this ends */
        const char *why = cachefile_replace(path, out.data ? out.data : "", out.len);
        ok = !why;
        if (why)
            diag_error(d, path, 0, 0, "cannot update the file: %s", why);
    }
    buf_free(&out);
    free(text);
    return ok;
}

bool scaffold_new_language(const char *root, const char *tag, char **written, Diags *d)
{
    char icu[ULOC_FULLNAME_CAPACITY];
    UErrorCode e = U_ZERO_ERROR;
    int32_t parsed = 0;
    if (config_valid_tag(tag))
        uloc_forLanguageTag(tag, icu, sizeof icu, &parsed, &e);
    if (!config_valid_tag(tag) || U_FAILURE(e) || parsed != (int32_t)strlen(tag) || !icu_language_known(icu)) {
        Arena *ta = arena_new();
        const char *fixed = config_valid_tag(tag) ? NULL : config_recased_tag(ta, tag);
        char ficu[ULOC_FULLNAME_CAPACITY];
        UErrorCode fe = U_ZERO_ERROR;
        if (fixed)
            uloc_forLanguageTag(fixed, ficu, sizeof ficu, &parsed, &fe);
        if (fixed && (U_FAILURE(fe) || parsed != (int32_t)strlen(fixed) || !icu_language_known(ficu)))
            fixed = NULL;
        if (fixed)
            diag_error(d, NULL, 0, 0, "'%s' is written '%s' in lobgen.yaml and file names; run: lobgen new language %s",
                       tag, fixed, fixed);
        else
            diag_error(d, NULL, 0, 0, "'%s' is not a language ICU knows; use a BCP 47 tag such as fa, so, ti or ar-MA",
                       tag);
        arena_free(ta);
        return false;
    }
    Arena *a = arena_new();
    Config cfg;
    bool ok = source_lang(root, a, &cfg, d);
    /* a language already configured (without its file) only gets the file */
    bool configured = ok && config_lang_index(&cfg, tag) >= 0;
    Buf srcpath = BUF_INIT, path = BUF_INIT, out = BUF_INIT;
    char *src = NULL;
    size_t len;
    if (ok) {
        buf_printf(&srcpath, "%s/locales/%s.yaml", root, cfg.langs[0].tag);
        src = read_file(srcpath.data, &len);
        if (!src) {
            diag_error(d, srcpath.data, 0, 0, "cannot read the source language's locale file: %s", strerror(errno));
            ok = false;
        }
    }
    if (ok) {
        Buf native = BUF_INIT, cats = BUF_INIT;
        utf8_display_name(icu, &native);
        plural_categories(icu, &cats);
        char *en = english_name(tag);
        bool rtl = uloc_isRightToLeft(icu);
        buf_printf(&out,
                   "# %s (%s): made by 'lobgen new language %s' from locales/%s.yaml.\n"
                   "# Every string under strings: is still to translate: remove the '# '\n"
                   "# before its key and write the text in %s. 'lobgen check' lists the\n"
                   "# strings still missing; until one is there, readers see the %s text.\n"
                   "name: \"%s\"\n"
                   "direction: %s\n"
                   "reviewed: false  # true once a native speaker has checked every string\n"
                   "# CLDR plural categories of %s (from ICU): %s\n",
                   native.data ? native.data : tag, en, tag, cfg.langs[0].tag, en, cfg.langs[0].tag,
                   native.data ? native.data : tag, rtl ? "rtl" : "ltr", tag, cats.data);
        /* the source's strings, each commented out; a plural map is shown
         * with the categories this language needs */
        bool in_strings = false;
        for (char *line = src; *line;) {
            char *nl = strchr(line, '\n');
            size_t ll = nl ? (size_t)(nl - line + 1) : strlen(line);
            if (!in_strings) {
                if (!strncmp(line, "strings:", 8)) {
                    in_strings = true;
                    buf_puts(&out, "strings:\n");
                }
            } else {
                size_t sp = strspn(line, " ");
                if (line[sp] == '\n' || line[sp] == '#' || line[sp] == '\0') {
                    buf_append(&out, line, ll);
                } else {
                    buf_append(&out, line, sp);
                    buf_puts(&out, "# ");
                    buf_append(&out, line + sp, ll - sp);
                    char *colon = memchr(line, ':', ll);
                    bool opens_map = colon && strspn(colon + 1, " \r") == (size_t)(line + ll - colon - 2);
                    if (sp == 2 && opens_map)
                        buf_printf(&out, "  #   (plural: write the forms %s)\n", cats.data);
                }
            }
            line += ll;
        }
        buf_free(&native);
        buf_free(&cats);
        free(en);
        buf_printf(&path, "%s/locales", root);
        mkdir(path.data, 0755);
        buf_printf(&path, "/%s.yaml", tag);
        ok = write_new(path.data, out.data, out.len, d);
        if (ok && !configured) {
            Buf cp = BUF_INIT;
            buf_printf(&cp, "%s/lobgen.yaml", root);
            ok = add_to_config(cp.data, tag, d);
            if (!ok)
                remove(path.data);
            buf_free(&cp);
        }
        if (ok)
            *written = buf_detach(&path);
    }
    free(src);
    buf_free(&srcpath);
    buf_free(&path);
    buf_free(&out);
    arena_free(a);
    return ok;
}

/* ---- init ------------------------------------------------------------------------ */

static const char CONFIG_TEMPLATE[] =
    "# lobgen.yaml: the project's settings ('man 5 lobgen', README).\n"
    "title: \"LOB samen met ouders\"        # the site's name, on every page\n"
    "school: \"Naam van de school\"          # your school's name\n"
    "base_url: \"https://lob.example.org\"  # where the site will live: feeds, calendar and the sitemap use it\n"
    "languages:\n"
    "  - nl   # the source language: every material is written in Dutch first\n"
    "# add a language with 'lobgen new language TAG', e.g. lobgen new language tr\n"
    "output: site                         # 'lobgen build' writes the site here\n";

/* mkdir -p, as git init makes the folders a new repository's path lacks:
 * 0, or -1 with errno of the first mkdir that failed for another reason
 * than that the folder is there. */
static int make_parents(const char *dir)
{
    char *p = xstrdup(dir);
    for (char *s = p + 1; *s; s++) {
        if (*s != '/')
            continue;
        *s = '\0';
        if (mkdir(p, 0755) != 0 && errno != EEXIST) {
            int e = errno;
            free(p);
            errno = e;
            return -1;
        }
        *s = '/';
    }
    free(p);
    return 0;
}

bool scaffold_init(const char *dir, Diags *d)
{
    /* first where the templates come from: a failed init makes no folder */
    char *data = scaffold_data_dir();
    if (!data) {
        const char *env = getenv("LOBGEN_DATA_DIR");
        if (env && *env)
            diag_error(d, NULL, 0, 0,
                       "LOBGEN_DATA_DIR is '%s', which holds no templates/ and locales/; point it at the folder that "
                       "does, or unset it to use lobgen's own",
                       env);
        else
            diag_error(d, NULL, 0, 0,
                       "cannot find lobgen's default templates; install lobgen with 'make install', or set "
                       "LOBGEN_DATA_DIR to the folder that holds templates/ and locales/");
        return false;
    }
    if (mkdir(dir, 0755) != 0 && !(errno == ENOENT && make_parents(dir) == 0 && mkdir(dir, 0755) == 0)) {
        int why = errno;
        struct stat st;
        if (why == EEXIST && stat(dir, &st) == 0 && !S_ISDIR(st.st_mode)) {
            diag_error(d, dir, 0, 0, "this is a file, not a folder; give the path of a new folder for the project");
            free(data);
            return false;
        }
        DIR *dd = why == EEXIST ? opendir(dir) : NULL;
        bool empty = dd != NULL;
        struct dirent *e;
        while (dd && (e = readdir(dd)))
            if (strcmp(e->d_name, ".") && strcmp(e->d_name, ".."))
                empty = false;
        if (dd)
            closedir(dd);
        if (!empty) {
            if (why == EEXIST)
                diag_error(d, dir, 0, 0, "the folder exists and is not empty; give a new folder");
            else
                diag_error(d, dir, 0, 0, "cannot create the folder: %s", strerror(why));
            free(data);
            return false;
        }
    }
    Buf p = BUF_INIT, q = BUF_INIT;
    bool ok = true;
    buf_printf(&p, "%s/templates", data);
    buf_printf(&q, "%s/templates", dir);
    ok = copy_tree(p.data, q.data, d);
    buf_clear(&p);
    buf_clear(&q);
    buf_printf(&q, "%s/locales", dir);
    if (ok && mkdir(q.data, 0755) != 0) {
        diag_error(d, q.data, 0, 0, "cannot create the folder: %s", strerror(errno));
        ok = false;
    }
    if (ok) {
        buf_printf(&p, "%s/locales/nl.yaml", data);
        buf_puts(&q, "/nl.yaml");
        size_t len;
        char *nl = read_file(p.data, &len);
        ok = nl && write_new(q.data, nl, len, d);
        if (!nl)
            diag_error(d, p.data, 0, 0, "cannot read the file: %s", strerror(errno));
        free(nl);
    }
    buf_clear(&q);
    buf_printf(&q, "%s/lobgen.yaml", dir);
    ok = ok && write_new(q.data, CONFIG_TEMPLATE, sizeof CONFIG_TEMPLATE - 1, d);
    buf_clear(&q);
    buf_printf(&q, "%s/.gitignore", dir);
    static const char GITIGNORE[] = "# lobgen build writes the site here\nsite/\n"
                                    "# beside it, what builds keep: the lock they take turns on, the list of\n"
                                    "# built pages, the previous site (the spare) and a new site while it is written\n"
                                    ".site.lobgen-*\n"
                                    "# made audio, QR codes and parsed front matter, kept between builds\n"
                                    ".lobgen-cache/\n";
    ok = ok && write_new(q.data, GITIGNORE, sizeof GITIGNORE - 1, d);
    /* one example per kind, in one line of the year */
    static const struct {
        const char *kind, *slug, *follows;
    } ex[] = {{"thuisopdracht", "wat-kan-ik", NULL},
              {"gesprek", "gesprek-over-kwaliteiten", "thuisopdrachten/wat-kan-ik"},
              {"ouderavond", "ouderavond-leerjaar-1", "gesprekken/gesprek-over-kwaliteiten"}};
    for (int i = 0; ok && i < 3; i++) {
        const Archetype *at = archetype(ex[i].kind);
        buf_clear(&q);
        buf_printf(&q, "%s/content", dir);
        mkdir(q.data, 0755);
        buf_printf(&q, "/%s", at->folder);
        mkdir(q.data, 0755);
        buf_printf(&q, "/%s.nl.md", ex[i].slug);
        Buf text = BUF_INIT;
        put_material(&text, at, ex[i].slug, 1, ex[i].follows);
        ok = write_new(q.data, text.data, text.len, d);
        buf_free(&text);
    }
    buf_free(&p);
    buf_free(&q);
    free(data);
    return ok;
}
