/*
 * Small helpers shared by the STM32F446 models: narrow (8/16-bit) register
 * accesses and bit-field extraction. The bus matrix of the STM32F4 passes
 * byte and half-word accesses to the APB/AHB peripherals; a model sees the
 * offset of the byte lane and its size.
 */
#ifndef SIM_STM32F446_REGIO_H
#define SIM_STM32F446_REGIO_H

#include <stdint.h>

#define BIT(n) (1u << (n))
#define FIELD(v, pos, width) (((v) >> (pos)) & ((1u << (width)) - 1u))

/* Aligns a narrow access to its 32-bit register: returns the lane mask and
 * shifts `*value` into place. */
static inline uint32_t regio_lane(uint32_t *offset, uint32_t *value, unsigned size)
{
    unsigned shift = (*offset & 3u) * 8u;
    uint32_t mask = size >= 4 ? 0xFFFFFFFFu : (((1u << (size * 8u)) - 1u) << shift);
    *offset &= ~3u;
    *value = (*value << shift) & mask;
    return mask;
}

/* A plain read/write register written through a lane. */
static inline uint32_t regio_merge(uint32_t old, uint32_t value, uint32_t lane)
{
    return (old & ~lane) | (value & lane);
}

/* Extracts the bytes a narrow read asked for. */
static inline uint32_t regio_read_lane(uint32_t reg, uint32_t offset, unsigned size)
{
    unsigned shift = (offset & 3u) * 8u;
    return size >= 4 ? reg : (reg >> shift) & ((1u << (size * 8u)) - 1u);
}

#endif
