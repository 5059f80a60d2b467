/*
 * The one interrupt lock and the one priority scale of quartz; every layer
 * (kernel, HAL port, drivers, apps) uses these and nothing else.
 *
 * Priority scale: an interrupt priority is 1..CPU_PRIO_LEVELS, HIGHER
 * NUMBER = MORE URGENT; 0 is thread mode (no interrupt). The kernel's task
 * tables, the HAL's handler priority (HAL_IRQ_PRIO, quartz/hal/irq.h),
 * nvic_set_priority() and the monotonic timer's priority are all on this
 * scale. The arch maps it to the hardware (Cortex-M: the top four bits of
 * the priority byte hold 16 - p, so 16 is hardware 0, the most urgent;
 * arch/cortex-m/include/quartz_arch/cpu.h).
 *
 * Interrupt lock: cpu_irq_lock() masks every interrupt and returns the
 * previous mask; cpu_irq_unlock(key) puts it back, so locks nest.
 * cpu_irq_unlock(CPU_IRQ_UNLOCKED) unmasks (the kernel's start). Both are
 * inline: a lock is two instructions wherever it is used. For a lock that
 * masks only up to a priority ceiling, see the kernel's sched_lock.
 */
#ifndef QUARTZ_CPU_H
#define QUARTZ_CPU_H

#include <stdint.h>

#define CPU_PRIO_LEVELS 16U
#define CPU_IRQ_UNLOCKED 0U /* a key: interrupts not masked */

/* Provides cpu_irq_lock(), cpu_irq_unlock() and CPU_PRIO_HW(p). */
#include <quartz_arch/cpu.h>

#endif
