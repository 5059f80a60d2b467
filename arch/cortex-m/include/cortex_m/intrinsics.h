/*
 * Cortex-M instructions that C cannot express: barriers, sleep, interrupt
 * masking and special registers (ARMv7-M A7.7, B5.2). CMSIS names, so code
 * reads like every other Cortex-M code base. Firmware only (Thumb asm).
 */
#ifndef CORTEX_M_INTRINSICS_H
#define CORTEX_M_INTRINSICS_H

#include <stdint.h>

static inline void __WFI(void) { __asm volatile("wfi" ::: "memory"); }
static inline void __WFE(void) { __asm volatile("wfe" ::: "memory"); }
static inline void __SEV(void) { __asm volatile("sev" ::: "memory"); }
static inline void __NOP(void) { __asm volatile("nop"); }
static inline void __DSB(void) { __asm volatile("dsb 0xF" ::: "memory"); }
static inline void __ISB(void) { __asm volatile("isb 0xF" ::: "memory"); }
static inline void __DMB(void) { __asm volatile("dmb 0xF" ::: "memory"); }

static inline void __disable_irq(void) { __asm volatile("cpsid i" ::: "memory"); }
static inline void __enable_irq(void) { __asm volatile("cpsie i" ::: "memory"); }
static inline void __disable_fault_irq(void) { __asm volatile("cpsid f" ::: "memory"); }
static inline void __enable_fault_irq(void) { __asm volatile("cpsie f" ::: "memory"); }

static inline uint32_t __get_PRIMASK(void)
{
    uint32_t v;
    __asm volatile("mrs %0, primask" : "=r"(v));
    return v;
}

static inline void __set_PRIMASK(uint32_t v) { __asm volatile("msr primask, %0" ::"r"(v) : "memory"); }

/* BASEPRI holds the priority in its top NVIC_PRIO_BITS, as NVIC_IPR does. */
static inline uint32_t __get_BASEPRI(void)
{
    uint32_t v;
    __asm volatile("mrs %0, basepri" : "=r"(v));
    return v;
}

static inline void __set_BASEPRI(uint32_t v) { __asm volatile("msr basepri, %0" ::"r"(v) : "memory"); }

/* Raises BASEPRI only if the new value masks more (B5.2.3, BASEPRI_MAX). */
static inline void __set_BASEPRI_MAX(uint32_t v) { __asm volatile("msr basepri_max, %0" ::"r"(v) : "memory"); }

static inline uint32_t __get_IPSR(void)
{
    uint32_t v;
    __asm volatile("mrs %0, ipsr" : "=r"(v));
    return v;
}

static inline uint32_t __get_CONTROL(void)
{
    uint32_t v;
    __asm volatile("mrs %0, control" : "=r"(v));
    return v;
}

static inline void __set_CONTROL(uint32_t v)
{
    __asm volatile("msr control, %0" ::"r"(v) : "memory");
    __ISB(); /* B5.2.3: an ISB makes the new CONTROL value take effect */
}

static inline uint32_t __get_MSP(void)
{
    uint32_t v;
    __asm volatile("mrs %0, msp" : "=r"(v));
    return v;
}

static inline uint32_t __get_PSP(void)
{
    uint32_t v;
    __asm volatile("mrs %0, psp" : "=r"(v));
    return v;
}

static inline void __set_PSP(uint32_t v) { __asm volatile("msr psp, %0" ::"r"(v) : "memory"); }

#endif
