/* A main() for the fuzz targets without libFuzzer: runs the target once on
 * each file named on the command line. `make test` builds every target this
 * way with ASan+UBSan and replays tests/fuzz/<target>/ (crash inputs found
 * by `make fuzz`, kept as regression tests, and pathological inputs). */
#include "buf.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int main(int argc, char **argv)
{
    for (int i = 1; i < argc; i++) {
        size_t len;
        char *data = read_file(argv[i], &len);
        if (!data) {
            fprintf(stderr, "cannot read %s\n", argv[i]);
            return 2;
        }
        LLVMFuzzerTestOneInput((const uint8_t *)data, len);
        free(data);
        printf("PASS %s\n", argv[i]);
    }
    return 0;
}
