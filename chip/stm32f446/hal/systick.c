/* System tick (ARMv7-M B3.3 SysTick) and the DWT cycle counter (C1.8) for short delays. */
#include "cortex_m/core.h"
#include "cortex_m/intrinsics.h"
#include "cortex_m/nvic.h"
#include "quartz/hal/clock.h"
#include "quartz/hal/cpu.h"
#include "stm32_hal.h"
#include "stm32f446/irq.h"

void SysTick_Handler(void);

static uint32_t tick_ms;  /* period of one tick */
static uint64_t uptime;   /* written only by SysTick_Handler */

void stm32_systick_init(uint32_t hz)
{
    CoreDebug->DEMCR |= CoreDebug_DEMCR_TRCENA_Msk;
    DWT->CYCCNT = 0;
    DWT->CTRL |= DWT_CTRL_CYCCNTENA_Msk;

    tick_ms = 1000U / hz;
    SysTick->CTRL = 0;
    SysTick->LOAD = clock_hclk_hz() / hz - 1U;
    SysTick->VAL = 0;
    nvic_set_priority(SysTick_IRQn, STM32_HAL_IRQ_PRIO);
    SysTick->CTRL = SysTick_CTRL_CLKSOURCE_Msk | SysTick_CTRL_TICKINT_Msk | SysTick_CTRL_ENABLE_Msk;
}

void SysTick_Handler(void)
{
    uptime += tick_ms;
    cpu_wake(); /* uptime-based deadlines in the thread (quartz/hal/cpu.h) */
    stm32_i2c_watchdog(uptime);
}

uint64_t clock_uptime_ms(void)
{
    /* 64-bit value written by the handler: read it with the handler held off. */
    uint32_t key = cpu_irq_lock();
    uint64_t t = uptime;
    cpu_irq_unlock(key);
    return t;
}

void clock_delay_us(uint32_t us)
{
    uint32_t start = DWT->CYCCNT;
    uint32_t cycles = us * (clock_hclk_hz() / 1000000U);
    /* Each pass takes more than one cycle, so `cycles` passes bound the wait
     * even if the cycle counter were stopped (no debug clock). */
    for (uint32_t i = 0; i < cycles && DWT->CYCCNT - start < cycles; i++) {
    }
}
