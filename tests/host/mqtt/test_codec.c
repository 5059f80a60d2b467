/*
 * lib/mqtt codec against the MQTT 3.1.1 specification's examples and
 * rules (OASIS Standard 2014, sections cited): remaining length, CONNECT,
 * PUBLISH, SUBSCRIBE, the packets a server sends, and the streaming
 * decoder split at every byte.
 */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "quartz/mqtt_codec.h"

/* Spec 2.2.3 Table 2.4: the edges of each remaining-length size. */
static const struct {
    uint32_t value;
    uint8_t bytes[4];
    int n;
} lengths[] = {
    { 0, { 0x00 }, 1 },
    { 127, { 0x7f }, 1 },
    { 128, { 0x80, 0x01 }, 2 },
    { 16383, { 0xff, 0x7f }, 2 },
    { 16384, { 0x80, 0x80, 0x01 }, 3 },
    { 2097151, { 0xff, 0xff, 0x7f }, 3 },
    { 2097152, { 0x80, 0x80, 0x80, 0x01 }, 4 },
    { 268435455, { 0xff, 0xff, 0xff, 0x7f }, 4 },
};

static void test_remaining_length_encode(void **state)
{
    (void)state;
    for (size_t i = 0; i < sizeof lengths / sizeof lengths[0]; i++) {
        uint8_t out[4] = { 0 };
        assert_int_equal(mqtt_encode_remaining(out, lengths[i].value), lengths[i].n);
        assert_memory_equal(out, lengths[i].bytes, (size_t)lengths[i].n);
    }
    uint8_t out[4];
    assert_int_equal(mqtt_encode_remaining(out, 268435456u), -EINVAL);
}

/* The decoder reads the same values back; a body it cannot hold is never
 * started, so a buffer of 1 byte with a cap of the maximum sees only headers. */
static void test_remaining_length_decode(void **state)
{
    (void)state;
    uint8_t body[1];
    for (size_t i = 0; i < sizeof lengths / sizeof lengths[0]; i++) {
        struct mqtt_decoder d;
        mqtt_decoder_init(&d, body, MQTT_REMAINING_MAX);
        uint8_t in[5] = { 0x30 };
        memcpy(in + 1, lengths[i].bytes, (size_t)lengths[i].n);
        size_t used;
        int r = mqtt_decoder_feed(&d, in, 1u + (size_t)lengths[i].n, &used);
        assert_int_equal(r, lengths[i].value == 0 ? 1 : 0);
        assert_int_equal(used, 1 + lengths[i].n);
        assert_int_equal(d.remaining, lengths[i].value);
    }
}

/* A fifth length byte (a continuation bit on the fourth) is malformed, spec 2.2.3. */
static void test_remaining_length_five_bytes(void **state)
{
    (void)state;
    uint8_t body[8];
    struct mqtt_decoder d;
    mqtt_decoder_init(&d, body, MQTT_REMAINING_MAX);
    const uint8_t in[] = { 0x30, 0xff, 0xff, 0xff, 0xff, 0x7f };
    size_t used;
    assert_int_equal(mqtt_decoder_feed(&d, in, sizeof in, &used), -EPROTO);
    assert_int_equal(used, 5); /* refused at the fourth length byte */
}

/* Spec 3.1.2.10 Figure 3.6's variable header (flags 0xCE: user name,
 * password, will QoS 1, will flag, clean session; keep alive 10), then the
 * payload in the order of spec 3.1.3. */
static void test_connect_spec_example(void **state)
{
    (void)state;
    const uint8_t msg[] = { 'b', 'y', 'e' };
    struct mqtt_connect c = {
        .client_id = "cid", .username = "u", .password = "pw",
        .will_topic = "w/t", .will_msg = msg, .will_len = 3, .will_qos = 1,
        .clean_session = true, .keepalive_s = 10,
    };
    const uint8_t want[] = {
        0x10, 32,
        0x00, 0x04, 'M', 'Q', 'T', 'T', 0x04, 0xce, 0x00, 0x0a,
        0x00, 0x03, 'c', 'i', 'd',
        0x00, 0x03, 'w', '/', 't',
        0x00, 0x03, 'b', 'y', 'e',
        0x00, 0x01, 'u',
        0x00, 0x02, 'p', 'w',
    };
    uint8_t buf[64];
    assert_int_equal(mqtt_encode_connect(buf, sizeof buf, &c), sizeof want);
    assert_memory_equal(buf, want, sizeof want);

    /* Minimal: no will, no credentials, clean session 0, will retain off. */
    struct mqtt_connect m = { .client_id = "x", .keepalive_s = 60 };
    const uint8_t want_min[] = { 0x10, 13, 0x00, 0x04, 'M', 'Q', 'T', 'T', 0x04, 0x00, 0x00, 60,
                                 0x00, 0x01, 'x' };
    assert_int_equal(mqtt_encode_connect(buf, sizeof buf, &m), sizeof want_min);
    assert_memory_equal(buf, want_min, sizeof want_min);

    /* Will retain is bit 5 (0x20). */
    c.will_retain = true;
    assert_int_equal(mqtt_encode_connect(buf, sizeof buf, &c), sizeof want);
    assert_int_equal(buf[9], 0xee);
}

static void test_connect_invalid(void **state)
{
    (void)state;
    uint8_t buf[64];
    struct mqtt_connect c = { .client_id = "x", .password = "pw" }; /* no user name: spec 3.1.2.9 */
    assert_int_equal(mqtt_encode_connect(buf, sizeof buf, &c), -EINVAL);
    struct mqtt_connect e = { .client_id = "" }; /* empty id needs clean session: spec 3.1.3.1 */
    assert_int_equal(mqtt_encode_connect(buf, sizeof buf, &e), -EINVAL);
    e.clean_session = true;
    assert_int_equal(mqtt_encode_connect(buf, sizeof buf, &e), 14);
    struct mqtt_connect w = { .client_id = "x", .will_topic = "t", .will_qos = 2 };
    assert_int_equal(mqtt_encode_connect(buf, sizeof buf, &w), -EINVAL);
}

/* Spec 3.3.2.3 Figure 3.11: topic "a/b", packet id 10. */
static void test_publish_spec_example(void **state)
{
    (void)state;
    uint8_t buf[32];
    const uint8_t want[] = { 0x32, 9, 0x00, 0x03, 'a', '/', 'b', 0x00, 0x0a, 'h', 'i' };
    assert_int_equal(mqtt_encode_publish(buf, sizeof buf, "a/b", "hi", 2, 1, false, false, 10), sizeof want);
    assert_memory_equal(buf, want, sizeof want);
    /* DUP (bit 3) and RETAIN (bit 0), spec 3.3.1. */
    assert_int_equal(mqtt_encode_publish(buf, sizeof buf, "a/b", "hi", 2, 1, true, true, 10), sizeof want);
    assert_int_equal(buf[0], 0x3b);
    /* QoS 0: no packet id, and DUP stays 0 (spec 3.3.1.1). */
    const uint8_t want0[] = { 0x30, 5, 0x00, 0x03, 'a', '/', 'b' };
    assert_int_equal(mqtt_encode_publish(buf, sizeof buf, "a/b", NULL, 0, 0, false, true, 0), sizeof want0);
    assert_memory_equal(buf, want0, sizeof want0);
    /* Spec 1.5.3 Figure 1.3: "A\u2A6D4" is 00 05 41 F0 AA 9B 94. */
    const uint8_t utf8[] = { 0x30, 7, 0x00, 0x05, 0x41, 0xf0, 0xaa, 0x9b, 0x94 };
    assert_int_equal(mqtt_encode_publish(buf, sizeof buf, "A\xf0\xaa\x9b\x94", NULL, 0, 0, false, false, 0),
                     sizeof utf8);
    assert_memory_equal(buf, utf8, sizeof utf8);
    /* Refused: QoS 2, QoS 1 with id 0, an empty topic (spec 4.7.3). */
    assert_int_equal(mqtt_encode_publish(buf, sizeof buf, "a", NULL, 0, 2, false, false, 1), -EINVAL);
    assert_int_equal(mqtt_encode_publish(buf, sizeof buf, "a", NULL, 0, 1, false, false, 0), -EINVAL);
    assert_int_equal(mqtt_encode_publish(buf, sizeof buf, "", NULL, 0, 0, false, false, 0), -EINVAL);
}

/* A 2-byte remaining length: 200 bytes of payload. */
static void test_publish_long(void **state)
{
    (void)state;
    uint8_t payload[200], buf[256];
    memset(payload, 0x5a, sizeof payload);
    int n = mqtt_encode_publish(buf, sizeof buf, "t", payload, sizeof payload, 0, false, false, 0);
    assert_int_equal(n, 1 + 2 + 3 + 200);
    assert_int_equal(buf[1], (203 & 0x7f) | 0x80);
    assert_int_equal(buf[2], 203 >> 7);
    assert_memory_equal(buf + 6, payload, sizeof payload);
}

/* Spec 3.8.1 (flags 0010) and 3.8.3: packet id, filter, requested QoS. */
static void test_subscribe_unsubscribe(void **state)
{
    (void)state;
    uint8_t buf[32];
    const uint8_t want[] = { 0x82, 8, 0x00, 0x0a, 0x00, 0x03, 'a', '/', 'b', 0x01 };
    assert_int_equal(mqtt_encode_subscribe(buf, sizeof buf, 10, "a/b", 1), sizeof want);
    assert_memory_equal(buf, want, sizeof want);
    const uint8_t unsub[] = { 0xa2, 7, 0x00, 0x0b, 0x00, 0x03, 'a', '/', 'b' };
    assert_int_equal(mqtt_encode_unsubscribe(buf, sizeof buf, 11, "a/b"), sizeof unsub);
    assert_memory_equal(buf, unsub, sizeof unsub);
    assert_int_equal(mqtt_encode_subscribe(buf, sizeof buf, 0, "a", 0), -EINVAL);
    assert_int_equal(mqtt_encode_subscribe(buf, sizeof buf, 1, "a", 2), -EINVAL);
}

static void test_short_packets(void **state)
{
    (void)state;
    uint8_t buf[4];
    assert_int_equal(mqtt_encode_puback(buf, sizeof buf, 0x1234), 4);
    assert_memory_equal(buf, ((uint8_t[]){ 0x40, 2, 0x12, 0x34 }), 4);
    assert_int_equal(mqtt_encode_puback(buf, sizeof buf, 0), -EINVAL);
    assert_int_equal(mqtt_encode_pingreq(buf, sizeof buf), 2);
    assert_memory_equal(buf, ((uint8_t[]){ 0xc0, 0 }), 2);
    assert_int_equal(mqtt_encode_disconnect(buf, sizeof buf), 2);
    assert_memory_equal(buf, ((uint8_t[]){ 0xe0, 0 }), 2);
    assert_int_equal(mqtt_encode_puback(buf, 3, 1), -ENOBUFS);
    assert_int_equal(mqtt_encode_pingreq(buf, 1), -ENOBUFS);
}

/* Every encoder at every capacity below its size: -ENOBUFS and not a byte
 * written past the capacity; at the exact size, the whole packet. */
static void test_encoders_respect_capacity(void **state)
{
    (void)state;
    uint8_t payload[150];
    memset(payload, 'p', sizeof payload);
    struct mqtt_connect c = { .client_id = "client", .username = "user", .password = "pass",
                              .will_topic = "will", .will_msg = payload, .will_len = 20,
                              .keepalive_s = 30 };
    for (int kind = 0; kind < 3; kind++) {
        uint8_t ref[300], buf[300];
        int size = kind == 0   ? mqtt_encode_connect(ref, sizeof ref, &c)
                   : kind == 1 ? mqtt_encode_publish(ref, sizeof ref, "a/b", payload, sizeof payload, 1,
                                                     false, false, 7)
                               : mqtt_encode_subscribe(ref, sizeof ref, 9, "x/#", 1);
        assert_true(size > 0);
        for (int cap = 0; cap <= size; cap++) {
            memset(buf, 0xee, sizeof buf);
            int n = kind == 0   ? mqtt_encode_connect(buf, (size_t)cap, &c)
                    : kind == 1 ? mqtt_encode_publish(buf, (size_t)cap, "a/b", payload, sizeof payload, 1,
                                                      false, false, 7)
                                : mqtt_encode_subscribe(buf, (size_t)cap, 9, "x/#", 1);
            for (size_t i = (size_t)cap; i < sizeof buf; i++) {
                assert_int_equal(buf[i], 0xee);
            }
            if (cap < size) {
                assert_int_equal(n, -ENOBUFS);
            } else {
                assert_int_equal(n, size);
                assert_memory_equal(buf, ref, (size_t)size);
            }
        }
    }
}

/* Spec 2.2.2 Table 2.2: of the 256 first bytes, the ones a server may send
 * this client (no QoS 2): CONNACK, PUBLISH at QoS 0/1 with any DUP/RETAIN,
 * PUBACK, SUBACK, UNSUBACK, PINGRESP, with reserved flags 0. */
static void test_first_byte(void **state)
{
    (void)state;
    const uint8_t ok[] = { 0x20, 0x30, 0x31, 0x32, 0x33, 0x38, 0x39, 0x3a, 0x3b, 0x40, 0x90, 0xb0, 0xd0 };
    for (unsigned b = 0; b < 256; b++) {
        int expect = memchr(ok, (int)b, sizeof ok) ? 0 : -EPROTO;
        assert_int_equal(mqtt_check_first_byte((uint8_t)b), expect);
    }
}

static int decode_one(const uint8_t *in, size_t len, uint8_t *buf, uint32_t cap, struct mqtt_packet *p)
{
    struct mqtt_decoder d;
    mqtt_decoder_init(&d, buf, cap);
    size_t used;
    int r = mqtt_decoder_feed(&d, in, len, &used);
    if (r == 1) {
        assert_int_equal(used, len);
        mqtt_decoder_packet(&d, p);
    }
    return r;
}

static void test_connack(void **state)
{
    (void)state;
    uint8_t buf[8];
    struct mqtt_packet p;
    bool sp;
    uint8_t code;
    assert_int_equal(decode_one((const uint8_t[]){ 0x20, 2, 0x01, 0x00 }, 4, buf, sizeof buf, &p), 1);
    assert_int_equal(mqtt_parse_connack(&p, &sp, &code), 0);
    assert_true(sp);
    assert_int_equal(code, 0);
    assert_int_equal(decode_one((const uint8_t[]){ 0x20, 2, 0x00, 0x04 }, 4, buf, sizeof buf, &p), 1);
    assert_int_equal(mqtt_parse_connack(&p, &sp, &code), 0);
    assert_false(sp);
    assert_int_equal(code, MQTT_CONNACK_CREDENTIALS);
    /* Session present with a refusal (spec 3.2.2.2), reserved flag bits, wrong length. */
    assert_int_equal(decode_one((const uint8_t[]){ 0x20, 2, 0x01, 0x05 }, 4, buf, sizeof buf, &p), 1);
    assert_int_equal(mqtt_parse_connack(&p, &sp, &code), -EPROTO);
    assert_int_equal(decode_one((const uint8_t[]){ 0x20, 2, 0x02, 0x00 }, 4, buf, sizeof buf, &p), 1);
    assert_int_equal(mqtt_parse_connack(&p, &sp, &code), -EPROTO);
    assert_int_equal(decode_one((const uint8_t[]){ 0x20, 3, 0, 0, 0 }, 5, buf, sizeof buf, &p), 1);
    assert_int_equal(mqtt_parse_connack(&p, &sp, &code), -EPROTO);
    /* Reserved fixed-header flags: refused at the first byte. */
    assert_int_equal(decode_one((const uint8_t[]){ 0x21, 2, 0, 0 }, 4, buf, sizeof buf, &p), -EPROTO);
}

static void test_publish_in(void **state)
{
    (void)state;
    uint8_t buf[32];
    struct mqtt_packet p;
    struct mqtt_publish_in in;
    const uint8_t q1[] = { 0x3b, 9, 0x00, 0x03, 'a', '/', 'b', 0x00, 0x0a, 'h', 'i' };
    assert_int_equal(decode_one(q1, sizeof q1, buf, sizeof buf, &p), 1);
    assert_int_equal(mqtt_parse_publish(&p, &in), 0);
    assert_int_equal(in.topic_len, 3);
    assert_memory_equal(in.topic, "a/b", 3);
    assert_int_equal(in.id, 10);
    assert_int_equal(in.qos, 1);
    assert_true(in.dup && in.retain);
    assert_int_equal(in.payload_len, 2);
    assert_memory_equal(in.payload, "hi", 2);
    /* An empty payload is fine. */
    assert_int_equal(decode_one((const uint8_t[]){ 0x30, 3, 0, 1, 't' }, 5, buf, sizeof buf, &p), 1);
    assert_int_equal(mqtt_parse_publish(&p, &in), 0);
    assert_int_equal(in.payload_len, 0);
    static const struct {
        uint8_t bytes[12];
        size_t len;
    } bad[] = {
        { { 0x32, 5, 0, 1, 't', 0, 0 }, 7 },     /* QoS 1 with packet id 0, spec 2.3.1 */
        { { 0x30, 4, 0, 9, 't', 'u' }, 6 },      /* topic longer than the packet */
        { { 0x32, 4, 0, 1, 't', 0 }, 6 },        /* no room for the packet id */
        { { 0x30, 3, 0, 0, 'x' }, 5 },           /* empty topic, spec 4.7.3 */
        { { 0x30, 3, 0, 1, '+' }, 5 },           /* wildcard in a topic name, spec 4.7.1 */
        { { 0x30, 4, 0, 2, 'a', '#' }, 6 },
        { { 0x30, 3, 0, 1, 0 }, 5 },             /* U+0000, spec 1.5.3 */
        { { 0x38, 3, 0, 1, 't' }, 5 },           /* DUP at QoS 0, spec 3.3.1.1 */
        { { 0x30, 1, 0 }, 3 },                   /* shorter than a topic length */
    };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        assert_int_equal(decode_one(bad[i].bytes, bad[i].len, buf, sizeof buf, &p), 1);
        assert_int_equal(mqtt_parse_publish(&p, &in), -EPROTO);
    }
    /* QoS 2 and 3: refused at the first byte. */
    assert_int_equal(decode_one((const uint8_t[]){ 0x34, 5, 0, 1, 't', 0, 1 }, 7, buf, sizeof buf, &p), -EPROTO);
    assert_int_equal(decode_one((const uint8_t[]){ 0x36, 5, 0, 1, 't', 0, 1 }, 7, buf, sizeof buf, &p), -EPROTO);
}

static void test_acks(void **state)
{
    (void)state;
    uint8_t buf[8];
    struct mqtt_packet p;
    uint16_t id;
    uint8_t code;
    assert_int_equal(decode_one((const uint8_t[]){ 0x40, 2, 0x12, 0x34 }, 4, buf, sizeof buf, &p), 1);
    assert_int_equal(mqtt_parse_ack(&p, &id), 0);
    assert_int_equal(id, 0x1234);
    assert_int_equal(decode_one((const uint8_t[]){ 0x40, 2, 0, 0 }, 4, buf, sizeof buf, &p), 1);
    assert_int_equal(mqtt_parse_ack(&p, &id), -EPROTO);
    assert_int_equal(decode_one((const uint8_t[]){ 0x40, 3, 0, 1, 0 }, 5, buf, sizeof buf, &p), 1);
    assert_int_equal(mqtt_parse_ack(&p, &id), -EPROTO);
    /* Spec 3.9.3 Figure 3.26's return codes: granted QoS 0, 1, and the 0x80 failure. */
    const uint8_t codes[] = { 0x00, 0x01, 0x80 };
    for (size_t i = 0; i < sizeof codes; i++) {
        const uint8_t suback[] = { 0x90, 3, 0x00, 0x0a, codes[i] };
        assert_int_equal(decode_one(suback, sizeof suback, buf, sizeof buf, &p), 1);
        assert_int_equal(mqtt_parse_suback(&p, &id, &code), 0);
        assert_int_equal(id, 10);
        assert_int_equal(code, codes[i]);
    }
    /* QoS 2 was never asked for; 0x03 and 0x81 are no return codes; one filter, one code. */
    const uint8_t bad_codes[] = { 0x02, 0x03, 0x81 };
    for (size_t i = 0; i < sizeof bad_codes; i++) {
        const uint8_t suback[] = { 0x90, 3, 0x00, 0x0a, bad_codes[i] };
        assert_int_equal(decode_one(suback, sizeof suback, buf, sizeof buf, &p), 1);
        assert_int_equal(mqtt_parse_suback(&p, &id, &code), -EPROTO);
    }
    assert_int_equal(decode_one((const uint8_t[]){ 0x90, 4, 0, 1, 0, 1 }, 6, buf, sizeof buf, &p), 1);
    assert_int_equal(mqtt_parse_suback(&p, &id, &code), -EPROTO);
}

/* A packet larger than the buffer is refused once its length is known,
 * before a body byte is stored. */
static void test_packet_larger_than_buffer(void **state)
{
    (void)state;
    uint8_t mem[24];
    memset(mem, 0xee, sizeof mem);
    struct mqtt_decoder d;
    mqtt_decoder_init(&d, mem, 16);
    uint8_t in[2 + 17] = { 0x90, 17, 0, 1, 0 }; /* a SUBACK (a PUBLISH: test_publish_larger_than_buffer) */
    size_t used;
    assert_int_equal(mqtt_decoder_feed(&d, in, sizeof in, &used), -EPROTO);
    assert_int_equal(used, 2);
    for (size_t i = 0; i < sizeof mem; i++) {
        assert_int_equal(mem[i], 0xee);
    }
    /* Exactly the buffer's size is fine. */
    mqtt_decoder_init(&d, mem, 16);
    in[0] = 0x30;
    in[1] = 16;
    assert_int_equal(mqtt_decoder_feed(&d, in, 18, &used), 1);
    assert_int_equal(used, 18);
    for (size_t i = 16; i < sizeof mem; i++) {
        assert_int_equal(mem[i], 0xee);
    }
}

/* A PUBLISH larger than the buffer: its head (cap / 2) is kept, the rest
 * read past without a byte beyond the buffer written; the packet parses
 * as a truncated PUBLISH and the next packet decodes as usual. */
static void test_publish_larger_than_buffer(void **state)
{
    (void)state;
    uint8_t mem[24], in[64];
    memset(mem, 0xee, sizeof mem);
    uint8_t payload[30];
    memset(payload, 'x', sizeof payload);
    int n = mqtt_encode_publish(in, sizeof in, "t", payload, sizeof payload, 1, false, false, 7);
    assert_int_equal(n, 2 + 35);
    memcpy(in + n, (const uint8_t[]){ 0xd0, 0 }, 2); /* a PINGRESP after it */
    struct mqtt_decoder d;
    mqtt_decoder_init(&d, mem, 16);
    size_t used;
    assert_int_equal(mqtt_decoder_feed(&d, in, (size_t)n + 2, &used), 1);
    assert_int_equal(used, (size_t)n);
    for (size_t i = 16; i < sizeof mem; i++) {
        assert_int_equal(mem[i], 0xee);
    }
    struct mqtt_packet p;
    mqtt_decoder_packet(&d, &p);
    assert_true(p.truncated);
    assert_int_equal(p.len, 8);
    struct mqtt_publish_in pub;
    assert_int_equal(mqtt_parse_publish(&p, &pub), 0);
    assert_int_equal(pub.id, 7);
    assert_int_equal(pub.topic_len, 1);
    assert_int_equal(pub.payload_len, 3);
    assert_memory_equal(pub.payload, "xxx", 3);
    mqtt_decoder_reset(&d);
    assert_int_equal(mqtt_decoder_feed(&d, in + n, 2, &used), 1);
    mqtt_decoder_packet(&d, &p);
    assert_false(p.truncated);
    assert_int_equal(p.first, 0xd0);
}

/* Three packets (one with a 2-byte remaining length) fed in two parts,
 * split at every offset: the same three packets every time. */
static void test_decoder_split_everywhere(void **state)
{
    (void)state;
    uint8_t stream[512];
    size_t len = 0;
    uint8_t payload[150];
    for (size_t i = 0; i < sizeof payload; i++) {
        payload[i] = (uint8_t)i;
    }
    len += (size_t)mqtt_encode_publish(stream + len, sizeof stream - len, "a/b", payload, sizeof payload, 1,
                                       false, false, 77);
    memcpy(stream + len, (const uint8_t[]){ 0xd0, 0x00, 0x40, 0x02, 0x00, 0x4d }, 6);
    len += 6;
    for (size_t split = 0; split <= len; split++) {
        uint8_t buf[200];
        struct mqtt_decoder d;
        mqtt_decoder_init(&d, buf, sizeof buf);
        unsigned seen = 0;
        const size_t parts[2][2] = { { 0, split }, { split, len } };
        for (int part = 0; part < 2; part++) {
            size_t off = parts[part][0], end = parts[part][1];
            while (off < end) {
                size_t used;
                int r = mqtt_decoder_feed(&d, stream + off, end - off, &used);
                assert_true(r >= 0);
                off += used;
                if (r == 1) {
                    struct mqtt_packet p;
                    mqtt_decoder_packet(&d, &p);
                    if (seen == 0) {
                        struct mqtt_publish_in in;
                        assert_int_equal(mqtt_parse_publish(&p, &in), 0);
                        assert_int_equal(in.id, 77);
                        assert_int_equal(in.payload_len, sizeof payload);
                        assert_memory_equal(in.payload, payload, sizeof payload);
                    } else if (seen == 1) {
                        assert_int_equal(p.first, 0xd0);
                        assert_int_equal(p.len, 0);
                    } else {
                        uint16_t id;
                        assert_int_equal(mqtt_parse_ack(&p, &id), 0);
                        assert_int_equal(id, 77);
                    }
                    seen++;
                    mqtt_decoder_reset(&d);
                }
            }
        }
        assert_int_equal(seen, 3);
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_remaining_length_encode),
        cmocka_unit_test(test_remaining_length_decode),
        cmocka_unit_test(test_remaining_length_five_bytes),
        cmocka_unit_test(test_connect_spec_example),
        cmocka_unit_test(test_connect_invalid),
        cmocka_unit_test(test_publish_spec_example),
        cmocka_unit_test(test_publish_long),
        cmocka_unit_test(test_subscribe_unsubscribe),
        cmocka_unit_test(test_short_packets),
        cmocka_unit_test(test_encoders_respect_capacity),
        cmocka_unit_test(test_first_byte),
        cmocka_unit_test(test_connack),
        cmocka_unit_test(test_publish_in),
        cmocka_unit_test(test_acks),
        cmocka_unit_test(test_packet_larger_than_buffer),
        cmocka_unit_test(test_publish_larger_than_buffer),
        cmocka_unit_test(test_decoder_split_everywhere),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
