/*
 * Portable network interface: IPv4 TCP client sockets, UDP sockets and the
 * link state, for protocol code (the MQTT client, DHCP) that never sees the
 * chip under it. An interface is an instance with a pointer to a const ops
 * table (as quartz/hal/i2c.h): the W5500 driver provides one, host tests a
 * POSIX-socket one or a scripted fake.
 *
 * Calls never block, except net_poll, which waits at most `timeout_ms`
 * (0: only look). A cooperative firmware (kernel/async) calls everything
 * with timeout 0 and sleeps until the interface's event callback or its own
 * timer wakes it; a thread-mode loop may pass a bound instead.
 *
 * A socket is a small integer >= 0 handed out by net_tcp_connect or
 * net_udp_open and given back by net_close. Sizes are in bytes; a call
 * moves at most `len` bytes and `len` above NET_LEN_MAX is a broken
 * contract. Addresses and ports are in host order
 * ({ {10, 0, 2, 2}, 1883 } is 10.0.2.2:1883).
 *
 * Errors (negative errno), shared by every call:
 *  -EAGAIN       nothing could be moved now (no data, no room); try later;
 *  -ENETDOWN     the link is down;
 *  -EMFILE       no free socket;
 *  -ECONNREFUSED the peer answered the SYN with a RST;
 *  -ETIMEDOUT    the peer never answered (ARP or SYN or data retransmissions
 *                ran out: the W5500's RTR x RCR);
 *  -ECONNRESET   an established connection was reset;
 *  -ENOTCONN     the socket is not connected (closed, or not TCP);
 *  -EMSGSIZE     a UDP datagram larger than the socket can hold;
 *  -EBADF        not a socket of this interface;
 *  -EIO          the chip under the interface did not answer.
 */
#ifndef QUARTZ_NET_H
#define QUARTZ_NET_H

#include <stddef.h>
#include <stdint.h>

#define NET_LEN_MAX 0x7fffu /* every len fits the int results */

struct net_endpoint {
    uint8_t addr[4]; /* IPv4, a.b.c.d as addr[0..3] */
    uint16_t port;
};

/* Interface addressing; all zero before DHCP or a static setting. */
struct net_ipv4 {
    uint8_t addr[4];
    uint8_t netmask[4];
    uint8_t gateway[4];
};

/* net_poll events. */
#define NET_POLL_IN 0x1u  /* recv would not return -EAGAIN (data, or the peer closed) */
#define NET_POLL_OUT 0x2u /* connected, and send would accept at least one byte */

struct net_if;

struct net_if_ops {
    /* 1 link up, 0 down, or -EIO. */
    int (*link)(struct net_if *nif);
    /* The interface's MAC address (DHCP's chaddr). 0 or -EIO. */
    int (*get_mac)(struct net_if *nif, uint8_t mac[6]);
    /* Set the address, netmask and gateway (all zero: unconfigured, as
     * DHCP's DISCOVER needs). 0 or -EIO. */
    int (*set_ipv4)(struct net_if *nif, const struct net_ipv4 *cfg);

    /* Start a TCP connection to `peer`; returns the socket at once, while
     * the handshake goes on (net_poll says when it is done). Errors:
     * -ENETDOWN, -EMFILE, -EIO. */
    int (*tcp_connect)(struct net_if *nif, const struct net_endpoint *peer);
    /* Queue up to `len` bytes: returns how many (>= 1), -EAGAIN when the
     * transmit buffer is full, or the connection's error. */
    int (*send)(struct net_if *nif, int sock, const void *buf, size_t len);
    /* Take up to `len` received bytes: returns how many (>= 1), 0 once the
     * peer has closed and everything before is read, -EAGAIN when nothing
     * has arrived, or the connection's error. */
    int (*recv)(struct net_if *nif, int sock, void *buf, size_t len);

    /* A UDP socket bound to `local_port` (0: any). -EMFILE, -EIO. */
    int (*udp_open)(struct net_if *nif, uint16_t local_port);
    /* One datagram: returns `len`, -EAGAIN (previous one still going out),
     * -EMSGSIZE, -ENETDOWN. 255.255.255.255 broadcasts. */
    int (*sendto)(struct net_if *nif, int sock, const struct net_endpoint *to, const void *buf,
                  size_t len);
    /* One datagram: its length (the part past `len` is dropped), with its
     * source in `from` (may be NULL), or -EAGAIN. */
    int (*recvfrom)(struct net_if *nif, int sock, struct net_endpoint *from, void *buf, size_t len);

    /*
     * Wait at most `timeout_ms` until one of `events` holds on `sock`.
     * Returns the events that hold (> 0), 0 when none did in time (a TCP
     * connection still being set up is not NET_POLL_OUT yet), or the
     * socket's error (-ECONNREFUSED, -ETIMEDOUT, -ECONNRESET, -ENOTCONN):
     * an error is returned once the connection has failed, whatever the
     * events asked. A peer's orderly close is NET_POLL_IN (recv gives 0).
     */
    int (*poll)(struct net_if *nif, int sock, unsigned events, uint32_t timeout_ms);

    /* TCP: a graceful close (FIN) when connected, a plain close otherwise;
     * the socket is free again at once. 0 or -EBADF. */
    int (*close)(struct net_if *nif, int sock);
};

/*
 * `event` (may be NULL; set by the user before the first call) is called
 * with `event_ctx` when something happened on any socket or the link, from
 * the driver's interrupt or poll context: a hint to poll again (a waker for
 * kernel/async), never the only way to learn state.
 */
struct net_if {
    const struct net_if_ops *ops;
    void (*event)(void *ctx);
    void *event_ctx;
};

static inline int net_link(struct net_if *nif) { return nif->ops->link(nif); }

static inline int net_get_mac(struct net_if *nif, uint8_t mac[6])
{
    return nif->ops->get_mac(nif, mac);
}

static inline int net_set_ipv4(struct net_if *nif, const struct net_ipv4 *cfg)
{
    return nif->ops->set_ipv4(nif, cfg);
}

static inline int net_tcp_connect(struct net_if *nif, const struct net_endpoint *peer)
{
    return nif->ops->tcp_connect(nif, peer);
}

static inline int net_send(struct net_if *nif, int sock, const void *buf, size_t len)
{
    return nif->ops->send(nif, sock, buf, len);
}

static inline int net_recv(struct net_if *nif, int sock, void *buf, size_t len)
{
    return nif->ops->recv(nif, sock, buf, len);
}

static inline int net_udp_open(struct net_if *nif, uint16_t local_port)
{
    return nif->ops->udp_open(nif, local_port);
}

static inline int net_sendto(struct net_if *nif, int sock, const struct net_endpoint *to,
                             const void *buf, size_t len)
{
    return nif->ops->sendto(nif, sock, to, buf, len);
}

static inline int net_recvfrom(struct net_if *nif, int sock, struct net_endpoint *from, void *buf,
                               size_t len)
{
    return nif->ops->recvfrom(nif, sock, from, buf, len);
}

static inline int net_poll(struct net_if *nif, int sock, unsigned events, uint32_t timeout_ms)
{
    return nif->ops->poll(nif, sock, events, timeout_ms);
}

static inline int net_close(struct net_if *nif, int sock) { return nif->ops->close(nif, sock); }

#endif
