#include "blocks.h"

#include "templates.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* "blocks/NAME" into path, cut at 255 bytes as snprintf would: the
 * template name of a block (a printf per fence was a tenth of its cost). */
static void block_path(char path[256], const char *name)
{
    size_t n = strlen(name);
    if (n > 255 - 7)
        n = 255 - 7;
    memcpy(path, "blocks/", 7);
    memcpy(path + 7, name, n);
    path[7 + n] = '\0';
}

bool block_exists(void *ctx, const char *name)
{
    BlockCtx *c = ctx;
    if (!name[0])
        return false;
    for (const char *p = name; *p; p++)
        if (!(islower((unsigned char)*p) || isdigit((unsigned char)*p) || *p == '-' || *p == '_'))
            return false;
    char path[256];
    block_path(path, name);
    if (c->use) /* a template added under this name later turns the code into a block */
        template_use_add(c->use, path);
    return templates_find(c->b->in->tpl, path, lang_tag(c->b, c->l), c->leerjaar) != NULL;
}

const char *block_near(void *ctx, const char *word)
{
    BlockCtx *c = ctx;
    size_t len = strlen(word);
    if (len < 3)
        return NULL;
    const char *names[256];
    size_t n = templates_block_names(c->b->in->tpl, names, 256);
    /* close enough to be a typo ("antwoorden", "tips"), not a code language */
    return diag_closest(word, names, n, len >= 6 ? 2 : 1);
}

/* The list items of a block's body, so that templates can lay them out
 * (cards, a timed programme) without parsing HTML. */
static Value *list_items(Arena *a, const MdBlockBody *body)
{
    Value *items = value_list(a);
    for (size_t i = 0; i < body->n_items; i++) {
        const char *h = body->items[i].html;
        Value *it = value_map(a);
        value_set(a, it, "html", value_str_borrow(a, h));
        /* "19:15 Welkom" -> time and the rest; only a real time of day, as
         * the template prints it as <time datetime> (HTML's valid time string) */
        if (isdigit((unsigned char)h[0]) && isdigit((unsigned char)h[1]) && h[2] == ':' &&
            isdigit((unsigned char)h[3]) && isdigit((unsigned char)h[4]) && (h[5] == ' ' || h[5] == '\0') &&
            (h[0] - '0') * 10 + (h[1] - '0') < 24 && h[3] < '6') {
            value_set(a, it, "time", value_strn(a, h, 5));
            value_set(a, it, "rest", value_str_borrow(a, h[5] ? h + 6 : ""));
        } else if (isdigit((unsigned char)h[0]) && h[1] == ':' && isdigit((unsigned char)h[2]) &&
                   isdigit((unsigned char)h[3]) && (h[4] == ' ' || h[4] == '\0') && h[2] < '6') {
            value_set(a, it, "time", value_strf(a, "0%.4s", h));
            value_set(a, it, "rest", value_str_borrow(a, h[4] ? h + 5 : ""));
        } else {
            value_set(a, it, "rest", value_str_borrow(a, h));
        }
        value_push(a, items, it);
    }
    return items;
}

/* The names a block template receives besides the attributes (and the
 * keys of each item, which a section over items also finds by name). An
 * attribute may not take one of them: content="<img onerror=…>" would
 * otherwise replace the HTML lobgen made and reach {{{content}}} raw. A
 * name ending in _list is the list lobgen makes from a count. */
static const char *const reserved[] = {"content", "items", "t", "lang", "attrs", "html", "time", "rest"};

static const char *reserved_name(const char *name)
{
    for (size_t i = 0; i < sizeof reserved / sizeof *reserved; i++)
        if (!strcmp(name, reserved[i]))
            return reserved[i];
    size_t n = strlen(name);
    if (n >= 5 && !strcmp(name + n - 5, "_list"))
        return "_list";
    return NULL;
}

bool block_render(void *ctx, const char *name, const MdAttr *attrs, size_t n_attrs,
                 const MdBlockBody *body, const char *heading_before, const char *file, int line,
                 Buf *out, Diags *d)
{
    BlockCtx *c = ctx;
    Arena *a = c->a;
    Value *data = value_map(a);
    value_set(a, data, "content", value_str_borrow(a, body->html));
    /* the heading right before already names the block: its template
     * leaves out its own title (no "Programma" above "Programma") */
    value_set_bool(a, data, "after_heading", heading_before != NULL);
    if (heading_before)
        value_set_str(a, data, "heading_before", heading_before);
    value_set(a, data, "items", list_items(a, body));
    value_set(a, data, "t", c->b->t[c->l]);
    value_set(a, data, "lang", value_get(c->b->base[c->l], "lang"));
    Value *at = value_map(a);
    for (size_t i = 0; i < n_attrs; i++) {
        const char *r = reserved_name(attrs[i].name);
        if (r) {
            diag_error(d, file, line, attrs[i].col,
                       r[0] == '_' ? "block \"%s\": an attribute name may not end in _list (\"%s\"); lobgen makes "
                                     "NAME_list from a count NAME=N itself; choose another name"
                                   : "block \"%s\": \"%s\" is a name the block template uses for its own data; "
                                     "choose another attribute name",
                       name, attrs[i].name);
            return false;
        }
        const char *v = attrs[i].value;
        value_set(a, at, attrs[i].name, value_str(a, v));
        value_set(a, data, attrs[i].name, value_str(a, v));
        /* a count (regels=5) also comes as a list to loop over */
        char *end;
        long k = strtol(v, &end, 10);
        /* regels is the documented count (lines to write on): a value that
         * is no whole number would silently give none at all */
        if (!strcmp(attrs[i].name, "regels") && (!*v || *end)) {
            diag_error(d, file, line, attrs[i].col,
                       "block \"%s\": regels=%s%s%s must be a whole number from 0 to 200, the number of lines to "
                       "write on, like regels=4 (or leave it out for three)",
                       name, *v ? "" : "\"", v, *v ? "" : "\"");
            return false;
        }
        if (*v && !*end) {
            if (k < 0 || k > 200) {
                diag_error(d, file, line, 1, "%s=%s is out of range; use a number from 0 to 200",
                           attrs[i].name, v);
                return false;
            }
            Value *list = value_list(a);
            for (long j = 1; j <= k; j++)
                value_push(a, list, value_num(a, (double)j));
            value_set(a, data, arena_cat(a, attrs[i].name, "_list", (char *)NULL), list);
        }
    }
    value_set(a, data, "attrs", at);
    if (c->blocks) {
        Value *same = value_get(c->blocks, name);
        if (!same) {
            same = value_list(a);
            value_set(a, c->blocks, name, same);
        }
        Value *seen = value_map(a);
        value_set(a, seen, "items", value_get(data, "items"));
        value_push(a, same, seen);
    }
    TemplateScope sc = {c->b->in->tpl, lang_tag(c->b, c->l), c->leerjaar, c->use};
    char path[256];
    block_path(path, name);
    size_t e0 = diags_count(d, DIAG_ERROR);
    bool ok = templates_render(&sc, path, data, out, d);
    if (!ok && diags_count(d, DIAG_ERROR) > e0) {
        Diag *last = &d->items[d->len - 1];
        char *m = last->msg;
        last->msg = NULL;
        Buf nm = BUF_INIT;
        buf_printf(&nm, "in the %s block: %s", name, m);
        free(m);
        last->msg = buf_detach(&nm);
        free(last->file);
        last->file = xstrdup(file);
        last->line = line;
        last->col = 1;
    }
    return ok;
}
