#include "json.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

static void put_string(Buf *out, const char *s, size_t n)
{
    static const char hex[] = "0123456789abcdef";
    buf_putc(out, '"');
    for (size_t i = 0; i < n; i++) {
        unsigned char c = (unsigned char)s[i];
        switch (c) {
        case '"': buf_puts(out, "\\\""); break;
        case '\\': buf_puts(out, "\\\\"); break;
        case '\n': buf_puts(out, "\\n"); break;
        case '\r': buf_puts(out, "\\r"); break;
        case '\t': buf_puts(out, "\\t"); break;
        default:
            if (c < 0x20) {
                buf_puts(out, "\\u00");
                buf_putc(out, hex[c >> 4]);
                buf_putc(out, hex[c & 15]);
            } else {
                buf_putc(out, (char)c);
            }
        }
    }
    buf_putc(out, '"');
}

static void indent(Buf *out, int depth)
{
    buf_putc(out, '\n');
    for (int i = 0; i < depth; i++)
        buf_puts(out, "  ");
}

static void write_value(Buf *out, const Value *v, int depth)
{
    if (!v) {
        buf_puts(out, "null");
        return;
    }
    switch (v->kind) {
    case V_NULL: buf_puts(out, "null"); break;
    case V_BOOL: buf_puts(out, v->u.b ? "true" : "false"); break;
    case V_NUM:
        if (!isfinite(v->u.n))
            buf_puts(out, "null");
        else if (v->u.n == floor(v->u.n) && fabs(v->u.n) < 1e15)
            buf_printf(out, "%.0f", v->u.n);
        else
            buf_printf(out, "%.17g", v->u.n);
        break;
    case V_STR: put_string(out, v->u.str.s, v->u.str.len); break;
    case V_LIST:
        buf_putc(out, '[');
        for (size_t i = 0; i < v->u.list.len; i++) {
            buf_puts(out, i ? "," : "");
            indent(out, depth + 1);
            write_value(out, v->u.list.items[i], depth + 1);
        }
        if (v->u.list.len)
            indent(out, depth);
        buf_putc(out, ']');
        break;
    case V_MAP:
        buf_putc(out, '{');
        for (size_t i = 0; i < v->u.map.len; i++) {
            buf_puts(out, i ? "," : "");
            indent(out, depth + 1);
            put_string(out, v->u.map.keys[i], strlen(v->u.map.keys[i]));
            buf_puts(out, ": ");
            write_value(out, v->u.map.vals[i], depth + 1);
        }
        if (v->u.map.len)
            indent(out, depth);
        buf_putc(out, '}');
        break;
    }
}

void json_write(Buf *out, const Value *v) { write_value(out, v, 0); }

void json_print(FILE *out, const Value *v)
{
    Buf o = BUF_INIT;
    json_write(&o, v);
    buf_putc(&o, '\n');
    fwrite(o.data, 1, o.len, out);
    buf_free(&o);
}
