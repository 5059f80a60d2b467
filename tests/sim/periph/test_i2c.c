/* I2C1 master (RM0390 section 24) talking to the board's SSD1306 at 0x3C. */
#include "i2c_test.h"

static uint64_t wait_sr1(sim_t *s, uint32_t bits, unsigned max_us)
{
    uint64_t t0 = sim_now_ps(s);
    for (unsigned k = 0; k < max_us; k++) {
        if (fake_read(s, I2C1 + SR1) & bits)
            return (sim_now_ps(s) - t0) / SIM_PS_PER_US;
        fake_run_for(s, US(1));
    }
    fail_msg("SR1 bits 0x%x not set within %u us", bits, max_us);
    return 0;
}

static void start_and_address(sim_t *s, uint8_t addr_byte)
{
    set_bits(s, I2C1 + CR1, START);
    assert_int_equal(wait_sr1(s, SB, 50), 10);
    fake_write(s, I2C1 + DR, addr_byte); /* SR1 was read by wait_sr1 */
}

static void write_transaction(void **state)
{
    struct fixture *f = *state;
    sim_t *s = f->sim;
    pins_af4_open_drain(s);
    i2c_on(s);
    start_and_address(s, 0x78);
    assert_int_equal(wait_sr1(s, ADDR | AF, 200), 90);
    assert_int_equal(fake_read(s, I2C1 + SR1) & (ADDR | TXE), ADDR | TXE);
    uint32_t sr2 = fake_read(s, I2C1 + SR2); /* clears ADDR */
    assert_int_equal(sr2 & 7u, 7u);           /* MSL, BUSY, TRA */
    assert_int_equal(fake_read(s, I2C1 + SR1) & ADDR, 0);
    fake_write(s, I2C1 + DR, 0x00); /* into the shift register at once: TXE stays 1 */
    assert_int_not_equal(fake_read(s, I2C1 + SR1) & TXE, 0);
    fake_write(s, I2C1 + DR, 0x8D);
    assert_int_equal(fake_read(s, I2C1 + SR1) & TXE, 0);
    fake_write(s, I2C1 + DR, 0x14); /* TXE=0: lost */
    assert_true(fake_warned(s, "DR written while TXE=0"));
    assert_int_equal(wait_sr1(s, TXE, 200), 90);
    fake_write(s, I2C1 + DR, 0x14);
    assert_int_equal(wait_sr1(s, TXE, 200), 90);
    fake_write(s, I2C1 + DR, 0xAF);
    assert_int_equal(wait_sr1(s, BTF, 400), 180);
    set_bits(s, I2C1 + CR1, STOP);
    fake_run_for(s, US(10));
    assert_int_equal(fake_read(s, I2C1 + SR2) & 3u, 0u);
    assert_int_equal(fake_read(s, I2C1 + CR1) & STOP, 0u);
    assert_true(nucleo_oled_display_on(f->board));
    const struct i2c *i = &nucleo_chip(f->board)->i2c[0];
    assert_int_equal(i->transactions, 1u);
    assert_int_equal(i->bytes, 4u);
    assert_int_equal(i->nacks, 0u);
    assert_int_equal(i->busy_ps, US(10 + 90 * 5 + 10));
}

static void nack_and_error_irq(void **state)
{
    struct fixture *f = *state;
    sim_t *s = f->sim;
    pins_af4_open_drain(s);
    i2c_on(s);
    fake_write(s, I2C1 + CR2, 16u | (1u << 8) | (1u << 9)); /* ITERREN, ITEVTEN */
    set_bits(s, I2C1 + CR1, START);
    fake_run_for(s, US(10));
    assert_true(fake(s)->irq[31]); /* SB: event interrupt */
    (void)fake_read(s, I2C1 + SR1);
    fake_write(s, I2C1 + DR, 0x7A); /* 0x3D: nobody */
    assert_false(fake(s)->irq[31]);
    fake_run_for(s, US(90));
    assert_int_not_equal(fake_read(s, I2C1 + SR1) & AF, 0);
    assert_true(fake(s)->irq[32]);
    set_bits(s, I2C1 + CR1, STOP);
    fake_write(s, I2C1 + SR1, ~AF);
    assert_false(fake(s)->irq[32]);
    fake_run_for(s, US(10));
    assert_int_equal(fake_read(s, I2C1 + SR2) & BUSY, 0u);
    assert_int_equal(nucleo_chip(f->board)->i2c[0].nacks, 1u);
}

static void pins_not_routed(void **state)
{
    struct fixture *f = *state;
    sim_t *s = f->sim;
    set_bits(s, RCC_AHB1ENR, 1u << 1); /* PB8/PB9 left as inputs */
    i2c_on(s);
    start_and_address(s, 0x78);
    wait_sr1(s, ADDR | AF, 200);
    assert_int_not_equal(fake_read(s, I2C1 + SR1) & AF, 0);
    assert_true(fake_warned(s, "not in alternate function open-drain"));
}

static void read_one_byte(void **state)
{
    struct fixture *f = *state;
    sim_t *s = f->sim;
    pins_af4_open_drain(s);
    i2c_on(s);
    start_and_address(s, 0x79);
    wait_sr1(s, ADDR, 200);
    fake_write(s, I2C1 + CR1, 1); /* ACK=0 before clearing ADDR (N=1) */
    (void)fake_read(s, I2C1 + SR2);
    set_bits(s, I2C1 + CR1, STOP);
    assert_int_equal(wait_sr1(s, RXNE, 200), 90);
    assert_int_equal(fake_read(s, I2C1 + DR), 0x40u); /* SSD1306 status: display off */
    fake_run_for(s, US(10));
    assert_int_equal(fake_read(s, I2C1 + SR2) & 3u, 0u);
    assert_false(fake_warned(s, "after it sent NACK"));
}

static void read_two_bytes_pos(void **state)
{
    struct fixture *f = *state;
    sim_t *s = f->sim;
    pins_af4_open_drain(s);
    i2c_on(s);
    fake_write(s, I2C1 + CR1, 1u | ACK | POS);
    start_and_address(s, 0x79);
    wait_sr1(s, ADDR, 200);
    (void)fake_read(s, I2C1 + SR2);
    fake_write(s, I2C1 + CR1, 1u | POS); /* ACK=0: NACK goes to the second byte */
    assert_int_equal(wait_sr1(s, BTF, 400), 180);
    set_bits(s, I2C1 + CR1, STOP);
    assert_int_equal(fake_read(s, I2C1 + DR), 0x40u);
    assert_int_not_equal(fake_read(s, I2C1 + SR1) & RXNE, 0); /* second byte moved into DR */
    assert_int_equal(fake_read(s, I2C1 + DR), 0x40u);
    assert_int_equal(fake_read(s, I2C1 + SR1) & RXNE, 0);
    fake_run_for(s, US(10));
    assert_int_equal(fake_read(s, I2C1 + SR2) & 3u, 0u);
    assert_false(fake_warned(s, "after it sent NACK"));
}

static void stuck_sda_blocks_start(void **state)
{
    struct fixture *f = *state;
    sim_t *s = f->sim;
    pins_af4_open_drain(s);
    i2c_on(s);
    nucleo_i2c_stuck_sda(f->board, 1, true);
    assert_int_equal(nucleo_gpio_get(f->board, 'B', 9), 0);
    assert_int_not_equal(fake_read(s, I2C1 + SR2) & BUSY, 0);
    set_bits(s, I2C1 + CR1, START);
    fake_run_for(s, MS(1));
    assert_int_equal(fake_read(s, I2C1 + SR1) & SB, 0);
    assert_true(fake_warned(s, "bus is busy"));
    nucleo_i2c_stuck_sda(f->board, 1, false);
    assert_int_equal(nucleo_gpio_get(f->board, 'B', 9), 1);
    fake_run_for(s, US(10));
    assert_int_not_equal(fake_read(s, I2C1 + SR1) & SB, 0);
}

int test_i2c_group(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(write_transaction, fixture_setup, fixture_teardown),
        cmocka_unit_test_setup_teardown(nack_and_error_irq, fixture_setup, fixture_teardown),
        cmocka_unit_test_setup_teardown(pins_not_routed, fixture_setup, fixture_teardown),
        cmocka_unit_test_setup_teardown(read_one_byte, fixture_setup, fixture_teardown),
        cmocka_unit_test_setup_teardown(read_two_bytes_pos, fixture_setup, fixture_teardown),
        cmocka_unit_test_setup_teardown(stuck_sda_blocks_start, fixture_setup, fixture_teardown),
    };
    return cmocka_run_group_tests_name("i2c", tests, NULL, NULL);
}
