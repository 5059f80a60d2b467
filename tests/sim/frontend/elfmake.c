/* elfmake.h: Elf32_Ehdr and Elf32_Phdr fields written byte by byte, little-endian. */
#include "elfmake.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static void put16(uint8_t *p, uint32_t v)
{
    p[0] = (uint8_t)v;
    p[1] = (uint8_t)(v >> 8);
}

static void put32(uint8_t *p, uint32_t v)
{
    put16(p, v);
    put16(p + 2, v >> 16);
}

uint8_t elfmake_byte(unsigned seg, uint32_t k)
{
    return (uint8_t)(seg * 31u + k * 7u + 1u);
}

uint8_t *elfmake(const struct elfmake_seg *segs, unsigned n, size_t *len)
{
    size_t total = 52 + 32 * (size_t)n;
    for (unsigned i = 0; i < n; i++)
        total += segs[i].filesz;
    uint8_t *d = calloc(1, total);
    if (!d)
        return NULL;
    memcpy(d, "\177ELF\1\1\1", 7); /* ELFCLASS32, ELFDATA2LSB, EV_CURRENT */
    put16(d + 16, 2);                /* ET_EXEC */
    put16(d + 18, 40);               /* EM_ARM */
    put32(d + 20, 1);                /* e_version */
    put32(d + 24, n ? segs[0].vaddr : 0);
    put32(d + 28, 52);               /* e_phoff */
    put16(d + 40, 52);               /* e_ehsize */
    put16(d + 42, 32);               /* e_phentsize */
    put16(d + 44, (uint32_t)n);      /* e_phnum */
    uint32_t offset = 52 + 32 * n;
    for (unsigned i = 0; i < n; i++) {
        uint8_t *ph = d + 52 + 32 * i;
        put32(ph, segs[i].type);
        put32(ph + 4, offset);
        put32(ph + 8, segs[i].vaddr);
        put32(ph + 12, segs[i].paddr);
        put32(ph + 16, segs[i].filesz);
        put32(ph + 20, segs[i].memsz);
        put32(ph + 24, 5); /* PF_R | PF_X */
        put32(ph + 28, 4);
        for (uint32_t k = 0; k < segs[i].filesz; k++)
            d[offset + k] = elfmake_byte(i, k);
        offset += segs[i].filesz;
    }
    *len = total;
    return d;
}

int elfmake_file(const char *path, const struct elfmake_seg *segs, unsigned n)
{
    size_t len;
    uint8_t *d = elfmake(segs, n, &len);
    FILE *f = d ? fopen(path, "wb") : NULL;
    int rc = f && fwrite(d, 1, len, f) == len ? 0 : -1;
    if (f && fclose(f) != 0)
        rc = -1;
    free(d);
    return rc;
}

int elfmake_minimal(const char *path)
{
    const struct elfmake_seg seg = { ELFMAKE_PT_LOAD, 0x08000000u, 0x08000000u, 64, 64 };
    return elfmake_file(path, &seg, 1);
}
