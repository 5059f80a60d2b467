/* quartz/net.h on POSIX sockets (posix_net.h). */
#define _GNU_SOURCE /* SOCK_NONBLOCK, MSG_NOSIGNAL */
#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <poll.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "posix_net.h"

static struct posix_net *of(struct net_if *nif) { return (struct posix_net *)(void *)nif; }

static int fd_of(struct posix_net *pn, int sock)
{
    if (sock < 0 || sock >= POSIX_NET_SOCKETS || pn->fd[sock] < 0) {
        return -EBADF;
    }
    return pn->fd[sock];
}

static struct sockaddr_in to_sockaddr(const struct net_endpoint *ep)
{
    struct sockaddr_in sa = { .sin_family = AF_INET, .sin_port = htons(ep->port) };
    memcpy(&sa.sin_addr, ep->addr, 4);
    return sa;
}

/* errno of a failed call as net.h's errors. */
static int net_error(int e)
{
    switch (e) {
    case EAGAIN:
        return -EAGAIN;
    case EPIPE:
    case ECONNRESET:
        return -ECONNRESET;
    case ECONNREFUSED:
    case ETIMEDOUT:
    case ENOTCONN:
    case EMSGSIZE:
    case ENETDOWN:
        return -e;
    case ENETUNREACH:
    case EHOSTUNREACH:
        return -ETIMEDOUT; /* the W5500 reports an unreachable host as a timeout */
    default:
        return -EIO;
    }
}

static int new_socket(struct posix_net *pn, int type)
{
    int sock = 0;
    while (sock < POSIX_NET_SOCKETS && pn->fd[sock] >= 0) {
        sock++;
    }
    if (sock == POSIX_NET_SOCKETS) {
        return -EMFILE;
    }
    int fd = socket(AF_INET, type | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
    if (fd < 0) {
        return -EIO;
    }
    pn->fd[sock] = fd;
    pn->pending[sock] = 0;
    return sock;
}

static int pn_link(struct net_if *nif)
{
    (void)nif;
    return 1;
}

static int pn_get_mac(struct net_if *nif, uint8_t mac[6])
{
    (void)nif;
    const uint8_t local[6] = { 0x02, 0x00, 0x00, 0x00, 0x00, 0x01 }; /* locally administered */
    memcpy(mac, local, 6);
    return 0;
}

static int pn_set_ipv4(struct net_if *nif, const struct net_ipv4 *cfg)
{
    of(nif)->ipv4 = *cfg;
    return 0;
}

static int pn_tcp_connect(struct net_if *nif, const struct net_endpoint *peer)
{
    struct posix_net *pn = of(nif);
    int sock = new_socket(pn, SOCK_STREAM);
    if (sock < 0) {
        return sock;
    }
    pn->connects++;
    struct sockaddr_in sa = to_sockaddr(peer);
    if (connect(pn->fd[sock], (struct sockaddr *)&sa, sizeof sa) < 0 && errno != EINPROGRESS) {
        pn->pending[sock] = net_error(errno); /* reported by net_poll, as the chip would */
    }
    return sock;
}

static int pn_send(struct net_if *nif, int sock, const void *buf, size_t len)
{
    int fd = fd_of(of(nif), sock);
    if (fd < 0) {
        return fd;
    }
    ssize_t n = send(fd, buf, len, MSG_NOSIGNAL | MSG_DONTWAIT);
    return n < 0 ? net_error(errno) : (int)n;
}

static int pn_recv(struct net_if *nif, int sock, void *buf, size_t len)
{
    int fd = fd_of(of(nif), sock);
    if (fd < 0) {
        return fd;
    }
    ssize_t n = recv(fd, buf, len, MSG_DONTWAIT);
    return n < 0 ? net_error(errno) : (int)n;
}

static int pn_udp_open(struct net_if *nif, uint16_t local_port)
{
    struct posix_net *pn = of(nif);
    int sock = new_socket(pn, SOCK_DGRAM);
    if (sock < 0) {
        return sock;
    }
    struct sockaddr_in sa = { .sin_family = AF_INET, .sin_port = htons(local_port) };
    int on = 1;
    (void)setsockopt(pn->fd[sock], SOL_SOCKET, SO_BROADCAST, &on, sizeof on);
    if (bind(pn->fd[sock], (struct sockaddr *)&sa, sizeof sa) < 0) {
        close(pn->fd[sock]);
        pn->fd[sock] = -1;
        return -EIO;
    }
    return sock;
}

static int pn_sendto(struct net_if *nif, int sock, const struct net_endpoint *to, const void *buf,
                     size_t len)
{
    int fd = fd_of(of(nif), sock);
    if (fd < 0) {
        return fd;
    }
    struct sockaddr_in sa = to_sockaddr(to);
    ssize_t n = sendto(fd, buf, len, MSG_DONTWAIT, (struct sockaddr *)&sa, sizeof sa);
    return n < 0 ? net_error(errno) : (int)n;
}

static int pn_recvfrom(struct net_if *nif, int sock, struct net_endpoint *from, void *buf, size_t len)
{
    int fd = fd_of(of(nif), sock);
    if (fd < 0) {
        return fd;
    }
    struct sockaddr_in sa;
    socklen_t salen = sizeof sa;
    ssize_t n = recvfrom(fd, buf, len, MSG_DONTWAIT | MSG_TRUNC, (struct sockaddr *)&sa, &salen);
    if (n < 0) {
        return net_error(errno);
    }
    if (from) {
        memcpy(from->addr, &sa.sin_addr, 4);
        from->port = ntohs(sa.sin_port);
    }
    return (size_t)n < len ? (int)n : (int)len; /* the rest of a longer datagram is dropped */
}

static int pn_poll(struct net_if *nif, int sock, unsigned events, uint32_t timeout_ms)
{
    struct posix_net *pn = of(nif);
    int fd = fd_of(pn, sock);
    if (fd < 0) {
        return fd;
    }
    if (pn->pending[sock]) {
        return pn->pending[sock];
    }
    struct pollfd p = { .fd = fd, .events = (short)((events & NET_POLL_IN ? POLLIN : 0) |
                                                    (events & NET_POLL_OUT ? POLLOUT : 0)) };
    int r = poll(&p, 1, (int)(timeout_ms > 60000 ? 60000 : timeout_ms));
    if (r < 0) {
        return errno == EINTR ? 0 : -EIO;
    }
    if (r == 0) {
        return 0;
    }
    int err = 0;
    socklen_t len = sizeof err;
    if (getsockopt(fd, SOL_SOCKET, SO_ERROR, &err, &len) == 0 && err) {
        pn->pending[sock] = net_error(err);
        return pn->pending[sock];
    }
    unsigned ready = 0;
    if (p.revents & (POLLIN | POLLHUP)) {
        ready |= NET_POLL_IN; /* POLLHUP: recv gives 0 */
    }
    if (p.revents & POLLOUT) {
        ready |= NET_POLL_OUT;
    }
    return (int)(ready & events);
}

static int pn_close(struct net_if *nif, int sock)
{
    struct posix_net *pn = of(nif);
    int fd = fd_of(pn, sock);
    if (fd < 0) {
        return fd;
    }
    close(fd);
    pn->fd[sock] = -1;
    return 0;
}

static const struct net_if_ops posix_ops = {
    .link = pn_link,
    .get_mac = pn_get_mac,
    .set_ipv4 = pn_set_ipv4,
    .tcp_connect = pn_tcp_connect,
    .send = pn_send,
    .recv = pn_recv,
    .udp_open = pn_udp_open,
    .sendto = pn_sendto,
    .recvfrom = pn_recvfrom,
    .poll = pn_poll,
    .close = pn_close,
};

void posix_net_init(struct posix_net *pn)
{
    memset(pn, 0, sizeof *pn);
    pn->nif.ops = &posix_ops;
    for (int i = 0; i < POSIX_NET_SOCKETS; i++) {
        pn->fd[i] = -1;
    }
}

void posix_net_close_all(struct posix_net *pn)
{
    for (int i = 0; i < POSIX_NET_SOCKETS; i++) {
        if (pn->fd[i] >= 0) {
            close(pn->fd[i]);
            pn->fd[i] = -1;
        }
    }
}
