/*
 * System control space (ARMv7-M B3.2): NVIC (B3.4), SCB, SysTick (B3.3),
 * CoreDebug DEMCR (C1.6.5), FPU CPACR/FPCCR (B3.2.20, B3.2.21) and DWT CYCCNT
 * (C1.8), and the MPU registers (B3.5, mpu.c). Other debug blocks of the
 * private peripheral bus (ITM, FPB, TPIU) read as zero and are reported as
 * unmodeled. The DBGMCU (0xE0042000) belongs to the chip model (sim/stm32f446).
 */
#include <string.h>

#include "core/core.h"

/* SysTick control bits (B3.3.3) */
#define ST_ENABLE 1u
#define ST_TICKINT 2u
#define ST_CLKSOURCE 4u
#define ST_COUNTFLAG (1u << 16)

/*
 * SYST_CALIB is fixed by the chip, whatever HCLK is: RM0390 10.1.2, "The
 * SysTick calibration value is fixed to 18750, which gives a reference time
 * base of 1 ms with the SysTick clock set to 18.75 MHz (HCLK/8, with HCLK
 * set to 150 MHz)"; PM0214 4.5.4: NOREF reads 0 (the HCLK/8 reference is
 * there), SKEW reads 1 (TENMS is not exact at every HCLK).
 */
#define ST_CALIB_SKEW (1u << 30)
#define ST_CALIB_TENMS 18750u
#define ST_CALIB (ST_CALIB_SKEW | ST_CALIB_TENMS)

#define DEMCR_TRCENA (1u << 24)
#define DWT_CYCCNTENA 1u

/* ---- SysTick: counts HCLK, or HCLK/8 when CLKSOURCE = 0 (RM0390 6.2) --- */

static unsigned st_div(const struct qsim *s)
{
    return (s->scs.st_csr & ST_CLKSOURCE) ? 1u : 8u;
}

static uint32_t st_value(const struct qsim *s)
{
    if (!(s->scs.st_csr & ST_ENABLE))
        return s->scs.st_anchor_val;
    uint64_t ticks = (s->cycles - s->scs.st_anchor_cycle) / st_div(s);
    uint32_t v = s->scs.st_anchor_val;
    if (ticks <= v)
        return v - (uint32_t)ticks;
    if (s->scs.st_rvr == 0)
        return 0;
    uint64_t m = (ticks - v) % ((uint64_t)s->scs.st_rvr + 1);
    return m == 0 ? 0 : s->scs.st_rvr + 1 - (uint32_t)m;
}

/* Re-anchor the counter at the current cycle and plan the next 1 -> 0. */
void core_systick_rebase(struct qsim *s)
{
    uint32_t v = st_value(s);
    s->scs.st_anchor_val = v;
    s->scs.st_anchor_cycle = s->cycles;
    s->scs.st_next_zero = 0;
    if (!(s->scs.st_csr & ST_ENABLE))
        return;
    uint64_t ticks = v ? v : (uint64_t)s->scs.st_rvr + 1;
    if (!v && !s->scs.st_rvr)
        return;
    s->scs.st_next_zero = s->cycles + ticks * st_div(s);
    if (s->running && s->scs.st_next_zero < s->stop_cycles)
        s->stop_cycles = s->scs.st_next_zero;
}

void core_systick_fire(struct qsim *s)
{
    uint64_t at = s->scs.st_next_zero;
    s->scs.st_csr |= ST_COUNTFLAG;
    if (s->scs.st_csr & ST_TICKINT) {
        core_pend(s, EXC_SYSTICK);
        core_scs_dirty(s);
    }
    s->scs.st_anchor_val = 0;
    s->scs.st_anchor_cycle = at;
    s->scs.st_next_zero = s->scs.st_rvr ? at + ((uint64_t)s->scs.st_rvr + 1) * st_div(s) : 0;
}

/* ---- DWT CYCCNT ------------------------------------------------------------ */

static bool cyccnt_on(const struct qsim *s)
{
    return (s->scs.demcr & DEMCR_TRCENA) && (s->scs.dwt_ctrl & DWT_CYCCNTENA);
}

static uint32_t cyccnt(const struct qsim *s)
{
    if (!cyccnt_on(s))
        return s->scs.dwt_cyccnt_base;
    uint64_t active = s->cycles - s->sleep_cycles;
    return s->scs.dwt_cyccnt_base + (uint32_t)(active - s->scs.dwt_anchor);
}

static void dwt_rebase(struct qsim *s, uint32_t value)
{
    s->scs.dwt_cyccnt_base = value;
    s->scs.dwt_anchor = s->cycles - s->sleep_cycles;
}

/* ---- registers --------------------------------------------------------- */

static uint32_t shcsr(const struct qsim *s)
{
    const struct core_scs *c = &s->scs;
    return (uint32_t)c->active[EXC_MEMMANAGE] << 0 | (uint32_t)c->active[EXC_BUSFAULT] << 1 |
           (uint32_t)c->active[EXC_USAGEFAULT] << 3 | (uint32_t)c->active[EXC_SVCALL] << 7 |
           (uint32_t)c->active[EXC_DEBUGMON] << 8 | (uint32_t)c->active[EXC_PENDSV] << 10 |
           (uint32_t)c->active[EXC_SYSTICK] << 11 | (uint32_t)c->pending[EXC_USAGEFAULT] << 12 |
           (uint32_t)c->pending[EXC_MEMMANAGE] << 13 | (uint32_t)c->pending[EXC_BUSFAULT] << 14 |
           (uint32_t)c->pending[EXC_SVCALL] << 15 | (uint32_t)c->enabled[EXC_MEMMANAGE] << 16 |
           (uint32_t)c->enabled[EXC_BUSFAULT] << 17 | (uint32_t)c->enabled[EXC_USAGEFAULT] << 18;
}

static uint32_t icsr(struct qsim *s)
{
    int pending = core_pending_best(s, NULL);
    bool isr_pending = false;
    int others = 0;
    for (int e = EXC_IRQ0; e < CORE_NUM_EXC; e++)
        isr_pending |= s->scs.pending[e];
    for (int e = EXC_NMI; e < CORE_NUM_EXC; e++)
        others += s->scs.active[e] && e != (int)s->ipsr;
    return s->ipsr | (others == 0 ? 1u << 11 : 0) | (uint32_t)pending << 12 | (isr_pending ? 1u << 22 : 0) |
           (s->scs.pending[EXC_SYSTICK] ? 1u << 26 : 0) | (s->scs.pending[EXC_PENDSV] ? 1u << 28 : 0) |
           (s->scs.pending[EXC_NMI] ? 1u << 31 : 0);
}

static uint32_t irq_bits(const bool *state, unsigned word)
{
    uint32_t v = 0;
    for (unsigned b = 0; b < 32; b++) {
        unsigned e = EXC_IRQ0 + word * 32 + b;
        if (e < CORE_NUM_EXC && state[e])
            v |= 1u << b;
    }
    return v;
}

static void irq_apply(struct qsim *s, bool *state, unsigned word, uint32_t bits, bool set)
{
    for (unsigned b = 0; b < 32; b++) {
        unsigned e = EXC_IRQ0 + word * 32 + b;
        if (e >= CORE_NUM_EXC || !(bits & (1u << b)))
            continue;
        /* A clear of pending does not hold while the line is still high. */
        if (!set && state == s->scs.pending && s->scs.level[e])
            continue;
        if (set && state == s->scs.pending)
            core_pend(s, (int)e);
        state[e] = set;
    }
}

static uint32_t scs_read32(struct qsim *s, uint32_t off)
{
    struct core_scs *c = &s->scs;
    if (off >= 0x100 && off < 0x120)
        return irq_bits(c->enabled, (off - 0x100) / 4);
    if (off >= 0x180 && off < 0x1A0)
        return irq_bits(c->enabled, (off - 0x180) / 4);
    if (off >= 0x200 && off < 0x220)
        return irq_bits(c->pending, (off - 0x200) / 4);
    if (off >= 0x280 && off < 0x2A0)
        return irq_bits(c->pending, (off - 0x280) / 4);
    if (off >= 0x300 && off < 0x320)
        return irq_bits(c->active, (off - 0x300) / 4);
    if (off >= 0x400 && off < 0x400 + CORE_NUM_IRQ + 3) {
        uint32_t v = 0;
        for (unsigned i = 0; i < 4; i++) {
            unsigned e = EXC_IRQ0 + (off - 0x400) + i;
            if (e < CORE_NUM_EXC)
                v |= (uint32_t)c->prio[e] << (8 * i);
        }
        return v;
    }
    if (off >= 0xD18 && off < 0xD24) {
        uint32_t v = 0;
        for (unsigned i = 0; i < 4; i++)
            v |= (uint32_t)c->prio[4 + (off - 0xD18) + i] << (8 * i);
        return v;
    }
    if (off >= 0xD90 && off < 0xDBC)
        return core_mpu_read(s, off);                      /* MPU (B3.5.5), mpu.c */
    switch (off) {
    case 0x004: return (CORE_NUM_IRQ - 1) / 32;          /* ICTR */
    case 0x008: return c->actlr;
    case 0x010: {                                          /* SYST_CSR: COUNTFLAG clears on read */
        uint32_t v = c->st_csr;
        if (!s->peeking) /* a debugger read leaves it (docs/debugging.md) */
            c->st_csr &= ~ST_COUNTFLAG;
        return v;
    }
    case 0x014: return c->st_rvr;
    case 0x018: return st_value(s);
    case 0x01C: return ST_CALIB;
    case 0xD00: return 0x410FC241u;                        /* CPUID: Cortex-M4 r0p1 */
    case 0xD04: return icsr(s);
    case 0xD08: return c->vtor;
    case 0xD0C: return 0xFA050000u | c->aircr_prigroup << 8;
    case 0xD10: return c->scr;
    case 0xD14: return c->ccr;
    case 0xD24: return shcsr(s);
    case 0xD28: return c->cfsr;
    case 0xD2C: return c->hfsr;
    case 0xD30: return c->dfsr;
    case 0xD34: return c->mmfar;
    case 0xD38: return c->bfar;
    case 0xD3C: return 0;                                  /* AFSR */
    case 0xD88: return c->cpacr;
    case 0xDFC: return c->demcr;
    case 0xF34: return c->fpccr;
    case 0xF38: return c->fpcar;
    case 0xF3C: return c->fpdscr;
    default: break;
    }
    sim_unmodeled(s, 0xE000E000u + off, false);
    return 0;
}

static void set_cpacr(struct qsim *s, uint32_t v)
{
    s->scs.cpacr = v & 0x00F00000u;
    unsigned cp10 = (v >> 20) & 3u, cp11 = (v >> 22) & 3u;
    s->scs.fp_denied = !((cp10 == 1 || cp10 == 3) && (cp11 == 1 || cp11 == 3));
    core_fp_trap_update(s);
    if (s->running)
        core_request_check(s); /* the current block may hold FP code */
}

static void scs_write32(struct qsim *s, uint32_t off, uint32_t v)
{
    struct core_scs *c = &s->scs;
    core_scs_dirty(s);
    if (off >= 0x100 && off < 0x120) {
        irq_apply(s, c->enabled, (off - 0x100) / 4, v, true);
    } else if (off >= 0x180 && off < 0x1A0) {
        irq_apply(s, c->enabled, (off - 0x180) / 4, v, false);
    } else if (off >= 0x200 && off < 0x220) {
        irq_apply(s, c->pending, (off - 0x200) / 4, v, true);
    } else if (off >= 0x280 && off < 0x2A0) {
        irq_apply(s, c->pending, (off - 0x280) / 4, v, false);
    } else if (off >= 0x400 && off < 0x400 + CORE_NUM_IRQ + 3) {
        for (unsigned i = 0; i < 4; i++) {
            unsigned e = EXC_IRQ0 + (off - 0x400) + i;
            if (e < CORE_NUM_EXC)
                c->prio[e] = (uint8_t)(v >> (8 * i)) & 0xF0u; /* 4 bits implemented */
        }
    } else if (off >= 0xD18 && off < 0xD24) {
        for (unsigned i = 0; i < 4; i++) {
            unsigned e = 4 + (off - 0xD18) + i;
            if (e >= EXC_MEMMANAGE && e != 7 && e != 8 && e != 9 && e != 10 && e != 13)
                c->prio[e] = (uint8_t)(v >> (8 * i)) & 0xF0u;
        }
    } else if (off >= 0xD90 && off < 0xDBC) {
        core_mpu_write(s, off, v);                          /* MPU (B3.5.5), mpu.c */
    } else {
        switch (off) {
        case 0x010:
            c->st_anchor_val = st_value(s);
            c->st_anchor_cycle = s->cycles;
            c->st_csr = (c->st_csr & ST_COUNTFLAG) | (v & (ST_ENABLE | ST_TICKINT | ST_CLKSOURCE));
            core_systick_rebase(s);
            break;
        case 0x014: c->st_rvr = v & 0x00FFFFFFu; core_systick_rebase(s); break;
        case 0x018:                                        /* any write clears CVR and COUNTFLAG */
            c->st_anchor_val = 0;
            c->st_anchor_cycle = s->cycles;
            c->st_csr &= ~ST_COUNTFLAG;
            core_systick_rebase(s);
            break;
        case 0xD04:
            if (v & (1u << 31)) core_pend(s, EXC_NMI);
            if (v & (1u << 28)) core_pend(s, EXC_PENDSV);
            if (v & (1u << 27)) c->pending[EXC_PENDSV] = false;
            if (v & (1u << 26)) core_pend(s, EXC_SYSTICK);
            if (v & (1u << 25)) c->pending[EXC_SYSTICK] = false;
            break;
        case 0xD08: c->vtor = v & 0xFFFFFF80u; break;
        case 0xD0C:
            if ((v >> 16) != 0x05FAu)                       /* VECTKEY */
                break;
            c->aircr_prigroup = (v >> 8) & 7u;
            if (v & (1u << 2)) {                            /* SYSRESETREQ */
                s->reset_requested = true;
                core_request_check(s);
            }
            break;
        case 0xD10: c->scr = v & 0x16u; break;
        case 0xD14: {
            uint32_t old_ccr = c->ccr;
            c->ccr = (v & 0x31Bu) | 0x200u;                 /* STKALIGN kept set */
            core_traps_ccr(s, old_ccr);
            break;
        }
        case 0x008: c->actlr = v & 0x307u; break;           /* ACTLR (Cortex-M4 TRM 4.3.1) */
        case 0xD24:
            c->enabled[EXC_MEMMANAGE] = v & (1u << 16);
            c->enabled[EXC_BUSFAULT] = v & (1u << 17);
            c->enabled[EXC_USAGEFAULT] = v & (1u << 18);
            if (v & (1u << 15))
                core_pend(s, EXC_SVCALL);
            else
                c->pending[EXC_SVCALL] = false;
            break;
        case 0xD28: c->cfsr &= ~v; break;                   /* write 1 to clear */
        case 0xD2C: c->hfsr &= ~v; break;
        case 0xD30: c->dfsr &= ~v; break;
        case 0xD34: c->mmfar = v; break;
        case 0xD38: c->bfar = v; break;
        case 0xD88: set_cpacr(s, v); break;
        case 0xDFC: {
            uint32_t count = cyccnt(s);
            c->demcr = v & 0x010F07F1u;
            dwt_rebase(s, count);
            break;
        }
        case 0xF00:                                         /* STIR */
            if ((v & 0x1FFu) < CORE_NUM_IRQ)
                core_pend(s, EXC_IRQ0 + (int)(v & 0x1FFu));
            break;
        case 0xF34: core_fpccr_write(s, v); break;
        case 0xF38: c->fpcar = v & ~7u; break;
        case 0xF3C: c->fpdscr = v & 0x07C00000u; break;
        default:
            sim_unmodeled(s, 0xE000E000u + off, true);
            return;
        }
    }
    core_request_check(s);
}

/* Sub-word access: read the word; for writes, merge bytes except for set/clear registers. */
static bool write_one_sets(uint32_t off)
{
    return (off >= 0x100 && off < 0x2A0) || off == 0xD04 || off == 0xD28 || off == 0xD2C || off == 0xD30 ||
           off == 0xF00;
}

/*
 * Unprivileged access to the private peripheral bus: the SCS registers
 * (SCB, NVIC, SysTick, FPU, CoreDebug) are privileged only, and an
 * unprivileged access is a precise BusFault and has no effect, except a
 * write to STIR when CCR.USERSETMPEND = 1 (ARMv7-M B3.2 "System Control
 * Space" and its CCR.USERSETMPEND description).
 * The DWT, also on the PPB, is privileged as well. Handler mode is always
 * privileged; the check reads CONTROL only in Thread mode.
 */
#define CCR_USERSETMPEND (1u << 1)
#define SCS_STIR 0xF00u

static bool refused(struct qsim *s, uint32_t addr, bool stir)
{
    if (s->ipsr != 0 || !core_unprivileged(s))
        return false;
    if (stir && (s->scs.ccr & CCR_USERSETMPEND))
        return false;
    core_bus_error(s, addr);
    return true;
}

static uint32_t scs_read(void *dev, uint32_t offset, unsigned size)
{
    struct qsim *s = dev;
    if (refused(s, 0xE000E000u + offset, false))
        return 0;
    uint32_t word = scs_read32(s, offset & ~3u);
    word >>= 8 * (offset & 3u);
    return size == 4 ? word : word & ((1u << (8 * size)) - 1);
}

static void scs_write(void *dev, uint32_t offset, uint32_t value, unsigned size)
{
    struct qsim *s = dev;
    uint32_t off = offset & ~3u, shift = 8 * (offset & 3u);
    if (refused(s, 0xE000E000u + offset, off == SCS_STIR))
        return;
    if (size == 4) {
        scs_write32(s, off, value);
        return;
    }
    uint32_t mask = ((1u << (8 * size)) - 1) << shift;
    uint32_t old = 0;
    if (!write_one_sets(off))
        old = off == 0x010 ? s->scs.st_csr : scs_read32(s, off);
    scs_write32(s, off, (old & ~mask) | ((value << shift) & mask));
}

static uint32_t dwt_read(void *dev, uint32_t offset, unsigned size)
{
    struct qsim *s = dev;
    (void)size;
    if (refused(s, 0xE0001000u + offset, false))
        return 0;
    switch (offset) {
    case 0x000: return 0x40000000u | s->scs.dwt_ctrl; /* NUMCOMP = 4 */
    case 0x004: return cyccnt(s);
    default: sim_unmodeled(s, 0xE0001000u + offset, false); return 0;
    }
}

static void dwt_write(void *dev, uint32_t offset, uint32_t value, unsigned size)
{
    struct qsim *s = dev;
    (void)size;
    if (refused(s, 0xE0001000u + offset, false))
        return;
    uint32_t count = cyccnt(s);
    switch (offset) {
    case 0x000: s->scs.dwt_ctrl = value & 0x1u; dwt_rebase(s, count); break;
    case 0x004: dwt_rebase(s, value); break;
    default: sim_unmodeled(s, 0xE0001000u + offset, true); break;
    }
}

void core_scs_map(struct qsim *s)
{
    static const struct sim_mmio_ops scs_ops = {scs_read, scs_write, NULL};
    static const struct sim_mmio_ops dwt_ops = {dwt_read, dwt_write, NULL};
    sim_mmio_map(s, "SCS", 0xE000E000u, 0x1000u, &scs_ops, s, NULL, 0);
    sim_mmio_map(s, "DWT", 0xE0001000u, 0x1000u, &dwt_ops, s, NULL, 0);
    sim_mmio_map(s, "ITM", 0xE0000000u, 0x1000u, NULL, s, NULL, 0);
    sim_mmio_map(s, "FPB", 0xE0002000u, 0x1000u, NULL, s, NULL, 0);
    sim_mmio_map(s, "TPIU", 0xE0040000u, 0x1000u, NULL, s, NULL, 0);
}

/* Reset values: ARMv7-M B3.2.2 table B3-4, Cortex-M4 TRM 4.1. */
void core_scs_reset(struct qsim *s)
{
    struct core_scs *c = &s->scs;
    memset(c, 0, sizeof *c);
    for (int e = EXC_NMI; e < CORE_NUM_EXC; e++)
        c->enabled[e] = e >= EXC_IRQ0 ? false : true;
    c->enabled[EXC_MEMMANAGE] = c->enabled[EXC_BUSFAULT] = c->enabled[EXC_USAGEFAULT] = false;
    c->ccr = 0x200u;            /* STKALIGN */
    c->fpccr = 0xC0000000u;     /* ASPEN, LSPEN */
    c->fp_denied = true;        /* CPACR = 0: no FP access until enabled */
    c->fp_trap = true;
    c->cache_valid = false;
    core_mpu_reset(s);
}
