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
#define CCMR2 0x1C
#define CCER 0x20
#define CCR2 0x38
#define CR1_CEN 1u
#define CR1_DIR (1u << 4)
#define CMS(m) ((uint32_t)(m) << 5)

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

/* The report's missed ticks: an update with UIE set that finds UIF still set (the handler did
 * not clear the previous one) is counted; one cleared in time is not; without UIE none are. */
static void missed_updates_counted(void **state)
{
    struct fixture *f = *state;
    sim_t *s = f->sim;
    const struct tim *t = &nucleo_chip(f->board)->tim[0];
    set_bits(s, RCC_APB1ENR, 1u << 0);
    start_1khz(s, TIM2);
    for (int k = 0; k < 3; k++) { /* handled in time: cleared within each period */
        fake_run_for(s, US(1000));
        fake_write(s, TIM2 + SR, ~1u);
    }
    assert_int_equal(t->update_irqs, 3u);
    assert_int_equal(t->missed_updates, 0u);
    fake_run_for(s, US(5000)); /* masked for 5 periods: the first sets UIF, the next 4 find it set */
    assert_int_equal(t->update_irqs, 8u);
    assert_int_equal(t->missed_updates, 4u);
    fake_write(s, TIM2 + SR, ~1u);
    fake_write(s, TIM2 + DIER, 0); /* polled: no interrupt, nothing to miss */
    fake_run_for(s, US(5000));
    assert_int_equal(t->update_irqs, 8u);
    assert_int_equal(t->missed_updates, 4u);
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


/* RM0390 17.3.2, downcounting mode: the counter counts from ARR down to 0, then restarts from ARR
 * with an update event (UIF) at the underflow; UG restarts it from ARR. */
static void down_counting(void **state)
{
    struct fixture *f = *state;
    sim_t *s = f->sim;
    set_bits(s, RCC_APB1ENR, 1u << 1);
    fake_write(s, TIM3 + CR1, CR1_DIR);
    fake_write(s, TIM3 + PSC, 15); /* 1 MHz */
    fake_write(s, TIM3 + ARR, 999);
    fake_write(s, TIM3 + EGR, 1);
    assert_int_equal(fake_read(s, TIM3 + CNT), 999u);
    fake_write(s, TIM3 + SR, 0);
    fake_write(s, TIM3 + DIER, 1);
    fake_write(s, TIM3 + CR1, CR1_CEN | CR1_DIR);
    fake_run_for(s, US(250));
    assert_int_equal(fake_read(s, TIM3 + CNT), 749u);
    fake_run_for(s, US(749));
    assert_int_equal(fake_read(s, TIM3 + CNT), 0u);
    assert_false(fake(s)->irq[29]);
    fake_run_for(s, US(1)); /* underflow: reload from ARR */
    assert_true(fake(s)->irq[29]);
    assert_int_equal(fake_read(s, TIM3 + CNT), 999u);
    fake_write(s, TIM3 + SR, 0);
    fake_run_for(s, US(999));
    assert_int_equal(fake_read(s, TIM3 + SR) & 1u, 0u);
    assert_int_equal(fake_read(s, TIM3 + CNT), 0u);
    fake_run_for(s, US(1));
    assert_int_equal(fake_read(s, TIM3 + SR) & 1u, 1u);
    assert_int_equal(fake(s)->irq_rises[29], 2u);
    /* a new ARR (no preload) is the next reload value */
    fake_write(s, TIM3 + ARR, 9);
    fake_run_for(s, US(1000));
    assert_int_equal(fake_read(s, TIM3 + CNT), 9u);
}

/* RM0390 17.3.2, center-aligned mode: 0 up to ARR (overflow), down to 0 (underflow), UIF at both
 * ends; DIR shows the direction. 17.4.1 CMS: compare flags of an output channel set only counting
 * down (mode 1), only up (mode 2), both ways (mode 3). */
static void center_aligned(void **state)
{
    struct fixture *f = *state;
    sim_t *s = f->sim;
    static const uint32_t seq[] = {0, 1, 2, 3, 4, 3, 2, 1, 0, 1, 2, 3, 4, 3};
    set_bits(s, RCC_APB1ENR, 1u << 1);
    for (unsigned mode = 1; mode <= 3; mode++) {
        fake_write(s, TIM3 + CR1, 0);
        fake_write(s, TIM3 + PSC, 15); /* 1 tick per us */
        fake_write(s, TIM3 + ARR, 4);
        fake_write(s, TIM3 + CCR1, 2);
        fake_write(s, TIM3 + CR1, CMS(mode));
        fake_write(s, TIM3 + EGR, 1);
        fake_write(s, TIM3 + SR, 0);
        fake_write(s, TIM3 + CR1, CMS(mode) | CR1_CEN);
        uint32_t uif_at = 0, cc1_at = 0;
        for (unsigned us = 0; us < sizeof seq / sizeof seq[0]; us++) {
            assert_int_equal(fake_read(s, TIM3 + CNT), seq[us]);
            bool going_down = us % 8 >= 4;
            assert_int_equal(fake_read(s, TIM3 + CR1) & CR1_DIR, going_down ? CR1_DIR : 0u);
            uint32_t sr = fake_read(s, TIM3 + SR);
            if (sr & 1u)
                uif_at |= 1u << us;
            if (sr & 2u)
                cc1_at |= 1u << us;
            fake_write(s, TIM3 + SR, 0);
            fake_run_for(s, US(1));
        }
        assert_int_equal(uif_at, (1u << 4) | (1u << 8) | (1u << 12)); /* ARR reached, 0 reached */
        uint32_t up = (1u << 2) | (1u << 10), down = 1u << 6;
        assert_int_equal(cc1_at, mode == 1 ? down : mode == 2 ? up : up | down);
        /* the interrupt comes from the scheduled event, without register reads: at 14 us the
         * counter is 2 going down, the underflow is at 16 us */
        fake_write(s, TIM3 + DIER, 1);
        fake_run_for(s, US(1));
        assert_false(fake(s)->irq[29]);
        fake_run_for(s, US(1));
        assert_true(fake(s)->irq[29]);
        fake_write(s, TIM3 + DIER, 0);
    }
}

/* RM0390 17.4.1: DIR is read-only in center-aligned mode: writing it changes nothing. */
static void dir_read_only_in_center_mode(void **state)
{
    struct fixture *f = *state;
    sim_t *s = f->sim;
    set_bits(s, RCC_APB1ENR, 1u << 1);
    fake_write(s, TIM3 + PSC, 15);
    fake_write(s, TIM3 + ARR, 100);
    fake_write(s, TIM3 + EGR, 1);
    fake_write(s, TIM3 + CR1, CMS(3) | CR1_CEN);
    fake_run_for(s, US(10));
    fake_write(s, TIM3 + CR1, CMS(3) | CR1_CEN | CR1_DIR);
    assert_int_equal(fake_read(s, TIM3 + CR1) & CR1_DIR, 0u);
    fake_run_for(s, US(10));
    assert_int_equal(fake_read(s, TIM3 + CNT), 20u);
    fake_run_for(s, US(90)); /* ARR reached at 100 us: 90 and counting down */
    assert_int_equal(fake_read(s, TIM3 + CR1) & CR1_DIR, CR1_DIR);
    fake_write(s, TIM3 + CR1, CMS(3) | CR1_CEN);
    assert_int_equal(fake_read(s, TIM3 + CR1) & CR1_DIR, CR1_DIR);
    fake_run_for(s, US(30));
    assert_int_equal(fake_read(s, TIM3 + CNT), 60u);
}

/* test_tim_capture.c: input capture, run with this group (main.c knows one group per model). */
int test_tim_capture_group(void);

int test_tim_group(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(update_every_period, fixture_setup, fixture_teardown),
        cmocka_unit_test_setup_teardown(missed_updates_counted, fixture_setup, fixture_teardown),
        cmocka_unit_test_setup_teardown(psc_preload_and_arpe, fixture_setup, fixture_teardown),
        cmocka_unit_test_setup_teardown(ug_urs_udis, fixture_setup, fixture_teardown),
        cmocka_unit_test_setup_teardown(compare_match_and_opm, fixture_setup, fixture_teardown),
        cmocka_unit_test_setup_teardown(clock_change_keeps_count, fixture_setup, fixture_teardown),
        cmocka_unit_test_setup_teardown(down_counting, fixture_setup, fixture_teardown),
        cmocka_unit_test_setup_teardown(center_aligned, fixture_setup, fixture_teardown),
        cmocka_unit_test_setup_teardown(dir_read_only_in_center_mode, fixture_setup, fixture_teardown),
    };
    int failed = cmocka_run_group_tests_name("tim", tests, NULL, NULL);
    return failed + test_tim_capture_group();
}
