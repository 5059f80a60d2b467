/*
 * Shared helpers of the cross-check probe: core register access through
 * CPS/MRS/MSR (ARMv7-M B5.2) and the NVIC (ARMv7-M B3.4), and the sections.
 */
#ifndef PROBE_H
#define PROBE_H

#include <stdint.h>

#include "cortex_m/core.h"
#include "cortex_m/intrinsics.h"

/* Priorities use only bits [7:4]: RM0390 10.1.1, 4 priority bits. */
#define PRIO_HIGH 0x40U
#define PRIO_MID 0x80U
#define PRIO_LOW 0xC0U
#define PRIO_LOWEST 0xF0U

/* Enables interrupts and lets anything now allowed be taken before the
 * next instruction (ARMv7-M B5.2.1: CPS; the ISB synchronises the change). */
static inline void irq_unmask(void)
{
    __enable_irq();
    __ISB();
}

static inline void basepri_set(uint32_t value)
{
    __set_BASEPRI(value);
    __ISB();
}

static inline void irq_setup(int irq, uint8_t prio)
{
    NVIC->IPR[irq] = prio;
    NVIC->ICPR[irq >> 5] = 1UL << (irq & 31);
    NVIC->ISER[irq >> 5] = 1UL << (irq & 31);
}

static inline void irq_off(int irq)
{
    NVIC->ICER[irq >> 5] = 1UL << (irq & 31);
    NVIC->ICPR[irq >> 5] = 1UL << (irq & 31);
    __DSB();
    __ISB();
}

static inline void irq_pend(int irq)
{
    NVIC->ISPR[irq >> 5] = 1UL << (irq & 31);
    /* DSB+ISB make the pend visible before the next instruction, so a
     * permitted interrupt is taken right here (ARM AN321, 4.9). */
    __DSB();
    __ISB();
}

static inline uint32_t irq_pending(int irq)
{
    return (NVIC->ISPR[irq >> 5] >> (irq & 31)) & 1U;
}

static inline uint32_t irq_active(int irq)
{
    return (NVIC->IABR[irq >> 5] >> (irq & 31)) & 1U;
}

/* Sleeps (WFI) until *counter reaches target; bounded. */
void probe_wait_for(volatile uint32_t *counter, uint32_t target);
/* Busy loop that no interrupt depends on; bounded by loops. */
void probe_spin(uint32_t loops);
/* Prints the events so far, then the title of the next section. */
void probe_section(const char *title);

void probe_core_tests(void);
void probe_periph_tests(void);

#endif
