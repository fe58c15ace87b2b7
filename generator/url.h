/* URLs lobgen writes into HTML itself (glossary links; links cmark keeps):
 * which schemes are refused, and how an href is escaped. */
#ifndef LOBGEN_URL_H
#define LOBGEN_URL_H

#include "buf.h"

#include <stdbool.h>

/* True for javascript:, vbscript:, file: and data: (data: images of PNG,
 * GIF, JPEG or WebP excepted when image is true), also when the scheme is
 * hidden by spaces, tabs or control characters. */
bool url_is_dangerous(const char *url, bool image);
/* Append url for an href="..." attribute: unsafe bytes percent-encoded,
 * & and ' escaped. */
void url_put_href(Buf *b, const char *url);

#endif
