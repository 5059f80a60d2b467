/*
 * The Nucleo-F446RE board model: the STM32F446RE's peripherals (sim/stm32f446)
 * plus what the board wires to them: SSD1306 at 0x3C on I2C1 (PB8/PB9) and,
 * when attached, an M24256 EEPROM at 0x50 on the same bus,
 * a BME280 at 0x76 on the same bus (or on SPI),
 * B1 on PC13 (active low, pull-up), LD2 on PA5, USART2 (PA2/PA3) to the
 * ST-LINK virtual COM port. The core (sim/core) owns the CPU and time; it
 * calls these functions, and the models call back through sim/core/sim.h.
 */
#ifndef SIM_BOARD_NUCLEO_H
#define SIM_BOARD_NUCLEO_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "core/sim.h"

struct nucleo;

/* Maps every STM32F446 peripheral into `s` and wires the board devices. */
struct nucleo *nucleo_create(sim_t *s);
void nucleo_destroy(struct nucleo *b);
/* Reset by the NRST pin (black button, debugger): every register to its
 * reset value; RCC_CSR gets PINRSTF. The OLED module is not reset. */
void nucleo_reset(struct nucleo *b);
/* Reset by AIRCR.SYSRESETREQ: as nucleo_reset, with SFTRSTF and PINRSTF. */
void nucleo_system_reset(struct nucleo *b);

/* B1; with bounce configured each change is preceded by `edges` chatter edges. */
void nucleo_button_set(struct nucleo *b, bool pressed);
void nucleo_set_bounce(struct nucleo *b, int edges, uint64_t window_ps);
void nucleo_oled_attach(struct nucleo *b, bool attached);
void nucleo_i2c_stuck_sda(struct nucleo *b, int bus /* 1..3 */, bool stuck);
void nucleo_i2c_stuck_scl(struct nucleo *b, int bus /* 1..3 */, bool stuck);
/* After `bytes` more bytes (address or data) end on the bus, a device holds
 * SCL low for `hold_ps` (a clock stretch that does not end in time). */
void nucleo_i2c_hold_scl_after(struct nucleo *b, int bus, unsigned bytes, uint64_t hold_ps);
/* The M24256 EEPROM at 0x50 on I2C1, WC on PB5 (Arduino D4) with a pull-down
 * on the board. Returns 0 or -ENOMEM; a second call does nothing. */
int nucleo_eeprom_attach(struct nucleo *b);
/* Array content, `len` bytes from `address`: 0, or -ENODEV / -EINVAL. */
int nucleo_eeprom_read(const struct nucleo *b, uint32_t address, void *buf, size_t len);
/*
 * SPI devices (sim/board/spi_bus.h) on SPI1 (SCK PA5, MISO PA6, MOSI PA7:
 * Arduino D13/D12/D11) or SPI2 (PB13/PB14/PB15), chip select on the GPIO
 * `cs_port` ('A'..'H') `cs_pin`, active low. Returns 0, -EINVAL (bus not
 * 1 or 2, pin out of range) or -ENOMEM.
 */
struct spi_device;
int nucleo_spi_attach(struct nucleo *b, int bus, struct spi_device *d, char cs_port, int cs_pin);
/* The test devices: a register file (spi_regfile, mode 0) on SPI2 with CS
 * PB12, and a loopback on SPI1 with CS PB6 (Arduino D10). Returns 0 or
 * -ENOMEM; a second call does nothing. */
int nucleo_spi_test_devices_attach(struct nucleo *b);
/* Register file content: 0, -ENODEV without the test devices, -EINVAL out of range. */
int nucleo_spi_regfile_read(const struct nucleo *b, unsigned address, void *buf, size_t len);
/*
 * The BME280 (sim/board/bme280.h) on I2C1 at `address` (0x76 or 0x77), or
 * on SPI1/SPI2 with its chip select on `cs_port` `cs_pin` (as
 * nucleo_spi_attach). Returns 0, -EINVAL, -EEXIST (one is there already)
 * or -ENOMEM.
 */
int nucleo_bme280_attach_i2c(struct nucleo *b, uint8_t address);
int nucleo_bme280_attach_spi(struct nucleo *b, int bus, char cs_port, int cs_pin);
/* Plugged in or out (--detach/--attach bme280); nothing without a BME280. */
void nucleo_bme280_plug(struct nucleo *b, bool attached);
const struct bme280 *nucleo_bme280(const struct nucleo *b);
/* Noise on its conversions (--env-noise SEED): 0, or -ENODEV without a BME280. */
int nucleo_bme280_noise(struct nucleo *b, uint64_t seed);
/* The scripted environment the BME280 measures (sim/board/env.h). */
struct sim_env *nucleo_env(struct nucleo *b);
void nucleo_console_rx(struct nucleo *b, const uint8_t *bytes, size_t len);

const char *nucleo_console(const struct nucleo *b, size_t *len);
const uint8_t *nucleo_oled_gddram(const struct nucleo *b);
bool nucleo_oled_display_on(const struct nucleo *b);
bool nucleo_oled_pixel(const struct nucleo *b, int x, int y);
unsigned nucleo_oled_update_count(const struct nucleo *b);
uint64_t nucleo_oled_update_ps(const struct nucleo *b, unsigned i);
/* Pin level 0/1 of port 'A'..'H', pin 0..15; -1 for a pin that does not exist. */
int nucleo_gpio_get(const struct nucleo *b, char port, int pin);
bool nucleo_led(const struct nucleo *b); /* LD2: PA5 high */
uint32_t nucleo_hclk_hz(const struct nucleo *b);
/* The chip model, for the core and tests (registers, clocks). */
struct f446 *nucleo_chip(struct nucleo *b);

/*
 * Report members owned by the board, written as JSON object members with a
 * leading comma, e.g. `,"i2c":{...},"oled":{...},"uart":{...}`.
 */
void nucleo_report_json(const struct nucleo *b, FILE *out);

#endif
