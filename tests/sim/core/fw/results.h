/*
 * Results of the core test images, shared by the firmware and the host test:
 * the firmware fills a `struct core_results` in SRAM, the host finds it by
 * its magic words and checks the fields.
 */
#ifndef CORE_TEST_RESULTS_H
#define CORE_TEST_RESULTS_H

#include <stdint.h>

#define RESULTS_MAGIC0 0x51C0DE01u
#define RESULTS_MAGIC1 0x7E575ACEu
#define RESULTS_LOG 32

struct core_results {
    uint32_t magic0, magic1;
    uint32_t done;
    /* SVC: stacked r0 and PC, SVC number read through the stacked PC */
    uint32_t svc_r0, svc_pc, svc_expected_pc, svc_number;
    /* frames: EXC_RETURN in PendSV with and without FP context, stacked S0 */
    uint32_t lr_basic, lr_fp, fp_s0, fp_s0_expected, sp_aligned, xpsr_align_bit;
    /* order log: 'A','B','C','P' entries, 'a','b','c' exits */
    uint32_t log_len;
    uint8_t log[RESULTS_LOG];
    /* BASEPRI: handler counts while masked and after */
    uint32_t masked_runs, unmasked_runs, basepri_after;
    /* SysTick via DWT: CYCCNT at consecutive ticks */
    uint32_t tick_cycles[4];
    uint32_t nop_cycles;
    uint32_t vectactive;
    /* faults */
    uint32_t bus_cfsr, bus_bfar, bus_pc, bus_expected_pc;
    uint32_t udf_cfsr, udf_pc, udf_expected_pc;
    uint32_t nocp_cfsr, nocp_count;
    uint32_t unmapped_value;
};

#endif
