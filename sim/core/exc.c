/*
 * ARMv7-M exception model (ARM DDI 0403E B1.5): priorities, entry with the
 * basic or FP-extended frame, return, tail-chaining, faults and escalation.
 * Not modeled: late arrival (an exception that becomes pending during the
 * 12 entry cycles waits for the first instruction of the handler). The FP
 * part of a frame (lazy or not) is fpctx.c's.
 */
#include <string.h>

#include "core/core.h"

#define XPSR_T (1u << 24)
#define XPSR_ALIGN (1u << 9)
#define CONTROL_NPRIV 1u
#define CONTROL_SPSEL 2u
#define CONTROL_FPCA 4u
#define CCR_STKALIGN (1u << 9)
#define HFSR_FORCED (1u << 30)

/* Cycle costs (Cortex-M4 TRM 3.3 "Exception handling" timings). */
#define CYCLES_ENTRY 12
#define CYCLES_RETURN 10
#define CYCLES_TAILCHAIN 6

static uint32_t group_mask(const struct qsim *s)
{
    /* AIRCR.PRIGROUP n: bits [7:n+1] are the group priority (B1.5.4). */
    return (0xFFu << (s->scs.aircr_prigroup + 1)) & 0xFFu;
}

static int raw_prio(const struct qsim *s, int exc)
{
    if (exc == EXC_RESET)
        return -3;
    if (exc == EXC_NMI)
        return -2;
    if (exc == EXC_HARDFAULT)
        return -1;
    return s->scs.prio[exc];
}

int core_group_prio(struct qsim *s, int exc)
{
    int p = raw_prio(s, exc);
    return p < 0 ? p : (int)((uint32_t)p & group_mask(s));
}

/*
 * Recompute the cached best pending exception and active priority. Pending
 * and active are sparse: eight flags at a time are skipped while all clear.
 */
static void refresh(struct qsim *s)
{
    int active = 256, best = 0, best_prio = 1000;
    for (int base = 0; base < CORE_NUM_EXC; base += 8) {
        uint64_t any_a, any_p;
        memcpy(&any_a, &s->scs.active[base], 8);
        memcpy(&any_p, &s->scs.pending[base], 8);
        if (!(any_a | any_p))
            continue;
        int end = base + 8 < CORE_NUM_EXC ? base + 8 : CORE_NUM_EXC;
        for (int e = base < EXC_NMI ? EXC_NMI : base; e < end; e++) {
            if (s->scs.active[e]) {
                int g = core_group_prio(s, e);
                if (g < active)
                    active = g;
            }
            if (s->scs.pending[e] && s->scs.enabled[e]) {
                int p = raw_prio(s, e);
                if (p < best_prio) {
                    best = e;
                    best_prio = p;
                }
            }
        }
    }
    s->scs.cached_active = active;
    s->scs.cached_best = best;
    s->scs.cached_best_prio = best_prio;
    s->scs.cache_valid = true;
}

/* BASEPRI, PRIMASK, FAULTMASK in one Unicorn call. */
struct masks {
    uint32_t basepri, primask, faultmask;
};

static struct masks read_masks(struct qsim *s)
{
    static int regs[3] = {UC_ARM_REG_BASEPRI, UC_ARM_REG_PRIMASK, UC_ARM_REG_FAULTMASK};
    struct masks m = {0, 0, 0};
    void *vals[3] = {&m.basepri, &m.primask, &m.faultmask};
    uc_reg_read_batch(s->uc, regs, vals, 3);
    if (s->npriv_maybe && !(m.basepri | m.primask | m.faultmask) && core_unprivileged(s)) {
        /* Unprivileged Thread mode: Unicorn read the masks as 0 (priv.c). */
        uint32_t npriv = core_priv_begin(s);
        uc_reg_read_batch(s->uc, regs, vals, 3);
        core_priv_end(s, npriv);
    }
    return m;
}

static int exec_priority(struct qsim *s, bool ignore_primask, const struct masks *m)
{
    if (!s->scs.cache_valid)
        refresh(s);
    int p = s->scs.cached_active;
    uint32_t basepri = m->basepri & 0xF0u;
    if (basepri && (int)(basepri & group_mask(s)) < p)
        p = (int)(basepri & group_mask(s));
    if (!ignore_primask && p > 0 && (m->primask & 1))
        p = 0;
    if (p > -1 && (m->faultmask & 1))
        p = -1;
    return p;
}

int core_exec_priority(struct qsim *s, bool ignore_primask)
{
    struct masks m = read_masks(s);
    return exec_priority(s, ignore_primask, &m);
}

/*
 * Whether exception `exc` would preempt now. The execution priority is never
 * above the highest active priority, so an exception that does not beat that
 * needs no look at the mask registers.
 */
bool core_exc_preempts(struct qsim *s, int exc, bool ignore_primask)
{
    if (!s->scs.cache_valid)
        refresh(s);
    int group = core_group_prio(s, exc);
    return group < s->scs.cached_active && group < core_exec_priority(s, ignore_primask);
}

/* Highest priority enabled pending exception (lowest number on a tie), or 0. */
int core_pending_best(struct qsim *s, int *prio_out)
{
    if (!s->scs.cache_valid)
        refresh(s);
    if (prio_out)
        *prio_out = s->scs.cached_best_prio;
    return s->scs.cached_best;
}

/* WFI/WFE wake-up: an exception that would preempt if PRIMASK were clear (B1.5.19). */
bool core_exc_wakeup(struct qsim *s)
{
    int exc = core_pending_best(s, NULL);
    return exc && core_exc_preempts(s, exc, true);
}

void core_trace_exc(struct qsim *s, int exc, bool active)
{
    if (!s->vcd)
        return;
    char sig[48];
    snprintf(sig, sizeof sig, "irq.%s", core_exc_name(exc));
    sim_trace(s, sig, 1, active);
}

/* Frames in SRAM go straight to the host buffer (no Unicorn map lookup). */
static bool stack_write(struct qsim *s, uint32_t addr, const uint32_t *words, unsigned n)
{
    if (addr - CORE_SRAM_BASE < CORE_SRAM_SIZE && n * 4 <= CORE_SRAM_BASE + CORE_SRAM_SIZE - addr) {
        memcpy(s->sram + (addr - CORE_SRAM_BASE), words, n * 4);
        return true;
    }
    return uc_mem_write(s->uc, addr, words, n * 4) == UC_ERR_OK;
}

static bool stack_read(struct qsim *s, uint32_t addr, uint32_t *words, unsigned n)
{
    if (addr - CORE_SRAM_BASE < CORE_SRAM_SIZE && n * 4 <= CORE_SRAM_BASE + CORE_SRAM_SIZE - addr) {
        memcpy(words, s->sram + (addr - CORE_SRAM_BASE), n * 4);
        return true;
    }
    return uc_mem_read(s->uc, addr, words, n * 4) == UC_ERR_OK;
}

static bool vector(struct qsim *s, int exc, uint32_t *pc)
{
    uint32_t v;
    if (!core_mem_read32(s, (s->scs.vtor & ~0x7Fu) + 4u * (uint32_t)exc, &v))
        return false;
    *pc = v & ~1u;
    return true;
}

/* Pessimistic model: the vector read of an entry or tail-chain waits
 * ACR.LATENCY when the table is in flash (on silicon the vector read on
 * the ICode bus overlaps with stacking on the system bus; an upper bound
 * charges it anyway). */
static unsigned vector_wait(const struct qsim *s, int exc)
{
    return core_fetch_wait(s, (s->scs.vtor & ~0x7Fu) + 4u * (uint32_t)exc);
}

static void activate(struct qsim *s, int exc)
{
    core_scs_dirty(s);
    s->scs.active[exc] = true;
    s->scs.pending[exc] = false;
    /* Latency runs to this activation's first handler block; exceptions
     * pended without core_pend (synchronous faults) are not measured. */
    struct core_latency *l = &s->latency[exc];
    l->open = l->pend_valid;
    l->open_since = l->pend_cycle;
    l->pend_valid = false;
    s->ipsr = (uint32_t)exc;
    s->irq_counts[exc]++;
    core_trace_exc(s, exc, true);
}

/* Exception entry (B1.5.6 PushStack + ExceptionTaken). */
static void entry(struct qsim *s, int exc, uint32_t return_address)
{
    /* One Unicorn call per register group (each call has a fixed cost). */
    static int regs[] = {UC_ARM_REG_R0, UC_ARM_REG_R1, UC_ARM_REG_R2, UC_ARM_REG_R3, UC_ARM_REG_R12,
                         UC_ARM_REG_LR, UC_ARM_REG_XPSR, UC_ARM_REG_CONTROL, UC_ARM_REG_MSP, UC_ARM_REG_PSP};
    uint32_t frame[26], got[10] = {0};
    void *vals[10];
    for (int i = 0; i < 10; i++)
        vals[i] = &got[i];
    /* From unprivileged Thread mode too: MSP and PSP read as 0 there. */
    uint32_t npriv = core_priv_begin(s);
    uc_reg_read_batch(s->uc, regs, vals, 10);
    memcpy(frame, got, 6 * sizeof got[0]);
    uint32_t xpsr = got[6];
    uint32_t control = (got[7] & 7u) | npriv;
    bool thread = s->ipsr == 0;
    bool on_psp = thread && (control & CONTROL_SPSEL);
    bool fp = control & CONTROL_FPCA;
    uint32_t sp = on_psp ? got[9] : got[8];
    unsigned words = fp ? 26 : 8;
    bool force = s->scs.ccr & CCR_STKALIGN;
    bool realign = force && (sp & 4u);
    uint32_t frameptr = (sp - words * 4u) & ~(force ? 4u : 0u);
    frame[6] = return_address & ~1u;
    frame[7] = (xpsr & ~(XPSR_ALIGN | XPSR_T)) | (realign ? XPSR_ALIGN : 0) | (s->invstate ? 0 : XPSR_T);
    /* The FP part of the frame: written now (FPCCR.LSPEN = 0) or reserved
     * for lazy preservation (fpctx.c). */
    unsigned written = 8;
    if (fp && core_fp_entry(s, frameptr, frame + 8, thread && npriv, thread)) {
        frame[25] = 0;
        written = words;
    }
    /* The MPU checks the frame with the interrupted code's privilege and
     * priority (B3.5.1 ValidateAddress during PushStack). */
    bool mpu_ok = !(s->mpu.ctrl & 1u) ||
                  core_mpu_range_ok(s, frameptr, written * 4u, MPU_W, thread && npriv, core_exec_priority(s, false));
    if (!mpu_ok || !stack_write(s, frameptr, frame, written)) {
        /* Stacking error (B1.5.15 derived exception): the frame is lost, SP
         * still moves, and a MemManage MSTKERR (the MPU refused) or BusFault
         * STKERR is taken instead, or HardFault when that cannot be, or a
         * lock-up when not even that. No MMFAR/BFAR (B3.2.15, B3.2.16). */
        int fault = mpu_ok ? EXC_BUSFAULT : EXC_MEMMANAGE;
        s->scs.cfsr |= mpu_ok ? 1u << 12 /* STKERR */ : 1u << 4 /* MSTKERR */;
        int derived = fault;
        if (exc == fault || !s->scs.enabled[fault] || core_group_prio(s, fault) >= core_exec_priority(s, false)) {
            derived = EXC_HARDFAULT;
            s->scs.hfsr |= HFSR_FORCED;
        }
        core_record_fault(s, mpu_ok ? "BusFault (stacking)" : "MemManage (stacking)", return_address);
        if (derived == EXC_HARDFAULT && (exc == EXC_HARDFAULT || core_exec_priority(s, false) <= -1)) {
            core_priv_end(s, npriv);
            core_lockup(s, "exception entry: stack not writable", return_address);
            return;
        }
        /* As a late arrival (B1.5.15 derived exceptions, PM0214 2.3.7): the
         * original exception stays pending, an SVC too. */
        s->scs.pending[exc] = true;
        exc = derived;
    }
    uint32_t handler;
    if (!vector(s, exc, &handler)) {
        s->scs.hfsr |= 1u << 1; /* VECTTBL */
        core_priv_end(s, npriv);
        core_lockup(s, "exception entry: vector table not readable", return_address);
        return;
    }
    uint32_t exc_return = 0xFFFFFFE0u | (fp ? 0 : 0x10u) | (thread ? (on_psp ? 0xDu : 0x9u) : 0x1u);
    /* CONTROL first, while still in thread mode, so Unicorn switches SP to MSP
     * (uc_reg_write_batch writes in array order); it puts nPRIV back, and
     * XPSR then enters Handler mode, privileged, where the SP write works. */
    int wregs[4] = {UC_ARM_REG_CONTROL, UC_ARM_REG_XPSR, on_psp ? UC_ARM_REG_PSP : UC_ARM_REG_MSP, UC_ARM_REG_LR};
    uint32_t wv[4] = {control & ~(CONTROL_SPSEL | CONTROL_FPCA), (xpsr & 0xF80F0000u) | XPSR_T | (uint32_t)exc,
                      frameptr, exc_return};
    void *const wvals[4] = {&wv[0], &wv[1], &wv[2], &wv[3]};
    uc_reg_write_batch(s->uc, wregs, wvals, 4);
    if (thread && npriv)
        core_priv_sync(s); /* the handler is privileged for Unicorn too */
    s->pc = handler;
    s->sleeping = false;
    activate(s, exc);
    core_exc_hook(s, QSIM_EXC_ENTRY, exc, s->cycles);
    s->cycles += CYCLES_ENTRY + vector_wait(s, exc) + core_jump_wait(s, handler);
}

/* Take the best pending exception if it preempts; returns true when taken. */
bool core_exc_take_pending(struct qsim *s)
{
    int exc = core_pending_best(s, NULL);
    s->check_mask = false;
    if (!exc)
        return false;
    int group = core_group_prio(s, exc);
    struct masks m = read_masks(s);
    if (group < exec_priority(s, false, &m)) {
        entry(s, exc, s->pc);
        return true;
    }
    /* Blocked only by PRIMASK/BASEPRI/FAULTMASK? Then watch for the unmask. */
    s->check_mask = group < exec_priority(s, true, &m) || m.basepri || m.faultmask;
    return false;
}

static void deactivate(struct qsim *s, int exc)
{
    core_scs_dirty(s);
    s->scs.active[exc] = false;
    core_trace_exc(s, exc, false);
    if (exc >= EXC_IRQ0 && s->scs.level[exc])
        core_pend(s, exc); /* level still high: pend again (B3.4.1) */
}

/* Enter `next` without unstacking, as the return from `from` (B1.5.8). */
static void tail_chain(struct qsim *s, int from, int next, uint32_t exc_return)
{
    uint32_t handler;
    if (!vector(s, next, &handler)) {
        core_lockup(s, "tail-chain: vector table not readable", exc_return);
        return;
    }
    uint32_t xpsr = core_reg(s, UC_ARM_REG_XPSR);
    uint32_t control = core_reg(s, UC_ARM_REG_CONTROL) & 7u;
    core_set_reg(s, UC_ARM_REG_CONTROL, control & ~CONTROL_FPCA);
    core_set_reg(s, UC_ARM_REG_XPSR, (xpsr & 0xF80F0000u) | XPSR_T | (uint32_t)next);
    core_set_reg(s, UC_ARM_REG_LR, exc_return);
    s->pc = handler;
    core_exc_hook(s, QSIM_EXC_TAILCHAIN, from, s->cycles);
    activate(s, next);
    core_exc_hook(s, QSIM_EXC_ENTRY, next, s->cycles);
    s->cycles += CYCLES_TAILCHAIN + vector_wait(s, next) + core_jump_wait(s, handler);
}

/* Whether the MPU lets the return read its frame: with the privilege of the
 * mode returned to, at the priority after deactivation (B1.5.8 PopStack). */
static bool unstack_allowed(struct qsim *s, uint32_t sp, unsigned words, bool to_thread)
{
    bool unprivileged = to_thread && (core_reg(s, UC_ARM_REG_CONTROL) & CONTROL_NPRIV);
    return core_mpu_range_ok(s, sp, words * 4u, MPU_R, unprivileged, core_exec_priority(s, false));
}

/* Exception return (B1.5.8), with tail-chaining to a pending exception. */
void core_exc_return(struct qsim *s, uint32_t exc_return)
{
    uint32_t low = exc_return & 0x1Fu;
    bool valid = (exc_return & 0xFFFFFFE0u) == 0xFFFFFFE0u &&
                 (low == 0x01 || low == 0x09 || low == 0x0D || low == 0x11 || low == 0x19 || low == 0x1D);
    if (s->ipsr == 0) {
        /* A branch to 0xFFFFFFFx in thread mode executes from an XN region. */
        core_fault(s, EXC_MEMMANAGE, 1u << 0 /* IACCVIOL */, 0, exc_return & ~1u);
        return;
    }
    if (!valid) {
        core_set_reg(s, UC_ARM_REG_LR, exc_return);
        core_fault(s, EXC_USAGEFAULT, 1u << 18 /* INVPC */, 0, exc_return & ~1u);
        return;
    }
    int from = (int)s->ipsr;
    deactivate(s, from);
    s->scs.event_flag = true; /* an exception return sets the event register (B1.5.18) */
    bool to_thread = exc_return & 8u;
    bool to_psp = exc_return & 4u;
    bool fp = !(exc_return & 0x10u);

    /* Tail-chain: a pending exception that preempts the context we return to. */
    int next = core_pending_best(s, NULL);
    if (next) {
        int target = core_exec_priority(s, false);
        if (core_group_prio(s, next) < target) {
            tail_chain(s, from, next, exc_return);
            return;
        }
    }

    uint32_t sp = core_reg(s, to_psp ? UC_ARM_REG_PSP : UC_ARM_REG_MSP);
    unsigned words = fp ? 26 : 8;
    uint32_t frame[26];
    if ((s->mpu.ctrl & 1u) && !unstack_allowed(s, sp, words, to_thread)) {
        /* MUNSTKERR (B3.2.15): the frame stays on the stack, the MemManage
         * (or HardFault) is entered as a tail-chain with this EXC_RETURN. */
        s->scs.cfsr |= 1u << 3;
        int derived = EXC_MEMMANAGE;
        int prio = core_exec_priority(s, false);
        if (!s->scs.enabled[EXC_MEMMANAGE] || core_group_prio(s, EXC_MEMMANAGE) >= prio) {
            derived = EXC_HARDFAULT;
            s->scs.hfsr |= HFSR_FORCED;
        }
        core_record_fault(s, "MemManage (unstacking)", exc_return);
        if (derived == EXC_HARDFAULT && prio <= -1) {
            core_lockup(s, "exception return: frame not readable (MPU)", sp);
            return;
        }
        tail_chain(s, from, derived, exc_return);
        return;
    }
    if (!stack_read(s, sp, frame, words)) {
        s->scs.cfsr |= 1u << 11; /* UNSTKERR */
        core_lockup(s, "exception return: stack not readable", sp);
        return;
    }
    uint32_t xpsr = frame[7];
    sp += words * 4u + ((xpsr & XPSR_ALIGN) && (s->scs.ccr & CCR_STKALIGN) ? 4u : 0u);
    uint32_t ipsr = to_thread ? 0 : (xpsr & 0x1FFu);
    uint32_t control = core_reg(s, UC_ARM_REG_CONTROL) & 7u;
    control = (control & ~(CONTROL_SPSEL | CONTROL_FPCA)) | (to_thread && to_psp ? CONTROL_SPSEL : 0) |
              (fp ? CONTROL_FPCA | UC_CONTROL_SFPA : 0);
    /* In this order (uc_reg_write_batch keeps it): CONTROL and the SP it
     * selects while still in Handler mode (privileged: in unprivileged
     * Thread mode Unicorn ignores both), R0-R3, R12, LR, then XPSR, which
     * returns to the stacked mode and switches SP to PSP if SPSEL says so. */
    int wregs[9] = {UC_ARM_REG_CONTROL, to_psp ? UC_ARM_REG_PSP : UC_ARM_REG_MSP, UC_ARM_REG_R0, UC_ARM_REG_R1,
                    UC_ARM_REG_R2, UC_ARM_REG_R3, UC_ARM_REG_R12, UC_ARM_REG_LR, UC_ARM_REG_XPSR_NZCVQG};
    uint32_t wv[9] = {control, sp, frame[0], frame[1], frame[2], frame[3], frame[4], frame[5],
                      (xpsr & 0xFE0FFC00u & ~XPSR_ALIGN) | XPSR_T | ipsr};
    void *const wvals[9] = {&wv[0], &wv[1], &wv[2], &wv[3], &wv[4], &wv[5], &wv[6], &wv[7], &wv[8]};
    uc_reg_write_batch(s->uc, wregs, wvals, 9);
    if (to_thread && (control & CONTROL_NPRIV))
        core_priv_sync(s); /* unprivileged for Unicorn too */
    if (fp && core_fp_return(s))
        core_fp_regs(s, frame + 8, true);
    s->pc = frame[6] & ~1u;
    s->ipsr = ipsr;
    s->cycles += CYCLES_RETURN + core_jump_wait(s, s->pc);
    core_exc_hook(s, QSIM_EXC_RETURN, from, s->cycles);
    if (!(xpsr & XPSR_T)) {
        /* EPSR.T = 0 from the frame: the next instruction faults INVSTATE
         * (B1.4.2), with the return address and T = 0 stacked. */
        s->invstate = true;
        core_fault(s, EXC_USAGEFAULT, 1u << 17 /* INVSTATE */, 0, s->pc);
        s->invstate = false;
        return;
    }
    if (to_thread && (s->scs.scr & 2u)) /* SCR.SLEEPONEXIT */
        s->sleeping = true;
}

/* SVC: taken at once, or escalated when it cannot preempt (B1.5.12). */
void core_exc_svc(struct qsim *s)
{
    if (core_group_prio(s, EXC_SVCALL) < core_exec_priority(s, false)) {
        entry(s, EXC_SVCALL, s->pc);
        return;
    }
    core_fault(s, EXC_HARDFAULT, 0, HFSR_FORCED, s->pc);
}

static const char *fault_kind(int exc, uint32_t cfsr_bits, uint32_t hfsr_bits)
{
    switch (exc) {
    case EXC_MEMMANAGE: return "MemManage";
    case EXC_BUSFAULT: return "BusFault";
    case EXC_USAGEFAULT: return "UsageFault";
    default: break;
    }
    (void)cfsr_bits;
    return (hfsr_bits & (1u << 31)) ? "HardFault (BKPT)" : "HardFault";
}

/*
 * A synchronous fault at `pc` (the stacked return address). A configurable
 * fault that is disabled in SHCSR or cannot preempt becomes a HardFault
 * (FORCED); a fault that cannot preempt HardFault locks the core up (B1.5.15).
 */
void core_fault(struct qsim *s, int exc, uint32_t cfsr_bits, uint32_t hfsr_bits, uint32_t pc)
{
    s->scs.cfsr |= cfsr_bits;
    s->scs.hfsr |= hfsr_bits;
    int target = exc;
    if (exc != EXC_HARDFAULT &&
        (!s->scs.enabled[exc] || core_group_prio(s, exc) >= core_exec_priority(s, false))) {
        target = EXC_HARDFAULT;
        s->scs.hfsr |= HFSR_FORCED;
    }
    s->pc = pc;
    core_record_fault(s, fault_kind(exc, cfsr_bits, hfsr_bits), pc);
    if (core_exec_priority(s, false) <= -1 && target == EXC_HARDFAULT) {
        core_lockup(s, "fault while HardFault or NMI is active (lock-up)", pc);
        return;
    }
    entry(s, target, pc);
}

void core_lockup(struct qsim *s, const char *why, uint32_t pc)
{
    if (s->locked_up)
        return;
    s->locked_up = true;
    s->pc = pc;
    sim_warn(s, "lock-up at pc 0x%08x: %s", pc, why);
    core_record_fault(s, "lockup", pc);
}

void core_exc_reset(struct qsim *s)
{
    memset(s->scs.pending, 0, sizeof s->scs.pending);
    memset(s->scs.active, 0, sizeof s->scs.active);
    for (int e = 0; e < CORE_NUM_EXC; e++)
        s->latency[e].open = s->latency[e].pend_valid = false;
    core_scs_dirty(s);
}
