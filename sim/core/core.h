/*
 * quartz-sim core internals: the state behind `struct qsim` shared by the
 * files of sim/core (CPU loop, exceptions, system control space, time,
 * memory, report). Nothing outside sim/core includes this header.
 */
#ifndef SIM_CORE_CORE_H
#define SIM_CORE_CORE_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

#include <unicorn/unicorn.h>

#include "board/nucleo.h"
#include "core/mpu.h"
#include "core/sim.h"
#include "quartzsim.h"

/* Memory map (RM0390 2.2, table 1; 3.3 embedded flash). */
#define CORE_FLASH_BASE 0x08000000u
#define CORE_FLASH_SIZE (512u * 1024u)
#define CORE_SRAM_BASE 0x20000000u
#define CORE_SRAM_SIZE (128u * 1024u)
#define CORE_SYSMEM_BASE 0x1FFF0000u /* system memory 30 KB + OTP 528 B at 0x1FFF7800 */
#define CORE_SYSMEM_SIZE (31u * 1024u)
#define CORE_OPTION_BASE 0x1FFFC000u
#define CORE_PAGE 1024u /* Unicorn's ARM page: the mapping granule */
#define CORE_NO_FETCH 1u /* fetch_next: no fetch is sequential (Thumb addresses are even) */

/* Exception numbers (ARMv7-M B1.5.2). */
enum {
    EXC_RESET = 1,
    EXC_NMI = 2,
    EXC_HARDFAULT = 3,
    EXC_MEMMANAGE = 4,
    EXC_BUSFAULT = 5,
    EXC_USAGEFAULT = 6,
    EXC_SVCALL = 11,
    EXC_DEBUGMON = 12,
    EXC_PENDSV = 14,
    EXC_SYSTICK = 15,
    EXC_IRQ0 = 16,
    CORE_NUM_IRQ = 97,
    CORE_NUM_EXC = EXC_IRQ0 + CORE_NUM_IRQ,
    CORE_EXC_SLOTS = (CORE_NUM_EXC + 7) / 8 * 8,
};

/* Why uc_emu_start returned (set by hooks before uc_emu_stop). */
enum core_stop {
    STOP_NONE = 0,   /* nothing asked: WFI, or the end of a partial run */
    STOP_BUDGET,     /* the next event is due */
    STOP_PARTIAL,    /* run the first part of a block, up to core.partial_until */
    STOP_CHECK,      /* an exception may now be taken (SCS write, IRQ line, unmask) */
    STOP_EXC_RETURN, /* EXC_RETURN loaded into the PC (Unicorn interrupt 8) */
    STOP_SVC,
    STOP_BKPT,
    STOP_INVALID,    /* undefined instruction, or WFE/YIELD which Unicorn reports so */
    STOP_MEM,        /* unmapped or read-only access */
    STOP_NOCP,       /* FP instruction with CP10/CP11 disabled in CPACR */
    STOP_TRAP,       /* a watched instruction faults (traps.c): UsageFault trap_cfsr */
    STOP_TRAP_HOOK,  /* a block has instructions to watch: hook them first (traps.c) */
    STOP_UNALIGNED,  /* Unicorn's own alignment abort (LDREX): interrupt 4 */
    STOP_FETCH,      /* fetch from a mapped page that cannot execute: interrupt 3 */
    STOP_MPU_FETCH,  /* fetch the MPU refuses (mpu_map.c) */
    STOP_LOCKUP,     /* a fault handler spinning on itself */
    STOP_RESET,      /* AIRCR.SYSRESETREQ */
    STOP_DEBUG,      /* a debugger breakpoint or the end of a step (debug.c) */
};

/* Debugger state (debug.c, docs/debugging.md). */
#define CORE_MAX_BREAK 32
#define CORE_MAX_WATCH 4 /* DWT comparators on the Cortex-M4 (ARMv7-M C1.8.1, DWT_CTRL.NUMCOMP) */
struct core_debug {
    bool step;            /* run one instruction, then halt */
    bool halted;          /* qsim_run_until returns QSIM_RUN_HALTED */
    bool skip_armed;      /* the run resumes at skip_pc: no break there first */
    uint32_t skip_pc;
    uint64_t step_insns;  /* s->insns when the step began */
    uint32_t bp[CORE_MAX_BREAK];
    unsigned nbp;
    struct { uint32_t addr, len; int kind; } watch[CORE_MAX_WATCH];
    unsigned nwatch;
    uc_hook watch_hook;   /* the memory hook, only while watchpoints are set */
    bool watch_hit;
    uint32_t hit_addr;
    int hit_kind;
};

/* A partial run's cut translation that Unicorn keeps (run_slice). */
struct core_cut {
    uint32_t start, exit; /* exit 0: none */
};

#define CORE_BLOCK_CHECKS 2

struct core_block {
    uint32_t addr;
    uint16_t size;
    uint16_t insns;
    uint32_t cycles;
    int16_t fp_off;  /* byte offset of the first FP instruction, -1: none */
    bool selfloop;   /* the block is a lone `b .` */
    bool after_msr_basepri; /* starts right after MSR BASEPRI/BASEPRI_MAX */
    bool after_msr_control; /* starts right after MSR CONTROL */
    bool msr_control;       /* holds an MSR CONTROL, Rn */
    bool mrs_control;       /* holds an MRS Rd, CONTROL */
    bool mrs_before_fp;     /* ... before the first FP instruction */
    bool mrs_after_fp;      /* ... after it */
    bool special;           /* any of these: the block hook looks (on_block) */
    bool unhooked;   /* holds an instruction traps.c must hook, not hooked yet */
    uint8_t checks;  /* instructions traps.c checks at block entry: */
    uint16_t check_off[CORE_BLOCK_CHECKS]; /* their byte offsets */
    bool sev;        /* holds an SEV (Unicorn runs it as a NOP) */
    bool valid;
};
#define CORE_BLOCK_CACHE 8192u

struct mmio_region {
    const char *name;
    uint32_t base, size;
    const struct sim_mmio_ops *ops;
    void *dev;
    const uint32_t *clock_enr;
    uint32_t clock_bit;
    uint64_t gated;
};

/* The regions on one 1 KB page (usually one; ADC1/2/3 share a page). */
struct mmio_page {
    struct mmio_region *regions[8];
    int count;
};

/* Consecutive mapped pages: one Unicorn mapping (mmio.c). */
struct mmio_run {
    struct qsim *s;
    uint32_t base, pages;
    struct mmio_page page[]; /* pages entries */
};

struct core_unmodeled {
    uint32_t address;
    bool read, write;
};

struct core_warning {
    char *message;
    uint64_t count;
};

struct core_fault {
    uint32_t pc, cfsr, hfsr, bfar, mmfar;
    const char *kind;
    uint64_t time_ps;
};

struct core_script {
    struct sim_event ev;
    struct core_script *next;
    int kind;
    int bus;
    uint8_t *bytes;
    size_t len;
};

struct svd_names;
struct core_traps;

/* A page that absorbs buffered stores to a reserved address (faults.c). */
struct core_sink {
    struct qsim *s;
    uint32_t page;
};

/* System control space state (ARMv7-M B3.2-B3.4, C1.6, C1.8). */
struct core_scs {
    uint8_t prio[CORE_NUM_EXC];  /* programmed priority, upper nibble */
    bool enabled[CORE_NUM_EXC];  /* IRQs: ISER; faults: SHCSR; others: always */
    /* Padded to whole 8-byte words (always false past CORE_NUM_EXC) so
     * that a scan can skip eight clear flags at a time. */
    bool pending[CORE_EXC_SLOTS];
    bool active[CORE_EXC_SLOTS];
    bool level[CORE_NUM_EXC];    /* peripheral line held high */
    uint32_t vtor, aircr_prigroup, scr, ccr, cpacr, demcr;
    uint32_t actlr;              /* Cortex-M4 TRM 4.3.1; DISDEFWBUF is modeled */
    uint32_t cfsr, hfsr, dfsr, mmfar, bfar;
    uint32_t fpccr, fpcar, fpdscr;
    /* SysTick (B3.3): value anchored at a cycle count, wraps computed. */
    uint32_t st_csr, st_rvr, st_anchor_val;
    uint64_t st_anchor_cycle, st_next_zero;
    /* DWT (C1.8): CYCCNT counts active (non-sleep) cycles while enabled. */
    uint32_t dwt_ctrl, dwt_cyccnt_base;
    uint64_t dwt_anchor;
    bool event_flag; /* the event register (B1.5.18): WFE returns at once when set */
    /* Cached by core_pending_best / core_exec_priority; core_scs_dirty() on change. */
    bool cache_valid;
    int cached_best, cached_best_prio, cached_active;
    bool fp_denied;  /* CPACR gives no access to CP10/CP11 */
    bool fp_trap;    /* an FP instruction needs the core: fp_denied, or FPCCR.LSPACT */
};

/*
 * irq_latency (report): cycles from an exception becoming pending to the
 * first instruction of its handler, that is the start of the first block
 * that runs in it. An event-raised interrupt is pending from the event's
 * due cycle (the CPU reaches it at the next instruction boundary, which is
 * part of the latency); one pended by a register write from the end of the
 * block that wrote it (the model's granularity).
 */
struct core_latency {
    uint64_t pend_cycle; /* when it last entered the pending state */
    uint64_t open_since; /* pend_cycle of the activation whose first block has not run yet */
    uint64_t count, total, worst;
    bool pend_valid, open;
};

struct qsim {
    uc_engine *uc;
    struct nucleo *board;
    struct qsim_options opt;
    uint8_t *flash, *sram, *sysmem, *option;
    uint8_t *flash_alias; /* the flash copy mapped at 0 (core_cpu_init) */
    /* The FLASH interface model's view of the array (flashmem.c). */
    sim_flash_store_fn flash_store;
    void *flash_store_dev;
    struct {
        bool pending;     /* put `bytes` back over Unicorn's raw store */
        uint8_t size;
        uint32_t offset;
        uint8_t bytes[4];
    } flash_fix;
    uint32_t flash_dirty_lo, flash_dirty_hi; /* code changed: retranslate before the next slice */
    uint64_t flash_stall_ps;                 /* the CPU's flash fetches wait until then */
    bool loaded;
    bool translated;      /* uc_emu_start ran since the last TB flush */

    /* Execution. */
    uint32_t pc;          /* where the next uc_emu_start begins */
    uint32_t ipsr;        /* mirror of IPSR (only the core changes it) */
    bool sleeping;
    bool sleep_wfe;       /* the sleep is a WFE's: it ends on a WFE wake-up event */
    bool locked_up;
    bool reset_requested;
    bool running;         /* inside uc_emu_start */
    bool partial;         /* running the first part of a block */
    bool stop_next;       /* stop before the next block */
    bool check_mask;      /* a pending exception is masked: re-check per block */
    bool debug_active;    /* breakpoints, watchpoints or a step: on_block asks debug.c */
    bool imprecise;       /* a buffered write hit a reserved address (faults.c) */
    bool invstate;        /* the fault being entered is INVSTATE: stack EPSR.T = 0 */
    uint32_t block_pc;    /* start of the block being run (cpu.c, block_stop) */
    bool at_block;        /* the run stopped before block_pc */
    uint32_t trap_cfsr;   /* STOP_TRAP: the UFSR bit */
    uint32_t hook_block, hook_size, hook_site; /* STOP_TRAP_HOOK: the block, the site (0: all) */
    struct core_traps *traps;       /* hooked sites (traps.c) */
    struct core_sink sinks[4]; /* pages mapped for one run to absorb buffered stores (faults.c) */
    unsigned sink_count;
    enum core_stop stop;
    uint32_t partial_until;
    uint32_t partial_exit; /* partial_until as executed (in the other flash mapping, see run_slice) */
    bool partial_keep;     /* keep the cut translation (it is in the other mapping) */
    bool sfpa_restore;     /* Unicorn's CONTROL bit 3 hidden for an MRS: give it back (fpctx.c) */
    bool npriv_maybe;      /* an MSR CONTROL ran since reset: Thread mode may be unprivileged (priv.c) */
    struct core_cut kept_cuts[64]; /* cut translations kept, by start (run_slice) */
    enum core_stop partial_then;
    uint32_t mem_addr;
    int mem_type;
    int mpu_fault;        /* the STOP_MEM is the MPU's: 1 fetch, 2 data (mpu_map.c) */
    uint64_t insns;

    /* Time. */
    uint64_t cycles, sleep_cycles;
    uint64_t base_cycles, base_ps;
    uint32_t hclk;
    uint64_t ps_q, ps_r;  /* 1e12 / hclk: quotient and remainder (core_time_init) */
    uint64_t ps_dmax;     /* largest cycle difference d with d * ps_r in 64 bits */
    uint64_t stop_cycles;
    struct sim_event *events;
    /* Pessimistic model (QSIM_CYCLES_UPPER): FLASH_ACR.LATENCY, and where
     * a sequential fetch would continue (CORE_NO_FETCH after an exception
     * or reset: the next block is then a non-sequential fetch). */
    unsigned flash_ws;
    uint32_t fetch_next;

    struct core_scs scs;
    struct core_mpu mpu;
    struct core_block *blocks;

    /* Peripheral mappings. */
    struct mmio_region *regions[160];
    int region_count;
    struct mmio_run *runs[64];
    int run_count;
    int mapped_count;   /* regions[0..mapped_count) are mapped (core_mmio_commit) */

    /* Report. */
    uint64_t irq_counts[CORE_NUM_EXC];
    struct core_latency latency[CORE_NUM_EXC]; /* irq_latency: exc.c, core_latency_first_block */
    bool in_event;        /* core_fire_due is running an event due at event_cycle */
    uint64_t event_cycle;
    struct core_fault *faults;
    unsigned fault_count, fault_cap;
    struct core_unmodeled *unmodeled;
    unsigned unmodeled_count, unmodeled_cap;
    struct core_warning *warnings;
    unsigned warning_count, warning_cap;
    struct svd_names *svd;
    char *svd_path;       /* --svd, or NULL for the built-in STM32F446 facts */
    bool svd_loaded;      /* `svd` is read at the first unmodeled access */
    struct core_script *scripts;
    struct vcd *vcd;
    FILE *vcd_file;
    qsim_exc_fn exc_hook; /* trace_hook.c */
    void *exc_hook_ctx;

    /* Debugger (debug.c): apart from the state the run loop uses at every
     * block, so that a run without a debugger touches none of it. */
    bool peeking;         /* a debugger read is in a model: no side effects */
    struct core_debug dbg;
};

/* Pending, enabled, active or priority state changed. */
static inline void core_scs_dirty(struct qsim *s)
{
    s->scs.cache_valid = false;
}

#define CORE_SCR_SEVONPEND (1u << 4)

/*
 * Exception `exc` becomes pending. With SCR.SEVONPEND set, an exception
 * entering the pending state is a WFE wake-up event, however low its
 * priority and even when disabled (ARMv7-M B1.5.18, B3.2.7): it sets the
 * event register. The caller marks the SCS state dirty.
 */
static inline void core_pend(struct qsim *s, int exc)
{
    if (!s->scs.pending[exc]) {
        if (s->scs.scr & CORE_SCR_SEVONPEND)
            s->scs.event_flag = true;
        struct core_latency *l = &s->latency[exc];
        l->pend_cycle = s->in_event && s->event_cycle < s->cycles ? s->event_cycle : s->cycles;
        l->pend_valid = true;
    }
    s->scs.pending[exc] = true;
}

/* A block is about to run (its cost not yet counted): the first of a
 * handler whose latency is open closes it. */
static inline void core_latency_first_block(struct qsim *s)
{
    struct core_latency *l = &s->latency[s->ipsr];
    if (!l->open)
        return;
    uint64_t d = s->cycles - l->open_since;
    l->open = false;
    l->count++;
    l->total += d;
    if (d > l->worst)
        l->worst = d;
}

/* cpu.c */
int core_cpu_init(struct qsim *s);
/* The W5500 on SPI2 with the options' rules, lease and wait bound (api_net.c): 0 or -errno. */
int core_w5500_attach(struct qsim *s);
void core_cpu_reset(struct qsim *s);
uint32_t core_reg(struct qsim *s, int reg);
void core_set_reg(struct qsim *s, int reg, uint32_t value);
void core_request_check(struct qsim *s);
void core_bus_error(struct qsim *s, uint32_t addr); /* from an MMIO callback */
bool core_mem_read32(struct qsim *s, uint32_t addr, uint32_t *value);
void core_stop(struct qsim *s, enum core_stop why);

/* blocks.c: the cycle model */
const struct core_block *core_block_get(struct qsim *s, uint32_t addr, uint32_t size);
uint32_t core_block_cut(struct qsim *s, uint32_t addr, uint32_t size, int64_t budget, int fp_off);
unsigned core_fetch_wait(const struct qsim *s, uint32_t addr);
unsigned core_block_fetch_wait(struct qsim *s, uint32_t addr);
unsigned core_jump_wait(struct qsim *s, uint32_t target);
void core_block_ran(struct qsim *s, uint32_t end);
void core_blocks_flush(struct qsim *s);

/* flashmem.c: CPU stores to the flash array, code changed by the FLASH model. */
bool core_flash_store(struct qsim *s, uint32_t address, int size, int64_t value);
void core_flash_fixup(struct qsim *s);
void core_flash_retranslate(struct qsim *s);
bool core_flash_stalls(struct qsim *s);
void core_block_forget(struct qsim *s, uint32_t addr);
bool core_fetch16(struct qsim *s, uint32_t addr, uint16_t *hw);

/* traps.c: alignment and divide-by-zero faults Unicorn does not raise */
void core_traps_scan(struct qsim *s, struct core_block *b, uint32_t addr, uint32_t size);
uint32_t core_traps_entry(struct qsim *s, const struct core_block *b, uint32_t addr);
bool core_trap_hooked(const struct qsim *s, uint32_t addr);
void core_traps_hook_block(struct qsim *s, uint32_t addr, uint32_t size, uint32_t site);
void core_traps_ccr(struct qsim *s, uint32_t old_ccr);
void core_traps_free(struct qsim *s);

/* faults.c: fetch, state and bus faults around Unicorn's reports */
bool core_default_xn(uint32_t addr);
void core_fetch_fault(struct qsim *s);
bool core_store_absorbed(struct qsim *s, uint32_t addr);
bool core_hole_write(struct qsim *s, uint32_t addr);
void core_precise_stop(struct qsim *s, uint32_t addr, bool write);
void core_sinks_unmap(struct qsim *s);
void core_imprecise_fault(struct qsim *s);

/* priv.c: special registers whatever the running code's privilege */
bool core_unprivileged(struct qsim *s);
/* Lift CONTROL.nPRIV in Thread mode so that uc_reg_read/write of MSP, PSP,
 * PRIMASK, BASEPRI, FAULTMASK and CONTROL work; returns the nPRIV to give
 * back to core_priv_end (0 when the code was privileged already). */
uint32_t core_priv_begin(struct qsim *s);
void core_priv_end(struct qsim *s, uint32_t npriv);
/* Make Unicorn's cached view of the privilege (MMU index, CPS) follow a
 * change the core made by register writes. */
void core_priv_sync(struct qsim *s);

/* fpctx.c: the FP part of exception frames, lazy or not */
/* Unicorn's CONTROL bit 3 (v8-M SFPA): with FPCA but without it, Unicorn
 * starts a new FP context at the next FP instruction (FPSCR = 0). */
#define UC_CONTROL_SFPA (1u << 3)
void core_fp_regs(struct qsim *s, uint32_t *words, bool write); /* S0-S15, FPSCR */
void core_fp_trap_update(struct qsim *s);
void core_fpccr_write(struct qsim *s, uint32_t value);
/* Entry with CONTROL.FPCA = 1: true when the registers were read into
 * `fp_area` to be stacked now, false when they are left for lazy stacking. */
bool core_fp_entry(struct qsim *s, uint32_t frameptr, uint32_t *fp_area, bool unprivileged, bool thread);
void core_fp_preserve(struct qsim *s);
/* Return with an FP frame: true when the registers are to be unstacked. */
bool core_fp_return(struct qsim *s);
/* Block hook for blocks reading or just after writing CONTROL: run the
 * block, stop before it (it runs when resumed), or run it only up to its
 * first FP instruction. */
enum core_control_how { CONTROL_RUN, CONTROL_STOP, CONTROL_CUT_AT_FP };
enum core_control_how core_control_block(struct qsim *s, const struct core_block *b);
void core_sfpa_restore(struct qsim *s);

/* mpu.c: the decision (ARMv7-M B3.5) */
unsigned core_mpu_perms(const struct core_mpu *m, uint32_t addr, bool priv);
int core_mpu_context(struct qsim *s);
bool core_may_execute(struct qsim *s, uint32_t addr);
bool core_mpu_range_ok(struct qsim *s, uint32_t addr, uint32_t len, unsigned need, bool unprivileged, int prio);
uint32_t core_mpu_read(struct qsim *s, uint32_t off);
void core_mpu_write(struct qsim *s, uint32_t off, uint32_t value);
void core_mpu_reset(struct qsim *s);

/* mpu_map.c: enforcing it on Unicorn */
void core_mpu_init(struct qsim *s);
bool core_mpu_fetch_unstick(struct qsim *s, uint32_t addr);
bool core_mpu_alias_reads_alike(struct qsim *s, uint32_t off_lo, uint32_t off_hi);
void core_mpu_sync(struct qsim *s);
int core_mpu_bad_mem(struct qsim *s, int type, uint32_t addr, int size, int64_t value);
bool core_mpu_mmio_denied(struct qsim *s, uint32_t addr, unsigned size, bool write);
uint32_t core_mpu_fetch_limit(struct qsim *s, uint32_t addr, uint32_t size);
bool core_mpu_block_resync(struct qsim *s, uint32_t addr);

/* faultpc.c: the instruction of a refused data access in the block at `block` */
uint32_t core_fault_pc(struct qsim *s, uint32_t block, uint32_t bad);
enum core_fault_access { CORE_ACCESS_ANY, CORE_ACCESS_READ, CORE_ACCESS_WRITE };
#define CORE_MEM_EITHER 0 /* s->mem_type of an access refused in an MMIO callback (core_bus_error) */
struct core_fault_site {
    const uint16_t *code;        /* the block's halfwords from its start */
    unsigned halfwords;
    uint32_t block;
    uint32_t regs[15];           /* r0-r14 at the stop */
    const uint8_t *flash, *sram; /* at CORE_FLASH_BASE, CORE_SRAM_BASE; NULL: not looked at */
    uint32_t bad;                /* the refused address */
    enum core_fault_access type;
};
uint32_t core_fault_pc_find(const struct core_fault_site *f);

/* exc.c */
int core_exec_priority(struct qsim *s, bool ignore_primask);
bool core_exc_preempts(struct qsim *s, int exc, bool ignore_primask);
int core_pending_best(struct qsim *s, int *prio_out);
bool core_exc_wakeup(struct qsim *s);
bool core_exc_take_pending(struct qsim *s);
void core_exc_return(struct qsim *s, uint32_t exc_return);
void core_exc_svc(struct qsim *s);
void core_fault(struct qsim *s, int exc, uint32_t cfsr_bits, uint32_t hfsr_bits, uint32_t pc);
void core_lockup(struct qsim *s, const char *why, uint32_t pc);
int core_group_prio(struct qsim *s, int exc);
void core_exc_reset(struct qsim *s);

/* scs.c */
void core_scs_map(struct qsim *s);
void core_scs_reset(struct qsim *s);
void core_systick_fire(struct qsim *s);
void core_systick_rebase(struct qsim *s);

/* time.c */
uint64_t core_cycles_at(const struct qsim *s, uint64_t ps);
void core_time_init(struct qsim *s, uint32_t hz);
void core_fire_due(struct qsim *s);
uint64_t core_next_stop(struct qsim *s, uint64_t until_ps);

/* mmio.c */
void core_mmio_reset_counts(struct qsim *s);
void core_mmio_commit(struct qsim *s);
void core_mmio_free(struct qsim *s);
bool core_mmio_debug_read(struct qsim *s, uint32_t addr, unsigned size, uint32_t *value);
bool core_mmio_debug_write(struct qsim *s, uint32_t addr, unsigned size, uint32_t value);

/* debug.c */
bool core_debug_block(struct qsim *s, uint32_t addr, uint32_t size, const struct core_block *b, uint64_t cost);
void core_debug_resume(struct qsim *s);
bool core_debug_slice_done(struct qsim *s);
uint32_t core_mmio_run_read(struct mmio_run *run, uint32_t offset, unsigned size);
void core_mmio_run_write(struct mmio_run *run, uint32_t offset, uint32_t value, unsigned size);

/* bitband.c: maps the bit-band alias holding `addr` (unmapped so far); false if none */
bool core_bitband_map_for(struct qsim *s, uint32_t addr);

/* report.c */
void core_record_fault(struct qsim *s, const char *kind, uint32_t pc);
const char *core_exc_name(int exc);
void core_trace_exc(struct qsim *s, int exc, bool active);

/* trace_hook.c */
void core_exc_hook(struct qsim *s, enum qsim_exc_event ev, int exc, uint64_t cycles);

/* svd.c; `path` an SVD, or NULL for the STM32F446 facts built in. NULL on error. */
struct svd_names *core_svd_load(const char *path);
void core_svd_free(struct svd_names *n);
/* The BME280 where qsim_options put it (api_env.c): 0 or -errno. */
int core_bme280_attach(struct qsim *s);
/* "PERIPH.REG" for an address, or NULL. */
const char *core_svd_name(const struct svd_names *n, uint32_t address, char *buf, size_t len);

/* elf.c: see core/elf.h */

#endif
