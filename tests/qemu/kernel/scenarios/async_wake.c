/*
 * Wakers and poll order: tasks are polled once when spawned, then only when
 * woken, in wake order. An interrupt raises three signals in the order C, A,
 * B; the executor polls C, A, B in that order. `never` is never woken and
 * is polled exactly once.
 */
#include "console.h"

#include <stm32f446/irq.h>

#include <quartz/kernel/async.h>
#include <quartz/kernel/cpu.h>

struct waiter {
    struct async_task task;
    struct async_signal sig;
    const char *name;
    uint32_t value;
    uint32_t polls;
};

static struct async_executor ex = ASYNC_EXECUTOR_THREAD;

static void waiter_poll(struct async_task *t);
static struct waiter wa = {ASYNC_TASK_INIT(waiter_poll), {0}, "A", 0, 0};
static struct waiter wb = {ASYNC_TASK_INIT(waiter_poll), {0}, "B", 0, 0};
static struct waiter wc = {ASYNC_TASK_INIT(waiter_poll), {0}, "C", 0, 0};
static struct waiter wn = {ASYNC_TASK_INIT(waiter_poll), {0}, "never", 0, 0};
static struct waiter wd;

static void waiter_poll(struct async_task *t)
{
    struct waiter *self = ASYNC_SELF(t, struct waiter, task);
    self->polls++;
    ASYNC_BEGIN(t);
    ktest_puts(self->name);
    ktest_log(" waits");
    ASYNC_AWAIT_SIGNAL(t, &self->sig, &self->value);
    ktest_puts(self->name);
    ktest_log_u(" got", self->value);
    if (self == &wb) {
        async_signal_raise(&wd.sig, 0);
    }
    ASYNC_END(t);
}

static void driver_poll(struct async_task *t)
{
    wd.polls++;
    ASYNC_BEGIN(t);
    ktest_log("driver pends the interrupt");
    kcpu_pend(CAN2_TX_IRQn);
    ASYNC_AWAIT_SIGNAL(t, &wd.sig, NULL);
    ktest_log_u("polls A", wa.polls);
    ktest_log_u("polls B", wb.polls);
    ktest_log_u("polls C", wc.polls);
    ktest_log_u("polls never", wn.polls);
    ktest_log_u("polls driver", wd.polls);
    ktest_end();
    ASYNC_END(t);
}

void CAN2_TX_IRQHandler(void)
{
    ktest_log("isr raises C A B");
    async_signal_raise(&wc.sig, 30);
    async_signal_raise(&wa.sig, 10);
    async_signal_raise(&wb.sig, 20);
}

int main(void)
{
    ktest_console_init();
    kcpu_irq_setup(CAN2_TX_IRQn, 1);
    wd.task.poll = driver_poll;
    async_spawn(&ex, &wa.task);
    async_spawn(&ex, &wb.task);
    async_spawn(&ex, &wc.task);
    async_spawn(&ex, &wn.task);
    async_spawn(&ex, &wd.task);
    async_run(&ex);
}
