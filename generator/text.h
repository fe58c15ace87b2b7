/* Small text primitives used by several stages, written once: code-point
 * counting, the FNV-1a hash, and which code points belong inside a word. */
#ifndef LOBGEN_TEXT_H
#define LOBGEN_TEXT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* Code points in the first n bytes of UTF-8 text s (continuation bytes
 * are not counted; columns and the 600-character announcement use it). */
size_t utf8_length(const char *s, size_t n);

/* FNV-1a, 64 bits: start from FNV1A_INIT and feed bytes; not for security. */
#define FNV1A_INIT 1469598103934665603ULL
static inline uint64_t fnv1a_byte(uint64_t h, unsigned char c) { return (h ^ c) * 1099511628211ULL; }
uint64_t fnv1a_str(uint64_t h, const char *s);

/* True for Unicode white space and U+00A0 (no-break space). c < 0 is false. */
bool text_is_space_cp(int32_t c);

/* True for letters, digits, combining marks and ZWJ/ZWNJ: what stays
 * inside a word (a slug, a glossary term's word boundary). c < 0 is false. */
bool text_is_word_cp(int32_t c);

#endif
