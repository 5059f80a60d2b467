/* GPIO, SYSCFG, EXTI (RM0390 sections 7, 8, 10) and the board's B1/LD2. */
#include "periph_test.h"

static void enable_ports(sim_t *s) { set_bits(s, RCC_AHB1ENR, 0xFFu); }

static void reset_values(void **state)
{
    struct fixture *f = *state;
    enable_ports(f->sim);
    assert_int_equal(fake_read(f->sim, GPIOA + 0x00), 0xA8000000u);
    assert_int_equal(fake_read(f->sim, GPIOA + 0x08), 0x0C000000u); /* RM0390 7.4.3, not the SVD's 0 */
    assert_int_equal(fake_read(f->sim, GPIOA + 0x0C), 0x64000000u);
    assert_int_equal(fake_read(f->sim, GPIOB + 0x00), 0x00000280u);
    assert_int_equal(fake_read(f->sim, GPIOB + 0x08), 0x000000C0u);
    assert_int_equal(fake_read(f->sim, GPIOB + 0x0C), 0x00000100u);
    assert_int_equal(fake_read(f->sim, GPIOC + 0x00), 0u);
}

static void led_push_pull_and_bsrr(void **state)
{
    struct fixture *f = *state;
    sim_t *s = f->sim;
    enable_ports(s);
    fake_write(s, GPIOA + 0x00, (fake_read(s, GPIOA) & ~(3u << 10)) | (1u << 10)); /* PA5 output */
    assert_false(nucleo_led(f->board));
    fake_write(s, GPIOA + 0x18, 1u << 5);
    assert_true(nucleo_led(f->board));
    assert_int_not_equal(fake_read(s, GPIOA + 0x10) & (1u << 5), 0);
    fake_write(s, GPIOA + 0x18, (1u << 21) | (1u << 5)); /* BS wins over BR */
    assert_true(nucleo_led(f->board));
    fake_write(s, GPIOA + 0x18, 1u << 21);
    assert_false(nucleo_led(f->board));
    fake_write_sized(s, GPIOA + 0x1A, 0, 2); /* half-word write to BR: no change */
    fake_write_sized(s, GPIOA + 0x18, 1u << 5, 2);
    assert_true(nucleo_led(f->board));
    /* open-drain: ODR=1 releases the pin; nothing pulls PA5 up, the internal pull-up does */
    set_bits(s, GPIOA + 0x04, 1u << 5);
    assert_false(nucleo_led(f->board));
    set_bits(s, GPIOA + 0x0C, 1u << 10);
    assert_true(nucleo_led(f->board));
}

static void button_pull_up_and_exti(void **state)
{
    struct fixture *f = *state;
    sim_t *s = f->sim;
    enable_ports(s);
    set_bits(s, RCC_APB2ENR, 1u << 14); /* SYSCFG */
    assert_int_equal(nucleo_gpio_get(f->board, 'C', 13), 1); /* board pull-up */
    fake_write(s, SYSCFG + 0x14, 2u << 4); /* EXTICR4: EXTI13 = PC13 */
    fake_write(s, EXTI + 0x0C, 1u << 13);  /* falling */
    nucleo_button_set(f->board, true);     /* masked: no pending bit */
    assert_int_equal(fake_read(s, EXTI + 0x14), 0u);
    nucleo_button_set(f->board, false);
    fake_write(s, EXTI + 0x00, 1u << 13);
    nucleo_button_set(f->board, true);
    assert_int_equal(nucleo_gpio_get(f->board, 'C', 13), 0);
    assert_int_equal(fake_read(s, EXTI + 0x14), 1u << 13);
    assert_true(fake(s)->irq[40]); /* EXTI15_10 */
    nucleo_button_set(f->board, false); /* rising edge: not selected */
    fake_write(s, EXTI + 0x14, 1u << 13);
    assert_false(fake(s)->irq[40]);
    /* a pin on another port does not reach line 13 */
    fake_write(s, SYSCFG + 0x14, 0u);
    nucleo_button_set(f->board, true);
    assert_int_equal(fake_read(s, EXTI + 0x14), 0u);
}

static void bounce_edges(void **state)
{
    struct fixture *f = *state;
    sim_t *s = f->sim;
    enable_ports(s);
    set_bits(s, RCC_APB2ENR, 1u << 14);
    fake_write(s, SYSCFG + 0x14, 2u << 4);
    fake_write(s, EXTI + 0x0C, 1u << 13);
    fake_write(s, EXTI + 0x00, 1u << 13);
    nucleo_set_bounce(f->board, 3, MS(2)); /* rounded to 4 chatter edges */
    unsigned before = fake(s)->irq_rises[40];
    nucleo_button_set(f->board, true);
    for (int k = 0; k < 4; k++) {
        fake_write(s, EXTI + 0x14, 1u << 13);
        fake_run_for(s, US(500));
    }
    assert_int_equal(nucleo_gpio_get(f->board, 'C', 13), 0); /* settled pressed */
    assert_int_equal(fake(s)->irq_rises[40] - before, 3u);          /* 3 falling edges: 1 + 2 chatter */
}

static void swier_sets_pending_only_when_unmasked(void **state)
{
    struct fixture *f = *state;
    sim_t *s = f->sim;
    fake_write(s, EXTI + 0x10, 1u << 0);
    assert_int_equal(fake_read(s, EXTI + 0x14), 0u);
    assert_false(fake(s)->irq[6]);
    fake_write(s, EXTI + 0x10, 0);
    fake_write(s, EXTI + 0x00, 1u << 0);
    fake_write(s, EXTI + 0x10, 0); /* SWIER still 1 internally: needs a 0->1 write */
    fake_write(s, EXTI + 0x14, 1u << 0);
    fake_write(s, EXTI + 0x10, 1u << 0);
    assert_int_equal(fake_read(s, EXTI + 0x14), 1u << 0);
    assert_true(fake(s)->irq[6]);
    fake_write(s, EXTI + 0x14, 1u << 0); /* rc_w1 clears PR and SWIER */
    assert_int_equal(fake_read(s, EXTI + 0x10), 0u);
    assert_false(fake(s)->irq[6]);
}

/* RM0390 10.2.3, figure 29: with EMR set, a selected edge or a SWIER write
 * pulses the core's event input (WFE wake-up) and sets no pending bit. */
static void event_lines_pulse_the_core(void **state)
{
    struct fixture *f = *state;
    sim_t *s = f->sim;
    enable_ports(s);
    set_bits(s, RCC_APB2ENR, 1u << 14);
    fake_write(s, SYSCFG + 0x14, 2u << 4); /* EXTICR4: EXTI13 = PC13 */
    fake_write(s, EXTI + 0x0C, 1u << 13);  /* falling */
    fake_write(s, EXTI + 0x04, 1u << 13);  /* EMR13, IMR13 clear */
    nucleo_button_set(f->board, true);
    assert_int_equal(fake(s)->cpu_events, 1u);
    assert_int_equal(fake_read(s, EXTI + 0x14), 0u);
    assert_false(fake(s)->irq[40]);
    nucleo_button_set(f->board, false); /* rising edge: not selected */
    assert_int_equal(fake(s)->cpu_events, 1u);
    fake_write(s, EXTI + 0x04, 0u);     /* event masked */
    nucleo_button_set(f->board, true);
    assert_int_equal(fake(s)->cpu_events, 1u);
    fake_write(s, EXTI + 0x04, 1u << 0); /* software event on line 0 */
    fake_write(s, EXTI + 0x10, 1u << 0);
    assert_int_equal(fake(s)->cpu_events, 2u);
    assert_int_equal(fake_read(s, EXTI + 0x14), 0u);
}

static void lock_sequence(void **state)
{
    struct fixture *f = *state;
    sim_t *s = f->sim;
    enable_ports(s);
    uint32_t key = (1u << 16) | (1u << 5);
    fake_write(s, GPIOA + 0x1C, key);
    fake_write(s, GPIOA + 0x1C, 1u << 5);
    fake_write(s, GPIOA + 0x1C, key);
    (void)fake_read(s, GPIOA + 0x1C);
    assert_int_equal(fake_read(s, GPIOA + 0x1C), key); /* LCKK reads 1: locked */
    fake_write(s, GPIOA + 0x00, 0xFFFFFFFFu);
    assert_int_equal(fake_read(s, GPIOA + 0x00), 0xFFFFF3FFu); /* MODER5 kept */
    /* a wrong sequence does not lock */
    fake_write(s, GPIOB + 0x1C, key);
    fake_write(s, GPIOB + 0x1C, key);
    fake_write(s, GPIOB + 0x1C, 1u << 6);
    fake_write(s, GPIOB + 0x1C, key);
    assert_int_equal(fake_read(s, GPIOB + 0x1C) & (1u << 16), 0u);
}

int test_gpio_group(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(reset_values, fixture_setup, fixture_teardown),
        cmocka_unit_test_setup_teardown(led_push_pull_and_bsrr, fixture_setup, fixture_teardown),
        cmocka_unit_test_setup_teardown(button_pull_up_and_exti, fixture_setup, fixture_teardown),
        cmocka_unit_test_setup_teardown(bounce_edges, fixture_setup, fixture_teardown),
        cmocka_unit_test_setup_teardown(swier_sets_pending_only_when_unmasked, fixture_setup, fixture_teardown),
        cmocka_unit_test_setup_teardown(event_lines_pulse_the_core, fixture_setup, fixture_teardown),
        cmocka_unit_test_setup_teardown(lock_sequence, fixture_setup, fixture_teardown),
    };
    return cmocka_run_group_tests_name("gpio_exti", tests, NULL, NULL);
}
