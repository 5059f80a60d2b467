/*
 * The stopwatch of seeds/004 on the Embassy-style executor (kernel/async):
 * the same behaviour, console log and OLED as apps/stopwatch, from the same
 * portable core (apps/stopwatch/core), as three tasks on one thread-mode
 * executor. They never preempt one another, so `ui` needs no lock; `in` is
 * shared with B1's edge handler and taken with interrupts masked. The
 * interrupt handlers reach the button and flush tasks through two signals
 * and wake the tick task directly (its one waker is the alarm). The
 * executor sleeps in WFI when nothing is woken.
 *
 *   button  awaits a press (B1's handler has started or stopped the timer)
 *   tick    on the system tick's 10 ms grid, released by its alarm
 *           (clock_alarm_at): button sampling, refresh while running,
 *           display retry; it sleeps over grid points with nothing due
 *   flush   awaits a flush result the ui wants at once (an error, the
 *           display back, a redraw waiting, not running); the tick
 *           takes the others
 *
 * The press is handled in B1's handler, not in the button task: the task
 * first runs when the executor starts, after the display's bring-up, and a
 * press during boot must count from its edge.
 */
#include <stdint.h>

#include <quartz/kernel/async.h>

#include "input.h"
#include "quartz/assert.h"
#include "quartz/hal/clock.h"
#include "quartz/hal/cpu.h"
#include "quartz/hal/timer.h"
#include "ui.h"

#define TICK_MS 10u  /* the tick task's grid: the system tick's period */

static struct input in;              /* B1's handler, or the tasks with interrupts masked */
static struct ui_flush_note flushed; /* the flush completion, or the tasks with interrupts masked */
static struct ui ui;                 /* the tasks */

static struct async_executor ex = ASYNC_EXECUTOR_THREAD;
static struct async_signal pressed;
static struct async_signal flush_done;

static void on_button(void *ctx)
{
    (void)ctx;
    if (input_edge(&in) != SW_NONE)
        async_signal_raise(&pressed, 0);
}

/* The flush task is woken only for a result the ui wants at once (core/ui.h,
 * ui_flush_note); otherwise the next tick takes it. */
static void on_flushed(void *ctx, int status)
{
    (void)ctx;
    if (ui_flush_note_put(&flushed, status))
        async_signal_raise(&flush_done, 0);
}

/*
 * The tick task's next release, in uptime ms (tasks only; see
 * ui_tick_after). It is released by the system tick's one alarm
 * (clock_alarm_at), which wakes the task itself: the alarm is its only
 * waker, so a poll is a release and no signal stands between them (about
 * 80 cycles a refresh, docs/performance.md, "Fifth pass"). The tick moves
 * the alarm to its next release (ui_pass), a press moves it earlier. No
 * timer queue: the grid is the system tick's.
 */
static uint64_t tick_at;
static struct async_task tick_task;

static void on_alarm(void *ctx)
{
    (void)ctx;
    async_wake(&tick_task);
}

/*
 * One pass of the ui at the uptime now: the button sampled when it is due,
 * the waiting flush result, ui_update, until no result the ui wants at
 * once is waiting (ui_flush_note_arm). `release`: the tick task's pass,
 * which then moves the alarm to the tick's next release (one function for
 * the three tasks' passes, so that the tick's runs in one stack frame).
 */
static void ui_pass(bool release)
{
    uint64_t now = clock_uptime_ms();
    bool sample = ui_sample_due(&ui, now), again = true, held = false;
    struct input_snapshot s = {SW_READY, 0};
    while (again) {
        uint32_t key = cpu_irq_lock();
        if (sample)
            input_sample(&in, now);
        sample = false;
        held = input_sampling(&in);
        s = input_take(&in);
        int status = ui_flush_note_take(&flushed);
        cpu_irq_unlock(key);
        if (status <= 0)
            ui_flushed(&ui, status);
        ui_update(&ui, s, now);
        key = cpu_irq_lock();
        again = ui_flush_note_arm(&flushed, &ui);
        cpu_irq_unlock(key);
    }
    if (release) {
        tick_at = ui_tick_after(tick_at, held, ui_next_due(&ui, s.state), now, TICK_MS);
        clock_alarm_at(tick_at, on_alarm, NULL);
    }
}

static void button_poll(struct async_task *t)
{
    static uint32_t unused;
    ASYNC_BEGIN(t);
    for (;;) {
        ASYNC_AWAIT_SIGNAL(t, &pressed, &unused);
        ui_pass(false);
        /* A press is sampled from the next grid point on, as if the tick had never slept. */
        uint64_t next = clock_uptime_ms() + TICK_MS; /* the uptime is on the grid */
        if (next < tick_at) {
            tick_at = next;
            clock_alarm_at(next, on_alarm, NULL); /* replaces the later one */
        }
    }
    ASYNC_END(t);
}

static void flush_poll(struct async_task *t)
{
    static uint32_t unused;
    ASYNC_BEGIN(t);
    for (;;) {
        ASYNC_AWAIT_SIGNAL(t, &flush_done, &unused);
        ui_pass(false);
    }
    ASYNC_END(t);
}

static void tick_poll(struct async_task *t)
{
    ASYNC_BEGIN(t);
    tick_at = clock_uptime_ms();
    for (;;) {
        ui_pass(true);
        ASYNC_AWAIT_WAKE(t); /* the alarm at tick_at */
    }
    ASYNC_END(t);
}

static struct async_task button_task = ASYNC_TASK_INIT(button_poll);
static struct async_task flush_task = ASYNC_TASK_INIT(flush_poll);
static struct async_task tick_task = ASYNC_TASK_INIT(tick_poll);

int main(void)
{
    input_init(&in);
    timer_ms_init();
    int edge_rc = input_arm(on_button, NULL); /* before the display's 25 ms bring-up */
    QUARTZ_ASSERT(edge_rc == 0); /* B1's EXTI line is free: a taken one is a bug */
    ui_start(&ui, on_flushed, NULL);

    async_spawn(&ex, &button_task);
    async_spawn(&ex, &flush_task);
    async_spawn(&ex, &tick_task);
    /* Only wakes (async_wake) bring the executor back: the system tick has
     * nothing for it (quartz/hal/clock.h), so its ticks return straight to sleep. */
    uint32_t key = cpu_irq_lock();
    clock_wake_at(UINT64_MAX);
    cpu_irq_unlock(key);
    async_run(&ex);
}
