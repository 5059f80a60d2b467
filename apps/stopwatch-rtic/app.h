/*
 * stopwatch-rtic: the task and resource table (kernel/include/quartz/kernel/sched.h).
 *
 *   button   HAL GPIO callback (EXTI15_10, the HAL's priority 8): the first
 *            edge of a press starts/stops the millisecond timer at once
 *   flushed  HAL I2C completion of a display flush (priority 8): leaves
 *            the result in `flush`, and spawns `event` only when the ui
 *            wants it at once (core/ui.h, ui_flush_note)
 *   event    software task, priority 2: a press or an urgent flush result
 *   tick     hardware task on SWI1, priority 2, on the system tick's 10 ms
 *            grid: button sampling, refresh while running, display retry.
 *            The system tick's alarm (clock_alarm_at, the HAL's priority 8)
 *            pends its vector: the tick carries no message, so it needs no
 *            queue and no dispatcher (as an RTIC `pend`; about 100 cycles
 *            a refresh less than a spawn, docs/performance.md, "Fifth
 *            pass"), and a pend while one is pending is the same run. It
 *            sleeps over grid points with nothing due (stopped with the
 *            display up: until a press), and a press brings it back to the
 *            next grid point by moving the alarm (main.c)
 *   input    button and timer state (core/input.h): button, event, tick -> ceiling 8
 *   flush    the last flush result (core/ui.h): flushed, event, tick -> ceiling 8
 *   ui       log, LD2 and OLED state (core/ui.h): event, tick -> ceiling 2,
 *            locks emit no code
 */
#ifndef STOPWATCH_RTIC_APP_H
#define STOPWATCH_RTIC_APP_H

#include <stdint.h>

#include "input.h"
#include "ui.h"

enum app_event_kind { APP_EV_PRESSED, APP_EV_FLUSHED };
typedef struct {
    enum app_event_kind kind; /* APP_EV_FLUSHED: a result the ui wants at once is in `flush` */
} app_event;

/* The HAL runs every interrupt handler at HAL_IRQ_PRIO (quartz/hal/irq.h),
 * 8 on the one priority scale of quartz/cpu.h. */
#define APP_HAL_PRIO 8

#define APP_HW_TASKS(H) \
    H(tick, SWI1, 2)
#define APP_TICK_IRQN SWI1_IRQn /* tick's vector: the alarm pends it */
#define APP_EXT_TASKS(X) \
    X(button, APP_HAL_PRIO) \
    X(flushed, APP_HAL_PRIO)
#define APP_SW_TASKS(S) \
    S(event, 2, 4, app_event, button, flushed)
#define APP_RESOURCES(R) \
    R(input, struct_input, button, event, tick) \
    R(flush, struct_ui_flush_note, flushed, event, tick) \
    R(ui, struct_ui, event, tick)
#define APP_DISPATCHERS(D) D(2, SWI0)

typedef struct input struct_input;
typedef struct ui struct_ui;
typedef struct ui_flush_note struct_ui_flush_note;

#include <quartz/kernel/sched_app.h>

_Static_assert(APP_HAL_PRIO == HAL_IRQ_PRIO, "APP_HAL_PRIO must be the HAL's interrupt priority");

#endif
