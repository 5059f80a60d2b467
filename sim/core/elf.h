/*
 * The firmware ELF loader: every check of the file, once. Used by
 * qsim_load_elf and, without a simulator, by the front-end test double and
 * the fuzz target (hence no struct qsim here).
 */
#ifndef SIM_CORE_ELF_H
#define SIM_CORE_ELF_H

#include <stddef.h>
#include <stdint.h>

/* Memory map (RM0390 2.2, table 1; 3.3 embedded flash). */
#define ELF_FLASH_BASE 0x08000000u
#define ELF_FLASH_SIZE (512u * 1024u)
#define ELF_SRAM_BASE 0x20000000u
#define ELF_SRAM_SIZE (128u * 1024u)

/*
 * Check the ELF image `data[len]` (named `name` in messages) and copy its
 * PT_LOAD segments to their load addresses in `flash` (ELF_FLASH_SIZE
 * bytes) and `sram` (ELF_SRAM_SIZE bytes). NULL buffers: check only.
 * Nothing is copied unless every check passes. Returns 0, -ENOEXEC (not a
 * 32-bit little-endian ARM executable, malformed, no vector table) or
 * -EFBIG (a segment outside flash and SRAM), with one line in `err`.
 */
int elf_load_image(const uint8_t *data, size_t len, const char *name, uint8_t *flash, uint8_t *sram,
                   char *err, size_t errlen);

/* The same for the file at `path` (also -errno when it cannot be read). */
int elf_load_file(const char *path, uint8_t *flash, uint8_t *sram, char *err, size_t errlen);

#endif
