/*
 * ADC1..3 (RM0390 section 13) on the fake core at the 16 MHz reset clock:
 * PCLK2 = 16 MHz, ADCPRE = /4 gives ADCCLK = 4 MHz (250 ns a cycle).
 */
#include "periph_test.h"

#define ADC1 0x40012000u
#define ADC2 0x40012100u
#define ADC_CCR 0x40012304u
#define ADC_CSR 0x40012300u
#define SR 0x00
#define CR1 0x04
#define CR2 0x08
#define SMPR1 0x0C
#define SMPR2 0x10
#define HTR 0x24
#define LTR 0x28
#define SQR1 0x2C
#define SQR3 0x34
#define DR 0x4C
#define SR_AWD (1u << 0)
#define SR_EOC (1u << 1)
#define SR_STRT (1u << 4)
#define SR_OVR (1u << 5)
#define CR1_EOCIE (1u << 5)
#define CR1_SCAN (1u << 8)
#define CR1_AWDSGL (1u << 9)
#define CR1_AWDEN (1u << 23)
#define CR1_RES_8BIT (2u << 24)
#define CR1_OVRIE (1u << 26)
#define CR2_ADON (1u << 0)
#define CR2_CONT (1u << 1)
#define CR2_DMA (1u << 8)
#define CR2_DDS (1u << 9)
#define CR2_EOCS (1u << 10)
#define CR2_ALIGN (1u << 11)
#define CR2_SWSTART (1u << 30)
#define CCR_ADCPRE_4 (1u << 16)
#define CCR_TSVREFE (1u << 23)
#define SMP_56 3u
#define SMP_480 7u
#define ADC_IRQ 18
#define NS(x) ((uint64_t)(x) * SIM_PS_PER_NS)

static struct adc_common *adcs(struct fixture *f)
{
    return &nucleo_chip(f->board)->adc;
}

/* `volts` on port/pin from now on, in microvolts. */
static void analog(struct fixture *f, int port, int pin, int32_t uv)
{
    assert_int_equal(adc_input_at(adcs(f), sim_now_ps(f->sim), port, pin, uv), 0);
}

static void pin_analog(sim_t *s, uint32_t gpio, int pin)
{
    fake_write(s, gpio, fake_read(s, gpio) | (3u << (2 * pin)));
}

/* ADC1 clocked and on, ADCCLK 4 MHz, past tSTAB; the registers given. */
static void adc1_on(struct fixture *f, uint32_t cr1, uint32_t cr2)
{
    sim_t *s = f->sim;
    set_bits(s, RCC_AHB1ENR, 7u); /* GPIOA..C */
    set_bits(s, RCC_APB2ENR, 7u << 8); /* ADC1..3 */
    fake_write(s, ADC_CCR, CCR_ADCPRE_4);
    fake_write(s, ADC1 + CR1, cr1);
    fake_write(s, ADC1 + CR2, cr2 | CR2_ADON);
    fake_run_for(s, US(3));
}

static void swstart(sim_t *s, uint32_t adc)
{
    fake_write(s, adc + CR2, fake_read(s, adc + CR2) | CR2_SWSTART);
}

/* Sample time + 12 ADCCLK cycles (RM0390 13.5); 8 bits take 8 (RM0390 13.7). */
static void conversion_time(void **state)
{
    struct fixture *f = *state;
    sim_t *s = f->sim;
    adc1_on(f, 0, 0);
    assert_int_equal(adc_clk_hz(adcs(f)), 4000000u);
    fake_write(s, ADC1 + SMPR2, SMP_56); /* channel 0: 56 cycles */
    swstart(s, ADC1);
    assert_int_equal(fake_read(s, ADC1 + CR2) & CR2_SWSTART, 0u); /* cleared as the conversion starts */
    assert_int_equal(fake_read(s, ADC1 + SR), SR_STRT);
    fake_run_for(s, NS(16900)); /* 68 cycles = 17 us (HCLK 62.5 ns steps) */
    assert_int_equal(fake_read(s, ADC1 + SR) & SR_EOC, 0u);
    fake_run_for(s, NS(100));
    assert_int_equal(fake_read(s, ADC1 + SR) & SR_EOC, SR_EOC);
    fake_read(s, ADC1 + DR);
    assert_int_equal(fake_read(s, ADC1 + SR) & SR_EOC, 0u); /* DR read clears EOC */

    fake_write(s, ADC1 + CR1, CR1_RES_8BIT); /* 56 + 8 cycles = 16 us */
    fake_write(s, ADC_CCR, 0);               /* and ADCCLK 8 MHz: 8 us */
    swstart(s, ADC1);
    fake_run_for(s, NS(7900));
    assert_int_equal(fake_read(s, ADC1 + SR) & SR_EOC, 0u);
    fake_run_for(s, NS(100));
    assert_int_equal(fake_read(s, ADC1 + SR) & SR_EOC, SR_EOC);
}

/* ADCCLK follows PCLK2 from the PLL (84 MHz): /2 = 42 MHz is above the fADC maximum (DS10693, ADC
 * characteristics), /4 = 21 MHz is not. */
static void adcclk_from_pll(void **state)
{
    struct fixture *f = *state;
    sim_t *s = f->sim;
    set_bits(s, RCC_CR, (1u << 18) | (1u << 16)); /* HSE bypass on */
    fake_run_for(s, US(5));
    fake_write(s, RCC_PLLCFGR, 8u | (336u << 6) | (1u << 16) | (1u << 22) | (7u << 24) | (2u << 28));
    fake_write(s, FLASH_ACR, 2u);
    fake_write(s, RCC_CFGR, (4u << 10) | 2u); /* PPRE1 /2, PPRE2 /1, SW = PLL */
    set_bits(s, RCC_CR, 1u << 24);
    fake_run_for(s, US(200));
    assert_int_equal(rcc_pclk2_hz(&nucleo_chip(f->board)->rcc), 84000000u);
    adc1_on(f, 0, 0);
    assert_int_equal(adc_clk_hz(adcs(f)), 21000000u);
    swstart(s, ADC1);
    fake_run_for(s, NS(700)); /* 15 cycles at 21 MHz = 714 ns */
    assert_int_equal(fake_read(s, ADC1 + SR) & SR_EOC, 0u);
    fake_run_for(s, NS(30));
    assert_int_equal(fake_read(s, ADC1 + SR) & SR_EOC, SR_EOC);
    assert_false(fake_warned(s, "36 MHz"));
    fake_write(s, ADC_CCR, 0); /* /2: 42 MHz */
    swstart(s, ADC1);
    assert_true(fake_warned(s, "ADCCLK above 36 MHz"));
}

/* A scripted voltage reads back within 2 LSB, at 12 bits and at 8 bits left-aligned. */
static void scripted_inputs(void **state)
{
    struct fixture *f = *state;
    sim_t *s = f->sim;
    adc1_on(f, 0, 0);
    pin_analog(s, GPIOA, 0);
    assert_int_equal(adc_input_at(adcs(f), sim_now_ps(s) + MS(2), 0, 0, 1650000), 0);
    swstart(s, ADC1);
    fake_run_for(s, US(10));
    assert_int_equal(fake_read(s, ADC1 + DR), 0u); /* floating analog pad: 0 V */
    fake_run_for(s, MS(2));
    swstart(s, ADC1);
    fake_run_for(s, US(10));
    int32_t dr = (int32_t)fake_read(s, ADC1 + DR);
    assert_true(dr >= 2048 - 2 && dr <= 2048 + 2);
    analog(f, 0, 0, 2500000); /* 3103 = 2500 mV * 4095 / 3300 mV */
    fake_write(s, ADC1 + CR1, CR1_RES_8BIT);
    fake_write(s, ADC1 + CR2, CR2_ADON | CR2_ALIGN);
    swstart(s, ADC1);
    fake_run_for(s, US(10));
    dr = (int32_t)fake_read(s, ADC1 + DR);
    assert_int_equal(dr & 0xFF, 0);
    assert_true(dr >> 8 >= (3103 >> 4) - 2 && dr >> 8 <= (3103 >> 4) + 2);
    assert_false(fake_warned(s, "not in analog mode"));
}

/* The pad is read whatever MODER says (RM0390 7.3.12): a driven output reads its level, a warning names the pin. */
static void pin_not_in_analog_mode(void **state)
{
    struct fixture *f = *state;
    sim_t *s = f->sim;
    adc1_on(f, 0, 0);
    analog(f, 0, 1, 1000000);
    fake_write(s, ADC1 + SQR3, 1); /* IN1 = PA1, input mode after reset */
    swstart(s, ADC1);
    fake_run_for(s, US(10));
    int32_t dr = (int32_t)fake_read(s, ADC1 + DR);
    assert_true(dr >= 1241 - 2 && dr <= 1241 + 2);
    assert_true(fake_warned(s, "PA1 converted while not in analog mode"));
    fake_write(s, GPIOA + 0x00, fake_read(s, GPIOA) | (1u << 2)); /* PA1 output, ODR = 1 */
    fake_write(s, GPIOA + 0x14, 1u << 1);
    swstart(s, ADC1);
    fake_run_for(s, US(10));
    assert_int_equal(fake_read(s, ADC1 + DR), 4095u);
}

/* Scan with EOCS = 1: EOC after each rank, DR in sequence order; CONT restarts the sequence (RM0390 13.3.5, 13.3.8). */
static void scan_and_continuous(void **state)
{
    struct fixture *f = *state;
    sim_t *s = f->sim;
    static const int32_t uv[3] = {500000, 1500000, 3000000};
    for (int k = 0; k < 3; k++) {
        pin_analog(s, GPIOA, k);
        analog(f, 0, k, uv[k]);
    }
    adc1_on(f, CR1_SCAN, CR2_EOCS | CR2_CONT);
    fake_write(s, ADC1 + SQR1, 2u << 20);                     /* L = 2: three ranks */
    fake_write(s, ADC1 + SQR3, 2u | 0u << 5 | 1u << 10);       /* IN2, IN0, IN1 */
    swstart(s, ADC1);
    static const int order[6] = {2, 0, 1, 2, 0, 1};
    for (int n = 0; n < 6; n++) { /* each 15 cycles = 3.75 us */
        fake_run_for(s, NS(3750));
        assert_int_equal(fake_read(s, ADC1 + SR) & (SR_EOC | SR_OVR), SR_EOC);
        int32_t want = (int32_t)((int64_t)uv[order[n]] * 4095 / 3300000);
        int32_t dr = (int32_t)fake_read(s, ADC1 + DR);
        assert_true(dr >= want - 2 && dr <= want + 2);
    }
    assert_int_equal(adcs(f)->adc[0].conversions, 6u);
    fake_write(s, ADC1 + CR2, CR2_EOCS); /* CONT = 0: the running sequence ends, then it stops */
    swstart(s, ADC1);                    /* ignored: a sequence runs */
    fake_run_for(s, US(100));
    assert_true(adcs(f)->adc[0].conversions <= 9u);
    uint64_t n = adcs(f)->adc[0].conversions;
    fake_run_for(s, US(100));
    assert_int_equal(adcs(f)->adc[0].conversions, n);
}

/* EOCS = 0: EOC only at the end of the sequence and no overrun detection;
 * EOCS = 1: OVR stops the ADC (RM0390 13.8.2). */
static void eoc_and_overrun(void **state)
{
    struct fixture *f = *state;
    sim_t *s = f->sim;
    adc1_on(f, CR1_SCAN | CR1_OVRIE, 0);
    fake_write(s, ADC1 + SQR1, 1u << 20); /* two ranks */
    swstart(s, ADC1);
    fake_run_for(s, NS(3750));
    assert_int_equal(fake_read(s, ADC1 + SR) & SR_EOC, 0u); /* rank 1 of 2 */
    fake_run_for(s, NS(3750));
    assert_int_equal(fake_read(s, ADC1 + SR) & SR_EOC, SR_EOC);
    swstart(s, ADC1); /* DR unread: still no OVR without EOCS or DMA */
    fake_run_for(s, US(8));
    assert_int_equal(fake_read(s, ADC1 + SR) & SR_OVR, 0u);
    assert_false(fake(s)->irq[ADC_IRQ]);

    fake_write(s, ADC1 + CR1, CR1_OVRIE);
    fake_write(s, ADC1 + CR2, CR2_ADON | CR2_EOCS | CR2_CONT);
    fake_write(s, ADC1 + SR, 0);
    swstart(s, ADC1);
    fake_run_for(s, NS(3750));
    assert_int_equal(fake_read(s, ADC1 + SR) & (SR_EOC | SR_OVR), SR_EOC);
    fake_run_for(s, NS(3750)); /* the next result finds EOC still set */
    assert_int_equal(fake_read(s, ADC1 + SR) & SR_OVR, SR_OVR);
    assert_true(fake(s)->irq[ADC_IRQ]);
    uint64_t n = adcs(f)->adc[0].conversions;
    fake_run_for(s, US(20));
    assert_int_equal(adcs(f)->adc[0].conversions, n); /* stopped */
    swstart(s, ADC1);                                    /* ignored while OVR */
    fake_run_for(s, US(20));
    assert_int_equal(adcs(f)->adc[0].conversions, n);
    assert_int_equal(fake_read(s, ADC_CSR) & 0x3Fu, fake_read(s, ADC1 + SR)); /* CSR mirrors ADC1 */
    fake_write(s, ADC1 + SR, ~SR_OVR); /* rc_w0 */
    assert_false(fake(s)->irq[ADC_IRQ]);
    fake_read(s, ADC1 + DR);
    swstart(s, ADC1);
    fake_run_for(s, NS(3750));
    assert_int_equal(adcs(f)->adc[0].conversions, n + 1);
}

/* EOCIE raises ADC_IRQn 18 for ADC2 as well (shared line); the analog watchdog sets AWD. */
static void interrupt_and_watchdog(void **state)
{
    struct fixture *f = *state;
    sim_t *s = f->sim;
    adc1_on(f, 0, 0);
    pin_analog(s, GPIOA, 0);
    analog(f, 0, 0, 3000000);
    fake_write(s, ADC2 + CR1, CR1_EOCIE | CR1_AWDEN | CR1_AWDSGL); /* AWDCH = 0 */
    fake_write(s, ADC2 + HTR, 3000);
    fake_write(s, ADC2 + LTR, 100);
    fake_write(s, ADC2 + CR2, CR2_ADON);
    fake_run_for(s, US(3));
    swstart(s, ADC2);
    fake_run_for(s, NS(3750));
    assert_true(fake(s)->irq[ADC_IRQ]);
    assert_int_equal(fake_read(s, ADC2 + SR) & (SR_EOC | SR_AWD), SR_EOC | SR_AWD); /* 3723 > 3000 */
    fake_read(s, ADC2 + DR);
    assert_false(fake(s)->irq[ADC_IRQ]);
}

static unsigned dma_calls;
static void record_dma_request(void *ctx, struct adc *a)
{
    (void)ctx;
    dma_calls++;
    adc_dma_read(a);
    if (dma_calls == 3)
        adc_dma_last(a);
}

/* DMA = 1: a request per conversion, served by adc_dma_read; DDS = 0: none after the DMA's last transfer,
 * and the next unread result overruns, as overrun detection is on with DMA = 1 (RM0390 13.8.1). */
static void dma_requests(void **state)
{
    struct fixture *f = *state;
    sim_t *s = f->sim;
    dma_calls = 0;
    adcs(f)->adc[0].dma = (struct adc_dma_port){record_dma_request, NULL, NULL};
    adc1_on(f, 0, CR2_DMA | CR2_CONT);
    swstart(s, ADC1);
    fake_run_for(s, NS(3750 * 4));
    assert_int_equal(dma_calls, 3u);
    assert_int_equal(adcs(f)->adc[0].dma_requests, 3u);
    assert_int_equal(fake_read(s, ADC1 + SR) & (SR_EOC | SR_OVR), SR_EOC); /* the 4th result, unread */
    fake_run_for(s, NS(3750));
    assert_int_equal(fake_read(s, ADC1 + SR) & SR_OVR, SR_OVR);
    assert_int_equal(dma_calls, 3u);

    /* DMA 0 -> 1 arms the requests again; with nothing serving them the second result overruns */
    adcs(f)->adc[0].dma = (struct adc_dma_port){NULL, NULL, NULL};
    fake_write(s, ADC1 + CR2, CR2_ADON | CR2_CONT);
    fake_write(s, ADC1 + CR2, CR2_ADON | CR2_CONT | CR2_DMA);
    fake_write(s, ADC1 + SR, 0);
    swstart(s, ADC1);
    fake_run_for(s, NS(3750));
    assert_int_equal(adcs(f)->adc[0].dma_requests, 4u);
    assert_true(adcs(f)->adc[0].dma_pending);
    fake_run_for(s, NS(3750));
    assert_int_equal(fake_read(s, ADC1 + SR) & SR_OVR, SR_OVR);

    /* DDS = 1: requests go on after the DMA's last transfer (circular DMA) */
    dma_calls = 0;
    adcs(f)->adc[0].dma = (struct adc_dma_port){record_dma_request, NULL, NULL};
    fake_write(s, ADC1 + CR2, CR2_ADON | CR2_CONT | CR2_DMA | CR2_DDS);
    fake_write(s, ADC1 + SR, 0);
    fake_read(s, ADC1 + DR);
    swstart(s, ADC1);
    fake_run_for(s, NS(3750 * 6));
    assert_int_equal(dma_calls, 6u);
    assert_int_equal(fake_read(s, ADC1 + SR) & SR_OVR, 0u);
}

/* The datasheet formulas on the sensor and VREFINT give back the die temperature and VDDA (DS10693). */
static void calibration_math(void **state)
{
    struct fixture *f = *state;
    sim_t *s = f->sim;
    adc1_on(f, 0, 0);
    fake_write(s, ADC1 + SMPR1, SMP_480 << 24 | SMP_480 << 21); /* IN18, IN17: 120 us */
    fake_write(s, ADC_CCR, CCR_ADCPRE_4 | CCR_TSVREFE);
    fake_run_for(s, US(10));
    static const int32_t temps[] = {-20000, 30000, 35000, 85000, 110000};
    for (size_t k = 0; k < sizeof temps / sizeof temps[0]; k++) {
        assert_int_equal(adc_input_at(adcs(f), sim_now_ps(s), -1, 0, temps[k]), 0);
        fake_write(s, ADC1 + SQR3, 18);
        swstart(s, ADC1);
        fake_run_for(s, US(123));
        int32_t raw = (int32_t)fake_read(s, ADC1 + DR);
        int32_t t = 30000 + (raw - (int32_t)ADC_TS_CAL1) * 80000 / (int32_t)(ADC_TS_CAL2 - ADC_TS_CAL1);
        assert_true(t > temps[k] - 400 && t < temps[k] + 400);
    }
    fake_write(s, ADC1 + SQR3, 17);
    swstart(s, ADC1);
    fake_run_for(s, US(123));
    uint32_t raw = fake_read(s, ADC1 + DR);
    uint32_t vdda_mv = 3300u * ADC_VREFINT_CAL / raw;
    assert_true(vdda_mv >= 3297 && vdda_mv <= 3303);
    adcs(f)->in.vdda_uv = 3000000; /* a lower VDDA: VREFINT reads higher */
    swstart(s, ADC1);
    fake_run_for(s, US(123));
    vdda_mv = 3300u * ADC_VREFINT_CAL / fake_read(s, ADC1 + DR);
    assert_true(vdda_mv >= 2997 && vdda_mv <= 3003);
    assert_int_equal(fake(s)->nwarnings, 0);
}

/* The sensor's tSTART after TSVREFE and its 10 us sampling time (DS10693 "Temperature sensor characteristics"). */
static void sensor_startup_and_sampling(void **state)
{
    struct fixture *f = *state;
    sim_t *s = f->sim;
    adc1_on(f, 0, 0);
    fake_write(s, ADC1 + SQR3, 18);
    fake_write(s, ADC1 + SMPR1, SMP_480 << 24);
    swstart(s, ADC1);
    fake_run_for(s, US(123));
    assert_int_equal(fake_read(s, ADC1 + DR), 0u); /* TSVREFE = 0 */
    assert_true(fake_warned(s, "TSVREFE = 0"));
    fake_write(s, ADC_CCR, CCR_ADCPRE_4 | CCR_TSVREFE);
    fake_run_for(s, US(2));
    swstart(s, ADC1);
    fake_run_for(s, US(123));
    assert_int_equal(fake_read(s, ADC1 + DR), 0u);
    assert_true(fake_warned(s, "within tSTART"));
    fake_write(s, ADC1 + SMPR1, SMP_56 << 24); /* 14 us: enough */
    swstart(s, ADC1);
    fake_run_for(s, US(20));
    int32_t full = (int32_t)fake_read(s, ADC1 + DR);
    assert_true(full >= (int32_t)ADC_TS_CAL1 - 2 && full <= (int32_t)ADC_TS_CAL1 + 2);
    fake_write(s, ADC1 + SMPR1, 0); /* 3 cycles = 0.75 us: far too short */
    swstart(s, ADC1);
    fake_run_for(s, US(20));
    assert_true(fake_read(s, ADC1 + DR) < (uint32_t)full * 90 / 100);
    assert_true(fake_warned(s, "less than 10 us"));
}

/* ADON = 0 stops a conversion; RCC ADCRST resets the registers (HTR = 0xFFF, RM0390 13.13.7). */
static void power_down_and_reset(void **state)
{
    struct fixture *f = *state;
    sim_t *s = f->sim;
    adc1_on(f, 0, CR2_CONT);
    swstart(s, ADC1);
    fake_run_for(s, US(10));
    fake_write(s, ADC1 + CR2, 0);
    uint64_t n = adcs(f)->adc[0].conversions;
    fake_run_for(s, US(20));
    assert_int_equal(adcs(f)->adc[0].conversions, n);
    swstart(s, ADC1); /* SWSTART needs ADON */
    fake_run_for(s, US(20));
    assert_int_equal(adcs(f)->adc[0].conversions, n);
    fake_write(s, ADC1 + HTR, 5);
    set_bits(s, RCC + 0x24, 1u << 8); /* APB2RSTR.ADCRST */
    fake_write(s, RCC + 0x24, 0);
    assert_int_equal(fake_read(s, ADC1 + HTR), 0xFFFu);
    assert_int_equal(fake_read(s, ADC_CCR), 0u);
    assert_int_equal(fake(s)->unmodeled, 0u);
}

int test_adc_group(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(conversion_time, fixture_setup, fixture_teardown),
        cmocka_unit_test_setup_teardown(adcclk_from_pll, fixture_setup, fixture_teardown),
        cmocka_unit_test_setup_teardown(scripted_inputs, fixture_setup, fixture_teardown),
        cmocka_unit_test_setup_teardown(pin_not_in_analog_mode, fixture_setup, fixture_teardown),
        cmocka_unit_test_setup_teardown(scan_and_continuous, fixture_setup, fixture_teardown),
        cmocka_unit_test_setup_teardown(eoc_and_overrun, fixture_setup, fixture_teardown),
        cmocka_unit_test_setup_teardown(interrupt_and_watchdog, fixture_setup, fixture_teardown),
        cmocka_unit_test_setup_teardown(dma_requests, fixture_setup, fixture_teardown),
        cmocka_unit_test_setup_teardown(calibration_math, fixture_setup, fixture_teardown),
        cmocka_unit_test_setup_teardown(sensor_startup_and_sampling, fixture_setup, fixture_teardown),
        cmocka_unit_test_setup_teardown(power_down_and_reset, fixture_setup, fixture_teardown),
    };
    return cmocka_run_group_tests_name("adc", tests, NULL, NULL);
}
