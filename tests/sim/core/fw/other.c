/*
 * Trap test image, row "Other faults":
 *   - INVSTATE (ARMv7-M A7.7.20 BX, B1.4.2 EPSR.T, B3.2.15): BX, BLX, POP
 *     and LDR to the PC with an even address clear EPSR.T; the instruction
 *     there faults INVSTATE, with that address and T = 0 stacked. An
 *     exception return whose stacked xPSR has T = 0 does the same at the
 *     return address. The handler sets T in the frame and returns there.
 *   - execute-never (B3.1 table B3-1): a fetch from the Peripheral,
 *     Device or System region is a MemManage IACCVIOL with MMARVALID
 *     clear, the stacked PC the address fetched; elsewhere an empty
 *     address is a BusFault IBUSERR. The handlers return to the caller
 *     (the stacked LR).
 *   - stores to a reserved address (Cortex-M4 TRM write buffer, 4.3.1
 *     ACTLR): imprecise BusFault (IMPRECISERR, BFARVALID clear) after the
 *     store, which does nothing; with ACTLR.DISDEFWBUF precise (PRECISERR,
 *     BFAR, stacked PC at the store); a store to the PPB and every load
 *     are precise.
 */
#include <stdint.h>

#include "cortex_m/core.h"
#include "cortex_m/intrinsics.h"
#include "trap_log.h"

#define ACTLR (*(volatile uint32_t *)0xE000E008u)
#define ACTLR_DISDEFWBUF (1u << 1)
#define XPSR_T (1u << 24)
#define CFSR_IACCVIOL (1u << 0)
#define CFSR_IBUSERR (1u << 8)
#define CFSR_PRECISERR (1u << 9)
#define CFSR_INVSTATE (1u << 17)

void trap_recover(uint32_t *frame, uint32_t cfsr)
{
    if (cfsr & CFSR_INVSTATE)
        frame[7] |= XPSR_T;           /* resume at the same address, in Thumb state */
    else if (cfsr & (CFSR_IACCVIOL | CFSR_IBUSERR))
        frame[6] = frame[5] & ~1u;    /* back to the caller of the bad BLX */
    else if (cfsr & CFSR_PRECISERR)
        frame[6] += trap_insn_len(frame[6]);
    /* IMPRECISERR: the stacked PC is after the store already */
}

/* SVC clears T in the stacked xPSR: the return faults INVSTATE. */
void SVC_Handler(void);
__attribute__((naked)) void SVC_Handler(void)
{
    __asm volatile("ldr r1, [sp, #28]\n bic r1, r1, #0x01000000\n str r1, [sp, #28]\n bx lr\n");
}

TRAP_HANDLER(MemManage_Handler, 4)
TRAP_HANDLER(BusFault_Handler, 5)
TRAP_HANDLER(UsageFault_Handler, 6)

extern const char t_bx[], t_blx[], t_pop[], t_ldrpc[], t_svc_ret[];

static void invstate(void)
{
    static volatile uint32_t target;
    trap_expect(t_bx);
    __asm volatile("adr r0, t_bx\n bx r0\n .global t_bx\n t_bx: nop\n" ::: "r0", "memory");
    trap_expect(t_blx);
    __asm volatile("adr r0, t_blx\n blx r0\n .global t_blx\n t_blx: nop\n" ::: "r0", "lr", "memory");
    trap_expect(t_pop);
    __asm volatile("adr r0, t_pop\n push {r0}\n pop {pc}\n .global t_pop\n t_pop: nop\n" ::: "r0", "memory");
    extern const char t_ldrpc[];
    target = (uint32_t)t_ldrpc & ~1u;
    trap_expect(t_ldrpc);
    __asm volatile("ldr pc, [%0]\n .global t_ldrpc\n t_ldrpc: nop\n" : : "r"(&target) : "memory");
    trap_expect(t_svc_ret);
    __asm volatile("svc #1\n .global t_svc_ret\n t_svc_ret: nop\n" ::: "memory");
}

static void fetch(uint32_t address)
{
    res.expect[res.count] = address & ~1u;
    __asm volatile("blx %0\n" : : "r"(address) : "r0", "r1", "r2", "r3", "r12", "lr", "memory", "cc");
}

extern const char t_store_precise[], t_store_ppb[], t_load_after_store[], t_load[];

static void stores(void)
{
    volatile uint32_t *reserved = (volatile uint32_t *)0x30000000u;
    /* buffered: the fault comes after the store, at the start of a later block */
    res.expect[res.count] = 0;
    *reserved = 1;
    __DSB();
    __ISB();
    res.ok[0] = res.count == 6 && res.log[5].exc == 5; /* taken by now */

    ACTLR |= ACTLR_DISDEFWBUF;
    trap_expect(t_store_precise);
    __asm volatile(".global t_store_precise\n t_store_precise: str %0, [%1, #4]\n"
                   : : "r"(2), "r"(reserved) : "memory");
    ACTLR &= ~ACTLR_DISDEFWBUF;
    trap_expect(t_store_ppb);
    __asm volatile(".global t_store_ppb\n t_store_ppb: str %0, [%1]\n" : : "r"(3), "r"(0xE0003000u) : "memory");
    /* a load from where a buffered store just went: precise, and the
     * store's imprecise fault comes with it (both CFSR bits, one entry) */
    uint32_t w = 0;
    trap_expect(t_load_after_store);
    __asm volatile("str %1, [%2, #12]\n .global t_load_after_store\n t_load_after_store: ldr %0, [%2, #16]\n"
                   : "+r"(w) : "r"(4), "r"(reserved) : "memory");
    __DSB();
    __ISB();
    uint32_t v = 0;
    trap_expect(t_load);
    __asm volatile(".global t_load\n t_load: ldr %0, [%1, #8]\n" : "+r"(v) : "r"(reserved) : "memory");
    res.ok[1] = v == 0 && w == 0;
}

int main(void)
{
    res.magic0 = TRAP_MAGIC0;
    res.magic1 = TRAP_MAGIC1;
    invstate();
    stores();
    fetch(0x40000001u); /* TIM2: Peripheral region */
    fetch(0xA0001001u); /* External device region */
    fetch(0xE000E001u); /* System region (SCS) */
    fetch(0x60000001u); /* External RAM region: executable, nothing there */
    res.done = 1;
    for (;;)
        __WFI();
}
