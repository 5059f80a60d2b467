/*
 * Privilege: the special registers as the core sees them, whatever the
 * privilege of the code running (ARMv7-M B1.4.4 CONTROL, B1.3.1 modes).
 *
 * Unicorn reads and writes MSP, PSP, PRIMASK, BASEPRI, FAULTMASK and
 * CONTROL through its MRS/MSR helpers, which do what the instructions do:
 * in unprivileged Thread mode (IPSR = 0, CONTROL.nPRIV = 1) the reads
 * return 0 and the writes are ignored (of CONTROL, all but Unicorn's bit 3,
 * see fpctx.c). The core is not the running code:
 * it stacks to PSP and masks with PRIMASK whatever the code's privilege.
 * XPSR and IPSR, though, are written unconditionally, and Handler mode is
 * always privileged; so the core enters Handler mode for a moment, clears
 * nPRIV there, and goes back to Thread mode, now privileged
 * (core_priv_begin).
 *
 * Only MSR CONTROL sets nPRIV, and it ends Unicorn's block: a block that
 * holds one sets `npriv_maybe` (cpu.c, on_block) before it runs. Until
 * then the code is privileged and the core reads no CONTROL for this, so
 * firmware that never writes CONTROL pays nothing.
 *
 * Unicorn 2.0.1 (QEMU 5.0) keeps what the privilege means for translation
 * and memory in cached `hflags`: the MMU index (M-profile: privileged or
 * unprivileged, each with its own TLB) and whether CPS is a NOP. It rebuilds
 * them when code runs MSR or CPS, and on a CPSR write, never on the writes
 * of XPSR, IPSR or CONTROL the core makes for exception entry and return.
 * Left stale, a handler entered from unprivileged Thread mode would run as
 * unprivileged code for Unicorn: its CPSID/CPSIE ignored (B5.2.1: they are
 * privileged-only, NOPs when unprivileged) and its loads filling the
 * unprivileged TLB. core_priv_sync makes Unicorn rebuild them.
 */
#include "core/core.h"

#define CONTROL_NPRIV 1u

bool core_unprivileged(struct qsim *s)
{
    return s->npriv_maybe && s->ipsr == 0 && (core_reg(s, UC_ARM_REG_CONTROL) & CONTROL_NPRIV);
}

uint32_t core_priv_begin(struct qsim *s)
{
    if (!s->npriv_maybe || s->ipsr != 0)
        return 0;
    uint32_t control = core_reg(s, UC_ARM_REG_CONTROL);
    if (!(control & CONTROL_NPRIV))
        return 0;
    /* Writing IPSR switches SP between PSP and MSP as the mode change
     * does (CONTROL.SPSEL only applies to Thread mode), so SP stays right. */
    core_set_reg(s, UC_ARM_REG_IPSR, EXC_NMI);
    core_set_reg(s, UC_ARM_REG_CONTROL, control & ~CONTROL_NPRIV);
    core_set_reg(s, UC_ARM_REG_IPSR, 0);
    return CONTROL_NPRIV;
}

void core_priv_end(struct qsim *s, uint32_t npriv)
{
    if (npriv)
        core_set_reg(s, UC_ARM_REG_CONTROL, core_reg(s, UC_ARM_REG_CONTROL) | npriv);
}

/*
 * After the core changed the privilege of the code that runs next (entry
 * from, return to unprivileged Thread mode; reset): rewriting CPSR with its
 * own value changes nothing but makes Unicorn rebuild its hflags from the
 * current mode and CONTROL.nPRIV (measured: 0.05 us). The MPU relies on it
 * (mpu_map.c): with it, the privileged and unprivileged TLBs stay apart.
 */
void core_priv_sync(struct qsim *s)
{
    core_set_reg(s, UC_ARM_REG_CPSR, core_reg(s, UC_ARM_REG_CPSR));
}
