/*
 * Bosch BME280 temperature, pressure and humidity sensor (datasheet
 * BST-BME280-DS002), over I2C (address 0x76 or 0x77) or 4-wire SPI, through
 * the portable bus interfaces. The driver core sees the bus only as
 * "read registers" and "write one register" (struct bme280_io); the two
 * implementations below are the only code that knows the wire format.
 *
 * Init (bme280_init): chip ID at 0xD0 must be 0x60; a BMP280 (0x56..0x58,
 * no humidity) is refused with -ENOTSUP, anything else with -ENODEV. Then
 * soft reset (0xE0 = 0xB6), a bounded wait for status.im_update to clear,
 * the calibration from 0x88..0xA1 and 0xE1..0xE7, and the settings.
 *
 * A sample (bme280_start, then bme280_read after bme280_measure_time_us):
 * forced mode writes ctrl_meas to start one conversion; the read waits,
 * bounded, for status.measuring to clear and takes 0xF7..0xFE in one burst,
 * so the three values belong to the same conversion (datasheet 4, "data
 * readout"). In normal mode the chip converts on its own every
 * t_measure + t_standby and bme280_start does nothing.
 *
 * Errors: what the bus returns (-ENXIO the sensor does not answer, -EIO),
 * -ETIMEDOUT a status bit that does not clear in time, -EIO also when a
 * forced conversion reads a quantity that is switched on as skipped (the
 * chip was reset and lost its settings while the bus kept working). After any error the
 * next sample (bme280_start or sensor_sample_fetch) runs bme280_init again,
 * so a sensor that was unplugged and comes back (power-cycled, settings
 * lost) is found and configured again.
 */
#ifndef QUARTZ_BME280_H
#define QUARTZ_BME280_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "quartz/hal/i2c.h"
#include "quartz/hal/spi.h"
#include "quartz/sensor.h"

#define BME280_I2C_ADDR_PRIMARY 0x76   /* SDO to GND */
#define BME280_I2C_ADDR_SECONDARY 0x77 /* SDO to VDDIO */

/* Registers (datasheet 5.3, table 18). */
#define BME280_REG_CALIB00 0x88 /* ..0xA1: dig_T1..dig_P9, 0xA0 unused, dig_H1 */
#define BME280_REG_ID 0xD0
#define BME280_REG_RESET 0xE0
#define BME280_REG_CALIB26 0xE1 /* ..0xE7: dig_H2..dig_H6 */
#define BME280_REG_CTRL_HUM 0xF2
#define BME280_REG_STATUS 0xF3
#define BME280_REG_CTRL_MEAS 0xF4
#define BME280_REG_CONFIG 0xF5
#define BME280_REG_PRESS_MSB 0xF7 /* ..0xFE: press[3], temp[3], hum[2] */

#define BME280_CHIP_ID 0x60
#define BME280_RESET_WORD 0xB6
#define BME280_STATUS_MEASURING 0x08u /* status[3] */
#define BME280_STATUS_IM_UPDATE 0x01u /* status[0] */
#define BME280_CALIB_A_LEN 26         /* 0x88..0xA1 */
#define BME280_CALIB_B_LEN 7          /* 0xE1..0xE7 */
#define BME280_DATA_LEN 8             /* 0xF7..0xFE */

/* osrs_t, osrs_p, osrs_h codes (datasheet 5.4.3..5.4.5). */
#define BME280_OS_SKIP 0u /* quantity not measured (its channel gives -ENODATA) */
#define BME280_OS_X1 1u
#define BME280_OS_X2 2u
#define BME280_OS_X4 3u
#define BME280_OS_X8 4u
#define BME280_OS_X16 5u

/* Modes, ctrl_meas[1:0] (datasheet 3.3, 5.4.5). */
#define BME280_MODE_SLEEP 0u
#define BME280_MODE_FORCED 1u
#define BME280_MODE_NORMAL 3u

/* IIR filter coefficient, config[4:2] (datasheet 3.4.4, table 6). */
#define BME280_FILTER_OFF 0u
#define BME280_FILTER_2 1u
#define BME280_FILTER_4 2u
#define BME280_FILTER_8 3u
#define BME280_FILTER_16 4u

/* Standby between conversions in normal mode, config[7:5] (datasheet 5.4.6, table 27). */
#define BME280_STANDBY_0_5_MS 0u
#define BME280_STANDBY_62_5_MS 1u
#define BME280_STANDBY_125_MS 2u
#define BME280_STANDBY_250_MS 3u
#define BME280_STANDBY_500_MS 4u
#define BME280_STANDBY_1000_MS 5u
#define BME280_STANDBY_10_MS 6u
#define BME280_STANDBY_20_MS 7u

struct bme280_settings {
    uint8_t osrs_t, osrs_p, osrs_h; /* BME280_OS_* */
    uint8_t filter;                 /* BME280_FILTER_* */
    uint8_t standby;                /* BME280_STANDBY_* */
    uint8_t mode;                   /* BME280_MODE_* */
};

/* Trimming parameters (datasheet 4.2.2, table 16). */
struct bme280_calib {
    uint16_t t1;
    int16_t t2, t3;
    uint16_t p1;
    int16_t p2, p3, p4, p5, p6, p7, p8, p9;
    uint8_t h1, h3;
    int16_t h2, h4, h5; /* h4, h5: signed 12-bit */
    int8_t h6;
};

/* Raw ADC values of one conversion (20, 20 and 16 bits). */
struct bme280_raw {
    int32_t adc_t, adc_p, adc_h;
};

/* Compensated values (datasheet 4.2.3); `valid` has a bit per quantity. */
#define BME280_HAVE_T 0x1u
#define BME280_HAVE_P 0x2u
#define BME280_HAVE_H 0x4u
struct bme280_sample {
    int32_t t_centi_c; /* 0.01 degC */
    uint32_t p_q24_8;  /* Pa, Q24.8 (1/256 Pa) */
    uint32_t h_q22_10; /* %RH, Q22.10 (1/1024 %) */
    uint8_t valid;
};

/* ---- compensation (bme280_compensate.c): pure integer arithmetic ---- */

/* The trimming parameters from the bytes of 0x88..0xA1 and 0xE1..0xE7. */
void bme280_calib_parse(struct bme280_calib *c, const uint8_t a[BME280_CALIB_A_LEN],
                        const uint8_t b[BME280_CALIB_B_LEN]);

/* The raw values from the burst 0xF7..0xFE. */
struct bme280_raw bme280_raw_parse(const uint8_t d[BME280_DATA_LEN]);

/* Temperature in 0.01 degC; *t_fine for the other two. */
int32_t bme280_compensate_t(const struct bme280_calib *c, int32_t adc_t, int32_t *t_fine);

/* Pressure, Pa in Q24.8 (the datasheet's 64-bit variant): 0, or -ERANGE
 * where that formula's 64-bit arithmetic cannot hold the value (calibration
 * and raw values no real part produces) or it divides by zero. */
int bme280_compensate_p(const struct bme280_calib *c, int32_t adc_p, int32_t t_fine, uint32_t *p_q24_8);

/* Relative humidity, % in Q22.10, 0..100 %. */
uint32_t bme280_compensate_h(const struct bme280_calib *c, int32_t adc_h, int32_t t_fine);

/* All three, honouring skipped quantities (raw 0x80000 / 0x8000). */
struct bme280_sample bme280_compensate(const struct bme280_calib *c, const struct bme280_raw *raw);

/* Longest conversion time for these settings, in microseconds (datasheet
 * 9.1, appendix B: 1.25 + 2.3 T_os + (2.3 P_os + 0.575) + (2.3 H_os + 0.575) ms,
 * each quantity's term only when it is measured). */
uint32_t bme280_measure_time_us(const struct bme280_settings *s);

/* ---- buses -------------------------------------------------------------- */

struct bme280_config;

struct bme280_io {
    int (*read)(const struct bme280_config *cfg, uint8_t reg, uint8_t *buf, size_t len);
    int (*write)(const struct bme280_config *cfg, uint8_t reg, uint8_t value);
    /* The bus cannot tell that nobody answered (SPI has no acknowledge:
     * a missing chip reads as whatever MISO floats to), so every sample
     * checks the chip ID too and a wrong one is -ENXIO. */
    bool no_ack;
};

extern const struct bme280_io bme280_io_i2c; /* cfg->i2c at cfg->i2c_addr */
/* cfg->spi: mode 0 or 3, at most 10 MHz (datasheet table 35); the caller
 * has run spi_device_init on it. */
extern const struct bme280_io bme280_io_spi;

struct bme280_config {
    const struct bme280_io *io;
    struct i2c_bus *i2c;
    const struct spi_device *spi;
    uint8_t i2c_addr;
    struct bme280_settings settings; /* applied by bme280_init */
};

struct bme280 {
    struct sensor sensor; /* first: the sensor.h view of this device */
    const struct bme280_config *cfg;
    struct bme280_settings settings;
    struct bme280_calib calib;
    struct bme280_sample sample;
    uint8_t chip_id; /* what 0xD0 said last (0: nothing read) */
    bool ready;      /* found, reset, calibrated and configured */
};

/* No bus traffic: the device's state, with cfg->settings. */
void bme280_setup(struct bme280 *d, const struct bme280_config *cfg);

/* Find, reset, calibrate and configure the chip (see the top of this file). */
int bme280_init(struct bme280 *d);

/* Apply new settings (in sleep mode first, as the datasheet 5.4.6 asks for
 * the config register: writes to it in normal mode may be ignored). */
int bme280_configure(struct bme280 *d, const struct bme280_settings *s);

/* Start a conversion in forced mode (re-initialises the chip first when
 * the last access failed). Then wait bme280_measure_time_us() and read. */
int bme280_start(struct bme280 *d);

/* Wait (bounded) for the conversion to end, burst-read and compensate it. */
int bme280_read(struct bme280 *d);

/* bme280_start, a busy wait of the measurement time, bme280_read. */
int bme280_sample_fetch(struct bme280 *d);

#endif
