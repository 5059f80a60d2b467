/*
 * The chip's factory-programmed unique device ID, bound at link time to
 * the chip port (STM32F446: 96 bits at 0x1FFF7A10, RM0390 section 31.1).
 */
#ifndef QUARTZ_HAL_UID_H
#define QUARTZ_HAL_UID_H

#include <stdint.h>

#define CHIP_UID_BYTES 12u

/* The ID's bytes in memory order (lowest address first). */
void chip_uid(uint8_t out[CHIP_UID_BYTES]);

#endif
