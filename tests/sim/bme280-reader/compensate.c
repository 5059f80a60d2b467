/*
 * The datasheet's compensation (BST-BME280-DS002 4.2.3: 32-bit integer
 * temperature and humidity, 8.2's 64-bit pressure), as the reader's own
 * code: it shares nothing with drivers/bme280 or the simulator's model.
 * Left shifts of signed values are written as multiplications, which the
 * datasheet's code leaves undefined for negative operands.
 */
#include "reader.h"

void reader_calib_decode(struct reader_calib *c, const uint8_t lo[26], const uint8_t hi[7])
{
    /* Table 16: little-endian words at 0x88..0x9F, dig_H1 at 0xA1; 0xE1..0xE7. */
    c->T1 = (uint16_t)(lo[0] | lo[1] << 8);
    c->T2 = (int16_t)(uint16_t)(lo[2] | lo[3] << 8);
    c->T3 = (int16_t)(uint16_t)(lo[4] | lo[5] << 8);
    c->P1 = (uint16_t)(lo[6] | lo[7] << 8);
    for (int k = 0; k < 8; k++)
        c->P[k] = (int16_t)(uint16_t)(lo[8 + 2 * k] | lo[9 + 2 * k] << 8); /* P2..P9 */
    c->H1 = lo[25];
    c->H2 = (int16_t)(uint16_t)(hi[0] | hi[1] << 8);
    c->H3 = hi[2];
    /* dig_H4 = 0xE4[7:0] . 0xE5[3:0], dig_H5 = 0xE6[7:0] . 0xE5[7:4]: signed 12-bit. */
    c->H4 = (int16_t)((int8_t)hi[3] * 16 + (hi[4] & 0x0F));
    c->H5 = (int16_t)((int8_t)hi[5] * 16 + (hi[4] >> 4));
    c->H6 = (int8_t)hi[6];
}

int32_t reader_temperature(const struct reader_calib *c, int32_t adc_t, int32_t *t_fine)
{
    int32_t var1 = (((adc_t >> 3) - (int32_t)c->T1 * 2) * c->T2) >> 11;
    int32_t d = (adc_t >> 4) - (int32_t)c->T1;
    int32_t var2 = (((d * d) >> 12) * c->T3) >> 14;
    *t_fine = var1 + var2;
    return (*t_fine * 5 + 128) >> 8;
}

uint32_t reader_pressure(const struct reader_calib *c, int32_t adc_p, int32_t t_fine)
{
    int64_t var1 = (int64_t)t_fine - 128000;
    int64_t var2 = var1 * var1 * c->P[4];                 /* P6 */
    var2 = var2 + var1 * c->P[3] * 131072;                /* P5 << 17 */
    var2 = var2 + (int64_t)c->P[2] * 34359738368LL;       /* P4 << 35 */
    var1 = ((var1 * var1 * c->P[1]) >> 8) + var1 * c->P[0] * 4096; /* P3, P2 << 12 */
    var1 = ((140737488355328LL + var1) * c->P1) >> 33;    /* (1 << 47) */
    if (var1 == 0)
        return 0;
    int64_t p = 1048576 - adc_p;
    p = ((p * 2147483648LL - var2) * 3125) / var1;
    var1 = ((int64_t)c->P[7] * (p >> 13) * (p >> 13)) >> 25; /* P9 */
    var2 = ((int64_t)c->P[6] * p) >> 19;                     /* P8 */
    p = ((p + var1 + var2) >> 8) + (int64_t)c->P[5] * 16;    /* P7 << 4 */
    return (uint32_t)p;
}

uint32_t reader_humidity(const struct reader_calib *c, int32_t adc_h, int32_t t_fine)
{
    int32_t v = t_fine - 76800;
    v = (((adc_h * 16384) - (c->H4 * 1048576) - (c->H5 * v) + 16384) >> 15) *
        (((((((v * c->H6) >> 10) * (((v * (int32_t)c->H3) >> 11) + 32768)) >> 10) + 2097152) * c->H2 + 8192) >> 14);
    v = v - (((((v >> 15) * (v >> 15)) >> 7) * (int32_t)c->H1) >> 4);
    v = v < 0 ? 0 : v;
    v = v > 419430400 ? 419430400 : v;
    return (uint32_t)(v >> 12);
}
