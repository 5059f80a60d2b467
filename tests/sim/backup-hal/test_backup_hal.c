/*
 * The backup HAL image (main.c) on quartz-sim, judged against RM0390 5.1.2
 * and 5.4: the 4 KB at 0x40024000 writable once enabled, DBP and the
 * backup regulator on, and every word kept over a system reset.
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

/* The value after `label` in the part of the console after `boot`. */
static uint32_t value(const char *boot, const char *label)
{
    const char *b = strstr(console, boot);
    if (b == NULL)
        fail_msg("no \"%s\" on the console", boot);
    const char *p = strstr(b, label);
    if (p == NULL)
        fail_msg("no line \"%s\" after \"%s\"", label, boot);
    return (uint32_t)strtoul(p + strlen(label), NULL, 16);
}

static void test_backup_hal(void **state)
{
    (void)state;
    struct qsim *s = qsim_create(&(struct qsim_options){0});
    assert_non_null(s);
    char err[256];
    assert_int_equal(qsim_load_elf(s, image, err, sizeof err), 0);
    int run = qsim_run_until(s, 2000 * MS, sim_console_shows, "backup-hal done");
    sim_console_copy(s, console, sizeof console);
    print_message("console:\n%s\n", console);
    assert_int_equal(run, 1);
    assert_int_equal(qsim_fault_count(s), 0);
    for (int i = 0; i < 2; i++) {
        const char *boot = i == 0 ? "boot 1: " : "boot 2: "; /* boot 3 enables it the same way */
        assert_int_equal(value(boot, "enable "), 0);
        assert_int_equal(value(boot, "base "), 0x40024000u);
        assert_int_equal(value(boot, "size "), 4096u);
        assert_int_equal(value(boot, "DBP "), 1);
        assert_int_equal(value(boot, "BRE BRR "), 0x11); /* regulator on and ready */
    }
    assert_int_equal(value("boot 1: ", "words written "), 1024);
    assert_int_equal(value("boot 2: ", "words kept "), 1024);
    /* The node's record: none in the pattern, so a fresh one from seq 0;
     * after the reset it is found, with the next seq and the buffered reading. */
    assert_int_equal(value("boot 2: ", "store open "), 1);
    assert_int_equal(value("boot 2: ", "first seq "), 0);
    assert_int_equal(value("boot 2: ", "second seq "), 1);
    assert_int_equal(value("boot 2: ", "push "), 0);
    assert_int_equal(value("boot 3: ", "store open "), 0);
    assert_int_equal(value("boot 3: ", "buffered "), 1);
    assert_int_equal(value("boot 3: ", "get "), 0);
    assert_int_equal(value("boot 3: ", "buffered seq "), 2);
    assert_int_equal(value("boot 3: ", "buffered t "), 21530);
    assert_int_equal(value("boot 3: ", "next seq "), 3);
    qsim_destroy(s);
}

int main(int argc, char **argv)
{
    if (argc != 2) {
        fprintf(stderr, "usage: %s backup-hal.elf\n", argv[0]);
        return 2;
    }
    image = argv[1];
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_backup_hal),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
