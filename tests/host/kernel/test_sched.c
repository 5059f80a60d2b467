/*
 * The generated scheduler on the host: ceilings derived from the tables,
 * lock code only above the current ceiling, FIFO dispatch across tasks of
 * one priority, -ENOSPC without loss, spawn_at through the timer queue.
 * Dispatchers are run by calling their vector, as the NVIC would.
 */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "fake_mono.h"

/* The table names STM32F446 vectors (EXTI15_10, CAN1_TX). */
#include <stm32f446/irq.h>

typedef uint32_t u32;
#define APP_HW_TASKS(H) H(button, EXTI15_10, 3)
#define APP_EXT_TASKS(X) X(hal_cb, 6)
#define APP_SW_TASKS(S) \
    S(a, 1, 2, u32, init, button, hal_cb) \
    S(b, 1, 3, u32, init, a) \
    S(c, 2, 1, u32, init)
#define APP_RESOURCES(R) \
    R(count, u32, a, button, hal_cb, c) \
    R(flag, u32, a, c) \
    R(only_a, u32, a)
#define APP_DISPATCHERS(D) D(1, CAN1_TX) D(2, CAN1_RX0)
#define APP_MONO_PRIO 4
#define SCHED_APP_IMPL
#include <quartz/kernel/sched_app.h>

_Static_assert(SCHED_CEIL_count == 6, "count: a (1), c (2), button (3), hal_cb (6)");
_Static_assert(SCHED_CEIL_flag == 2, "flag: a (1) and c (2)");
_Static_assert(SCHED_CEIL_only_a == 1, "only_a: a alone");
_Static_assert(SCHED_SPAWN_CEIL_ == 6, "spawners up to hal_cb (6); timer queue at 4");
_Static_assert(SCHED_RQLEN_1 == 8, "ready ring at 1: a (2) + b (3) + 1, rounded up to a power of two");

static char order[64];
static size_t olen;
static uint32_t seen_basepri, seen_after;
static unsigned writes_in_only_a;

static void note(char task, u32 msg)
{
    order[olen++] = task;
    order[olen++] = (char)('0' + msg);
    order[olen] = '\0';
}

SCHED_SW_TASK(a, msg)
{
    note('a', msg);
    if (msg == 9) {
        sched_lock(ctx, count, p) {
            seen_basepri = kcpu_basepri();
            (*p)++;
            unsigned before = fake_lock_writes;
            sched_lock(ctx, flag, f) { /* ceiling 2 <= 3: no code */
                *f = 1;
            }
            writes_in_only_a = fake_lock_writes - before;
        }
        unsigned before = fake_lock_writes;
        sched_lock(ctx, only_a, o) { /* a runs at 1 = ceiling: no code */
            *o = 1;
        }
        writes_in_only_a += fake_lock_writes - before;
    }
}

SCHED_SW_TASK(b, msg)
{
    note('b', msg);
}

SCHED_SW_TASK(c, msg)
{
    note('c', msg);
    if (msg == 8) {
        sched_lock(ctx, count, p) {
            seen_basepri = kcpu_basepri();
            (*p)++;
        }
        seen_after = kcpu_basepri();
    }
}

SCHED_HW_TASK(button)
{
    sched_lock(ctx, count, p) {
        (*p)++;
    }
    (void)sched_spawn(ctx, a, 5);
}

/* As the NVIC: the most urgent pended dispatcher first (CAN1_RX0 runs
 * priority 2, CAN1_TX priority 1), one entry per run; a dispatcher with more
 * queued pends itself again. */
static void run_dispatchers(void)
{
    for (;;) {
        if (fake_take_pended(CAN1_RX0_IRQn)) {
            CAN1_RX0_IRQHandler();
        } else if (fake_take_pended(CAN1_TX_IRQn)) {
            CAN1_TX_IRQHandler();
        } else {
            return;
        }
    }
}

static int setup(void **state)
{
    (void)state;
    olen = 0;
    order[0] = '\0';
    sched_init();
    sched_start();
    return 0;
}

static void test_fifo_across_tasks(void **state)
{
    (void)state;
    struct sched_ctx_init *ctx = SCHED_INIT_CTX;
    assert_int_equal(sched_spawn(ctx, a, 1), 0);
    assert_int_equal(sched_spawn(ctx, b, 2), 0);
    assert_int_equal(sched_spawn(ctx, a, 3), 0);
    assert_int_equal(sched_spawn(ctx, c, 4), 0);
    assert_int_equal(sched_spawn(ctx, b, 5), 0);
    assert_true(fake_take_pended(CAN1_TX_IRQn));
    assert_true(fake_take_pended(CAN1_RX0_IRQn));
    CAN1_RX0_IRQHandler(); /* priority 2 first, as the NVIC would */
    CAN1_TX_IRQHandler();  /* one message per entry: it pends itself again */
    assert_string_equal(order, "c4a1");
    assert_true(fake_take_pended(CAN1_TX_IRQn));
    assert_false(fake_take_pended(CAN1_RX0_IRQn));
    CAN1_TX_IRQHandler();
    run_dispatchers();
    assert_string_equal(order, "c4a1b2a3b5");
}

static void test_full_loses_nothing(void **state)
{
    (void)state;
    struct sched_ctx_init *ctx = SCHED_INIT_CTX;
    assert_int_equal(sched_spawn(ctx, b, 1), 0);
    assert_int_equal(sched_spawn(ctx, b, 2), 0);
    assert_int_equal(sched_spawn(ctx, b, 3), 0);
    assert_int_equal(sched_spawn(ctx, b, 4), -ENOSPC);
    assert_int_equal(sched_spawn(ctx, a, 6), 0);
    run_dispatchers();
    assert_string_equal(order, "b1b2b3a6");
    assert_int_equal(sched_spawn(ctx, b, 7), 0); /* slots came back */
    run_dispatchers();
    assert_string_equal(order, "b1b2b3a6b7");
}

static void test_lock_ceiling(void **state)
{
    (void)state;
    struct sched_ctx_init *ctx = SCHED_INIT_CTX;
    fake_basepri = 0;
    assert_int_equal(sched_spawn(ctx, a, 9), 0);
    run_dispatchers();
    assert_int_equal(seen_basepri, CPU_PRIO_HW(6));
    assert_int_equal(fake_basepri, 0); /* restored */
    assert_int_equal(writes_in_only_a, 0);
    assert_int_equal(sched_res_count, 1);
    EXTI15_10_IRQHandler(); /* button: lock at its own ceiling, spawn a */
    assert_int_equal(sched_res_count, 2);
    run_dispatchers();
    assert_string_equal(order, "a9a5");
}

/* Unlock writes the task's own priority (a constant, no MRS); the
 * dispatcher, whose task may lock, puts back the BASEPRI it found. */
static void test_restore_entry_basepri(void **state)
{
    (void)state;
    struct sched_ctx_init *ctx = SCHED_INIT_CTX;
    assert_int_equal(sched_spawn(ctx, c, 8), 0);
    assert_true(fake_take_pended(CAN1_RX0_IRQn));
    fake_basepri = CPU_PRIO_HW(1); /* as left by the lock of a preempted task */
    CAN1_RX0_IRQHandler();
    assert_string_equal(order, "c8");
    assert_int_equal(seen_basepri, CPU_PRIO_HW(6));
    assert_int_equal(seen_after, CPU_PRIO_HW(2));
    assert_int_equal(fake_basepri, CPU_PRIO_HW(1));
    fake_basepri = 0;
}

/* A HAL callback declared in APP_EXT_TASKS: runs at the ceiling of count. */
static void hal_callback(void)
{
    struct sched_ctx_hal_cb *ctx = SCHED_EXT_CTX(hal_cb);
    unsigned before = fake_lock_writes;
    sched_lock(ctx, count, p) {
        *p += 10;
    }
    assert_int_equal(fake_lock_writes, before);
    (void)sched_spawn(ctx, a, 7);
}

static void test_ext_task(void **state)
{
    (void)state;
    uint32_t was = sched_res_count;
    hal_callback();
    assert_int_equal(sched_res_count, was + 10);
    run_dispatchers();
    assert_string_equal(order, "a7");
}

static void test_spawn_at(void **state)
{
    (void)state;
    struct sched_ctx_init *ctx = SCHED_INIT_CTX;
    fake_now = 1000;
    assert_int_equal(sched_spawn_at(ctx, b, 1300, 3), 0);
    assert_int_equal(sched_spawn_at(ctx, b, 1100, 1), 0);
    assert_int_equal(sched_spawn_after(ctx, b, 200, 2), 0);
    assert_int_equal(sched_spawn_at(ctx, b, 1050, 9), -ENOSPC); /* 3 slots held by the timer queue */
    run_dispatchers();
    assert_string_equal(order, "");
    fake_advance(1150);
    run_dispatchers();
    assert_string_equal(order, "b1");
    fake_advance(1400);
    run_dispatchers();
    assert_string_equal(order, "b1b2b3");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup(test_fifo_across_tasks, setup),
        cmocka_unit_test_setup(test_full_loses_nothing, setup),
        cmocka_unit_test_setup(test_lock_ceiling, setup),
        cmocka_unit_test_setup(test_restore_entry_basepri, setup),
        cmocka_unit_test_setup(test_ext_task, setup),
        cmocka_unit_test_setup(test_spawn_at, setup),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
