/*
 * QEMU / quartz-sim cross-check probe 2: privilege and FP state.
 *
 * Unprivileged Thread mode (CONTROL.nPRIV = 1, on PSP) takes an SVC, an
 * interrupt and a fault and returns there; its accesses to the System
 * Control Space fault (precise BusFault, BFAR) and have no effect, except
 * STIR while CCR.USERSETMPEND = 1. Then the FP context across exceptions:
 * a float compare straddling an interrupt, FPCCR/FPCAR with lazy stacking,
 * CONTROL read back. References: ARMv7-M ARM (DDI 0403E) B1.4.4 CONTROL,
 * B1.5.6-B1.5.8 entry/return, B1.5.7 FP context, B3.2 SCS, B3.2.21-22
 * FPCCR/FPCAR; PM0214 4.6.
 *
 * Printed values are those the manuals fix (no addresses, no times): frame
 * positions are printed as "on PSP=1", FPCAR as its offset from the frame.
 * Lines tagged "[dev:<name>]" depend on a known QEMU deviation
 * (docs/qemu-crosscheck.md).
 */
#include <stdint.h>

#include "../probe/console.h"
#include "cortex_m/core.h"
#include "cortex_m/intrinsics.h"

#define IRQ_SOFT 3  /* RTC_WKUP: nothing raises it in either model */
#define IRQ_FP 4    /* FLASH */
#define PSP_WORDS 256U

static uint64_t psp_stack[PSP_WORDS / 2];
static volatile uint32_t phase;
static volatile uint32_t fault_seen;

static uint32_t on_psp(uint32_t addr)
{
    return addr >= (uint32_t)&psp_stack[0] && addr < (uint32_t)&psp_stack[PSP_WORDS / 2];
}

static uint32_t insn_len(uint32_t pc)
{
    uint16_t hw = *(const uint16_t *)pc;
    return (hw >> 11) >= 0x1D ? 4U : 2U;
}

static void section(const char *title)
{
    log_flush();
    console_puts("== ");
    console_puts(title);
    console_puts("\n");
}

/*
 * FPCCR in two lines: every bit but 10, and bit 10 alone, which ARMv7-M
 * reserves (B3.2.21) and QEMU sets as v8-M's UFRDY ([dev:fpccr-ufrdy]).
 */
#define FPCCR_BIT10 (1U << 10)

static void log_fpccr(const char *text, const char *bit10_text)
{
    uint32_t fpccr = FPU->FPCCR;
    log_hex(text, fpccr & ~FPCCR_BIT10);
    log_value(bit10_text, (fpccr & FPCCR_BIT10) ? 1U : 0U);
}

/* ---- handlers ----------------------------------------------------------- */

void svc_c(uint32_t *frame, uint32_t exc_return);
void svc_c(uint32_t *frame, uint32_t exc_return)
{
    uint32_t imm = ((const uint8_t *)frame[6])[-2];
    log_value("SVC_Handler imm=", imm);
    switch (imm) {
    case 1:
        log_hex("SVC_Handler EXC_RETURN=", exc_return);
        log_hex("SVC_Handler CONTROL=", __get_CONTROL());
        log_value("SVC_Handler frame on PSP=", on_psp((uint32_t)frame));
        log_hex("SVC_Handler stacked r0=", frame[0]);
        break;
    case 2: __set_CONTROL(__get_CONTROL() & ~1U); break; /* privileged again */
    case 3: SCB->CCR &= ~SCB_CCR_USERSETMPEND_Msk; break;
    case 4: log_fpccr("SVC_Handler FPCCR=", "[dev:fpccr-ufrdy] SVC_Handler FPCCR bit 10="); break;
    default: break;
    }
}

void bus_c(uint32_t *frame, uint32_t exc_return);
void bus_c(uint32_t *frame, uint32_t exc_return)
{
    uint32_t cfsr = SCB->CFSR;
    log_hex("BusFault_Handler CFSR=", cfsr);
    log_hex("BusFault_Handler BFAR=", SCB->BFAR);
    log_hex("BusFault_Handler EXC_RETURN=", exc_return);
    SCB->CFSR = cfsr;
    frame[6] += insn_len(frame[6]);
    fault_seen++;
}

void usage_c(uint32_t *frame, uint32_t exc_return);
void usage_c(uint32_t *frame, uint32_t exc_return)
{
    uint32_t cfsr = SCB->CFSR;
    log_hex("UsageFault_Handler CFSR=", cfsr);
    log_hex("UsageFault_Handler EXC_RETURN=", exc_return);
    log_value("UsageFault_Handler frame on PSP=", on_psp((uint32_t)frame));
    SCB->CFSR = cfsr;
    frame[6] += insn_len(frame[6]);
}

void fp_c(uint32_t *frame, uint32_t exc_return);
void fp_c(uint32_t *frame, uint32_t exc_return)
{
    if (phase == 1) {
        /* equal operands: NZCV = 0110, unlike the interrupted compare's 1000 */
        uint32_t fpscr;
        __asm volatile("vcmp.f32 s2, s2\n vmrs %0, fpscr\n" : "=r"(fpscr) : : "s2");
        log_hex("FLASH_IRQHandler FPSCR.NZCV=", fpscr >> 28);
        return;
    }
    log_hex("FLASH_IRQHandler EXC_RETURN=", exc_return);
    log_hex("FLASH_IRQHandler CONTROL=", __get_CONTROL());
    log_fpccr("FLASH_IRQHandler FPCCR=", "[dev:fpccr-ufrdy] FLASH_IRQHandler FPCCR bit 10=");
    if (phase == 2) {
        log_hex("FLASH_IRQHandler FPCAR - frame=", FPU->FPCAR - (uint32_t)frame);
        uint32_t s0;
        __asm volatile("vmov %0, s0" : "=r"(s0)); /* lazy stacking happens here */
        log_fpccr("FLASH_IRQHandler after VMOV FPCCR=", "[dev:fpccr-ufrdy] FLASH_IRQHandler after VMOV FPCCR bit 10=");
        log_hex("FLASH_IRQHandler after VMOV CONTROL=", __get_CONTROL());
        log_hex("FLASH_IRQHandler stacked S0=", frame[8]);
        log_hex("FLASH_IRQHandler stacked FPSCR=", frame[24]);
    } else {
        log_hex("FLASH_IRQHandler stacked S0 (LSPEN=0)=", frame[8]);
    }
}

void RTC_WKUP_IRQHandler(void)
{
    log_event("RTC_WKUP_IRQHandler");
}

#define FRAME_TO(fn) "tst lr, #4\n ite eq\n mrseq r0, msp\n mrsne r0, psp\n mov r1, lr\n b " fn "\n"
__attribute__((naked)) void SVC_Handler(void) { __asm volatile(FRAME_TO("svc_c")); }
__attribute__((naked)) void BusFault_Handler(void) { __asm volatile(FRAME_TO("bus_c")); }
__attribute__((naked)) void UsageFault_Handler(void) { __asm volatile(FRAME_TO("usage_c")); }
__attribute__((naked)) void FLASH_IRQHandler(void) { __asm volatile(FRAME_TO("fp_c")); }

/* ---- unprivileged Thread mode ------------------------------------------- */

static uint32_t sp_now(void)
{
    uint32_t sp;
    __asm volatile("mov %0, sp" : "=r"(sp));
    return sp;
}

/* An unprivileged word access; logs whether it faulted and what it read. */
static void try_read(const char *what, volatile uint32_t *reg)
{
    uint32_t v = 0xAAAAAAAAU, before = fault_seen;
    __asm volatile("ldr %0, [%1]" : "+r"(v) : "r"(reg) : "memory");
    log_event(what);
    log_value("thread: faulted=", fault_seen - before);
    log_hex("thread: register unchanged by the load=", v == 0xAAAAAAAAU);
}

static void try_write(const char *what, volatile uint32_t *reg, uint32_t value)
{
    uint32_t before = fault_seen;
    __asm volatile("str %0, [%1]\n dsb\n isb" : : "r"(value), "r"(reg) : "memory");
    log_event(what);
    log_value("thread: faulted=", fault_seen - before);
}

void unprivileged(void);
void unprivileged(void)
{
    log_hex("thread: CONTROL=", __get_CONTROL());
    log_value("thread: SP on PSP=", on_psp(sp_now()));
    register uint32_t r0 __asm("r0") = 0x55;
    __asm volatile("svc #1" : "+r"(r0) : : "memory");
    log_hex("thread: after svc CONTROL=", __get_CONTROL());
    log_value("thread: after svc SP on PSP=", on_psp(sp_now()));

    section("unprivileged fault");
    __asm volatile("udf #1" ::: "memory");
    log_hex("thread: after fault CONTROL=", __get_CONTROL());

    section("unprivileged SCS access");
    try_read("thread: read CPUID", &SCB->CPUID);
    try_write("thread: write VTOR", &SCB->VTOR, 0x20000000U);
    try_write("thread: write NVIC_ISER0", &NVIC->ISER[0], 1U << IRQ_FP);
    try_read("thread: read SYST_CVR", &SysTick->VAL);
    try_write("thread: STIR with USERSETMPEND=1", &NVIC->STIR, IRQ_SOFT);
    __asm volatile("svc #3" ::: "memory");
    try_write("thread: STIR with USERSETMPEND=0", &NVIC->STIR, IRQ_SOFT);

    section("FPCCR from unprivileged code");
    __asm volatile("vmov s0, %0" : : "r"(0x3F800000U) : "s0");
    __asm volatile("svc #4" ::: "memory");
    __asm volatile("svc #2" ::: "memory");
    __ISB();
    log_hex("thread: privileged again CONTROL=", __get_CONTROL());
    log_fpccr("thread: FPCCR=", "[dev:fpccr-ufrdy] thread: FPCCR bit 10=");
}

static void pend(int irq)
{
    NVIC->ISPR[irq >> 5] = 1UL << (irq & 31);
    __DSB();
    __ISB();
}

static void fp_tests(void)
{
    section("FPSCR across an interrupt");
    phase = 1;
    uint32_t taken, before, after, one = 0x3F800000U, two = 0x40000000U;
    __disable_irq();
    NVIC->ISPR[0] = 1UL << IRQ_FP;
    __asm volatile("vmov s0, %3\n"
                   "vmov s1, %4\n"
                   "vcmp.f32 s0, s1\n"
                   "vmrs %1, fpscr\n"
                   "cpsie i\n"
                   "isb\n"
                   "vmrs APSR_nzcv, fpscr\n"
                   "ite lt\n"
                   "movlt %0, #1\n"
                   "movge %0, #0\n"
                   "vmrs %2, fpscr\n"
                   : "=&r"(taken), "=&r"(before), "=&r"(after)
                   : "r"(one), "r"(two)
                   : "s0", "s1", "cc", "memory");
    log_hex("thread: FPSCR.NZCV before=", before >> 28);
    log_hex("thread: FPSCR.NZCV after=", after >> 28);
    log_value("thread: 1.0 < 2.0 branch taken=", taken);
    log_hex("thread: CONTROL=", __get_CONTROL());

    section("lazy FP stacking");
    phase = 2;
    __asm volatile("vmov s0, %0" : : "r"(0x40490FDBU) : "s0");
    pend(IRQ_FP);
    log_fpccr("thread: FPCCR=", "[dev:fpccr-ufrdy] thread: FPCCR bit 10=");

    section("FPCCR.LSPEN=0");
    phase = 3;
    FPU->FPCCR = FPU_FPCCR_ASPEN_Msk;
    __asm volatile("vmov s0, %0" : : "r"(0x40000000U) : "s0");
    pend(IRQ_FP);
    log_fpccr("thread: FPCCR=", "[dev:fpccr-ufrdy] thread: FPCCR bit 10=");
    FPU->FPCCR = FPU_FPCCR_ASPEN_Msk | FPU_FPCCR_LSPEN_Msk;
}

int main(void)
{
    console_init();
    console_puts("quartz cross-check probe 2 (privilege, FP state)\n");
    SCB->SHCSR |= SCB_SHCSR_BUSFAULTENA_Msk | SCB_SHCSR_USGFAULTENA_Msk;
    SCB->CCR |= SCB_CCR_USERSETMPEND_Msk;
    NVIC->IPR[IRQ_SOFT] = 0x80;
    NVIC->IPR[IRQ_FP] = 0x80;
    NVIC->ISER[0] = (1UL << IRQ_SOFT) | (1UL << IRQ_FP);
    uint32_t vtor = SCB->VTOR;

    section("unprivileged svc");
    /* CONTROL = SPSEL | nPRIV (B1.4.4), in one asm statement so the compiler
     * keeps nothing on the MSP it leaves; back on MSP afterwards (privileged
     * again by then) */
    __asm volatile("mov r4, sp\n"
                   "msr psp, %0\n"
                   "movs r1, #3\n"
                   "msr control, r1\n"
                   "isb\n"
                   "bl unprivileged\n"
                   "movs r1, #0\n"
                   "msr control, r1\n"
                   "isb\n"
                   "mov sp, r4\n"
                   :
                   : "r"(&psp_stack[PSP_WORDS / 2])
                   : "r1", "r4", "lr", "memory");
    log_value("thread: VTOR unchanged=", SCB->VTOR == vtor);

    fp_tests();
    log_flush();
    console_puts("END\n");
    console_drain();
    for (;;)
        __WFI();
}
