/*
 * The client's session state (spec 4.1): QoS 1 PUBLISH packets kept whole,
 * as they went out, back to back in the caller's `store` until their
 * PUBACK, in the order they were published (spec 4.6: resent in that
 * order). A stored packet's DUP flag is set once it has been handed to the
 * transmit buffer, so a copy sent again after a reconnect carries DUP
 * (spec 3.3.1.1) and the first one does not.
 */
#include <errno.h>
#include <string.h>

#include "mqtt_internal.h"

/* Length of the stored packet at `p` (it was encoded here: well formed). */
static uint32_t packet_len(const uint8_t *p)
{
    uint32_t rem = 0;
    unsigned i = 1;
    do {
        rem |= (uint32_t)(p[i] & 0x7fu) << (7u * (i - 1u));
    } while (p[i++] & 0x80u);
    return i + rem;
}

static uint16_t packet_id(const uint8_t *p)
{
    unsigned i = 1;
    while (p[i++] & 0x80u) {
    }
    uint32_t topic_len = (uint32_t)(p[i] << 8 | p[i + 1]);
    const uint8_t *id = p + i + 2 + topic_len;
    return (uint16_t)(id[0] << 8 | id[1]);
}

bool mqtt_store_has_id(const struct mqtt_client *c, uint16_t id)
{
    for (uint32_t off = 0; off < c->store_used; off += packet_len(c->cfg->store + off)) {
        if (packet_id(c->cfg->store + off) == id) {
            return true;
        }
    }
    return false;
}

unsigned mqtt_pending(const struct mqtt_client *c)
{
    unsigned n = 0;
    for (uint32_t off = 0; off < c->store_used; off += packet_len(c->cfg->store + off)) {
        n++;
    }
    return n;
}

static void remove_at(struct mqtt_client *c, uint32_t off)
{
    uint8_t *p = c->cfg->store + off;
    uint32_t len = packet_len(p);
    memmove(p, p + len, c->store_used - off - len);
    c->store_used -= len;
    if (off < c->store_sent) {
        c->store_sent -= len;
    }
}

int mqtt_store_ack(struct mqtt_client *c, uint16_t id)
{
    for (uint32_t off = 0; off < c->store_used; off += packet_len(c->cfg->store + off)) {
        if (packet_id(c->cfg->store + off) == id) {
            remove_at(c, off);
            return 0;
        }
    }
    return -EPROTO; /* a PUBACK for a message not in flight */
}

void mqtt_store_drop_sent(struct mqtt_client *c)
{
    uint32_t off = 0;
    while (off < c->store_used) {
        if (c->cfg->store[off] & MQTT_PUBLISH_DUP) {
            remove_at(c, off);
        } else {
            off += packet_len(c->cfg->store + off);
        }
    }
}

int mqtt_store_add(struct mqtt_client *c, const char *topic, const void *payload, size_t len,
                   bool retain, uint16_t id)
{
    uint32_t room = c->cfg->store_len - c->store_used;
    return mqtt_encode_publish(c->cfg->store + c->store_used, room, topic, payload, len, 1, retain,
                               false, id);
}

void mqtt_store_pump(struct mqtt_client *c)
{
    while (c->store_sent < c->store_used) {
        uint8_t *p = c->cfg->store + c->store_sent;
        uint32_t len = packet_len(p);
        uint32_t room;
        uint8_t *dst = mqtt_tx_space(c, &room);
        if (len > room) {
            return; /* the rest once the transmit buffer drains */
        }
        memcpy(dst, p, len);
        c->tx_used += len;
        p[0] |= MQTT_PUBLISH_DUP;
        c->store_sent += len;
    }
}
