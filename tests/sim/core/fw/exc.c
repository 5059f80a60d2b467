/*
 * Core test image: exception entry/return with basic and FP frames, SVC,
 * PendSV, tail-chaining order, preemption by priority, BASEPRI masking,
 * SysTick period and DWT CYCCNT (ARMv7-M B1.5, B3.3, C1.8). Software-pended
 * interrupts use CAN1 vectors, which nothing on the board raises.
 */
#include <stdint.h>

#include "cortex_m/core.h"
#include "cortex_m/intrinsics.h"
#include "results.h"

#define IRQ_A 19 /* CAN1_TX */
#define IRQ_B 20 /* CAN1_RX0 */
#define IRQ_C 21 /* CAN1_RX1 */

volatile struct core_results res;
static volatile uint32_t phase;
static volatile uint32_t ticks;

static void log_event(uint8_t c)
{
    if (res.log_len < RESULTS_LOG)
        res.log[res.log_len++] = c;
}

static void pend(int irq)
{
    NVIC->ISPR[irq / 32] = 1UL << (irq % 32);
}

static void prio(int irq, uint8_t p)
{
    NVIC->IPR[irq] = p;
}

/* ---- SVC: the frame pointer comes from EXC_RETURN bit 2 ----------------- */

void svc_c(uint32_t *frame);
void svc_c(uint32_t *frame)
{
    res.svc_r0 = frame[0];
    res.svc_pc = frame[6];
    res.svc_number = ((const uint8_t *)frame[6])[-2];
}

__attribute__((naked)) void SVC_Handler(void)
{
    __asm volatile("tst lr, #4\n ite eq\n mrseq r0, msp\n mrsne r0, psp\n b svc_c\n");
}

/* ---- PendSV: records EXC_RETURN and the stacked S0 ---------------------- */

void pendsv_c(uint32_t *frame, uint32_t exc_return);
void pendsv_c(uint32_t *frame, uint32_t exc_return)
{
    log_event('P');
    if (phase == 1) {
        res.lr_basic = exc_return;
        res.sp_aligned = ((uint32_t)frame & 7u) == 0;
        res.xpsr_align_bit = (frame[7] >> 9) & 1u;
    } else if (phase == 2) {
        /* Lazy stacking (FPCCR.LSPEN = 1 at reset, B1.5.7): the FP area of
         * the frame is written at the handler's first FP instruction. */
        __asm volatile("vmov r2, s0" ::: "r2");
        res.lr_fp = exc_return;
        res.fp_s0 = frame[8];
    }
}

__attribute__((naked)) void PendSV_Handler(void)
{
    __asm volatile("tst lr, #4\n ite eq\n mrseq r0, msp\n mrsne r0, psp\n mov r1, lr\n b pendsv_c\n");
}

/* ---- software interrupts ------------------------------------------------ */

void CAN1_TX_IRQHandler(void)
{
    log_event('A');
    res.vectactive = SCB->ICSR & SCB_ICSR_VECTACTIVE_Msk;
    if (phase == 4) {
        pend(IRQ_B); /* higher priority: preempts at once */
        __DSB();
        __ISB();
        pend(IRQ_C); /* lower: waits for A to return */
        __DSB();
        __ISB();
    }
    if (phase == 5)
        res.masked_runs++;
    log_event('a');
}

void CAN1_RX0_IRQHandler(void)
{
    log_event('B');
    if (phase == 5)
        res.unmasked_runs++;
}

void CAN1_RX1_IRQHandler(void)
{
    log_event('C');
}

void SysTick_Handler(void)
{
    if (ticks < 4)
        res.tick_cycles[ticks] = DWT->CYCCNT;
    ticks++;
}

static void pendsv_now(void)
{
    SCB->ICSR = SCB_ICSR_PENDSVSET_Msk;
    __DSB();
    __ISB();
}

int main(void)
{
    res.magic0 = RESULTS_MAGIC0;
    res.magic1 = RESULTS_MAGIC1;
    CoreDebug->DEMCR |= CoreDebug_DEMCR_TRCENA_Msk;
    DWT->CYCCNT = 0;
    DWT->CTRL |= DWT_CTRL_CYCCNTENA_Msk;

    /* SVC #7 with r0 = 0x1234 */
    register uint32_t r0 __asm("r0") = 0x1234;
    __asm volatile("svc #7\n.global svc_after\nsvc_after:\n" : "+r"(r0) : : "memory");
    extern const char svc_after[];
    res.svc_expected_pc = (uint32_t)svc_after & ~1u;

    /* basic frame: clear CONTROL.FPCA first; misalign SP by 4 to see the realignment */
    __set_CONTROL(__get_CONTROL() & ~4u);
    __ISB();
    phase = 1;
    __asm volatile("sub sp, #4\n" ::: "memory");
    pendsv_now();
    __asm volatile("add sp, #4\n" ::: "memory");

    /* FP frame: an FP instruction sets CONTROL.FPCA */
    phase = 2;
    float f = 1.5f;
    __asm volatile("vmov s0, %0\n vadd.f32 s0, s0, s0\n" : : "r"(f) : "s0");
    res.fp_s0_expected = 0x40400000u; /* 3.0f */
    pendsv_now();

    /* tail-chaining: three pend while PRIMASK is set, taken by priority */
    phase = 3;
    prio(IRQ_A, 0x40);
    prio(IRQ_B, 0x20);
    prio(IRQ_C, 0x60);
    SCB->SHPR[14 - 4] = 0xF0; /* PendSV lowest */
    NVIC->ISER[0] = (1UL << IRQ_A) | (1UL << IRQ_B) | (1UL << IRQ_C);
    __disable_irq();
    pend(IRQ_C);
    pend(IRQ_A);
    SCB->ICSR = SCB_ICSR_PENDSVSET_Msk;
    pend(IRQ_B);
    __enable_irq();
    __ISB();
    log_event('|');

    /* preemption: A (0x40) pends B (0x20, preempts) and C (0x60, waits) */
    phase = 4;
    pend(IRQ_A);
    __DSB();
    __ISB();
    log_event('|');

    /* BASEPRI 0x40 masks A (0x40) but not B (0x20) */
    phase = 5;
    __set_BASEPRI(0x40);
    pend(IRQ_A);
    pend(IRQ_B);
    __DSB();
    __ISB();
    res.basepri_after = res.masked_runs;
    __set_BASEPRI(0);
    __ISB();
    phase = 6;

    /* 100 NOPs under CYCCNT; the ISBs end the simulator's blocks, whose
     * cycles a register read sees all at once (docs/simulator.md) */
    uint32_t t0 = DWT->CYCCNT;
    __ISB();
    __asm volatile(".rept 100\n nop\n .endr\n");
    __ISB();
    uint32_t t1 = DWT->CYCCNT;
    __ISB();
    res.nop_cycles = t1 - t0;

    /* SysTick from HCLK (16 MHz HSI at reset), 1 ms, busy-waiting so CYCCNT runs */
    SysTick->LOAD = 15999;
    SysTick->VAL = 0;
    SysTick->CTRL = SysTick_CTRL_CLKSOURCE_Msk | SysTick_CTRL_TICKINT_Msk | SysTick_CTRL_ENABLE_Msk;
    while (ticks < 5) {
    }
    SysTick->CTRL = 0;
    res.done = 1;
    for (;;)
        __WFI();
}
