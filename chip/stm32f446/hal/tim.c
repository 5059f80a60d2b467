/*
 * Millisecond counter on TIM2 (RM0390 section 17, general-purpose timers).
 * The counter runs at 1 MHz (PSC) and overflows every 1000 counts (ARR):
 * one update interrupt per millisecond, whose handler only counts.
 */
#include "cortex_m/nvic.h"
#include "quartz/hal/timer.h"
#include "stm32_hal.h"
#include "stm32f446/irq.h"
#include "stm32f446/rcc.h"
#include "stm32f446/tim.h"

#define COUNT_HZ 1000000U
#define COUNTS_PER_MS 1000U

void TIM2_IRQHandler(void);

/* Single writer: the update handler (and timer_ms_start/stop, which run at
 * the same priority or with the handler unable to fire). */
static volatile uint32_t ms_count;

void TIM2_IRQHandler(void)
{
    /* Clear UIF first (rc_w0, only UIF is enabled): cleared at the end, the
     * write could still be in flight at exception return and the interrupt
     * would be taken again (ARM application note 321, 4.9). */
    TIM2->SR = 0;
    ms_count = ms_count + 1U;
}

void timer_ms_init(void)
{
    RCC->APB1ENR |= RCC_APB1ENR_TIM2EN;
    (void)RCC->APB1ENR;
    TIM2->CR1 = TIM_CR1_URS; /* UG reloads without an update interrupt (17.4.1) */
    TIM2->PSC = stm32_clocks()->tim_apb1 / COUNT_HZ - 1U;
    TIM2->ARR = COUNTS_PER_MS - 1U;
    TIM2->EGR = TIM_EGR_UG; /* load PSC now: it is preloaded (17.3.1) */
    TIM2->SR = 0;
    TIM2->DIER = TIM_DIER_UIE;
    nvic_clear_pending(TIM2_IRQn);
    nvic_set_priority(TIM2_IRQn, STM32_HAL_IRQ_PRIO);
    nvic_enable(TIM2_IRQn);
    ms_count = 0;
}

void timer_ms_start(void)
{
    /*
     * The original kept TIM2 counting while its interrupt was masked: the
     * first tick came up to 1 ms early and a stale pending update fired on
     * unmask. Here: stop, UG resets the counter and the prescaler counter
     * (URS set: no update event from it), drop any UIF and the NVIC pending
     * bit, then start -- the first tick is exactly 1 ms from CEN.
     */
    TIM2->CR1 &= ~TIM_CR1_CEN;
    TIM2->EGR = TIM_EGR_UG;
    TIM2->SR = 0;
    nvic_clear_pending(TIM2_IRQn);
    ms_count = 0;
    TIM2->CR1 |= TIM_CR1_CEN;
}

uint32_t timer_ms_stop(void)
{
    TIM2->CR1 &= ~TIM_CR1_CEN;
    uint32_t cnt = TIM2->CNT;
    uint32_t ms = ms_count;
    if (TIM2->SR & TIM_SR_UIF) { /* a tick that is due but not yet serviced */
        TIM2->SR = 0;
        nvic_clear_pending(TIM2_IRQn);
        ms++;
    }
    if (cnt >= COUNTS_PER_MS / 2U) /* round with the phase inside the current millisecond */
        ms++;
    ms_count = ms;
    return ms;
}

uint32_t timer_ms_count(void)
{
    return ms_count;
}
