/*
 * I2C probe image for quartz-sim with the M24256 EEPROM on I2C1 (0x50, WC on
 * PB5). Runs the driver's hard paths one after the other and records each
 * result in a `struct i2c_probe` (results.h) that the host test checks.
 * Faults that must hit a transfer in flight are injected by the host: the
 * probe prints "@<tag>" and waits for a 'g' on the console before the
 * transfer, so the host can arm the fault first.
 */
#include <errno.h>
#include <stdbool.h>
#include <stdint.h>
#include <string.h>

#include "cortex_m/core.h"
#include "cortex_m/intrinsics.h"
#include "quartz/board.h"
#include "quartz/hal/clock.h"
#include "quartz/hal/cpu.h"
#include "quartz/hal/gpio.h"
#include "quartz/hal/i2c.h"
#include "quartz/hal/serial.h"
#include "results.h"
#include "stm32_hal.h"
#include "stm32f446/dma.h"
#include "stm32f446/i2c.h"

#define EEPROM 0x50u
#define NOBODY 0x51u
#define HANDSHAKE_MS 1000U
#define LINE_WAIT_MS 500U

static struct i2c_probe probe;
static const struct gpio_pin wc_pin = { 'B', 5 };
static const struct gpio_pin scl_pin = { 'B', 8 };
static const struct gpio_pin sda_pin = { 'B', 9 };
static uint8_t pattern[16];

#define TICK_MS 10U /* the board's SysTick at 100 Hz */

/* Cycles of a wait that never sleeps: DWT CYCCNT stops while WFI sleeps. */
static uint32_t elapsed_us(uint32_t since)
{
    return (DWT->CYCCNT - since) / (clock_hclk_hz() / 1000000U);
}

/* Microseconds from the tick count and the SysTick down-counter; a wrap not
 * yet counted by the handler shows as PENDSTSET (ARMv7-M B3.2.4). */
static uint64_t now_us(void)
{
    uint32_t key = cpu_irq_lock();
    uint64_t ms = clock_uptime_ms();
    uint32_t val = SysTick->VAL;
    if (SCB->ICSR & SCB_ICSR_PENDSTSET_Msk) {
        val = SysTick->VAL;
        ms += TICK_MS;
    }
    uint32_t load = SysTick->LOAD;
    cpu_irq_unlock(key);
    return ms * 1000U + (load - val) / (clock_hclk_hz() / 1000000U);
}

static bool handshake(const char *tag)
{
    serial_puts("@");
    serial_puts(tag);
    serial_puts("\r\n");
    uint64_t limit = clock_uptime_ms() + HANDSHAKE_MS;
    uint8_t c = 0;
    while (clock_uptime_ms() < limit)
        if (serial_read(&c, 1) == 1 && c == 'g')
            return true;
    return false;
}

static void wait_line(struct gpio_pin pin, bool level)
{
    uint64_t limit = clock_uptime_ms() + LINE_WAIT_MS;
    while (gpio_read(pin) != level && clock_uptime_ms() < limit) {
    }
}

static int read_at(uint16_t addr, uint8_t *buf, uint16_t len)
{
    uint8_t a[2] = { (uint8_t)(addr >> 8), (uint8_t)addr };
    return i2c_write_read(board_display_bus(), EEPROM, a, 2, buf, len);
}

static bool read_matches(uint16_t addr, const uint8_t *want, uint16_t len, int32_t *rc)
{
    uint8_t got[16];
    memset(got, 0xA5, sizeof got);
    *rc = read_at(addr, got, len);
    return *rc == 0 && memcmp(got, want, len) == 0;
}

static void page_write_and_poll(void)
{
    struct i2c_bus *bus = board_display_bus();
    uint8_t frame[2 + sizeof pattern] = { PROBE_PAGE_ADDR >> 8, PROBE_PAGE_ADDR & 0xFF };
    memcpy(frame + 2, pattern, sizeof pattern);
    probe.write_rc = i2c_write(bus, EEPROM, frame, sizeof frame);
    uint8_t byte;
    probe.busy_rc = i2c_read(bus, EEPROM, &byte, 1); /* in the write cycle: NoAck */
    uint64_t t0 = now_us();
    int rc = -ENXIO;
    for (probe.poll_tries = 1; probe.poll_tries < 1000 && rc == -ENXIO; probe.poll_tries++)
        rc = i2c_write(bus, EEPROM, frame, 2); /* address only: no write cycle */
    probe.poll_rc = rc;
    probe.poll_us = (uint32_t)(now_us() - t0);
}

static void reads(void)
{
    static const uint16_t lengths[PROBE_LENGTHS] = { 1, 2, 3, 16 };
    for (int i = 0; i < PROBE_LENGTHS; i++) {
        int32_t rc;
        probe.read_ok[i] = read_matches(PROBE_PAGE_ADDR, pattern, lengths[i], &rc);
        probe.read_rc[i] = rc;
    }
    (void)read_at(PROBE_PAGE_ADDR, probe.read16, 16);
    /* Current address read: continues where the 3-byte random read ended. */
    uint8_t got[4];
    int32_t rc;
    (void)read_matches(PROBE_PAGE_ADDR, pattern, 3, &rc);
    probe.current_rc = i2c_read(board_display_bus(), EEPROM, got, 4);
    probe.current_ok = probe.current_rc == 0 && memcmp(got, pattern + 3, 4) == 0;
}

static void nacks(void)
{
    struct i2c_bus *bus = board_display_bus();
    uint8_t byte;
    probe.nack_addr_rc = i2c_read(bus, NOBODY, &byte, 1);
    static const struct gpio_config out = { GPIO_OUTPUT, GPIO_PULL_NONE, GPIO_SPEED_LOW, 0, 0 };
    gpio_write(wc_pin, true);
    gpio_configure(wc_pin, &out);
    uint8_t frame[6] = { PROBE_WP_ADDR >> 8, PROBE_WP_ADDR & 0xFF, 1, 2, 3, 4 };
    probe.nack_data_rc = i2c_write(bus, EEPROM, frame, sizeof frame);
    gpio_write(wc_pin, false);
    static const uint8_t erased[4] = { 0xFF, 0xFF, 0xFF, 0xFF };
    int32_t rc;
    probe.after_nack_ok = read_matches(PROBE_WP_ADDR, erased, 4, &rc);
    probe.after_nack_rc = rc;
}

static void hold_scl_sync(void)
{
    struct stm32_i2c_bus *b = (struct stm32_i2c_bus *)board_display_bus();
    uint32_t recoveries = b->recoveries;
    uint8_t got[16];
    if (!handshake("hold-sync"))
        return;
    uint64_t t0 = now_us();
    probe.hold_sync_rc = read_at(PROBE_PAGE_ADDR, got, 16);
    probe.hold_sync_ms = (uint32_t)((now_us() - t0) / 1000U);
    wait_line(scl_pin, true);
    int32_t rc;
    probe.hold_after_ok = read_matches(PROBE_PAGE_ADDR, pattern, 16, &rc);
    probe.hold_after_rc = rc;
    probe.hold_recoveries = b->recoveries - recoveries;
    uint8_t rx[32];
    probe.hold_rx_bytes = (uint32_t)serial_read(rx, sizeof rx);
}

static void hold_scl_idle(void)
{
    uint8_t got[4];
    if (!handshake("scl-idle"))
        return;
    wait_line(scl_pin, false);
    probe.scl_idle_rc = read_at(PROBE_PAGE_ADDR, got, 4);
    wait_line(scl_pin, true);
    int32_t rc;
    probe.scl_idle_after_ok = read_matches(PROBE_PAGE_ADDR, pattern, 4, &rc);
    probe.scl_idle_after_rc = rc;
}

static volatile int32_t async_status = PROBE_UNSET;
static volatile uint64_t async_end;

static void async_done(void *ctx, int status)
{
    (void)ctx;
    async_end = now_us();
    async_status = status;
}

static void hold_scl_async(void)
{
    static uint8_t addr[2] = { PROBE_PAGE_ADDR >> 8, PROBE_PAGE_ADDR & 0xFF };
    static uint8_t got[16];
    static const struct i2c_msg msgs[2] = {
        { addr, 2, EEPROM, I2C_MSG_WRITE },
        { got, 16, EEPROM, I2C_MSG_READ | I2C_MSG_RESTART | I2C_MSG_STOP },
    };
    if (!handshake("hold-async"))
        return;
    uint64_t t0 = now_us();
    if (i2c_transfer_async(board_display_bus(), msgs, 2, async_done, NULL) != 0)
        return;
    /* The probe's own bound: without the deadline nothing else ends it. */
    uint64_t limit = clock_uptime_ms() + 300U;
    while (async_status == PROBE_UNSET && clock_uptime_ms() < limit) {
    }
    probe.hold_async_rc = async_status;
    probe.hold_async_ms = (uint32_t)((async_end - t0) / 1000U);
    wait_line(scl_pin, true);
    int32_t rc;
    probe.hold_async_after_ok = read_matches(PROBE_PAGE_ADDR, pattern, 16, &rc);
    probe.hold_async_after_rc = rc;
}

static void sda_stuck(void)
{
    uint8_t got[4];
    if (!handshake("sda"))
        return;
    wait_line(sda_pin, false);
    probe.sda_rc = read_at(PROBE_PAGE_ADDR, got, 4);
    wait_line(sda_pin, true);
    int32_t rc;
    probe.sda_after_ok = read_matches(PROBE_PAGE_ADDR, pattern, 4, &rc);
    probe.sda_after_rc = rc;
}

static int poll_write_cycle(void)
{
    uint8_t a[2] = { PROBE_DMA_ADDR >> 8, PROBE_DMA_ADDR & 0xFF };
    int rc = -ENXIO;
    for (unsigned i = 0; i < 1000 && rc == -ENXIO; i++)
        rc = i2c_write(board_display_bus(), EEPROM, a, 2);
    return rc;
}

static bool dma_read_back(const uint8_t *want, int32_t *rc)
{
    uint8_t got[PROBE_DMA_LEN];
    memset(got, 0xA5, sizeof got);
    *rc = read_at(PROBE_DMA_ADDR, got, PROBE_DMA_LEN);
    return *rc == 0 && memcmp(got, want, PROBE_DMA_LEN) == 0;
}

/* Long writes: the board gives I2C1 a DMA stream, so these go by DMA. The
 * host counts the I2C1 event interrupts between "dma-write" and "dma-written". */
static void dma_writes(void)
{
    struct i2c_bus *bus = board_display_bus();
    struct stm32_i2c_bus *b = (struct stm32_i2c_bus *)bus;
    static uint8_t frame[2 + PROBE_DMA_LEN] = { PROBE_DMA_ADDR >> 8, PROBE_DMA_ADDR & 0xFF };
    for (unsigned i = 0; i < PROBE_DMA_LEN; i++)
        frame[2 + i] = (uint8_t)(0xC0U ^ (5U * i));
    if (!handshake("dma-write"))
        return;
    probe.dma_write_rc = i2c_write(bus, EEPROM, frame, sizeof frame);
    if (!handshake("dma-written"))
        return;
    (void)poll_write_cycle();
    probe.dma_read_ok = dma_read_back(frame + 2, &probe.dma_read_rc);

    gpio_write(wc_pin, true); /* write-protected: the first data byte is NACKed, mid-stream */
    probe.dma_nack_rc = i2c_write(bus, EEPROM, frame, sizeof frame);
    probe.dma_nack_ndtr = DMA1->S[7].NDTR;
    probe.dma_nack_en = DMA1->S[7].CR & DMA_SxCR_EN;
    probe.dma_nack_dmaen = I2C1->CR2 & I2C_CR2_DMAEN;
    gpio_write(wc_pin, false);
    probe.dma_nack_after_ok = dma_read_back(frame + 2, &probe.dma_nack_after_rc);

    uint32_t recoveries = b->recoveries;
    if (!handshake("dma-hold"))
        return;
    probe.dma_hold_rc = i2c_write(bus, EEPROM, frame, sizeof frame);
    probe.dma_hold_ndtr = DMA1->S[7].NDTR;
    probe.dma_hold_en = DMA1->S[7].CR & DMA_SxCR_EN;
    probe.dma_hold_dmaen = I2C1->CR2 & I2C_CR2_DMAEN;
    wait_line(scl_pin, true);
    (void)poll_write_cycle();
    probe.dma_hold_after_ok = dma_read_back(frame + 2, &probe.dma_hold_after_rc);
    probe.dma_hold_recoveries = b->recoveries - recoveries;
}

/* Stream allocation from const data (RM0390 table 28): the console has
 * DMA1 stream 6 already; stream 5 channel 1 carries I2C1_RX, not I2C1_TX. */
static void dma_claims(void)
{
    static const struct stm32_dma_channel console_stream = { 1, 6, 4 }, rx_stream = { 1, 5, 1 };
    probe.dma_taken_rc = stm32_dma_claim(&console_stream, STM32_DMA_USART2_TX);
    probe.dma_wrong_channel_rc = stm32_dma_claim(&rx_stream, STM32_DMA_I2C1_TX);
}

/* serial_drain with interrupts masked: its wait is bounded by cycles too.
 * (A blocking I2C transfer there is a broken contract instead:
 * tests/sim/assert-report, assert-i2c.) */
static void masked(void)
{
    (void)serial_drain();
    uint32_t key = cpu_irq_lock();
    serial_puts("drain with interrupts masked\r\n");
    uint32_t t0 = DWT->CYCCNT;
    probe.drain_rc = serial_drain();
    probe.drain_ms = elapsed_us(t0) / 1000U;
    cpu_irq_unlock(key);
}

static void systick(void)
{
    probe.tick_rc_0 = stm32_systick_init(0);
    probe.tick_rc_3 = stm32_systick_init(3);       /* 333.3 ms: not whole */
    probe.tick_rc_2000 = stm32_systick_init(2000); /* 0.5 ms: below the 1 ms count */
    probe.tick_rc_1 = stm32_systick_init(1);       /* reload above 24 bits at 48 MHz */
    uint64_t u0 = clock_uptime_ms();
    clock_delay_ms(50);
    probe.tick_ms_after_reject = (uint32_t)(clock_uptime_ms() - u0);
    probe.tick_rc_100 = stm32_systick_init(100);
}

int main(void)
{
    int32_t *rcs = &probe.write_rc;
    for (size_t i = 0; i < (sizeof probe - offsetof(struct i2c_probe, write_rc)) / sizeof *rcs; i++)
        rcs[i] = PROBE_UNSET;
    for (unsigned i = 0; i < sizeof pattern; i++)
        pattern[i] = (uint8_t)(0x30U + 7U * i);
    probe.hclk_hz = clock_hclk_hz();
    probe.e_timedout = -ETIMEDOUT;
    probe.e_nxio = -ENXIO;
    probe.e_io = -EIO;
    probe.e_inval = -EINVAL;
    probe.e_busy = -EBUSY;
    probe.magic0 = PROBE_MAGIC0;
    probe.magic1 = PROBE_MAGIC1;
    serial_puts("i2c probe\r\n");
    page_write_and_poll();
    reads();
    nacks();
    hold_scl_sync();
    hold_scl_idle();
    hold_scl_async();
    sda_stuck();
    dma_writes();
    dma_claims();
    masked();
    systick();
    probe.done = 1;
    serial_puts("@done\r\n");
    for (;;)
        __WFI();
}
