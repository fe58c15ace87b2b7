#include "config.h"

#include "audio.h"
#include "paths.h"

#include "encoding.h"
#include "yamlload.h"

#include <errno.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>

static const char *const config_keys[] = {"title", "school", "base_url", "languages", "output", "print", "audio", "feed", "home"};
#define N_CONFIG_KEYS (sizeof config_keys / sizeof *config_keys)
static const char *const lang_keys[] = {"tag", "encoding"};
#define N_LANG_KEYS (sizeof lang_keys / sizeof *lang_keys)

/* One line: a diagnostic is one line (diag_format shows a line break as
 * \x0A), so the keys of the example are listed with where each goes. */
static const char *const example = "'title: Ouders en loopbaan', 'school: Het Baken', "
                                   "'base_url: https://lob.hetbaken.nl' and 'languages: [nl, tr, ar]', "
                                   "each on a line of its own";

static void unknown_key(Diags *d, const char *file, int line, int col, const char *key, const char *where,
                        const char *const *names, size_t n)
{
    Buf known = BUF_INIT;
    for (size_t i = 0; i < n; i++) {
        if (i)
            buf_puts(&known, i + 1 == n ? " and " : ", ");
        buf_puts(&known, names[i]);
    }
    const char *near = diag_closest(key, names, n, 2);
    if (near)
        diag_error(d, file, line, col, "unknown key '%s'%s; did you mean '%s'?", key, where, near);
    else
        diag_error(d, file, line, col, "unknown key '%s'%s; the keys are %s", key, where, buf_cstr(&known));
    buf_free(&known);
}

static const char *kind_word(const Value *v)
{
    switch (v->kind) {
    case V_NULL: return "empty";
    case V_BOOL: return "true or false";
    case V_NUM: return "a number";
    case V_STR: return "text";
    case V_LIST: return "a list";
    case V_MAP: return "a map";
    }
    return "of another kind";
}

static bool is_alpha(char c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'); }
static bool is_lower(char c) { return c >= 'a' && c <= 'z'; }
static bool is_upper(char c) { return c >= 'A' && c <= 'Z'; }
static bool is_digit(char c) { return c >= '0' && c <= '9'; }

bool config_valid_tag(const char *tag)
{
    if (!tag)
        return false;
    const char *p = tag;
    size_t n = 0;
    while (is_lower(p[n]))
        n++;
    if (n < 2 || n > 3)
        return false;
    p += n;
    if (*p == '-' && is_upper(p[1]) && is_lower(p[2]) && is_lower(p[3]) && is_lower(p[4]) &&
        (p[5] == '\0' || p[5] == '-'))
        p += 5; /* Script, e.g. Latn */
    if (*p == '-') {
        if (is_upper(p[1]) && is_upper(p[2]) && p[3] == '\0')
            p += 3; /* REGION, e.g. MA */
        else if (is_digit(p[1]) && is_digit(p[2]) && is_digit(p[3]) && p[4] == '\0')
            p += 4; /* UN M.49 region, e.g. 419 */
    }
    return *p == '\0';
}

char *config_recased_tag(Arena *a, const char *tag)
{
    char *t = arena_strdup(a, tag);
    size_t part = 0, start = 0;
    for (size_t i = 0;; i++) {
        if (t[i] == '-' || t[i] == '_' || t[i] == '\0') {
            size_t len = i - start;
            for (size_t k = start; k < i; k++) {
                char c = t[k];
                bool up = part > 0 && (len == 2 || (len == 4 && k == start));
                if (is_alpha(c))
                    t[k] = up ? (char)(c & ~0x20) : (char)(c | 0x20);
            }
            if (t[i] == '\0')
                break;
            t[i] = '-';
            part++;
            start = i + 1;
        }
    }
    return config_valid_tag(t) ? t : NULL;
}

int config_lang_index(const Config *c, const char *tag)
{
    for (size_t i = 0; i < c->n_langs; i++)
        if (!strcmp(c->langs[i].tag, tag))
            return (int)i;
    return -1;
}

typedef struct {
    Arena *a;
    const char *file;
    Diags *d;
} Ctx;

/* A non-empty text value, or NULL after an error. */
static const char *text_value(Ctx *x, const char *key, const Value *v, const char *hint)
{
    if (v->kind == V_NULL) {
        diag_error(x->d, x->file, v->line, v->col, "%s is empty; %s", key, hint);
        return NULL;
    }
    if (v->kind != V_STR) {
        bool scalar = v->kind == V_NUM || v->kind == V_BOOL;
        diag_error(x->d, x->file, v->line, v->col, "%s must be text, not %s; %s%s", key, kind_word(v), hint,
                   scalar ? " (put it in quotes if it is meant as text)" : "");
        return NULL;
    }
    const char *s = v->u.str.s;
    if (strspn(s, " \t\r\n") == strlen(s)) {
        diag_error(x->d, x->file, v->line, v->col, "%s is empty; %s", key, hint);
        return NULL;
    }
    return s;
}

static const char *check_base_url(Ctx *x, const Value *v)
{
    const char *hint = "write the full address where the site is published, e.g. base_url: https://lob.hetbaken.nl";
    const char *s = text_value(x, "base_url", v, hint);
    if (!s)
        return NULL;
    size_t scheme = 0;
    if (!strncasecmp(s, "https://", 8))
        scheme = 8;
    else if (!strncasecmp(s, "http://", 7))
        scheme = 7;
    if (!scheme) {
        diag_error(x->d, x->file, v->line, v->col,
                   "base_url must be an absolute address starting with https:// or http://; %s", hint);
        return NULL;
    }
    size_t n = strlen(s);
    while (n > scheme && s[n - 1] == '/')
        n--;
    size_t host = strcspn(s + scheme, "/");
    bool bad_char = false;
    for (size_t i = 0; i < n; i++) {
        unsigned char c = (unsigned char)s[i];
        if (c <= ' ' || c == 0x7F || c == '?' || c == '#' || c == '"' || c == '<' || c == '>' || c == '\\')
            bad_char = true;
    }
    if (host == 0 || n == scheme) {
        diag_error(x->d, x->file, v->line, v->col, "base_url has no host name after %.*s; %s", (int)scheme, s, hint);
        return NULL;
    }
    if (bad_char) {
        diag_error(x->d, x->file, v->line, v->col,
                   "base_url must be a plain address without spaces, '?' or '#'; %s", hint);
        return NULL;
    }
    return arena_strndup(x->a, s, n);
}

static const char *check_output(Ctx *x, const Value *v)
{
    const char *hint = "name a folder inside the project, e.g. output: site";
    const char *s = text_value(x, "output", v, hint);
    if (!s)
        return NULL;
    if (s[0] == '/' || s[0] == '\\' || (is_alpha(s[0]) && s[1] == ':')) {
        diag_error(x->d, x->file, v->line, v->col, "output must be relative to the project, not an absolute path; %s",
                   hint);
        return NULL;
    }
    /* The build replaces the output folder, so it must not be (or contain)
     * the project itself or one of its source folders. */
    static const char *const sources[] = {"content", "templates", "locales", "generator", "tests"};
    size_t n_named = 0;
    const char *first = NULL;
    size_t first_len = 0;
    for (const char *p = s; *p;) {
        size_t len = strcspn(p, "/\\");
        if (len == 2 && !memcmp(p, "..", 2)) {
            diag_error(x->d, x->file, v->line, v->col, "output must not contain '..': it would leave the project; %s",
                       hint);
            return NULL;
        }
        if (len > 0 && !(len == 1 && *p == '.')) {
            if (!n_named) {
                first = p;
                first_len = len;
            }
            n_named++;
        }
        p += len;
        if (*p)
            p++;
    }
    if (!n_named) {
        diag_error(x->d, x->file, v->line, v->col,
                   "output must be a folder inside the project, not the project folder itself; %s", hint);
        return NULL;
    }
    for (size_t i = 0; i < sizeof sources / sizeof *sources; i++) {
        if (strlen(sources[i]) == first_len && !memcmp(first, sources[i], first_len)) {
            diag_error(x->d, x->file, v->line, v->col,
                       "output must not be inside %s/: building would overwrite the project's sources; %s",
                       sources[i], hint);
            return NULL;
        }
    }
    size_t n = strlen(s);
    while (n > 1 && s[n - 1] == '/')
        n--;
    return arena_strndup(x->a, s, n);
}

static const char *check_tag(Ctx *x, const Value *v)
{
    const char *hint = "write a language tag such as nl, tr, ar, ar-MA or sr-Latn";
    const char *s = text_value(x, "a language tag", v, hint);
    if (!s)
        return NULL;
    if (config_valid_tag(s))
        return s;
    const char *fixed = config_recased_tag(x->a, s);
    if (fixed)
        diag_error(x->d, x->file, v->line, v->col,
                   "'%s' is not written the way lobgen expects a language tag; write it as '%s'", s, fixed);
    else
        diag_error(x->d, x->file, v->line, v->col,
                   "'%s' is not a language tag lobgen accepts; %s (language[-Script][-REGION])", s, hint);
    return NULL;
}

static bool encoding_is_ascii_compatible(const char *name)
{
    static const char *const prefixes[] = {"utf-16", "utf16", "utf-32", "utf32", "ucs-2", "ucs2",
                                           "ucs-4",  "ucs4",  "utf-7",  "utf7",  "unicode"};
    for (size_t i = 0; i < sizeof prefixes / sizeof *prefixes; i++)
        if (!strncasecmp(name, prefixes[i], strlen(prefixes[i])))
            return false;
    return true;
}

static const char *check_encoding(Ctx *x, const Value *v)
{
    const char *hint = "use a name such as windows-1252, iso-8859-9 or windows-1256 (iconv -l lists them all)";
    const char *s = text_value(x, "encoding", v, hint);
    if (!s)
        return NULL;
    if (!encoding_known(s)) {
        diag_error(x->d, x->file, v->line, v->col, "unknown encoding '%s'; %s", s, hint);
        return NULL;
    }
    if (!encoding_is_ascii_compatible(s)) {
        diag_error(x->d, x->file, v->line, v->col,
                   "'%s' cannot be a language's default encoding; save such files with a byte order mark "
                   "(they are then read without this setting) and remove encoding here",
                   s);
        return NULL;
    }
    return s;
}

/* A section of one setting (print: {duplex: true}): its value, or NULL
 * after an error when v is no map, or when the setting is absent; any
 * other key is reported as unknown. example is the setting as written. */
static const Value *one_setting(Ctx *x, const Value *v, const char *section, const char *key, const char *example)
{
    if (v->kind != V_MAP) {
        diag_error(x->d, x->file, v->line, v->col,
                   "%s must hold settings such as '%s' on the lines below it, not %s", section, example, kind_word(v));
        return NULL;
    }
    const Value *found = NULL;
    char under[64];
    snprintf(under, sizeof under, " under %s", section);
    for (size_t i = 0; i < v->u.map.len; i++) {
        if (strcmp(v->u.map.keys[i], key))
            unknown_key(x->d, x->file, v->u.map.key_lines[i], v->u.map.key_cols[i], v->u.map.keys[i], under, &key, 1);
        else
            found = v->u.map.vals[i]; /* once: the loader refuses a key twice */
    }
    return found;
}

/* print: {duplex: true} */
static void check_print(Ctx *x, const Value *v, Config *out)
{
    const Value *e = one_setting(x, v, "print", "duplex", "duplex: true");
    if (!e)
        return;
    if (e->kind != V_BOOL)
        diag_error(x->d, x->file, e->line, e->col,
                   "print.duplex must be true or false, not %s; write duplex: true when the packs are "
                   "printed on both sides of the paper",
                   kind_word(e));
    else
        out->print_duplex = e->u.b;
}

/* feed: {entries: 50} */
static void check_feed(Ctx *x, const Value *v, Config *out)
{
    const Value *e = one_setting(x, v, "feed", "entries", "entries: 50");
    if (!e)
        return;
    if (e->kind != V_NUM || e->u.n != (double)(long)e->u.n || e->u.n < 1 || e->u.n > FEED_ENTRIES_MAX)
        diag_error(x->d, x->file, e->line, e->col,
                   "feed.entries must be a whole number from 1 to %d, not %s; it is how many of the newest "
                   "materials each language's feed lists, e.g. entries: 50",
                   FEED_ENTRIES_MAX, e->kind == V_NUM && e->raw ? e->raw : kind_word(e));
    else
        out->feed_entries = (size_t)e->u.n;
}

/* home: {cards: 6} */
static void check_home(Ctx *x, const Value *v, Config *out)
{
    const Value *e = one_setting(x, v, "home", "cards", "cards: 6");
    if (!e)
        return;
    if (e->kind != V_NUM || e->u.n != (double)(long)e->u.n || e->u.n < 0 || e->u.n > HOME_CARDS_MAX)
        diag_error(x->d, x->file, e->line, e->col,
                   "home.cards must be a whole number from 0 to %d, not %s; it is how many materials of each "
                   "leerjaar the home page shows (0: all of them), e.g. cards: 6",
                   HOME_CARDS_MAX, e->kind == V_NUM && e->raw ? e->raw : kind_word(e));
    else
        out->home_cards = (size_t)e->u.n;
}

static bool check_languages(Ctx *x, const Value *v, Config *out)
{
    if (v->kind != V_LIST) {
        diag_error(x->d, x->file, v->line, v->col,
                   "languages must be a list of language tags, not %s; write e.g. languages: [nl, tr, ar] "
                   "(the first is the source language)",
                   kind_word(v));
        return false;
    }
    if (v->u.list.len == 0) {
        diag_error(x->d, x->file, v->line, v->col,
                   "languages is empty; list at least the source language, e.g. languages: [nl]");
        return false;
    }
    bool ok = true;
    size_t n = v->u.list.len;
    out->langs = arena_alloc(x->a, n * sizeof(LangConfig));
    out->n_langs = 0;
    for (size_t i = 0; i < n; i++) {
        const Value *item = v->u.list.items[i];
        const Value *tagv = NULL, *encv = NULL;
        if (item->kind == V_MAP) {
            for (size_t k = 0; k < item->u.map.len; k++) {
                const char *key = item->u.map.keys[k];
                if (!strcmp(key, "tag")) {
                    tagv = item->u.map.vals[k];
                } else if (!strcmp(key, "encoding")) {
                    encv = item->u.map.vals[k];
                } else {
                    unknown_key(x->d, x->file, item->u.map.key_lines[k], item->u.map.key_cols[k], key,
                                " in a language", lang_keys, N_LANG_KEYS);
                    ok = false;
                }
            }
            if (!tagv) {
                diag_error(x->d, x->file, item->line, item->col,
                           "this language has no tag; write e.g. {tag: ar, encoding: windows-1256}");
                ok = false;
                continue;
            }
        } else if (item->kind == V_LIST) {
            diag_error(x->d, x->file, item->line, item->col,
                       "a language must be a tag (e.g. tr) or a map (e.g. {tag: ar, encoding: windows-1256}), "
                       "not a list");
            ok = false;
            continue;
        } else {
            tagv = item;
        }
        const char *tag = check_tag(x, tagv);
        const char *enc = encv ? check_encoding(x, encv) : NULL;
        if (!tag || (encv && !enc)) {
            ok = false;
            continue;
        }
        bool dup = false;
        for (size_t j = 0; j < out->n_langs; j++)
            if (!strcmp(out->langs[j].tag, tag))
                dup = true;
        if (dup) {
            diag_error(x->d, x->file, tagv->line, tagv->col, "the language '%s' is listed twice; remove one of them",
                       tag);
            ok = false;
            continue;
        }
        out->langs[out->n_langs].tag = arena_strdup(x->a, tag);
        out->langs[out->n_langs].encoding = enc ? arena_strdup(x->a, enc) : NULL;
        out->n_langs++;
    }
    return ok;
}

bool config_load(Arena *a, const char *root, Config *out, Diags *d)
{
    memset(out, 0, sizeof *out);
    out->feed_entries = FEED_ENTRIES_DEFAULT;
    out->home_cards = HOME_CARDS_DEFAULT;
    const char *file = path_join(a, root, "lobgen.yaml");
    out->file = file;
    Ctx x = {a, file, d};

    struct stat st;
    if (stat(file, &st) != 0) {
        if (errno == ENOENT)
            diag_error(d, file, 0, 0,
                       "there is no lobgen.yaml here, so this is not a lobgen project; run lobgen in the "
                       "project's folder or name it with --source DIR, or make a new project with 'lobgen init DIR'");
        else
            diag_error(d, file, 0, 0, "cannot read lobgen.yaml: %s", strerror(errno));
        return false;
    }
    if (!S_ISREG(st.st_mode)) {
        diag_error(d, file, 0, 0, "lobgen.yaml is not a file; replace it with the project's settings, for example %s",
                   example);
        return false;
    }
    size_t errors_before = diags_count(d, DIAG_ERROR);
    Value *root_v = yaml_load_file(a, file, d);
    if (!root_v)
        return false;
    if (root_v->kind != V_MAP) {
        diag_error(d, file, root_v->line, root_v->col,
                   "lobgen.yaml must hold settings written as 'key: value', one per line, for example %s",
                   example);
        return false;
    }
    bool seen[N_CONFIG_KEYS] = {false};
    const Value *audio_v = NULL;
    for (size_t i = 0; i < root_v->u.map.len; i++) {
        const char *key = root_v->u.map.keys[i];
        const Value *v = root_v->u.map.vals[i];
        int kl = root_v->u.map.key_lines[i], kc = root_v->u.map.key_cols[i];
        if (!strcmp(key, "title")) {
            seen[0] = true;
            out->title = text_value(&x, "title", v, "write the site's title, e.g. title: Ouders en loopbaan");
        } else if (!strcmp(key, "school")) {
            seen[1] = true;
            out->school = text_value(&x, "school", v, "write the school's name, e.g. school: Het Baken");
        } else if (!strcmp(key, "base_url")) {
            seen[2] = true;
            out->base_url = check_base_url(&x, v);
        } else if (!strcmp(key, "languages")) {
            seen[3] = true;
            check_languages(&x, v, out);
        } else if (!strcmp(key, "output")) {
            seen[4] = true;
            out->output = check_output(&x, v);
        } else if (!strcmp(key, "print")) {
            check_print(&x, v, out);
        } else if (!strcmp(key, "feed")) {
            check_feed(&x, v, out);
        } else if (!strcmp(key, "home")) {
            check_home(&x, v, out);
        } else if (!strcmp(key, "audio")) {
            audio_v = v; /* read once the languages are known */
        } else {
            unknown_key(d, file, kl, kc, key, "", config_keys, N_CONFIG_KEYS);
        }
    }
    static const char *const missing_hint[] = {
        "title: Ouders en loopbaan",
        "school: Het Baken",
        "base_url: https://lob.hetbaken.nl",
        "languages: [nl, tr, ar]",
    };
    audio_config(a, file, audio_v, out, d);
    for (size_t k = 0; k < 4; k++)
        if (!seen[k])
            diag_error(d, file, 0, 0, "%s is missing; add a line such as '%s'", config_keys[k], missing_hint[k]);
    return diags_count(d, DIAG_ERROR) == errors_before;
}

void config_not_a_translation_language(Diags *d, const Config *cfg, const char *tag)
{
    if (config_lang_index(cfg, tag) == 0)
        diag_error(d, cfg->file, 0, 0,
                   "'%s' is the source language, which is not translated; name a translation language instead", tag);
    else
        diag_error(d, cfg->file, 0, 0,
                   "'%s' is not a translation language of this project; add it first with 'lobgen new language %s'", tag,
                   tag);
}
