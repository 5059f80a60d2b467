#include "elf32.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int elf32_open(struct elf32 *e, const char *path, char *err, size_t errlen)
{
    memset(e, 0, sizeof *e);
    FILE *f = fopen(path, "rb");
    if (!f) {
        snprintf(err, errlen, "%s: cannot open (was the firmware built?)", path);
        return -1;
    }
    fseek(f, 0, SEEK_END);
    long n = ftell(f);
    fseek(f, 0, SEEK_SET);
    e->data = n > 0 ? malloc((size_t)n) : NULL;
    if (!e->data || fread(e->data, 1, (size_t)n, f) != (size_t)n) {
        fclose(f);
        free(e->data);
        e->data = NULL;
        snprintf(err, errlen, "%s: cannot read", path);
        return -1;
    }
    fclose(f);
    e->size = (size_t)n;
    e->eh = (const Elf32_Ehdr *)e->data;
    if (e->size < sizeof(Elf32_Ehdr) || memcmp(e->eh->e_ident, ELFMAG, SELFMAG) != 0 ||
        e->eh->e_ident[EI_CLASS] != ELFCLASS32 || e->eh->e_ident[EI_DATA] != ELFDATA2LSB ||
        e->eh->e_machine != EM_ARM || e->eh->e_shoff + (size_t)e->eh->e_shnum * sizeof(Elf32_Shdr) > e->size ||
        e->eh->e_shstrndx >= e->eh->e_shnum) {
        snprintf(err, errlen, "%s: not an ELF32 little-endian ARM file", path);
        elf32_close(e);
        return -1;
    }
    e->sh = (const Elf32_Shdr *)(e->data + e->eh->e_shoff);
    e->shstr = (const char *)e->data + e->sh[e->eh->e_shstrndx].sh_offset;
    return 0;
}

void elf32_close(struct elf32 *e)
{
    free(e->data);
    memset(e, 0, sizeof *e);
}

const Elf32_Shdr *elf32_section(const struct elf32 *e, const char *name)
{
    for (unsigned i = 0; i < e->eh->e_shnum; i++)
        if (strcmp(e->shstr + e->sh[i].sh_name, name) == 0)
            return &e->sh[i];
    return NULL;
}

int elf32_symbol(const struct elf32 *e, const char *name, uint32_t *value)
{
    for (unsigned i = 0; i < e->eh->e_shnum; i++) {
        const Elf32_Shdr *s = &e->sh[i];
        if (s->sh_type != SHT_SYMTAB || s->sh_link >= e->eh->e_shnum)
            continue;
        const Elf32_Sym *sym = (const Elf32_Sym *)(e->data + s->sh_offset);
        const char *str = (const char *)e->data + e->sh[s->sh_link].sh_offset;
        for (size_t k = 0; k < s->sh_size / sizeof *sym; k++) {
            if (strcmp(str + sym[k].st_name, name) == 0) {
                *value = sym[k].st_value;
                return 0;
            }
        }
    }
    return -1;
}

int elf32_read(const struct elf32 *e, uint32_t address, void *buf, size_t len)
{
    for (unsigned i = 0; i < e->eh->e_shnum; i++) {
        const Elf32_Shdr *s = &e->sh[i];
        if (s->sh_type != SHT_PROGBITS || !(s->sh_flags & SHF_ALLOC))
            continue;
        if (address >= s->sh_addr && (uint64_t)address + len <= (uint64_t)s->sh_addr + s->sh_size &&
            s->sh_offset + s->sh_size <= e->size) {
            memcpy(buf, e->data + s->sh_offset + (address - s->sh_addr), len);
            return 0;
        }
    }
    return -1;
}
