/*
 * quartz-sim privilege and FP state (issue 10), on the images built from
 * fw/: what they recorded in SRAM against ARMv7-M (ARM DDI 0403E) B1.4.4,
 * B1.5.6-B1.5.8, B3.2 and PM0214 4.6.
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

#define CFSR_UNDEFINSTR (1u << 16)
#define CFSR_PRECISERR (1u << 9)
#define CFSR_BFARVALID (1u << 15)

static struct qsim *boot(const char *image)
{
    struct qsim *s = qsim_create(NULL);
    assert_non_null(s);
    char err[256] = "";
    char path[512];
    snprintf(path, sizeof path, "%s/%s", PRIV_FW_DIR, image);
    if (qsim_load_elf(s, path, err, sizeof err))
        fail_msg("load %s: %s", path, err);
    return s;
}

/* A result block in SRAM, found by its two magic words. */
static bool find(const struct qsim *s, void *out, size_t size)
{
    return sim_results_find(s, PRIV_MAGIC0, PRIV_MAGIC1, out, size);
}

/* Stop when the image set `done` (ctx NULL) or `unpriv_done`. */
static bool priv_done(struct qsim *s, void *ctx)
{
    struct priv_results r;
    return find(s, &r, sizeof r) && (ctx ? r.unpriv_done : r.done);
}

static struct priv_results run_priv(struct qsim **out, bool first_part)
{
    struct qsim *s = boot("core-priv.elf");
    int rc = qsim_run_until(s, 100 * MS, priv_done, first_part ? s : NULL);
    struct priv_results r;
    assert_true(find(s, &r, sizeof r));
    if (rc != 1)
        fail_msg("core-priv did not finish: rc %d, unprivileged part done %u, faults %u", rc, r.unpriv_done,
                 qsim_fault_count(s));
    *out = s;
    return r;
}

/* Entered from unprivileged Thread mode on PSP and back (B1.5.6, B1.5.8). */
static void check_entry(const struct priv_results *r, const struct priv_entry *e)
{
    assert_int_equal(e->exc_return, 0xFFFFFFFDu);      /* Thread mode, PSP, basic frame */
    assert_true(e->frame >= r->psp_bottom && e->frame + 32 <= r->psp_top);
    assert_int_equal(e->handler_control, 1u);          /* nPRIV kept, SPSEL 0 in Handler mode */
    assert_int_equal(e->control_after, 3u);            /* unprivileged, PSP again */
    assert_true(e->sp_after >= r->psp_bottom && e->sp_after <= r->psp_top);
}

static void test_unprivileged_exceptions(void **state)
{
    (void)state;
    struct qsim *s;
    struct priv_results r = run_priv(&s, true);
    /* SVC: the frame right below the caller's PSP, r0 and the return address in it */
    check_entry(&r, &r.svc);
    assert_int_equal(r.svc.frame, (r.svc.psp_before - 32) & ~7u);
    assert_int_equal(r.svc.stacked_r0, 0x55);
    assert_int_equal(r.svc.stacked_pc, r.svc.expected_pc);
    assert_int_equal(r.svc.sp_after, r.svc.psp_before);
    /* SysTick taken in the unprivileged spin loop */
    check_entry(&r, &r.irq);
    assert_true(r.irq.frame < r.irq.psp_before);
    /* UDF: UsageFault UNDEFINSTR at the UDF, stacked on PSP */
    check_entry(&r, &r.fault);
    assert_int_equal(r.fault_cfsr, CFSR_UNDEFINSTR);
    assert_int_equal(r.fault.stacked_pc, r.fault.expected_pc);
    assert_int_equal(r.fault.sp_after, r.fault.psp_before);
    qsim_destroy(s);
}

/* Unprivileged SCS/PPB access: precise BusFault, BFAR, no effect (B3.2). */
static void test_unprivileged_scs(void **state)
{
    (void)state;
    struct qsim *s;
    struct priv_results r = run_priv(&s, false);
    const uint32_t precise = CFSR_PRECISERR | CFSR_BFARVALID;
    /* CPUID: the load faults at itself and does not write its register */
    assert_int_equal(r.cpuid_cfsr, precise);
    assert_int_equal(r.cpuid_bfar, 0xE000ED00u);
    assert_int_equal(r.cpuid_pc, r.cpuid_expected_pc);
    assert_int_equal(r.cpuid_value, 0xAAAAAAAAu);
    /* VTOR: faults, and the table does not move */
    assert_int_equal(r.vtor_cfsr, precise);
    assert_int_equal(r.vtor_bfar, 0xE000ED08u);
    assert_int_equal(r.vtor_after, r.vtor_before);
    /* NVIC, SysTick and DWT are privileged too */
    assert_int_equal(r.iser_cfsr, precise);
    assert_int_equal(r.syst_cfsr, precise);
    assert_int_equal(r.dwt_cfsr, precise);
    /* STIR: pends CAN1_TX with USERSETMPEND = 1; faults without */
    assert_int_equal(r.stir_runs, 1);
    assert_int_equal(r.stir_denied_cfsr, precise);
    assert_int_equal(r.stir_denied_runs, 1);
    assert_int_equal(r.bus_faults, 6);
    /* SVC #2 made Thread mode privileged again (still on PSP) */
    assert_int_equal(r.privileged_after, 2u);
    assert_int_equal(qsim_irq_count(s, "CAN1_TX"), 1);
    qsim_destroy(s);
}

static bool fp_done(struct qsim *s, void *ctx)
{
    struct fp_results r;
    (void)ctx;
    return find(s, &r, sizeof r) && r.done;
}

static struct fp_results run_fp(struct qsim **out)
{
    struct qsim *s = boot("core-fpstate.elf");
    int rc = qsim_run_until(s, 100 * MS, fp_done, NULL);
    struct fp_results r;
    assert_true(find(s, &r, sizeof r));
    if (rc != 1)
        fail_msg("core-fpstate did not finish: rc %d, faults %u", rc, qsim_fault_count(s));
    *out = s;
    return r;
}

#define FPCCR_LAZY_BASE 0xC0000000u /* ASPEN | LSPEN */
#define FPCCR_LSPACT (1u << 0)
#define FPCCR_USER (1u << 1)
#define FPCCR_THREAD (1u << 3)
#define FPCCR_HFRDY (1u << 4)
#define FPCCR_MMRDY (1u << 5)
#define FPCCR_BFRDY (1u << 6)

/* The interrupted context's FPSCR comes back with its frame (B1.5.8). */
static void test_fpscr_across_interrupt(void **state)
{
    (void)state;
    struct qsim *s;
    struct fp_results r = run_fp(&s);
    assert_int_equal(r.fpscr_before >> 28, 0x8);  /* 1.0 < 2.0: N */
    assert_int_equal(r.handler_fpscr >> 28, 0x6); /* the handler's equal compare: ZC */
    assert_int_equal(r.fpscr_after, r.fpscr_before);
    assert_int_equal(r.branch_taken, 1);
    qsim_destroy(s);
}

/* Lazy stacking: FPCCR and FPCAR (B1.5.7 UpdateFPCCR, B3.2.21-22). */
static void test_fpccr_fpcar(void **state)
{
    (void)state;
    struct qsim *s;
    struct fp_results r = run_fp(&s);
    /* from privileged Thread mode, all three faults enabled (startup.c) */
    const uint32_t ready = FPCCR_HFRDY | FPCCR_MMRDY | FPCCR_BFRDY | FPCCR_THREAD;
    assert_int_equal(r.fpccr_entry, FPCCR_LAZY_BASE | ready | FPCCR_LSPACT);
    assert_int_equal(r.fpcar_entry, r.frame_fp_area);
    /* the handler's first FP instruction stacks S0-S15/FPSCR there */
    assert_int_equal(r.fpccr_after_fp, FPCCR_LAZY_BASE | ready);
    assert_int_equal(r.stacked_s0, r.s0_expected);
    /* from unprivileged Thread mode: USER; a return with LSPACT still set clears it */
    assert_int_equal(r.fpccr_unpriv, FPCCR_LAZY_BASE | ready | FPCCR_USER | FPCCR_LSPACT);
    assert_int_equal(r.fpccr_thread_return, FPCCR_LAZY_BASE | ready | FPCCR_USER);
    /* LSPEN = 0: stacked at entry, FPCCR left alone */
    assert_int_equal(r.fpccr_eager, 0x80000000u);
    assert_int_equal(r.eager_stacked_s0, 0x40000000u);
    qsim_destroy(s);
}

/* CONTROL has bits [2:0] only (B1.4.4). */
static void test_control_read_back(void **state)
{
    (void)state;
    struct qsim *s;
    struct fp_results r = run_fp(&s);
    assert_int_equal(r.control_after_fp, 4u);      /* FPCA in Thread mode */
    assert_int_equal(r.control_in_handler, 0x400u); /* 0 on entry, FPCA after an FP instruction */
    /* unprivileged, on MSP, after FP use; the FP context kept (ZC from an equal compare) */
    assert_int_equal(r.control_unpriv, 5u);
    assert_int_equal(r.fpscr_unpriv >> 28, 0x6);
    /* MSR CONTROL with that value kept the FP context (N from 1.0 < 2.0) */
    assert_int_equal(r.fpscr_after_msr >> 28, 0x8);
    qsim_destroy(s);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_unprivileged_exceptions),
        cmocka_unit_test(test_unprivileged_scs),
        cmocka_unit_test(test_fpscr_across_interrupt),
        cmocka_unit_test(test_fpccr_fpcar),
        cmocka_unit_test(test_control_read_back),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
