/*
 * lib/mqtt client state machine on a scripted network (fake_net.h) with a
 * test clock: connection and refusals, keepalive (the coreMQTT 2.1.1 bug),
 * QoS 1 retransmission with DUP, backoff, and -EPROTO on every malformed
 * or unexpected packet. The receive path: test_client_stream.c.
 */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "rig.h"

static void test_init_checks(void **state)
{
    (void)state;
    rig_init(true, 30);
    struct mqtt_config cfg = rig.cfg;
    struct mqtt_client c;
    cfg.rx_len = 1;
    assert_int_equal(mqtt_init(&c, &rig.net.nif, &cfg, 0), -EINVAL);
    cfg = rig.cfg;
    cfg.store = NULL;
    assert_int_equal(mqtt_init(&c, &rig.net.nif, &cfg, 0), -EINVAL);
    cfg = rig.cfg;
    cfg.backoff_min_ms = cfg.backoff_max_ms + 1;
    assert_int_equal(mqtt_init(&c, &rig.net.nif, &cfg, 0), -EINVAL);
    cfg = rig.cfg;
    cfg.connect.password = "pw"; /* without a user name, spec 3.1.2.9 */
    assert_int_equal(mqtt_init(&c, &rig.net.nif, &cfg, 0), -EINVAL);
    cfg = rig.cfg;
    cfg.tx_len = 16; /* the CONNECT is 20 bytes */
    assert_int_equal(mqtt_init(&c, &rig.net.nif, &cfg, 0), -EMSGSIZE);
    cfg.tx_len = 20;
    assert_int_equal(mqtt_init(&c, &rig.net.nif, &cfg, 0), 0);
}

static void test_connect_and_connack(void **state)
{
    (void)state;
    rig_init(true, 30);
    assert_int_equal(mqtt_poll_in(&rig.c, 0), 0);
    assert_int_equal(rig_poll(0), 0);
    assert_int_equal(rig.net.connects, 1);
    uint8_t want[64];
    int n = mqtt_encode_connect(want, sizeof want, &rig.cfg.connect);
    assert_int_equal(rig.net.tx_len, n);
    assert_memory_equal(rig.net.tx, want, (size_t)n);
    fake_push(&rig.net, (const uint8_t[]){ 0x20, 2, 0, 0 }, 4);
    assert_int_equal(rig_poll(5), 0);
    assert_int_equal(mqtt_state(&rig.c), MQTT_CONNECTED);
    assert_int_equal(rig_count_events(MQTT_EV_CONNECTED), 1);
    /* Nothing due until the keepalive, counted from the CONNECT. */
    assert_int_equal(mqtt_poll_in(&rig.c, 5), 30000 - 5);
}

/* A TCP handshake that never finishes, and a CONNACK that never comes. */
static void test_connect_timeouts(void **state)
{
    (void)state;
    rig_init(true, 30);
    rig.net.poll_result = 0;
    assert_int_equal(rig_poll(0), 0);
    assert_int_equal(mqtt_state(&rig.c), MQTT_TCP_CONNECTING);
    assert_int_equal(rig_poll(RIG_CONNECT_TIMEOUT - 1), 0);
    assert_int_equal(rig_poll(RIG_CONNECT_TIMEOUT), -ETIMEDOUT);
    assert_int_equal(rig.net.closes, 1);
    assert_int_equal(mqtt_state(&rig.c), MQTT_WAITING);

    rig_init(true, 30);
    assert_int_equal(rig_poll(0), 0);
    assert_int_equal(mqtt_state(&rig.c), MQTT_CONNACK_WAIT);
    assert_int_equal(rig_poll(RIG_CONNECT_TIMEOUT - 1), 0);
    assert_int_equal(rig_poll(RIG_CONNECT_TIMEOUT), -ETIMEDOUT);
    assert_int_equal(mqtt_last_error(&rig.c), -ETIMEDOUT);
    assert_int_equal(rig_last_event(MQTT_EV_DISCONNECTED)->status, -ETIMEDOUT);
}

/* CONNACK refusals: the final ones stop the client for good (no reconnect
 * storm); "server unavailable" is retried after the backoff. */
static void test_connack_refusals(void **state)
{
    (void)state;
    static const struct {
        uint8_t code;
        int err;
        bool final;
    } cases[] = {
        { MQTT_CONNACK_PROTOCOL, -EPROTONOSUPPORT, true },
        { MQTT_CONNACK_IDENTIFIER, -EINVAL, true },
        { MQTT_CONNACK_UNAVAILABLE, -ECONNREFUSED, false },
        { MQTT_CONNACK_CREDENTIALS, -EACCES, true },
        { MQTT_CONNACK_NOT_AUTHORIZED, -EPERM, true },
        { 6, -EPROTO, false },
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        rig_init(false, 30);
        assert_int_equal(rig_poll(0), 0);
        fake_push(&rig.net, (const uint8_t[]){ 0x20, 2, 0, cases[i].code }, 4);
        assert_int_equal(rig_poll(1), cases[i].err);
        assert_int_equal(mqtt_last_error(&rig.c), cases[i].err);
        assert_int_equal(rig_last_event(MQTT_EV_DISCONNECTED)->status, cases[i].err);
        assert_int_equal(rig.net.closes, 1);
        /* An hour of polling every 100 ms. */
        for (uint32_t t = 100; t <= 3600u * 1000u; t += 100) {
            fake_new_connection(&rig.net);
            fake_push(&rig.net, (const uint8_t[]){ 0x20, 2, 0, cases[i].code }, 4);
            (void)rig_poll(t);
        }
        if (cases[i].final) {
            assert_int_equal(mqtt_state(&rig.c), MQTT_STOPPED);
            assert_int_equal(rig.net.connects, 1);
            assert_int_equal(mqtt_publish(&rig.c, "t", "x", 1, 1, false), -EPIPE);
        } else {
            /* Retried, at most once per backoff_max after the first few. */
            assert_true(rig.net.connects > 100);
            assert_true(rig.net.connects <= 3600u * 1000u / RIG_BACKOFF_MAX + 5);
        }
    }
}

/* coreMQTT 2.1.1 sent a PINGREQ on every pass of its loop. Here: none
 * while the link has been idle less than the keepalive, one when it has,
 * none more while it is unanswered, the next a keepalive after it. */
static void test_coremqtt_no_ping_on_every_pass(void **state)
{
    (void)state;
    rig_init(true, 10);
    rig_connect(0, false); /* CONNECT sent at 0 */
    for (uint32_t t = 1; t < 10000; t += 1) {
        assert_int_equal(rig_poll(t), 0);
    }
    assert_int_equal(fake_count_type(&rig.net, MQTT_PINGREQ), 0);
    assert_int_equal(rig_poll(10000), 0);
    assert_int_equal(fake_count_type(&rig.net, MQTT_PINGREQ), 1);
    for (uint32_t t = 10001; t < 20000; t++) {
        if (t == 12000) {
            fake_push(&rig.net, (const uint8_t[]){ 0xd0, 0 }, 2);
        }
        assert_int_equal(rig_poll(t), 0);
    }
    assert_int_equal(fake_count_type(&rig.net, MQTT_PINGREQ), 1);
    assert_int_equal(rig_poll(20000), 0);
    assert_int_equal(fake_count_type(&rig.net, MQTT_PINGREQ), 2);
    assert_int_equal(rig.net.tx_len, 4); /* nothing but the two PINGREQs */
}

/* Traffic keeps the link busy: no PINGREQ at all. */
static void test_no_ping_while_publishing(void **state)
{
    (void)state;
    rig_init(true, 10);
    rig_connect(0, false);
    for (uint32_t t = 1; t <= 60000; t += 5) {
        if (t % 5000 == 1) {
            assert_int_equal(mqtt_publish(&rig.c, "t", "x", 1, 0, false), 0);
        }
        assert_int_equal(rig_poll(t), 0);
    }
    assert_int_equal(fake_count_type(&rig.net, MQTT_PUBLISH), 12);
    assert_int_equal(fake_count_type(&rig.net, MQTT_PINGREQ), 0);
}

/* No PINGRESP within the keepalive: -ETIMEDOUT, closed, reconnected. */
static void test_pingresp_timeout(void **state)
{
    (void)state;
    rig_init(true, 10);
    rig_connect(0, false);
    assert_int_equal(rig_poll(10000), 0);
    assert_int_equal(fake_count_type(&rig.net, MQTT_PINGREQ), 1);
    assert_int_equal(rig_poll(19999), 0);
    assert_int_equal(rig_poll(20000), -ETIMEDOUT);
    assert_int_equal(rig.net.closes, 1);
    assert_int_equal(mqtt_state(&rig.c), MQTT_WAITING);
    fake_new_connection(&rig.net);
    assert_int_equal(rig_poll(20000 + RIG_BACKOFF_MIN), 0);
    assert_int_equal(rig.net.connects, 2);
}

static size_t expect_publish(uint8_t *out, const char *topic, const char *payload, uint16_t id, bool dup)
{
    int n = mqtt_encode_publish(out, 64, topic, payload, strlen(payload), 1, false, dup, id);
    assert_true(n > 0);
    return (size_t)n;
}

/* Spec 4.4: after a reconnect with clean session 0, the unacknowledged
 * QoS 1 messages go out again, in order, with their ids and DUP set; one
 * published while disconnected goes out for the first time (DUP 0). */
static void test_dup_retransmission_after_reconnect(void **state)
{
    (void)state;
    rig_init(false, 30);
    rig_connect(0, false);
    assert_int_equal(mqtt_publish(&rig.c, "a", "one", 3, 1, false), 1);
    assert_int_equal(mqtt_publish(&rig.c, "b", "two", 3, 1, false), 2);
    assert_int_equal(rig_poll(10), 0);
    uint8_t want[256];
    size_t n = expect_publish(want, "a", "one", 1, false);
    n += expect_publish(want + n, "b", "two", 2, false);
    assert_int_equal(rig.net.tx_len, n);
    assert_memory_equal(rig.net.tx, want, n);

    rig.net.recv_error = 1; /* the broker goes away without a PUBACK */
    assert_int_equal(rig_poll(20), -ECONNRESET);
    assert_int_equal(mqtt_state(&rig.c), MQTT_WAITING);
    assert_int_equal(mqtt_publish(&rig.c, "c", "three", 5, 1, false), 3);
    assert_int_equal(mqtt_publish(&rig.c, "c", "zero", 4, 0, false), -ENOTCONN);
    assert_int_equal(mqtt_pending(&rig.c), 3);
    assert_int_equal(rig_poll(20 + RIG_BACKOFF_MIN - 1), 0);
    assert_int_equal(rig.net.connects, 1);

    rig_connect(20 + RIG_BACKOFF_MIN, true);
    n = expect_publish(want, "a", "one", 1, true);
    n += expect_publish(want + n, "b", "two", 2, true);
    n += expect_publish(want + n, "c", "three", 3, false);
    assert_int_equal(rig.net.tx_len, n);
    assert_memory_equal(rig.net.tx, want, n);

    fake_push(&rig.net, (const uint8_t[]){ 0x40, 2, 0, 2, 0x40, 2, 0, 1, 0x40, 2, 0, 3 }, 12);
    assert_int_equal(rig_poll(2000), 0);
    assert_int_equal(mqtt_pending(&rig.c), 0);
    assert_int_equal(rig_count_events(MQTT_EV_PUBACK), 3);
    assert_int_equal(rig_last_event(MQTT_EV_PUBACK)->id, 3);
}

/* Clean session 1 discards the session (spec 3.1.2.4): what was sent is
 * not sent again; what was never sent goes out. */
static void test_clean_session_drops_sent_messages(void **state)
{
    (void)state;
    rig_init(true, 30);
    rig_connect(0, false);
    assert_int_equal(mqtt_publish(&rig.c, "a", "one", 3, 1, false), 1);
    assert_int_equal(rig_poll(10), 0);
    rig.net.recv_error = 1;
    assert_int_equal(rig_poll(20), -ECONNRESET);
    assert_int_equal(mqtt_publish(&rig.c, "c", "three", 5, 1, false), 2);
    rig_connect(20 + RIG_BACKOFF_MIN, false);
    uint8_t want[64];
    size_t n = expect_publish(want, "c", "three", 2, false);
    assert_int_equal(rig.net.tx_len, n);
    assert_memory_equal(rig.net.tx, want, n);
    assert_int_equal(mqtt_pending(&rig.c), 1);
}

/* Each failed attempt doubles the wait, up to the cap; a connection that
 * stayed up for backoff_max starts over from backoff_min, a shorter one
 * does not. */
static void test_backoff(void **state)
{
    (void)state;
    rig_init(true, 30);
    rig.net.poll_result = -ECONNREFUSED;
    uint32_t at[8];
    unsigned seen = 0;
    for (uint32_t t = 0; t <= 40000 && seen < 8; t += 10) {
        unsigned before = rig.net.connects;
        int r = rig_poll(t);
        if (rig.net.connects != before) {
            assert_int_equal(r, -ECONNREFUSED);
            at[seen++] = t;
        }
    }
    const uint32_t want[] = { 0, 1000, 3000, 7000, 15000, 23000, 31000, 39000 };
    assert_int_equal(seen, 8);
    assert_memory_equal(at, want, sizeof want);

    /* Up for 8 s: the next wait is 1 s again. */
    rig.net.poll_result = NET_POLL_OUT;
    rig_connect(47000, false);
    rig.net.recv_error = 1;
    assert_int_equal(rig_poll(47000 + RIG_BACKOFF_MAX), -ECONNRESET);
    assert_int_equal(rig.c.wait_ms, RIG_BACKOFF_MIN);
    /* Up for 1 s only: the wait goes on doubling. */
    rig_connect(56000, false);
    rig.net.recv_error = 1;
    assert_int_equal(rig_poll(57000), -ECONNRESET);
    assert_int_equal(rig.c.wait_ms, 2 * RIG_BACKOFF_MIN);
}

/* Every malformed or unexpected packet: -EPROTO, the connection closed,
 * and a new one after backoff_min. */
static void test_eproto_and_reconnect(void **state)
{
    (void)state;
    static const struct {
        uint8_t bytes[8];
        size_t len;
    } bad[] = {
        { { 0x30, 0xff, 0xff, 0xff, 0xff, 0x7f }, 6 }, /* remaining length over 4 bytes */
        { { 0x90, 0x81, 0x02, 0, 1, 0 }, 6 },          /* a SUBACK of 257 bytes: larger than rx_buf (256) */
        { { 0x10, 0 }, 2 },                            /* CONNECT: a client's packet */
        { { 0x82, 0 }, 2 },                            /* SUBSCRIBE */
        { { 0x60, 2, 0, 1 }, 4 },                      /* PUBREL: QoS 2, never asked for */
        { { 0x34, 5, 0, 1, 't', 0, 1 }, 7 },           /* PUBLISH at QoS 2 */
        { { 0x36, 5, 0, 1, 't', 0, 1 }, 7 },           /* QoS 3 */
        { { 0x41, 2, 0, 1 }, 4 },                      /* PUBACK with reserved flags */
        { { 0x40, 2, 0, 7 }, 4 },                      /* PUBACK for an id not in flight */
        { { 0x90, 3, 0, 9, 0 }, 5 },                   /* SUBACK for an id not in flight */
        { { 0xb0, 2, 0, 9 }, 4 },                      /* UNSUBACK for an id not in flight */
        { { 0x20, 2, 0, 0 }, 4 },                      /* a second CONNACK */
        { { 0xd0, 1, 0 }, 3 },                         /* PINGRESP with a body */
        { { 0xf0, 0 }, 2 },                            /* type 15 */
        { { 0x00, 0 }, 2 },                            /* type 0 */
        { { 0x32, 5, 0, 1, 't', 0, 0 }, 7 },           /* QoS 1 with packet id 0 */
    };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        rig_init(true, 30);
        rig_connect(0, false);
        fake_push(&rig.net, bad[i].bytes, bad[i].len);
        assert_int_equal(rig_poll(10), -EPROTO);
        assert_int_equal(rig.net.closes, 1);
        assert_int_equal(mqtt_state(&rig.c), MQTT_WAITING);
        assert_int_equal(rig_last_event(MQTT_EV_DISCONNECTED)->status, -EPROTO);
        assert_int_equal(rig.nmsgs, 0);
        fake_new_connection(&rig.net);
        assert_int_equal(rig_poll(10 + RIG_BACKOFF_MIN - 1), 0);
        assert_int_equal(rig.net.connects, 1);
        assert_int_equal(rig_poll(10 + RIG_BACKOFF_MIN), 0);
        assert_int_equal(rig.net.connects, 2);
        assert_int_equal(mqtt_state(&rig.c), MQTT_CONNACK_WAIT);
    }
    /* Anything but CONNACK first (spec 3.2). */
    rig_init(true, 30);
    assert_int_equal(rig_poll(0), 0);
    fake_push(&rig.net, (const uint8_t[]){ 0x30, 3, 0, 1, 't' }, 5);
    assert_int_equal(rig_poll(1), -EPROTO);
    assert_int_equal(rig.nmsgs, 0);
}

static void test_subscribe(void **state)
{
    (void)state;
    rig_init(true, 30);
    assert_int_equal(mqtt_subscribe(&rig.c, "s/#", 1), -ENOTCONN);
    rig_connect(0, false);
    int id = mqtt_subscribe(&rig.c, "s/#", 1);
    assert_true(id > 0);
    assert_int_equal(mqtt_subscribe(&rig.c, "t/#", 0), -EBUSY);
    assert_int_equal(mqtt_subscribe(&rig.c, "t/#", 2), -EINVAL);
    assert_int_equal(rig_poll(1), 0);
    uint8_t want[32];
    int n = mqtt_encode_subscribe(want, sizeof want, (uint16_t)id, "s/#", 1);
    assert_int_equal(rig.net.tx_len, n);
    assert_memory_equal(rig.net.tx, want, (size_t)n);
    fake_push(&rig.net, (const uint8_t[]){ 0x90, 3, 0, (uint8_t)id, 1 }, 5);
    assert_int_equal(rig_poll(2), 0);
    assert_int_equal(rig_last_event(MQTT_EV_SUBACK)->status, 1);
    assert_int_equal(rig_last_event(MQTT_EV_SUBACK)->id, id);
    /* The 0x80 failure code (spec 3.9.3). */
    id = mqtt_subscribe(&rig.c, "forbidden", 0);
    assert_true(id > 0);
    fake_push(&rig.net, (const uint8_t[]){ 0x90, 3, 0, (uint8_t)id, 0x80 }, 5);
    assert_int_equal(rig_poll(3), 0);
    assert_int_equal(rig_last_event(MQTT_EV_SUBACK)->status, -EACCES);
    assert_int_equal(mqtt_state(&rig.c), MQTT_CONNECTED);
    id = mqtt_unsubscribe(&rig.c, "s/#");
    assert_true(id > 0);
    fake_push(&rig.net, (const uint8_t[]){ 0xb0, 2, 0, (uint8_t)id }, 4);
    assert_int_equal(rig_poll(4), 0);
    assert_int_equal(rig_last_event(MQTT_EV_UNSUBACK)->id, id);
}

static void test_publish_errors(void **state)
{
    (void)state;
    rig_init(true, 30);
    assert_int_equal(mqtt_publish(&rig.c, "t", "x", 1, 0, false), -ENOTCONN);
    assert_int_equal(mqtt_publish(&rig.c, "", "x", 1, 1, false), -EINVAL);
    assert_int_equal(mqtt_publish(&rig.c, "t", "x", 1, 2, false), -EINVAL);
    static uint8_t big[600];
    assert_int_equal(mqtt_publish(&rig.c, "t", big, sizeof big, 1, false), -EMSGSIZE);
    /* The store (512 bytes) holds four 120-byte messages, not five. */
    for (int i = 1; i <= 4; i++) {
        assert_int_equal(mqtt_publish(&rig.c, "t", big, 120 - 6, 1, false), i);
    }
    assert_int_equal(mqtt_publish(&rig.c, "t", big, 120 - 6, 1, false), -ENOBUFS);
    assert_int_equal(mqtt_pending(&rig.c), 4);
}

/* DISCONNECT goes out, the socket closes, and the client stays down. */
static void test_disconnect(void **state)
{
    (void)state;
    rig_init(true, 30);
    rig_connect(0, false);
    assert_int_equal(mqtt_disconnect(&rig.c), 0);
    assert_int_equal(rig_poll(1), 0);
    assert_int_equal(mqtt_state(&rig.c), MQTT_STOPPED);
    assert_int_equal(rig.net.tx_len, 2);
    assert_memory_equal(rig.net.tx, ((const uint8_t[]){ 0xe0, 0 }), 2);
    assert_int_equal(rig.net.closes, 1);
    for (uint32_t t = 2; t < 100000; t += 100) {
        assert_int_equal(rig_poll(t), 0);
    }
    assert_int_equal(rig.net.connects, 1);
    assert_int_equal(mqtt_disconnect(&rig.c), -EPIPE);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_init_checks),
        cmocka_unit_test(test_connect_and_connack),
        cmocka_unit_test(test_connect_timeouts),
        cmocka_unit_test(test_connack_refusals),
        cmocka_unit_test(test_coremqtt_no_ping_on_every_pass),
        cmocka_unit_test(test_no_ping_while_publishing),
        cmocka_unit_test(test_pingresp_timeout),
        cmocka_unit_test(test_dup_retransmission_after_reconnect),
        cmocka_unit_test(test_clean_session_drops_sent_messages),
        cmocka_unit_test(test_backoff),
        cmocka_unit_test(test_eproto_and_reconnect),
        cmocka_unit_test(test_subscribe),
        cmocka_unit_test(test_publish_errors),
        cmocka_unit_test(test_disconnect),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
