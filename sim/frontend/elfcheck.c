/*
 * cli_check_elf (cli.h): the ELF identification and header checks of the
 * System V gABI ("ELF Header", e_ident, e_type, e_machine), done before the
 * simulator loads the file so that a wrong file gets a precise message.
 */
#include "cli.h"

#include <errno.h>
#include <stdarg.h>
#include <string.h>
#include <sys/stat.h>

#define ELF_ET_EXEC 2
#define ELF_EM_ARM 40

static int elf_fail(char *err, size_t errlen, int rc, const char *fmt, ...)
{
    if (err && errlen) {
        va_list ap;
        va_start(ap, fmt);
        vsnprintf(err, errlen, fmt, ap);
        va_end(ap);
    }
    return rc;
}

static const char *elf_machine_name(unsigned machine)
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

int cli_check_elf(const char *path, char *err, size_t errlen)
{
    struct stat st;
    if (stat(path, &st) != 0)
        return elf_fail(err, errlen, -errno, "%s: %s", path, strerror(errno));
    if (!S_ISREG(st.st_mode))
        return elf_fail(err, errlen, -EINVAL, "%s: not a regular file", path);
    FILE *f = fopen(path, "rb");
    if (!f)
        return elf_fail(err, errlen, -errno, "%s: %s", path, strerror(errno));
    uint8_t h[52]; /* Elf32_Ehdr */
    size_t n = fread(h, 1, sizeof h, f);
    fclose(f);

    if (n < 16 || memcmp(h, "\177ELF", 4) != 0)
        return elf_fail(err, errlen, -ENOEXEC, "%s: not an ELF file (build the firmware first?)", path);
    bool elf64 = h[4] == 2;
    bool big = h[5] == 2;
    unsigned machine = n >= 20 ? (big ? (unsigned)(h[18] << 8 | h[19]) : (unsigned)(h[19] << 8 | h[18])) : 0;
    if (h[4] != 1 || h[5] != 1 || machine != ELF_EM_ARM)
        return elf_fail(err, errlen, -ENOEXEC,
                        "%s: a %s %s-endian ELF for %s, not a 32-bit little-endian ARM firmware image",
                        path, elf64 ? "64-bit" : "32-bit", big ? "big" : "little", elf_machine_name(machine));
    if (n < sizeof h)
        return elf_fail(err, errlen, -ENOEXEC, "%s: truncated ELF header", path);
    unsigned type = (unsigned)(h[17] << 8 | h[16]);
    if (type != ELF_ET_EXEC)
        return elf_fail(err, errlen, -ENOEXEC, "%s: ARM ELF of type %u, not an executable (a linked image)",
                        path, type);
    return 0;
}
