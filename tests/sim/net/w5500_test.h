/*
 * The W5500 model's test fixture and SPI helpers, shared by test_w5500.c
 * (the chip) and test_w5500_bridge.c (the host bridge): the model driven
 * through its SPI device callbacks on the fake core of tests/sim/periph.
 */
#ifndef TESTS_SIM_NET_W5500_TEST_H
#define TESTS_SIM_NET_W5500_TEST_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "board/w5500.h"
#include "fake_sim.h"

#define MS_PS SIM_PS_PER_MS
#define SREG(n) (4u * (n) + 1u)
#define TXBUF(n) (4u * (n) + 2u)
#define RXBUF(n) (4u * (n) + 3u)

struct fixture {
    sim_t *s;
    struct w5500 w;
    bool intn_low;
    unsigned intn_edges;
};

static inline void set_intn(void *ctx, bool low)
{
    struct fixture *f = ctx;
    f->intn_low = low;
    f->intn_edges++;
}

static inline int setup(void **state)
{
    static struct fixture f;
    memset(&f, 0, sizeof f);
    f.s = fake_sim_new();
    if (!f.s)
        return -1;
    w5500_init(&f.w, f.s, NULL, set_intn, &f);
    *state = &f;
    return 0;
}

static inline int teardown(void **state)
{
    struct fixture *f = *state;
    w5500_free(&f->w);
    fake_sim_free(f->s);
    return 0;
}

static inline uint8_t byte(struct w5500 *w, uint8_t v) { return (uint8_t)w->bus.ops->exchange(w->bus.dev, v, 8); }
static inline void select_chip(struct w5500 *w) { w->bus.ops->select(w->bus.dev); }
static inline void deselect(struct w5500 *w) { w->bus.ops->deselect(w->bus.dev); }

/* One variable-length frame (ds 2.2.1) under its own chip select. */
static inline void frame(struct w5500 *w, unsigned bsb, uint16_t addr, bool write, uint8_t *data, size_t len)
{
    select_chip(w);
    byte(w, (uint8_t)(addr >> 8));
    byte(w, (uint8_t)addr);
    byte(w, (uint8_t)(bsb << 3 | (write ? 4u : 0u)));
    for (size_t i = 0; i < len; i++) {
        uint8_t got = byte(w, write ? data[i] : 0x00);
        if (!write)
            data[i] = got;
    }
    deselect(w);
}

static inline uint8_t rd8(struct w5500 *w, unsigned bsb, uint16_t addr)
{
    uint8_t v;
    frame(w, bsb, addr, false, &v, 1);
    return v;
}

static inline uint16_t rd16(struct w5500 *w, unsigned bsb, uint16_t addr)
{
    uint8_t v[2];
    frame(w, bsb, addr, false, v, 2);
    return (uint16_t)(v[0] << 8 | v[1]);
}

static inline void wr8(struct w5500 *w, unsigned bsb, uint16_t addr, uint8_t v) { frame(w, bsb, addr, true, &v, 1); }

static inline void wr16(struct w5500 *w, unsigned bsb, uint16_t addr, uint16_t v)
{
    uint8_t b[2] = { (uint8_t)(v >> 8), (uint8_t)v };
    frame(w, bsb, addr, true, b, 2);
}

static inline void wr_ip(struct w5500 *w, unsigned bsb, uint16_t addr, uint8_t a, uint8_t b, uint8_t c, uint8_t d)
{
    uint8_t ip[4] = { a, b, c, d };
    frame(w, bsb, addr, true, ip, 4);
}

/* The board's address 10.0.2.15/24 behind 10.0.2.2. */
static inline void configure(struct w5500 *w)
{
    wr_ip(w, 0, 0x0001, 10, 0, 2, 2);
    wr_ip(w, 0, 0x0005, 255, 255, 255, 0);
    wr_ip(w, 0, 0x000F, 10, 0, 2, 15);
}

static inline void open_socket(struct w5500 *w, unsigned n, uint8_t mode, uint16_t port)
{
    wr8(w, SREG(n), 0x00, mode);
    wr16(w, SREG(n), 0x04, port);
    wr8(w, SREG(n), 0x01, W5500_CR_OPEN);
}

static inline void send_udp(struct w5500 *w, unsigned n, const uint8_t *data, size_t len)
{
    uint16_t wr = rd16(w, SREG(n), 0x24);
    frame(w, TXBUF(n), wr, true, (uint8_t *)data, len);
    wr16(w, SREG(n), 0x24, (uint16_t)(wr + len));
    wr8(w, SREG(n), 0x01, W5500_CR_SEND);
}

/* The host-bridge group (test_w5500_bridge.c). */
int w5500_bridge_tests(void);

#endif
