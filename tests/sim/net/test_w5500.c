/*
 * The W5500 model alone, driven through its SPI device callbacks as the
 * SPI bus drives it, on the host-only fake core (tests/sim/periph): the
 * frame modes, reset values, pointer wrap, the command/state machine with
 * the RTR/RCR timeouts, the 16 KB buffer totals, INTn, the DHCP server's
 * replies; then the host bridge's group (test_w5500_bridge.c). Section
 * numbers: W5500 Datasheet v1.0.x.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "w5500_test.h"

/* ds 4.1/4.2 reset values; VERSIONR and RTR are what drivers detect the chip by. */
static void reset_values(void **state)
{
    struct fixture *f = *state;
    assert_int_equal(rd8(&f->w, 0, 0x0039), 0x04);
    assert_int_equal(rd16(&f->w, 0, 0x0019), 0x07D0);
    assert_int_equal(rd8(&f->w, 0, 0x001B), 0x08);
    assert_int_equal(rd8(&f->w, 0, 0x002E), 0xBF); /* 1011_1 + 100M full duplex, link up */
    w5500_set_link(&f->w, false);
    assert_int_equal(rd8(&f->w, 0, 0x002E), 0xB8);
    assert_int_equal(rd16(&f->w, SREG(3), 0x20), 0x0800); /* Sn_TX_FSR: 2 KB */
    assert_int_equal(rd8(&f->w, SREG(3), 0x2C), 0xFF);    /* Sn_IMR */
    assert_int_equal(rd8(&f->w, SREG(3), 0x16), 0x80);    /* Sn_TTL */
    assert_int_equal(rd8(&f->w, SREG(3), 0x06), 0xFF);    /* Sn_DHAR */
    /* MR.RST puts a written register back */
    wr16(&f->w, 0, 0x0019, 0x1234);
    wr8(&f->w, 0, 0x0000, 0x80);
    assert_int_equal(rd16(&f->w, 0, 0x0019), 0x07D0);
    assert_int_equal(rd8(&f->w, 0, 0x0000), 0x00);
}

/* ds 2.2.2: OM = 01/10/11 end the frame after 1/2/4 bytes with SCSn held
 * low, the next byte being a new address; ds 2.2.1: OM = 00 runs on. */
static void frame_modes(void **state)
{
    struct fixture *f = *state;
    struct w5500 *w = &f->w;
    select_chip(w);
    /* a 4-byte write of GAR, then a 2-byte write of RTR, then a 1-byte read of VERSIONR, one selection */
    const uint8_t gar[] = { 0x00, 0x01, 0x04 | 0x03, 10, 0, 2, 2 };
    for (size_t i = 0; i < sizeof gar; i++)
        byte(w, gar[i]);
    const uint8_t rtr[] = { 0x00, 0x19, 0x04 | 0x02, 0x0F, 0xA0 };
    for (size_t i = 0; i < sizeof rtr; i++)
        byte(w, rtr[i]);
    byte(w, 0x00);
    byte(w, 0x39);
    byte(w, 0x01);
    assert_int_equal(byte(w, 0x00), 0x04);
    /* after the 1-byte frame this byte is an address again, not data */
    byte(w, 0x00);
    byte(w, 0x1B);
    byte(w, 0x01);
    assert_int_equal(byte(w, 0x00), 0x08); /* RCR */
    deselect(w);
    assert_int_equal(rd16(w, 0, 0x0019), 0x0FA0);
    uint8_t ip[4];
    frame(w, 0, 0x0001, false, ip, 4);
    assert_int_equal(ip[0], 10);
    assert_int_equal(ip[3], 2);
    /* variable length: one frame reads across registers (SUBR follows GAR) */
    uint8_t run[8];
    frame(w, 0, 0x0001, false, run, sizeof run);
    assert_int_equal(run[3], 2);
    assert_int_equal(run[4], 0);
    /* 16-bit frames carry two bytes, first on the wire first */
    select_chip(w);
    w->bus.ops->exchange(w->bus.dev, 0x0039, 16);
    uint16_t got = w->bus.ops->exchange(w->bus.dev, 0x0100, 16); /* control (read, VDM), then data */
    deselect(w);
    assert_int_equal(got & 0xFF, 0x04);
    /* a reserved block select is warned about */
    rd8(w, 4, 0x0000);
    assert_true(fake_warned(f->s, "reserved"));
}

/* ds 4.2 Sn_TX_WR/Sn_RX_RD: offsets wrap inside the socket's buffer, 16-bit pointers run free. */
static void pointer_wrap(void **state)
{
    struct fixture *f = *state;
    struct w5500 *w = &f->w;
    uint8_t in[4] = { 1, 2, 3, 4 }, out[4];
    frame(w, TXBUF(1), 0xFFFE, true, in, 4); /* 0x7FE, 0x7FF, then 0x000, 0x001 of a 2 KB buffer */
    frame(w, TXBUF(1), 0x0000, false, out, 2);
    assert_int_equal(out[0], 3);
    assert_int_equal(out[1], 4);
    frame(w, TXBUF(1), 0x27FE, false, out, 2); /* any alias of the offset */
    assert_int_equal(out[0], 1);
    assert_int_equal(out[1], 2);
    frame(w, TXBUF(0), 0x0000, false, out, 2); /* socket 0's buffer is elsewhere */
    assert_int_equal(out[0], 0);

    /* RX: 2000 bytes, read (RECV), then 100 more run past the 2 KB end */
    open_socket(w, 2, W5500_Sn_MR_TCP, 5000);
    uint8_t data[2000];
    for (size_t i = 0; i < sizeof data; i++)
        data[i] = (uint8_t)i;
    assert_true(w5500_rx_put(w, 2, data, sizeof data));
    assert_false(w5500_rx_put(w, 2, data, 100)); /* only 48 bytes free */
    assert_int_equal(rd16(w, SREG(2), 0x26), 2000);
    wr16(w, SREG(2), 0x28, 2000);
    wr8(w, SREG(2), 0x01, W5500_CR_RECV);
    assert_int_equal(rd16(w, SREG(2), 0x26), 0);
    assert_true(w5500_rx_put(w, 2, data + 1000, 100));
    assert_int_equal(rd16(w, SREG(2), 0x2A), 2100); /* Sn_RX_WR, free running */
    uint8_t back[100];
    frame(w, RXBUF(2), 2000, false, back, sizeof back);
    assert_memory_equal(back, data + 1000, sizeof back);
    uint8_t wrapped;
    frame(w, RXBUF(2), 0x0000, false, &wrapped, 1); /* byte 48 of the 100 landed at offset 0 */
    assert_int_equal(wrapped, data[1048]);
}

/* ds 4.2 Sn_CR: reads 0 once accepted; the Sn_SR state machine; ds 4.1: ARPTO and TCPTO. */
static void commands_and_timeouts(void **state)
{
    struct fixture *f = *state;
    struct w5500 *w = &f->w;
    configure(w);
    open_socket(w, 0, W5500_Sn_MR_TCP, 40000);
    assert_int_equal(rd8(w, SREG(0), 0x01), 0x00);
    assert_int_equal(rd8(w, SREG(0), 0x03), W5500_SOCK_INIT);
    wr8(w, SREG(0), 0x01, W5500_CR_LISTEN);
    assert_int_equal(rd8(w, SREG(0), 0x03), W5500_SOCK_LISTEN);
    wr8(w, SREG(0), 0x01, W5500_CR_CLOSE);
    assert_int_equal(rd8(w, SREG(0), 0x03), W5500_SOCK_CLOSED);
    open_socket(w, 1, W5500_Sn_MR_UDP, 5000);
    assert_int_equal(rd8(w, SREG(1), 0x03), W5500_SOCK_UDP);

    /* 10.0.2.99 is on the subnet and nobody: ARPTO = 200 ms x (8 + 1) */
    wr8(w, 0, 0x0018, 0x01); /* SIMR: socket 0 asserts INTn */
    open_socket(w, 0, W5500_Sn_MR_TCP, 40001);
    wr_ip(w, SREG(0), 0x0C, 10, 0, 2, 99);
    wr16(w, SREG(0), 0x10, 80);
    uint64_t t0 = sim_now_ps(f->s);
    wr8(w, SREG(0), 0x01, W5500_CR_CONNECT);
    assert_int_equal(rd8(w, SREG(0), 0x03), W5500_SOCK_SYNSENT);
    fake_run_until(f->s, t0 + 1799 * MS_PS);
    assert_int_equal(rd8(w, SREG(0), 0x03), W5500_SOCK_SYNSENT);
    assert_false(f->intn_low);
    fake_run_until(f->s, t0 + 1801 * MS_PS);
    assert_int_equal(rd8(w, SREG(0), 0x03), W5500_SOCK_CLOSED);
    assert_int_equal(rd8(w, SREG(0), 0x02), W5500_IR_TIMEOUT);
    assert_int_equal(rd8(w, 0, 0x0017), 0x01); /* SIR */
    assert_true(f->intn_low);
    wr8(w, SREG(0), 0x02, W5500_IR_TIMEOUT); /* write 1 to clear */
    assert_int_equal(rd8(w, SREG(0), 0x02), 0);
    assert_false(f->intn_low);

    /* 192.0.2.1 is off the subnet: the gateway answers ARP, nobody the SYN: TCPTO 31.8 s */
    assert_int_equal(w5500_tcpto_ps(w), 31800 * MS_PS);
    open_socket(w, 0, W5500_Sn_MR_TCP, 40002);
    wr_ip(w, SREG(0), 0x0C, 192, 0, 2, 1);
    wr16(w, SREG(0), 0x10, 80);
    t0 = sim_now_ps(f->s);
    wr8(w, SREG(0), 0x01, W5500_CR_CONNECT);
    assert_int_equal(rd8(w, SREG(0), 0x06), 0x52); /* Sn_DHAR: the gateway's MAC, from ARP */
    fake_run_until(f->s, t0 + 31790 * MS_PS);
    assert_int_equal(rd8(w, SREG(0), 0x03), W5500_SOCK_SYNSENT);
    fake_run_until(f->s, t0 + 31810 * MS_PS);
    assert_int_equal(rd8(w, SREG(0), 0x03), W5500_SOCK_CLOSED);
    assert_int_equal(rd8(w, SREG(0), 0x02), W5500_IR_TIMEOUT);

    /* Sn_IMR masks a bit out of Sn_IR altogether */
    wr8(w, SREG(0), 0x02, 0xFF);
    wr8(w, SREG(0), 0x2C, 0x00);
    open_socket(w, 0, W5500_Sn_MR_TCP, 40003);
    wr_ip(w, SREG(0), 0x0C, 10, 0, 2, 98);
    wr8(w, SREG(0), 0x01, W5500_CR_CONNECT);
    fake_run_for(f->s, 2000 * MS_PS);
    assert_int_equal(rd8(w, SREG(0), 0x03), W5500_SOCK_CLOSED);
    assert_int_equal(rd8(w, SREG(0), 0x02), 0);
}

/* ds 4.2 Sn_RXBUF_SIZE/Sn_TXBUF_SIZE: sizes from 16 KB in socket order; past 16 KB a socket has none. */
static void buffer_totals(void **state)
{
    struct fixture *f = *state;
    struct w5500 *w = &f->w;
    wr8(w, SREG(0), 0x1F, 8);
    wr8(w, SREG(1), 0x1F, 4);
    assert_int_equal(rd16(w, SREG(0), 0x20), 8192);
    assert_int_equal(rd16(w, SREG(1), 0x20), 4096);
    assert_int_equal(rd16(w, SREG(2), 0x20), 2048);
    assert_int_equal(rd16(w, SREG(3), 0x20), 2048); /* 8 + 4 + 2 + 2 = 16 KB */
    assert_int_equal(rd16(w, SREG(4), 0x20), 0);    /* none left for socket 4 */
    assert_true(fake_warned(f->s, "more than 16 KB"));
    uint8_t v = 0xAA, back = 0;
    frame(w, TXBUF(4), 0, true, &v, 1);
    frame(w, TXBUF(4), 0, false, &back, 1);
    assert_int_equal(back, 0);
    /* the TX buffer of socket 1 starts where socket 0's 8 KB end */
    frame(w, TXBUF(1), 0, true, &v, 1);
    assert_int_equal(w->tx_mem[8192], 0xAA);
    wr8(w, SREG(5), 0x1E, 3);
    assert_true(fake_warned(f->s, "is not 0, 1, 2, 4, 8 or 16 KB"));
}

static size_t dhcp_message(uint8_t *m, uint8_t type, const uint8_t *requested)
{
    memset(m, 0, 300);
    m[0] = 1;
    m[1] = 1;
    m[2] = 6;
    m[4] = 0xCA;
    m[7] = 0xFE; /* xid */
    m[10] = 0x80;
    static const uint8_t mac[6] = { 2, 0, 0, 0, 0, 7 };
    memcpy(&m[28], mac, 6);
    m[236] = 99;
    m[237] = 130;
    m[238] = 83;
    m[239] = 99;
    size_t at = 240;
    m[at++] = 53;
    m[at++] = 1;
    m[at++] = type;
    if (requested) {
        m[at++] = 50;
        m[at++] = 4;
        memcpy(&m[at], requested, 4);
        at += 4;
    }
    m[at++] = 255;
    return 300;
}

/* The datagram in socket n's RX buffer: its header fields and the reply's DHCP type. */
static uint8_t read_reply(struct w5500 *w, unsigned n, uint8_t *msg, uint16_t *len)
{
    uint16_t rd = rd16(w, SREG(n), 0x28);
    uint8_t header[8];
    frame(w, RXBUF(n), rd, false, header, 8);
    assert_memory_equal(header, ((uint8_t[]){ 10, 0, 2, 2, 0, 67 }), 6);
    *len = (uint16_t)(header[6] << 8 | header[7]);
    frame(w, RXBUF(n), (uint16_t)(rd + 8), false, msg, *len);
    wr16(w, SREG(n), 0x28, (uint16_t)(rd + 8 + *len));
    wr8(w, SREG(n), 0x01, W5500_CR_RECV);
    for (size_t at = 240; at + 2 < *len; at += 2u + msg[at + 1])
        if (msg[at] == 53)
            return msg[at + 2];
    return 0;
}


/* RFC 2131 through the chip: DISCOVER to 255.255.255.255:67 gets an OFFER of 10.0.2.15, a REQUEST for
 * it an ACK with router and DNS 10.0.2.2, a REQUEST for another address a NAK. */
static void dhcp_server(void **state)
{
    struct fixture *f = *state;
    struct w5500 *w = &f->w;
    open_socket(w, 0, W5500_Sn_MR_UDP, 68);
    wr_ip(w, SREG(0), 0x0C, 255, 255, 255, 255);
    wr16(w, SREG(0), 0x10, 67);
    uint8_t msg[600];
    uint16_t len;
    send_udp(w, 0, msg, dhcp_message(msg, 1, NULL));
    fake_run_for(f->s, 100 * SIM_PS_PER_US);
    assert_int_equal(rd8(w, SREG(0), 0x02) & W5500_IR_SENDOK, W5500_IR_SENDOK);
    assert_int_equal(rd16(w, SREG(0), 0x26), 0); /* the server answers 1 ms later */
    fake_run_for(f->s, 1 * MS_PS);
    assert_true(rd16(w, SREG(0), 0x26) > 8);
    assert_int_equal(read_reply(w, 0, msg, &len), 2); /* OFFER */
    assert_int_equal(msg[0], 2);
    assert_memory_equal(&msg[16], ((uint8_t[]){ 10, 0, 2, 15 }), 4); /* yiaddr */
    assert_int_equal(msg[7], 0xFE);                                   /* xid echoed */

    static const uint8_t lease[4] = { 10, 0, 2, 15 }, other[4] = { 10, 0, 2, 77 };
    send_udp(w, 0, msg, dhcp_message(msg, 3, lease));
    fake_run_for(f->s, 2 * MS_PS);
    assert_int_equal(read_reply(w, 0, msg, &len), 5); /* ACK */
    bool router = false, dns = false;
    for (size_t at = 240; at + 2 < len && msg[at] != 255; at += 2u + msg[at + 1]) {
        router |= msg[at] == 3 && memcmp(&msg[at + 2], ((uint8_t[]){ 10, 0, 2, 2 }), 4) == 0;
        dns |= msg[at] == 6 && memcmp(&msg[at + 2], ((uint8_t[]){ 10, 0, 2, 2 }), 4) == 0;
    }
    assert_true(router);
    assert_true(dns);
    send_udp(w, 0, msg, dhcp_message(msg, 3, other));
    fake_run_for(f->s, 2 * MS_PS);
    assert_int_equal(read_reply(w, 0, msg, &len), 6); /* NAK */
    /* BCASTB blocks the broadcast reply */
    wr8(w, SREG(0), 0x00, W5500_Sn_MR_UDP | W5500_Sn_MR_BCASTB);
    send_udp(w, 0, msg, dhcp_message(msg, 1, NULL));
    fake_run_for(f->s, 2 * MS_PS);
    assert_int_equal(rd16(w, SREG(0), 0x26), 0);
}

/* A link that is down answers no ARP: a UDP SEND times out after ARPTO and the socket stays open. */
static void link_down(void **state)
{
    struct fixture *f = *state;
    struct w5500 *w = &f->w;
    configure(w);
    w5500_set_link(w, false);
    open_socket(w, 1, W5500_Sn_MR_UDP, 5000);
    wr_ip(w, SREG(1), 0x0C, 10, 0, 2, 2);
    wr16(w, SREG(1), 0x10, 9999);
    uint8_t d[4] = { 1, 2, 3, 4 };
    send_udp(w, 1, d, 4);
    fake_run_for(f->s, 1900 * MS_PS);
    assert_int_equal(rd8(w, SREG(1), 0x02), W5500_IR_TIMEOUT);
    assert_int_equal(rd8(w, SREG(1), 0x03), W5500_SOCK_UDP);
    assert_int_equal(rd16(w, SREG(1), 0x22), 4); /* Sn_TX_RD past the lost datagram */
}

/* ds 5.5.1: RSTn low resets; the chip answers again TPL (1 ms) after RSTn rises. */
static void rstn(void **state)
{
    struct fixture *f = *state;
    struct w5500 *w = &f->w;
    wr16(w, 0, 0x0019, 0x1111);
    w5500_set_rstn(w, false);
    assert_int_equal(rd8(w, 0, 0x0039), 0x00);
    w5500_set_rstn(w, true);
    assert_int_equal(rd8(w, 0, 0x0039), 0x00);
    fake_run_for(f->s, 1 * MS_PS);
    assert_int_equal(rd8(w, 0, 0x0039), 0x04);
    assert_int_equal(rd16(w, 0, 0x0019), 0x07D0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(reset_values, setup, teardown),
        cmocka_unit_test_setup_teardown(frame_modes, setup, teardown),
        cmocka_unit_test_setup_teardown(pointer_wrap, setup, teardown),
        cmocka_unit_test_setup_teardown(commands_and_timeouts, setup, teardown),
        cmocka_unit_test_setup_teardown(buffer_totals, setup, teardown),
        cmocka_unit_test_setup_teardown(dhcp_server, setup, teardown),
        cmocka_unit_test_setup_teardown(link_down, setup, teardown),
        cmocka_unit_test_setup_teardown(rstn, setup, teardown),
    };
    int failed = cmocka_run_group_tests_name("w5500_model", tests, NULL, NULL);
    return failed + w5500_bridge_tests();
}
