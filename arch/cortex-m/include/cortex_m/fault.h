/*
 * Fault evidence kept across a reset. HardFault, MemManage, BusFault,
 * UsageFault and every exception without a handler save the stacked frame
 * and the fault status registers (ARMv7-M B3.2.15-B3.2.18) to no-init RAM
 * and reset the chip; the next boot takes the record and reports it.
 * A failed QUARTZ_ASSERT (quartz/assert.h) leaves a record too, with
 * FAULT_ASSERT set and the file id and line in `assert_where`.
 */
#ifndef CORTEX_M_FAULT_H
#define CORTEX_M_FAULT_H

#include <stdbool.h>
#include <stdint.h>

/* flags */
#define FAULT_FRAME_VALID 0x1U /* r0..xpsr were read from a stack frame in RAM */
#define FAULT_PSP 0x2U         /* the frame was on the process stack */
#define FAULT_ASSERT 0x4U      /* a broken contract: QUARTZ_ASSERT, not an exception */

struct fault_record {
    uint32_t magic;
    uint32_t exception; /* IPSR: 3 HardFault, 4 MemManage, 5 BusFault, 6 UsageFault, 16 + n IRQ n;
                           with FAULT_ASSERT the context that asserted (0 thread) */
    uint32_t flags;
    uint32_t exc_return;
    uint32_t sp; /* where the frame was (or would have been) */
    uint32_t r0, r1, r2, r3, r12, lr, pc, xpsr;
    uint32_t cfsr, hfsr, mmfar, bfar;
    uint32_t assert_where; /* FAULT_ASSERT: file id << 16 | line (quartz/assert.h) */
    uint32_t check; /* ~(sum of the words above): a record half-written before a power loss is ignored */
};

/* Copies the record left by the previous boot to *out and clears it.
 * Returns false when there is none (cold boot or a clean reset). */
bool fault_take(struct fault_record *out);

/* File id and line of a FAULT_ASSERT record. */
static inline uint32_t fault_assert_file(const struct fault_record *r)
{
    return r->assert_where >> 16;
}

static inline uint32_t fault_assert_line(const struct fault_record *r)
{
    return r->assert_where & 0xFFFFU;
}

/* Short name of an exception number ("HardFault", "BusFault", "IRQ"...). */
const char *fault_exception_name(uint32_t exception);

#endif
