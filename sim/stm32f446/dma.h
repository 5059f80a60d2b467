/*
 * DMA1 and DMA2 (RM0390 section 9): two controllers of 8 streams each. A
 * peripheral model raises or drops its request line (dma_request); the
 * line reaches every stream whose CHSEL selects it in RM0390 tables 28
 * and 29, and the stream moves one data item per request. Memory and
 * peripheral registers are reached through the core's bus (sim_bus_read,
 * sim_bus_write): the same host memory and the same model handlers the
 * CPU's accesses reach, side effects included.
 */
#ifndef SIM_STM32F446_DMA_H
#define SIM_STM32F446_DMA_H

#include <stdbool.h>
#include <stdint.h>

#include "core/sim.h"

struct f446;

/* The request lines of the peripherals modeled, named as in RM0390 tables 28/29. */
enum dma_req {
    DMA_REQ_NONE,
    DMA_REQ_I2C1_RX, DMA_REQ_I2C1_TX, DMA_REQ_I2C2_RX, DMA_REQ_I2C2_TX, DMA_REQ_I2C3_RX, DMA_REQ_I2C3_TX,
    DMA_REQ_USART1_RX, DMA_REQ_USART1_TX, DMA_REQ_USART2_RX, DMA_REQ_USART2_TX,
    DMA_REQ_USART3_RX, DMA_REQ_USART3_TX, DMA_REQ_UART4_RX, DMA_REQ_UART4_TX,
    DMA_REQ_UART5_RX, DMA_REQ_UART5_TX, DMA_REQ_USART6_RX, DMA_REQ_USART6_TX,
    DMA_REQ_SPI1_RX, DMA_REQ_SPI1_TX, DMA_REQ_SPI2_RX, DMA_REQ_SPI2_TX,
    DMA_REQ_SPI3_RX, DMA_REQ_SPI3_TX, DMA_REQ_SPI4_RX, DMA_REQ_SPI4_TX,
    DMA_REQ_ADC1, DMA_REQ_ADC2, DMA_REQ_ADC3,
    DMA_REQ_COUNT
};

#define DMA_STREAMS 8
#define DMA_FIFO_BYTES 16 /* four words (RM0390 9.3.12) */

struct dma_stream {
    uint32_t CR, NDTR, PAR, M0AR, M1AR, FCR;
    uint32_t flags;           /* FEIF, DMEIF, TEIF, HTIF, TCIF in the bit order of LISR's stream 0 */
    uint32_t pa, ma;          /* current peripheral and memory addresses */
    uint32_t ndtr_start;      /* NDTR when the stream was enabled (reloaded in circular mode) */
    uint8_t fifo[DMA_FIFO_BYTES];
    unsigned fifo_len;
    /* statistics (report) */
    uint64_t transfers, bytes, errors;
};

struct dma {
    struct f446 *chip;
    const char *name;
    int index; /* 0 = DMA1 */
    int irqn[DMA_STREAMS];
    struct dma_stream s[DMA_STREAMS];
    struct sim_event ev;
    uint64_t busy_until_ps; /* the controller's ports are busy with an item until then */
};

extern const struct sim_mmio_ops dma_ops;
void dma_reset(struct dma *d);

/* A peripheral raises (level true) or drops its request `req`; the DMA
 * serves it from an event at the current virtual time, never inside the call. */
void dma_request(struct f446 *c, enum dma_req req, bool level);

#endif
