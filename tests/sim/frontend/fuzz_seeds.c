/*
 * Seed inputs for fuzz_elf: small valid images (elfmake.h), so that the
 * fuzzer starts past the header checks. Usage: fuzz_seeds DIR; prints the
 * comma-separated file list that libFuzzer's -seed_inputs takes.
 */
#include <stdio.h>

#include "elfmake.h"

#define FLASH 0x08000000u
#define SRAM 0x20000000u

int main(int argc, char **argv)
{
    if (argc != 2) {
        fprintf(stderr, "usage: %s DIR\n", argv[0]);
        return 2;
    }
    static const struct elfmake_seg typical[] = {
        { ELFMAKE_PT_LOAD, FLASH, FLASH, 512, 512 },
        { ELFMAKE_PT_LOAD, SRAM, FLASH + 512, 24, 24 },
        { ELFMAKE_PT_LOAD, SRAM + 24, SRAM + 24, 0, 4096 },
        { 0x70000001u, 0, 0, 16, 16 },
    };
    static const struct elfmake_seg alias[] = {
        { ELFMAKE_PT_LOAD, 0, 0, 64, 64 },
        { ELFMAKE_PT_LOAD, FLASH + 64, FLASH + 64, 64, 64 },
    };
    const struct { const char *name; const struct elfmake_seg *segs; unsigned n; } seeds[] = {
        { "typical.elf", typical, 4 },
        { "alias.elf", alias, 2 },
        { "vectors.elf", typical, 1 },
    };
    for (unsigned i = 0; i < sizeof seeds / sizeof seeds[0]; i++) {
        char path[512];
        snprintf(path, sizeof path, "%s/%s", argv[1], seeds[i].name);
        if (elfmake_file(path, seeds[i].segs, seeds[i].n) != 0) {
            fprintf(stderr, "fuzz_seeds: cannot write %s\n", path);
            return 1;
        }
    }
    return 0;
}
