#include "pagedata.h"

#include "text.h"

enum { ANNOUNCE_MAX = 600 };

/* The summary may be empty and a date may end in a dot ("р."): no double
 * spaces or double full stops in a message; one final newline. */
static void announce_tidy(const Buf *o, Buf *clean)
{
    buf_clear(clean);
    for (size_t k = 0; k < o->len; k++) {
        char c = o->data[k];
        bool after = clean->len && clean->data[clean->len - 1] == c;
        bool dots = c == '.' && after && (k + 1 >= o->len || o->data[k + 1] != '.') &&
                    !(clean->len >= 2 && clean->data[clean->len - 2] == '.');
        if (!(c == ' ' && after) && !dots)
            buf_putc(clean, c);
    }
    buf_putc(clean, '\n');
}

/* aankondiging.txt: the message for the school's channel. */
void page_announce(PageStage *st, const PageJob *j, Arena *a, Buf *out, Diags *d)
{
    Build *b = st->b;
    const Site *site = b->in->site;
    size_t l = j->l;
    const char *lang = lang_tag(b, l);
    (void)out;
    const Item *it = site->items[j->item];
    Value *p = b->material[j->item][l];
    const Material *shown = it->by_lang[l] ? it->by_lang[l] : it->source;
    /* A message for the school's channel: at most 600 characters, so a
     * long summary is left out rather than the message cut short. */
    Buf clean = BUF_INIT, file = BUF_INIT;
    for (int with_summary = 1; with_summary >= 0; with_summary--) {
        Buf o = BUF_INIT;
        locale_fill(&o, T(b, l, "announce_text"), "title", shown->title, "summary",
                    with_summary && shown->summary ? shown->summary : "", "date",
                    value_cstr(value_get(p, "deadline_text")), "url", value_cstr(value_get(p, "url_abs")),
                    (const char *)NULL);
        announce_tidy(&o, &clean);
        buf_free(&o);
        if (utf8_length(clean.data, clean.len) <= ANNOUNCE_MAX)
            break;
    }
    /* A byte-order mark first: servers send .txt as text/plain without
     * a charset, and browsers then guess windows-1252; a BOM outranks
     * both (WHATWG Encoding, "BOM sniff"). */
    buf_puts(&file, "\xEF\xBB\xBF");
    buf_append(&file, clean.data, clean.len);
    writer_put(st->w, arena_printf(a, "%s/%s/%s/aankondiging.txt", lang, kind_names[it->kind], it->slug),
               file.data, file.len, d);
    buf_free(&file);
    buf_free(&clean);
}
