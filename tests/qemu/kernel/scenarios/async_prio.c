/*
 * Two executors: `lo` in thread mode, `hi` in an interrupt at priority 2.
 * Waking a hi task from a lo task runs it at once, inside lo's poll (the
 * interrupt preempts thread mode); waking a lo task from hi only queues it
 * until thread mode runs again. Timer wakes (SysTick at priority 3) reach
 * both executors.
 */
#include "console.h"

#include <stm32f446/irq.h>

#include <quartz/kernel/async.h>
#include <quartz/kernel/cpu.h>
#include <quartz/kernel/mono.h>

static struct async_executor lo = ASYNC_EXECUTOR_THREAD;
static struct async_executor hi = ASYNC_EXECUTOR_IRQ(CAN2_RX1_IRQn);
static struct async_signal to_hi, to_lo;

void CAN2_RX1_IRQHandler(void)
{
    async_run_pending(&hi);
}

static void hi_poll(struct async_task *t)
{
    ASYNC_BEGIN(t);
    ktest_log("hi starts, waits for lo");
    ASYNC_AWAIT_SIGNAL(t, &to_hi, NULL);
    ktest_log("hi woken by lo, wakes lo");
    async_signal_raise(&to_lo, 0);
    ktest_log("hi sleeps 5");
    ASYNC_AWAIT_AFTER(t, 5);
    ktest_log("hi timer");
    ASYNC_END(t);
}

struct lo_task {
    struct async_task task;
    uint32_t spins;
};

static void lo_poll(struct async_task *t)
{
    struct lo_task *self = ASYNC_SELF(t, struct lo_task, task);
    ASYNC_BEGIN(t);
    ktest_log("lo wakes hi");
    async_signal_raise(&to_hi, 0);
    ktest_log("lo after waking hi");
    ASYNC_AWAIT_SIGNAL(t, &to_lo, NULL);
    ktest_log("lo woken by hi");
    /* Busy for 20 ticks: hi's timer preempts the poll itself. */
    {
        uint64_t until = mono_now() + 20;
        while (mono_now() < until) {
            self->spins++;
        }
    }
    ktest_log("lo busy done");
    ASYNC_AWAIT_AFTER(t, 10);
    ktest_log("lo timer");
    ktest_end();
    ASYNC_END(t);
}

static struct async_task hi_task = ASYNC_TASK_INIT(hi_poll);
static struct lo_task lo_task = {ASYNC_TASK_INIT(lo_poll), 0};

int main(void)
{
    ktest_console_init();
    (void)cpu_irq_lock();
    if (mono_systick_init(KTEST_HCLK_HZ, 1000U, 3) != 0)
        ktest_log("mono init failed"); /* the transcript comparison then fails */
    async_executor_irq_setup(&hi, 2);
    async_spawn(&hi, &hi_task);
    async_spawn(&lo, &lo_task.task);
    cpu_irq_unlock(CPU_IRQ_UNLOCKED); /* hi's first poll runs here, before lo's */
    async_run(&lo);
}
