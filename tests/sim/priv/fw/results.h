/*
 * Results of the privilege and FP-state test images, shared by the
 * firmware and the host test (test_priv.c): the firmware fills a
 * `struct priv_results` in SRAM, the host finds it by its magic words.
 */
#ifndef PRIV_TEST_RESULTS_H
#define PRIV_TEST_RESULTS_H

#include <stdint.h>

#define PRIV_MAGIC0 0x9121A7E0u
#define PRIV_MAGIC1 0x5EC0DE42u

/* One exception taken from unprivileged Thread mode. */
struct priv_entry {
    uint32_t exc_return;     /* LR in the handler */
    uint32_t frame;          /* where the frame is (from EXC_RETURN bit 2) */
    uint32_t psp_before;     /* PSP of the interrupted code before the exception */
    uint32_t stacked_r0, stacked_pc, expected_pc;
    uint32_t handler_control;
    uint32_t control_after;  /* CONTROL back in Thread mode */
    uint32_t sp_after;       /* SP back in Thread mode */
};

struct priv_results {
    uint32_t magic0, magic1;
    uint32_t unpriv_done, done;
    struct priv_entry svc, irq, fault;
    uint32_t fault_cfsr;
    uint32_t psp_top, psp_bottom;
    /* unprivileged SCS and PPB accesses (BusFault PRECISERR, BFAR) */
    uint32_t cpuid_value, cpuid_cfsr, cpuid_bfar, cpuid_pc, cpuid_expected_pc;
    uint32_t vtor_cfsr, vtor_bfar, vtor_before, vtor_after;
    uint32_t iser_cfsr, syst_cfsr, dwt_cfsr;
    uint32_t stir_runs, stir_denied_cfsr, stir_denied_runs;
    uint32_t bus_faults;
    uint32_t privileged_after; /* CONTROL.nPRIV cleared by an SVC: privileged again */
};

/* FP state across exceptions (fpstate.c). */
struct fp_results {
    uint32_t magic0, magic1;
    uint32_t done;
    /* a float comparison straddling an interrupt whose handler compares too */
    uint32_t branch_taken, fpscr_before, fpscr_after, handler_fpscr;
    /* FPCCR/FPCAR in a handler entered with an extended frame, before and after its first FP instruction */
    uint32_t fpccr_entry, fpcar_entry, frame_fp_area, fpccr_after_fp, stacked_s0, s0_expected;
    /* FPCCR in an SVC handler from unprivileged code, and back in Thread mode */
    uint32_t fpccr_unpriv, fpccr_thread_return;
    /* FPCCR.LSPEN = 0: the frame is written at entry */
    uint32_t fpccr_eager, eager_stacked_s0;
    /* CONTROL read back after FP use */
    uint32_t control_after_fp, control_in_handler;
    /* FPSCR after MSR CONTROL writes back what MRS read, then an FP instruction */
    uint32_t fpscr_after_msr;
    /* CONTROL read by unprivileged code after FP use, FPSCR after it */
    uint32_t control_unpriv, fpscr_unpriv;
};

#endif
