/*
 * The BME280 model (sim/board/bme280.c) alone on the host-only fake core
 * (tests/sim/periph): registers, im_update, ctrl_hum latching, forced and
 * normal mode timing, skipped measurements, the IIR filter's step
 * response (datasheet table 6), noise, the environment, and readings
 * checked with the datasheet's floating-point formulas (bme280_ref.h),
 * not the integer ones the model inverts.
 */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "bme280_fixture.h"
#include "bme280_ref.h"

/* ---- modes, timing, readings --------------------------------------------------------------- */

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
    uint64_t cycle = SIM_PS_PER_S / sim_hclk(fx.s);
    assert_int_equal(rd1(STATUS), 0x01);
    fake_run_until(fx.s, 2 * MS - cycle);
    assert_int_equal(rd1(STATUS), 0x01);
    fake_run_until(fx.s, 2 * MS);
    assert_int_equal(rd1(STATUS), 0x00);
    wr(CONFIG, 0xA0);
    wr(0xE0, 0xB5); /* not the reset word */
    assert_int_equal(rd1(CONFIG), 0xA0);
    assert_int_equal(rd1(STATUS), 0x00);
    wr(0xE0, 0xB6);
    assert_int_equal(rd1(CONFIG), 0x00);
    assert_int_equal(rd1(STATUS), 0x01);
    fake_run_for(fx.s, 2 * MS);
    assert_int_equal(rd1(STATUS), 0x00);
    assert_int_equal(fx.d.soft_resets, 1);
}

/* 5.4.3: ctrl_hum reads back at once but takes effect only with the next ctrl_meas write. */
static void ctrl_hum_latched_by_ctrl_meas(void **state)
{
    (void)state;
    wr(CONFIG, 0x00);                    /* t_sb 0.5 ms, filter off */
    wr(CTRL_MEAS, OSRS(1, 1, NORMAL));   /* humidity skipped */
    wr(CTRL_HUM, 0x01);
    assert_int_equal(rd1(CTRL_HUM), 0x01);
    fake_run_for(fx.s, 30 * MS);
    uint8_t data[8];
    rd(DATA, data, sizeof data);
    assert_int_equal(data[6] << 8 | data[7], 0x8000); /* still skipped */
    assert_true(fx.d.conversions >= 3);
    wr(CTRL_MEAS, OSRS(1, 1, NORMAL)); /* latches ctrl_hum */
    fake_run_for(fx.s, 30 * MS);
    rd(DATA, data, sizeof data);
    assert_int_not_equal(data[6] << 8 | data[7], 0x8000);
}

/* 3.3.3 and 9.1: forced mode measures once, measuring for the typical time, then sleeps. */
static void forced_mode_measures_once(void **state)
{
    (void)state;
    uint64_t cycle = SIM_PS_PER_S / sim_hclk(fx.s);
    fake_run_until(fx.s, 5 * MS);
    wr(CTRL_HUM, 0x01);
    uint64_t t0 = sim_now_ps(fx.s);
    wr(CTRL_MEAS, OSRS(1, 1, FORCED));
    assert_int_equal(rd1(STATUS), 0x08);
    assert_int_equal(rd1(CTRL_MEAS) & 3, FORCED);
    /* T x1, P x1, H x1: 1 + 2 + (2 + 0.5) + (2 + 0.5) = 8 ms */
    fake_run_until(fx.s, t0 + 8 * MS - cycle);
    assert_int_equal(rd1(STATUS), 0x08);
    assert_int_equal(fx.d.conversions, 0);
    fake_run_until(fx.s, t0 + 8 * MS);
    assert_int_equal(rd1(STATUS), 0x00);
    assert_int_equal(rd1(CTRL_MEAS), OSRS(1, 1, 0)); /* back to sleep */
    assert_int_equal(fx.d.conversions, 1);
    fake_run_for(fx.s, 100 * MS);
    assert_int_equal(fx.d.conversions, 1);
    /* x16 each: 1 + 32 + 32.5 + 32.5 = 98 ms */
    wr(CTRL_HUM, 0x05);
    t0 = sim_now_ps(fx.s);
    wr(CTRL_MEAS, OSRS(5, 5, 2)); /* 10 is forced too */
    fake_run_until(fx.s, t0 + 98 * MS - cycle);
    assert_int_equal(rd1(STATUS), 0x08);
    fake_run_until(fx.s, t0 + 98 * MS);
    assert_int_equal(rd1(STATUS), 0x00);
    assert_int_equal(fx.d.conversions, 2);
}

/* 3.3.4: normal mode cycles t_measure + t_standby; sleep stops it; config is ignored meanwhile. */
static void normal_mode_period(void **state)
{
    (void)state;
    wr(CONFIG, 0x20); /* t_sb = 62.5 ms */
    wr(CTRL_MEAS, OSRS(1, 0, NORMAL)); /* T only: 3 ms, period 65.5 ms */
    fake_run_for(fx.s, 3 * MS + 10 * 65500 * US);
    assert_int_equal(fx.d.conversions, 11);
    wr(CONFIG, 0x00);
    assert_int_equal(rd1(CONFIG), 0x20); /* 5.4.6: written in normal mode, ignored */
    assert_true(fake_warned(fx.s, "normal mode"));
    wr(CTRL_MEAS, OSRS(1, 0, 0));
    fake_run_for(fx.s, 500 * MS);
    assert_true(fx.d.conversions <= 12);
    uint64_t n = fx.d.conversions;
    fake_run_for(fx.s, 500 * MS);
    assert_int_equal(fx.d.conversions, n);
}

/* Table 23/24: skipped measurements read 0x80000 and 0x8000. */
static void skipped_measurements(void **state)
{
    (void)state;
    wr(CTRL_MEAS, OSRS(1, 0, FORCED));
    fake_run_for(fx.s, 10 * MS);
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
        air(sim_now_ps(fx.s), 7, airs[k].t_mc, airs[k].p_mpa, airs[k].h_mpct);
        for (unsigned os = 1; os <= 5; os++) {
            wr(CTRL_HUM, (uint8_t)os);
            wr(CTRL_MEAS, OSRS(os, os, FORCED));
            fake_run_for(fx.s, 100 * MS);
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
        sim_env_free(&fx.env);
        air(0, 3, 20000, 90000000, 0);
        wr(CTRL_MEAS, OSRS(1, 1, 0));
        wr(CONFIG, (uint8_t)(table6[k].filter << 2)); /* resets the filter */
        wr(CTRL_MEAS, OSRS(1, 1, FORCED));
        fake_run_for(fx.s, 10 * MS);
        struct reading before = read_data();
        air(sim_now_ps(fx.s), 3, 30000, 100000000, 0); /* +10 C, +100 hPa */
        unsigned n = 0;
        struct reading r;
        do {
            wr(CTRL_MEAS, OSRS(1, 1, FORCED));
            fake_run_for(fx.s, 10 * MS);
            r = read_data();
            n++;
        } while (r.t < 27.5 && n < 40);
        assert_int_equal(n, table6[k].samples);
        assert_true(before.t < 20.01 && r.p > 970 * 100.0);
        /* the filter's output ends at the input */
        for (int i = 0; i < 200; i++) {
            wr(CTRL_MEAS, OSRS(1, 1, FORCED));
            fake_run_for(fx.s, 10 * MS);
        }
        r = read_data();
        assert_true(r.t > 29.99 && r.t < 30.01 && r.p > 99999.0 && r.p < 100001.0);
    }
}

/* --env-noise: the same seed gives the same readings; its RMS is the datasheet's figure (x16). */
static void noise_is_deterministic(void **state)
{
    (void)state;
    int32_t seq[2][40];
    double sum = 0, sum2 = 0;
    for (int run = 0; run < 2; run++) {
        bme280_set_noise(&fx.d, 42);
        for (int k = 0; k < 40; k++) {
            wr(CTRL_MEAS, OSRS(5, 5, FORCED));
            fake_run_for(fx.s, 80 * MS);
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
    bme280_set_noise(&fx.d, 43);
    wr(CTRL_MEAS, OSRS(5, 5, FORCED));
    fake_run_for(fx.s, 80 * MS);
    bool differs = read_data().adc_p != seq[0][0];
    for (int k = 1; k < 3 && !differs; k++) {
        wr(CTRL_MEAS, OSRS(5, 5, FORCED));
        fake_run_for(fx.s, 80 * MS);
        differs = read_data().adc_p != seq[0][k];
    }
    assert_true(differs);
}

/* The environment: steps override a table from their time on; the table is interpolated. */
static void environment_steps_and_table(void **state)
{
    (void)state;
    const struct sim_env_row rows[] = {{0, {20000, 100000000, 40000}}, {10 * SIM_PS_PER_S, {30000, 101000000, 60000}}};
    assert_int_equal(sim_env_table(&fx.env, rows, 2), 0);
    struct sim_env_value v = sim_env_at(&fx.env, 2500 * MS);
    assert_int_equal(v.t_mc, 22500);
    assert_int_equal(v.p_mpa, 100250000);
    assert_int_equal(v.h_mpct, 45000);
    air(5 * SIM_PS_PER_S, 1, -5000, 0, 0);
    v = sim_env_at(&fx.env, 6 * SIM_PS_PER_S);
    assert_int_equal(v.t_mc, -5000);
    assert_int_equal(v.h_mpct, 52000);
    assert_int_equal(sim_env_at(&fx.env, 20 * SIM_PS_PER_S).h_mpct, 60000);
    const struct sim_env_row bad[] = {{SIM_PS_PER_S, {20000, 100000000, 40000}}, {SIM_PS_PER_S, {0, 100000000, 0}}};
    assert_int_equal(sim_env_table(&fx.env, bad, 2), -EINVAL);
    assert_int_equal(sim_env_step(&fx.env, 0, 1, (struct sim_env_value){90000, 0, 0}), -EINVAL);
}


int bme280_model_tests(void)
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
        cmocka_unit_test_setup_teardown(noise_is_deterministic, setup, teardown),
        cmocka_unit_test_setup_teardown(environment_steps_and_table, setup, teardown),
    };
    return cmocka_run_group_tests_name("sim_bme280_model", tests, NULL, NULL);
}
