/* TIM2..TIM5 input capture from GPIO edges (RM0390 17.3.5) on the 16 MHz reset clock. */
#include "periph_test.h"

#define TIM5 0x40000C00u
#define CR1 0x00
#define DIER 0x0C
#define SR 0x10
#define EGR 0x14
#define CCMR1 0x18
#define CCER 0x20
#define PSC 0x28
#define ARR 0x2C
#define CCR1 0x34
#define CCR2 0x38
#define CC1IF (1u << 1)
#define CC2IF (1u << 2)
#define CC1OF (1u << 9)
#define CC1E 1u
#define CC1P (1u << 1)
#define CC1NP (1u << 3)

/* Pin `pin` of GPIOx in alternate function `af`, open drain so that only the outside drives it. */
static void pin_af(sim_t *s, uint32_t gpio, int pin, unsigned af)
{
    fake_write(s, gpio + 0x00, (fake_read(s, gpio + 0x00) & ~(3u << (2 * pin))) | (2u << (2 * pin)));
    fake_write(s, gpio + 0x04, fake_read(s, gpio + 0x04) | (1u << pin));
    uint32_t afr = gpio + 0x20 + 4u * (uint32_t)(pin / 8);
    unsigned shift = 4u * (unsigned)(pin % 8);
    fake_write(s, afr, (fake_read(s, afr) & ~(0xFu << shift)) | (af << shift));
}

static void drive(struct fixture *f, int port, int pin, bool high)
{
    gpio_set_external(&nucleo_chip(f->board)->gpio[port], pin, high ? GPIO_EXT_HIGH : GPIO_EXT_LOW);
}

/* Timer at `tim` counting up at 1 MHz from 0, free-running. */
static void start_1mhz(sim_t *s, uint32_t tim, uint32_t cr1)
{
    fake_write(s, tim + CR1, cr1);
    fake_write(s, tim + PSC, 15);
    fake_write(s, tim + ARR, 0xFFFFu);
    fake_write(s, tim + EGR, 1);
    fake_write(s, tim + SR, 0);
    fake_write(s, tim + CR1, cr1 | 1u);
}

/* PA0 = TIM2_CH1 (AF1), high from outside, TIM2 running, CC1S = 01 (IC1 on TI1). */
static void setup_pa0_tim2(struct fixture *f, uint32_t ccer)
{
    sim_t *s = f->sim;
    set_bits(s, RCC_AHB1ENR, 1u << 0);
    set_bits(s, RCC_APB1ENR, 1u << 0);
    drive(f, 0, 0, true);
    pin_af(s, GPIOA, 0, 1);
    start_1mhz(s, TIM2, 0);
    fake_write(s, TIM2 + CCMR1, 1u);
    fake_write(s, TIM2 + CCER, ccer);
}

static void capture_edges(void **state)
{
    struct fixture *f = *state;
    sim_t *s = f->sim;
    setup_pa0_tim2(f, CC1E); /* rising edge */
    fake_write(s, TIM2 + DIER, CC1IF);
    fake_run_for(s, US(100));
    drive(f, 0, 0, false); /* falling: not selected */
    assert_int_equal(fake_read(s, TIM2 + SR) & CC1IF, 0u);
    fake_run_for(s, US(23));
    drive(f, 0, 0, true); /* rising at 123 us */
    assert_true(fake(s)->irq[28]);
    assert_int_equal(fake_read(s, TIM2 + SR) & (CC1IF | CC1OF), CC1IF);
    fake_run_for(s, US(5));
    assert_int_equal(fake_read(s, TIM2 + CCR1), 123u);
    /* reading CCR1 cleared CC1IF (RM0390 17.4.5) and so the interrupt */
    assert_int_equal(fake_read(s, TIM2 + SR) & CC1IF, 0u);
    assert_false(fake(s)->irq[28]);

    fake_write(s, TIM2 + CCER, CC1E | CC1P); /* falling edge */
    fake_run_for(s, US(2));
    drive(f, 0, 0, false); /* 130 us */
    fake_run_for(s, US(10));
    drive(f, 0, 0, true); /* 140 us: not selected */
    assert_int_equal(fake_read(s, TIM2 + CCR1), 130u);

    fake_write(s, TIM2 + CCER, CC1E | CC1P | CC1NP); /* both edges */
    fake_run_for(s, US(10));
    drive(f, 0, 0, false);
    assert_int_equal(fake_read(s, TIM2 + CCR1), 150u);
    fake_run_for(s, US(7));
    drive(f, 0, 0, true);
    assert_int_equal(fake_read(s, TIM2 + CCR1), 157u);
    assert_int_equal(fake_read(s, TIM2 + SR) & (CC1IF | CC1OF), 0u);
}

static void overcapture(void **state)
{
    struct fixture *f = *state;
    sim_t *s = f->sim;
    setup_pa0_tim2(f, CC1E | CC1P | CC1NP);
    fake_run_for(s, US(40));
    drive(f, 0, 0, false);
    assert_int_equal(fake_read(s, TIM2 + SR) & (CC1IF | CC1OF), CC1IF);
    fake_run_for(s, US(20));
    drive(f, 0, 0, true); /* CC1IF still set: overcapture */
    assert_int_equal(fake_read(s, TIM2 + SR) & (CC1IF | CC1OF), CC1IF | CC1OF);
    assert_int_equal(fake_read(s, TIM2 + CCR1), 60u); /* the newer capture */
    assert_int_equal(fake_read(s, TIM2 + SR) & (CC1IF | CC1OF), CC1OF); /* OF stays until cleared */
    fake_write(s, TIM2 + SR, ~CC1OF);
    assert_int_equal(fake_read(s, TIM2 + SR) & CC1OF, 0u);
}

static void prescaler_every_second_edge(void **state)
{
    struct fixture *f = *state;
    sim_t *s = f->sim;
    setup_pa0_tim2(f, 0);
    fake_write(s, TIM2 + CCMR1, 1u | (1u << 2)); /* IC1PSC = 01: every 2 events */
    fake_write(s, TIM2 + CCER, CC1E);
    uint32_t captures[4] = {0};
    for (unsigned i = 0; i < 4; i++) {
        fake_run_for(s, US(10));
        drive(f, 0, 0, false);
        fake_run_for(s, US(1));
        drive(f, 0, 0, true); /* rising edges at 11, 22, 33, 44 us */
        captures[i] = (fake_read(s, TIM2 + SR) & CC1IF) ? fake_read(s, TIM2 + CCR1) : 0u;
    }
    assert_int_equal(captures[0], 0u);
    assert_int_equal(captures[1], 22u);
    assert_int_equal(captures[2], 0u);
    assert_int_equal(captures[3], 44u);
}

static void no_capture_without_the_af(void **state)
{
    struct fixture *f = *state;
    sim_t *s = f->sim;
    setup_pa0_tim2(f, CC1E | CC1P | CC1NP);
    set_bits(s, RCC_APB1ENR, 1u << 3); /* TIM5 */
    start_1mhz(s, TIM5, 0);
    fake_write(s, TIM5 + CCMR1, 1u);
    fake_write(s, TIM5 + CCER, CC1E | CC1P | CC1NP);
    pin_af(s, GPIOA, 0, 2); /* PA0 = TIM5_CH1 now */
    fake_run_for(s, US(10));
    drive(f, 0, 0, false);
    assert_int_equal(fake_read(s, TIM2 + SR) & CC1IF, 0u);
    assert_int_equal(fake_read(s, TIM5 + SR) & CC1IF, CC1IF);
    assert_int_equal(fake_read(s, TIM5 + CCR1), 10u);
    fake_write(s, GPIOA + 0x00, fake_read(s, GPIOA + 0x00) & ~3u); /* PA0 input */
    fake_run_for(s, US(10));
    drive(f, 0, 0, true);
    assert_int_equal(fake_read(s, TIM2 + SR) & CC1IF, 0u);
    assert_int_equal(fake_read(s, TIM5 + SR) & CC1IF, 0u);
    pin_af(s, GPIOA, 0, 1); /* back on TIM2_CH1 */
    fake_run_for(s, US(10));
    drive(f, 0, 0, false);
    assert_int_equal(fake_read(s, TIM2 + CCR1), 30u);
    /* CC1E = 0: no capture */
    fake_write(s, TIM2 + CCER, 0);
    fake_run_for(s, US(10));
    drive(f, 0, 0, true);
    assert_int_equal(fake_read(s, TIM2 + SR) & CC1IF, 0u);
}

/* PA6 = TIM3_CH1 (AF2) seen by channel 2 through CC2S = 10 (IC2 on TI1), counter counting down:
 * CCR2 is the down-counter's value at the edge. */
static void capture_down_counting_from_neighbour_input(void **state)
{
    struct fixture *f = *state;
    sim_t *s = f->sim;
    set_bits(s, RCC_AHB1ENR, 1u << 0);
    set_bits(s, RCC_APB1ENR, 1u << 1);
    drive(f, 0, 6, true);
    pin_af(s, GPIOA, 6, 2);
    fake_write(s, TIM3 + CR1, 1u << 4);
    fake_write(s, TIM3 + PSC, 15);
    fake_write(s, TIM3 + ARR, 999);
    fake_write(s, TIM3 + EGR, 1);
    fake_write(s, TIM3 + SR, 0);
    fake_write(s, TIM3 + CR1, (1u << 4) | 1u);
    fake_write(s, TIM3 + CCMR1, 2u << 8);
    fake_write(s, TIM3 + CCER, CC1E << 4 | CC1P << 4);
    fake_run_for(s, US(300));
    drive(f, 0, 6, false);
    assert_int_equal(fake_read(s, TIM3 + SR) & (CC1IF | CC2IF), CC2IF);
    assert_int_equal(fake_read(s, TIM3 + CCR2), 699u);
}

/* RM0390 7.3.10: a push-pull AF pin whose timer channel is an input is not driven by the chip:
 * its level is the outside's (here the internal pull-down, then a drive high). */
static void input_pin_not_driven(void **state)
{
    struct fixture *f = *state;
    sim_t *s = f->sim;
    set_bits(s, RCC_AHB1ENR, 1u << 0);
    set_bits(s, RCC_APB1ENR, 1u << 0);
    start_1mhz(s, TIM2, 0);
    fake_write(s, GPIOA + 0x0C, (fake_read(s, GPIOA + 0x0C) & ~3u) | 2u); /* PA0 pull-down */
    fake_write(s, GPIOA + 0x20, 1u);                                      /* AF1 */
    fake_write(s, GPIOA + 0x00, (fake_read(s, GPIOA + 0x00) & ~3u) | 2u); /* AF, push-pull */
    assert_int_equal(fake_read(s, GPIOA + 0x10) & 1u, 1u); /* CH1 an output: driven */
    fake_write(s, TIM2 + CCMR1, 1u);                        /* CC1S = 01 */
    assert_int_equal(fake_read(s, GPIOA + 0x10) & 1u, 0u); /* released: pulled down */
    fake_write(s, TIM2 + CCER, CC1E);
    fake_run_for(s, US(5));
    drive(f, 0, 0, true);
    assert_int_equal(fake_read(s, GPIOA + 0x10) & 1u, 1u);
    assert_int_equal(fake_read(s, TIM2 + CCR1), 5u);
    fake_run_for(s, US(5));
    drive(f, 0, 0, false);
    assert_int_equal(fake_read(s, GPIOA + 0x10) & 1u, 0u);
    assert_false(fake_warned(s, "short circuit"));
}

/* A debugger read of CCR1 (GDB `x`, docs/debugging.md) leaves CC1IF and the interrupt as they were;
 * the firmware's read then clears them (RM0390 17.4.5). */
static void debugger_peek_keeps_cc1if(void **state)
{
    struct fixture *f = *state;
    sim_t *s = f->sim;
    setup_pa0_tim2(f, CC1E);
    fake_write(s, TIM2 + DIER, CC1IF);
    fake_run_for(s, US(40));
    drive(f, 0, 0, false);
    drive(f, 0, 0, true); /* rising at 40 us */
    assert_true(fake(s)->irq[28]);
    assert_int_equal(fake_peek(s, TIM2 + CCR1), 40u);
    assert_int_equal(fake_peek(s, TIM2 + SR) & CC1IF, CC1IF);
    assert_true(fake(s)->irq[28]);
    assert_int_equal(fake_read(s, TIM2 + CCR1), 40u);
    assert_int_equal(fake_peek(s, TIM2 + SR) & CC1IF, 0u);
    assert_false(fake(s)->irq[28]);
}

int test_tim_capture_group(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(capture_edges, fixture_setup, fixture_teardown),
        cmocka_unit_test_setup_teardown(overcapture, fixture_setup, fixture_teardown),
        cmocka_unit_test_setup_teardown(prescaler_every_second_edge, fixture_setup, fixture_teardown),
        cmocka_unit_test_setup_teardown(no_capture_without_the_af, fixture_setup, fixture_teardown),
        cmocka_unit_test_setup_teardown(capture_down_counting_from_neighbour_input, fixture_setup,
                                        fixture_teardown),
        cmocka_unit_test_setup_teardown(input_pin_not_driven, fixture_setup, fixture_teardown),
        cmocka_unit_test_setup_teardown(debugger_peek_keeps_cc1if, fixture_setup, fixture_teardown),
    };
    return cmocka_run_group_tests_name("tim_capture", tests, NULL, NULL);
}
