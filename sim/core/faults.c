/*
 * Fetch faults and bus faults of stores, around what Unicorn reports.
 *
 * Fetch: Unicorn reports a fetch from a page it cannot execute (an MMIO
 * page: interrupt 3; nothing mapped: the unmapped-fetch hook). The default
 * memory map makes some regions execute-never (ARMv7-M B3.1, table B3-1):
 * a fetch there is a MemManage fault IACCVIOL with or without an MPU, MMFAR
 * not valid (B3.2.15); elsewhere a failed fetch is a BusFault IBUSERR.
 *
 * Stores: the Cortex-M4 puts stores to Normal and Device memory through a
 * one-entry write buffer (Cortex-M4 TRM, "Write buffer"), so a bus error
 * on a store arrives after the instruction has completed: an imprecise
 * BusFault, IMPRECISERR, BFAR not valid (PM0214 4.4.11). ACTLR.DISDEFWBUF
 * turns the buffer off for the default memory map, which makes all bus
 * faults precise (Cortex-M4 TRM 4.3.1). Stores to the Private
 * Peripheral Bus (0xE0000000-0xE00FFFFF, Strongly-ordered, B3.1) are not
 * buffered either. Loads are always precise.
 *
 * The rule quartz-sim follows, so that the timing is deterministic: a
 * buffered store to a reserved address does nothing, execution goes on to
 * the end of the store's translated block, and the BusFault is pended
 * there, as the next block would start (the stacked PC is that block's
 * first instruction). An imprecise BusFault is asynchronous: it waits while
 * the execution priority is at or above BusFault's, and with BusFault
 * disabled it pends HardFault instead (PM0214 4.4.11 IMPRECISERR; table 17:
 * "Asynchronous when imprecise").
 */
#include "core/core.h"

#define MMFSR_IACCVIOL (1u << 0)
#define BFSR_IBUSERR (1u << 8)
#define BFSR_IMPRECISERR (1u << 10)
#define HFSR_FORCED (1u << 30)
#define ACTLR_DISDEFWBUF (1u << 1)

/*
 * Execute-never in the default memory map (table B3-1): Peripheral
 * 0x40000000-0x5FFFFFFF, External device 0xA0000000-0xDFFFFFFF and System
 * 0xE0000000-0xFFFFFFFF. The MPU's background region uses the same rule.
 */
bool core_default_xn(uint32_t addr)
{
    return (addr >= 0x40000000u && addr < 0x60000000u) || addr >= 0xA0000000u;
}

/* An instruction fetch at s->pc failed (stacked PC = s->pc, B1.5.6). */
void core_fetch_fault(struct qsim *s)
{
    if (core_default_xn(s->pc))
        core_fault(s, EXC_MEMMANAGE, MMFSR_IACCVIOL, 0, s->pc);
    else
        core_fault(s, EXC_BUSFAULT, BFSR_IBUSERR, 0, s->pc);
}

static bool buffered(const struct qsim *s, uint32_t addr)
{
    bool ppb = addr >= 0xE0000000u && addr < 0xE0100000u;
    return !ppb && !(s->scs.actlr & ACTLR_DISDEFWBUF);
}

static void buffered_error(struct qsim *s, uint32_t addr)
{
    s->imprecise = true;
    sim_warn(s, "store to reserved address 0x%08x", addr);
    core_request_check(s); /* stop at the end of this block */
}

/* A model answers a store with a bus error (sim.h): as any store's error. */
void sim_store_bus_error(sim_t *s, uint32_t addr)
{
    if (buffered(s, addr)) {
        s->imprecise = true;
        core_request_check(s); /* pended at the end of this block, as above */
    } else {
        core_precise_stop(s, addr, true);
    }
}

/*
 * A precise BusFault from inside an access callback: stop the run. Unicorn
 * then reports the block start as the PC, with the registers as the access
 * left them, and the access not done; run_slice finds the instruction
 * (core_fault_pc) and enters the fault.
 */
void core_precise_stop(struct qsim *s, uint32_t addr, bool write)
{
    s->mem_addr = addr;
    s->mem_type = write ? UC_MEM_WRITE_UNMAPPED : UC_MEM_READ_UNMAPPED;
    core_stop(s, STOP_MEM);
}

/* A load from a sink page (a store there earlier in the run) is precise. */
static uint64_t sink_read(uc_engine *uc, uint64_t offset, unsigned size, void *user)
{
    struct core_sink *k = user;
    (void)uc;
    (void)size;
    core_precise_stop(k->s, k->page + (uint32_t)offset, false);
    return 0;
}

static void sink_write(uc_engine *uc, uint64_t offset, unsigned size, uint64_t value, void *user)
{
    struct core_sink *k = user;
    (void)uc;
    (void)size;
    (void)value;
    buffered_error(k->s, k->page + (uint32_t)offset);
}

/*
 * A store to `addr`, where nothing is mapped: true when it is buffered and
 * has been absorbed (Unicorn then retries the store, which completes with
 * its writeback and does nothing else). The page is mapped for the rest of
 * this run only, to a sink that flags the bus error (core_sinks_unmap).
 */
bool core_store_absorbed(struct qsim *s, uint32_t addr)
{
    if (!buffered(s, addr) || s->sink_count == sizeof s->sinks / sizeof s->sinks[0])
        return false;
    struct core_sink *k = &s->sinks[s->sink_count];
    *k = (struct core_sink){s, addr & ~(CORE_PAGE - 1)};
    if (uc_mmio_map(s->uc, k->page, CORE_PAGE, sink_read, k, sink_write, k) != UC_ERR_OK)
        return false;
    s->sink_count++;
    return true;
}

void core_sinks_unmap(struct qsim *s)
{
    while (s->sink_count)
        uc_mem_unmap(s->uc, s->sinks[--s->sink_count].page, CORE_PAGE);
}

/* A write to a hole inside a mapped peripheral page (mmio.c): true when
 * buffered (imprecise, flagged here), false when it must fault precisely. */
bool core_hole_write(struct qsim *s, uint32_t addr)
{
    if (!buffered(s, addr))
        return false;
    buffered_error(s, addr);
    return true;
}

/* At the end of the run that made a buffered store fail: pend the fault. */
void core_imprecise_fault(struct qsim *s)
{
    s->imprecise = false;
    s->scs.cfsr |= BFSR_IMPRECISERR;
    int exc = EXC_BUSFAULT;
    if (!s->scs.enabled[EXC_BUSFAULT]) {
        exc = EXC_HARDFAULT;
        s->scs.hfsr |= HFSR_FORCED;
    }
    s->scs.pending[exc] = true;
    core_scs_dirty(s);
    core_record_fault(s, "BusFault (imprecise)", s->pc);
}
