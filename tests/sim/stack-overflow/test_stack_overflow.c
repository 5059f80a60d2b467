/*
 * Runs the stack-overflow image (argv[1]) on quartz-sim: the unbounded
 * recursion must end in a fault taken with .data intact (the stack sits
 * below .data and overflows off the bottom of SRAM), and the next boot must
 * find the fault record (exception, CFSR.STKERR) that the handler left in
 * .noinit before it reset the chip.
 */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include <cmocka.h>

#include "elf32.h"
#include "overflow.h"
#include "quartzsim.h"

#define MS 1000000ULL
#define CFSR_STKERR (1U << 12)  /* ARMv7-M B3.2.15: BusFault on exception entry stacking */
#define CFSR_MSTKERR (1U << 4) /* MemManage fault on stacking */
#define EXC_HARDFAULT 3U
#define EXC_MEMMANAGE 4U
#define EXC_BUSFAULT 5U

static const char *elf_path;

static bool fault_seen(struct qsim *s, void *ctx)
{
    (void)ctx;
    return qsim_fault_count(s) > 0;
}

static uint32_t symbol(const struct elf32 *e, const char *name)
{
    uint32_t v = 0;
    if (elf32_symbol(e, name, &v) != 0)
        fail_msg("symbol %s not in %s", name, elf_path);
    return v;
}

static void test_overflow_faults_and_keeps_data(void **state)
{
    (void)state;
    struct elf32 e;
    char err[256];
    if (elf32_open(&e, elf_path, err, sizeof err) != 0)
        fail_msg("%s", err);
    uint32_t canary = symbol(&e, "overflow_canary");
    uint32_t result = symbol(&e, "overflow_result");
    uint32_t stack_start = symbol(&e, "__stack_start");
    uint32_t stack_top = symbol(&e, "__stack_top");
    elf32_close(&e);
    assert_true(canary >= stack_top); /* the layout under test: data above the stack */

    struct qsim_options opt = {0};
    struct qsim *s = qsim_create(&opt);
    assert_non_null(s);
    if (qsim_load_elf(s, elf_path, err, sizeof err) != 0)
        fail_msg("load: %s", err);
    qsim_reset(s);

    /* 1st boot: recursion until the stack leaves SRAM. */
    int rc = qsim_run_until(s, 100 * MS, fault_seen, NULL);
    if (rc == -EFAULT)
        fail_msg("the core locked up instead of taking the overflow fault");
    assert_int_equal(rc, 1);
    assert_true(qsim_fault_count(s) >= 1);

    uint32_t words[OVERFLOW_CANARY_WORDS];
    assert_int_equal(qsim_read_mem(s, canary, words, sizeof words), 0);
    for (unsigned i = 0; i < OVERFLOW_CANARY_WORDS; i++) {
        if (words[i] != OVERFLOW_CANARY(i))
            fail_msg(".data overwritten by the stack: overflow_canary[%u] = 0x%08X, expected 0x%08lX", i, words[i],
                     (unsigned long)OVERFLOW_CANARY(i));
    }

    /* The handler resets; the 2nd boot takes the record and reports it. */
    rc = qsim_run_until(s, qsim_time_ns(s) + 100 * MS, NULL, NULL);
    assert_int_equal(rc, 0);
    struct overflow_result r;
    assert_int_equal(qsim_read_mem(s, result, &r, sizeof r), 0);
    if (r.magic != OVERFLOW_RESULT_MAGIC)
        fail_msg("second boot found no fault record (magic 0x%08X): .noinit lost across the reset?", r.magic);
    printf("fault: exception %u cfsr 0x%08X hfsr 0x%08X sp 0x%08X (stack 0x%08X..0x%08X)\n", r.exception, r.cfsr,
           r.hfsr, r.sp, stack_start, stack_top);
    assert_true(r.exception == EXC_BUSFAULT || r.exception == EXC_HARDFAULT || r.exception == EXC_MEMMANAGE);
    assert_true(r.cfsr & (CFSR_STKERR | CFSR_MSTKERR));
    assert_true(r.sp < stack_start + 32U); /* the frame was pushed at the bottom of the stack region */
    qsim_destroy(s);
}

int main(int argc, char **argv)
{
    if (argc != 2) {
        fprintf(stderr, "usage: %s stack-overflow.elf\n", argv[0]);
        return 2;
    }
    elf_path = argv[1];
    const struct CMUnitTest tests[] = {cmocka_unit_test(test_overflow_faults_and_keeps_data)};
    return cmocka_run_group_tests(tests, NULL, NULL);
}
