/*
 * Portable interface to the chip's backup RAM: memory kept across every
 * reset (and, with a battery on VBAT, across power loss), bound at link
 * time to the chip port.
 *
 * Its content after a power-on without a battery is undefined: a user
 * checks it (a magic word and a checksum) before trusting it.
 */
#ifndef QUARTZ_HAL_BACKUP_H
#define QUARTZ_HAL_BACKUP_H

#include <stddef.h>

struct backup_ram {
    void *base;  /* word-aligned */
    size_t size; /* bytes */
};

/*
 * Clock the backup RAM, make it writable and switch on what keeps it
 * powered from VBAT, then fill `out`. Thread context; call once at boot.
 * Returns 0; -ETIMEDOUT when the backup regulator did not report ready in
 * time: the RAM is usable (and `out` filled) while the chip is powered,
 * but its content would not survive the loss of VDD.
 */
int backup_ram_enable(struct backup_ram *out);

#endif
