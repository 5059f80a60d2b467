/*
 * BME280 driver probe for quartz-sim: the driver (drivers/bme280) over I2C1
 * at 0x76, sharing the bus with the SSD1306 at 0x3C, and over SPI2 (PB13
 * SCK, PB14 MISO, PB15 MOSI, AF5) with its chip select on PB12. Every
 * 500 ms it takes one sample on each bus (only one of them has a chip in a
 * given run: --bme280 i2c or spi2:PB12) and flushes the OLED, and prints
 *   i2c <uptime_ms> <rc> <t_mC> <p_Pa> <h_mpct>
 *   spi <uptime_ms> <rc> <t_mC> <p_Pa> <h_mpct>
 *   oled <uptime_ms> <rc>
 * The host test (test_bme280_driver_sim.c) compares them with the scripted
 * environment. Settings: T x2, P x16, H x1, forced, so the wait is the
 * datasheet time for those (about 46 ms), not the x1 one. Built with
 * PROBE_NORMAL (image bme280_probe_normal): normal mode, x1, t_sb 62.5 ms,
 * IIR filter coefficient 16, so every sample reads the latest conversion
 * without starting one, and T and P follow a step through the filter.
 */
#include <stdint.h>

#include "bme280/bme280.h"
#include "quartz/board.h"
#include "quartz/fmt.h"
#include "quartz/hal/clock.h"
#include "quartz/hal/serial.h"
#include "ssd1306/ssd1306.h"
#include "stm32_hal.h"

#define PERIOD_MS 500u
#ifdef PROBE_NORMAL
#define SETTINGS { BME280_OS_X1, BME280_OS_X1, BME280_OS_X1, BME280_FILTER_16, BME280_STANDBY_62_5_MS, BME280_MODE_NORMAL }
#else
#define SETTINGS { BME280_OS_X2, BME280_OS_X16, BME280_OS_X1, BME280_FILTER_OFF, BME280_STANDBY_0_5_MS, BME280_MODE_FORCED }
#endif

static const struct stm32_spi_config spi2_cfg = {
    .index = 2,
    .sck = { { 'B', 13 }, 5 },
    .miso = { { 'B', 14 }, 5 },
    .mosi = { { 'B', 15 }, 5 },
};
static struct stm32_spi_bus spi2;
/* datasheet 6.3: mode 0 or 3, up to 10 MHz */
static const struct spi_device bme_spi = { &spi2.bus, { 'B', 12 }, 1000000, SPI_MODE_0, 0 };

static struct bme280 on_i2c, on_spi;
static struct bme280_config i2c_cfg = { .io = &bme280_io_i2c, .i2c_addr = BME280_I2C_ADDR_PRIMARY, .settings = SETTINGS };
static const struct bme280_config spi_cfg = { .io = &bme280_io_spi, .spi = &bme_spi, .settings = SETTINGS };
static struct ssd1306 oled;
static struct ssd1306_config oled_cfg;

static void put_int(int64_t v)
{
    char s[21];
    if (v < 0)
        serial_puts("-");
    fmt_u64(s, sizeof s, (uint64_t)(v < 0 ? -v : v));
    serial_puts(s);
}

static void report(const char *bus, struct bme280 *d, uint64_t now)
{
    int rc = bme280_sample_fetch(d);
    int32_t v[3] = { 0, 0, 0 };
    static const enum sensor_channel chans[3] = { SENSOR_CHAN_AMBIENT_TEMP_MILLI_C, SENSOR_CHAN_PRESS_PA,
                                                  SENSOR_CHAN_HUMIDITY_MILLI_PCT };
    for (int i = 0; rc == 0 && i < 3; i++)
        rc = sensor_channel_get(&d->sensor, chans[i], &v[i]);
    serial_puts(bus);
    serial_puts(" ");
    put_int((int64_t)now);
    serial_puts(" ");
    put_int(rc);
    for (int i = 0; i < 3; i++) {
        serial_puts(" ");
        put_int(v[i]);
    }
    serial_puts("\r\n");
}

int main(void)
{
    if (stm32_spi_init(&spi2, &spi2_cfg) != 0 || spi_device_init(&bme_spi) != 0)
        serial_puts("spi2 init failed\r\n");
    i2c_cfg.i2c = board_display_bus();
    oled_cfg = (struct ssd1306_config){ board_display_bus(), SSD1306_ADDR, 20, 3 };
    ssd1306_setup(&oled, &oled_cfg);
    int rc = ssd1306_init(&oled);
    bme280_setup(&on_i2c, &i2c_cfg);
    bme280_setup(&on_spi, &spi_cfg);
    serial_puts("bme280 probe\r\n");
    struct gfx_canvas c = ssd1306_canvas(&oled);
    for (uint64_t next = clock_uptime_ms();; next += PERIOD_MS) {
        while (clock_uptime_ms() < next)
            __asm__ volatile("wfi");
        uint64_t now = clock_uptime_ms();
        report("i2c", &on_i2c, now);
        report("spi", &on_spi, now);
        char t[21];
        fmt_u64(t, sizeof t, now);
        gfx_text(&c, &gfx_font_small, 0, 0, t); /* something new for every flush */
        rc = ssd1306_flush(&oled);
        serial_puts("oled ");
        put_int((int64_t)now);
        serial_puts(" ");
        put_int(rc);
        serial_puts("\r\n");
    }
}
