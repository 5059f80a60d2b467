/*
 * quartz-sim fault rows of issue 10 on the trap images (fw/align.c,
 * fw/other.c): the fault log the images record, checked against ARMv7-M
 * (DDI 0403) A3.2.1, B1.4.2, B3.1 table B3-1, B3.2.15 and the Cortex-M4
 * write buffer (TRM 4.3.1 ACTLR).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "quartzsim.h"
#include "sim_results.h"
#include "trap_log.h"

#define MS 1000000ull

#define MMARVALID (1u << 7)
#define IACCVIOL (1u << 0)
#define IBUSERR (1u << 8)
#define PRECISERR (1u << 9)
#define IMPRECISERR (1u << 10)
#define BFARVALID (1u << 15)
#define INVSTATE (1u << 17)
#define UNALIGNED (1u << 24)
#define DIVBYZERO (1u << 25)
#define XPSR_T (1u << 24)

static struct qsim *boot(const char *image)
{
    struct qsim *s = qsim_create(NULL);
    assert_non_null(s);
    char err[256] = "";
    char path[512];
    snprintf(path, sizeof path, "%s/%s", CORE_FW_DIR, image);
    if (qsim_load_elf(s, path, err, sizeof err))
        fail_msg("load %s: %s", path, err);
    return s;
}

static bool results(const struct qsim *s, struct trap_results *r)
{
    return sim_results_find(s, TRAP_MAGIC0, TRAP_MAGIC1, r, sizeof *r);
}

static bool done(struct qsim *s, void *ctx)
{
    struct trap_results r;
    (void)ctx;
    return results(s, &r) && r.done;
}

static void run(const char *image, struct trap_results *r)
{
    struct qsim *s = boot(image);
    assert_int_equal(qsim_run_until(s, 100 * MS, done, NULL), 1);
    assert_true(results(s, r));
    qsim_destroy(s);
}

/* Log entry i: exception, exactly these CFSR bits, stacked PC as expected. */
static void entry(const struct trap_results *r, unsigned i, uint32_t exc, uint32_t cfsr)
{
    char what[64];
    snprintf(what, sizeof what, "log entry %u", i);
    if (i >= r->count)
        fail_msg("%s missing (%u entries)", what, r->count);
    if (r->log[i].exc != exc || r->log[i].cfsr != cfsr)
        fail_msg("%s: exception %u CFSR 0x%08x, expected %u 0x%08x", what, r->log[i].exc, r->log[i].cfsr, exc, cfsr);
    if (r->expect[i] && r->log[i].pc != r->expect[i])
        fail_msg("%s: stacked PC 0x%08x, expected 0x%08x", what, r->log[i].pc, r->expect[i]);
}

static void test_alignment_and_division(void **state)
{
    (void)state;
    struct trap_results r;
    run("core-align.elf", &r);
    /* LDRD STRD LDM STM LDREX STREX LDREXH STREXH, LDRD with a base
     * computed in the block and one from a literal, VLDR VSTM; LDR LDRH STR
     * LDRT STRH with UNALIGN_TRP, LDR from SP + 4 + 2; UDIV SDIV with
     * DIV_0_TRP */
    static const uint32_t cfsr[] = {UNALIGNED, UNALIGNED, UNALIGNED, UNALIGNED, UNALIGNED, UNALIGNED,
                                    UNALIGNED, UNALIGNED, UNALIGNED, UNALIGNED, UNALIGNED, UNALIGNED,
                                    UNALIGNED, UNALIGNED, UNALIGNED, UNALIGNED, UNALIGNED, UNALIGNED,
                                    DIVBYZERO, DIVBYZERO};
    for (unsigned i = 0; i < sizeof cfsr / sizeof cfsr[0]; i++)
        entry(&r, i, 6, cfsr[i]);
    assert_int_equal(r.count, sizeof cfsr / sizeof cfsr[0]);
    /* no register, base or memory changed by a faulting access; unaligned
     * LDR without the trap, LDRB and aligned LDR with it; UDIV by 0 = 0
     * without DIV_0_TRP */
    for (unsigned i = 0; i <= 15; i++)
        if (r.ok[i] != 1)
            fail_msg("observation %u not as the manual says", i);
}

static void test_other_faults(void **state)
{
    (void)state;
    struct trap_results r;
    run("core-other.elf", &r);
    /* INVSTATE: BX, BLX, POP, LDR PC, exception return; stacked T = 0 */
    for (unsigned i = 0; i < 5; i++) {
        entry(&r, i, 6, INVSTATE);
        if (r.log[i].xpsr & XPSR_T)
            fail_msg("log entry %u: stacked xPSR 0x%08x has T set", i, r.log[i].xpsr);
    }
    /* buffered store to nothing: imprecise, after the store, taken by the
     * barrier that follows; then DISDEFWBUF: precise with BFAR; a PPB
     * store: precise; a load where a buffered store just failed: precise,
     * the store's IMPRECISERR with it in one entry; a load: precise */
    entry(&r, 5, 5, IMPRECISERR);
    assert_true(r.log[5].pc > r.expect[6] - 0x40 && r.log[5].pc < r.expect[6]);
    entry(&r, 6, 5, PRECISERR | BFARVALID);
    assert_int_equal(r.log[6].bfar, 0x30000004u);
    entry(&r, 7, 5, PRECISERR | BFARVALID);
    assert_int_equal(r.log[7].bfar, 0xE0003000u);
    entry(&r, 8, 5, PRECISERR | BFARVALID | IMPRECISERR);
    assert_int_equal(r.log[8].bfar, 0x30000010u);
    entry(&r, 9, 5, PRECISERR | BFARVALID);
    assert_int_equal(r.log[9].bfar, 0x30000008u);
    assert_int_equal(r.ok[0], 1);
    assert_int_equal(r.ok[1], 1);
    /* fetches: XN regions MemManage IACCVIOL without MMFAR; elsewhere IBUSERR */
    entry(&r, 10, 4, IACCVIOL);
    entry(&r, 11, 4, IACCVIOL);
    entry(&r, 12, 4, IACCVIOL);
    entry(&r, 13, 5, IBUSERR);
    assert_int_equal(r.count, 14);
}

/*
 * Precise BusFaults after other loads and stores of the same block moved
 * their bases onto the bad address (fw/faultpc.c): the stacked PC is the
 * faulting instruction (B1.5.6), BFAR the first address it was refused.
 */
static void test_fault_pc(void **state)
{
    (void)state;
    struct trap_results r;
    run("core-faultpc.elf", &r);
    /* store after a post-indexed load, load after a post-indexed store, STR
     * after LDM!, STRD after LDRD post-indexed, STRH after LDRH
     * post-indexed, PUSH.W after a post-indexed load */
    static const uint32_t bfar[] = {0x20020000u, 0x20020000u, 0x20020000u, 0x20020000u, 0x20020000u, 0x1FFFFFF0u};
    for (unsigned i = 0; i < sizeof bfar / sizeof bfar[0]; i++) {
        entry(&r, i, 5, PRECISERR | BFARVALID);
        if (bfar[i] && r.log[i].bfar != bfar[i])
            fail_msg("log entry %u: BFAR 0x%08x, expected 0x%08x", i, r.log[i].bfar, bfar[i]);
    }
    /* the STRH's BFAR as the image saw it */
    assert_int_equal(r.ok[0], 1);
    assert_int_equal(r.count, sizeof bfar / sizeof bfar[0]);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_alignment_and_division),
        cmocka_unit_test(test_other_faults),
        cmocka_unit_test(test_fault_pc),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
