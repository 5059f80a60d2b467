/*
 * Stack-overflow test image: the first boot recurses until the main stack
 * runs off the bottom of SRAM. The stacking write below 0x20000000 must
 * fault (BusFault STKERR, or HardFault), the handler records it and resets;
 * the second boot takes the record and leaves a summary in .noinit for the
 * simulator test. The .data canary must be intact when the fault is taken.
 */
#include <stdint.h>

#include "cortex_m/fault.h"
#include "cortex_m/intrinsics.h"
#include "overflow.h"

/* In .data, directly above the stack region: the first thing an overflow
 * would overwrite if the stack sat on top of the data. */
volatile uint32_t overflow_canary[OVERFLOW_CANARY_WORDS] = {
    OVERFLOW_CANARY(0), OVERFLOW_CANARY(1), OVERFLOW_CANARY(2), OVERFLOW_CANARY(3),
    OVERFLOW_CANARY(4), OVERFLOW_CANARY(5), OVERFLOW_CANARY(6), OVERFLOW_CANARY(7),
    OVERFLOW_CANARY(8), OVERFLOW_CANARY(9), OVERFLOW_CANARY(10), OVERFLOW_CANARY(11),
    OVERFLOW_CANARY(12), OVERFLOW_CANARY(13), OVERFLOW_CANARY(14), OVERFLOW_CANARY(15),
};

struct overflow_result overflow_result __attribute__((section(".noinit")));

/* A bound the compiler cannot see through, so the recursion is real. */
volatile uint32_t overflow_limit = 0xFFFFFFFFUL;
volatile uint32_t overflow_depth;

__attribute__((noinline)) static uint32_t recurse(uint32_t n)
{
    volatile uint32_t frame[8];
    frame[n & 7U] = n;
    overflow_depth = n;
    if (n >= overflow_limit)
        return 0;
    return recurse(n + 1) + frame[n & 7U];
}

int main(void)
{
    struct fault_record rec;
    if (fault_take(&rec)) {
        overflow_result.exception = rec.exception;
        overflow_result.flags = rec.flags;
        overflow_result.cfsr = rec.cfsr;
        overflow_result.hfsr = rec.hfsr;
        overflow_result.sp = rec.sp;
        overflow_result.magic = OVERFLOW_RESULT_MAGIC;
        for (;;)
            __WFI();
    }
    overflow_result.magic = 0;
    /* Referencing the canary keeps it in the image (--gc-sections). */
    uint32_t sum = 0;
    for (unsigned i = 0; i < OVERFLOW_CANARY_WORDS; i++)
        sum += overflow_canary[i];
    return (int)(recurse(0) + sum);
}
