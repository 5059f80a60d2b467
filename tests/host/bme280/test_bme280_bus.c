/*
 * BME280 driver sequencing (drivers/bme280/bme280.c, bme280_io.c) against a
 * fake chip (fake_bme280.c) on a fake I2C bus and a fake SPI device: init,
 * chip ID errors, the register order, one burst read per sample, the waits
 * computed from the oversampling and bounded, bus errors, and recovery when
 * the sensor comes back.
 */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "bme280/bme280.h"
#include "fake_bme280.h"

/* pimoroni/bme280-python tests/calibration.py as register bytes (see
 * test_bme280_compensate.c), and its raw values */
static const uint8_t calib_a[26] = {
    0x69, 0x6D, 0x36, 0x64, 0x32, 0x00, 0xE9, 0x98, 0x02, 0xD6, 0xD0, 0x0B, 0x23, 0x16,
    0x88, 0xFF, 0xF9, 0xFF, 0x8C, 0x3C, 0xF8, 0xC6, 0x70, 0x17, 0x00, 0x4B,
};
static const uint8_t calib_b[7] = { 0x78, 0x01, 0x00, 0x11, 0x2E, 0x03, 0x1E };
#define RAW_T 529191
#define RAW_P 326816
#define RAW_H 30281

#define FORCED_X1 { BME280_OS_X1, BME280_OS_X1, BME280_OS_X1, BME280_FILTER_OFF, BME280_STANDBY_0_5_MS, BME280_MODE_FORCED }

static const struct bme280_config i2c_cfg = {
    .io = &bme280_io_i2c, .i2c = &fake_i2c, .i2c_addr = BME280_I2C_ADDR_PRIMARY, .settings = FORCED_X1,
};
static const struct bme280_config spi_cfg = {
    .io = &bme280_io_spi, .spi = &fake_spi_dev, .settings = FORCED_X1,
};

static struct bme280 dev;

static int setup(void **state)
{
    (void)state;
    fake_bme280_power_on(calib_a, calib_b);
    fake_bme280_set_result(RAW_T, RAW_P, RAW_H);
    return 0;
}

static size_t reads_of(uint8_t reg)
{
    size_t n = 0;
    for (size_t i = 0; i < fake.nrd; i++)
        n += fake.rd_reg[i] == reg;
    return n;
}

/* The pimoroni values, as test_bme280_compensate.c checks them. */
static void expect_pimoroni(struct sensor *s)
{
    int32_t v;
    assert_int_equal(sensor_channel_get(s, SENSOR_CHAN_AMBIENT_TEMP_MILLI_C, &v), 0);
    assert_in_range(v, 24780, 24790);
    assert_int_equal(sensor_channel_get(s, SENSOR_CHAN_PRESS_PA, &v), 0);
    assert_in_range(v, 100661, 100662);
    assert_int_equal(sensor_channel_get(s, SENSOR_CHAN_PRESS_MILLI_PA, &v), 0);
    assert_in_range(v, 100660517, 100662517);
    assert_int_equal(sensor_channel_get(s, SENSOR_CHAN_HUMIDITY_MILLI_PCT, &v), 0);
    assert_in_range(v, 68620, 68720);
}

static void i2c_init_sequence(void **state)
{
    (void)state;
    bme280_setup(&dev, &i2c_cfg);
    assert_int_equal(fake.transfers, 0); /* setup: no bus traffic */
    assert_int_equal(bme280_init(&dev), 0);
    /* chip ID first, then the reset, then status until im_update is 0 */
    assert_int_equal(fake.rd_reg[0], BME280_REG_ID);
    assert_int_equal(fake.wr_reg[0], BME280_REG_RESET);
    assert_int_equal(fake.wr_val[0], BME280_RESET_WORD);
    assert_int_equal(fake.rd_reg[1], BME280_REG_STATUS);
    assert_true(fake.delayed_us >= 2000); /* start-up time after the reset */
    assert_int_equal(reads_of(BME280_REG_CALIB00), 1);
    assert_int_equal(reads_of(BME280_REG_CALIB26), 1);
    assert_int_equal(dev.calib.h4, 286);
    assert_int_equal(dev.calib.p1, 39145);
    /* ctrl_hum before the ctrl_meas write that latches it; config set */
    int hum = fake_bme280_last_write(BME280_REG_CTRL_HUM), meas = fake_bme280_last_write(BME280_REG_CTRL_MEAS);
    assert_true(hum >= 0 && meas > hum);
    assert_int_equal(fake.ctrl_hum_latched, BME280_OS_X1);
    assert_int_equal(fake.regs[BME280_REG_CTRL_MEAS], (1 << 5) | (1 << 2)); /* x1, x1, sleep */
    assert_int_equal(fake.conversions, 0);
}

static void i2c_sample(void **state)
{
    (void)state;
    bme280_setup(&dev, &i2c_cfg);
    /* the first fetch finds the chip on its own */
    assert_int_equal(sensor_sample_fetch(&dev.sensor), 0);
    assert_int_equal(fake.conversions, 1);
    /* one burst read of 0xF7..0xFE */
    assert_int_equal(reads_of(BME280_REG_PRESS_MSB), 1);
    assert_int_equal(fake.rd_len[fake.nrd - 1], 8);
    assert_int_equal(fake.rd_reg[fake.nrd - 1], BME280_REG_PRESS_MSB);
    expect_pimoroni(&dev.sensor);
    /* a second sample: no init again, one forced start */
    size_t writes = fake.nwr;
    fake_bme280_set_result(RAW_T, RAW_P, RAW_H - 3000);
    assert_int_equal(sensor_sample_fetch(&dev.sensor), 0);
    assert_int_equal(fake.nwr, writes + 1);
    assert_int_equal(fake.wr_val[writes] & 3u, BME280_MODE_FORCED);
    assert_int_equal(fake.conversions, 2);
    int32_t h;
    assert_int_equal(sensor_channel_get(&dev.sensor, SENSOR_CHAN_HUMIDITY_MILLI_PCT, &h), 0);
    assert_true(h < 68620); /* the new sample, not the old one */
    assert_int_equal(sensor_channel_get(&dev.sensor, SENSOR_CHAN_DIE_TEMP_MILLI_C, &h), -ENOTSUP);
}

/* The wait is the datasheet's time for the oversampling, not a constant. */
static void wait_follows_oversampling(void **state)
{
    (void)state;
    bme280_setup(&dev, &i2c_cfg);
    assert_int_equal(bme280_init(&dev), 0);
    uint64_t t0 = fake.delayed_us;
    assert_int_equal(bme280_sample_fetch(&dev), 0);
    uint64_t x1 = fake.delayed_us - t0;
    assert_in_range(x1, 8000, 9300 + 500); /* typ 8 ms, max 9.3 ms */

    struct bme280_settings s = dev.settings;
    s.osrs_t = s.osrs_p = s.osrs_h = BME280_OS_X16;
    assert_int_equal(bme280_configure(&dev, &s), 0);
    fake.conversion_us = 98000; /* typ 98 ms, max 112.8 ms */
    t0 = fake.delayed_us;
    assert_int_equal(bme280_sample_fetch(&dev), 0);
    uint64_t x16 = fake.delayed_us - t0;
    assert_in_range(x16, 98000, 112800 + 500);
    assert_int_equal(fake.ctrl_hum_latched, BME280_OS_X16);
    /* a slow part: the read polls status.measuring past the computed time */
    fake.conversion_us = 120000;
    assert_int_equal(bme280_sample_fetch(&dev), 0);
    assert_int_equal(fake.conversions, 3);
}

static void chip_id_errors(void **state)
{
    (void)state;
    bme280_setup(&dev, &i2c_cfg);
    fake.id = 0x58; /* BMP280 */
    assert_int_equal(bme280_init(&dev), -ENOTSUP);
    fake.id = 0x56;
    assert_int_equal(bme280_init(&dev), -ENOTSUP);
    fake.id = 0x61;
    assert_int_equal(bme280_init(&dev), -ENODEV);
    fake.id = 0x55;
    assert_int_equal(sensor_sample_fetch(&dev.sensor), -ENODEV);
    assert_int_equal(fake.nwr, 0); /* never reset or configured a foreign chip */
    int32_t v;
    assert_int_equal(sensor_channel_get(&dev.sensor, SENSOR_CHAN_AMBIENT_TEMP_MILLI_C, &v), -ENODATA);
    fake.id = 0x60;
    assert_int_equal(sensor_sample_fetch(&dev.sensor), 0);
}

static void bus_errors(void **state)
{
    (void)state;
    bme280_setup(&dev, &i2c_cfg);
    fake.detached = true;
    assert_int_equal(bme280_init(&dev), -ENXIO);
    assert_int_equal(sensor_sample_fetch(&dev.sensor), -ENXIO);
    assert_int_equal(bme280_read(&dev), -ENXIO); /* never found: no read */
    fake.detached = false;
    fake.fail_data = 1; /* the ID read's data NACKed */
    assert_int_equal(bme280_init(&dev), -EIO);
    assert_int_equal(bme280_init(&dev), 0);
    fake.fail_data = 1; /* the forced start fails */
    assert_int_equal(bme280_sample_fetch(&dev), -EIO);
    assert_false(dev.ready);
    assert_int_equal(bme280_sample_fetch(&dev), 0);
    expect_pimoroni(&dev.sensor);
}

static void bounded_waits(void **state)
{
    (void)state;
    bme280_setup(&dev, &i2c_cfg);
    fake.stuck_im_update = true;
    assert_int_equal(bme280_init(&dev), -ETIMEDOUT);
    assert_true(reads_of(BME280_REG_STATUS) <= 11);
    assert_true(fake.delayed_us <= 20000);
    fake.stuck_im_update = false;
    assert_int_equal(bme280_init(&dev), 0);
    fake.stuck_measuring = true;
    uint64_t t0 = fake.delayed_us;
    assert_int_equal(bme280_sample_fetch(&dev), -ETIMEDOUT);
    assert_true(fake.delayed_us - t0 <= 3 * 9300);
    int32_t v;
    assert_int_equal(sensor_channel_get(&dev.sensor, SENSOR_CHAN_PRESS_PA, &v), -ENODATA);
    fake.stuck_measuring = false;
    assert_int_equal(bme280_sample_fetch(&dev), 0); /* initialised again, then sampled */
    expect_pimoroni(&dev.sensor);
}

/* Unplugged and plugged in again: the chip comes back reset (power cycle),
 * its settings lost; the driver finds and configures it again. */
static void recovery(void **state)
{
    (void)state;
    bme280_setup(&dev, &i2c_cfg);
    assert_int_equal(sensor_sample_fetch(&dev.sensor), 0);
    fake.detached = true;
    for (int i = 0; i < 3; i++)
        assert_int_equal(sensor_sample_fetch(&dev.sensor), -ENXIO);
    int32_t v;
    assert_int_equal(sensor_channel_get(&dev.sensor, SENSOR_CHAN_AMBIENT_TEMP_MILLI_C, &v), -ENODATA);
    fake_bme280_power_on(calib_a, calib_b);
    fake_bme280_set_result(RAW_T, RAW_P, RAW_H);
    assert_int_equal(sensor_sample_fetch(&dev.sensor), 0);
    assert_int_equal(fake.wr_reg[0], BME280_REG_RESET);
    assert_int_equal(fake.ctrl_hum_latched, BME280_OS_X1);
    expect_pimoroni(&dev.sensor);
}

/* A reset the bus never shows (a brown-out): ctrl_hum is back at 0 while
 * the chip still answers, so the humidity reads as skipped. The driver
 * takes that as a lost configuration and sets the chip up again. */
static void silent_reset(void **state)
{
    (void)state;
    bme280_setup(&dev, &i2c_cfg);
    assert_int_equal(sensor_sample_fetch(&dev.sensor), 0);
    fake.regs[BME280_REG_CTRL_HUM] = 0; /* the registers' reset values (5.3) */
    fake.ctrl_hum_latched = 0;
    fake.regs[BME280_REG_CTRL_MEAS] = 0;
    assert_int_equal(sensor_sample_fetch(&dev.sensor), -EIO);
    int32_t v;
    assert_int_equal(sensor_channel_get(&dev.sensor, SENSOR_CHAN_HUMIDITY_MILLI_PCT, &v), -ENODATA);
    size_t writes = fake.nwr;
    assert_int_equal(sensor_sample_fetch(&dev.sensor), 0);
    assert_int_equal(fake.wr_reg[writes], BME280_REG_RESET); /* initialised again */
    expect_pimoroni(&dev.sensor);
    /* humidity switched off on purpose: a skipped reading is no error */
    struct bme280_settings s = dev.settings;
    s.osrs_h = BME280_OS_SKIP;
    assert_int_equal(bme280_configure(&dev, &s), 0);
    assert_int_equal(sensor_sample_fetch(&dev.sensor), 0);
    assert_int_equal(sensor_channel_get(&dev.sensor, SENSOR_CHAN_HUMIDITY_MILLI_PCT, &v), -ENODATA);
    assert_int_equal(sensor_channel_get(&dev.sensor, SENSOR_CHAN_PRESS_PA, &v), 0);
}

static void spi_sample_and_recovery(void **state)
{
    (void)state;
    bme280_setup(&dev, &spi_cfg);
    assert_int_equal(bme280_init(&dev), 0); /* the fake checks bit 7 of every control byte */
    assert_int_equal(fake.ctrl_hum_latched, BME280_OS_X1);
    assert_int_equal(sensor_sample_fetch(&dev.sensor), 0);
    assert_int_equal(reads_of(BME280_REG_PRESS_MSB), 1);
    expect_pimoroni(&dev.sensor);
    /* no acknowledge on SPI: a missing chip reads as the floating MISO */
    fake.detached = true;
    fake.float_byte = 0xFF;
    assert_int_equal(sensor_sample_fetch(&dev.sensor), -ENXIO);
    assert_int_equal(sensor_sample_fetch(&dev.sensor), -ENXIO);
    fake.float_byte = 0x00;
    assert_int_equal(sensor_sample_fetch(&dev.sensor), -ENXIO);
    int32_t v;
    assert_int_equal(sensor_channel_get(&dev.sensor, SENSOR_CHAN_HUMIDITY_MILLI_PCT, &v), -ENODATA);
    fake_bme280_power_on(calib_a, calib_b);
    fake_bme280_set_result(RAW_T, RAW_P, RAW_H);
    assert_int_equal(sensor_sample_fetch(&dev.sensor), 0);
    expect_pimoroni(&dev.sensor);
}

static void normal_mode_and_skips(void **state)
{
    (void)state;
    bme280_setup(&dev, &i2c_cfg);
    assert_int_equal(bme280_init(&dev), 0);
    struct bme280_settings s = { BME280_OS_X2, BME280_OS_X16, BME280_OS_SKIP, BME280_FILTER_16,
                                 BME280_STANDBY_1000_MS, BME280_MODE_NORMAL };
    size_t w = fake.nwr;
    assert_int_equal(bme280_configure(&dev, &s), 0);
    /* sleep first, then config, ctrl_hum, ctrl_meas in normal mode */
    assert_int_equal(fake.wr_reg[w], BME280_REG_CTRL_MEAS);
    assert_int_equal(fake.wr_val[w] & 3u, BME280_MODE_SLEEP);
    assert_int_equal(fake.regs[BME280_REG_CONFIG], (5 << 5) | (4 << 2));
    assert_int_equal(fake.regs[BME280_REG_CTRL_MEAS], (2 << 5) | (5 << 2) | 3);
    assert_int_equal(fake.ctrl_hum_latched, 0);
    memcpy(&fake.regs[BME280_REG_PRESS_MSB], (const uint8_t[]){ 0x4F, 0xCA, 0x00, 0x81, 0x32, 0x70, 0x80, 0x00 }, 8);
    uint64_t t0 = fake.delayed_us;
    w = fake.nwr;
    assert_int_equal(sensor_sample_fetch(&dev.sensor), 0);
    assert_int_equal(fake.delayed_us, t0); /* normal mode: no wait, no start */
    assert_int_equal(fake.nwr, w);
    int32_t v;
    assert_int_equal(sensor_channel_get(&dev.sensor, SENSOR_CHAN_AMBIENT_TEMP_MILLI_C, &v), 0);
    assert_int_equal(sensor_channel_get(&dev.sensor, SENSOR_CHAN_PRESS_PA, &v), 0);
    assert_int_equal(sensor_channel_get(&dev.sensor, SENSOR_CHAN_HUMIDITY_MILLI_PCT, &v), -ENODATA);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup(i2c_init_sequence, setup),
        cmocka_unit_test_setup(i2c_sample, setup),
        cmocka_unit_test_setup(wait_follows_oversampling, setup),
        cmocka_unit_test_setup(chip_id_errors, setup),
        cmocka_unit_test_setup(bus_errors, setup),
        cmocka_unit_test_setup(bounded_waits, setup),
        cmocka_unit_test_setup(recovery, setup),
        cmocka_unit_test_setup(silent_reset, setup),
        cmocka_unit_test_setup(spi_sample_and_recovery, setup),
        cmocka_unit_test_setup(normal_mode_and_skips, setup),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
