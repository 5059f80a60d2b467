/*
 * The BME280's trimming parameters and compensation (datasheet
 * BST-BME280-DS002, 4.2.2 "Trimming parameter readout", 4.2.3
 * "Compensation formulas" and 8.2, the 64-bit pressure formula), and
 * their inversion: the raw ADC value whose compensated output is closest
 * to a physical value. The formulas are evaluated in 64 bits with
 * multiplications where the datasheet shifts signed values left, so they
 * give the datasheet's results wherever its 32-bit code does not
 * overflow, without undefined behaviour.
 */
#include "bme280.h"

/* A part's trimming parameters, in the ranges real parts show. */
const struct bme280_calib bme280_model_calib = {
    .T1 = 28010, .T2 = 26250, .T3 = 50,
    .P1 = 37255, .P2 = -10575, .P3 = 3024, .P4 = 7437, .P5 = -80, .P6 = -7, .P7 = 9900, .P8 = -10230, .P9 = 4285,
    .H1 = 75, .H2 = 362, .H3 = 0, .H4 = 313, .H5 = 50, .H6 = 30,
};

/* Floor division by 2^n of a signed value (the arithmetic shift the
 * datasheet's code relies on, written without implementation-defined behaviour). */
static int64_t asr(int64_t v, unsigned n)
{
    int64_t d = (int64_t)1 << n;
    return v >= 0 ? v / d : -((-v + d - 1) / d);
}

int32_t bme280_comp_t(const struct bme280_calib *c, int32_t adc_t, int32_t *t_fine)
{
    int64_t a = asr(adc_t, 3) - 2 * (int64_t)c->T1;
    int64_t var1 = asr(a * c->T2, 11);
    int64_t b = asr(adc_t, 4) - (int64_t)c->T1;
    int64_t var2 = asr(asr(b * b, 12) * c->T3, 14);
    int64_t fine = var1 + var2;
    if (t_fine)
        *t_fine = (int32_t)fine;
    return (int32_t)asr(fine * 5 + 128, 8);
}

uint32_t bme280_comp_p(const struct bme280_calib *c, int32_t adc_p, int32_t t_fine)
{
    int64_t var1 = (int64_t)t_fine - 128000;
    int64_t var2 = var1 * var1 * c->P6;
    var2 += var1 * c->P5 * ((int64_t)1 << 17);
    var2 += (int64_t)c->P4 * ((int64_t)1 << 35);
    var1 = asr(var1 * var1 * c->P3, 8) + var1 * c->P2 * ((int64_t)1 << 12);
    var1 = asr((((int64_t)1 << 47) + var1) * c->P1, 33);
    if (var1 == 0)
        return 0; /* the datasheet's guard against a division by zero */
    int64_t p = 1048576 - (int64_t)adc_p;
    p = (p * ((int64_t)1 << 31) - var2) * 3125 / var1;
    var1 = asr((int64_t)c->P9 * asr(p, 13) * asr(p, 13), 25);
    var2 = asr((int64_t)c->P8 * p, 19);
    p = asr(p + var1 + var2, 8) + (int64_t)c->P7 * 16;
    return (uint32_t)p;
}

uint32_t bme280_comp_h(const struct bme280_calib *c, int32_t adc_h, int32_t t_fine)
{
    int64_t v = (int64_t)t_fine - 76800;
    int64_t x = asr((int64_t)adc_h * 16384 - (int64_t)c->H4 * 1048576 - (int64_t)c->H5 * v + 16384, 15);
    int64_t y = asr(asr(v * c->H6, 10) * (asr(v * c->H3, 11) + 32768), 10) + 2097152;
    y = asr(y * c->H2 + 8192, 14);
    v = x * y;
    v -= asr(asr(asr(v, 15) * asr(v, 15), 7) * c->H1, 4);
    if (v < 0)
        v = 0;
    if (v > 419430400)
        v = 419430400;
    return (uint32_t)(v >> 12);
}

/* ---- inversion ------------------------------------------------------------------------- */

/*
 * The ADC code in [0, max] (a multiple of `step`) whose compensated value
 * f is closest to `target`, for f monotonic (increasing when `rising`).
 * Binary search for the first code at or past the target, then the
 * nearer of it and the code before.
 */
typedef double (*comp_fn)(const struct bme280_calib *c, int32_t adc, int32_t t_fine);

static int32_t invert(const struct bme280_calib *c, comp_fn f, int32_t t_fine, double target, int32_t max,
                      int32_t step, bool rising)
{
    int32_t lo = 0, hi = max / step; /* in steps */
    while (lo < hi) {
        int32_t mid = lo + (hi - lo) / 2;
        double v = f(c, mid * step, t_fine);
        if (rising ? v >= target : v <= target)
            hi = mid;
        else
            lo = mid + 1;
    }
    if (lo > 0) {
        double here = f(c, lo * step, t_fine), before = f(c, (lo - 1) * step, t_fine);
        double dh = here > target ? here - target : target - here;
        double db = before > target ? before - target : target - before;
        if (db < dh)
            lo--;
    }
    return lo * step;
}

static double fine_t(const struct bme280_calib *c, int32_t adc, int32_t t_fine)
{
    (void)t_fine;
    int32_t fine;
    bme280_comp_t(c, adc, &fine);
    return fine; /* t_fine is T in 1/5120 C: finer than the 0.01 C output */
}

static double comp_p(const struct bme280_calib *c, int32_t adc, int32_t t_fine)
{
    return bme280_comp_p(c, adc, t_fine);
}

static double comp_h(const struct bme280_calib *c, int32_t adc, int32_t t_fine)
{
    return bme280_comp_h(c, adc, t_fine);
}

int32_t bme280_adc_for_t(const struct bme280_calib *c, double t_c, int32_t step)
{
    return invert(c, fine_t, 0, t_c * 5120.0, BME280_ADC20_MAX, step, true);
}

int32_t bme280_adc_for_p(const struct bme280_calib *c, double p_pa, int32_t t_fine, int32_t step)
{
    return invert(c, comp_p, t_fine, p_pa * 256.0, BME280_ADC20_MAX, step, false);
}

int32_t bme280_adc_for_h(const struct bme280_calib *c, double h_pct, int32_t t_fine)
{
    return invert(c, comp_h, t_fine, h_pct * 1024.0, BME280_ADC16_MAX, 1, true);
}

/* ---- NVM ----------------------------------------------------------------------------------- */

static void put16(uint8_t *p, uint16_t v)
{
    p[0] = (uint8_t)v; /* little endian: LSB at the lower address (table 16) */
    p[1] = (uint8_t)(v >> 8);
}

void bme280_calib_to_nvm(const struct bme280_calib *c, uint8_t lo[BME280_CALIB_LO_LEN],
                         uint8_t hi[7])
{
    /* Table 16: 0x88..0x9F dig_T1..dig_P9 as 16-bit words, 0xA0 reserved, 0xA1 dig_H1. */
    const uint16_t words[12] = {c->T1,           (uint16_t)c->T2, (uint16_t)c->T3, c->P1,
                                (uint16_t)c->P2, (uint16_t)c->P3, (uint16_t)c->P4, (uint16_t)c->P5,
                                (uint16_t)c->P6, (uint16_t)c->P7, (uint16_t)c->P8, (uint16_t)c->P9};
    for (int k = 0; k < 12; k++)
        put16(&lo[2 * k], words[k]);
    lo[24] = 0x00; /* 0xA0: not a trimming parameter */
    lo[25] = c->H1;
    /* 0xE1/0xE2 dig_H2, 0xE3 dig_H3, 0xE4 = H4[11:4], 0xE5 = H5[3:0] << 4 | H4[3:0],
     * 0xE6 = H5[11:4], 0xE7 dig_H6. */
    put16(&hi[0], (uint16_t)c->H2);
    hi[2] = c->H3;
    uint16_t h4 = (uint16_t)c->H4 & 0xFFFu, h5 = (uint16_t)c->H5 & 0xFFFu;
    hi[3] = (uint8_t)(h4 >> 4);
    hi[4] = (uint8_t)((h5 & 0xFu) << 4 | (h4 & 0xFu));
    hi[5] = (uint8_t)(h5 >> 4);
    hi[6] = (uint8_t)c->H6;
}
