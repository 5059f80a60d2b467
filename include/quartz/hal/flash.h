/*
 * Portable interface to the chip's own flash memory, bound at link time to
 * the chip port (host tests link a fake in its place).
 *
 * Flash cells only go from 1 to 0 when programmed; only erasing a whole
 * sector brings them back to the erased value. The sector table is chip
 * data (flash_layout()), so a caller picks its sector by number and never
 * hard-codes addresses.
 *
 * Calls block in thread context, one at a time, and every wait is bounded
 * by the chip's maximum operation time. On chips whose flash cannot be read
 * while it is being written (the STM32F4 family), everything that runs from
 * flash, interrupt handlers included, stalls until the operation ends: up
 * to the sector's maximum erase time (2 s for a 128 KB sector of the
 * STM32F446). Erase rarely.
 *
 * Errors (negative errno): -EINVAL a sector the chip does not have, an
 * address or length off the program unit, or a range outside the array;
 * -EPERM the sector is write-protected or the controller stayed locked;
 * -EIO the controller reported a programming error, or a programmed word
 * does not read back as written (its cells were not erased: bits that are
 * 0 stay 0); -ETIMEDOUT the operation outlasted its maximum time; -EBUSY
 * another flash call is in progress.
 */
#ifndef QUARTZ_HAL_FLASH_H
#define QUARTZ_HAL_FLASH_H

#include <errno.h>
#include <stddef.h>
#include <stdint.h>

struct flash_sector {
    uint32_t addr; /* first byte, in the CPU's address space */
    uint32_t size; /* bytes */
};

struct flash_layout {
    const struct flash_sector *sectors; /* by sector number, ascending addresses */
    uint16_t count;
    uint16_t program_unit; /* bytes: a program's address and length are multiples of it */
    uint8_t erased;        /* the value of an erased byte */
};

/* The chip's sector table: const data, valid for the whole run. */
const struct flash_layout *flash_layout(void);

/* Erase sector `sector` (a number in the table). */
int flash_erase_sector(unsigned sector);

/* Program `len` bytes at `addr` and check each word read back. */
int flash_program(uint32_t addr, const void *data, size_t len);

/* Copy `len` bytes at `addr` into `buf`: 0, or -EINVAL outside the array. */
int flash_read(uint32_t addr, void *buf, size_t len);

/* The number of the sector holding `addr`, or -EINVAL. */
static inline int flash_sector_of(uint32_t addr)
{
    const struct flash_layout *l = flash_layout();
    for (unsigned i = 0; i < l->count; i++)
        if (addr - l->sectors[i].addr < l->sectors[i].size)
            return (int)i;
    return -EINVAL;
}

#endif
