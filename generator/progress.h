/* The progress line: while a long build runs on a terminal, one line on
 * stderr that updates in place ("lobgen: pages 5120/88000"). It appears
 * only after the build has run for a second, only when enabled (stderr is
 * a terminal and not --quiet), and is erased before anything else prints. */
#ifndef LOBGEN_PROGRESS_H
#define LOBGEN_PROGRESS_H

#include <stdbool.h>
#include <stddef.h>

/* Start the clock (and, when enabled, the thread that draws the line). */
void progress_begin(bool enabled);
/* Name the stage now running and how many steps it has (0: not counted).
 * name must outlive the stage (a string literal). */
void progress_stage(const char *name, size_t total);
/* n more steps of the current stage are done. Safe from any thread; a
 * no-op when progress is off. */
void progress_add(size_t n);
/* Stop the thread and erase the line if it was drawn. */
void progress_end(void);

#endif
