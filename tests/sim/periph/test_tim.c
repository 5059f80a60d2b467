/* TIM2..TIM5 (RM0390 section 17) on the 16 MHz reset clock (TIMCLK1 = 16 MHz). */
#include "periph_test.h"

#define CR1 0x00
#define DIER 0x0C
#define SR 0x10
#define EGR 0x14
#define CCMR1 0x18
#define CNT 0x24
#define PSC 0x28
#define ARR 0x2C
#define CCR1 0x34

static void start_1khz(sim_t *s, uint32_t tim)
{
    fake_write(s, tim + PSC, 15);   /* 1 MHz counter clock */
    fake_write(s, tim + ARR, 999);  /* 1 ms period */
    fake_write(s, tim + EGR, 1);    /* UG: load PSC */
    fake_write(s, tim + SR, 0);
    fake_write(s, tim + DIER, 1);
    fake_write(s, tim + CR1, 1);
}

static void update_every_period(void **state)
{
    struct fixture *f = *state;
    sim_t *s = f->sim;
    set_bits(s, RCC_APB1ENR, 1u << 0);
    start_1khz(s, TIM2);
    assert_false(fake(s)->irq[28]);
    fake_run_for(s, US(250));
    assert_int_equal(fake_read(s, TIM2 + CNT), 250u);
    fake_run_for(s, US(749));
    assert_false(fake(s)->irq[28]);
    fake_run_for(s, US(1));
    assert_true(fake(s)->irq[28]);
    assert_int_equal(fake_read(s, TIM2 + SR) & 1u, 1u);
    assert_int_equal(fake_read(s, TIM2 + CNT), 0u);
    fake_write(s, TIM2 + SR, ~1u); /* rc_w0 */
    assert_false(fake(s)->irq[28]);
    fake_run_for(s, MS(10));
    assert_true(fake(s)->irq[28]);
    assert_int_equal(fake(s)->irq_rises[28], 2u); /* not cleared in between: one level */
    assert_int_equal(fake_read(s, TIM2 + CNT), 0u);
}

static void psc_preload_and_arpe(void **state)
{
    struct fixture *f = *state;
    sim_t *s = f->sim;
    set_bits(s, RCC_APB1ENR, 1u << 1);
    start_1khz(s, TIM3);
    fake_write(s, TIM3 + PSC, 1); /* takes effect at the next update only */
    fake_run_for(s, US(500));
    assert_int_equal(fake_read(s, TIM3 + CNT), 500u);
    fake_run_for(s, US(500)); /* update: now 8 MHz */
    fake_run_for(s, US(10));
    assert_int_equal(fake_read(s, TIM3 + CNT), 80u);
    /* ARPE: a new ARR waits for the update */
    fake_write(s, TIM3 + CR1, 1u | (1u << 7));
    fake_write(s, TIM3 + ARR, 99);
    fake_run_for(s, US(50)); /* CNT 480 > 99 but the active ARR is still 999 */
    assert_int_equal(fake_read(s, TIM3 + CNT), 480u);
    fake_write(s, TIM3 + SR, 0);
    fake_run_for(s, US(65)); /* 999 reached at 124.875 us after the update */
    assert_int_equal(fake_read(s, TIM3 + SR) & 1u, 1u);
    fake_write(s, TIM3 + SR, 0);
    fake_run_for(s, US(13)); /* next period 100 ticks = 12.5 us */
    assert_int_equal(fake_read(s, TIM3 + SR) & 1u, 1u);
}

static void ug_urs_udis(void **state)
{
    struct fixture *f = *state;
    sim_t *s = f->sim;
    set_bits(s, RCC_APB1ENR, 1u << 1);
    fake_write(s, TIM3 + CR1, 1u << 2); /* URS */
    fake_write(s, TIM3 + EGR, 1);
    assert_int_equal(fake_read(s, TIM3 + SR), 0u);
    fake_write(s, TIM3 + CR1, 0);
    fake_write(s, TIM3 + EGR, 1);
    assert_int_equal(fake_read(s, TIM3 + SR), 1u);
    fake_write(s, TIM3 + SR, 0);
    fake_write(s, TIM3 + CR1, 1u << 1); /* UDIS: no update, PSC not loaded */
    fake_write(s, TIM3 + PSC, 7);
    fake_write(s, TIM3 + EGR, 1);
    assert_int_equal(fake_read(s, TIM3 + SR), 0u);
    assert_int_equal(nucleo_chip(f->board)->tim[1].psc_active, 0u);
    /* ARR = 0 blocks the counter (RM0390 17.4.12) */
    fake_write(s, TIM3 + CR1, 1);
    fake_run_for(s, MS(1));
    assert_int_equal(fake_read(s, TIM3 + CNT), 0u);
}

static void compare_match_and_opm(void **state)
{
    struct fixture *f = *state;
    sim_t *s = f->sim;
    set_bits(s, RCC_APB1ENR, 1u << 0);
    fake_write(s, TIM2 + CCR1, 300);
    fake_write(s, TIM2 + DIER, 1u << 1);
    start_1khz(s, TIM2);
    fake_write(s, TIM2 + DIER, 1u << 1); /* CC1IE only */
    fake_run_for(s, US(299));
    assert_false(fake(s)->irq[28]);
    fake_run_for(s, US(1));
    assert_true(fake(s)->irq[28]);
    assert_int_equal(fake_read(s, TIM2 + SR) & 0x2u, 0x2u);
    fake_write(s, TIM2 + SR, 0);
    /* one-pulse: stops at the update */
    fake_write(s, TIM2 + CR1, 1u | (1u << 3));
    fake_run_for(s, MS(3));
    assert_int_equal(fake_read(s, TIM2 + CR1) & 1u, 0u);
    assert_int_equal(fake_read(s, TIM2 + CNT), 0u);
    assert_int_equal(fake_read(s, TIM2 + SR) & 1u, 1u);
}

static void clock_change_keeps_count(void **state)
{
    struct fixture *f = *state;
    sim_t *s = f->sim;
    set_bits(s, RCC_APB1ENR, 1u << 0);
    fake_write(s, TIM2 + ARR, 0xFFFFFFFFu);
    fake_write(s, TIM2 + CR1, 1);
    fake_run_for(s, US(100)); /* 1600 ticks at 16 MHz */
    fake_write(s, RCC_CFGR, 0x9u << 4); /* HPRE /4: TIMCLK1 4 MHz */
    fake_run_for(s, US(100));           /* + 400 */
    assert_int_equal(fake_read(s, TIM2 + CNT), 2000u);
}

int test_tim_group(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(update_every_period, fixture_setup, fixture_teardown),
        cmocka_unit_test_setup_teardown(psc_preload_and_arpe, fixture_setup, fixture_teardown),
        cmocka_unit_test_setup_teardown(ug_urs_udis, fixture_setup, fixture_teardown),
        cmocka_unit_test_setup_teardown(compare_match_and_opm, fixture_setup, fixture_teardown),
        cmocka_unit_test_setup_teardown(clock_change_keeps_count, fixture_setup, fixture_teardown),
    };
    return cmocka_run_group_tests_name("tim", tests, NULL, NULL);
}
