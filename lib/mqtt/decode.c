/*
 * MQTT 3.1.1 streaming decoder and parsers (quartz/mqtt_codec.h).
 *
 * The decoder's state is the whole fixed header seen so far (byte 1, the
 * remaining-length bytes and their running value) plus the body bytes
 * stored, so a read may end anywhere. Two bugs of other embedded clients
 * are what this rules out (tests/host/mqtt has a test for each): lwmqtt
 * dropped the fixed header's first byte when a read timed out before the
 * rest came, and Paho embedded misread a remaining length whose bytes came
 * in two reads.
 */
#include <errno.h>
#include <string.h>

#include "quartz/mqtt_codec.h"

enum { STAGE_FIRST, STAGE_LENGTH, STAGE_BODY, STAGE_DONE, STAGE_FAILED };

void mqtt_decoder_init(struct mqtt_decoder *d, uint8_t *buf, uint32_t cap)
{
    memset(d, 0, sizeof *d);
    d->buf = buf;
    d->cap = cap;
}

void mqtt_decoder_reset(struct mqtt_decoder *d) { mqtt_decoder_init(d, d->buf, d->cap); }

int mqtt_check_first_byte(uint8_t first)
{
    unsigned flags = first & 0x0fu;
    switch (first >> 4) {
    case MQTT_PUBLISH:
        /* DUP and RETAIN free; QoS 0 or 1 (2 is never granted to this
         * client, 3 is malformed: spec 3.3.1.2). */
        return ((flags >> MQTT_PUBLISH_QOS_SHIFT) & 3u) <= 1u ? 0 : -EPROTO;
    case MQTT_CONNACK:
    case MQTT_PUBACK:
    case MQTT_SUBACK:
    case MQTT_UNSUBACK:
    case MQTT_PINGRESP:
        return flags == 0 ? 0 : -EPROTO; /* reserved flags 0000, spec 2.2.2 */
    default:
        return -EPROTO; /* client-to-server packets, QoS 2 flow, type 0 and 15 */
    }
}

size_t mqtt_decoder_want(struct mqtt_decoder *d, uint8_t **dst)
{
    if (d->stage == STAGE_BODY) {
        uint32_t left = d->remaining - d->have;
        if (d->keep == 0) {
            *dst = d->buf + d->have;
            return left;
        }
        if (d->have < d->keep) {
            *dst = d->buf + d->have;
            return d->keep - d->have;
        }
        *dst = d->buf + d->keep; /* read past: the second half is scratch */
        return left < d->cap - d->keep ? left : d->cap - d->keep;
    }
    *dst = &d->scratch; /* header bytes: one at a time, each one decides the next */
    return 1;
}

static int fail(struct mqtt_decoder *d)
{
    d->stage = STAGE_FAILED;
    return -EPROTO;
}

/* The header is complete: a body that cannot fit is refused before any of it is read. */
static int header_done(struct mqtt_decoder *d)
{
    if (d->remaining > d->cap) {
        /* A PUBLISH is the one packet whose length the server does not
         * choose for us (another client does): keep its head (topic,
         * packet id, the start of the payload) and read past the rest, so
         * one oversized message does not cost the connection. Anything
         * else this long is malformed. */
        if (d->first >> 4 != MQTT_PUBLISH || d->cap < 2) {
            return fail(d);
        }
        d->keep = d->cap / 2;
    }
    d->have = 0;
    d->stage = d->remaining ? STAGE_BODY : STAGE_DONE;
    return d->remaining ? 0 : 1;
}

int mqtt_decoder_advance(struct mqtt_decoder *d, size_t n)
{
    uint8_t b = d->scratch;
    switch (d->stage) {
    case STAGE_FIRST:
        if (n != 1 || mqtt_check_first_byte(b) < 0) {
            return fail(d);
        }
        d->first = b;
        d->stage = STAGE_LENGTH;
        return 0;
    case STAGE_LENGTH:
        if (n != 1) {
            return fail(d);
        }
        /* Seven bits per byte, least significant first; at most four
         * bytes, so a continuation bit on the fourth is malformed (spec 2.2.3). */
        d->remaining |= (uint32_t)(b & 0x7fu) << (7u * d->len_bytes);
        d->len_bytes++;
        if (!(b & 0x80u)) {
            return header_done(d);
        }
        return d->len_bytes < 4 ? 0 : fail(d);
    case STAGE_BODY:
        if (n == 0 || n > d->remaining - d->have) {
            return fail(d);
        }
        d->have += (uint32_t)n;
        if (d->have < d->remaining) {
            return 0;
        }
        d->stage = STAGE_DONE;
        return 1;
    default:
        return fail(d); /* advance after a packet or a failure without a reset */
    }
}

void mqtt_decoder_packet(const struct mqtt_decoder *d, struct mqtt_packet *p)
{
    p->first = d->first;
    p->len = d->keep ? d->keep : d->remaining;
    p->body = d->buf;
    p->truncated = d->keep != 0;
}

int mqtt_decoder_feed(struct mqtt_decoder *d, const uint8_t *data, size_t len, size_t *used)
{
    size_t off = 0;
    int r = 0;
    while (off < len && r == 0) {
        uint8_t *dst;
        size_t want = mqtt_decoder_want(d, &dst);
        size_t n = len - off < want ? len - off : want;
        memcpy(dst, data + off, n);
        off += n;
        r = mqtt_decoder_advance(d, n);
    }
    *used = off;
    return r;
}

/* ---- parsers ------------------------------------------------------------ */

static uint16_t be16(const uint8_t *p) { return (uint16_t)(p[0] << 8 | p[1]); }

int mqtt_parse_connack(const struct mqtt_packet *p, bool *session_present, uint8_t *code)
{
    /* spec 3.2: remaining length 2; acknowledge flags bits 7-1 reserved 0;
     * a refusal carries session present 0 (3.2.2.2). */
    if (p->first != MQTT_CONNACK << 4 || p->len != 2 || (p->body[0] & 0xfeu) ||
        (p->body[0] && p->body[1])) {
        return -EPROTO;
    }
    *session_present = p->body[0] & 1u;
    *code = p->body[1];
    return 0;
}

int mqtt_parse_publish(const struct mqtt_packet *p, struct mqtt_publish_in *out)
{
    if (p->first >> 4 != MQTT_PUBLISH || mqtt_check_first_byte(p->first) < 0 || p->len < 2) {
        return -EPROTO;
    }
    uint8_t qos = (p->first >> MQTT_PUBLISH_QOS_SHIFT) & 3u;
    uint32_t topic_len = be16(p->body);
    uint32_t head = 2u + topic_len + (qos ? 2u : 0u);
    /* spec 3.3.2.1: a topic name has at least one character and no wildcard
     * (4.7.1); spec 2.3.1: a packet id is non-zero. */
    if (topic_len == 0 || head > p->len) {
        return -EPROTO;
    }
    const uint8_t *topic = p->body + 2;
    for (uint32_t i = 0; i < topic_len; i++) {
        if (topic[i] == '+' || topic[i] == '#' || topic[i] == 0) {
            return -EPROTO; /* wildcards (4.7.1), U+0000 (1.5.3) */
        }
    }
    out->id = qos ? be16(p->body + 2 + topic_len) : 0;
    if (qos && out->id == 0) {
        return -EPROTO;
    }
    out->topic = (const char *)topic;
    out->topic_len = (uint16_t)topic_len;
    out->payload = p->body + head;
    out->payload_len = p->len - head;
    out->qos = qos;
    out->retain = p->first & MQTT_PUBLISH_RETAIN;
    out->dup = p->first & MQTT_PUBLISH_DUP;
    if (out->dup && !qos) {
        return -EPROTO; /* spec 3.3.1.1: DUP is 0 at QoS 0 */
    }
    return 0;
}

int mqtt_parse_ack(const struct mqtt_packet *p, uint16_t *id)
{
    if ((p->first != MQTT_PUBACK << 4 && p->first != MQTT_UNSUBACK << 4) || p->len != 2) {
        return -EPROTO;
    }
    *id = be16(p->body);
    return *id ? 0 : -EPROTO;
}

int mqtt_parse_suback(const struct mqtt_packet *p, uint16_t *id, uint8_t *code)
{
    /* One return code per topic filter requested, spec 3.9.3; this client
     * asks for one, at QoS 0 or 1. */
    if (p->first != MQTT_SUBACK << 4 || p->len != 3) {
        return -EPROTO;
    }
    *id = be16(p->body);
    *code = p->body[2];
    if (*id == 0 || (*code > 1 && *code != MQTT_SUBACK_FAILURE)) {
        return -EPROTO;
    }
    return 0;
}
