/*
 * Host stand-in for the kernel's cpu.h: the masks are plain variables the
 * tests read, and a pended interrupt is recorded instead of taken (the test
 * then runs the handler, as the NVIC would). Same names and semantics as
 * kernel/include/quartz/kernel/cpu.h.
 */
#ifndef QUARTZ_KERNEL_CPU_H
#define QUARTZ_KERNEL_CPU_H

#include <stdint.h>

#include <quartz/cpu.h> /* the lock: fake/quartz_arch/cpu.h */

extern uint32_t fake_basepri, fake_primask;
extern uint32_t fake_pended[4];      /* one bit per interrupt pended since the last clear */
extern unsigned fake_lock_writes;    /* BASEPRI/PRIMASK writes, to check "no lock code" */

static inline uint32_t kcpu_basepri(void) { return fake_basepri; }
static inline void kcpu_set_basepri(uint32_t v) { fake_basepri = v; fake_lock_writes++; }
static inline void kcpu_set_basepri_const(uint32_t v) { kcpu_set_basepri(v); }
static inline void kcpu_raise_basepri(uint32_t v)
{
    if (v != 0 && (fake_basepri == 0 || v < fake_basepri)) {
        fake_basepri = v;
    }
    fake_lock_writes++;
}
static inline void kcpu_wfi(void) {}
extern unsigned fake_wakes; /* kcpu_wake calls */
static inline void kcpu_sleep_until_woken(void) {}
static inline void kcpu_wake(void) { fake_wakes++; }
static inline void kcpu_barrier(void) {}
static inline void kcpu_pend(unsigned irqn) { fake_pended[irqn >> 5] |= 1U << (irqn & 31U); }
static inline void kcpu_set_pending(unsigned irqn) { kcpu_pend(irqn); }
static inline void kcpu_irq_setup(unsigned irqn, unsigned prio) { (void)irqn; (void)prio; }
static inline void kcpu_systick_prio(unsigned prio) { (void)prio; }

static inline int fake_take_pended(unsigned irqn)
{
    int was = (fake_pended[irqn >> 5] >> (irqn & 31U)) & 1U;
    fake_pended[irqn >> 5] &= ~(1U << (irqn & 31U));
    return was;
}

#endif
