/*
 * MQTT 3.1.1 encoders (quartz/mqtt_codec.h). A writer keeps the position
 * and the capacity and refuses any write that would cross it.
 */
#include <errno.h>
#include <string.h>

#include "quartz/mqtt_codec.h"

struct writer {
    uint8_t *buf; /* NULL: only count */
    size_t cap;
    size_t pos;
    int err; /* first failure; later writes are ignored */
};

static void put(struct writer *w, const void *src, size_t n)
{
    if (w->err || n == 0) {
        return; /* n == 0: src may be NULL (an empty payload) */
    }
    if (n > w->cap - w->pos) {
        w->err = -ENOBUFS;
        return;
    }
    if (w->buf) {
        memcpy(w->buf + w->pos, src, n);
    }
    w->pos += n;
}

static void put_byte(struct writer *w, uint8_t b) { put(w, &b, 1); }

static void put_u16(struct writer *w, uint16_t v)
{
    uint8_t be[2] = { (uint8_t)(v >> 8), (uint8_t)v }; /* big-endian, spec 1.5.2 */
    put(w, be, 2);
}

/* A length-prefixed field (spec 1.5.3 strings, 3.1.3.3 the will message). */
static void put_field(struct writer *w, const void *data, size_t len)
{
    if (len > 0xffffu) {
        if (!w->err) {
            w->err = -EINVAL;
        }
        return;
    }
    put_u16(w, (uint16_t)len);
    put(w, data, len);
}

static void put_string(struct writer *w, const char *s) { put_field(w, s, strlen(s)); }

int mqtt_encode_remaining(uint8_t out[4], uint32_t len)
{
    if (len > MQTT_REMAINING_MAX) {
        return -EINVAL;
    }
    int n = 0;
    do {
        uint8_t digit = (uint8_t)(len & 0x7fu);
        len >>= 7;
        out[n++] = (uint8_t)(digit | (len ? 0x80u : 0u)); /* continuation bit, spec 2.2.3 */
    } while (len);
    return n;
}

/*
 * Every packet with a body is built twice by the same function: once only
 * counting (the remaining length must precede the body), then for real
 * after the fixed header, once the whole is known to fit.
 */
typedef void (*body_fn)(struct writer *w, const void *arg);

static int build(uint8_t *buf, size_t cap, uint8_t first, body_fn body, const void *arg)
{
    struct writer count = { NULL, (size_t)MQTT_REMAINING_MAX + 1u, 0, 0 };
    body(&count, arg);
    if (count.err) {
        return count.err == -ENOBUFS ? -EINVAL : count.err; /* over 268435455 bytes */
    }
    uint8_t rl[4];
    int n = mqtt_encode_remaining(rl, (uint32_t)count.pos);
    if (n < 0) {
        return n;
    }
    size_t total = 1u + (size_t)n + count.pos;
    if (total > cap) {
        return -ENOBUFS;
    }
    buf[0] = first;
    memcpy(buf + 1, rl, (size_t)n);
    struct writer w = { buf, total, 1u + (size_t)n, 0 };
    body(&w, arg);
    return w.err ? w.err : (int)total;
}

static int two_bytes(uint8_t *buf, size_t cap, uint8_t first)
{
    if (cap < 2) {
        return -ENOBUFS;
    }
    buf[0] = first;
    buf[1] = 0;
    return 2;
}

static int with_id(uint8_t *buf, size_t cap, uint8_t first, uint16_t id)
{
    if (id == 0) {
        return -EINVAL; /* spec 2.3.1: non-zero */
    }
    if (cap < 4) {
        return -ENOBUFS;
    }
    buf[0] = first;
    buf[1] = 2;
    buf[2] = (uint8_t)(id >> 8);
    buf[3] = (uint8_t)id;
    return 4;
}

static void connect_body(struct writer *w, const void *arg)
{
    const struct mqtt_connect *c = arg;
    /* Connect flags, spec 3.1.2.3 Figure 3.4; bit 0 is reserved (0). */
    uint8_t flags = 0;
    if (c->username) {
        flags |= 0x80u;
    }
    if (c->password) {
        flags |= 0x40u;
    }
    if (c->will_topic) {
        flags |= (uint8_t)(0x04u | (c->will_qos << 3) | (c->will_retain ? 0x20u : 0u));
    }
    if (c->clean_session) {
        flags |= 0x02u;
    }
    put_string(w, "MQTT"); /* protocol name, spec 3.1.2.1 */
    put_byte(w, 4);        /* protocol level 4 = 3.1.1, spec 3.1.2.2 */
    put_byte(w, flags);
    put_u16(w, c->keepalive_s);
    /* Payload order, spec 3.1.3: id, will topic, will message, user, password. */
    put_string(w, c->client_id);
    if (c->will_topic) {
        put_string(w, c->will_topic);
        put_field(w, c->will_msg, c->will_len);
    }
    if (c->username) {
        put_string(w, c->username);
    }
    if (c->password) {
        put_string(w, c->password);
    }
}

int mqtt_encode_connect(uint8_t *buf, size_t cap, const struct mqtt_connect *c)
{
    if (c->will_qos > 1 || (c->password && !c->username) || (!c->client_id[0] && !c->clean_session)) {
        return -EINVAL; /* spec 3.1.2.9 (password needs a user name), 3.1.3.1 (empty id) */
    }
    return build(buf, cap, MQTT_CONNECT << 4, connect_body, c);
}

struct publish_args {
    const char *topic;
    const void *payload;
    size_t len;
    uint16_t id; /* 0 at QoS 0: no packet id field */
};

static void publish_body(struct writer *w, const void *arg)
{
    const struct publish_args *a = arg;
    put_string(w, a->topic);
    if (a->id) {
        put_u16(w, a->id);
    }
    put(w, a->payload, a->len);
}

int mqtt_encode_publish(uint8_t *buf, size_t cap, const char *topic, const void *payload, size_t len,
                        unsigned qos, bool retain, bool dup, uint16_t id)
{
    if (qos > 1 || (qos && id == 0) || topic[0] == '\0') {
        return -EINVAL; /* spec 4.7.3: a topic name has at least one character */
    }
    struct publish_args a = { topic, payload, len, qos ? id : 0 };
    uint8_t first = (uint8_t)(MQTT_PUBLISH << 4 | qos << MQTT_PUBLISH_QOS_SHIFT);
    if (retain) {
        first |= MQTT_PUBLISH_RETAIN;
    }
    if (dup && qos) {
        first |= MQTT_PUBLISH_DUP; /* spec 3.3.1.1: always 0 at QoS 0 */
    }
    return build(buf, cap, first, publish_body, &a);
}

struct filter_args {
    uint16_t id;
    const char *filter;
    int qos; /* -1: UNSUBSCRIBE (no requested QoS byte) */
};

static void filter_body(struct writer *w, const void *arg)
{
    const struct filter_args *a = arg;
    put_u16(w, a->id);
    put_string(w, a->filter);
    if (a->qos >= 0) {
        put_byte(w, (uint8_t)a->qos);
    }
}

int mqtt_encode_subscribe(uint8_t *buf, size_t cap, uint16_t id, const char *filter, unsigned qos)
{
    if (id == 0 || qos > 1 || filter[0] == '\0') {
        return -EINVAL;
    }
    struct filter_args a = { id, filter, (int)qos };
    return build(buf, cap, MQTT_SUBSCRIBE << 4 | 0x2u, filter_body, &a); /* flags 0010, spec 3.8.1 */
}

int mqtt_encode_unsubscribe(uint8_t *buf, size_t cap, uint16_t id, const char *filter)
{
    if (id == 0 || filter[0] == '\0') {
        return -EINVAL;
    }
    struct filter_args a = { id, filter, -1 };
    return build(buf, cap, MQTT_UNSUBSCRIBE << 4 | 0x2u, filter_body, &a); /* spec 3.10.1 */
}

int mqtt_encode_puback(uint8_t *buf, size_t cap, uint16_t id)
{
    return with_id(buf, cap, MQTT_PUBACK << 4, id);
}

int mqtt_encode_pingreq(uint8_t *buf, size_t cap) { return two_bytes(buf, cap, MQTT_PINGREQ << 4); }

int mqtt_encode_disconnect(uint8_t *buf, size_t cap)
{
    return two_bytes(buf, cap, MQTT_DISCONNECT << 4);
}
