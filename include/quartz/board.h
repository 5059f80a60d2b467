/*
 * What a board gives the applications, in portable terms. The board
 * (board/<name>/) defines these as const data and brings the chip up in
 * board_init(), which the runtime calls before main().
 */
#ifndef QUARTZ_BOARD_H
#define QUARTZ_BOARD_H

#include "quartz/hal/gpio.h"
#include "quartz/hal/i2c.h"
#include "quartz/hal/spi.h"

extern const char board_name[];
extern const struct gpio_pin board_led;    /* user LED, active high */
extern const struct gpio_pin board_button; /* user button, active low, pull-up */

/* The bus the display is on (I2C1 at 400 kHz on the Nucleo); valid after board_init(). */
struct i2c_bus *board_display_bus(void);

/*
 * The network module's wiring (a WIZnet W5500 on the Nucleo: SPI2 PB13 SCK,
 * PB14 MISO, PB15 MOSI, chip select PB12, INTn PC8, RSTn PC9;
 * docs/hardware.md). Its bus comes up at the first call, so images without
 * networking keep SPI2 and its DMA streams free. 0, or the bus init's
 * -errno.
 */
struct board_net {
    const struct spi_device *spi;
    struct gpio_pin intn, rstn; /* active low */
};
int board_net(struct board_net *out);

/* Clocks, system tick, pins, console; reports the previous boot's fault, if any. */
void board_init(void);

#endif
