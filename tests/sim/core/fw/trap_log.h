/*
 * Fault log of the trap test images (align.c, other.c, faultpc.c), shared by the
 * firmware and the host test (test_traps.c): each fault handler appends
 * the exception number, CFSR, BFAR, MMFAR and the stacked PC and xPSR
 * (ARMv7-M B1.5.6 frame), then recovers (trap_recover, per image). Each
 * step also writes where it expects the fault (expect[]), found by the
 * host through the log index.
 */
#ifndef TRAP_LOG_H
#define TRAP_LOG_H

#include <stdint.h>

#define TRAP_MAGIC0 0x7A1C0DE5u
#define TRAP_MAGIC1 0xFA0175EDu
#define TRAP_LOG 32

struct trap_entry {
    uint32_t exc, cfsr, bfar, mmfar, pc, xpsr;
};

struct trap_results {
    uint32_t magic0, magic1;
    uint32_t done, count;
    struct trap_entry log[TRAP_LOG];
    uint32_t expect[TRAP_LOG]; /* expected stacked PC of log entry i */
    uint32_t ok[TRAP_LOG];     /* per-step observations (registers, memory), 1 = as the manual says */
};

extern volatile struct trap_results res;

/* Firmware side (trap_log.c). */
uint32_t trap_insn_len(uint32_t pc);
/* Logs the fault of exception `exc` whose frame is at `frame`, then calls
 * the image's trap_recover with the CFSR bits it saw. */
void trap_fault(uint32_t *frame, uint32_t exc);
void trap_recover(uint32_t *frame, uint32_t cfsr);
/* The next fault is expected at `label`. */
void trap_expect(const char *label);

/* A fault handler that passes its frame (MSP or PSP, by EXC_RETURN bit 2)
 * and exception number to trap_fault. */
#define TRAP_HANDLER(name, exc)                                                               \
    __attribute__((naked)) void name(void)                                                    \
    {                                                                                         \
        __asm volatile("tst lr, #4\n ite eq\n mrseq r0, msp\n mrsne r0, psp\n movs r1, #" #exc \
                       "\n b trap_fault\n");                                                \
    }

#endif
