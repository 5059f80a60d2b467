/*
 * NVIC and system-handler helpers (ARMv7-M B3.4, B3.2.10). `irqn` is a
 * CMSIS interrupt number: >= 0 for device interrupts (the chip's numbers),
 * negative for system exceptions (-14 NMI .. -1 SysTick).
 * Priorities are on quartz's one scale (quartz/cpu.h): 1..16, higher =
 * more urgent.
 */
#ifndef CORTEX_M_NVIC_H
#define CORTEX_M_NVIC_H

#include <stdbool.h>
#include <stdint.h>

#include "cortex_m/core.h"
#include "cortex_m/intrinsics.h"
#include "quartz/cpu.h"

static inline void nvic_enable(int irqn)
{
    NVIC->ISER[(uint32_t)irqn >> 5] = 1UL << ((uint32_t)irqn & 31U);
}

/* Returns once the interrupt can no longer be taken (barriers as in B3.4.1). */
static inline void nvic_disable(int irqn)
{
    NVIC->ICER[(uint32_t)irqn >> 5] = 1UL << ((uint32_t)irqn & 31U);
    __DSB();
    __ISB();
}

static inline bool nvic_is_enabled(int irqn)
{
    return (NVIC->ISER[(uint32_t)irqn >> 5] >> ((uint32_t)irqn & 31U)) & 1U;
}

static inline void nvic_set_pending(int irqn)
{
    NVIC->ISPR[(uint32_t)irqn >> 5] = 1UL << ((uint32_t)irqn & 31U);
}

static inline void nvic_clear_pending(int irqn)
{
    NVIC->ICPR[(uint32_t)irqn >> 5] = 1UL << ((uint32_t)irqn & 31U);
}

static inline bool nvic_is_pending(int irqn)
{
    return (NVIC->ISPR[(uint32_t)irqn >> 5] >> ((uint32_t)irqn & 31U)) & 1U;
}

static inline bool nvic_is_active(int irqn)
{
    return (NVIC->IABR[(uint32_t)irqn >> 5] >> ((uint32_t)irqn & 31U)) & 1U;
}

/* Hardware encoding of a priority: the priority byte (B3.4.9). */
static inline uint8_t nvic_prio_encode(uint32_t prio)
{
    return (uint8_t)CPU_PRIO_HW(prio);
}

static inline void nvic_set_priority(int irqn, uint32_t prio)
{
    if (irqn >= 0)
        NVIC->IPR[irqn] = nvic_prio_encode(prio);
    else
        SCB->SHPR[((uint32_t)irqn & 0xFU) - 4U] = nvic_prio_encode(prio);
}

static inline uint32_t nvic_get_priority(int irqn)
{
    uint8_t raw = irqn >= 0 ? NVIC->IPR[irqn] : SCB->SHPR[((uint32_t)irqn & 0xFU) - 4U];
    return CPU_PRIO_LEVELS - ((uint32_t)raw >> 4);
}

/* Value for __set_BASEPRI that masks every interrupt of priority <= prio. */
static inline uint32_t nvic_basepri(uint32_t prio)
{
    return nvic_prio_encode(prio);
}

/* Requests a system reset (B3.2.6 AIRCR.SYSRESETREQ) and waits for it. */
__attribute__((noreturn)) static inline void nvic_system_reset(void)
{
    __DSB();
    SCB->AIRCR = (SCB_AIRCR_VECTKEY_VALUE << SCB_AIRCR_VECTKEY_Pos) |
                 (SCB->AIRCR & SCB_AIRCR_PRIGROUP_Msk) | SCB_AIRCR_SYSRESETREQ_Msk;
    __DSB();
    for (;;)
        __NOP();
}

#endif
