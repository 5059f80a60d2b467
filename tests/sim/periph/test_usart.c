/* USART2 (RM0390 section 25) as the board's console. */
#include "periph_test.h"

#define SR 0x00
#define DR 0x04
#define BRR 0x08
#define CR1 0x0C
#define TXE (1u << 7)
#define TC (1u << 6)
#define RXNE (1u << 5)
#define ORE (1u << 3)
#define IDLE (1u << 4)

static void pa2_pa3_af7(sim_t *s)
{
    set_bits(s, RCC_AHB1ENR, 1u << 0);
    uint32_t moder = fake_read(s, GPIOA) & ~(0xFu << 4);
    fake_write(s, GPIOA, moder | (0xAu << 4));
    fake_write(s, GPIOA + 0x20, 0x7700u);
}

/* 16 MHz / BRR 1600 = 10000 baud: 1 ms per 8N1 character. */
static void usart_on(sim_t *s, uint32_t cr1_extra)
{
    set_bits(s, RCC_APB1ENR, 1u << 17);
    fake_write(s, USART2 + BRR, 1600);
    fake_write(s, USART2 + CR1, (1u << 13) | (1u << 3) | (1u << 2) | cr1_extra);
}

static void transmit_timing_and_console(void **state)
{
    struct fixture *f = *state;
    sim_t *s = f->sim;
    pa2_pa3_af7(s);
    usart_on(s, 1u << 6); /* TCIE */
    assert_int_equal(fake_read(s, USART2 + SR), TXE | TC);
    (void)fake_read(s, USART2 + SR);
    fake_write(s, USART2 + DR, 'h');
    assert_int_equal(fake_read(s, USART2 + SR) & (TXE | TC), TXE); /* shift register took it */
    assert_false(fake(s)->irq[38]);
    fake_write(s, USART2 + DR, 'i');
    assert_int_equal(fake_read(s, USART2 + SR) & TXE, 0u);
    fake_run_for(s, US(999));
    size_t len;
    nucleo_console(f->board, &len);
    assert_int_equal(len, 0u);
    fake_run_for(s, US(1));
    assert_string_equal(nucleo_console(f->board, &len), "h");
    assert_int_equal(fake_read(s, USART2 + SR) & (TXE | TC), TXE);
    fake_run_for(s, MS(1));
    assert_string_equal(nucleo_console(f->board, &len), "hi");
    assert_int_equal(fake_read(s, USART2 + SR) & TC, TC);
    assert_true(fake(s)->irq[38]);
    fake_write(s, USART2 + SR, ~TC);
    assert_false(fake(s)->irq[38]);
}

static void frame_length_from_m_and_stop(void **state)
{
    struct fixture *f = *state;
    sim_t *s = f->sim;
    pa2_pa3_af7(s);
    usart_on(s, 1u << 12);                  /* M: 9 data bits */
    fake_write(s, USART2 + 0x10, 2u << 12); /* 2 stop bits: 12 bits */
    fake_write(s, USART2 + DR, 'x');
    fake_run_for(s, US(1199));
    size_t len;
    nucleo_console(f->board, &len);
    assert_int_equal(len, 0u);
    fake_run_for(s, US(1));
    nucleo_console(f->board, &len);
    assert_int_equal(len, 1u);
}

static void receive_and_overrun(void **state)
{
    struct fixture *f = *state;
    sim_t *s = f->sim;
    pa2_pa3_af7(s);
    usart_on(s, 1u << 5); /* RXNEIE */
    nucleo_console_rx(f->board, (const uint8_t *)"abc", 3);
    fake_run_for(s, MS(1));
    assert_true(fake(s)->irq[38]);
    assert_int_equal(fake_read(s, USART2 + DR), 'a');
    assert_false(fake(s)->irq[38]);
    fake_run_for(s, MS(2)); /* 'b' then 'c' while 'b' is unread */
    uint32_t sr = fake_read(s, USART2 + SR);
    assert_int_equal(sr & (RXNE | ORE), RXNE | ORE);
    assert_int_equal(fake_read(s, USART2 + DR), 'b'); /* SR then DR read clears ORE */
    assert_int_equal(fake_read(s, USART2 + SR) & (RXNE | ORE), 0u);
    fake_run_for(s, MS(1));
    assert_int_not_equal(fake_read(s, USART2 + SR) & IDLE, 0u);
    assert_int_equal(nucleo_chip(f->board)->usart[1].overruns, 1u);
}

static void tx_pin_not_routed(void **state)
{
    struct fixture *f = *state;
    sim_t *s = f->sim;
    usart_on(s, 0);
    fake_write(s, USART2 + DR, 'z');
    fake_run_for(s, MS(2));
    size_t len;
    nucleo_console(f->board, &len);
    assert_int_equal(len, 0u);
    assert_true(fake_warned(s, "TX pin is not in its alternate function"));
}

int test_usart_group(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(transmit_timing_and_console, fixture_setup, fixture_teardown),
        cmocka_unit_test_setup_teardown(frame_length_from_m_and_stop, fixture_setup, fixture_teardown),
        cmocka_unit_test_setup_teardown(receive_and_overrun, fixture_setup, fixture_teardown),
        cmocka_unit_test_setup_teardown(tx_pin_not_routed, fixture_setup, fixture_teardown),
    };
    return cmocka_run_group_tests_name("usart", tests, NULL, NULL);
}
