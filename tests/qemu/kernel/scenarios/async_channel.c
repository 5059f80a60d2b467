/*
 * Bounded channel between two tasks (capacity 2): the producer runs ahead
 * until the channel is full and waits; each receive wakes it. An interrupt
 * handler's try_send into the full channel gets -ENOSPC and the channel
 * keeps its items.
 */
#include "console.h"

#include <stm32f446/irq.h>

#include <errno.h>

#include <quartz/kernel/async.h>
#include <quartz/kernel/cpu.h>

static struct async_executor ex = ASYNC_EXECUTOR_THREAD;
static uint32_t slots[2];
static struct async_channel ch = ASYNC_CHANNEL_INIT(slots, uint32_t);

struct producer {
    struct async_task task;
    uint32_t next;
};
struct consumer {
    struct async_task task;
    uint32_t got, count;
};

static void producer_poll(struct async_task *t)
{
    struct producer *self = ASYNC_SELF(t, struct producer, task);
    ASYNC_BEGIN(t);
    for (self->next = 1; self->next <= 6; self->next++) {
        ASYNC_SEND(t, &ch, &self->next);
        ktest_log_u("sent", self->next);
        if (self->next == 2) {
            kcpu_pend(CAN2_TX_IRQn); /* channel full now */
        }
    }
    ktest_log("producer done");
    ASYNC_END(t);
}

static void consumer_poll(struct async_task *t)
{
    struct consumer *self = ASYNC_SELF(t, struct consumer, task);
    ASYNC_BEGIN(t);
    for (self->count = 0; self->count < 6; self->count++) {
        ASYNC_RECV(t, &ch, &self->got);
        ktest_log_u("got", self->got);
    }
    ktest_end();
    ASYNC_END(t);
}

static struct producer prod = {ASYNC_TASK_INIT(producer_poll), 0};
static struct consumer cons = {ASYNC_TASK_INIT(consumer_poll), 0, 0};

void CAN2_TX_IRQHandler(void)
{
    uint32_t v = 99;
    ktest_log_i("isr try_send", async_channel_try_send(&ch, &v));
}

int main(void)
{
    ktest_console_init();
    kcpu_irq_setup(CAN2_TX_IRQn, 1);
    async_spawn(&ex, &prod.task);
    async_spawn(&ex, &cons.task);
    async_run(&ex);
}
