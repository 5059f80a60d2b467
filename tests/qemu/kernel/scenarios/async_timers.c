/*
 * Timers on the executor (SysTick monotonic at 1 kHz): three tasks await
 * 30, 10 and 20 ticks and wake in deadline order, never early; a periodic
 * task awaits previous release + period, so its releases do not drift.
 */
#include "console.h"

#include <quartz/kernel/async.h>
#include <quartz/kernel/cpu.h>
#include <quartz/kernel/mono.h>

#define MONO_PRIO 2
#define PERIOD 4U
#define PERIODS 40U

static struct async_executor ex = ASYNC_EXECUTOR_THREAD;

struct sleeper {
    struct async_task task;
    uint32_t after;
    uint64_t at;
};

static volatile uint32_t finished;

static void sleeper_poll(struct async_task *t)
{
    struct sleeper *self = ASYNC_SELF(t, struct sleeper, task);
    ASYNC_BEGIN(t);
    self->at = mono_now() + self->after;
    ASYNC_AWAIT_UNTIL(t, self->at);
    ktest_puts(mono_now() >= self->at ? "woke on time after " : "woke EARLY after ");
    ktest_putu(self->after);
    ktest_puts("\n");
    finished++;
    ASYNC_END(t);
}

struct periodic {
    struct async_task task;
    uint64_t first, release;
    uint32_t n;
    bool early;
};

static void periodic_poll(struct async_task *t)
{
    struct periodic *self = ASYNC_SELF(t, struct periodic, task);
    ASYNC_BEGIN(t);
    self->first = self->release = mono_now() + PERIOD;
    for (self->n = 0; self->n < PERIODS; self->n++) {
        ASYNC_AWAIT_UNTIL(t, self->release);
        self->early |= mono_now() < self->release;
        self->release += PERIOD;
    }
    ktest_log_u("periodic releases", self->n);
    ktest_log_u("periodic last - first", (uint32_t)(self->release - PERIOD - self->first));
    ktest_log(self->early ? "periodic EARLY" : "periodic never early");
    finished++;
    ASYNC_END(t);
}

static void reporter_poll(struct async_task *t)
{
    ASYNC_BEGIN(t);
    ASYNC_AWAIT_AFTER(t, 200);
    ktest_log_u("finished", finished);
    ktest_end();
    ASYNC_END(t);
}

static struct sleeper s30 = {ASYNC_TASK_INIT(sleeper_poll), 30, 0};
static struct sleeper s10 = {ASYNC_TASK_INIT(sleeper_poll), 10, 0};
static struct sleeper s20 = {ASYNC_TASK_INIT(sleeper_poll), 20, 0};
static struct periodic per = {ASYNC_TASK_INIT(periodic_poll), 0, 0, 0, false};
static struct async_task reporter = ASYNC_TASK_INIT(reporter_poll);

int main(void)
{
    ktest_console_init();
    if (mono_systick_init(KTEST_HCLK_HZ, 1000U, MONO_PRIO) != 0)
        ktest_log("mono init failed"); /* the transcript comparison then fails */
    async_spawn(&ex, &s30.task);
    async_spawn(&ex, &s10.task);
    async_spawn(&ex, &s20.task);
    async_spawn(&ex, &per.task);
    async_spawn(&ex, &reporter);
    async_run(&ex);
}
