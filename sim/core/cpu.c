/*
 * The CPU: Unicorn 2 (Cortex-M4 model, Thumb + M-class) with the memory map
 * of the STM32F446RE, the hooks that turn what Unicorn reports into ARMv7-M
 * exceptions, and the run loop that interleaves execution with the event
 * queue. What Unicorn 2.0.1 does and does not do on M-class is written up in
 * docs/simulator.md ("Unicorn notes"); the code relies on it as follows:
 *   - Unicorn takes no exception itself: SVC, BKPT and an EXC_RETURN value
 *     loaded into the PC arrive as interrupt hooks (2, 7, 8), an undefined
 *     instruction, WFE and YIELD as the invalid-instruction hook;
 *   - WFI makes uc_emu_start return with the PC after the WFI;
 *   - uc_emu_stop from a block hook stops before that block runs, so a
 *     block never runs past the next event (see on_block);
 *   - writing the PC register stops emulation, so the core never does it
 *     while running: every slice begins at `s->pc`;
 *   - uc_emu_stop from an MMIO callback restarts the accessing instruction,
 *     so peripherals only lower the cycle budget (core_request_check).
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "core/core.h"

uint32_t core_reg(struct qsim *s, int reg)
{
    uint32_t v = 0;
    uc_reg_read(s->uc, reg, &v);
    return v;
}

void core_set_reg(struct qsim *s, int reg, uint32_t value)
{
    uc_reg_write(s->uc, reg, &value);
}

/*
 * Flash (and its alias at 0) and SRAM are host buffers mapped into Unicorn
 * (uc_mem_map_ptr): read them directly, without Unicorn's region lookup
 * (vector fetches, the WFI and hint checks run at every exception and wake).
 */
static const uint8_t *host_mem(const struct qsim *s, uint32_t addr, uint32_t len)
{
    if (addr < CORE_FLASH_SIZE && len <= CORE_FLASH_SIZE - addr)
        return s->flash + addr;
    if (addr - CORE_FLASH_BASE < CORE_FLASH_SIZE && len <= CORE_FLASH_SIZE - (addr - CORE_FLASH_BASE))
        return s->flash + (addr - CORE_FLASH_BASE);
    if (addr - CORE_SRAM_BASE < CORE_SRAM_SIZE && len <= CORE_SRAM_SIZE - (addr - CORE_SRAM_BASE))
        return s->sram + (addr - CORE_SRAM_BASE);
    return NULL;
}

bool core_mem_read32(struct qsim *s, uint32_t addr, uint32_t *value)
{
    const uint8_t *p = host_mem(s, addr, 4);
    if (p) {
        memcpy(value, p, 4);
        return true;
    }
    return uc_mem_read(s->uc, addr, value, 4) == UC_ERR_OK;
}

static void stop_with(struct qsim *s, enum core_stop why)
{
    if (s->stop == STOP_NONE)
        s->stop = why;
    uc_emu_stop(s->uc);
}

void core_stop(struct qsim *s, enum core_stop why)
{
    stop_with(s, why);
}

/*
 * Stop before the block the block hook was called for. Once any code hook
 * exists (traps.c), Unicorn 2.0.1 no longer restores the PC to the start
 * of a block it leaves before running it (nor after an unmapped access):
 * the PC register then holds whatever was last synchronised. The core
 * therefore keeps the address of the current block itself (block_pc).
 */
static void block_stop(struct qsim *s, enum core_stop why)
{
    s->at_block = true;
    stop_with(s, why);
}

/*
 * A data access that the bus refuses with a precise error, from an MMIO
 * callback: stopping there makes Unicorn abandon the accessing instruction
 * (it has no effect, a load does not write its register) and return with
 * the PC at the block start; run_slice then takes a precise BusFault at
 * that instruction (STOP_MEM, core_fault_pc).
 */
void core_bus_error(struct qsim *s, uint32_t addr)
{
    s->mem_addr = addr;
    s->mem_type = CORE_MEM_EITHER; /* read or write: core_fault_pc accepts both */
    stop_with(s, STOP_MEM);
}

/*
 * A register write or a peripheral line may have made an exception takeable:
 * stop at the next block boundary. Not with uc_emu_stop: called from inside
 * an MMIO callback, Unicorn 2.0.1 then restarts the accessing instruction,
 * which repeats the access (and loops forever on a write).
 */
void core_request_check(struct qsim *s)
{
    if (s->running)
        s->stop_cycles = 0;
}

/*
 * BASEPRI has 4 implemented bits on the STM32F446 (RM0390 10.1.1: 16 priority
 * levels; ARMv7-M B1.5.4: unimplemented low-order priority bits read as zero),
 * but Unicorn keeps 8, so MSR BASEPRI with 0xFF would read back 0xFF. An MSR
 * to a special register always ends Unicorn's translation block (QEMU ends
 * the TB so that a newly unmasked interrupt is taken), so the block right
 * after it starts with the MSR's effect visible: mask there. Masking
 * decisions never depend on this (exc.c uses BASEPRI & 0xF0).
 */
static void mask_basepri(struct qsim *s)
{
    uint32_t v = core_reg(s, UC_ARM_REG_BASEPRI);
    if (v & 0x0Fu)
        core_set_reg(s, UC_ARM_REG_BASEPRI, v & 0xF0u);
}

/*
 * MPU enabled (mpu_map.c): after MSR CONTROL/FAULTMASK or CPS the context
 * may have changed, stop so that the run loop looks again; a block with
 * an instruction the MPU does not let execute runs up to it, then faults.
 */
static bool mpu_block(struct qsim *s, uint32_t addr, uint32_t size)
{
    if (core_mpu_block_resync(s, addr)) {
        block_stop(s, STOP_CHECK);
        return false;
    }
    if (s->mpu.ctx == MPU_CTX_NONE)
        return true;
    uint32_t limit = core_mpu_fetch_limit(s, addr, size);
    if (limit == addr + size)
        return true;
    if (limit == addr) {
        block_stop(s, STOP_MPU_FETCH);
    } else {
        s->partial_until = limit;
        s->partial_then = STOP_MPU_FETCH;
        block_stop(s, STOP_PARTIAL);
    }
    return false;
}

static void on_block(uc_engine *uc, uint64_t address, uint32_t size, void *user)
{
    struct qsim *s = user;
    uint32_t addr = (uint32_t)address;
    if (s->stop != STOP_NONE)
        return; /* stopping already: Unicorn leaves before this block runs */
    s->block_pc = addr;
    if (s->flash_fix.pending)
        core_flash_fixup(s); /* after a store to flash (flashmem.c) */
    if (s->stop_next) {
        s->stop_next = false;
        block_stop(s, STOP_BUDGET);
        return;
    }
    const struct core_block *b = core_block_get(s, addr, size);
    if (b->unhooked || b->checks) {
        /* Fault checks (traps.c): instructions to hook first, or one
         * whose registers already say it will fault: hook it. */
        uint32_t site = b->unhooked ? 0 : core_traps_entry(s, b, addr);
        if (b->unhooked || site) {
            s->hook_block = addr;
            s->hook_size = size;
            s->hook_site = site;
            block_stop(s, STOP_TRAP_HOOK);
            return;
        }
    }
    if (b->special) {
        if (b->after_msr_basepri)
            mask_basepri(s);
        if (b->msr_control)
            s->npriv_maybe = true; /* it may set CONTROL.nPRIV (priv.c) */
        enum core_control_how how = core_control_block(s, b);
        if (how == CONTROL_CUT_AT_FP && !s->partial && b->fp_off > 0) {
            s->partial_until = addr + (uint32_t)b->fp_off;
            s->partial_then = STOP_BUDGET;
            block_stop(s, STOP_PARTIAL);
            return;
        }
        if (how == CONTROL_STOP) {
            block_stop(s, STOP_CHECK);
            return;
        }
    }
    /* The pessimistic model's wait states for reaching this block by a
     * branch (0 in the default model): part of the block's cost. */
    uint64_t cost = b->cycles + core_block_fetch_wait(s, addr);
    if (s->partial) {
        /* Not cut at `partial_until` after all: run it whole, stop after it. */
        if (addr < s->partial_exit && addr + size > s->partial_exit) {
            s->stop_next = true;
        } else if (s->partial_keep && addr + size == s->partial_exit) {
            /* The cut block as planned: clear the exit now, so that Unicorn
             * does not drop this translation when the run ends (it drops
             * the code before each exit still set); run_slice reuses it. */
            uint64_t none = 0;
            uc_ctl_set_exits(uc, &none, 0);
        }
    } else {
        if (s->check_mask) {
            int exc = core_pending_best(s, NULL);
            if (exc && core_exc_preempts(s, exc, false)) {
                block_stop(s, STOP_CHECK);
                return;
            }
        }
        if (b->selfloop && s->ipsr >= EXC_NMI && s->ipsr <= EXC_USAGEFAULT) {
            block_stop(s, STOP_LOCKUP);
            return;
        }
        if (s->cycles >= s->stop_cycles) {
            block_stop(s, STOP_BUDGET);
            return;
        }
        if (s->debug_active && core_debug_block(s, addr, size, b, cost))
            return;
        if ((s->mpu.ctrl & 1u) && !mpu_block(s, addr, size))
            return;
        bool fp = s->scs.fp_trap && b->fp_off >= 0;
        if (fp && !s->scs.fp_denied) {
            core_fp_preserve(s); /* lazy FP stacking pending (fpctx.c) */
            fp = false;
        }
        if (fp || s->cycles + cost > s->stop_cycles) {
            /* The next event falls inside this block (or an FP instruction
             * must fault): run only up to that instruction boundary. A
             * fetch wait belongs to the first instruction, so at least that
             * one runs: a wait reaching past the event would otherwise stop
             * here for ever (the first boundary at or after it is after it). */
            uint64_t wait = cost - b->cycles;
            int64_t budget = (int64_t)(s->stop_cycles - s->cycles) - (int64_t)wait;
            if (budget < 1)
                budget = 1;
            uint32_t cut = core_block_cut(s, addr, size, budget, fp ? b->fp_off : -1);
            enum core_stop then = fp && cut == addr + (uint32_t)b->fp_off ? STOP_NOCP : STOP_BUDGET;
            if (cut == addr) {
                block_stop(s, then);
                return;
            }
            if (cut < addr + size) {
                s->partial_until = cut;
                s->partial_then = then;
                block_stop(s, STOP_PARTIAL);
                return;
            }
            s->stop_next = true; /* the last instruction reaches the event */
        }
    }
    if (b->sev)
        s->scs.event_flag = true; /* SEV (B1.5.18); Unicorn executes it as a NOP */
    core_latency_first_block(s);
    s->cycles += cost;
    s->insns += b->insns;
    core_block_ran(s, addr + size);
}

static void on_intr(uc_engine *uc, uint32_t intno, void *user)
{
    struct qsim *s = user;
    (void)uc;
    switch (intno) {
    case 2: stop_with(s, STOP_SVC); break;         /* EXCP_SWI */
    case 7: stop_with(s, STOP_BKPT); break;        /* EXCP_BKPT */
    case 8: stop_with(s, STOP_EXC_RETURN); break;  /* EXCP_EXCEPTION_EXIT */
    case 3: stop_with(s, STOP_FETCH); break;       /* EXCP_PREFETCH_ABORT: fetch from MMIO */
    case 4: stop_with(s, STOP_UNALIGNED); break;   /* EXCP_DATA_ABORT: LDREX alignment */
    default: stop_with(s, STOP_INVALID); break;
    }
}

static bool on_invalid(uc_engine *uc, void *user)
{
    struct qsim *s = user;
    (void)uc;
    stop_with(s, STOP_INVALID);
    return false;
}

static bool on_bad_mem(uc_engine *uc, uc_mem_type type, uint64_t address, int size, int64_t value, void *user)
{
    struct qsim *s = user;
    (void)uc;
    if (s->mpu.ctx != MPU_CTX_NONE && core_mpu_bad_mem(s, type, (uint32_t)address, size, value) > 0)
        return true; /* allowed by the MPU on a page it protects in part, and done */
    if ((type == UC_MEM_READ_UNMAPPED || type == UC_MEM_WRITE_UNMAPPED) && core_bitband_map_for(s, (uint32_t)address))
        return true; /* a bit-band alias, mapped now: Unicorn retries the access */
    if (type == UC_MEM_WRITE_PROT && !s->mpu_fault && core_flash_store(s, (uint32_t)address, size, value))
        return true; /* the FLASH interface took it (flashmem.c) */
    /* after the alias check: a store to an alias is no reserved address */
    if (type == UC_MEM_WRITE_UNMAPPED && core_store_absorbed(s, (uint32_t)address))
        return true; /* buffered: Unicorn retries the store into the sink page */
    s->mem_addr = (uint32_t)address;
    s->mem_type = type;

    stop_with(s, STOP_MEM);
    return false;
}

static int map_ptr(struct qsim *s, uint32_t base, uint32_t size, uint32_t perms, uint8_t *buf)
{
    return uc_mem_map_ptr(s->uc, base, size, perms, buf) == UC_ERR_OK ? 0 : -ENOMEM;
}

int core_cpu_init(struct qsim *s)
{
    if (uc_open(UC_ARCH_ARM, UC_MODE_THUMB | UC_MODE_MCLASS, &s->uc) != UC_ERR_OK)
        return -ENODEV;
    if (uc_ctl_set_cpu_model(s->uc, UC_CPU_ARM_CORTEX_M4) != UC_ERR_OK)
        return -ENODEV;
    /* Exits instead of uc_emu_start's `until` (which is then ignored): after
     * every run Unicorn 2.0.1 invalidates the translation at each exit, and
     * for `until` that costs a failed code-TLB fill per uc_emu_start even
     * at an unreachable address. The exit set is empty except during a
     * partial run (run_slice). */
    if (uc_ctl_exits_enable(s->uc) != UC_ERR_OK)
        return -ENODEV;
    /* Boot from main flash (BOOT0 low): flash also appears at 0 (RM0390 2.4).
     * The alias is a copy (made at load; the firmware cannot write flash),
     * not the same buffer mapped twice: Unicorn keys translated code by host
     * memory, so a copy keeps the two mappings' translations independent
     * (partial runs go through the alias, see partial_shift). */
    int rc = map_ptr(s, CORE_FLASH_BASE, CORE_FLASH_SIZE, UC_PROT_READ | UC_PROT_EXEC, s->flash);
    rc = rc ? rc : map_ptr(s, 0, CORE_FLASH_SIZE, UC_PROT_READ | UC_PROT_EXEC, s->flash_alias);
    rc = rc ? rc : map_ptr(s, CORE_SRAM_BASE, CORE_SRAM_SIZE, UC_PROT_ALL, s->sram);
    rc = rc ? rc : map_ptr(s, CORE_SYSMEM_BASE, CORE_SYSMEM_SIZE, UC_PROT_READ | UC_PROT_EXEC, s->sysmem);
    rc = rc ? rc : map_ptr(s, CORE_OPTION_BASE, CORE_PAGE, UC_PROT_READ, s->option);
    if (rc)
        return rc;
    core_mpu_init(s);
    uc_hook h;
    if (uc_hook_add(s->uc, &h, UC_HOOK_BLOCK, (void *)on_block, s, 1, 0) ||
        uc_hook_add(s->uc, &h, UC_HOOK_INTR, (void *)on_intr, s, 1, 0) ||
        uc_hook_add(s->uc, &h, UC_HOOK_INSN_INVALID, (void *)on_invalid, s, 1, 0) ||
        uc_hook_add(s->uc, &h, UC_HOOK_MEM_UNMAPPED | UC_HOOK_MEM_PROT,
                    (void *)on_bad_mem, s, 1, 0))
        return -ENODEV;
    core_scs_map(s);
    return 0;
}

/* Core reset (ARMv7-M B1.5.5 TakeReset): SP and PC from the vector table at 0. */
void core_cpu_reset(struct qsim *s)
{
    core_scs_reset(s);
    core_exc_reset(s);
    uint32_t sp = 0, pc = 0;
    core_mem_read32(s, 0, &sp);
    core_mem_read32(s, 4, &pc);
    for (int r = UC_ARM_REG_R0; r <= UC_ARM_REG_R12; r++)
        core_set_reg(s, r, 0);
    uint32_t npriv = core_priv_begin(s); /* a reset from unprivileged Thread mode: CONTROL is 0 below */
    core_set_reg(s, UC_ARM_REG_CONTROL, 0);
    if (npriv)
        core_priv_sync(s);
    s->npriv_maybe = false;
    core_set_reg(s, UC_ARM_REG_XPSR, 1u << 24);
    core_set_reg(s, UC_ARM_REG_PRIMASK, 0);
    core_set_reg(s, UC_ARM_REG_BASEPRI, 0);
    core_set_reg(s, UC_ARM_REG_FAULTMASK, 0);
    core_set_reg(s, UC_ARM_REG_PSP, 0);
    core_set_reg(s, UC_ARM_REG_MSP, sp & ~3u);
    core_set_reg(s, UC_ARM_REG_LR, 0xFFFFFFFFu);
    s->pc = pc & ~1u;
    s->ipsr = 0;
    s->sleeping = false;
    s->sleep_wfe = false;
    s->locked_up = false;
    s->reset_requested = false;
    s->check_mask = false;
    s->partial = false;
    s->fetch_next = CORE_NO_FETCH;
}

static void system_reset(struct qsim *s)
{
    if (s->board)
        nucleo_reset(s->board);
    core_cpu_reset(s);
}

static bool halfword_at(struct qsim *s, uint32_t addr, uint16_t *hw)
{
    const uint8_t *p = host_mem(s, addr, 2);
    if (p) {
        memcpy(hw, p, 2);
        return true;
    }
    return uc_mem_read(s->uc, addr, hw, 2) == UC_ERR_OK;
}

/*
 * WFE or YIELD just before the PC, or 0. Unicorn reports both as invalid
 * instructions with the PC after them (its WFE and YIELD helpers leave the
 * TB with the PC at the next instruction), as the last instruction of the
 * block that just ran; an undefined instruction is reported with the PC at
 * it, inside the block that just ran. So the hint is the one the last
 * block ended with (fetch_next is where that block ended, flash
 * addresses taken through 0x08000000).
 */
enum { HINT_YIELD = 1, HINT_WFE = 2 }; /* hint numbers (ARMv7-M A7.7.261, A7.7.262) */
#define HINT_T1(h) (0xBF00u | (h) << 4)  /* YIELD/WFE encoding T1 */
#define HINT_T2_HW1 0xF3AFu               /* ... encoding T2: F3AF 80hh */
#define HINT_T2_HW2(h) (0x8000u | (h))

static unsigned hint_before(struct qsim *s)
{
    uint32_t key = s->pc < CORE_FLASH_SIZE ? s->pc + CORE_FLASH_BASE : s->pc;
    uint16_t hw1 = 0, hw2 = 0;
    if (s->fetch_next != key || !halfword_at(s, s->pc - 2, &hw2))
        return 0;
    if (halfword_at(s, s->pc - 4, &hw1) && hw1 == HINT_T2_HW1 &&
        (hw2 == HINT_T2_HW2(HINT_YIELD) || hw2 == HINT_T2_HW2(HINT_WFE)))
        return hw2 & 0xFFu;
    if (hw2 == HINT_T1(HINT_YIELD) || hw2 == HINT_T1(HINT_WFE))
        return (hw2 >> 4) & 0xFu;
    return 0;
}

/* Unicorn reports WFE and YIELD as invalid: do them here, or fault. */
static void invalid_instruction(struct qsim *s)
{
    if (!(core_reg(s, UC_ARM_REG_XPSR) & (1u << 24))) {
        /* EPSR.T = 0 after BX/BLX/POP/LDR to an even address (A7.7.20,
         * B1.4.2): the next instruction faults INVSTATE, at that address. */
        s->invstate = true;
        core_fault(s, EXC_USAGEFAULT, 1u << 17 /* INVSTATE */, 0, s->pc);
        s->invstate = false;
        return;
    }
    unsigned hint = hint_before(s);
    if (hint == HINT_WFE) {
        /* WFE (B1.5.18): clear the event register and go on, or sleep
         * until a WFE wake-up event (sleep_ends). */
        if (s->scs.event_flag) {
            s->scs.event_flag = false;
        } else {
            s->sleeping = true;
            s->sleep_wfe = true;
        }
        return;
    }
    if (hint == HINT_YIELD) /* a NOP on a single core */
        return;
    core_fault(s, EXC_USAGEFAULT, 1u << 16 /* UNDEFINSTR */, 0, s->pc);
}

static bool after_wfi(struct qsim *s)
{
    uint16_t a = 0, b = 0;
    if (halfword_at(s, s->pc - 2, &a) && a == 0xBF30u)
        return true;
    return halfword_at(s, s->pc - 4, &a) && halfword_at(s, s->pc - 2, &b) && a == 0xF3AFu && b == 0x8003u;
}

/* An instruction that reads the PC as a value (not as a load base). */
static bool reads_pc(uint16_t hw1, uint16_t hw2, bool wide)
{
    (void)hw2;
    if (wide)
        return (hw1 & 0xFB5Fu) == 0xF20Fu;             /* ADDW/SUBW Rd, PC, #imm (ADR.W) */
    return (hw1 & 0xF800u) == 0xA000u ||             /* ADR */
           ((hw1 & 0xFC00u) == 0x4400u && (hw1 & 0x0078u) == 0x0078u); /* ADD/CMP/MOV Rx, PC */
}

/*
 * A load or store with the PC as its base (ARMv7-M A5.2, A5.3): LDR
 * (literal) 16-bit; 32-bit load/store single (LDR, LDRB, LDRH, LDRSB,
 * LDRSH, PLD literal), load/store dual, exclusive and table branch (LDRD
 * literal, TBB, TBH), coprocessor loads (VLDR literal) with Rn = 1111. A
 * superset (some of these are UNPREDICTABLE with Rn = PC): running one
 * more block in place costs only time.
 */
static bool pc_based(uint16_t hw1, bool wide)
{
    if (!wide)
        return (hw1 & 0xF800u) == 0x4800u;
    if ((hw1 & 0x000Fu) != 0x000Fu)
        return false;
    return (hw1 & 0xFE00u) == 0xF800u || (hw1 & 0xFE40u) == 0xE840u || (hw1 & 0xEE00u) == 0xEC00u;
}

/*
 * The first part of a block (partial run) is executed through the other
 * mapping of flash (0x08000000 <-> 0). Unicorn finds translations by guest
 * address and invalidates them by host memory, and the alias is a copy
 * (core_cpu_init): so the cut translation neither replaces nor invalidates
 * the whole block, which stays translated for normal runs, and it can be
 * kept for the next partial run at the same place (kept_cuts). A
 * translation costs far more than the partial run itself. The guest cannot
 * tell, except through instructions that read the PC as a value: for those,
 * and for code outside flash, the block is cut in place. Returns what to add
 * to an address (0: in place).
 */
static uint32_t partial_shift(struct qsim *s, uint32_t start, uint32_t until)
{
    uint32_t shift;
    /* While the MPU applies it decides a load by its address: a load based
     * on the PC is decided at the other mapping's address, so such a block
     * runs in place (pc_based) unless the context may read every page
     * within a literal's reach in both mappings (then neither refuses it,
     * and both hold the same bytes); a table branch's table may be
     * farther: in place. */
    bool mpu = s->mpu.ctx != MPU_CTX_NONE;
    if (start - CORE_FLASH_BASE < CORE_FLASH_SIZE && until - CORE_FLASH_BASE < CORE_FLASH_SIZE)
        shift = 0u - CORE_FLASH_BASE;
    else if (start < CORE_FLASH_SIZE && until < CORE_FLASH_SIZE)
        shift = CORE_FLASH_BASE;
    else
        return 0;
    for (uint32_t pc = start; pc < until;) {
        const uint8_t *p = host_mem(s, pc, 4);
        if (!p)
            return 0;
        uint16_t hw1 = (uint16_t)(p[0] | p[1] << 8), hw2 = (uint16_t)(p[2] | p[3] << 8);
        bool wide = (hw1 >> 11) >= 0x1D;
        if (reads_pc(hw1, hw2, wide) || core_trap_hooked(s, pc))
            return 0; /* reads the PC, or watched by a hook bound to this mapping */
        if (mpu && pc_based(hw1, wide)) {
            uint32_t off = pc & (CORE_FLASH_SIZE - 1u);
            bool table = wide && (hw1 & 0xFFF0u) == 0xE8D0u && (hw2 & 0xFFE0u) == 0xF000u; /* TBB, TBH */
            if (table || !core_mpu_alias_reads_alike(s, off < 4096u ? 0 : off - 4096u, off + 4100u))
                return 0;
        }
        pc += wide ? 4 : 2;
    }
    return shift;
}

static void run_slice(struct qsim *s)
{
    s->stop = STOP_NONE;
    s->mpu_fault = 0;
    s->stop_next = false;
    s->running = true;
    s->at_block = false;
    uint32_t start = s->pc, shift = 0;
    uint64_t exit = 0;
    struct core_cut *kept = NULL;
    if (s->partial) {
        /* Unicorn only honours an exit when translating: drop any cached
         * block there so that it is translated again, cut at the exit,
         * unless it is the cut kept from an earlier run with this exit. A
         * translation that starts at the exit is kept (in place, it is the
         * ordinary rest of the block). */
        shift = partial_shift(s, start, s->partial_until);
        s->partial_exit = s->partial_until + shift;
        s->partial_keep = shift != 0;
        start += shift;
        exit = s->partial_exit;
        uc_ctl_set_exits(s->uc, &exit, 1);
        kept = &s->kept_cuts[(start >> 1) % (sizeof s->kept_cuts / sizeof s->kept_cuts[0])];
        if (!shift || kept->start != start || kept->exit != exit) {
            /* Not the same cut as the one kept from an earlier run. */
            uc_ctl_remove_cache(s->uc, (uint64_t)start, exit);
            kept->start = start;
            kept->exit = shift ? (uint32_t)exit : 0;
        }
    }
    s->translated = true;
    uc_err err = uc_emu_start(s->uc, start | 1u, 0, 0, 0);
    s->running = false;
    if (s->sfpa_restore)
        core_sfpa_restore(s);
    s->pc = s->at_block ? s->block_pc : core_reg(s, UC_ARM_REG_PC);
    if (s->sink_count)
        core_sinks_unmap(s);
    bool was_partial = s->partial;
    if (was_partial) {
        uc_ctl_set_exits(s->uc, &exit, 0);
        /* When the run stopped at the exit as planned, the only translation
         * made was the cut block: in place, Unicorn drops it itself when the
         * run ends (it invalidates the code just before each exit still
         * set); in the other mapping the block hook has cleared the exit, so
         * it stays (kept_cuts). Otherwise other blocks may have been
         * translated with the exit in them (one that starts at the exit
         * halts at once): drop all of them. */
        if (s->stop != STOP_NONE || s->pc != exit || err != UC_ERR_OK) {
            uc_ctl_remove_cache(s->uc, (uint64_t)start, exit + 4);
            kept->exit = 0;
        }
        uint32_t other_base = shift == CORE_FLASH_BASE ? CORE_FLASH_BASE : 0;
        if (shift && s->pc - other_base < CORE_FLASH_SIZE)
            s->pc -= shift; /* back to the mapping the firmware runs in */
        if (shift && s->block_pc - other_base < CORE_FLASH_SIZE)
            s->block_pc -= shift;
    }
    s->partial = false;
    /* A buffered store failed in this run: its BusFault is pending before a
     * synchronous fault of the same run is entered (whose entry then takes
     * it along: the handler sees both CFSR bits, PM0214 4.4.11). */
    if (s->imprecise && !s->locked_up)
        core_imprecise_fault(s);
    switch (s->stop) {
    case STOP_NONE:
        if (err != UC_ERR_OK) {
            core_lockup(s, uc_strerror(err), s->pc);
        } else if (was_partial) {
            if (s->partial_then == STOP_NOCP)
                core_fault(s, EXC_USAGEFAULT, 1u << 19 /* NOCP */, 0, s->pc);
            else if (s->partial_then == STOP_DEBUG)
                s->dbg.halted = true;
            else if (s->partial_then == STOP_MPU_FETCH)
                core_fault(s, EXC_MEMMANAGE, 1u << 0 /* IACCVIOL */, 0, s->pc);
        } else if (after_wfi(s) && !core_exc_wakeup(s)) {
            s->sleeping = true;
        }
        break;
    case STOP_BUDGET:
    case STOP_CHECK:
        break;
    case STOP_PARTIAL:
        s->partial = true;
        break;
    case STOP_EXC_RETURN:
        core_exc_return(s, s->pc | 1u);
        break;
    case STOP_SVC:
        core_exc_svc(s);
        break;
    case STOP_BKPT:
        /* No debugger: BKPT escalates to HardFault with DEBUGEVT (C1.7). */
        core_fault(s, EXC_HARDFAULT, 0, 1u << 31, s->pc);
        break;
    case STOP_INVALID:
        invalid_instruction(s);
        break;
    case STOP_FETCH:
        if (!core_mpu_fetch_unstick(s, s->pc))
            core_fetch_fault(s);
        break;
    case STOP_MPU_FETCH:
        core_fault(s, EXC_MEMMANAGE, 1u << 0 /* IACCVIOL */, 0, s->pc);
        break;
    case STOP_MEM:
        if (s->mpu_fault == 1) {
            core_fault(s, EXC_MEMMANAGE, 1u << 0 /* IACCVIOL */, 0, s->pc);
        } else if (s->mpu_fault == 2) {
            /* DACCVIOL with MMFAR (B3.2.15), the load or store's address */
            s->scs.mmfar = s->mem_addr;
            core_fault(s, EXC_MEMMANAGE, (1u << 1) | (1u << 7), 0, core_fault_pc(s, s->block_pc, s->mem_addr));
        } else if (s->mem_type == UC_MEM_FETCH_UNMAPPED || s->mem_type == UC_MEM_FETCH_PROT) {
            if (!core_mpu_fetch_unstick(s, s->pc))
                core_fetch_fault(s);
        } else {
            s->scs.bfar = s->mem_addr;
            core_fault(s, EXC_BUSFAULT, (1u << 9) | (1u << 15) /* PRECISERR, BFARVALID */, 0,
                       core_fault_pc(s, s->block_pc, s->mem_addr));
        }
        break;
    case STOP_NOCP:
        core_fault(s, EXC_USAGEFAULT, 1u << 19, 0, s->pc);
        break;
    case STOP_TRAP:
        core_fault(s, EXC_USAGEFAULT, s->trap_cfsr, 0, s->pc);
        break;
    case STOP_UNALIGNED:
        core_fault(s, EXC_USAGEFAULT, 1u << 24 /* UNALIGNED */, 0, s->pc);
        break;
    case STOP_TRAP_HOOK:
        core_traps_hook_block(s, s->hook_block, s->hook_size, s->hook_site);
        break;
    case STOP_LOCKUP:
        core_lockup(s, "fault handler loops on itself", s->pc);
        break;
    case STOP_RESET:
        s->reset_requested = true;
        break;
    case STOP_DEBUG:
        s->dbg.halted = true;
        break;
    }
}

/*
 * Whether the sleeping core wakes now. WFI and sleep-on-exit: on an
 * exception that would preempt if PRIMASK were clear (B1.5.19). WFE: on a
 * WFE wake-up event (B1.5.18), that is the event register set while it
 * sleeps (SEVONPEND, an EXTI event line: sim_cpu_event) or an exception
 * that would be taken now; the event wakes WFE and is used up by it.
 */
static bool sleep_ends(struct qsim *s)
{
    if (!s->sleep_wfe)
        return core_exc_wakeup(s);
    if (s->scs.event_flag) {
        s->scs.event_flag = false;
        return true;
    }
    int exc = core_pending_best(s, NULL);
    return exc && core_exc_preempts(s, exc, false);
}

/* The core's event input (RXEV) pulsed: sets the event register (B1.5.18). */
void sim_cpu_event(sim_t *s)
{
    s->scs.event_flag = true;
}

int qsim_run_until(struct qsim *s, uint64_t until_ns, qsim_stop_fn stop, void *ctx)
{
    if (!s->loaded)
        return -ENOEXEC;
    core_mmio_commit(s); /* regions a model added after the board was built */
    core_debug_resume(s);
    uint64_t until_ps = until_ns > UINT64_MAX / 1000 ? UINT64_MAX : until_ns * 1000;
    for (;;) {
        if (s->locked_up)
            return -EFAULT;
        core_fire_due(s);
        if (s->reset_requested)
            system_reset(s);
        if (stop && stop(s, ctx))
            return 1;
        if (sim_now_ps(s) >= until_ps)
            return 0;
        core_flash_retranslate(s); /* code a program or erase changed */
        if (core_flash_stalls(s)) {
            /* Fetching from flash during an operation: awake, nothing runs. */
            uint64_t next = core_next_stop(s, until_ps), end = core_cycles_at(s, s->flash_stall_ps);
            if (end < next)
                next = end;
            s->cycles = next > s->cycles ? next : s->cycles + 1u;
            continue;
        }
        if (s->partial) {
            run_slice(s);
            if (s->debug_active && core_debug_slice_done(s))
                return QSIM_RUN_HALTED;
            continue;
        }
        if (s->sleeping) {
            if (!sleep_ends(s)) {
                uint64_t next = core_next_stop(s, until_ps);
                if (next > s->cycles) {
                    s->sleep_cycles += next - s->cycles;
                    s->cycles = next;
                }
                continue;
            }
            s->sleeping = false;
            s->sleep_wfe = false;
        }
        if (core_exc_take_pending(s))
            continue;
        if ((s->mpu.ctrl & 1u) || s->mpu.ctx != MPU_CTX_NONE || s->mpu.dirty)
            core_mpu_sync(s); /* context or MPU registers changed (mpu_map.c) */
        s->stop_cycles = core_next_stop(s, until_ps);
        run_slice(s);
        if (s->debug_active && core_debug_slice_done(s))
            return QSIM_RUN_HALTED;
    }
}

void qsim_reset(struct qsim *s)
{
    system_reset(s);
}
