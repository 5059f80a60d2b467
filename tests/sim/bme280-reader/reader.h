/* The BME280 reader image's compensation (compensate.c), from the datasheet only. */
#ifndef TESTS_BME280_READER_H
#define TESTS_BME280_READER_H

#include <stdint.h>

struct reader_calib {
    uint16_t T1, P1;
    int16_t T2, T3, P[8]; /* P[0..7] = dig_P2..dig_P9 */
    uint8_t H1, H3;
    int16_t H2, H4, H5;
    int8_t H6;
};

void reader_calib_decode(struct reader_calib *c, const uint8_t lo[26], const uint8_t hi[7]);
/* 0.01 C; Pa in Q24.8; %RH in Q22.10 (datasheet 4.2.3). */
int32_t reader_temperature(const struct reader_calib *c, int32_t adc_t, int32_t *t_fine);
uint32_t reader_pressure(const struct reader_calib *c, int32_t adc_p, int32_t t_fine);
uint32_t reader_humidity(const struct reader_calib *c, int32_t adc_h, int32_t t_fine);

#endif
