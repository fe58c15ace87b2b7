#include "trdiff.h"

#include "build.h"
#include "json.h"
#include "paths.h"
#include "translate.h"
#include "value.h"

#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

typedef struct {
    const char *s;
    size_t n;
} Word;

/* Words with the space after them, so that the parts join back into the text. */
static size_t split_words(const char *s, Word **out)
{
    size_t n = 0, cap = 0;
    Word *v = NULL;
    const char *p = s;
    while (*p) {
        const char *b = p;
        while (*p && *p != ' ' && *p != '\n' && *p != '\t')
            p++;
        while (*p == ' ' || *p == '\n' || *p == '\t')
            p++;
        ALLOC_GROW(v, n + 1, cap);
        v[n++] = (Word){b, (size_t)(p - b)};
    }
    *out = v;
    return n;
}

static size_t trimmed(Word w)
{
    while (w.n && (w.s[w.n - 1] == ' ' || w.s[w.n - 1] == '\n' || w.s[w.n - 1] == '\t'))
        w.n--;
    return w.n;
}

static bool word_eq(Word a, Word b)
{
    size_t na = trimmed(a), nb = trimmed(b);
    return na == nb && !memcmp(a.s, b.s, na);
}

typedef struct {
    char op; /* '=', '-', '+' */
    Buf text;
} Part;

static void part_add(Part **parts, size_t *n, size_t *cap, char op, Word w)
{
    if (*n && (*parts)[*n - 1].op == op) {
        buf_append(&(*parts)[*n - 1].text, w.s, w.n);
        return;
    }
    ALLOC_GROW(*parts, *n + 1, *cap);
    (*parts)[*n].op = op;
    buf_init(&(*parts)[*n].text);
    buf_append(&(*parts)[*n].text, w.s, w.n);
    (*n)++;
}

/* The word-level diff of old and new: the longest common subsequence of
 * their words (units are paragraphs: a few hundred words at most). */
static size_t word_diff(const char *old, const char *new, Part **out)
{
    Word *a, *b;
    size_t na = split_words(old, &a), nb = split_words(new, &b);
    size_t *L = xcalloc((na + 1) * (nb + 1), sizeof(size_t));
#define AT(i, j) L[(i) * (nb + 1) + (j)]
    for (size_t i = na; i-- > 0;)
        for (size_t j = nb; j-- > 0;)
            AT(i, j) = word_eq(a[i], b[j]) ? AT(i + 1, j + 1) + 1
                       : AT(i + 1, j) >= AT(i, j + 1) ? AT(i + 1, j) : AT(i, j + 1);
    Part *parts = NULL;
    size_t n = 0, cap = 0, i = 0, j = 0;
    while (i < na || j < nb) {
        if (i < na && j < nb && word_eq(a[i], b[j])) {
            part_add(&parts, &n, &cap, '=', b[j]);
            i++;
            j++;
        } else if (i < na && (j >= nb || AT(i + 1, j) >= AT(i, j + 1))) {
            part_add(&parts, &n, &cap, '-', a[i++]);
        } else {
            part_add(&parts, &n, &cap, '+', b[j++]);
        }
    }
#undef AT
    free(L);
    free(a);
    free(b);
    *out = parts;
    return n;
}

static void free_parts(Part *p, size_t n)
{
    for (size_t i = 0; i < n; i++)
        buf_free(&p[i].text);
    free(p);
}

/* One changed unit: text as git's --word-diff=plain ([-old-]{+new+}). */
static void report_unit(Arena *a, const char *change, const char *ctxt, int line, const char *old, const char *new,
                        bool json, Value *units, FILE *out)
{
    Part *parts = NULL;
    size_t np = old && new ? word_diff(old, new, &parts) : 0;
    if (json) {
        Value *u = value_map(a);
        value_set_str(a, u, "context", ctxt);
        value_set_num(a, u, "line", line);
        value_set_str(a, u, "change", change);
        value_set(a, u, "old", old ? value_str(a, old) : value_null(a));
        value_set(a, u, "new", new ? value_str(a, new) : value_null(a));
        Value *dl = value_list(a);
        for (size_t i = 0; i < np; i++) {
            Value *p = value_map(a);
            value_set_str(a, p, "op", parts[i].op == '=' ? "same" : parts[i].op == '-' ? "removed" : "added");
            value_set(a, p, "text", value_strn(a, parts[i].text.data, parts[i].text.len));
            value_push(a, dl, p);
        }
        value_set(a, u, "words", dl);
        value_push(a, units, u);
    } else {
        fprintf(out, "\n%s (line %d, %s):\n  ", ctxt, line, change);
        if (np) {
            for (size_t i = 0; i < np; i++) {
                Buf *t = &parts[i].text;
                size_t n = t->len, sp = n;
                while (sp && (t->data[sp - 1] == ' ' || t->data[sp - 1] == '\n'))
                    sp--;
                if (parts[i].op == '=')
                    fwrite(t->data, 1, n, out);
                else
                    fprintf(out, "%s%.*s%s%.*s", parts[i].op == '-' ? "[-" : "{+", (int)sp, t->data,
                            parts[i].op == '-' ? "-]" : "+}", (int)(n - sp), t->data + sp);
            }
        } else if (new) {
            fprintf(out, "{+%s+}", new);
        } else if (old) {
            fprintf(out, "[-%s-]", old);
        }
        fputc('\n', out);
    }
    free_parts(parts, np);
}

bool trdiff_report(const char *root, const char *file, bool json, FILE *out, Diags *d)
{
    Project p;
    LoadOptions lo = {.drafts = true};
    project_load(&p, root, &lo, d);
    if (!p.a || !p.cfg.n_langs) {
        project_free(&p);
        return false;
    }
    /* the PO file being out of step is what --diff is about: its load
     * errors are not this command's */
    Arena *a = p.a;
    const Item *it = NULL;
    const Material *tm = NULL;
    /* FILE is a path from the current folder, as for --mark-current and new
     * translation, or from the project as status prints it: the file
     * itself decides (device and inode), however it is written */
    struct stat want, sb;
    bool have = stat(path_arg(a, root, file), &want) == 0;
    bool is_source = false;
    for (size_t i = 0; i < p.site.n_items && !tm; i++) {
        const Item *x = p.site.items[i];
        is_source |= have && stat(x->source->src->abs, &sb) == 0 && sb.st_dev == want.st_dev && sb.st_ino == want.st_ino;
        for (size_t l = 1; l < p.cfg.n_langs && !tm; l++) {
            /* a file still all in Dutch is not published, but is a translation to diff */
            const Material *m = x->by_lang[l] ? x->by_lang[l] : x->untranslated ? x->untranslated[l] : NULL;
            if (m && (!strcmp(m->src->path, file) || !strcmp(m->src->abs, file) ||
                      (have && stat(m->src->abs, &sb) == 0 && sb.st_dev == want.st_dev && sb.st_ino == want.st_ino))) {
                tm = m;
                it = x;
            }
        }
    }
    if (!tm) {
        if (is_source)
            diag_error(d, file, 0, 0, "this is the %s text itself; name one of its translations", p.cfg.langs[0].tag);
        else
            diag_error(d, file, 0, 0,
                       "this is not a translation in the project %s; give its path from this folder or from the "
                       "project (content/<kind>/<slug>.<lang>.md or .po)",
                       root);
        project_free(&p);
        return false;
    }
    for (size_t i = 0; i < d->len; i++) {
        free(d->items[i].msg);
        free(d->items[i].file);
    }
    d->len = 0;
    const Material *src = it->source;
    SegList S;
    segment_material(a, it->key, src->title, src->summary, src->body, src->body_len, src->body_line, &S);
    Value *doc = value_map(a), *units = value_list(a), *os = value_map(a);
    value_set_str(a, doc, "file", tm->src->path);
    value_set_str(a, doc, "material", it->key);
    value_set_str(a, doc, "source_file", src->src->path);
    value_set(a, doc, "old_source", os);
    value_set(a, doc, "units", units);
    size_t changed = 0;
    if (tm->src->is_po) {
        PoFile old, merged;
        if (!po_read(a, tm->src->abs, tm->src->path, &old, d)) {
            project_free(&p);
            return false;
        }
        translate_merge(a, &S, &old, src->src->path, &merged);
        value_set_bool(a, os, "known", true);
        value_set_str(a, os, "from", "the PO file's entries (#| msgid)");
        if (!json)
            fprintf(out, "%s: the Dutch changes in %s since the entries of this PO file were translated\n",
                    tm->src->path, src->src->path);
        for (size_t i = 0; i < S.n; i++) {
            const PoEntry *e = &merged.e[i];
            const Segment *u = &S.units[i];
            if (e->fuzzy || (e->msgstr[0] == '\0')) {
                const char *prev = e->prev_msgid;
                report_unit(a, prev ? "changed" : e->msgstr[0] ? "to check" : "new", u->ctxt, u->line, prev, u->msgid,
                            json, units, out);
                changed++;
            }
        }
        for (size_t k = S.n; k < merged.n; k++)
            if (merged.e[k].obsolete && merged.e[k].ref == NULL && merged.e[k].msgstr[0]) {
                bool was_live = false;
                for (size_t j = 0; j < old.n; j++)
                    was_live |= !old.e[j].obsolete && old.e[j].msgid == merged.e[k].msgid;
                if (was_live) {
                    report_unit(a, "removed", merged.e[k].ctxt ? merged.e[k].ctxt : "", 0, merged.e[k].msgid, NULL, json,
                                units, out);
                    changed++;
                }
            }
    } else {
        Material old;
        const char *commit = NULL;
        bool known = tm->tr_source && translate_git_source(a, p.root, src->src, tm->tr_source, &old, &commit);
        value_set_bool(a, os, "known", known);
        if (known) {
            value_set_str(a, os, "from", "git");
            value_set_str(a, os, "commit", commit);
            if (!json)
                fprintf(out, "%s: the Dutch changes in %s since git commit %s (fingerprint %s)\n", tm->src->path,
                        src->src->path, commit, tm->tr_source);
            SegList O;
            segment_material(a, it->key, old.title, old.summary, old.body, old.body_len, old.body_line, &O);
            /* the old text as a PO file of itself, so units pair as in an update */
            PoFile self = {0};
            self.e = arena_alloc(a, (O.n + 1) * sizeof(PoEntry));
            for (size_t k = 0; k < O.n; k++)
                self.e[self.n++] = (PoEntry){.ctxt = O.units[k].ctxt, .msgid = O.units[k].msgid, .msgstr = "x"};
            PoFile merged;
            translate_merge(a, &S, &self, src->src->path, &merged);
            for (size_t i = 0; i < S.n; i++) {
                const PoEntry *e = &merged.e[i];
                if (!e->msgstr[0] || e->fuzzy) {
                    report_unit(a, e->prev_msgid ? "changed" : "new", S.units[i].ctxt, S.units[i].line, e->prev_msgid,
                                S.units[i].msgid, json, units, out);
                    changed++;
                }
            }
            for (size_t k = S.n; k < merged.n; k++) {
                bool paired = false;
                for (size_t i = 0; i < S.n && !paired; i++)
                    paired = merged.e[i].prev_msgid == merged.e[k].msgid;
                if (!paired) {
                    report_unit(a, "removed", merged.e[k].ctxt, 0, merged.e[k].msgid, NULL, json, units, out);
                    changed++;
                }
            }
        } else {
            const char *why = !tm->tr_source ? "the translation has no translation.source fingerprint"
                              : "no version of the Dutch file in this project's git history has the translation's "
                                "fingerprint (the project is not a git checkout, or that text was never committed)";
            value_set_str(a, os, "reason", why);
            if (!json) {
                fprintf(out, "%s: the old Dutch text is not known: %s.\n", tm->src->path, why);
                if (it->state[tm->src->lang_index] == TR_STALE)
                    fprintf(out, "The Dutch text changed since; compare the translation with %s as a whole.\n",
                            src->src->path);
            }
        }
    }
    value_set_num(a, doc, "changed", (double)changed);
    if (json) {
        json_print(out, doc);
    } else if (changed == 0 && value_get(os, "reason") == NULL) {
        fprintf(out, "no Dutch unit changed\n");
    }
    project_free(&p);
    return true;
}
