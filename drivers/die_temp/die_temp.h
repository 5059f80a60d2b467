/*
 * The MCU's own temperature sensor and analog supply as a sensor.h device:
 * channels SENSOR_CHAN_DIE_TEMP_MILLI_C and SENSOR_CHAN_VDDA_MV, from the
 * portable ADC interface (quartz/hal/adc.h), which applies the factory
 * calibration. The die runs warmer than the air around the board: this is
 * the chip's temperature, not the room's.
 */
#ifndef QUARTZ_DIE_TEMP_H
#define QUARTZ_DIE_TEMP_H

#include <stdbool.h>
#include <stdint.h>

#include "quartz/sensor.h"

struct die_temp {
    struct sensor sensor; /* first: the sensor.h view */
    int32_t centi_c;
    uint32_t vdda_mv;
    bool valid;
};

/* Powers the converter (adc_init); returns what it returns. */
int die_temp_init(struct die_temp *d);

#endif
