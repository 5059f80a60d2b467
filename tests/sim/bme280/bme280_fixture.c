/* The BME280 model tests' fixture: bme280_fixture.h. */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "bme280_fixture.h"
#include "bme280_ref.h"
struct bme280_fixture fx;

int setup(void **state)
{
    (void)state;
    memset(&fx, 0, sizeof fx);
    fx.s = fake_sim_new();
    bme280_init(&fx.d, fx.s, &fx.env, 0x76);
    fx.d.spi_cr1 = &fx.cr1;
    return fx.s ? 0 : -1;
}

int teardown(void **state)
{
    (void)state;
    bme280_free(&fx.d);
    sim_env_free(&fx.env);
    fake_sim_free(fx.s);
    return 0;
}

/* ---- I2C and SPI transactions ---------------------------------------------------------------------- */

bool address(bool read) { return fx.d.i2c.ops->address(fx.d.i2c.dev, read); }
void put(uint8_t v) { assert_true(fx.d.i2c.ops->write(fx.d.i2c.dev, v)); }
uint8_t get(void) { return fx.d.i2c.ops->read(fx.d.i2c.dev); }
void stop(void) { fx.d.i2c.ops->stop(fx.d.i2c.dev); }

/* 6.2.1: register address and data in pairs. */
void wr(uint8_t reg, uint8_t v)
{
    assert_true(address(false));
    put(reg);
    put(v);
    stop();
}

/* 6.2.2: the register address, a repeated START, then the burst. */
void rd(uint8_t reg, uint8_t *buf, size_t n)
{
    assert_true(address(false));
    put(reg);
    stop();
    assert_true(address(true));
    for (size_t k = 0; k < n; k++)
        buf[k] = get();
    stop();
}

uint8_t rd1(uint8_t reg)
{
    uint8_t v;
    rd(reg, &v, 1);
    return v;
}

void spi_select(void) { fx.d.spi.ops->select(fx.d.spi.dev); }
void spi_deselect(void) { fx.d.spi.ops->deselect(fx.d.spi.dev); }
uint8_t spi(uint8_t v) { return (uint8_t)fx.d.spi.ops->exchange(fx.d.spi.dev, v, 8); }

/* ---- readings --------------------------------------------------------------------------------------- */

struct reading decode(const uint8_t data[8])
{
    uint8_t lo[26], hi[7];
    rd(0x88, lo, sizeof lo);
    rd(0xE1, hi, sizeof hi);
    struct ref_calib c = ref_decode(lo, hi);
    struct reading r;
    r.adc_p = data[0] << 12 | data[1] << 4 | data[2] >> 4;
    r.adc_t = data[3] << 12 | data[4] << 4 | data[5] >> 4;
    r.adc_h = data[6] << 8 | data[7];
    double t_fine;
    r.t = ref_t(&c, r.adc_t, &t_fine);
    r.p = ref_p(&c, r.adc_p, t_fine);
    r.h = ref_h(&c, r.adc_h, t_fine);
    return r;
}

struct reading read_data(void)
{
    uint8_t data[8];
    rd(DATA, data, sizeof data);
    return decode(data);
}

void air(uint64_t t_ps, unsigned mask, int32_t t_mc, int32_t p_mpa, int32_t h_mpct)
{
    assert_int_equal(sim_env_step(&fx.env, t_ps, mask, (struct sim_env_value){t_mc, p_mpa, h_mpct}), 0);
}

