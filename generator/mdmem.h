/* A bump allocator for cmark-gfm's parse trees and rendered strings, one
 * per thread: a text's nodes, buffers and extension data are hundreds of
 * small callocs and reallocs, each freed one by one at the end; here they
 * are carved from the thread's chunks and given back all at once.
 *
 * Use: m = mdmem_mark(); parse and render with mdmem_allocator();
 * free the tree and parser as usual (free is nearly a no-op); then
 * mdmem_release(m) gives back everything allocated on this thread since
 * m. Marks nest (a text inside a block inside a text) and are released
 * in the reverse order. Nothing allocated after m may be used after
 * mdmem_release(m). Allocation failure aborts, as everywhere in lobgen. */
#ifndef LOBGEN_MDMEM_H
#define LOBGEN_MDMEM_H

#include <stddef.h>

struct cmark_mem;

typedef struct {
    void *chunk; /* this thread's chunk at the mark, NULL before any */
    size_t used; /* its bytes in use then */
} MdMark;

/* The allocator (calloc, realloc, free) of the calling thread's arena. */
struct cmark_mem *mdmem_allocator(void);
MdMark mdmem_mark(void);
void mdmem_release(MdMark m);
/* Bytes of chunks this thread holds (in use or kept for reuse). */
size_t mdmem_held(void);

#endif
