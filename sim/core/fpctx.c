/*
 * The FP context in exception frames (ARMv7-M B1.5.7 "Context state
 * stacking on exception entry with the FP extension", B3.2.21-B3.2.22
 * FPCCR/FPCAR; PM0214 4.6).
 *
 * With FPCCR.LSPEN = 1 (the reset value) stacking is lazy, as on silicon:
 * an entry with CONTROL.FPCA = 1 reserves the 18 words of S0-S15, FPSCR
 * and the reserved word but writes none of them; it records the FP area
 * in FPCAR and the interrupted context in FPCCR (UpdateFPCCR: LSPACT,
 * USER, THREAD, HFRDY, MMRDY, BFRDY, MONRDY). The first FP instruction
 * executed while LSPACT = 1 writes the registers there and clears LSPACT
 * (PreserveFPState); an exception return with LSPACT still set leaves the
 * registers as they are and clears it. With LSPEN = 0 the registers are
 * written at entry.
 *
 * The core notices that first FP instruction at no cost to other code:
 * the block hook already checks `fp_trap` for blocks holding an FP
 * instruction (for NOCP), and LSPACT sets it too. The registers are
 * written when that block starts, before its first FP instruction; the
 * instructions ahead of it in the block do not change them.
 */
#include <string.h>

#include "core/core.h"

#define FPCCR_ASPEN (1u << 31)
#define FPCCR_LSPEN (1u << 30)
#define FPCCR_MONRDY (1u << 8)
#define FPCCR_BFRDY (1u << 6)
#define FPCCR_MMRDY (1u << 5)
#define FPCCR_HFRDY (1u << 4)
#define FPCCR_THREAD (1u << 3)
#define FPCCR_USER (1u << 1)
#define FPCCR_LSPACT (1u << 0)
#define DEMCR_MON_EN (1u << 16)
#define FP_AREA_OFFSET 0x20u
#define FPDSCR_MASK 0x07C00000u /* AHP, DN, FZ, RMode */ /* S0 follows the 8 words of the basic frame */

void core_fp_regs(struct qsim *s, uint32_t *words, bool write)
{
    static int regs[17];
    void *vals[17];
    for (int i = 0; i < 17; i++) {
        regs[i] = i < 16 ? UC_ARM_REG_S0 + i : UC_ARM_REG_FPSCR;
        vals[i] = &words[i];
    }
    if (write)
        uc_reg_write_batch(s->uc, regs, vals, 17);
    else
        uc_reg_read_batch(s->uc, regs, vals, 17);
}

void core_fp_trap_update(struct qsim *s)
{
    s->scs.fp_trap = s->scs.fp_denied || (s->scs.fpccr & FPCCR_LSPACT);
}

void core_fpccr_write(struct qsim *s, uint32_t value)
{
    /* ASPEN, LSPEN and the lazy state bits are read/write (B3.2.21). */
    const uint32_t writable = FPCCR_ASPEN | FPCCR_LSPEN | FPCCR_MONRDY | FPCCR_BFRDY | FPCCR_MMRDY | FPCCR_HFRDY |
                              FPCCR_THREAD | FPCCR_USER | FPCCR_LSPACT;
    s->scs.fpccr = value & writable;
    core_fp_trap_update(s);
}

/* Whether an exception at `exc` could be made pending now (UpdateFPCCR). */
static bool ready(struct qsim *s, int exc, int exec_prio)
{
    return s->scs.enabled[exc] && exec_prio > core_group_prio(s, exc);
}

bool core_fp_entry(struct qsim *s, uint32_t frameptr, uint32_t *fp_area, bool unprivileged, bool thread)
{
    struct core_scs *c = &s->scs;
    if (!(c->fpccr & FPCCR_LSPEN)) {
        core_fp_regs(s, fp_area, false);
        return true;
    }
    /* UpdateFPCCR (B1.5.7): the priorities are those of the interrupted
     * context, the exception is not active yet. */
    int prio = core_exec_priority(s, false);
    c->fpcar = frameptr + FP_AREA_OFFSET;
    c->fpccr &= ~(FPCCR_MONRDY | FPCCR_BFRDY | FPCCR_MMRDY | FPCCR_HFRDY | FPCCR_THREAD | FPCCR_USER);
    c->fpccr |= FPCCR_LSPACT | (unprivileged ? FPCCR_USER : 0) | (thread ? FPCCR_THREAD : 0) |
                (prio > -1 ? FPCCR_HFRDY : 0) | (ready(s, EXC_MEMMANAGE, prio) ? FPCCR_MMRDY : 0) |
                (ready(s, EXC_BUSFAULT, prio) ? FPCCR_BFRDY : 0) |
                ((c->demcr & DEMCR_MON_EN) && prio > core_group_prio(s, EXC_DEBUGMON) ? FPCCR_MONRDY : 0);
    core_fp_trap_update(s);
    return false;
}

void core_fp_preserve(struct qsim *s)
{
    uint32_t words[17];
    core_fp_regs(s, words, false);
    uint32_t addr = s->scs.fpcar;
    /* The MPU checks the area with the privilege and priority the entry
     * recorded (FPCCR.USER, HFRDY): MLSPERR (B3.2.15), MemManage made
     * pending, or HardFault when FPCCR.MMRDY says it could not be. */
    bool user = s->scs.fpccr & FPCCR_USER;
    if ((s->mpu.ctrl & 1u) &&
        !core_mpu_range_ok(s, addr, sizeof words, MPU_W, user, (s->scs.fpccr & FPCCR_HFRDY) ? 0 : -1)) {
        s->scs.cfsr |= 1u << 5;
        s->scs.pending[s->scs.fpccr & FPCCR_MMRDY ? EXC_MEMMANAGE : EXC_HARDFAULT] = true;
        core_scs_dirty(s);
        core_request_check(s);
    } else if (addr - CORE_SRAM_BASE < CORE_SRAM_SIZE && sizeof words <= CORE_SRAM_BASE + CORE_SRAM_SIZE - addr) {
        memcpy(s->sram + (addr - CORE_SRAM_BASE), words, sizeof words);
    } else if (uc_mem_write(s->uc, addr, words, sizeof words) != UC_ERR_OK) {
        /* A bus error while preserving: BusFault LSPERR (B3.2.15), made
         * pending, or HardFault when FPCCR.BFRDY says BusFault could not
         * be (TakePreserveFPException). */
        bool bus = s->scs.fpccr & FPCCR_BFRDY;
        s->scs.cfsr |= 1u << 13;
        s->scs.hfsr |= bus ? 0 : 1u << 30; /* FORCED */
        s->scs.pending[bus ? EXC_BUSFAULT : EXC_HARDFAULT] = true;
        core_scs_dirty(s);
        core_request_check(s);
    }
    s->scs.fpccr &= ~FPCCR_LSPACT;
    core_fp_trap_update(s);
}

bool core_fp_return(struct qsim *s)
{
    if (!(s->scs.fpccr & FPCCR_LSPACT))
        return true;
    /* Never preserved: the registers still hold the context (B1.5.8 PopStack). */
    s->scs.fpccr &= ~FPCCR_LSPACT;
    core_fp_trap_update(s);
    return false;
}

/*
 * CONTROL reads back bits [2:0] only (B1.4.4). Unicorn keeps a v8-M bit 3
 * (SFPA) beside FPCA, sets both at the first FP instruction of a context,
 * shows it to MRS, and starts a new FP context (FPSCR = 0) at the next FP
 * instruction whenever FPCA is set without it. So the core keeps bit 3
 * equal to FPCA, except while a block that reads CONTROL runs:
 *   - a block holding MRS Rd, CONTROL runs with bit 3 cleared, and the run
 *     stops before the next block, which gives it back (run_slice); that
 *     block was looked up with bit 3 set, so its own FP instructions are
 *     not affected;
 *   - after MSR CONTROL (which writes bit 3 as the firmware read it: 0),
 *     FPCA without bit 3 gets bit 3 back, and the block is looked up again
 *     (it was translated to start a new FP context);
 *   - a block that starts a new FP context before its MRS gets it started
 *     by the core first (after running the block up to its first FP
 *     instruction, when an MRS comes before that too).
 * Other code never reaches here (the block hook looks at `special` only).
 */
static void write_control(struct qsim *s, uint32_t control)
{
    uint32_t npriv = core_priv_begin(s);
    core_set_reg(s, UC_ARM_REG_CONTROL, control & ~npriv);
    core_priv_end(s, npriv);
}

enum core_control_how core_control_block(struct qsim *s, const struct core_block *b)
{
    if (!b->after_msr_control && !b->mrs_control)
        return CONTROL_RUN;
    uint32_t control = core_reg(s, UC_ARM_REG_CONTROL);
    bool fpca = control & 4u;
    if (b->after_msr_control && fpca && !(control & UC_CONTROL_SFPA)) {
        write_control(s, control | UC_CONTROL_SFPA);
        return CONTROL_STOP;
    }
    if (b->mrs_after_fp && !fpca && !s->scs.fp_denied) {
        if (b->mrs_before_fp)
            return CONTROL_CUT_AT_FP; /* the first MRS must still see FPCA = 0 */
        /* The block's FP instruction would start a new FP context, and
         * Unicorn set bit 3 with FPCA, before the MRS: start it here as
         * ExecuteFPCheck does (B1.5.7: FPSCR<26:22> from FPDSCR, FPCA set)
         * and look the block up again, now with an FP context. */
        if (s->scs.fpccr & FPCCR_LSPACT)
            core_fp_preserve(s); /* the interrupted context's FPSCR first */
        uint32_t fpscr = core_reg(s, UC_ARM_REG_FPSCR);
        core_set_reg(s, UC_ARM_REG_FPSCR, (fpscr & ~FPDSCR_MASK) | (s->scs.fpdscr & FPDSCR_MASK));
        write_control(s, control | 4u | UC_CONTROL_SFPA);
        return CONTROL_STOP;
    }
    if (b->mrs_control && (control & UC_CONTROL_SFPA)) {
        write_control(s, control & ~UC_CONTROL_SFPA);
        s->sfpa_restore = true;
        s->stop_next = true;
    }
    return CONTROL_RUN;
}

void core_sfpa_restore(struct qsim *s)
{
    s->sfpa_restore = false;
    uint32_t control = core_reg(s, UC_ARM_REG_CONTROL);
    if ((control & 4u) && !(control & UC_CONTROL_SFPA))
        write_control(s, control | UC_CONTROL_SFPA);
}
