/*
 * svd-facts: writes the facts of a CMSIS-SVD file (see facts.h) to stdout.
 *   svd-facts FILE.svd            extract
 *   svd-facts --facts FILE.facts  read a facts file and write it back in
 *                                 the canonical order (a check of the file)
 * Exit status: 0, 1 the input cannot be read, 2 bad usage.
 */
#include <stdbool.h>
#include <stdio.h>
#include <string.h>

#include "facts.h"

static const char header[] =
    "# Chip facts written by tools/svd-facts from the vendor's CMSIS-SVD file:\n"
    "# numbers only, no descriptions. Regenerate, do not edit (format: tools/svd-facts/facts.h).\n";

int main(int argc, char **argv)
{
    bool facts_in = argc == 3 && strcmp(argv[1], "--facts") == 0;
    if (argc != 2 && !facts_in) {
        fprintf(stderr, "usage: svd-facts FILE.svd | svd-facts --facts FILE.facts\n");
        return 2;
    }
    struct facts f;
    char err[512] = "";
    int rc = facts_in ? facts_load(&f, argv[2], err, sizeof err) : svd_read(&f, argv[1], err, sizeof err);
    if (rc) {
        fprintf(stderr, "svd-facts: %s\n", err);
        facts_free(&f);
        return 1;
    }
    facts_sort(&f);
    fputs(header, stdout);
    rc = facts_write(&f, stdout);
    facts_free(&f);
    if (rc || fflush(stdout) != 0) {
        fprintf(stderr, "svd-facts: cannot write the output\n");
        return 1;
    }
    return 0;
}
