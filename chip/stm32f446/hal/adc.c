/*
 * quartz/hal/adc.h on ADC1 of the STM32F446 (RM0390 section 13).
 *
 * A sequence is one regular scan: SQR1..SQR3 hold the channels, SCAN and
 * EOCS = 1 make EOC rise after each rank (RM0390 13.8.2, "Managing a
 * sequence of conversions without using the DMA"), and the port reads DR
 * rank by rank, each wait bounded. Overrun detection is on with EOCS, so a
 * result the port missed is -EIO, never a silently shifted buffer.
 *
 * Scans of DMA_MIN_RANKS or more go by DMA2 instead (scan_dma(), RM0390
 * 13.8.1 "Using the DMA"): CR2.DMA = 1, DDS = 0 (no request after the
 * stream's last transfer), EOCS = 0; the stream moves each rank's
 * half-word into the caller's buffer, overrun detection stays on (DMA =
 * 1), and the stream's TCIF ends the scan within the same bound. A single
 * conversion stays polled: the stream's setup and stop cost more.
 * ADC1's stream is chip data: DMA2 stream 4 channel 0 (table 29; stream
 * 0, the other choice, carries SPI1_RX and SPI4_RX), claimed in adc_init.
 *
 * Sample times: an internal channel needs at least 10 us (DS10693 TS_temp
 * and TS_vrefint), an input pin gets 56 ADCCLK cycles (enough
 * for the source impedances of DS10693 (RAIN in "ADC characteristics") at this ADCCLK).
 */
#include <errno.h>
#include <stdbool.h>
#include <stdint.h>

#include "quartz/cpu.h"
#include "quartz/hal/adc.h"
#include "quartz/hal/clock.h"
#include "quartz/hal/gpio.h"
#include "stm32_hal.h"
#include "stm32f446/regs.h"

#define ADCCLK_MAX_HZ 36000000u  /* fADC at VDDA 2.4..3.6 V (DS10693 "ADC characteristics") */
#define TSTAB_US 3u              /* tSTAB, power-up (DS10693 "ADC characteristics": at most 2 us) */
#define TSTART_US 10u            /* sensor and VREFINT start-up, tSTART (DS10693) */
#define INTERNAL_SAMPLE_NS 10000u
#define PIN_SAMPLE_CYCLES 56u
#define SMP_BITS 3u              /* SMPx fields (RM0390 13.13.4-13.13.5) */
#define SQ_BITS 5u               /* SQx fields (RM0390 13.13.9-13.13.11) */
#define SQ_PER_REG 6u
#define CONVERSION_WAIT_MS 2u    /* 492 cycles at the slowest ADCCLK (2 MHz) take 246 us */
#define CH_VREFINT 17u           /* ADC1_IN17 (RM0390 13.10) */
#define CH_TEMP 18u              /* ADC1_IN18, shared with VBAT (RM0390 13.10) */
#define CAL_VDDA_MV 3300u        /* the calibration values are conversions at VDDA = 3.3 V */
#define CAL_T1_CENTI 3000        /* TS_CAL1 at 30 C */
#define CAL_T2_CENTI 11000       /* TS_CAL2 at 110 C */

/* Factory calibration in system memory (DS10693 "Temperature sensor characteristics", "Internal reference voltage"). */
#define VREFINT_CAL (*(const volatile uint16_t *)0x1FFF7A2Au)
#define TS_CAL1 (*(const volatile uint16_t *)0x1FFF7A2Cu)
#define TS_CAL2 (*(const volatile uint16_t *)0x1FFF7A2Eu)

/* ADC1_IN0..IN15 pins (DS10693 table 10). */
static const struct gpio_pin pads[16] = {
    {'A', 0}, {'A', 1}, {'A', 2}, {'A', 3}, {'A', 4}, {'A', 5}, {'A', 6}, {'A', 7},
    {'B', 0}, {'B', 1}, {'C', 0}, {'C', 1}, {'C', 2}, {'C', 3}, {'C', 4}, {'C', 5},
};
static const unsigned smp_cycles[8] = {3, 15, 28, 56, 84, 112, 144, 480};

#define DMA_MIN_RANKS 2u
static const struct stm32_dma_channel adc1_dma = { 2, 4, 0 };

static bool powered, dma_claimed;
static volatile bool busy;
static uint32_t adcclk_hz;

/* The shortest sample time of at least `cycles` ADCCLK cycles: its SMP code. */
static uint32_t smp_code(uint32_t cycles)
{
    uint32_t code = 0;
    while (code < 7u && smp_cycles[code] < cycles)
        code++;
    return code;
}

static void set_sample_time(uint32_t ch, uint32_t code)
{
    volatile uint32_t *reg = ch >= 10u ? &ADC1->SMPR1 : &ADC1->SMPR2;
    uint32_t shift = SMP_BITS * (ch >= 10u ? ch - 10u : ch);
    *reg = (*reg & ~(((1u << SMP_BITS) - 1u) << shift)) | code << shift;
}

int adc_init(void)
{
    if (!dma_claimed) {
        int rc = stm32_dma_claim(&adc1_dma, STM32_DMA_ADC1);
        if (rc)
            return rc;
        dma_claimed = true;
    }
    RCC->APB2ENR |= RCC_APB2ENR_ADC1EN;
    (void)RCC->APB2ENR; /* the clock is on before the first register access (RM0390 6.3.14) */
    uint32_t pclk2 = stm32_clocks()->pclk2;
    uint32_t pre = 0; /* ADCPRE: PCLK2 / 2, 4, 6, 8 */
    while (pre < 3u && pclk2 / (2u * (pre + 1u)) > ADCCLK_MAX_HZ)
        pre++;
    adcclk_hz = pclk2 / (2u * (pre + 1u));
    ADC123_COMMON->CCR = (ADC123_COMMON->CCR & ~(ADC_CCR_ADCPRE_Msk | ADC_CCR_VBATE_Msk)) |
                         pre << ADC_CCR_ADCPRE_Pos | ADC_CCR_TSVREFE;
    uint32_t internal = smp_code((uint32_t)((uint64_t)adcclk_hz * INTERNAL_SAMPLE_NS / 1000000000u) + 1u);
    set_sample_time(CH_VREFINT, internal);
    set_sample_time(CH_TEMP, internal);
    for (uint32_t ch = 0; ch < 16u; ch++)
        set_sample_time(ch, smp_code(PIN_SAMPLE_CYCLES));
    ADC1->CR1 = ADC_CR1_SCAN; /* 12 bits, no interrupts */
    ADC1->CR2 = ADC_CR2_EOCS | ADC_CR2_ADON;
    clock_delay_us(TSTAB_US > TSTART_US ? TSTAB_US : TSTART_US);
    powered = true;
    return 0;
}

static int chip_channel(uint16_t channel, uint32_t *ch)
{
    if (channel == ADC_CHANNEL_TEMP)
        *ch = CH_TEMP;
    else if (channel == ADC_CHANNEL_VREFINT)
        *ch = CH_VREFINT;
    else if (channel < 16u)
        *ch = channel;
    else
        return -EINVAL;
    return 0;
}

/* Regular sequence: rank r (0 = SQ1) in SQR3 (ranks 0..5), SQR2 (6..11), SQR1 (12..15). */
static void set_sequence(const uint32_t *chs, size_t n)
{
    uint32_t sqr[3] = {0, 0, 0};
    for (size_t r = 0; r < n; r++)
        sqr[r / SQ_PER_REG] |= chs[r] << (SQ_BITS * (r % SQ_PER_REG));
    ADC1->SQR3 = sqr[0];
    ADC1->SQR2 = sqr[1];
    ADC1->SQR1 = sqr[2] | (uint32_t)(n - 1u) << ADC_SQR1_L_Pos;
}

/* One SWSTART, then each rank's result as its EOC rises. */
static int scan_ranks(size_t n, uint16_t *out)
{
    ADC1->SR = ~(ADC_SR_EOC | ADC_SR_OVR | ADC_SR_STRT); /* rc_w0: clear them, keep the rest */
    (void)ADC1->DR;
    ADC1->CR2 |= ADC_CR2_SWSTART;
    for (size_t r = 0; r < n; r++) {
        struct stm32_wait w;
        stm32_wait_start(&w, CONVERSION_WAIT_MS);
        uint32_t sr;
        while (!((sr = ADC1->SR) & (ADC_SR_EOC | ADC_SR_OVR)))
            if (stm32_wait_over(&w))
                return -ETIMEDOUT;
        if (sr & ADC_SR_OVR) {
            ADC1->SR = ~ADC_SR_OVR;
            return -EIO;
        }
        out[r] = (uint16_t)(ADC1->DR & ADC_DR_DATA_Msk); /* the read clears EOC */
    }
    return 0;
}

/* One SWSTART; the stream takes each rank's result, TCIF after the last. */
static int scan_dma(size_t n, uint16_t *out)
{
    ADC1->SR = ~(ADC_SR_EOC | ADC_SR_OVR | ADC_SR_STRT);
    (void)ADC1->DR;
    const struct stm32_dma_xfer x = {
        .periph = &ADC1->DR, .mem = out, .n = (uint16_t)n, .to_periph = false, .mem_inc = true, .item_bytes = 2,
    };
    stm32_dma_start(&adc1_dma, &x);
    ADC1->CR2 = ADC_CR2_ADON | ADC_CR2_DMA; /* DMA 0 -> 1: requests armed again (13.8.1) */
    ADC1->CR2 = ADC_CR2_ADON | ADC_CR2_DMA | ADC_CR2_SWSTART;
    struct stm32_wait w;
    stm32_wait_start(&w, CONVERSION_WAIT_MS * (uint32_t)n);
    int rc;
    for (;;) {
        rc = stm32_dma_status(&adc1_dma);
        if (rc == 0 && (ADC1->SR & ADC_SR_OVR))
            rc = -EIO;
        if (rc != 0)
            break;
        if (stm32_wait_over(&w)) {
            rc = -ETIMEDOUT;
            break;
        }
    }
    ADC1->CR2 = ADC_CR2_EOCS | ADC_CR2_ADON; /* back to the polled setting; a running sequence ends */
    ADC1->SR = ~ADC_SR_OVR;
    bool failed = stm32_dma_stop(&adc1_dma);
    if (rc == 1)
        rc = failed ? -EIO : 0;
    return rc;
}

int adc_scan(const uint16_t *channels, size_t n, uint16_t *out)
{
    if (!powered)
        return -ENODEV;
    if (n == 0 || n > ADC_MAX_SEQUENCE)
        return -EINVAL;
    uint32_t chs[ADC_MAX_SEQUENCE];
    for (size_t r = 0; r < n; r++) {
        int rc = chip_channel(channels[r], &chs[r]);
        if (rc)
            return rc;
    }
    uint32_t key = cpu_irq_lock();
    bool taken = busy;
    busy = true;
    cpu_irq_unlock(key);
    if (taken)
        return -EBUSY;
    for (size_t r = 0; r < n; r++)
        if (chs[r] < 16u)
            gpio_configure(pads[chs[r]], &(struct gpio_config){.mode = GPIO_ANALOG});
    set_sequence(chs, n);
    int rc = n >= DMA_MIN_RANKS ? scan_dma(n, out) : scan_ranks(n, out);
    busy = false;
    return rc;
}

int adc_vdda_mv(uint32_t *mv)
{
    uint16_t raw;
    int rc = adc_read(ADC_CHANNEL_VREFINT, &raw);
    if (rc)
        return rc;
    if (raw == 0)
        return -EIO;
    *mv = (CAL_VDDA_MV * VREFINT_CAL + raw / 2u) / raw;
    return 0;
}

/* DS10693 "Temperature sensor characteristics": the line through (TS_CAL1, 30 C) and (TS_CAL2, 110 C), the
 * reading first scaled to the calibration's VDDA of 3.3 V. */
int adc_temp_centi_c(int32_t *centi_c)
{
    static const uint16_t seq[2] = {ADC_CHANNEL_VREFINT, ADC_CHANNEL_TEMP};
    uint16_t raw[2];
    int rc = adc_scan(seq, 2, raw);
    if (rc)
        return rc;
    if (raw[0] == 0 || TS_CAL2 <= TS_CAL1)
        return -EIO;
    /* raw at 3.3 V = raw * VDDA / 3.3 V = raw * VREFINT_CAL / raw(VREFINT), in 1/16 LSB */
    int64_t at_cal = ((int64_t)raw[1] * VREFINT_CAL * 16 + raw[0] / 2) / raw[0];
    int64_t span = (int64_t)(TS_CAL2 - TS_CAL1) * 16;
    int64_t delta = (at_cal - (int64_t)TS_CAL1 * 16) * (CAL_T2_CENTI - CAL_T1_CENTI);
    *centi_c = CAL_T1_CENTI + (int32_t)((delta >= 0 ? delta + span / 2 : delta - span / 2) / span);
    return 0;
}

int adc_read_mv(uint16_t channel, uint32_t *mv)
{
    uint32_t vdda;
    int rc = adc_vdda_mv(&vdda);
    uint16_t raw = 0;
    if (!rc)
        rc = adc_read(channel, &raw);
    if (!rc)
        *mv = (raw * vdda + ADC_FULL_SCALE / 2u) / ADC_FULL_SCALE;
    return rc;
}
