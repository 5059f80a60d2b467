/*
 * BME280 reader image for quartz-sim, written from the datasheet
 * (BST-BME280-DS002) alone: its own register reads and the datasheet's
 * compensation (compensate.c), nothing of drivers/bme280. It finds the
 * sensor on I2C1 at 0x76 or, when nothing answers there, on SPI2 with
 * CSB on PB12; then every PERIOD_MS it starts one forced-mode conversion
 * (osrs_t x1, osrs_p x16, osrs_h x1, filter off), waits for it and prints
 *
 *   t=<us when ctrl_meas was written> T=<0.01 C> P=<Pa/256> H=<%RH/1024>
 *
 * A failed access prints "t=<us> err=<rc>" and the next sample starts
 * again from the chip ID (a sensor plugged back in has been reset).
 * The host test (test_bme280_reader.c) checks the values against the
 * scenario's --env and --env-csv.
 */
#include <errno.h>
#include <stdbool.h>
#include <stdint.h>

#include "cortex_m/core.h"
#include "quartz/board.h"
#include "quartz/fmt.h"
#include "quartz/hal/clock.h"
#include "quartz/hal/cpu.h"
#include "quartz/hal/i2c.h"
#include "quartz/hal/serial.h"
#include "quartz/hal/spi.h"
#include "reader.h"
#include "stm32_hal.h"

#define ADDRESS 0x76u
#define REG_CALIB_LO 0x88u /* table 18 */
#define REG_ID 0xD0u
#define REG_RESET 0xE0u
#define REG_CALIB_HI 0xE1u
#define REG_CTRL_HUM 0xF2u
#define REG_STATUS 0xF3u
#define REG_CTRL_MEAS 0xF4u
#define REG_CONFIG 0xF5u
#define REG_DATA 0xF7u
#define STATUS_MEASURING 0x08u
#define STATUS_IM_UPDATE 0x01u
#define OSRS_H 1u                        /* x1 */
#define CTRL_MEAS (1u << 5 | 5u << 2 | 1u) /* osrs_t x1, osrs_p x16, forced */
/* Appendix B 9.1, maximum: 1.25 + 2.3 * 1 + (2.3 * 16 + 0.575) + (2.3 * 1 + 0.575) = 43.8 ms */
#define MEASURE_MAX_US 43800u
#define PERIOD_MS 100u
#define POLL_LIMIT 100u /* status polls of 100 us after the maximum time */

static const struct stm32_spi_config spi2_cfg = {
    .index = 2, .sck = {{'B', 13}, 5}, .miso = {{'B', 14}, 5}, .mosi = {{'B', 15}, 5}};
static struct stm32_spi_bus spi2;
/* 6.3: mode 00 or 11; 10 MHz at most. */
static const struct spi_device sensor_spi = {&spi2.bus, {'B', 12}, 1000000u, SPI_MODE_0, 0};
static struct i2c_bus *i2c;
static bool on_spi;
static struct reader_calib calib;

/* Microseconds of uptime from the tick count and the SysTick down-counter; a
 * wrap the handler has not counted yet shows as PENDSTSET (ARMv7-M B3.2.4). */
#define TICK_MS 10u /* the board's SysTick at 100 Hz */
static uint64_t now_us(void)
{
    uint32_t key = cpu_irq_lock();
    uint64_t ms = clock_uptime_ms();
    uint32_t val = SysTick->VAL;
    if (SCB->ICSR & SCB_ICSR_PENDSTSET_Msk) {
        val = SysTick->VAL;
        ms += TICK_MS;
    }
    uint32_t load = SysTick->LOAD;
    cpu_irq_unlock(key);
    return ms * 1000u + (load - val) / (clock_hclk_hz() / 1000000u);
}

static int read_regs(uint8_t reg, uint8_t *buf, uint16_t len)
{
    if (on_spi) {
        uint8_t cmd = (uint8_t)(reg | 0x80u); /* 6.3.2: RW = 1 in bit 7 */
        return spi_write_then_read(&sensor_spi, &cmd, 1, buf, len);
    }
    return i2c_write_read(i2c, ADDRESS, &reg, 1, buf, len);
}

static int write_reg(uint8_t reg, uint8_t value)
{
    if (on_spi) {
        uint8_t pair[2] = {(uint8_t)(reg & 0x7Fu), value}; /* 6.3.1: RW = 0 */
        return spi_write(&sensor_spi, pair, 2);
    }
    uint8_t pair[2] = {reg, value};
    return i2c_write(i2c, ADDRESS, pair, 2);
}

static void put_i(int64_t v)
{
    char buf[24];
    if (v < 0) {
        serial_puts("-");
        v = -v;
    }
    if (fmt_u64(buf, sizeof buf, (uint64_t)v) > 0)
        serial_puts(buf);
}

/* Waits while `mask` is set in status, at most POLL_LIMIT polls. */
static int wait_clear(uint8_t mask)
{
    for (unsigned k = 0; k < POLL_LIMIT; k++) {
        uint8_t status;
        int rc = read_regs(REG_STATUS, &status, 1);
        if (rc || !(status & mask))
            return rc;
        clock_delay_us(100);
    }
    return -ETIMEDOUT;
}

/* 5.4.1 id, 5.4.2 soft reset, im_update, 4.2.2 trimming parameters, 5.4.3 ctrl_hum, 5.4.6 config. */
static int sensor_init(void)
{
    uint8_t id, lo[26], hi[7];
    int rc = read_regs(REG_ID, &id, 1);
    if (!rc && id != 0x60u)
        rc = -ENODEV;
    if (!rc)
        rc = write_reg(REG_RESET, 0xB6u);
    if (!rc) {
        clock_delay_us(2000); /* t_startup, table 1 */
        rc = wait_clear(STATUS_IM_UPDATE);
    }
    if (!rc)
        rc = read_regs(REG_CALIB_LO, lo, sizeof lo);
    if (!rc)
        rc = read_regs(REG_CALIB_HI, hi, sizeof hi);
    if (!rc)
        rc = write_reg(REG_CONFIG, 0x00u); /* filter off */
    if (!rc)
        rc = write_reg(REG_CTRL_HUM, OSRS_H); /* effective with the ctrl_meas write of each sample */
    if (!rc)
        reader_calib_decode(&calib, lo, hi);
    return rc;
}

/* One forced conversion: start, wait for its maximum time and the measuring bit, one burst read. */
static int sample(void)
{
    uint8_t d[8];
    uint64_t t = now_us();
    int rc = write_reg(REG_CTRL_MEAS, CTRL_MEAS);
    if (!rc) {
        clock_delay_us(MEASURE_MAX_US);
        rc = wait_clear(STATUS_MEASURING);
    }
    if (!rc)
        rc = read_regs(REG_DATA, d, sizeof d); /* 4: one burst, 0xF7..0xFE */
    if (rc)
        return rc;
    int32_t adc_p = (int32_t)((uint32_t)d[0] << 12 | (uint32_t)d[1] << 4 | d[2] >> 4);
    int32_t adc_t = (int32_t)((uint32_t)d[3] << 12 | (uint32_t)d[4] << 4 | d[5] >> 4);
    int32_t adc_h = (int32_t)((uint32_t)d[6] << 8 | d[7]);
    int32_t t_fine;
    int32_t temp = reader_temperature(&calib, adc_t, &t_fine);
    serial_puts("t=");
    put_i((int64_t)t);
    serial_puts(" T=");
    put_i(temp);
    serial_puts(" P=");
    put_i(reader_pressure(&calib, adc_p, t_fine));
    serial_puts(" H=");
    put_i(reader_humidity(&calib, adc_h, t_fine));
    serial_puts("\r\n");
    return 0;
}

int main(void)
{
    i2c = board_display_bus();
    uint8_t id = 0;
    on_spi = read_regs(REG_ID, &id, 1) != 0;
    if (on_spi && (stm32_spi_init(&spi2, &spi2_cfg) != 0 || spi_device_init(&sensor_spi) != 0)) {
        serial_puts("spi init failed\r\n");
        return 1;
    }
    serial_puts(on_spi ? "bus=spi2\r\n" : "bus=i2c1\r\n");
    bool ready = false;
    uint64_t next = clock_uptime_ms();
    for (;;) {
        while (clock_uptime_ms() < next) {
        }
        next += PERIOD_MS;
        int rc = ready ? 0 : sensor_init();
        if (!rc)
            rc = sample();
        ready = rc == 0;
        if (rc) {
            serial_puts("t=");
            put_i((int64_t)now_us());
            serial_puts(" err=");
            put_i(rc);
            serial_puts("\r\n");
        }
        (void)serial_drain();
    }
}
