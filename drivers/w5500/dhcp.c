/*
 * DHCP client, RFC 2131 (message format section 2, client states 4.4)
 * and RFC 2132 (options). No heap: one message buffer on the stack.
 */
#include "dhcp.h"

#include <errno.h>
#include <string.h>

#include "quartz/hal/clock.h"

#define MSG_SIZE 548u   /* RFC 2131 2: a client must accept 576-byte IP datagrams */
#define FIXED 236u      /* op .. file */
#define RETRY_MS 1000u
#define CLIENT_PORT 68u
#define SERVER_PORT 67u

enum { DISCOVER = 1, OFFER = 2, REQUEST = 3, ACK = 5, NAK = 6 };
enum { OPT_MASK = 1, OPT_ROUTER = 3, OPT_DNS = 6, OPT_REQUESTED = 50, OPT_LEASE = 51, OPT_TYPE = 53, OPT_SERVER = 54,
       OPT_PARAMS = 55, OPT_T1 = 58, OPT_T2 = 59, OPT_END = 255 };
static const uint8_t cookie[4] = { 99, 130, 83, 99 };

static uint32_t get32(const uint8_t *p) { return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 | p[3]; }

/* A BOOTREQUEST of `type`; `ciaddr` for a renewal, `requested`/`server` while selecting. */
static size_t build(uint8_t *m, uint8_t type, uint32_t xid, const uint8_t mac[6], const uint8_t *ciaddr,
                    const uint8_t *requested, const uint8_t *server)
{
    memset(m, 0, MSG_SIZE);
    m[0] = 1; /* BOOTREQUEST */
    m[1] = 1; /* Ethernet */
    m[2] = 6;
    m[4] = (uint8_t)(xid >> 24);
    m[5] = (uint8_t)(xid >> 16);
    m[6] = (uint8_t)(xid >> 8);
    m[7] = (uint8_t)xid;
    if (ciaddr)
        memcpy(&m[12], ciaddr, 4);
    else
        m[10] = 0x80; /* BROADCAST flag: no address yet to take a unicast (4.1) */
    memcpy(&m[28], mac, 6);
    memcpy(&m[FIXED], cookie, 4);
    size_t at = FIXED + 4u;
    m[at++] = OPT_TYPE;
    m[at++] = 1;
    m[at++] = type;
    if (requested) {
        m[at++] = OPT_REQUESTED;
        m[at++] = 4;
        memcpy(&m[at], requested, 4);
        at += 4;
    }
    if (server) {
        m[at++] = OPT_SERVER;
        m[at++] = 4;
        memcpy(&m[at], server, 4);
        at += 4;
    }
    static const uint8_t params[] = { OPT_MASK, OPT_ROUTER, OPT_DNS, OPT_LEASE, OPT_T1, OPT_T2 };
    m[at++] = OPT_PARAMS;
    m[at++] = sizeof params;
    memcpy(&m[at], params, sizeof params);
    at += sizeof params;
    m[at++] = OPT_END;
    return at < 300u ? 300u : at; /* RFC 1542 3.2: BOOTP relays expect at least 300 bytes */
}

/* The reply's type and fields into `lease`; 0 when it is not ours or not DHCP. */
static uint8_t parse(const uint8_t *m, size_t len, uint32_t xid, const uint8_t mac[6], struct dhcp_lease *lease)
{
    if (len < FIXED + 4u || m[0] != 2 || get32(&m[4]) != xid || memcmp(&m[28], mac, 6) != 0 ||
        memcmp(&m[FIXED], cookie, 4) != 0)
        return 0;
    uint8_t type = 0;
    memcpy(lease->ip.addr, &m[16], 4); /* yiaddr */
    for (size_t at = FIXED + 4u; at < len && m[at] != OPT_END;) {
        if (m[at] == 0) {
            at++;
            continue;
        }
        if (at + 1u >= len || at + 2u + m[at + 1] > len)
            break;
        const uint8_t *v = &m[at + 2];
        uint8_t olen = m[at + 1];
        switch (olen >= 4 ? m[at] : (olen == 1 && m[at] == OPT_TYPE ? OPT_TYPE : 0)) {
        case OPT_TYPE: type = v[0]; break;
        case OPT_MASK: memcpy(lease->ip.netmask, v, 4); break;
        case OPT_ROUTER: memcpy(lease->ip.gateway, v, 4); break;
        case OPT_DNS: memcpy(lease->dns, v, 4); break;
        case OPT_SERVER: memcpy(lease->server, v, 4); break;
        case OPT_LEASE: lease->lease_s = get32(v); break;
        case OPT_T1: lease->t1_s = get32(v); break;
        case OPT_T2: lease->t2_s = get32(v); break;
        default: break;
        }
        at += 2u + olen;
    }
    return type;
}

/* Sends `out` to `to` and waits for a reply of `want` (or NAK) until `deadline`, resending each RETRY_MS. */
static int exchange(struct net_if *nif, int sock, const uint8_t *out, size_t out_len, const struct net_endpoint *to,
                    uint32_t xid, const uint8_t mac[6], uint8_t want, struct dhcp_lease *lease, uint64_t deadline)
{
    uint8_t in[MSG_SIZE];
    uint64_t next_send = 0;
    for (;;) {
        uint64_t now = clock_uptime_ms();
        if (now >= deadline)
            return -ETIMEDOUT;
        if (now >= next_send) {
            int rc = net_sendto(nif, sock, to, out, out_len);
            if (rc < 0 && rc != -EAGAIN)
                return rc;
            next_send = now + RETRY_MS;
        }
        uint64_t until = next_send < deadline ? next_send : deadline;
        int ev = net_poll(nif, sock, NET_POLL_IN, (uint32_t)(until - now));
        if (ev < 0)
            return ev;
        if (!(ev & NET_POLL_IN))
            continue;
        int got = net_recvfrom(nif, sock, NULL, in, sizeof in);
        if (got < 0)
            continue;
        struct dhcp_lease seen = *lease;
        uint8_t type = parse(in, (size_t)got, xid, mac, &seen);
        if (type == NAK)
            return -ECONNREFUSED;
        if (type == want) {
            *lease = seen;
            return 0;
        }
    }
}

static uint32_t make_xid(const uint8_t mac[6])
{
    uint32_t x = (uint32_t)clock_uptime_ms() * 2654435761u;
    for (unsigned i = 0; i < 6; i++)
        x = (x ^ mac[i]) * 16777619u;
    return x;
}

int dhcp_acquire(struct net_if *nif, struct dhcp_lease *lease, uint32_t timeout_ms)
{
    uint8_t mac[6], msg[MSG_SIZE];
    static const struct net_ipv4 none;
    memset(lease, 0, sizeof *lease);
    int rc = net_get_mac(nif, mac);
    if (rc == 0)
        rc = net_set_ipv4(nif, &none); /* 0.0.0.0 while selecting (4.4.1) */
    if (rc)
        return rc;
    int sock = net_udp_open(nif, CLIENT_PORT);
    if (sock < 0)
        return sock;
    const struct net_endpoint broadcast = { { 255, 255, 255, 255 }, SERVER_PORT };
    uint64_t deadline = clock_uptime_ms() + timeout_ms;
    uint32_t xid = make_xid(mac);
    size_t len = build(msg, DISCOVER, xid, mac, NULL, NULL, NULL);
    rc = exchange(nif, sock, msg, len, &broadcast, xid, mac, OFFER, lease, deadline);
    if (rc == 0) {
        uint8_t offered[4], server[4];
        memcpy(offered, lease->ip.addr, 4);
        memcpy(server, lease->server, 4);
        len = build(msg, REQUEST, xid, mac, NULL, offered, server);
        rc = exchange(nif, sock, msg, len, &broadcast, xid, mac, ACK, lease, deadline);
    }
    net_close(nif, sock);
    if (rc)
        return rc;
    lease->acquired_ms = clock_uptime_ms();
    if (!lease->t1_s)
        lease->t1_s = lease->lease_s / 2u; /* RFC 2131 4.4.5 defaults */
    if (!lease->t2_s)
        lease->t2_s = (uint32_t)((uint64_t)lease->lease_s * 7u / 8u);
    return net_set_ipv4(nif, &lease->ip);
}

int dhcp_acquire_or_static(struct net_if *nif, const struct net_ipv4 *fallback, struct dhcp_lease *lease,
                           uint32_t timeout_ms)
{
    int rc = dhcp_acquire(nif, lease, timeout_ms);
    if (rc == 0 || rc == -EIO)
        return rc;
    memset(lease, 0, sizeof *lease);
    lease->ip = *fallback;
    lease->is_static = true;
    return net_set_ipv4(nif, fallback);
}

int dhcp_renew_if_due(struct net_if *nif, struct dhcp_lease *lease, uint32_t timeout_ms)
{
    if (lease->is_static || clock_uptime_ms() - lease->acquired_ms < (uint64_t)lease->t1_s * 1000u)
        return 0;
    uint8_t mac[6], msg[MSG_SIZE];
    int rc = net_get_mac(nif, mac);
    if (rc)
        return rc;
    int sock = net_udp_open(nif, CLIENT_PORT);
    if (sock < 0)
        return sock;
    /* RENEWING (4.4.5): a REQUEST with ciaddr, unicast to the server. */
    struct net_endpoint server = { { 0 }, SERVER_PORT };
    memcpy(server.addr, lease->server, 4);
    uint32_t xid = make_xid(mac);
    size_t len = build(msg, REQUEST, xid, mac, lease->ip.addr, NULL, NULL);
    struct dhcp_lease renewed = *lease;
    rc = exchange(nif, sock, msg, len, &server, xid, mac, ACK, &renewed, clock_uptime_ms() + timeout_ms);
    net_close(nif, sock);
    if (rc)
        return rc;
    renewed.acquired_ms = clock_uptime_ms();
    *lease = renewed;
    return 0;
}
