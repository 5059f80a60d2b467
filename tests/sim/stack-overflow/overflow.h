/*
 * Shared by the stack-overflow firmware image (main.c) and its quartz-sim
 * test (test_stack_overflow.c): the .data canary the overflow must not
 * touch and the result the image leaves in .noinit after the reset.
 */
#ifndef QUARTZ_TEST_OVERFLOW_H
#define QUARTZ_TEST_OVERFLOW_H

#include <stdint.h>

#define OVERFLOW_CANARY_WORDS 16U
#define OVERFLOW_CANARY(i) (0xDA7A0000UL + 0x1111UL * (uint32_t)(i))
#define OVERFLOW_RESULT_MAGIC 0x0F10C0DEUL

struct overflow_result {
    uint32_t magic;     /* OVERFLOW_RESULT_MAGIC once the second boot took a fault record */
    uint32_t exception; /* fault_record.exception */
    uint32_t flags;     /* fault_record.flags */
    uint32_t cfsr;
    uint32_t hfsr;
    uint32_t sp;
};

#endif
