/*
 * FP state test image (ARMv7-M B1.4.4 CONTROL, B1.5.7 FP context on
 * exception entry, B3.2.21-B3.2.22 FPCCR/FPCAR; PM0214 4.6):
 *   - a VCMP whose flags an interrupt handler's own VCMP would change is
 *     read by VMRS after the interrupt returns: the branch must go by the
 *     interrupted context's FPSCR;
 *   - FPCCR and FPCAR in handlers entered with an extended frame, before
 *     and after their first FP instruction (lazy stacking, LSPEN = 1), from
 *     privileged and from unprivileged Thread mode, and with LSPEN = 0;
 *   - CONTROL read back after FP use: FPCA, nothing above bit 2.
 * Interrupts are software-pended CAN1 vectors (nothing on the board raises them).
 */
#include <stdint.h>

#include "cortex_m/core.h"
#include "cortex_m/intrinsics.h"
#include "results.h"

#define IRQ_CMP 19   /* CAN1_TX: changes the FP flags */
#define IRQ_FPCCR 20 /* CAN1_RX0: records FPCCR/FPCAR */

volatile struct fp_results res;
static volatile uint32_t phase;

static void pend(int irq)
{
    NVIC->ISPR[irq / 32] = 1UL << (irq % 32);
    __DSB();
    __ISB();
}

void CAN1_TX_IRQHandler(void)
{
    /* equal operands: FPSCR.NZCV = 0110, unlike the interrupted VCMP's 1000 */
    uint32_t fpscr;
    __asm volatile("vcmp.f32 s2, s2\n vmrs %0, fpscr\n" : "=r"(fpscr) : : "s2");
    res.handler_fpscr = fpscr;
}

/* Records FPCCR and FPCAR as entered, then runs an FP instruction. */
void fpccr_c(uint32_t *frame);
void fpccr_c(uint32_t *frame)
{
    uint32_t fpccr = FPU->FPCCR;
    if (phase == 1) {
        res.fpccr_entry = fpccr;
        res.fpcar_entry = FPU->FPCAR;
        res.frame_fp_area = (uint32_t)&frame[8];
        res.control_in_handler = __get_CONTROL();
        uint32_t s0;
        __asm volatile("vmov %0, s0" : "=r"(s0)); /* lazy stacking happens here */
        res.fpccr_after_fp = FPU->FPCCR;
        res.stacked_s0 = frame[8];
        res.control_in_handler |= __get_CONTROL() << 8;
        (void)s0;
    } else if (phase == 2) {
        res.fpccr_unpriv = fpccr;
    } else if (phase == 3) {
        res.fpccr_eager = fpccr;
        res.eager_stacked_s0 = frame[8]; /* written at entry: no FP instruction needed */
    }
}

#define FRAME_TO(fn) "tst lr, #4\n ite eq\n mrseq r0, msp\n mrsne r0, psp\n b " fn "\n"
__attribute__((naked)) void CAN1_RX0_IRQHandler(void) { __asm volatile(FRAME_TO("fpccr_c")); }
__attribute__((naked)) void SVC_Handler(void) { __asm volatile(FRAME_TO("svc_c")); }

void svc_c(uint32_t *frame);
void svc_c(uint32_t *frame)
{
    if (((const uint8_t *)frame[6])[-2] == 2)
        __set_CONTROL(__get_CONTROL() & ~1u);
    else
        fpccr_c(frame);
}

static void load_s0(uint32_t bits)
{
    __asm volatile("vmov s0, %0\n" : : "r"(bits) : "s0");
}

int main(void)
{
    res.magic0 = PRIV_MAGIC0;
    res.magic1 = PRIV_MAGIC1;
    SCB->SHCSR |= SCB_SHCSR_BUSFAULTENA_Msk;
    NVIC->IPR[IRQ_CMP] = 0x40;
    NVIC->IPR[IRQ_FPCCR] = 0x40;
    NVIC->ISER[0] = (1UL << IRQ_CMP) | (1UL << IRQ_FPCCR);

    /* 1.0 < 2.0: N = 1; the interrupt comes between VCMP and VMRS (CPSIE
     * unmasks it, the ISB makes sure it is taken there) */
    uint32_t taken, before, after, one = 0x3F800000u, two = 0x40000000u;
    __disable_irq();
    NVIC->ISPR[0] = 1UL << IRQ_CMP;
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
    res.fpscr_before = before;
    res.fpscr_after = after;
    res.branch_taken = taken;

    /* CONTROL after FP use in Thread mode: FPCA only */
    res.control_after_fp = __get_CONTROL();

    /* writing CONTROL back as read keeps the FP context: FPSCR survives
     * the next FP instruction */
    uint32_t fpscr_msr;
    __asm volatile("vmov s0, %1\n"
                   "vmov s1, %2\n"
                   "vcmp.f32 s0, s1\n"
                   "mrs r1, control\n"
                   "isb\n" /* MSR in another block than MRS */
                   "msr control, r1\n"
                   "isb\n"
                   "vmov.f32 s2, s1\n"
                   "vmrs %0, fpscr\n"
                   : "=r"(fpscr_msr)
                   : "r"(one), "r"(two)
                   : "r1", "s0", "s1", "s2", "memory");
    res.fpscr_after_msr = fpscr_msr;

    /* FPCCR/FPCAR, lazy (reset: ASPEN | LSPEN), privileged Thread mode */
    phase = 1;
    res.s0_expected = 0x40490FDBu; /* pi */
    load_s0(res.s0_expected);
    pend(IRQ_FPCCR);

    /* from unprivileged Thread mode (on MSP): FPCCR.USER */
    phase = 2;
    __set_CONTROL(__get_CONTROL() | 1u);
    __ISB();
    load_s0(0x3F800000u);
    uint32_t control_unpriv, fpscr_unpriv;
    __asm volatile("vcmp.f32 s0, s0\n"
                   "mrs %0, control\n"
                   "isb\n"
                   "vmrs %1, fpscr\n"
                   : "=r"(control_unpriv), "=r"(fpscr_unpriv)
                   :
                   : "memory");
    res.control_unpriv = control_unpriv;
    res.fpscr_unpriv = fpscr_unpriv;
    __asm volatile("svc #1" ::: "memory"); /* its handler runs no FP instruction */
    __asm volatile("svc #2" ::: "memory"); /* privileged again */
    res.fpccr_thread_return = FPU->FPCCR;
    __ISB();

    /* LSPEN = 0: the FP registers are stacked at entry */
    phase = 3;
    FPU->FPCCR = FPU_FPCCR_ASPEN_Msk;
    load_s0(0x40000000u);
    pend(IRQ_FPCCR);

    res.done = 1;
    for (;;)
        __WFI();
}
