#include "cli.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <unicode/uclean.h>

int main(int argc, char **argv)
{
    int rc = cli_main(argc, argv);
    /* ICU keeps caches for the life of the process; hand them back so a
     * leak checker sees only real leaks */
    u_cleanup();
    /* Every command's stdout is checked here, once, as git does: a status
     * report or a rendered template that could not be written (a full
     * disk, a closed pipe, >/dev/full) must not exit 0. */
    errno = 0;
    if (fflush(stdout) != 0 || ferror(stdout) || fclose(stdout) != 0) {
        fprintf(stderr, "lobgen: cannot write the output: %s\n", errno ? strerror(errno) : "write error");
        if (rc == 0)
            rc = 1;
    }
    return rc;
}
