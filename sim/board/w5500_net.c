/*
 * W5500 model, part 3: the simulated network and the host bridge.
 *
 * The board sits on 10.0.2.0/24 behind the gateway 10.0.2.2, which is the
 * host (QEMU's user-mode convention). A destination is, in this order:
 * the DHCP server (UDP port 67, broadcast or 10.0.2.2); a --net-forward
 * or --net-allow rule; 10.0.2.2:PORT, which is 127.0.0.1:PORT on the host;
 * otherwise nothing answers. Which hop has to answer ARP follows the
 * firmware's own SIPR/SUBR/GAR: an address on its subnet must itself
 * exist (10.0.2.2, or a rule's address), anything else goes to GAR. No ARP
 * answer gives ARPTO; a SYN nobody answers gives TCPTO (ds 4.1 RTR/RCR).
 *
 * TCP sockets map to non-blocking host TCP sockets, UDP sockets to host
 * UDP sockets; a refused host connect is the chip's RST (Sn_SR to CLOSED).
 * The host sockets are polled by one event, every millisecond of virtual
 * time while any is open, and at once after a command that concerns them.
 *
 * Virtual and real time (docs/simulator.md, "Network and real time"): from
 * a CONNECT or SEND to the host until the host answers, the socket
 * "awaits". While one does, the poll blocks in real time (the virtual
 * clock stands still) until an answer comes, for at most
 * cfg.wait_bound_ns of real time per await; after that bound virtual time
 * runs on and the firmware's own timeouts decide.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <poll.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include "w5500.h"

#define POLL_IDLE_PS (1ull * SIM_PS_PER_MS)
#define POLL_BUSY_PS (100ull * SIM_PS_PER_US)
#define LOOPBACK 0x7F000001u

static uint64_t real_ns(void)
{
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (uint64_t)t.tv_sec * 1000000000ull + (uint64_t)t.tv_nsec;
}

static const struct w5500_rule *rule_for(const struct w5500 *w, uint32_t ip, uint16_t port)
{
    for (size_t i = 0; i < w->cfg.nrules; i++) {
        const struct w5500_rule *r = &w->cfg.rules[i];
        if (r->sim_ip == ip && (r->sim_port == 0 || r->sim_port == port))
            return r;
    }
    return NULL;
}

static bool host_exists(const struct w5500 *w, uint32_t ip)
{
    if (ip == W5500_NET_GATEWAY)
        return true;
    for (size_t i = 0; i < w->cfg.nrules; i++)
        if (w->cfg.rules[i].sim_ip == ip)
            return true;
    return false;
}

enum w5500_route_kind w5500_route(const struct w5500 *w, uint32_t ip, uint16_t port, bool udp, uint32_t *host_ip,
                                  uint16_t *host_port)
{
    if (!w->link_up)
        return W5500_ROUTE_NO_ARP;
    if (ip == 0xFFFFFFFFu)
        return udp && port == 67 ? W5500_ROUTE_DHCP : W5500_ROUTE_NO_ANSWER;
    uint32_t self = w5500_ip(w->SIPR), mask = w5500_ip(w->SUBR);
    uint32_t hop = ((ip ^ self) & mask) == 0 ? ip : w5500_ip(w->GAR);
    if (!host_exists(w, hop))
        return W5500_ROUTE_NO_ARP;
    if (udp && port == 67 && ip == W5500_NET_GATEWAY)
        return W5500_ROUTE_DHCP; /* a renewal, unicast to the server (RFC 2131 4.3.2) */
    const struct w5500_rule *r = rule_for(w, ip, port);
    if (r) {
        *host_ip = r->host_ip;
        *host_port = r->host_port ? r->host_port : port;
        return W5500_ROUTE_HOST;
    }
    if (ip == W5500_NET_GATEWAY) {
        *host_ip = LOOPBACK;
        *host_port = port;
        return W5500_ROUTE_HOST;
    }
    return W5500_ROUTE_NO_ANSWER;
}

/* A host address seen as the board sees it: the reverse of the rules, and 127.0.0.1 as 10.0.2.2. */
static void sim_address(const struct w5500 *w, uint32_t host_ip, uint16_t host_port, uint32_t *ip, uint16_t *port)
{
    for (size_t i = 0; i < w->cfg.nrules; i++) {
        const struct w5500_rule *r = &w->cfg.rules[i];
        if (r->host_ip == host_ip && (r->host_port == 0 || r->host_port == host_port)) {
            *ip = r->sim_ip;
            *port = r->sim_port ? r->sim_port : host_port;
            return;
        }
    }
    *ip = host_ip == LOOPBACK ? W5500_NET_GATEWAY : host_ip;
    *port = host_port;
}

static struct sockaddr_in sockaddr(uint32_t ip, uint16_t port)
{
    struct sockaddr_in a;
    memset(&a, 0, sizeof a);
    a.sin_family = AF_INET;
    a.sin_addr.s_addr = htonl(ip);
    a.sin_port = htons(port);
    return a;
}

static void await_start(struct w5500_socket *k)
{
    if (!k->awaiting) {
        k->awaiting = true;
        k->await_real_ns = real_ns();
    }
}

void w5500_net_kick(struct w5500 *w);

int w5500_net_connect(struct w5500 *w, unsigned n, uint32_t host_ip, uint16_t host_port)
{
    struct w5500_socket *k = &w->sock[n];
    w5500_net_close(w, n);
    int fd = socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
    if (fd < 0)
        return -errno;
    struct sockaddr_in a = sockaddr(host_ip, host_port);
    if (connect(fd, (struct sockaddr *)&a, sizeof a) != 0 && errno != EINPROGRESS) {
        int rc = -errno;
        close(fd);
        return rc;
    }
    k->fd = fd;
    k->connecting = true;
    await_start(k);
    w5500_net_kick(w);
    return 0;
}

static void flush(struct w5500 *w, unsigned n)
{
    struct w5500_socket *k = &w->sock[n];
    if (k->fd < 0 || !w->link_up)
        return;
    if (k->out_len) {
        ssize_t sent = send(k->fd, k->out, k->out_len, MSG_NOSIGNAL);
        if (sent > 0) {
            memmove(k->out, k->out + sent, k->out_len - (size_t)sent);
            k->out_len -= (size_t)sent;
            if (!k->out_len)
                w5500_send_done(w, n, (size_t)sent);
        }
    }
    if (!k->out_len && k->shut_wr)
        shutdown(k->fd, SHUT_WR);
}

void w5500_net_send(struct w5500 *w, unsigned n, const uint8_t *data, size_t len, uint32_t host_ip,
                    uint16_t host_port)
{
    struct w5500_socket *k = &w->sock[n];
    if (k->SR == W5500_SOCK_UDP) {
        if (k->fd < 0)
            k->fd = socket(AF_INET, SOCK_DGRAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
        struct sockaddr_in a = sockaddr(host_ip, host_port);
        if (k->fd >= 0)
            (void)sendto(k->fd, data, len, MSG_NOSIGNAL, (struct sockaddr *)&a, sizeof a); /* a lost datagram is UDP */
        w5500_send_done(w, n, len);
        await_start(k);
        w5500_net_kick(w);
        return;
    }
    if (k->fd < 0 || !len) {
        w5500_send_done(w, n, len);
        return;
    }
    uint8_t *grown = realloc(k->out, k->out_len + len);
    if (!grown)
        return; /* never acknowledged: TCPTO */
    k->out = grown;
    memcpy(k->out + k->out_len, data, len);
    k->out_len += len;
    await_start(k);
    flush(w, n);
    w5500_net_kick(w);
}

void w5500_net_shutdown(struct w5500 *w, unsigned n)
{
    w->sock[n].shut_wr = true;
    flush(w, n);
    w5500_net_kick(w);
}

void w5500_net_close(struct w5500 *w, unsigned n)
{
    struct w5500_socket *k = &w->sock[n];
    if (k->fd >= 0)
        close(k->fd);
    k->fd = -1;
    free(k->out);
    k->out = NULL;
    k->out_len = 0;
    k->connecting = k->awaiting = k->peer_eof = k->shut_wr = false;
}

static bool tcp_state(uint8_t sr) { return sr == W5500_SOCK_ESTABLISHED || sr == W5500_SOCK_FIN_WAIT; }

/* The socket can take what the host has for it. */
static bool wants_rx(const struct w5500 *w, unsigned n)
{
    const struct w5500_socket *k = &w->sock[n];
    if (k->fd < 0 || k->connecting || !w->link_up)
        return false;
    if (k->SR == W5500_SOCK_UDP)
        return w5500_rx_free(w, n) > 8u;
    return tcp_state(k->SR) && !k->peer_eof && w5500_rx_free(w, n) > 0;
}

/* The peer reset the connection, or refused it (ds 4.2 Sn_CR CONNECT, DISCON: a RST closes). */
static void reset_by_peer(struct w5500 *w, unsigned n)
{
    w5500_net_close(w, n);
    sim_event_cancel(w->sim, &w->sock[n].ev_timeout);
    sim_event_cancel(w->sim, &w->sock[n].ev_sendok);
    w->sock[n].send_busy = false;
    w5500_set_sr(w, n, W5500_SOCK_CLOSED);
}

static void connect_done(struct w5500 *w, unsigned n)
{
    struct w5500_socket *k = &w->sock[n];
    int err = 0;
    socklen_t len = sizeof err;
    if (getsockopt(k->fd, SOL_SOCKET, SO_ERROR, &err, &len) != 0)
        err = errno;
    if (err == EINPROGRESS || err == EALREADY)
        return;
    k->connecting = false;
    k->awaiting = false;
    if (err == 0) {
        sim_event_cancel(w->sim, &k->ev_timeout);
        w5500_set_sr(w, n, W5500_SOCK_ESTABLISHED);
        w5500_raise(w, n, W5500_IR_CON);
    } else if (err == ECONNREFUSED) {
        reset_by_peer(w, n);
    } else {
        w5500_net_close(w, n); /* unreachable from the host: the SYN stays unanswered, TCPTO */
    }
}

static void tcp_receive(struct w5500 *w, unsigned n)
{
    struct w5500_socket *k = &w->sock[n];
    uint8_t buf[W5500_MEM_SIZE];
    ssize_t got = recv(k->fd, buf, w5500_rx_free(w, n), 0);
    if (got > 0) {
        k->awaiting = false;
        w5500_rx_put(w, n, buf, (size_t)got);
        return;
    }
    if (got < 0 && (errno == EAGAIN || errno == EWOULDBLOCK || errno == EINTR))
        return;
    if (got < 0) {
        reset_by_peer(w, n);
        return;
    }
    /* The peer's FIN (ds 4.2 Sn_IR DISCON, Sn_SR CLOSE_WAIT). */
    k->peer_eof = true;
    k->awaiting = false;
    if (k->SR == W5500_SOCK_ESTABLISHED) {
        w5500_set_sr(w, n, W5500_SOCK_CLOSE_WAIT);
    } else if (k->SR == W5500_SOCK_FIN_WAIT) {
        w5500_net_close(w, n);
        sim_event_cancel(w->sim, &k->ev_timeout);
        w5500_set_sr(w, n, W5500_SOCK_CLOSED);
    }
    w5500_raise(w, n, W5500_IR_DISCON);
}

static void udp_receive(struct w5500 *w, unsigned n)
{
    struct w5500_socket *k = &w->sock[n];
    uint8_t buf[W5500_MEM_SIZE];
    struct sockaddr_in from;
    socklen_t flen = sizeof from;
    ssize_t got = recvfrom(k->fd, buf, sizeof buf, 0, (struct sockaddr *)&from, &flen);
    if (got < 0)
        return;
    uint32_t ip;
    uint16_t port;
    sim_address(w, ntohl(from.sin_addr.s_addr), ntohs(from.sin_port), &ip, &port);
    k->awaiting = false;
    w5500_rx_put_udp(w, n, ip, port, buf, (size_t)got);
}

static bool any_open(const struct w5500 *w)
{
    for (unsigned n = 0; n < W5500_SOCKETS; n++)
        if (w->sock[n].fd >= 0)
            return true;
    return false;
}

/* The earliest real time an await ends, 0 when none is on. Awaits past their bound end. */
static uint64_t await_deadline(struct w5500 *w, uint64_t now)
{
    uint64_t deadline = 0;
    for (unsigned n = 0; n < W5500_SOCKETS; n++) {
        struct w5500_socket *k = &w->sock[n];
        if (!k->awaiting)
            continue;
        if (k->fd < 0 || !(k->connecting || wants_rx(w, n))) {
            k->awaiting = false; /* nothing can come, or the firmware has data to read first */
            continue;
        }
        uint64_t end = k->await_real_ns + w->cfg.wait_bound_ns;
        if (now >= end) {
            k->awaiting = false;
            w->wait_bound_hits++;
            continue;
        }
        if (!deadline || end < deadline)
            deadline = end;
    }
    return deadline;
}

static void poll_event(sim_t *s, void *dev, uint32_t arg)
{
    (void)arg;
    struct w5500 *w = dev;
    for (;;) {
        struct pollfd fds[W5500_SOCKETS];
        unsigned which[W5500_SOCKETS], nfds = 0;
        for (unsigned n = 0; n < W5500_SOCKETS; n++) {
            struct w5500_socket *k = &w->sock[n];
            if (k->fd < 0)
                continue;
            short ev = 0;
            if (k->connecting)
                ev |= POLLOUT;
            if (wants_rx(w, n))
                ev |= POLLIN;
            if (k->out_len && w->link_up)
                ev |= POLLOUT;
            fds[nfds] = (struct pollfd){k->fd, ev, 0};
            which[nfds++] = n;
        }
        uint64_t now = real_ns(), deadline = await_deadline(w, now);
        int timeout_ms = deadline ? (int)((deadline - now + 999999u) / 1000000u) : 0;
        int ready = nfds ? poll(fds, nfds, timeout_ms) : 0;
        for (unsigned i = 0; ready > 0 && i < nfds; i++) {
            unsigned n = which[i];
            struct w5500_socket *k = &w->sock[n];
            short re = fds[i].revents;
            if (!re || k->fd != fds[i].fd)
                continue;
            if (k->connecting) {
                connect_done(w, n);
                continue;
            }
            if (re & (POLLIN | POLLHUP | POLLERR)) {
                if (k->SR == W5500_SOCK_UDP)
                    udp_receive(w, n);
                else if (fds[i].events & POLLIN)
                    tcp_receive(w, n);
            }
            if (k->fd >= 0 && (re & POLLOUT))
                flush(w, n);
        }
        /* Stand still only while an await is on and nothing came. */
        if (ready != 0 || !await_deadline(w, real_ns()))
            break;
    }
    if (any_open(w)) {
        bool busy = false;
        for (unsigned n = 0; n < W5500_SOCKETS; n++)
            busy |= w->sock[n].awaiting || (w->sock[n].out_len && w->link_up);
        sim_event_at(s, &w->ev_poll, sim_now_ps(s) + (busy ? POLL_BUSY_PS : POLL_IDLE_PS), poll_event, w, 0);
    }
}

void w5500_net_kick(struct w5500 *w)
{
    if (!any_open(w))
        return;
    sim_event_at(w->sim, &w->ev_poll, sim_now_ps(w->sim), poll_event, w, 0);
}
