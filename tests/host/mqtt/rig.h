/*
 * The MQTT client on the scripted network (fake_net.h), with a test clock
 * and a record of what it reported. One rig at a time (callbacks find it
 * through ctx).
 */
#ifndef MQTT_RIG_H
#define MQTT_RIG_H

#include <stdbool.h>
#include <stdint.h>

#include "fake_net.h"
#include "quartz/mqtt.h"

#define RIG_BACKOFF_MIN 1000u
#define RIG_BACKOFF_MAX 8000u
#define RIG_CONNECT_TIMEOUT 5000u

struct rig_msg {
    char topic[64];
    uint8_t payload[300];
    uint32_t len;
    uint8_t qos;
    bool dup, retain, truncated;
};

struct rig {
    struct fake_net net;
    struct mqtt_client c;
    struct mqtt_config cfg;
    uint8_t rx[256], tx[512], store[512];
    uint32_t now;
    struct mqtt_event events[128]; /* the last 128 of nevents */
    unsigned nevents;
    struct rig_msg msgs[320];
    unsigned nmsgs;
    int reply; /* on_message: publish a QoS 0 reply filling the transmit buffer; its result */
    bool reply_armed;
};

extern struct rig rig;

void rig_init(bool clean_session, uint16_t keepalive_s);
int rig_poll(uint32_t now);
/* Poll at `now` until the client is connected (the script answers CONNACK
 * with session present `session`); the captured bytes keep only what went
 * out after the CONNECT. */
void rig_connect(uint32_t now, bool session);
/* Among the last 128 events. */
unsigned rig_count_events(enum mqtt_event_kind kind);
const struct mqtt_event *rig_last_event(enum mqtt_event_kind kind);

#endif
