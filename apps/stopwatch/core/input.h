/*
 * The button and the millisecond timer: the interrupt side of the
 * stopwatch, shared by the three variants (apps/stopwatch, stopwatch-rtic,
 * stopwatch-async), which differ only in how they schedule it.
 *
 * Ownership: `struct input` is shared by B1's edge handler and the code
 * that samples the button and takes snapshots. Every function here expects
 * the caller to own it for the call: from the edge handler, or with that
 * handler masked (cpu_irq_lock, a priority ceiling).
 *
 * A press is timed from its first edge (core/debounce.h): the edge handler
 * starts or stops the timer at once, before anything else runs.
 */
#ifndef STOPWATCH_INPUT_H
#define STOPWATCH_INPUT_H

#include <stdbool.h>
#include <stdint.h>

#include "debounce.h"
#include "quartz/hal/gpio.h"
#include "stopwatch.h"

struct input {
    struct stopwatch sw;
    struct debounce button;
    uint32_t final_count; /* timer ms at the stop */
};

/* What the log, LD2 and the OLED show is derived from this alone. */
struct input_snapshot {
    enum sw_state state;
    uint64_t elapsed_ms;
};

void input_init(struct input *in);

/*
 * Arm B1's falling-edge interrupt with `on_edge` (which calls input_edge),
 * then, with interrupts masked, read B1: if it is already down, its edge
 * came before the interrupt was armed (a press in the first few hundred
 * microseconds after reset, or B1 held through the reset), and on_edge(ctx)
 * is called at once, so the press counts from now, the earliest instant the
 * firmware can know it. Call it first thing in main(), after
 * timer_ms_init(). Returns 0 or the error of gpio_irq_enable().
 */
int input_arm(gpio_irq_fn on_edge, void *ctx);

/* A falling edge of B1, now: debounce, start or stop the timer. What was done. */
enum sw_action input_edge(struct input *in);

/* B1's level, sampled at least every 10 ms: re-arms the debounce. Not held,
 * debounce_sample would return at once: no call, no pin read. */
void input_sample_held_(struct input *in, uint64_t now_ms);
static inline void input_sample(struct input *in, uint64_t now_ms)
{
    if (in->button.held)
        input_sample_held_(in, now_ms);
}

/* Does a sample change anything now? (A press is being debounced: B1 held
 * or not yet seen released long enough.) Between presses samples do nothing. */
static inline bool input_sampling(const struct input *in)
{
    return in->button.held; /* debounce_sample returns at once when not held */
}

/* State and elapsed time now (extends the 32-bit count: call at least once per wrap). */
struct input_snapshot input_take(struct input *in);

#endif
