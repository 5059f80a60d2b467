/*
 * Probe sections for the Cortex-M4 core: SVC, PendSV, NVIC preemption,
 * BASEPRI, PRIMASK, tail-chaining order, priority grouping and the number of
 * implemented priority bits. References: ARMv7-M ARM (DDI 0403E) B1.5
 * (exceptions), B3.2 (SCB), B3.4 (NVIC); ST PM0214 4.2-4.4; RM0390 10.1.
 */
#include <stdint.h>

#include "console.h"
#include "probe.h"
#include "stm32f446/regs.h"

/* System handler priority bytes: SHPR[n] is exception n + 4 (B3.2.10). */
#define SHPR_SVCALL 7
#define SHPR_PENDSV 10

/* Interrupts with no peripheral behind them in either model; the probe pends
 * them from software through NVIC_ISPR. */
enum { SOFT_IRQS = 6 };
static const char *const soft_name[SOFT_IRQS] = {
    "WWDG_IRQHandler", "PVD_IRQHandler", "TAMP_STAMP_IRQHandler",
    "RTC_WKUP_IRQHandler", "FLASH_IRQHandler", "RCC_IRQHandler",
};
static void (*volatile soft_hook[SOFT_IRQS])(void);

void svc_dispatch(const uint32_t *frame);

__attribute__((naked)) void SVC_Handler(void)
{
    /* Hand the stacked frame (B1.5.6) to C; EXC_RETURN bit 2 says which
     * stack the caller used. */
    __asm volatile("tst lr, #4\n\t"
                   "ite eq\n\t"
                   "mrseq r0, msp\n\t"
                   "mrsne r0, psp\n\t"
                   "b svc_dispatch\n\t");
}

void svc_dispatch(const uint32_t *frame)
{
    /* The stacked PC follows the SVC; its imm8 is the low byte of the 16-bit
     * encoding just before (A7.7.175). */
    const uint16_t *after = (const uint16_t *)frame[6];
    log_value("SVC_Handler imm=", after[-1] & 0xFFU);
    log_value("SVC_Handler IPSR=", __get_IPSR());
    SCB->ICSR = SCB_ICSR_PENDSVSET;
    __DSB();
    __ISB();
    log_value("SVC_Handler PendSV pending, not taken (lower priority)=",
              (SCB->ICSR & SCB_ICSR_PENDSVSET) ? 1U : 0U);
}

void PendSV_Handler(void)
{
    log_value("PendSV_Handler IPSR=", __get_IPSR());
}

static void soft_irq(int irq)
{
    log_event(soft_name[irq]);
    void (*hook)(void) = soft_hook[irq];
    if (hook != 0) {
        hook();
    }
}

void WWDG_IRQHandler(void) { soft_irq(WWDG_IRQn); }
void PVD_IRQHandler(void) { soft_irq(PVD_IRQn); }
void TAMP_STAMP_IRQHandler(void) { soft_irq(TAMP_STAMP_IRQn); }
void RTC_WKUP_IRQHandler(void) { soft_irq(RTC_WKUP_IRQn); }
void FLASH_IRQHandler(void) { soft_irq(FLASH_IRQn); }
void RCC_IRQHandler(void) { soft_irq(RCC_IRQn); }

/* prio: WWDG, PVD, TAMP_STAMP, RTC_WKUP, FLASH, RCC */
static void soft_setup(uint8_t p0, uint8_t p1, uint8_t p2, uint8_t p3, uint8_t p4, uint8_t p5)
{
    const uint8_t prio[SOFT_IRQS] = { p0, p1, p2, p3, p4, p5 };
    for (int irq = 0; irq < SOFT_IRQS; irq++) {
        soft_hook[irq] = 0;
        irq_setup(irq, prio[irq]);
    }
}

static void soft_teardown(void)
{
    for (int irq = 0; irq < SOFT_IRQS; irq++) {
        irq_off(irq);
        soft_hook[irq] = 0;
    }
}

static void test_svc_pendsv(void)
{
    probe_section("svc and pendsv");
    SCB->SHPR[SHPR_SVCALL] = PRIO_HIGH;
    SCB->SHPR[SHPR_PENDSV] = PRIO_LOWEST;
    log_value("thread IPSR=", __get_IPSR());
    log_event("thread: svc #7");
    __asm volatile("svc #7" ::: "memory");
    log_event("thread: after svc");
    log_event("thread: set ICSR.PENDSVSET");
    SCB->ICSR = SCB_ICSR_PENDSVSET;
    __DSB();
    __ISB();
    log_event("thread: after PENDSVSET");
}

/* ---- preemption: a low-priority handler pends a same and a higher one ---- */

static void preempt_flash(void)
{
    log_event("FLASH: pend RCC (same priority 0xc0)");
    irq_pend(RCC_IRQn);
    log_value("FLASH: RCC pending=", irq_pending(RCC_IRQn));
    log_event("FLASH: pend RTC_WKUP (higher priority 0x40)");
    irq_pend(RTC_WKUP_IRQn);
    log_event("FLASH: return");
}

static void preempt_rtc(void)
{
    log_value("RTC_WKUP: IPSR=", __get_IPSR());
    log_value("RTC_WKUP: FLASH active=", irq_active(FLASH_IRQn));
}

static void preempt_rcc(void)
{
    log_value("RCC: FLASH active=", irq_active(FLASH_IRQn));
}

static void test_preemption(void)
{
    probe_section("preemption");
    soft_setup(PRIO_MID, PRIO_MID, PRIO_MID, PRIO_HIGH, PRIO_LOW, PRIO_LOW);
    soft_hook[FLASH_IRQn] = preempt_flash;
    soft_hook[RTC_WKUP_IRQn] = preempt_rtc;
    soft_hook[RCC_IRQn] = preempt_rcc;
    log_event("thread: pend FLASH (0xc0)");
    irq_pend(FLASH_IRQn);
    log_event("thread: back");
    soft_teardown();
}

/* ---- BASEPRI masks priority values >= BASEPRI (B1.4.3, PM0214 2.1.3) ---- */

static void test_basepri(void)
{
    probe_section("basepri");
    soft_setup(PRIO_MID, PRIO_MID, PRIO_MID, PRIO_HIGH, PRIO_LOW, PRIO_LOW);
    basepri_set(PRIO_MID);
    log_hex("thread: BASEPRI=", __get_BASEPRI());
    log_event("thread: pend FLASH (0xc0, masked)");
    irq_pend(FLASH_IRQn);
    log_value("thread: FLASH pending=", irq_pending(FLASH_IRQn));
    log_event("thread: pend RTC_WKUP (0x40, not masked)");
    irq_pend(RTC_WKUP_IRQn);
    log_event("thread: set BASEPRI=0xc0 (equal value stays masked)");
    basepri_set(PRIO_LOW);
    log_value("thread: FLASH pending=", irq_pending(FLASH_IRQn));
    log_event("thread: set BASEPRI=0xd0");
    basepri_set(0xD0U);
    log_event("thread: set BASEPRI=0");
    basepri_set(0U);
    soft_teardown();
}

/* ---- several pending at once: taken in priority order, tail-chained ---- */

static void test_tail_chain(void)
{
    probe_section("tail-chain by priority");
    soft_setup(PRIO_LOW, PRIO_MID, PRIO_HIGH, PRIO_MID, PRIO_MID, PRIO_MID);
    __disable_irq();
    log_event("thread: PRIMASK=1, pend WWDG(0xc0) PVD(0x80) TAMP_STAMP(0x40)");
    irq_pend(WWDG_IRQn);
    irq_pend(PVD_IRQn);
    irq_pend(TAMP_STAMP_IRQn);
    log_value("thread: ICSR.VECTPENDING=",
              (SCB->ICSR & SCB_ICSR_VECTPENDING) >> SCB_ICSR_VECTPENDING_Pos);
    log_event("thread: PRIMASK=0");
    irq_unmask();
    log_event("thread: back");
    soft_teardown();
}

/* ---- equal priority: the lower exception number first (B1.5.4) ---- */

static void late_wwdg(void)
{
    log_event("WWDG: pend RCC then FLASH (both 0x80)");
    irq_pend(RCC_IRQn);
    irq_pend(FLASH_IRQn);
    log_event("WWDG: return");
}

static void test_equal_priority(void)
{
    probe_section("equal priority by number");
    soft_setup(PRIO_HIGH, PRIO_MID, PRIO_MID, PRIO_MID, PRIO_MID, PRIO_MID);
    __disable_irq();
    log_event("thread: PRIMASK=1, pend RCC FLASH PVD (all 0x80)");
    irq_pend(RCC_IRQn);
    irq_pend(FLASH_IRQn);
    irq_pend(PVD_IRQn);
    log_event("thread: PRIMASK=0");
    irq_unmask();
    soft_hook[WWDG_IRQn] = late_wwdg;
    log_event("thread: pend WWDG (0x40)");
    irq_pend(WWDG_IRQn);
    log_event("thread: back");
    soft_teardown();
}

/* ---- AIRCR.PRIGROUP=5: group = bits[7:6], subpriority = bits[5:4] ---- */

static void group_rcc(void)
{
    log_event("RCC: pend WWDG (0x40, same group 1)");
    irq_pend(WWDG_IRQn);
    log_value("RCC: WWDG pending=", irq_pending(WWDG_IRQn));
    log_event("RCC: pend PVD (0x00, group 0)");
    irq_pend(PVD_IRQn);
    log_event("RCC: return");
}

static void aircr_prigroup(uint32_t group)
{
    SCB->AIRCR = (SCB_AIRCR_VECTKEY_VALUE << SCB_AIRCR_VECTKEY_Pos) |
                 (group << SCB_AIRCR_PRIGROUP_Pos);
    __DSB();
}

static void test_grouping(void)
{
    probe_section("priority grouping");
    soft_setup(0x40U, 0x00U, PRIO_MID, PRIO_MID, 0x70U, 0x60U);
    aircr_prigroup(5U);
    log_value("thread: AIRCR.PRIGROUP=",
              (SCB->AIRCR & SCB_AIRCR_PRIGROUP) >> SCB_AIRCR_PRIGROUP_Pos);
    soft_hook[RCC_IRQn] = group_rcc;
    __disable_irq();
    log_event("thread: PRIMASK=1, pend FLASH(0x70) RCC(0x60)");
    irq_pend(FLASH_IRQn);
    irq_pend(RCC_IRQn);
    log_event("thread: PRIMASK=0");
    irq_unmask();
    log_event("thread: back");
    aircr_prigroup(0U);
    soft_teardown();
}

/* ---- 4 implemented priority bits: [3:0] read as zero (PM0214 4.2.7) ---- */

static void test_priority_bits(void)
{
    probe_section("priority bits");
    NVIC->IPR[WWDG_IRQn] = 0xFFU;
    log_hex("[dev:prio-bits] NVIC IPR0 after writing 0xff=", NVIC->IPR[WWDG_IRQn]);
    NVIC->IPR[WWDG_IRQn] = 0U;
    SCB->SHPR[SHPR_PENDSV] = 0xFFU;
    log_hex("[dev:prio-bits] SHPR PendSV after writing 0xff=", SCB->SHPR[SHPR_PENDSV]);
    SCB->SHPR[SHPR_PENDSV] = PRIO_LOWEST;
    basepri_set(0xFFU);
    log_hex("[dev:prio-bits] BASEPRI after writing 0xff=", __get_BASEPRI());
    basepri_set(0U);
}

void probe_core_tests(void)
{
    test_svc_pendsv();
    test_preemption();
    test_basepri();
    test_tail_chain();
    test_equal_priority();
    test_grouping();
    test_priority_bits();
}
