/*
 * The monotonic timer behind the kernel's time (quartz/kernel/mono.h): a
 * free-running tick count extended to 64 bits that never wraps, and one
 * alarm. Bound at link time: the chip port's (chip/stm32f446/hal/
 * mono_tim5.c, TIM5 at 1 MHz) or the core-only SysTick one
 * (kernel/time/mono_systick.c). Host tests link a fake.
 *
 * The timer's interrupt runs at the priority given to mono_timer_init (scale
 * of quartz/cpu.h); mono_timer_arm / mono_timer_disarm are called with that
 * priority masked (the kernel's timer-queue lock).
 */
#ifndef QUARTZ_HAL_MONO_TIMER_H
#define QUARTZ_HAL_MONO_TIMER_H

#include <stdbool.h>
#include <stdint.h>

typedef void (*mono_timer_fn)(void);

/*
 * Start counting from 0 with the interrupt at `prio` (1..15); `expired`
 * runs in that interrupt once the armed deadline is reached. Returns 0, or
 * -EINVAL for a priority out of range or a clock the timer cannot divide
 * to its tick rate.
 */
int mono_timer_init(unsigned prio, mono_timer_fn expired);

uint32_t mono_timer_hz(void);
unsigned mono_timer_prio(void);

/* Ticks since init. Callable from any priority. */
uint64_t mono_timer_now(void);

/* Call `expired` at or after tick `at` (at once if it is past); replaces
 * any earlier alarm. */
void mono_timer_arm(uint64_t at);
void mono_timer_disarm(void);

/*
 * 64-bit extension of a 32-bit up-counter, for ports: `high` counts the
 * overflows the interrupt has handled, `cnt` is the counter,
 * `overflow_pending` the overflow flag read after `cnt`. A pending flag
 * with a small count means the counter wrapped before it was read and the
 * interrupt has not run yet (the reader runs at a higher priority, or
 * masked); with a large count it wrapped only after the read, so the read
 * belongs to the old epoch.
 */
static inline uint64_t mono_extend(uint32_t high, uint32_t cnt, bool overflow_pending)
{
    if (overflow_pending && cnt < 0x80000000U) {
        high += 1U;
    }
    return ((uint64_t)high << 32) | cnt;
}

#endif
