/*
 * Core test image: faults (ARMv7-M B1.5.14-B1.5.16, B3.2.15-B3.2.18).
 * A read of unmapped memory raises a precise BusFault with BFAR, UDF a
 * UsageFault UNDEFINSTR, an FP instruction with CPACR cleared a UsageFault
 * NOCP; the handlers record and step over the instruction. At the end a
 * BusFault with the BusFault handler disabled escalates to HardFault, whose
 * handler spins: the simulator ends the run as a lock-up.
 */
#include <stdint.h>

#include "cortex_m/core.h"
#include "cortex_m/intrinsics.h"
#include "results.h"

volatile struct core_results res;

static uint32_t insn_len(uint32_t pc)
{
    uint16_t hw = *(const uint16_t *)pc;
    return (hw >> 11) >= 0x1D ? 4 : 2;
}

void bus_c(uint32_t *frame);
void bus_c(uint32_t *frame)
{
    res.bus_cfsr = SCB->CFSR;
    res.bus_bfar = SCB->BFAR;
    res.bus_pc = frame[6];
    SCB->CFSR = SCB->CFSR; /* write 1 to clear */
    frame[6] += insn_len(frame[6]);
}

void usage_c(uint32_t *frame);
void usage_c(uint32_t *frame)
{
    uint32_t cfsr = SCB->CFSR;
    if (cfsr & SCB_CFSR_NOCP_Msk) {
        res.nocp_cfsr = cfsr;
        res.nocp_count++;
        SCB->CPACR |= (3UL << SCB_CPACR_CP10_Pos) | (3UL << SCB_CPACR_CP11_Pos); /* retry */
    } else {
        res.udf_cfsr = cfsr;
        res.udf_pc = frame[6];
        frame[6] += 2;
    }
    SCB->CFSR = cfsr;
}

__attribute__((naked)) void BusFault_Handler(void)
{
    __asm volatile("tst lr, #4\n ite eq\n mrseq r0, msp\n mrsne r0, psp\n b bus_c\n");
}

__attribute__((naked)) void UsageFault_Handler(void)
{
    __asm volatile("tst lr, #4\n ite eq\n mrseq r0, msp\n mrsne r0, psp\n b usage_c\n");
}

__attribute__((naked)) void HardFault_Handler(void)
{
    __asm volatile("1: b 1b\n");
}

int main(void)
{
    res.magic0 = RESULTS_MAGIC0;
    res.magic1 = RESULTS_MAGIC1;

    /* precise BusFault: load from a hole in the memory map */
    uint32_t v;
    __asm volatile("ldr r1, =0x30000000\n"
                   ".global bus_insn\nbus_insn:\n"
                   "ldr %0, [r1]\n" : "=r"(v) : : "r1", "memory");
    extern const char bus_insn[];
    res.bus_expected_pc = (uint32_t)bus_insn & ~1u;
    (void)v;

    /* UsageFault UNDEFINSTR */
    __asm volatile(".global udf_insn\nudf_insn:\n udf #0\n" ::: "memory");
    extern const char udf_insn[];
    res.udf_expected_pc = (uint32_t)udf_insn & ~1u;

    /* UsageFault NOCP: FP access with CP10/CP11 denied */
    SCB->CPACR &= ~((3UL << SCB_CPACR_CP10_Pos) | (3UL << SCB_CPACR_CP11_Pos));
    __DSB();
    __ISB();
    float f = 2.0f;
    __asm volatile("vmov s1, %0\n vadd.f32 s1, s1, s1\n" : : "r"(f) : "s1");

    res.done = 1;

    /* escalation to HardFault, whose handler spins: lock-up */
    SCB->SHCSR &= ~SCB_SHCSR_BUSFAULTENA_Msk;
    __asm volatile("ldr r1, =0x30000004\n ldr r0, [r1]\n" ::: "r0", "r1", "memory");
    for (;;)
        __WFI();
}
