/*
 * SPI devices on the board: each sits on one SPI bus of the chip, wired to
 * the bus's SCK/MISO/MOSI pins and to its own chip-select GPIO (active
 * low). The board forwards each frame the chip ends (f446 hook spi_frame)
 * and each level change of a GPIO (gpio_changed) here; the selected
 * device sees the bits it samples in its own SPI mode, and its reply is
 * what the master samples in the master's mode.
 */
#ifndef SIM_BOARD_SPI_BUS_H
#define SIM_BOARD_SPI_BUS_H

#include <stdbool.h>
#include <stdint.h>

#include "stm32f446/f446.h"

struct spi_device_ops {
    void (*select)(void *dev);   /* chip select fell: a transaction starts (may be NULL) */
    void (*deselect)(void *dev); /* chip select rose (may be NULL) */
    /* One frame of `bits` bits while selected, at the end of its frame time:
     * `mosi` as the device sampled it, first bit on the wire in bit
     * bits-1; returns the bits it shifts out, in the same order. */
    uint16_t (*exchange)(void *dev, uint16_t mosi, unsigned bits);
};

struct spi_device {
    const struct spi_device_ops *ops;
    void *dev;
    uint8_t mode; /* the SPI mode the device works in: CPOL << 1 | CPHA, or SPI_MODE_WIRE */
    /* set by spi_bus_attach */
    struct spi_pin cs;
    bool selected;
};

/* Not a device but a wire from MOSI to MISO: the master reads back what it sends. */
#define SPI_MODE_WIRE 0xFFu
#define SPI_BUS_MAX_DEVICES 4

struct spi_bus {
    int index;                /* 0 = SPI1 */
    struct spi_pin sck, miso, mosi; /* where the board wires the devices */
    struct spi_device *devices[SPI_BUS_MAX_DEVICES];
    int ndevices;
    struct f446 *chip;
    /* statistics */
    uint64_t frames_to_devices, contention;
};

void spi_bus_init(struct spi_bus *b, struct f446 *chip, int index, struct spi_pin sck, struct spi_pin miso,
                  struct spi_pin mosi);
/* Wires `d` with its chip select on `cs`. Returns 0 or -ENOMEM (bus full). */
int spi_bus_attach(struct spi_bus *b, struct spi_device *d, struct spi_pin cs);
/* A GPIO level changed: selects or deselects the device whose CS it is. */
void spi_bus_gpio_changed(struct spi_bus *b, int port, int pin, bool level);
/* A frame from the chip (hook spi_frame for this bus). */
bool spi_bus_frame(struct spi_bus *b, const struct spi_frame *f, uint16_t *miso);
/*
 * The wire between a transmitter and a sampler (exposed for tests): the
 * bits a sampler in mode `sampler_mode` takes from a transmitter in mode
 * `tx_mode` sending `value` (wire order), with SCK from a master in
 * `clock_mode`.
 */
uint16_t spi_wire_sample(uint16_t value, unsigned bits, unsigned tx_mode, unsigned sampler_mode,
                         unsigned clock_mode);

/* Test devices. */
/* Loopback: MOSI wired to MISO while selected (SPI_MODE_WIRE); counts what it saw. */
struct spi_loopback {
    struct spi_device bus;
    uint16_t last;
    uint64_t frames, selects;
};
void spi_loopback_init(struct spi_loopback *l);

/*
 * Register file of 128 bytes (8-bit frames, mode 0 unless told): the first
 * byte of a transaction is a command, bit 7 = read, bits 6..0 the start
 * address; then each frame writes the next register (write) or returns it
 * (read, the register at the address then auto-increment). MISO answers
 * 0x00 during the command byte, like a BME280.
 */
#define SPI_REGFILE_SIZE 128u
struct spi_regfile {
    struct spi_device bus;
    uint8_t regs[SPI_REGFILE_SIZE];
    uint8_t addr;
    bool have_command, reading;
    uint64_t transactions, frames;
};
void spi_regfile_init(struct spi_regfile *r, uint8_t mode);

#endif
