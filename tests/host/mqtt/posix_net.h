/*
 * quartz/net.h on POSIX sockets, for host tests against real peers (a
 * mosquitto broker on loopback). Non-blocking sockets; net_poll waits with
 * poll(2). Host only: never part of a firmware image.
 */
#ifndef POSIX_NET_H
#define POSIX_NET_H

#include "quartz/net.h"

#define POSIX_NET_SOCKETS 8

struct posix_net {
    struct net_if nif;
    int fd[POSIX_NET_SOCKETS];      /* -1: free */
    int pending[POSIX_NET_SOCKETS]; /* an error connect(2) gave at once, for net_poll */
    struct net_ipv4 ipv4;
    unsigned connects;              /* TCP connections started */
};

void posix_net_init(struct posix_net *pn);
/* Close every socket still open. */
void posix_net_close_all(struct posix_net *pn);

#endif
