/* The command line: lobgen build | check | serve | init | new | status | fingerprint | template. */
#ifndef LOBGEN_CLI_H
#define LOBGEN_CLI_H

/* Run a command line; returns the exit status (0 ok, 1 content errors, 2 usage). */
int cli_main(int argc, char **argv);

#endif
