/*
 * BME280 compensation (datasheet BST-BME280-DS002 4.2.3 and 8.2): the
 * datasheet's integer formulas, written so that no input can make them
 * undefined. The reference code shifts negative values left (undefined in
 * C) and, at extreme calibration values, overflows its int32 arithmetic.
 * Here every left shift is a multiplication, the intermediate values are
 * int64 wherever the int32 ones can overflow, and the bounds are stated
 * next to each step (|x| for the widest calibration: int16 +-32768, uint16
 * 65535, raw values 0..2^20-1). Right shifts of negative values are the
 * arithmetic shift the formulas mean: implementation-defined in C, and GCC
 * documents it as arithmetic ("Integers implementation", GCC manual 4.5).
 * For every input where the reference stays inside its types, the results
 * are bit for bit the reference's.
 */
#include <errno.h>

#include "bme280/bme280.h"

/* |t_fine| that bme280_compensate_t can return: var1 <= 131071 * 32768 >> 11,
 * var2 <= (65535^2 >> 12) * 32768 >> 14, each about 2^21. */
#define T_FINE_MAX 4200000

static int32_t clamp_t_fine(int32_t t_fine)
{
    if (t_fine > T_FINE_MAX)
        return T_FINE_MAX;
    if (t_fine < -T_FINE_MAX)
        return -T_FINE_MAX;
    return t_fine;
}

static uint16_t le_u16(const uint8_t *p)
{
    return (uint16_t)(p[0] | (p[1] << 8));
}

static int16_t le_s16(const uint8_t *p)
{
    return (int16_t)le_u16(p);
}

void bme280_calib_parse(struct bme280_calib *c, const uint8_t a[BME280_CALIB_A_LEN],
                        const uint8_t b[BME280_CALIB_B_LEN])
{
    /* Table 16: 0x88.. little-endian pairs, dig_H1 alone at 0xA1. */
    c->t1 = le_u16(&a[0]);
    c->t2 = le_s16(&a[2]);
    c->t3 = le_s16(&a[4]);
    c->p1 = le_u16(&a[6]);
    c->p2 = le_s16(&a[8]);
    c->p3 = le_s16(&a[10]);
    c->p4 = le_s16(&a[12]);
    c->p5 = le_s16(&a[14]);
    c->p6 = le_s16(&a[16]);
    c->p7 = le_s16(&a[18]);
    c->p8 = le_s16(&a[20]);
    c->p9 = le_s16(&a[22]);
    c->h1 = a[25];
    /* 0xE1..: dig_H2 (E1/E2), dig_H3 (E3), dig_H4 = E4[7:0] E5[3:0],
     * dig_H5 = E6[7:0] E5[7:4], dig_H6 (E7). H4 and H5 are signed 12-bit:
     * the sign is bit 7 of E4 / E6, so the high byte is read as int8_t and
     * scaled, not shifted (Adafruit_BME280_Library issue 44: a driver that
     * takes E4 as unsigned turns every negative H4 into a large positive one). */
    c->h2 = le_s16(&b[0]);
    c->h3 = b[2];
    c->h4 = (int16_t)((int8_t)b[3] * 16 + (b[4] & 0x0F));
    c->h5 = (int16_t)((int8_t)b[5] * 16 + (b[4] >> 4));
    c->h6 = (int8_t)b[6];
}

struct bme280_raw bme280_raw_parse(const uint8_t d[BME280_DATA_LEN])
{
    /* Tables 29..31: msb, lsb, xlsb[7:4] for P and T; msb, lsb for H. */
    struct bme280_raw r;
    r.adc_p = (int32_t)(((uint32_t)d[0] << 12) | ((uint32_t)d[1] << 4) | (d[2] >> 4));
    r.adc_t = (int32_t)(((uint32_t)d[3] << 12) | ((uint32_t)d[4] << 4) | (d[5] >> 4));
    r.adc_h = (int32_t)(((uint32_t)d[6] << 8) | d[7]);
    return r;
}

int32_t bme280_compensate_t(const struct bme280_calib *c, int32_t adc_t, int32_t *t_fine)
{
    /* |d1 * T2| <= 131071 * 32768: over int32 at the extremes. */
    int64_t d1 = (int64_t)(adc_t >> 3) - 2 * (int64_t)c->t1;
    int64_t var1 = (d1 * c->t2) >> 11;
    /* d2^2 <= 65535^2: over int32 too. */
    int64_t d2 = (int64_t)(adc_t >> 4) - c->t1;
    int64_t var2 = (((d2 * d2) >> 12) * c->t3) >> 14;
    int32_t tf = (int32_t)(var1 + var2); /* |tf| <= T_FINE_MAX */
    *t_fine = tf;
    return (tf * 5 + 128) >> 8;
}

/* (a * m) >> 33 without forming a * m (|a| < 2^53 here, m < 2^16): with
 * a = hi * 2^16 + lo and 0 <= lo < 2^16, it is (hi * m + (lo * m >> 16)) >> 17,
 * the same floor. */
static int64_t mul_u16_shr33(int64_t a, uint16_t m)
{
    int64_t hi = a >> 16;
    int64_t lo = a - hi * 65536;
    return (hi * m + ((lo * m) >> 16)) >> 17;
}

#define P_INNER_MAX ((int64_t)1 << 36) /* p before the P7..P9 terms: about 1 MPa * 2^16 */

int bme280_compensate_p(const struct bme280_calib *c, int32_t adc_p, int32_t t_fine, uint32_t *p_q24_8)
{
    int64_t var1 = (int64_t)clamp_t_fine(t_fine) - 128000; /* |var1| < 2^23 */
    int64_t var2 = var1 * var1 * c->p6;                     /* < 2^46 * 2^15 */
    var2 += var1 * c->p5 * 131072;                          /* << 17 */
    var2 += (int64_t)c->p4 * 34359738368;                   /* << 35 */
    var1 = ((var1 * var1 * c->p3) >> 8) + var1 * c->p2 * 4096; /* << 12 */
    /* ((1 << 47) + var1) * P1 >> 33: the product passes 2^63 for P1 near
     * 65535, so it is taken in two halves. */
    var1 = mul_u16_shr33((int64_t)140737488355328 + var1, c->p1);
    if (var1 == 0)
        return -ERANGE; /* the reference returns 0 here: no division by zero */
    int64_t p = 1048576 - (int64_t)adc_p;
    int64_t num;
    if (__builtin_mul_overflow(p * 2147483648 - var2, (int64_t)3125, &num))
        return -ERANGE; /* (p << 31 - var2) * 3125: over int64 only at extremes */
    p = num / var1;
    /* Beyond 0..2^36 the result is no pressure a part can see, and
     * P9 * (p >> 13)^2 would overflow. */
    if (p < 0 || p > P_INNER_MAX)
        return -ERANGE;
    var1 = ((int64_t)c->p9 * (p >> 13) * (p >> 13)) >> 25;
    var2 = ((int64_t)c->p8 * p) >> 19;
    p = ((p + var1 + var2) >> 8) + (int64_t)c->p7 * 16; /* << 4 */
    if (p < 0)
        return -ERANGE;
    *p_q24_8 = (uint32_t)p; /* < 2^30 after the bound above */
    return 0;
}

uint32_t bme280_compensate_h(const struct bme280_calib *c, int32_t adc_h, int32_t t_fine)
{
    int64_t v = (int64_t)clamp_t_fine(t_fine) - 76800;
    /* adc_H << 14, H4 << 20 and H5 * v each pass 2^31 at the extremes. */
    int64_t a = ((int64_t)adc_h * 16384 - (int64_t)c->h4 * 1048576 - c->h5 * v + 16384) >> 15;
    int64_t b = ((((((v * c->h6) >> 10) * (((v * c->h3) >> 11) + 32768)) >> 10) + 2097152) * c->h2 +
                 8192) >> 14;
    int64_t x = a * b; /* |a| < 2^19, |b| < 2^30 */
    /* A negative x ends at 0 % whatever H1 is (x minus a square). Above
     * INT32_MAX the reference's int32 is gone; x saturates there, which
     * gives 100 %: the square term is at most 2^32 >> 11 times H1. */
    if (x <= 0)
        return 0;
    if (x > INT32_MAX)
        x = INT32_MAX;
    x -= ((((x >> 15) * (x >> 15)) >> 7) * c->h1) >> 4;
    if (x < 0)
        x = 0;
    if (x > 419430400) /* 100 % in Q22.10, << 12 */
        x = 419430400;
    return (uint32_t)(x >> 12);
}

struct bme280_sample bme280_compensate(const struct bme280_calib *c, const struct bme280_raw *raw)
{
    /* A skipped quantity reads 0x80000 (T, P) or 0x8000 (H): datasheet 4. */
    struct bme280_sample s = { 0 };
    if (raw->adc_t == 0x80000)
        return s; /* P and H need t_fine */
    int32_t t_fine;
    s.t_centi_c = bme280_compensate_t(c, raw->adc_t, &t_fine);
    s.valid = BME280_HAVE_T;
    if (raw->adc_p != 0x80000 && bme280_compensate_p(c, raw->adc_p, t_fine, &s.p_q24_8) == 0)
        s.valid |= BME280_HAVE_P;
    if (raw->adc_h != 0x8000) {
        s.h_q22_10 = bme280_compensate_h(c, raw->adc_h, t_fine);
        s.valid |= BME280_HAVE_H;
    }
    return s;
}

uint32_t bme280_measure_time_us(const struct bme280_settings *s)
{
    /* Datasheet 9.1 (appendix B), maximum: 1.25 ms + 2.3 ms per temperature
     * sample, 2.3 ms per pressure / humidity sample plus 0.575 ms each for
     * a quantity that is measured. */
    static const uint8_t samples[8] = { 0, 1, 2, 4, 8, 16, 16, 16 };
    uint32_t t = samples[s->osrs_t & 7u], p = samples[s->osrs_p & 7u], h = samples[s->osrs_h & 7u];
    uint32_t us = 1250u + 2300u * t;
    if (p)
        us += 2300u * p + 575u;
    if (h)
        us += 2300u * h + 575u;
    return us;
}
