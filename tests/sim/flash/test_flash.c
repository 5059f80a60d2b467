/*
 * The flash probe on quartz-sim (main.c). Expected values from RM0390
 * section 3 and the datasheet's typical erase time, not from the model.
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

static void test_flash_programming(void **state)
{
    (void)state;
    struct qsim *s = qsim_create(&(struct qsim_options){0});
    assert_non_null(s);
    char err[256];
    assert_int_equal(qsim_load_elf(s, image, err, sizeof err), 0);
    int rc = qsim_run_until(s, 5000 * MS, sim_console_shows, "flash probe done");
    sim_console_copy(s, console, sizeof console);
    print_message("console:\n%s\n", console);
    assert_int_equal(rc, 1);
    assert_int_equal(value("blank cell "), 0xFFFFFFFFu); /* erased flash reads 1s */
    /* A store with CR locked and PG clear changes nothing and sets PGSERR (3.8.4). */
    assert_int_equal(value("cell after a locked store "), 0xFFFFFFFFu);
    assert_int_equal(value("SR after a locked store "), 1u << 7);
    assert_int_equal(value("CR unlocked "), 0);
    assert_int_equal(value("programmed cell "), 0x4770202Au);
    assert_int_equal(value("call 1 returns "), 42);
    assert_int_equal(value("cell 4 after two programs "), 0x00FF00FFu); /* AND of both */
    /* 128 KB sector at x32: t_ERASE128KB 1 s typ, at 48 MHz 48e6 cycles,
     * the CPU stalled on its next fetch from flash meanwhile. */
    uint32_t cycles = value("erase cycles ");
    assert_in_range(cycles, 48000000u, 48000000u + 48000u);
    assert_in_range(value("BSY polls during the erase "), 0, 4); /* stalled, not polling */
    assert_int_equal(value("alias call 1 returns "), 42);
    assert_int_equal(value("cell after erase "), 0xFFFFFFFFu);
    assert_int_equal(value("SR after erase "), 0); /* EOP only with EOPIE */
    assert_int_equal(value("call 2 returns "), 7);
    /* Programmed through 0x08060000, run through the alias: the same cells. */
    assert_int_equal(value("alias call 2 returns "), 7);
    assert_int_equal(value("CR locked "), 1u << 31);
    /* The wrong key: an imprecise BusFault (a buffered store, CFSR.IMPRECISERR),
     * reported at the next boot; the reset ends the lock. */
    assert_int_equal(qsim_fault_count(s), 1);
    assert_null(strstr(console, "no bus error"));
    assert_non_null(strstr(console, "fault: previous boot ended in BusFault"));
    assert_non_null(strstr(console, "cfsr=0x00000400"));
    assert_int_equal(value("boot 2 CR "), 1u << 31);
    assert_int_equal(value("boot 2 CR after the keys "), 0);
    assert_int_equal(value("boot 2 cell "), 0x47702007u);
    /* The report counts what the run did: 4 programs, 1 erase, 1 refused
     * store (the locked one); the reset ended the wrong key's lock-up. */
    assert_true(sim_report_has(s, "\"flash\":{\"programs\":4,\"erases\":1,\"errors\":1,\"cr_locked_until_reset\":false}"));
    qsim_destroy(s);
}

int main(int argc, char **argv)
{
    if (argc != 2) {
        fprintf(stderr, "usage: %s flash-probe.elf\n", argv[0]);
        return 2;
    }
    image = argv[1];
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_flash_programming),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
