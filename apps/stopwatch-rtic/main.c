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

#include "quartz/assert.h"
#include "quartz/hal/clock.h"
#include "quartz/hal/cpu.h"
#include "quartz/hal/timer.h"

#define TICK_MS 10u  /* the tick task's grid: the system tick's period */

/*
 * The tick's next release, in uptime ms (priority 2: the event and tick
 * tasks, which never preempt each other). The tick sleeps over grid points
 * where ui_update would do nothing (tick_after): while running, to the
 * refresh's; stopped with the display up, until a press. It is released by
 * the system tick's one alarm (clock_alarm_at), which the tick moves to its
 * next release and a press moves earlier: no timer queue, and no instance
 * is ever left behind.
 */
static uint64_t tick_next;

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
        int rc = sched_spawn(ctx, event, ((app_event){APP_EV_PRESSED}));
        QUARTZ_ASSERT(rc == 0); /* -ENOSPC: app.h sized the event queue too small */
    }
}

static void on_flushed(void *arg, int status)
{
    struct sched_ctx_flushed *ctx = SCHED_EXT_CTX(flushed);
    (void)arg;
    bool urgent = false;
    sched_lock(ctx, flush, n) { /* at the ceiling already: no code */
        urgent = ui_flush_note_put(n, status);
    }
    if (urgent) {
        int rc = sched_spawn(ctx, event, ((app_event){APP_EV_FLUSHED}));
        QUARTZ_ASSERT(rc == 0); /* -ENOSPC: app.h sized the event queue too small */
    }
}

/* The system tick reached tick_next: pend the tick's vector (app.h). It
 * runs when this handler returns, below the HAL's priority. */
static void on_alarm(void *arg)
{
    (void)arg;
    kcpu_set_pending(APP_TICK_IRQN);
}

/* ---- priority 2: the ui, as the main loop of apps/stopwatch ------------- */

/*
 * One pass of the ui: the waiting flush result first, then ui_update with
 * the input snapshot `s`, until no result the ui wants at once is waiting
 * (ui_flush_note_arm). A macro: each task's context has its own type.
 */
#define UI_PASS(ctx, s, now)                                    \
    do {                                                        \
        bool again_ = true;                                     \
        while (again_) {                                        \
            int st_ = 1;                                        \
            sched_lock(ctx, flush, n) {                         \
                st_ = ui_flush_note_take(n);                    \
            }                                                   \
            sched_lock(ctx, ui, ui) {                           \
                if (st_ <= 0)                                   \
                    ui_flushed(ui, st_);                        \
                ui_update(ui, (s), (now));                      \
            }                                                   \
            sched_lock(ctx, flush, n) {                         \
                sched_lock(ctx, ui, ui) { /* no code: below */  \
                    again_ = ui_flush_note_arm(n, ui);          \
                }                                               \
            }                                                   \
        }                                                       \
    } while (0)

SCHED_SW_TASK(event, ev)
{
    struct input_snapshot s = {SW_READY, 0};
    sched_lock(ctx, input, in) {
        s = input_take(in);
    }
    UI_PASS(ctx, s, clock_uptime_ms());
    if (ev.kind == APP_EV_PRESSED) {
        /* A press is sampled from the next grid point on, as if the tick had never slept. */
        uint64_t next = clock_uptime_ms() + TICK_MS; /* the uptime is on the grid */
        if (next < tick_next) {
            tick_next = next;
            clock_alarm_at(next, on_alarm, NULL); /* replaces the later one */
        }
    }
}

SCHED_HW_TASK(tick)
{
    uint64_t release = tick_next;
    uint64_t now = clock_uptime_ms();
    struct input_snapshot s = {SW_READY, 0};
    bool sample = false, held = false;
    sched_lock(ctx, ui, ui) {
        sample = ui_sample_due(ui, now);
    }
    sched_lock(ctx, input, in) {
        if (sample)
            input_sample(in, now);
        s = input_take(in);
        held = input_sampling(in);
    }
    UI_PASS(ctx, s, now);
    uint64_t due = 0;
    sched_lock(ctx, ui, ui) {
        due = ui_next_due(ui, s.state);
    }
    tick_next = ui_tick_after(release, held, due, now, TICK_MS);
    clock_alarm_at(tick_next, on_alarm, NULL);
}

int main(void)
{
    input_init(&sched_res_input);
    timer_ms_init();
    int edge_rc = input_arm(on_button, NULL);
    QUARTZ_ASSERT(edge_rc == 0); /* B1's EXTI line is free: a taken one is a bug */

    /* The display's power-up is blocking and needs the I2C interrupts:
     * before sched_init masks them. */
    ui_start(&sched_res_ui, on_flushed, NULL);

    sched_init();
    tick_next = clock_uptime_ms();
    kcpu_set_pending(APP_TICK_IRQN); /* the first tick once sched_start unmasks; it arms the alarm */
    /* Every task runs in a handler: the system tick has nothing to wake idle
     * for (quartz/hal/clock.h), so its ticks return straight to sleep. */
    uint32_t key = cpu_irq_lock();
    clock_wake_at(UINT64_MAX);
    cpu_irq_unlock(key);
    sched_start();
    sched_idle();
}
