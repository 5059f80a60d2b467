/*
 * quartz-sim internal API between the core (sim/core: CPU, exceptions, NVIC,
 * SCS, memory, virtual time) and the chip and board models
 * (sim/stm32f446, sim/board). Models never touch Unicorn directly.
 *
 * Time: `sim_now_ps()` is virtual picoseconds since board reset. The core
 * advances it from executed cycles converted with the current HCLK
 * (sim_set_hclk). Picoseconds keep a 48 MHz cycle (20833.3 ps) exact enough
 * and 64 bits last 213 days.
 */
#ifndef SIM_CORE_SIM_H
#define SIM_CORE_SIM_H

#include <stdarg.h>
#include <stddef.h>
#include <stdbool.h>
#include <stdint.h>

struct qsim;
typedef struct qsim sim_t;

#define SIM_PS_PER_NS 1000ull
#define SIM_PS_PER_US 1000000ull
#define SIM_PS_PER_MS 1000000000ull
#define SIM_PS_PER_S  1000000000000ull

/* ---- memory-mapped peripherals ------------------------------------------ */

struct sim_mmio_ops {
    /* offset from the region base; size 1, 2 or 4 bytes. */
    uint32_t (*read)(void *dev, uint32_t offset, unsigned size);
    void (*write)(void *dev, uint32_t offset, uint32_t value, unsigned size);
    /* A debugger read (GDB `m`, docs/debugging.md): the value `read` would
     * return, without its side effects (no flag cleared, no FIFO popped, no
     * report entry). NULL: `read` has no side effects and is used. */
    uint32_t (*peek)(void *dev, uint32_t offset, unsigned size);
};

/*
 * Map a peripheral region. `clock_enr`/`clock_bit`: the RCC enable bit that
 * gates its bus clock (NULL: always clocked). While the bit is clear, reads
 * return 0 and writes are dropped, as on silicon, and the core counts the
 * access in the report ("gated_accesses", by peripheral name).
 */
void sim_mmio_map(sim_t *s, const char *name, uint32_t base, uint32_t size,
                  const struct sim_mmio_ops *ops, void *dev,
                  const uint32_t *clock_enr, uint32_t clock_bit);

/*
 * A bus master other than the CPU (the DMA controllers): one access of
 * `size` bytes (1, 2, 4) through the paths the CPU's loads and stores take,
 * flash and SRAM as host memory and peripheral regions through their
 * models' read/write (side effects included, RCC gating applied). Returns
 * false for a bus error: nothing mapped there, a reserved hole, or a write
 * to flash (programmed only through the FLASH interface).
 */
bool sim_bus_read(sim_t *s, uint32_t address, unsigned size, uint32_t *value);
bool sim_bus_write(sim_t *s, uint32_t address, unsigned size, uint32_t value);

/*
 * A store that the peripheral answers with a bus error (a wrong FLASH key
 * sequence, RM0390 3.5.1). Called from the model's write handler: a
 * BusFault follows as for any failed store, imprecise through the write
 * buffer unless ACTLR.DISDEFWBUF makes it precise (sim/core/faults.c).
 */
void sim_store_bus_error(sim_t *s, uint32_t address);

/*
 * Registers a model does not implement: it calls this from its read/write
 * handler. Reported once per address, with the register name from the SVD
 * when one was loaded.
 */
void sim_unmodeled(sim_t *s, uint32_t address, bool is_write);

/* ---- virtual time and events -------------------------------------------- */

typedef void (*sim_event_fn)(sim_t *s, void *dev, uint32_t arg);

/* Caller-owned event; the core never allocates. Zero-initialise before use. */
struct sim_event {
    uint64_t due_ps;
    sim_event_fn fn;
    void *dev;
    uint32_t arg;
    bool queued;
    struct sim_event *next; /* owned by the core's queue */
};

uint64_t sim_now_ps(const sim_t *s);
uint64_t sim_cycles(const sim_t *s);
/* (Re)schedule `ev` at absolute time `due_ps` (>= now); replaces a pending one. */
void sim_event_at(sim_t *s, struct sim_event *ev, uint64_t due_ps, sim_event_fn fn, void *dev, uint32_t arg);
void sim_event_cancel(sim_t *s, struct sim_event *ev);

/* The RCC model calls this when SW/SWS or the AHB prescaler change HCLK. */
void sim_set_hclk(sim_t *s, uint32_t hz);
uint32_t sim_hclk(const sim_t *s);

/* The FLASH model calls this when ACR.LATENCY changes (RM0390 3.8.1): the
 * wait states the pessimistic cycle model charges (QSIM_CYCLES_UPPER). */
void sim_set_flash_latency(sim_t *s, unsigned wait_states);

/* ---- flash memory (the FLASH interface model, RM0390 3.5) ------------------ */

/*
 * A CPU store to the flash array (at 0x08000000, or at its alias at 0):
 * `offset` from the array's start. The FLASH model decides what the cells
 * hold afterwards and writes them with sim_flash_write (program), or leaves
 * them (a store it refuses); the store itself never reaches the array.
 * Without a hook such a store is a bus error, as for the DMA.
 */
typedef void (*sim_flash_store_fn)(void *dev, uint32_t offset, unsigned size, uint32_t value);
void sim_flash_set_store_hook(sim_t *s, sim_flash_store_fn fn, void *dev);

/* The array's content by offset (both mappings); a write retranslates the code it changes. */
void sim_flash_read(sim_t *s, uint32_t offset, void *buf, size_t len);
void sim_flash_write(sim_t *s, uint32_t offset, const void *buf, size_t len);

/*
 * A program or erase runs until `due_ps`: a CPU that fetches from flash
 * stalls until then (RM0390 3.5: a read of the array during an operation
 * stalls the bus). Peripherals and virtual time go on; no instruction runs
 * and no exception is taken. Code running from SRAM is not held.
 */
void sim_flash_stall_until(sim_t *s, uint64_t due_ps);

/* ---- interrupts ----------------------------------------------------------- */

/*
 * Peripheral interrupt line `irqn` (0..96, position in the vector table minus
 * 16, as in the SVD). A high level pends the interrupt; while the line stays
 * high the NVIC pends it again after the handler returns (RM0390 10.1,
 * ARMv7-M B3.4.1). Edge-style sources (EXTI PR bits) keep the line high until
 * the firmware clears the flag, exactly like level sources.
 */
void sim_irq_set_level(sim_t *s, int irqn, bool level);

/*
 * A pulse on the core's event input (an EXTI event line, RM0390 10.2.3):
 * sets the event register, which wakes a WFE or makes the next WFE return
 * at once (ARMv7-M B1.5.18).
 */
void sim_cpu_event(sim_t *s);

/* ---- reports ------------------------------------------------------------- */

/*
 * Something the firmware did that the reference manual says misbehaves on
 * silicon (DR written before TXE, too few flash wait states, ...). Printed in
 * the report's "warnings"; identical messages are counted, not repeated.
 */
void sim_warn(sim_t *s, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

/* VCD trace of a named signal ("PA5", "I2C1.SDA", "irq.TIM2"); cheap when no VCD is open. */
void sim_trace(sim_t *s, const char *signal, unsigned width, uint32_t value);

#endif
