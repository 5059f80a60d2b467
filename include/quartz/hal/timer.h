/*
 * Interval timer: a hardware timer that measures one interval at a time in
 * milliseconds, with the phase of the current millisecond kept in the
 * counter, so an interval ends to the nearest millisecond and not up to
 * 1 ms short. Nothing here is specific to an application or a chip; the
 * port binds it at link time (STM32F446: TIM2 at 1 MHz with a 1 kHz update
 * interrupt, chip/stm32f446/hal/tim.c).
 *
 * Concurrency: the count is written only by the timer's interrupt (at
 * HAL_IRQ_PRIO) and by timer_ms_start/stop, which the caller runs at that
 * priority or with the interrupt masked; it is read as one 32-bit word.
 * It wraps after 2^32 ms (49.7 days); a caller that measures longer
 * intervals extends it to 64 bits (apps/stopwatch/core/stopwatch.h,
 * sw_elapsed()).
 */
#ifndef QUARTZ_HAL_TIMER_H
#define QUARTZ_HAL_TIMER_H

#include <stdint.h>

/* Configure the timer for 1 kHz from the current clock plan; stopped, count 0. */
void timer_ms_init(void);

/*
 * Start an interval: count 0, prescaler and counter reloaded, no update
 * (and no pending interrupt) left over, so the first tick comes exactly
 * 1 ms after this call.
 */
void timer_ms_start(void);

/*
 * End the interval: stop counting and return its length to the nearest
 * millisecond (half a millisecond rounds up), a tick that was due but not
 * yet serviced included. The count stays at that value until the next start.
 */
uint32_t timer_ms_stop(void);

/* Whole milliseconds since timer_ms_start() (truncated: the interval so far). */
uint32_t timer_ms_count(void);

#endif
