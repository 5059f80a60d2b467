/*
 * SPI master on the STM32F446 SPI (RM0390 section 26), polled: each frame
 * is written when TXE is set and read back when RXNE is set (26.3.5,
 * "Transmit and receive procedures"), so the receive buffer never
 * overruns. The peripheral is set up per transaction for the device in
 * hand (mode, bit order, the fastest prescaler at or below its max_hz), the
 * chip select is a GPIO held low for the whole segment list, and a
 * transaction ends with the disable procedure of 26.3.8 (wait for BSY=0
 * before SPE=0) so the last frame is out before the chip select rises.
 * Software NSS (SSM=1, SSI=1): the NSS pin is free and no mode fault
 * can come from it.
 *
 * One wait bound per transaction (stm32_wait: holds with interrupts
 * masked): the frames' time at the chosen rate plus a margin. A peripheral
 * that is not clocked never sets TXE and ends as -ETIMEDOUT.
 *
 * DMA: run_op() moves one segment. On a bus with its two streams
 * (stm32_spi_config rx_dma/tx_dma), a segment of STM32_SPI_DMA_MIN bytes
 * or more goes by DMA (26.3.9): the receive stream takes every frame that
 * comes back (into the caller's buffer, or into one dropped byte for a
 * write), the transmit stream feeds DR (from the caller's buffer, or one
 * fill byte again and again for a read). The segment is over when the
 * receive stream has taken its last frame: then every frame has been on
 * the wire, and the next segment starts under the same chip select.
 * Shorter segments are polled: two streams to set up and stop cost more
 * than a few frames. The same wait bound covers both ways.
 */
#include <errno.h>
#include <stddef.h>
#include <stdint.h>

#include "quartz/cpu.h"
#include "stm32_hal.h"
#include "stm32f446/rcc.h"
#include "stm32f446/spi.h"

/* On top of the frames' own time. stm32_wait ends when the uptime passes
 * the bound, and the uptime moves in whole ticks (10 ms at the board's
 * 100 Hz): a margin under one tick would end a transaction that a tick
 * happened to cross. */
#define MARGIN_MS 20U
#define FAST_POLLS 32U /* SR reads between two looks at the (costlier) wait bound */
#define FILL 0x00U   /* what a READ segment sends */

struct hw {
    struct stm32_spi *regs;
    volatile uint32_t *enr;
    uint32_t enr_bit;
    bool apb2;
};

static const struct hw hw[4] = {
    { SPI1, &RCC->APB2ENR, RCC_APB2ENR_SPI1EN, true },
    { SPI2, &RCC->APB1ENR, RCC_APB1ENR_SPI2EN, false },
    { SPI3, &RCC->APB1ENR, RCC_APB1ENR_SPI3EN, false },
    { SPI4, &RCC->APB2ENR, RCC_APB2ENR_SPI4EN, true },
};

static const struct hw *hw_of(const struct stm32_spi_bus *b)
{
    return &hw[b->cfg->index - 1];
}

static uint32_t pclk(const struct stm32_spi_bus *b)
{
    return hw_of(b)->apb2 ? stm32_clocks()->pclk2 : stm32_clocks()->pclk1;
}

/* RM0390 26.7.1 BR: fSCK = fPCLK / 2^(BR+1); the smallest divider that stays at or below max_hz. */
static int pick_br(const struct stm32_spi_bus *b, uint32_t max_hz, uint32_t *br)
{
    for (uint32_t k = 0; k < 8U; k++) {
        if ((pclk(b) >> (k + 1U)) <= max_hz) {
            *br = k;
            return 0;
        }
    }
    return -EINVAL;
}

static int check_ops(const struct spi_op *ops, size_t n, uint32_t *frames)
{
    if (n == 0 || ops == NULL)
        return -EINVAL;
    *frames = 0;
    for (size_t i = 0; i < n; i++) {
        const struct spi_op *op = &ops[i];
        bool tx_needed = op->kind == SPI_WRITE || op->kind == SPI_TRANSFER;
        bool rx_needed = op->kind == SPI_READ || op->kind == SPI_TRANSFER;
        if (op->kind > SPI_TRANSFER || op->len == 0 || (tx_needed && !op->tx) || (rx_needed && !op->rx))
            return -EINVAL;
        *frames += op->len;
    }
    return 0;
}

/* The status flag `flag`, or a fault (MODF, OVR: 26.3.10), or the end of the bound. */
static int wait_flag(struct stm32_spi *spi, uint32_t flag, struct stm32_wait *w)
{
    for (;;) {
        for (uint32_t i = 0; i < FAST_POLLS; i++) {
            uint32_t sr = spi->SR;
            if (sr & (SPI_SR_MODF | SPI_SR_OVR))
                return -EIO;
            if (sr & flag)
                return 0;
        }
        if (stm32_wait_over(w))
            return -ETIMEDOUT;
    }
}

/* 26.3.9 "Communication using DMA": RXDMAEN, then both streams, then
 * TXDMAEN (the SPI is enabled already, TXE set: the first request comes at
 * once). The receive stream's TCIF ends the segment; both requests are
 * dropped and both streams stopped before returning, on error too. */
static int run_op_dma(const struct stm32_spi_config *cfg, struct stm32_spi *spi, const struct spi_op *op,
                      struct stm32_wait *w)
{
    static const uint8_t fill = FILL;
    static uint8_t dropped; /* what a WRITE segment receives; nobody reads it */
    const struct stm32_dma_xfer rx = {
        .periph = &spi->DR, .mem = op->kind == SPI_WRITE ? &dropped : op->rx, .n = op->len,
        .to_periph = false, .mem_inc = op->kind != SPI_WRITE,
    };
    const struct stm32_dma_xfer tx = {
        .periph = &spi->DR, .mem = (void *)(uintptr_t)(op->kind == SPI_READ ? &fill : op->tx), .n = op->len,
        .to_periph = true, .mem_inc = op->kind != SPI_READ,
    };
    spi->CR2 = SPI_CR2_RXDMAEN;
    stm32_dma_start(cfg->rx_dma, &rx);
    stm32_dma_start(cfg->tx_dma, &tx);
    spi->CR2 = SPI_CR2_RXDMAEN | SPI_CR2_TXDMAEN;
    int rc;
    for (;;) {
        rc = stm32_dma_status(cfg->rx_dma);
        if (rc == 0)
            rc = stm32_dma_status(cfg->tx_dma) < 0 ? -EIO : 0;
        if (rc == 0 && (spi->SR & (SPI_SR_MODF | SPI_SR_OVR)))
            rc = -EIO;
        if (rc != 0)
            break;
        if (stm32_wait_over(w)) {
            rc = -ETIMEDOUT;
            break;
        }
    }
    spi->CR2 = 0;
    bool failed = stm32_dma_stop(cfg->tx_dma);
    failed |= stm32_dma_stop(cfg->rx_dma);
    if (rc == 1)
        rc = failed ? -EIO : 0;
    return rc;
}

static int run_op(const struct stm32_spi_config *cfg, struct stm32_spi *spi, const struct spi_op *op,
                  struct stm32_wait *w)
{
    if (cfg->rx_dma && op->len >= STM32_SPI_DMA_MIN)
        return run_op_dma(cfg, spi, op, w);
    for (uint16_t i = 0; i < op->len; i++) {
        int rc = wait_flag(spi, SPI_SR_TXE, w);
        if (rc)
            return rc;
        spi->DR = op->kind == SPI_READ ? FILL : op->tx[i];
        rc = wait_flag(spi, SPI_SR_RXNE, w);
        if (rc)
            return rc;
        uint8_t in = (uint8_t)spi->DR;
        if (op->kind != SPI_WRITE)
            op->rx[i] = in;
    }
    return 0;
}

/* 26.3.8: the last frame is out when TXE is set and BSY is clear. */
static int wait_idle(struct stm32_spi *spi, struct stm32_wait *w)
{
    int rc = wait_flag(spi, SPI_SR_TXE, w);
    while (rc == 0 && (spi->SR & SPI_SR_BSY))
        if (stm32_wait_over(w))
            rc = -ETIMEDOUT;
    return rc;
}

static bool claim(struct stm32_spi_bus *b)
{
    uint32_t key = cpu_irq_lock();
    bool was_free = !b->busy;
    if (was_free)
        b->busy = true;
    cpu_irq_unlock(key);
    return was_free;
}

static int transaction(const struct spi_device *dev, const struct spi_op *ops, size_t n)
{
    struct stm32_spi_bus *b = (struct stm32_spi_bus *)dev->bus;
    uint32_t frames, br;
    int rc = check_ops(ops, n, &frames);
    if (rc == 0)
        rc = pick_br(b, dev->max_hz, &br);
    if (rc)
        return rc;
    if (!claim(b))
        return -EBUSY;
    struct stm32_spi *spi = hw_of(b)->regs;
    /* 26.7.1: CPOL, CPHA, BR, LSBFIRST change only with SPE=0. */
    spi->CR1 = 0;
    spi->CR2 = 0;
    uint32_t cr1 = SPI_CR1_SSM | SPI_CR1_SSI | SPI_CR1_MSTR | (br << SPI_CR1_BR_Pos) | (dev->mode & 3U);
    if (dev->lsb_first)
        cr1 |= SPI_CR1_LSBFIRST;
    spi->CR1 = cr1;
    spi->CR1 = cr1 | SPI_CR1_SPE;
    (void)spi->DR; /* a stale frame (and OVR, with the SR read) from before */
    (void)spi->SR;

    /* Frame time x frames, in ms, plus the margin. */
    uint64_t frame_bits = (uint64_t)frames * 8U << (br + 1U);
    struct stm32_wait w;
    stm32_wait_start(&w, (uint32_t)(frame_bits * 1000U / pclk(b)) + MARGIN_MS);
    gpio_write(dev->cs, false);
    for (size_t i = 0; i < n && rc == 0; i++)
        rc = run_op(b->cfg, spi, &ops[i], &w);
    if (rc == 0)
        rc = wait_idle(spi, &w);
    gpio_write(dev->cs, true);
    spi->CR1 = cr1; /* SPE=0 */
    if (rc == -ETIMEDOUT)
        b->timeouts++;
    else if (rc == -EIO)
        b->faults++;
    b->busy = false;
    return rc;
}

static int device_init(const struct spi_device *dev)
{
    struct stm32_spi_bus *b = (struct stm32_spi_bus *)dev->bus;
    uint32_t br;
    if (dev->mode > SPI_MODE_3 || pick_br(b, dev->max_hz, &br) != 0)
        return -EINVAL;
    static const struct gpio_config cs_out = { GPIO_OUTPUT, GPIO_PULL_NONE, GPIO_SPEED_MEDIUM, 0, 0 };
    gpio_write(dev->cs, true);
    return gpio_configure(dev->cs, &cs_out);
}

static const struct spi_bus_ops ops = { device_init, transaction };

int stm32_spi_init(struct stm32_spi_bus *b, const struct stm32_spi_config *cfg)
{
    if (cfg->index < 1U || cfg->index > 4U)
        return -EINVAL;
    b->bus.ops = &ops;
    b->cfg = cfg;
    b->busy = false;
    if (!cfg->rx_dma != !cfg->tx_dma)
        return -EINVAL;
    if (cfg->rx_dma) {
        /* RM0390 table 28: the requests sit in the same order as the SPIs. */
        enum stm32_dma_request rx_req = (enum stm32_dma_request)(STM32_DMA_SPI1_RX + 2 * (cfg->index - 1U));
        int rc = stm32_dma_claim(cfg->rx_dma, rx_req);
        if (rc == 0)
            rc = stm32_dma_claim(cfg->tx_dma, (enum stm32_dma_request)(rx_req + 1));
        if (rc)
            return rc;
    }
    const struct hw *h = hw_of(b);
    *h->enr |= h->enr_bit;
    (void)*h->enr; /* read back, as i2c.c: the clock runs before the first register access */
    h->regs->CR1 = 0;
    /* The highest output speed: slow SCK edges at high bit rates cost the last bit (the STM32F4 errata
     * note Zephyr's STM32F4 pinmux header repeats). */
    const struct stm32_spi_pin *pins[3] = { &cfg->sck, &cfg->miso, &cfg->mosi };
    for (int i = 0; i < 3; i++) {
        struct gpio_config af = { GPIO_ALTERNATE, GPIO_PULL_NONE, GPIO_SPEED_HIGH, 0, pins[i]->af };
        int rc = gpio_configure(pins[i]->pin, &af);
        if (rc)
            return rc;
    }
    return 0;
}
