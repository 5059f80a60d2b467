/*
 * A hardware millisecond counter: a timer with a 1 kHz update interrupt whose
 * handler only counts. Bound at link time to the chip port.
 *
 * Single writer: the count is written only by the update interrupt and read
 * as one 32-bit word. It wraps after 2^32 ms (49.7 days); callers that need
 * more extend it to 64 bits (see apps/stopwatch/core/swtime.h).
 */
#ifndef QUARTZ_HAL_TIMER_H
#define QUARTZ_HAL_TIMER_H

#include <stdint.h>

/* Configure the timer for 1 kHz from the current clock plan; stopped, count 0. */
void timer_ms_init(void);

/*
 * Restart in phase: count 0, prescaler and counter reloaded, no update (and
 * no pending interrupt) left over, so the first tick comes exactly 1 ms
 * after this call.
 */
void timer_ms_start(void);

/*
 * Stop counting and return the elapsed time in ms, rounded to the nearest
 * millisecond with the counter's phase (and a tick that was due but not yet
 * serviced counted).
 */
uint32_t timer_ms_stop(void);

/* Whole milliseconds counted since timer_ms_start(). */
uint32_t timer_ms_count(void);

#endif
