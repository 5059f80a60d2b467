/*
 * The W5500 model's host bridge (sim/board/w5500_net.c) on loopback
 * sockets: 10.0.2.2:PORT is 127.0.0.1:PORT, a refusal is the chip's RST,
 * an answer holds virtual time, a peer that closes first, UDP both ways
 * and the real-time bound. Run by test_w5500.c's main.
 */
#include <arpa/inet.h>
#include <netinet/in.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cmocka.h>

#include "w5500_test.h"

static int listener(uint16_t *port, bool listening)
{
    int fd = socket(AF_INET, SOCK_STREAM, 0);
    struct sockaddr_in a = { .sin_family = AF_INET, .sin_addr.s_addr = htonl(INADDR_LOOPBACK) };
    socklen_t len = sizeof a;
    if (fd < 0 || bind(fd, (struct sockaddr *)&a, sizeof a) || getsockname(fd, (struct sockaddr *)&a, &len) ||
        (listening && listen(fd, 1)))
        return -1;
    *port = ntohs(a.sin_port);
    return fd;
}

static void connect_to(struct w5500 *w, unsigned n, uint16_t port)
{
    open_socket(w, n, W5500_Sn_MR_TCP, 40100);
    wr_ip(w, SREG(n), 0x0C, 10, 0, 2, 2);
    wr16(w, SREG(n), 0x10, port);
    wr8(w, SREG(n), 0x01, W5500_CR_CONNECT);
}

/* 10.0.2.2:PORT is 127.0.0.1:PORT; a port nobody listens on refuses: RST, CLOSED, no TIMEOUT. */
static void host_refuses(void **state)
{
    struct fixture *f = *state;
    struct w5500 *w = &f->w;
    uint16_t port;
    int fd = listener(&port, false);
    assert_true(fd >= 0);
    configure(w);
    connect_to(w, 0, port);
    fake_run_for(f->s, 10 * MS_PS);
    assert_int_equal(rd8(w, SREG(0), 0x03), W5500_SOCK_CLOSED);
    assert_int_equal(rd8(w, SREG(0), 0x02) & W5500_IR_TIMEOUT, 0);
    close(fd);
}

/* docs/simulator.md "Network and real time": a reply the host sends 50 ms
 * (real) after our data arrives while virtual time stands still. */
static void reply_holds_virtual_time(void **state)
{
    struct fixture *f = *state;
    struct w5500 *w = &f->w;
    uint16_t port;
    int fd = listener(&port, true);
    assert_true(fd >= 0);
    configure(w);
    connect_to(w, 0, port);
    fake_run_for(f->s, 1 * SIM_PS_PER_US);
    int peer = accept(fd, NULL, NULL);
    assert_true(peer >= 0);
    fake_run_for(f->s, 200 * SIM_PS_PER_US);
    assert_int_equal(rd8(w, SREG(0), 0x03), W5500_SOCK_ESTABLISHED);
    assert_int_equal(rd8(w, SREG(0), 0x02) & W5500_IR_CON, W5500_IR_CON);
    if (fork() == 0) { /* the slow peer: answers 50 ms after the request */
        char req[8];
        if (recv(peer, req, sizeof req, 0) > 0) {
            usleep(50000);
            (void)send(peer, "pong", 4, 0);
        }
        _exit(0);
    }
    uint8_t ping[4] = { 'p', 'i', 'n', 'g' };
    frame(w, TXBUF(0), 0, true, ping, 4);
    wr16(w, SREG(0), 0x24, 4);
    uint64_t t0 = sim_now_ps(f->s);
    wr8(w, SREG(0), 0x01, W5500_CR_SEND);
    fake_run_until(f->s, t0 + 1 * SIM_PS_PER_US); /* one virtual microsecond */
    assert_int_equal(rd16(w, SREG(0), 0x26), 4);
    uint8_t back[4];
    frame(w, RXBUF(0), 0, false, back, 4);
    assert_memory_equal(back, "pong", 4);
    assert_int_equal(w->wait_bound_hits, 0);
    close(peer);
    close(fd);
}

/* The peer closes first: CLOSE_WAIT + DISCON (ds 4.2 Sn_SR, Sn_IR); our DISCON then LAST_ACK, CLOSED. */
static void peer_closes(void **state)
{
    struct fixture *f = *state;
    struct w5500 *w = &f->w;
    uint16_t port;
    int fd = listener(&port, true);
    assert_true(fd >= 0);
    configure(w);
    connect_to(w, 0, port);
    fake_run_for(f->s, 1 * SIM_PS_PER_US);
    int peer = accept(fd, NULL, NULL);
    assert_true(peer >= 0);
    fake_run_for(f->s, 200 * SIM_PS_PER_US);
    assert_int_equal(rd8(w, SREG(0), 0x03), W5500_SOCK_ESTABLISHED);
    wr8(w, SREG(0), 0x02, 0xFF);
    close(peer);
    usleep(10000);
    fake_run_for(f->s, 2 * MS_PS);
    assert_int_equal(rd8(w, SREG(0), 0x03), W5500_SOCK_CLOSE_WAIT);
    assert_int_equal(rd8(w, SREG(0), 0x02), W5500_IR_DISCON);
    wr8(w, SREG(0), 0x01, W5500_CR_DISCON);
    assert_int_equal(rd8(w, SREG(0), 0x03), W5500_SOCK_LAST_ACK);
    fake_run_for(f->s, 1 * MS_PS);
    assert_int_equal(rd8(w, SREG(0), 0x03), W5500_SOCK_CLOSED);
    close(fd);
}

/* UDP to 10.0.2.2:PORT is 127.0.0.1:PORT; the answer comes back from
 * 10.0.2.2:PORT with the 8-byte header. Nobody answers within the real-time
 * bound here (the test itself is the peer): the await ends at the bound. */
static void udp_bridge(void **state)
{
    struct fixture *f = *state;
    struct w5500 *w = &f->w;
    w->cfg.wait_bound_ns = 50000000ull; /* 50 ms, to keep the test short */
    int peer = socket(AF_INET, SOCK_DGRAM, 0);
    struct sockaddr_in a = { .sin_family = AF_INET, .sin_addr.s_addr = htonl(INADDR_LOOPBACK) };
    socklen_t alen = sizeof a;
    assert_true(peer >= 0);
    assert_int_equal(bind(peer, (struct sockaddr *)&a, sizeof a), 0);
    assert_int_equal(getsockname(peer, (struct sockaddr *)&a, &alen), 0);
    uint16_t port = ntohs(a.sin_port);
    configure(w);
    open_socket(w, 3, W5500_Sn_MR_UDP, 6000);
    wr_ip(w, SREG(3), 0x0C, 10, 0, 2, 2);
    wr16(w, SREG(3), 0x10, port);
    send_udp(w, 3, (const uint8_t *)"hello", 5);
    fake_run_for(f->s, 10 * SIM_PS_PER_US);
    assert_int_equal(w->wait_bound_hits, 1);
    assert_int_equal(rd8(w, SREG(3), 0x02) & W5500_IR_SENDOK, W5500_IR_SENDOK);
    char got[16];
    struct sockaddr_in from;
    socklen_t flen = sizeof from;
    ssize_t n = recvfrom(peer, got, sizeof got, MSG_DONTWAIT, (struct sockaddr *)&from, &flen);
    assert_int_equal(n, 5);
    assert_memory_equal(got, "hello", 5);
    assert_int_equal(sendto(peer, "world!", 6, 0, (struct sockaddr *)&from, flen), 6);
    usleep(10000);
    fake_run_for(f->s, 2 * MS_PS);
    assert_int_equal(rd16(w, SREG(3), 0x26), 8 + 6);
    uint8_t dgram[14];
    frame(w, RXBUF(3), 0, false, dgram, sizeof dgram);
    assert_memory_equal(dgram, ((uint8_t[]){ 10, 0, 2, 2, (uint8_t)(port >> 8), (uint8_t)port, 0, 6 }), 8);
    assert_memory_equal(dgram + 8, "world!", 6);
    close(peer);
}

int w5500_bridge_tests(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(host_refuses, setup, teardown),
        cmocka_unit_test_setup_teardown(reply_holds_virtual_time, setup, teardown),
        cmocka_unit_test_setup_teardown(peer_closes, setup, teardown),
        cmocka_unit_test_setup_teardown(udp_bridge, setup, teardown),
    };
    return cmocka_run_group_tests_name("w5500_bridge", tests, NULL, NULL);
}
