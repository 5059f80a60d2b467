/* A fake MQTT broker that answers with malformed packets (fake_broker.c). */
#ifndef MQTT_NET_FAKE_BROKER_H
#define MQTT_NET_FAKE_BROKER_H

#include <stdbool.h>
#include <stdint.h>

#define FAKE_BROKER_STEPS 4

/* Listen on a free loopback port (into `port`) and serve in a thread. 0 or -1. */
int fake_broker_start(uint16_t *port);
void fake_broker_stop(void);
/* TCP connections accepted so far. */
unsigned fake_broker_accepted(void);
/* Of those, the ones that began with a CONNECT. */
unsigned fake_broker_connects(void);

#endif
