#include "scan.h"

#include "paths.h"
#include "inputs.h"
#include "pool.h"

#include <dirent.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>

#define NAMING                                                                                                   \
    "content files are named content/<kind>/<slug>.<lang>.md, with kind one of thuisopdrachten, gesprekken, " \
    "ouderavonden (recordings beside them <slug>.<lang>.opus, .ogg, .mp3 or .m4a); rename this file"

static bool slug_char(char c) { return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9'); }

bool scan_valid_slug(const char *s, size_t len)
{
    if (len == 0 || !slug_char(s[0]) || !slug_char(s[len - 1]))
        return false;
    for (size_t i = 1; i < len; i++) {
        if (slug_char(s[i]))
            continue;
        if (s[i] != '-' || s[i - 1] == '-')
            return false;
    }
    return true;
}

/* real and dir are both resolved (realpath) paths. */
static bool real_within(const char *real, const char *dir)
{
    size_t n = strlen(dir);
    if (n == 1 && dir[0] == '/')
        return true;
    return !strncmp(real, dir, n) && (real[n] == '\0' || real[n] == '/');
}

bool scan_path_inside(const char *path, const char *dir)
{
    char *rp = realpath(path, NULL);
    char *rd = realpath(dir, NULL);
    bool inside = rp && rd && real_within(rp, rd);
    free(rp);
    free(rd);
    return inside;
}

typedef struct {
    Arena *a;
    const char *root;      /* "" when the project is the current folder */
    const char *root_real; /* realpath of the project */
    const Config *c;
    Diags *d;
    ScanResult *out;
    size_t cap_files, cap_gl, cap_rec;
} Walk;

/* The path to open and to show in messages: relative paths stay relative
 * when the project is the current folder, as in the rest of lobgen. */
static const char *join(Walk *w, const char *rel) { return path_join(w->a, w->root, rel); }

/* a/b in the arena, without printf (a folder of a large library holds
 * tens of thousands of names) */
static char *concat3(Arena *ar, const char *a, size_t na, const char *b, size_t nb)
{
    char *s = arena_alloc_raw(ar, na + 1 + nb + 1);
    memcpy(s, a, na);
    s[na] = '/';
    memcpy(s + na + 1, b, nb);
    s[na + 1 + nb] = '\0';
    return s;
}

static int cmp_str(const void *x, const void *y) { return strcmp(*(char *const *)x, *(char *const *)y); }

static int cmp_file(const void *x, const void *y)
{
    return strcmp(((const SourceFile *)x)->path, ((const SourceFile *)y)->path);
}

/* Names in a folder without dot entries, sorted with strcmp (not the locale)
 * so every machine builds in the same order. Each name is followed by one
 * byte, its dirent type (DT_REG, DT_DIR, ..., DT_UNKNOWN when the file
 * system does not say), past its NUL: a folder of a large library holds
 * hundreds of thousands of files, and knowing a plain file from the
 * listing spares an lstat each. The names are in tmp; caller frees the
 * array. */
static bool list_dir(Walk *w, Arena *tmp, const char *path, char ***names, size_t *n)
{
    *names = NULL;
    *n = 0;
    DIR *dir = opendir(path);
    if (!dir) {
        diag_error(w->d, path, 0, 0, "cannot read this folder: %s; check its permissions", strerror(errno));
        return false;
    }
    inputs_note_dir(path, dir);
    size_t cap = 0;
    struct dirent *e;
    while ((e = readdir(dir)) != NULL) {
        if (path_is_editor_file(e->d_name))
            continue; /* dotfiles, editor swap and backup files, .git, . and .. */
        ALLOC_GROW(*names, *n + 1, cap);
        size_t len = strlen(e->d_name);
        char *name = arena_alloc_raw(tmp, len + 2);
        memcpy(name, e->d_name, len + 1);
        name[len + 1] = (char)e->d_type;
        (*names)[(*n)++] = name;
    }
    closedir(dir);
    if (*n)
        qsort(*names, *n, sizeof(char *), cmp_str);
    return true;
}

/* The dirent type list_dir stored after name. */
static unsigned char listed_type(const char *name) { return (unsigned char)name[strlen(name) + 1]; }

typedef enum { E_FILE, E_DIR, E_OTHER, E_BAD } EntryType;

/* What path is, following a symlink only when its target stays in the project. */
static EntryType entry_type(Walk *w, const char *path)
{
    struct stat st;
    if (lstat(path, &st) != 0) {
        diag_error(w->d, path, 0, 0, "cannot read this file: %s", strerror(errno));
        return E_BAD;
    }
    if (S_ISLNK(st.st_mode)) {
        char *real = realpath(path, NULL);
        if (!real) {
            diag_error(w->d, path, 0, 0, "this symlink points to something that does not exist (%s); fix the link or remove it",
                       strerror(errno));
            return E_BAD;
        }
        bool inside = real_within(real, w->root_real);
        free(real);
        if (!inside) {
            diag_error(w->d, path, 0, 0, "this symlink points outside the project; copy the file in instead");
            return E_BAD;
        }
        if (stat(path, &st) != 0) {
            diag_error(w->d, path, 0, 0, "cannot read this file: %s", strerror(errno));
            return E_BAD;
        }
    }
    if (S_ISDIR(st.st_mode))
        return E_DIR;
    if (S_ISREG(st.st_mode))
        return E_FILE;
    return E_OTHER;
}

static bool looks_like_tag(const char *s)
{
    size_t n = 0;
    while ((s[n] >= 'a' && s[n] <= 'z') || (s[n] >= 'A' && s[n] <= 'Z'))
        n++;
    return n >= 2 && n <= 3 && (s[n] == '\0' || s[n] == '-' || s[n] == '_');
}

/* Index of the configured language lang, or -1 after an error at path. */
static int file_lang(Walk *w, const char *path, const char *lang, size_t len, const char *naming)
{
    char buf[32]; /* every file has a tag: no copy in the arena for the usual short one */
    char *tag = len < sizeof buf ? memcpy(buf, lang, len) : arena_strndup(w->a, lang, len);
    tag[len] = '\0';
    int idx = config_lang_index(w->c, tag);
    if (idx >= 0)
        return idx;
    tag = arena_strndup(w->a, lang, len); /* for the messages below */
    for (size_t i = 0; i < w->c->n_langs; i++) {
        if (!strcasecmp(w->c->langs[i].tag, tag)) {
            diag_error(w->d, path, 0, 0,
                       "the language '%s' is not configured; did you mean '%s'? Rename the file to use the tag "
                       "as written in lobgen.yaml",
                       tag, w->c->langs[i].tag);
            return -1;
        }
    }
    if (config_valid_tag(tag) || looks_like_tag(tag))
        diag_error(w->d, path, 0, 0,
                   "the language '%s' is not configured; add it to languages in lobgen.yaml or rename the file", tag);
    else
        diag_error(w->d, path, 0, 0, "'%s' in the name is not a language tag (such as nl or ar-MA); %s", tag, naming);
    return -1;
}

static void add_file(Walk *w, SourceFile f)
{
    ScanResult *o = w->out;
    ARENA_GROW(w->a, o->files, o->n_files, o->n_files + 1, w->cap_files);
    o->files[o->n_files++] = f;
}

static void add_recording(Walk *w, SourceFile f)
{
    ScanResult *o = w->out;
    ARENA_GROW(w->a, o->recordings, o->n_recordings, o->n_recordings + 1, w->cap_rec);
    o->recordings[o->n_recordings++] = f;
}

static void add_glossary(Walk *w, const char *rel)
{
    ScanResult *o = w->out;
    ARENA_GROW(w->a, o->glossaries, o->n_glossaries, o->n_glossaries + 1, w->cap_gl);
    o->glossaries[o->n_glossaries++] = arena_strdup(w->a, rel);
}

/* Length of the recording extension name ends in (".opus" -> 5), or 0. */
static size_t recording_ext(const char *name, size_t n)
{
    static const char *const exts[] = {".opus", ".ogg", ".mp3", ".m4a"};
    for (size_t i = 0; i < sizeof exts / sizeof *exts; i++) {
        size_t e = strlen(exts[i]);
        if (n > e && !strcmp(name + n - e, exts[i]))
            return e;
    }
    return 0;
}

static void material(Walk *w, Kind kind, const char *name, const char *rel, const char *path)
{
    size_t n = strlen(name);
    size_t ext = recording_ext(name, n);
    /* a translation may also be a gettext PO file (translate.c assembles it) */
    bool is_po = !ext && n > 3 && !strcmp(name + n - 3, ".po");
    if (!ext && !is_po && (n < 3 || strcmp(name + n - 3, ".md"))) {
        if (n >= 3 && !strcasecmp(name + n - 3, ".md"))
            diag_error(w->d, path, 0, 0, "the extension must be .md in lowercase; %s", NAMING);
        else
            diag_error(w->d, path, 0, 0, "this is not a Markdown file (.md); %s", NAMING);
        return;
    }
    size_t stem = n - (ext ? ext : 3);
    const char *dot = NULL;
    for (size_t i = stem; i-- > 0;)
        if (name[i] == '.') {
            dot = name + i;
            break;
        }
    if (!dot || dot == name || (size_t)(dot - name) + 1 == stem) {
        diag_error(w->d, path, 0, 0, "the name needs a slug and a language, e.g. mijn-kwaliteiten.nl.md; %s", NAMING);
        return;
    }
    size_t slug_len = (size_t)(dot - name);
    int idx = file_lang(w, path, dot + 1, stem - slug_len - 1, NAMING);
    if (idx < 0)
        return;
    if (!scan_valid_slug(name, slug_len)) {
        diag_error(w->d, path, 0, 0,
                   "'%.*s' is not a valid slug: use lowercase letters a-z, digits and single hyphens between "
                   "them (e.g. mijn-kwaliteiten); %s",
                   (int)slug_len, name, NAMING);
        return;
    }
    SourceFile f = {
        .path = rel, /* arena-owned, this file's own */
        .abs = path,
        .kind = kind,
        .slug = arena_strndup(w->a, name, slug_len),
        .lang = w->c->langs[idx].tag,
        .lang_index = idx,
        .is_po = is_po,
    };
    if (ext) {
        add_recording(w, f);
        return;
    }
    if (is_po && idx == 0) {
        diag_error(w->d, path, 0, 0, "a PO file is a translation; the %s original is written in Markdown (%.*s.%s.md)",
                   f.lang, (int)slug_len, name, f.lang);
        return;
    }
    add_file(w, f);
}

static void walk_kind(Walk *w, Kind kind, const char *dir_rel, const char *dir_path)
{
    char **names;
    size_t n;
    Arena *tmp = arena_new();
    if (!list_dir(w, tmp, dir_path, &names, &n)) {
        arena_free(tmp);
        return;
    }
    /* path_join(root, dir_rel/name) is dir_path/name, and the relative
     * path its tail (or all of it, when the project is the current folder) */
    size_t dl = strlen(dir_path), rl = strlen(dir_rel);
    bool here = !strcmp(dir_path, dir_rel);
    for (size_t i = 0; i < n; i++) {
        size_t nl = strlen(names[i]);
        const char *path = concat3(w->a, dir_path, dl, names[i], nl);
        const char *rel = here ? path : path + dl - rl;
        /* a regular file by its listing needs no lstat; a symlink does (where it points) */
        switch (listed_type(names[i]) == DT_REG ? E_FILE : entry_type(w, path)) {
        case E_FILE:
            material(w, kind, names[i], rel, path);
            break;
        case E_DIR:
            diag_error(w->d, path, 0, 0,
                       "folders inside content/%s/ are not read; move the files in it up into content/%s/ "
                       "(leerjaar and niveau go in each file's front matter)",
                       kind_names[kind], kind_names[kind]);
            break;
        case E_OTHER:
            diag_error(w->d, path, 0, 0, "this is not a regular file; %s", NAMING);
            break;
        case E_BAD:
            break;
        }
    }
    free(names);
    arena_free(tmp);
}

static void top_file(Walk *w, const char *name, const char *rel, const char *path)
{
    static const char prefix[] = "woordenlijst.", suffix[] = ".yaml";
    const size_t np = sizeof prefix - 1, ns = sizeof suffix - 1;
    const char *naming =
        "only glossaries, named content/woordenlijst.<lang>.yaml, lie directly in content/; content files are "
        "named content/<kind>/<slug>.<lang>.md, with kind one of thuisopdrachten, gesprekken, ouderavonden; "
        "move or rename this file";
    size_t n = strlen(name);
    if (n > np + ns && !strncmp(name, prefix, np) && !strcmp(name + n - ns, suffix)) {
        if (file_lang(w, path, name + np, n - np - ns, naming) >= 0)
            add_glossary(w, rel);
        return;
    }
    diag_error(w->d, path, 0, 0, "%s", naming);
}

static void unknown_folder(Walk *w, const char *name, const char *path)
{
    const char *near = diag_closest(name, kind_names, KIND_COUNT, 2);
    if (near)
        diag_error(w->d, path, 0, 0,
                   "unknown folder '%s' in content/; did you mean '%s'? The folders in content/ are "
                   "thuisopdrachten, gesprekken and ouderavonden",
                   name, near);
    else
        diag_error(w->d, path, 0, 0,
                   "unknown folder '%s' in content/; the folders in content/ are thuisopdrachten, gesprekken "
                   "and ouderavonden: move its files into one of them, or out of content/",
                   name);
}

typedef struct {
    Arena *a; /* the strings of out, adopted by the scan's arena */
    ScanResult out;
} TopJob;

typedef struct {
    const Walk *w; /* root, config */
    char **names;  /* of content/, sorted */
    TopJob *jobs;  /* [n] */
} Top;

/* One entry of content/: a kind's folder walked, a glossary, or an error. */
static void top_job(void *ctx, size_t i, Arena *unused, Diags *d)
{
    (void)unused;
    Top *t = ctx;
    TopJob *j = &t->jobs[i];
    j->a = arena_new();
    Walk w = *t->w;
    w.a = j->a;
    w.d = d;
    w.out = &j->out;
    w.cap_files = w.cap_gl = w.cap_rec = 0;
    const char *name = t->names[i];
    const char *rel = arena_printf(w.a, "content/%s", name);
    const char *path = join(&w, rel);
    switch (entry_type(&w, path)) {
    case E_DIR: {
        Kind k = kind_from_name(name, strlen(name));
        if (k == KIND_COUNT)
            unknown_folder(&w, name, path);
        else
            walk_kind(&w, k, rel, path);
        break;
    }
    case E_FILE:
        top_file(&w, name, rel, path);
        break;
    case E_OTHER:
        diag_error(d, path, 0, 0, "this is not a regular file or folder; remove it from content/");
        break;
    case E_BAD:
        break;
    }
}

bool scan_content(Arena *a, const char *root, const Config *c, ScanResult *out, Diags *d)
{
    memset(out, 0, sizeof *out);
    size_t errors_before = diags_count(d, DIAG_ERROR);
    bool here = path_is_here(root);
    Walk w = {.a = a, .root = here ? "" : root, .c = c, .d = d, .out = out};

    char *root_real = realpath(here ? "." : w.root, NULL);
    if (!root_real) {
        diag_error(d, here ? "." : w.root, 0, 0, "cannot open the project folder: %s", strerror(errno));
        return false;
    }
    w.root_real = arena_strdup(a, root_real);
    free(root_real);

    const char *content = join(&w, "content");
    struct stat st;
    if (lstat(content, &st) != 0) {
        if (errno == ENOENT)
            diag_error(d, content, 0, 0,
                       "the project has no content/ folder; create it, with a folder per kind: "
                       "content/thuisopdrachten, content/gesprekken, content/ouderavonden");
        else
            diag_error(d, content, 0, 0, "cannot read the content/ folder: %s", strerror(errno));
        return false;
    }
    EntryType t = entry_type(&w, content);
    if (t == E_BAD)
        return false;
    if (t != E_DIR) {
        diag_error(d, content, 0, 0, "content must be a folder, with a folder per kind inside: thuisopdrachten, "
                                     "gesprekken, ouderavonden");
        return false;
    }

    char **names;
    size_t n;
    Arena *tmp = arena_new();
    if (!list_dir(&w, tmp, content, &names, &n)) {
        arena_free(tmp);
        return false;
    }
    /* each entry of content/ (a kind's folder holds a third of a large
     * library) on a thread, into its own arena and results; the results
     * and the messages are joined in the order of the names */
    Top top = {.w = &w, .names = names, .jobs = xcalloc(n + 1, sizeof(TopJob))};
    run_parallel(default_threads(), n, top_job, &top, NULL, NULL, d);
    size_t nf = 0, nr = 0, ng = 0;
    for (size_t i = 0; i < n; i++) {
        nf += top.jobs[i].out.n_files;
        nr += top.jobs[i].out.n_recordings;
        ng += top.jobs[i].out.n_glossaries;
    }
    out->files = arena_alloc_raw(a, (nf + 1) * sizeof(SourceFile));
    out->recordings = arena_alloc_raw(a, (nr + 1) * sizeof(SourceFile));
    out->glossaries = arena_alloc_raw(a, (ng + 1) * sizeof(char *));
    for (size_t i = 0; i < n; i++) {
        const ScanResult *r = &top.jobs[i].out;
        if (r->n_files)
            memcpy(out->files + out->n_files, r->files, r->n_files * sizeof(SourceFile));
        if (r->n_recordings)
            memcpy(out->recordings + out->n_recordings, r->recordings, r->n_recordings * sizeof(SourceFile));
        if (r->n_glossaries)
            memcpy((void *)(out->glossaries + out->n_glossaries), r->glossaries, r->n_glossaries * sizeof(char *));
        out->n_files += r->n_files;
        out->n_recordings += r->n_recordings;
        out->n_glossaries += r->n_glossaries;
        arena_adopt(a, top.jobs[i].a);
    }
    free(top.jobs);
    free(names);
    arena_free(tmp);

    /* the walk lists each kind's folder sorted, the kinds in sorted order:
     * the paths are in order already unless a name broke the pattern */
    bool sorted = true;
    for (size_t i = 1; i < out->n_files && sorted; i++)
        sorted = cmp_file(&out->files[i - 1], &out->files[i]) <= 0;
    if (!sorted)
        qsort(out->files, out->n_files, sizeof(SourceFile), cmp_file);
    if (out->n_recordings)
        qsort(out->recordings, out->n_recordings, sizeof(SourceFile), cmp_file);
    if (out->n_glossaries)
        qsort((void *)out->glossaries, out->n_glossaries, sizeof(char *), cmp_str);
    return diags_count(d, DIAG_ERROR) == errors_before;
}
