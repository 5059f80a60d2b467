/* Test doubles for the BME280 tests (fake_bme280.h). */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <string.h>

#include <cmocka.h>

#include "fake_bme280.h"
#include "quartz/hal/adc.h"
#include "quartz/hal/clock.h"

struct fake_bme280 fake;

void clock_delay_us(uint32_t us)
{
    fake.now_us += us;
    fake.delayed_us += us;
}

void fake_bme280_power_on(const uint8_t calib_a[26], const uint8_t calib_b[7])
{
    memset(&fake, 0, sizeof fake);
    fake.id = 0x60;
    fake.conversion_us = 8000; /* x1/x1/x1: 8 ms typical (datasheet 9.1) */
    fake.nvm_copy_us = 300;
    memcpy(&fake.regs[0x88], calib_a, 26);
    memcpy(&fake.regs[0xE1], calib_b, 7);
    /* skipped-measurement pattern until the first conversion (datasheet 5.4.7..9) */
    static const uint8_t reset_data[8] = { 0x80, 0, 0, 0x80, 0, 0, 0x80, 0 };
    memcpy(&fake.regs[0xF7], reset_data, 8);
}

void fake_bme280_set_result(int32_t adc_t, int32_t adc_p, int32_t adc_h)
{
    uint8_t *r = fake.result;
    r[0] = (uint8_t)(adc_p >> 12);
    r[1] = (uint8_t)(adc_p >> 4);
    r[2] = (uint8_t)((adc_p & 0xF) << 4);
    r[3] = (uint8_t)(adc_t >> 12);
    r[4] = (uint8_t)(adc_t >> 4);
    r[5] = (uint8_t)((adc_t & 0xF) << 4);
    r[6] = (uint8_t)(adc_h >> 8);
    r[7] = (uint8_t)adc_h;
}

int fake_bme280_last_write(uint8_t reg)
{
    for (size_t i = fake.nwr; i-- > 0;)
        if (fake.wr_reg[i] == reg)
            return (int)i;
    return -1;
}

static void settle(void)
{
    if (fake.converting && !fake.stuck_measuring && fake.now_us >= fake.measure_end_us) {
        fake.converting = false;
        memcpy(&fake.regs[0xF7], fake.result, 8);
        /* a skipped quantity reads 0x80000 / 0x8000 (datasheet 4) */
        if (((fake.regs[0xF4] >> 2) & 7u) == 0)
            memcpy(&fake.regs[0xF7], (const uint8_t[]){ 0x80, 0, 0 }, 3);
        if ((fake.regs[0xF4] >> 5) == 0)
            memcpy(&fake.regs[0xFA], (const uint8_t[]){ 0x80, 0, 0 }, 3);
        if ((fake.ctrl_hum_latched & 7u) == 0)
            memcpy(&fake.regs[0xFD], (const uint8_t[]){ 0x80, 0 }, 2);
        fake.regs[0xF4] &= (uint8_t)~3u; /* forced mode ends in sleep (3.3.3) */
        fake.conversions++;
    }
}

static uint8_t reg_get(uint8_t reg)
{
    settle();
    if (reg == 0xD0)
        return fake.id;
    if (reg == 0xF3) {
        uint8_t st = 0;
        if (fake.converting)
            st |= 0x08;
        if (fake.stuck_im_update || fake.now_us < fake.nvm_end_us)
            st |= 0x01;
        return st;
    }
    return fake.regs[reg];
}

static void reg_set(uint8_t reg, uint8_t val)
{
    settle();
    assert_true(fake.nwr < FAKE_LOG);
    fake.wr_reg[fake.nwr] = reg;
    fake.wr_val[fake.nwr++] = val;
    if (reg == 0xE0) {
        if (val == 0xB6) { /* soft reset: registers to their reset values, NVM copied again */
            fake.regs[0xF2] = fake.regs[0xF4] = fake.regs[0xF5] = 0;
            fake.ctrl_hum_latched = 0;
            fake.converting = false;
            fake.nvm_end_us = fake.now_us + fake.nvm_copy_us;
        }
        return;
    }
    if (reg != 0xF2 && reg != 0xF4 && reg != 0xF5)
        return; /* read-only */
    fake.regs[reg] = val;
    if (reg == 0xF4) {
        fake.ctrl_hum_latched = fake.regs[0xF2]; /* 5.4.3 */
        unsigned mode = val & 3u;
        if (mode == 1 || mode == 2) {
            fake.converting = true;
            fake.measure_end_us = fake.now_us + fake.conversion_us;
        }
    }
}

static void log_read(uint8_t reg, size_t len)
{
    assert_true(fake.nrd < FAKE_LOG);
    fake.rd_reg[fake.nrd] = reg;
    fake.rd_len[fake.nrd++] = len;
}

/* ---- I2C: the wire rules of quartz/hal/i2c.h, one device at 0x76 ---- */
static int i2c_fake_transfer(struct i2c_bus *bus, const struct i2c_msg *msgs, size_t n)
{
    (void)bus;
    fake.transfers++;
    assert_true(n == 1 || n == 2);
    if (fake.detached || msgs[0].addr != 0x76)
        return -ENXIO;
    if (fake.fail_data > 0) {
        fake.fail_data--;
        return -EIO;
    }
    assert_int_equal(msgs[0].flags & I2C_MSG_READ, 0);
    assert_true(msgs[0].len >= 1);
    uint8_t reg = msgs[0].buf[0];
    if (n == 2) { /* register address, repeated START, burst read */
        assert_int_equal(msgs[0].len, 1);
        assert_true(msgs[1].flags & I2C_MSG_READ);
        assert_true(msgs[1].flags & I2C_MSG_RESTART);
        log_read(reg, msgs[1].len);
        for (size_t i = 0; i < msgs[1].len; i++)
            msgs[1].buf[i] = reg_get((uint8_t)(reg + i));
        return 0;
    }
    /* a write: address then value, in pairs (datasheet 6.2.1) */
    assert_int_equal(msgs[0].len % 2, 0);
    for (size_t i = 0; i < msgs[0].len; i += 2)
        reg_set(msgs[0].buf[i], msgs[0].buf[i + 1]);
    return 0;
}

static int i2c_fake_transfer_async(struct i2c_bus *bus, const struct i2c_msg *msgs, size_t n,
                                   i2c_done_fn done, void *ctx)
{
    (void)bus, (void)msgs, (void)n, (void)done, (void)ctx;
    fail_msg("the BME280 driver does not use async transfers");
    return -EINVAL;
}

static const struct i2c_bus_ops i2c_fake_ops = { i2c_fake_transfer, i2c_fake_transfer_async };
struct i2c_bus fake_i2c = { &i2c_fake_ops };

/* ---- SPI: 4-wire, bit 7 of the control byte is RW (datasheet 6.3) ---- */
static int spi_fake_init(const struct spi_device *dev)
{
    (void)dev;
    return 0;
}

static int spi_fake_transaction(const struct spi_device *dev, const struct spi_op *ops, size_t n)
{
    assert_ptr_equal(dev, &fake_spi_dev);
    fake.transfers++;
    assert_true(n >= 1);
    assert_int_equal(ops[0].kind, SPI_WRITE);
    uint8_t ctrl = ops[0].tx[0];
    uint8_t reg = (uint8_t)(ctrl | 0x80); /* only 7 address bits go on the wire */
    if (ctrl & 0x80) {                    /* read: the data follow, auto-incremented */
        assert_int_equal(ops[0].len, 1);
        assert_int_equal(n, 2);
        assert_int_equal(ops[1].kind, SPI_READ);
        log_read(reg, ops[1].len);
        for (size_t i = 0; i < ops[1].len; i++)
            ops[1].rx[i] = fake.detached ? fake.float_byte : reg_get((uint8_t)(reg + i));
        return 0;
    }
    assert_int_equal(n, 1); /* write: control byte and value pairs, one segment */
    assert_int_equal(ops[0].len % 2, 0);
    for (size_t i = 0; i < ops[0].len; i += 2) {
        assert_int_equal(ops[0].tx[i] & 0x80, 0);
        if (!fake.detached)
            reg_set((uint8_t)(ops[0].tx[i] | 0x80), ops[0].tx[i + 1]);
    }
    return 0;
}

static const struct spi_bus_ops spi_fake_ops = { spi_fake_init, spi_fake_transaction };
struct spi_bus fake_spi_bus = { &spi_fake_ops };
const struct spi_device fake_spi_dev = { &fake_spi_bus, { 'B', 6 }, 1000000, SPI_MODE_0, 0 };

/* ---- ADC ---- */
int fake_adc_rc;
int32_t fake_adc_centi_c;
uint32_t fake_adc_vdda_mv;

int adc_init(void)
{
    return fake_adc_rc;
}

int adc_temp_centi_c(int32_t *centi_c)
{
    if (fake_adc_rc)
        return fake_adc_rc;
    *centi_c = fake_adc_centi_c;
    return 0;
}

int adc_vdda_mv(uint32_t *mv)
{
    if (fake_adc_rc)
        return fake_adc_rc;
    *mv = fake_adc_vdda_mv;
    return 0;
}
