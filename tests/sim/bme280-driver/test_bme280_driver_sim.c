/*
 * The BME280 driver (drivers/bme280) in a firmware image (probe.c) on
 * quartz-sim's virtual BME280: it reads back the scripted environment
 * within the sensor's resolution over I2C (beside the SSD1306, which keeps
 * working) and over SPI with a chip select; a sensor unplugged gives
 * -ENXIO on every sample, never a hang, and the readings resume once it is
 * plugged in again (the chip powers up anew and the driver configures it).
 * In normal mode with the IIR filter (bme280_probe_normal.elf), the
 * temperature and pressure follow a step of the air through the filter
 * while the humidity, which the chip does not filter, steps at once.
 * usage: test_bme280_driver_sim <bme280_probe.elf> <bme280_probe_normal.elf>
 */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "quartzsim.h"

#define MS 1000000ull
static const char *elf, *elf_normal;

struct env {
    int32_t t_mc, p_pa, h_mpct;
};
static const struct env air1 = { 21500, 101325, 45000 };  /* 21.5 C, 1013.25 hPa, 45 % */
static const struct env air2 = { -10000, 90000, 80000 };  /* -10 C, 900 hPa, 80 % */
#define STEP_MS 1200u
#define DETACH_MS 2100u
#define ATTACH_MS 3100u
#define END_MS 4200u

/* Resolution (datasheet 3.4.1..3.4.3: 16 + (osrs - 1) bits without the
 * filter, so T x2 about 0.0025 C and P x16 0.16 Pa; humidity 16 bit, about
 * 0.008 %RH) plus the output rounding to 0.01 C, 1 Pa, 0.001 %. */
#define TOL_T_MC 10
#define TOL_P_PA 2
#define TOL_H_MPCT 50

static struct qsim *start(const struct qsim_options *opt)
{
    struct qsim *s = qsim_create(opt);
    assert_non_null(s);
    char err[256];
    assert_int_equal(qsim_load_elf(s, elf, err, sizeof err), 0);
    assert_int_equal(qsim_env_at(s, 0, QSIM_ENV_T | QSIM_ENV_P | QSIM_ENV_H, air1.t_mc, air1.p_pa * 1000,
                                 air1.h_mpct), 0);
    assert_int_equal(qsim_env_at(s, STEP_MS * MS, QSIM_ENV_T | QSIM_ENV_P | QSIM_ENV_H, air2.t_mc,
                                 air2.p_pa * 1000, air2.h_mpct), 0);
    assert_int_equal(qsim_bme280_detach_at(s, DETACH_MS * MS), 0);
    assert_int_equal(qsim_bme280_attach_at(s, ATTACH_MS * MS), 0);
    assert_int_equal(qsim_run_until(s, END_MS * MS, NULL, NULL), 0);
    return s;
}

struct counts {
    unsigned air1, air2, unplugged, absent, oled_ok, lines;
};

/* Check every line of `bus` (the one with the chip) and of `other` (none). */
static struct counts check(struct qsim *s, const char *bus, const char *other)
{
    size_t len;
    const char *con = qsim_console(s, &len);
    char *text = strndup(con, len);
    struct counts n = { 0 };
    for (char *save = NULL, *l = strtok_r(text, "\r\n", &save); l; l = strtok_r(NULL, "\r\n", &save)) {
        char name[8];
        long long ms;
        int rc;
        long t, p, h;
        int fields = sscanf(l, "%7s %lld %d %ld %ld %ld", name, &ms, &rc, &t, &p, &h);
        if (fields == 3 && strcmp(name, "oled") == 0) {
            assert_int_equal(rc, 0); /* the display on the same bus never fails */
            n.oled_ok++;
            continue;
        }
        if (fields != 6)
            continue;
        n.lines++;
        if (strcmp(name, other) == 0) {
            assert_int_equal(rc, -ENXIO);
            n.absent++;
            continue;
        }
        assert_string_equal(name, bus);
        if (ms > DETACH_MS && ms < ATTACH_MS) {
            print_message("%s\n", l);
            assert_int_equal(rc, -ENXIO);
            n.unplugged++;
            continue;
        }
        assert_int_equal(rc, 0);
        const struct env *e = ms < STEP_MS ? &air1 : &air2;
        assert_in_range(t, e->t_mc - TOL_T_MC, e->t_mc + TOL_T_MC);
        assert_in_range(p, e->p_pa - TOL_P_PA, e->p_pa + TOL_P_PA);
        assert_in_range(h, e->h_mpct - TOL_H_MPCT, e->h_mpct + TOL_H_MPCT);
        if (e == &air1)
            n.air1++;
        else
            n.air2++;
    }
    free(text);
    return n;
}

static void over_i2c(void **state)
{
    (void)state;
    struct qsim_options opt = { 0 }; /* the BME280 on I2C1 at 0x76 */
    struct qsim *s = start(&opt);
    struct counts n = check(s, "i2c", "spi");
    /* samples every 500 ms from 40 ms: 3 in air1, 2 in air2 before the
     * unplug, 2 unplugged, 2 after it is back */
    assert_int_equal(n.air1, 3);
    assert_int_equal(n.unplugged, 2);
    assert_int_equal(n.air2, 4);
    assert_int_equal(n.absent, 9);
    assert_int_equal(n.oled_ok, 9);
    qsim_destroy(s);
}

static void over_spi(void **state)
{
    (void)state;
    struct qsim_options opt = { 0 };
    opt.bme280_bus = QSIM_BME280_SPI2;
    opt.bme280_cs_port = 'B';
    opt.bme280_cs_pin = 12;
    struct qsim *s = start(&opt);
    struct counts n = check(s, "spi", "i2c");
    assert_int_equal(n.air1, 3);
    assert_int_equal(n.unplugged, 2);
    assert_int_equal(n.air2, 4);
    assert_int_equal(n.absent, 9);
    qsim_destroy(s);
}

/* Datasheet 3.4.4: the IIR filter acts on temperature and pressure (each
 * conversion moves the output by 1/16 of the way at coefficient 16); the
 * humidity is not filtered, only its temperature compensation lags. */
static void normal_mode_iir(void **state)
{
    (void)state;
    struct qsim_options opt = { 0 };
    struct qsim *s = qsim_create(&opt);
    assert_non_null(s);
    char err[256];
    assert_int_equal(qsim_load_elf(s, elf_normal, err, sizeof err), 0);
    unsigned all = QSIM_ENV_T | QSIM_ENV_P | QSIM_ENV_H;
    assert_int_equal(qsim_env_at(s, 0, all, air1.t_mc, air1.p_pa * 1000, air1.h_mpct), 0);
    assert_int_equal(qsim_env_at(s, STEP_MS * MS, all, 31500, 100000000, 80000), 0);
    assert_int_equal(qsim_run_until(s, 6000 * MS, NULL, NULL), 0);
    size_t len;
    const char *con = qsim_console(s, &len);
    char *text = strndup(con, len);
    long prev_t = 0, prev_p = 0;
    unsigned before = 0, after = 0;
    for (char *save = NULL, *l = strtok_r(text, "\r\n", &save); l; l = strtok_r(NULL, "\r\n", &save)) {
        long long ms;
        int rc;
        long t, p, h;
        if (sscanf(l, "i2c %lld %d %ld %ld %ld", &ms, &rc, &t, &p, &h) != 5)
            continue;
        if (ms < 100) { /* right after the configuration: no conversion yet, or the first */
            assert_true(rc == 0 || rc == -ENODATA);
            continue;
        }
        assert_int_equal(rc, 0);
        if (ms < STEP_MS) {
            assert_in_range(t, air1.t_mc - TOL_T_MC, air1.t_mc + TOL_T_MC);
            assert_in_range(p, air1.p_pa - 3, air1.p_pa + 3);
            before++;
        } else {
            assert_true(t < 31500 && p > 100000); /* on the way, through the filter */
            if (after == 0) {
                assert_true(t < 26500);   /* less than half of the 10 C step after ~5 conversions */
                assert_true(h > 78000);   /* the humidity stepped: 45 % to within 2 % of 80 % */
            } else {
                assert_true(t > prev_t);  /* monotonic towards the new air */
                assert_true(p < prev_p);
            }
            prev_t = t;
            prev_p = p;
            after++;
        }
    }
    free(text);
    assert_int_equal(before, 2);
    assert_int_equal(after, 9); /* 1.54 s .. 5.54 s */
    assert_true(prev_t > 31000); /* 60 conversions later: within 0.5 C */
    qsim_destroy(s);
}

int main(int argc, char **argv)
{
    if (argc != 3) {
        fprintf(stderr, "usage: %s <bme280_probe.elf> <bme280_probe_normal.elf>\n", argv[0]);
        return 2;
    }
    elf = argv[1];
    elf_normal = argv[2];
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(over_i2c),
        cmocka_unit_test(over_spi),
        cmocka_unit_test(normal_mode_iir),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
