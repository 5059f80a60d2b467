/*
 * WIZnet W5500 driver (W5500 Datasheet v1.0.x, "ds") over the portable
 * SPI interface; it provides the portable network interface
 * (quartz/net.h) with the chip's hardware sockets: TCP clients and UDP.
 *
 * The board gives a const struct w5500_config; the driver's state is a
 * struct w5500 the caller owns (no heap). Frames are variable-length
 * (ds 2.2.1) under one chip select; buffer transfers go as one segment so
 * the SPI port moves them by DMA above its threshold.
 */
#ifndef QUARTZ_DRIVERS_W5500_H
#define QUARTZ_DRIVERS_W5500_H

#include <stdbool.h>
#include <stdint.h>

#include "quartz/hal/gpio.h"
#include "quartz/hal/spi.h"
#include "quartz/net.h"

#define W5500_SOCKET_COUNT 8

struct w5500_config {
    const struct spi_device *spi; /* mode 0 or 3, up to 80 MHz (ds 2.1) */
    struct gpio_pin intn;         /* INTn, active low (ds 1.1) */
    struct gpio_pin rstn;         /* RSTn, active low */
    bool has_intn, has_rstn;      /* false: polling only / no hardware reset */
    uint8_t mac[6];
};

struct w5500_socket_state {
    uint8_t mode;       /* 0 free, else Sn_MR protocol */
    bool established;   /* reached ESTABLISHED once */
    bool send_pending;  /* a SEND whose SENDOK has not come */
    uint8_t ir;         /* Sn_IR bits read and cleared, not yet consumed */
};

struct w5500 {
    struct net_if nif; /* first: the net_if pointer is the driver */
    const struct w5500_config *cfg;
    struct w5500_socket_state sock[W5500_SOCKET_COUNT];
    volatile bool irq; /* INTn fell; cleared by thread code */
    uint16_t next_port;
    uint32_t spi_errors, irqs;
    /* Called (may be NULL) with `len` bytes of TCP data in the chip's
     * transmit buffer, just before the SEND command puts them on the
     * wire: the last moment a user can record that they are sent (the
     * sensor node's backup-SRAM "sent" mark) without a window in which
     * they are out but not recorded. */
    void (*before_send)(struct w5500 *w, int sock, size_t len);
};

/*
 * Reset (RSTn, else MR.RST), detection (VERSIONR 0x04 and RTR at its
 * reset value 0x07D0, as Zephyr's driver checks), 2 KB buffers per
 * socket, the MAC, socket interrupts on INTn. Returns 0, -ENODEV (no
 * W5500 answers), -EIO (SPI error) or what gpio/spi init returned.
 */
int w5500_init(struct w5500 *w, const struct w5500_config *cfg);
/* 1 link up, 0 down (PHYCFGR.LNK), -EIO. */
int w5500_link(struct w5500 *w);

/* Chip access for tests and tools: `len` bytes at `addr` of block `bsb` (ds 2.2). 0 or -EIO. */
int w5500_read(struct w5500 *w, uint8_t bsb, uint16_t addr, void *buf, uint16_t len);
int w5500_write(struct w5500 *w, uint8_t bsb, uint16_t addr, const void *buf, uint16_t len);

#endif
