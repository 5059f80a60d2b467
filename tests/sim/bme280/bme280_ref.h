/*
 * The reference the BME280 model tests measure it against, written from
 * the datasheet alone (BST-BME280-DS002) and apart from the model: the
 * trimming parameters decoded from the register bytes (4.2.2, table 16,
 * with dig_H4/dig_H5 as signed 12-bit values) and the floating-point
 * compensation formulas (8.1), not the integer ones the model inverts.
 */
#ifndef TESTS_BME280_REF_H
#define TESTS_BME280_REF_H

#include <stdint.h>

struct ref_calib {
    double T1, T2, T3, P1, P2, P3, P4, P5, P6, P7, P8, P9, H1, H2, H3, H4, H5, H6;
};

static inline int16_t ref_s16(const uint8_t *p) { return (int16_t)(uint16_t)(p[0] | p[1] << 8); }
static inline uint16_t ref_u16(const uint8_t *p) { return (uint16_t)(p[0] | p[1] << 8); }

/* lo: the 26 bytes at 0x88..0xA1; hi: the 7 bytes at 0xE1..0xE7. */
static inline struct ref_calib ref_decode(const uint8_t lo[26], const uint8_t hi[7])
{
    struct ref_calib c;
    c.T1 = ref_u16(&lo[0]);
    c.T2 = ref_s16(&lo[2]);
    c.T3 = ref_s16(&lo[4]);
    c.P1 = ref_u16(&lo[6]);
    double *p[] = {&c.P2, &c.P3, &c.P4, &c.P5, &c.P6, &c.P7, &c.P8, &c.P9};
    for (int k = 0; k < 8; k++)
        *p[k] = ref_s16(&lo[8 + 2 * k]);
    c.H1 = lo[25];
    c.H2 = ref_s16(&hi[0]);
    c.H3 = hi[2];
    /* 0xE4 is H4[11:4] and 0xE6 is H5[11:4], both with the sign in bit 7. */
    c.H4 = (int8_t)hi[3] * 16 + (hi[4] & 0x0F);
    c.H5 = (int8_t)hi[5] * 16 + (hi[4] >> 4);
    c.H6 = (int8_t)hi[6];
    return c;
}

/* 8.1: temperature in C and t_fine. */
static inline double ref_t(const struct ref_calib *c, int32_t adc_t, double *t_fine)
{
    double var1 = (adc_t / 16384.0 - c->T1 / 1024.0) * c->T2;
    double d = adc_t / 131072.0 - c->T1 / 8192.0;
    double var2 = d * d * c->T3;
    *t_fine = var1 + var2;
    return (var1 + var2) / 5120.0;
}

/* 8.1: pressure in Pa. */
static inline double ref_p(const struct ref_calib *c, int32_t adc_p, double t_fine)
{
    double var1 = t_fine / 2.0 - 64000.0;
    double var2 = var1 * var1 * c->P6 / 32768.0;
    var2 = var2 + var1 * c->P5 * 2.0;
    var2 = var2 / 4.0 + c->P4 * 65536.0;
    var1 = (c->P3 * var1 * var1 / 524288.0 + c->P2 * var1) / 524288.0;
    var1 = (1.0 + var1 / 32768.0) * c->P1;
    if (var1 == 0.0)
        return 0.0;
    double p = 1048576.0 - adc_p;
    p = (p - var2 / 4096.0) * 6250.0 / var1;
    var1 = c->P9 * p * p / 2147483648.0;
    var2 = p * c->P8 / 32768.0;
    return p + (var1 + var2 + c->P7) / 16.0;
}

/* 8.1: relative humidity in %RH. */
static inline double ref_h(const struct ref_calib *c, int32_t adc_h, double t_fine)
{
    double h = t_fine - 76800.0;
    h = (adc_h - (c->H4 * 64.0 + c->H5 / 16384.0 * h)) *
        (c->H2 / 65536.0 * (1.0 + c->H6 / 67108864.0 * h * (1.0 + c->H3 / 67108864.0 * h)));
    h = h * (1.0 - c->H1 * h / 524288.0);
    return h < 0.0 ? 0.0 : h > 100.0 ? 100.0 : h;
}

#endif
