/*
 * The W5500's hardware sockets as the portable network interface
 * (quartz/net.h). Socket numbers are the chip's (0..7). The buffer
 * protocol is the datasheet's (ds 4.2 Sn_TX_WR, Sn_RX_RD; 5.2.1.1 TCP
 * client, 5.2.2 UDP): read the free/received size until two reads agree,
 * move the data at the pointer, advance the pointer, then SEND or RECV.
 *
 * Sn_IR bits are read and cleared into w->sock[n].ir, so INTn rises again
 * and the next event gives a new falling edge; net_poll re-reads the chip
 * when INTn is low, and every POLL_REFRESH_MS anyway (the fallback when
 * INTn is not wired or an edge was missed).
 */
#include <errno.h>
#include <string.h>

#include "quartz/hal/clock.h"
#include "w5500.h"
#include "w5500_chip.h"

#define POLL_REFRESH_MS 10u
#define POLL_STEP_US 50u

static struct w5500 *dev(struct net_if *nif) { return (struct w5500 *)nif; }

static bool valid(struct w5500 *w, int sock) { return sock >= 0 && sock < W5500_SOCKET_COUNT && w->sock[sock].mode; }

static int status(struct w5500 *w, unsigned n, uint8_t *sr)
{
    int rc = w5500_take_ir(w, n);
    return rc ? rc : w5500_read8(w, BSB_SREG(n), Sn_SR, sr);
}

static int link_check(struct w5500 *w)
{
    int up = w5500_link(w);
    return up < 0 ? up : up ? 0 : -ENETDOWN;
}

/* A free socket opened in `mode` on `port`: its number or -errno. */
static int open_socket(struct w5500 *w, uint8_t mode, uint16_t port, uint8_t want_sr)
{
    unsigned n = 0;
    while (n < W5500_SOCKET_COUNT && w->sock[n].mode)
        n++;
    if (n == W5500_SOCKET_COUNT)
        return -EMFILE;
    if (!port) {
        port = w->next_port;
        w->next_port = (uint16_t)(w->next_port == 0xFFFFu ? 49152u : w->next_port + 1u);
    }
    uint8_t sr;
    int rc = w5500_command(w, n, CR_CLOSE); /* a socket left in FIN_WAIT by a graceful close */
    if (rc == 0)
        rc = w5500_write8(w, BSB_SREG(n), Sn_IR, 0xFFu);
    if (rc == 0)
        rc = w5500_write8(w, BSB_SREG(n), Sn_MR, mode);
    if (rc == 0)
        rc = w5500_write16(w, BSB_SREG(n), Sn_PORT, port);
    if (rc == 0)
        rc = w5500_command(w, n, CR_OPEN);
    if (rc == 0)
        rc = w5500_read8(w, BSB_SREG(n), Sn_SR, &sr);
    if (rc == 0 && sr != want_sr)
        rc = -EIO;
    if (rc)
        return rc;
    w->sock[n] = (struct w5500_socket_state){ .mode = mode };
    return (int)n;
}

static int op_link(struct net_if *nif) { return w5500_link(dev(nif)); }

static int op_get_mac(struct net_if *nif, uint8_t mac[6])
{
    memcpy(mac, dev(nif)->cfg->mac, 6);
    return 0;
}

static int op_set_ipv4(struct net_if *nif, const struct net_ipv4 *cfg)
{
    struct w5500 *w = dev(nif);
    int rc = w5500_write(w, BSB_COMMON, GAR, cfg->gateway, 4);
    if (rc == 0)
        rc = w5500_write(w, BSB_COMMON, SUBR, cfg->netmask, 4);
    return rc ? rc : w5500_write(w, BSB_COMMON, SIPR, cfg->addr, 4);
}

static int set_peer(struct w5500 *w, unsigned n, const struct net_endpoint *peer)
{
    int rc = w5500_write(w, BSB_SREG(n), Sn_DIPR, peer->addr, 4);
    return rc ? rc : w5500_write16(w, BSB_SREG(n), Sn_DPORT, peer->port);
}

static int op_tcp_connect(struct net_if *nif, const struct net_endpoint *peer)
{
    struct w5500 *w = dev(nif);
    int rc = link_check(w);
    int n = rc ? rc : open_socket(w, Sn_MR_TCP, 0, SOCK_INIT);
    if (n < 0)
        return n;
    rc = set_peer(w, (unsigned)n, peer);
    if (rc == 0)
        rc = w5500_command(w, (unsigned)n, CR_CONNECT);
    if (rc) {
        w->sock[n].mode = 0;
        return rc;
    }
    return n;
}

/* The socket's error once it is closed, 0 while it lives. */
static int tcp_error(struct w5500 *w, unsigned n, uint8_t sr)
{
    if (sr != SOCK_CLOSED)
        return 0;
    if (w->sock[n].ir & IR_TIMEOUT)
        return -ETIMEDOUT;
    return w->sock[n].established ? -ECONNRESET : -ECONNREFUSED;
}

/* Previous SEND finished: SENDOK, or TIMEOUT (a UDP datagram ARP could not place). */
static bool send_free(struct w5500 *w, unsigned n)
{
    struct w5500_socket_state *s = &w->sock[n];
    if (s->send_pending && (s->ir & (IR_SENDOK | IR_TIMEOUT))) {
        s->send_pending = false;
        s->ir &= (uint8_t)~IR_SENDOK;
        if (s->mode == Sn_MR_UDP)
            s->ir &= (uint8_t)~IR_TIMEOUT;
    }
    return !s->send_pending;
}

static int put_tx(struct w5500 *w, unsigned n, const void *buf, uint16_t len)
{
    uint16_t wr;
    int rc = w5500_read16_stable(w, BSB_SREG(n), Sn_TX_WR, &wr);
    if (rc == 0)
        rc = w5500_write(w, BSB_TXBUF(n), wr, buf, len); /* the chip wraps the offset in the buffer */
    if (rc == 0)
        rc = w5500_write16(w, BSB_SREG(n), Sn_TX_WR, (uint16_t)(wr + len));
    if (rc == 0 && w->before_send != NULL && w->sock[n].mode == Sn_MR_TCP)
        w->before_send(w, (int)n, len);
    if (rc == 0)
        rc = w5500_command(w, n, CR_SEND);
    if (rc == 0)
        w->sock[n].send_pending = true;
    return rc;
}

static int op_send(struct net_if *nif, int sock, const void *buf, size_t len)
{
    struct w5500 *w = dev(nif);
    if (!valid(w, sock) || w->sock[sock].mode != Sn_MR_TCP)
        return -EBADF;
    unsigned n = (unsigned)sock;
    uint8_t sr;
    uint16_t free_bytes;
    int rc = status(w, n, &sr);
    if (rc)
        return rc;
    if (sr == SOCK_CLOSED)
        return tcp_error(w, n, sr);
    if (sr != SOCK_ESTABLISHED && sr != SOCK_CLOSE_WAIT)
        return -ENOTCONN;
    if (!send_free(w, n))
        return -EAGAIN;
    rc = w5500_read16_stable(w, BSB_SREG(n), Sn_TX_FSR, &free_bytes);
    if (rc)
        return rc;
    uint16_t chunk = (uint16_t)(len < free_bytes ? len : free_bytes);
    if (!chunk)
        return -EAGAIN;
    rc = put_tx(w, n, buf, chunk);
    return rc ? rc : chunk;
}

static int take_rx(struct w5500 *w, unsigned n, uint16_t skip, void *buf, uint16_t len, uint16_t consumed)
{
    uint16_t rd;
    int rc = w5500_read16_stable(w, BSB_SREG(n), Sn_RX_RD, &rd);
    if (rc == 0 && len)
        rc = w5500_read(w, BSB_RXBUF(n), (uint16_t)(rd + skip), buf, len);
    if (rc == 0)
        rc = w5500_write16(w, BSB_SREG(n), Sn_RX_RD, (uint16_t)(rd + consumed));
    if (rc == 0)
        rc = w5500_command(w, n, CR_RECV);
    w->sock[n].ir &= (uint8_t)~IR_RECV;
    return rc;
}

static int op_recv(struct net_if *nif, int sock, void *buf, size_t len)
{
    struct w5500 *w = dev(nif);
    if (!valid(w, sock) || w->sock[sock].mode != Sn_MR_TCP)
        return -EBADF;
    unsigned n = (unsigned)sock;
    uint8_t sr;
    uint16_t avail;
    int rc = status(w, n, &sr);
    if (rc == 0)
        rc = w5500_read16_stable(w, BSB_SREG(n), Sn_RX_RSR, &avail);
    if (rc)
        return rc;
    if (!avail) {
        if (sr == SOCK_CLOSE_WAIT)
            return 0; /* the peer's FIN, everything before it read */
        rc = tcp_error(w, n, sr);
        return rc ? rc : sr == SOCK_ESTABLISHED ? -EAGAIN : -ENOTCONN;
    }
    uint16_t chunk = (uint16_t)(len < avail ? len : avail);
    rc = take_rx(w, n, 0, buf, chunk, chunk);
    return rc ? rc : chunk;
}

static int op_udp_open(struct net_if *nif, uint16_t local_port)
{
    return open_socket(dev(nif), Sn_MR_UDP, local_port, SOCK_UDP);
}

static int op_sendto(struct net_if *nif, int sock, const struct net_endpoint *to, const void *buf, size_t len)
{
    struct w5500 *w = dev(nif);
    if (!valid(w, sock) || w->sock[sock].mode != Sn_MR_UDP)
        return -EBADF;
    unsigned n = (unsigned)sock;
    if (len > W5500_BUF_SIZE)
        return -EMSGSIZE;
    int rc = link_check(w);
    if (rc == 0)
        rc = w5500_take_ir(w, n);
    if (rc)
        return rc;
    if (!send_free(w, n))
        return -EAGAIN;
    uint16_t free_bytes;
    rc = w5500_read16_stable(w, BSB_SREG(n), Sn_TX_FSR, &free_bytes);
    if (rc == 0 && free_bytes < len)
        rc = -EAGAIN;
    if (rc == 0)
        rc = set_peer(w, n, to);
    if (rc == 0)
        rc = put_tx(w, n, buf, (uint16_t)len);
    return rc ? rc : (int)len;
}

static int op_recvfrom(struct net_if *nif, int sock, struct net_endpoint *from, void *buf, size_t len)
{
    struct w5500 *w = dev(nif);
    if (!valid(w, sock) || w->sock[sock].mode != Sn_MR_UDP)
        return -EBADF;
    unsigned n = (unsigned)sock;
    uint16_t avail, rd;
    uint8_t header[8];
    int rc = w5500_take_ir(w, n);
    if (rc == 0)
        rc = w5500_read16_stable(w, BSB_SREG(n), Sn_RX_RSR, &avail);
    if (rc)
        return rc;
    if (avail < sizeof header)
        return -EAGAIN;
    /* ds 5.2.2.1: each datagram starts with peer IP (4), port (2), length (2) */
    rc = w5500_read16_stable(w, BSB_SREG(n), Sn_RX_RD, &rd);
    if (rc == 0)
        rc = w5500_read(w, BSB_RXBUF(n), rd, header, sizeof header);
    if (rc)
        return rc;
    uint16_t size = (uint16_t)(header[6] << 8 | header[7]);
    if (size > avail - sizeof header)
        return -EIO; /* a header that does not fit what arrived: the buffer is out of step */
    if (from) {
        memcpy(from->addr, header, 4);
        from->port = (uint16_t)(header[4] << 8 | header[5]);
    }
    uint16_t chunk = (uint16_t)(len < size ? len : size);
    rc = take_rx(w, n, sizeof header, buf, chunk, (uint16_t)(sizeof header + size));
    return rc ? rc : chunk;
}

/* The events that hold on socket n now (> 0), 0, or its error. */
static int events_now(struct w5500 *w, unsigned n, unsigned events)
{
    struct w5500_socket_state *s = &w->sock[n];
    uint8_t sr;
    uint16_t rsr = 0, fsr = 0;
    int rc = status(w, n, &sr);
    if (rc == 0)
        rc = w5500_read16_stable(w, BSB_SREG(n), Sn_RX_RSR, &rsr);
    if (rc == 0)
        rc = w5500_read16_stable(w, BSB_SREG(n), Sn_TX_FSR, &fsr);
    if (rc)
        return rc;
    unsigned got = 0;
    if (s->mode == Sn_MR_UDP) {
        if (rsr >= 8u)
            got |= NET_POLL_IN;
        if (send_free(w, n) && fsr)
            got |= NET_POLL_OUT;
        return (int)(got & events);
    }
    if (sr == SOCK_ESTABLISHED || sr == SOCK_CLOSE_WAIT)
        s->established = true;
    if (rsr || sr == SOCK_CLOSE_WAIT)
        got |= NET_POLL_IN;
    if (sr == SOCK_ESTABLISHED && fsr && send_free(w, n))
        got |= NET_POLL_OUT;
    if (!(got & events) && sr == SOCK_CLOSED)
        return tcp_error(w, n, sr);
    return (int)(got & events);
}

static int op_poll(struct net_if *nif, int sock, unsigned events, uint32_t timeout_ms)
{
    struct w5500 *w = dev(nif);
    if (!valid(w, sock))
        return -EBADF;
    uint64_t start = clock_uptime_ms(), refreshed = start;
    for (;;) {
        w->irq = false;
        int got = events_now(w, (unsigned)sock, events);
        if (got != 0)
            return got;
        for (;;) {
            uint64_t now = clock_uptime_ms();
            if (now - start >= timeout_ms)
                return 0;
            bool intn_low = w->cfg->has_intn && !gpio_read(w->cfg->intn);
            if (w->irq || intn_low || now - refreshed >= POLL_REFRESH_MS) {
                refreshed = now;
                break;
            }
            clock_delay_us(POLL_STEP_US);
        }
    }
}

static int op_close(struct net_if *nif, int sock)
{
    struct w5500 *w = dev(nif);
    if (!valid(w, sock))
        return -EBADF;
    unsigned n = (unsigned)sock;
    uint8_t sr = SOCK_CLOSED;
    (void)w5500_read8(w, BSB_SREG(n), Sn_SR, &sr);
    bool graceful = w->sock[n].mode == Sn_MR_TCP && (sr == SOCK_ESTABLISHED || sr == SOCK_CLOSE_WAIT);
    (void)w5500_command(w, n, graceful ? CR_DISCON : CR_CLOSE);
    w->sock[n] = (struct w5500_socket_state){ 0 };
    return 0;
}

const struct net_if_ops w5500_net_ops = {
    .link = op_link,
    .get_mac = op_get_mac,
    .set_ipv4 = op_set_ipv4,
    .tcp_connect = op_tcp_connect,
    .send = op_send,
    .recv = op_recv,
    .udp_open = op_udp_open,
    .sendto = op_sendto,
    .recvfrom = op_recvfrom,
    .poll = op_poll,
    .close = op_close,
};
