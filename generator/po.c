#include "po.h"
#include "encoding.h"
#include "inputs.h"

#include <errno.h>
#include <fcntl.h>
#include <gettext-po.h>
#include <setjmp.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

/* libgettextpo reports through a callback that must not return on a fatal
 * error; reading is single-threaded (project load, the commands), so the
 * handler's state can be static. */
static Diags *cur_d;
static const char *cur_file;
static jmp_buf cur_jmp;
static bool cur_failed;

static void add_msg(int severity, const char *filename, size_t lineno, size_t column, const char *text)
{
    (void)filename;
    int line = lineno == (size_t)-1 ? 0 : (int)lineno;
    /* the lexer has read the newline when it sees an unclosed string */
    if (line > 1 && strstr(text, "end-of-line within string"))
        line--;
    int col = column == (size_t)-1 || line == 0 ? 0 : (int)column;
    size_t n = strlen(text);
    while (n && text[n - 1] == '\n')
        n--;
    if (severity == PO_SEVERITY_WARNING) {
        diag_warn(cur_d, cur_file, line, col, "%.*s", (int)n, text);
    } else {
        diag_error(cur_d, cur_file, line, col, "%.*s (the PO syntax is described in the gettext manual)", (int)n, text);
        cur_failed = true;
    }
}

static void xerror(int severity, po_message_t m, const char *filename, size_t lineno, size_t column,
                   int multiline, const char *text)
{
    (void)m;
    (void)multiline;
    add_msg(severity, filename, lineno, column, text);
    if (severity == PO_SEVERITY_FATAL_ERROR)
        longjmp(cur_jmp, 1);
}

static void xerror2(int severity, po_message_t m1, const char *f1, size_t l1, size_t c1, int ml1, const char *t1,
                    po_message_t m2, const char *f2, size_t l2, size_t c2, int ml2, const char *t2)
{
    (void)m1;
    (void)m2;
    (void)ml1;
    (void)ml2;
    add_msg(severity == PO_SEVERITY_FATAL_ERROR ? PO_SEVERITY_ERROR : severity, f1, l1, c1, t1);
    add_msg(severity == PO_SEVERITY_FATAL_ERROR ? PO_SEVERITY_ERROR : severity, f2, l2, c2, t2);
    if (severity == PO_SEVERITY_FATAL_ERROR)
        longjmp(cur_jmp, 1);
}

static const struct po_xerror_handler handler = {xerror, xerror2};

/* libgettextpo 0.21 returns a new string for the comments (a join of the
 * lines) though the type says const, and "" when there are none. */
static const char *take(Arena *a, const char *s)
{
    if (!s || !s[0])
        return NULL;
    const char *r = arena_strdup(a, s);
    free((char *)s);
    return r;
}

/* A PO text in NFC, as every other input (encoding.h): a msgid saved
 * decomposed still matches the Dutch text's unit, a msgstr reaches the page
 * composed. */
static char *nfc_dup(Arena *a, const char *s)
{
    size_t n;
    char *c = encoding_nfc(s, strlen(s), &n);
    if (!c)
        return arena_strdup(a, s);
    char *r = arena_strndup(a, c, n);
    free(c);
    return r;
}

static const char *dup_or_null(Arena *a, const char *s) { return s && s[0] ? nfc_dup(a, s) : NULL; }

/* The line of every msgid keyword, so entries can be named by line: the
 * n-th live entry (header included) is the n-th "msgid" line, obsolete
 * ones are counted apart. */
static void msgid_lines(const char *path, int **live, size_t *n_live, int **obs, size_t *n_obs)
{
    size_t len;
    char *t = read_input(path, &len);
    *live = *obs = NULL;
    *n_live = *n_obs = 0;
    size_t cap_l = 0, cap_o = 0;
    if (!t)
        return;
    int line = 1;
    for (char *p = t; *p;) {
        if (!strncmp(p, "msgid ", 6) || !strncmp(p, "msgid\t", 6)) {
            ALLOC_GROW(*live, *n_live + 1, cap_l);
            (*live)[(*n_live)++] = line;
        } else if (!strncmp(p, "#~ msgid ", 9)) {
            ALLOC_GROW(*obs, *n_obs + 1, cap_o);
            (*obs)[(*n_obs)++] = line;
        }
        char *nl = strchr(p, '\n');
        if (!nl)
            break;
        p = nl + 1;
        line++;
    }
    free(t);
}

bool po_read(Arena *a, const char *path, const char *file, PoFile *out, Diags *d)
{
    memset(out, 0, sizeof *out);
    cur_d = d;
    cur_file = file;
    cur_failed = false;
    po_file_t f = NULL;
    if (setjmp(cur_jmp)) {
        cur_d = NULL;
        return false;
    }
    /* libgettextpo says only that it failed; the reason (a file that is
     * not there, or not readable) comes from a plain open first */
    int probe = open(path, O_RDONLY | O_CLOEXEC | O_NONBLOCK);
    if (probe < 0) {
        diag_error(d, file, 0, 0, "cannot read this PO file: %s; check the path", strerror(errno));
        cur_d = NULL;
        return false;
    }
    struct stat pst;
    bool too_big = fstat(probe, &pst) == 0 && S_ISREG(pst.st_mode) && (size_t)pst.st_size > INPUT_TEXT_MAX;
    close(probe);
    if (too_big) {
        errno = EFBIG;
        input_read_error(d, file, &pst);
        cur_d = NULL;
        return false;
    }
    f = po_file_read(path, &handler);
    if (!f || cur_failed) {
        if (f)
            po_file_free(f);
        if (!cur_failed)
            diag_error(d, file, 0, 0, "cannot read this PO file");
        return false;
    }
    int *live, *obs;
    size_t n_live, n_obs, i_live = 0, i_obs = 0;
    msgid_lines(path, &live, &n_live, &obs, &n_obs);
    const char *hdr = po_file_domain_header(f, NULL);
    if (hdr) {
        out->header = arena_strdup(a, hdr);
        char *v = po_header_field(hdr, "Language");
        out->language = dup_or_null(a, v);
        free(v);
        v = po_header_field(hdr, "Plural-Forms");
        out->plural_forms = dup_or_null(a, v);
        free(v);
        free((char *)hdr); /* 0.21 returns a copy (see take) */
    }
    po_message_iterator_t it = po_message_iterator(f, NULL);
    for (po_message_t m; (m = po_next_message(it));) {
        bool obsolete = po_message_is_obsolete(m);
        int line = obsolete ? (i_obs < n_obs ? obs[i_obs++] : 0) : (i_live < n_live ? live[i_live++] : 0);
        const char *id = po_message_msgid(m);
        if (!id[0] && !po_message_msgctxt(m) && !obsolete)
            continue; /* the header */
        ARENA_GROW(a, out->e, out->n, out->n + 1, out->cap);
        PoEntry *e = &out->e[out->n++];
        memset(e, 0, sizeof *e);
        e->ctxt = po_message_msgctxt(m) ? nfc_dup(a, po_message_msgctxt(m)) : NULL;
        e->msgid = nfc_dup(a, id);
        e->msgid_plural = dup_or_null(a, po_message_msgid_plural(m));
        if (e->msgid_plural) {
            while (po_message_msgstr_plural(m, e->n_plural))
                e->n_plural++;
            e->msgstr = nfc_dup(a, e->n_plural ? po_message_msgstr_plural(m, 0) : "");
        } else {
            e->msgstr = nfc_dup(a, po_message_msgstr(m));
        }
        e->prev_msgid = dup_or_null(a, po_message_prev_msgid(m));
        e->comments = take(a, po_message_comments(m));
        e->extracted = take(a, po_message_extracted_comments(m));
        po_filepos_t fp = po_message_filepos(m, 0);
        if (fp)
            e->ref = arena_printf(a, "%s:%zu", po_filepos_file(fp), po_filepos_start_line(fp));
        e->fuzzy = po_message_is_fuzzy(m);
        e->obsolete = obsolete;
        e->line = line;
    }
    po_message_iterator_free(it);
    po_file_free(f);
    free(live);
    free(obs);
    cur_d = NULL;
    return true;
}

bool po_write(const PoFile *po, const char *header, const char *path, Diags *d)
{
    po_file_t f = po_file_create();
    po_message_iterator_t it = po_message_iterator(f, NULL);
    po_message_t h = po_message_create();
    po_message_set_msgid(h, "");
    po_message_set_msgstr(h, header);
    po_message_insert(it, h);
    for (size_t i = 0; i < po->n; i++) {
        const PoEntry *e = &po->e[i];
        po_message_t m = po_message_create();
        if (e->ctxt)
            po_message_set_msgctxt(m, e->ctxt);
        po_message_set_msgid(m, e->msgid);
        po_message_set_msgstr(m, e->msgstr ? e->msgstr : "");
        if (e->prev_msgid)
            po_message_set_prev_msgid(m, e->prev_msgid);
        if (e->comments)
            po_message_set_comments(m, e->comments);
        if (e->extracted)
            po_message_set_extracted_comments(m, e->extracted);
        if (e->ref) {
            const char *colon = strrchr(e->ref, ':');
            char *file = colon ? strndup(e->ref, (size_t)(colon - e->ref)) : strdup(e->ref);
            po_message_add_filepos(m, file, colon ? (size_t)strtoul(colon + 1, NULL, 10) : (size_t)-1);
            free(file);
        }
        /* a fuzzy entry without a translation is just untranslated */
        po_message_set_fuzzy(m, e->fuzzy && e->msgstr && e->msgstr[0]);
        po_message_set_obsolete(m, e->obsolete);
        po_message_insert(it, m);
    }
    po_message_iterator_free(it);
    cur_d = d;
    cur_file = path;
    cur_failed = false;
    bool ok = true;
    if (setjmp(cur_jmp))
        ok = false;
    else
        ok = po_file_write(f, path, &handler) != NULL && !cur_failed;
    po_file_free(f);
    cur_d = NULL;
    return ok;
}

/* gettext's forms of CLDR's cardinal plural rules for the languages lobgen
 * ships; the same table gettext's msginit and Weblate use. */
static const struct {
    const char *tag, *forms;
} plural_table[] = {
    {"ar", "nplurals=6; plural=(n==0 ? 0 : n==1 ? 1 : n==2 ? 2 : n%100>=3 && n%100<=10 ? 3 : n%100>=11 ? 4 : 5);"},
    {"de", "nplurals=2; plural=(n != 1);"},
    {"en", "nplurals=2; plural=(n != 1);"},
    {"fr", "nplurals=2; plural=(n > 1);"},
    {"nl", "nplurals=2; plural=(n != 1);"},
    {"pl", "nplurals=3; plural=(n==1 ? 0 : n%10>=2 && n%10<=4 && (n%100<12 || n%100>14) ? 1 : 2);"},
    {"so", "nplurals=2; plural=(n != 1);"},
    {"ti", "nplurals=2; plural=(n > 1);"},
    {"tr", "nplurals=2; plural=(n != 1);"},
    {"uk", "nplurals=3; plural=(n%10==1 && n%100!=11 ? 0 : n%10>=2 && n%10<=4 && (n%100<12 || n%100>14) ? 1 : 2);"},
};

const char *po_plural_forms(const char *tag)
{
    /* a regional tag (ar-MA) has its language's rules */
    size_t n = strcspn(tag, "-_");
    for (size_t i = 0; i < sizeof plural_table / sizeof plural_table[0]; i++)
        if (strlen(plural_table[i].tag) == n && !strncmp(plural_table[i].tag, tag, n))
            return plural_table[i].forms;
    return NULL;
}

int po_nplurals(const char *pf)
{
    const char *p = pf ? strstr(pf, "nplurals=") : NULL;
    if (!p)
        return -1;
    return atoi(p + 9);
}

const char *po_header_value(Arena *a, const PoFile *po, const char *name)
{
    if (!po->header)
        return NULL;
    char *v = po_header_field(po->header, name);
    const char *r = v ? arena_strdup(a, v) : NULL;
    free(v);
    return r;
}
