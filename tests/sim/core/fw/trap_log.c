/*
 * The trap test images' fault log (trap_log.h): one fault handler body for
 * align.c, other.c and faultpc.c. Each image names its handlers with
 * TRAP_HANDLER and says how to go on after a fault in trap_recover().
 */
#include <stdint.h>

#include "cortex_m/core.h"
#include "trap_log.h"

volatile struct trap_results res;

/* A 32-bit Thumb instruction starts with 0b11101, 0b11110 or 0b11111 (A5.1). */
uint32_t trap_insn_len(uint32_t pc)
{
    uint16_t hw = *(const uint16_t *)pc;
    return (hw >> 11) >= 0x1D ? 4 : 2;
}

void trap_fault(uint32_t *frame, uint32_t exc)
{
    uint32_t n = res.count < TRAP_LOG ? res.count++ : TRAP_LOG - 1;
    volatile struct trap_entry *e = &res.log[n];
    uint32_t cfsr = SCB->CFSR;
    e->exc = exc;
    e->cfsr = cfsr;
    e->bfar = SCB->BFAR;
    e->mmfar = SCB->MMFAR;
    e->pc = frame[6];
    e->xpsr = frame[7];
    SCB->CFSR = cfsr; /* write 1 to clear */
    trap_recover(frame, cfsr);
}

void trap_expect(const char *label)
{
    res.expect[res.count] = (uint32_t)label & ~1u;
}

__attribute__((naked)) void HardFault_Handler(void)
{
    __asm volatile("1: b 1b\n");
}
