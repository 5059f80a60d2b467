/*
 * libFuzzer target: the firmware loader (sim/core/elf.c) on arbitrary
 * bytes. Any input gives 0, or an error with one non-empty line; a copy
 * never leaves flash or SRAM (ASan checks the buffers' bounds).
 */
#include <errno.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "core/elf.h"

static uint8_t flash[ELF_FLASH_SIZE], sram[ELF_SRAM_SIZE];

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    char err[512] = "";
    int rc = elf_load_image(data, size, "fuzz.elf", flash, sram, err, sizeof err);
    if (rc > 0 || (rc < 0 && (err[0] == '\0' || strchr(err, '\n'))))
        abort();
    if (rc == 0 && err[0] != '\0')
        abort();
    return 0;
}
