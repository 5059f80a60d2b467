/* RCC clock tree, FLASH latency, PWR, clock gating (RM0390 sections 3, 5, 6). */
#include "periph_test.h"

static void reset_state(void **state)
{
    struct fixture *f = *state;
    assert_int_equal(fake_read(f->sim, RCC_CR), 0x00000083u);
    assert_int_equal(fake_read(f->sim, RCC_PLLCFGR), 0x24003010u);
    assert_int_equal(fake_read(f->sim, RCC_AHB1ENR), 0x00100000u);
    assert_int_equal(fake_read(f->sim, RCC + 0x74), 0x0E000000u); /* CSR: POR, PIN, BOR */
    assert_int_equal(f->sim->hclk, 16000000u);
}

static void hse_needs_bypass(void **state)
{
    struct fixture *f = *state;
    set_bits(f->sim, RCC_CR, 1u << 16); /* HSEON without HSEBYP */
    fake_run_for(f->sim, MS(10));
    assert_int_equal(fake_read(f->sim, RCC_CR) & (1u << 17), 0);
    assert_true(fake_warned(f->sim, "no crystal on X3"));
}

static void hse_bypass_ready_after_delay(void **state)
{
    struct fixture *f = *state;
    set_bits(f->sim, RCC_CR, 1u << 18); /* HSEBYP while off */
    set_bits(f->sim, RCC_CR, 1u << 16);
    assert_int_equal(fake_read(f->sim, RCC_CR) & (1u << 17), 0);
    fake_run_for(f->sim, US(2));
    assert_int_not_equal(fake_read(f->sim, RCC_CR) & (1u << 17), 0);
}

/* An 84 MHz plan (HSE 8 MHz bypass, PLL /8 x336 /4, APB1 /2): a different one
 * from the Nucleo board's 48 MHz (board/nucleo-f446re/board.c), so the model
 * is checked on figures the firmware does not happen to use. */
static void pll_switch_and_prescalers(void **state)
{
    struct fixture *f = *state;
    sim_t *s = f->sim;
    set_bits(s, RCC_CR, (1u << 18));
    set_bits(s, RCC_CR, (1u << 16));
    fake_run_for(s, US(5));
    fake_write(s, RCC_PLLCFGR, 8u | (336u << 6) | (1u << 16) | (1u << 22) | (7u << 24) | (2u << 28));
    fake_write(s, FLASH_ACR, 2u);
    fake_write(s, RCC_CFGR, (4u << 10) | 2u); /* PPRE1 /2, SW = PLL before it is ready */
    assert_int_equal((fake_read(s, RCC_CFGR) >> 2) & 3u, 0); /* SWS still HSI */
    set_bits(s, RCC_CR, 1u << 24);
    /* PLLCFGR is locked while PLLON */
    fake_write(s, RCC_PLLCFGR, 0x24003010u);
    assert_int_equal(fake_read(s, RCC_PLLCFGR) & 0x3Fu, 8u);
    assert_true(fake_warned(s, "PLLCFGR written while PLLON"));
    fake_run_for(s, US(50));
    assert_int_equal(fake_read(s, RCC_CR) & (1u << 25), 0);
    fake_run_for(s, US(60));
    assert_int_not_equal(fake_read(s, RCC_CR) & (1u << 25), 0);
    assert_int_equal((fake_read(s, RCC_CFGR) >> 2) & 3u, 2u); /* SWS follows once ready */
    const struct rcc *r = &nucleo_chip(f->board)->rcc;
    assert_int_equal(rcc_sysclk_hz(r), 84000000u);
    assert_int_equal(s->hclk, 84000000u);
    assert_int_equal(rcc_pclk1_hz(r), 42000000u);
    assert_int_equal(rcc_timclk1_hz(r), 84000000u); /* x2: APB1 prescaler != 1 */
    assert_int_equal(rcc_pclk2_hz(r), 84000000u);
    assert_int_equal(rcc_timclk2_hz(r), 84000000u);
    assert_false(fake_warned(s, "LATENCY"));
    /* the PLL cannot be stopped while it is the system clock */
    fake_write(s, RCC_CR, fake_read(s, RCC_CR) & ~(1u << 24));
    assert_int_not_equal(fake_read(s, RCC_CR) & (1u << 24), 0);
    /* VOSRDY once the PLL runs (RM0390 5.1.4) */
    set_bits(s, RCC_APB1ENR, 1u << 28);
    assert_int_not_equal(fake_read(s, 0x40007004u) & (1u << 14), 0);
}

static void flash_latency_warning(void **state)
{
    struct fixture *f = *state;
    sim_t *s = f->sim;
    set_bits(s, RCC_CR, 1u << 24); /* PLL from HSI: 16/16*192/2 = 96 MHz */
    fake_run_for(s, US(200));
    fake_write(s, RCC_CFGR, 2u);
    assert_int_equal(s->hclk, 96000000u);
    assert_true(fake_warned(s, "LATENCY=0 wait states too few for HCLK 96000000"));
}

static void clock_gating_and_reset_pulse(void **state)
{
    struct fixture *f = *state;
    sim_t *s = f->sim;
    fake_write(s, GPIOC + 0x14, 0x1234u); /* GPIOC clock off: dropped */
    assert_int_equal(fake(s)->gated, 1u);
    set_bits(s, RCC_AHB1ENR, 1u << 2);
    assert_int_equal(fake_read(s, GPIOC + 0x14), 0u);
    fake_write(s, GPIOC + 0x14, 0x1234u);
    assert_int_equal(fake_read(s, GPIOC + 0x14), 0x1234u);
    /* AHB1RSTR.GPIOCRST pulse puts the port back to reset values */
    fake_write(s, RCC + 0x10, 1u << 2);
    fake_write(s, RCC + 0x10, 0);
    assert_int_equal(fake_read(s, GPIOC + 0x14), 0u);
    /* a reserved RCC offset is reported as unmodeled and reads 0 */
    assert_int_equal(fake_read(s, RCC + 0x1C), 0u);
    assert_int_equal(fake(s)->last_unmodeled, RCC + 0x1C);
}

static void system_reset_flags(void **state)
{
    struct fixture *f = *state;
    fake_write(f->sim, RCC + 0x74, 1u << 24); /* RMVF */
    assert_int_equal(fake_read(f->sim, RCC + 0x74), 0u);
    nucleo_system_reset(f->board);
    assert_int_equal(fake_read(f->sim, RCC + 0x74), (1u << 28) | (1u << 26));
}

int test_rcc_group(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(reset_state, fixture_setup, fixture_teardown),
        cmocka_unit_test_setup_teardown(hse_needs_bypass, fixture_setup, fixture_teardown),
        cmocka_unit_test_setup_teardown(hse_bypass_ready_after_delay, fixture_setup, fixture_teardown),
        cmocka_unit_test_setup_teardown(pll_switch_and_prescalers, fixture_setup, fixture_teardown),
        cmocka_unit_test_setup_teardown(flash_latency_warning, fixture_setup, fixture_teardown),
        cmocka_unit_test_setup_teardown(clock_gating_and_reset_pulse, fixture_setup, fixture_teardown),
        cmocka_unit_test_setup_teardown(system_reset_flags, fixture_setup, fixture_teardown),
    };
    return cmocka_run_group_tests_name("rcc", tests, NULL, NULL);
}
