/*
 * apps/env-monitor on quartz-sim against a scripted environment: the
 * console's CSV (one line a second on the monotonic grid, the scripted air
 * within the sensor's resolution, the die temperature), the BME280
 * unplugged (said once on the console, empty fields, the OLED says so,
 * sampling goes on) and back (said once, readings resume), and B1 switching
 * the OLED to the min/max page. The OLED is read back with the firmware's
 * own font tables (tests/sim/stopwatch/oled_text.c), which give the
 * longest run of glyphs on a line (a space ends a run).
 * usage: test_env_monitor_sim <env-monitor.elf>
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

#include "oled_text.h"
#include "quartz/gfx.h"
#include "quartzsim.h"

#define MS 1000000ull
static const char *elf;

#define STEP_MS 2500u
#define DETACH_MS 4500u
#define ATTACH_MS 7500u
#define PRESS_MS 9000u
#define END_MS 10200u
#define DIE_MC 35500 /* --chip-temp */

static unsigned count(const char *text, const char *needle)
{
    unsigned n = 0;
    for (const char *p = strstr(text, needle); p; p = strstr(p + 1, needle))
        n++;
    return n;
}

static void scripted_run(void **state)
{
    (void)state;
    struct qsim_options opt = { 0 };
    struct qsim *s = qsim_create(&opt);
    assert_non_null(s);
    char err[256];
    assert_int_equal(qsim_load_elf(s, elf, err, sizeof err), 0);
    unsigned all = QSIM_ENV_T | QSIM_ENV_P | QSIM_ENV_H;
    assert_int_equal(qsim_env_at(s, 0, all, 21500, 101325000, 45000), 0);
    assert_int_equal(qsim_env_at(s, STEP_MS * MS, QSIM_ENV_T | QSIM_ENV_H, -5250, 0, 62500), 0);
    assert_int_equal(qsim_chip_temp_at(s, DIE_MC, 0), 0);
    assert_int_equal(qsim_bme280_detach_at(s, DETACH_MS * MS), 0);
    assert_int_equal(qsim_bme280_attach_at(s, ATTACH_MS * MS), 0);
    assert_int_equal(qsim_press_at(s, PRESS_MS * MS, 80 * MS), 0);

    /* In the outage: the OLED says so, the die temperature stays. */
    assert_int_equal(qsim_run_until(s, 6200 * MS, NULL, NULL), 0);
    char line[64];
    oled_text(qsim_oled_gddram(s), &gfx_font_small, 2, line, sizeof line);
    assert_string_equal(line, "unplugged"); /* "BME280 unplugged" */
    oled_text(qsim_oled_gddram(s), &gfx_font_small, 7, line, sizeof line);
    assert_memory_equal(line, "35.", 3); /* "die 35.x C" */

    /* After the press: the min/max page, with the range the air went through. */
    assert_int_equal(qsim_run_until(s, END_MS * MS, NULL, NULL), 0);
    oled_text(qsim_oled_gddram(s), &gfx_font_small, 0, line, sizeof line);
    assert_string_equal(line, "min/max");
    oled_text(qsim_oled_gddram(s), &gfx_font_small, 2, line, sizeof line);
    assert_string_equal(line, "-5.25"); /* "T C   -5.25 21.50" */
    oled_text(qsim_oled_gddram(s), &gfx_font_small, 4, line, sizeof line);
    assert_string_equal(line, "45.0"); /* "H RH  45.0 62.5" */

    size_t len;
    const char *con = qsim_console(s, &len);
    char *text = strndup(con, len);
    assert_non_null(strstr(text, "uptime_ms,t_mC,p_Pa,h_mpct,die_mC\r\n"));
    /* the outage: one line when it starts, one when it ends */
    assert_int_equal(count(text, "# bme280: no answer (error -6), sampling goes on\r\n"), 1);
    assert_int_equal(count(text, "# bme280: sensor back\r\n"), 1);
    assert_true(strstr(text, "no answer") < strstr(text, "sensor back"));

    unsigned rows = 0, air1 = 0, air2 = 0, outage = 0;
    long long prev = -1;
    for (char *save = NULL, *l = strtok_r(text, "\r\n", &save); l; l = strtok_r(NULL, "\r\n", &save)) {
        if (l[0] < '0' || l[0] > '9')
            continue; /* header and '#' lines */
        long long ms;
        char t[16] = "", p[16] = "", h[16] = "";
        long die;
        int n = sscanf(l, "%lld,%15[-0-9],%15[-0-9],%15[-0-9],%ld", &ms, t, p, h, &die);
        if (n != 5) { /* empty sensor fields: "ms,,,,die" */
            assert_int_equal(sscanf(l, "%lld,,,,%ld", &ms, &die), 2);
            assert_true(ms > DETACH_MS && ms < ATTACH_MS + 1000);
            outage++;
        } else if (ms < STEP_MS) {
            assert_in_range(atol(t), 21500 - 10, 21500 + 10);
            assert_in_range(atol(p), 101325 - 3, 101325 + 3); /* x1: 16 bit, 2.62 Pa (datasheet 3.4.2) */
            assert_in_range(atol(h), 45000 - 50, 45000 + 50);
            air1++;
        } else {
            assert_false(ms > DETACH_MS && ms < ATTACH_MS);
            assert_in_range(atol(t), -5250 - 10, -5250 + 10);
            assert_in_range(atol(p), 101325 - 3, 101325 + 3); /* the step left P alone */
            assert_in_range(atol(h), 62500 - 50, 62500 + 50);
            air2++;
        }
        assert_in_range(die, DIE_MC - 500, DIE_MC + 500);
        if (prev >= 0)
            assert_int_equal(ms - prev, 1000); /* once a second, outage or not */
        prev = ms;
        rows++;
    }
    free(text);
    assert_int_equal(rows, 11); /* 0.05 s .. 10.05 s */
    assert_int_equal(air1, 3);
    assert_int_equal(outage, 3);
    assert_int_equal(air2, 5);
    qsim_destroy(s);
}

/* A table (--env-csv): the air interpolated linearly between its rows;
 * each CSV line follows it. The conversion runs a few ms after the line's
 * uptime and the uptime counts from reset: the tolerances allow 20 ms of
 * drift of the air (20 mC, 3 Pa, 40 m%) beside the resolution. */
static void interpolated_air(void **state)
{
    (void)state;
    struct qsim_options opt = { 0 };
    struct qsim *s = qsim_create(&opt);
    assert_non_null(s);
    char err[256];
    assert_int_equal(qsim_load_elf(s, elf, err, sizeof err), 0);
    const struct qsim_env_row rows[2] = {
        { 0, 20000, 101325000, 40000 },
        { 10000 * MS, 30000, 100000000, 60000 },
    };
    assert_int_equal(qsim_env_table(s, rows, 2), 0);
    assert_int_equal(qsim_run_until(s, 9500 * MS, NULL, NULL), 0);
    size_t len;
    const char *con = qsim_console(s, &len);
    char *text = strndup(con, len);
    unsigned n = 0;
    for (char *save = NULL, *l = strtok_r(text, "\r\n", &save); l; l = strtok_r(NULL, "\r\n", &save)) {
        long long ms;
        long t, p, h, die;
        if (sscanf(l, "%lld,%ld,%ld,%ld,%ld", &ms, &t, &p, &h, &die) != 5)
            continue;
        long want_t = 20000 + (long)ms, want_p = 101325 - (long)(ms * 1325 / 10000), want_h = 40000 + 2 * (long)ms;
        assert_in_range(t, want_t - 30, want_t + 30);
        assert_in_range(p, want_p - 6, want_p + 6);
        assert_in_range(h, want_h - 90, want_h + 90);
        n++;
    }
    free(text);
    assert_int_equal(n, 10);
    qsim_destroy(s);
}

int main(int argc, char **argv)
{
    if (argc != 2) {
        fprintf(stderr, "usage: %s <env-monitor.elf>\n", argv[0]);
        return 2;
    }
    elf = argv[1];
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(scripted_run),
        cmocka_unit_test(interpolated_air),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
