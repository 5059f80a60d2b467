/*
 * ELF loader (elf.h). The checks follow the System V gABI ("ELF Header":
 * e_ident, e_type, e_machine; "Program Header": PT_LOAD, p_filesz <=
 * p_memsz) and the STM32F446 memory map. Each PT_LOAD segment's file bytes
 * go to its load (physical) address, which must lie in flash or SRAM (the
 * linker script puts .data's load image in flash); its memory image, at its
 * virtual address for p_memsz bytes, must fit flash or SRAM too (so a .bss
 * larger than SRAM is refused). The file is read whole and every field is
 * read from its bytes, so a short file never leaves a field unset.
 */
#include "core/elf.h"

#include <errno.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#define EHDR_SIZE 52u  /* Elf32_Ehdr */
#define PHDR_SIZE 32u  /* Elf32_Phdr */
#define ET_EXEC 2u
#define EM_ARM 40u
#define PT_LOAD 1u
#define VECTORS_MIN 8u /* initial SP and reset vector (ARMv7-M B1.5.3) */
#define FILE_MAX (64u * 1024u * 1024u) /* a firmware ELF with debug info is a few MB */

static int fail(char *err, size_t errlen, int rc, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));

static int fail(char *err, size_t errlen, int rc, const char *fmt, ...)
{
    if (err && errlen) {
        va_list ap;
        va_start(ap, fmt);
        vsnprintf(err, errlen, fmt, ap);
        va_end(ap);
    }
    return rc;
}

static uint32_t rd16(const uint8_t *p)
{
    return (uint32_t)p[0] | (uint32_t)p[1] << 8;
}

static uint32_t rd32(const uint8_t *p)
{
    return rd16(p) | rd16(p + 2) << 16;
}

static const char *machine_name(unsigned machine)
{
    switch (machine) {
    case 3: return "x86";
    case 8: return "MIPS";
    case 20: return "PowerPC";
    case 21: return "PowerPC64";
    case 40: return "ARM";
    case 62: return "x86-64";
    case 183: return "AArch64";
    case 243: return "RISC-V";
    default: return "another machine";
    }
}

enum space { SPACE_NONE, SPACE_FLASH, SPACE_SRAM };

/* Where [addr, addr + size) lies: flash (also through its alias at 0) or SRAM, as an offset. */
static enum space locate(uint32_t addr, uint32_t size, uint32_t *offset, bool *starts_inside)
{
    static const struct { uint32_t base, size; enum space space; } areas[] = {
        { ELF_FLASH_BASE, ELF_FLASH_SIZE, SPACE_FLASH },
        { 0, ELF_FLASH_SIZE, SPACE_FLASH }, /* boot alias, RM0390 2.4 */
        { ELF_SRAM_BASE, ELF_SRAM_SIZE, SPACE_SRAM },
    };
    *starts_inside = false;
    for (size_t i = 0; i < sizeof areas / sizeof areas[0]; i++) {
        uint32_t off = addr - areas[i].base;
        if (off >= areas[i].size)
            continue;
        *starts_inside = true;
        if (size > areas[i].size - off)
            return SPACE_NONE;
        *offset = off;
        return areas[i].space;
    }
    return SPACE_NONE;
}

static int misplaced(char *err, size_t errlen, const char *name, unsigned i, const char *what, uint32_t addr,
                     uint32_t size, bool starts_inside)
{
    if (!starts_inside)
        return fail(err, errlen, -EFBIG,
                    "%s: segment %u %s 0x%08x (%u bytes) is outside flash (0x08000000, 512 KB) "
                    "and SRAM (0x20000000, 128 KB)", name, i, what, addr, size);
    bool in_sram = addr - ELF_SRAM_BASE < ELF_SRAM_SIZE;
    return fail(err, errlen, -EFBIG, "%s: segment %u %s 0x%08x (%u bytes) does not fit the %s", name, i, what,
                addr, size,
                in_sram ? "128 KB SRAM (0x20000000-0x2001FFFF)" : "512 KB flash (0x08000000-0x0807FFFF)");
}

struct load {
    enum space space;
    uint32_t start, end; /* offsets in the space */
    uint32_t addr;       /* p_paddr, for messages */
    unsigned index;      /* program header number */
    uint32_t file_offset;
};

static int load_order(const void *a, const void *b)
{
    const struct load *x = a, *y = b;
    if (x->space != y->space)
        return x->space < y->space ? -1 : 1;
    if (x->start != y->start)
        return x->start < y->start ? -1 : 1;
    return x->index < y->index ? -1 : x->index > y->index;
}

static int check_header(const uint8_t *d, size_t len, const char *name, char *err, size_t errlen)
{
    if (len < 16 || memcmp(d, "\177ELF", 4) != 0)
        return fail(err, errlen, -ENOEXEC, "%s: not an ELF file (build the firmware first?)", name);
    bool elf64 = d[4] == 2, big = d[5] == 2;
    unsigned machine = 0; /* e_machine, when the file holds it */
    if (len >= 20)
        machine = big ? (unsigned)(d[18] << 8 | d[19]) : rd16(d + 18);
    bool arm32le = d[4] == 1 && d[5] == 1 && machine == EM_ARM;
    if (!arm32le && (len >= 20 || d[4] != 1 || d[5] != 1))
        return fail(err, errlen, -ENOEXEC,
                    "%s: a %s %s-endian ELF for %s, not a 32-bit little-endian ARM firmware image (ELF32)",
                    name, elf64 ? "64-bit" : "32-bit", big ? "big" : "little", machine_name(machine));
    if (len < EHDR_SIZE)
        return fail(err, errlen, -ENOEXEC, "%s: truncated ELF header (%zu of 52 bytes)", name, len);
    if (rd16(d + 16) != ET_EXEC)
        return fail(err, errlen, -ENOEXEC, "%s: ARM ELF of type %u, not an executable (a linked image)", name,
                    rd16(d + 16));
    uint32_t phoff = rd32(d + 28), phentsize = rd16(d + 42), phnum = rd16(d + 44);
    if (phnum == 0)
        return fail(err, errlen, -ENOEXEC, "%s: no program headers, so nothing to load", name);
    if (phentsize != PHDR_SIZE)
        return fail(err, errlen, -ENOEXEC, "%s: program headers of %u bytes, ELF32 has %u", name, phentsize,
                    PHDR_SIZE);
    if ((uint64_t)phoff + (uint64_t)phnum * PHDR_SIZE > len)
        return fail(err, errlen, -ENOEXEC, "%s: truncated: the %u program headers end past the file's %zu bytes",
                    name, phnum, len);
    return 0;
}

/* Fills `loads` (one per PT_LOAD segment with file bytes), returns their count or -errno. */
static int check_segments(const uint8_t *d, size_t len, const char *name, struct load *loads, char *err,
                          size_t errlen)
{
    uint32_t phoff = rd32(d + 28), phnum = rd16(d + 44);
    int n = 0;
    for (unsigned i = 0; i < phnum; i++) {
        const uint8_t *ph = d + phoff + i * PHDR_SIZE;
        uint32_t type = rd32(ph), offset = rd32(ph + 4), vaddr = rd32(ph + 8), paddr = rd32(ph + 12);
        uint32_t filesz = rd32(ph + 16), memsz = rd32(ph + 20);
        if (type != PT_LOAD || (filesz == 0 && memsz == 0))
            continue;
        if (filesz > memsz)
            return fail(err, errlen, -ENOEXEC, "%s: segment %u holds %u file bytes in %u bytes of memory", name, i,
                        filesz, memsz);
        if ((uint64_t)offset + filesz > len)
            return fail(err, errlen, -ENOEXEC, "%s: truncated: segment %u ends past the file's %zu bytes", name, i,
                        len);
        uint32_t off;
        bool inside;
        if (locate(vaddr, memsz, &off, &inside) == SPACE_NONE)
            return misplaced(err, errlen, name, i, "runs at", vaddr, memsz, inside);
        if (filesz == 0)
            continue;
        enum space space = locate(paddr, filesz, &off, &inside);
        if (space == SPACE_NONE)
            return misplaced(err, errlen, name, i, "loads at", paddr, filesz, inside);
        loads[n++] = (struct load){ space, off, off + filesz, paddr, i, offset };
    }
    return n;
}

int elf_load_image(const uint8_t *d, size_t len, const char *name, uint8_t *flash, uint8_t *sram, char *err,
                   size_t errlen)
{
    int rc = check_header(d, len, name, err, errlen);
    if (rc)
        return rc;
    struct load *loads = malloc(rd16(d + 44) * sizeof *loads);
    if (!loads)
        return fail(err, errlen, -ENOMEM, "%s: out of memory", name);
    int n = check_segments(d, len, name, loads, err, errlen);
    rc = n < 0 ? n : 0;
    if (n > 0)
        qsort(loads, (size_t)n, sizeof *loads, load_order);
    /* Two segments loading the same bytes: the later one would silently win. */
    for (int k = 1; !rc && k < n; k++) {
        const struct load *a = &loads[k - 1], *b = &loads[k];
        if (a->space == b->space && b->start < a->end)
            rc = fail(err, errlen, -ENOEXEC, "%s: segments %u and %u both load 0x%08x (overlapping images)",
                      name, a->index, b->index, b->addr);
    }
    /* The core boots from the vector table at the start of flash (RM0390 2.4, BOOT0 = 0). */
    uint32_t covered = 0;
    for (int k = 0; !rc && k < n && loads[k].space == SPACE_FLASH && loads[k].start == covered; k++)
        covered = loads[k].end;
    if (!rc && covered < VECTORS_MIN)
        rc = fail(err, errlen, -ENOEXEC,
                  "%s: no vector table at 0x08000000 (no segment loads the initial SP and reset vector there)",
                  name);
    for (int k = 0; !rc && k < n; k++) {
        uint8_t *mem = loads[k].space == SPACE_FLASH ? flash : sram;
        if (mem)
            memcpy(mem + loads[k].start, d + loads[k].file_offset, loads[k].end - loads[k].start);
    }
    free(loads);
    return rc;
}

int elf_load_file(const char *path, uint8_t *flash, uint8_t *sram, char *err, size_t errlen)
{
    FILE *f = fopen(path, "rb");
    if (!f)
        return fail(err, errlen, -errno, "%s: %s", path, strerror(errno));
    struct stat st;
    int rc = 0;
    if (fstat(fileno(f), &st) != 0)
        rc = fail(err, errlen, -errno, "%s: %s", path, strerror(errno));
    else if (!S_ISREG(st.st_mode))
        rc = fail(err, errlen, -EINVAL, "%s: not a regular file", path);
    else if (st.st_size > FILE_MAX)
        rc = fail(err, errlen, -EFBIG, "%s: %lld bytes, too large for a firmware ELF", path,
                  (long long)st.st_size);
    uint8_t *data = NULL;
    size_t len = rc ? 0 : (size_t)st.st_size;
    if (!rc && !(data = malloc(len ? len : 1)))
        rc = fail(err, errlen, -ENOMEM, "%s: out of memory", path);
    if (!rc && fread(data, 1, len, f) != len)
        rc = fail(err, errlen, -EIO, "%s: read error", path);
    fclose(f);
    if (!rc)
        rc = elf_load_image(data, len, path, flash, sram, err, errlen);
    free(data);
    return rc;
}
