/*
 * Portable sensor interface, after Zephyr's sensor API: one call takes a
 * sample (sensor_sample_fetch), others read its channels from what was
 * taken (sensor_channel_get), so the values of one sample stay together.
 *
 * A sensor is an instance with a pointer to a const ops table, as for I2C
 * (quartz/hal/i2c.h): the BME280 (drivers/bme280) and the die temperature
 * of the ADC (drivers/die_temp) implement it, and a caller does not know
 * which one, nor which bus it is on.
 *
 * Values are fixed-point integers, the unit in the channel's name; no
 * floats. Pressure comes in two scales: whole pascals and millipascals
 * (the BME280 resolves 1/256 Pa in its arithmetic; at 110 kPa the mPa
 * value still fits an int32_t).
 *
 * Errors (negative errno): sample_fetch: what the bus or converter returns
 * (-ENXIO the sensor does not answer, -EIO, -ETIMEDOUT, ...); -ENODEV the
 * chip is not the expected one. channel_get: -ENOTSUP a channel this sensor
 * does not have; -ENODATA no valid sample of it (none fetched yet, the last
 * fetch failed, or the channel is switched off in the sensor's settings);
 * -ERANGE the sample cannot be expressed in the channel's unit.
 */
#ifndef QUARTZ_SENSOR_H
#define QUARTZ_SENSOR_H

#include <stdint.h>

enum sensor_channel {
    SENSOR_CHAN_AMBIENT_TEMP_MILLI_C, /* millidegrees Celsius */
    SENSOR_CHAN_PRESS_PA,             /* pascals (rounded) */
    SENSOR_CHAN_PRESS_MILLI_PA,       /* millipascals */
    SENSOR_CHAN_HUMIDITY_MILLI_PCT,   /* relative humidity, 1/1000 % */
    SENSOR_CHAN_DIE_TEMP_MILLI_C,     /* the MCU's die, millidegrees Celsius */
    SENSOR_CHAN_VDDA_MV,              /* analog supply, millivolts */
};

struct sensor;

struct sensor_ops {
    /* Take one sample of every channel; blocking, thread context, bounded. */
    int (*sample_fetch)(struct sensor *s);
    /* One channel of the last sample. */
    int (*channel_get)(struct sensor *s, enum sensor_channel chan, int32_t *val);
};

struct sensor {
    const struct sensor_ops *ops;
};

static inline int sensor_sample_fetch(struct sensor *s)
{
    return s->ops->sample_fetch(s);
}

static inline int sensor_channel_get(struct sensor *s, enum sensor_channel chan, int32_t *val)
{
    return s->ops->channel_get(s, chan, val);
}

#endif
