/*
 * Monotonic time: 64-bit ticks that never wrap (at 1 MHz, 584,000 years) and
 * one timer queue shared by the scheduler (spawn_at) and the executor
 * (await_until). One backend is linked per image:
 *   mono_tim5.c     TIM5, a 32-bit timer of the STM32F446, at 1 MHz; compare
 *                   channel 1 is the alarm, the update event counts the
 *                   upper 32 bits (RM0390 section 17.3).
 *   mono_systick.c  a periodic SysTick interrupt counting ticks in software;
 *                   core peripheral only, so it also runs on QEMU, whose
 *                   STM32 timer model has no compare channels.
 * The timer queue and its interrupt run at the logical priority given to the
 * backend's init; every task that uses spawn_at / await_until must run at or
 * below that priority (the queue is a resource with that ceiling).
 */
#ifndef QUARTZ_KERNEL_MONO_H
#define QUARTZ_KERNEL_MONO_H

#include <stdbool.h>
#include <stdint.h>

#include <quartz/kernel/timerq.h>

/* Now, in ticks since the backend's init. Callable from any priority. */
uint64_t mono_now(void);
uint32_t mono_tick_hz(void);

/* Arm `node` to call `fire` from the timer interrupt at or after `at` (a
 * deadline already past fires at once). The node must not be armed. */
void mono_timer_start(struct timerq_node *node, uint64_t at, timerq_fire_fn fire);
/* Returns true when the node was armed (it will not fire). */
bool mono_timer_cancel(struct timerq_node *node);

/* Backends, given HCLK as configured (TIM5 derives its APB1 timer clock
 * from the RCC prescaler). Return 0 or -EINVAL (a clock that is not a whole
 * number of MHz for TIM5, a reload out of range for SysTick, a priority
 * outside 1..15). quartz_mono_systick owns SysTick_Handler, so it is for
 * images without the HAL's system tick. */
int mono_tim5_init(uint32_t hclk_hz, unsigned logical_prio);
int mono_systick_init(uint32_t hclk_hz, uint32_t tick_hz, unsigned logical_prio);

static inline uint64_t mono_us_to_ticks(uint64_t us)
{
    return us * mono_tick_hz() / 1000000U;
}

/*
 * 64-bit extension of a 32-bit up-counter: `high` counts the overflows the
 * interrupt has handled, `cnt` is the counter, `overflow_pending` the update
 * flag read after `cnt`. A pending flag with a small count means the counter
 * wrapped before it was read and the interrupt has not run yet (the reader
 * runs at a higher priority, or masked); with a large count it wrapped only
 * after the read, so the read belongs to the old epoch.
 */
static inline uint64_t mono_extend(uint32_t high, uint32_t cnt, bool overflow_pending)
{
    if (overflow_pending && cnt < 0x80000000U) {
        high += 1U;
    }
    return ((uint64_t)high << 32) | cnt;
}

/* Backend interface used by mono.c (not for applications). */
void mono_port_arm(uint64_t at);  /* interrupt at or after `at`; called under the lock */
void mono_port_disarm(void);
unsigned mono_port_prio(void);
void mono_expire(void);           /* called by the backend's interrupt handler */

#endif
