#include "cli.h"

#include <unicode/uclean.h>

int main(int argc, char **argv)
{
    int rc = cli_main(argc, argv);
    /* ICU keeps caches for the life of the process; hand them back so a
     * leak checker sees only real leaks */
    u_cleanup();
    return rc;
}
