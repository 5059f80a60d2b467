/*
 * libFuzzer target: the MQTT decoder and parsers, and the client's whole
 * receive path, on arbitrary bytes from a "broker".
 *
 * Input: byte 0 the size of the receive buffer (heap-allocated to exactly
 * that, so ASan sees a byte written past it), byte 1 the most bytes a read
 * returns, the rest the stream. The stream goes (1) through the decoder
 * alone, every complete packet through every parser, and (2) to a client
 * after a valid CONNACK, with two QoS 1 messages of its own in flight, the
 * clock moving 250 ms per poll so keepalive, timeouts and reconnects run.
 */
#include <errno.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "quartz/mqtt.h"

static void parse_all(const struct mqtt_packet *p)
{
    bool sp;
    uint8_t code;
    uint16_t id;
    struct mqtt_publish_in in;
    if (mqtt_parse_connack(p, &sp, &code) == 0 && code > 255) {
        abort();
    }
    if (mqtt_parse_publish(p, &in) == 0) {
        /* Everything it points at lies inside the packet. */
        if (in.topic < (const char *)p->body ||
            (const uint8_t *)in.topic + in.topic_len > p->body + p->len ||
            in.payload + in.payload_len != p->body + p->len) {
            abort();
        }
    }
    if (mqtt_parse_ack(p, &id) == 0 && id == 0) {
        abort();
    }
    if (mqtt_parse_suback(p, &id, &code) == 0 && code != 0 && code != 1 && code != MQTT_SUBACK_FAILURE) {
        abort();
    }
}

static void decode_stream(const uint8_t *data, size_t size, uint32_t cap, size_t chunk)
{
    uint8_t *buf = malloc(cap ? cap : 1);
    struct mqtt_decoder d;
    mqtt_decoder_init(&d, buf, cap);
    size_t off = 0;
    while (off < size) {
        size_t n = size - off < chunk ? size - off : chunk;
        size_t used;
        int r = mqtt_decoder_feed(&d, data + off, n, &used);
        if (used == 0 || used > n) {
            abort();
        }
        off += used;
        if (r < 0) {
            break; /* the client closes the connection here */
        }
        if (r == 1) {
            struct mqtt_packet p;
            mqtt_decoder_packet(&d, &p);
            if (p.len > cap) {
                abort();
            }
            parse_all(&p);
            mqtt_decoder_reset(&d);
        }
    }
    free(buf);
}

/* ---- the client on a network that plays the input ---------------------- */

static struct {
    struct net_if nif;
    const uint8_t *data;
    size_t size, pos, chunk;
    bool connack_due; /* each connection starts with a valid CONNACK */
    uint8_t connack_pos;
    bool open;
} fz;

static const uint8_t connack[] = { 0x20, 2, 0, 0 };

static int fz_connect(struct net_if *nif, const struct net_endpoint *peer)
{
    (void)nif, (void)peer;
    if (fz.open) {
        abort(); /* one socket at a time */
    }
    fz.open = true;
    fz.connack_pos = 0;
    return 1;
}

static int fz_send(struct net_if *nif, int sock, const void *buf, size_t len)
{
    (void)nif, (void)buf;
    if (!fz.open || sock != 1 || len == 0) {
        abort();
    }
    return (int)len;
}

static int fz_recv(struct net_if *nif, int sock, void *buf, size_t len)
{
    (void)nif;
    if (!fz.open || sock != 1 || len == 0) {
        abort();
    }
    if (fz.connack_pos < sizeof connack) {
        *(uint8_t *)buf = connack[fz.connack_pos++];
        return 1;
    }
    if (fz.pos == fz.size) {
        return -EAGAIN;
    }
    size_t n = fz.size - fz.pos;
    if (n > len) {
        n = len;
    }
    if (n > fz.chunk) {
        n = fz.chunk;
    }
    memcpy(buf, fz.data + fz.pos, n);
    fz.pos += n;
    return (int)n;
}

static int fz_poll(struct net_if *nif, int sock, unsigned events, uint32_t timeout_ms)
{
    (void)nif, (void)timeout_ms;
    if (!fz.open || sock != 1) {
        abort();
    }
    return (int)(events & NET_POLL_OUT);
}

static int fz_close(struct net_if *nif, int sock)
{
    (void)nif;
    if (!fz.open || sock != 1) {
        abort();
    }
    fz.open = false;
    return 0;
}

static const struct net_if_ops fz_ops = {
    .tcp_connect = fz_connect, .send = fz_send, .recv = fz_recv, .poll = fz_poll, .close = fz_close,
};

static void on_message(void *ctx, const struct mqtt_message *m)
{
    (void)ctx;
    volatile uint8_t sink = 0;
    for (uint32_t i = 0; i < m->topic_len; i++) {
        sink ^= (uint8_t)m->topic[i];
    }
    for (uint32_t i = 0; i < m->payload_len; i++) {
        sink ^= m->payload[i];
    }
    (void)sink;
}

static void run_client(const uint8_t *data, size_t size, uint32_t cap, size_t chunk)
{
    memset(&fz, 0, sizeof fz);
    fz.nif.ops = &fz_ops;
    fz.data = data;
    fz.size = size;
    fz.chunk = chunk;
    uint8_t *rx = malloc(cap ? cap : 1), *tx = malloc(128), *store = malloc(64);
    struct mqtt_config cfg = {
        .connect = { .client_id = "fuzz", .keepalive_s = 1 },
        .connect_timeout_ms = 1000, .backoff_min_ms = 250, .backoff_max_ms = 1000,
        .rx_buf = rx, .rx_len = cap, .tx_buf = tx, .tx_len = 128, .store = store, .store_len = 64,
        .on_message = on_message,
    };
    struct mqtt_client c;
    if (mqtt_init(&c, &fz.nif, &cfg, 0) != 0) {
        abort();
    }
    uint32_t now = 0;
    (void)mqtt_poll(&c, now);
    (void)mqtt_publish(&c, "a", "1", 1, 1, false);
    (void)mqtt_publish(&c, "b", "2", 1, 1, false);
    (void)mqtt_subscribe(&c, "s/#", 1);
    for (size_t i = 0; i < size + 16; i++) {
        now += 250;
        (void)mqtt_poll(&c, now);
        if (c.tx_head > c.tx_used || c.tx_used > cfg.tx_len || c.store_used > cfg.store_len ||
            c.store_sent > c.store_used) {
            abort();
        }
    }
    free(rx);
    free(tx);
    free(store);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size < 2) {
        return 0;
    }
    uint32_t cap = data[0];
    size_t chunk = data[1] ? data[1] : 1;
    decode_stream(data + 2, size - 2, cap, chunk);
    run_client(data + 2, size - 2, cap < 2 ? 2 : cap, chunk); /* mqtt_init needs a CONNACK's 2 */
    return 0;
}
