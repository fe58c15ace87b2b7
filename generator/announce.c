#include "pagedata.h"

#include "bidi.h"
#include "text.h"

#include <string.h>

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
     * long summary is left out rather than the message cut short; a title
     * too long even then is shortened with an ellipsis, so the limit holds
     * however long the title is. */
    Buf clean = BUF_INIT, file = BUF_INIT;
    const char *title = shown->title;
    /* Without a translation the message must not send the reader to "the
     * assignment in your language": it says, in their language, that the
     * assignment is in Dutch for now, and leaves out the Dutch summary. */
    bool in_dutch = it->state[l] == TR_MISSING;
    bool rtl = locale_is_rtl(b->in->locales[l]);
    const char *text = T(b, l, in_dutch ? "announce_text_dutch" : "announce_text");
    for (int pass = 0; pass < 3; pass++) {
        bool with_summary = pass == 0 && !in_dutch && shown->summary && shown->summary[0];
        if (pass == 0 && !with_summary)
            continue;
        Buf o = BUF_INIT;
        const char *sum = with_summary ? shown->summary : "", *date = value_cstr(value_get(p, "deadline_text")),
                   *url = value_cstr(value_get(p, "url_abs")), *tt = title;
        /* right-to-left: each value one isolate, and every left-to-right
         * run of the translated text too (bidi.h) */
        if (rtl) {
            tt = bidi_isolate_value(a, tt);
            sum = bidi_isolate_value(a, sum);
            date = bidi_isolate_value(a, date);
            url = bidi_isolate_value(a, url);
        }
        locale_fill(&o, text, "title", tt, "summary", sum, "date", date, "url", url, (const char *)NULL);
        if (rtl) {
            Buf iso = BUF_INIT;
            bidi_isolate_ltr_runs(o.data ? o.data : "", o.len, &iso);
            buf_free(&o);
            o = iso;
        }
        announce_tidy(&o, &clean);
        buf_free(&o);
        size_t n = utf8_length(clean.data, clean.len);
        if (n <= ANNOUNCE_MAX + 1) /* + the final newline */
            break;
        if (pass == 0)
            diag_warn(d, shown->src->abs, shown->summary_line, shown->summary_col,
                      "the announcement in %s would be %zu characters, more than %d, so it leaves out the summary; "
                      "shorten the summary or the title to keep it", lang, n - 1, ANNOUNCE_MAX);
        else if (pass == 1) {
            /* keep as many code points of the title as fit, then "…" */
            size_t over = n - (ANNOUNCE_MAX + 1), tl = utf8_length(title, strlen(title));
            size_t keep = tl > over + 1 ? tl - over - 1 : 0, i = 0, cps = 0;
            while (title[i] && cps < keep) {
                i++;
                while (((unsigned char)title[i] & 0xC0) == 0x80)
                    i++;
                cps++;
            }
            title = arena_printf(a, "%.*s…", (int)i, title);
        }
    }
    /* A byte-order mark first: servers send .txt as text/plain without
     * a charset, and browsers then guess windows-1252; a BOM outranks
     * both (WHATWG Encoding, "BOM sniff"). */
    buf_puts(&file, "\xEF\xBB\xBF");
    buf_append(&file, clean.data, clean.len);
    emit_file(st, arena_printf(a, "%s/%s/%s/aankondiging.txt", lang, kind_names[it->kind], it->slug), file.data,
              file.len, d);
    buf_free(&file);
    buf_free(&clean);
}
