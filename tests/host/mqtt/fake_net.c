/* Scripted quartz/net.h for the MQTT client tests (fake_net.h). */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <string.h>

#include <cmocka.h>

#include "fake_net.h"

#define FAKE_SOCK 3

static struct fake_net *of(struct net_if *nif) { return (struct fake_net *)(void *)nif; }

static int fake_link(struct net_if *nif)
{
    (void)nif;
    return 1;
}

static int fake_connect(struct net_if *nif, const struct net_endpoint *peer)
{
    struct fake_net *f = of(nif);
    (void)peer;
    assert_int_equal(f->sock, -1); /* the client never holds two sockets */
    f->connects++;
    if (f->connect_result >= 0) {
        f->sock = f->connect_result;
    }
    return f->connect_result;
}

static int fake_send(struct net_if *nif, int sock, const void *buf, size_t len)
{
    struct fake_net *f = of(nif);
    assert_int_equal(sock, f->sock);
    assert_true(len > 0 && len <= NET_LEN_MAX);
    if (f->send_room == 0) {
        return -EAGAIN;
    }
    size_t n = len < f->send_room ? len : f->send_room;
    assert_true(f->tx_len + n <= FAKE_TX_MAX);
    memcpy(f->tx + f->tx_len, buf, n);
    f->tx_len += n;
    return (int)n;
}

static int fake_recv(struct net_if *nif, int sock, void *buf, size_t len)
{
    struct fake_net *f = of(nif);
    assert_int_equal(sock, f->sock);
    assert_true(len > 0 && len <= NET_LEN_MAX);
    f->recvs++;
    if (f->gap_next < f->ngaps && f->gaps[f->gap_next] == f->rx_pos) {
        f->gap_next++;
        return -EAGAIN;
    }
    if (f->rx_pos == f->rx_len) {
        return f->recv_error == 1 ? 0 : f->recv_error ? f->recv_error : -EAGAIN;
    }
    size_t end = f->gap_next < f->ngaps ? f->gaps[f->gap_next] : f->rx_len;
    size_t n = end - f->rx_pos;
    if (n > len) {
        n = len;
    }
    if (f->chunk && n > f->chunk) {
        n = f->chunk;
    }
    memcpy(buf, f->rx + f->rx_pos, n);
    f->rx_pos += n;
    return (int)n;
}

static int fake_poll(struct net_if *nif, int sock, unsigned events, uint32_t timeout_ms)
{
    struct fake_net *f = of(nif);
    assert_int_equal(sock, f->sock);
    assert_int_equal(timeout_ms, 0); /* the client never waits inside a call */
    return f->poll_result < 0 ? f->poll_result : (int)((unsigned)f->poll_result & events);
}

static int fake_close(struct net_if *nif, int sock)
{
    struct fake_net *f = of(nif);
    assert_int_equal(sock, f->sock);
    f->sock = -1;
    f->closes++;
    return 0;
}

static int unused(void)
{
    fail_msg("the MQTT client uses no UDP and no addressing");
    return -EIO;
}
static int fake_get_mac(struct net_if *nif, uint8_t mac[6]) { (void)nif, (void)mac; return unused(); }
static int fake_set_ipv4(struct net_if *nif, const struct net_ipv4 *c) { (void)nif, (void)c; return unused(); }
static int fake_udp_open(struct net_if *nif, uint16_t p) { (void)nif, (void)p; return unused(); }
static int fake_sendto(struct net_if *nif, int s, const struct net_endpoint *to, const void *b, size_t n)
{
    (void)nif, (void)s, (void)to, (void)b, (void)n;
    return unused();
}
static int fake_recvfrom(struct net_if *nif, int s, struct net_endpoint *from, void *b, size_t n)
{
    (void)nif, (void)s, (void)from, (void)b, (void)n;
    return unused();
}

static const struct net_if_ops fake_ops = {
    .link = fake_link,
    .get_mac = fake_get_mac,
    .set_ipv4 = fake_set_ipv4,
    .tcp_connect = fake_connect,
    .send = fake_send,
    .recv = fake_recv,
    .udp_open = fake_udp_open,
    .sendto = fake_sendto,
    .recvfrom = fake_recvfrom,
    .poll = fake_poll,
    .close = fake_close,
};

void fake_net_init(struct fake_net *f)
{
    memset(f, 0, sizeof *f);
    f->nif.ops = &fake_ops;
    f->connect_result = FAKE_SOCK;
    f->poll_result = NET_POLL_OUT;
    f->send_room = SIZE_MAX;
    f->sock = -1;
}

void fake_push(struct fake_net *f, const void *bytes, size_t n)
{
    assert_true(f->rx_len + n <= FAKE_RX_MAX);
    memcpy(f->rx + f->rx_len, bytes, n);
    f->rx_len += n;
}

void fake_gap(struct fake_net *f)
{
    assert_true(f->ngaps < FAKE_GAPS_MAX);
    f->gaps[f->ngaps++] = f->rx_len;
}

void fake_new_connection(struct fake_net *f)
{
    f->rx_len = f->rx_pos = 0;
    f->ngaps = f->gap_next = 0;
    f->tx_len = 0;
    f->recv_error = 0;
}

size_t fake_take_tx(struct fake_net *f, uint8_t *out, size_t cap)
{
    size_t n = f->tx_len < cap ? f->tx_len : cap;
    memcpy(out, f->tx, n);
    memmove(f->tx, f->tx + n, f->tx_len - n);
    f->tx_len -= n;
    return n;
}

unsigned fake_count_type(const struct fake_net *f, unsigned type)
{
    unsigned count = 0;
    size_t off = 0;
    while (off < f->tx_len) {
        size_t i = off + 1;
        uint32_t rem = 0;
        unsigned shift = 0;
        do {
            assert_true(i < f->tx_len);
            rem |= (uint32_t)(f->tx[i] & 0x7fu) << shift;
            shift += 7;
        } while (f->tx[i++] & 0x80u);
        assert_true(i + rem <= f->tx_len);
        if (f->tx[off] >> 4 == type) {
            count++;
        }
        off = i + rem;
    }
    return count;
}
