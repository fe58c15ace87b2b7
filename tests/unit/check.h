/* A minimal test harness: every check prints one line, PASS or FAIL, and
 * tests/run counts them. A test program exits non-zero if anything failed. */
#ifndef LOBGEN_CHECK_H
#define LOBGEN_CHECK_H

#include <stdio.h>
#include <string.h>

static int check_failed_ = 0;
static const char *check_prefix_ = "";

#define CHECK_SUITE(name) (check_prefix_ = (name))

/* One named test: cond true -> PASS, else FAIL with a formatted detail. */
#define CHECK(name, cond, ...)                                                   \
    do {                                                                         \
        if (cond) {                                                              \
            printf("PASS %s: %s\n", check_prefix_, (name));                      \
        } else {                                                                 \
            check_failed_++;                                                     \
            printf("FAIL %s: %s (%s:%d): ", check_prefix_, (name), __FILE__, __LINE__); \
            printf(" " __VA_ARGS__);                                             \
            printf("\n");                                                        \
        }                                                                        \
        fflush(stdout);                                                          \
    } while (0)

/* String equality with both sides shown on failure. */
#define CHECK_STR(name, got, want)                                               \
    do {                                                                         \
        const char *g_ = (got), *w_ = (want);                                    \
        CHECK(name, g_ && w_ && strcmp(g_, w_) == 0, "got [%s] want [%s]",      \
              g_ ? g_ : "(null)", w_ ? w_ : "(null)");                           \
    } while (0)

#define CHECK_CONTAINS(name, hay, needle)                                        \
    do {                                                                         \
        const char *h_ = (hay), *n_ = (needle);                                  \
        CHECK(name, h_ && strstr(h_, n_) != NULL, "[%s] does not contain [%s]", \
              h_ ? h_ : "(null)", n_);                                           \
    } while (0)

#define CHECK_DONE() return check_failed_ ? 1 : 0

#endif
