/*
 * QEMU / quartz-sim cross-check of the Cortex-M4 MPU (ARMv7-M ARM DDI
 * 0403E B3.5, PM0214 4.5): runs the steps of the quartz-sim MPU test image
 * (tests/sim/mpu/fw/mpu.c) and prints what its fault handlers saw, as
 * values that do not depend on where the linker put things (addresses
 * are compared, not printed). Lines starting with "[dev:<name>]" depend
 * on a known QEMU deviation (docs/qemu-crosscheck.md).
 */
#include <stdint.h>

#include "console.h"
#include "results.h"

#define CFSR_MMFSR 0xFFu

static void fault(const char *name, const volatile struct mpu_fault *f)
{
    console_puts(name);
    console_puts("\n");
    log_value("  faults=", f->count);
    if (f->count) {
        log_hex("  MMFSR=", f->cfsr & CFSR_MMFSR);
        log_value("  HFSR.FORCED=", (f->hfsr >> 30) & 1u);
    }
    log_flush();
}

int main(void)
{
    console_init();
    console_puts("quartz cross-check mpu 1\n");
    mpu_steps();

    console_puts("== registers\n");
    log_hex("MPU_TYPE=", res.type);
    log_value("RBAR REGION reads RNR=", res.rbar_plain == 0x20001003u);
    log_value("RBAR VALID write sets RNR=", res.rnr_after_valid);
    log_value("RBAR after VALID write ok=", res.rbar_after_valid == 0x20002005u);
    log_hex("RASR written 0xFFFFFFFE reads ", res.rasr_all_ones);
    log_value("RBAR_A1 VALID write sets RNR=", res.rnr_alias);
    log_hex("RASR_A2 write reads back ", res.rasr_alias);
    log_flush();

    console_puts("== read-only region, privileged\n");
    log_hex("read=", res.ro_read);
    log_flush();
    fault("store", &res.ro_write);
    log_value("  MMFAR is the address=", res.ro_write.mmfar == res.ro_write_addr);
    log_value("  stacked PC is the store=", res.ro_write.pc == res.ro_write_expected_pc);
    log_value("  memory after=", res.ro_value_after);
    log_flush();

    console_puts("== execute-never\n");
    log_value("call without XN returns ", res.xn_ok_result);
    log_flush();
    fault("call with XN", &res.xn_call);
    log_value("  stacked PC is the target=", res.xn_call.pc == res.xn_func);
    log_flush();

    console_puts("== overlap\n");
    fault("store, RO region above RW region", &res.overlap_high_ro);
    log_value("store outside the RO part=", res.overlap_outer_written);
    log_flush();
    fault("store, RO region below RW region", &res.overlap_low_ro);

    console_puts("== subregions\n");
    fault("load, enabled subregion of a no-access region", &res.sub_enabled);
    log_value("  MMFAR is the address=", res.sub_enabled.mmfar == res.sub_addr_enabled);
    log_flush();
    fault("load, disabled subregion (background map)", &res.sub_disabled);

    console_puts("== PRIVDEFENA\n");
    fault("privileged peripheral load, PRIVDEFENA=0", &res.nodef_periph);
    log_value("  MMFAR is the address=", res.nodef_periph.mmfar == res.periph_addr);
    log_value("faults with PRIVDEFENA=1: ", res.def_periph_count);
    log_flush();

    console_puts("== unprivileged\n");
    log_hex("read of AP=010 region=", res.unpriv_read);
    log_flush();
    fault("store to AP=010 region", &res.unpriv_write);
    log_value("  MMFAR is the address=", res.unpriv_write.mmfar == res.unpriv_rw_addr);
    log_flush();
    fault("load from AP=001 region", &res.unpriv_read_denied);
    log_value("  MMFAR is the address=", res.unpriv_read_denied.mmfar == res.unpriv_no_addr);
    log_flush();

    console_puts("== escalation\n");
    fault("store with MemManage disabled", &res.escalated);
    log_value("HardFault handler store to the RO region (HFNMIENA=0) ok=", res.hardfault_write_ok);
    log_flush();

    console_puts("== stacking\n");
    fault("SVC with PSP in a read-only region", &res.stacking);
    log_flush();

    console_puts("== unstacking\n");
    fault("return to unprivileged code, frame in a privileged-only region", &res.unstacking);

    console_puts("== lazy FP stacking\n");
    fault("first FP instruction in the handler, FP area read-only", &res.lazy_fp);
    log_flush();

    console_puts("== privileged handler\n");
    log_value("CPSID i in the SVC handler from unprivileged code: PRIMASK=", res.handler_primask);
    log_flush();

    console_puts("== regions changed after a read\n");
    log_value("privileged read before ok=", res.reconf_priv_read == 0x4B45524Eu);
    log_flush();
    fault("privileged read after AP=000", &res.reconf_priv_denied);
    log_value("  MMFAR is the address=", res.reconf_priv_denied.mmfar == res.reconf_ram_addr);
    log_value("unprivileged flash read before ok=", res.reconf_unpriv_read == 0x600DF00Du);
    log_flush();
    fault("unprivileged flash read after AP=101", &res.reconf_unpriv_denied);
    log_value("  MMFAR is the address=", res.reconf_unpriv_denied.mmfar == res.reconf_flash_addr);
    log_flush();

    console_puts("== a process's page closed and reopened\n");
    log_value("unprivileged read while open ok=", res.moved_unpriv_read == 0x4D4F5645u);
    log_flush();
    fault("unprivileged read once closed", &res.moved_denied);
    log_value("  MMFAR is the address=", res.moved_denied.mmfar == res.moved_addr);
    log_value("privileged call of code written there=", res.moved_exec_result);
    log_value("unprivileged read once reopened ok=", res.moved_unpriv_read_again == 0x4D4F0001u);
    log_flush();
    fault("privileged call once reopened execute-never", &res.moved_xn);
    log_value("  stacked PC is the function=", res.moved_xn.pc == res.moved_func);
    log_value("SVC handler runs=", res.svc_count);
    log_flush();

    console_puts("END\n");
    console_drain();
    for (;;)
        __asm volatile("wfi");
}
