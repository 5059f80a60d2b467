/*
 * W5500 model, part 4: the simulated network's DHCP server (RFC 2131),
 * at 10.0.2.2 port 67. It leases one address (cfg.lease_ip, 10.0.2.15
 * unless told) with the gateway and DNS server 10.0.2.2, mask
 * 255.255.255.0, lease time cfg.lease_s, T1 = lease/2 and T2 = lease x 7/8
 * (RFC 2131 4.4.5). DISCOVER gets an OFFER; a REQUEST for the leased
 * address (option 50 while selecting, ciaddr while renewing) an ACK, for
 * any other address a NAK; a REQUEST naming another server (option 54) is
 * not for us. Replies come 1 ms of virtual time later, broadcast
 * (RFC 2131 4.1: the client has no address yet) or unicast to ciaddr,
 * into every UDP socket bound to port 68.
 */
#include <string.h>

#include "w5500.h"

#define REPLY_DELAY_PS (1ull * SIM_PS_PER_MS)
#define BOOTP_FIXED 236u /* op .. file, RFC 2131 figure 1 */
#define COOKIE_AT BOOTP_FIXED
#define OPTIONS_AT (BOOTP_FIXED + 4u)

enum { DHCPDISCOVER = 1, DHCPOFFER = 2, DHCPREQUEST = 3, DHCPACK = 5, DHCPNAK = 6 };
enum {
    OPT_PAD = 0, OPT_MASK = 1, OPT_ROUTER = 3, OPT_DNS = 6, OPT_REQUESTED = 50, OPT_LEASE = 51, OPT_TYPE = 53,
    OPT_SERVER = 54, OPT_T1 = 58, OPT_T2 = 59, OPT_END = 255,
};
static const uint8_t cookie[4] = {99, 130, 83, 99};

static uint32_t get32(const uint8_t *p) { return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 | p[3]; }

static void put32(uint8_t *p, uint32_t v)
{
    p[0] = (uint8_t)(v >> 24);
    p[1] = (uint8_t)(v >> 16);
    p[2] = (uint8_t)(v >> 8);
    p[3] = (uint8_t)v;
}

/* Option `code` of the request: its bytes and length, or NULL. */
static const uint8_t *option(const uint8_t *msg, size_t len, uint8_t code, size_t *olen)
{
    size_t at = OPTIONS_AT;
    while (at < len) {
        uint8_t c = msg[at];
        if (c == OPT_END)
            break;
        if (c == OPT_PAD) {
            at++;
            continue;
        }
        if (at + 1 >= len || at + 2u + msg[at + 1] > len)
            break;
        if (c == code) {
            *olen = msg[at + 1];
            return &msg[at + 2];
        }
        at += 2u + msg[at + 1];
    }
    return NULL;
}

static size_t put_option(uint8_t *p, uint8_t code, uint32_t value, size_t bytes)
{
    p[0] = code;
    p[1] = (uint8_t)bytes;
    if (bytes == 1)
        p[2] = (uint8_t)value;
    else
        put32(&p[2], value);
    return 2u + bytes;
}

static void deliver(sim_t *s, void *dev, uint32_t arg)
{
    (void)s;
    (void)arg;
    struct w5500 *w = dev;
    if (!w->link_up)
        return; /* lost on the wire */
    bool broadcast = get32(&w->dhcp_reply[12]) == 0; /* ciaddr 0: the client has no address */
    for (unsigned n = 0; n < W5500_SOCKETS; n++) {
        struct w5500_socket *k = &w->sock[n];
        if (k->SR != W5500_SOCK_UDP || k->PORT != 68)
            continue;
        if (broadcast && (k->MR & W5500_Sn_MR_BCASTB))
            continue; /* ds 4.2 Sn_MR BCASTB: broadcast blocked */
        w5500_rx_put_udp(w, n, W5500_NET_GATEWAY, 67, w->dhcp_reply, w->dhcp_reply_len);
    }
}

void w5500_dhcp_request(struct w5500 *w, unsigned n, const uint8_t *msg, size_t len)
{
    (void)n;
    if (len < OPTIONS_AT || msg[0] != 1 || memcmp(&msg[COOKIE_AT], cookie, sizeof cookie) != 0)
        return; /* not a BOOTREQUEST with DHCP options */
    size_t olen = 0;
    const uint8_t *type = option(msg, len, OPT_TYPE, &olen);
    if (!type || olen != 1)
        return;
    uint8_t reply_type;
    uint32_t ciaddr = get32(&msg[12]);
    if (type[0] == DHCPDISCOVER) {
        reply_type = DHCPOFFER;
        w->dhcp_offers++;
    } else if (type[0] == DHCPREQUEST) {
        const uint8_t *server = option(msg, len, OPT_SERVER, &olen);
        if (server && olen == 4 && get32(server) != W5500_NET_GATEWAY)
            return; /* the client took another server's offer */
        const uint8_t *want = option(msg, len, OPT_REQUESTED, &olen);
        uint32_t requested = want && olen == 4 ? get32(want) : ciaddr;
        reply_type = requested == w->cfg.lease_ip ? DHCPACK : DHCPNAK;
        if (reply_type == DHCPACK)
            w->dhcp_acks++;
        else
            w->dhcp_naks++;
    } else {
        return; /* RELEASE, DECLINE, INFORM: nothing to answer with */
    }
    uint8_t *r = w->dhcp_reply;
    memset(r, 0, sizeof w->dhcp_reply);
    r[0] = 2; /* BOOTREPLY */
    r[1] = msg[1];
    r[2] = msg[2];
    memcpy(&r[4], &msg[4], 4);   /* xid */
    memcpy(&r[10], &msg[10], 2); /* flags */
    put32(&r[12], type[0] == DHCPREQUEST ? ciaddr : 0);
    if (reply_type != DHCPNAK)
        put32(&r[16], w->cfg.lease_ip); /* yiaddr */
    put32(&r[20], W5500_NET_GATEWAY);   /* siaddr */
    memcpy(&r[28], &msg[28], 16);       /* chaddr */
    memcpy(&r[COOKIE_AT], cookie, sizeof cookie);
    size_t at = OPTIONS_AT;
    at += put_option(&r[at], OPT_TYPE, reply_type, 1);
    at += put_option(&r[at], OPT_SERVER, W5500_NET_GATEWAY, 4);
    if (reply_type != DHCPNAK) {
        at += put_option(&r[at], OPT_LEASE, w->cfg.lease_s, 4);
        at += put_option(&r[at], OPT_T1, w->cfg.lease_s / 2u, 4);
        at += put_option(&r[at], OPT_T2, (uint32_t)((uint64_t)w->cfg.lease_s * 7u / 8u), 4);
        at += put_option(&r[at], OPT_MASK, W5500_NET_MASK, 4);
        at += put_option(&r[at], OPT_ROUTER, W5500_NET_GATEWAY, 4);
        at += put_option(&r[at], OPT_DNS, W5500_NET_GATEWAY, 4);
    }
    r[at++] = OPT_END;
    w->dhcp_reply_len = at;
    sim_event_at(w->sim, &w->ev_dhcp, sim_now_ps(w->sim) + REPLY_DELAY_PS, deliver, w, 0);
}
