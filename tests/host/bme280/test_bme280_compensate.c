/*
 * BME280 compensation (drivers/bme280/bme280_compensate.c): published
 * vectors, the signed 12-bit H4/H5, the measurement time, and every
 * combination of extreme calibration and raw values under UBSan (this test
 * is always built with -fsanitize=undefined -fno-sanitize-recover: an
 * overflow or a left shift of a negative value aborts it).
 */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "bme280/bme280.h"

/* BMP280 datasheet (BST-BMP280-DS001) 3.12 / BME280 8.1 worked example:
 * the same T and P trimming layout as the BME280. */
static const struct bme280_calib datasheet = {
    .t1 = 27504, .t2 = 26435, .t3 = -1000,
    .p1 = 36477, .p2 = -10685, .p3 = 3024, .p4 = 2855, .p5 = 140,
    .p6 = -7, .p7 = 15500, .p8 = -14600, .p9 = 6000,
};

static void datasheet_vector(void **state)
{
    (void)state;
    int32_t t_fine;
    assert_int_equal(bme280_compensate_t(&datasheet, 519888, &t_fine), 2508); /* 25.08 degC */
    assert_int_equal(t_fine, 128422);
    uint32_t p;
    assert_int_equal(bme280_compensate_p(&datasheet, 415148, t_fine, &p), 0);
    assert_int_equal(p >> 8, 100653); /* 100653.27 Pa, the 64-bit formula */
    assert_int_equal((p + 128) >> 8, 100653);
}

/*
 * A set with humidity from a test suite we did not write: pimoroni/bme280-python,
 * tests/calibration.py (the trimming values) and tests/test_compensation.py
 * (raw T 529191, P 326816, H 30281; expected 24.7894877676 degC,
 * 1006.61517564 hPa, 68.66996648709039 %RH). Those are the datasheet's
 * double-precision formulas (8.1); the integer ones (8.2, here) agree to
 * within their resolution: 0.01 degC, 1 Pa, 1/1024 %RH plus the rounding of
 * each intermediate step.
 */
static const struct bme280_calib pimoroni = {
    .t1 = 28009, .t2 = 25654, .t3 = 50,
    .p1 = 39145, .p2 = -10750, .p3 = 3024, .p4 = 5667, .p5 = -120,
    .p6 = -7, .p7 = 15500, .p8 = -14600, .p9 = 6000,
    .h1 = 75, .h2 = 376, .h3 = 0, .h4 = 286, .h5 = 50, .h6 = 30,
};

static void pimoroni_vector(void **state)
{
    (void)state;
    struct bme280_raw raw = { .adc_t = 529191, .adc_p = 326816, .adc_h = 30281 };
    struct bme280_sample s = bme280_compensate(&pimoroni, &raw);
    assert_int_equal(s.valid, BME280_HAVE_T | BME280_HAVE_P | BME280_HAVE_H);
    /* 24.7894877676 degC */
    assert_in_range(s.t_centi_c, 2478, 2479);
    /* 100661.517564 Pa: within 1 Pa */
    assert_in_range(s.p_q24_8, (uint32_t)(100660.517564 * 256), (uint32_t)(100662.517564 * 256));
    /* 68.66996648709039 %RH: within 0.05 %RH */
    assert_in_range(s.h_q22_10, (uint32_t)(68.62 * 1024), (uint32_t)(68.72 * 1024));
}

/* The register bytes of a calibration, as the chip holds them. */
static void calib_bytes(uint8_t a[26], uint8_t b[7], const struct bme280_calib *c, uint8_t e4,
                        uint8_t e5, uint8_t e6)
{
    const uint16_t w[12] = { c->t1, (uint16_t)c->t2, (uint16_t)c->t3, c->p1, (uint16_t)c->p2,
                             (uint16_t)c->p3, (uint16_t)c->p4, (uint16_t)c->p5, (uint16_t)c->p6,
                             (uint16_t)c->p7, (uint16_t)c->p8, (uint16_t)c->p9 };
    for (int i = 0; i < 12; i++) {
        a[2 * i] = (uint8_t)w[i];
        a[2 * i + 1] = (uint8_t)(w[i] >> 8);
    }
    a[24] = 0;
    a[25] = c->h1;
    b[0] = (uint8_t)c->h2;
    b[1] = (uint8_t)((uint16_t)c->h2 >> 8);
    b[2] = c->h3;
    b[3] = e4;
    b[4] = e5;
    b[5] = e6;
    b[6] = (uint8_t)c->h6;
}

static void calib_parse_layout(void **state)
{
    (void)state;
    /* pimoroni's H4 286 = 0x11E, H5 50 = 0x032: E4 0x11, E5 0x2E, E6 0x03 */
    uint8_t a[26], b[7];
    calib_bytes(a, b, &pimoroni, 0x11, 0x2E, 0x03);
    struct bme280_calib c;
    memset(&c, 0x55, sizeof c);
    bme280_calib_parse(&c, a, b);
    assert_int_equal(c.t1, 28009);
    assert_int_equal(c.t2, 25654);
    assert_int_equal(c.p1, 39145);
    assert_int_equal(c.p2, -10750);
    assert_int_equal(c.p8, -14600);
    assert_int_equal(c.p9, 6000);
    assert_int_equal(c.h1, 75);
    assert_int_equal(c.h2, 376);
    assert_int_equal(c.h3, 0);
    assert_int_equal(c.h4, 286);
    assert_int_equal(c.h5, 50);
    assert_int_equal(c.h6, 30);
}

/*
 * H4 and H5 are signed 12-bit (datasheet table 16: dig_H4 "signed short",
 * 0xE4 / 0xE5[3:0]; dig_H5 0xE5[7:4] / 0xE6). Adafruit_BME280_Library
 * issue 44: read as unsigned, a negative H4 became a large positive one.
 */
static void h4_h5_sign_extension(void **state)
{
    (void)state;
    uint8_t a[26], b[7];
    struct bme280_calib c;
    /* H4 = 0xF2A -> -214, H5 = 0xFF3 -> -13 */
    calib_bytes(a, b, &pimoroni, 0xF2, 0x3A, 0xFF);
    bme280_calib_parse(&c, a, b);
    assert_int_equal(c.h4, -214);
    assert_int_equal(c.h5, -13);
    /* the ends of the range: 0x800 = -2048, 0x7FF = 2047 */
    calib_bytes(a, b, &pimoroni, 0x80, 0xF0, 0x7F);
    bme280_calib_parse(&c, a, b);
    assert_int_equal(c.h4, -2048);
    assert_int_equal(c.h5, 2047);
    calib_bytes(a, b, &pimoroni, 0x7F, 0x0F, 0x80);
    bme280_calib_parse(&c, a, b);
    assert_int_equal(c.h4, 2047);
    assert_int_equal(c.h5, -2048);
    /* H6 is int8 (0xE7), H2 int16 */
    b[6] = 0x9C;
    b[0] = 0x00;
    b[1] = 0x80;
    bme280_calib_parse(&c, a, b);
    assert_int_equal(c.h6, -100);
    assert_int_equal(c.h2, -32768);
}

static void raw_parse(void **state)
{
    (void)state;
    /* 0xF7.. press msb lsb xlsb[7:4], temp msb lsb xlsb[7:4], hum msb lsb */
    const uint8_t d[8] = { 0x65, 0x5A, 0xC0, 0x7E, 0xED, 0x00, 0x76, 0x49 };
    struct bme280_raw r = bme280_raw_parse(d);
    assert_int_equal(r.adc_p, 0x655AC);
    assert_int_equal(r.adc_t, 0x7EED0);
    assert_int_equal(r.adc_h, 0x7649);
}

static void skipped_quantities(void **state)
{
    (void)state;
    struct bme280_raw raw = { .adc_t = 519888, .adc_p = 0x80000, .adc_h = 0x8000 };
    struct bme280_sample s = bme280_compensate(&pimoroni, &raw);
    assert_int_equal(s.valid, BME280_HAVE_T);
    raw.adc_t = 0x80000; /* no temperature: nothing else either */
    raw.adc_p = 415148;
    raw.adc_h = 30281;
    s = bme280_compensate(&pimoroni, &raw);
    assert_int_equal(s.valid, 0);
}

static void measure_time(void **state)
{
    (void)state;
    /* datasheet 9.1, max: 1.25 + 2.3 T + (2.3 P + 0.575) + (2.3 H + 0.575) ms */
    struct bme280_settings s = { BME280_OS_X1, BME280_OS_X1, BME280_OS_X1, 0, 0, BME280_MODE_FORCED };
    assert_int_equal(bme280_measure_time_us(&s), 9300);
    s.osrs_t = s.osrs_p = s.osrs_h = BME280_OS_X16;
    assert_int_equal(bme280_measure_time_us(&s), 112800);
    s.osrs_t = BME280_OS_X2;
    s.osrs_p = BME280_OS_X16;
    s.osrs_h = BME280_OS_SKIP;
    assert_int_equal(bme280_measure_time_us(&s), 1250 + 4600 + 36800 + 575);
    s.osrs_t = BME280_OS_X1;
    s.osrs_p = BME280_OS_SKIP;
    assert_int_equal(bme280_measure_time_us(&s), 3550);
}

/* ---- extremes: every corner of the calibration space, under UBSan ---- */

static const int32_t raw20[] = { 0, 1, 415148, 519888, 0x7FFFF, 0x80001, 0xFFFFF };
static const int16_t s16[] = { -32768, 32767 };

static void extremes_temperature(void **state)
{
    (void)state;
    struct bme280_calib c = datasheet;
    const uint16_t u16[] = { 0, 65535 };
    for (int i = 0; i < 2; i++)
        for (int j = 0; j < 2; j++)
            for (int k = 0; k < 2; k++)
                for (size_t r = 0; r < sizeof raw20 / sizeof raw20[0]; r++) {
                    c.t1 = u16[i];
                    c.t2 = s16[j];
                    c.t3 = s16[k];
                    int32_t t_fine;
                    int32_t t = bme280_compensate_t(&c, raw20[r], &t_fine);
                    assert_in_range(t_fine + 4200000, 0, 8400000);
                    assert_int_equal(t, (t_fine * 5 + 128) >> 8);
                }
    /* the corner that overflows the reference's int32: (adc_T >> 3) - 2 T1
     * = -131070 times T2 = -32768 is 2^32 */
    c.t1 = 65535;
    c.t2 = -32768;
    c.t3 = 0;
    int32_t t_fine;
    bme280_compensate_t(&c, 0, &t_fine);
    assert_int_equal(t_fine, (int32_t)(((int64_t)-131070 * -32768) >> 11));
}

static const int32_t t_fines[] = { -4200000, -204800, 0, 76800, 128000, 128422, 435200, 4200000 };

static void extremes_pressure(void **state)
{
    (void)state;
    unsigned ok = 0, range = 0;
    struct bme280_calib c = datasheet;
    const uint16_t p1s[] = { 1, 36477, 65535 };
    for (unsigned m = 0; m < 3u * 256u; m++) {
        c.p1 = p1s[m / 256];
        int16_t *ps[8] = { &c.p2, &c.p3, &c.p4, &c.p5, &c.p6, &c.p7, &c.p8, &c.p9 };
        for (int b = 0; b < 8; b++)
            *ps[b] = s16[(m >> b) & 1];
        for (size_t t = 0; t < sizeof t_fines / sizeof t_fines[0]; t++)
            for (size_t r = 0; r < sizeof raw20 / sizeof raw20[0]; r++) {
                uint32_t p = 0xDEADBEEF;
                int rc = bme280_compensate_p(&c, raw20[r], t_fines[t], &p);
                if (rc == 0) {
                    assert_true(p < (1u << 30));
                    ok++;
                } else {
                    assert_int_equal(rc, -ERANGE);
                    assert_int_equal(p, 0xDEADBEEF); /* untouched */
                    range++;
                }
            }
    }
    /* both outcomes occur: the corners are not all refused */
    assert_true(ok > 1000);
    assert_true(range > 1000);
    /* P1 = 0: the reference's division by zero */
    c = datasheet;
    c.p1 = 0;
    uint32_t p;
    assert_int_equal(bme280_compensate_p(&c, 415148, 128422, &p), -ERANGE);
    /* P1 = 65535 with a positive var1: ((1 << 47) + var1) * P1 passes 2^63,
     * which the reference overflows; here it is the exact floor. */
    c = datasheet;
    c.p1 = 65535;
    c.p2 = 32767;
    c.p3 = 32767;
    assert_int_equal(bme280_compensate_p(&c, 415148, 435200, &p), 0);
}

static void extremes_humidity(void **state)
{
    (void)state;
    struct bme280_calib c = pimoroni;
    const int32_t raw16[] = { 0, 1, 30281, 0x7FFF, 0x8001, 0xFFFF };
    const int16_t h12[] = { -2048, 2047 };
    const int8_t s8[] = { -128, 127 };
    const uint8_t u8[] = { 0, 255 };
    unsigned zero = 0, full = 0;
    for (unsigned m = 0; m < 64; m++) {
        c.h1 = u8[m & 1];
        c.h2 = s16[(m >> 1) & 1];
        c.h3 = u8[(m >> 2) & 1];
        c.h4 = h12[(m >> 3) & 1];
        c.h5 = h12[(m >> 4) & 1];
        c.h6 = s8[(m >> 5) & 1];
        for (size_t t = 0; t < sizeof t_fines / sizeof t_fines[0]; t++)
            for (size_t r = 0; r < sizeof raw16 / sizeof raw16[0]; r++) {
                uint32_t h = bme280_compensate_h(&c, raw16[r], t_fines[t]);
                assert_true(h <= 102400); /* 0..100 % in Q22.10 */
                zero += h == 0;
                full += h == 102400;
            }
    }
    assert_true(zero > 0);
    assert_true(full > 0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(datasheet_vector),
        cmocka_unit_test(pimoroni_vector),
        cmocka_unit_test(calib_parse_layout),
        cmocka_unit_test(h4_h5_sign_extension),
        cmocka_unit_test(raw_parse),
        cmocka_unit_test(skipped_quantities),
        cmocka_unit_test(measure_time),
        cmocka_unit_test(extremes_temperature),
        cmocka_unit_test(extremes_pressure),
        cmocka_unit_test(extremes_humidity),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
