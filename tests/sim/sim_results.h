/*
 * The result block a test image leaves in SRAM (the fw/ folders under tests/sim): found by
 * its two magic words, wherever the linker put it, and read whole. One
 * search for every image-based test (core, traps, priv, memev, mpu).
 */
#ifndef SIM_RESULTS_H
#define SIM_RESULTS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "quartzsim.h"

#define SIM_RESULTS_SRAM_BASE 0x20000000u
#define SIM_RESULTS_SRAM_END 0x20020000u /* 128 KB of SRAM (RM0390 2.3) */

static inline bool sim_results_find(const struct qsim *s, uint32_t magic0, uint32_t magic1, void *out,
                                    size_t size)
{
    for (uint32_t a = SIM_RESULTS_SRAM_BASE; a < SIM_RESULTS_SRAM_END - size; a += 4) {
        uint32_t m[2];
        if (qsim_read_mem(s, a, m, sizeof m) == 0 && m[0] == magic0 && m[1] == magic1)
            return qsim_read_mem(s, a, out, size) == 0;
    }
    return false;
}

#endif
