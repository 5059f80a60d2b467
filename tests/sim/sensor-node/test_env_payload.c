/*
 * The scenarios' reader of the env payload (env_payload.c) against the
 * examples of docs/sensor-node.md and payloads that break it: a checker
 * that let them through would pass a broken node.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
/* cmocka needs the above first */
#include <cmocka.h>

#include "env_payload.h"

static int parse(const char *text, struct env_reading *r)
{
    char why[96];
    return env_parse(text, strlen(text), r, why, sizeof why);
}

static void test_doc_examples(void **state)
{
    (void)state;
    struct env_reading r;
    assert_int_equal(parse("{\"seq\":7,\"uptime_ms\":12000,\"t\":21.53,\"p\":101325,\"h\":45.2,\"die_t\":31.2}", &r), 0);
    assert_int_equal(r.seq, 7);
    assert_int_equal(r.uptime_ms, 12000);
    assert_int_equal(r.t_c100, 2153);
    assert_int_equal(r.p_pa, 101325);
    assert_int_equal(r.h_10, 452);
    assert_int_equal(r.die_10, 312);
    assert_true(r.has_thp && r.has_die && !r.missing);
    assert_int_equal(parse("{\"seq\":8,\"uptime_ms\":13000,\"sensor\":\"missing\",\"die_t\":31.2}", &r), 0);
    assert_true(r.missing && !r.has_thp && r.has_die);
    assert_int_equal(parse("{\"seq\":9,\"uptime_ms\":1,\"t\":-5.25,\"p\":90000,\"h\":0.0}", &r), 0);
    assert_int_equal(r.t_c100, -525);
    assert_false(r.has_die); /* die_t left out when the ADC failed */
    assert_int_equal(parse("{\"dropped\":44}", &r), 0);
    assert_true(r.dropped_report);
    assert_int_equal(r.dropped, 44);
}

static void test_refused(void **state)
{
    (void)state;
    static const char *const bad[] = {
        "{\"seq\":7,\"uptime_ms\":12000,\"t\":21.5,\"p\":101325,\"h\":45.2}",         /* t with 1 decimal */
        "{\"seq\":7,\"uptime_ms\":12000,\"t\":21.53,\"p\":101325.0,\"h\":45.2}",      /* p not an integer */
        "{\"seq\":7,\"uptime_ms\":12000,\"t\":21.53,\"p\":101325,\"h\":45}",          /* h integer */
        "{\"seq\":7,\"uptime_ms\":12000,\"t\":-0.00,\"p\":101325,\"h\":45.2}",        /* negative zero */
        "{\"seq\":7,\"uptime_ms\":12000,\"t\":21.53,\"p\":101325}",                  /* h missing */
        "{\"seq\":7,\"uptime_ms\":12000,\"sensor\":\"missing\",\"t\":0.00}",         /* a fake value */
        "{\"seq\":7,\"uptime_ms\":12000,\"sensor\":\"ok\"}",
        "{\"uptime_ms\":12000,\"t\":21.53,\"p\":101325,\"h\":45.2}",                  /* no seq */
        "{\"seq\":7,\"t\":21.53,\"p\":101325,\"h\":45.2}",                            /* no uptime */
        "{\"seq\":-1,\"uptime_ms\":1,\"t\":21.53,\"p\":101325,\"h\":45.2}",
        "{\"seq\":7,\"uptime_ms\":1,\"t\":21.53,\"p\":101325,\"h\":45.2,\"x\":1}",    /* undocumented */
        "{\"seq\":7,\"seq\":8,\"uptime_ms\":1,\"t\":21.53,\"p\":101325,\"h\":45.2}",  /* duplicate */
        "{\"seq\":7,\"uptime_ms\":1,\"t\":2.153e1,\"p\":101325,\"h\":45.2}",
        "{\"seq\":7,\"uptime_ms\":1,\"t\":21.53,\"p\":101325,\"h\":45.2,}",
        "{\"seq\":7,\"uptime_ms\":1,\"t\":21.53,\"p\":101325,\"h\":45.2,\"die_t\":31}",
        "{\"dropped\":0}", "{\"dropped\":3,\"seq\":1}", "[1]", "", "online",
    };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        struct env_reading r;
        if (parse(bad[i], &r) == 0)
            fail_msg("accepted: %s", bad[i]);
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_doc_examples),
        cmocka_unit_test(test_refused),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
