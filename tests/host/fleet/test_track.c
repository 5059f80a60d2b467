/*
 * tools/fleet's accounting (tools/fleet.d/track.c): seqs counted once,
 * exactly the missing ones listed, a single seq skipped across a reset told
 * apart from a loss, the lag from uptime_ms and the arrival time, msgs/min,
 * connections from `online`, payloads that are not the node's refused.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "track.h"

static struct track_node n;

static int env(unsigned seq, unsigned uptime, uint64_t now, bool lag)
{
    char p[128];
    snprintf(p, sizeof p, "{\"seq\":%u,\"uptime_ms\":%u,\"t\":21.53,\"p\":101325,\"h\":45.2,\"die_t\":31.2}", seq, uptime);
    return track_env(&n, p, strlen(p), now, lag);
}

static char *missing_json(void)
{
    static char buf[512];
    FILE *f = fmemopen(buf, sizeof buf, "w");
    track_write_missing(&n, f);
    fclose(f);
    return buf;
}

static void test_counts_and_gaps(void **state)
{
    (void)state;
    track_init(&n, "quartz-000001");
    for (unsigned s = 0; s < 10; s++)
        if (s != 3 && s != 6 && s != 7)
            assert_int_equal(env(s, 1000 + 1000 * s, 2000 + 1000 * s, false), 0);
    assert_int_equal(env(5, 6000, 9500, false), 0); /* QoS 1 again: once */
    assert_int_equal(n.msgs, 8);
    assert_int_equal(n.dups, 1);
    assert_int_equal(n.max_seq, 9);
    assert_int_equal(track_missing(&n), 3);
    assert_int_equal(track_reset_skips(&n), 0);
    assert_string_equal(missing_json(), "\"lost\":[[3,3],[6,7]],\"skipped_at_reset\":[]");
    assert_int_equal(n.t_mc, 21530);
    assert_int_equal(n.p_pa, 101325);
    assert_int_equal(n.h_dpct, 452);
    /* Late arrivals fill the gaps (buffered readings sent after an outage). */
    assert_int_equal(env(3, 4000, 12000, false), 0);
    assert_int_equal(env(6, 7000, 12000, false), 0);
    assert_int_equal(env(7, 8000, 12000, false), 0);
    assert_int_equal(track_missing(&n), 0);
    assert_string_equal(missing_json(), "\"lost\":[],\"skipped_at_reset\":[]");
    track_free(&n);
}

static void test_reset_skip(void **state)
{
    (void)state;
    track_init(&n, "quartz-000002");
    /* Boot 1: seqs 0..4 at uptime 1..5 s; a reset skips seq 5; boot 2 from seq 6 at uptime 2 s. */
    for (unsigned s = 0; s < 5; s++)
        env(s, 1000 * (s + 1), 1000 * (s + 1), false);
    for (unsigned s = 6; s < 9; s++)
        env(s, 2000 + 1000 * (s - 6), 10000 + 1000 * (s - 6), false);
    assert_int_equal(track_missing(&n), 1);
    assert_int_equal(track_reset_skips(&n), 1);
    assert_string_equal(missing_json(), "\"lost\":[],\"skipped_at_reset\":[[5,5]]");
    /* Two missing across the reset are more than a reset explains. */
    track_free(&n);
    track_init(&n, "quartz-000003");
    for (unsigned s = 0; s < 5; s++)
        env(s, 1000 * (s + 1), 1000 * (s + 1), false);
    for (unsigned s = 7; s < 9; s++)
        env(s, 2000 + 1000 * (s - 7), 10000 + 1000 * (s - 7), false);
    assert_int_equal(track_reset_skips(&n), 0);
    assert_string_equal(missing_json(), "\"lost\":[[5,6]],\"skipped_at_reset\":[]");
    /* One missing without a reset (uptime goes on) is a loss. */
    track_free(&n);
    track_init(&n, "quartz-000004");
    env(0, 1000, 1000, false);
    env(2, 3000, 3000, false);
    assert_string_equal(missing_json(), "\"lost\":[[1,1]],\"skipped_at_reset\":[]");
    /* The first seq missing: no reading before it, a loss. */
    track_free(&n);
    track_init(&n, "quartz-000005");
    env(1, 1000, 1000, false);
    assert_string_equal(missing_json(), "\"lost\":[[0,0]],\"skipped_at_reset\":[]");
    track_free(&n);
}

static void test_lag(void **state)
{
    (void)state;
    track_init(&n, "quartz-000006");
    n.spawn_ms = 500;
    env(0, 1000, 1520, true);  /* 20 ms after its virtual time */
    assert_int_equal(n.max_lag_ms, 20);
    env(1, 2000, 3900, false); /* not counted (warm-up, fault) */
    assert_int_equal(n.max_lag_ms, 20);
    env(2, 3000, 4800, true);  /* 1.3 s behind */
    assert_int_equal(n.max_lag_ms, 1300);
    assert_int_equal(n.newest_virt_ms, 3000);
    /* After a scripted reset at virtual 10 s, uptime counts from there. */
    static const uint64_t resets[] = { 10000 };
    n.resets_ms = resets;
    n.n_resets = 1;
    env(3, 1500, 500 + 11600, true); /* virtual 11.5 s, 100 ms late */
    assert_int_equal(n.newest_virt_ms, 11500);
    assert_int_equal(n.max_lag_ms, 1300);
    track_free(&n);
}

static void test_rate_status_malformed(void **state)
{
    (void)state;
    track_init(&n, "quartz-000007");
    for (unsigned s = 0; s < 100; s++)
        env(s, 1000 * s, 1000 * s, false);
    assert_int_equal(track_per_min(&n, 99500), 60); /* arrivals at 40..99 s */
    track_status(&n, "online", 6);
    track_status(&n, "offline", 7);
    track_status(&n, "online", 6);
    assert_int_equal(n.onlines, 2);
    const char *bad[] = { "", "{", "[1]", "{\"seq\":1}", "{\"seq\":-1,\"uptime_ms\":5}", "{\"seq\":1.5,\"uptime_ms\":5}",
                          "{\"seq\":1,\"uptime_ms\":\"5\"}", "{\"seq\":1,\"seq\":2,\"uptime_ms\":5}",
                          "{\"seq\":99999999999,\"uptime_ms\":5}" };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++)
        assert_int_equal(track_env(&n, bad[i], strlen(bad[i]), 1, false), -EINVAL);
    assert_int_equal(n.malformed, sizeof bad / sizeof bad[0]);
    assert_int_equal(n.msgs, 100);
    const char *missing = "{\"seq\":100,\"uptime_ms\":100000,\"sensor\":\"missing\",\"die_t\":31.2}";
    assert_int_equal(track_env(&n, missing, strlen(missing), 100000, false), 0);
    assert_true(n.sensor_missing);
    const char *dropped = "{\"dropped\":12}";
    assert_int_equal(track_env(&n, dropped, strlen(dropped), 100000, false), 0);
    assert_int_equal(n.dropped_reported, 12);
    track_free(&n);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_counts_and_gaps),
        cmocka_unit_test(test_reset_skip),
        cmocka_unit_test(test_lag),
        cmocka_unit_test(test_rate_status_malformed),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
