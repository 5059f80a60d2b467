/*
 * The flash HAL image (main.c) on quartz-sim. Expected values from RM0390
 * section 3 (table 4 sectors, 3.5 sequences, 3.8 registers), the
 * STM32F446 datasheet's erase time and quartz/hal/flash.h's contract.
 */
#define _GNU_SOURCE /* memmem */
#include <errno.h>
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
#define CR_LOCK (1u << 31)
#define SR_PGSERR (1u << 7)

static const char *image;
static char console[8192];

static uint32_t value(const char *label)
{
    const char *p = strstr(console, label);
    if (p == NULL)
        fail_msg("no line \"%s\" on the console", label);
    return (uint32_t)strtoul(p + strlen(label), NULL, 16);
}

static int rc(const char *label)
{
    return (int)value(label);
}

static void test_flash_hal(void **state)
{
    (void)state;
    struct qsim *s = qsim_create(&(struct qsim_options){0});
    assert_non_null(s);
    char err[256];
    assert_int_equal(qsim_load_elf(s, image, err, sizeof err), 0);
    int run = qsim_run_until(s, 5000 * MS, sim_console_shows, "flash-hal done");
    sim_console_copy(s, console, sizeof console);
    print_message("console:\n%s\n", console);
    assert_int_equal(run, 1);
    assert_int_equal(qsim_fault_count(s), 0); /* no wrong key sequence, no bus error */

    /* RM0390 table 4: eight sectors, the last one 128 KB at 0x08060000. */
    assert_int_equal(value("sectors "), 8);
    assert_int_equal(value("last sector at "), 0x08060000u);
    assert_int_equal(value("last sector size "), 128u * 1024u);
    assert_int_equal(value("program unit "), 4); /* x32 at 2.7-3.6 V (3.5.2 table 7) */
    assert_int_equal(value("erased byte "), 0xFF);
    assert_int_equal(rc("sector of last base "), 7);
    assert_int_equal(rc("sector of array end "), -EINVAL);

    /* Erase: 128 KB at x32, 1 s typical at 48 MHz; the CPU stalled meanwhile. */
    assert_int_equal(rc("first program "), 0);
    assert_int_equal(rc("erase "), 0);
    assert_in_range(value("erase cycles "), 48000000u, 48000000u + 200000u);
    assert_int_equal(value("unerased words after erase "), 0);
    assert_int_equal(value("CR after erase "), CR_LOCK); /* locked again, SER cleared */

    assert_int_equal(rc("program record "), 0);
    assert_int_equal(rc("read record "), 0);
    assert_int_equal(value("record matches "), 1);
    assert_int_equal(value("CR after program "), CR_LOCK);
    assert_int_equal(value("unerased words after program "), 6);

    /* 1s over 0s: refused by the read-back, the cell is the AND (3.5.4). */
    assert_int_equal(rc("program over programmed bits "), -EIO);
    assert_int_equal(value("cell after program over "), 0x12340000u);

    assert_int_equal(rc("unaligned address "), -EINVAL);
    assert_int_equal(rc("unaligned length "), -EINVAL);
    assert_int_equal(rc("past the array "), -EINVAL);
    assert_int_equal(rc("crossing the end "), -EINVAL);
    assert_int_equal(rc("below the array "), -EINVAL);
    assert_int_equal(rc("no such sector "), -EINVAL);
    assert_int_equal(rc("read past the array "), -EINVAL);
    assert_int_equal(value("word 6 after refusals "), 0xFFFFFFFFu);
    assert_int_equal(value("word 7 after refusals "), 0xFFFFFFFFu);

    /* A store with CR locked: PGSERR, nothing written (3.8.4); the port
     * clears the stale flag and its own program succeeds. */
    assert_int_equal(value("SR after a stray store "), SR_PGSERR);
    assert_int_equal(value("cell after a stray store "), 0xFFFFFFFFu);
    assert_int_equal(rc("program after a stray store "), 0);
    assert_int_equal(value("cell after the program "), 0xA5A5A5A5u);
    assert_int_equal(value("SR after the program "), 0);

    assert_int_equal(value("CR unlocked by hand "), 0);
    assert_int_equal(rc("program with CR unlocked "), 0);
    assert_int_equal(value("CR after that "), CR_LOCK);

    assert_int_equal(rc("program from unaligned data "), 0);
    assert_int_equal(value("word 10 "), 0x44332211u);
    assert_int_equal(value("word 11 "), 0x88776655u);
    assert_int_equal(rc("empty program "), 0);

    assert_int_equal(rc("config load empty "), 1); /* defaults */
    assert_int_equal(rc("config save "), 0);
    assert_int_equal(rc("config load after the save "), 0);
    assert_int_equal(value("config interval "), 60);
    assert_int_equal(value("config port "), 8883);
    assert_int_equal(value("config slot 1 magic "), 0x47464351u); /* "QCFG" */
    assert_int_equal(value("CR after config "), CR_LOCK);
    qsim_destroy(s);
}

int main(int argc, char **argv)
{
    if (argc != 2) {
        fprintf(stderr, "usage: %s flash-hal.elf\n", argv[0]);
        return 2;
    }
    image = argv[1];
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_flash_hal),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
