/* The die temperature sensor on the portable ADC interface (die_temp.h). */
#include <errno.h>
#include <stddef.h>

#include "die_temp/die_temp.h"
#include "quartz/hal/adc.h"

static int fetch(struct sensor *s)
{
    struct die_temp *d = (struct die_temp *)(void *)s;
    d->valid = false;
    int rc = adc_temp_centi_c(&d->centi_c);
    if (rc == 0)
        rc = adc_vdda_mv(&d->vdda_mv);
    if (rc < 0)
        return rc;
    d->valid = true;
    return 0;
}

static int get(struct sensor *s, enum sensor_channel chan, int32_t *val)
{
    const struct die_temp *d = (const struct die_temp *)(void *)s;
    if (chan != SENSOR_CHAN_DIE_TEMP_MILLI_C && chan != SENSOR_CHAN_VDDA_MV)
        return -ENOTSUP;
    if (!d->valid)
        return -ENODATA;
    *val = chan == SENSOR_CHAN_DIE_TEMP_MILLI_C ? d->centi_c * 10 : (int32_t)d->vdda_mv;
    return 0;
}

static const struct sensor_ops die_temp_ops = { fetch, get };

int die_temp_init(struct die_temp *d)
{
    d->sensor.ops = &die_temp_ops;
    d->valid = false;
    return adc_init();
}
