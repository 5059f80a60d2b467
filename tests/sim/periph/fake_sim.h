/*
 * A host-only stand-in for the quartz-sim core (sim/core/sim.h) so the
 * peripheral models can be unit-tested without a CPU: it records mapped
 * regions, applies the RCC clock gating, keeps an event queue in virtual
 * time and records interrupt levels, warnings and unmodeled accesses.
 */
#ifndef FAKE_SIM_H
#define FAKE_SIM_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "core/sim.h"

#define FAKE_MAX_REGIONS 128
#define FAKE_MAX_WARNINGS 64

struct fake_region {
    const char *name;
    uint32_t base, size;
    const struct sim_mmio_ops *ops;
    void *dev;
    const uint32_t *enr;
    uint32_t bit;
};

struct qsim {
    struct fake_region regions[FAKE_MAX_REGIONS];
    int nregions;
    uint64_t now_ps;
    uint32_t hclk;
    struct sim_event *queue;
    bool irq[128];
    unsigned irq_rises[128];
    char warnings[FAKE_MAX_WARNINGS][256];
    int nwarnings;
    unsigned unmodeled;
    uint32_t last_unmodeled;
    unsigned gated;
    unsigned traces;
};

sim_t *fake_sim_new(void);
void fake_sim_free(sim_t *s);
uint32_t fake_read(sim_t *s, uint32_t address);
void fake_write(sim_t *s, uint32_t address, uint32_t value);
uint32_t fake_read_sized(sim_t *s, uint32_t address, unsigned size);
void fake_write_sized(sim_t *s, uint32_t address, uint32_t value, unsigned size);
/* Runs every event due up to `t_ps` (inclusive), then sets the time to it. */
void fake_run_until(sim_t *s, uint64_t t_ps);
void fake_run_for(sim_t *s, uint64_t dt_ps);
bool fake_warned(const sim_t *s, const char *substring);
void fake_clear_warnings(sim_t *s);

#endif
