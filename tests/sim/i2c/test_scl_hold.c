/*
 * SCL held low by a device, in the I2C1 model on the fake core
 * (tests/sim/periph): RM0390 24.6.7 (BUSY set on SCL low, cleared only by a
 * STOP or a reset) and clock synchronization (UM10204 3.1.9: the master's
 * clock waits while SCL is held low, then goes on where it was).
 */
#include "i2c_test.h"

static void held_while_idle_busy_until_reset(void **state)
{
    struct fixture *f = *state;
    sim_t *s = f->sim;
    pins_af4_open_drain(s);
    i2c_on(s);
    nucleo_i2c_stuck_scl(f->board, 1, true);
    assert_int_equal(nucleo_gpio_get(f->board, 'B', 8), 0);
    assert_int_not_equal(fake_read(s, I2C1 + SR2) & BUSY, 0);
    set_bits(s, I2C1 + CR1, START);
    fake_run_for(s, MS(1));
    assert_int_equal(fake_read(s, I2C1 + SR1) & SB, 0);
    nucleo_i2c_stuck_scl(f->board, 1, false);
    assert_int_equal(nucleo_gpio_get(f->board, 'B', 8), 1);
    fake_run_for(s, MS(1));
    /* SCL rising with SDA high is no STOP: still busy, the START still waits. */
    assert_int_not_equal(fake_read(s, I2C1 + SR2) & BUSY, 0);
    assert_int_equal(fake_read(s, I2C1 + SR1) & SB, 0);
    /* SWRST puts the registers, BUSY included, back (24.6.1). */
    fake_write(s, I2C1 + CR1, SWRST);
    fake_write(s, I2C1 + CR1, 0);
    assert_int_equal(fake_read(s, I2C1 + SR2) & BUSY, 0);
    i2c_on(s);
    set_bits(s, I2C1 + CR1, START);
    fake_run_for(s, US(10));
    assert_int_not_equal(fake_read(s, I2C1 + SR1) & SB, 0);
}

static void held_mid_byte_stretches_it(void **state)
{
    struct fixture *f = *state;
    sim_t *s = f->sim;
    pins_af4_open_drain(s);
    i2c_on(s);
    set_bits(s, I2C1 + CR1, START);
    fake_run_for(s, US(10));
    assert_int_not_equal(fake_read(s, I2C1 + SR1) & SB, 0);
    fake_write(s, I2C1 + DR, 0x3Cu << 1); /* the OLED, write */
    fake_run_for(s, US(40));
    nucleo_i2c_stuck_scl(f->board, 1, true);
    fake_run_for(s, MS(1));
    assert_int_equal(fake_read(s, I2C1 + SR1) & ADDR, 0);
    nucleo_i2c_stuck_scl(f->board, 1, false);
    fake_run_for(s, US(49));
    assert_int_equal(fake_read(s, I2C1 + SR1) & ADDR, 0);
    fake_run_for(s, US(2)); /* the 50 us the byte had left */
    assert_int_not_equal(fake_read(s, I2C1 + SR1) & ADDR, 0);
}

/* Armed fault: the hold starts when the given byte ends. */
static void hold_after_bytes(void **state)
{
    struct fixture *f = *state;
    sim_t *s = f->sim;
    pins_af4_open_drain(s);
    i2c_on(s);
    nucleo_i2c_hold_scl_after(f->board, 1, 1, MS(1));
    set_bits(s, I2C1 + CR1, START);
    fake_run_for(s, US(10));
    fake_write(s, I2C1 + DR, 0x3Cu << 1);
    fake_run_for(s, US(91));
    assert_int_equal(nucleo_gpio_get(f->board, 'B', 8), 0);
    fake_run_for(s, MS(1));
    assert_int_equal(nucleo_gpio_get(f->board, 'B', 8), 1);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(held_while_idle_busy_until_reset, fixture_setup, fixture_teardown),
        cmocka_unit_test_setup_teardown(held_mid_byte_stretches_it, fixture_setup, fixture_teardown),
        cmocka_unit_test_setup_teardown(hold_after_bytes, fixture_setup, fixture_teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
