/*
 * ADC1..ADC3 of the STM32F446 (RM0390 section 13) and the analog side of
 * the chip they convert: pad voltages, the temperature sensor, VREFINT,
 * VBAT/4 (RM0390 13.10, 13.11; datasheet DS10693, tables "ADC characteristics",
 * "Temperature sensor characteristics" and "Internal reference voltage").
 *
 * The three ADCs share one 1 KB page: ADC1 at 0x40012000, ADC2 at +0x100,
 * ADC3 at +0x200 and the common registers (CSR, CCR, CDR) at +0x300
 * (RM0390 13.13.18). Scripted inputs (analog voltages, die temperature)
 * belong to the scenario: a board reset does not undo them.
 */
#ifndef SIM_STM32F446_ADC_H
#define SIM_STM32F446_ADC_H

#include <stdbool.h>
#include <stdint.h>

#include "core/sim.h"

struct f446;
struct adc;

#define ADC_COUNT 3
#define ADC_BASE_ADDR 0x40012000u
#define ADC_COMMON_ADDR 0x40012300u
#define ADC_IRQN 18 /* ADC1, ADC2 and ADC3 global interrupt (RM0390 table 38) */

/* Factory values in system memory (DS10693 table "Temperature sensor
 * calibration values" and "Internal reference voltage calibration values"):
 * raw 12-bit conversions at VDDA = 3.3 V. Fixed, plausible numbers for one
 * simulated part: the sensor gives 0.7648 V at 30 C and 2.5 mV/C, VREFINT
 * 1.2088 V (DS10693 "Temperature sensor characteristics": V25 0.76 V,
 * Avg_Slope 2.5 mV/C; "Internal reference voltage": 1.18 to 1.24 V). */
#define ADC_VREFINT_CAL_ADDR 0x1FFF7A2Au
#define ADC_TS_CAL1_ADDR 0x1FFF7A2Cu /* 30 C */
#define ADC_TS_CAL2_ADDR 0x1FFF7A2Eu /* 110 C */
#define ADC_VREFINT_CAL 1500u
#define ADC_TS_CAL1 949u
#define ADC_TS_CAL2 1197u
#define ADC_CAL_VDDA_UV 3300000u
#define ADC_CAL_T1_MC 30000
#define ADC_CAL_T2_MC 110000

#define ADC_DEFAULT_TEMP_MC 30000
#define ADC_NUCLEO_VDDA_UV 3300000u /* UM1724: VDDA and VBAT from the board's 3.3 V */

/* A scheduled change of an analog input. */
struct adc_change {
    uint64_t due_ps;
    int port, pin; /* port -1: the die temperature */
    int32_t value; /* microvolts, or millidegrees C */
    struct adc_change *next;
};

/* What reaches the analog side of the chip from outside (the scenario). */
struct adc_inputs {
    int32_t pad_uv[8][16];
    bool pad_set[8][16]; /* a voltage was scripted on this pin */
    int32_t temp_mc;     /* die temperature, millidegrees C */
    uint32_t vdda_uv, vbat_uv;
    struct adc_change *pending; /* sorted by due_ps */
    struct sim_event ev;
};

/* The DMA controller's side of one ADC (RM0390 13.8.1). The ADC calls
 * `request` after each regular conversion while CR2.DMA = 1 (and, with
 * DDS = 0, until the DMA reports its last transfer). The DMA model then
 * reads the data with adc_dma_read, and calls adc_dma_last when the
 * transfer it was programmed for is complete (f446.c wires both to DMA2,
 * dma_xfer.c calls adc_dma_last). NULL: nothing is wired; the
 * request stays pending until DR is read. On the chip the requests go to
 * DMA2 (RM0390 table 29): ADC1 on stream 0 or 4, channel 0; ADC2 on stream
 * 2 or 3, channel 1; ADC3 on stream 0 or 1, channel 2. */
struct adc_dma_port {
    void (*request)(void *ctx, struct adc *a);
    void *ctx;
    /* The request is over: DR read (by the DMA or the CPU), an overrun, ADON cleared. May be NULL. */
    void (*served)(void *ctx, struct adc *a);
};

struct adc {
    struct f446 *chip;
    int index; /* 0 = ADC1 */
    uint32_t SR, CR1, CR2, SMPR1, SMPR2, JOFR[4], HTR, LTR, SQR1, SQR2, SQR3, JSQR, DR;
    uint64_t stable_ps;   /* ADON: the analog part is usable from here (tSTAB) */
    bool converting;      /* a regular sequence is running */
    int seq_pos;          /* rank being converted, 0 = SQ1 */
    int channel;          /* channel being converted */
    uint32_t sample_code; /* 12-bit value held by the sample and hold */
    uint64_t sample_start_ps;
    uint64_t conv_end_ps;
    struct sim_event ev;
    bool dma_pending;     /* a DMA request not yet served by a DR read */
    bool dma_done;        /* DDS = 0: the DMA's last transfer happened */
    struct adc_dma_port dma;
    uint32_t warned;      /* one-time warnings given (ADC_WARN_*) */
    /* statistics */
    uint64_t conversions, overruns, dma_requests;
};

struct adc_common {
    struct f446 *chip;
    struct adc adc[ADC_COUNT];
    uint32_t CCR;
    uint64_t ts_on_ps; /* TSVREFE set at this time (the sensor's start-up runs from here) */
    uint32_t warned;
    struct adc_inputs in;
};

/* adc.c */
void adc_common_init(struct adc_common *c, struct f446 *chip);
void adc_reset(struct adc_common *c);
uint32_t adc_clk_hz(const struct adc_common *c); /* ADCCLK = PCLK2 / ADCPRE (RM0390 13.3.2) */
/* Time of one conversion of `channel` on `a` (sample time + resolution cycles, RM0390 13.5). */
uint64_t adc_conversion_ps(const struct adc *a, int channel);
/* The DMA controller reads DR for a request (clears EOC like a CPU read). */
uint32_t adc_dma_read(struct adc *a);
/* The DMA's programmed transfer ended: with DDS = 0 no further requests (RM0390 13.8.1). */
void adc_dma_last(struct adc *a);
extern const struct sim_mmio_ops adc_ops, adc_common_ops;

/* adc_analog.c */
void adc_inputs_init(struct adc_inputs *in);
void adc_inputs_free(struct adc_common *c);
/* Schedule a pad voltage (port 0 = A) or, with port -1, the die temperature
 * at `due_ps` (>= now; now applies at once). 0 or -ENOMEM. */
int adc_input_at(struct adc_common *c, uint64_t due_ps, int port, int pin, int32_t value);
/* The pad of ADCx_INn (DS10693 table 10): 0 and the port/pin, or -1 when the channel is internal or unbonded. */
int adc_channel_pad(int adc_index, int channel, int *port, int *pin);
/* The 12-bit value the ADC's sample and hold reaches for `channel` after
 * sampling for `sample_ps` (RM0390 13.10; DS10693, temperature sensor and VREFINT). */
uint32_t adc_sample(struct adc *a, int channel, uint64_t sample_ps);

#endif
