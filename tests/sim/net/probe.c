/*
 * Network probe image for quartz-sim with the W5500 (qsim_options.w5500):
 * the W5500 on SPI2 (PB13/PB14/PB15 AF5, SCSn PB12, INTn PC8, RSTn PC9),
 * SPI2 by DMA (DMA1 streams 3/4). Through the driver and quartz/net.h
 * only: reset and detection, link, a DHCP lease, a TCP echo round trip
 * with 10.0.2.2:7, a refused connection (10.0.2.2:9) and an unreachable
 * host (10.0.2.99, ARP timeout), the lease renewed at T1. With the link
 * down at the start, the static fallback after the DHCP bound, then a
 * lease once the link is up. Last, a lease with INTn unused (the driver's
 * polling fallback). One line per case; test_net.c checks them.
 */
#include <errno.h>
#include <stdbool.h>
#include <stdint.h>
#include <string.h>

#include "cortex_m/intrinsics.h"
#include "dhcp.h"
#include "quartz/fmt.h"
#include "quartz/hal/clock.h"
#include "quartz/hal/serial.h"
#include "quartz/hal/spi.h"
#include "quartz/board.h"
#include "w5500.h"

static struct w5500_config w5500_cfg = {
    .has_intn = true,
    .has_rstn = true,
    .mac = { 0x02, 0x51, 0x75, 0x61, 0x72, 0x7A },
};
static struct w5500 eth;
/* The same chip without INTn: the driver's polling fallback alone. */
static struct w5500_config w5500_polled_cfg = {
    .has_rstn = true,
    .mac = { 0x02, 0x51, 0x75, 0x61, 0x72, 0x7A },
};
static struct w5500 eth_polled;

#define ECHO_BYTES 3000u
static uint8_t out[ECHO_BYTES], back[ECHO_BYTES];

static void put_int(int v)
{
    char s[24];
    if (v < 0) {
        serial_puts("-");
        v = -v;
    }
    fmt_u64(s, sizeof s, (uint64_t)v);
    serial_puts(s);
}

static void put_ip(const uint8_t a[4])
{
    for (int i = 0; i < 4; i++) {
        if (i)
            serial_puts(".");
        put_int(a[i]);
    }
}

static void line(const char *name, int rc)
{
    serial_puts("net ");
    serial_puts(name);
    serial_puts(" ");
    put_int(rc);
}

static void end(void)
{
    serial_puts("\r\n");
    (void)serial_drain();
}

/* Connect and wait for the handshake: the socket, or the connection's error. */
static int connect_wait(const struct net_endpoint *peer, uint32_t timeout_ms)
{
    int s = net_tcp_connect(&eth.nif, peer);
    if (s < 0)
        return s;
    int ev = net_poll(&eth.nif, s, NET_POLL_OUT, timeout_ms);
    if (ev > 0)
        return s;
    net_close(&eth.nif, s);
    return ev < 0 ? ev : -ETIMEDOUT;
}

/* 3000 bytes out and back: more than the 2 KB buffers, so the pointers wrap. */
static void echo(void)
{
    const struct net_endpoint peer = { { 10, 0, 2, 2 }, 7 };
    for (unsigned i = 0; i < ECHO_BYTES; i++)
        out[i] = (uint8_t)(i * 13u + 7u);
    int s = connect_wait(&peer, 5000);
    if (s < 0) {
        line("echo", s);
        end();
        return;
    }
    unsigned sent = 0, got = 0;
    int rc = 0;
    uint64_t deadline = clock_uptime_ms() + 10000;
    while (got < ECHO_BYTES && rc >= 0 && clock_uptime_ms() < deadline) {
        bool moved = false;
        if (sent < ECHO_BYTES) {
            rc = net_send(&eth.nif, s, out + sent, ECHO_BYTES - sent);
            if (rc > 0) {
                sent += (unsigned)rc;
                moved = true;
            }
            rc = rc == -EAGAIN ? 0 : rc;
        }
        if (rc >= 0) {
            rc = net_recv(&eth.nif, s, back + got, ECHO_BYTES - got);
            if (rc > 0) {
                got += (unsigned)rc;
                moved = true;
            }
            rc = rc == -EAGAIN ? 0 : rc == 0 ? -ECONNRESET : rc;
        }
        if (!moved && rc >= 0)
            rc = net_poll(&eth.nif, s, NET_POLL_IN | NET_POLL_OUT, 100) < 0 ? -EIO : 0;
    }
    net_close(&eth.nif, s);
    line("echo", rc < 0 ? rc : 0);
    serial_puts(" ");
    put_int((int)got);
    serial_puts(memcmp(out, back, sizeof back) == 0 ? " same" : " differ");
    end();
}

static void put_lease(const char *name, int rc, const struct dhcp_lease *lease)
{
    line(name, rc);
    serial_puts(lease->is_static ? " static " : " lease ");
    put_ip(lease->ip.addr);
    serial_puts(" gw ");
    put_ip(lease->ip.gateway);
    serial_puts(" t1 ");
    put_int((int)lease->t1_s);
    end();
}

/* Sleeps (WFI, woken by the tick) until `ms` of uptime, or until `until` says so. */
static bool sleep_until(uint64_t ms, bool (*until)(void))
{
    while (clock_uptime_ms() < ms) {
        if (until && until())
            return true;
        __WFI();
    }
    return until && until();
}

static bool link_up(void) { return net_link(&eth.nif) == 1; }

int main(void)
{
    serial_puts("net probe\r\n");
    struct board_net wiring;
    int rc = board_net(&wiring); /* SPI2, CS PB12, INTn PC8, RSTn PC9 */
    w5500_cfg.spi = w5500_polled_cfg.spi = wiring.spi;
    w5500_cfg.intn = wiring.intn;
    w5500_cfg.rstn = w5500_polled_cfg.rstn = wiring.rstn;
    line("init", rc ? rc : w5500_init(&eth, &w5500_cfg));
    end();
    line("link", net_link(&eth.nif));
    end();

    struct dhcp_lease lease;
    static const struct net_ipv4 fallback = { { 10, 0, 2, 200 }, { 255, 255, 255, 0 }, { 10, 0, 2, 2 } };
    rc = dhcp_acquire_or_static(&eth.nif, &fallback, &lease, 10000);
    put_lease("dhcp", rc, &lease);
    if (lease.is_static) {
        line("wait link", sleep_until(clock_uptime_ms() + 20000, link_up) ? 1 : 0);
        end();
        rc = dhcp_acquire_or_static(&eth.nif, &fallback, &lease, 10000);
        put_lease("dhcp again", rc, &lease);
    }

    echo();

    const struct net_endpoint closed = { { 10, 0, 2, 2 }, 9 };
    line("refused", connect_wait(&closed, 5000));
    end();

    const struct net_endpoint nowhere = { { 10, 0, 2, 99 }, 80 };
    uint64_t t0 = clock_uptime_ms();
    rc = connect_wait(&nowhere, 5000);
    line("unreachable", rc);
    serial_puts(" ms ");
    put_int((int)(clock_uptime_ms() - t0));
    end();

    /* RFC 2131 4.4.5: RENEWING at T1, a unicast REQUEST to the server. */
    line("renew early", dhcp_renew_if_due(&eth.nif, &lease, 2000));
    end();
    sleep_until(lease.acquired_ms + (uint64_t)lease.t1_s * 1000u + 10u, NULL);
    line("renew", dhcp_renew_if_due(&eth.nif, &lease, 2000));
    serial_puts(" at ");
    put_int((int)(clock_uptime_ms() / 1000u));
    end();

    serial_puts("net irqs ");
    put_int((int)eth.irqs);
    end();

    rc = w5500_init(&eth_polled, &w5500_polled_cfg);
    t0 = clock_uptime_ms();
    if (rc == 0)
        rc = dhcp_acquire(&eth_polled.nif, &lease, 5000);
    put_lease("polled dhcp", rc, &lease);
    serial_puts("net polled dhcp ms ");
    put_int((int)(clock_uptime_ms() - t0));
    end();
    serial_puts("done");
    end();
    for (;;)
        __WFI();
}
