/*
 * Minimal reader for the firmware's ELF32 little-endian ARM images, shared
 * by the ELF checks and the quartz-sim tests (symbol addresses).
 */
#ifndef QUARTZ_TEST_ELF32_H
#define QUARTZ_TEST_ELF32_H

#include <elf.h>
#include <stddef.h>
#include <stdint.h>

struct elf32 {
    unsigned char *data;
    size_t size;
    const Elf32_Ehdr *eh;
    const Elf32_Shdr *sh;
    const char *shstr;
};

/* Returns 0 or -1 with a readable reason in err. */
int elf32_open(struct elf32 *e, const char *path, char *err, size_t errlen);
void elf32_close(struct elf32 *e);
const Elf32_Shdr *elf32_section(const struct elf32 *e, const char *name);
/* Value of a symbol (local or global); 0 or -1 when missing. */
int elf32_symbol(const struct elf32 *e, const char *name, uint32_t *value);
/* Copies len bytes at a load (LMA/VMA of a PROGBITS section) address; 0 or -1. */
int elf32_read(const struct elf32 *e, uint32_t address, void *buf, size_t len);

#endif
