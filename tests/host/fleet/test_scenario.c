/*
 * tools/fleet's fault scripts (tools/fleet.d/scenario.c): what parses, each
 * refusal with its line and reason, the checks against a run, which nodes
 * a share picks, and the canonical text parsing back to the same events.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "scenario.h"

static struct scenario sc;
static char err[256];

static int parse(const char *text)
{
    err[0] = '\0';
    return scenario_parse(&sc, text, strlen(text), err, sizeof err);
}

static void test_accepts(void **state)
{
    (void)state;
    assert_int_equal(parse("# a fault script\n"
                           "\n"
                           "at 20s broker-restart down=5s\n"
                           "  at 40s\tlink-down nodes=30% for=20s   # a share\n"
                           "at 1500ms reset nodes=2\n"
                           "at 70s link-down for=1s nodes=1"), 0);
    assert_int_equal(sc.n, 4);
    assert_int_equal(sc.ev[0].kind, SCENARIO_BROKER_RESTART);
    assert_int_equal(sc.ev[0].at_ns, 20000000000ull);
    assert_int_equal(sc.ev[0].duration_ns, 5000000000ull);
    assert_int_equal(sc.ev[1].kind, SCENARIO_LINK_DOWN);
    assert_true(sc.ev[1].percent);
    assert_int_equal(sc.ev[1].count, 30);
    assert_int_equal(sc.ev[1].line, 4);
    assert_int_equal(sc.ev[2].kind, SCENARIO_RESET);
    assert_int_equal(sc.ev[2].at_ns, 1500000000ull);
    assert_false(sc.ev[2].percent);
    assert_int_equal(sc.ev[2].count, 2);
    assert_int_equal(sc.ev[3].duration_ns, 1000000000ull); /* keys in any order */
    assert_int_equal(parse(""), 0);
    assert_int_equal(sc.n, 0);
}

static void expect_error(const char *text, const char *message)
{
    assert_int_equal(parse(text), -EINVAL);
    if (!strstr(err, message))
        fail_msg("'%s': got '%s', expected '%s'", text, err, message);
}

static void test_refuses(void **state)
{
    (void)state;
    expect_error("reset nodes=1\n", "line 1: expected 'at TIME EVENT ...', got 'reset'");
    expect_error("at 5s\n", "line 1: expected 'at TIME EVENT ...'");
    expect_error("\nat 5 reset nodes=1\n", "line 2: at '5' is not a TIME");
    expect_error("at 5s reboot nodes=1\n", "line 1: unknown event 'reboot'");
    expect_error("at 5s reset\n", "line 1: reset needs nodes=");
    expect_error("at 5s link-down nodes=1\n", "line 1: link-down needs for=");
    expect_error("at 5s broker-restart\n", "line 1: broker-restart needs down=");
    expect_error("at 5s reset nodes=1 nodes=2\n", "line 1: 'nodes=' given twice");
    expect_error("at 5s reset nodes=1 for=2s\n", "line 1: reset takes no 'for='");
    expect_error("at 5s broker-restart down=0s\n", "line 1: down=0s must be more than 0");
    expect_error("at 5s reset 1\n", "line 1: expected KEY=VALUE, got '1'");
    expect_error("at 5s reset nodes=0\n", "nodes='0' is not a share");
    expect_error("at 5s reset nodes=101%\n", "nodes='101%' is not a share");
    expect_error("at 5s reset nodes=01\n", "nodes='01' is not a share");
    expect_error("at 5s reset nodes=%\n", "nodes='%' is not a share");
    expect_error("at 5s reset nodes=-1\n", "nodes='-1' is not a share");
    expect_error("at 5s reset nodes=1\r\n", "line 1: a carriage return");
    expect_error("at 5s reset nodes=\x01\n", "line 1: byte 0x01 is not printable ASCII");
    expect_error("at 5s reset nodes=1 a=1 b=2 c=3 d=4 e=5\n", "line 1: too many words");
    char text[400];
    memset(text, 'x', sizeof text);
    text[sizeof text - 1] = '\0';
    expect_error(text, "line 1: longer than 200 characters");
    assert_int_equal(scenario_parse(&sc, "at 1s reset nodes=1\0", 20, err, sizeof err), -EINVAL);
    assert_non_null(strstr(err, "byte 0x00"));
    /* The limit on events. */
    static char many[SCENARIO_MAX_EVENTS * 24 + 64];
    size_t n = 0;
    for (int i = 0; i <= SCENARIO_MAX_EVENTS; i++)
        n += (size_t)sprintf(many + n, "at %ds reset nodes=1\n", i);
    expect_error(many, "more than 256 events");
}

static void test_check(void **state)
{
    (void)state;
    assert_int_equal(parse("at 20s link-down nodes=3 for=10s\n"), 0);
    assert_int_equal(scenario_check(&sc, 3, 31000000000ull, err, sizeof err), 0);
    assert_int_equal(scenario_check(&sc, 2, 31000000000ull, err, sizeof err), -EINVAL);
    assert_non_null(strstr(err, "nodes=3 but the fleet has 2"));
    assert_int_equal(scenario_check(&sc, 3, 30000000000ull, err, sizeof err), -EINVAL); /* the link returns at the end */
    assert_non_null(strstr(err, "does not end within the run"));
    assert_int_equal(parse("at 60s reset nodes=100%\n"), 0);
    assert_int_equal(scenario_check(&sc, 1, 60000000000ull, err, sizeof err), -EINVAL);
    assert_int_equal(scenario_check(&sc, 1, 60000000001ull, err, sizeof err), 0);
}

static void test_picks(void **state)
{
    (void)state;
    assert_int_equal(parse("at 1s link-down nodes=30% for=1s\nat 1s reset nodes=2\nat 1s broker-restart down=1s\n"), 0);
    unsigned picked = 0;
    char which[64] = "";
    for (unsigned i = 0; i < 10; i++)
        if (scenario_picks(&sc.ev[0], i, 10)) {
            picked++;
            sprintf(which + strlen(which), "%u ", i);
        }
    assert_int_equal(picked, 3);
    assert_string_equal(which, "3 6 9 "); /* spread over the fleet, not the first three */
    picked = 0;
    for (unsigned i = 0; i < 1000; i++)
        picked += scenario_picks(&sc.ev[0], i, 1000);
    assert_int_equal(picked, 300);
    assert_true(scenario_picks(&sc.ev[1], 0, 10) && scenario_picks(&sc.ev[1], 1, 10));
    assert_false(scenario_picks(&sc.ev[1], 2, 10));
    assert_false(scenario_picks(&sc.ev[2], 0, 10)); /* the broker is no node */
}

static void test_format_round_trip(void **state)
{
    (void)state;
    assert_int_equal(parse("at 1.5s link-down nodes=30% for=250ms\nat 0s reset nodes=7\n"
                           "at 90s broker-restart down=1ns\n"), 0);
    struct scenario first = sc;
    char text[1024] = "", line[128];
    for (size_t i = 0; i < first.n; i++) {
        assert_true(scenario_format(&first.ev[i], line, sizeof line) > 0);
        strcat(text, line);
        strcat(text, "\n");
    }
    assert_string_equal(text, "at 1500ms link-down nodes=30% for=250ms\nat 0s reset nodes=7\n"
                              "at 90s broker-restart down=1ns\n");
    assert_int_equal(parse(text), 0);
    assert_int_equal(sc.n, first.n);
    for (size_t i = 0; i < sc.n; i++) {
        assert_int_equal(sc.ev[i].kind, first.ev[i].kind);
        assert_int_equal(sc.ev[i].at_ns, first.ev[i].at_ns);
        assert_int_equal(sc.ev[i].duration_ns, first.ev[i].duration_ns);
        assert_int_equal(sc.ev[i].percent, first.ev[i].percent);
        assert_int_equal(sc.ev[i].count, first.ev[i].count);
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_accepts),
        cmocka_unit_test(test_refuses),
        cmocka_unit_test(test_check),
        cmocka_unit_test(test_picks),
        cmocka_unit_test(test_format_round_trip),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
