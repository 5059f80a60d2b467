/*
 * Cortex-M side of quartz/cpu.h (include that one). ARMv7-M DDI 0403E:
 * PRIMASK and CPS (B5.2.1), priority bytes (B3.4.9, B3.2.10-12).
 */
#ifndef QUARTZ_ARCH_CPU_H
#define QUARTZ_ARCH_CPU_H

#include <stdint.h>

#include "cortex_m/core.h"
#include "cortex_m/intrinsics.h"

/* quartz's 16 levels sit in the top four bits of a priority byte: a chip
 * with more bits leaves the low ones 0, one with fewer cannot hold them. */
_Static_assert(NVIC_PRIO_BITS >= 4U, "quartz/cpu.h needs 16 priority levels");
#define CPU_PRIO_HW(p) ((uint32_t)(CPU_PRIO_LEVELS - (p)) << 4)

static inline __attribute__((always_inline)) uint32_t cpu_irq_lock(void)
{
    uint32_t key = __get_PRIMASK();
    __disable_irq();
    return key;
}

/* A constant CPU_IRQ_UNLOCKED key is a plain CPSIE, as it is in the
 * kernel's start and the executor's idle loop. */
static inline __attribute__((always_inline)) void cpu_irq_unlock(uint32_t key)
{
    if (__builtin_constant_p(key) && key == CPU_IRQ_UNLOCKED)
        __enable_irq();
    else
        __set_PRIMASK(key);
}

#endif
