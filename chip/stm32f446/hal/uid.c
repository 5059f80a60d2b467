/*
 * Unique device ID (RM0390 section 31.1, "Unique device ID register (96
 * bits)"): three read-only words at 0x1FFF7A10 in system memory, read in
 * memory order. Read by words: the manual gives them as 32-bit registers.
 */
#include <string.h>

#include "quartz/hal/uid.h"

#define UID_BASE 0x1FFF7A10u

void chip_uid(uint8_t out[CHIP_UID_BYTES])
{
    const volatile uint32_t *uid = (const volatile uint32_t *)UID_BASE;
    for (unsigned i = 0; i < CHIP_UID_BYTES / 4u; i++) {
        uint32_t w = uid[i];
        memcpy(out + 4u * i, &w, 4); /* little-endian: byte order as in memory */
    }
}
