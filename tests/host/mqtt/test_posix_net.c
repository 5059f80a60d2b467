/*
 * The POSIX-socket net.h (posix_net.c) keeps the contract of
 * include/quartz/net.h on loopback: a refused connection shows in net_poll,
 * an accepted one as NET_POLL_OUT, -EAGAIN when nothing is there, a peer's
 * close as NET_POLL_IN and recv 0, UDP datagrams with their source and the
 * part past `len` dropped. It is the reference the broker test runs on.
 */
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cmocka.h>

#include "posix_net.h"

/* A loopback TCP listener on a free port. */
static int listener(uint16_t *port)
{
    int fd = socket(AF_INET, SOCK_STREAM, 0);
    struct sockaddr_in sa = { .sin_family = AF_INET, .sin_addr.s_addr = htonl(INADDR_LOOPBACK) };
    socklen_t len = sizeof sa;
    assert_true(fd >= 0);
    assert_int_equal(bind(fd, (struct sockaddr *)&sa, sizeof sa), 0);
    assert_int_equal(listen(fd, 1), 0);
    assert_int_equal(getsockname(fd, (struct sockaddr *)&sa, &len), 0);
    *port = ntohs(sa.sin_port);
    return fd;
}

static void test_tcp_refused(void **state)
{
    (void)state;
    uint16_t port;
    int l = listener(&port);
    close(l); /* nobody listens there now */
    struct posix_net pn;
    posix_net_init(&pn);
    struct net_endpoint peer = { { 127, 0, 0, 1 }, port };
    int s = net_tcp_connect(&pn.nif, &peer);
    assert_true(s >= 0);
    assert_int_equal(net_poll(&pn.nif, s, NET_POLL_OUT, 2000), -ECONNREFUSED);
    assert_int_equal(net_poll(&pn.nif, s, NET_POLL_IN, 0), -ECONNREFUSED); /* stays failed */
    assert_int_equal(net_close(&pn.nif, s), 0);
    assert_int_equal(net_close(&pn.nif, s), -EBADF);
}

static void test_tcp_exchange_and_close(void **state)
{
    (void)state;
    uint16_t port;
    int l = listener(&port);
    struct posix_net pn;
    posix_net_init(&pn);
    struct net_endpoint peer = { { 127, 0, 0, 1 }, port };
    int s = net_tcp_connect(&pn.nif, &peer);
    assert_true(s >= 0);
    assert_int_equal(net_poll(&pn.nif, s, NET_POLL_OUT, 2000), NET_POLL_OUT);
    int a = accept(l, NULL, NULL);
    assert_true(a >= 0);
    uint8_t buf[16];
    assert_int_equal(net_recv(&pn.nif, s, buf, sizeof buf), -EAGAIN);
    assert_int_equal(net_poll(&pn.nif, s, NET_POLL_IN, 0), 0);
    assert_int_equal(net_send(&pn.nif, s, "ping", 4), 4);
    assert_int_equal(read(a, buf, sizeof buf), 4);
    assert_memory_equal(buf, "ping", 4);
    assert_int_equal(write(a, "pong", 4), 4);
    close(a); /* orderly close after the data */
    assert_int_equal(net_poll(&pn.nif, s, NET_POLL_IN, 2000), NET_POLL_IN);
    assert_int_equal(net_recv(&pn.nif, s, buf, 2), 2);
    assert_int_equal(net_recv(&pn.nif, s, buf + 2, sizeof buf - 2), 2);
    assert_memory_equal(buf, "pong", 4);
    assert_int_equal(net_recv(&pn.nif, s, buf, sizeof buf), 0);
    assert_int_equal(net_close(&pn.nif, s), 0);
    close(l);
}

static void test_udp(void **state)
{
    (void)state;
    struct posix_net pn;
    posix_net_init(&pn);
    int a = net_udp_open(&pn.nif, 0);
    int b = net_udp_open(&pn.nif, 0);
    assert_true(a >= 0 && b >= 0 && a != b);
    struct sockaddr_in sa;
    socklen_t len = sizeof sa;
    assert_int_equal(getsockname(pn.fd[b], (struct sockaddr *)&sa, &len), 0);
    struct net_endpoint to = { { 127, 0, 0, 1 }, ntohs(sa.sin_port) };
    uint8_t buf[8];
    struct net_endpoint from;
    assert_int_equal(net_recvfrom(&pn.nif, b, &from, buf, sizeof buf), -EAGAIN);
    assert_int_equal(net_sendto(&pn.nif, a, &to, "datagram-one", 12), 12);
    assert_int_equal(net_poll(&pn.nif, b, NET_POLL_IN, 2000), NET_POLL_IN);
    assert_int_equal(net_recvfrom(&pn.nif, b, &from, buf, 4), 4); /* the rest is dropped */
    assert_memory_equal(buf, "data", 4);
    assert_memory_equal(from.addr, ((const uint8_t[]){ 127, 0, 0, 1 }), 4);
    assert_int_equal(net_recvfrom(&pn.nif, b, &from, buf, sizeof buf), -EAGAIN);
    assert_int_equal(net_close(&pn.nif, a), 0);
    assert_int_equal(net_close(&pn.nif, b), 0);
}

static void test_sockets_run_out(void **state)
{
    (void)state;
    struct posix_net pn;
    posix_net_init(&pn);
    for (int i = 0; i < POSIX_NET_SOCKETS; i++) {
        assert_int_equal(net_udp_open(&pn.nif, 0), i);
    }
    assert_int_equal(net_udp_open(&pn.nif, 0), -EMFILE);
    posix_net_close_all(&pn);
    assert_int_equal(net_udp_open(&pn.nif, 0), 0);
    posix_net_close_all(&pn);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_tcp_refused),
        cmocka_unit_test(test_tcp_exchange_and_close),
        cmocka_unit_test(test_udp),
        cmocka_unit_test(test_sockets_run_out),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
