/*
 * The BME280 model's interfaces (sim/board/bme280.c), through its I2C and
 * SPI device callbacks: I2C write pairs and burst reads with the 8-bit
 * wrap, SPI's RW bit, auto-increment and 7-bit wrap, mode by CPOL, data
 * shadowing during a burst, unplugging.
 */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "bme280_fixture.h"

/* 6.2.1: I2C writes are pairs, not auto-incremented. */
static void i2c_write_pairs(void **state)
{
    (void)state;
    assert_true(address(false));
    put(CTRL_HUM);
    put(0x03);
    put(CONFIG);
    put(0xA8);
    put(0xE0); /* a register address again: 0x77 below is not data for 0xE1.. */
    stop();
    assert_int_equal(rd1(CTRL_HUM), 0x03);
    assert_int_equal(rd1(CONFIG), 0xA8);
    assert_int_equal(fx.d.soft_resets, 0);
}

/* 6.2.2: a read continues from the address written, the 8-bit counter wraps from 0xFF to 0x00. */
static void i2c_burst_and_wrap(void **state)
{
    (void)state;
    uint8_t buf[4];
    rd(0xD0, buf, 1);
    assert_int_equal(buf[0], 0x60);
    rd(0xFD, buf, 4); /* hum_msb, hum_lsb, 0xFF, 0x00 */
    assert_int_equal(buf[0], 0x80);
    assert_int_equal(fx.d.addr, 0x01);
    /* the calibration block in one burst is the same as byte by byte */
    uint8_t burst[26];
    rd(0x88, burst, sizeof burst);
    for (unsigned k = 0; k < sizeof burst; k++)
        assert_int_equal(burst[k], rd1((uint8_t)(0x88 + k)));
}

/* 6.3: bit 7 of the control byte is RW; reads auto-increment and wrap from 0xFF to 0x80. */
static void spi_read_write_and_wrap(void **state)
{
    (void)state;
    spi_select();
    assert_int_equal(spi(0x75), 0xFF); /* write config (0xF5 as 0x75); SDO tri-state, high */
    spi(0xA0);
    spi(0x72); /* and ctrl_hum in the same transaction, as a second pair */
    spi(0x02);
    spi_deselect();
    assert_int_equal(fx.d.config, 0xA0);
    assert_int_equal(fx.d.ctrl_hum, 0x02);
    spi_select();
    spi(0xD0);
    assert_int_equal(spi(0x00), 0x60);
    spi_deselect();
    spi_select();
    spi(0xFE); /* hum_lsb, 0xFF, then 0x80.., so the 11th byte is 0x88: dig_T1 LSB */
    uint8_t got[12];
    for (int k = 0; k < 12; k++)
        got[k] = spi(0x00);
    spi_deselect();
    assert_int_equal(got[10], (uint8_t)bme280_model_calib.T1);
    assert_int_equal(got[11], (uint8_t)(bme280_model_calib.T1 >> 8));
    /* 16-bit frames: two bytes, the first on the wire first */
    spi_select();
    assert_int_equal(fx.d.spi.ops->exchange(fx.d.spi.dev, 0xD000, 16), 0xFF60);
    spi_deselect();
}

/* 6.3: mode 00 or 11 by SCK's level when CSB falls (the master's CPOL). */
static void spi_mode_follows_cpol(void **state)
{
    (void)state;
    fx.cr1 = 0x3; /* CPOL=1, CPHA=1 */
    spi_select();
    assert_int_equal(fx.d.spi.mode, 3);
    spi_deselect();
    fx.cr1 = 0x0;
    spi_select();
    assert_int_equal(fx.d.spi.mode, 0);
    spi_deselect();
}

/* 4.1: a conversion that ends during a burst read reaches the data registers after it. */
static void shadowing_during_a_burst(void **state)
{
    (void)state;
    air(0, 1, 20000, 0, 0);
    wr(CTRL_MEAS, OSRS(1, 1, FORCED));
    fake_run_for(fx.s, 10 * MS);
    uint8_t first[8], mixed[8];
    rd(DATA, first, sizeof first);
    air(sim_now_ps(fx.s), 1, 30000, 0, 0);
    wr(CTRL_MEAS, OSRS(1, 1, FORCED));
    assert_true(address(false));
    put(DATA);
    stop();
    assert_true(address(true));
    for (int k = 0; k < 3; k++)
        mixed[k] = get();
    fake_run_for(fx.s, 10 * MS); /* the conversion ends in the middle of the burst */
    assert_int_equal(fx.d.conversions, 2);
    for (int k = 3; k < 8; k++)
        mixed[k] = get();
    stop();
    assert_memory_equal(mixed, first, sizeof first);
    assert_true(read_data().t > 29.99);
}

/* Unplugged: no ACK on I2C, MISO high on SPI; plugged in again: a power-on reset. */
static void detach_and_attach(void **state)
{
    (void)state;
    fake_run_until(fx.s, 5 * MS);
    wr(CTRL_MEAS, OSRS(1, 1, NORMAL));
    /* unplugged in the middle of a read: the bytes after it are the bus's pull-up */
    assert_true(address(false));
    put(0xD0);
    stop();
    assert_true(address(true));
    bme280_set_attached(&fx.d, false);
    assert_int_equal(get(), 0xFF);
    assert_false(fx.d.i2c.ops->write(fx.d.i2c.dev, 0xF4));
    stop();
    assert_false(address(false));
    assert_false(address(true));
    spi_select();
    assert_int_equal(spi(0xD0), 0xFF);
    assert_int_equal(spi(0x00), 0xFF);
    spi_deselect();
    uint64_t n = fx.d.conversions;
    fake_run_for(fx.s, 100 * MS);
    assert_int_equal(fx.d.conversions, n);
    bme280_set_attached(&fx.d, true);
    assert_true(address(false));
    stop();
    assert_int_equal(rd1(CTRL_MEAS), 0x00);
    assert_int_equal(rd1(STATUS), 0x01);
    assert_int_equal(rd1(0xD0), 0x60);
}

int bme280_bus_tests(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(i2c_write_pairs, setup, teardown),
        cmocka_unit_test_setup_teardown(i2c_burst_and_wrap, setup, teardown),
        cmocka_unit_test_setup_teardown(spi_read_write_and_wrap, setup, teardown),
        cmocka_unit_test_setup_teardown(spi_mode_follows_cpol, setup, teardown),
        cmocka_unit_test_setup_teardown(shadowing_during_a_burst, setup, teardown),
        cmocka_unit_test_setup_teardown(detach_and_attach, setup, teardown),
    };
    return cmocka_run_group_tests_name("sim_bme280_bus", tests, NULL, NULL);
}
