/*
 * Console on USART2 (RM0390 section 25): TX through a queue drained by the
 * TXE interrupt, RX into a ring buffer from the RXNE interrupt. Both queues
 * are single-producer/single-consumer rings (lib/ring).
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

static uint8_t tx_buf[256], rx_buf[64];
static struct ring tx, rx;
static uint32_t baud_rate;
static uint32_t dropped;

int serial_init(uint32_t baud)
{
    if (baud == 0)
        return -EINVAL;
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
    USART2->CR3 = 0;
    USART2->CR1 = USART_CR1_UE | USART_CR1_TE | USART_CR1_RE | USART_CR1_RXNEIE;
    nvic_set_priority(USART2_IRQn, STM32_HAL_IRQ_PRIO);
    nvic_enable(USART2_IRQn);
    return 0;
}

size_t serial_write(const void *buf, size_t len)
{
    size_t n = ring_put(&tx, buf, len);
    dropped += (uint32_t)(len - n);
    /* CR1 is also changed by the handler (TXEIE off when empty): RMW under the lock. */
    uint32_t key = cpu_irq_lock();
    USART2->CR1 |= USART_CR1_TXEIE;
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
    }
    if ((sr & USART_SR_TXE) && (USART2->CR1 & USART_CR1_TXEIE)) {
        uint8_t byte;
        if (ring_get_byte(&tx, &byte))
            USART2->DR = byte;
        else
            USART2->CR1 &= ~USART_CR1_TXEIE;
    }
}
