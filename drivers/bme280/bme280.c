/*
 * BME280 driver core: init, settings, sampling and the sensor.h view
 * (bme280.h says what each call does). Register access goes through
 * cfg->io (bme280_io.c), so this file does not know the bus.
 */
#include <errno.h>

#include "bme280/bme280.h"
#include "quartz/assert.h"
#include "quartz/hal/clock.h"

#define STARTUP_US 2000u     /* datasheet table 1: t_startup, also after a soft reset */
#define NVM_POLL_US 1000u    /* status.im_update: NVM copy, a few hundred us in practice */
#define NVM_POLLS 10u
#define MEASURE_POLL_US 500u /* status.measuring after the computed time */
#define MEASURE_EXTRA_POLLS 4u
#define BMP280_ID_FIRST 0x56 /* BMP280 samples 0x56, 0x57; mass production 0x58 */
#define BMP280_ID_LAST 0x58

static int reg_read(struct bme280 *d, uint8_t reg, uint8_t *buf, size_t len)
{
    return d->cfg->io->read(d->cfg, reg, buf, len);
}

static int reg_write(struct bme280 *d, uint8_t reg, uint8_t value)
{
    return d->cfg->io->write(d->cfg, reg, value);
}

/* Any failure leaves the device to be found again by the next sample. */
static int fail(struct bme280 *d, int rc)
{
    d->ready = false;
    d->sample.valid = 0;
    return rc;
}

static uint8_t ctrl_meas(const struct bme280_settings *s, uint8_t mode)
{
    /* Datasheet 5.4.5: osrs_t[7:5], osrs_p[4:2], mode[1:0]. */
    return (uint8_t)(((s->osrs_t & 7u) << 5) | ((s->osrs_p & 7u) << 2) | (mode & 3u));
}

/* Wait, bounded, until the status bits in `mask` read 0. */
static int wait_status_clear(struct bme280 *d, uint8_t mask, uint32_t poll_us, unsigned polls)
{
    for (unsigned i = 0;; i++) {
        uint8_t status;
        int rc = reg_read(d, BME280_REG_STATUS, &status, 1);
        if (rc < 0)
            return rc;
        if ((status & mask) == 0)
            return 0;
        if (i == polls)
            return -ETIMEDOUT;
        clock_delay_us(poll_us);
    }
}

static int sensor_fetch(struct sensor *s);
static int sensor_get(struct sensor *s, enum sensor_channel chan, int32_t *val);
static const struct sensor_ops bme280_sensor_ops = { sensor_fetch, sensor_get };

void bme280_setup(struct bme280 *d, const struct bme280_config *cfg)
{
    QUARTZ_ASSERT(cfg != NULL && cfg->io != NULL);
    d->sensor.ops = &bme280_sensor_ops;
    d->cfg = cfg;
    d->settings = cfg->settings;
    d->sample.valid = 0;
    d->chip_id = 0;
    d->ready = false;
}

int bme280_configure(struct bme280 *d, const struct bme280_settings *s)
{
    QUARTZ_ASSERT(s->mode == BME280_MODE_SLEEP || s->mode == BME280_MODE_FORCED ||
                  s->mode == BME280_MODE_NORMAL);
    d->settings = *s;
    d->sample.valid = 0;
    /* Sleep first: in normal mode a write to config may be ignored (5.4.6). */
    int rc = reg_write(d, BME280_REG_CTRL_MEAS, ctrl_meas(s, BME280_MODE_SLEEP));
    if (rc == 0) /* t_sb[7:5], filter[4:2], spi3w_en[0] = 0 (4-wire) */
        rc = reg_write(d, BME280_REG_CONFIG,
                       (uint8_t)(((s->standby & 7u) << 5) | ((s->filter & 7u) << 2)));
    /* ctrl_hum takes effect only with the next ctrl_meas write (5.4.3). */
    if (rc == 0)
        rc = reg_write(d, BME280_REG_CTRL_HUM, s->osrs_h & 7u);
    if (rc == 0 && s->mode == BME280_MODE_NORMAL)
        rc = reg_write(d, BME280_REG_CTRL_MEAS, ctrl_meas(s, BME280_MODE_NORMAL));
    else if (rc == 0) /* forced: latch ctrl_hum now; each bme280_start converts once */
        rc = reg_write(d, BME280_REG_CTRL_MEAS, ctrl_meas(s, BME280_MODE_SLEEP));
    return rc < 0 ? fail(d, rc) : 0;
}

int bme280_init(struct bme280 *d)
{
    d->ready = false;
    d->sample.valid = 0;
    uint8_t id = 0;
    int rc = reg_read(d, BME280_REG_ID, &id, 1);
    if (rc < 0)
        return fail(d, rc);
    d->chip_id = id;
    if (d->cfg->io->no_ack && (id == 0x00 || id == 0xFF))
        return -ENXIO; /* SPI: MISO floating low or high, nobody there */
    if (id >= BMP280_ID_FIRST && id <= BMP280_ID_LAST)
        return -ENOTSUP; /* a BMP280: no humidity, other calibration layout */
    if (id != BME280_CHIP_ID)
        return -ENODEV;
    rc = reg_write(d, BME280_REG_RESET, BME280_RESET_WORD);
    if (rc < 0)
        return fail(d, rc);
    clock_delay_us(STARTUP_US);
    /* im_update is 1 while the NVM is copied to the image registers (5.4.4). */
    rc = wait_status_clear(d, BME280_STATUS_IM_UPDATE, NVM_POLL_US, NVM_POLLS);
    if (rc < 0)
        return fail(d, rc);
    uint8_t a[BME280_CALIB_A_LEN], b[BME280_CALIB_B_LEN];
    rc = reg_read(d, BME280_REG_CALIB00, a, sizeof a);
    if (rc == 0)
        rc = reg_read(d, BME280_REG_CALIB26, b, sizeof b);
    if (rc < 0)
        return fail(d, rc);
    bme280_calib_parse(&d->calib, a, b);
    rc = bme280_configure(d, &d->settings);
    if (rc < 0)
        return rc;
    d->ready = true;
    return 0;
}

int bme280_start(struct bme280 *d)
{
    if (!d->ready) {
        int rc = bme280_init(d);
        if (rc < 0)
            return rc;
    }
    if (d->settings.mode != BME280_MODE_FORCED)
        return 0;
    int rc = reg_write(d, BME280_REG_CTRL_MEAS, ctrl_meas(&d->settings, BME280_MODE_FORCED));
    return rc < 0 ? fail(d, rc) : 0;
}

/* A quantity switched on that reads as skipped (0x80000 / 0x8000, datasheet
 * 4) after a forced conversion: the chip was reset behind the driver's back
 * (a brown-out on a shared supply) and ctrl_hum or ctrl_meas went back to
 * their reset values; the bus never failed, so only the data tell. */
static bool settings_lost(const struct bme280_settings *s, const struct bme280_raw *raw)
{
    return (s->osrs_t != BME280_OS_SKIP && raw->adc_t == 0x80000) ||
           (s->osrs_p != BME280_OS_SKIP && raw->adc_p == 0x80000) ||
           (s->osrs_h != BME280_OS_SKIP && raw->adc_h == 0x8000);
}

int bme280_read(struct bme280 *d)
{
    if (!d->ready)
        return -ENXIO; /* never found, or lost: bme280_start finds it again */
    int rc = 0;
    if (d->cfg->io->no_ack) {
        uint8_t id = 0;
        rc = reg_read(d, BME280_REG_ID, &id, 1);
        if (rc == 0 && id != BME280_CHIP_ID)
            rc = -ENXIO; /* MISO floating: the chip is gone */
    }
    if (rc == 0 && d->settings.mode == BME280_MODE_FORCED) {
        /* Normally already over (the caller waited bme280_measure_time_us);
         * the bound allows as long again. In normal mode the chip shadows
         * the data registers during a burst read, so no wait (datasheet 4). */
        unsigned polls = bme280_measure_time_us(&d->settings) / MEASURE_POLL_US + MEASURE_EXTRA_POLLS;
        rc = wait_status_clear(d, BME280_STATUS_MEASURING, MEASURE_POLL_US, polls);
    }
    uint8_t data[BME280_DATA_LEN];
    if (rc == 0)
        rc = reg_read(d, BME280_REG_PRESS_MSB, data, sizeof data);
    if (rc < 0)
        return fail(d, rc);
    struct bme280_raw raw = bme280_raw_parse(data);
    if (d->settings.mode == BME280_MODE_FORCED && settings_lost(&d->settings, &raw))
        return fail(d, -EIO);
    d->sample = bme280_compensate(&d->calib, &raw);
    return 0;
}

int bme280_sample_fetch(struct bme280 *d)
{
    int rc = bme280_start(d);
    if (rc == 0 && d->settings.mode == BME280_MODE_FORCED)
        clock_delay_us(bme280_measure_time_us(&d->settings));
    if (rc == 0)
        rc = bme280_read(d);
    return rc;
}

/* ---- sensor.h ----------------------------------------------------------- */

static int sensor_fetch(struct sensor *s)
{
    return bme280_sample_fetch((struct bme280 *)(void *)s);
}

static int sensor_get(struct sensor *s, enum sensor_channel chan, int32_t *val)
{
    const struct bme280_sample *smp = &((struct bme280 *)(void *)s)->sample;
    switch (chan) {
    case SENSOR_CHAN_AMBIENT_TEMP_MILLI_C:
        if (!(smp->valid & BME280_HAVE_T))
            return -ENODATA;
        *val = smp->t_centi_c * 10;
        return 0;
    case SENSOR_CHAN_PRESS_PA:
        if (!(smp->valid & BME280_HAVE_P))
            return -ENODATA;
        *val = (int32_t)((smp->p_q24_8 + 128u) >> 8);
        return 0;
    case SENSOR_CHAN_PRESS_MILLI_PA: {
        if (!(smp->valid & BME280_HAVE_P))
            return -ENODATA;
        uint64_t mpa = ((uint64_t)smp->p_q24_8 * 1000u + 128u) >> 8;
        if (mpa > INT32_MAX)
            return -ERANGE;
        *val = (int32_t)mpa;
        return 0;
    }
    case SENSOR_CHAN_HUMIDITY_MILLI_PCT:
        if (!(smp->valid & BME280_HAVE_H))
            return -ENODATA;
        *val = (int32_t)((smp->h_q22_10 * 1000u + 512u) >> 10);
        return 0;
    default:
        return -ENOTSUP;
    }
}
