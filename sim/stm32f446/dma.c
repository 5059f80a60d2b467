/*
 * DMA1 and DMA2 (RM0390 section 9). Per stream: CHSEL selects one of eight
 * request lines (tables 28/29); DIR peripheral-to-memory, memory-to-
 * peripheral or memory-to-memory; PSIZE/MSIZE with packing through the
 * 16-byte FIFO (FIFO mode, threshold FTH) or single items (direct mode);
 * PINC/MINC/PINCOS; circular and double-buffer (DBM, CT) modes; the
 * software priority PL, then the stream number (9.3.4); flags and their
 * interrupts (9.3.13, 9.5.1-9.5.4); EN cleared at the end and on an error.
 * This file: the registers, the arbiter and the interrupts; dma_xfer.c
 * moves the data.
 *
 * A stream moves one item per request (memory-to-memory streams need none
 * and run item after item); the controller is busy for the item's cost
 * (dma_xfer.c). The CPU is not stalled by the DMA's bus use (the bus
 * matrix arbitration is not modeled).
 *
 * Not modeled: bursts (PBURST/MBURST only take part in the FIFO threshold
 * check of 9.3.12 table 48), the peripheral flow controller (PFCTRL: SDIO
 * only), and the FIFO over/underrun and direct-mode errors, which need a
 * bus not granted in time: the model's bus always is.
 */
#include "dma_priv.h"

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
    sim_irq_set_level(dma_sim(d), d->irqn[k], (st->flags & en) != 0);
}

static bool requesting(const struct dma *d, int k)
{
    const struct dma_stream *st = &d->s[k];
    if (!(st->CR & CR_EN))
        return false;
    if (dir(st) == DIR_M2M)
        return true; /* 9.3.6: memory-to-memory starts at EN, without requests */
    enum dma_req r = dma_stream_req(d, k);
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
    uint64_t now = sim_now_ps(dma_sim(d));
    sim_event_at(dma_sim(d), &d->ev, d->busy_until_ps > now ? d->busy_until_ps : now, service, d, 0);
}


static void service(sim_t *s, void *dev, uint32_t arg)
{
    (void)arg;
    struct dma *d = dev;
    int k = pick(d);
    if (k < 0 || !clocked(d))
        return;
    uint64_t cyc = dma_item(d, k);
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
        sim_warn(dma_sim(d), "%s stream %d enabled with its flags of the last transfer still set "
                            "(RM0390 9.3.17: clear them first)", d->name, k);
    if (dir(st) == DIR_M2M) {
        st->FCR |= FCR_DMDIS; /* 9.5.10: forced by hardware in memory-to-memory mode */
        st->CR &= ~CR_CIRC;
    }
    if (direct(st))
        st->CR &= ~(CR_PINCOS | CR_PBURST | CR_MBURST); /* 9.5.5: forced low in direct mode */
    if (st->CR & CR_PFCTRL)
        sim_warn(dma_sim(d), "%s stream %d: peripheral flow control (PFCTRL) is not modeled", d->name, k);
    if (!burst_fits(st)) {
        st->flags |= F_FEIF; /* 9.3.13: FEIF and the stream disabled at once */
        st->errors++;
        update_irq(d, k);
        return;
    }
    if (st->NDTR == 0) {
        sim_warn(dma_sim(d), "%s stream %d enabled with NDTR=0: nothing to transfer (RM0390 9.5.6)", d->name, k);
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
    if (!memory_ahead(st) && !dma_drain(d, k, 0, &cyc))
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
        sim_unmodeled(dma_sim(d), 0x40026000u + 0x400u * (uint32_t)d->index + offset, false);
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
        sim_warn(dma_sim(d), "%s stream %d: register 0x%02x written while EN=1: ignored (RM0390 9.5.5)",
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
        sim_warn(dma_sim(d), "%s: %u-byte write at offset 0x%02x: only word accesses reach the DMA "
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
        sim_unmodeled(dma_sim(d), 0x40026000u + 0x400u * (uint32_t)d->index + offset, true);
        return;
    }
    write_stream(d, k, (offset - 0x10) % 0x18, value);
}

const struct sim_mmio_ops dma_ops = {dma_read, dma_write, NULL};

void dma_reset(struct dma *d)
{
    sim_event_cancel(dma_sim(d), &d->ev);
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
