/*
 * Trap test image: the stacked PC and BFAR of a precise BusFault raised by
 * an instruction that follows, in the same block, other loads and stores
 * whose base registers the block has already moved (ARMv7-M B1.5.6: the
 * stacked ReturnAddress of a precise fault is the faulting instruction;
 * B3.2.18 BFAR). ACTLR.DISDEFWBUF is set so that stores to reserved
 * addresses fault precisely (Cortex-M4 TRM 4.3.1). Each sequence runs
 * without a branch, so the simulator sees it as one block:
 *   - a post-indexed load onto the bad address, then a faulting store;
 *   - a load, a post-indexed store onto the bad address, a faulting load;
 *   - LDM with writeback, then a faulting STR; LDRD post-indexed, STRD;
 *   - a post-indexed LDRH onto the bad address, then a faulting STRH
 *     through the moved base (a store to flash is no fault: the FLASH
 *     interface refuses it with PGSERR, RM0390 3.8.4);
 *   - a post-indexed load onto the bad address, then a faulting PUSH.W
 *     (on PSP, so that the exception frame lands in SRAM).
 * The BusFault handler logs and steps over the instruction.
 */
#include <stdint.h>

#include "cortex_m/core.h"
#include "cortex_m/intrinsics.h"
#include "trap_log.h"

#define ACTLR (*(volatile uint32_t *)0xE000E008u)
#define ACTLR_DISDEFWBUF (1u << 1)

/* Go on after the faulting instruction. */
void trap_recover(uint32_t *frame, uint32_t cfsr)
{
    (void)cfsr;
    frame[6] += trap_insn_len(frame[6]);
}

TRAP_HANDLER(BusFault_Handler, 5)

extern const char t_store[], t_load[], t_ldm[], t_strd[], t_half[], t_push[];

int main(void)
{
    res.magic0 = TRAP_MAGIC0;
    res.magic1 = TRAP_MAGIC1;
    SCB->SHCSR |= SCB_SHCSR_BUSFAULTENA_Msk;
    ACTLR |= ACTLR_DISDEFWBUF;

    /* the last SRAM word is read, then the store past SRAM faults */
    trap_expect(t_store);
    __asm volatile("ldr r3, =0x2001FFFC\n ldr r0, =0x20020000\n"
                   "ldr r1, [r3], #4\n"
                   ".global t_store\n t_store: str r1, [r0]\n"
                   ::: "r0", "r1", "r3", "memory");
    /* the last SRAM word is read and written back (same value), the load past SRAM faults */
    trap_expect(t_load);
    __asm volatile("ldr r3, =0x2001FFFC\n ldr r0, =0x20020000\n"
                   "ldr r2, [r3]\n str r2, [r3], #4\n"
                   ".global t_load\n t_load: ldr r1, [r0]\n"
                   ::: "r0", "r1", "r2", "r3", "memory");
    trap_expect(t_ldm);
    __asm volatile("ldr r3, =0x2001FFF8\n ldr r0, =0x20020000\n"
                   "ldmia r3!, {r1, r2}\n"
                   ".global t_ldm\n t_ldm: str r1, [r0]\n"
                   ::: "r0", "r1", "r2", "r3", "memory");
    trap_expect(t_strd);
    __asm volatile("ldr r3, =0x2001FFF8\n ldr r0, =0x20020000\n"
                   "ldrd r1, r2, [r3], #8\n"
                   ".global t_strd\n t_strd: strd r1, r2, [r0]\n"
                   ::: "r0", "r1", "r2", "r3", "memory");
    /* halfwords: LDRH post-indexed from SRAM's last word onto the bad
     * address, then STRH through the moved base */
    trap_expect(t_half);
    __asm volatile("ldr r3, =0x2001FFFC\n"
                   "ldrh r1, [r3], #4\n"
                   ".global t_half\n t_half: strh r1, [r3]\n"
                   ::: "r1", "r3", "memory");
    res.ok[0] = res.count == 5 && res.log[4].bfar == 0x20020000u;
    /* PUSH.W of 14 registers from PSP = 0x20000028: its first word is at
     * 0x1FFFFFF0, below SRAM; the frame of the BusFault fits above 0x20000000
     * (the stack's unused bottom). CONTROL = SPSEL only: a basic frame. */
    trap_expect(t_push);
    __asm volatile("ldr r5, =0x20000000\n ldr r6, =0x20000028\n msr psp, r6\n"
                   "movs r6, #2\n msr control, r6\n isb\n"
                   "ldr r4, [r5], #-16\n"
                   ".global t_push\n t_push: push.w {r0-r12, lr}\n"
                   "movs r6, #0\n msr control, r6\n isb\n"
                   ::: "r4", "r5", "r6", "memory");

    ACTLR &= ~ACTLR_DISDEFWBUF;
    res.done = 1;
    for (;;)
        __WFI();
}
