/*
 * W5500 driver: chip access, reset, detection, interrupts. Section
 * numbers are those of the W5500 Datasheet v1.0.x ("ds").
 */
#include "w5500.h"

#include <errno.h>
#include <string.h>

#include "quartz/hal/clock.h"
#include "w5500_chip.h"

#define RESET_LOW_US 600u    /* ds 5.5.1: RSTn low at least 500 us (TRC) */
#define PLL_LOCK_US 1500u    /* ds 5.5.1: PLL locked at most 1 ms (TPL) after RSTn rises; with margin */
#define CR_POLLS 64u         /* Sn_CR reads 0 once accepted: a few SPI frames at most */
#define STABLE_READS 8u

static int frame(struct w5500 *w, uint8_t bsb, uint16_t addr, bool write, const void *out, void *in, uint16_t len)
{
    /* ds 2.2: address (MSB first), control byte BSB[4:0] RWB OM=00 (variable length) */
    uint8_t header[3] = { (uint8_t)(addr >> 8), (uint8_t)addr, (uint8_t)(bsb << 3 | (write ? 0x04u : 0x00u)) };
    struct spi_op ops[2] = {
        { header, NULL, sizeof header, SPI_WRITE },
        { (const uint8_t *)out, (uint8_t *)in, len, write ? SPI_WRITE : SPI_READ },
    };
    if (spi_transaction(w->cfg->spi, ops, 2) != 0) {
        w->spi_errors++;
        return -EIO;
    }
    return 0;
}

int w5500_read(struct w5500 *w, uint8_t bsb, uint16_t addr, void *buf, uint16_t len)
{
    return frame(w, bsb, addr, false, NULL, buf, len);
}

int w5500_write(struct w5500 *w, uint8_t bsb, uint16_t addr, const void *buf, uint16_t len)
{
    return frame(w, bsb, addr, true, buf, NULL, len);
}

int w5500_read8(struct w5500 *w, uint8_t bsb, uint16_t addr, uint8_t *v) { return w5500_read(w, bsb, addr, v, 1); }

int w5500_write8(struct w5500 *w, uint8_t bsb, uint16_t addr, uint8_t v) { return w5500_write(w, bsb, addr, &v, 1); }

int w5500_write16(struct w5500 *w, uint8_t bsb, uint16_t addr, uint16_t v)
{
    uint8_t b[2] = { (uint8_t)(v >> 8), (uint8_t)v };
    return w5500_write(w, bsb, addr, b, 2);
}

int w5500_read16_stable(struct w5500 *w, uint8_t bsb, uint16_t addr, uint16_t *v)
{
    /* ds 4.2 Sn_TX_FSR / Sn_RX_RSR note: the two bytes cannot be read at
     * once and the value may change in between; read until two agree. */
    uint16_t last = 0;
    for (unsigned k = 0; k < STABLE_READS; k++) {
        uint8_t b[2];
        int rc = w5500_read(w, bsb, addr, b, 2);
        if (rc)
            return rc;
        uint16_t now = (uint16_t)(b[0] << 8 | b[1]);
        if (k > 0 && now == last) {
            *v = now;
            return 0;
        }
        last = now;
    }
    return -EIO;
}

int w5500_command(struct w5500 *w, unsigned n, uint8_t cr)
{
    int rc = w5500_write8(w, BSB_SREG(n), Sn_CR, cr);
    for (unsigned k = 0; rc == 0 && k < CR_POLLS; k++) {
        uint8_t v;
        rc = w5500_read8(w, BSB_SREG(n), Sn_CR, &v);
        if (rc == 0 && v == 0)
            return 0;
    }
    return rc ? rc : -EIO; /* never accepted: the chip does not answer (net.h's -EIO) */
}

int w5500_take_ir(struct w5500 *w, unsigned n)
{
    uint8_t ir;
    int rc = w5500_read8(w, BSB_SREG(n), Sn_IR, &ir);
    if (rc == 0 && ir) {
        rc = w5500_write8(w, BSB_SREG(n), Sn_IR, ir); /* ds 4.2 Sn_IR: write 1 to clear */
        w->sock[n].ir |= ir;
    }
    return rc;
}

static void intn_fell(void *ctx)
{
    /* Interrupt context: only note it and wake the user; the SPI work
     * (SIR, Sn_IR) is done by thread code in the next call. */
    struct w5500 *w = ctx;
    w->irq = true;
    w->irqs++;
    if (w->nif.event)
        w->nif.event(w->nif.event_ctx);
}

static int reset(struct w5500 *w)
{
    const struct w5500_config *cfg = w->cfg;
    if (cfg->has_rstn) {
        static const struct gpio_config out = { GPIO_OUTPUT, GPIO_PULL_NONE, GPIO_SPEED_LOW, 0, 0 };
        int rc = gpio_configure(cfg->rstn, &out);
        if (rc)
            return rc;
        gpio_write(cfg->rstn, false);
        clock_delay_us(RESET_LOW_US);
        gpio_write(cfg->rstn, true);
        clock_delay_us(PLL_LOCK_US);
        return 0;
    }
    int rc = w5500_write8(w, BSB_COMMON, MR, MR_RST); /* ds 4.1 MR.RST: software reset */
    for (unsigned k = 0; rc == 0 && k < CR_POLLS; k++) {
        uint8_t mr;
        rc = w5500_read8(w, BSB_COMMON, MR, &mr);
        if (rc == 0 && !(mr & MR_RST))
            return 0;
    }
    return rc ? rc : -ENODEV;
}

int w5500_init(struct w5500 *w, const struct w5500_config *cfg)
{
    memset(w, 0, sizeof *w);
    w->cfg = cfg;
    w->nif.ops = &w5500_net_ops;
    w->next_port = 49152u; /* the dynamic port range (RFC 6335) */
    int rc = spi_device_init(cfg->spi);
    if (rc)
        return rc;
    rc = reset(w);
    if (rc)
        return rc;
    uint8_t version = 0, rtr[2] = { 0, 0 };
    rc = w5500_read8(w, BSB_COMMON, VERSIONR, &version);
    if (rc == 0)
        rc = w5500_read(w, BSB_COMMON, RTR, rtr, 2);
    if (rc)
        return rc;
    if (version != W5500_VERSIONR_VALUE || (uint16_t)(rtr[0] << 8 | rtr[1]) != W5500_RTR_RESET)
        return -ENODEV;
    for (unsigned n = 0; n < W5500_SOCKET_COUNT && rc == 0; n++) {
        rc = w5500_write8(w, BSB_SREG(n), Sn_RXBUF_SIZE, W5500_BUF_KB);
        if (rc == 0)
            rc = w5500_write8(w, BSB_SREG(n), Sn_TXBUF_SIZE, W5500_BUF_KB);
    }
    if (rc == 0)
        rc = w5500_write(w, BSB_COMMON, SHAR, cfg->mac, 6);
    if (rc)
        return rc;
    if (cfg->has_intn) {
        static const struct gpio_config in = { GPIO_INPUT, GPIO_PULL_UP, GPIO_SPEED_LOW, 0, 0 };
        rc = gpio_configure(cfg->intn, &in);
        if (rc == 0)
            rc = gpio_irq_enable(cfg->intn, GPIO_EDGE_FALLING, intn_fell, w);
        if (rc == 0)
            rc = w5500_write8(w, BSB_COMMON, SIMR, 0xFFu); /* every socket's Sn_IR asserts INTn */
    }
    return rc;
}

int w5500_link(struct w5500 *w)
{
    uint8_t v;
    int rc = w5500_read8(w, BSB_COMMON, PHYCFGR, &v);
    return rc ? rc : (v & PHYCFGR_LNK) != 0;
}
