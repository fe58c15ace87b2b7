/* Watching a project's inputs for lobgen serve: content/, templates/ and
 * locales/ (with every folder below them) and lobgen.yaml, via inotify. */
#ifndef LOBGEN_WATCH_H
#define LOBGEN_WATCH_H

#include "buf.h"

#include <stdbool.h>

typedef struct Watch Watch;

/* Start watching the project at root. Returns NULL (errno set) when
 * inotify is unavailable. Folders created later are watched as they appear. */
Watch *watch_open(const char *root);
/* The file descriptor to poll() for POLLIN. */
int watch_fd(const Watch *w);
/* Read the pending events without blocking. Returns true when an input
 * changed; then changed (replaced) holds the last changed file as a path
 * relative to root, e.g. "content/thuisopdrachten/x.nl.md". Editor swap
 * files and hidden files are ignored. */
bool watch_read(Watch *w, Buf *changed);
void watch_close(Watch *w);

#endif
