/* Executor, signal, channel and timers on the host (the executor is run as an interrupt executor would be). */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include <quartz/kernel/async.h>

#include "fake_mono.h"

static char trace[256];
static size_t tlen;

static void note(const char *s)
{
    while (*s != '\0' && tlen + 1 < sizeof trace) {
        trace[tlen++] = *s++;
    }
    trace[tlen] = '\0';
}

static struct async_executor ex = ASYNC_EXECUTOR_THREAD;
extern unsigned fake_wakes; /* kcpu_wake calls (fake/quartz/kernel/cpu.h) */

struct waiter {
    struct async_task task;
    struct async_signal sig;
    const char *name;
    uint32_t polls, value;
};

static void waiter_poll(struct async_task *t)
{
    struct waiter *self = ASYNC_SELF(t, struct waiter, task);
    self->polls++;
    ASYNC_BEGIN(t);
    ASYNC_AWAIT_SIGNAL(t, &self->sig, &self->value);
    note(self->name);
    ASYNC_END(t);
}

static void test_wake_order_and_polls(void **state)
{
    (void)state;
    struct waiter a = {ASYNC_TASK_INIT(waiter_poll), {0}, "a", 0, 0};
    struct waiter b = {ASYNC_TASK_INIT(waiter_poll), {0}, "b", 0, 0};
    struct waiter c = {ASYNC_TASK_INIT(waiter_poll), {0}, "c", 0, 0};
    tlen = 0;
    async_spawn(&ex, &a.task);
    async_spawn(&ex, &b.task);
    async_spawn(&ex, &c.task);
    async_run_pending(&ex);
    assert_int_equal(a.polls + b.polls + c.polls, 3);
    /* A thread executor sleeps until woken (async_run): every wake from a
     * handler must clear sleep-on-exit, or the thread never runs again. */
    unsigned wakes = fake_wakes;
    async_signal_raise(&c.sig, 3);
    assert_int_equal(fake_wakes, wakes + 1);
    async_signal_raise(&a.sig, 1);
    async_signal_raise(&a.sig, 11); /* second raise before the poll: one poll, last value */
    async_run_pending(&ex);
    assert_string_equal(trace, "ca");
    assert_int_equal(a.polls, 2);
    assert_int_equal(a.value, 11);
    assert_int_equal(b.polls, 1); /* never woken, never polled again */
    assert_true(a.task.done);
    async_wake(&a.task); /* a finished task is not polled */
    async_run_pending(&ex);
    assert_int_equal(a.polls, 2);
}

static uint16_t ch_slots[2];
static struct async_channel ch = ASYNC_CHANNEL_INIT(ch_slots, uint16_t);

struct prod {
    struct async_task task;
    uint16_t i;
};

static void prod_poll(struct async_task *t)
{
    struct prod *self = ASYNC_SELF(t, struct prod, task);
    ASYNC_BEGIN(t);
    for (self->i = 1; self->i <= 5; self->i++) {
        ASYNC_SEND(t, &ch, &self->i);
        note("s");
    }
    ASYNC_END(t);
}

struct cons {
    struct async_task task;
    uint16_t v;
    uint32_t sum;
};

static void cons_poll(struct async_task *t)
{
    struct cons *self = ASYNC_SELF(t, struct cons, task);
    ASYNC_BEGIN(t);
    for (;;) {
        ASYNC_RECV(t, &ch, &self->v);
        note("r");
        self->sum = self->sum * 10 + self->v;
    }
    ASYNC_END(t);
}

static void test_channel(void **state)
{
    (void)state;
    struct prod p = {ASYNC_TASK_INIT(prod_poll), 0};
    struct cons c = {ASYNC_TASK_INIT(cons_poll), 0, 0};
    uint16_t v = 7;
    tlen = 0;
    assert_int_equal(async_channel_try_recv(&ch, &v), -EAGAIN);
    async_spawn(&ex, &p.task);
    async_spawn(&ex, &c.task);
    async_run_pending(&ex);
    assert_string_equal(trace, "ssrrssrrsr");
    assert_int_equal(c.sum, 12345);
    assert_true(p.task.done);
    assert_int_equal(async_channel_try_send(&ch, &v), 0);
    v = 8;
    assert_int_equal(async_channel_try_send(&ch, &v), 0);
    v = 9;
    assert_int_equal(async_channel_try_send(&ch, &v), -ENOSPC); /* full: 9 refused, 7 and 8 kept */
    async_run_pending(&ex);
    assert_int_equal(c.sum, 1234578);
}

struct sleeper {
    struct async_task task;
    uint64_t at;
    const char *name;
};

static void sleeper_poll(struct async_task *t)
{
    struct sleeper *self = ASYNC_SELF(t, struct sleeper, task);
    ASYNC_BEGIN(t);
    ASYNC_AWAIT_UNTIL(t, self->at);
    assert_true(fake_now >= self->at);
    note(self->name);
    ASYNC_END(t);
}

static void test_timers(void **state)
{
    (void)state;
    struct sleeper s1 = {ASYNC_TASK_INIT(sleeper_poll), 30, "3"};
    struct sleeper s2 = {ASYNC_TASK_INIT(sleeper_poll), 10, "1"};
    struct sleeper s3 = {ASYNC_TASK_INIT(sleeper_poll), 20, "2"};
    tlen = 0;
    fake_now = 0;
    async_spawn(&ex, &s1.task);
    async_spawn(&ex, &s2.task);
    async_spawn(&ex, &s3.task);
    async_run_pending(&ex);
    for (uint64_t t = 1; t <= 40; t++) {
        fake_advance(t);
        async_run_pending(&ex);
    }
    assert_string_equal(trace, "123");
}

/* A task woken only by its own alarm (ASYNC_AWAIT_WAKE): one pass per poll. */
struct ticker {
    struct async_task task;
    uint32_t passes;
    bool wake_in_pass; /* the alarm fires while the pass runs */
};

static void ticker_poll(struct async_task *t)
{
    struct ticker *self = ASYNC_SELF(t, struct ticker, task);
    ASYNC_BEGIN(t);
    for (;;) {
        self->passes++;
        if (self->wake_in_pass) {
            self->wake_in_pass = false;
            async_wake(t);
        }
        ASYNC_AWAIT_WAKE(t);
    }
    ASYNC_END(t);
}

static void test_await_wake(void **state)
{
    (void)state;
    struct ticker k = {ASYNC_TASK_INIT(ticker_poll), 0, false};
    async_spawn(&ex, &k.task);
    async_run_pending(&ex);
    assert_int_equal(k.passes, 1); /* the spawn's poll, then it waits */
    async_run_pending(&ex);
    assert_int_equal(k.passes, 1); /* not woken: not polled, no pass */
    unsigned wakes = fake_wakes;
    async_wake(&k.task);
    async_wake(&k.task); /* twice before the poll: one pass */
    assert_true(fake_wakes > wakes);
    async_run_pending(&ex);
    assert_int_equal(k.passes, 2);
    k.wake_in_pass = true; /* a wake during the pass: one pass more, then it waits */
    async_wake(&k.task);
    async_run_pending(&ex);
    assert_int_equal(k.passes, 4);
    async_run_pending(&ex);
    assert_int_equal(k.passes, 4);
    assert_false(k.task.done);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_wake_order_and_polls),
        cmocka_unit_test(test_channel),
        cmocka_unit_test(test_timers),
        cmocka_unit_test(test_await_wake),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
