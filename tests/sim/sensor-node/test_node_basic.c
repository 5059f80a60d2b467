/*
 * apps/sensor-node on quartz-sim against a real mosquitto: the behaviours
 * of issue 16 and docs/sensor-node.md seen from the broker (a subscriber on
 * quartz/<id>/#), the board's pins and the console. One CTest per scenario:
 *   happy            payloads, seq, status online and the will, button events
 *   will_on_silence  the board silent: the will after 1.5 keepalives (real time)
 *   commands         interval_s, led, display, restart; refusals change nothing
 *   command_oversized  a 1 KB command: refused, the connection kept
 *   sensor_missing   the BME280 unplugged and back
 *   oled_missing     the OLED unplugged: publishing goes on
 *   bad_credentials  a wrong password: reported, the broker not hammered
 * usage: test_node_basic sensor-node.elf [scenario]
 */
#include <stdlib.h>
#include <time.h>
#include <unistd.h>

#include "broker.h"
#include "node_test.h"

#define MAXR 64

/* The air a reading should show: t in 0.01 C, p in Pa, h in 0.1 %RH. */
static void check_air(const struct env_reading *r, int32_t t, int32_t p, int32_t h)
{
    assert_true(r->has_thp);
    assert_in_range(r->t_c100, t - 2, t + 2); /* 0.01 C resolution, the model's rounding */
    assert_in_range(r->p_pa, p - 3, p + 3); /* x1 oversampling: 2.62 Pa (BME280 ds 3.4.2) */
    assert_in_range(r->h_10, h - 1, h + 1);
    assert_true(r->has_die);
    assert_in_range(r->die_10, 355 - 5, 355 + 5); /* the die sensor's ADC step, calibration at 30 and 110 C */
}

/* The default air of node_create: 21.50 C, 101325 Pa, 45.0 %RH, die 35.5 C. */
static void check_values(const struct env_reading *r) { check_air(r, 2150, 101325, 450); }

/*
 * Six readings at the default interval: every member per the doc, the air
 * within the sensor's resolution (before and after a change of it), seq +1 each, uptime_ms 10 s
 * apart; status `online` retained; one event per press of B1; the board
 * gone: the will `offline`, retained.
 */
static void test_happy(void **state)
{
    (void)state;
    unsigned up = node_up(1, NULL);
    char ret[128];
    node_retained(&node, "status", ret, sizeof ret);
    assert_string_equal(node.msg[up].payload, "online");
    assert_string_equal(ret, "1 online");

    uint64_t t0 = qsim_time_ns(node.r.s);
    uint64_t press[3] = { t0 + 12 * RIG_S, t0 + 19 * RIG_S, t0 + 31500 * RIG_MS };
    for (int i = 0; i < 3; i++)
        assert_int_equal(qsim_press_at(node.r.s, press[i], 120 * RIG_MS), 0);
    /* the air changes at 25 s: -5.25 C, 950 hPa, 62.5 %RH */
    uint64_t step = t0 + 25 * RIG_S;
    assert_int_equal(qsim_env_at(node.r.s, step, QSIM_ENV_T | QSIM_ENV_P | QSIM_ENV_H, -5250, 95000000, 62500), 0);
    node_run(&node, 60 * RIG_S);
    node_settle(&node);

    struct env_reading r[MAXR];
    unsigned n = node_readings(up, r, MAXR), stepped = 0;
    NODE_CHECK(n >= 5, up);
    for (unsigned i = 0; i < n; i++) {
        /* a reading taken after the step (by its uptime, the board never reset) shows the new air */
        if ((uint64_t)r[i].uptime_ms * RIG_MS > step + 100 * RIG_MS) {
            check_air(&r[i], -525, 95000, 625);
            stepped++;
        } else if ((uint64_t)r[i].uptime_ms * RIG_MS < step) {
            check_values(&r[i]);
        }
        assert_false(r[i].missing);
        if (i) {
            assert_int_equal(r[i].seq, r[i - 1].seq + 1);
            assert_in_range(r[i].uptime_ms - r[i - 1].uptime_ms, NODE_INTERVAL_DEFAULT_S * 1000 - 20,
                            NODE_INTERVAL_DEFAULT_S * 1000 + 20);
        }
    }
    /* one event per press, each after its press, each one JSON object */
    unsigned events = 0;
    for (unsigned i = 0; i < node.n_msg; i++) {
        if (strcmp(node.msg[i].topic, "event") != 0)
            continue;
        NODE_CHECK(events < 3, 0);
        assert_true(node.msg[i].seen_ns >= press[events]);
        assert_true(node.msg[i].payload[0] == '{');
        events++;
    }
    NODE_CHECK(events == 3, 0);
    /* the console: the id (docs/sensor-node.md's boot line) and one line per press */
    char idline[40];
    snprintf(idline, sizeof idline, "node: %s ", node.id);
    assert_int_equal(node_console_count(0, idline), 1);
    assert_int_equal(node_console_count(0, "button: press "), 3);
    NODE_CHECK(stepped >= 2 && n - stepped >= 2, up);
    assert_int_equal(node_count(&node, "status", "offline", up), 0);

    /* The board goes away without a DISCONNECT: the broker sends the will. */
    unsigned from = node.n_msg;
    node_kill_board(&node);
    node_settle(&node);
    for (int i = 0; i < 50 && node_count(&node, "status", NULL, from) == 0; i++) {
        usleep(100000);
        node_poll(&node);
    }
    NODE_CHECK(node_count(&node, "status", NULL, from) == 1, from);
    assert_int_equal(node_count(&node, "status", "offline", from), 1);
    node_retained(&node, "status", ret, sizeof ret);
    assert_string_equal(ret, "1 offline");
}

/* The keepalive the node connected with, from the broker's log ("... as ID (p2, c0, k15, ..."). */
static unsigned keepalive_s(void)
{
    FILE *f = fopen(broker_log_path(), "r");
    char line[1024], key[48];
    snprintf(key, sizeof key, "as %s (", node.id);
    unsigned k = 0;
    while (f && fgets(line, sizeof line, f)) {
        const char *p = strstr(line, key);
        p = p ? strstr(p, ", k") : NULL;
        if (p)
            k = (unsigned)atoi(p + 3);
    }
    if (f)
        fclose(f);
    return k;
}

static double real_s(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + ts.tv_nsec / 1e9;
}

/*
 * The cable pulled, and the board silent from then on: the broker hears
 * nothing for one and a half keepalives (MQTT 3.1.1 3.1.2.10, in real time
 * at the broker) and sends the will: `offline`, retained.
 */
static void test_will_on_silence(void **state)
{
    (void)state;
    unsigned up = node_up(7, NULL);
    unsigned k = keepalive_s();
    NODE_CHECK(k > 0 && k <= 60, up);
    assert_int_equal(qsim_link_at(node.r.s, false, qsim_time_ns(node.r.s) + RIG_S), 0);
    node_run(&node, 2 * RIG_S);
    unsigned from = node.n_msg;
    double t0 = real_s();
    while (node_count(&node, "status", NULL, from) == 0 && real_s() - t0 < 1.5 * k + 5) {
        usleep(100000);
        node_poll(&node);
    }
    double waited = real_s() - t0;
    fprintf(stderr, "keepalive %u s: the will after %.1f s of silence\n", k, waited);
    NODE_CHECK(node_count(&node, "status", "offline", from) == 1, from);
    assert_true(waited >= 1.5 * k - 2); /* the broker's keepalive, not anything sooner */
    char ret[64];
    node_retained(&node, "status", ret, sizeof ret);
    assert_string_equal(ret, "1 offline");
}

/* The uptime step between the last two readings after message `from`, after at least `want` readings. */
static int64_t step_after(unsigned from, unsigned want)
{
    struct env_reading r[MAXR];
    for (int tries = 0; tries < 40; tries++) {
        unsigned n = node_readings(from, r, MAXR);
        if (n >= want)
            return r[n - 1].uptime_ms - r[n - 2].uptime_ms;
        (void)node_wait_msg(&node, "env", NULL, node.n_msg, 40 * RIG_S);
    }
    node_dump(&node, from);
    fail_msg("fewer than %u readings", want);
    return -1;
}

static void refused(const char *cmd)
{
    unsigned from = node.n_msg;
    bool led = qsim_led(node.r.s), display = qsim_oled_display_on(node.r.s);
    if (!node_cmd_refused(cmd, strlen(cmd))) {
        node_dump(&node, from);
        fail_msg("no error for %.60s (%zu bytes)", cmd, strlen(cmd));
    }
    node_run(&node, 1 * RIG_S);
    node_settle(&node);
    /* exactly one error, {"error":"<fixed text>"}, never an echo of the input */
    NODE_CHECK(node_count(&node, "error", NULL, from) == 1, from);
    int e = node_wait_msg(&node, "error", NULL, from, 0);
    assert_true(strncmp(node.msg[e].payload, "{\"error\":\"", 10) == 0);
    assert_null(strstr(node.msg[e].payload, "zq9"));
    assert_int_equal(qsim_led(node.r.s), led);
    assert_int_equal(qsim_oled_display_on(node.r.s), display);
}

static void accepted(const char *cmd)
{
    unsigned from = node.n_msg;
    if (node_cmd_refused(cmd, strlen(cmd))) {
        node_dump(&node, from);
        fail_msg("refused: %s", cmd);
    }
}

static void test_commands(void **state)
{
    (void)state;
    unsigned up = node_up(2, NULL);
    (void)up;

    accepted("{\"interval_s\":2}");
    unsigned from = node.n_msg;
    assert_in_range(step_after(from, 3), 2000 - 20, 2000 + 20);

    /* refused, and the interval stays 2 s */
    size_t con = rig_console_len(&node.r);
    const char *bad[] = {
        "{\"interval_s\":0}", "{\"interval_s\":3601}", "{\"interval_s\":\"10\"}", "{\"interval_s\":10.0}",
        "{\"interval_s\":1e1}", "{\"interval_s\":-5}", "{\"interval_s\":5,\"led\":1}", "{}", "[1]",
        "{\"interval_s\":5,}", "{\"led\":true}", "{\"led\":2}", "{\"display\":\"dim\"}", "{\"restart\":1}",
        "{\"restart\":false}", "{\"zq9\":1}", "zq9 not json", "{\"interval_s\":05}", "",
    };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++)
        refused(bad[i]);
    /* over-long: 129 bytes of valid JSON (spaces) are refused too, as 1 KB is */
    char longcmd[1100];
    snprintf(longcmd, sizeof longcmd, "{\"interval_s\":%-114d}", 7);
    assert_int_equal(strlen(longcmd), 129);
    refused(longcmd);
    /* each refusal on the console too */
    assert_int_equal(node_console_count(con, "cmd: refused: "), sizeof bad / sizeof bad[0] + 1);
    from = node.n_msg;
    assert_in_range(step_after(from, 3), 2000 - 20, 2000 + 20);

    /* the bounds */
    accepted("{\"interval_s\":1}");
    from = node.n_msg;
    assert_in_range(step_after(from, 3), 1000 - 20, 1000 + 20);
    accepted("{\"interval_s\":3600}");
    node_run(&node, 2 * RIG_S); /* a reading due before the change may still come */
    from = node.n_msg;
    node_run(&node, 30 * RIG_S);
    assert_int_equal(node_count(&node, "env", NULL, from), 0);
    accepted("{\"interval_s\":2}");

    /* LD2 and the OLED */
    accepted("{\"led\":1}");
    assert_true(qsim_led(node.r.s));
    accepted("{\"led\":0}");
    assert_false(qsim_led(node.r.s));
    assert_true(qsim_oled_display_on(node.r.s));
    accepted("{\"display\":\"off\"}");
    assert_false(qsim_oled_display_on(node.r.s));
    accepted("{\"display\":\"on\"}");
    assert_true(qsim_oled_display_on(node.r.s));

    /* restart: the board resets (uptime starts again), seq goes on with no
     * reading twice and at most the documented gap of one */
    node_run(&node, 5 * RIG_S);
    struct env_reading r[MAXR];
    from = node.n_msg;
    unsigned before = node_readings(0, r, MAXR);
    int64_t last_seq = r[before - 1].seq, last_up = r[before - 1].uptime_ms;
    assert_int_equal(node_publish(&node, "cmd", "{\"restart\":true}", 16), 0);
    NODE_CHECK(node_online(&node, from) >= 0, from);
    (void)node_wait_msg(&node, "env", NULL, node.n_msg, 10 * RIG_S);
    node_run(&node, (2 * NODE_INTERVAL_DEFAULT_S + 1) * RIG_S); /* the interval after a reset is not specified */
    node_settle(&node);
    unsigned after = node_readings(from, r, MAXR);
    NODE_CHECK(after >= 3, from);
    assert_true(r[0].seq == last_seq + 1 || r[0].seq == last_seq + 2);
    assert_true(r[after - 1].uptime_ms < last_up); /* a new boot */
    for (unsigned i = 1; i < after; i++)
        assert_int_equal(r[i].seq, r[i - 1].seq + 1);
    struct seq_stats st;
    env_seq_stats(&node, 0, &st);
    env_seq_print(&st);
    assert_int_equal(st.dup_same + st.dup_differ, 0);
    assert_true(st.missing <= 1);
}

/*
 * A command of 1 KB, far over the 128 bytes a command may have and over
 * what a small MQTT receive buffer holds: refused like any other (one
 * message on the error topic), the connection kept (no new online status).
 */
static void test_command_oversized(void **state)
{
    (void)state;
    unsigned up = node_up(6, NULL);
    static char big[1025];
    memset(big, 'z', 1024);
    refused(big);
    node_run(&node, 5 * RIG_S);
    node_settle(&node);
    NODE_CHECK(node_count(&node, "status", NULL, up + 1) == 0, up);
    assert_false(node_cmd_refused("{\"led\":1}", 9));
    assert_true(qsim_led(node.r.s));
}

/*
 * The BME280 unplugged for 40 s: readings go on, with "sensor":"missing"
 * and no t/p/h (no fake values), die_t still there; plugged in again: the
 * air again. seq +1 throughout.
 */
static void test_sensor_missing(void **state)
{
    (void)state;
    unsigned up = node_up(3, NULL);
    uint64_t t0 = qsim_time_ns(node.r.s), off = t0 + 15 * RIG_S, on = off + 40 * RIG_S;
    assert_int_equal(qsim_bme280_detach_at(node.r.s, off), 0);
    assert_int_equal(qsim_bme280_attach_at(node.r.s, on), 0);
    node_run(&node, on + 35 * RIG_S - t0);
    node_settle(&node);
    unsigned missing = 0, after = 0, before = 0;
    int64_t prev = -1;
    for (unsigned i = up; i < node.n_msg; i++) {
        if (strcmp(node.msg[i].topic, "env") != 0)
            continue;
        struct env_reading r;
        char why[96];
        if (env_parse(node.msg[i].payload, node.msg[i].len, &r, why, sizeof why) != 0)
            fail_msg("[%u] %s: %s", i, why, node.msg[i].payload);
        if (prev >= 0)
            assert_int_equal(r.seq, prev + 1);
        prev = r.seq;
        uint64_t at = node.msg[i].seen_ns;
        if (at < off) {
            check_values(&r);
            before++;
        } else if (at > off + (NODE_INTERVAL_DEFAULT_S + 1) * RIG_S && at < on) {
            NODE_CHECK(r.missing, i);
            assert_true(r.has_die);
            missing++;
        } else if (at > on + (NODE_INTERVAL_DEFAULT_S + 1) * RIG_S) {
            NODE_CHECK(!r.missing, i);
            check_values(&r);
            after++;
        }
    }
    NODE_CHECK(before >= 1 && missing >= 2 && after >= 2, up);
    assert_int_equal(node_console_count(0, "sensor: missing"), 1);
    assert_int_equal(node_console_count(0, "sensor: back"), 1);
    assert_int_equal(qsim_fault_count(node.r.s), 0);
}

/* The OLED unplugged at 5 s: the readings go on every interval, seq +1, no fault. */
static void test_oled_missing(void **state)
{
    (void)state;
    unsigned up = node_up(4, NULL);
    uint64_t t0 = qsim_time_ns(node.r.s);
    assert_int_equal(qsim_oled_detach_at(node.r.s, t0 + 5 * RIG_S), 0);
    unsigned from = node.n_msg;
    node_run(&node, 60 * RIG_S);
    node_settle(&node);
    struct env_reading r[MAXR];
    unsigned n = node_readings(from, r, MAXR);
    NODE_CHECK(n >= 5, up);
    for (unsigned i = 1; i < n; i++) {
        assert_int_equal(r[i].seq, r[i - 1].seq + 1);
        check_values(&r[i]);
    }
    assert_int_equal(node_count(&node, "status", "offline", up), 0);
    assert_int_equal(qsim_fault_count(node.r.s), 0);
    assert_int_equal(node_console_count(0, "oled: not answering"), 1);
}

/* Whether the console from `from` on has a line saying the broker refused the node. */
static bool console_says_refused(size_t from)
{
    size_t len;
    const char *c = qsim_console(node.r.s, &len);
    for (const char *p = c + from; p + 16 < c + len; p++)
        if (strncmp(p, "not authori", 11) == 0 || strncmp(p, "refused", 7) == 0 ||
            strncmp(p, "bad credentials", 15) == 0)
            return true;
    rig_dump(&node.r, from);
    return false;
}

/*
 * A wrong password set from the console shell (user quartz, password
 * wrong) and saved: mosquitto refuses the CONNECT (CONNACK 5); the node
 * says so on its console and does not try again: one refusal in a minute.
 * After a reset the saved configuration is used again: one more refusal
 * in two minutes.
 */
static void test_bad_credentials(void **state)
{
    (void)state;
    (void)node_up(5, NULL);
    unsigned refusals0 = rig_count_in_file(broker_log_path(), "not authorised", NULL);
    size_t con = rig_console_len(&node.r);
    rig_cmd(&node.r, "set user " BROKER_USER);
    node_run(&node, 200 * RIG_MS);
    rig_cmd(&node.r, "set password wrong");
    node_run(&node, 200 * RIG_MS);
    rig_cmd(&node.r, "save");
    node_run(&node, 60 * RIG_S);
    unsigned refusals = rig_count_in_file(broker_log_path(), "not authorised", NULL) - refusals0;
    if (refusals != 1)
        rig_dump(&node.r, con);
    assert_int_equal(refusals, 1);
    assert_true(console_says_refused(con));

    con = rig_console_len(&node.r);
    qsim_reset(node.r.s);
    node_run(&node, 120 * RIG_S);
    refusals = rig_count_in_file(broker_log_path(), "not authorised", NULL) - refusals0;
    if (refusals != 2)
        rig_dump(&node.r, con);
    assert_int_equal(refusals, 2);
    assert_true(console_says_refused(con));
}

int main(int argc, char **argv)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_teardown(test_happy, node_teardown),
        cmocka_unit_test_teardown(test_will_on_silence, node_teardown),
        cmocka_unit_test_teardown(test_commands, node_teardown),
        cmocka_unit_test_teardown(test_command_oversized, node_teardown),
        cmocka_unit_test_teardown(test_sensor_missing, node_teardown),
        cmocka_unit_test_teardown(test_oled_missing, node_teardown),
        cmocka_unit_test_teardown(test_bad_credentials, node_teardown),
    };
    return node_main(argc, argv, "sim_sensor_node", tests, sizeof tests / sizeof tests[0]);
}
