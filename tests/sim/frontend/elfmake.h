/*
 * Test helper: 32-bit little-endian ARM executables (System V gABI layout)
 * made in memory, so that the loader's checks are tested on exact,
 * malformed inputs instead of on what a toolchain happens to produce.
 */
#ifndef ELFMAKE_H
#define ELFMAKE_H

#include <stddef.h>
#include <stdint.h>

#define ELFMAKE_PT_LOAD 1u

struct elfmake_seg {
    uint32_t type; /* ELFMAKE_PT_LOAD, or another p_type */
    uint32_t vaddr, paddr, filesz, memsz;
};

/*
 * ELF header, the program headers, then each segment's file bytes (byte k
 * of segment i is elfmake_byte(i, k)). Returns the malloc'd image and its
 * length in *len.
 */
uint8_t *elfmake(const struct elfmake_seg *segs, unsigned n, size_t *len);
uint8_t elfmake_byte(unsigned seg, uint32_t k);

/* elfmake() written to `path`; 0 or -1. */
int elfmake_file(const char *path, const struct elfmake_seg *segs, unsigned n);

/* The smallest image quartz-sim accepts: 64 bytes at the start of flash. */
int elfmake_minimal(const char *path);

#endif
