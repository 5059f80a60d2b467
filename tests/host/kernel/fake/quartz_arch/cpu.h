/*
 * Host stand-in for arch/cortex-m/include/quartz_arch/cpu.h: PRIMASK is a
 * variable the tests read (fake_primask, in fake_cpu.c).
 */
#ifndef QUARTZ_ARCH_CPU_H
#define QUARTZ_ARCH_CPU_H

#include <stdint.h>

#define CPU_PRIO_HW(p) ((uint32_t)(CPU_PRIO_LEVELS - (p)) << 4)

extern uint32_t fake_primask;

static inline uint32_t cpu_irq_lock(void)
{
    uint32_t v = fake_primask;
    fake_primask = 1;
    return v;
}

static inline void cpu_irq_unlock(uint32_t key)
{
    fake_primask = key;
}

#endif
