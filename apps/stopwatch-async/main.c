/*
 * The stopwatch of seeds/004 on the Embassy-style executor (kernel/async):
 * the same behaviour, console log and OLED as apps/stopwatch, from the same
 * portable core (apps/stopwatch/core), as three tasks on one thread-mode
 * executor. They never preempt one another, so `ui` needs no lock; `in` is
 * shared with B1's edge handler and taken with interrupts masked. The
 * interrupt handlers reach the tasks through two signals. The executor
 * sleeps in WFI when nothing is woken.
 *
 *   button  awaits a press (B1's handler has started or stopped the timer)
 *   tick    every 10 ms (previous release + period): button sampling,
 *           refresh while running, display retry
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
#include <quartz/kernel/mono.h>

#include "input.h"
#include "quartz/assert.h"
#include "quartz/hal/clock.h"
#include "quartz/hal/cpu.h"
#include "quartz/hal/timer.h"
#include "ui.h"

#define TICK_US 10000u  /* the tick task's grid */
#define TICK_MS 10u     /* the same in uptime: the system tick's period */
#define TICK_SKIP 4u    /* grid points the tick may sleep over */
#define MONO_PRIO 3     /* TIM5 alarm; any priority 1..15 serves one executor */

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
 * One pass of the ui at uptime `now`: the button sampled when it is due, the
 * waiting flush result, ui_update, until no result the ui wants at once is
 * waiting (ui_flush_note_arm). Returns the state shown; *held: a press is
 * still being debounced.
 */
static enum sw_state ui_pass(uint64_t now, bool *held)
{
    bool sample = ui_sample_due(&ui, now), again = true;
    struct input_snapshot s = {SW_READY, 0};
    while (again) {
        uint32_t key = cpu_irq_lock();
        if (sample)
            input_sample(&in, now);
        sample = false;
        *held = input_sampling(&in);
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
    return s.state;
}

static void update(void)
{
    bool held;
    (void)ui_pass(clock_uptime_ms(), &held);
}

/* Grid release of the tick task's next run, and of its last one (tasks only). */
static uint64_t tick_at, tick_last;

/* Grid periods to the next tick: 1 while a press is debounced (a sample
 * every period), else as many as pass before the uptime reaches `due`. */
static unsigned tick_periods(bool held, uint64_t due, uint64_t now)
{
    unsigned k = 1;
    for (uint64_t at = now + TICK_MS; !held && k < TICK_SKIP && at < due; at += TICK_MS)
        k++;
    return k;
}

static void button_poll(struct async_task *t)
{
    static uint32_t unused;
    static uint64_t at;
    ASYNC_BEGIN(t);
    for (;;) {
        ASYNC_AWAIT_SIGNAL(t, &pressed, &unused);
        update();
        /* The grid points before the sleeping tick task's next release. */
        for (at = tick_last + TICK_US; at <= mono_now(); at += TICK_US) {
        }
        for (; at < tick_at; at += TICK_US) {
            ASYNC_AWAIT_UNTIL(t, at);
            update();
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
        update();
    }
    ASYNC_END(t);
}

static void tick_poll(struct async_task *t)
{
    ASYNC_BEGIN(t);
    tick_at = mono_now();
    for (;;) {
        tick_last = tick_at;
        uint64_t now = clock_uptime_ms();
        bool held;
        enum sw_state state = ui_pass(now, &held);
        tick_at += tick_periods(held, ui_next_due(&ui, state), now) * (uint64_t)TICK_US;
        ASYNC_AWAIT_UNTIL(t, tick_at);
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

    int mono_rc = mono_init(MONO_PRIO);
    QUARTZ_ASSERT(mono_rc == 0); /* only a clock plan TIM5 cannot divide to 1 MHz: a bug */
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
