#include "status.h"
#include "translate.h"

#include "write.h"

#include "json.h"
#include "paths.h"

#include "build.h"
#include "encoding.h"
#include "frontmatter.h"

#include <errno.h>
#include <sys/stat.h>
#include <yaml.h>
#include <unistd.h>
#include <stdlib.h>
#include <string.h>

static const char *state_name(TrState s)
{
    switch (s) {
    case TR_SOURCE: return "source";
    case TR_CURRENT: return "translated";
    case TR_STALE: return "stale";
    case TR_MISSING: return "missing";
    }
    return "?";
}

/* Recordings of language l (audio.h): a count, and each stale one with what to do. */
static void recordings_report(const Project *p, size_t l, FILE *out)
{
    size_t n = 0, stale = 0;
    for (size_t i = 0; i < p->site.n_items; i++) {
        const AudioTrack *t = audio_track(p->audio, i, l);
        if (t && t->source == AUDIO_RECORDING) {
            n++;
            stale += t->stale;
        }
    }
    if (!n)
        return;
    fprintf(out, "  recordings %zu, stale %zu\n", n, stale);
    for (size_t i = 0; i < p->site.n_items; i++) {
        const AudioTrack *t = audio_track(p->audio, i, l);
        if (!t || t->source != AUDIO_RECORDING || !t->stale)
            continue;
        const Material *m = p->site.items[i]->by_lang[l];
        fprintf(out, "  stale recording     %s (%s: record it again, then set recording.source to what lobgen fingerprint %s prints)\n",
                t->recording->path, m->rec_source ? "the text changed after it was made" : "no recording.source",
                m->src->path);
    }
}

bool status_report(const char *root, bool json, FILE *out, Diags *d)
{
    Project p;
    LoadOptions lo = {.drafts = false, .load_templates = false};
    if (!project_load(&p, root, &lo, d)) {
        project_free(&p);
        return false;
    }
    const Site *s = &p.site;
    size_t nl = p.cfg.n_langs;
    /* --json: the same facts as a Value tree, printed by the one JSON writer */
    Arena *ja = p.a;
    Value *doc = value_map(ja), *langs = value_list(ja);
    value_set_num(ja, doc, "version", 1);
    value_set_str(ja, doc, "source_language", p.cfg.langs[0].tag);
    value_set_num(ja, doc, "materials", (double)s->n_items);
    value_set(ja, doc, "languages", langs);
    for (size_t l = 0; l < nl; l++) {
        const char *tag = p.cfg.langs[l].tag;
        size_t count[4] = {0}, unreviewed = 0;
        for (size_t i = 0; i < s->n_items; i++) {
            const Item *it = s->items[i];
            count[it->state[l]]++;
            if ((it->state[l] == TR_CURRENT || it->state[l] == TR_STALE) && !it->by_lang[l]->tr_reviewed)
                unreviewed++;
        }
        size_t n_missing_keys = 0;
        const char **keys = l ? locale_missing_keys(p.a, p.locales[l], p.locales[0], &n_missing_keys) : NULL;
        if (json) {
            Value *lv = value_map(ja), *counts = value_map(ja), *mats = value_list(ja), *miss = value_list(ja);
            value_set_str(ja, lv, "code", tag);
            value_set_str(ja, lv, "name", locale_native_name(p.locales[l]));
            value_set_bool(ja, lv, "source", l == 0);
            value_set_num(ja, counts, "translated", (double)(l == 0 ? s->n_items : count[TR_CURRENT]));
            value_set_num(ja, counts, "stale", (double)count[TR_STALE]);
            value_set_num(ja, counts, "missing", (double)count[TR_MISSING]);
            value_set_num(ja, counts, "unreviewed", (double)unreviewed);
            value_set(ja, lv, "counts", counts);
            for (size_t i = 0; i < s->n_items; i++) {
                const Item *it = s->items[i];
                const Material *m = it->by_lang[l];
                Value *mv = value_map(ja);
                value_set_str(ja, mv, "material", it->key);
                value_set_str(ja, mv, "state", state_name(it->state[l]));
                value_set_bool(ja, mv, "reviewed", m && (l == 0 || m->tr_reviewed));
                /* a file still all in Dutch counts as missing, but is there to work on */
                const Material *draft = it->drafts ? it->drafts[l] : NULL;
                const Material *file = m ? m : it->untranslated && it->untranslated[l] ? it->untranslated[l] : draft;
                value_set(ja, mv, "file", file ? value_str(ja, file->src->path) : value_null(ja));
                if (!m && draft)
                    value_set(ja, mv, "draft", value_bool(ja, true));
                value_set_str(ja, mv, "source_file", it->source->src->path);
                value_set_str(ja, mv, "fingerprint", it->fingerprint);
                const AudioTrack *at = audio_track(p.audio, i, l);
                if (at && at->source == AUDIO_RECORDING) {
                    Value *rv = value_map(ja);
                    value_set_str(ja, rv, "file", at->recording->path);
                    value_set_bool(ja, rv, "stale", at->stale);
                    value_set(ja, mv, "recording", rv);
                } else {
                    value_set(ja, mv, "recording", value_null(ja));
                }
                value_set_str(ja, mv, "format", m && m->src->is_po ? "po" : "markdown");
                int uc[4];
                translate_unit_counts(ja, it, l, uc);
                Value *uv = value_map(ja);
                value_set_num(ja, uv, "total", uc[0]);
                value_set_num(ja, uv, "translated", uc[1]);
                value_set_num(ja, uv, "fuzzy", uc[2]);
                value_set_num(ja, uv, "untranslated", uc[3]);
                value_set_num(ja, uv, "percent", uc[0] ? (double)(100 * uc[1] / uc[0]) : 100);
                value_set(ja, mv, "units", uv);
                value_push(ja, mats, mv);
            }
            value_set(ja, lv, "materials", mats);
            for (size_t k = 0; k < n_missing_keys; k++)
                value_push(ja, miss, value_str(ja, keys[k]));
            value_set(ja, lv, "missing_strings", miss);
            value_set_str(ja, lv, "locale_file", locale_file(p.locales[l]) ? locale_file(p.locales[l]) : "");
            value_push(ja, langs, lv);
            continue;
        }
        fprintf(out, "%s%s (%s)%s\n", l ? "\n" : "", tag, locale_native_name(p.locales[l]),
                l == 0 ? ": source language" : "");
        if (l == 0) {
            fprintf(out, "  %zu material%s\n", s->n_items, s->n_items == 1 ? "" : "s");
            recordings_report(&p, l, out);
            continue;
        }
        fprintf(out, "  translated %zu, stale %zu, missing %zu, unreviewed %zu, missing interface strings %zu\n",
                count[TR_CURRENT], count[TR_STALE], count[TR_MISSING], unreviewed, n_missing_keys);
        /* one line per file to work on, most urgent first: what is missing,
         * what is out of date, what nobody has checked yet */
        static const TrState order[] = {TR_MISSING, TR_STALE, TR_CURRENT};
        for (int o = 0; o < 3; o++)
            for (size_t i = 0; i < s->n_items; i++) {
                const Item *it = s->items[i];
                const Material *m = it->by_lang[l];
                if (it->state[l] != order[o])
                    continue;
                const Material *dutch = it->untranslated ? it->untranslated[l] : NULL;
                if (order[o] == TR_MISSING && dutch)
                    fprintf(out, "  missing             %s (still the Dutch text of %s: translate it)\n", dutch->src->path,
                            it->source->src->path);
                else if (order[o] == TR_MISSING && it->drafts && it->drafts[l])
                    fprintf(out, "  missing             %s (a draft: translate it, then remove draft: true)\n",
                            it->drafts[l]->src->path);
                else if (order[o] == TR_MISSING)
                    fprintf(out, "  missing             content/%s/%s.%s.md (translate %s)\n", kind_names[it->kind],
                            it->slug, tag, it->source->src->path);
                else if (order[o] == TR_STALE && m->tr_source)
                    fprintf(out, "  %-19s %s (the source changed: %s)\n", m->tr_reviewed ? "stale" : "stale, unreviewed",
                            m->src->path, it->source->src->path);
                else if (order[o] == TR_STALE)
                    fprintf(out, "  %-19s %s (no translation.source yet: when it matches %s, run lobgen status --mark-current %s)\n",
                            m->tr_reviewed ? "stale" : "stale, unreviewed", m->src->path, it->source->src->path,
                            m->src->path);
                else if (!m->tr_reviewed)
                    fprintf(out, "  unreviewed          %s\n", m->src->path);
                if (m && m->n_source_text)
                    fprintf(out, "  partly in Dutch     %s: %d of %zu paragraphs and headings (lobgen check shows where)\n",
                            m->src->path, m->n_source_text, m->n_units);
            }
        /* PO translations: their units, the part still shown in Dutch */
        for (size_t i = 0; i < s->n_items; i++) {
            const Material *m = s->items[i]->by_lang[l];
            if (!m || !m->src->is_po)
                continue;
            fprintf(out, "  units %3d%%          %s: translated %d, fuzzy %d, untranslated %d%s\n",
                    m->po_units ? 100 * m->po_translated / m->po_units : 100, m->src->path, m->po_translated,
                    m->po_fuzzy, m->po_untranslated,
                    m->po_translated < m->po_units ? " (lobgen translate update, then translate the rest)" : "");
        }
        for (size_t k = 0; k < n_missing_keys; k++)
            fprintf(out, "  missing string      %s in %s\n", keys[k],
                    locale_file(p.locales[l]) ? locale_file(p.locales[l]) : "(no locale file)");
        recordings_report(&p, l, out);
    }
    if (json) {
        json_print(out, doc);
    }
    project_free(&p);
    return true;
}

/* Read, decode and parse one material file outside a project scan. */
static bool load_material(Arena *a, const char *path, const char *enc, Material *m, Diags *d)
{
    size_t len;
    char *bytes = read_file(path, &len);
    if (!bytes) {
        diag_error(d, path, 0, 0, "cannot read the file: %s", strerror(errno));
        return false;
    }
    char *text;
    size_t tlen;
    const char *used;
    bool ok = encoding_decode(a, path, bytes, len, enc, &text, &tlen, &used, d);
    free(bytes);
    if (!ok)
        return false;
    SourceFile *sf = arena_alloc(a, sizeof(SourceFile));
    sf->path = sf->abs = arena_strdup(a, path);
    sf->kind = KIND_THUISOPDRACHT;
    sf->slug = sf->lang = "";
    return frontmatter_parse(a, sf, text, tlen, m, d);
}

bool status_fingerprint_file(const char *path, char fp[17], Diags *d)
{
    Arena *a = arena_new();
    Material m;
    bool ok = load_material(a, path, NULL, &m, d);
    if (ok)
        site_fingerprint(m.title, m.body, fp);
    arena_free(a);
    return ok;
}

/* Rewrite translation.source in the raw bytes of a file: replace the value
 * on its line, or add the key under translation:, or add the map before
 * the closing ---. Everything else stays byte for byte. */
/* The byte where line `line` (0-based, counted as libyaml counts: "\r\n",
 * "\r" and "\n" each end a line) of bytes[0..len) starts, plus `column`
 * code points. libyaml's marks count characters, not bytes. */
static size_t mark_byte(const char *bytes, size_t len, size_t line, size_t column)
{
    size_t p = 0;
    for (size_t l = 0; l < line && p < len; l++) {
        while (p < len && bytes[p] != '\n' && bytes[p] != '\r')
            p++;
        if (p < len && bytes[p] == '\r') {
            p++;
            if (p < len && bytes[p] == '\n')
                p++;
        } else if (p < len && bytes[p] == '\n') {
            p++;
        }
    }
    for (size_t c = 0; c < column && p < len; c++) {
        p++;
        while (p < len && ((unsigned char)bytes[p] & 0xC0) == 0x80)
            p++;
    }
    return p;
}

typedef struct {
    bool found;          /* a top-level translation: key */
    bool map, flow;      /* its value is a mapping (flow: {...}) */
    bool empty;          /* its value is empty (translation: and nothing) */
    size_t key_line;     /* the translation: key's line */
    bool has_keys;       /* the mapping has keys */
    size_t first_line, first_col; /* its first key */
    size_t open_line, open_col;   /* just after a flow mapping's { */
    bool has_source;
    size_t src_line, src_col, src_end_line, src_end_col; /* the source value */
} TrMarks;

/* Where translation: and translation.source lie in the front matter's YAML,
 * from libyaml's events (comments, blank lines and quoting cannot mislead
 * it). Returns false after an error at the file's line (first_line = the
 * YAML's first line in the file). */
static bool find_translation(const char *path, const char *yaml, size_t len, int first_line, TrMarks *m, Diags *d)
{
    memset(m, 0, sizeof *m);
    yaml_parser_t p;
    yaml_parser_initialize(&p);
    yaml_parser_set_input_string(&p, (const unsigned char *)yaml, len);
    int depth = 0;         /* open mappings and sequences */
    bool top_key = true;   /* at depth 1: the next scalar is a key */
    bool in_tr = false;    /* inside translation's mapping (depth 2) */
    bool tr_key = true;    /* in it: the next scalar is a key */
    int want = 0;          /* 1: the next event is translation's value; 2: source's value */
    bool ok = true;
    for (;;) {
        yaml_event_t e;
        if (!yaml_parser_parse(&p, &e)) {
            diag_error(d, path, first_line + (int)p.problem_mark.line, (int)p.problem_mark.column + 1,
                       "the front matter is not valid YAML (%s); fix it before marking", p.problem ? p.problem : "?");
            ok = false;
            break;
        }
        yaml_event_type_t t = e.type;
        bool start = t == YAML_MAPPING_START_EVENT || t == YAML_SEQUENCE_START_EVENT;
        bool end = t == YAML_MAPPING_END_EVENT || t == YAML_SEQUENCE_END_EVENT;
        if (want == 1) {
            want = 0;
            if (t == YAML_MAPPING_START_EVENT) {
                m->map = true;
                m->flow = e.data.mapping_start.style == YAML_FLOW_MAPPING_STYLE;
                m->open_line = e.end_mark.line;
                m->open_col = e.end_mark.column;
                in_tr = true;
                tr_key = true;
            } else if (t == YAML_SCALAR_EVENT && e.data.scalar.length == 0 && e.data.scalar.plain_implicit) {
                m->empty = true;
                top_key = true; /* the value is taken: a key comes next */
            } else {
                diag_error(d, path, first_line + (int)e.start_mark.line, (int)e.start_mark.column + 1,
                           "translation is a map with source: and reviewed: under it; write it that way so lobgen can update it");
                ok = false;
                yaml_event_delete(&e);
                break;
            }
        } else if (want == 2) {
            want = 0;
            if (t == YAML_SCALAR_EVENT) {
                tr_key = true; /* the value is taken: a key comes next */
                m->has_source = true;
                m->src_line = e.start_mark.line;
                m->src_col = e.start_mark.column;
                m->src_end_line = e.end_mark.line;
                m->src_end_col = e.end_mark.column;
            }
        } else if (t == YAML_SCALAR_EVENT && depth == 1) {
            if (top_key && !strcmp((const char *)e.data.scalar.value, "translation")) {
                m->found = true;
                m->key_line = e.start_mark.line;
                want = 1;
            }
            top_key = !top_key;
        } else if (t == YAML_SCALAR_EVENT && depth == 2 && in_tr) {
            if (tr_key) {
                if (!m->has_keys) {
                    m->has_keys = true;
                    m->first_line = e.start_mark.line;
                    m->first_col = e.start_mark.column;
                }
                if (!strcmp((const char *)e.data.scalar.value, "source"))
                    want = 2;
            }
            tr_key = !tr_key;
        } else if (depth == 1 && start) {
            top_key = true; /* a mapping or list as a top-level value: the next scalar after it is a key */
        } else if (depth == 2 && in_tr && start) {
            tr_key = true;
        }
        if (start)
            depth++;
        if (end) {
            depth--;
            if (depth == 1 && in_tr)
                in_tr = false;
            if (depth == 1)
                top_key = true;
            if (depth == 2 && in_tr)
                tr_key = true;
        }
        bool done = t == YAML_STREAM_END_EVENT;
        yaml_event_delete(&e);
        if (done)
            break;
    }
    yaml_parser_delete(&p);
    return ok;
}

/* Write bytes with translation.source set to fp into out, every other byte
 * kept (comments, blank lines, quoting, CRLF): the new value goes exactly
 * where libyaml says the old one was. */
static bool set_source(const char *path, const char *bytes, size_t len, const char *fp, Buf *out, Diags *d)
{
    const char *nl_style = memchr(bytes, '\r', len) ? "\r\n" : "\n";
    /* the --- lines that delimit the front matter */
    size_t pos = 0, line_no = 0, yaml_start = 0, fm_end = 0;
    bool closed = false;
    if (len >= 3 && !memcmp(bytes, "\xEF\xBB\xBF", 3))
        pos = 3;
    while (pos < len) {
        size_t s = pos;
        while (pos < len && bytes[pos] != '\n' && bytes[pos] != '\r')
            pos++;
        size_t n = pos - s;
        if (pos < len && bytes[pos] == '\r')
            pos++;
        if (pos < len && bytes[pos] == '\n')
            pos++;
        line_no++;
        if (line_no == 1) {
            if (n != 3 || memcmp(bytes + s, "---", 3)) {
                diag_error(d, path, 1, 1, "the file does not start with a --- front matter line");
                return false;
            }
            yaml_start = pos;
            continue;
        }
        if (n == 3 && (!memcmp(bytes + s, "---", 3) || !memcmp(bytes + s, "...", 3))) {
            fm_end = s;
            closed = true;
            break;
        }
    }
    if (!closed) {
        diag_error(d, path, (int)line_no, 1, "the front matter is not closed by a --- line");
        return false;
    }
    const char *yaml = bytes + yaml_start;
    size_t ylen = fm_end - yaml_start;
    TrMarks m;
    if (!find_translation(path, yaml, ylen, 2, &m, d))
        return false;
    size_t at;
    if (m.has_source) {
        size_t s = yaml_start + mark_byte(yaml, ylen, m.src_line, m.src_col);
        size_t e = yaml_start + mark_byte(yaml, ylen, m.src_end_line, m.src_end_col);
        buf_append(out, bytes, s);
        buf_puts(out, fp);
        buf_append(out, bytes + e, len - e);
    } else if (m.map && m.flow) {
        at = yaml_start + mark_byte(yaml, ylen, m.open_line, m.open_col);
        buf_append(out, bytes, at);
        buf_printf(out, "source: %s%s", fp, m.has_keys ? ", " : "");
        buf_append(out, bytes + at, len - at);
    } else if (m.found) {
        /* right under translation:, indented as its first key (or two spaces) */
        at = yaml_start + mark_byte(yaml, ylen, m.key_line + 1, 0);
        size_t indent = m.has_keys ? m.first_col : 2;
        buf_append(out, bytes, at);
        if (at == fm_end && at > 0 && bytes[at - 1] != '\n' && bytes[at - 1] != '\r')
            buf_puts(out, nl_style);
        for (size_t i = 0; i < indent; i++)
            buf_putc(out, ' ');
        buf_printf(out, "source: %s%s", fp, nl_style);
        buf_append(out, bytes + at, len - at);
    } else {
        buf_append(out, bytes, fm_end);
        buf_printf(out, "translation:%s  source: %s%s  reviewed: false%s", nl_style, fp, nl_style, nl_style);
        buf_append(out, bytes + fm_end, len - fm_end);
    }
    return true;
}

bool status_mark_current(const char *root, const char *const *files, size_t n, Diags *d)
{
    Arena *a = arena_new();
    Config cfg;
    bool ok = config_load(a, root, &cfg, d);
    for (size_t i = 0; ok && i < n; i++) {
        /* status prints paths relative to the project: accept those too */
        const char *path = path_arg(a, root, files[i]);
        /* .../<slug>.<lang>.md -> .../<slug>.<source>.md */
        const char *base = strrchr(path, '/');
        base = base ? base + 1 : path;
        size_t bl = strlen(base);
        const char *dot = strchr(base, '.');
        if (bl > 3 && !strcmp(base + bl - 3, ".po")) {
            diag_error(d, path, 0, 0,
                       "a PO translation keeps the Dutch of each entry itself and needs no --mark-current; after the "
                       "Dutch changed, run lobgen translate update and have the fuzzy entries translated");
            ok = false;
            break;
        }
        if (bl < 4 || strcmp(base + bl - 3, ".md") || !dot || dot == base + bl - 3) {
            diag_error(d, path, 0, 0, "a translation is named <slug>.<lang>.md; give the translation's file");
            ok = false;
            break;
        }
        char *lang = arena_strndup(a, dot + 1, (size_t)(base + bl - 3 - (dot + 1)));
        int li = config_lang_index(&cfg, lang);
        if (li <= 0) {
            diag_error(d, path, 0, 0, li == 0 ? "this is the source text itself; name its translations"
                                              : "the language '%s' is not configured in lobgen.yaml", lang);
            ok = false;
            break;
        }
        char *src = arena_printf(a, "%.*s%.*s.%s.md", (int)(base - path), path, (int)(dot - base), base, cfg.langs[0].tag);
        Material sm;
        if (!load_material(a, src, cfg.langs[0].encoding, &sm, d)) {
            ok = false;
            break;
        }
        char fp[17];
        site_fingerprint(sm.title, sm.body, fp);
        size_t len;
        char *bytes = read_file(path, &len);
        if (!bytes) {
            diag_error(d, path, 0, 0, "cannot read the file: %s", strerror(errno));
            ok = false;
            break;
        }
        if (len >= 2 && ((unsigned char)bytes[0] == 0xFF || (unsigned char)bytes[0] == 0xFE)) {
            diag_error(d, path, 0, 0, "this file is UTF-16; save it as UTF-8 so lobgen can update it in place");
            free(bytes);
            ok = false;
            break;
        }
        Buf out = BUF_INIT;
        if (set_source(path, bytes, len, fp, &out, d)) {
            if (!write_file_replacing(path, out.data, out.len, d))
                ok = false;
        } else {
            ok = false;
        }
        buf_free(&out);
        free(bytes);
    }
    arena_free(a);
    return ok;
}
