/*
 * Test doubles for the BME280 tests: a BME280 register file with datasheet
 * timing on a fake clock, reachable through a fake I2C bus (address 0x76)
 * and a fake SPI device, and a fake ADC for the die temperature.
 */
#ifndef FAKE_BME280_H
#define FAKE_BME280_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "quartz/hal/i2c.h"
#include "quartz/hal/spi.h"

#define FAKE_LOG 128

struct fake_bme280 {
    uint8_t regs[256];
    uint8_t id;             /* 0xD0 */
    bool detached;          /* I2C: address NACK; SPI: MISO reads fake.float_byte */
    uint8_t float_byte;     /* what a detached SPI chip reads as (0x00 or 0xFF) */
    int fail_data;          /* I2C transfers from now on that NACK a data byte: -EIO */
    uint64_t now_us;        /* advanced by clock_delay_us */
    uint64_t delayed_us;    /* total asked for */
    uint64_t measure_end_us, nvm_end_us;
    uint32_t conversion_us; /* a forced conversion */
    uint32_t nvm_copy_us;   /* after a reset */
    bool stuck_measuring, stuck_im_update;
    bool converting;
    uint8_t result[8];      /* what the next conversion puts in 0xF7..0xFE */
    uint8_t ctrl_hum_latched;
    unsigned conversions;
    /* every register write in order, and every read (start, length) */
    uint8_t wr_reg[FAKE_LOG], wr_val[FAKE_LOG];
    size_t nwr;
    uint8_t rd_reg[FAKE_LOG];
    size_t rd_len[FAKE_LOG];
    size_t nrd;
    size_t transfers; /* bus transactions, any kind */
};

extern struct fake_bme280 fake;
extern struct i2c_bus fake_i2c;
extern struct spi_bus fake_spi_bus;
extern const struct spi_device fake_spi_dev;

/* A chip with this calibration (bytes of 0x88..0xA1, 0xE1..0xE7) after power-up. */
void fake_bme280_power_on(const uint8_t calib_a[26], const uint8_t calib_b[7]);
/* The raw values the next conversion gives. */
void fake_bme280_set_result(int32_t adc_t, int32_t adc_p, int32_t adc_h);
/* Index of the last write to `reg`, or -1. */
int fake_bme280_last_write(uint8_t reg);

/* Fake ADC (quartz/hal/adc.h) */
extern int fake_adc_rc;
extern int32_t fake_adc_centi_c;
extern uint32_t fake_adc_vdda_mv;

#endif
