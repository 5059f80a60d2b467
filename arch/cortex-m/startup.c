/*
 * Reset handler: what must happen before C code may rely on its memory.
 * The hardware has loaded SP from vector 0 (the top of the stack region at
 * the bottom of SRAM, see sections.ld) and jumped here (ARMv7-M B1.5.5).
 */
#include <stdint.h>

#include "cortex_m/core.h"
#include "cortex_m/intrinsics.h"

/* Symbols from arch/cortex-m/sections.ld. */
extern uint32_t __data_load[];
extern uint32_t __data_start[];
extern uint32_t __data_end[];
extern uint32_t __bss_start[];
extern uint32_t __bss_end[];
extern uint32_t __isr_vector_start[];

int main(void);
void Reset_Handler(void);

/* The board overrides this (board/nucleo-f446re): clocks, pins, console. */
__attribute__((weak)) void board_init(void)
{
}

void Reset_Handler(void)
{
    /* FPU first: with -mfloat-abi=hard the compiler may use VFP registers
     * in any C code, even in the copy loops below (B3.2.20 CPACR; the
     * DSB/ISB make the new access rights visible to the next instruction). */
    SCB->CPACR |= (3UL << SCB_CPACR_CP10_Pos) | (3UL << SCB_CPACR_CP11_Pos);
    __DSB();
    __ISB();

    /* The table is at 0x08000000; boot aliases it at 0, make it explicit
     * so a remap (SYSCFG_MEMRMP) or a debugger cannot move it. */
    SCB->VTOR = (uint32_t)__isr_vector_start;

    const volatile uint32_t *src = __data_load;
    for (volatile uint32_t *dst = __data_start; dst < __data_end;)
        *dst++ = *src++;
    for (volatile uint32_t *dst = __bss_start; dst < __bss_end;)
        *dst++ = 0;

    /* Separate fault handlers instead of everything escalating to
     * HardFault, so the record says what happened (B3.2.13 SHCSR). Divide
     * by zero traps (B3.2.8 CCR.DIV_0_TRP): otherwise SDIV/UDIV quietly
     * return 0 and a wrong result flows on. Unaligned accesses stay
     * allowed: the compiler emits them for packed data. */
    SCB->SHCSR |= SCB_SHCSR_MEMFAULTENA_Msk | SCB_SHCSR_BUSFAULTENA_Msk | SCB_SHCSR_USGFAULTENA_Msk;
    SCB->CCR |= SCB_CCR_DIV_0_TRP_Msk;
    __DSB();
    __ISB();

    board_init();
    (void)main();
    for (;;)
        __WFI();
}
