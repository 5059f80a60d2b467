/*
 * ELF loader: the PT_LOAD segments of an ELF32 little-endian ARM executable
 * are copied to their load (physical) addresses, which must lie in flash or
 * SRAM (System V gABI "Program Header"; the linker script puts .data's load
 * image in flash, so RAM contents are the firmware's startup's business).
 */
#include <elf.h>
#include <errno.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "core/core.h"

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

static uint8_t *target(struct qsim *s, uint32_t addr, uint32_t size)
{
    if (addr - CORE_FLASH_BASE < CORE_FLASH_SIZE && size <= CORE_FLASH_BASE + CORE_FLASH_SIZE - addr)
        return s->flash + (addr - CORE_FLASH_BASE);
    if (addr < CORE_FLASH_SIZE && size <= CORE_FLASH_SIZE - addr)
        return s->flash + addr;
    if (addr - CORE_SRAM_BASE < CORE_SRAM_SIZE && size <= CORE_SRAM_BASE + CORE_SRAM_SIZE - addr)
        return s->sram + (addr - CORE_SRAM_BASE);
    return NULL;
}

int core_elf_load(struct qsim *s, const char *path, char *err, size_t errlen)
{
    FILE *f = fopen(path, "rb");
    if (!f)
        return fail(err, errlen, -errno, "%s: %s", path, strerror(errno));
    Elf32_Ehdr eh;
    int rc = 0;
    if (fread(&eh, 1, sizeof eh, f) < EI_NIDENT || memcmp(eh.e_ident, ELFMAG, SELFMAG) != 0) {
        rc = fail(err, errlen, -ENOEXEC, "%s: not an ELF file", path);
    } else if (eh.e_ident[EI_CLASS] != ELFCLASS32 || eh.e_ident[EI_DATA] != ELFDATA2LSB) {
        rc = fail(err, errlen, -ENOEXEC, "%s: not a 32-bit little-endian ELF (the STM32F446 needs ELF32 ARM)", path);
    } else if (eh.e_machine != EM_ARM) {
        rc = fail(err, errlen, -ENOEXEC, "%s: ELF for machine %u, not ARM", path, eh.e_machine);
    } else if (eh.e_type != ET_EXEC || eh.e_phentsize != sizeof(Elf32_Phdr) || eh.e_phnum == 0) {
        rc = fail(err, errlen, -ENOEXEC, "%s: not an executable with program headers", path);
    }
    uint64_t flash_used = 0;
    for (unsigned i = 0; !rc && i < eh.e_phnum; i++) {
        Elf32_Phdr ph;
        if (fseek(f, (long)(eh.e_phoff + i * sizeof ph), SEEK_SET) != 0 || fread(&ph, sizeof ph, 1, f) != 1) {
            rc = fail(err, errlen, -ENOEXEC, "%s: truncated program header %u", path, i);
            break;
        }
        if (ph.p_type != PT_LOAD || ph.p_filesz == 0)
            continue;
        uint8_t *dst = target(s, ph.p_paddr, ph.p_filesz);
        if (!dst) {
            if (ph.p_paddr - CORE_FLASH_BASE < CORE_FLASH_SIZE || ph.p_paddr < CORE_FLASH_SIZE)
                rc = fail(err, errlen, -EFBIG,
                          "%s: segment at 0x%08x (%u bytes) does not fit the 512 KB flash "
                          "(0x08000000-0x0807FFFF)", path, ph.p_paddr, ph.p_filesz);
            else
                rc = fail(err, errlen, -EFBIG,
                          "%s: segment at 0x%08x (%u bytes) is outside flash (0x08000000, 512 KB) "
                          "and SRAM (0x20000000, 128 KB)", path, ph.p_paddr, ph.p_filesz);
            break;
        }
        if (ph.p_paddr < CORE_SRAM_BASE)
            flash_used += ph.p_filesz;
        if (fseek(f, (long)ph.p_offset, SEEK_SET) != 0 || fread(dst, 1, ph.p_filesz, f) != ph.p_filesz)
            rc = fail(err, errlen, -ENOEXEC, "%s: truncated segment %u", path, i);
    }
    if (!rc && flash_used > CORE_FLASH_SIZE)
        rc = fail(err, errlen, -EFBIG, "%s: image needs %llu bytes of flash, the STM32F446RE has %u", path,
                  (unsigned long long)flash_used, CORE_FLASH_SIZE);
    fclose(f);
    return rc;
}
