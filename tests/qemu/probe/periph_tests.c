/*
 * Probe sections for peripherals both QEMU and quartz-sim model: SysTick
 * (ARMv7-M B3.3), TIM2 update events (RM0390 17.3.2, 17.4) and EXTI software
 * interrupts (RM0390 10.2.3, 10.3). Only the order of events is printed.
 */
#include <stdint.h>

#include "console.h"
#include "probe.h"
#include "stm32f446/regs.h"

#define SHPR_SYSTICK 11
#define HSI_HZ 16000000U
/* Bound for polling a flag that silicon sets after one timer period (16000
 * cycles here); one iteration takes at least 4 cycles. */
#define POLL_LIMIT 200000U
/* Enough for an interrupt request to cross APB2 into the NVIC. */
#define SETTLE_LOOPS 1000U

static volatile uint32_t systick_count;
static volatile uint32_t tim2_updates;
static volatile uint32_t exti1_count;

void SysTick_Handler(void)
{
    systick_count = systick_count + 1U;
    log_value("SysTick_Handler tick ", systick_count);
    if (systick_count == 3U) {
        SysTick->CTRL = 0U;
    }
}

void TIM2_IRQHandler(void)
{
    if ((TIM2->SR & TIM_SR_UIF) == 0U) {
        log_event("TIM2_IRQHandler without UIF");
        return;
    }
    /* RM0390 17.4.5: UIF is rc_w0. Clear it first and read back, so the
     * request is gone before the return and is not taken twice. */
    TIM2->SR = ~TIM_SR_UIF;
    uint32_t uif = TIM2->SR & TIM_SR_UIF;
    tim2_updates = tim2_updates + 1U;
    log_value("TIM2_IRQHandler update ", tim2_updates);
    log_value("TIM2_IRQHandler UIF after clear=", uif);
    if (tim2_updates == 3U) {
        TIM2->CR1 &= ~TIM_CR1_CEN;
        TIM2->DIER = 0U;
    }
}

void EXTI1_IRQHandler(void)
{
    exti1_count = exti1_count + 1U;
    log_hex("[dev:exti-swier] EXTI1_IRQHandler PR=", EXTI->PR);
    /* RM0390 10.3.6: PR bits are cleared by writing 1; 10.3.5: clearing
     * PR1 also clears SWIER1. */
    EXTI->PR = EXTI_PR_PR1;
    log_hex("[dev:exti-swier] EXTI1_IRQHandler SWIER after PR clear=", EXTI->SWIER);
}

static void test_systick(void)
{
    probe_section("systick");
    SCB->SHPR[SHPR_SYSTICK] = PRIO_MID;
    /* 1 ms at the 16 MHz HSI with the processor clock (CLKSOURCE=1). */
    SysTick->LOAD = HSI_HZ / 1000U - 1U;
    SysTick->VAL = 0U;
    SysTick->CTRL = SysTick_CTRL_CLKSOURCE | SysTick_CTRL_TICKINT | SysTick_CTRL_ENABLE;
    log_event("thread: SysTick on, wait for 3 ticks");
    probe_wait_for(&systick_count, 3U);
    log_value("thread: SysTick CTRL.ENABLE after 3 ticks=", SysTick->CTRL & SysTick_CTRL_ENABLE);
    log_event("thread: set ICSR.PENDSTSET with SysTick off");
    SCB->ICSR = SCB_ICSR_PENDSTSET;
    __DSB();
    __ISB();
    log_event("thread: back");
}

static void tim2_reset_state(void)
{
    TIM2->CR1 = 0U;
    TIM2->DIER = 0U;
    TIM2->SR = 0U;
}

static void test_tim2(void)
{
    probe_section("tim2 update interrupt");
    RCC->APB1ENR |= RCC_APB1ENR_TIM2EN;
    (void)RCC->APB1ENR;

    /* 1 MHz counter clock, 1 ms period. PSC is preloaded (17.3.1): UG loads
     * it; URS=1 keeps that UG from setting UIF (17.4.1). */
    TIM2->CR1 = TIM_CR1_URS;
    TIM2->PSC = HSI_HZ / 1000000U - 1U;
    TIM2->ARR = 1000U - 1U;
    TIM2->EGR = TIM_EGR_UG;
    log_value("thread: UIF after UG with URS=1 is ", TIM2->SR & TIM_SR_UIF);
    TIM2->SR = 0U;
    TIM2->DIER = TIM_DIER_UIE;
    irq_setup(TIM2_IRQn, PRIO_MID);
    log_event("thread: TIM2 on, wait for 3 updates");
    TIM2->CR1 = TIM_CR1_URS | TIM_CR1_CEN;
    probe_wait_for(&tim2_updates, 3U);
    probe_spin(POLL_LIMIT / 4U);
    log_value("thread: TIM2 CEN after 3 updates=", TIM2->CR1 & TIM_CR1_CEN);
    log_value("thread: updates after a pause=", tim2_updates);

    /* 17.4.5: UIF is set by hardware on an update event, whether or not
     * UIE is set (UIE only gates the interrupt request, 17.4.4). */
    tim2_reset_state();
    TIM2->CNT = 0U;
    TIM2->CR1 = TIM_CR1_URS | TIM_CR1_CEN;
    uint32_t uif = 0U;
    for (uint32_t i = 0; i < POLL_LIMIT && uif == 0U; i++) {
        uif = TIM2->SR & TIM_SR_UIF;
    }
    log_value("[dev:tim-uif-no-uie] polled UIF with UIE=0 is ", uif);

    /* 17.4.5: with URS=0, UG re-initialises the counter and sets UIF. */
    tim2_reset_state();
    TIM2->EGR = TIM_EGR_UG;
    log_value("[dev:tim-ug-uif] UIF after UG with URS=0 is ", TIM2->SR & TIM_SR_UIF);
    tim2_reset_state();
    irq_off(TIM2_IRQn);
}

static void test_exti_swier(void)
{
    probe_section("exti software interrupt");
    EXTI->RTSR = 0U;
    EXTI->FTSR = 0U;
    EXTI->PR = EXTI_PR_PR1;
    EXTI->IMR = EXTI_IMR_MR1;
    log_hex("thread: EXTI IMR=", EXTI->IMR);
    irq_setup(EXTI1_IRQn, PRIO_MID);
    log_event("thread: write SWIER1");
    EXTI->SWIER = EXTI_SWIER_SWIER1;
    __DSB();
    __ISB();
    probe_spin(SETTLE_LOOPS);
    log_value("[dev:exti-swier] thread: EXTI1 interrupts=", exti1_count);
    log_hex("[dev:exti-swier] thread: PR=", EXTI->PR);
    log_hex("[dev:exti-swier] thread: SWIER=", EXTI->SWIER);
    EXTI->IMR = 0U;
    EXTI->SWIER = 0U;
    EXTI->PR = EXTI_PR_PR1;
    irq_off(EXTI1_IRQn);
}

void probe_periph_tests(void)
{
    test_systick();
    test_tim2();
    test_exti_swier();
}
