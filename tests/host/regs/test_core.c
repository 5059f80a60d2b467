/*
 * Cortex-M4 core registers are not in ST's SVD; their addresses are written
 * here once from the ARMv7-M Architecture Reference Manual (DDI 0403E.e):
 *   B3.2.2 Table B3-4  system control block (0xE000ED00..) and CPACR
 *   B3.3.2 Table B3-7  SysTick (0xE000E010..)
 *   B3.4.3 Table B3-8  NVIC (0xE000E100..), STIR B3.2.2
 *   B3.5.4 Table B3-11 MPU (0xE000ED90..)
 *   C1.6.1 Table C1-5  debug registers DHCSR..DEMCR (0xE000EDF0..)
 *   C1.8.7 Table C1-21 DWT (0xE0001000..)
 *   B3.2.2 Table B3-5  FPU FPCCR..MVFR1 (0xE000EF34..)
 * Field positions are in core_fields.def (same sources).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "cortex_m/core.h"
#include "stm32f446/irq.h"
#include "test_regs.h"

struct core_reg {
    const char *name;
    uintptr_t address;
    uint32_t expected;
};
#define K(inst, st, member, addr) {#inst "." #member, inst##_BASE + offsetof(struct st, member), addr}

static const struct core_reg core_regs[] = {
    K(SCB, cm_scb, CPUID, 0xE000ED00), K(SCB, cm_scb, ICSR, 0xE000ED04), K(SCB, cm_scb, VTOR, 0xE000ED08),
    K(SCB, cm_scb, AIRCR, 0xE000ED0C), K(SCB, cm_scb, SCR, 0xE000ED10), K(SCB, cm_scb, CCR, 0xE000ED14),
    K(SCB, cm_scb, SHPR, 0xE000ED18), K(SCB, cm_scb, SHCSR, 0xE000ED24), K(SCB, cm_scb, CFSR, 0xE000ED28),
    K(SCB, cm_scb, HFSR, 0xE000ED2C), K(SCB, cm_scb, DFSR, 0xE000ED30), K(SCB, cm_scb, MMFAR, 0xE000ED34),
    K(SCB, cm_scb, BFAR, 0xE000ED38), K(SCB, cm_scb, AFSR, 0xE000ED3C), K(SCB, cm_scb, CPACR, 0xE000ED88),
    K(NVIC, cm_nvic, ISER, 0xE000E100), K(NVIC, cm_nvic, ICER, 0xE000E180), K(NVIC, cm_nvic, ISPR, 0xE000E200),
    K(NVIC, cm_nvic, ICPR, 0xE000E280), K(NVIC, cm_nvic, IABR, 0xE000E300), K(NVIC, cm_nvic, IPR, 0xE000E400),
    K(NVIC, cm_nvic, STIR, 0xE000EF00),
    K(SysTick, cm_systick, CTRL, 0xE000E010), K(SysTick, cm_systick, LOAD, 0xE000E014),
    K(SysTick, cm_systick, VAL, 0xE000E018), K(SysTick, cm_systick, CALIB, 0xE000E01C),
    K(DWT, cm_dwt, CTRL, 0xE0001000), K(DWT, cm_dwt, CYCCNT, 0xE0001004), K(DWT, cm_dwt, CPICNT, 0xE0001008),
    K(DWT, cm_dwt, EXCCNT, 0xE000100C), K(DWT, cm_dwt, SLEEPCNT, 0xE0001010), K(DWT, cm_dwt, LSUCNT, 0xE0001014),
    K(DWT, cm_dwt, FOLDCNT, 0xE0001018), K(DWT, cm_dwt, PCSR, 0xE000101C),
    K(CoreDebug, cm_coredebug, DHCSR, 0xE000EDF0), K(CoreDebug, cm_coredebug, DCRSR, 0xE000EDF4),
    K(CoreDebug, cm_coredebug, DCRDR, 0xE000EDF8), K(CoreDebug, cm_coredebug, DEMCR, 0xE000EDFC),
    K(MPU, cm_mpu, TYPE, 0xE000ED90), K(MPU, cm_mpu, CTRL, 0xE000ED94), K(MPU, cm_mpu, RNR, 0xE000ED98),
    K(MPU, cm_mpu, RBAR, 0xE000ED9C), K(MPU, cm_mpu, RASR, 0xE000EDA0),
    K(FPU, cm_fpu, FPCCR, 0xE000EF34), K(FPU, cm_fpu, FPCAR, 0xE000EF38), K(FPU, cm_fpu, FPDSCR, 0xE000EF3C),
    K(FPU, cm_fpu, MVFR0, 0xE000EF40), K(FPU, cm_fpu, MVFR1, 0xE000EF44),
};

void test_core_addresses(void **state)
{
    (void)state;
    regs_failures = 0;
    for (size_t i = 0; i < sizeof core_regs / sizeof core_regs[0]; i++)
        if (core_regs[i].address != core_regs[i].expected)
            regs_fail("%s: address 0x%08lX in quartz, 0x%08X in the ARMv7-M ARM", core_regs[i].name,
                      (unsigned long)core_regs[i].address, core_regs[i].expected);
    const struct {
        const char *name;
        uintptr_t pointer, base;
    } inst[] = {
        {"SCB", (uintptr_t)SCB, SCB_BASE},       {"NVIC", (uintptr_t)NVIC, NVIC_BASE},
        {"SysTick", (uintptr_t)SysTick, SysTick_BASE}, {"DWT", (uintptr_t)DWT, DWT_BASE},
        {"CoreDebug", (uintptr_t)CoreDebug, CoreDebug_BASE}, {"MPU", (uintptr_t)MPU, MPU_BASE},
        {"FPU", (uintptr_t)FPU, FPU_BASE},
    };
    for (size_t i = 0; i < sizeof inst / sizeof inst[0]; i++)
        if (inst[i].pointer != inst[i].base)
            regs_fail("%s: instance pointer differs from its _BASE", inst[i].name);
    if (SCS_BASE != 0xE000E000UL) /* B3.2.2 */
        regs_fail("SCS_BASE: 0x%08lX in quartz, 0xE000E000 in the ARMv7-M ARM", (unsigned long)SCS_BASE);
    assert_int_equal(regs_failures, 0);
}

struct core_field {
    const char *name;
    uint32_t pos, msk, plain, want_pos, want_width;
};
#define C(g, reg, field, p, w) {#g "." #reg "." #field, g##_##reg##_##field##_Pos, g##_##reg##_##field##_Msk, g##_##reg##_##field, p, w},

static const struct core_field core_fields[] = {
#include "core_fields.def"
};

void test_core_fields(void **state)
{
    (void)state;
    regs_failures = 0;
    for (size_t i = 0; i < sizeof core_fields / sizeof core_fields[0]; i++) {
        const struct core_field *f = &core_fields[i];
        uint32_t want = (uint32_t)((((uint64_t)1 << f->want_width) - 1) << f->want_pos);
        if (f->pos != f->want_pos)
            regs_fail("%s: position %u in quartz, %u in the ARMv7-M ARM", f->name, f->pos, f->want_pos);
        else if (f->msk != want || f->plain != want)
            regs_fail("%s: mask 0x%08X in quartz, 0x%08X in the ARMv7-M ARM", f->name, f->msk, want);
    }
    assert_int_equal(regs_failures, 0);
}

/* B1.5.2 Table B1-4: exception numbers; CMSIS numbers them minus 16. */
void test_core_exceptions(void **state)
{
    (void)state;
    regs_failures = 0;
    const struct {
        const char *name;
        int irqn, exception;
    } ex[] = {
        {"NonMaskableInt", NonMaskableInt_IRQn, 2}, {"HardFault", HardFault_IRQn, 3},
        {"MemoryManagement", MemoryManagement_IRQn, 4}, {"BusFault", BusFault_IRQn, 5},
        {"UsageFault", UsageFault_IRQn, 6}, {"SVCall", SVCall_IRQn, 11},
        {"DebugMonitor", DebugMonitor_IRQn, 12}, {"PendSV", PendSV_IRQn, 14}, {"SysTick", SysTick_IRQn, 15},
    };
    for (size_t i = 0; i < sizeof ex / sizeof ex[0]; i++)
        if (ex[i].irqn + 16 != ex[i].exception)
            regs_fail("%s_IRQn: %d in quartz, exception %d in the ARMv7-M ARM", ex[i].name, ex[i].irqn,
                      ex[i].exception);
    if (SCB_AIRCR_VECTKEY_VALUE != 0x05FAUL) /* B3.2.6 */
        regs_fail("SCB_AIRCR_VECTKEY_VALUE: must be 0x05FA");
    if (NVIC_PRIO_BITS != 4U) /* RM0390 10.1: 16 programmable priority levels; SVD nvicPrioBits */
        regs_fail("NVIC_PRIO_BITS: must be 4");
    assert_int_equal(regs_failures, 0);
}
