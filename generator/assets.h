/* Copying the theme's static files (templates/assets/) into the site. */
#ifndef LOBGEN_ASSETS_H
#define LOBGEN_ASSETS_H

#include "render.h"

/* Copy every regular file under dir_abs (at most 4 folders deep, hidden
 * names skipped) to rel/... in w. A missing folder copies nothing. */
void copy_assets(const RenderInput *in, Writer *w, const char *dir_abs, const char *rel, Diags *d, int depth);

#endif
