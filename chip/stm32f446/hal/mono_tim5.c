/*
 * The monotonic timer (quartz/hal/mono_timer.h) on TIM5, a 32-bit up-counter
 * on the STM32F446 (RM0390 section 17.1; TIM2 is the other one, and the
 * HAL's millisecond timer has it), clocked at 1 MHz: ARR = 0xFFFFFFFF so it
 * wraps every 71.6 minutes; the update interrupt counts the wraps (upper 32
 * bits), and output compare channel 1 (frozen mode, RM0390 section 17.3.8)
 * raises CC1IF when CNT reaches CCR1: the alarm.
 */
#include <errno.h>
#include <stddef.h>

#include "cortex_m/nvic.h"
#include "quartz/cpu.h"
#include "quartz/hal/mono_timer.h"
#include "stm32_hal.h"
#include "stm32f446/irq.h"
#include "stm32f446/rcc.h"
#include "stm32f446/tim.h"

#define MONO_TIM5_HZ 1000000U

void TIM5_IRQHandler(void);

static volatile uint32_t tim5_high;
static uint64_t tim5_alarm;
static bool tim5_armed;
static unsigned tim5_prio;
static mono_timer_fn tim5_expired;

int mono_timer_init(unsigned prio, mono_timer_fn expired)
{
    /* TIM5 runs on the APB1 timer clock (RM0390 section 6.2), which the
     * clock setup knows (rcc.c). */
    uint32_t timer_clk_hz = stm32_clocks()->tim_apb1;
    if (timer_clk_hz < MONO_TIM5_HZ || timer_clk_hz % MONO_TIM5_HZ != 0
        || timer_clk_hz / MONO_TIM5_HZ > 0x10000U || prio == 0 || prio >= CPU_PRIO_LEVELS
        || expired == NULL) {
        return -EINVAL;
    }
    tim5_prio = prio;
    tim5_expired = expired;
    RCC->APB1ENR |= RCC_APB1ENR_TIM5EN;
    (void)RCC->APB1ENR; /* clock on before the first access, RM0390 section 6.3.13 */
    TIM5->CR1 = 0;
    TIM5->PSC = timer_clk_hz / MONO_TIM5_HZ - 1U;
    TIM5->ARR = 0xFFFFFFFFU;
    TIM5->CNT = 0;
    TIM5->EGR = TIM_EGR_UG; /* load PSC now (it is buffered until an update event) */
    TIM5->SR = 0;
    TIM5->DIER = TIM_DIER_UIE;
    nvic_set_priority(TIM5_IRQn, prio);
    nvic_enable(TIM5_IRQn);
    TIM5->CR1 = TIM_CR1_URS | TIM_CR1_CEN; /* URS: only overflow sets UIF, not UG */
    return 0;
}

uint32_t mono_timer_hz(void)
{
    return MONO_TIM5_HZ;
}

unsigned mono_timer_prio(void)
{
    return tim5_prio;
}

uint64_t mono_timer_now(void)
{
    uint32_t high, cnt, pending;
    do {
        high = tim5_high;
        cnt = TIM5->CNT;
        pending = TIM5->SR & TIM_SR_UIF;
    } while (high != tim5_high); /* the update interrupt ran in between */
    return mono_extend(high, cnt, pending != 0);
}

void mono_timer_arm(uint64_t at)
{
    tim5_alarm = at;
    tim5_armed = true;
    uint64_t now = mono_timer_now();
    if ((uint32_t)(at >> 32) == (uint32_t)(now >> 32)) {
        TIM5->CCR1 = (uint32_t)at;
        TIM5->SR = ~TIM_SR_CC1IF; /* rc_w0: writing 1 leaves other flags alone */
        TIM5->DIER |= TIM_DIER_CC1IE;
    } else {
        TIM5->DIER &= ~TIM_DIER_CC1IE; /* a later epoch: the overflow re-arms */
    }
    /* A compare only fires when CNT passes CCR1; one already behind it
     * would wait a whole wrap, so pend the interrupt instead. */
    if (mono_timer_now() >= at) {
        nvic_set_pending(TIM5_IRQn);
    }
}

void mono_timer_disarm(void)
{
    tim5_armed = false;
    TIM5->DIER &= ~TIM_DIER_CC1IE;
}

void TIM5_IRQHandler(void)
{
    uint32_t sr = TIM5->SR;
    if (sr & TIM_SR_UIF) {
        TIM5->SR = ~TIM_SR_UIF;
        tim5_high = tim5_high + 1U;
    }
    if (sr & TIM_SR_CC1IF) {
        TIM5->SR = ~TIM_SR_CC1IF;
    }
    if (tim5_armed && mono_timer_now() >= tim5_alarm) {
        tim5_expired();
    } else if (tim5_armed) {
        mono_timer_arm(tim5_alarm); /* new epoch: the deadline may now be in range */
    }
}
