/*
 * The stopwatch's logic, free of hardware and of any concurrency model, so
 * the plain interrupt version (apps/stopwatch) and the RTIC-style and async
 * variants share it. Behaviour from seeds/004: Ready -> (press) Running ->
 * (press) Stopped; later presses do nothing; only a reset starts over.
 */
#ifndef STOPWATCH_CORE_H
#define STOPWATCH_CORE_H

#include <stdint.h>

enum sw_state { SW_READY, SW_RUNNING, SW_STOPPED };

/* What the caller must do to the millisecond timer after a press. */
enum sw_action { SW_NONE, SW_START, SW_STOP };

/*
 * The hardware counter is 32 bits of milliseconds (it wraps after 49.7
 * days); the stopwatch extends it to 64 bits. Whoever calls sw_elapsed()
 * must do so at least once per wrap period; the main loop does it every
 * refresh.
 */
struct sw_clock {
    uint32_t last; /* last 32-bit count seen */
    uint32_t wraps;
};

struct stopwatch {
    enum sw_state state;
    struct sw_clock clock;
};

void sw_init(struct stopwatch *sw);

/* A debounced press: the transition and the action to apply to the timer. */
enum sw_action sw_press(struct stopwatch *sw);

/* 64-bit elapsed ms from the timer's 32-bit count since the start. */
static inline uint64_t sw_elapsed(struct stopwatch *sw, uint32_t count)
{
    if (count < sw->clock.last)
        sw->clock.wraps++;
    sw->clock.last = count;
    return ((uint64_t)sw->clock.wraps << 32) | count;
}

#endif
