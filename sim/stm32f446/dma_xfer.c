/*
 * DMA1/DMA2 (RM0390 section 9): moving the data of one item, and the
 * request mapping of tables 28/29. The peripheral port and the memory port
 * reach memory and registers through the core's bus (sim_bus_read/write);
 * packing and unpacking go through the stream's 16-byte FIFO (9.3.12).
 *
 * Timing (docs/sim-peripherals.md): an item costs 1 HCLK cycle of
 * arbitration, 1 per memory access (SRAM, flash) and 1 + 2 PCLK cycles per
 * APB access (the bridge), 1 per AHB peripheral access.
 */
#include "dma_priv.h"


/* Tables 28 and 29: the request each (stream, channel) pair selects; only
 * the lines of peripherals quartz-sim models are named, the rest are none. */
#define R(x) DMA_REQ_##x
static const uint8_t request_map[2][DMA_STREAMS][8] = {
    { /* DMA1: channels 0..7 of streams 0..7 */
        {R(SPI3_RX), R(I2C1_RX), 0, 0, R(UART5_RX), 0, 0, 0},
        {0, 0, 0, 0, R(USART3_RX), 0, 0, 0},
        {R(SPI3_RX), 0, 0, R(I2C3_RX), R(UART4_RX), 0, 0, R(I2C2_RX)},
        {R(SPI2_RX), 0, 0, 0, R(USART3_TX), 0, 0, R(I2C2_RX)},
        {R(SPI2_TX), 0, 0, R(I2C3_TX), R(UART4_TX), 0, 0, R(USART3_TX)},
        {R(SPI3_TX), R(I2C1_RX), 0, 0, R(USART2_RX), 0, 0, 0},
        {0, R(I2C1_TX), 0, 0, R(USART2_TX), 0, 0, 0},
        {R(SPI3_TX), R(I2C1_TX), 0, 0, R(UART5_TX), 0, 0, R(I2C2_TX)},
    },
    { /* DMA2 */
        {R(ADC1), 0, R(ADC3), R(SPI1_RX), R(SPI4_RX), 0, 0, 0},
        {0, 0, R(ADC3), 0, R(SPI4_TX), R(USART6_RX), 0, 0},
        {0, R(ADC2), 0, R(SPI1_RX), R(USART1_RX), R(USART6_RX), 0, 0},
        {0, R(ADC2), 0, R(SPI1_TX), 0, R(SPI4_RX), 0, 0},
        {R(ADC1), 0, 0, 0, 0, R(SPI4_TX), 0, 0},
        {0, 0, 0, R(SPI1_TX), R(USART1_RX), 0, 0, 0},
        {0, 0, 0, 0, 0, R(USART6_TX), 0, 0},
        {0, 0, 0, 0, R(USART1_TX), R(USART6_TX), 0, 0},
    },
};
#undef R

enum dma_req dma_stream_req(const struct dma *d, int k)
{
    return (enum dma_req)request_map[d->index][k][FIELD(d->s[k].CR, CR_CHSEL_POS, 3)];
}

/* HCLK cycles of one access at `addr` (see the top). */
static uint64_t access_cycles(const struct dma *d, uint32_t addr)
{
    const struct rcc *r = &d->chip->rcc;
    uint32_t hclk = rcc_hclk_hz(r), pclk;
    if (addr - 0x40000000u < 0x8000u)
        pclk = rcc_pclk1_hz(r);
    else if (addr - 0x40010000u < 0x8000u)
        pclk = rcc_pclk2_hz(r);
    else
        return 1;
    return 1u + 2u * ((hclk + pclk - 1u) / (pclk ? pclk : 1u));
}

/* The peripheral port of DMA1 is wired to the APB1 bridge only (RM0390 2.1,
 * figure 1); DMA2's and both memory ports reach the bus matrix. Nothing
 * answers in the Cortex-M4's private bus from a DMA. */
static bool reachable(const struct dma *d, uint32_t addr, bool periph_port)
{
    if (addr >= 0xE0000000u)
        return false;
    return !(periph_port && d->index == 0 && addr - 0x40000000u >= 0x8000u);
}

static bool bus_read(struct dma *d, uint32_t addr, unsigned size, bool pport, uint8_t *out, uint64_t *cyc)
{
    uint32_t v;
    *cyc += access_cycles(d, addr);
    if (!reachable(d, addr, pport) || !sim_bus_read(dma_sim(d), addr, size, &v))
        return false;
    for (unsigned b = 0; b < size; b++)
        out[b] = (uint8_t)(v >> (8 * b));
    return true;
}

static bool bus_write(struct dma *d, uint32_t addr, unsigned size, bool pport, const uint8_t *in, uint64_t *cyc)
{
    uint32_t v = 0;
    for (unsigned b = 0; b < size; b++)
        v |= (uint32_t)in[b] << (8 * b);
    *cyc += access_cycles(d, addr);
    return reachable(d, addr, pport) && sim_bus_write(dma_sim(d), addr, size, v);
}

static void fifo_push(struct dma_stream *st, const uint8_t *b, unsigned n)
{
    for (unsigned i = 0; i < n && st->fifo_len < DMA_FIFO_BYTES; i++)
        st->fifo[st->fifo_len++] = b[i];
}

static void fifo_pop(struct dma_stream *st, uint8_t *b, unsigned n)
{
    for (unsigned i = 0; i < n; i++)
        b[i] = st->fifo[i];
    for (unsigned i = n; i < st->fifo_len; i++)
        st->fifo[i - n] = st->fifo[i];
    st->fifo_len -= n;
}

static uint32_t p_step(const struct dma_stream *st)
{
    if (!(st->CR & CR_PINC))
        return 0;
    return (st->CR & CR_PINCOS) ? 4u : psize(st); /* 9.3.11: PINCOS fixes the step at 4 */
}

static void stream_error(struct dma *d, int k, const char *what, uint32_t addr)
{
    struct dma_stream *st = &d->s[k];
    /* 9.3.13 and 9.5.5: a bus error sets TEIF and clears EN. */
    st->flags |= F_TEIF;
    st->CR &= ~CR_EN;
    st->fifo_len = 0;
    st->errors++;
    sim_warn(dma_sim(d), "%s stream %d: bus error %s 0x%08x: TEIF, stream disabled (RM0390 9.3.13)", d->name,
             k, what, addr);
}

bool dma_drain(struct dma *d, int k, unsigned keep, uint64_t *cyc)
{
    struct dma_stream *st = &d->s[k];
    unsigned m = msize(st);
    while (st->fifo_len >= m && st->fifo_len >= keep) {
        uint8_t b[4];
        fifo_pop(st, b, m);
        if (!bus_write(d, st->ma, m, false, b, cyc)) {
            stream_error(d, k, "writing", st->ma);
            return false;
        }
        if (st->CR & CR_MINC)
            st->ma += m;
        st->bytes += m;
    }
    return true;
}


static void end_of_block(struct dma *d, int k)
{
    struct dma_stream *st = &d->s[k];
    st->flags |= F_TCIF;
    bool dbm = (st->CR & CR_DBM) != 0;
    if (dbm || ((st->CR & CR_CIRC) && dir(st) != DIR_M2M)) {
        /* 9.3.9/9.3.10: NDTR reloads; in double-buffer mode CT swaps the buffers. */
        st->NDTR = st->ndtr_start;
        st->pa = st->PAR;
        if (dbm)
            st->CR ^= CR_CT;
        st->ma = (st->CR & CR_CT) ? st->M1AR : st->M0AR;
    } else {
        st->CR &= ~CR_EN; /* 9.3.7: EN cleared by hardware at the end of the transfer */
    }
}

static void tell_peripheral_eot_1(struct dma *d, int k)
{
    /* RM0390 24.3.7: EOT_1 at the last-but-one byte of an I2C reception, for LAST. */
    enum dma_req r = dma_stream_req(d, k);
    for (int b = 0; b < 3; b++)
        if ((int)r == DMA_REQ_I2C1_RX + 2 * b)
            i2c_dma_eot_1(&d->chip->i2c[b]);
}

/* RM0390 13.8.1: with DDS = 0 the ADC issues no request after the DMA's
 * last transfer; the stream tells its ADC when NDTR reaches 0 (in
 * circular mode too: there DDS = 1 keeps the requests coming). */
static void tell_peripheral_last(struct dma *d, int k)
{
    enum dma_req r = dma_stream_req(d, k);
    if (r >= DMA_REQ_ADC1 && r <= DMA_REQ_ADC3)
        adc_dma_last(&d->chip->adc.adc[r - DMA_REQ_ADC1]);
}

uint64_t dma_item(struct dma *d, int k)
{
    struct dma_stream *st = &d->s[k];
    uint64_t cyc = 1; /* arbitration */
    unsigned p = psize(st);
    uint8_t b[4];
    if (memory_ahead(st)) {
        while (st->fifo_len < p) { /* fill from memory, MSIZE at a time */
            unsigned m = msize(st);
            if (!bus_read(d, st->ma, m, false, b, &cyc)) {
                stream_error(d, k, "reading", st->ma);
                return cyc;
            }
            fifo_push(st, b, m);
            if (st->CR & CR_MINC)
                st->ma += m;
        }
        fifo_pop(st, b, p);
        if (!bus_write(d, st->pa, p, true, b, &cyc)) {
            stream_error(d, k, "writing", st->pa);
            return cyc;
        }
        st->bytes += p;
    } else {
        if (!bus_read(d, st->pa, p, true, b, &cyc)) {
            stream_error(d, k, "reading", st->pa);
            return cyc;
        }
        fifo_push(st, b, p);
    }
    st->pa += p_step(st);
    st->NDTR--;
    st->transfers++;
    if (st->NDTR == 1)
        tell_peripheral_eot_1(d, k);
    if (!memory_ahead(st) && !dma_drain(d, k, st->NDTR == 0 || direct(st) ? 0 : threshold(st), &cyc))
        return cyc;
    if (st->NDTR == st->ndtr_start / 2)
        st->flags |= F_HTIF;
    if (st->NDTR == 0) {
        tell_peripheral_last(d, k);
        st->fifo_len = 0; /* memory read ahead past the block is dropped */
        end_of_block(d, k);
    }
    return cyc;
}
