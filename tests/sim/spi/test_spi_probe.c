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
static char console[4096];
static uint8_t regs[0x30];
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

int main(int argc, char **argv)
{
    if (argc < 2) {
        fprintf(stderr, "usage: %s spi-probe.elf\n", argv[0]);
        return 2;
    }
    image = argv[1];
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(transactions),
        cmocka_unit_test(device_settings),
        cmocka_unit_test(loopback),
        cmocka_unit_test(errors),
        cmocka_unit_test(device_content),
    };
    return cmocka_run_group_tests_name("spi_probe", tests, run_probe, NULL);
}
