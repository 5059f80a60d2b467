/*
 * The stopwatch of seeds/004 on the RTIC-style scheduler (kernel/sched):
 * the same behaviour, console log and OLED as apps/stopwatch, from the same
 * portable core (apps/stopwatch/core), arranged as tasks and resources
 * (app.h) instead of a main loop. Idle sleeps in WFI.
 *
 * B1 is armed first thing in main, before the display's bring-up, so a
 * press during boot is timed from its edge. Its `event` spawn may be lost
 * (sched_init empties the queues) but the first tick reports it: the ui
 * follows the input state, not the events (core/ui.h).
 */
#include <stdint.h>

#define SCHED_APP_IMPL
#include "app.h"

#include <quartz/kernel/mono.h>

#include "quartz/assert.h"
#include "quartz/hal/clock.h"
#include "quartz/hal/timer.h"

#define TICK_US 10000u /* the tick task's period */

/* ---- priority 8: HAL callbacks ------------------------------------------ */
static void on_button(void *arg)
{
    struct sched_ctx_button *ctx = SCHED_EXT_CTX(button);
    (void)arg;
    enum sw_action action = SW_NONE;
    sched_lock(ctx, input, in) { /* at the ceiling already: no code */
        action = input_edge(in);
    }
    if (action != SW_NONE) {
        int rc = sched_spawn(ctx, event, ((app_event){APP_EV_PRESSED, 0}));
        QUARTZ_ASSERT(rc == 0); /* -ENOSPC: app.h sized the event queue too small */
    }
}

static void on_flushed(void *arg, int status)
{
    struct sched_ctx_flushed *ctx = SCHED_EXT_CTX(flushed);
    (void)arg;
    int rc = sched_spawn(ctx, event, ((app_event){APP_EV_FLUSHED, status}));
    QUARTZ_ASSERT(rc == 0); /* -ENOSPC: app.h sized the event queue too small */
}

/* ---- priority 2: the ui, as the main loop of apps/stopwatch ------------- */
SCHED_SW_TASK(event, ev)
{
    struct input_snapshot s = {SW_READY, 0};
    sched_lock(ctx, input, in) {
        s = input_take(in);
    }
    sched_lock(ctx, ui, ui) {
        if (ev.kind == APP_EV_FLUSHED)
            ui_flushed(ui, ev.status);
        ui_update(ui, s, clock_uptime_ms());
    }
}

SCHED_SW_TASK(tick, release)
{
    uint64_t now = clock_uptime_ms();
    struct input_snapshot s = {SW_READY, 0};
    bool sample = false;
    sched_lock(ctx, ui, ui) {
        sample = ui_sample_due(ui, now);
    }
    sched_lock(ctx, input, in) {
        if (sample)
            input_sample(in, now);
        s = input_take(in);
    }
    sched_lock(ctx, ui, ui) {
        ui_update(ui, s, now);
    }
    int rc = sched_spawn_at(ctx, tick, release + TICK_US, release + TICK_US);
    QUARTZ_ASSERT(rc == 0); /* its one slot is free: this instance is running */
}

int main(void)
{
    struct sched_ctx_init *ctx = SCHED_INIT_CTX;
    input_init(&sched_res_input);
    timer_ms_init();
    int edge_rc = input_arm(on_button, NULL);
    QUARTZ_ASSERT(edge_rc == 0); /* B1's EXTI line is free: a taken one is a bug */

    /* The display's power-up is blocking and needs the I2C interrupts:
     * before sched_init masks them. */
    ui_start(&sched_res_ui, on_flushed, NULL);

    sched_init();
    int mono_rc = mono_init(APP_MONO_PRIO);
    QUARTZ_ASSERT(mono_rc == 0); /* only a clock plan TIM5 cannot divide to 1 MHz: a bug */
    int tick_rc = sched_spawn_at(ctx, tick, mono_now(), mono_now());
    QUARTZ_ASSERT(tick_rc == 0);
    sched_start();
    sched_idle();
}
