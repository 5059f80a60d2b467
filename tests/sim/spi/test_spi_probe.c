/*
 * Runs tests/sim/spi/probe.c on quartz-sim with the SPI test devices and
 * checks its transcript line by line, then the register file's content.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
/* cmocka needs the above first */
#include <cmocka.h>

#include "quartzsim.h"

#define MS 1000000ull

static const char *image;
static char console[8192];
static char report[16384];

static uint8_t regs[0x80]; /* SPI_REGFILE_SIZE */
static int regs_rc;

static bool done(struct qsim *s, void *ctx)
{
    (void)ctx;
    size_t len;
    const char *c = qsim_console(s, &len);
    return strstr(c, "done\r\n") != NULL;
}

static int run_probe(void **state)
{
    (void)state;
    struct qsim *s = qsim_create(&(struct qsim_options){ .spi_test_devices = true });
    char err[256];
    if (!s || qsim_load_elf(s, image, err, sizeof err) != 0) {
        fprintf(stderr, "cannot load %s: %s\n", image, s ? err : "no simulator");
        qsim_destroy(s);
        return -1;
    }
    qsim_run_until(s, 2000 * MS, done, NULL);
    size_t len;
    const char *c = qsim_console(s, &len);
    size_t n = len < sizeof console - 1 ? len : sizeof console - 1;
    memcpy(console, c, n);
    console[n] = '\0';
    regs_rc = qsim_spi_regfile_read(s, 0, regs, sizeof regs);
    FILE *f = fmemopen(report, sizeof report - 1, "w");
    if (f) {
        qsim_write_report(s, f);
        fclose(f);
    }
    qsim_destroy(s);
    return 0;
}

static void expect_line(const char *want)
{
    char line[128];
    snprintf(line, sizeof line, "%s\r\n", want);
    if (!strstr(console, line))
        print_message("console:\n%s\n", console);
    assert_non_null(strstr(console, line));
}

/* Write, write-then-read, two write segments in one transaction, an in-place transfer. */
static void transactions(void **state)
{
    (void)state;
    expect_line("spi init 0");
    expect_line("spi write 0");
    expect_line("spi read 0 deadbeef");
    expect_line("spi segments 0 same");
    expect_line("spi transfer 0 00deadbeef");
}

/* Mode 1 against the mode-0 device (RM0390 26.3.1: CPHA=1 samples on the
 * second edge, where a CPHA=0 transmitter moves on): each byte of the answer
 * arrives one bit early, DE AD BE EF as BC 5B 7C DF. LSBFIRST reverses each byte:
 * 7B B5 7D F7. Both show the driver programs CPHA and LSBFIRST. */
static void device_settings(void **state)
{
    (void)state;
    expect_line("spi mode1 0 bc5b7cdf");
    expect_line("spi lsbfirst 0 7bb57df7");
}

/* 64 bytes at 24 MHz (PCLK2 / 2), mode 3, through the loopback. At 48 MHz
 * HCLK a frame is 16 CPU cycles on the wire: the transaction cannot take
 * fewer than 64 x 16 cycles (frames take their time); the polled driver's
 * bus use is printed as a figure. */
static void loopback(void **state)
{
    (void)state;
    expect_line("spi loopback 0 same");
    const char *p = strstr(console, "spi loopback64 cycles ");
    assert_non_null(p);
    unsigned long cycles = strtoul(p + strlen("spi loopback64 cycles "), NULL, 10);
    print_message("64-byte polled transaction at 24 MHz: %lu cycles at 48 MHz, bus use %.2f\n", cycles,
                  64.0 * 16.0 / (double)cycles);
    assert_true(cycles >= 64u * 16u);
}

/* -EINVAL for bad segments and a rate the bus cannot make, -ETIMEDOUT within
 * its bound with the chip select released, then the bus works again; -EBUSY. */
static void errors(void **state)
{
    (void)state;
    expect_line("spi einval -22 -22 -22 -22 -22");
    expect_line("spi timeout -116 bounded cs=1");
    expect_line("spi recovered 0 deadbeef");
    expect_line("spi busy -16");
    expect_line("done");
}

/* What the device holds: the writes landed at the addresses the commands named. */
static void device_content(void **state)
{
    (void)state;
    assert_int_equal(regs_rc, 0);
    static const uint8_t dead[] = { 0xDE, 0xAD, 0xBE, 0xEF };
    assert_memory_equal(&regs[0x10], dead, sizeof dead);
    for (unsigned i = 0; i < 16; i++)
        assert_int_equal(regs[0x20 + i], 0xA0 + i);
    assert_int_equal(regs[0x14], 0); /* the timed-out write never reached it */
}

/* The transfers a stream of `dma` ("DMA1") made, from the report's "dma"
 * member ({"DMA1":{"S3":{...},...},"DMA2":{...}}); 0 when it is not listed. */
static unsigned long stream_transfers(const char *dma, int stream)
{
    char key[40];
    snprintf(key, sizeof key, "\"%s\":{", dma);
    const char *d = strstr(report, key);
    if (!d || d[strlen(key)] == '}')
        return 0;
    const char *ctl_end = strstr(d, "}}"); /* the last stream's end and the controller's */
    snprintf(key, sizeof key, "\"S%d\":{\"transfers\":", stream);
    const char *p = strstr(d, key);
    if (!p || !ctl_end || p > ctl_end)
        return 0;
    return strtoul(p + strlen(key), NULL, 10);
}

/* DMA segments byte-identical to the polled ones; a bad stream refused at
 * init; a segment with no DMA request ends at its bound (-ETIMEDOUT, chip
 * select released) and the bus works again. */
static void dma_transactions(void **state)
{
    (void)state;
    expect_line("spi dma init 0");
    expect_line("spi dma claim -22");
    expect_line("spi dma regfile 0 same same");
    expect_line("spi dma timeout -116 bounded cs=1");
    expect_line("spi dma recovered 0 same");
    expect_line("spi dma loopback init 0");
    expect_line("spi dma loopback 0 same");
    expect_line("spi polled loopback 0 same");
    expect_line("spi dma read 0 fill");
    for (unsigned i = 0; i < 80; i++)
        assert_int_equal(regs[0x30 + i], (uint8_t)(i * 7 + 3));
}

/* The streams really moved the segments of DMA_MIN bytes or more, and
 * nothing else: SPI2 three segments of 80 (the timed-out one moved
 * nothing), SPI1 4096 + 64. One-byte command segments stay polled. */
static void dma_streams_used(void **state)
{
    (void)state;
    if (!strstr(report, "\"dma\""))
        print_message("report:\n%s\n", report);
    assert_int_equal(stream_transfers("DMA1", 3), 240);
    assert_int_equal(stream_transfers("DMA1", 4), 240);
    assert_int_equal(stream_transfers("DMA2", 0), 4096 + 64);
    assert_int_equal(stream_transfers("DMA2", 3), 4096 + 64);
}

/* bytes x 8 / (SCK rate x transaction time) of the 4 KB DMA transaction,
 * in virtual time (DWT cycles at HCLK). */
static double bus_util(void)
{
    const char *p = strstr(console, "spi dma4k cycles ");
    unsigned long cycles = 0, sck = 0, hclk = 0;
    if (!p || sscanf(p, "spi dma4k cycles %lu sck %lu hclk %lu", &cycles, &sck, &hclk) != 3 || !cycles || !sck)
        return 0.0;
    return 4096.0 * 8.0 / ((double)sck * ((double)cycles / (double)hclk));
}

static void dma_bus_util(void **state)
{
    (void)state;
    double u = bus_util();
    print_message("4 KB DMA transaction: bus use %.4f\n", u);
    assert_true(u >= 0.95);
    assert_true(u <= 1.0); /* frames take their time: more would be a broken clock */
}

int main(int argc, char **argv)
{
    if (argc < 2) {
        fprintf(stderr, "usage: %s spi-probe.elf [--bench]\n", argv[0]);
        return 2;
    }
    image = argv[1];
    if (argc > 2 && strcmp(argv[2], "--bench") == 0) {
        if (run_probe(NULL) != 0)
            return 1;
        /* tools/bench line: metric value unit budget cmp */
        printf("spi_dma_bus_util %.4f ratio 0.95 ge\n", bus_util());
        return 0;
    }
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(transactions),
        cmocka_unit_test(device_settings),
        cmocka_unit_test(loopback),
        cmocka_unit_test(errors),
        cmocka_unit_test(device_content),
        cmocka_unit_test(dma_transactions),
        cmocka_unit_test(dma_streams_used),
        cmocka_unit_test(dma_bus_util),
    };
    return cmocka_run_group_tests_name("spi_probe", tests, run_probe, NULL);
}
