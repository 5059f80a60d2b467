/*
 * Faults that Unicorn 2.0.1 does not raise: unaligned accesses and
 * division by zero (ARMv7-M A3.2.1, A3.2.2, B3.2.8 CCR, B3.2.15 UFSR).
 *
 * Unicorn reads and writes unaligned words for LDRD/STRD/LDM/STM/STREX
 * and VLDR/VSTR/VLDM/VSTM, ignores CCR.UNALIGN_TRP and returns 0 for a
 * division by zero. Only instructions the architecture lets fault are
 * watched, and only while the fault is possible:
 *   - LDRD, STRD, LDM, STM, LDREX(H), STREX(H), VLDR, VSTR, VLDM, VSTM fault
 *     on any unaligned address (word, or halfword for the H forms),
 *     whatever CCR says (A3.2.1, table A3-1);
 *   - LDR, STR, LDRH, STRH, LDRSH (and the T forms) fault on an unaligned
 *     address only with CCR.UNALIGN_TRP set;
 *   - SDIV, UDIV fault on a zero divisor only with CCR.DIV_0_TRP set.
 * An access whose base is SP or the PC is aligned by construction (SP
 * bits [1:0] are zero, B1.4.1; literal addresses are Align(PC, 4) plus a
 * constant), so only a constant offset can misalign it: such sites are
 * decided when the block is decoded.
 *
 * The check happens in a code hook bound to the one instruction (a
 * "site"), added when the block that holds it is first decoded: Unicorn
 * then calls it right before the instruction, with the registers and PC
 * exact, and skips it when an IT condition fails. Blocks without sites run
 * as before; a site costs one hook call each time it runs. Hooks apply to
 * code translated after they are added, so the block hook stops before a
 * block with new sites (core_block.unhooked), the sites are hooked, and the
 * block is translated again.
 */
#include <stdlib.h>
#include <string.h>

#include "core/core.h"

#define CCR_UNALIGN_TRP (1u << 3)
#define CCR_DIV_0_TRP (1u << 4)
#define UFSR_UNALIGNED (1u << 24)
#define UFSR_DIVBYZERO (1u << 25)

enum trap_kind {
    TRAP_NONE,
    TRAP_ALIGN,    /* alignment always checked */
    TRAP_ALIGN_IF, /* alignment checked with CCR.UNALIGN_TRP */
    TRAP_DIV,      /* zero divisor checked with CCR.DIV_0_TRP */
};

/* One instruction as a possible fault: address = R[rn] + offset, where
 * offset = imm or R[rm] << shift (rm >= 0); DIV: the divisor is R[rm]. */
struct trap {
    enum trap_kind kind;
    int rn, rm;
    unsigned shift;
    uint32_t imm;
    uint32_t mask; /* address bits that must be zero: 3 word, 1 halfword */
};

static struct trap align(enum trap_kind kind, int rn, uint32_t imm, uint32_t mask)
{
    return (struct trap){kind, rn, -1, 0, imm, mask};
}

/* Load/store single, 32-bit encodings (A5.3.7-A5.3.10). */
static struct trap single32(uint16_t hw1, uint16_t hw2)
{
    struct trap none = {TRAP_NONE, 0, -1, 0, 0, 0};
    unsigned size = (hw1 >> 5) & 3u;
    bool load = hw1 & 0x0010u;
    int rn = hw1 & 0xF, rt = hw2 >> 12;
    if (size == 0 || size == 3 || (!load && (hw1 & 0x0100u)))
        return none;                                   /* bytes, undefined */
    if (size == 1 && load && rt == 15)
        return none;                                   /* memory hints */
    uint32_t mask = size == 2 ? 3u : 1u;
    if (rn == 15 || (hw1 & 0x0080u)) {                 /* literal, imm12 */
        uint32_t imm = hw2 & 0xFFFu;
        if (rn == 15 && !(hw1 & 0x0080u))
            imm = 0u - imm;
        return align(TRAP_ALIGN_IF, rn, imm, mask);
    }
    if (hw2 & 0x0800u) {                               /* imm8: P U W, and the T forms */
        uint32_t imm = hw2 & 0xFFu;
        bool p = hw2 & 0x0400u, u = hw2 & 0x0200u;
        return align(TRAP_ALIGN_IF, rn, p ? (u ? imm : 0u - imm) : 0u, mask);
    }
    if ((hw2 & 0x0FC0u) == 0)                          /* register, LSL #imm2 */
        return (struct trap){TRAP_ALIGN_IF, rn, hw2 & 0xF, (hw2 >> 4) & 3u, 0, mask};
    return none;
}

static struct trap decode32(uint16_t hw1, uint16_t hw2)
{
    struct trap none = {TRAP_NONE, 0, -1, 0, 0, 0};
    int rn = hw1 & 0xF;
    unsigned cp = (hw2 >> 8) & 0xFu;
    if ((hw1 & 0xFE40u) == 0xE800u && (((hw1 >> 7) & 3u) == 1 || ((hw1 >> 7) & 3u) == 2))
        return align(TRAP_ALIGN, rn, 0, 3);            /* LDM/STM IA, DB (the DB start is Rn - 4n) */
    if ((hw1 & 0xFE40u) == 0xE840u && (hw1 & 0x0120u))
        return align(TRAP_ALIGN, rn, 0, 3);            /* LDRD/STRD: offset imm8 * 4 */
    if ((hw1 & 0xFFE0u) == 0xE840u)
        return align(TRAP_ALIGN, rn, 0, 3);            /* STREX, LDREX: offset imm8 * 4 */
    if ((hw1 & 0xFFE0u) == 0xE8C0u && (hw2 & 0x00F0u) == 0x0050u)
        return align(TRAP_ALIGN, rn, 0, 1);            /* STREXH, LDREXH */
    if ((hw1 & 0xFE00u) == 0xF800u)
        return single32(hw1, hw2);
    if ((hw1 & 0xFFD0u) == 0xFB90u && (hw2 & 0x00F0u) == 0x00F0u)
        return (struct trap){TRAP_DIV, 0, hw2 & 0xF, 0, 0, 0}; /* SDIV/UDIV */
    if ((hw1 & 0xEC00u) == 0xEC00u && !(hw1 & 0x1000u) && (cp == 10 || cp == 11)) {
        unsigned puw = ((hw1 >> 6) & 6u) | ((hw1 >> 5) & 1u);
        if ((hw1 & 0xFF20u) == 0xED00u)
            return align(TRAP_ALIGN, rn, 0, 3);        /* VLDR/VSTR: offset imm8 * 4 */
        if ((hw1 & 0xFE00u) == 0xEC00u && (puw == 2 || puw == 3 || puw == 5))
            return align(TRAP_ALIGN, rn, 0, 3);        /* VLDM/VSTM IA, IA!, DB! */
    }
    return none;
}

static struct trap decode16(uint16_t hw)
{
    struct trap none = {TRAP_NONE, 0, -1, 0, 0, 0};
    int rn = (hw >> 3) & 7;
    if ((hw & 0xF000u) == 0x6000u)                     /* LDR/STR imm5 */
        return align(TRAP_ALIGN_IF, rn, ((hw >> 6) & 0x1Fu) * 4, 3);
    if ((hw & 0xF000u) == 0x8000u)                     /* LDRH/STRH imm5 */
        return align(TRAP_ALIGN_IF, rn, ((hw >> 6) & 0x1Fu) * 2, 1);
    if ((hw & 0xF000u) == 0x5000u) {                   /* register offset */
        unsigned op = (hw >> 9) & 7u;
        if (op == 2 || op == 3 || op == 6)
            return none;                               /* STRB, LDRSB, LDRB */
        return (struct trap){TRAP_ALIGN_IF, rn, (hw >> 6) & 7, 0, 0, op == 0 || op == 4 ? 3u : 1u};
    }
    if ((hw & 0xF000u) == 0xC000u)                     /* LDM/STM */
        return align(TRAP_ALIGN, (hw >> 8) & 7, 0, 3);
    return none;
}

static struct trap decode(uint16_t hw1, uint16_t hw2)
{
    return (hw1 >> 11) >= 0x1D ? decode32(hw1, hw2) : decode16(hw1);
}

/*
 * Whether the site can fault with the current CCR, and must be watched:
 * with SP or the PC as base and no register offset, the address is
 * aligned but for the constant, known now.
 */
static bool watched(const struct qsim *s, const struct trap *t)
{
    switch (t->kind) {
    case TRAP_NONE: return false;
    case TRAP_DIV: return s->scs.ccr & CCR_DIV_0_TRP;
    case TRAP_ALIGN_IF:
        if (!(s->scs.ccr & CCR_UNALIGN_TRP))
            return false;
        break;
    case TRAP_ALIGN: break;
    }
    if ((t->rn == 13 || t->rn == 15) && t->rm < 0)
        return (t->imm & t->mask) != 0;
    return true;
}

static uint32_t reg(struct qsim *s, int n, uint32_t pc)
{
    if (n == 15)
        return (pc + 4) & ~3u; /* Align(PC, 4) (A7.7.43) */
    return core_reg(s, n == 13 ? UC_ARM_REG_SP : n == 14 ? UC_ARM_REG_LR : UC_ARM_REG_R0 + n);
}

/* The UFSR bit the instruction at `pc` faults with now, or 0. */
static uint32_t check(struct qsim *s, const struct trap *t, uint32_t pc)
{
    if (!watched(s, t))
        return 0;
    if (t->kind == TRAP_DIV)
        return reg(s, t->rm, pc) == 0 ? UFSR_DIVBYZERO : 0;
    uint32_t offset = t->rm >= 0 ? reg(s, t->rm, pc) << t->shift : t->imm;
    return ((reg(s, t->rn, pc) + offset) & t->mask) ? UFSR_UNALIGNED : 0;
}

/* ---- the set of hooked sites (open addressing, grows by doubling) ---- */

struct core_traps {
    uint32_t *sites; /* address + 1; 0: empty */
    unsigned cap, count;
};

static uint32_t *slot(struct core_traps *t, uint32_t addr)
{
    uint32_t i = (addr >> 1) * 2654435761u;
    for (;;) {
        i &= t->cap - 1;
        if (t->sites[i] == 0 || t->sites[i] == addr + 1)
            return &t->sites[i];
        i++;
    }
}

bool core_trap_hooked(const struct qsim *s, uint32_t addr)
{
    return s->traps && s->traps->count && *slot(s->traps, addr) != 0;
}

static bool add_site(struct qsim *s, uint32_t addr)
{
    struct core_traps *t = s->traps;
    if (!t && !(t = s->traps = calloc(1, sizeof *t)))
        return false;
    if ((t->count + 1) * 2 > t->cap) {
        struct core_traps bigger = {calloc(t->cap ? t->cap * 2 : 256, sizeof(uint32_t)), t->cap ? t->cap * 2 : 256, 0};
        if (!bigger.sites)
            return false;
        for (unsigned i = 0; i < t->cap; i++)
            if (t->sites[i])
                *slot(&bigger, t->sites[i] - 1) = t->sites[i];
        bigger.count = t->count;
        free(t->sites);
        *t = bigger;
    }
    *slot(t, addr) = addr + 1;
    t->count++;
    return true;
}

void core_traps_free(struct qsim *s)
{
    if (s->traps)
        free(s->traps->sites);
    free(s->traps);
    s->traps = NULL;
}

/* An instruction of a block being decoded: true when it must be watched
 * and is not hooked yet. */
bool core_trap_unhooked(const struct qsim *s, uint32_t addr, uint16_t hw1, uint16_t hw2)
{
    struct trap t = decode(hw1, hw2);
    return watched(s, &t) && !core_trap_hooked(s, addr);
}

static void on_site(uc_engine *uc, uint64_t address, uint32_t size, void *user)
{
    struct qsim *s = user;
    uint32_t pc = (uint32_t)address;
    (void)uc;
    (void)size;
    uint16_t hw[2] = {0, 0};
    if (!core_fetch16(s, pc, &hw[0]) || ((hw[0] >> 11) >= 0x1D && !core_fetch16(s, pc + 2, &hw[1])))
        return;
    struct trap t = decode(hw[0], hw[1]);
    uint32_t ufsr = check(s, &t, pc);
    if (ufsr) {
        s->trap_cfsr = ufsr;
        core_stop(s, STOP_TRAP);
    }
}

/*
 * Hook the unhooked sites of the block [addr, addr + size) and drop its
 * translations (in flash, in both mappings), so that it is translated
 * again with the hooks. Called between runs.
 */
void core_traps_hook_block(struct qsim *s, uint32_t addr, uint32_t size)
{
    for (uint32_t pc = addr; pc < addr + size;) {
        uint16_t hw1 = 0, hw2 = 0;
        if (!core_fetch16(s, pc, &hw1))
            break;
        bool wide = (hw1 >> 11) >= 0x1D;
        if (wide && !core_fetch16(s, pc + 2, &hw2))
            break;
        uc_hook h;
        if (core_trap_unhooked(s, pc, hw1, hw2) && add_site(s, pc) &&
            uc_hook_add(s->uc, &h, UC_HOOK_CODE, (void *)on_site, s, pc, pc) != UC_ERR_OK)
            sim_warn(s, "cannot watch the instruction at 0x%08x for faults", pc);
        pc += wide ? 4 : 2;
    }
    uc_ctl_remove_cache(s->uc, addr, (uint64_t)addr + size);
    if (addr < CORE_FLASH_SIZE)
        uc_ctl_remove_cache(s->uc, (uint64_t)addr + CORE_FLASH_BASE, (uint64_t)addr + CORE_FLASH_BASE + size);
    else if (addr - CORE_FLASH_BASE < CORE_FLASH_SIZE)
        uc_ctl_remove_cache(s->uc, addr - CORE_FLASH_BASE, (uint64_t)addr - CORE_FLASH_BASE + size);
    core_block_forget(s, addr);
}

/* CCR written: blocks decoded under the old trap bits may hide sites. */
void core_traps_ccr(struct qsim *s, uint32_t old_ccr)
{
    uint32_t on = s->scs.ccr & ~old_ccr & (CCR_UNALIGN_TRP | CCR_DIV_0_TRP);
    if (on)
        core_blocks_flush(s);
}
