/*
 * Embassy-style executor: stackless tasks polled only when woken, wakers
 * that interrupt handlers signal, WFI when nothing is ready. See
 * docs/concurrency.md for why tasks are protothreads.
 *
 * A task is a poll function plus a `struct async_task`, both static. The
 * poll function is written as straight-line code between ASYNC_BEGIN and
 * ASYNC_END; each ASYNC_AWAIT_* returns to the executor when the thing
 * awaited is not ready and resumes at that point on the next poll (the
 * line number is kept in the task). Locals do not survive an await: keep
 * state in the task's own struct (embed struct async_task in it and use
 * ASYNC_SELF to get back to it). One await per source line; no await
 * inside a switch statement of the task's own.
 *
 *   struct blink { struct async_task task; unsigned n; };
 *   static void blink_poll(struct async_task *t)
 *   {
 *       struct blink *self = ASYNC_SELF(t, struct blink, task);
 *       ASYNC_BEGIN(t);
 *       for (self->n = 0; self->n < 10; self->n++) {
 *           ASYNC_AWAIT_AFTER(t, 500);
 *           led_toggle();
 *       }
 *       ASYNC_END(t);
 *   }
 */
#ifndef QUARTZ_KERNEL_ASYNC_H
#define QUARTZ_KERNEL_ASYNC_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <quartz/kernel/mono.h>
#include <quartz/kernel/timerq.h>

struct async_task;
struct async_executor;
typedef void (*async_poll_fn)(struct async_task *t);

struct async_task {
    struct async_task *next;      /* ready list; first member (executor.c relies on it) */
    async_poll_fn poll;
    uint16_t resume;              /* line of the await to continue at; 0: the start */
    struct async_executor *ex;
    volatile uint8_t queued;      /* on the ready list, or done (never queued again) */
    uint8_t done;
    struct timerq_node timer;     /* ASYNC_AWAIT_UNTIL / _AFTER */
    int status;                   /* result of the last awaited operation */
};

struct async_executor {
    struct async_task *head;
    struct async_task **tailp; /* &head or &last->next; set by the first spawn */
    int irqn; /* interrupt it runs in; -1: thread mode */
};

#define ASYNC_TASK_INIT(poll_fn) { .poll = (poll_fn) }
#define ASYNC_EXECUTOR_THREAD { .irqn = -1 }
#define ASYNC_EXECUTOR_IRQ(n) { .irqn = (n) }

/* Attach `t` to `ex` and make it ready (its first poll starts it). */
void async_spawn(struct async_executor *ex, struct async_task *t);

/* Make `t` ready; from any priority, any number of times (one poll follows). */
void async_wake(struct async_task *t);

/* Thread mode: poll ready tasks forever, WFI when none is. */
void async_run(struct async_executor *ex) __attribute__((noreturn));

/* For an executor bound to an interrupt: call from that interrupt's handler
 * (priority set with async_executor_irq_setup). Polls until none is ready. */
void async_run_pending(struct async_executor *ex);
void async_executor_irq_setup(struct async_executor *ex, unsigned prio);

/* ---- protothread macros ---------------------------------------------- */
#define ASYNC_SELF(t, type, member) ((type *)(void *)((char *)(t) - offsetof(type, member)))
/* Protothreads in ISO C (Duff's device, after Dunkels): the poll function
 * is one switch on the line number of the await it stopped at. */
#define ASYNC_BEGIN(t)                                                                           \
    switch ((t)->resume) {                                                                       \
    case 0:

#define ASYNC_END(t)                                                                             \
    }                                                                                            \
    (t)->done = 1;                                                                               \
    (t)->queued = 1; /* async_wake tests one flag: a finished task looks queued forever */       \
    return

/* Wait until `cond` holds. `arm` runs before each test, to register the
 * waker, so a wake between the test and the return is not lost. */
#define ASYNC_AWAIT_ARMED(t, arm, cond)                                                          \
    do {                                                                                         \
        (t)->resume = __LINE__;                                                                  \
        __attribute__((fallthrough));                                                            \
    case __LINE__:                                                                               \
        arm;                                                                                     \
        if (!(cond)) {                                                                           \
            return;                                                                              \
        }                                                                                        \
    } while (0)

/* Give the other ready tasks a turn. */
#define ASYNC_YIELD(t)                                                                           \
    do {                                                                                         \
        (t)->resume = __LINE__;                                                                  \
        async_wake(t);                                                                           \
        return;                                                                                  \
    case __LINE__:;                                                                              \
    } while (0)

/* Return to the executor and continue here at the next poll, with nothing
 * to test: for a task whose only waker is its own (an alarm callback that
 * calls async_wake on it), so that every poll after this await is a wake.
 * A wake during the poll before it polls the task once more, as a signal
 * raised then would be taken at once. */
#define ASYNC_AWAIT_WAKE(t)                                                                      \
    do {                                                                                         \
        (t)->resume = __LINE__;                                                                  \
        return;                                                                                  \
    case __LINE__:;                                                                              \
    } while (0)

/* ---- time -------------------------------------------------------------- */
void async_timer_arm_(struct async_task *t, uint64_t at);
#define ASYNC_AWAIT_UNTIL(t, at)                                                                 \
    do {                                                                                         \
        async_timer_arm_((t), (at));                                                             \
        ASYNC_AWAIT_ARMED(t, (void)0, !(t)->timer.armed);                                        \
    } while (0)
#define ASYNC_AWAIT_AFTER(t, ticks) ASYNC_AWAIT_UNTIL(t, mono_now() + (ticks))

/* ---- signal: one value from an interrupt (or task) to one waiting task -- */
struct async_signal {
    struct async_task *waiter;
    uint32_t value;
    volatile bool set;
};
/* From any priority; a second raise before the wait overwrites the value. */
void async_signal_raise(struct async_signal *s, uint32_t value);
bool async_signal_take_(struct async_signal *s, struct async_task *t, uint32_t *value);
#define ASYNC_AWAIT_SIGNAL(t, sig, value_ptr)                                                    \
    ASYNC_AWAIT_ARMED(t, (void)0, async_signal_take_((sig), (t), (value_ptr)))

/* ---- bounded channel: FIFO of fixed-size items, one waiter per side ---- */
struct async_channel {
    uint8_t *buf;
    uint16_t item_size, capacity;
    uint16_t head, count;
    struct async_task *rx_waiter, *tx_waiter;
};
#define ASYNC_CHANNEL_INIT(storage, item_type)                                                   \
    { .buf = (uint8_t *)(storage), .item_size = sizeof(item_type),                               \
      .capacity = sizeof(storage) / sizeof(item_type) }
/* Non-blocking, from any priority: 0, or -ENOSPC (full) / -EAGAIN (empty). */
int async_channel_try_send(struct async_channel *ch, const void *item);
int async_channel_try_recv(struct async_channel *ch, void *item);
int async_channel_send_(struct async_channel *ch, struct async_task *t, const void *item);
int async_channel_recv_(struct async_channel *ch, struct async_task *t, void *item);
#define ASYNC_SEND(t, ch, item_ptr) ASYNC_AWAIT_ARMED(t, (void)0, async_channel_send_((ch), (t), (item_ptr)) == 0)
#define ASYNC_RECV(t, ch, item_ptr) ASYNC_AWAIT_ARMED(t, (void)0, async_channel_recv_((ch), (t), (item_ptr)) == 0)

#endif
