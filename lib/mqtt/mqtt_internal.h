/* Shared between the client's files (client.c, api.c, store.c); not public. */
#ifndef QUARTZ_MQTT_INTERNAL_H
#define QUARTZ_MQTT_INTERNAL_H

#include "quartz/mqtt.h"

/* Free space at the end of the transmit buffer (pending bytes moved to its
 * start first); write there, then add what was written to tx_used. */
uint8_t *mqtt_tx_space(struct mqtt_client *c, uint32_t *room);

/* store.c: QoS 1 packets until their PUBACK. */
int mqtt_store_add(struct mqtt_client *c, const char *topic, const void *payload, size_t len,
                   bool retain, uint16_t id);
bool mqtt_store_has_id(const struct mqtt_client *c, uint16_t id);
/* 0, or -EPROTO for an id not stored. */
int mqtt_store_ack(struct mqtt_client *c, uint16_t id);
/* Copy the stored packets not sent on this connection into the transmit buffer, in order. */
void mqtt_store_pump(struct mqtt_client *c);
/* Forget the packets sent before (clean session, spec 3.1.2.4). */
void mqtt_store_drop_sent(struct mqtt_client *c);

#endif
