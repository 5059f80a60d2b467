/*
 * What the application asks of the client (quartz/mqtt.h): publish,
 * subscribe, unsubscribe, disconnect. Each only queues packets; mqtt_poll
 * sends them.
 */
#include <errno.h>
#include <string.h>

#include "mqtt_internal.h"

/* A packet id not in use (spec 2.3.1: non-zero, unique among those in flight). */
static uint16_t new_id(struct mqtt_client *c)
{
    for (;;) {
        c->next_id = (uint16_t)(c->next_id + 1u);
        uint16_t id = c->next_id;
        if (id != 0 && id != c->sub_id && id != c->unsub_id && !mqtt_store_has_id(c, id)) {
            return id;
        }
    }
}

/* Bytes of a PUBLISH (spec 3.3): fixed header, topic, packet id at QoS 1, payload. */
static size_t publish_size(const char *topic, size_t len, unsigned qos)
{
    size_t body = 2u + strlen(topic) + (qos ? 2u : 0u) + len;
    size_t head = 2u;
    for (size_t rest = body >> 7; rest; rest >>= 7) {
        head++;
    }
    return head + body;
}

/* -ENOBUFS for a packet that may fit later, -EMSGSIZE for one that never can. */
static int no_room(size_t size, uint32_t cap) { return size > cap ? -EMSGSIZE : -ENOBUFS; }

int mqtt_publish(struct mqtt_client *c, const char *topic, const void *payload, size_t len,
                 unsigned qos, bool retain)
{
    if (c->state == MQTT_STOPPED || c->state == MQTT_CLOSING) {
        return -EPIPE;
    }
    if (qos > 1 || topic[0] == '\0' || strlen(topic) > 0xffffu || len > MQTT_REMAINING_MAX) {
        return -EINVAL;
    }
    size_t size = publish_size(topic, len, qos);
    if (qos == 0) {
        if (c->state != MQTT_CONNECTED) {
            return -ENOTCONN;
        }
        uint32_t room;
        uint8_t *dst = mqtt_tx_space(c, &room);
        int n = mqtt_encode_publish(dst, room, topic, payload, len, 0, retain, false, 0);
        if (n < 0) {
            return n == -ENOBUFS ? no_room(size, c->cfg->tx_len) : n;
        }
        c->tx_used += (uint32_t)n;
        return 0;
    }
    if (size > c->cfg->tx_len) {
        return -EMSGSIZE; /* could be stored but never sent */
    }
    uint16_t id = new_id(c);
    int n = mqtt_store_add(c, topic, payload, len, retain, id);
    if (n < 0) {
        return n == -ENOBUFS ? no_room(size, c->cfg->store_len) : n;
    }
    c->store_used += (uint32_t)n;
    if (c->state == MQTT_CONNECTED) {
        mqtt_store_pump(c);
    }
    return id;
}

static int filter_request(struct mqtt_client *c, const char *filter, int qos, uint16_t *slot)
{
    if (c->state != MQTT_CONNECTED) {
        return -ENOTCONN;
    }
    if (*slot) {
        return -EBUSY;
    }
    uint16_t id = new_id(c);
    uint32_t room;
    uint8_t *dst = mqtt_tx_space(c, &room);
    int n = qos >= 0 ? mqtt_encode_subscribe(dst, room, id, filter, (unsigned)qos)
                     : mqtt_encode_unsubscribe(dst, room, id, filter);
    if (n < 0) {
        return n;
    }
    c->tx_used += (uint32_t)n;
    *slot = id;
    return id;
}

int mqtt_subscribe(struct mqtt_client *c, const char *filter, unsigned qos)
{
    if (qos > 1) {
        return -EINVAL;
    }
    return filter_request(c, filter, (int)qos, &c->sub_id);
}

int mqtt_unsubscribe(struct mqtt_client *c, const char *filter)
{
    return filter_request(c, filter, -1, &c->unsub_id);
}

int mqtt_disconnect(struct mqtt_client *c)
{
    if (c->state == MQTT_STOPPED) {
        return -EPIPE;
    }
    if (c->state == MQTT_CONNECTED) {
        uint32_t room;
        uint8_t *dst = mqtt_tx_space(c, &room);
        int n = mqtt_encode_disconnect(dst, room);
        if (n > 0) {
            c->tx_used += (uint32_t)n;
        }
        c->state = MQTT_CLOSING;
        c->since_ms = c->now_ms;
        return 0;
    }
    if (c->sock >= 0) {
        (void)net_close(c->nif, c->sock);
        c->sock = -1;
    }
    c->state = MQTT_STOPPED;
    return 0;
}
