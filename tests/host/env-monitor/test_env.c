/* apps/env-monitor/env.c: the console's CSV line, fixed-point text, min/max. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "env.h"

static void csv_line(void **state)
{
    (void)state;
    char b[ENV_CSV_MAX];
    struct env_sample s = { 1050, -5250, 101325, 62500, 35500, ENV_HAVE_T | ENV_HAVE_P | ENV_HAVE_H | ENV_HAVE_DIE };
    assert_int_equal(env_csv(b, sizeof b, &s), strlen("1050,-5250,101325,62500,35500\r\n"));
    assert_string_equal(b, "1050,-5250,101325,62500,35500\r\n");
    s.have = ENV_HAVE_DIE; /* the BME280 did not answer: empty fields */
    env_csv(b, sizeof b, &s);
    assert_string_equal(b, "1050,,,,35500\r\n");
    s.have = 0;
    env_csv(b, sizeof b, &s);
    assert_string_equal(b, "1050,,,,\r\n");
    /* the longest line fits */
    struct env_sample w = { UINT64_MAX, INT32_MIN, INT32_MIN, INT32_MIN, INT32_MIN, 0xF };
    size_t n = env_csv(b, sizeof b, &w);
    assert_string_equal(b, "18446744073709551615,-2147483648,-2147483648,-2147483648,-2147483648\r\n");
    assert_true(n < ENV_CSV_MAX);
}

static void fixed_point(void **state)
{
    (void)state;
    char b[24];
    env_fixed(b, sizeof b, 23456, 3, 2);
    assert_string_equal(b, "23.46");
    env_fixed(b, sizeof b, -5250, 3, 2);
    assert_string_equal(b, "-5.25");
    env_fixed(b, sizeof b, -4, 3, 2); /* rounds to zero: no minus */
    assert_string_equal(b, "0.00");
    env_fixed(b, sizeof b, -5, 3, 2);
    assert_string_equal(b, "-0.01");
    env_fixed(b, sizeof b, 101325, 2, 2); /* Pa as hPa */
    assert_string_equal(b, "1013.25");
    env_fixed(b, sizeof b, 101325, 2, 1);
    assert_string_equal(b, "1013.3");
    env_fixed(b, sizeof b, 999995, 3, 2);
    assert_string_equal(b, "1000.00");
    env_fixed(b, sizeof b, 35500, 3, 0);
    assert_string_equal(b, "36");
    env_fixed(b, sizeof b, INT32_MIN, 3, 1);
    assert_string_equal(b, "-2147483.6");
}

static void min_max(void **state)
{
    (void)state;
    struct env_stats st;
    env_stats_init(&st);
    struct env_sample a = { 0, 21500, 101325, 45000, 30000, ENV_HAVE_T | ENV_HAVE_P | ENV_HAVE_H | ENV_HAVE_DIE };
    struct env_sample gone = { 0, -99999, 0, 0, 31000, ENV_HAVE_DIE }; /* only the die */
    struct env_sample b = { 0, -5250, 101300, 62500, 29000, ENV_HAVE_T | ENV_HAVE_P | ENV_HAVE_H | ENV_HAVE_DIE };
    env_stats_add(&st, &a);
    env_stats_add(&st, &gone);
    env_stats_add(&st, &b);
    assert_true(st.t.seen);
    assert_int_equal(st.t.min, -5250); /* not gone's missing -99999 */
    assert_int_equal(st.t.max, 21500);
    assert_int_equal(st.p.min, 101300);
    assert_int_equal(st.p.max, 101325);
    assert_int_equal(st.h.min, 45000);
    assert_int_equal(st.h.max, 62500);
    assert_int_equal(st.die.min, 29000);
    assert_int_equal(st.die.max, 31000);
    env_stats_init(&st);
    env_stats_add(&st, &gone);
    assert_false(st.t.seen);
    assert_true(st.die.seen);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(csv_line),
        cmocka_unit_test(fixed_point),
        cmocka_unit_test(min_max),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
