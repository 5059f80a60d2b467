/*
 * DMA1/DMA2 model internals shared by dma.c (registers, arbitration,
 * interrupts) and dma_xfer.c (moving the data): register bits of RM0390
 * 9.5 and the stream's configuration as the transfer reads it.
 */
#ifndef SIM_STM32F446_DMA_PRIV_H
#define SIM_STM32F446_DMA_PRIV_H

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

static inline sim_t *dma_sim(const struct dma *d) { return d->chip->sim; }
static inline unsigned dir(const struct dma_stream *st) { return FIELD(st->CR, CR_DIR_POS, 2); }
static inline bool direct(const struct dma_stream *st) { return !(st->FCR & FCR_DMDIS); }
static inline unsigned psize(const struct dma_stream *st) { return 1u << FIELD(st->CR, CR_PSIZE_POS, 2); }

static inline unsigned msize(const struct dma_stream *st)
{
    return direct(st) ? psize(st) : 1u << FIELD(st->CR, CR_MSIZE_POS, 2); /* 9.5.5: MSIZE ignored */
}

static inline unsigned threshold(const struct dma_stream *st)
{
    return 4u * (FIELD(st->FCR, 0, 2) + 1u);
}

static inline bool memory_ahead(const struct dma_stream *st) /* the memory side reads from M0AR/M1AR */
{
    return dir(st) == DIR_M2P;
}

/* The request line stream k's CHSEL selects (tables 28/29). */
enum dma_req dma_stream_req(const struct dma *d, int k);
/* One peripheral-side item of stream k; returns its cost in HCLK cycles. */
uint64_t dma_item(struct dma *d, int k);
/* The memory side: the FIFO written out in MSIZE units while it holds `keep`
 * bytes or more; false after a bus error (TEIF, EN cleared). */
bool dma_drain(struct dma *d, int k, unsigned keep, uint64_t *cyc);

#endif
