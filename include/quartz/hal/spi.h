/*
 * Portable SPI master interface, after embedded-hal's SpiDevice: a device
 * is a bus, its chip select and its settings; the one core operation is a
 * transaction, a list of segments run with the chip select held low from
 * the first frame of the first segment to the last frame of the last one,
 * and released afterwards, on error too. Drivers never toggle the chip
 * select themselves; sharing the bus between devices lives below them.
 *
 * Segments (8-bit frames, full duplex on the wire):
 *  - SPI_WRITE    sends `len` bytes from `tx`, discards what comes back;
 *  - SPI_READ     sends `len` fill bytes (0x00), stores what comes back in `rx`;
 *  - SPI_TRANSFER sends `tx` and stores in `rx` at the same time (`rx` may be `tx`).
 *
 * Errors (negative errno): -EINVAL bad segment list (no segment, a zero
 * length, a missing buffer) or a device setting the bus cannot make;
 * -EBUSY the bus is in a transaction already (from an interrupt that
 * preempted one); -ETIMEDOUT a frame did not end within the driver's bound
 * (the peripheral is not clocked or is stuck); -EIO the peripheral reported
 * a fault (mode fault, overrun). The chip select is high again when a
 * transaction returns, whatever the result.
 */
#ifndef QUARTZ_HAL_SPI_H
#define QUARTZ_HAL_SPI_H

#include <stddef.h>
#include <stdint.h>

#include "quartz/hal/gpio.h"

enum spi_op_kind { SPI_WRITE, SPI_READ, SPI_TRANSFER };

struct spi_op {
    const uint8_t *tx; /* SPI_WRITE, SPI_TRANSFER */
    uint8_t *rx;       /* SPI_READ, SPI_TRANSFER */
    uint16_t len;
    uint8_t kind; /* enum spi_op_kind */
};

/* CPOL << 1 | CPHA, as in every datasheet's "SPI mode" table. */
#define SPI_MODE_0 0u
#define SPI_MODE_1 1u
#define SPI_MODE_2 2u
#define SPI_MODE_3 3u

struct spi_bus;

/* A device: const data in the board or the driver that uses it. */
struct spi_device {
    struct spi_bus *bus;
    struct gpio_pin cs; /* active low */
    uint32_t max_hz;    /* the bus runs at the fastest rate it can make at or below this */
    uint8_t mode;       /* SPI_MODE_0..3 */
    uint8_t lsb_first;  /* 1: bit 0 first on the wire */
};

struct spi_bus_ops {
    /* Checks the device's settings against the bus and makes its chip select
     * an output, high. Returns 0 or -EINVAL. */
    int (*device_init)(const struct spi_device *dev);
    int (*transaction)(const struct spi_device *dev, const struct spi_op *ops, size_t n);
};

struct spi_bus {
    const struct spi_bus_ops *ops;
};

static inline int spi_device_init(const struct spi_device *dev)
{
    return dev->bus->ops->device_init(dev);
}

static inline int spi_transaction(const struct spi_device *dev, const struct spi_op *ops, size_t n)
{
    return dev->bus->ops->transaction(dev, ops, n);
}

static inline int spi_write(const struct spi_device *dev, const uint8_t *buf, uint16_t len)
{
    struct spi_op op = { buf, NULL, len, SPI_WRITE };
    return spi_transaction(dev, &op, 1);
}

static inline int spi_read(const struct spi_device *dev, uint8_t *buf, uint16_t len)
{
    struct spi_op op = { NULL, buf, len, SPI_READ };
    return spi_transaction(dev, &op, 1);
}

/* A command or register address, then the answer, under one chip select. */
static inline int spi_write_then_read(const struct spi_device *dev, const uint8_t *wbuf, uint16_t wlen,
                                      uint8_t *rbuf, uint16_t rlen)
{
    struct spi_op ops[2] = {
        { wbuf, NULL, wlen, SPI_WRITE },
        { NULL, rbuf, rlen, SPI_READ },
    };
    return spi_transaction(dev, ops, 2);
}

#endif
