/*
 * W5500 model, part 2: the socket registers (ds 4.2), the TX/RX buffers,
 * the commands of Sn_CR and the Sn_SR state machine, the RTR/RCR
 * timeouts (ds 4.1 RTR, RCR).
 *
 * Buffers (ds 4.2 Sn_RXBUF_SIZE, Sn_TXBUF_SIZE): 0, 1, 2, 4, 8 or 16 KB
 * per socket, 2 KB after reset, taken from the 16 KB TX and 16 KB RX
 * memories in socket order. The sizes together must not pass 16 KB; the
 * model enforces it: a socket whose buffer would end past the memory has
 * none (it reads 0, takes nothing, TX_FSR 0) and the run is warned.
 *
 * Pointers (ds 4.2 Sn_TX_WR, Sn_RX_RD): free-running 16-bit counters, the
 * carry ignored; the chip masks them to the buffer size. Sn_RX_RSR is
 * Sn_RX_WR minus the read pointer as of the last RECV; Sn_TX_FSR is the
 * size minus (Sn_TX_WR - Sn_TX_RD), Sn_TX_RD moving when a SEND's data is
 * out (for TCP: handed to the peer, which is when it is acknowledged).
 *
 * Commands (ds 4.2 Sn_CR): the register reads 0 once the command is
 * accepted, which is at once; the result shows in Sn_SR and Sn_IR later.
 * Sn_IR (ds 4.2): a bit is set only when its Sn_IMR bit is 1; writing 1
 * clears it.
 */
#include <string.h>

#include "w5500.h"

enum {
    SREG_MR = 0x00, SREG_CR = 0x01, SREG_IR = 0x02, SREG_SR = 0x03, SREG_PORT = 0x04, SREG_DHAR = 0x06,
    SREG_DIPR = 0x0C, SREG_DPORT = 0x10, SREG_MSSR = 0x12, SREG_TOS = 0x15, SREG_TTL = 0x16,
    SREG_RXBUF_SIZE = 0x1E, SREG_TXBUF_SIZE = 0x1F, SREG_TX_FSR = 0x20, SREG_TX_RD = 0x22, SREG_TX_WR = 0x24,
    SREG_RX_RSR = 0x26, SREG_RX_RD = 0x28, SREG_RX_WR = 0x2A, SREG_IMR = 0x2C, SREG_FRAG = 0x2D,
    SREG_KPALVTR = 0x2F,
};

#define TIMEOUT_ARG 0u
#define LAST_ACK_ARG 1u
#define BYTE_PS (80ull * SIM_PS_PER_NS)   /* 100 Mbit/s on the wire */
#define FRAME_PS (2ull * SIM_PS_PER_US)   /* per SEND: headers, interframe gap, the peer's ACK */
/* The gateway's MAC address, as ARP answers it (QEMU's 52:55:0a:00:02:02). */
static const uint8_t gateway_mac[6] = {0x52, 0x55, 0x0A, 0x00, 0x02, 0x02};

static bool valid_size(uint8_t kb) { return kb == 0 || kb == 1 || kb == 2 || kb == 4 || kb == 8 || kb == 16; }

unsigned w5500_buf_base(const struct w5500 *w, unsigned n, bool tx, unsigned *size)
{
    unsigned base = 0;
    for (unsigned k = 0; k <= n; k++) {
        uint8_t kb = tx ? w->sock[k].TXBUF_SIZE : w->sock[k].RXBUF_SIZE;
        unsigned bytes = valid_size(kb) ? kb * 1024u : 0u;
        if (k == n) {
            *size = base + bytes <= W5500_MEM_SIZE ? bytes : 0u;
            return *size ? base : 0u;
        }
        base += bytes;
    }
    *size = 0;
    return 0;
}

uint64_t w5500_arpto_ps(const struct w5500 *w)
{
    /* ds 4.1: ARPTO = (RTR x 0.1 ms) x (RCR + 1) */
    return (uint64_t)w->RTR * 100u * SIM_PS_PER_US * ((uint64_t)w->RCR + 1u);
}

uint64_t w5500_tcpto_ps(const struct w5500 *w)
{
    /* ds 4.1 TCPTO: RCR+1 waits, each RTR x 2^N while that stays within
     * 65535, then the last such value (the example: RTR 2000, RCR 8 gives
     * 2000+4000+8000+16000+32000+4x64000 = 318000 x 0.1 ms = 31.8 s). */
    uint64_t total = 0, step = w->RTR;
    for (unsigned k = 0; k <= w->RCR; k++) {
        total += step;
        if (step * 2u <= 0xFFFFu)
            step *= 2u;
    }
    return total * 100u * SIM_PS_PER_US;
}

void w5500_set_sr(struct w5500 *w, unsigned n, uint8_t sr)
{
    struct w5500_socket *k = &w->sock[n];
    if (k->SR == sr)
        return;
    k->SR = sr;
    if (k->nchanges < W5500_MAX_CHANGES)
        k->changes[k->nchanges++] = (struct w5500_change){sim_now_ps(w->sim), sr};
    else
        k->changes_dropped++;
}

void w5500_raise(struct w5500 *w, unsigned n, uint8_t ir)
{
    w->sock[n].IR |= (uint8_t)(ir & w->sock[n].IMR);
    w5500_update_intn(w);
}

void w5500_socket_reset(struct w5500 *w, unsigned n)
{
    struct w5500_socket *k = &w->sock[n];
    w5500_net_close(w, n);
    sim_event_cancel(w->sim, &k->ev_timeout);
    sim_event_cancel(w->sim, &k->ev_sendok);
    w5500_set_sr(w, n, W5500_SOCK_CLOSED);
    k->MR = k->IR = k->TOS = k->KPALVTR = 0;
    k->TTL = 0x80;
    k->RXBUF_SIZE = k->TXBUF_SIZE = 2;
    k->IMR = 0xFF;
    k->PORT = k->DPORT = k->MSSR = 0;
    k->FRAG = 0x4000;
    memset(k->DHAR, 0xFF, sizeof k->DHAR);
    memset(k->DIPR, 0, sizeof k->DIPR);
    k->TX_RD = k->TX_WR = k->RX_RD = k->RX_WR = k->rx_rd = 0;
    k->send_busy = false;
    k->arp_done = false;
}

uint16_t w5500_rx_free(const struct w5500 *w, unsigned n)
{
    unsigned size;
    w5500_buf_base(w, n, false, &size);
    uint16_t used = (uint16_t)(w->sock[n].RX_WR - w->sock[n].rx_rd);
    return used >= size ? 0 : (uint16_t)(size - used);
}

static void ring_copy(uint8_t *mem, unsigned base, unsigned size, uint16_t at, const uint8_t *src, uint8_t *dst,
                      size_t len)
{
    for (size_t i = 0; i < len; i++) {
        uint8_t *p = &mem[base + ((unsigned)(uint16_t)(at + i) & (size - 1u))];
        if (src)
            *p = src[i];
        else
            dst[i] = *p;
    }
}

bool w5500_rx_put(struct w5500 *w, unsigned n, const uint8_t *data, size_t len)
{
    struct w5500_socket *k = &w->sock[n];
    unsigned size;
    unsigned base = w5500_buf_base(w, n, false, &size);
    if (!len || len > w5500_rx_free(w, n))
        return false;
    ring_copy(w->rx_mem, base, size, k->RX_WR, data, NULL, len);
    k->RX_WR = (uint16_t)(k->RX_WR + len);
    k->bytes_rx += len;
    w5500_raise(w, n, W5500_IR_RECV);
    return true;
}

bool w5500_rx_put_udp(struct w5500 *w, unsigned n, uint32_t ip, uint16_t port, const uint8_t *data, size_t len)
{
    /* ds 5.2.2.1 "UDP ... Receiving": each datagram is preceded by an
     * 8-byte header, the peer's IP address, port and the data length. */
    if (len > 0xFFFFu || 8u + len > w5500_rx_free(w, n)) {
        w->sock[n].rx_dropped++;
        return false;
    }
    uint8_t header[8] = {(uint8_t)(ip >> 24), (uint8_t)(ip >> 16), (uint8_t)(ip >> 8), (uint8_t)ip,
                         (uint8_t)(port >> 8), (uint8_t)port, (uint8_t)(len >> 8), (uint8_t)len};
    struct w5500_socket *k = &w->sock[n];
    unsigned size;
    unsigned base = w5500_buf_base(w, n, false, &size);
    ring_copy(w->rx_mem, base, size, k->RX_WR, header, NULL, sizeof header);
    ring_copy(w->rx_mem, base, size, (uint16_t)(k->RX_WR + 8u), data, NULL, len);
    k->RX_WR = (uint16_t)(k->RX_WR + 8u + len);
    k->bytes_rx += len;
    w5500_raise(w, n, W5500_IR_RECV);
    return true;
}

static void close_socket(struct w5500 *w, unsigned n)
{
    struct w5500_socket *k = &w->sock[n];
    w5500_net_close(w, n);
    sim_event_cancel(w->sim, &k->ev_timeout);
    sim_event_cancel(w->sim, &k->ev_sendok);
    k->send_busy = false;
    w5500_set_sr(w, n, W5500_SOCK_CLOSED);
}

static void timeout_event(sim_t *s, void *dev, uint32_t arg)
{
    (void)s;
    struct w5500 *w = dev;
    unsigned n = arg >> 1;
    struct w5500_socket *k = &w->sock[n];
    if ((arg & 1u) == LAST_ACK_ARG) { /* the peer acknowledged our FIN of a passive close */
        close_socket(w, n);
        return;
    }
    k->timeouts++;
    if (k->SR == W5500_SOCK_UDP) {
        /* ds 4.2 Sn_IR TIMEOUT: ARPTO on a UDP SEND; the socket stays open. */
        k->TX_RD = k->send_end;
        k->send_busy = false;
    } else {
        close_socket(w, n); /* ds 4.2 Sn_SR: CLOSED after ARPTO or TCPTO */
    }
    w5500_raise(w, n, W5500_IR_TIMEOUT);
}

static void arm_timeout(struct w5500 *w, unsigned n, uint64_t after_ps, uint32_t kind)
{
    sim_event_at(w->sim, &w->sock[n].ev_timeout, sim_now_ps(w->sim) + after_ps, timeout_event, w, n << 1 | kind);
}

static void sendok_event(sim_t *s, void *dev, uint32_t n)
{
    (void)s;
    struct w5500 *w = dev;
    struct w5500_socket *k = &w->sock[n];
    k->TX_RD = k->send_end;
    k->send_busy = false;
    w5500_raise(w, n, W5500_IR_SENDOK);
}

void w5500_send_done(struct w5500 *w, unsigned n, size_t len)
{
    struct w5500_socket *k = &w->sock[n];
    if (k->SR != W5500_SOCK_UDP)
        sim_event_cancel(w->sim, &k->ev_timeout);
    sim_event_at(w->sim, &k->ev_sendok, sim_now_ps(w->sim) + FRAME_PS + len * BYTE_PS, sendok_event, w, n);
}

/* ARP answered for the destination: Sn_DHAR holds its MAC (the gateway's, as everything is behind it). */
static void arp_resolved(struct w5500 *w, unsigned n)
{
    memcpy(w->sock[n].DHAR, gateway_mac, sizeof gateway_mac);
}

static void cmd_connect(struct w5500 *w, unsigned n)
{
    struct w5500_socket *k = &w->sock[n];
    if (k->SR != W5500_SOCK_INIT) {
        sim_warn(w->sim, "W5500: CONNECT on socket %u in state 0x%02x, not SOCK_INIT (ds 4.2 Sn_CR)", n, k->SR);
        return;
    }
    uint32_t ip = w5500_ip(k->DIPR), host_ip = 0;
    uint16_t host_port = 0;
    enum w5500_route_kind route = w5500_route(w, ip, k->DPORT, false, &host_ip, &host_port);
    w5500_set_sr(w, n, W5500_SOCK_SYNSENT);
    k->TX_RD = k->TX_WR = 0; /* ds 4.2 Sn_TX_RD: re-initialised while connecting */
    k->RX_RD = k->RX_WR = k->rx_rd = 0;
    if (route == W5500_ROUTE_NO_ARP) {
        arm_timeout(w, n, w5500_arpto_ps(w), TIMEOUT_ARG);
        return;
    }
    arp_resolved(w, n);
    arm_timeout(w, n, w5500_tcpto_ps(w), TIMEOUT_ARG);
    if (route == W5500_ROUTE_HOST)
        (void)w5500_net_connect(w, n, host_ip, host_port); /* a failure leaves the SYN unanswered: TCPTO */
}

static void cmd_send(struct w5500 *w, unsigned n)
{
    struct w5500_socket *k = &w->sock[n];
    bool tcp = k->SR == W5500_SOCK_ESTABLISHED || k->SR == W5500_SOCK_CLOSE_WAIT;
    if (!tcp && k->SR != W5500_SOCK_UDP) {
        sim_warn(w->sim, "W5500: SEND on socket %u in state 0x%02x (ds 4.2 Sn_CR)", n, k->SR);
        return;
    }
    if (k->send_busy)
        sim_warn(w->sim, "W5500: SEND on socket %u before the previous one ended (ds 5.2.1.1)", n);
    unsigned size;
    unsigned base = w5500_buf_base(w, n, true, &size);
    uint16_t len = (uint16_t)(k->TX_WR - k->TX_RD);
    if (len > size) {
        sim_warn(w->sim, "W5500: socket %u SEND of %u bytes, more than its %u-byte TX buffer (ds 4.2 Sn_TX_FSR)", n,
                 len, size);
        len = (uint16_t)size;
    }
    uint8_t data[W5500_MEM_SIZE];
    ring_copy(w->tx_mem, base, size ? size : 1u, k->TX_RD, NULL, data, size ? len : 0);
    k->send_end = (uint16_t)(k->TX_RD + len);
    k->send_busy = true;
    k->bytes_tx += len;
    if (tcp) {
        /* Data unacknowledged within TCPTO (the link is down, the peer
         * reads nothing) ends the connection. */
        arm_timeout(w, n, w5500_tcpto_ps(w), TIMEOUT_ARG);
        w5500_net_send(w, n, data, len, 0, 0);
        return;
    }
    uint32_t ip = w5500_ip(k->DIPR), host_ip = 0;
    uint16_t host_port = 0;
    enum w5500_route_kind route = w5500_route(w, ip, k->DPORT, true, &host_ip, &host_port);
    bool broadcast = ip == 0xFFFFFFFFu;
    if (route == W5500_ROUTE_NO_ARP && !broadcast && !(k->arp_done && k->arp_ip == ip)) {
        k->arp_done = false;
        arm_timeout(w, n, w5500_arpto_ps(w), TIMEOUT_ARG);
        return;
    }
    if (!broadcast) {
        k->arp_done = true;
        k->arp_ip = ip;
        arp_resolved(w, n);
    }
    if (route == W5500_ROUTE_DHCP)
        w5500_dhcp_request(w, n, data, len);
    if (route == W5500_ROUTE_HOST)
        w5500_net_send(w, n, data, len, host_ip, host_port);
    else
        w5500_send_done(w, n, len);
}

static void cmd_discon(struct w5500 *w, unsigned n)
{
    struct w5500_socket *k = &w->sock[n];
    if (k->SR == W5500_SOCK_ESTABLISHED) { /* active close: our FIN, then the peer's */
        w5500_set_sr(w, n, W5500_SOCK_FIN_WAIT);
        w5500_net_shutdown(w, n);
        arm_timeout(w, n, w5500_tcpto_ps(w), TIMEOUT_ARG);
    } else if (k->SR == W5500_SOCK_CLOSE_WAIT) { /* passive close: our FIN answers the peer's */
        w5500_set_sr(w, n, W5500_SOCK_LAST_ACK);
        w5500_net_shutdown(w, n);
        arm_timeout(w, n, FRAME_PS, LAST_ACK_ARG);
    } else if (k->SR == W5500_SOCK_SYNSENT || k->SR == W5500_SOCK_INIT || k->SR == W5500_SOCK_LISTEN) {
        close_socket(w, n);
    } else {
        sim_warn(w->sim, "W5500: DISCON on socket %u in state 0x%02x (ds 4.2 Sn_CR)", n, k->SR);
    }
}

static void cmd_open(struct w5500 *w, unsigned n)
{
    struct w5500_socket *k = &w->sock[n];
    if (k->SR != W5500_SOCK_CLOSED) {
        sim_warn(w->sim, "W5500: OPEN on socket %u in state 0x%02x, not SOCK_CLOSED (ds 4.2 Sn_CR)", n, k->SR);
        close_socket(w, n);
    }
    /* ds 4.2 Sn_TX_RD/TX_WR/RX_RD/RX_WR: initialised by OPEN */
    k->TX_RD = k->TX_WR = k->RX_RD = k->RX_WR = k->rx_rd = 0;
    k->arp_done = false;
    k->peer_eof = k->shut_wr = false;
    switch (k->MR & W5500_Sn_MR_P_MASK) {
    case W5500_Sn_MR_TCP: w5500_set_sr(w, n, W5500_SOCK_INIT); break;
    case W5500_Sn_MR_UDP: w5500_set_sr(w, n, W5500_SOCK_UDP); break;
    case W5500_Sn_MR_MACRAW:
        if (n == 0) {
            sim_warn(w->sim, "W5500: MACRAW opens, but the simulated network carries no raw frames");
            w5500_set_sr(w, n, W5500_SOCK_MACRAW);
        }
        break;
    default: break; /* Sn_MR closed or reserved: the socket stays closed */
    }
}

static void command(struct w5500 *w, unsigned n, uint8_t cr)
{
    struct w5500_socket *k = &w->sock[n];
    switch (cr) {
    case W5500_CR_OPEN: cmd_open(w, n); break;
    case W5500_CR_LISTEN:
        /* Nothing on the simulated network connects in (the bridge is
         * outbound only): a listening socket waits. */
        if (k->SR == W5500_SOCK_INIT)
            w5500_set_sr(w, n, W5500_SOCK_LISTEN);
        break;
    case W5500_CR_CONNECT: cmd_connect(w, n); break;
    case W5500_CR_DISCON: cmd_discon(w, n); break;
    case W5500_CR_CLOSE: close_socket(w, n); break;
    case W5500_CR_SEND:
    case W5500_CR_SEND_MAC: cmd_send(w, n); break;
    case W5500_CR_SEND_KEEP: break; /* the bridged peer is alive while its host socket is */
    case W5500_CR_RECV:
        /* ds 4.2 Sn_RX_RD: RECV tells the chip the new read pointer; data
         * still in the buffer raises RECV again. */
        k->rx_rd = k->RX_RD;
        if (k->RX_WR != k->rx_rd)
            w5500_raise(w, n, W5500_IR_RECV);
        w5500_net_kick(w);
        break;
    default: sim_warn(w->sim, "W5500: Sn_CR value 0x%02x is no command (ds 4.2)", cr); break;
    }
}

static uint8_t be16(uint16_t v, unsigned at) { return (uint8_t)(at ? v : v >> 8); }

static void set_be16(uint16_t *reg, unsigned at, uint8_t v)
{
    *reg = at ? (uint16_t)((*reg & 0xFF00u) | v) : (uint16_t)((*reg & 0x00FFu) | v << 8);
}

uint8_t w5500_socket_read(struct w5500 *w, unsigned n, uint16_t a)
{
    const struct w5500_socket *k = &w->sock[n];
    if (a >= SREG_DHAR && a < SREG_DHAR + 6)
        return k->DHAR[a - SREG_DHAR];
    if (a >= SREG_DIPR && a < SREG_DIPR + 4)
        return k->DIPR[a - SREG_DIPR];
    switch (a) {
    case SREG_MR: return k->MR;
    case SREG_CR: return 0x00; /* accepted at once */
    case SREG_IR: return k->IR;
    case SREG_SR: return k->SR;
    case SREG_PORT: case SREG_PORT + 1: return be16(k->PORT, a - SREG_PORT);
    case SREG_DPORT: case SREG_DPORT + 1: return be16(k->DPORT, a - SREG_DPORT);
    case SREG_MSSR: case SREG_MSSR + 1: return be16(k->MSSR, a - SREG_MSSR);
    case SREG_TOS: return k->TOS;
    case SREG_TTL: return k->TTL;
    case SREG_RXBUF_SIZE: return k->RXBUF_SIZE;
    case SREG_TXBUF_SIZE: return k->TXBUF_SIZE;
    case SREG_TX_FSR: case SREG_TX_FSR + 1: {
        unsigned size;
        w5500_buf_base(w, n, true, &size);
        uint16_t used = (uint16_t)(k->TX_WR - k->TX_RD);
        return be16(used >= size ? 0 : (uint16_t)(size - used), a - SREG_TX_FSR);
    }
    case SREG_TX_RD: case SREG_TX_RD + 1: return be16(k->TX_RD, a - SREG_TX_RD);
    case SREG_TX_WR: case SREG_TX_WR + 1: return be16(k->TX_WR, a - SREG_TX_WR);
    case SREG_RX_RSR: case SREG_RX_RSR + 1: return be16((uint16_t)(k->RX_WR - k->rx_rd), a - SREG_RX_RSR);
    case SREG_RX_RD: case SREG_RX_RD + 1: return be16(k->RX_RD, a - SREG_RX_RD);
    case SREG_RX_WR: case SREG_RX_WR + 1: return be16(k->RX_WR, a - SREG_RX_WR);
    case SREG_IMR: return k->IMR;
    case SREG_FRAG: case SREG_FRAG + 1: return be16(k->FRAG, a - SREG_FRAG);
    case SREG_KPALVTR: return k->KPALVTR;
    default: return 0x00; /* reserved */
    }
}

void w5500_socket_write(struct w5500 *w, unsigned n, uint16_t a, uint8_t v)
{
    struct w5500_socket *k = &w->sock[n];
    if (a >= SREG_DHAR && a < SREG_DHAR + 6) {
        k->DHAR[a - SREG_DHAR] = v;
        return;
    }
    if (a >= SREG_DIPR && a < SREG_DIPR + 4) {
        k->DIPR[a - SREG_DIPR] = v;
        return;
    }
    switch (a) {
    case SREG_MR: k->MR = v; break;
    case SREG_CR: command(w, n, v); break;
    case SREG_IR: /* ds 4.2 Sn_IR: a 1 clears the bit */
        k->IR &= (uint8_t)~v;
        w5500_update_intn(w);
        break;
    case SREG_PORT: case SREG_PORT + 1: set_be16(&k->PORT, a - SREG_PORT, v); break;
    case SREG_DPORT: case SREG_DPORT + 1: set_be16(&k->DPORT, a - SREG_DPORT, v); break;
    case SREG_MSSR: case SREG_MSSR + 1: set_be16(&k->MSSR, a - SREG_MSSR, v); break;
    case SREG_TOS: k->TOS = v; break;
    case SREG_TTL: k->TTL = v; break;
    case SREG_RXBUF_SIZE:
    case SREG_TXBUF_SIZE:
        if (!valid_size(v))
            sim_warn(w->sim, "W5500: Sn_%cXBUF_SIZE %u is not 0, 1, 2, 4, 8 or 16 KB (ds 4.2)",
                     a == SREG_TXBUF_SIZE ? 'T' : 'R', v);
        if (a == SREG_TXBUF_SIZE)
            k->TXBUF_SIZE = v;
        else
            k->RXBUF_SIZE = v;
        for (unsigned t = 0; t < 2; t++) {
            unsigned total = 0;
            for (unsigned i = 0; i < W5500_SOCKETS; i++) {
                uint8_t kb = t ? w->sock[i].TXBUF_SIZE : w->sock[i].RXBUF_SIZE;
                total += valid_size(kb) ? kb : 0u;
            }
            if (total > W5500_MEM_SIZE / 1024u)
                sim_warn(w->sim, "W5500: the %s buffer sizes add up to %u KB, more than 16 KB (ds 4.2 Sn_%sXBUF_SIZE)",
                         t ? "TX" : "RX", total, t ? "T" : "R");
        }
        break;
    case SREG_TX_WR: case SREG_TX_WR + 1: set_be16(&k->TX_WR, a - SREG_TX_WR, v); break;
    case SREG_RX_RD: case SREG_RX_RD + 1: set_be16(&k->RX_RD, a - SREG_RX_RD, v); break;
    case SREG_IMR: k->IMR = v; break;
    case SREG_FRAG: case SREG_FRAG + 1: set_be16(&k->FRAG, a - SREG_FRAG, v); break;
    case SREG_KPALVTR: k->KPALVTR = v; break;
    default: break; /* SR, TX_FSR, TX_RD, RX_RSR, RX_WR are read-only; the rest reserved */
    }
}
