/*
 * System tick (ARMv7-M B3.3 SysTick) and the DWT cycle counter (C1.8) for
 * short delays and for wait bounds that hold with interrupts masked.
 *
 * The tick knows no driver: drivers with a deadline join a hook list
 * (stm32_tick_hook_join) that the handler walks.
 */
#include <errno.h>
#include <stddef.h>

#include "cortex_m/core.h"
#include "cortex_m/intrinsics.h"
#include "cortex_m/nvic.h"
#include "quartz/hal/clock.h"
#include "quartz/hal/cpu.h"
#include "stm32_hal.h"
#include "stm32f446/irq.h"

void SysTick_Handler(void);

#define SYSTICK_LOAD_MAX 0xFFFFFFU /* 24-bit reload (B3.3.3 SYST_RVR) */

/* The tick's state at one base address: the handler's common path (the
 * first three) then loads no more than one literal, and the deadline
 * writers (clock_wake_at, clock_alarm_at) and tick_due one each. */
static struct {
    uint64_t uptime;   /* written only by SysTick_Handler */
    uint64_t due_at;   /* see due_update */
    uint32_t ms;       /* period of one tick */
    uint64_t wake_at;  /* clock_wake_at: the thread's next uptime deadline */
    uint64_t alarm_at; /* clock_alarm_at, under cpu_irq_lock */
    clock_alarm_fn alarm_fn;
    void *alarm_ctx;
} tick = { 0, 0, 0, 0, UINT64_MAX, NULL, NULL }; /* due_at 0 as wake_at: every tick wakes until clock_wake_at */
static struct stm32_tick_hook *hooks; /* joined under cpu_irq_lock, walked by the handler */
uint32_t stm32_tick_hooks_awake; /* joined hooks not idle (stm32_hal.h): the walk is skipped at 0 */
/* due_at is min(wake_at, alarm_at), kept by their writers (under
 * cpu_irq_lock or in the handler), so that a tick with no deadline due and
 * no hook awake is one compare and one test. */

static inline __attribute__((always_inline)) void due_update(void)
{
    tick.due_at = tick.wake_at < tick.alarm_at ? tick.wake_at : tick.alarm_at;
}

int stm32_systick_init(uint32_t hz)
{
    uint32_t hclk = clock_hclk_hz();
    /* uptime counts whole milliseconds per tick: 300 Hz would count 3 ms for
     * every 3.33 ms, and above 1 kHz a tick would count 0 ms and every
     * uptime-bounded wait would never end. */
    if (hz == 0 || hz > 1000U || 1000U % hz != 0 || hclk % hz != 0 || hclk / hz - 1U > SYSTICK_LOAD_MAX)
        return -EINVAL;

    CoreDebug->DEMCR |= CoreDebug_DEMCR_TRCENA_Msk;
    DWT->CYCCNT = 0;
    DWT->CTRL |= DWT_CTRL_CYCCNTENA_Msk;

    tick.ms = 1000U / hz;
    SysTick->CTRL = 0;
    SysTick->LOAD = hclk / hz - 1U;
    SysTick->VAL = 0;
    nvic_set_priority(SysTick_IRQn, STM32_HAL_IRQ_PRIO);
    SysTick->CTRL = SysTick_CTRL_CLKSOURCE_Msk | SysTick_CTRL_TICKINT_Msk | SysTick_CTRL_ENABLE_Msk;
    return 0;
}

void stm32_tick_hook_join(struct stm32_tick_hook *hook)
{
    uint32_t key = cpu_irq_lock();
    struct stm32_tick_hook *h = hooks;
    while (h != NULL && h != hook)
        h = h->next;
    if (h == NULL) {
        hook->next = hooks;
        hooks = hook;
        if (!hook->idle)
            stm32_tick_hooks_awake++;
    }
    cpu_irq_unlock(key);
}

/* A tick at which something is due (tick.due_at): out of line, so that the
 * handler's common path saves no registers. */
static __attribute__((noinline)) void tick_due(uint64_t now)
{
    if (now >= tick.wake_at)
        cpu_wake(); /* uptime-based deadlines in the thread (quartz/hal/cpu.h) */
    if (stm32_tick_hooks_awake != 0)
        for (struct stm32_tick_hook *h = hooks; h != NULL; h = h->next)
            if (!h->idle)
                h->fn(h, now);
    if (now >= tick.alarm_at) {
        tick.alarm_at = UINT64_MAX;
        tick.due_at = tick.wake_at;
        tick.alarm_fn(tick.alarm_ctx);
    }
}

void SysTick_Handler(void)
{
    uint64_t now = tick.uptime + tick.ms;
    tick.uptime = now;
    if (now >= tick.due_at || stm32_tick_hooks_awake != 0)
        tick_due(now);
}

void clock_alarm_at(uint64_t ms, clock_alarm_fn fn, void *ctx)
{
    uint32_t key = cpu_irq_lock(); /* the handler reads the three together */
    tick.alarm_fn = fn;
    tick.alarm_ctx = ctx;
    tick.alarm_at = fn != NULL ? ms : UINT64_MAX;
    due_update();
    cpu_irq_unlock(key);
}

void clock_wake_at(uint64_t ms)
{
    tick.wake_at = ms; /* under the caller's lock: the handler never sees half of it */
    due_update();
}

uint64_t clock_uptime_ms_locked(void)
{
    return tick.uptime; /* the caller holds the tick off: the handler cannot write half of it */
}

uint64_t clock_uptime_ms(void)
{
    /* 64-bit value written by the handler: read it with the handler held off. */
    uint32_t key = cpu_irq_lock();
    uint64_t t = tick.uptime;
    cpu_irq_unlock(key);
    return t;
}

bool stm32_irqs_blocked(void)
{
    /* PRIMASK masks every configurable priority; BASEPRI masks every
     * priority numerically >= itself when non-zero (ARMv7-M ARM B1.4.3,
     * "BASEPRI"), so a ceiling at or above the HAL's (the kernel's
     * sched_lock) holds off this port's handlers too. In handler mode the
     * caller is an interrupt: the HAL's own handlers share one priority and
     * cannot preempt it, and a blocking wait there stalls every lower
     * priority for milliseconds, so it counts as blocked as well. */
    uint32_t basepri = __get_BASEPRI();
    bool hal_masked = basepri != 0 && basepri <= CPU_PRIO_HW(STM32_HAL_IRQ_PRIO);
    return (__get_PRIMASK() & 1U) != 0 || hal_masked || __get_IPSR() != 0;
}

void stm32_wait_start(struct stm32_wait *w, uint32_t ms)
{
    w->until_ms = clock_uptime_ms() + ms;
    w->cycles = 0;
    w->budget = (uint64_t)ms * (clock_hclk_hz() / 1000U);
    w->last = DWT->CYCCNT;
}

bool stm32_wait_over(struct stm32_wait *w)
{
    /* Accumulated in 64 bits: CYCCNT wraps every 2^32 cycles (89 s at
     * 48 MHz), and a poll loop comes back far more often than that. The
     * poll itself counts at least one cycle: with the counter stopped (no
     * TRCENA) the budget becomes a poll count. */
    uint32_t now = DWT->CYCCNT;
    uint32_t step = now - w->last;
    w->last = now;
    w->cycles += step ? step : 1U;
    return w->cycles > w->budget || clock_uptime_ms() > w->until_ms;
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
