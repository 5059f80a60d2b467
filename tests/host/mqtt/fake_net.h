/*
 * A test double of quartz/net.h for the MQTT client: one TCP socket whose
 * peer is a script. The test queues the bytes the "broker" sends, with
 * gaps where a read finds nothing (-EAGAIN, as a read timing out), and
 * reads back everything the client sent.
 */
#ifndef FAKE_NET_H
#define FAKE_NET_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "quartz/net.h"

#define FAKE_RX_MAX 8192
#define FAKE_TX_MAX 16384
#define FAKE_GAPS_MAX 8192

struct fake_net {
    struct net_if nif;
    /* Connection script. */
    int connect_result;  /* tcp_connect: >= 0 the socket, or -errno */
    int poll_result;     /* poll on the connecting socket: NET_POLL_OUT, 0, or -errno */
    int recv_error;      /* once the script is read: 0 -EAGAIN, 1 the peer closed (recv 0), or -errno */
    size_t chunk;        /* most bytes one recv returns (0: no limit) */
    size_t send_room;    /* most bytes one send accepts (0: -EAGAIN); SIZE_MAX no limit */
    /* Broker to client. */
    uint8_t rx[FAKE_RX_MAX];
    size_t rx_len, rx_pos;
    size_t gaps[FAKE_GAPS_MAX]; /* rx positions where one recv returns -EAGAIN */
    size_t ngaps, gap_next;
    /* Client to broker. */
    uint8_t tx[FAKE_TX_MAX];
    size_t tx_len;
    /* Counters. */
    int sock;            /* open socket, -1: none */
    unsigned connects, closes, recvs;
};

void fake_net_init(struct fake_net *f);
/* The broker sends `n` bytes (after what is queued). */
void fake_push(struct fake_net *f, const void *bytes, size_t n);
/* A read that reaches this point of the stream finds nothing once. */
void fake_gap(struct fake_net *f);
/* A fresh connection: the script and the captured bytes are cleared. */
void fake_new_connection(struct fake_net *f);
/* Take the captured bytes out (returns how many copied, clears them). */
size_t fake_take_tx(struct fake_net *f, uint8_t *out, size_t cap);
/* How many packets of `type` (MQTT_PINGREQ, ...) the captured bytes hold,
 * read packet by packet; fails the test on bytes that are not whole packets. */
unsigned fake_count_type(const struct fake_net *f, unsigned type);

#endif
