/*
 * quartz-sim MPU tests (ARMv7-M ARM DDI 0403E B3.5 and B3.2.15; PM0214
 * 4.5): the core-mpu image runs its steps and records what its fault
 * handlers saw; each test checks one behaviour against the manual.
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
#include "results.h"

#define MS 1000000ull

#define CFSR_IACCVIOL 0x01u
#define CFSR_DACCVIOL 0x02u
#define CFSR_MUNSTKERR 0x08u
#define CFSR_MSTKERR 0x10u
#define CFSR_MLSPERR 0x20u
#define CFSR_MMARVALID 0x80u
#define HFSR_FORCED (1u << 30)

static struct mpu_results res;
static struct qsim *sim;
static int run_rc;

static bool results(const struct qsim *s, struct mpu_results *r)
{
    return sim_results_find(s, MPU_MAGIC0, MPU_MAGIC1, r, sizeof *r);
}

static bool done(struct qsim *s, void *ctx)
{
    struct mpu_results r;
    (void)ctx;
    return results(s, &r) && r.done;
}

/* One run of the image for all tests. */
static int setup(void **state)
{
    (void)state;
    sim = qsim_create(NULL);
    if (!sim)
        return -1;
    char err[256] = "";
    if (qsim_load_elf(sim, MPU_FW_DIR "/core-mpu.elf", err, sizeof err)) {
        fprintf(stderr, "load: %s\n", err);
        return -1;
    }
    run_rc = qsim_run_until(sim, 100 * MS, done, NULL);
    if (!results(sim, &res))
        memset(&res, 0, sizeof res);
    return 0;
}

static int teardown(void **state)
{
    (void)state;
    qsim_destroy(sim);
    return 0;
}

/* B3.5.5-B3.5.9: TYPE.DREGION = 8; RBAR reads REGION = RNR; a write with
 * VALID sets RNR; RASR keeps XN, AP, TEX, S, C, B, SRD, SIZE, ENABLE;
 * RBAR_A1 and RASR_A2 are the same registers. */
static void test_registers(void **state)
{
    (void)state;
    assert_int_equal(res.type, 0x00000800u);
    assert_int_equal(res.rbar_plain, 0x20001003u);
    assert_int_equal(res.rnr_after_valid, 5);
    assert_int_equal(res.rbar_after_valid, 0x20002005u);
    assert_int_equal(res.rasr_all_ones, 0x173FFF3Eu);
    assert_int_equal(res.rnr_alias, 2);
    assert_int_equal(res.rasr_alias, 0x12345678u & 0x173FFF3Eu);
}

/* A store to a 32-byte read-only region: DACCVIOL with MMFAR, the stacked
 * PC at the store, the store has no effect; reads are allowed. */
static void test_read_only_region(void **state)
{
    (void)state;
    assert_int_equal(res.ro_read, 0x11223344u);
    assert_int_equal(res.ro_write.count, 1);
    assert_int_equal(res.ro_write.cfsr & 0xFFu, CFSR_DACCVIOL | CFSR_MMARVALID);
    assert_int_equal(res.ro_write.mmfar, res.ro_write_addr);
    assert_int_equal(res.ro_write.pc, res.ro_write_expected_pc);
    assert_int_equal(res.ro_value_after, 0);
}

/* A call into an XN region: IACCVIOL, no MMFAR, stacked PC at the target. */
static void test_execute_never(void **state)
{
    (void)state;
    assert_int_equal(res.xn_ok_result, 42);
    assert_int_equal(res.xn_call.count, 1);
    assert_int_equal(res.xn_call.cfsr & 0xFFu, CFSR_IACCVIOL);
    assert_int_equal(res.xn_call.pc, res.xn_func);
}

/* Overlapping regions: the higher region number decides (B3.5.3). */
static void test_overlap(void **state)
{
    (void)state;
    assert_int_equal(res.overlap_high_ro.count, 1);
    assert_int_equal(res.overlap_high_ro.cfsr & 0xFFu, CFSR_DACCVIOL | CFSR_MMARVALID);
    assert_int_equal(res.overlap_outer_written, 2);
    assert_int_equal(res.overlap_low_ro.count, 0);
}

/* A disabled subregion is not part of the region: the background map
 * (PRIVDEFENA, privileged) applies there; the other subregions fault. */
static void test_subregions(void **state)
{
    (void)state;
    assert_int_equal(res.sub_enabled.count, 1);
    assert_int_equal(res.sub_enabled.mmfar, res.sub_addr_enabled);
    assert_int_equal(res.sub_disabled.count, 0);
}

/* PRIVDEFENA = 0: an address in no region faults, privileged or not;
 * with PRIVDEFENA = 1 privileged code gets the default map. */
static void test_privdefena(void **state)
{
    (void)state;
    assert_int_equal(res.nodef_periph.count, 1);
    assert_int_equal(res.nodef_periph.cfsr & 0xFFu, CFSR_DACCVIOL | CFSR_MMARVALID);
    assert_int_equal(res.nodef_periph.mmfar, res.periph_addr);
    assert_int_equal(res.def_periph_count, 0);
}

/* AP 010: unprivileged read-only; AP 001: no unprivileged access, even
 * right after privileged code read it, and right after an allowed
 * unprivileged read of the same 1 KB page. */
static void test_unprivileged(void **state)
{
    (void)state;
    assert_int_equal(res.priv_read_un, 0x5A5A5A5Au);
    assert_int_equal(res.unpriv_read, 0xA5A5A5A5u);
    assert_int_equal(res.unpriv_write.count, 1);
    assert_int_equal(res.unpriv_write.mmfar, res.unpriv_rw_addr);
    /* twice: also after the SVC handler read it */
    assert_int_equal(res.handler_read_un, 0x5A5A5A5Au);
    assert_int_equal(res.unpriv_read_denied.count, 2);
    assert_int_equal(res.unpriv_read_denied.mmfar, res.unpriv_no_addr);
    assert_int_equal(res.svc_count >= 1, 1);
}

/* MemManage disabled: HardFault with FORCED, CFSR still says DACCVIOL;
 * in HardFault the MPU is off (HFNMIENA = 0). */
static void test_escalation(void **state)
{
    (void)state;
    assert_int_equal(res.escalated.count, 1);
    assert_int_equal(res.escalated.hfsr & HFSR_FORCED, HFSR_FORCED);
    assert_int_equal(res.escalated.cfsr & 0xFFu, CFSR_DACCVIOL | CFSR_MMARVALID);
    assert_int_equal(res.hardfault_write_ok, 1);
}

/* Exception entry onto a read-only stack: MSTKERR, no MMFAR; the image
 * then recovers and completes. */
static void test_stacking(void **state)
{
    (void)state;
    assert_int_equal(run_rc, 1);
    assert_int_equal(res.done, 1);
    assert_int_equal(res.stacking.count, 1);
    assert_int_equal(res.stacking.cfsr & 0xFFu, CFSR_MSTKERR);
    /* the SVC stays pending (derived exception, as a late arrival) and
     * runs after the MemManage: SVC #3 and #1 of the unprivileged step and this */
    assert_int_equal(res.svc_count >= 3, 1);
}

/* Exception return to unprivileged code from a frame in a privileged-only
 * region: MUNSTKERR, MemManage entered with the frame still there. */
static void test_unstacking(void **state)
{
    (void)state;
    assert_int_equal(run_rc, 1);
    assert_int_equal(res.unstacking.count, 1);
    assert_int_equal(res.unstacking.cfsr & 0xFFu, CFSR_MUNSTKERR);
    assert_int_equal(res.svc_count >= 5, 1);
}

/* Lazy FP state preservation (FPCCR.LSPEN) into a read-only region:
 * MLSPERR, MemManage pending, taken once the SVC handler returns. */
static void test_lazy_fp(void **state)
{
    (void)state;
    assert_int_equal(run_rc, 1);
    assert_int_equal(res.lazy_fp.count, 1);
    assert_int_equal(res.lazy_fp.cfsr & 0xFFu, CFSR_MLSPERR);
    /* this step's SVC #5 was the 6th; the reconfigure step adds #6 and #1,
     * the split-page and literal steps #1 each, the moved-page step #1
     * three times */
    assert_int_equal(res.svc_count, 13);
}

/* CPSID in a handler entered from unprivileged Thread mode takes effect:
 * Handler mode is privileged (B1.4.4), and CPS is a NOP only for
 * unprivileged code (B5.2.1). */
static void test_handler_privileged_cps(void **state)
{
    (void)state;
    assert_int_equal(res.handler_read_un, 0x5A5A5A5Au);
    assert_int_equal(res.handler_primask, 1);
}

/* A change of the regions applies to the next access (B3.5.1, after DSB
 * + ISB) even to a page read just before: a privileged-only page made
 * no-access, read by privileged code; a read-only flash page made
 * privileged-only (AP 101) by an SVC handler, read by unprivileged code. */
static void test_reconfigure_after_read(void **state)
{
    (void)state;
    assert_int_equal(res.reconf_priv_read, 0x4B45524Eu);
    assert_int_equal(res.reconf_priv_denied.count, 1);
    assert_int_equal(res.reconf_priv_denied.cfsr & 0xFFu, CFSR_DACCVIOL | CFSR_MMARVALID);
    assert_int_equal(res.reconf_priv_denied.mmfar, res.reconf_ram_addr);
    assert_int_equal(res.reconf_unpriv_read, 0x600DF00Du);
    assert_int_equal(res.reconf_unpriv_denied.count, 1);
    assert_int_equal(res.reconf_unpriv_denied.cfsr & 0xFFu, CFSR_DACCVIOL | CFSR_MMARVALID);
    assert_int_equal(res.reconf_unpriv_denied.mmfar, res.reconf_flash_addr);
}

/* A region smaller than a page (B3.5.8: 32 B up) decides per access on
 * the page it shares: unprivileged code reads and writes its part of the
 * page and is refused the privileged-only 256 B (DACCVIOL, MMFAR, the
 * store without effect, stacked PC at the access as for any refused
 * access, here the same load and store functions as in
 * test_unprivileged); privileged code reads both parts. */
static void test_split_page(void **state)
{
    (void)state;
    assert_int_equal(res.split_priv_read, 0x4B45524Eu);
    assert_int_equal(res.split_unpriv_read, 0x7A5C0001u);
    assert_int_equal(res.split_unpriv_read_again, 0x7A5C0002u);
    assert_int_equal(res.split_written, 0x7A5C0011u);
    assert_int_equal(res.split_kept, 0x4B454550u);
    assert_int_equal(res.split_read_denied.count, 1);
    assert_int_equal(res.split_read_denied.cfsr & 0xFFu, CFSR_DACCVIOL | CFSR_MMARVALID);
    assert_int_equal(res.split_read_denied.mmfar, res.split_kernel_addr);
    assert_int_equal(res.split_read_denied.pc, res.unpriv_read_denied.pc);
    assert_int_equal(res.split_write_denied.count, 1);
    assert_int_equal(res.split_write_denied.cfsr & 0xFFu, CFSR_DACCVIOL | CFSR_MMARVALID);
    assert_int_equal(res.split_write_denied.mmfar, res.split_kernel_addr + 4);
    assert_int_equal(res.split_write_denied.pc, res.unpriv_write.pc);
}

/* Literal loads (LDR Rt, [PC, #imm]) of unprivileged code, in blocks a
 * SysTick every 100 cycles cuts (the core then runs the block in parts):
 * decided at their flash address, so no fault and the right values. */
static void test_literal_cut(void **state)
{
    (void)state;
    assert_true(res.lit_ticks > 20u);
    assert_int_equal(res.lit_fault.count, 0);
    assert_int_equal(res.lit_bad, 0);
    /* the same loop privileged without the default map (PRIVDEFENA = 0) */
    assert_true(res.lit_ticks_priv > 20u);
    assert_int_equal(res.lit_bad_priv, 0);
}

/* A page whose permissions change at each "switch" (step_moved_page):
 * unprivileged code reads it while open, is refused once it is closed
 * (DACCVIOL at the address), and reads what it wrote once it is reopened;
 * privileged code runs a function written there while closed (the
 * default map lets it), and is refused the call once the region is
 * execute-never again (IACCVIOL, stacked PC at the function). */
static void test_moved_page(void **state)
{
    (void)state;
    assert_int_equal(res.moved_unpriv_read, 0x4D4F5645u);
    assert_int_equal(res.moved_denied.count, 1);
    assert_int_equal(res.moved_denied.cfsr & 0xFFu, CFSR_DACCVIOL | CFSR_MMARVALID);
    assert_int_equal(res.moved_denied.mmfar, res.moved_addr);
    assert_int_equal(res.moved_exec_result, 43);
    assert_int_equal(res.moved_unpriv_read_again, 0x4D4F0001u);
    assert_int_equal(res.moved_xn.count, 1);
    assert_int_equal(res.moved_xn.cfsr & 0xFFu, CFSR_IACCVIOL);
    assert_int_equal(res.moved_xn.pc, res.moved_func);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_registers),
        cmocka_unit_test(test_read_only_region),
        cmocka_unit_test(test_execute_never),
        cmocka_unit_test(test_overlap),
        cmocka_unit_test(test_subregions),
        cmocka_unit_test(test_privdefena),
        cmocka_unit_test(test_unprivileged),
        cmocka_unit_test(test_escalation),
        cmocka_unit_test(test_stacking),
        cmocka_unit_test(test_unstacking),
        cmocka_unit_test(test_lazy_fp),
        cmocka_unit_test(test_handler_privileged_cps),
        cmocka_unit_test(test_reconfigure_after_read),
        cmocka_unit_test(test_split_page),
        cmocka_unit_test(test_literal_cut),
        cmocka_unit_test(test_moved_page),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
