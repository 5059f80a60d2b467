/*
 * The BME280's two wire formats (datasheet 6): the only code that knows
 * which bus the chip is on.
 *
 * I2C (6.2): a write is the register address then its value; a read is the
 * register address, a repeated START, then the bytes, the chip incrementing
 * the address as it goes (burst read).
 * SPI (6.3, 4-wire, mode 0 or 3): the first byte is the register address
 * with bit 7 as the direction, 1 to read (the data follow, auto-incremented)
 * and 0 to write (the address's bit 7 is dropped and the value follows).
 */
#include "bme280/bme280.h"

#define SPI_READ_FLAG 0x80u

static int i2c_reg_read(const struct bme280_config *cfg, uint8_t reg, uint8_t *buf, size_t len)
{
    return i2c_write_read(cfg->i2c, cfg->i2c_addr, &reg, 1, buf, (uint16_t)len);
}

static int i2c_reg_write(const struct bme280_config *cfg, uint8_t reg, uint8_t value)
{
    uint8_t msg[2] = { reg, value };
    return i2c_write(cfg->i2c, cfg->i2c_addr, msg, sizeof msg);
}

const struct bme280_io bme280_io_i2c = { i2c_reg_read, i2c_reg_write, false };

static int spi_reg_read(const struct bme280_config *cfg, uint8_t reg, uint8_t *buf, size_t len)
{
    uint8_t addr = (uint8_t)(reg | SPI_READ_FLAG);
    return spi_write_then_read(cfg->spi, &addr, 1, buf, (uint16_t)len);
}

static int spi_reg_write(const struct bme280_config *cfg, uint8_t reg, uint8_t value)
{
    uint8_t msg[2] = { (uint8_t)(reg & ~SPI_READ_FLAG), value };
    return spi_write(cfg->spi, msg, sizeof msg);
}

const struct bme280_io bme280_io_spi = { spi_reg_read, spi_reg_write, true };
