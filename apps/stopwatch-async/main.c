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
 *   flush   awaits the end of each display flush
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

#define TICK_US 10000u  /* the tick task's period */
#define MONO_PRIO 3     /* TIM5 alarm; any priority 1..15 serves one executor */

static struct input in; /* B1's handler, or the tasks with interrupts masked */
static struct ui ui;    /* the tasks */

static struct async_executor ex = ASYNC_EXECUTOR_THREAD;
static struct async_signal pressed;
static struct async_signal flush_done;

static void on_button(void *ctx)
{
    (void)ctx;
    if (input_edge(&in) != SW_NONE)
        async_signal_raise(&pressed, 0);
}

static void on_flushed(void *ctx, int status)
{
    (void)ctx;
    async_signal_raise(&flush_done, (uint32_t)status);
}

/* The input state now, and the button sampled when it is due. */
static struct input_snapshot take(uint64_t now)
{
    bool sample = ui_sample_due(&ui, now);
    uint32_t key = cpu_irq_lock();
    if (sample)
        input_sample(&in, now);
    struct input_snapshot s = input_take(&in);
    cpu_irq_unlock(key);
    return s;
}

static void button_poll(struct async_task *t)
{
    static uint32_t unused;
    ASYNC_BEGIN(t);
    for (;;) {
        ASYNC_AWAIT_SIGNAL(t, &pressed, &unused);
        uint64_t now = clock_uptime_ms();
        ui_update(&ui, take(now), now);
    }
    ASYNC_END(t);
}

static void flush_poll(struct async_task *t)
{
    static uint32_t status;
    ASYNC_BEGIN(t);
    for (;;) {
        ASYNC_AWAIT_SIGNAL(t, &flush_done, &status);
        ui_flushed(&ui, (int)status);
        uint64_t now = clock_uptime_ms();
        ui_update(&ui, take(now), now);
    }
    ASYNC_END(t);
}

static void tick_poll(struct async_task *t)
{
    static uint64_t release;
    ASYNC_BEGIN(t);
    release = mono_now();
    for (;;) {
        uint64_t now = clock_uptime_ms();
        ui_update(&ui, take(now), now);
        release += TICK_US;
        ASYNC_AWAIT_UNTIL(t, release);
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
    async_run(&ex);
}
