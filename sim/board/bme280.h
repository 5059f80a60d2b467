/*
 * Bosch BME280 combined humidity, pressure and temperature sensor
 * (datasheet BST-BME280-DS002), on I2C or on 4-wire SPI. The model is
 * sim/board/bme280.c (registers, modes, timing, interfaces) and
 * bme280_comp.c (trimming parameters, compensation and its inversion);
 * the air it measures is the scripted environment (sim/board/env.h).
 */
#ifndef SIM_BOARD_BME280_H
#define SIM_BOARD_BME280_H

#include <stdbool.h>
#include <stdint.h>

#include "env.h"
#include "spi_bus.h"
#include "stm32f446/f446.h"

#define BME280_CHIP_ID 0x60u
#define BME280_I2C_ADDRESS 0x76u     /* SDO to GND; 0x77 with SDO to VDDIO (6.2) */
#define BME280_ADC20_MAX 0xFFFFF     /* pressure and temperature: 20-bit codes */
#define BME280_ADC16_MAX 0xFFFF      /* humidity: 16-bit codes */
#define BME280_CALIB_LO_LEN 26       /* calib00..calib25 at 0x88..0xA1 */
#define BME280_CALIB_HI_LEN 16       /* calib26..calib41 at 0xE1..0xF0 (the trimming parameters in the first 7) */

/* The trimming parameters (4.2.2, table 16). */
struct bme280_calib {
    uint16_t T1;
    int16_t T2, T3;
    uint16_t P1;
    int16_t P2, P3, P4, P5, P6, P7, P8, P9;
    uint8_t H1;
    int16_t H2;
    uint8_t H3;
    int16_t H4, H5; /* signed 12-bit */
    int8_t H6;
};

/* The compensation formulas (4.2.3, 8.2): T in 0.01 C (and t_fine), P in
 * Pa as Q24.8, H in %RH as Q22.10. */
int32_t bme280_comp_t(const struct bme280_calib *c, int32_t adc_t, int32_t *t_fine);
uint32_t bme280_comp_p(const struct bme280_calib *c, int32_t adc_p, int32_t t_fine);
uint32_t bme280_comp_h(const struct bme280_calib *c, int32_t adc_h, int32_t t_fine);
/* Their inversion: the ADC code (a multiple of `step`) whose compensated
 * value is closest to the physical one. */
int32_t bme280_adc_for_t(const struct bme280_calib *c, double t_c, int32_t step);
int32_t bme280_adc_for_p(const struct bme280_calib *c, double p_pa, int32_t t_fine, int32_t step);
int32_t bme280_adc_for_h(const struct bme280_calib *c, double h_pct, int32_t t_fine);
/* The NVM bytes of `c` as the registers show them (table 16). */
void bme280_calib_to_nvm(const struct bme280_calib *c, uint8_t lo[BME280_CALIB_LO_LEN], uint8_t hi[7]);

/* The model's part: a calibration in the ranges of real parts. */
extern const struct bme280_calib bme280_model_calib;

struct bme280 {
    struct i2c_device i2c; /* as an I2C target (attach `i2c` to the bus) */
    struct spi_device spi; /* as an SPI device (attach `spi` to a spi_bus) */
    sim_t *sim;
    const struct sim_env *env;
    /* On SPI: the master's CR1, whose CPOL is the level of SCK when CSB
     * falls and selects mode 00 or 11 (6.3). NULL on I2C. */
    const uint32_t *spi_cr1;
    bool attached;
    struct bme280_calib cal;
    uint8_t calib_lo[BME280_CALIB_LO_LEN], calib_hi[BME280_CALIB_HI_LEN];
    /* control registers (5.4) */
    uint8_t ctrl_hum, ctrl_meas, config;
    uint8_t osrs_h; /* ctrl_hum as latched by the last write of ctrl_meas (5.4.3) */
    uint8_t data[8]; /* 0xF7..0xFE: press, temp, hum */
    /* data register shadowing (4.1): results that ended during a burst read */
    uint8_t shadow[8];
    bool shadow_pending, burst;
    /* timing: a conversion in progress, or normal mode's standby */
    bool measuring;
    uint8_t m_osrs_t, m_osrs_p, m_osrs_h; /* settings of the conversion in progress */
    uint64_t startup_until_ps;            /* im_update: NVM copied to the image registers */
    struct sim_event ev;
    /* IIR filter memory (3.4.4), ADC codes with 16 fraction bits */
    int64_t filt_t, filt_p;
    bool filt_t_valid, filt_p_valid;
    /* --env-noise */
    bool noise;
    uint64_t rng;
    /* interfaces */
    uint8_t addr;       /* the auto-incremented register address */
    uint8_t read_start; /* I2C: the register address last written, where a read starts */
    bool have_reg;      /* I2C write: a register address came, its data byte is next */
    bool spi_cmd, spi_read;
    /* statistics (report) */
    uint64_t conversions, soft_resets;
    struct sim_env_value last_env; /* the air at the last conversion */
};

void bme280_init(struct bme280 *d, sim_t *s, const struct sim_env *env, uint8_t i2c_address);
void bme280_free(struct bme280 *d);
/* Plugged in (a power-on reset) or out (no ACK on I2C, MISO floats high on SPI). */
void bme280_set_attached(struct bme280 *d, bool attached);
/* Noise on every conversion (docs/sim-peripherals.md), the same for the same seed. */
void bme280_set_noise(struct bme280 *d, uint64_t seed);
/* A register as the interface would read it, without side effects. */
uint8_t bme280_peek(const struct bme280 *d, uint8_t reg);
/* Measurement time of one conversion (appendix B, 9.1, typical), in ps. */
uint64_t bme280_measure_ps(unsigned osrs_t, unsigned osrs_p, unsigned osrs_h);

#endif
