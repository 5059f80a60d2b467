/*
 * Bit-band aliases (ARMv7-M A3.7 "Bit-banding", Cortex-M4 TRM 3.7, PM0214
 * 2.2.5): each 32-bit word of an alias region reaches one bit of its 1 MB
 * bit-band region,
 *     alias = alias_base + byte_offset * 32 + bit_number * 4,
 * for SRAM (0x20000000-0x200FFFFF, alias 0x22000000-0x23FFFFFF) and the
 * peripherals (0x40000000-0x400FFFFF, alias 0x42000000-0x43FFFFFF).
 *
 * A read of the alias returns the bit in bit 0; a write sets or clears the
 * bit from bit 0 of the value, as a read-modify-write of the bit-band
 * region. The TRM: the bit-band access is made with the size of the alias
 * access, so a byte alias access reads and writes the byte holding the bit,
 * a halfword one its halfword, a word one its word.
 *
 * Peripherals: the read and the write go through the peripheral model, as
 * the two bus transfers do on silicon, so the read's side effects happen
 * (a register that clears on read is cleared by a bit-band write to any of
 * its bits; a write-1-to-clear register gets back every bit that read as 1)
 * and a gated or reserved address behaves as for a normal access. Only the
 * alias of peripheral pages that hold a model is mapped: elsewhere the alias
 * is unmapped, a precise BusFault at the alias address, as is the alias of
 * SRAM past its 128 KB. Each alias is mapped at its first access
 * (core_bitband_map_for).
 *
 * SRAM: the byte is changed in the host buffer Unicorn maps as SRAM
 * (core_cpu_init), so loads see it at once; translated code on that byte is
 * dropped, so code in SRAM changed through the alias runs as changed.
 *
 * Time: an alias access costs what the instruction costs for any load or
 * store (blocks.c); the extra bus read of the read-modify-write is not
 * charged.
 */
#include "core/core.h"

#define BITBAND_SRAM_ALIAS 0x22000000u
#define BITBAND_PERIPH_BASE 0x40000000u
#define BITBAND_PERIPH_ALIAS 0x42000000u
#define BITBAND_REGION_SIZE 0x00100000u /* 1 MB of bit-band region per alias */
#define BITBAND_SCALE 32u               /* alias bytes per region byte */

/* What an alias access at `offset` from an alias base reaches: the access
 * of `size` bytes at `at` (from the region base) and the bit in it. */
struct bitband_target {
    uint32_t at;
    unsigned shift;
};

static struct bitband_target target(uint64_t offset, unsigned size)
{
    uint32_t byte = (uint32_t)(offset / BITBAND_SCALE);
    unsigned bit = (unsigned)(offset >> 2) & 7u;
    uint32_t at = byte & ~(uint32_t)(size - 1);
    return (struct bitband_target){at, (byte - at) * 8u + bit};
}

static uint32_t with_bit(uint32_t word, unsigned shift, uint64_t value)
{
    return (value & 1u) ? word | (1u << shift) : word & ~(1u << shift);
}

/* ---- SRAM ------------------------------------------------------------------ */

static uint64_t sram_read(uc_engine *uc, uint64_t offset, unsigned size, void *user)
{
    struct qsim *s = user;
    (void)uc;
    (void)size; /* the bit is the same whatever the width around it */
    uint32_t byte = (uint32_t)(offset / BITBAND_SCALE);
    return (s->sram[byte] >> ((offset >> 2) & 7u)) & 1u;
}

static void sram_write(uc_engine *uc, uint64_t offset, unsigned size, uint64_t value, void *user)
{
    struct qsim *s = user;
    (void)size;
    uint32_t byte = (uint32_t)(offset / BITBAND_SCALE);
    uint8_t old = s->sram[byte];
    uint8_t now = (uint8_t)with_bit(old, (unsigned)(offset >> 2) & 7u, value);
    if (now == old)
        return;
    s->sram[byte] = now;
    /* Unicorn invalidates translations when its own stores hit code, not
     * when the host writes the buffer: drop any on this byte (cheap when
     * the page holds no code). */
    uc_ctl_remove_cache(uc, (uint64_t)CORE_SRAM_BASE + byte, (uint64_t)CORE_SRAM_BASE + byte + 1);
}

/* ---- peripherals ----------------------------------------------------------- */

static uint64_t periph_read(uc_engine *uc, uint64_t offset, unsigned size, void *user)
{
    (void)uc;
    struct bitband_target t = target(offset, size);
    return (core_mmio_run_read(user, t.at, size) >> t.shift) & 1u;
}

static void periph_write(uc_engine *uc, uint64_t offset, unsigned size, uint64_t value, void *user)
{
    (void)uc;
    struct bitband_target t = target(offset, size);
    uint32_t word = core_mmio_run_read(user, t.at, size);
    core_mmio_run_write(user, t.at, with_bit(word, t.shift, value), size);
}

/* ---- mapping on first use ------------------------------------------------ */

/* The run of peripheral pages (mmio.c) holding `addr`, or NULL. */
static struct mmio_run *run_at(struct qsim *s, uint32_t addr)
{
    for (int i = 0; i < s->run_count; i++) {
        struct mmio_run *run = s->runs[i];
        if (addr - run->base < run->pages * CORE_PAGE)
            return run;
    }
    return NULL;
}

/*
 * An access to unmapped `addr`: if it is in the alias of SRAM or of a run
 * of mapped peripheral pages, map that alias and return true (Unicorn then
 * retries the access). Mapping every alias at start-up costs about 10 M host
 * instructions of Unicorn memory-map updates (a third of the start-up),
 * which firmware that never uses bit-banding should not pay.
 */
bool core_bitband_map_for(struct qsim *s, uint32_t addr)
{
    uc_err err;
    uint32_t alias;
    if (addr - BITBAND_SRAM_ALIAS < CORE_SRAM_SIZE * BITBAND_SCALE) {
        alias = BITBAND_SRAM_ALIAS;
        err = uc_mmio_map(s->uc, alias, (size_t)CORE_SRAM_SIZE * BITBAND_SCALE, sram_read, s, sram_write, s);
    } else if (addr - BITBAND_PERIPH_ALIAS < BITBAND_REGION_SIZE * BITBAND_SCALE) {
        struct mmio_run *run = run_at(s, BITBAND_PERIPH_BASE + (addr - BITBAND_PERIPH_ALIAS) / BITBAND_SCALE);
        if (!run)
            return false;
        uint32_t from = run->base - BITBAND_PERIPH_BASE, size = run->pages * CORE_PAGE;
        if (size > BITBAND_REGION_SIZE - from)
            size = BITBAND_REGION_SIZE - from;
        alias = BITBAND_PERIPH_ALIAS + from * BITBAND_SCALE;
        err = uc_mmio_map(s->uc, alias, (size_t)size * BITBAND_SCALE, periph_read, run, periph_write, run);
    } else {
        return false;
    }
    if (err != UC_ERR_OK)
        sim_warn(s, "cannot map the bit-band alias at 0x%08x: %s", alias, uc_strerror(err));
    return err == UC_ERR_OK;
}
