/*
 * lib/mqtt client's receive path on a scripted network (fake_net.h):
 * partial reads (the lwmqtt and Paho bugs), a stream split at every
 * offset and byte by byte, PUBACKs for incoming QoS 1, back-pressure.
 */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "rig.h"

/* lwmqtt lost the fixed header's first byte when the read of the next one
 * timed out: here the first byte comes, a read finds nothing, then the rest. */
static void test_lwmqtt_header_byte_kept_across_timeout(void **state)
{
    (void)state;
    rig_init(true, 30);
    rig_connect(0, false);
    fake_push(&rig.net, (const uint8_t[]){ 0x30 }, 1);
    fake_gap(&rig.net);
    fake_push(&rig.net, (const uint8_t[]){ 7, 0, 3, 'a', '/', 'b', 'h', 'i' }, 8);
    assert_int_equal(rig_poll(10), 0);
    assert_int_equal(rig.nmsgs, 0);
    assert_int_equal(rig_poll(20), 0);
    assert_int_equal(rig.nmsgs, 1);
    assert_string_equal(rig.msgs[0].topic, "a/b");
    assert_int_equal(rig.msgs[0].len, 2);
    assert_memory_equal(rig.msgs[0].payload, "hi", 2);
    assert_int_equal(mqtt_state(&rig.c), MQTT_CONNECTED);
}

/* Paho embedded misread a remaining length whose two bytes came in two reads. */
static void test_paho_remaining_length_split_across_reads(void **state)
{
    (void)state;
    rig_init(true, 30);
    rig_connect(0, false);
    uint8_t payload[200], pkt[256];
    for (size_t i = 0; i < sizeof payload; i++) {
        payload[i] = (uint8_t)(i * 7);
    }
    int n = mqtt_encode_publish(pkt, sizeof pkt, "s/long", payload, sizeof payload, 0, false, false, 0);
    assert_true(pkt[1] & 0x80); /* two length bytes */
    fake_push(&rig.net, pkt, 2);
    fake_gap(&rig.net);
    fake_push(&rig.net, pkt + 2, (size_t)n - 2);
    assert_int_equal(rig_poll(10), 0);
    assert_int_equal(rig.nmsgs, 0);
    assert_int_equal(rig_poll(20), 0);
    assert_int_equal(rig.nmsgs, 1);
    assert_string_equal(rig.msgs[0].topic, "s/long");
    assert_int_equal(rig.msgs[0].len, sizeof payload);
    assert_memory_equal(rig.msgs[0].payload, payload, sizeof payload);
}

/* The stream for the split tests: a 2-length-byte QoS 0 PUBLISH, a QoS 1
 * PUBLISH, a PINGRESP, and the PUBACK of the client's own message id 1. */
static size_t split_stream(uint8_t *out, size_t cap, uint8_t *payload, size_t plen)
{
    size_t len = 0;
    for (size_t i = 0; i < plen; i++) {
        payload[i] = (uint8_t)(i ^ 0xa5);
    }
    len += (size_t)mqtt_encode_publish(out, cap, "s/long", payload, plen, 0, false, false, 0);
    len += (size_t)mqtt_encode_publish(out + len, cap - len, "s/q1", "one", 3, 1, true, false, 5);
    memcpy(out + len, (const uint8_t[]){ 0xd0, 0, 0x40, 2, 0, 1 }, 6);
    return len + 6;
}

static void check_split_result(const uint8_t *payload, size_t plen)
{
    assert_int_equal(rig.nmsgs, 2);
    assert_string_equal(rig.msgs[0].topic, "s/long");
    assert_int_equal(rig.msgs[0].len, plen);
    assert_memory_equal(rig.msgs[0].payload, payload, plen);
    assert_string_equal(rig.msgs[1].topic, "s/q1");
    assert_int_equal(rig.msgs[1].qos, 1);
    assert_true(rig.msgs[1].retain);
    assert_memory_equal(rig.msgs[1].payload, "one", 3);
    assert_int_equal(rig_count_events(MQTT_EV_PUBACK), 1);
    assert_int_equal(rig_last_event(MQTT_EV_PUBACK)->id, 1);
    assert_int_equal(mqtt_pending(&rig.c), 0);
    /* The PUBACK for id 5 went out. */
    assert_int_equal(rig.net.tx_len, 4);
    assert_memory_equal(rig.net.tx, ((const uint8_t[]){ 0x40, 2, 0, 5 }), 4);
    assert_int_equal(mqtt_state(&rig.c), MQTT_CONNECTED);
}

static void start_split_case(void)
{
    rig_init(true, 30);
    rig_connect(0, false);
    assert_int_equal(mqtt_publish(&rig.c, "mine", "m", 1, 1, false), 1);
    assert_int_equal(rig_poll(1), 0);
    rig.net.tx_len = 0;
}

/* The stream with a read that finds nothing at every offset in turn. */
static void test_split_at_every_offset(void **state)
{
    (void)state;
    uint8_t stream[400], payload[200];
    size_t len = split_stream(stream, sizeof stream, payload, sizeof payload);
    for (size_t k = 1; k < len; k++) {
        start_split_case();
        fake_push(&rig.net, stream, k);
        fake_gap(&rig.net);
        fake_push(&rig.net, stream + k, len - k);
        for (uint32_t t = 2; t < 6; t++) {
            assert_int_equal(rig_poll(t), 0);
        }
        check_split_result(payload, sizeof payload);
    }
}

/* One byte per read, and a read that finds nothing before every byte. */
static void test_split_every_byte(void **state)
{
    (void)state;
    uint8_t stream[400], payload[200];
    size_t len = split_stream(stream, sizeof stream, payload, sizeof payload);
    start_split_case();
    rig.net.chunk = 1;
    for (size_t k = 0; k < len; k++) {
        fake_gap(&rig.net);
        fake_push(&rig.net, stream + k, 1);
    }
    for (uint32_t t = 2; rig.net.rx_pos < rig.net.rx_len || t < 8; t++) {
        assert_true(t < 2 * len + 10);
        assert_int_equal(rig_poll(t), 0);
    }
    check_split_result(payload, sizeof payload);
}

/* Incoming QoS 1 is acknowledged with its id, QoS 0 is not (spec 4.3). */
static void test_incoming_qos(void **state)
{
    (void)state;
    rig_init(true, 30);
    rig_connect(0, false);
    fake_push(&rig.net, (const uint8_t[]){ 0x30, 4, 0, 1, 't', '0' }, 6);
    fake_push(&rig.net, (const uint8_t[]){ 0x32, 6, 0, 1, 't', 0x12, 0x34, '1' }, 8);
    assert_int_equal(rig_poll(1), 0);
    assert_int_equal(rig.nmsgs, 2);
    assert_int_equal(rig.msgs[0].qos, 0);
    assert_int_equal(rig.msgs[1].qos, 1);
    assert_int_equal(rig.net.tx_len, 4);
    assert_memory_equal(rig.net.tx, ((const uint8_t[]){ 0x40, 2, 0x12, 0x34 }), 4);
}

/* The PUBACK is queued before the application sees the message: a reply
 * from the callback that takes all the room left does not crowd it out. */
static void test_puback_before_callback_output(void **state)
{
    (void)state;
    rig_init(true, 30);
    rig_connect(0, false);
    rig.net.send_room = 0;
    rig.reply_armed = true;
    fake_push(&rig.net, (const uint8_t[]){ 0x32, 6, 0, 1, 't', 0x00, 0x09, '1' }, 8);
    assert_int_equal(rig_poll(1), 0);
    assert_int_equal(rig.reply, 0);
    assert_int_equal(rig.c.tx_used, sizeof rig.tx);
    rig.net.send_room = SIZE_MAX;
    assert_int_equal(rig_poll(2), 0);
    assert_int_equal(rig.net.tx_len, sizeof rig.tx);
    assert_memory_equal(rig.net.tx, ((const uint8_t[]){ 0x40, 2, 0, 9, 0x30 }), 5);
    assert_int_equal(fake_count_type(&rig.net, MQTT_PUBLISH), 1);
}

/* The transmit path blocked: 300 QoS 1 messages arrive; the client reads
 * only while a PUBACK fits, never overflows, and acknowledges all of them
 * in order once the path opens. */
static void test_backpressure(void **state)
{
    (void)state;
    rig_init(true, 30);
    rig_connect(0, false);
    rig.net.send_room = 0;
    for (unsigned id = 1; id <= 300; id++) {
        fake_push(&rig.net, (const uint8_t[]){ 0x32, 5, 0, 1, 't', (uint8_t)(id >> 8), (uint8_t)id }, 7);
    }
    for (uint32_t t = 1; t < 50; t++) {
        assert_int_equal(rig_poll(t), 0);
    }
    assert_int_equal(rig.nmsgs, sizeof rig.tx / 4); /* stopped with the buffer full of PUBACKs */
    rig.net.send_room = 5; /* a slow link */
    for (uint32_t t = 50; rig.nmsgs < 300 || rig.c.tx_used; t++) {
        assert_true(t < 2000);
        assert_int_equal(rig_poll(t), 0);
    }
    assert_int_equal(rig.net.tx_len, 300 * 4);
    for (unsigned id = 1; id <= 300; id++) {
        const uint8_t *p = rig.net.tx + (id - 1) * 4;
        assert_int_equal(p[0], 0x40);
        assert_int_equal(p[2] << 8 | p[3], id);
    }
}

/* A PUBLISH longer than rx_buf (another client chose its length, not the
 * broker): the client keeps its head, reads past the rest, hands it over
 * marked truncated, acknowledges it at QoS 1, and keeps the connection;
 * the packets after it read as usual. Whole and byte by byte. */
static void test_publish_longer_than_rx_buf(void **state)
{
    (void)state;
    uint8_t payload[1024], stream[2200];
    for (size_t i = 0; i < sizeof payload; i++) {
        payload[i] = (uint8_t)('a' + i % 26);
    }
    size_t len = 0;
    for (unsigned qos = 0; qos <= 1; qos++) {
        int n = mqtt_encode_publish(stream + len, sizeof stream - len, "n/cmd", payload, sizeof payload, qos,
                                    false, false, qos ? 11 : 0);
        assert_true(n > (int)sizeof rig.rx);
        len += (size_t)n;
    }
    len += (size_t)mqtt_encode_publish(stream + len, sizeof stream - len, "n/cmd", "ok", 2, 1, false, false, 12);
    for (size_t step = 0; step <= 1; step++) {
        rig_init(true, 30);
        rig_connect(0, false);
        rig.net.chunk = step; /* 0: no limit; 1: one byte per read */
        fake_push(&rig.net, stream, len);
        for (uint32_t t = 10; rig.nmsgs < 3; t++) {
            assert_true(t < 10 + 2 * len);
            assert_int_equal(rig_poll(t), 0);
        }
        assert_int_equal(mqtt_state(&rig.c), MQTT_CONNECTED);
        assert_int_equal(rig.net.closes, 0);
        for (unsigned i = 0; i < 2; i++) {
            assert_string_equal(rig.msgs[i].topic, "n/cmd");
            assert_true(rig.msgs[i].truncated);
            assert_int_equal(rig.msgs[i].qos, i);
            assert_true(rig.msgs[i].len > 0 && rig.msgs[i].len < sizeof payload);
            assert_memory_equal(rig.msgs[i].payload, payload, rig.msgs[i].len);
        }
        assert_false(rig.msgs[2].truncated);
        assert_int_equal(rig.msgs[2].len, 2);
        assert_memory_equal(rig.msgs[2].payload, "ok", 2);
        (void)rig_poll(20 + 2 * (uint32_t)len);
        assert_int_equal(rig.net.tx_len, 8); /* the two QoS 1 PUBACKs, in order */
        assert_memory_equal(rig.net.tx, ((const uint8_t[]){ 0x40, 2, 0, 11, 0x40, 2, 0, 12 }), 8);
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_lwmqtt_header_byte_kept_across_timeout),
        cmocka_unit_test(test_paho_remaining_length_split_across_reads),
        cmocka_unit_test(test_split_at_every_offset),
        cmocka_unit_test(test_split_every_byte),
        cmocka_unit_test(test_incoming_qos),
        cmocka_unit_test(test_puback_before_callback_output),
        cmocka_unit_test(test_backpressure),
        cmocka_unit_test(test_publish_longer_than_rx_buf),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
