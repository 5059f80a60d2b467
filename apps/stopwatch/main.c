/*
 * The stopwatch of seeds/004 on the Nucleo-F446RE: interrupt handlers and a
 * main loop scheduling the portable core (core/input.h: button and timer,
 * core/ui.h: log, LD2 and OLED), shared with the RTIC-style and async
 * variants.
 *
 * Shared state -- one mechanism. Everything the interrupt handlers and the
 * main loop both touch lives in `shared`. The handlers (button edge, I2C
 * completion) run at the HAL's single interrupt priority and never preempt
 * each other (quartz/hal/cpu.h), so inside a handler `shared` is theirs;
 * the main loop touches it only between cpu_irq_lock() and
 * cpu_irq_unlock(), and holds the lock for a few dozen cycles. The main
 * loop alone owns `ui`.
 *
 * Timing: the button handler starts and stops the millisecond timer at the
 * first edge of a press; the timer's own handler only counts. The main loop
 * runs the ui on every event and system tick; between these it sleeps in
 * WFI.
 */
#include <stdbool.h>
#include <stdint.h>

#include "input.h"
#include "quartz/assert.h"
#include "quartz/hal/clock.h"
#include "quartz/hal/cpu.h"
#include "quartz/hal/timer.h"
#include "ui.h"

#define EV_PRESSED 0x1u
#define EV_FLUSHED 0x2u

static struct {
    struct input in;
    uint32_t events; /* EV_* for the main loop */
    struct ui_flush_note flush;
} shared;

static struct ui ui;

/* EXTI handler: act on the first edge of a press, at once. */
static void on_button(void *ctx)
{
    (void)ctx;
    if (input_edge(&shared.in) != SW_NONE) {
        shared.events |= EV_PRESSED;
        cpu_wake();
    }
}

/* I2C completion of the last transaction of a display flush: the main loop
 * wakes for it only when the ui wants it at once (core/ui.h, ui_flush_note);
 * otherwise the next refresh takes it. */
static void on_flushed(void *ctx, int status)
{
    (void)ctx;
    if (ui_flush_note_put(&shared.flush, status)) {
        shared.events |= EV_FLUSHED;
        cpu_wake();
    }
}

/*
 * Sleep until an event, or the system tick at which the ui has something to
 * do: a refresh, a retry (ui_next_due), a button sample while a press is
 * debounced. The tick wakes this loop only then (clock_wake_at); the ticks
 * before it, the millisecond ticks and the I2C interrupts of a flush return
 * straight to sleep (cpu_sleep_until_woken_locked). Button samples skipped
 * meanwhile would have done nothing: B1 is not held (input_sampling).
 */
static uint32_t wait_and_take(uint64_t *now, struct input_snapshot *s, int *flush_status)
{
    uint32_t key = cpu_irq_lock();
    bool flushed = ui_flush_note_arm(&shared.flush, &ui); /* a result the ui wants is here */
    uint64_t due = input_sampling(&shared.in) ? *now + 1 : ui_next_due(&ui, shared.in.sw.state);
    if (due <= *now)
        due = *now + 1; /* at the next tick at the earliest, as for a sample */
    while (!flushed && shared.events == 0 && clock_uptime_ms_locked() < due) {
        clock_wake_at(due);
        cpu_sleep_until_woken_locked();
        cpu_irq_unlock(key); /* the pending handlers run here, until one wakes us */
        key = cpu_irq_lock();
    }
    cpu_wake(); /* done waiting: the thread runs on after every handler */
    *now = clock_uptime_ms_locked();
    uint32_t events = shared.events;
    shared.events = 0;
    if (ui_sample_due(&ui, *now))
        input_sample(&shared.in, *now);
    *s = input_take(&shared.in);
    *flush_status = ui_flush_note_take(&shared.flush);
    cpu_irq_unlock(key);
    return events;
}

int main(void)
{
    input_init(&shared.in);
    timer_ms_init();
    int edge_rc = input_arm(on_button, NULL); /* before the display's 25 ms bring-up */
    QUARTZ_ASSERT(edge_rc == 0); /* B1's EXTI line is free: a taken one is a bug */
    ui_start(&ui, on_flushed, NULL);

    uint64_t now = 0;
    for (;;) {
        struct input_snapshot s;
        int flush_status;
        (void)wait_and_take(&now, &s, &flush_status);
        if (flush_status <= 0) /* a result, urgent or not (1: none) */
            ui_flushed(&ui, flush_status);
        ui_update(&ui, s, now);
    }
}
