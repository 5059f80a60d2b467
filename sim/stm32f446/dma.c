/*
 * DMA1 and DMA2 (RM0390 section 9). Per stream: CHSEL selects one of eight
 * request lines (tables 28/29); DIR peripheral-to-memory, memory-to-
 * peripheral or memory-to-memory; PSIZE/MSIZE with packing through the
 * 16-byte FIFO (FIFO mode, threshold FTH) or single items (direct mode);
 * PINC/MINC/PINCOS; circular and double-buffer (DBM, CT) modes; the
 * software priority PL, then the stream number (9.3.4); flags and their
 * interrupts (9.3.13, 9.5.1-9.5.4); EN cleared at the end and on an error.
 *
 * Timing (documented in docs/sim-peripherals.md): a stream moves one item
 * per request; an item costs 1 HCLK cycle of arbitration, 1 per memory
 * access (SRAM, flash) and 1 + 2 PCLK cycles per APB access (the bridge),
 * 1 per AHB peripheral access. Memory-to-memory streams need no request
 * and run item after item at that rate. The CPU is not stalled by the DMA's
 * bus use (the bus matrix arbitration is not modeled).
 *
 * Not modeled: bursts (PBURST/MBURST only take part in the FIFO threshold
 * check of 9.3.12 table 48), the peripheral flow controller (PFCTRL: SDIO
 * only), and the FIFO over/underrun and direct-mode errors, which need a
 * bus not granted in time: the model's bus always is.
 */
#include "dma.h"

#include "f446.h"
#include "regio.h"

#define CR_EN BIT(0)
#define CR_DMEIE BIT(1)
#define CR_TEIE BIT(2)
#define CR_HTIE BIT(3)
#define CR_TCIE BIT(4)
#define CR_PFCTRL BIT(5)
#define CR_DIR_POS 6
#define CR_CIRC BIT(8)
#define CR_PINC BIT(9)
#define CR_MINC BIT(10)
#define CR_PSIZE_POS 11
#define CR_MSIZE_POS 13
#define CR_PINCOS BIT(15)
#define CR_PL_POS 16
#define CR_DBM BIT(18)
#define CR_CT BIT(19)
#define CR_PBURST (3u << 21)
#define CR_MBURST_POS 23
#define CR_MBURST (3u << CR_MBURST_POS)
#define CR_CHSEL_POS 25
#define CR_MASK 0x0FEFFFFFu
#define FCR_FTH 3u
#define FCR_DMDIS BIT(2)
#define FCR_FEIE BIT(7)
#define FCR_MASK (FCR_FTH | FCR_DMDIS | FCR_FEIE)

/* Flags of one stream, as LISR bits 0..5 for stream 0 (RM0390 9.5.1). */
#define F_FEIF BIT(0)
#define F_DMEIF BIT(2)
#define F_TEIF BIT(3)
#define F_HTIF BIT(4)
#define F_TCIF BIT(5)
#define F_ALL (F_FEIF | F_DMEIF | F_TEIF | F_HTIF | F_TCIF)

enum { DIR_P2M, DIR_M2P, DIR_M2M };

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

static sim_t *sim_of(const struct dma *d) { return d->chip->sim; }

static enum dma_req stream_req(const struct dma *d, int k)
{
    return (enum dma_req)request_map[d->index][k][FIELD(d->s[k].CR, CR_CHSEL_POS, 3)];
}

static unsigned dir(const struct dma_stream *st) { return FIELD(st->CR, CR_DIR_POS, 2); }
static bool direct(const struct dma_stream *st) { return !(st->FCR & FCR_DMDIS); }
static unsigned psize(const struct dma_stream *st) { return 1u << FIELD(st->CR, CR_PSIZE_POS, 2); }

static unsigned msize(const struct dma_stream *st)
{
    return direct(st) ? psize(st) : 1u << FIELD(st->CR, CR_MSIZE_POS, 2); /* 9.5.5: MSIZE ignored */
}

static bool clocked(const struct dma *d)
{
    return (d->chip->rcc.ENR[RCC_AHB1] & BIT(21 + d->index)) != 0;
}

static void update_irq(struct dma *d, int k)
{
    const struct dma_stream *st = &d->s[k];
    uint32_t en = ((st->CR & CR_TCIE) ? F_TCIF : 0) | ((st->CR & CR_HTIE) ? F_HTIF : 0) |
                  ((st->CR & CR_TEIE) ? F_TEIF : 0) | ((st->CR & CR_DMEIE) ? F_DMEIF : 0) |
                  ((st->FCR & FCR_FEIE) ? F_FEIF : 0);
    sim_irq_set_level(sim_of(d), d->irqn[k], (st->flags & en) != 0);
}

static bool requesting(const struct dma *d, int k)
{
    const struct dma_stream *st = &d->s[k];
    if (!(st->CR & CR_EN))
        return false;
    if (dir(st) == DIR_M2M)
        return true; /* 9.3.6: memory-to-memory starts at EN, without requests */
    enum dma_req r = stream_req(d, k);
    return r != DMA_REQ_NONE && d->chip->dma_req_level[r];
}

/* Arbiter (9.3.4): the highest PL, then the lowest stream number. */
static int pick(const struct dma *d)
{
    int best = -1;
    unsigned best_pl = 0;
    for (int k = 0; k < DMA_STREAMS; k++) {
        unsigned pl = FIELD(d->s[k].CR, CR_PL_POS, 2);
        if (requesting(d, k) && (best < 0 || pl > best_pl)) {
            best = k;
            best_pl = pl;
        }
    }
    return best;
}

static void service(sim_t *s, void *dev, uint32_t arg);

static void schedule(struct dma *d)
{
    if (d->ev.queued || !clocked(d) || pick(d) < 0)
        return;
    uint64_t now = sim_now_ps(sim_of(d));
    sim_event_at(sim_of(d), &d->ev, d->busy_until_ps > now ? d->busy_until_ps : now, service, d, 0);
}

/* HCLK cycles of one access at `addr` (see the header comment). */
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
    if (!reachable(d, addr, pport) || !sim_bus_read(sim_of(d), addr, size, &v))
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
    return reachable(d, addr, pport) && sim_bus_write(sim_of(d), addr, size, v);
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
    sim_warn(sim_of(d), "%s stream %d: bus error %s 0x%08x: TEIF, stream disabled (RM0390 9.3.13)", d->name,
             k, what, addr);
}

/* The memory side: write the FIFO out in MSIZE units while it holds `keep` bytes or more. */
static bool drain(struct dma *d, int k, unsigned keep, uint64_t *cyc)
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

static unsigned threshold(const struct dma_stream *st)
{
    return 4u * (FIELD(st->FCR, 0, 2) + 1u);
}

static bool memory_ahead(const struct dma_stream *st) /* the memory side reads from M0AR/M1AR */
{
    return dir(st) == DIR_M2P;
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
    enum dma_req r = stream_req(d, k);
    for (int b = 0; b < 3; b++)
        if ((int)r == DMA_REQ_I2C1_RX + 2 * b)
            i2c_dma_eot_1(&d->chip->i2c[b]);
}

/* One peripheral-side item of stream k; returns its cost in HCLK cycles. */
static uint64_t one_item(struct dma *d, int k)
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
    if (!memory_ahead(st) && !drain(d, k, st->NDTR == 0 || direct(st) ? 0 : threshold(st), &cyc))
        return cyc;
    if (st->NDTR == st->ndtr_start / 2)
        st->flags |= F_HTIF;
    if (st->NDTR == 0) {
        st->fifo_len = 0; /* memory read ahead past the block is dropped */
        end_of_block(d, k);
    }
    return cyc;
}

static void service(sim_t *s, void *dev, uint32_t arg)
{
    (void)arg;
    struct dma *d = dev;
    int k = pick(d);
    if (k < 0 || !clocked(d))
        return;
    uint64_t cyc = one_item(d, k);
    update_irq(d, k);
    uint32_t hclk = rcc_hclk_hz(&d->chip->rcc);
    d->busy_until_ps = sim_now_ps(s) + cyc * SIM_PS_PER_S / (hclk ? hclk : 1u);
    schedule(d);
}

void dma_request(struct f446 *c, enum dma_req req, bool level)
{
    if (req <= DMA_REQ_NONE || req >= DMA_REQ_COUNT || c->dma_req_level[req] == level)
        return;
    c->dma_req_level[req] = level;
    if (level)
        for (int n = 0; n < 2; n++)
            if (c->dma[n].chip)
                schedule(&c->dma[n]);
}

bool dma_request_selected(const struct f446 *c, enum dma_req req)
{
    for (int n = 0; n < 2; n++)
        for (int k = 0; k < DMA_STREAMS; k++)
            if (c->dma[n].chip && (c->dma[n].s[k].CR & CR_EN) && stream_req(&c->dma[n], k) == req)
                return true;
    return false;
}

/* RM0390 9.3.12 table 48: the FIFO threshold must hold whole memory bursts. */
static bool burst_fits(const struct dma_stream *st)
{
    unsigned mburst = FIELD(st->CR, CR_MBURST_POS, 2);
    if (direct(st) || mburst == 0)
        return true;
    unsigned beats = 4u << (mburst - 1u), burst_bytes = beats * msize(st);
    return burst_bytes <= DMA_FIFO_BYTES && threshold(st) % burst_bytes == 0;
}

static void enable(struct dma *d, int k)
{
    struct dma_stream *st = &d->s[k];
    if (st->flags)
        sim_warn(sim_of(d), "%s stream %d enabled with its flags of the last transfer still set "
                            "(RM0390 9.3.17: clear them first)", d->name, k);
    if (dir(st) == DIR_M2M) {
        st->FCR |= FCR_DMDIS; /* 9.5.10: forced by hardware in memory-to-memory mode */
        st->CR &= ~CR_CIRC;
    }
    if (direct(st))
        st->CR &= ~(CR_PINCOS | CR_PBURST | CR_MBURST); /* 9.5.5: forced low in direct mode */
    if (st->CR & CR_PFCTRL)
        sim_warn(sim_of(d), "%s stream %d: peripheral flow control (PFCTRL) is not modeled", d->name, k);
    if (!burst_fits(st)) {
        st->flags |= F_FEIF; /* 9.3.13: FEIF and the stream disabled at once */
        st->errors++;
        update_irq(d, k);
        return;
    }
    if (st->NDTR == 0) {
        sim_warn(sim_of(d), "%s stream %d enabled with NDTR=0: nothing to transfer (RM0390 9.5.6)", d->name, k);
        return;
    }
    st->CR |= CR_EN;
    st->ndtr_start = st->NDTR;
    st->pa = st->PAR;
    st->ma = ((st->CR & CR_DBM) && (st->CR & CR_CT)) ? st->M1AR : st->M0AR;
    st->fifo_len = 0;
    schedule(d);
}

static void disable(struct dma *d, int k)
{
    struct dma_stream *st = &d->s[k];
    uint64_t cyc = 0;
    st->CR &= ~CR_EN;
    /* 9.3.12 "FIFO flush": what the FIFO holds still goes to memory, then TCIF (9.3.17). */
    if (!memory_ahead(st) && !drain(d, k, 0, &cyc))
        return;
    st->fifo_len = 0;
    st->flags |= F_TCIF;
}

static uint32_t fifo_status(const struct dma_stream *st)
{
    /* FS (9.5.10): 100 empty, 101 full, else the quarter it is in. */
    unsigned n = st->fifo_len;
    uint32_t fs = n == 0 ? 4u : n == DMA_FIFO_BYTES ? 5u : n / 4u;
    return (st->FCR & FCR_MASK) | (fs << 3);
}

static uint32_t dma_read(void *dev, uint32_t offset, unsigned size)
{
    struct dma *d = dev;
    uint32_t v = 0;
    offset &= ~3u;
    if (offset < 0x10) {
        if (offset < 0x08) {
            static const unsigned shift[4] = {0, 6, 16, 22};
            for (int q = 0; q < 4; q++)
                v |= d->s[4 * (offset / 4) + q].flags << shift[q];
        }
        return regio_read_lane(v, offset, size); /* LIFCR/HIFCR read as 0 */
    }
    int k = (int)((offset - 0x10) / 0x18);
    if (k >= DMA_STREAMS) {
        sim_unmodeled(sim_of(d), 0x40026000u + 0x400u * (uint32_t)d->index + offset, false);
        return 0;
    }
    const struct dma_stream *st = &d->s[k];
    switch ((offset - 0x10) % 0x18) {
    case 0x00: v = st->CR; break;
    case 0x04: v = st->NDTR; break;
    case 0x08: v = st->PAR; break;
    case 0x0C: v = st->M0AR; break;
    case 0x10: v = st->M1AR; break;
    default: v = fifo_status(st); break;
    }
    return regio_read_lane(v, offset, size);
}

static void clear_flags(struct dma *d, int first, uint32_t value)
{
    static const unsigned shift[4] = {0, 6, 16, 22};
    for (int q = 0; q < 4; q++) {
        d->s[first + q].flags &= ~((value >> shift[q]) & F_ALL);
        update_irq(d, first + q);
    }
}

static void write_cr(struct dma *d, int k, uint32_t value)
{
    struct dma_stream *st = &d->s[k];
    if (st->CR & CR_EN) {
        /* 9.5.5: only EN (to stop) changes while enabled; in double-buffer
         * mode CT is the hardware's. */
        if (!(value & CR_EN))
            disable(d, k);
        return;
    }
    st->CR = value & CR_MASK & ~CR_EN;
    if (value & CR_EN)
        enable(d, k);
}

static void write_stream(struct dma *d, int k, uint32_t reg, uint32_t value)
{
    struct dma_stream *st = &d->s[k];
    bool en = (st->CR & CR_EN) != 0;
    /* 9.5.8/9.5.9: in double-buffer mode the buffer not in use may be changed on the fly. */
    bool dbm_free = en && (st->CR & CR_DBM) &&
                    ((reg == 0x0C && (st->CR & CR_CT)) || (reg == 0x10 && !(st->CR & CR_CT)));
    if (reg == 0x00) {
        write_cr(d, k, value);
    } else if (en && !dbm_free) {
        sim_warn(sim_of(d), "%s stream %d: register 0x%02x written while EN=1: ignored (RM0390 9.5.5)",
                 d->name, k, reg);
    } else {
        switch (reg) {
        case 0x04: st->NDTR = value & 0xFFFFu; break;
        case 0x08: st->PAR = value; break;
        case 0x0C: st->M0AR = value; break;
        case 0x10: st->M1AR = value; break;
        default: st->FCR = value & FCR_MASK; break;
        }
    }
    update_irq(d, k);
}

static void dma_write(void *dev, uint32_t offset, uint32_t value, unsigned size)
{
    struct dma *d = dev;
    if (size != 4) {
        /* 9.2: the AHB slave programming interface takes 32-bit accesses only. */
        sim_warn(sim_of(d), "%s: %u-byte write at offset 0x%02x: only word accesses reach the DMA "
                            "(RM0390 9.2): dropped", d->name, size, offset);
        return;
    }
    if (offset < 0x10) {
        if (offset >= 0x08)
            clear_flags(d, offset == 0x08 ? 0 : 4, value);
        return; /* LISR/HISR are read-only */
    }
    int k = (int)((offset - 0x10) / 0x18);
    if (k >= DMA_STREAMS) {
        sim_unmodeled(sim_of(d), 0x40026000u + 0x400u * (uint32_t)d->index + offset, true);
        return;
    }
    write_stream(d, k, (offset - 0x10) % 0x18, value);
}

const struct sim_mmio_ops dma_ops = {dma_read, dma_write, NULL};

void dma_reset(struct dma *d)
{
    sim_event_cancel(sim_of(d), &d->ev);
    d->busy_until_ps = 0;
    for (int k = 0; k < DMA_STREAMS; k++) {
        struct dma_stream *st = &d->s[k];
        st->CR = st->NDTR = st->PAR = st->M0AR = st->M1AR = 0;
        st->FCR = 0x01u; /* 9.5.10: reset 0x21, FS "empty" comes from fifo_status */
        st->flags = 0;
        st->fifo_len = 0;
        update_irq(d, k);
    }
}
