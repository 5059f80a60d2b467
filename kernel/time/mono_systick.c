/*
 * The monotonic timer (quartz/hal/mono_timer.h) on SysTick (ARMv7-M B3.3): a periodic interrupt at
 * `tick_hz` counts 64-bit ticks in software, so there is no overflow to
 * handle, at the price of one interrupt per tick. The alarm is a compare in
 * software, checked on each tick. Started by mono_systick_init()
 * (quartz/kernel/mono.h), not mono_timer_init(): it needs the tick rate.
 * The kernel hands in what to call on expiry, so this file does not call
 * up into mono.c (no dependency cycle).
 */
#include <errno.h>

#include <quartz/kernel/cpu.h>
#include <quartz/kernel/mono.h>

static volatile uint64_t systick_ticks;
static uint64_t systick_alarm;
static bool systick_armed;
static uint32_t systick_hz;
static unsigned systick_prio;
static mono_timer_fn systick_expired;

int mono_systick_start(uint32_t hclk_hz, uint32_t tick_hz, unsigned prio, mono_timer_fn expired)
{
    if (tick_hz == 0 || hclk_hz / tick_hz == 0 || hclk_hz / tick_hz - 1U > SysTick_LOAD_RELOAD_Msk
        || prio == 0 || prio >= CPU_PRIO_LEVELS || expired == 0) {
        return -EINVAL;
    }
    systick_hz = tick_hz;
    systick_prio = prio;
    systick_expired = expired;
    kcpu_systick_prio(prio);
    SysTick->LOAD = hclk_hz / tick_hz - 1U;
    SysTick->VAL = 0;
    SysTick->CTRL = SysTick_CTRL_CLKSOURCE | SysTick_CTRL_TICKINT | SysTick_CTRL_ENABLE;
    return 0;
}

uint32_t mono_timer_hz(void)
{
    return systick_hz;
}

unsigned mono_timer_prio(void)
{
    return systick_prio;
}

uint64_t mono_timer_now(void)
{
    /* Two equal reads: no tick landed between the two halves of a read. */
    uint64_t a, b;
    do {
        a = systick_ticks;
        b = systick_ticks;
    } while (a != b);
    return a;
}

void mono_timer_arm(uint64_t at)
{
    systick_alarm = at;
    systick_armed = true;
    if (systick_ticks >= at) {
        SCB->ICSR = SCB_ICSR_PENDSTSET; /* already due: run the handler now (B3.2.4) */
    }
}

void mono_timer_disarm(void)
{
    systick_armed = false;
}

void SysTick_Handler(void)
{
    uint64_t now = systick_ticks + 1U;
    systick_ticks = now;
    if (systick_armed && now >= systick_alarm) {
        systick_expired();
    }
}
