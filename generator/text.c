#include "text.h"

#include <unicode/uchar.h>

size_t utf8_length(const char *s, size_t n)
{
    size_t k = 0;
    for (size_t i = 0; i < n; i++)
        k += ((unsigned char)s[i] & 0xC0) != 0x80;
    return k;
}

uint64_t fnv1a_str(uint64_t h, const char *s)
{
    for (; *s; s++)
        h = fnv1a_byte(h, (unsigned char)*s);
    return h;
}

bool text_is_word_cp(int32_t c)
{
    if (c < 0)
        return false;
    if (u_isalnum(c))
        return true;
    return (U_GET_GC_MASK(c) & U_GC_M_MASK) != 0 || c == 0x200C || c == 0x200D;
}

bool text_is_space_cp(int32_t c) { return c >= 0 && (u_isUWhiteSpace(c) || c == 0xA0); }
