/*
 * The i2c-probe image on quartz-sim with the M24256 EEPROM on I2C1: one run,
 * faults injected at the probe's "@<tag>" handshakes, then every step's
 * result checked. Each group below names what breaks it.
 */
#define _GNU_SOURCE /* memmem */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "quartzsim.h"
#include "results.h"

#define MS 1000000ull
#define SRAM 0x20000000u
#define SRAM_SIZE (128u * 1024u)
#define HOLD_NS (100 * MS) /* longer than any transfer's deadline in the probe */
#define SDA_NS (60 * MS)
#define SCL_IDLE_NS (5 * MS)
#define HOLD_RX "0123456789"
#define HOLD_RX_AT_NS (10 * MS) /* after the 'g': SCL is held, the transfer not yet at its deadline */

static const char *image;
static struct i2c_probe r;
static bool found;
static char console[16384];
static uint8_t page[16], wp[4]; /* the EEPROM array after the run */
static uint64_t dma_write_irqs;    /* I2C1 event interrupts of one 42-byte write */
static unsigned long long dma_items = 0, dma_bytes = 1, dma_errors = 1; /* report: DMA1 stream 7 (I2C1) */
static unsigned long long console_items = 0; /* report: DMA1 stream 6 (USART2) */
static size_t console_len;
#define DMA_HOLD_AFTER 10U          /* bytes (address included) before SCL is held */

struct run {
    size_t seen; /* console bytes already scanned for tags */
    char tag[32];
};

/* Stops at the next complete "@tag\r\n" line. */
static bool next_tag(struct qsim *s, void *ctx)
{
    struct run *run = ctx;
    size_t len = 0;
    const char *c = qsim_console(s, &len);
    const char *at = memmem(c + run->seen, len - run->seen, "@", 1);
    if (!at)
        return false;
    const char *end = memmem(at, len - (size_t)(at - c), "\r\n", 2);
    if (!end)
        return false;
    size_t n = (size_t)(end - at - 1);
    if (n >= sizeof run->tag)
        n = sizeof run->tag - 1;
    memcpy(run->tag, at + 1, n);
    run->tag[n] = '\0';
    run->seen = (size_t)(end - c) + 2;
    return true;
}

static bool read_results(struct qsim *s)
{
    for (uint32_t a = SRAM; a < SRAM + SRAM_SIZE; a += 4) {
        uint32_t m[2];
        if (qsim_read_mem(s, a, m, sizeof m) == 0 && m[0] == PROBE_MAGIC0 && m[1] == PROBE_MAGIC1)
            return qsim_read_mem(s, a, &r, sizeof r) == 0;
    }
    return false;
}

static int run_probe(void **state)
{
    (void)state;
    struct qsim *s = qsim_create(&(struct qsim_options){ .eeprom = true });
    if (!s)
        return -1;
    char err[256];
    if (qsim_load_elf(s, image, err, sizeof err) != 0) {
        fprintf(stderr, "%s\n", err);
        qsim_destroy(s);
        return -1;
    }
    struct run run = { 0 };
    while (qsim_run_until(s, 5000 * MS, next_tag, &run) == 1 && strcmp(run.tag, "done") != 0) {
        uint64_t now = qsim_time_ns(s);
        /* write_read: address, two word-address bytes, then SCL stops */
        if (strcmp(run.tag, "hold-sync") == 0 || strcmp(run.tag, "hold-async") == 0)
            qsim_hold_scl_after(s, 1, 3, HOLD_NS);
        if (strcmp(run.tag, "hold-sync") == 0)
            qsim_rx_at(s, HOLD_RX, strlen(HOLD_RX), now + HOLD_RX_AT_NS);
        else if (strcmp(run.tag, "scl-idle") == 0)
            qsim_stuck_scl_at(s, 1, now, SCL_IDLE_NS);
        else if (strcmp(run.tag, "sda") == 0)
            qsim_stuck_sda_at(s, 1, now, SDA_NS);
        else if (strcmp(run.tag, "dma-write") == 0)
            dma_write_irqs = qsim_irq_count(s, "I2C1_EV");
        else if (strcmp(run.tag, "dma-written") == 0)
            dma_write_irqs = qsim_irq_count(s, "I2C1_EV") - dma_write_irqs;
        else if (strcmp(run.tag, "dma-hold") == 0)
            qsim_hold_scl_after(s, 1, DMA_HOLD_AFTER, HOLD_NS);
        qsim_rx_at(s, "g", 1, now);
    }
    size_t len = 0;
    const char *c = qsim_console(s, &len);
    size_t n = len < sizeof console - 1 ? len : sizeof console - 1;
    memcpy(console, c, n);
    console[n] = '\0';
    found = read_results(s);
    char *json = NULL;
    size_t json_len = 0;
    FILE *f = open_memstream(&json, &json_len);
    qsim_write_report(s, f);
    fclose(f);
    const char *dma = json ? strstr(json, "\"dma\":{\"DMA1\":{") : NULL;
    const char *s6 = dma ? strstr(dma, "\"S6\":{") : NULL, *s7 = dma ? strstr(dma, "\"S7\":{") : NULL;
    if (s6)
        sscanf(s6, "\"S6\":{\"transfers\":%llu", &console_items);
    if (s7)
        sscanf(s7, "\"S7\":{\"transfers\":%llu,\"bytes\":%llu,\"errors\":%llu", &dma_items, &dma_bytes,
               &dma_errors);
    console_len = len;
    free(json);
    int rc = qsim_eeprom_read(s, PROBE_PAGE_ADDR, page, sizeof page);
    rc |= qsim_eeprom_read(s, PROBE_WP_ADDR, wp, sizeof wp);
    qsim_destroy(s);
    return rc;
}

static void completed(void **state)
{
    (void)state;
    print_message("console:\n%s\n", console);
    assert_true(found);
    print_message("ack polling %u us (%u tries); SCL held: blocking %u ms, async %u ms; "
                  "masked: drain %u ms; tick after rejected rates %u ms in 50\n",
                  r.poll_us, r.poll_tries, r.hold_sync_ms, r.hold_async_ms, r.drain_ms,
                  r.tick_ms_after_reject);
    assert_int_equal(r.done, 1);
}

/* Page write, then the write cycle: address NACKed until tW (5 ms) is over. */
static void write_cycle_and_ack_polling(void **state)
{
    (void)state;
    assert_int_equal(r.write_rc, 0);
    assert_int_equal(r.busy_rc, r.e_nxio);
    assert_int_equal(r.poll_rc, 0);
    assert_true(r.poll_tries > 2);
    assert_in_range(r.poll_us, 4500, 5500);
}

/* 1, 2, 3 and 16 bytes: the driver's three reception end games (RM0390
 * 24.3.3); dropping any read_byte shifts or loses a byte. */
static void reads_of_every_length(void **state)
{
    (void)state;
    for (int i = 0; i < PROBE_LENGTHS; i++) {
        assert_int_equal(r.read_rc[i], 0);
        assert_int_equal(r.read_ok[i], 1);
    }
    for (unsigned i = 0; i < 16; i++)
        assert_int_equal(r.read16[i], (uint8_t)(0x30u + 7u * i));
    assert_int_equal(r.current_rc, 0);
    assert_int_equal(r.current_ok, 1);
}

/* The array itself: the page as written, the protected bytes untouched. */
static void eeprom_array_content(void **state)
{
    (void)state;
    for (unsigned i = 0; i < sizeof page; i++)
        assert_int_equal(page[i], (uint8_t)(0x30u + 7u * i));
    for (unsigned i = 0; i < sizeof wp; i++)
        assert_int_equal(wp[i], 0xFF);
}

static void nack_on_address_and_on_data(void **state)
{
    (void)state;
    assert_int_equal(r.nack_addr_rc, r.e_nxio);
    assert_int_equal(r.nack_data_rc, r.e_io);
    assert_int_equal(r.after_nack_rc, 0);
    assert_int_equal(r.after_nack_ok, 1);
}

/* SCL held low mid-transfer: -ETIMEDOUT at the first 10 ms tick past the
 * deadline (22 ms for this transfer), then the bus works again, which
 * needs the recovery's reset (BUSY stays set without a STOP). */
static void scl_held_low_blocking(void **state)
{
    (void)state;
    assert_int_equal(r.hold_sync_rc, r.e_timedout);
    assert_in_range(r.hold_sync_ms, 12, 33); /* (deadline - 1 tick, deadline + 1 tick] */
    assert_int_equal(r.hold_after_rc, 0);
    assert_int_equal(r.hold_after_ok, 1);
    assert_true(r.hold_recoveries >= 1);
}

/* While the transfer waits for SCL, its interrupt must not starve the
 * others at the same priority: console bytes arriving then are received. */
static void scl_held_low_leaves_the_console_alone(void **state)
{
    (void)state;
    assert_int_equal(r.hold_rx_bytes, strlen(HOLD_RX));
}

/* SCL held low while the bus is idle: the transfer fails at once (the
 * recovery cannot free SCL); after the release SR2.BUSY stays set, as no
 * STOP was seen (RM0390 24.6.7), so only the recovery's reset makes the
 * next transfer work. */
static void scl_held_low_idle(void **state)
{
    (void)state;
    assert_int_equal(r.scl_idle_rc, r.e_timedout);
    assert_int_equal(r.scl_idle_after_rc, 0);
    assert_int_equal(r.scl_idle_after_ok, 1);
}

/* The same with transfer_async: only the driver's tick hook can end it. */
static void scl_held_low_async(void **state)
{
    (void)state;
    assert_int_equal(r.hold_async_rc, r.e_timedout);
    assert_in_range(r.hold_async_ms, 12, 33);
    assert_int_equal(r.hold_async_after_rc, 0);
    assert_int_equal(r.hold_async_after_ok, 1);
}

static void sda_stuck_low(void **state)
{
    (void)state;
    assert_int_equal(r.sda_rc, r.e_timedout);
    assert_int_equal(r.sda_after_rc, 0);
    assert_int_equal(r.sda_after_ok, 1);
}

/* A 42-byte write goes by DMA: SB, ADDR, the TxE that starts the stream,
 * BTF after the last byte; byte by byte it takes over 40 interrupts. */
static void long_write_by_dma(void **state)
{
    (void)state;
    print_message("I2C1 event interrupts for a 42-byte write: %llu\n", (unsigned long long)dma_write_irqs);
    assert_int_equal(r.dma_write_rc, 0);
    assert_int_equal(r.dma_read_rc, 0);
    assert_int_equal(r.dma_read_ok, 1);
    assert_true(dma_write_irqs >= 3 && dma_write_irqs <= 6);
    /* the report's dma section: the page write (18 bytes) and the long write at least, through DMA1 stream 7 */
    print_message("report: DMA1 S7 %llu transfers, %llu bytes, %llu errors\n", dma_items, dma_bytes, dma_errors);
    assert_true(dma_items >= (2 + 16) + (2 + PROBE_DMA_LEN));
    assert_int_equal(dma_bytes, dma_items);
    assert_int_equal(dma_errors, 0);
}

/* A data NACK in the middle of a DMA write: -EIO, the stream stopped, the
 * data left as it was, the next transfer fine. */
static void dma_write_nacked(void **state)
{
    (void)state;
    assert_int_equal(r.dma_nack_rc, r.e_io);
    /* the stream had started (two word-address bytes and at most one more
     * taken) and was stopped, DMAEN cleared */
    assert_in_range(r.dma_nack_ndtr, PROBE_DMA_LEN - 2, PROBE_DMA_LEN + 1);
    assert_int_equal(r.dma_nack_en, 0);
    assert_int_equal(r.dma_nack_dmaen, 0);
    assert_int_equal(r.dma_nack_after_rc, 0);
    assert_int_equal(r.dma_nack_after_ok, 1);
}

/* SCL held low ten bytes into a DMA write: -ETIMEDOUT at the deadline, the
 * bus recovered once, and the next transfers (a new DMA included) work. */
static void dma_write_scl_held(void **state)
{
    (void)state;
    assert_int_equal(r.dma_hold_rc, r.e_timedout);
    /* stopped about ten bytes in (address, 9 taken, DR and shift register full) */
    assert_in_range(r.dma_hold_ndtr, PROBE_DMA_LEN + 2 - 12, PROBE_DMA_LEN + 2 - 8);
    assert_int_equal(r.dma_hold_en, 0);
    assert_int_equal(r.dma_hold_dmaen, 0);
    /* one recovery at the deadline, with SCL still held (it fails), one at
     * the next transfer once SCL is back */
    assert_int_equal(r.dma_hold_recoveries, 2);
    assert_int_equal(r.dma_hold_after_rc, 0);
    assert_int_equal(r.dma_hold_after_ok, 1);
}

/* A stream two drivers want, or a channel that does not carry the request,
 * is refused at init (the board's BOARD_MUST then asserts with its line). */
static void dma_claim_conflicts(void **state)
{
    (void)state;
    assert_int_equal(r.dma_taken_rc, r.e_busy);
    assert_int_equal(r.dma_wrong_channel_rc, r.e_inval);
}

/* The console goes out of its queue by DMA (USART2_TX, DMA1 stream 6),
 * every byte of it, and the text is what the probe wrote, in order. */
static void console_by_dma(void **state)
{
    (void)state;
    static const char want[] = "i2c probe\r\n@hold-sync\r\n@scl-idle\r\n@hold-async\r\n@sda\r\n"
                               "@dma-write\r\n@dma-written\r\n@dma-hold\r\n"
                               "drain with interrupts masked\r\n@done\r\n";
    assert_string_equal(console, want);
    assert_int_equal(console_items, console_len);
}

/* With PRIMASK set nothing can empty the TX queue or advance the tick:
 * serial_drain must still return, at its cycle bound. (A blocking I2C
 * transfer there is a broken contract: tests/sim/assert-report.) */
static void blocking_calls_with_interrupts_masked(void **state)
{
    (void)state;
    assert_int_equal(r.drain_rc, r.e_timedout);
    assert_in_range(r.drain_ms, 5, 30);
}

static void systick_rates_it_cannot_make(void **state)
{
    (void)state;
    assert_int_equal(r.tick_rc_0, r.e_inval);
    assert_int_equal(r.tick_rc_3, r.e_inval);
    assert_int_equal(r.tick_rc_2000, r.e_inval);
    assert_int_equal(r.tick_rc_1, r.e_inval);
    assert_int_equal(r.tick_rc_100, 0);
    /* the rejected calls left the 100 Hz tick running */
    assert_in_range(r.tick_ms_after_reject, 40, 60);
}

int main(int argc, char **argv)
{
    if (argc != 2) {
        fprintf(stderr, "usage: %s i2c-probe.elf\n", argv[0]);
        return 2;
    }
    image = argv[1];
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(completed),
        cmocka_unit_test(write_cycle_and_ack_polling),
        cmocka_unit_test(reads_of_every_length),
        cmocka_unit_test(eeprom_array_content),
        cmocka_unit_test(nack_on_address_and_on_data),
        cmocka_unit_test(scl_held_low_blocking),
        cmocka_unit_test(scl_held_low_leaves_the_console_alone),
        cmocka_unit_test(scl_held_low_idle),
        cmocka_unit_test(scl_held_low_async),
        cmocka_unit_test(sda_stuck_low),
        cmocka_unit_test(long_write_by_dma),
        cmocka_unit_test(dma_write_nacked),
        cmocka_unit_test(dma_write_scl_held),
        cmocka_unit_test(console_by_dma),
        cmocka_unit_test(dma_claim_conflicts),
        cmocka_unit_test(blocking_calls_with_interrupts_masked),
        cmocka_unit_test(systick_rates_it_cannot_make),
    };
    return cmocka_run_group_tests(tests, run_probe, NULL);
}
