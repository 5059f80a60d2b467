/*
 * The environment and BME280 part of libquartzsim (quartzsim.h), without
 * firmware: where qsim_options put the sensor (I2C1 at 0x76 or 0x77, SPI
 * with its chip select, none), the argument checks of qsim_env_at,
 * qsim_env_table, qsim_env_noise and the unplug/plug calls, and what the
 * report and qsim_env_now show.
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

/* The run report as a string (freed by the caller). */
static char *report(struct qsim *s)
{
    char *text = NULL;
    size_t len = 0;
    FILE *f = open_memstream(&text, &len);
    assert_non_null(f);
    assert_int_equal(qsim_write_report(s, f), 0);
    fclose(f);
    return text;
}

static void placement(void **state)
{
    (void)state;
    struct qsim *s = qsim_create(&(struct qsim_options){0});
    assert_non_null(s);
    uint8_t id = 0;
    assert_int_equal(qsim_bme280_reg(s, 0xD0, &id), 0);
    assert_int_equal(id, 0x60);
    char *json = report(s);
    assert_non_null(strstr(json, "\"bme280\":{\"bus\":\"I2C1\",\"address\":118,\"attached\":true"));
    free(json);
    qsim_destroy(s);

    s = qsim_create(&(struct qsim_options){.bme280_address = 0x77});
    json = report(s);
    assert_non_null(strstr(json, "\"address\":119"));
    free(json);
    qsim_destroy(s);

    s = qsim_create(&(struct qsim_options){.bme280_bus = QSIM_BME280_SPI2, .bme280_cs_port = 'B', .bme280_cs_pin = 12});
    assert_non_null(s);
    json = report(s);
    assert_non_null(strstr(json, "\"bme280\":{\"bus\":\"SPI2\",\"cs\":\"PB12\""));
    free(json);
    assert_int_equal(qsim_gpio_get(s, 'B', 12), 1); /* CSB's pull-up */
    qsim_destroy(s);

    s = qsim_create(&(struct qsim_options){.bme280_bus = QSIM_BME280_NONE});
    assert_int_equal(qsim_bme280_reg(s, 0xD0, &id), -ENODEV);
    assert_int_equal(qsim_env_noise(s, 1), -ENODEV);
    assert_int_equal(qsim_bme280_detach_at(s, 0), -ENODEV);
    assert_int_equal(qsim_bme280_attach_at(s, 0), -ENODEV);
    json = report(s);
    assert_null(strstr(json, "\"bme280\""));
    assert_non_null(strstr(json, "\"environment\":{\"scripted\":false,\"t_mC\":25000,\"p_mPa\":101325000,\"h_mpct\":50000}"));
    free(json);
    qsim_destroy(s);

    /* a chip select that does not exist, a bus that is not there, an address the part cannot have */
    assert_null(qsim_create(&(struct qsim_options){.bme280_bus = QSIM_BME280_SPI1, .bme280_cs_port = 'Z'}));
    assert_null(qsim_create(&(struct qsim_options){.bme280_bus = QSIM_BME280_SPI1, .bme280_cs_port = 'A', .bme280_cs_pin = 16}));
    assert_null(qsim_create(&(struct qsim_options){.bme280_address = 0x50}));
}

static void environment_checks(void **state)
{
    (void)state;
    struct qsim *s = qsim_create(&(struct qsim_options){0});
    int32_t t, p, h;
    assert_false(qsim_env_now(s, &t, &p, &h));
    assert_int_equal(t, 25000);
    assert_int_equal(qsim_env_at(s, 0, 0, 0, 0, 0), -EINVAL);                        /* no quantity */
    assert_int_equal(qsim_env_at(s, 0, QSIM_ENV_T, 85001, 0, 0), -EINVAL);           /* above 85 C */
    assert_int_equal(qsim_env_at(s, 0, QSIM_ENV_P, 0, 29999999, 0), -EINVAL);        /* below 300 hPa */
    assert_int_equal(qsim_env_at(s, 0, QSIM_ENV_H, 0, 0, 100001), -EINVAL);          /* above 100 % */
    assert_int_equal(qsim_env_at(s, UINT64_MAX, QSIM_ENV_T, 0, 0, 0), -EINVAL);      /* past the end of time */
    assert_int_equal(qsim_env_at(s, 0, QSIM_ENV_T | QSIM_ENV_H, -5000, 0, 80000), 0); /* P not looked at */
    assert_true(qsim_env_now(s, &t, &p, &h));
    assert_int_equal(t, -5000);
    assert_int_equal(p, 101325000);
    assert_int_equal(h, 80000);
    const struct qsim_env_row bad[] = {{1000, 20000, 100000000, 40000}, {1000, 21000, 100000000, 40000}};
    assert_int_equal(qsim_env_table(s, bad, 2), -EINVAL);
    assert_int_equal(qsim_env_table(s, bad, 0), -EINVAL);
    const struct qsim_env_row rows[] = {{0, 20000, 100000000, 40000}, {1000, 21000, 100100000, 42000}};
    assert_int_equal(qsim_env_table(s, rows, 2), 0);
    assert_true(qsim_env_now(s, &t, &p, &h));
    assert_int_equal(t, -5000);    /* the step at 0 overrides the table's T */
    assert_int_equal(p, 100000000); /* the table's first row: P was not stepped */
    assert_int_equal(qsim_env_noise(s, 7), 0);
    assert_int_equal(qsim_bme280_detach_at(s, 5), 0);
    qsim_destroy(s);
}

int main(void)
{
    const struct CMUnitTest tests[] = {cmocka_unit_test(placement), cmocka_unit_test(environment_checks)};
    return cmocka_run_group_tests_name("sim_bme280_api", tests, NULL, NULL);
}
