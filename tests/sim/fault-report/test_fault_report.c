/*
 * The fault-report image on quartz-sim: after the first boot's BusFault the
 * second boot must print the saved record (exception, BFAR, CFSR) on the
 * console, then run normally. Checks the runtime's fault handler, the
 * .noinit record surviving SYSRESETREQ, and board_init()'s report together.
 */
#define _GNU_SOURCE /* memmem */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "quartzsim.h"

#define MS 1000000ull

static const char *image;

static bool second_boot(struct qsim *s, void *ctx)
{
    (void)ctx;
    size_t len = 0;
    const char *c = qsim_console(s, &len);
    return memmem(c, len, "boot 2: running", 15) != NULL;
}

static void test_fault_reported_on_next_boot(void **state)
{
    (void)state;
    struct qsim *s = qsim_create(&(struct qsim_options){0});
    assert_non_null(s);
    char err[256];
    assert_int_equal(qsim_load_elf(s, image, err, sizeof err), 0);
    int rc = qsim_run_until(s, 500 * MS, second_boot, NULL);
    size_t len = 0;
    const char *c = qsim_console(s, &len);
    char console[4096];
    size_t n = len < sizeof console - 1 ? len : sizeof console - 1;
    memcpy(console, c, n);
    console[n] = '\0';
    print_message("console:\n%s\n", console);
    assert_int_equal(rc, 1); /* stopped by second_boot, not by time or lock-up */
    assert_int_equal(qsim_fault_count(s), 1);
    assert_non_null(strstr(console, "boot 1: reading a reserved address"));
    assert_null(strstr(console, "the read did not fault"));
    /* Precise data bus error: CFSR.PRECISERR (bit 9) and BFARVALID (bit 15). */
    assert_non_null(strstr(console, "fault: previous boot ended in BusFault"));
    assert_non_null(strstr(console, "bfar=0x10000000"));
    assert_non_null(strstr(console, "cfsr=0x00008200"));
    const char *report = strstr(console, "fault: previous boot");
    assert_true(report < strstr(console, "boot 2: running"));
    qsim_destroy(s);
}

int main(int argc, char **argv)
{
    if (argc != 2) {
        fprintf(stderr, "usage: %s fault-report.elf\n", argv[0]);
        return 2;
    }
    image = argv[1];
    const struct CMUnitTest tests[] = {cmocka_unit_test(test_fault_reported_on_next_boot)};
    return cmocka_run_group_tests(tests, NULL, NULL);
}
