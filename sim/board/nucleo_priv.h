/* The board's state, shared by nucleo.c and nucleo_report.c only. */
#ifndef SIM_BOARD_NUCLEO_PRIV_H
#define SIM_BOARD_NUCLEO_PRIV_H

#include "nucleo.h"
#include "bme280.h"
#include "env.h"
#include "m24256.h"
#include "spi_bus.h"
#include "ssd1306.h"
#include "stm32f446/f446.h"

struct nucleo {
    sim_t *sim;
    struct f446 chip;
    struct ssd1306 oled;
    bool pressed;        /* contact state after bouncing */
    bool contact;        /* current (bouncing) contact */
    int bounce_edges;
    uint64_t bounce_window_ps;
    int bounce_left;
    struct sim_event ev_bounce;
    char *console;
    size_t console_len, console_cap;
    uint64_t led_toggles;
    struct m24256 *eeprom; /* optional, on I2C1 */
    /* armed fault: after `hold_after` more bytes on I2C `hold_bus`, SCL is held low for `hold_ps` */
    int hold_bus;
    unsigned hold_after;
    uint64_t hold_ps;
    struct sim_event ev_hold;
    /* SPI1 on the Arduino pins D13/D12/D11 (PA5/PA6/PA7), SPI2 on the morpho pins PB13/PB14/PB15 */
    struct spi_bus spi[2];
    struct spi_regfile *spi_regfile; /* optional test devices (nucleo_spi_test_devices_attach) */
    struct spi_loopback *spi_loopback;
    /* the scripted air and the BME280 that measures it (optional; I2C1 or SPI) */
    struct sim_env env;
    struct bme280 *bme280;
    int bme280_spi_bus; /* 0: on I2C1, else SPI1/SPI2 */
    char bme280_cs_port;
    int bme280_cs_pin;
};

#endif
