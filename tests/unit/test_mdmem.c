/* cmark-gfm's per-thread bump allocator (mdmem.h): calloc gives zeroed
 * memory, realloc keeps the contents whether it grows in place or moves,
 * blocks never overlap, marks nest and give back what came after them,
 * and a thread keeps at most one spare chunk between texts. */
#include "check.h"
#include "mdmem.h"

#include <cmark-gfm.h>
#include <pthread.h>
#include <sched.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

static bool filled(const unsigned char *p, size_t n, unsigned char c)
{
    for (size_t i = 0; i < n; i++)
        if (p[i] != c)
            return false;
    return true;
}

static void *worker(void *arg)
{
    cmark_mem *m = mdmem_allocator();
    int *ok = arg;
    MdMark mk = mdmem_mark();
    for (int round = 0; round < 50; round++) {
        unsigned char *p = m->calloc(1000, 1);
        memset(p, (unsigned char)round, 1000);
        sched_yield();
        *ok &= filled(p, 1000, (unsigned char)round);
    }
    mdmem_release(mk);
    return NULL;
}

int main(void)
{
    CHECK_SUITE("mdmem");
    cmark_mem *m = mdmem_allocator();
    MdMark outer = mdmem_mark();

    unsigned char *a = m->calloc(10, 7);
    memset(a, 0xAA, 70);
    unsigned char *b = m->calloc(3, 100);
    CHECK("calloc gives zeroed memory, 16-byte aligned", filled(b, 300, 0) && ((uintptr_t)a & 15) == 0 &&
                                                             ((uintptr_t)b & 15) == 0,
          "");
    memset(b, 0xBB, 300);
    CHECK("blocks do not overlap", filled(a, 70, 0xAA) && filled(b, 300, 0xBB), "");

    /* b is the last block: grows in place; a is not: moves */
    unsigned char *b2 = m->realloc(b, 5000);
    unsigned char *a2 = m->realloc(a, 200);
    CHECK("realloc keeps the contents (in place and moved)", filled(b2, 300, 0xBB) && filled(a2, 70, 0xAA), "");
    memset(b2, 0xCC, 5000);
    CHECK("a moved block does not overlap the one grown in place", filled(a2, 70, 0xAA), "");
    unsigned char *big = m->realloc(NULL, 1 << 20); /* more than a chunk */
    memset(big, 0xDD, 1 << 20);
    CHECK("a block larger than a chunk", filled(b2, 5000, 0xCC) && filled(big, 1 << 20, 0xDD), "");
    m->free(big);
    m->free(NULL);

    /* nested marks: the inner text's blocks go, the outer's stay */
    MdMark inner = mdmem_mark();
    unsigned char *first = NULL;
    for (int i = 0; i < 2000; i++) {
        unsigned char *p = m->calloc(1, 300);
        memset(p, 0xEE, 300); /* past one chunk */
        if (!first)
            first = p;
    }
    mdmem_release(inner);
    unsigned char *c = m->calloc(1, 64);
    CHECK("after an inner release the outer blocks are intact", filled(a2, 70, 0xAA) && filled(b2, 5000, 0xCC),
          "");
    CHECK("and memory after the mark is handed out again, zeroed", c == first && filled(c, 64, 0), "");

    mdmem_release(outer);
    size_t held = mdmem_held();
    CHECK("after the outermost release the thread keeps one chunk at most", held <= (256u << 10), "held=%zu", held);
    unsigned char *d = m->calloc(1, 100);
    CHECK("and allocates from it again", d != NULL && filled(d, 100, 0), "");
    mdmem_release(outer);

    /* threads each have their own arena */
    pthread_t t[4];
    int ok[4] = {1, 1, 1, 1};
    for (int i = 0; i < 4; i++)
        pthread_create(&t[i], NULL, worker, &ok[i]);
    for (int i = 0; i < 4; i++)
        pthread_join(t[i], NULL);
    CHECK("threads allocating at once never share a block", ok[0] && ok[1] && ok[2] && ok[3], "");
    CHECK_DONE();
}
