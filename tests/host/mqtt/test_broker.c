/*
 * The MQTT client against a real mosquitto on loopback, over POSIX sockets
 * (posix_net.c), with the wall clock: connect and publish at QoS 0/1
 * checked with mosquitto_sub, subscribe and receive from mosquitto_pub,
 * bad credentials (one attempt, a clear error), and the broker stopped and
 * started again mid-run (reconnect, the session kept, the QoS 1 messages
 * published during the outage delivered). The tests run in order on one
 * broker and one client.
 *
 * mosquitto_sub checks go through a persistent session: "-c -i ID -E"
 * subscribes and exits before the client publishes (no race with the
 * subscription), a second run with the same ID collects what the broker
 * queued (queue_qos0_messages makes it queue QoS 0 too).
 */
#define _GNU_SOURCE
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include <cmocka.h>

#include "broker.h"
#include "posix_net.h"
#include "quartz/mqtt.h"

struct peer {
    struct posix_net net;
    struct mqtt_client c;
    struct mqtt_config cfg;
    uint8_t rx[1024], tx[1024], store[2048];
    struct mqtt_event last[MQTT_EV_UNSUBACK + 1]; /* the last event of each kind */
    unsigned counts[MQTT_EV_UNSUBACK + 1];
    char msgs[8][128]; /* "topic payload qos" */
    unsigned nmsgs;
};

static struct peer main_peer, bad_peer;

static uint32_t now_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (uint32_t)((uint64_t)ts.tv_sec * 1000u + (uint64_t)ts.tv_nsec / 1000000u);
}

static void on_event(void *ctx, const struct mqtt_event *ev)
{
    struct peer *p = ctx;
    p->last[ev->kind] = *ev;
    p->counts[ev->kind]++;
    if (ev->kind == MQTT_EV_DISCONNECTED || ev->kind == MQTT_EV_CONNECTED) {
        fprintf(stderr, "client: %s %d\n", ev->kind == MQTT_EV_CONNECTED ? "connected, session" : "disconnected",
                ev->status);
    }
}

static void on_message(void *ctx, const struct mqtt_message *m)
{
    struct peer *p = ctx;
    if (p->nmsgs < 8) {
        snprintf(p->msgs[p->nmsgs++], sizeof p->msgs[0], "%.*s %.*s %u", (int)m->topic_len, m->topic,
                 (int)m->payload_len, (const char *)m->payload, m->qos);
    }
}

static void peer_start(struct peer *p, const char *id, const char *password)
{
    memset(p, 0, sizeof *p);
    posix_net_init(&p->net);
    p->cfg = (struct mqtt_config){
        .broker = { { 127, 0, 0, 1 }, broker_port() },
        .connect = { .client_id = id, .username = BROKER_USER, .password = password,
                     .clean_session = false, .keepalive_s = 5 },
        .connect_timeout_ms = 5000,
        .backoff_min_ms = 100,
        .backoff_max_ms = 1000,
        .rx_buf = p->rx, .rx_len = sizeof p->rx,
        .tx_buf = p->tx, .tx_len = sizeof p->tx,
        .store = p->store, .store_len = sizeof p->store,
        .on_message = on_message,
        .on_event = on_event,
        .ctx = p,
    };
    assert_int_equal(mqtt_init(&p->c, &p->net.nif, &p->cfg, now_ms()), 0);
}

/* Poll the client, sleeping on its socket (or the clock) in between, until
 * `done` holds or `timeout_ms` passes. */
static bool pump(struct peer *p, bool (*done)(struct peer *), uint32_t timeout_ms)
{
    uint32_t start = now_ms();
    for (;;) {
        (void)mqtt_poll(&p->c, now_ms());
        if (done && done(p)) {
            return true;
        }
        if ((uint32_t)(now_ms() - start) >= timeout_ms) {
            return false;
        }
        uint32_t wait = mqtt_poll_in(&p->c, now_ms());
        wait = wait > 10 ? 10 : wait;
        if (p->c.sock >= 0 && mqtt_state(&p->c) != MQTT_TCP_CONNECTING) {
            (void)net_poll(&p->net.nif, p->c.sock, NET_POLL_IN, wait);
        } else {
            struct timespec ts = { 0, (long)wait * 1000000L };
            nanosleep(&ts, NULL);
        }
    }
}

static bool connected(struct peer *p) { return mqtt_state(&p->c) == MQTT_CONNECTED; }
static bool not_connected(struct peer *p) { return mqtt_state(&p->c) != MQTT_CONNECTED; }
static bool stopped(struct peer *p) { return mqtt_state(&p->c) == MQTT_STOPPED; }
static bool all_acked(struct peer *p) { return connected(p) && mqtt_pending(&p->c) == 0; }
static bool suback(struct peer *p) { return p->counts[MQTT_EV_SUBACK] > 0; }
static bool two_msgs(struct peer *p) { return p->nmsgs >= 2; }
static bool three_msgs(struct peer *p) { return p->nmsgs >= 3; }

static int run(const char *const *args, unsigned timeout_s, char *out, size_t cap)
{
    return broker_run_client(args, timeout_s, out, cap);
}

static int group_setup(void **state)
{
    (void)state;
    return broker_setup();
}

static int group_teardown(void **state)
{
    (void)state;
    posix_net_close_all(&main_peer.net);
    posix_net_close_all(&bad_peer.net);
    broker_teardown();
    return 0;
}

static void test_connect_and_publish(void **state)
{
    (void)state;
    const char *session[] = { "mosquitto_sub", "-c", "-i", "check-pub", "-q", "1", "-t", "quartz/pub", "-E", NULL };
    assert_int_equal(run(session, 10, NULL, 0), 0);
    peer_start(&main_peer, "quartz-main", BROKER_PASSWORD);
    assert_true(pump(&main_peer, connected, 10000));
    assert_int_equal(mqtt_publish(&main_peer.c, "quartz/pub", "q0-hello", 8, 0, false), 0);
    assert_int_equal(mqtt_publish(&main_peer.c, "quartz/pub", "q1-hello", 8, 1, false), 1);
    assert_true(pump(&main_peer, all_acked, 10000));
    assert_int_equal(main_peer.last[MQTT_EV_PUBACK].id, 1);
    char out[512];
    const char *collect[] = { "mosquitto_sub", "-c", "-i", "check-pub", "-q", "1", "-t", "quartz/pub",
                              "-C", "2", "-W", "10", "-v", NULL };
    assert_int_equal(run(collect, 10, out, sizeof out), 0);
    assert_string_equal(out, "quartz/pub q0-hello\nquartz/pub q1-hello\n");
}

static void test_subscribe_and_receive(void **state)
{
    (void)state;
    struct peer *p = &main_peer;
    assert_true(connected(p));
    assert_true(mqtt_subscribe(&p->c, "quartz/in/#", 1) > 0);
    assert_true(pump(p, suback, 10000));
    assert_int_equal(p->last[MQTT_EV_SUBACK].status, 1);
    const char *pub1[] = { "mosquitto_pub", "-q", "1", "-t", "quartz/in/a", "-m", "from-pub-1", NULL };
    const char *pub0[] = { "mosquitto_pub", "-q", "0", "-t", "quartz/in/b", "-m", "from-pub-0", NULL };
    assert_int_equal(run(pub1, 10, NULL, 0), 0);
    assert_int_equal(run(pub0, 10, NULL, 0), 0);
    assert_true(pump(p, two_msgs, 10000));
    assert_string_equal(p->msgs[0], "quartz/in/a from-pub-1 1");
    assert_string_equal(p->msgs[1], "quartz/in/b from-pub-0 0");
}

/* A wrong password: one attempt, the client stops with -EPERM (mosquitto
 * answers CONNACK 5, not authorized) or -EACCES (CONNACK 4). */
static void test_bad_credentials(void **state)
{
    (void)state;
    struct peer *p = &bad_peer;
    peer_start(p, "quartz-bad", "wrong");
    assert_true(pump(p, stopped, 10000));
    int err = mqtt_last_error(&p->c);
    assert_true(err == -EPERM || err == -EACCES);
    assert_int_equal(p->last[MQTT_EV_DISCONNECTED].status, err);
    /* No reconnect storm: still one TCP connection 3 s later. */
    (void)pump(p, NULL, 3000);
    assert_int_equal(p->net.connects, 1);
    assert_int_equal(mqtt_state(&p->c), MQTT_STOPPED);
}

/* The broker goes away and comes back: QoS 1 messages published in between
 * arrive, the session (and the subscription of the test before) survives. */
static void test_broker_restart(void **state)
{
    (void)state;
    struct peer *p = &main_peer;
    const char *session[] = { "mosquitto_sub", "-c", "-i", "check-outage", "-q", "1", "-t", "quartz/outage", "-E", NULL };
    assert_int_equal(run(session, 10, NULL, 0), 0);
    assert_true(connected(p));
    unsigned connects = p->net.connects;

    assert_int_equal(broker_stop(), 0);
    assert_true(pump(p, not_connected, 10000));
    for (int i = 1; i <= 5; i++) {
        char msg[16];
        int n = snprintf(msg, sizeof msg, "outage-%d", i);
        assert_true(mqtt_publish(&p->c, "quartz/outage", msg, (size_t)n, 1, false) > 0);
    }
    assert_int_equal(mqtt_pending(&p->c), 5);
    (void)pump(p, NULL, 1500); /* refused attempts, backing off */
    assert_false(connected(p));
    assert_true(p->net.connects > connects);

    assert_int_equal(broker_start(), 0);
    assert_true(pump(p, all_acked, 15000));
    assert_int_equal(p->last[MQTT_EV_CONNECTED].status, 1); /* session present: kept across the restart */

    /* The subscription was part of the session: no new SUBSCRIBE. */
    const char *pub[] = { "mosquitto_pub", "-q", "1", "-t", "quartz/in/c", "-m", "after-restart", NULL };
    assert_int_equal(run(pub, 10, NULL, 0), 0);
    assert_true(pump(p, three_msgs, 10000));
    assert_string_equal(p->msgs[2], "quartz/in/c after-restart 1");

    char out[512];
    const char *collect[] = { "mosquitto_sub", "-c", "-i", "check-outage", "-q", "1", "-t", "quartz/outage",
                              "-C", "5", "-W", "10", "-v", NULL };
    assert_int_equal(run(collect, 10, out, sizeof out), 0);
    assert_string_equal(out, "quartz/outage outage-1\nquartz/outage outage-2\nquartz/outage outage-3\n"
                             "quartz/outage outage-4\nquartz/outage outage-5\n");

    assert_int_equal(mqtt_disconnect(&p->c), 0);
    assert_true(pump(p, stopped, 5000));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_connect_and_publish),
        cmocka_unit_test(test_subscribe_and_receive),
        cmocka_unit_test(test_bad_credentials),
        cmocka_unit_test(test_broker_restart),
    };
    return cmocka_run_group_tests(tests, group_setup, group_teardown);
}
