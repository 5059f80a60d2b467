/*
 * A host-only test double for the rest of the quartz-sim core around the
 * real virtual time (sim/core/time.c, linked as it is), so the peripheral
 * models can be unit-tested without a CPU: it records mapped regions,
 * applies the RCC clock gating, and records interrupt levels, warnings and
 * unmodeled accesses. Time passes as it does for a sleeping CPU: cycles
 * jump to the next event (fake_run_until).
 */
#ifndef FAKE_SIM_H
#define FAKE_SIM_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "core/core.h"

#define FAKE_MAX_REGIONS 128
#define FAKE_MAX_WARNINGS 64
/* Memory the double's bus (sim_bus_read/write, for the DMA) reaches: SRAM
 * and flash (read-only) at their addresses, smaller than the chip's. */
#define FAKE_SRAM_BASE 0x20000000u
#define FAKE_SRAM_SIZE 0x10000u
#define FAKE_FLASH_BASE 0x08000000u
#define FAKE_FLASH_SIZE 0x1000u

struct fake_region {
    const char *name;
    uint32_t base, size;
    const struct sim_mmio_ops *ops;
    void *dev;
    const uint32_t *enr;
    uint32_t bit;
};

struct fake_sim {
    struct qsim core; /* first: a struct fake_sim * is the sim_t * the models get */
    struct fake_region regions[FAKE_MAX_REGIONS];
    int nregions;
    bool irq[128];
    unsigned irq_rises[128];
    char warnings[FAKE_MAX_WARNINGS][256];
    int nwarnings;
    unsigned unmodeled;
    uint32_t last_unmodeled;
    unsigned gated;
    unsigned traces;
    uint8_t sram[FAKE_SRAM_SIZE];
    uint8_t flash[FAKE_FLASH_SIZE];
    unsigned cpu_events; /* sim_cpu_event pulses (EXTI event lines) */
    /* The flash array as the FLASH model sees it (sim_flash_*), and what it asked for. */
    uint8_t flash_array[512 * 1024];
    sim_flash_store_fn flash_store;
    void *flash_store_dev;
    uint64_t flash_stall_ps;
    unsigned bus_errors; /* sim_store_bus_error */
};

/* What the double recorded for `s` (made by fake_sim_new). */
static inline struct fake_sim *fake(sim_t *s)
{
    return (struct fake_sim *)s;
}

sim_t *fake_sim_new(void);
void fake_sim_free(sim_t *s);
uint32_t fake_read(sim_t *s, uint32_t address);
uint32_t fake_peek(sim_t *s, uint32_t address); /* the debugger's read: no side effects */
void fake_write(sim_t *s, uint32_t address, uint32_t value);
uint32_t fake_read_sized(sim_t *s, uint32_t address, unsigned size);
void fake_write_sized(sim_t *s, uint32_t address, uint32_t value, unsigned size);
/* Runs every event due up to `t_ps` (inclusive); time is then the first HCLK cycle at or after it. */
void fake_run_until(sim_t *s, uint64_t t_ps);
void fake_run_for(sim_t *s, uint64_t dt_ps);
bool fake_warned(const sim_t *s, const char *substring);
/* A CPU store to the flash array at `offset`, through the FLASH model's hook. */
void fake_flash_store(sim_t *s, uint32_t offset, unsigned size, uint32_t value);
void fake_clear_warnings(sim_t *s);

#endif
