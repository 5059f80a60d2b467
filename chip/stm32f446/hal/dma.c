/*
 * DMA streams of the STM32F446 (RM0390 section 9), the little this port
 * needs: a stream taken once at init from const board data, checked
 * against RM0390 tables 28/29, and byte transfers between memory and a
 * peripheral register that the peripheral's requests pace (direct mode,
 * 9.3.11), in either direction. Who uses which stream is decided by the
 * board's tables, never searched for at run time.
 */
#include <errno.h>
#include <stdint.h>

#include "quartz/assert.h"
#include "stm32_hal.h"
#include "stm32f446/dma.h"
#include "stm32f446/rcc.h"

#define STOP_POLLS 100U /* EN reads 0 once the current single transfer ended (9.3.17) */
#define STREAM_FLAGS 0x3DUL /* FEIF, DMEIF, TEIF, HTIF, TCIF of stream 0 (9.5.1) */
#define ERROR_FLAGS (DMA_LISR_FEIF0 | DMA_LISR_DMEIF0 | DMA_LISR_TEIF0)

/* RM0390 table 28: the (stream, channel) pairs that carry each request. */
static const struct {
    uint8_t req;
    struct stm32_dma_channel ch;
} routes[] = {
    { STM32_DMA_I2C1_TX, { 1, 6, 1 } },
    { STM32_DMA_I2C1_TX, { 1, 7, 1 } },
    { STM32_DMA_I2C2_TX, { 1, 7, 7 } },
    { STM32_DMA_I2C3_TX, { 1, 4, 3 } },
    { STM32_DMA_USART2_TX, { 1, 6, 4 } },
    { STM32_DMA_SPI1_RX, { 2, 0, 3 } },
    { STM32_DMA_SPI1_RX, { 2, 2, 3 } },
    { STM32_DMA_SPI1_TX, { 2, 3, 3 } },
    { STM32_DMA_SPI1_TX, { 2, 5, 3 } },
    { STM32_DMA_SPI2_RX, { 1, 3, 0 } },
    { STM32_DMA_SPI2_TX, { 1, 4, 0 } },
    { STM32_DMA_SPI3_RX, { 1, 0, 0 } },
    { STM32_DMA_SPI3_RX, { 1, 2, 0 } },
    { STM32_DMA_SPI3_TX, { 1, 5, 0 } },
    { STM32_DMA_SPI3_TX, { 1, 7, 0 } },
    { STM32_DMA_SPI4_RX, { 2, 0, 4 } },
    { STM32_DMA_SPI4_RX, { 2, 3, 5 } },
    { STM32_DMA_SPI4_TX, { 2, 1, 4 } },
    { STM32_DMA_SPI4_TX, { 2, 4, 5 } },
    { STM32_DMA_ADC1, { 2, 0, 0 } }, /* table 29 */
    { STM32_DMA_ADC1, { 2, 4, 0 } },
};

static uint16_t claimed; /* bit 8 x (dma - 1) + stream */

static struct stm32_dma *controller(const struct stm32_dma_channel *ch)
{
    return ch->dma == 1 ? DMA1 : DMA2;
}

static struct stm32_dma_stream *stream(const struct stm32_dma_channel *ch)
{
    return &controller(ch)->S[ch->stream];
}

/* The stream's flags sit at 0, 6, 16, 22 in LISR (streams 0..3) or HISR (4..7). */
static unsigned flag_shift(const struct stm32_dma_channel *ch)
{
    static const uint8_t shift[4] = { 0, 6, 16, 22 };
    return shift[ch->stream & 3U];
}

static inline __attribute__((always_inline)) uint32_t flags(const struct stm32_dma_channel *ch)
{
    struct stm32_dma *d = controller(ch);
    return ((ch->stream < 4 ? d->LISR : d->HISR) >> flag_shift(ch)) & STREAM_FLAGS;
}

static inline __attribute__((always_inline)) void clear_flags(const struct stm32_dma_channel *ch)
{
    struct stm32_dma *d = controller(ch);
    uint32_t bits = STREAM_FLAGS << flag_shift(ch);
    if (ch->stream < 4)
        d->LIFCR = bits;
    else
        d->HIFCR = bits;
}

int stm32_dma_claim(const struct stm32_dma_channel *ch, enum stm32_dma_request req)
{
    bool routed = false;
    for (unsigned i = 0; i < sizeof routes / sizeof routes[0]; i++)
        routed |= routes[i].req == req && routes[i].ch.dma == ch->dma && routes[i].ch.stream == ch->stream &&
                  routes[i].ch.channel == ch->channel;
    if (!routed)
        return -EINVAL;
    uint16_t bit = (uint16_t)(1U << (8U * (ch->dma - 1U) + ch->stream));
    if (claimed & bit)
        return -EBUSY;
    claimed |= bit;
    RCC->AHB1ENR |= ch->dma == 1 ? RCC_AHB1ENR_DMA1EN : RCC_AHB1ENR_DMA2EN;
    (void)RCC->AHB1ENR; /* read back: the enable took effect before the first register access */
    return 0;
}

void stm32_dma_start(const struct stm32_dma_channel *ch, const struct stm32_dma_xfer *x)
{
    struct stm32_dma_stream *st = stream(ch);
    QUARTZ_ASSERT(!(st->CR & DMA_SxCR_EN)); /* the owner stops a transfer before the next */
    clear_flags(ch); /* 9.3.17: flags of the last transfer cleared before EN */
    st->PAR = (uint32_t)x->periph;
    st->M0AR = (uint32_t)x->mem;
    st->NDTR = x->n;
    st->FCR = 0; /* direct mode */
    /* DIR 01 memory-to-peripheral, 00 peripheral-to-memory (9.5.5). A
     * receiving stream gets the higher priority (PL, 9.3.4): one served late
     * loses a byte to the peripheral's overrun, a late sender only idles the
     * bus for a moment. */
    uint32_t cr = ((uint32_t)ch->channel << DMA_SxCR_CHSEL_Pos) | DMA_SxCR_EN_Msk;
    cr |= x->to_periph ? 1UL << DMA_SxCR_DIR_Pos : 2UL << DMA_SxCR_PL_Pos;
    if (x->mem_inc)
        cr |= DMA_SxCR_MINC_Msk;
    if (x->item_bytes == 2U)
        cr |= 1UL << DMA_SxCR_PSIZE_Pos | 1UL << DMA_SxCR_MSIZE_Pos;
    if (x->irq)
        cr |= DMA_SxCR_TCIE_Msk | DMA_SxCR_TEIE_Msk;
    st->CR = cr;
}

void stm32_dma_send(const struct stm32_dma_channel *ch, volatile void *periph, const void *mem, uint16_t n,
                    bool irq)
{
    /* stm32_dma_start for bytes from incrementing memory to a peripheral,
     * written out: the I2C port calls it from its ADDR event, on the OLED
     * refresh's path (docs/performance.md, "Third pass"). */
    struct stm32_dma_stream *st = stream(ch);
    QUARTZ_ASSERT(!(st->CR & DMA_SxCR_EN)); /* the owner stops a transfer before the next */
    clear_flags(ch); /* 9.3.17: flags of the last transfer cleared before EN */
    st->PAR = (uint32_t)periph;
    st->M0AR = (uint32_t)(uintptr_t)mem;
    st->NDTR = n;
    st->FCR = 0; /* direct mode */
    uint32_t cr = ((uint32_t)ch->channel << DMA_SxCR_CHSEL_Pos) | DMA_SxCR_EN_Msk | 1UL << DMA_SxCR_DIR_Pos |
                  DMA_SxCR_MINC_Msk;
    if (irq)
        cr |= DMA_SxCR_TCIE_Msk | DMA_SxCR_TEIE_Msk;
    st->CR = cr;
}

int stm32_dma_status(const struct stm32_dma_channel *ch)
{
    uint32_t f = flags(ch);
    if (f & ERROR_FLAGS)
        return -EIO;
    return (f & DMA_LISR_TCIF0) ? 1 : 0;
}

bool stm32_dma_stop(const struct stm32_dma_channel *ch)
{
    struct stm32_dma_stream *st = stream(ch);
    uint32_t cr = st->CR;
    if (cr & DMA_SxCR_EN_Msk) { /* still on (a transfer that ended clears EN itself, 9.3.17) */
        st->CR = cr & ~DMA_SxCR_EN_Msk;
        for (uint32_t i = 0; i < STOP_POLLS && (st->CR & DMA_SxCR_EN_Msk); i++) {
        }
    }
    bool failed = (flags(ch) & ERROR_FLAGS) != 0;
    clear_flags(ch);
    return failed;
}
