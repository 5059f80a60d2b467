/*
 * Portable CPU services the thread (main loop) needs: the interrupt lock
 * (quartz/cpu.h) for short critical sections and a race-free sleep. Bound
 * at link time.
 *
 * Contract of every HAL port: the interrupt handlers behind the portable
 * interfaces (system tick, millisecond timer, GPIO edges, I2C completions,
 * serial) run at one priority, HAL_IRQ_PRIO (quartz/hal/irq.h), so they
 * never preempt one another. State they share with the thread is therefore
 * consistent inside any handler, and the thread reaches it only under
 * cpu_irq_lock().
 */
#ifndef QUARTZ_HAL_CPU_H
#define QUARTZ_HAL_CPU_H

#include <stdint.h>

#include "quartz/cpu.h"
#include "quartz/hal/irq.h"

/*
 * Call with interrupts locked: sleeps until an interrupt is pending (one that
 * became pending after the lock still wakes the CPU), then returns with
 * interrupts still locked. The caller unlocks, which runs the handler.
 */
void cpu_sleep_locked(void);

/*
 * Like cpu_sleep_locked(), but interrupts that do not concern the thread
 * (a timer tick, each byte of an I2C transfer) return straight to sleep
 * without running any thread code: the thread resumes only after a handler
 * called cpu_wake() (or the system tick did: it wakes the thread on every
 * tick, so uptime-based deadlines keep working). The caller unlocks and
 * re-checks its condition as after cpu_sleep_locked().
 */
void cpu_sleep_until_woken_locked(void);

/*
 * From an interrupt handler: the thread has something to do; let it run.
 * The thread may call it too, once it is done waiting, so a spurious WFI
 * wake-up never leaves the sleep-on-exit request behind.
 */
void cpu_wake(void);

#endif
