/*
 * ADC1 into memory by DMA2 (RM0390 13.8.1, table 29: ADC1 on DMA2 stream 0
 * channel 0) on the fake core at the 16 MHz reset clock, ADCCLK 4 MHz: a
 * conversion of the default 3-cycle sample time is 15 cycles, 3.75 us.
 */
#include "periph_test.h"

#define ADC1 0x40012000u
#define ADC_CCR 0x40012304u
#define ADC_SR 0x00
#define ADC_CR1 0x04
#define ADC_CR2 0x08
#define ADC_SQR1 0x2C
#define ADC_SQR3 0x34
#define ADC_DR 0x4C
#define SR_OVR (1u << 5)
#define CR1_SCAN (1u << 8)
#define CR2_ADON (1u << 0)
#define CR2_CONT (1u << 1)
#define CR2_DMA (1u << 8)
#define CR2_DDS (1u << 9)
#define CR2_SWSTART (1u << 30)
#define CCR_ADCPRE_4 (1u << 16)
#define DMA2 0x40026400u
#define LISR 0x00
#define S0CR 0x10
#define S0NDTR 0x14
#define S0PAR 0x18
#define S0M0AR 0x1C
#define EN (1u << 0)
#define CIRC (1u << 8)
#define MINC (1u << 10)
#define PSIZE_HALF (1u << 11)
#define MSIZE_HALF (1u << 13)
#define TCIF0 (1u << 5)
#define HTIF0 (1u << 4)
#define SRAM 0x20000000u
#define BUF (SRAM + 0x200u)
#define NS(x) ((uint64_t)(x) * SIM_PS_PER_NS)
#define CONV_NS 3750u

static const int32_t uv[3] = {500000, 1650000, 3000000}; /* PA0, PA1, PA4 */

static uint16_t buf_at(sim_t *s, unsigned i)
{
    const uint8_t *p = fake(s)->sram + (BUF - SRAM) + 2u * i;
    return (uint16_t)(p[0] | p[1] << 8);
}

static int32_t code_of(int k)
{
    return (int32_t)((int64_t)uv[k] * 4095 / 3300000);
}

/* Three ranks IN0, IN1, IN4 in scan mode, continuous; DMA2 stream 0 channel
 * 0 moves half-words from DR into a buffer of `n`, circular. */
static void scan_by_dma(struct fixture *f, uint32_t n, uint32_t dds)
{
    sim_t *s = f->sim;
    struct adc_common *adc = &nucleo_chip(f->board)->adc;
    set_bits(s, RCC_AHB1ENR, 1u | 1u << 22); /* GPIOA, DMA2 */
    set_bits(s, RCC_APB2ENR, 1u << 8);       /* ADC1 */
    static const int pins[3] = {0, 1, 4};
    for (int k = 0; k < 3; k++) {
        fake_write(s, GPIOA, fake_read(s, GPIOA) | 3u << (2 * pins[k]));
        assert_int_equal(adc_input_at(adc, sim_now_ps(s), 0, pins[k], uv[k]), 0);
    }
    memset(fake(s)->sram + (BUF - SRAM), 0xEE, 64);
    fake_write(s, DMA2 + S0PAR, ADC1 + ADC_DR);
    fake_write(s, DMA2 + S0M0AR, BUF);
    fake_write(s, DMA2 + S0NDTR, n);
    fake_write(s, DMA2 + S0CR, 0u << 25 | PSIZE_HALF | MSIZE_HALF | MINC | CIRC | EN); /* CHSEL 0, P2M */
    fake_write(s, ADC_CCR, CCR_ADCPRE_4);
    fake_write(s, ADC1 + ADC_CR1, CR1_SCAN);
    fake_write(s, ADC1 + ADC_SQR1, 2u << 20);             /* L = 2: three ranks */
    fake_write(s, ADC1 + ADC_SQR3, 0u | 1u << 5 | 4u << 10); /* IN0, IN1, IN4 */
    fake_write(s, ADC1 + ADC_CR2, CR2_ADON | CR2_CONT | CR2_DMA | dds);
    fake_run_for(s, US(3)); /* tSTAB */
    fake_write(s, ADC1 + ADC_CR2, CR2_ADON | CR2_CONT | CR2_DMA | dds | CR2_SWSTART);
}

/* DDS = 1, a circular buffer of two scans: after three scans the third has
 * overwritten the first, NDTR has wrapped to 3 with TCIF and HTIF, every
 * result went by DMA (no overrun, each read served its request). */
static void circular_scan(void **state)
{
    struct fixture *f = *state;
    sim_t *s = f->sim;
    scan_by_dma(f, 6, CR2_DDS);
    fake_run_for(s, NS(9 * CONV_NS + CONV_NS / 2));
    const struct dma_stream *st = &nucleo_chip(f->board)->dma[1].s[0];
    assert_int_equal(st->transfers, 9u);
    assert_int_equal(fake_read(s, DMA2 + S0NDTR), 3u);
    assert_int_equal(fake_read(s, DMA2 + LISR) & (TCIF0 | HTIF0), TCIF0 | HTIF0);
    assert_int_equal(fake_read(s, DMA2 + S0CR) & EN, EN); /* circular: still on */
    for (unsigned i = 0; i < 6; i++) {
        int32_t want = code_of((int)(i % 3)), got = buf_at(s, i);
        if (got < want - 2 || got > want + 2)
            print_message("buffer[%u] = %d, want %d\n", i, got, want);
        assert_true(got >= want - 2 && got <= want + 2);
    }
    assert_int_equal(buf_at(s, 6), 0xEEEEu); /* nothing past the buffer */
    assert_int_equal(fake_read(s, ADC1 + ADC_SR) & SR_OVR, 0u);
    assert_int_equal(nucleo_chip(f->board)->adc.adc[0].dma_requests, 9u);
}

/* DDS = 0: the stream's last transfer (NDTR 0) ends the ADC's requests
 * (RM0390 13.8.1); the circular stream reloads and waits for requests that
 * never come, and the next unread result overruns. */
static void dds0_stops_after_last_transfer(void **state)
{
    struct fixture *f = *state;
    sim_t *s = f->sim;
    scan_by_dma(f, 3, 0);
    fake_run_for(s, NS(8 * CONV_NS));
    const struct dma_stream *st = &nucleo_chip(f->board)->dma[1].s[0];
    assert_int_equal(st->transfers, 3u);
    assert_int_equal(nucleo_chip(f->board)->adc.adc[0].dma_requests, 3u);
    assert_int_equal(fake_read(s, DMA2 + S0NDTR), 3u);
    for (unsigned i = 0; i < 3; i++) {
        int32_t want = code_of((int)i), got = buf_at(s, i);
        assert_true(got >= want - 2 && got <= want + 2);
    }
    assert_int_equal(fake_read(s, ADC1 + ADC_SR) & SR_OVR, SR_OVR);
}

int test_adc_dma_group(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(circular_scan, fixture_setup, fixture_teardown),
        cmocka_unit_test_setup_teardown(dds0_stops_after_last_transfer, fixture_setup, fixture_teardown),
    };
    return cmocka_run_group_tests_name("adc_dma", tests, NULL, NULL);
}
