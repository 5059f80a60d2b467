/* The die temperature sensor (drivers/die_temp) on a fake ADC: its two
 * channels in sensor.h units, errors, and channels it does not have. */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "die_temp/die_temp.h"
#include "fake_bme280.h"

static void channels(void **state)
{
    (void)state;
    struct die_temp d;
    fake_adc_rc = 0;
    assert_int_equal(die_temp_init(&d), 0);
    int32_t v;
    assert_int_equal(sensor_channel_get(&d.sensor, SENSOR_CHAN_DIE_TEMP_MILLI_C, &v), -ENODATA);
    fake_adc_centi_c = -1234; /* -12.34 degC */
    fake_adc_vdda_mv = 3297;
    assert_int_equal(sensor_sample_fetch(&d.sensor), 0);
    assert_int_equal(sensor_channel_get(&d.sensor, SENSOR_CHAN_DIE_TEMP_MILLI_C, &v), 0);
    assert_int_equal(v, -12340);
    assert_int_equal(sensor_channel_get(&d.sensor, SENSOR_CHAN_VDDA_MV, &v), 0);
    assert_int_equal(v, 3297);
    assert_int_equal(sensor_channel_get(&d.sensor, SENSOR_CHAN_AMBIENT_TEMP_MILLI_C, &v), -ENOTSUP);
    assert_int_equal(sensor_channel_get(&d.sensor, SENSOR_CHAN_PRESS_PA, &v), -ENOTSUP);
    fake_adc_rc = -ETIMEDOUT;
    assert_int_equal(sensor_sample_fetch(&d.sensor), -ETIMEDOUT);
    assert_int_equal(sensor_channel_get(&d.sensor, SENSOR_CHAN_DIE_TEMP_MILLI_C, &v), -ENODATA);
    fake_adc_rc = 0;
    fake_adc_centi_c = 4150;
    assert_int_equal(sensor_sample_fetch(&d.sensor), 0);
    assert_int_equal(sensor_channel_get(&d.sensor, SENSOR_CHAN_DIE_TEMP_MILLI_C, &v), 0);
    assert_int_equal(v, 41500);
}

static void init_error(void **state)
{
    (void)state;
    struct die_temp d;
    fake_adc_rc = -EBUSY; /* the ADC's DMA stream is taken */
    assert_int_equal(die_temp_init(&d), -EBUSY);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(channels),
        cmocka_unit_test(init_error),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
