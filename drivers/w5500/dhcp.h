/*
 * DHCP client (RFC 2131) over the portable network interface (quartz/net.h):
 * DISCOVER, OFFER, REQUEST, ACK on a UDP socket bound to port 68, lease
 * renewal at T1 (unicast REQUEST to the server), and a static address
 * from board data when no server answers within a bound. Calls block for
 * at most the time they are given.
 */
#ifndef QUARTZ_DHCP_H
#define QUARTZ_DHCP_H

#include <stdbool.h>
#include <stdint.h>

#include "quartz/net.h"

struct dhcp_lease {
    struct net_ipv4 ip;
    uint8_t server[4], dns[4];
    uint32_t lease_s, t1_s, t2_s;
    uint64_t acquired_ms; /* clock_uptime_ms() at the ACK */
    bool is_static;       /* the fallback, not a lease */
};

/* A lease within `timeout_ms` (retries each second), set on the interface.
 * 0, -ETIMEDOUT (no server), -ECONNREFUSED (NAK), -ENETDOWN, -EMFILE, -EIO. */
int dhcp_acquire(struct net_if *nif, struct dhcp_lease *lease, uint32_t timeout_ms);

/* dhcp_acquire, else `fallback` set on the interface (lease->is_static). 0 or -errno of the interface. */
int dhcp_acquire_or_static(struct net_if *nif, const struct net_ipv4 *fallback, struct dhcp_lease *lease,
                           uint32_t timeout_ms);

/* Renews a lease whose T1 has passed (0 and nothing sent before T1): 0,
 * or -errno (the lease stands until it expires). */
int dhcp_renew_if_due(struct net_if *nif, struct dhcp_lease *lease, uint32_t timeout_ms);

#endif
