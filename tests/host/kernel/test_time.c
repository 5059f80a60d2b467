/* Timer queue order, 64-bit extension of a 32-bit counter, and mono.c's alarm handling. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include <quartz/kernel/mono.h>
#include <quartz/kernel/timerq.h>

#include "fake_mono.h"

static struct timerq_node *fired[16];
static int nfired;

static void record(struct timerq_node *n)
{
    fired[nfired++] = n;
}

static void test_timerq_sorted_fifo(void **state)
{
    (void)state;
    struct timerq q = {0};
    struct timerq_node n[5] = {{0}};
    assert_true(timerq_insert(&q, &n[0], 30));
    assert_true(timerq_insert(&q, &n[1], 10));
    assert_false(timerq_insert(&q, &n[2], 20));
    assert_false(timerq_insert(&q, &n[3], 20)); /* equal deadline: after n[2] */
    assert_false(timerq_insert(&q, &n[4], 10)); /* equal to head: after n[1] */
    assert_null(timerq_pop_expired(&q, 9));
    assert_ptr_equal(timerq_pop_expired(&q, 10), &n[1]);
    assert_ptr_equal(timerq_pop_expired(&q, 10), &n[4]);
    assert_null(timerq_pop_expired(&q, 19));
    assert_ptr_equal(timerq_pop_expired(&q, 100), &n[2]);
    assert_ptr_equal(timerq_pop_expired(&q, 100), &n[3]);
    assert_false(n[3].armed);
    assert_ptr_equal(timerq_pop_expired(&q, 100), &n[0]);
    assert_null(timerq_pop_expired(&q, UINT64_MAX));
}

static void test_timerq_remove(void **state)
{
    (void)state;
    struct timerq q = {0};
    struct timerq_node a = {0}, b = {0}, c = {0};
    timerq_insert(&q, &a, 1);
    timerq_insert(&q, &b, 2);
    timerq_insert(&q, &c, 3);
    assert_false(timerq_remove(&q, &b));
    assert_true(timerq_remove(&q, &a));
    assert_false(timerq_remove(&q, &a)); /* not armed any more */
    uint64_t next = 0;
    assert_true(timerq_next(&q, &next));
    assert_int_equal(next, 3);
}

static void test_extend(void **state)
{
    (void)state;
    assert_int_equal(mono_extend(0, 5, false), 5);
    assert_int_equal(mono_extend(2, 0xFFFFFFF0U, false), 0x2FFFFFFF0ULL);
    /* wrapped before the read, interrupt not yet run: next epoch */
    assert_int_equal(mono_extend(2, 3, true), 0x300000003ULL);
    /* read just before the wrap, flag set just after: still this epoch */
    assert_int_equal(mono_extend(2, 0xFFFFFFFFU, true), 0x2FFFFFFFFULL);
    assert_int_equal(mono_extend(0xFFFFFFFFU, 0xFFFFFFFFU, false), UINT64_MAX);
}

static void test_mono_expire_in_order(void **state)
{
    (void)state;
    struct timerq_node n[3] = {{0}};
    nfired = 0;
    fake_now = 100;
    mono_timer_start(&n[0], 300, record);
    assert_int_equal(fake_alarm, 300);
    mono_timer_start(&n[1], 200, record);
    assert_int_equal(fake_alarm, 200); /* new head moves the alarm */
    mono_timer_start(&n[2], 250, record);
    assert_int_equal(fake_alarm, 200);
    fake_advance(199);
    assert_int_equal(nfired, 0);
    fake_advance(260); /* a late interrupt fires everything due, in order */
    assert_int_equal(nfired, 2);
    assert_ptr_equal(fired[0], &n[1]);
    assert_ptr_equal(fired[1], &n[2]);
    assert_int_equal(fake_alarm, 300);
    assert_true(mono_timer_cancel(&n[0]));
    assert_false(fake_alarm_armed);
    assert_false(mono_timer_cancel(&n[0]));
}

/* Contract (QUARTZ_ASSERT): starting a timer that is armed would link its
 * node into the queue twice; cancel it first. A fired or cancelled one may
 * start again. */
static void test_rearming_an_armed_timer_breaks_the_contract(void **state)
{
    (void)state;
    struct timerq_node n = {0};
    nfired = 0;
    fake_now = 1000;
    mono_timer_start(&n, 1100, record);
    expect_assert_failure(mono_timer_start(&n, 1200, record));
    fake_advance(1100);
    assert_int_equal(nfired, 1);
    mono_timer_start(&n, 1300, record); /* fired: free to start again */
    assert_true(mono_timer_cancel(&n));
    mono_timer_start(&n, 1400, record); /* cancelled: too */
    assert_true(mono_timer_cancel(&n));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_timerq_sorted_fifo),
        cmocka_unit_test(test_timerq_remove),
        cmocka_unit_test(test_extend),
        cmocka_unit_test(test_mono_expire_in_order),
        cmocka_unit_test(test_rearming_an_armed_timer_breaks_the_contract),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
