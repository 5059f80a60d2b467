/*
 * The executor: a FIFO of woken tasks per executor. Wakes come from any
 * priority, so the list is guarded by PRIMASK for a few instructions (the
 * shortest critical section there is; no task priority is involved).
 */
#include <quartz/kernel/async.h>
#include <quartz/kernel/cpu.h>

/* FIFO through a pointer to the last `next` (or to head): a push is three
 * stores and no branch. */
static inline __attribute__((always_inline)) void async_push_locked(struct async_executor *ex,
                                                                    struct async_task *t)
{
    t->next = NULL;
    struct async_task **tp = ex->tailp;
    *tp = t;
    ex->tailp = &t->next;
}

static inline __attribute__((always_inline)) struct async_task *async_pop_locked(struct async_executor *ex)
{
    struct async_task *t = ex->head;
    if (t != NULL) {
        ex->head = t->next;
        if (t->next == NULL) {
            ex->tailp = &ex->head;
        }
        t->queued = 0; /* a wake during the poll queues it again */
    }
    return t;
}

/* A leaf with no stack frame: an interrupt handler that ends with it
 * returns from the exception straight from here. `queued` is also set once
 * a task is done, so one test covers "already queued" and "finished". */
void async_wake(struct async_task *t)
{
    struct async_executor *ex = t->ex;
    uint32_t key = cpu_irq_lock();
    if (!(t->queued & 1U)) { /* (& 1: no register has to keep the zero it read) */
        async_push_locked(ex, t);
        t->queued = 1;
    }
    cpu_irq_unlock(key);
    if (ex->irqn >= 0) {
        kcpu_set_pending((unsigned)ex->irqn);
    } else {
        kcpu_wake(); /* a thread executor sleeps until woken (async_run) */
    }
}

void async_spawn(struct async_executor *ex, struct async_task *t)
{
    uint32_t key = cpu_irq_lock();
    if (ex->tailp == NULL) {
        ex->tailp = &ex->head;
    }
    cpu_irq_unlock(key);
    t->ex = ex;
    t->resume = 0;
    t->done = 0;
    t->queued = 0;
    async_wake(t);
}

void async_run(struct async_executor *ex)
{
    (void)cpu_irq_lock();
    for (;;) {
        struct async_task *t;
        while ((t = async_pop_locked(ex)) == NULL) {
            /* Interrupts are masked between the test above and the WFI, so a
             * wake cannot slip in unseen; a pending interrupt still ends the
             * WFI (ARMv7-M B1.5.19) and runs between CPSIE and CPSID. Only a
             * handler that wakes a task (async_wake) brings the core back
             * here: the others return straight to sleep. */
            kcpu_sleep_until_woken();
            cpu_irq_unlock(CPU_IRQ_UNLOCKED);
            (void)cpu_irq_lock();
        }
        cpu_irq_unlock(CPU_IRQ_UNLOCKED);
        t->poll(t);
        (void)cpu_irq_lock();
    }
}

void async_run_pending(struct async_executor *ex)
{
    for (;;) {
        uint32_t key = cpu_irq_lock();
        struct async_task *t = async_pop_locked(ex);
        cpu_irq_unlock(key);
        if (t == NULL) {
            return;
        }
        t->poll(t);
    }
}

void async_executor_irq_setup(struct async_executor *ex, unsigned prio)
{
    kcpu_irq_setup((unsigned)ex->irqn, prio);
}

static void async_timer_fire(struct timerq_node *node)
{
    async_wake(ASYNC_SELF(node, struct async_task, timer));
}

void async_timer_arm_(struct async_task *t, uint64_t at)
{
    mono_timer_start(&t->timer, at, async_timer_fire);
}
