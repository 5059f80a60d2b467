/*
 * BME280 model: registers, power modes, timing, IIR filter, the I2C and
 * SPI protocols. Section numbers are those of the datasheet
 * BST-BME280-DS002; docs/sim-peripherals.md lists what is modeled.
 *
 * Registers (5.3, table 18): calib00..25 at 0x88..0xA1, id 0xD0 = 0x60,
 * reset 0xE0 (0xB6 = the power-on-reset procedure; reads 0x00),
 * calib26..41 at 0xE1..0xF0, ctrl_hum 0xF2 (effective only after a write
 * to ctrl_meas, 5.4.3), status 0xF3 (measuring bit 3, im_update bit 0),
 * ctrl_meas 0xF4, config 0xF5, data 0xF7..0xFE (reset 0x80 00 00 80 00 00
 * 80 00). Reserved registers read 0x00 and ignore writes (5.1).
 *
 * Modes (3.3): sleep after reset; forced (01 or 10) runs one conversion
 * and returns to sleep (mode reads 00 again); normal (11) cycles a
 * conversion and t_standby (t_sb, table 27). A conversion takes the
 * typical measurement time of appendix B 9.1 and its results reach the
 * data registers at its end; measuring is 1 meanwhile. im_update is 1 for
 * the start-up time (2 ms, table 1) after a power-on or soft reset.
 */
#include "bme280.h"

#include <string.h>

#define REG_CALIB_LO 0x88u
#define REG_ID 0xD0u
#define REG_RESET 0xE0u
#define REG_CALIB_HI 0xE1u
#define REG_CTRL_HUM 0xF2u
#define REG_STATUS 0xF3u
#define REG_CTRL_MEAS 0xF4u
#define REG_CONFIG 0xF5u
#define REG_DATA 0xF7u
#define RESET_WORD 0xB6u
#define STATUS_MEASURING 0x08u
#define STATUS_IM_UPDATE 0x01u
#define MODE_MASK 0x03u
#define MODE_SLEEP 0x00u
#define MODE_NORMAL 0x03u
#define CONFIG_WRITABLE 0xFDu /* t_sb[7:5] filter[4:2] spi3w_en[0]; bit 1 reserved */
#define CR1_CPOL 0x2u         /* RM0390 26.5.1 */
#define STARTUP_PS (2ull * SIM_PS_PER_MS) /* t_startup, table 1 */
#define FILT_FRAC 16
#define EV_END 0u   /* the conversion in progress ends */
#define EV_START 1u /* normal mode: t_standby is over, the next conversion starts */

/* calib33..41 (0xE8..0xF0) hold no trimming parameter the formulas use: fixed bytes of the part. */
static const uint8_t calib_rest[BME280_CALIB_HI_LEN - 7] = {0x41, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0x00, 0x00};

/* Oversampling code -> samples (tables 20, 23, 24): 000 skipped, 101 and up x16. */
static unsigned samples(unsigned osrs) { return osrs == 0 ? 0u : osrs >= 5 ? 16u : 1u << (osrs - 1); }

/* filter[2:0] -> coefficient (table 28); 1 = off. */
static unsigned coefficient(uint8_t config)
{
    unsigned f = (config >> 2) & 7u;
    return f == 0 ? 1u : f >= 4 ? 16u : 1u << f;
}

/* t_sb[2:0] -> t_standby in us (table 27). */
static const uint32_t t_standby_us[8] = {500, 62500, 125000, 250000, 500000, 1000000, 10000, 20000};

uint64_t bme280_measure_ps(unsigned osrs_t, unsigned osrs_p, unsigned osrs_h)
{
    /* 9.1: t_typ = 1 + 2 T + [2 P + 0.5] + [2 H + 0.5] ms, the bracketed terms only when measured. */
    uint64_t us = 1000u + 2000u * samples(osrs_t);
    if (samples(osrs_p))
        us += 2000u * samples(osrs_p) + 500u;
    if (samples(osrs_h))
        us += 2000u * samples(osrs_h) + 500u;
    return us * SIM_PS_PER_US;
}

/* ---- noise ----------------------------------------------------------------------------------------- */

static uint64_t splitmix(uint64_t *state)
{
    uint64_t z = (*state += 0x9E3779B97F4A7C15ull);
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
    return z ^ (z >> 31);
}

/* Standard normal, approximately: the sum of 12 uniforms minus 6 (no libm, the same on every host). */
static double gauss(struct bme280 *d)
{
    double sum = 0.0;
    for (int k = 0; k < 12; k++)
        sum += (double)(splitmix(&d->rng) >> 11) / 9007199254740992.0;
    return sum - 6.0;
}

/*
 * RMS noise of one conversion: the datasheet's figures at the highest
 * oversampling x16 (table 2: humidity 0.02 %RH; table 3: pressure 1.3 Pa,
 * full bandwidth; temperature 0.002 C, the model's choice), scaled by
 * sqrt(16 / samples) as averaging white noise does.
 */
static double noise(struct bme280 *d, double sigma16, unsigned n)
{
    /* sqrt(16 / n) for n = 1, 2, 4, 8, 16 */
    static const double scale[17] = {[1] = 4.0, [2] = 2.8284271247461903, [4] = 2.0, [8] = 1.4142135623730951,
                                     [16] = 1.0};
    if (!d->noise || n == 0)
        return 0.0;
    return gauss(d) * sigma16 * scale[n];
}

/* ---- conversion ------------------------------------------------------------------------------------- */

static void put20(uint8_t *p, int32_t code)
{
    p[0] = (uint8_t)(code >> 12);
    p[1] = (uint8_t)(code >> 4);
    p[2] = (uint8_t)((code & 0xF) << 4); /* xlsb[7:4] */
}

/* The IIR filter (3.4.4): new = (old * (c - 1) + adc) / c; the first value after a reset passes unchanged. */
static int32_t filter(int64_t *mem, bool *valid, int32_t adc, unsigned c)
{
    int64_t x = (int64_t)adc << FILT_FRAC;
    *mem = *valid ? (*mem * (int64_t)(c - 1) + x) / (int64_t)c : x;
    *valid = true;
    int64_t out = (*mem + ((int64_t)1 << (FILT_FRAC - 1))) >> FILT_FRAC;
    return (int32_t)(out > BME280_ADC20_MAX ? BME280_ADC20_MAX : out);
}

/*
 * One conversion's results. The raw codes are the inverse of the
 * compensation for the air at this time, so a conformant driver reads
 * the air back. Without the filter the resolution is 16 + (osrs - 1) bits
 * (3.4.2, 3.4.3): codes are multiples of 16 / samples. With it, 20 bits.
 * Pressure and humidity depend on temperature through t_fine: they are
 * inverted with the t_fine of this conversion's temperature code.
 */
static void convert(struct bme280 *d, uint8_t out[8])
{
    struct sim_env_value air = sim_env_at(d->env, sim_now_ps(d->sim));
    d->last_env = air;
    unsigned nt = samples(d->m_osrs_t), np = samples(d->m_osrs_p), nh = samples(d->m_osrs_h);
    unsigned c = coefficient(d->config);
    double t = air.t_mc / 1000.0 + noise(d, 0.002, nt);
    double p = air.p_mpa / 1000.0 + noise(d, 1.3, np);
    double h = air.h_mpct / 1000.0 + noise(d, 0.02, nh);
    h = h < 0.0 ? 0.0 : h > 100.0 ? 100.0 : h;

    int32_t t_fine;
    if (nt) {
        int32_t adc_t = bme280_adc_for_t(&d->cal, t, c > 1 ? 1 : (int32_t)(16u / nt));
        bme280_comp_t(&d->cal, adc_t, &t_fine);
        put20(&out[3], c > 1 ? filter(&d->filt_t, &d->filt_t_valid, adc_t, c) : adc_t);
    } else {
        bme280_comp_t(&d->cal, bme280_adc_for_t(&d->cal, t, 1), &t_fine);
        put20(&out[3], 0x80000); /* skipped: 0x80000, the filter memory kept (3.4.4) */
    }
    if (np) {
        int32_t adc_p = bme280_adc_for_p(&d->cal, p, t_fine, c > 1 ? 1 : (int32_t)(16u / np));
        put20(&out[0], c > 1 ? filter(&d->filt_p, &d->filt_p_valid, adc_p, c) : adc_p);
    } else {
        put20(&out[0], 0x80000);
    }
    int32_t adc_h = nh ? bme280_adc_for_h(&d->cal, h, t_fine) : 0x8000;
    out[6] = (uint8_t)(adc_h >> 8);
    out[7] = (uint8_t)adc_h;
}

static void event(sim_t *s, void *dev, uint32_t what);

static void start_conversion(struct bme280 *d)
{
    d->measuring = true;
    d->m_osrs_t = (uint8_t)(d->ctrl_meas >> 5);
    d->m_osrs_p = (uint8_t)((d->ctrl_meas >> 2) & 7u);
    d->m_osrs_h = d->osrs_h;
    uint64_t dt = bme280_measure_ps(d->m_osrs_t, d->m_osrs_p, d->m_osrs_h);
    sim_event_at(d->sim, &d->ev, sim_now_ps(d->sim) + dt, event, d, EV_END);
}

static void end_conversion(struct bme280 *d)
{
    uint8_t out[8];
    convert(d, out);
    d->conversions++;
    d->measuring = false;
    /* 4.1: during a burst read the data registers keep the values the burst started with. */
    if (d->burst) {
        memcpy(d->shadow, out, sizeof out);
        d->shadow_pending = true;
    } else {
        memcpy(d->data, out, sizeof out);
    }
    unsigned mode = d->ctrl_meas & MODE_MASK;
    if (mode == MODE_NORMAL) {
        uint64_t sb = (uint64_t)t_standby_us[d->config >> 5] * SIM_PS_PER_US;
        sim_event_at(d->sim, &d->ev, sim_now_ps(d->sim) + sb, event, d, EV_START);
    } else if (mode != MODE_SLEEP) {
        d->ctrl_meas &= (uint8_t)~MODE_MASK; /* forced: back to sleep (3.3.3) */
    }
}

static void event(sim_t *s, void *dev, uint32_t what)
{
    struct bme280 *d = dev;
    (void)s;
    if (what == EV_END)
        end_conversion(d);
    else if ((d->ctrl_meas & MODE_MASK) == MODE_NORMAL)
        start_conversion(d);
}

static void end_burst(struct bme280 *d)
{
    d->burst = false;
    if (d->shadow_pending) {
        memcpy(d->data, d->shadow, sizeof d->data);
        d->shadow_pending = false;
    }
}

/* Power-on reset, also what 0xB6 in reset starts (5.4.2). */
static void power_on_reset(struct bme280 *d)
{
    sim_event_cancel(d->sim, &d->ev);
    d->ctrl_hum = d->ctrl_meas = d->config = d->osrs_h = 0;
    static const uint8_t data_reset[8] = {0x80, 0x00, 0x00, 0x80, 0x00, 0x00, 0x80, 0x00};
    memcpy(d->data, data_reset, sizeof d->data);
    d->measuring = d->burst = d->shadow_pending = false;
    d->filt_t_valid = d->filt_p_valid = false;
    d->have_reg = d->spi_cmd = false;
    d->addr = d->read_start = 0;
    d->startup_until_ps = sim_now_ps(d->sim) + STARTUP_PS;
}

/* ---- registers ------------------------------------------------------------------------------------ */

uint8_t bme280_peek(const struct bme280 *d, uint8_t reg)
{
    if (reg >= REG_CALIB_LO && reg < REG_CALIB_LO + BME280_CALIB_LO_LEN)
        return d->calib_lo[reg - REG_CALIB_LO];
    if (reg >= REG_CALIB_HI && reg < REG_CALIB_HI + BME280_CALIB_HI_LEN)
        return d->calib_hi[reg - REG_CALIB_HI];
    if (reg >= REG_DATA && reg < REG_DATA + sizeof d->data)
        return d->data[reg - REG_DATA];
    switch (reg) {
    case REG_ID: return BME280_CHIP_ID;
    case REG_CTRL_HUM: return d->ctrl_hum;
    case REG_STATUS:
        return (uint8_t)((d->measuring ? STATUS_MEASURING : 0u) |
                         (sim_now_ps(d->sim) < d->startup_until_ps ? STATUS_IM_UPDATE : 0u));
    case REG_CTRL_MEAS: return d->ctrl_meas;
    case REG_CONFIG: return d->config;
    default: return 0x00; /* reset (5.4.2) and reserved registers */
    }
}

static void write_ctrl_meas(struct bme280 *d, uint8_t v)
{
    d->osrs_h = d->ctrl_hum & 7u; /* 5.4.3: ctrl_hum takes effect now */
    d->ctrl_meas = v;
    unsigned mode = v & MODE_MASK;
    if (d->measuring) {
        /* The conversion in progress ends as started; its end looks at the mode written now. */
        if (mode != MODE_SLEEP && mode != MODE_NORMAL)
            sim_warn(d->sim, "BME280: forced mode written during a conversion; it is not started again");
        return;
    }
    if (mode == MODE_SLEEP)
        sim_event_cancel(d->sim, &d->ev); /* normal mode's standby ends without a conversion */
    else if (mode != MODE_NORMAL || !d->ev.queued)
        start_conversion(d); /* forced, or normal from sleep: at once (figures 4, 5) */
}

static void write_reg(struct bme280 *d, uint8_t reg, uint8_t v)
{
    switch (reg) {
    case REG_RESET:
        if (v == RESET_WORD) {
            d->soft_resets++;
            bool burst = d->burst;
            power_on_reset(d);
            d->burst = burst;
        }
        break;
    case REG_CTRL_HUM: d->ctrl_hum = v & 7u; break;
    case REG_CTRL_MEAS: write_ctrl_meas(d, v); break;
    case REG_CONFIG:
        /* 5.4.6: writes in normal mode may be ignored; this part ignores them. */
        if ((d->ctrl_meas & MODE_MASK) == MODE_NORMAL) {
            sim_warn(d->sim, "BME280: config written in normal mode is ignored (datasheet 5.4.6)");
            break;
        }
        d->config = v & CONFIG_WRITABLE;
        d->filt_t_valid = d->filt_p_valid = false; /* 3.4.4: writing filter resets it */
        break;
    default: break; /* read-only and reserved */
    }
}

/* ---- I2C (6.2) ------------------------------------------------------------------------------------ */

/*
 * Write: pairs of register address and data, no auto-increment (6.2.1,
 * figure 9). Read: from the register address written last, incremented
 * after each byte (6.2.2); the 8-bit counter wraps from 0xFF to 0x00.
 */
static bool i2c_address(void *dev, bool read)
{
    struct bme280 *d = dev;
    if (!d->attached)
        return false;
    d->have_reg = false;
    if (read) {
        d->addr = d->read_start;
        d->burst = true;
    }
    return true;
}

static bool i2c_write(void *dev, uint8_t v)
{
    struct bme280 *d = dev;
    if (!d->attached)
        return false; /* unplugged in the middle of a transfer */
    if (!d->have_reg) {
        d->read_start = v;
        d->have_reg = true;
    } else {
        write_reg(d, d->read_start, v);
        d->have_reg = false;
    }
    return true;
}

static uint8_t i2c_read(void *dev)
{
    struct bme280 *d = dev;
    if (!d->attached)
        return 0xFF; /* nobody drives SDA: the pull-up */
    uint8_t v = bme280_peek(d, d->addr);
    d->addr = (uint8_t)(d->addr + 1u);
    return v;
}

static void i2c_stop(void *dev)
{
    struct bme280 *d = dev;
    d->have_reg = false;
    end_burst(d);
}

static const struct i2c_device_ops i2c_ops_bme280 = {i2c_address, i2c_write, i2c_read, i2c_stop};

/* ---- SPI (6.3) ------------------------------------------------------------------------------------ */

/*
 * A control byte holds the register address without bit 7 and RW in bit
 * 7 (1 = read). Write: pairs of control byte and data (6.3.1). Read: data
 * from the auto-incremented address (6.3.2); the 7 address bits wrap from
 * 0x7F to 0x00, that is from register 0xFF to 0x80. SDO is tri-state
 * during the control byte (figure 11) and floats high.
 */
static void spi_select(void *dev)
{
    struct bme280 *d = dev;
    d->spi_cmd = false;
    /* 6.3: mode 00 or 11 by the level of SCK when CSB falls, which is the master's CPOL. */
    d->spi.mode = d->spi_cr1 && (*d->spi_cr1 & CR1_CPOL) ? 3u : 0u;
}

static void spi_deselect(void *dev)
{
    struct bme280 *d = dev;
    d->spi_cmd = false;
    end_burst(d);
}

static uint8_t spi_byte(struct bme280 *d, uint8_t in)
{
    if (!d->attached)
        return 0xFF;
    if (!d->spi_cmd) {
        d->spi_cmd = true;
        d->spi_read = (in & 0x80u) != 0;
        d->addr = (uint8_t)(in | 0x80u);
        if (d->spi_read)
            d->burst = true;
        return 0xFF;
    }
    if (!d->spi_read) {
        write_reg(d, d->addr, in);
        d->spi_cmd = false; /* the next byte is a control byte again */
        return 0xFF;
    }
    uint8_t v = bme280_peek(d, d->addr);
    d->addr = (uint8_t)(0x80u | ((d->addr + 1u) & 0x7Fu));
    return v;
}

static uint16_t spi_exchange(void *dev, uint16_t mosi, unsigned bits)
{
    struct bme280 *d = dev;
    if (bits == 16u) /* two bytes, the first one first on the wire */
        return (uint16_t)(spi_byte(d, (uint8_t)(mosi >> 8)) << 8 | spi_byte(d, (uint8_t)mosi));
    return spi_byte(d, (uint8_t)mosi);
}

static const struct spi_device_ops spi_ops_bme280 = {spi_select, spi_deselect, spi_exchange};

/* ---- life cycle ----------------------------------------------------------------------------------- */

void bme280_init(struct bme280 *d, sim_t *s, const struct sim_env *env, uint8_t i2c_address)
{
    memset(d, 0, sizeof *d);
    d->sim = s;
    d->env = env;
    d->cal = bme280_model_calib;
    bme280_calib_to_nvm(&d->cal, d->calib_lo, d->calib_hi);
    memcpy(&d->calib_hi[7], calib_rest, sizeof calib_rest);
    d->i2c.address = i2c_address;
    d->i2c.ops = &i2c_ops_bme280;
    d->i2c.dev = d;
    d->spi.ops = &spi_ops_bme280;
    d->spi.dev = d;
    d->spi.mode = 0;
    d->attached = true;
    power_on_reset(d);
}

void bme280_free(struct bme280 *d) { sim_event_cancel(d->sim, &d->ev); }

void bme280_set_attached(struct bme280 *d, bool attached)
{
    if (attached == d->attached)
        return;
    d->attached = attached;
    if (attached)
        power_on_reset(d); /* plugged in: powered up again */
    else
        sim_event_cancel(d->sim, &d->ev); /* unplugged: no power, no conversion */
    d->measuring = d->measuring && attached;
}

void bme280_set_noise(struct bme280 *d, uint64_t seed)
{
    d->noise = true;
    d->rng = seed;
}
