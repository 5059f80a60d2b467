/*
 * The bkpsram probe on quartz-sim (main.c says what each line means). The
 * expected values come from RM0390 5.1.2 and 5.4, not from the model.
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
#include "sim_console.h"

#define MS 1000000ull

static const char *image;
static char console[4096];

static uint32_t value(const char *label)
{
    uint32_t v = 0;
    if (!sim_console_value(console, label, &v))
        fail_msg("no line \"%s\" on the console", label);
    return v;
}

static void run(struct qsim **out)
{
    struct qsim *s = qsim_create(&(struct qsim_options){0});
    assert_non_null(s);
    char err[256];
    assert_int_equal(qsim_load_elf(s, image, err, sizeof err), 0);
    int rc = qsim_run_until(s, 500 * MS, sim_console_shows, "boot 2: done");
    sim_console_copy(s, console, sizeof console);
    print_message("console:\n%s\n", console);
    assert_int_equal(rc, 1);
    assert_int_equal(qsim_fault_count(s), 0);
    *out = s;
}

static void test_backup_sram(void **state)
{
    (void)state;
    struct qsim *s;
    run(&s);
    /* Without BKPSRAMEN the bus clock is off: reads return 0. */
    assert_int_equal(value("boot 1: gated read "), 0);
    /* Power-on content is undefined: not the record, not all zeros. */
    uint32_t w0 = value("boot 1: power-on word 0 ");
    assert_int_not_equal(w0, 0x424B5053u);
    assert_false(w0 == 0 && value("boot 1: power-on word 1023 ") == 0);
    /* DBP clear: the backup domain ignores writes (SRAM and BRE). */
    assert_int_equal(value("boot 1: after a write without DBP "), w0);
    assert_int_equal(value("boot 1: PWR_CSR after BRE without DBP "), 0);
    assert_int_equal(value("boot 1: written word 0 "), 0x424B5053u);
    assert_int_equal(value("boot 1: PWR_CSR after BRE with DBP "), 0x208u); /* BRE, BRR */
    /* After SYSRESETREQ: DBP is clear again, the content and BRE are kept. */
    assert_int_equal(value("boot 2: PWR_CR DBP "), 0);
    assert_int_equal(value("boot 2: word 0 "), 0x424B5053u);
    assert_int_equal(value("boot 2: word 1 ") & 0x0000FF00u, 0x0000A500u);
    assert_int_equal(value("boot 2: word 1023 "), 0x00C0FFEEu);
    assert_int_equal(value("boot 2: PWR_CSR "), 0x208u);
    /* The ignored write is a warning in the report. */
    assert_true(sim_report_has(s, "BKPSRAM: write with PWR_CR.DBP clear is ignored"));
    qsim_destroy(s);
}

/* A new run is a new power-on: the same pattern again, the record gone. */
static void test_power_on_is_deterministic(void **state)
{
    (void)state;
    struct qsim *a, *b;
    run(&a);
    uint32_t first = value("boot 1: power-on word 0 ");
    run(&b);
    assert_int_equal(value("boot 1: power-on word 0 "), first);
    qsim_destroy(a);
    qsim_destroy(b);
}

int main(int argc, char **argv)
{
    if (argc != 2) {
        fprintf(stderr, "usage: %s bkpsram.elf\n", argv[0]);
        return 2;
    }
    image = argv[1];
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_backup_sram),
        cmocka_unit_test(test_power_on_is_deterministic),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
