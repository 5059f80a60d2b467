/*
 * The few Cortex-M operations the kernel needs beyond quartz/cpu.h (which
 * has the interrupt lock and the priority scale: 1..16, higher = more
 * urgent, 0 = thread mode): BASEPRI for priority-ceiling locks, WFI,
 * pending an interrupt. ARMv7-M Architecture Reference Manual DDI 0403E:
 * MRS/MSR A7.7.82/83, BASEPRI/BASEPRI_MAX B1.4.3, WFI A7.7.261, NVIC B3.4.
 * BASEPRI = 0 masks nothing, so priority 16 (hardware 0) can only be masked
 * with the interrupt lock.
 *
 * Host unit tests put their own quartz/kernel/cpu.h first on the include
 * path; this file is the firmware one.
 */
#ifndef QUARTZ_KERNEL_CPU_H
#define QUARTZ_KERNEL_CPU_H

#include <stdint.h>

#include <cortex_m/core.h>
#include <cortex_m/intrinsics.h>
#include <quartz/cpu.h>
static inline __attribute__((always_inline)) uint32_t kcpu_basepri(void)
{
    return __get_BASEPRI();
}

static inline __attribute__((always_inline)) void kcpu_set_basepri(uint32_t v)
{
    __set_BASEPRI(v);
}

/* A lock's MSR of a constant: `movs rX, #v; msr BASEPRI, rX`, emitted right
 * there, so the compiler cannot keep the value in a register across the
 * locked code (or a loop): a lock costs its own two instructions wherever it
 * is. Without a constant (or without optimisation) it is a plain MSR. */
static inline __attribute__((always_inline)) void kcpu_set_basepri_const(uint32_t v)
{
    if (__builtin_constant_p(v) && v <= 0xFFU) {
        uint32_t r;
        __asm__ volatile("movs %0, %1\n\tmsr BASEPRI, %0" : "=l"(r) : "I"(v) : "cc", "memory");
    } else {
        __set_BASEPRI(v);
    }
}

/* BASEPRI_MAX only ever raises the mask (B1.4.3), so a nested raise from a
 * context that already runs above `v` changes nothing. */
static inline __attribute__((always_inline)) void kcpu_raise_basepri(uint32_t v)
{
    __set_BASEPRI_MAX(v);
}

/* WFI wakes on a pending interrupt even while PRIMASK masks it (B1.5.19),
 * which is what lets the executor close its check-then-sleep race. */
static inline __attribute__((always_inline)) void kcpu_wfi(void)
{
    __WFI();
}

/*
 * Sleep until a handler wakes the thread (ARMv7-M B1.5.19, SCR.SLEEPONEXIT
 * B3.2.7): with the bit set, a handler's return to thread mode puts the
 * core back to sleep without a single thread instruction, so interrupts
 * that have nothing for the thread (a 1 kHz tick) cost only their handler.
 * Call with PRIMASK set: a waker that became pending after the caller's
 * check ends the WFI and runs at the unlock, where it clears the bit. The
 * same bit as quartz/hal/cpu.h's cpu_wake: one policy for every sleeper.
 */
static inline __attribute__((always_inline)) void kcpu_sleep_until_woken(void)
{
    SCB->SCR |= SCB_SCR_SLEEPONEXIT_Msk;
    __DSB();
    __WFI();
}

/* Let the thread run when the current handler returns (see above). */
static inline __attribute__((always_inline)) void kcpu_wake(void)
{
    SCB->SCR &= ~SCB_SCR_SLEEPONEXIT_Msk;
}

static inline __attribute__((always_inline)) void kcpu_barrier(void)
{
    __asm__ volatile("" ::: "memory");
}

/* Software trigger of an external interrupt (NVIC STIR, B3.4.3). DSB + ISB
 * make a higher-priority interrupt taken before the next instruction, so a
 * spawn of a more urgent task has run when the spawn returns (B3.4.1). */
static inline __attribute__((always_inline)) void kcpu_pend(unsigned irqn)
{
    NVIC->STIR = irqn;
    __DSB();
    __ISB();
}

/* Pend without waiting for it to be taken (ISPR, B3.4.6): for wakes that
 * only need the interrupt to run some time after the current one. */
static inline __attribute__((always_inline)) void kcpu_set_pending(unsigned irqn)
{
    NVIC->ISPR[irqn >> 5] = 1UL << (irqn & 31U);
}

static inline void kcpu_irq_setup(unsigned irqn, unsigned prio)
{
    NVIC->IPR[irqn] = (uint8_t)CPU_PRIO_HW(prio);
    NVIC->ISER[irqn >> 5] = 1UL << (irqn & 31U);
}

static inline void kcpu_systick_prio(unsigned prio)
{
    SCB->SHPR[11] = (uint8_t)CPU_PRIO_HW(prio); /* SHPR3 byte 3: SysTick, B3.2.12 */
}

#endif
