/*
 * The executor: a FIFO of woken tasks per executor. Wakes come from any
 * priority, so the list is guarded by PRIMASK for a few instructions (the
 * shortest critical section there is; no task priority is involved).
 */
#include <quartz/kernel/async.h>
#include <quartz/kernel/cpu.h>

static inline void async_push_locked(struct async_executor *ex, struct async_task *t)
{
    t->next = NULL;
    if (ex->tail == NULL) {
        ex->head = t;
    } else {
        ex->tail->next = t;
    }
    ex->tail = t;
}

static inline struct async_task *async_pop_locked(struct async_executor *ex)
{
    struct async_task *t = ex->head;
    if (t != NULL) {
        ex->head = t->next;
        if (ex->head == NULL) {
            ex->tail = NULL;
        }
        t->queued = 0; /* a wake during the poll queues it again */
    }
    return t;
}

void async_wake(struct async_task *t)
{
    struct async_executor *ex = t->ex;
    uint32_t key = kcpu_irq_save();
    if (!t->queued && !t->done) {
        t->queued = 1;
        async_push_locked(ex, t);
    }
    kcpu_irq_restore(key);
    if (ex->irqn >= 0) {
        kcpu_set_pending((unsigned)ex->irqn);
    }
}

void async_spawn(struct async_executor *ex, struct async_task *t)
{
    t->ex = ex;
    t->resume = 0;
    t->done = 0;
    t->queued = 0;
    async_wake(t);
}

void async_run(struct async_executor *ex)
{
    for (;;) {
        kcpu_irq_disable();
        struct async_task *t = async_pop_locked(ex);
        if (t == NULL) {
            /* Interrupts are masked between the test above and the WFI, so a
             * wake cannot slip in unseen; a pending interrupt still ends the
             * WFI (ARMv7-M B1.5.19) and runs as soon as PRIMASK clears. */
            kcpu_wfi();
            kcpu_irq_enable();
            continue;
        }
        kcpu_irq_enable();
        t->poll(t);
    }
}

void async_run_pending(struct async_executor *ex)
{
    for (;;) {
        uint32_t key = kcpu_irq_save();
        struct async_task *t = async_pop_locked(ex);
        kcpu_irq_restore(key);
        if (t == NULL) {
            return;
        }
        t->poll(t);
    }
}

void async_executor_irq_setup(struct async_executor *ex, unsigned logical_prio)
{
    kcpu_irq_setup((unsigned)ex->irqn, logical_prio);
}

static void async_timer_fire(struct timerq_node *node)
{
    async_wake(ASYNC_SELF(node, struct async_task, timer));
}

void async_timer_arm_(struct async_task *t, uint64_t at)
{
    mono_timer_start(&t->timer, at, async_timer_fire);
}
