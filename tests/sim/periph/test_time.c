/*
 * The models' clock is the core's (sim/core/time.c, linked into these
 * tests): an event runs at the first HCLK cycle at or after its due time,
 * in due order, first come first served among equal times, and a change of
 * HCLK keeps the time already passed (issue 8 part 6: no second clock).
 */
#include "periph_test.h"

#define PS_PER_CYCLE_16MHZ 62500u

struct log {
    uint64_t at_ps[8];
    uint32_t arg[8];
    int n;
};

static void record(sim_t *s, void *dev, uint32_t arg)
{
    struct log *l = dev;
    l->at_ps[l->n] = sim_now_ps(s);
    l->arg[l->n++] = arg;
}

static void events_on_cycles(void **state)
{
    (void)state;
    sim_t *s = fake_sim_new();
    struct log l = { 0 };
    struct sim_event a = { 0 }, b = { 0 }, c = { 0 };
    sim_event_at(s, &a, 1, record, &l, 1);                         /* 1 ps: the first cycle */
    sim_event_at(s, &b, 3 * PS_PER_CYCLE_16MHZ, record, &l, 2);    /* on a cycle */
    sim_event_at(s, &c, 3 * PS_PER_CYCLE_16MHZ - 1, record, &l, 3); /* just before it: same cycle, queued first */
    fake_run_until(s, US(1));
    assert_int_equal(l.n, 3);
    assert_int_equal(l.arg[0], 1);
    assert_int_equal(l.at_ps[0], PS_PER_CYCLE_16MHZ);
    assert_int_equal(l.arg[1], 3);
    assert_int_equal(l.arg[2], 2);
    assert_int_equal(l.at_ps[1], 3 * PS_PER_CYCLE_16MHZ);
    assert_int_equal(l.at_ps[2], 3 * PS_PER_CYCLE_16MHZ);
    assert_int_equal(sim_cycles(s), 16u); /* 1 us at 16 MHz */
    fake_sim_free(s);
}

static void hclk_change_keeps_time(void **state)
{
    (void)state;
    sim_t *s = fake_sim_new();
    fake_run_until(s, US(10));
    sim_set_hclk(s, 84000000u);
    assert_int_equal(sim_now_ps(s), US(10));
    fake_run_for(s, US(1));
    assert_int_equal(sim_now_ps(s), US(11));
    assert_int_equal(sim_cycles(s), 160u + 84u);
    /* 1/84 MHz is not a whole number of ps: 100 ns is 8.4 cycles, so 9. */
    fake_run_for(s, 100000u);
    assert_int_equal(sim_cycles(s), 160u + 84u + 9u);
    assert_true(sim_now_ps(s) >= US(11) + 100000u);
    fake_sim_free(s);
}

int test_time_group(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(events_on_cycles),
        cmocka_unit_test(hclk_change_keeps_time),
    };
    return cmocka_run_group_tests_name("time", tests, NULL, NULL);
}
