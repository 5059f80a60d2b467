/*
 * The BME280 model (sim/board/bme280.c) alone, driven through its I2C and
 * SPI device callbacks as the bus models drive them, on the host-only fake
 * core (tests/sim/periph): registers, ctrl_hum latching, forced and normal
 * mode timing, status bits, burst reads and where the address wraps, the
 * IIR filter's step response (datasheet table 6), shadowing, unplugging,
 * and readings checked with the datasheet's floating-point formulas
 * (bme280_ref.h), not the integer ones the model inverts.
 */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "bme280_ref.h"
#include "board/bme280.h"
#include "fake_sim.h"

#define US (1000ull * 1000ull)
#define MS (1000ull * US)

enum { CTRL_HUM = 0xF2, STATUS = 0xF3, CTRL_MEAS = 0xF4, CONFIG = 0xF5, DATA = 0xF7 };
#define OSRS(t, p, mode) ((uint8_t)((t) << 5 | (p) << 2 | (mode)))
#define FORCED 1u
#define NORMAL 3u

static struct {
    sim_t *s;
    struct sim_env env;
    struct bme280 d;
    uint32_t cr1; /* the SPI master's CR1 the model looks at when selected */
} f;

static int setup(void **state)
{
    (void)state;
    memset(&f, 0, sizeof f);
    f.s = fake_sim_new();
    bme280_init(&f.d, f.s, &f.env, 0x76);
    f.d.spi_cr1 = &f.cr1;
    return f.s ? 0 : -1;
}

static int teardown(void **state)
{
    (void)state;
    bme280_free(&f.d);
    sim_env_free(&f.env);
    fake_sim_free(f.s);
    return 0;
}

/* ---- I2C and SPI transactions ---------------------------------------------------------------------- */

static bool address(bool read) { return f.d.i2c.ops->address(f.d.i2c.dev, read); }
static void put(uint8_t v) { assert_true(f.d.i2c.ops->write(f.d.i2c.dev, v)); }
static uint8_t get(void) { return f.d.i2c.ops->read(f.d.i2c.dev); }
static void stop(void) { f.d.i2c.ops->stop(f.d.i2c.dev); }

/* 6.2.1: register address and data in pairs. */
static void wr(uint8_t reg, uint8_t v)
{
    assert_true(address(false));
    put(reg);
    put(v);
    stop();
}

/* 6.2.2: the register address, a repeated START, then the burst. */
static void rd(uint8_t reg, uint8_t *buf, size_t n)
{
    assert_true(address(false));
    put(reg);
    stop();
    assert_true(address(true));
    for (size_t k = 0; k < n; k++)
        buf[k] = get();
    stop();
}

static uint8_t rd1(uint8_t reg)
{
    uint8_t v;
    rd(reg, &v, 1);
    return v;
}

static void spi_select(void) { f.d.spi.ops->select(f.d.spi.dev); }
static void spi_deselect(void) { f.d.spi.ops->deselect(f.d.spi.dev); }
static uint8_t spi(uint8_t v) { return (uint8_t)f.d.spi.ops->exchange(f.d.spi.dev, v, 8); }

/* ---- readings --------------------------------------------------------------------------------------- */

struct reading {
    int32_t adc_t, adc_p, adc_h;
    double t, p, h;
};

static struct reading decode(const uint8_t data[8])
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

static struct reading read_data(void)
{
    uint8_t data[8];
    rd(DATA, data, sizeof data);
    return decode(data);
}

static void air(uint64_t t_ps, unsigned mask, int32_t t_mc, int32_t p_mpa, int32_t h_mpct)
{
    assert_int_equal(sim_env_step(&f.env, t_ps, mask, (struct sim_env_value){t_mc, p_mpa, h_mpct}), 0);
}

/* ---- tests ------------------------------------------------------------------------------------------ */

/* 5.3/5.4: id, reset values, reset word, the calibration in the ranges of real parts. */
static void registers_after_power_on(void **state)
{
    (void)state;
    assert_int_equal(rd1(0xD0), 0x60);
    assert_int_equal(rd1(0xE0), 0x00);
    uint8_t data[8];
    rd(DATA, data, sizeof data);
    const uint8_t reset[8] = {0x80, 0, 0, 0x80, 0, 0, 0x80, 0};
    assert_memory_equal(data, reset, sizeof reset);
    uint8_t lo[26], hi[7];
    rd(0x88, lo, sizeof lo);
    rd(0xE1, hi, sizeof hi);
    struct ref_calib c = ref_decode(lo, hi);
    assert_true(c.T1 > 25000 && c.T1 < 30000 && c.T2 > 25000 && c.T2 < 28000);
    assert_true(c.P1 > 35000 && c.P1 < 40000 && c.P2 < 0 && c.H2 > 300 && c.H4 > 250 && c.H6 > 0);
    assert_int_equal(c.H4, bme280_model_calib.H4);
    assert_int_equal(c.H5, bme280_model_calib.H5);
}

/* 5.4.4: im_update for the start-up time after power-on and after 0xB6; other words do nothing. */
static void im_update_after_reset(void **state)
{
    (void)state;
    uint64_t cycle = SIM_PS_PER_S / sim_hclk(f.s);
    assert_int_equal(rd1(STATUS), 0x01);
    fake_run_until(f.s, 2 * MS - cycle);
    assert_int_equal(rd1(STATUS), 0x01);
    fake_run_until(f.s, 2 * MS);
    assert_int_equal(rd1(STATUS), 0x00);
    wr(CONFIG, 0xA0);
    wr(0xE0, 0xB5); /* not the reset word */
    assert_int_equal(rd1(CONFIG), 0xA0);
    assert_int_equal(rd1(STATUS), 0x00);
    wr(0xE0, 0xB6);
    assert_int_equal(rd1(CONFIG), 0x00);
    assert_int_equal(rd1(STATUS), 0x01);
    fake_run_for(f.s, 2 * MS);
    assert_int_equal(rd1(STATUS), 0x00);
    assert_int_equal(f.d.soft_resets, 1);
}

/* 5.4.3: ctrl_hum reads back at once but takes effect only with the next ctrl_meas write. */
static void ctrl_hum_latched_by_ctrl_meas(void **state)
{
    (void)state;
    wr(CONFIG, 0x00);                    /* t_sb 0.5 ms, filter off */
    wr(CTRL_MEAS, OSRS(1, 1, NORMAL));   /* humidity skipped */
    wr(CTRL_HUM, 0x01);
    assert_int_equal(rd1(CTRL_HUM), 0x01);
    fake_run_for(f.s, 30 * MS);
    uint8_t data[8];
    rd(DATA, data, sizeof data);
    assert_int_equal(data[6] << 8 | data[7], 0x8000); /* still skipped */
    assert_true(f.d.conversions >= 3);
    wr(CTRL_MEAS, OSRS(1, 1, NORMAL)); /* latches ctrl_hum */
    fake_run_for(f.s, 30 * MS);
    rd(DATA, data, sizeof data);
    assert_int_not_equal(data[6] << 8 | data[7], 0x8000);
}

/* 3.3.3 and 9.1: forced mode measures once, measuring for the typical time, then sleeps. */
static void forced_mode_measures_once(void **state)
{
    (void)state;
    uint64_t cycle = SIM_PS_PER_S / sim_hclk(f.s);
    fake_run_until(f.s, 5 * MS);
    wr(CTRL_HUM, 0x01);
    uint64_t t0 = sim_now_ps(f.s);
    wr(CTRL_MEAS, OSRS(1, 1, FORCED));
    assert_int_equal(rd1(STATUS), 0x08);
    assert_int_equal(rd1(CTRL_MEAS) & 3, FORCED);
    /* T x1, P x1, H x1: 1 + 2 + (2 + 0.5) + (2 + 0.5) = 8 ms */
    fake_run_until(f.s, t0 + 8 * MS - cycle);
    assert_int_equal(rd1(STATUS), 0x08);
    assert_int_equal(f.d.conversions, 0);
    fake_run_until(f.s, t0 + 8 * MS);
    assert_int_equal(rd1(STATUS), 0x00);
    assert_int_equal(rd1(CTRL_MEAS), OSRS(1, 1, 0)); /* back to sleep */
    assert_int_equal(f.d.conversions, 1);
    fake_run_for(f.s, 100 * MS);
    assert_int_equal(f.d.conversions, 1);
    /* x16 each: 1 + 32 + 32.5 + 32.5 = 98 ms */
    wr(CTRL_HUM, 0x05);
    t0 = sim_now_ps(f.s);
    wr(CTRL_MEAS, OSRS(5, 5, 2)); /* 10 is forced too */
    fake_run_until(f.s, t0 + 98 * MS - cycle);
    assert_int_equal(rd1(STATUS), 0x08);
    fake_run_until(f.s, t0 + 98 * MS);
    assert_int_equal(rd1(STATUS), 0x00);
    assert_int_equal(f.d.conversions, 2);
}

/* 3.3.4: normal mode cycles t_measure + t_standby; sleep stops it; config is ignored meanwhile. */
static void normal_mode_period(void **state)
{
    (void)state;
    wr(CONFIG, 0x20); /* t_sb = 62.5 ms */
    wr(CTRL_MEAS, OSRS(1, 0, NORMAL)); /* T only: 3 ms, period 65.5 ms */
    fake_run_for(f.s, 3 * MS + 10 * 65500 * US);
    assert_int_equal(f.d.conversions, 11);
    wr(CONFIG, 0x00);
    assert_int_equal(rd1(CONFIG), 0x20); /* 5.4.6: written in normal mode, ignored */
    assert_true(fake_warned(f.s, "normal mode"));
    wr(CTRL_MEAS, OSRS(1, 0, 0));
    fake_run_for(f.s, 500 * MS);
    assert_true(f.d.conversions <= 12);
    uint64_t n = f.d.conversions;
    fake_run_for(f.s, 500 * MS);
    assert_int_equal(f.d.conversions, n);
}

/* Table 23/24: skipped measurements read 0x80000 and 0x8000. */
static void skipped_measurements(void **state)
{
    (void)state;
    wr(CTRL_MEAS, OSRS(1, 0, FORCED));
    fake_run_for(f.s, 10 * MS);
    uint8_t data[8];
    rd(DATA, data, sizeof data);
    assert_int_equal(data[0] << 12 | data[1] << 4 | data[2] >> 4, 0x80000);
    assert_int_not_equal(data[3] << 12 | data[4] << 4 | data[5] >> 4, 0x80000);
    assert_int_equal(data[6] << 8 | data[7], 0x8000);
}

/* The scripted air comes back through the datasheet's formulas, at every oversampling, within the resolution. */
static void readings_follow_the_air(void **state)
{
    (void)state;
    static const struct sim_env_value airs[] = {
        {21500, 101325000, 45000}, {-39000, 30500000, 2000}, {84000, 109900000, 98000}, {0, 95000000, 50000}};
    for (unsigned k = 0; k < sizeof airs / sizeof airs[0]; k++) {
        air(sim_now_ps(f.s), 7, airs[k].t_mc, airs[k].p_mpa, airs[k].h_mpct);
        for (unsigned os = 1; os <= 5; os++) {
            wr(CTRL_HUM, (uint8_t)os);
            wr(CTRL_MEAS, OSRS(os, os, FORCED));
            fake_run_for(f.s, 100 * MS);
            struct reading r = read_data();
            /* Tolerances: the model's output step (16 - log2(os) bits without the filter: at x1 one code
             * is 16 20-bit steps, about 0.005 C and 2.6 Pa here) plus the float formulas' difference
             * from the integer ones the model inverts (below 0.01 C, 1 Pa, 0.01 %RH). */
            double t_tol = 0.01, p_tol = 0.5 + 1.6 * (16 >> (os - 1)) / 16.0 + 1.0, h_tol = 0.02;
            assert_true(r.t > airs[k].t_mc / 1000.0 - t_tol && r.t < airs[k].t_mc / 1000.0 + t_tol);
            assert_true(r.p > airs[k].p_mpa / 1000.0 - p_tol && r.p < airs[k].p_mpa / 1000.0 + p_tol);
            assert_true(r.h > airs[k].h_mpct / 1000.0 - h_tol && r.h < airs[k].h_mpct / 1000.0 + h_tol);
            /* 3.4.3: without the filter the temperature has 16 + (osrs_t - 1) bits */
            assert_int_equal(r.adc_t % (16 >> (os - 1)), 0);
        }
    }
}

/* 3.4.4, table 6: samples to reach >= 75 % of a step, per filter coefficient. */
static void iir_step_response(void **state)
{
    (void)state;
    static const struct {
        uint8_t filter;
        unsigned samples;
    } table6[] = {{0, 1}, {1, 2}, {2, 5}, {3, 11}, {4, 22}};
    for (unsigned k = 0; k < sizeof table6 / sizeof table6[0]; k++) {
        sim_env_free(&f.env);
        air(0, 3, 20000, 90000000, 0);
        wr(CTRL_MEAS, OSRS(1, 1, 0));
        wr(CONFIG, (uint8_t)(table6[k].filter << 2)); /* resets the filter */
        wr(CTRL_MEAS, OSRS(1, 1, FORCED));
        fake_run_for(f.s, 10 * MS);
        struct reading before = read_data();
        air(sim_now_ps(f.s), 3, 30000, 100000000, 0); /* +10 C, +100 hPa */
        unsigned n = 0;
        struct reading r;
        do {
            wr(CTRL_MEAS, OSRS(1, 1, FORCED));
            fake_run_for(f.s, 10 * MS);
            r = read_data();
            n++;
        } while (r.t < 27.5 && n < 40);
        assert_int_equal(n, table6[k].samples);
        assert_true(before.t < 20.01 && r.p > 970 * 100.0);
        /* the filter's output ends at the input */
        for (int i = 0; i < 200; i++) {
            wr(CTRL_MEAS, OSRS(1, 1, FORCED));
            fake_run_for(f.s, 10 * MS);
        }
        r = read_data();
        assert_true(r.t > 29.99 && r.t < 30.01 && r.p > 99999.0 && r.p < 100001.0);
    }
}

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
    assert_int_equal(f.d.soft_resets, 0);
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
    assert_int_equal(f.d.addr, 0x01);
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
    assert_int_equal(f.d.config, 0xA0);
    assert_int_equal(f.d.ctrl_hum, 0x02);
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
    assert_int_equal(f.d.spi.ops->exchange(f.d.spi.dev, 0xD000, 16), 0xFF60);
    spi_deselect();
}

/* 6.3: mode 00 or 11 by SCK's level when CSB falls (the master's CPOL). */
static void spi_mode_follows_cpol(void **state)
{
    (void)state;
    f.cr1 = 0x3; /* CPOL=1, CPHA=1 */
    spi_select();
    assert_int_equal(f.d.spi.mode, 3);
    spi_deselect();
    f.cr1 = 0x0;
    spi_select();
    assert_int_equal(f.d.spi.mode, 0);
    spi_deselect();
}

/* 4.1: a conversion that ends during a burst read reaches the data registers after it. */
static void shadowing_during_a_burst(void **state)
{
    (void)state;
    air(0, 1, 20000, 0, 0);
    wr(CTRL_MEAS, OSRS(1, 1, FORCED));
    fake_run_for(f.s, 10 * MS);
    uint8_t first[8], mixed[8];
    rd(DATA, first, sizeof first);
    air(sim_now_ps(f.s), 1, 30000, 0, 0);
    wr(CTRL_MEAS, OSRS(1, 1, FORCED));
    assert_true(address(false));
    put(DATA);
    stop();
    assert_true(address(true));
    for (int k = 0; k < 3; k++)
        mixed[k] = get();
    fake_run_for(f.s, 10 * MS); /* the conversion ends in the middle of the burst */
    assert_int_equal(f.d.conversions, 2);
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
    fake_run_until(f.s, 5 * MS);
    wr(CTRL_MEAS, OSRS(1, 1, NORMAL));
    /* unplugged in the middle of a read: the bytes after it are the bus's pull-up */
    assert_true(address(false));
    put(0xD0);
    stop();
    assert_true(address(true));
    bme280_set_attached(&f.d, false);
    assert_int_equal(get(), 0xFF);
    assert_false(f.d.i2c.ops->write(f.d.i2c.dev, 0xF4));
    stop();
    assert_false(address(false));
    assert_false(address(true));
    spi_select();
    assert_int_equal(spi(0xD0), 0xFF);
    assert_int_equal(spi(0x00), 0xFF);
    spi_deselect();
    uint64_t n = f.d.conversions;
    fake_run_for(f.s, 100 * MS);
    assert_int_equal(f.d.conversions, n);
    bme280_set_attached(&f.d, true);
    assert_true(address(false));
    stop();
    assert_int_equal(rd1(CTRL_MEAS), 0x00);
    assert_int_equal(rd1(STATUS), 0x01);
    assert_int_equal(rd1(0xD0), 0x60);
}

/* --env-noise: the same seed gives the same readings; its RMS is the datasheet's figure (x16). */
static void noise_is_deterministic(void **state)
{
    (void)state;
    int32_t seq[2][40];
    double sum = 0, sum2 = 0;
    for (int run = 0; run < 2; run++) {
        bme280_set_noise(&f.d, 42);
        for (int k = 0; k < 40; k++) {
            wr(CTRL_MEAS, OSRS(5, 5, FORCED));
            fake_run_for(f.s, 80 * MS);
            struct reading r = read_data();
            seq[run][k] = r.adc_p;
            if (run == 0) {
                sum += r.p;
                sum2 += r.p * r.p;
            }
        }
    }
    assert_memory_equal(seq[0], seq[1], sizeof seq[0]);
    double mean = sum / 40, rms = 0;
    rms = sum2 / 40 - mean * mean;
    /* 1.3 Pa RMS at x16 (table 3): the sample's RMS within a factor 2 (40 samples) */
    assert_true(rms > 0.65 * 0.65 && rms < 2.6 * 2.6);
    bme280_set_noise(&f.d, 43);
    wr(CTRL_MEAS, OSRS(5, 5, FORCED));
    fake_run_for(f.s, 80 * MS);
    bool differs = read_data().adc_p != seq[0][0];
    for (int k = 1; k < 3 && !differs; k++) {
        wr(CTRL_MEAS, OSRS(5, 5, FORCED));
        fake_run_for(f.s, 80 * MS);
        differs = read_data().adc_p != seq[0][k];
    }
    assert_true(differs);
}

/* The environment: steps override a table from their time on; the table is interpolated. */
static void environment_steps_and_table(void **state)
{
    (void)state;
    const struct sim_env_row rows[] = {{0, {20000, 100000000, 40000}}, {10 * SIM_PS_PER_S, {30000, 101000000, 60000}}};
    assert_int_equal(sim_env_table(&f.env, rows, 2), 0);
    struct sim_env_value v = sim_env_at(&f.env, 2500 * MS);
    assert_int_equal(v.t_mc, 22500);
    assert_int_equal(v.p_mpa, 100250000);
    assert_int_equal(v.h_mpct, 45000);
    air(5 * SIM_PS_PER_S, 1, -5000, 0, 0);
    v = sim_env_at(&f.env, 6 * SIM_PS_PER_S);
    assert_int_equal(v.t_mc, -5000);
    assert_int_equal(v.h_mpct, 52000);
    assert_int_equal(sim_env_at(&f.env, 20 * SIM_PS_PER_S).h_mpct, 60000);
    const struct sim_env_row bad[] = {{SIM_PS_PER_S, {20000, 100000000, 40000}}, {SIM_PS_PER_S, {0, 100000000, 0}}};
    assert_int_equal(sim_env_table(&f.env, bad, 2), -EINVAL);
    assert_int_equal(sim_env_step(&f.env, 0, 1, (struct sim_env_value){90000, 0, 0}), -EINVAL);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(registers_after_power_on, setup, teardown),
        cmocka_unit_test_setup_teardown(im_update_after_reset, setup, teardown),
        cmocka_unit_test_setup_teardown(ctrl_hum_latched_by_ctrl_meas, setup, teardown),
        cmocka_unit_test_setup_teardown(forced_mode_measures_once, setup, teardown),
        cmocka_unit_test_setup_teardown(normal_mode_period, setup, teardown),
        cmocka_unit_test_setup_teardown(skipped_measurements, setup, teardown),
        cmocka_unit_test_setup_teardown(readings_follow_the_air, setup, teardown),
        cmocka_unit_test_setup_teardown(iir_step_response, setup, teardown),
        cmocka_unit_test_setup_teardown(i2c_write_pairs, setup, teardown),
        cmocka_unit_test_setup_teardown(i2c_burst_and_wrap, setup, teardown),
        cmocka_unit_test_setup_teardown(spi_read_write_and_wrap, setup, teardown),
        cmocka_unit_test_setup_teardown(spi_mode_follows_cpol, setup, teardown),
        cmocka_unit_test_setup_teardown(shadowing_during_a_burst, setup, teardown),
        cmocka_unit_test_setup_teardown(detach_and_attach, setup, teardown),
        cmocka_unit_test_setup_teardown(noise_is_deterministic, setup, teardown),
        cmocka_unit_test_setup_teardown(environment_steps_and_table, setup, teardown),
    };
    return cmocka_run_group_tests_name("sim_bme280_model", tests, NULL, NULL);
}
