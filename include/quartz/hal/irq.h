/*
 * Interrupt facts of the chip that portable code may name; the chip port
 * provides them (chip/<name>/public/quartz_chip/irq.h):
 *
 *   SWI0..SWI<SWI_COUNT-1>  vectors no driver uses, pended in software: the
 *                           scheduler's dispatchers (APP_DISPATCHERS D(prio, SWI0));
 *                           SWIn_IRQn is the number, SWIn_IRQHandler the handler.
 *   HAL_IRQ_PRIO            the priority of every HAL interrupt handler
 *                           (quartz/hal/cpu.h), on the scale of quartz/cpu.h;
 *                           an application that runs tasks next to the HAL's
 *                           handlers checks its own figure against it.
 */
#ifndef QUARTZ_HAL_IRQ_H
#define QUARTZ_HAL_IRQ_H

#include <quartz_chip/irq.h>

#endif
