/*
 * The ADC probe image (probe.c) on quartz-sim through libquartzsim: the die
 * temperature the firmware computes from TS_CAL1/TS_CAL2 follows
 * qsim_chip_temp_at within 1 C at two temperatures, VDDA from VREFINT is
 * 3300 mV, the pin voltages scripted with qsim_analog_at read back within
 * 2 LSB; the device data in system memory (UID, F_SIZE, calibration) is
 * where RM0390 39.1-39.2 and the datasheet DS10693 (temperature sensor and VREFINT calibration values) put it.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include <errno.h>

#include "quartzsim.h"

#define MS 1000000ull

static const char *image;

struct line {
    long t, temp, vdda, pa0, pa1, rc;
};

/* The probe line printed at or after `t_ms`. */
static bool find_line(const char *console, long t_ms, struct line *out)
{
    for (const char *p = strstr(console, "t="); p; p = strstr(p + 1, "\nt=")) {
        if (*p == '\n')
            p++;
        struct line l;
        if (sscanf(p, "t=%ld temp=%ld vdda=%ld pa0=%ld pa1=%ld rc=%ld", &l.t, &l.temp, &l.vdda, &l.pa0, &l.pa1,
                   &l.rc) == 6 &&
            l.t >= t_ms) {
            *out = l;
            return true;
        }
    }
    return false;
}

static uint16_t read16(struct qsim *s, uint32_t address)
{
    uint8_t b[2];
    assert_int_equal(qsim_read_mem(s, address, b, 2), 0);
    return (uint16_t)(b[0] | b[1] << 8);
}

/* UID (default and --uid), F_SIZE and the ADC calibration values in system memory. */
static void device_data(void **state)
{
    (void)state;
    struct qsim *s = qsim_create(&(struct qsim_options){0});
    assert_non_null(s);
    static const uint8_t default_uid[12] = {0x33, 0x00, 0x2A, 0x00, 0x12, 0x51, 0x34, 0x38, 0x37, 0x37, 0x31, 0x30};
    uint8_t uid[12];
    assert_int_equal(qsim_read_mem(s, 0x1FFF7A10u, uid, sizeof uid), 0);
    assert_memory_equal(uid, default_uid, sizeof uid);
    assert_int_equal(read16(s, 0x1FFF7A22u), 512);
    uint16_t vrefint = read16(s, 0x1FFF7A2Au), ts1 = read16(s, 0x1FFF7A2Cu), ts2 = read16(s, 0x1FFF7A2Eu);
    /* DS10693: VREFINT 1.18..1.24 V, the sensor 0.76 V at 25 C and 2.5 mV/C, all read at VDDA = 3.3 V */
    assert_true(vrefint >= 1180 * 4095 / 3300 && vrefint <= 1240 * 4095 / 3300);
    assert_true(ts1 >= 900 && ts1 <= 1000);
    assert_true((ts2 - ts1) * 3300 / 4095 >= 190 && (ts2 - ts1) * 3300 / 4095 <= 210); /* 80 C x 2.5 mV */
    qsim_destroy(s);

    struct qsim_options o = {.uid_given = true, .uid = {1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12}};
    s = qsim_create(&o);
    assert_int_equal(qsim_read_mem(s, 0x1FFF7A10u, uid, sizeof uid), 0);
    assert_memory_equal(uid, o.uid, sizeof uid);
    assert_int_equal(read16(s, 0x1FFF7A22u), 512);
    qsim_destroy(s);
}

static void bad_inputs(void **state)
{
    (void)state;
    struct qsim *s = qsim_create(&(struct qsim_options){0});
    assert_int_equal(qsim_analog_at(s, 'A', 0, 1650000, 0), 0);
    assert_int_equal(qsim_analog_at(s, 'f', 3, 0, 0), 0); /* ADC3_IN9 */
    assert_int_equal(qsim_analog_at(s, 'A', 8, 1000000, 0), -EINVAL);  /* no ADC input */
    assert_int_equal(qsim_analog_at(s, 'D', 2, 1000000, 0), -EINVAL);
    assert_int_equal(qsim_analog_at(s, 'A', 0, QSIM_VDDA_UV + 1, 0), -EINVAL);
    assert_int_equal(qsim_chip_temp_at(s, QSIM_TEMP_MAX_MC + 1, 0), -EINVAL);
    assert_int_equal(qsim_chip_temp_at(s, QSIM_TEMP_MIN_MC - 1, 0), -EINVAL);
    assert_int_equal(qsim_chip_temp_at(s, -40000, 5 * MS), 0);
    qsim_destroy(s);
}

/* The firmware's figures against the scripted inputs, before and after they change at 600 ms. */
static void probe_reads_scripted_inputs(void **state)
{
    (void)state;
    struct qsim *s = qsim_create(&(struct qsim_options){0});
    char err[256];
    assert_int_equal(qsim_load_elf(s, image, err, sizeof err), 0);
    assert_int_equal(qsim_chip_temp_at(s, 35000, 0), 0);
    assert_int_equal(qsim_chip_temp_at(s, 85000, 600 * MS), 0);
    assert_int_equal(qsim_analog_at(s, 'A', 0, 1650000, 0), 0);
    assert_int_equal(qsim_analog_at(s, 'A', 1, 800000, 0), 0);
    assert_int_equal(qsim_analog_at(s, 'A', 1, 2500000, 600 * MS), 0);
    assert_int_equal(qsim_run_until(s, 1200 * MS, NULL, NULL), 0);
    size_t len;
    const char *console = qsim_console(s, &len);
    char *text = strndup(console, len);
    print_message("%s", text);
    assert_non_null(strstr(text, "uid=30313737-38345112-002A0033 fsize=512")); /* the default UID */
    static const struct {
        long t_ms, temp, pa1;
    } at[] = {{300, 3500, 993}, {1000, 8500, 3102}}; /* 800 mV, 2500 mV x 4095 / 3300 mV */
    for (size_t k = 0; k < 2; k++) {
        struct line l;
        assert_true(find_line(text, at[k].t_ms, &l));
        assert_int_equal(l.rc, 0);
        assert_in_range(l.temp, at[k].temp - 100, at[k].temp + 100); /* within 1 C */
        assert_in_range(l.vdda, 3290, 3310);
        assert_in_range(l.pa0, 1650 - 3, 1650 + 3); /* 2 LSB = 1.6 mV, plus the mV rounding */
        assert_in_range(l.pa1, at[k].pa1 - 2, at[k].pa1 + 2);
    }
    /* the scan after 1.1 s: PA1 at 2.5 V, PA0 at 1.65 V, VREFINT at VREFINT_CAL (VDDA is 3.3 V) */
    const char *scan = strstr(text, "scan rc=");
    assert_non_null(scan);
    long rc, c[4];
    assert_int_equal(sscanf(scan, "scan rc=%ld codes=%ld,%ld,%ld,%ld", &rc, &c[0], &c[1], &c[2], &c[3]), 5);
    assert_int_equal(rc, 0);
    assert_in_range(c[0], 3102 - 2, 3102 + 2);
    assert_in_range(c[1], 2048 - 2, 2048 + 2);
    assert_in_range(c[2], read16(s, 0x1FFF7A2Au) - 2, read16(s, 0x1FFF7A2Au) + 2);
    assert_in_range(c[3], 3102 - 2, 3102 + 2);
    assert_non_null(strstr(text, "einval ok"));
    free(text);

    /* The report counts them: 12 lines of 2 + 1 + 2 + 1 conversions, then the scan of 4. The scans of two
     * ranks or more (each line's temperature, the last scan: 12 x 2 + 4) went by DMA2 stream 4, a half-word
     * per rank; single conversions are polled. */
    char *json = NULL;
    size_t json_len = 0;
    FILE *f = open_memstream(&json, &json_len);
    assert_int_equal(qsim_write_report(s, f), 0);
    fclose(f);
    assert_non_null(strstr(json, "\"adc\":{\"ADC1\":{\"conversions\":76,\"overruns\":0,\"dma_requests\":28},"
                                 "\"ADC2\":{\"conversions\":0,"));
    assert_non_null(strstr(json, "\"DMA2\":{\"S4\":{\"transfers\":28,\"bytes\":56,\"errors\":0}}"));
    free(json);
    qsim_destroy(s);
}

int main(int argc, char **argv)
{
    if (argc != 2) {
        fprintf(stderr, "usage: %s adc-probe.elf\n", argv[0]);
        return 2;
    }
    image = argv[1];
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(device_data),
        cmocka_unit_test(bad_inputs),
        cmocka_unit_test(probe_reads_scripted_inputs),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
