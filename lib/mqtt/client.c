/*
 * MQTT 3.1.1 client state machine (quartz/mqtt.h): connection, receive
 * path, keepalive, reconnect with backoff. Every net call is made with
 * timeout 0; time is the caller's millisecond clock, compared by
 * difference so that it may wrap.
 */
#include <errno.h>
#include <string.h>

#include "quartz/assert.h"

#include "mqtt_internal.h"

/* Packets handled per mqtt_poll: a broker that floods cannot hold a
 * cooperative firmware inside one call. */
#define PACKETS_PER_POLL 8u
/* A packet is only read while its answer (a PUBACK, 4 bytes) fits. */
#define ANSWER_ROOM 4u

static bool elapsed(uint32_t now, uint32_t since, uint32_t period)
{
    return (uint32_t)(now - since) >= period;
}

static uint32_t left(uint32_t now, uint32_t since, uint32_t period)
{
    uint32_t gone = now - since;
    return gone >= period ? 0 : period - gone;
}

static void emit(struct mqtt_client *c, enum mqtt_event_kind kind, int status, uint16_t id)
{
    if (c->cfg->on_event) {
        struct mqtt_event ev = { kind, status, id };
        c->cfg->on_event(c->cfg->ctx, &ev);
    }
}

static void enter(struct mqtt_client *c, enum mqtt_state s)
{
    c->state = s;
    c->since_ms = c->now_ms;
}

uint8_t *mqtt_tx_space(struct mqtt_client *c, uint32_t *room)
{
    if (c->tx_head) {
        memmove(c->cfg->tx_buf, c->cfg->tx_buf + c->tx_head, c->tx_used - c->tx_head);
        c->tx_used -= c->tx_head;
        c->tx_head = 0;
    }
    *room = c->cfg->tx_len - c->tx_used;
    return c->cfg->tx_buf + c->tx_used;
}

static int flush(struct mqtt_client *c)
{
    while (c->tx_head < c->tx_used) {
        uint32_t len = c->tx_used - c->tx_head;
        int r = net_send(c->nif, c->sock, c->cfg->tx_buf + c->tx_head, len < NET_LEN_MAX ? len : NET_LEN_MAX);
        if (r == -EAGAIN) {
            break;
        }
        if (r < 0) {
            return r;
        }
        QUARTZ_ASSERT(r > 0 && (uint32_t)r <= c->tx_used - c->tx_head);
        c->tx_head += (uint32_t)r;
        c->last_tx_ms = c->now_ms; /* keepalive counts from the last packet sent, spec 3.1.2.10 */
    }
    if (c->tx_head == c->tx_used) {
        c->tx_head = c->tx_used = 0;
    }
    return 0;
}

/* End the connection (or the attempt) because of `err`, and plan the next one. */
static void drop(struct mqtt_client *c, int err)
{
    if (c->sock >= 0) {
        (void)net_close(c->nif, c->sock);
        c->sock = -1;
    }
    bool was_up = c->state == MQTT_CONNECTED;
    c->tx_head = c->tx_used = 0; /* QoS 0 and control packets die with the connection */
    c->sub_id = c->unsub_id = 0;
    c->ping_out = false;
    mqtt_decoder_reset(&c->rx);
    c->last_error = err;
    if (c->state == MQTT_CLOSING || c->refused) {
        enter(c, MQTT_STOPPED);
    } else {
        const struct mqtt_config *cfg = c->cfg;
        if (was_up && elapsed(c->now_ms, c->connected_ms, cfg->backoff_max_ms)) {
            c->backoff_ms = cfg->backoff_min_ms; /* it had been stable: start over */
        }
        c->wait_ms = c->backoff_ms;
        c->backoff_ms = c->backoff_ms > cfg->backoff_max_ms / 2 ? cfg->backoff_max_ms : c->backoff_ms * 2;
        enter(c, MQTT_WAITING);
    }
    emit(c, MQTT_EV_DISCONNECTED, err, 0);
}

/* CONNACK return codes (spec 3.2.2.3) as errno. */
static int connack_error(uint8_t code)
{
    switch (code) {
    case MQTT_CONNACK_PROTOCOL:
        return -EPROTONOSUPPORT;
    case MQTT_CONNACK_IDENTIFIER:
        return -EINVAL;
    case MQTT_CONNACK_UNAVAILABLE:
        return -ECONNREFUSED; /* the service is down for now: retried */
    case MQTT_CONNACK_CREDENTIALS:
        return -EACCES;
    case MQTT_CONNACK_NOT_AUTHORIZED:
        return -EPERM;
    default:
        return -EPROTO; /* 6..255 are reserved */
    }
}

static int on_connack(struct mqtt_client *c, const struct mqtt_packet *p)
{
    bool session;
    uint8_t code;
    if (mqtt_parse_connack(p, &session, &code) < 0) {
        return -EPROTO;
    }
    if (code != MQTT_CONNACK_ACCEPTED) {
        /* Another attempt with the same configuration cannot cure these:
         * stop rather than hammer the broker (3, unavailable, is retried). */
        c->refused = code != MQTT_CONNACK_UNAVAILABLE && code <= MQTT_CONNACK_NOT_AUTHORIZED;
        return connack_error(code);
    }
    enter(c, MQTT_CONNECTED);
    c->connected_ms = c->now_ms;
    if (c->cfg->connect.clean_session) {
        mqtt_store_drop_sent(c);
    }
    c->store_sent = 0; /* everything stored goes out (again), in order, spec 4.4 */
    emit(c, MQTT_EV_CONNECTED, session, 0);
    return 0;
}

static int on_publish(struct mqtt_client *c, const struct mqtt_packet *p)
{
    struct mqtt_publish_in in;
    if (mqtt_parse_publish(p, &in) < 0) {
        return -EPROTO;
    }
    if (in.qos) {
        /* Queued before the application sees the message, whose callback
         * may use the transmit buffer itself (spec 4.3.2: PUBACK once the
         * client has taken the message over; that is now). */
        uint32_t room;
        uint8_t *dst = mqtt_tx_space(c, &room);
        int n = mqtt_encode_puback(dst, room, in.id); /* room >= ANSWER_ROOM: checked before reading */
        QUARTZ_ASSERT(n == 4);
        c->tx_used += (uint32_t)n;
    }
    if (c->cfg->on_message) {
        struct mqtt_message m = { in.topic, in.topic_len, in.payload, in.payload_len,
                                  in.qos, in.retain, in.dup, p->truncated };
        c->cfg->on_message(c->cfg->ctx, &m);
    }
    return 0;
}

static int on_packet(struct mqtt_client *c, const struct mqtt_packet *p)
{
    unsigned type = p->first >> 4;
    if (c->state == MQTT_CONNACK_WAIT) {
        /* The first packet from the server is CONNACK, spec 3.2. */
        return type == MQTT_CONNACK ? on_connack(c, p) : -EPROTO;
    }
    uint16_t id;
    uint8_t code;
    switch (type) {
    case MQTT_PUBLISH:
        return on_publish(c, p);
    case MQTT_PUBACK:
        if (mqtt_parse_ack(p, &id) < 0 || mqtt_store_ack(c, id) < 0) {
            return -EPROTO;
        }
        emit(c, MQTT_EV_PUBACK, 0, id);
        return 0;
    case MQTT_SUBACK:
        if (mqtt_parse_suback(p, &id, &code) < 0 || id != c->sub_id) {
            return -EPROTO;
        }
        c->sub_id = 0;
        emit(c, MQTT_EV_SUBACK, code == MQTT_SUBACK_FAILURE ? -EACCES : code, id);
        return 0;
    case MQTT_UNSUBACK:
        if (mqtt_parse_ack(p, &id) < 0 || id != c->unsub_id) {
            return -EPROTO;
        }
        c->unsub_id = 0;
        emit(c, MQTT_EV_UNSUBACK, 0, id);
        return 0;
    case MQTT_PINGRESP:
        if (p->len != 0) {
            return -EPROTO;
        }
        c->ping_out = false;
        return 0;
    default:
        return -EPROTO; /* a second CONNACK */
    }
}

/* Read and handle what has arrived, a bounded number of packets. */
static int receive(struct mqtt_client *c)
{
    unsigned packets = 0;
    while (packets < PACKETS_PER_POLL) {
        uint32_t room;
        (void)mqtt_tx_space(c, &room);
        if (room < ANSWER_ROOM) {
            return 0; /* back-pressure: read on once the answers are out */
        }
        uint8_t *dst;
        size_t want = mqtt_decoder_want(&c->rx, &dst);
        want = want < NET_LEN_MAX ? want : NET_LEN_MAX;
        int r = net_recv(c->nif, c->sock, dst, want);
        if (r == -EAGAIN) {
            return 0;
        }
        if (r == 0) {
            return -ECONNRESET; /* the broker closed the connection */
        }
        if (r < 0) {
            return r;
        }
        QUARTZ_ASSERT((size_t)r <= want);
        r = mqtt_decoder_advance(&c->rx, (size_t)r);
        if (r < 0) {
            return r;
        }
        if (r == 1) {
            struct mqtt_packet p;
            mqtt_decoder_packet(&c->rx, &p);
            int err = on_packet(c, &p);
            mqtt_decoder_reset(&c->rx);
            if (err < 0) {
                return err;
            }
            packets++;
        }
    }
    return 0;
}

/* PINGREQ only after keepalive_s without a packet sent (spec 3.1.2.10);
 * no PINGRESP within the same time closes the connection (spec 3.12.4). */
static int keepalive(struct mqtt_client *c)
{
    uint32_t period = c->cfg->connect.keepalive_s * 1000u;
    if (period == 0) {
        return 0;
    }
    if (c->ping_out) {
        return elapsed(c->now_ms, c->ping_ms, period) ? -ETIMEDOUT : 0;
    }
    if (!elapsed(c->now_ms, c->last_tx_ms, period)) {
        return 0;
    }
    uint32_t room;
    uint8_t *dst = mqtt_tx_space(c, &room);
    int n = mqtt_encode_pingreq(dst, room);
    if (n > 0) {
        c->tx_used += (uint32_t)n;
    }
    /* Without room the link has not taken a byte for a whole period: the
     * PINGRESP timer runs all the same. */
    c->ping_out = true;
    c->ping_ms = c->now_ms;
    return 0;
}

static int start_attempt(struct mqtt_client *c)
{
    int s = net_tcp_connect(c->nif, &c->cfg->broker);
    if (s < 0) {
        return s;
    }
    c->sock = s;
    enter(c, MQTT_TCP_CONNECTING);
    return 0;
}

/* TCP is up: the first packet is CONNECT, spec 3.1. */
static int tcp_ready(struct mqtt_client *c)
{
    c->tx_head = c->tx_used = 0;
    int n = mqtt_encode_connect(c->cfg->tx_buf, c->cfg->tx_len, &c->cfg->connect);
    QUARTZ_ASSERT(n > 0); /* it fitted in mqtt_init */
    c->tx_used = (uint32_t)n;
    c->state = MQTT_CONNACK_WAIT; /* the connect timeout still counts from the SYN */
    c->last_tx_ms = c->now_ms;
    return 0;
}

static int step(struct mqtt_client *c)
{
    const struct mqtt_config *cfg = c->cfg;
    int err = 0;
    switch (c->state) {
    case MQTT_WAITING:
        return elapsed(c->now_ms, c->since_ms, c->wait_ms) ? start_attempt(c) : 0;
    case MQTT_TCP_CONNECTING:
        err = net_poll(c->nif, c->sock, NET_POLL_OUT, 0);
        if (err < 0) {
            return err;
        }
        if ((unsigned)err & NET_POLL_OUT) {
            return tcp_ready(c);
        }
        return elapsed(c->now_ms, c->since_ms, cfg->connect_timeout_ms) ? -ETIMEDOUT : 0;
    case MQTT_CONNACK_WAIT:
    case MQTT_CONNECTED:
    case MQTT_CLOSING:
        if ((err = flush(c)) < 0 || (err = receive(c)) < 0) {
            return err;
        }
        if (c->state == MQTT_CONNACK_WAIT) {
            return elapsed(c->now_ms, c->since_ms, cfg->connect_timeout_ms) ? -ETIMEDOUT : 0;
        }
        if (c->state == MQTT_CONNECTED) {
            mqtt_store_pump(c);
            if ((err = keepalive(c)) < 0) {
                return err;
            }
        }
        if ((err = flush(c)) < 0) {
            return err;
        }
        if (c->state == MQTT_CLOSING &&
            (c->tx_used == 0 || elapsed(c->now_ms, c->since_ms, cfg->connect_timeout_ms))) {
            (void)net_close(c->nif, c->sock); /* after DISCONNECT: no will, spec 3.14.4 */
            c->sock = -1;
            enter(c, MQTT_STOPPED);
        }
        return 0;
    default:
        return 0;
    }
}

int mqtt_poll(struct mqtt_client *c, uint32_t now_ms)
{
    c->now_ms = now_ms;
    /* An attempt that starts, or a TCP connection that comes up, gets its
     * next step in the same call (at most: connect, CONNECT, receive). */
    for (unsigned i = 0; i < 3; i++) {
        enum mqtt_state before = c->state;
        int err = step(c);
        if (err < 0) {
            drop(c, err);
            return err;
        }
        if (c->state == before || (c->state != MQTT_TCP_CONNECTING && c->state != MQTT_CONNACK_WAIT)) {
            break;
        }
    }
    return 0;
}

uint32_t mqtt_poll_in(const struct mqtt_client *c, uint32_t now_ms)
{
    const struct mqtt_config *cfg = c->cfg;
    uint32_t period = cfg->connect.keepalive_s * 1000u;
    switch (c->state) {
    case MQTT_WAITING:
        return left(now_ms, c->since_ms, c->wait_ms);
    case MQTT_TCP_CONNECTING:
    case MQTT_CONNACK_WAIT:
        return left(now_ms, c->since_ms, cfg->connect_timeout_ms);
    case MQTT_CONNECTED:
        /* Output held up by a full transmit path moves on an interface
         * event, not a timer. */
        if (period == 0) {
            return UINT32_MAX;
        }
        return left(now_ms, c->ping_out ? c->ping_ms : c->last_tx_ms, period);
    case MQTT_CLOSING:
        return left(now_ms, c->since_ms, cfg->connect_timeout_ms);
    default:
        return UINT32_MAX;
    }
}

int mqtt_init(struct mqtt_client *c, struct net_if *nif, const struct mqtt_config *cfg, uint32_t now_ms)
{
    if (!cfg->rx_buf || cfg->rx_len < 2 || !cfg->tx_buf || !cfg->store || !cfg->connect.client_id ||
        cfg->backoff_min_ms == 0 || cfg->backoff_min_ms > cfg->backoff_max_ms) {
        return -EINVAL;
    }
    int n = mqtt_encode_connect(cfg->tx_buf, cfg->tx_len, &cfg->connect);
    if (n < 0) {
        return n == -ENOBUFS ? -EMSGSIZE : n;
    }
    memset(c, 0, sizeof *c);
    c->cfg = cfg;
    c->nif = nif;
    c->sock = -1;
    c->backoff_ms = cfg->backoff_min_ms;
    c->now_ms = now_ms;
    mqtt_decoder_init(&c->rx, cfg->rx_buf, cfg->rx_len);
    enter(c, MQTT_WAITING); /* wait_ms 0: the first poll connects */
    return 0;
}
