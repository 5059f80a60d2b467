/*
 * SPI1..SPI4 of the STM32F446 (RM0390 section 26), master mode. Included by
 * f446.h; the model is sim/stm32f446/spi.c.
 */
#ifndef SIM_STM32F446_SPI_H
#define SIM_STM32F446_SPI_H

#include <stdbool.h>
#include <stdint.h>

#include "core/sim.h"

struct f446;

enum spi_signal { SPI_SCK, SPI_MISO, SPI_MOSI, SPI_NSS, SPI_NSIGNALS };

/* A pin, or none (port < 0). */
struct spi_pin {
    int8_t port; /* 0 = GPIOA */
    int8_t pin;
};

/*
 * One frame as it goes out on the wire, for the board's devices. Bits are in
 * wire order: the first bit on the wire is bit `bits - 1` of `mosi` (so
 * LSBFIRST shows as a reversed value). `mode` is CPOL << 1 | CPHA of the
 * master; `pins` are the pins currently in this SPI's alternate function
 * (DS10693 table 11), port -1 when none is.
 */
struct spi_frame {
    uint16_t mosi;
    uint8_t bits; /* 8 or 16 (DFF) */
    uint8_t mode;
    struct spi_pin pins[SPI_NSIGNALS];
};

struct spi {
    struct f446 *chip;
    const char *name;
    uint32_t base;
    int index; /* 0 = SPI1 */
    int irqn;
    bool apb2; /* SPI1/SPI4 on APB2, SPI2/SPI3 on APB1 (RM0390 section 2, the device block diagram) */
    uint32_t CR1, CR2, SR, CRCPR, RXCRCR, TXCRCR, I2SCFGR, I2SPR;
    uint16_t rx_buf, tx_buf; /* the RX and TX buffers behind DR (RM0390 26.3.7) */
    bool tx_full;
    bool shifting;      /* a frame is in the shift register */
    bool crc_frame;     /* ... and it is the CRC (CRCNEXT) */
    uint16_t shift;     /* the frame being sent */
    uint8_t shift_bits; /* its size, fixed when it started */
    bool ovr_dr_read;   /* DR read while OVR: the SR read that follows clears it */
    bool modf_sr_access; /* SR accessed while MODF: the CR1 write that follows clears it */
    struct sim_event ev;
    uint64_t busy_since_ps;
    /* DMA requests (RM0390 26.3.9): the DMA model, when there is one, sets
     * `dma_request` and is told each time a request line changes. */
    bool dma_tx, dma_rx;
    void (*dma_request)(void *ctx, int spi_index, bool tx, bool asserted);
    void *dma_ctx;
    /* statistics (report) */
    uint64_t frames, bytes, busy_ps, overruns, mode_faults, crc_errors;
};

void spi_reset(struct spi *s);
/* A GPIO pin changed level: an NSS input may raise MODF (RM0390 26.3.10). */
void spi_gpio_edge(struct f446 *c, int port, int pin, bool high);
/* Level an SPI output drives on the pin while it is in the SPI's alternate
 * function: 0 or 1, or -1 when no SPI output drives it (MISO of a master,
 * NSS without SSOE, not an SPI pin). */
int spi_pin_drive(const struct f446 *c, int port, int pin);
/* Whether the SPI's TX (DR empty, TXDMAEN) / RX (RXNE, RXDMAEN) DMA request is asserted now. */
bool spi_dma_tx_request(const struct spi *s);
bool spi_dma_rx_request(const struct spi *s);

extern const struct sim_mmio_ops spi_ops;

#endif
