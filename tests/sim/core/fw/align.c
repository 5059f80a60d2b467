/*
 * Trap test image, row "Alignment and division faults" (ARMv7-M A3.2.1
 * table A3-1, B3.2.8 CCR, B3.2.15 UFSR; PM0214 4.4.8, 4.4.11):
 *   - LDRD, STRD, LDM, STM, LDREX, STREX, LDREXH, STREXH, VLDR, VSTM at an unaligned
 *     address fault UNALIGNED whatever CCR says, and do not access memory
 *     or write registers (no writeback);
 *   - LDR, LDRH, STR, LDRT, STRH fault only with CCR.UNALIGN_TRP; LDRB never;
 *   - SDIV/UDIV by zero fault DIVBYZERO with CCR.DIV_0_TRP (set by the
 *     runtime's startup), and give 0 without it;
 *   - a faulting instruction skipped by an IT condition does not fault;
 *     one whose base is computed in the same block, loaded from a literal
 *     or made from SP there does (the three ways the simulator decides).
 * The UsageFault handler logs and steps over the instruction.
 */
#include <stdint.h>

#include "cortex_m/core.h"
#include "cortex_m/intrinsics.h"
#include "trap_log.h"

uint32_t buf[4] __attribute__((aligned(8)));

/* Go on after the faulting instruction. */
void trap_recover(uint32_t *frame, uint32_t cfsr)
{
    (void)cfsr;
    frame[6] += trap_insn_len(frame[6]);
}

TRAP_HANDLER(UsageFault_Handler, 6)

static void fill(uint32_t value)
{
    for (int i = 0; i < 4; i++)
        buf[i] = value;
}

static uint32_t untouched(uint32_t value)
{
    return buf[0] == value && buf[1] == value && buf[2] == value && buf[3] == value;
}

extern const char t_ldrd[], t_strd[], t_ldm[], t_stm[], t_ldrex[], t_strex[], t_ldrexh[], t_strexh[];
extern const char t_vldr[], t_vstm[];
extern const char t_ldrd_computed[], t_ldrd_literal[], t_ldr_sp[];
extern const char t_ldr_trp[], t_ldrh_trp[], t_str_trp[], t_ldrt_trp[], t_strh_trp[], t_udiv[], t_sdiv[];

static void always_faulting(void)
{
    uint8_t *odd = (uint8_t *)buf + 2;
    uint32_t a = 0x11111111u, b = 0x22222222u, base;

    trap_expect(t_ldrd);
    __asm volatile(".global t_ldrd\nt_ldrd: ldrd %0, %1, [%2]\n" : "+r"(a), "+r"(b) : "r"(odd) : "memory");
    res.ok[0] = a == 0x11111111u && b == 0x22222222u;

    fill(0xA5A5A5A5u);
    trap_expect(t_strd);
    __asm volatile(".global t_strd\nt_strd: strd %0, %1, [%2]\n" : : "r"(a), "r"(b), "r"(odd) : "memory");
    res.ok[1] = untouched(0xA5A5A5A5u);

    /* 16-bit LDMIA with writeback: neither the registers nor the base change */
    trap_expect(t_ldm);
    __asm volatile("mov r1, %2\n movs r2, #0\n movs r3, #0\n"
                   ".global t_ldm\nt_ldm: ldmia r1!, {r2, r3}\n"
                   "mov %0, r1\n orrs r2, r3\n mov %1, r2\n"
                   : "=r"(base), "=r"(a) : "r"(odd) : "r1", "r2", "r3", "memory");
    res.ok[2] = base == (uint32_t)odd && a == 0;

    trap_expect(t_stm);
    __asm volatile("mov r1, %0\n movs r2, #1\n movs r3, #2\n"
                   ".global t_stm\nt_stm: stmia.w r1, {r2, r3}\n" : : "r"(odd) : "r1", "r2", "r3", "memory");
    res.ok[3] = untouched(0xA5A5A5A5u);

    a = 0x33333333u;
    trap_expect(t_ldrex);
    __asm volatile(".global t_ldrex\nt_ldrex: ldrex %0, [%1]\n" : "+r"(a) : "r"(odd) : "memory");
    res.ok[4] = a == 0x33333333u;

    b = 0x44444444u;
    trap_expect(t_strex);
    __asm volatile(".global t_strex\nt_strex: strex %0, %1, [%2]\n" : "+&r"(b) : "r"(a), "r"(odd) : "memory");
    res.ok[5] = b == 0x44444444u && untouched(0xA5A5A5A5u);

    trap_expect(t_ldrexh);
    __asm volatile(".global t_ldrexh\nt_ldrexh: ldrexh %0, [%1]\n" : "+r"(a) : "r"((uint8_t *)buf + 1) : "memory");
    trap_expect(t_strexh);
    __asm volatile(".global t_strexh\nt_strexh: strexh %0, %1, [%2]\n"
                   : "+&r"(b) : "r"(a), "r"((uint8_t *)buf + 3) : "memory");
    res.ok[6] = untouched(0xA5A5A5A5u);
    __asm volatile("clrex" ::: "memory");

    /* skipped by IT: no fault; base made odd in the same block: fault */
    __asm volatile("cmp %2, %2\n it ne\n ldrdne %0, %1, [%2]\n" : "+r"(a), "+r"(b) : "r"(odd) : "cc", "memory");
    trap_expect(t_ldrd_computed);
    __asm volatile("mov r1, %0\n adds r1, #1\n"
                   ".global t_ldrd_computed\nt_ldrd_computed: ldrd r2, r3, [r1]\n"
                   : : "r"(buf) : "r1", "r2", "r3", "memory");
    /* base from a flash literal in the same block (decided at decode) */
    trap_expect(t_ldrd_literal);
    __asm volatile("ldr r1, =buf + 2\n"
                   ".global t_ldrd_literal\nt_ldrd_literal: ldrd r2, r3, [r1]\n" ::: "r1", "r2", "r3", "memory");
    /* FP loads and stores are word accesses too (the startup enables CP10/CP11) */
    trap_expect(t_vldr);
    __asm volatile(".global t_vldr\nt_vldr: vldr s0, [%0]\n" : : "r"(odd) : "s0", "memory");
    trap_expect(t_vstm);
    __asm volatile(".global t_vstm\nt_vstm: vstmia %0, {s0, s1}\n" : : "r"(odd) : "memory");
    res.ok[14] = untouched(0xA5A5A5A5u);
}

static void unaligned_trap(void)
{
    uint8_t *odd = (uint8_t *)buf + 1;
    uint32_t v = 0;
    buf[0] = 0x44332211u;
    buf[1] = 0x88776655u;
    /* UNALIGN_TRP clear: unaligned word and halfword accesses work */
    __asm volatile("ldr %0, [%1]\n" : "=r"(v) : "r"(odd) : "memory");
    res.ok[7] = v == 0x55443322u;

    SCB->CCR |= SCB_CCR_UNALIGN_TRP_Msk;
    __DSB();
    __ISB();
    v = 0x12345678u;
    trap_expect(t_ldr_trp);
    __asm volatile(".global t_ldr_trp\nt_ldr_trp: ldr %0, [%1]\n" : "+r"(v) : "r"(odd) : "memory");
    trap_expect(t_ldrh_trp);
    __asm volatile(".global t_ldrh_trp\nt_ldrh_trp: ldrh %0, [%1, #2]\n" : "+r"(v) : "r"(odd) : "memory");
    res.ok[8] = v == 0x12345678u;
    trap_expect(t_str_trp);
    __asm volatile(".global t_str_trp\nt_str_trp: str %0, [%1, #4]\n" : : "r"(v), "r"(odd) : "memory");
    res.ok[9] = buf[1] == 0x88776655u && buf[2] == 0xA5A5A5A5u;
    /* the unprivileged form, and a halfword store */
    trap_expect(t_ldrt_trp);
    __asm volatile(".global t_ldrt_trp\nt_ldrt_trp: ldrt %0, [%1, #4]\n" : "+r"(v) : "r"(odd) : "memory");
    trap_expect(t_strh_trp);
    __asm volatile(".global t_strh_trp\nt_strh_trp: strh %0, [%1, #2]\n" : : "r"(v), "r"(odd) : "memory");
    res.ok[15] = v == 0x12345678u && buf[0] == 0x44332211u;
    /* SP plus a multiple of 4 made in the block, odd offset */
    trap_expect(t_ldr_sp);
    __asm volatile("add r1, sp, #4\n .global t_ldr_sp\nt_ldr_sp: ldr r2, [r1, #2]\n" ::: "r1", "r2", "memory");
    /* bytes, and aligned words, never fault */
    __asm volatile("ldrb %0, [%1]\n" : "=r"(v) : "r"(odd) : "memory");
    res.ok[10] = v == 0x22;
    __asm volatile("ldr %0, [%1, #3]\n" : "=r"(v) : "r"(odd) : "memory");
    res.ok[11] = v == 0x88776655u;
    SCB->CCR &= ~SCB_CCR_UNALIGN_TRP_Msk;
    __DSB();
    __ISB();
}

static void divide(void)
{
    volatile uint32_t zero = 0;
    uint32_t q = 77;
    trap_expect(t_udiv);
    __asm volatile(".global t_udiv\nt_udiv: udiv %0, %1, %2\n" : "+r"(q) : "r"(100u), "r"(zero));
    int32_t sq = 78;
    trap_expect(t_sdiv);
    __asm volatile(".global t_sdiv\nt_sdiv: sdiv %0, %1, %2\n" : "+r"(sq) : "r"(-100), "r"(zero));
    res.ok[12] = q == 77 && sq == 78;

    SCB->CCR &= ~SCB_CCR_DIV_0_TRP_Msk;
    __DSB();
    __ISB();
    __asm volatile("udiv %0, %1, %2\n" : "+r"(q) : "r"(100u), "r"(zero));
    res.ok[13] = q == 0;
    SCB->CCR |= SCB_CCR_DIV_0_TRP_Msk;
    __DSB();
    __ISB();
}

int main(void)
{
    res.magic0 = TRAP_MAGIC0;
    res.magic1 = TRAP_MAGIC1;
    always_faulting();
    unaligned_trap();
    divide();
    res.done = 1;
    for (;;)
        __WFI();
}
