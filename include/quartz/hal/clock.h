/*
 * Portable clock services, bound at link time to the chip port (one
 * implementation per build; host tests link a fake).
 */
#ifndef QUARTZ_HAL_CLOCK_H
#define QUARTZ_HAL_CLOCK_H

#include <stdint.h>

/* Core clock (HCLK) in Hz as actually configured. */
uint32_t clock_hclk_hz(void);

/* Milliseconds since boot from the system tick; 64 bits never wrap. */
uint64_t clock_uptime_ms(void);

/* The same for a caller that holds the system tick off already
 * (cpu_irq_lock, or a handler at the HAL's priority): no lock of its own. */
uint64_t clock_uptime_ms_locked(void);

/*
 * The system tick wakes a thread sleeping in cpu_sleep_until_woken_locked()
 * (quartz/hal/cpu.h) on every tick, so that uptime deadlines keep working.
 * A thread that knows its next deadline asks to be woken by the tick only
 * once the uptime reaches `ms`: the ticks before it return straight to
 * sleep without a thread instruction. Other wakers (cpu_wake in a handler)
 * are unaffected. Holds until the next call; 0 means every tick again.
 * Call with interrupts locked, before sleeping.
 */
void clock_wake_at(uint64_t ms);

typedef void (*clock_alarm_fn)(void *ctx);

/*
 * One alarm on the system tick: fn(ctx) runs once, in the tick's interrupt
 * (the HAL's priority, HAL_IRQ_PRIO in quartz/hal/irq.h), at the first tick
 * at which the uptime has reached `ms` (the next tick if it already has). A
 * new call replaces the alarm; fn NULL cancels it. Any context. For work on
 * the tick's grid (a scheduler's periodic task): a compare in a tick that
 * runs anyway, instead of a timer interrupt and a timer queue of its own.
 */
void clock_alarm_at(uint64_t ms, clock_alarm_fn fn, void *ctx);

/* Busy-wait at least `us` microseconds (thread context, short waits only). */
void clock_delay_us(uint32_t us);

static inline void clock_delay_ms(uint32_t ms)
{
    while (ms-- > 0)
        clock_delay_us(1000);
}

#endif
