/*
 * The BME280 model tests' fixture (bme280_fixture.c): a model on the fake
 * core of tests/sim/periph with its own environment, and transactions as
 * the I2C and SPI bus models make them.
 */
#ifndef TESTS_BME280_FIXTURE_H
#define TESTS_BME280_FIXTURE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "board/bme280.h"
#include "fake_sim.h"

#define US (1000ull * 1000ull)
#define MS (1000ull * US)

enum { CTRL_HUM = 0xF2, STATUS = 0xF3, CTRL_MEAS = 0xF4, CONFIG = 0xF5, DATA = 0xF7 };
#define OSRS(t, p, mode) ((uint8_t)((t) << 5 | (p) << 2 | (mode)))
#define FORCED 1u
#define NORMAL 3u

struct bme280_fixture {
    sim_t *s;
    struct sim_env env;
    struct bme280 d;
    uint32_t cr1; /* the SPI master's CR1 the model looks at when selected */
};
extern struct bme280_fixture fx;

int setup(void **state);
int teardown(void **state);

/* I2C (6.2): the device callbacks as the I2C model calls them. */
bool address(bool read);
void put(uint8_t v);
uint8_t get(void);
void stop(void);
void wr(uint8_t reg, uint8_t v);                /* register address and data */
void rd(uint8_t reg, uint8_t *buf, size_t n); /* register address, repeated START, burst */
uint8_t rd1(uint8_t reg);

/* SPI (6.3). */
void spi_select(void);
void spi_deselect(void);
uint8_t spi(uint8_t v);

/* The data registers through the datasheet's floating-point formulas (bme280_ref.h). */
struct reading {
    int32_t adc_t, adc_p, adc_h;
    double t, p, h;
};
struct reading decode(const uint8_t data[8]);
struct reading read_data(void);
/* A step of the air from t_ps on. */
void air(uint64_t t_ps, unsigned mask, int32_t t_mc, int32_t p_mpa, int32_t h_mpct);

int bme280_model_tests(void);
int bme280_bus_tests(void);

#endif
