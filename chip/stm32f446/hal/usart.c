/*
 * Console on USART2 (RM0390 section 25): TX through a queue that DMA1
 * stream 6 sends from in place, one contiguous span at a time (25.4.13: one
 * interrupt per span, at its end, instead of one per byte), RX into a ring
 * buffer from the RXNE interrupt. Both queues are single-producer/single-
 * consumer rings (lib/ring); the TX ring's consumer is the stream's handler.
 */
#include <errno.h>
#include <string.h>

#include "cortex_m/nvic.h"
#include "quartz/hal/clock.h"
#include "quartz/hal/cpu.h"
#include "quartz/hal/serial.h"
#include "quartz/ring.h"
#include "stm32_hal.h"
#include "stm32f446/irq.h"
#include "stm32f446/rcc.h"
#include "stm32f446/usart.h"

void USART2_IRQHandler(void);
void DMA1_Stream6_IRQHandler(void);

/* USART2_TX: DMA1 stream 6 channel 4, the one stream that carries it (RM0390 table 28). */
static const struct stm32_dma_channel tx_dma = { 1, 6, 4 };
static volatile uint16_t tx_sending; /* bytes of the span the stream sends, 0 = idle */

static uint8_t tx_buf[256], rx_buf[64];
static struct ring tx, rx;
static uint32_t baud_rate;
static uint32_t dropped;
static void (*volatile on_receive)(void); /* serial_on_receive */

int serial_init(uint32_t baud)
{
    if (baud == 0)
        return -EINVAL;
    int rc = stm32_dma_claim(&tx_dma, STM32_DMA_USART2_TX);
    if (rc < 0)
        return rc; /* another driver has stream 6: the board's tables conflict */
    tx_sending = 0;
    ring_init(&tx, tx_buf, sizeof tx_buf);
    ring_init(&rx, rx_buf, sizeof rx_buf);
    baud_rate = baud;
    RCC->APB1ENR |= RCC_APB1ENR_USART2EN;
    (void)RCC->APB1ENR;
    USART2->CR1 = 0;
    /* OVER8 = 0: BRR holds USARTDIV in 12.4 fixed point = PCLK1 / baud (25.4.4). */
    uint32_t pclk = stm32_clocks()->pclk1;
    USART2->BRR = (pclk + baud / 2U) / baud;
    USART2->CR2 = 0; /* 1 stop bit */
    USART2->CR3 = USART_CR3_DMAT; /* TXE is the stream's request (25.4.13) */
    USART2->CR1 = USART_CR1_UE | USART_CR1_TE | USART_CR1_RE | USART_CR1_RXNEIE;
    nvic_set_priority(USART2_IRQn, STM32_HAL_IRQ_PRIO);
    nvic_enable(USART2_IRQn);
    nvic_set_priority(DMA1_Stream6_IRQn, STM32_HAL_IRQ_PRIO);
    nvic_enable(DMA1_Stream6_IRQn);
    return 0;
}

/* The next span of the queue to the stream, if any. With interrupts masked
 * or from the stream's handler (same priority as every caller). */
static void tx_next(void)
{
    const uint8_t *span;
    size_t n = ring_peek(&tx, &span);
    tx_sending = (uint16_t)n;
    if (n == 0)
        return;
    USART2->SR = ~USART_SR_TC; /* 25.4.13: TC cleared first, set again after the span's last frame */
    stm32_dma_send(&tx_dma, &USART2->DR, span, (uint16_t)n, true);
}

size_t serial_write(const void *buf, size_t len)
{
    size_t n = ring_put(&tx, buf, len);
    dropped += (uint32_t)(len - n);
    uint32_t key = cpu_irq_lock();
    if (tx_sending == 0)
        tx_next();
    cpu_irq_unlock(key);
    return n;
}

size_t serial_puts(const char *s)
{
    return serial_write(s, strlen(s));
}

size_t serial_read(void *buf, size_t len)
{
    return ring_get(&rx, buf, len);
}

void serial_on_receive(void (*fn)(void))
{
    on_receive = fn; /* one word: the interrupt sees the old or the new hook */
}

int serial_drain(void)
{
    if (baud_rate == 0)
        return -EINVAL; /* before serial_init: nothing to drain, and no rate to bound it */
    /* Bound: the queued characters at 10 bits each, plus 10 ms. Counted in
     * cycles as well: with interrupts masked (or from a handler) the queue
     * never drains and the tick never advances, and this must still end. */
    struct stm32_wait w;
    stm32_wait_start(&w, 10U + (uint32_t)((ring_used(&tx) + 1U) * 10000U / baud_rate) + 1U);
    while (ring_used(&tx) > 0 || !(USART2->SR & USART_SR_TC)) {
        if (stm32_wait_over(&w))
            return -ETIMEDOUT;
    }
    return 0;
}

void USART2_IRQHandler(void)
{
    uint32_t sr = USART2->SR;
    if (sr & (USART_SR_RXNE | USART_SR_ORE)) {
        /* Reading DR clears RXNE, and ORE after the SR read (25.6.1). */
        uint8_t byte = (uint8_t)USART2->DR;
        (void)ring_put_byte(&rx, byte);
        void (*fn)(void) = on_receive;
        if (fn != NULL)
            fn();
    }
}

/* The span is out of the queue (into DR: its last frames are still on the
 * wire, which TC tells serial_drain), or the stream failed: the span is
 * dropped either way, and the next one goes. */
void DMA1_Stream6_IRQHandler(void)
{
    if (stm32_dma_stop(&tx_dma))
        dropped += tx_sending;
    ring_skip(&tx, tx_sending);
    tx_next();
}
