/*
 * Results of the MPU test image, shared by the firmware and the host test:
 * the firmware fills a `struct mpu_results` in SRAM, the host finds it by
 * its magic words. A fault is recorded as {count, CFSR, MMFAR, stacked PC}.
 */
#ifndef MPU_TEST_RESULTS_H
#define MPU_TEST_RESULTS_H

#include <stdint.h>

#define MPU_MAGIC0 0x3B0C0DE5u
#define MPU_MAGIC1 0x0A11F00Du

struct mpu_fault {
    uint32_t count, cfsr, mmfar, pc, hfsr;
};

struct mpu_results {
    uint32_t magic0, magic1;
    uint32_t done;
    /* registers: MPU_TYPE, RBAR/RNR after writes, RASR read-back, aliases */
    uint32_t type, rbar_plain, rnr_after_valid, rbar_after_valid, rasr_all_ones, rasr_alias, rnr_alias;
    /* RO region (32 bytes, privileged, PRIVDEFENA): read value, write fault */
    uint32_t ro_read;
    struct mpu_fault ro_write;
    uint32_t ro_write_expected_pc, ro_write_addr, ro_value_after;
    /* XN: a function in SRAM, executable then execute-never */
    uint32_t xn_ok_result;
    struct mpu_fault xn_call;
    uint32_t xn_func;
    /* overlap: RO region 3 inside RW region 2, then the other way round */
    struct mpu_fault overlap_high_ro, overlap_low_ro;
    uint32_t overlap_outer_written;
    /* subregions: 2 KB no-access region with subregion 2 disabled */
    struct mpu_fault sub_enabled, sub_disabled;
    uint32_t sub_addr_enabled;
    /* PRIVDEFENA = 0: a peripheral read outside every region faults */
    struct mpu_fault nodef_periph;
    uint32_t periph_addr, def_periph_count;
    /* unprivileged: RO (AP 010) read ok, write faults; AP 001 read faults
     * (read by privileged code just before: priv_read_un) */
    uint32_t priv_read_un, unpriv_read, handler_read_un;
    struct mpu_fault unpriv_write, unpriv_read_denied;
    uint32_t unpriv_rw_addr, unpriv_no_addr;
    /* MemManage disabled: HardFault FORCED; the HardFault handler writes
     * the RO word (HFNMIENA = 0: no MPU at priority -1) */
    struct mpu_fault escalated;
    uint32_t hardfault_write_ok;
    /* stacking into a read-only stack: MSTKERR */
    struct mpu_fault stacking;
    uint32_t svc_count;
    /* exception return from a frame the unprivileged return may not read */
    struct mpu_fault unstacking;
    /* lazy FP state preservation into a read-only region: MLSPERR */
    struct mpu_fault lazy_fp;
    /* CPSID i in an SVC handler entered from unprivileged Thread mode:
     * PRIMASK read there (Handler mode is privileged, B5.2.1 CPS) */
    uint32_t handler_primask;
    /* regions changed after a page was read (B3.5.1: DSB + ISB make the
     * change visible): a privileged read of a privileged-only SRAM page,
     * then the region made no-access, read again; an unprivileged read of
     * a read-only flash page, then (SVC #6) the region made
     * privileged-only, read again */
    uint32_t reconf_priv_read, reconf_unpriv_read, reconf_ram_addr, reconf_flash_addr;
    struct mpu_fault reconf_priv_denied, reconf_unpriv_denied;
    /* a 1 KB SRAM page split by a 256 B privileged-only region at its end
     * (execute-never): privileged and unprivileged reads and writes on
     * both sides (the core maps such a page as MMIO, mpu_map.c) */
    uint32_t split_priv_read, split_unpriv_read, split_unpriv_read_again, split_written, split_kept;
    uint32_t split_kernel_addr;
    struct mpu_fault split_read_denied, split_write_denied;
    /* unprivileged literal loads (LDR Rt, [PC, #imm]) in blocks that a
     * fast SysTick cuts: no fault, the right values */
    uint32_t lit_bad, lit_ticks, lit_bad_priv, lit_ticks_priv;
    struct mpu_fault lit_fault;
    /* a process's page: opened to unprivileged code (region AP 011, XN),
     * then closed (AP 001, executable: a switch away), reopened. Closed,
     * unprivileged code is refused it and privileged code runs a function
     * written there; reopened (XN), the call is refused. */
    uint32_t moved_unpriv_read, moved_exec_result, moved_unpriv_read_again, moved_addr, moved_func;
    struct mpu_fault moved_denied, moved_xn;
};

#ifdef __arm__
/* The image's steps (mpu.c); they fill `res` and end with the MPU off. */
void mpu_steps(void);
extern volatile struct mpu_results res;
#endif

#endif
