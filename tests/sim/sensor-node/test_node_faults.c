/*
 * apps/sensor-node on quartz-sim against a real mosquitto: the faults of
 * issue 16's reliability list and the timing run, judged by the seqs that
 * reach a subscriber on quartz/<id>/# (a persistent session: it misses
 * nothing while the broker is down) and by the sim report.
 *   broker_down           5 minutes at 10 s: every reading arrives, oldest first
 *   broker_down_overflow  5 minutes at 1 s: the newest 256, the rest counted as dropped
 *   ring_survives_reset   40 readings buffered, a reset, then the broker back: all arrive
 *   link_flap             the cable pulled and plugged 12 times
 *   reset_mid_publish     resets while an env PUBLISH goes out of the W5500
 *   timing                10 busy minutes: IRQ latencies, no missed tick
 * usage: test_node_faults sensor-node.elf [scenario]
 */
#define _GNU_SOURCE /* memmem */
#include <stdlib.h>

#include "broker.h"
#include "elf32.h"
#include "node_test.h"

/* The readings that arrived and were taken with uptime in [up_lo, up_hi). */
static unsigned taken_between(unsigned from, int64_t up_lo, int64_t up_hi)
{
    static struct env_reading r[NODE_MSG_MAX];
    unsigned n = node_readings(from, r, NODE_MSG_MAX), k = 0;
    for (unsigned i = 0; i < n; i++)
        k += r[i].uptime_ms >= up_lo && r[i].uptime_ms < up_hi;
    return k;
}

static int broker_down_teardown(void **state)
{
    node_teardown(state);
    (void)broker_stop();
    return broker_start();
}

/* The seq accounting of the readings from message `from` on, printed, and
 * what every scenario here must keep: each payload readable, no seq for
 * two readings, oldest first. */
static void seq_stats_sound(unsigned from, struct seq_stats *st)
{
    env_seq_stats(&node, from, st);
    env_seq_print(st);
    assert_int_equal(st->bad, 0);
    assert_int_equal(st->dup_differ, 0);
    assert_int_equal(st->backwards, 0);
}

/* The broker stopped for `down_s` with the node sampling every `interval_s`. */
static void outage(unsigned uid_seed, unsigned interval_s, unsigned down_s, struct seq_stats *st, unsigned *offline)
{
    unsigned up = node_up(uid_seed, NULL);
    char cmd[32];
    snprintf(cmd, sizeof cmd, "{\"interval_s\":%u}", interval_s);
    assert_false(node_cmd_refused(cmd, strlen(cmd)));
    node_run(&node, 3 * interval_s * RIG_S);
    node_settle(&node);
    int64_t down_up = (int64_t)(qsim_time_ns(node.r.s) / RIG_MS); /* uptime ~ virtual time: no reset */
    assert_int_equal(broker_stop(), 0);
    node_run(&node, (uint64_t)down_s * RIG_S);
    assert_int_equal(broker_start(), 0);
    /* the drain against the broker just back: its PUBACKs in real time */
    node_real_time(&node, 20 * RIG_S);
    assert_int_equal(node_sub_restart(&node), 0);
    unsigned from = node.n_msg;
    int back = node_online(&node, from);
    NODE_CHECK(back >= 0, up);
    int64_t back_up = (int64_t)(node.msg[back].seen_ns / RIG_MS); /* connected again */
    node_run(&node, 60 * RIG_S);
    node_settle(&node);
    seq_stats_sound(up, st);
    *offline = taken_between(up, down_up + 1000, back_up);
    fprintf(stderr, "readings taken while the broker was down: %u\n", *offline);
}

static void test_broker_down(void **state)
{
    (void)state;
    struct seq_stats st;
    unsigned offline;
    outage(11, NODE_INTERVAL_DEFAULT_S, 300, &st, &offline);
    NODE_CHECK(offline >= 300 / NODE_INTERVAL_DEFAULT_S - 1, 0);
    NODE_CHECK(st.missing == 0, 0);
    assert_int_equal(st.dropped, 0);
    /* QoS 1 is at least once: one reading in flight when the broker went may come twice */
    assert_true(st.dup_same <= 1);
}

static void test_broker_down_overflow(void **state)
{
    (void)state;
    struct seq_stats st;
    unsigned offline;
    outage(12, 1, 300, &st, &offline);
    /* 300 readings offline, the ring keeps the newest 256: the others are
     * one gap, and exactly that many are reported dropped */
    NODE_CHECK(st.dropped > 0, 0);
    NODE_CHECK((int64_t)st.missing == st.dropped, 0);
    assert_int_equal(st.max_gap, st.missing);
    assert_true(offline >= 256); /* the last 256 readings survive (and any in flight) */
    assert_true(st.dup_same <= 1);
}

/*
 * The broker down, 40 readings buffered at 1 s, then a reset (the ring is
 * in backup SRAM): when the broker is back they all arrive, oldest first,
 * with their seqs; at most the doc's one skipped seq for the reset.
 */
static void test_ring_survives_reset(void **state)
{
    (void)state;
    unsigned up = node_up(15, NULL);
    assert_false(node_cmd_refused("{\"interval_s\":1}", 16));
    node_run(&node, 3 * RIG_S);
    node_settle(&node);
    assert_int_equal(broker_stop(), 0);
    node_run(&node, 40500 * RIG_MS);
    qsim_reset(node.r.s);
    node_run(&node, 5 * RIG_S);
    assert_int_equal(broker_start(), 0);
    assert_int_equal(node_sub_restart(&node), 0);
    unsigned from = node.n_msg;
    NODE_CHECK(node_online(&node, from) >= 0, up);
    node_run(&node, 20 * RIG_S);
    node_settle(&node);
    struct seq_stats st;
    seq_stats_sound(up, &st);
    assert_int_equal(st.dropped, 0);
    NODE_CHECK(st.missing <= 1, up);
    assert_true(st.dup_same <= 1); /* at least once: a PUBACK lost at the broker's stop */
    assert_true(st.readings >= 3 + 40 + 2); /* after the reset: the default interval (a commanded one is this boot's) */
    /* the readings from before the reset came after it: uptime goes back once */
    static struct env_reading r[NODE_MSG_MAX];
    unsigned n = node_readings(up, r, NODE_MSG_MAX), before_reset = 0;
    int64_t top = 0;
    for (unsigned i = 0; i < n && r[i].uptime_ms >= top; i++, before_reset++)
        top = r[i].uptime_ms;
    NODE_CHECK(before_reset >= 3 + 40, up);
}

/*
 * The cable pulled 12 times: short pulls (2 s), pulls of 20 s and two of
 * 90 s (past the keepalive: the broker and the node each end the
 * connection). Every reading arrives once, oldest first; online again at the end.
 */
static void test_link_flap(void **state)
{
    (void)state;
    unsigned up = node_up(13, NULL);
    assert_false(node_cmd_refused("{\"interval_s\":2}", 16));
    uint64_t t = qsim_time_ns(node.r.s) + 5 * RIG_S;
    static const unsigned down_s[] = { 2, 2, 20, 2, 90, 2, 20, 2, 2, 90, 20, 2 };
    for (size_t i = 0; i < sizeof down_s / sizeof down_s[0]; i++) {
        assert_int_equal(qsim_link_at(node.r.s, false, t), 0);
        t += down_s[i] * RIG_S;
        assert_int_equal(qsim_link_at(node.r.s, true, t), 0);
        t += (i % 3 + 1) * 7 * RIG_S;
    }
    node_run(&node, t - qsim_time_ns(node.r.s));
    unsigned from = node.n_msg;
    (void)node_wait_msg(&node, "env", NULL, from, 60 * RIG_S);
    node_run(&node, 60 * RIG_S);
    node_settle(&node);
    struct seq_stats st;
    seq_stats_sound(up, &st);
    NODE_CHECK(st.missing == 0, up);
    assert_int_equal(st.dropped, 0);
    assert_true(st.readings > 200);
    char ret[64];
    node_retained(&node, "status", ret, sizeof ret);
    assert_string_equal(ret, "1 online");
    /* the two 90 s pulls ended the connection: the node connected again */
    char as[40];
    snprintf(as, sizeof as, "as %s (", node.id);
    assert_true(rig_count_in_file(broker_log_path(), "New client connected", as) >= 3);
}

/*
 * Resets while an env PUBLISH is leaving: a breakpoint on the W5500
 * driver's send (op_send, found in the ELF's symbols) stops the board when
 * the bytes handed over hold a PUBLISH to quartz/<id>/env; the reset comes
 * 0 to 3 ms of virtual time later: before the SEND command, with the data
 * on its way, with the PUBACK in the chip, after it. Issue 16: no
 * duplicate seq, no gap beyond the documented one. docs/sensor-node.md
 * (the "sent" mark): no seq is taken or published twice across a reset;
 * the gap it documents is a PUBLISH in the W5500 not yet on the wire,
 * which quartz-sim does not have (the chip sends at SEND), and a seq
 * taken but not yet buffered (not the case here, see below).
 */
static bool env_publish_at_break(const char *topic, long *seq)
{
    uint64_t buf, len;
    char data[600];
    memset(data, 0, sizeof data);
    qsim_reg_read(node.r.s, QSIM_REG_R0 + 2, &buf);
    qsim_reg_read(node.r.s, QSIM_REG_R0 + 3, &len);
    if (len == 0 || len > sizeof data || qsim_read_mem(node.r.s, (uint32_t)buf, data, (size_t)len) != 0)
        return false;
    const char *at = memmem(data, (size_t)len, "{\"seq\":", 7);
    *seq = at ? atol(at + 7) : -1;
    return (data[0] & 0xF0) == 0x30 && memmem(data, (size_t)len, topic, strlen(topic)) != NULL;
}

static void test_reset_mid_publish(void **state)
{
    (void)state;
    struct elf32 e;
    char err[200];
    uint32_t send;
    assert_int_equal(elf32_open(&e, node_elf, err, sizeof err), 0);
    int found = elf32_symbol(&e, "op_send", &send);
    elf32_close(&e);
    assert_int_equal(found, 0);

    unsigned up = node_up(14, NULL);
    assert_false(node_cmd_refused("{\"interval_s\":2}", 16));
    char topic[48];
    snprintf(topic, sizeof topic, "quartz/%s/env", node.id);
    static const uint64_t after_ns[] = { 0, 20000, 60000, 150000, 400000, 1000000, 3000000, 0, 100000 };
    const unsigned resets = sizeof after_ns / sizeof after_ns[0];
    assert_int_equal(qsim_break_insert(node.r.s, send), 0);
    for (unsigned k = 0; k < resets; k++) {
        uint64_t end = qsim_time_ns(node.r.s) + 30 * RIG_S;
        bool hit = false;
        long seq = -1;
        while (!hit && qsim_time_ns(node.r.s) < end) {
            int rc = qsim_run_until(node.r.s, end, NULL, NULL);
            node_poll(&node);
            hit = rc == QSIM_RUN_HALTED && env_publish_at_break(topic, &seq);
        }
        NODE_CHECK(hit, up);
        fprintf(stderr, "reset %u: %llu us after the send of seq %ld began\n", k + 1,
                (unsigned long long)(after_ns[k] / 1000), seq);
        assert_int_equal(qsim_break_remove(node.r.s, send), 0);
        qsim_run_until(node.r.s, qsim_time_ns(node.r.s) + after_ns[k], NULL, NULL);
        qsim_reset(node.r.s);
        unsigned from = node.n_msg;
        NODE_CHECK(node_online(&node, from) >= 0, from);
        node_run(&node, 3 * RIG_S);
        assert_int_equal(qsim_break_insert(node.r.s, send), 0);
    }
    assert_int_equal(qsim_break_remove(node.r.s, send), 0);
    node_run(&node, 10 * RIG_S);
    node_settle(&node);
    struct seq_stats st;
    seq_stats_sound(up, &st);
    /* The doc's gap (a seq taken, then a reset before the reading is in the
     * ring) cannot happen here: each reset comes within 3 ms of the SEND of
     * a reading already in the ring, 2 s from the next sample. So no gap. */
    NODE_CHECK(st.missing == 0, up);
    NODE_CHECK(st.dup_same == 0, up); /* the doc: a reading is never published twice across a reset (the sent mark) */
    /* every reset was one: the node came online again each time */
    assert_int_equal(node_count(&node, "status", "online", up + 1), resets);
}

int main(int argc, char **argv)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_teardown(test_broker_down, broker_down_teardown),
        cmocka_unit_test_teardown(test_broker_down_overflow, broker_down_teardown),
        cmocka_unit_test_teardown(test_ring_survives_reset, broker_down_teardown),
        cmocka_unit_test_teardown(test_link_flap, node_teardown),
        cmocka_unit_test_teardown(test_reset_mid_publish, node_teardown),
    };
    return node_main(argc, argv, "sim_sensor_node_faults", tests, sizeof tests / sizeof tests[0]);
}
