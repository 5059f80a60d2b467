/*
 * Monotonic time: 64-bit ticks that never wrap (at 1 MHz, 584,000 years) and
 * one timer queue shared by the scheduler (spawn_at) and the executor
 * (await_until), on the monotonic timer of quartz/hal/mono_timer.h. One
 * timer is linked per image (quartz_add_image USES):
 *   mono          the chip's (STM32F446: TIM5, a 32-bit timer, at 1 MHz;
 *                 chip/stm32f446/hal/mono_tim5.c); start it with mono_init().
 *   mono_systick  a periodic SysTick interrupt counting ticks in software
 *                 (kernel/time/mono_systick.c); core peripheral only, so it
 *                 also runs on QEMU, whose STM32 timer model has no compare
 *                 channels; start it with mono_systick_init().
 * The timer queue and its interrupt run at the priority given to the init
 * (scale of quartz/cpu.h); every task that uses spawn_at / await_until must
 * run at or below that priority (the queue is a resource with that ceiling).
 */
#ifndef QUARTZ_KERNEL_MONO_H
#define QUARTZ_KERNEL_MONO_H

#include <stdbool.h>
#include <stdint.h>

#include <quartz/hal/mono_timer.h>
#include <quartz/kernel/timerq.h>

/* Now, in ticks since the timer's init. Callable from any priority. */
static inline uint64_t mono_now(void)
{
    return mono_timer_now();
}

static inline uint32_t mono_tick_hz(void)
{
    return mono_timer_hz();
}

/* Arm `node` to call `fire` from the timer interrupt at or after `at` (a
 * deadline already past fires at once). Contract: the node is not armed
 * (QUARTZ_ASSERT); cancel it first to move it. */
void mono_timer_start(struct timerq_node *node, uint64_t at, timerq_fire_fn fire);
/* Returns true when the node was armed (it will not fire). */
bool mono_timer_cancel(struct timerq_node *node);

/* Runs the expired timers; the timer's interrupt calls it. */
void mono_expire(void);

/* Start the chip's monotonic timer (USES mono). Returns 0 or -EINVAL (a
 * priority outside 1..15, a clock the timer cannot divide to 1 MHz). */
static inline int mono_init(unsigned prio)
{
    return mono_timer_init(prio, mono_expire);
}

/* Start the SysTick timer at `tick_hz` from a core clock of `hclk_hz`
 * (USES mono_systick, which owns SysTick_Handler: not with the HAL's system
 * tick). Returns 0 or -EINVAL (a reload out of range, a priority outside 1..15). */
int mono_systick_start(uint32_t hclk_hz, uint32_t tick_hz, unsigned prio, mono_timer_fn expired);

static inline int mono_systick_init(uint32_t hclk_hz, uint32_t tick_hz, unsigned prio)
{
    return mono_systick_start(hclk_hz, tick_hz, prio, mono_expire);
}

static inline uint64_t mono_us_to_ticks(uint64_t us)
{
    return us * mono_tick_hz() / 1000000U;
}

#endif
