/*
 * MQTT 3.1.1 client over quartz/net.h: no heap, the caller's buffers, time
 * from the caller's millisecond clock. Everything happens in mqtt_poll,
 * which never blocks (every net call has timeout 0); call it after each
 * mqtt_publish / mqtt_subscribe (they only queue), whenever the interface
 * signals an event (net_if.event), and at the latest after mqtt_poll_in() ms.
 *
 * Behaviour on errors (docs/networking.md has the whole story):
 *  - a malformed or unexpected packet from the broker (a remaining length
 *    over 4 bytes, a packet larger than rx_buf, a wrong type or flags, a
 *    PUBACK or SUBACK for an id not in flight) is -EPROTO: the connection is
 *    closed and made again;
 *  - a lost connection, a refused or timed out TCP connect, a CONNACK or a
 *    PINGRESP that does not come within its bound: the same, with the
 *    error of the cause;
 *  - each new attempt waits backoff_min_ms, doubling after every failed
 *    one up to backoff_max_ms; a connection that stayed up for
 *    backoff_max_ms starts again from backoff_min_ms;
 *  - a broker that refuses the credentials or the client (CONNACK 1, 2, 4,
 *    5) stops the client: no retry, mqtt_state() is MQTT_STOPPED and
 *    mqtt_last_error() says why (CONNACK 3, "server unavailable", is retried);
 *  - QoS 1 messages wait in `store` until their PUBACK: the ones already
 *    sent go out again with DUP set after a reconnect with clean_session
 *    false (spec 4.4), the ones published while disconnected go out once
 *    connected; with clean_session true the sent ones are dropped on
 *    reconnect (spec 3.1.2.4: the session is discarded).
 */
#ifndef QUARTZ_MQTT_H
#define QUARTZ_MQTT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "quartz/mqtt_codec.h"
#include "quartz/net.h"

enum mqtt_state {
    MQTT_WAITING,       /* backing off before the next connection attempt */
    MQTT_TCP_CONNECTING,
    MQTT_CONNACK_WAIT,  /* CONNECT sent */
    MQTT_CONNECTED,
    MQTT_CLOSING,       /* DISCONNECT queued by mqtt_disconnect */
    MQTT_STOPPED,       /* mqtt_disconnect done, or refused by the broker */
};

enum mqtt_event_kind {
    MQTT_EV_CONNECTED,    /* status: 1 when the broker kept the session (CONNACK session present) */
    MQTT_EV_DISCONNECTED, /* status: the cause (-EPROTO, -ETIMEDOUT, -EACCES, ...) */
    MQTT_EV_PUBACK,       /* id: the QoS 1 message delivered */
    MQTT_EV_SUBACK,       /* id; status: the granted QoS, or -EACCES for the 0x80 failure code */
    MQTT_EV_UNSUBACK,     /* id */
};

struct mqtt_event {
    enum mqtt_event_kind kind;
    int status;
    uint16_t id;
};

struct mqtt_message {
    const char *topic; /* not NUL-terminated */
    uint16_t topic_len;
    const uint8_t *payload;
    uint32_t payload_len;
    uint8_t qos;
    bool retain;
    bool dup;
    /* The PUBLISH did not fit rx_buf: payload is only its head (the rest
     * was read past, the connection kept, a QoS 1 one acknowledged).
     * The application should refuse it as too long. */
    bool truncated;
};

/* Read-only; stays valid as long as the client. */
struct mqtt_config {
    struct net_endpoint broker;
    struct mqtt_connect connect; /* client id, credentials, will, clean session, keepalive */
    uint32_t connect_timeout_ms; /* TCP handshake plus CONNACK */
    uint32_t backoff_min_ms, backoff_max_ms;
    uint8_t *rx_buf; /* the largest packet the broker may send (fixed header not counted) */
    uint32_t rx_len;
    uint8_t *tx_buf; /* packets on their way out; holds the CONNECT and the largest publish */
    uint32_t tx_len;
    uint8_t *store; /* QoS 1 messages until their PUBACK */
    uint32_t store_len;
    /* Both called from mqtt_poll (and mqtt_publish never calls them). */
    void (*on_message)(void *ctx, const struct mqtt_message *m);
    void (*on_event)(void *ctx, const struct mqtt_event *ev);
    void *ctx;
};

struct mqtt_client {
    const struct mqtt_config *cfg;
    struct net_if *nif;
    struct mqtt_decoder rx;
    enum mqtt_state state;
    int sock;
    int last_error;
    uint32_t tx_head, tx_used;     /* pending bytes: tx_buf[tx_head .. tx_used) */
    uint32_t store_used;           /* bytes of stored packets */
    uint32_t store_sent;           /* stored bytes already handed to tx on this connection */
    uint32_t backoff_ms;           /* the wait after the next failure */
    uint32_t wait_ms;              /* MQTT_WAITING: how long */
    uint32_t now_ms;               /* the time of the last mqtt_poll */
    uint32_t since_ms;             /* start of the current state */
    uint32_t connected_ms;         /* CONNACK accepted */
    uint32_t last_tx_ms;           /* last byte sent: the keepalive's idle time */
    uint32_t ping_ms;              /* PINGREQ sent, while ping_out */
    uint16_t next_id;
    uint16_t sub_id, unsub_id;     /* SUBSCRIBE / UNSUBSCRIBE in flight, 0: none */
    bool ping_out;
    bool refused;                  /* CONNACK refused for good: stop */
};

/*
 * Check the configuration and start: the first connection attempt is made
 * by the first mqtt_poll. Returns 0, -EINVAL (a missing buffer or client
 * id, rx_len under 2 (a CONNACK's body), a password without a user name,
 * an empty client id with clean_session false, backoff_min_ms 0 or above
 * backoff_max_ms) or -EMSGSIZE (the CONNECT does not fit tx_buf).
 */
int mqtt_init(struct mqtt_client *c, struct net_if *nif, const struct mqtt_config *cfg,
              uint32_t now_ms);

/*
 * Do everything that is due: connect, send, receive, keep alive, reconnect.
 * Returns 0, or the error that closed the connection during this call
 * (also given to on_event as MQTT_EV_DISCONNECTED), for the caller's log.
 */
int mqtt_poll(struct mqtt_client *c, uint32_t now_ms);

/* Milliseconds until mqtt_poll has a timer due (0: call it now). */
uint32_t mqtt_poll_in(const struct mqtt_client *c, uint32_t now_ms);

/*
 * Publish. QoS 0: sent only while connected (-ENOTCONN otherwise), returns
 * 0. QoS 1: stored and sent when connected, returns its packet id (1..65535;
 * MQTT_EV_PUBACK follows). Errors: -EINVAL (bad topic or QoS), -EMSGSIZE
 * (the packet can never fit tx_buf or store), -ENOBUFS (no room now),
 * -EPIPE (stopped).
 */
int mqtt_publish(struct mqtt_client *c, const char *topic, const void *payload, size_t len,
                 unsigned qos, bool retain);

/* Subscribe to one filter at QoS 0 or 1 while connected: returns the packet
 * id (MQTT_EV_SUBACK follows), or -ENOTCONN, -EBUSY (one in flight),
 * -ENOBUFS, -EINVAL. */
int mqtt_subscribe(struct mqtt_client *c, const char *filter, unsigned qos);
int mqtt_unsubscribe(struct mqtt_client *c, const char *filter);

/* Send DISCONNECT (when connected), close and stop: mqtt_poll finishes it
 * (MQTT_STOPPED). Returns 0 or -EPIPE (already stopped). */
int mqtt_disconnect(struct mqtt_client *c);

static inline enum mqtt_state mqtt_state(const struct mqtt_client *c) { return c->state; }
/* The last cause of a disconnection, 0 before any. */
static inline int mqtt_last_error(const struct mqtt_client *c) { return c->last_error; }
/* QoS 1 messages not acknowledged yet. */
unsigned mqtt_pending(const struct mqtt_client *c);

#endif
