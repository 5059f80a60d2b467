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
 * constant), so only a constant offset can misalign it.
 *
 * When a block is decoded (core_traps_scan), each watched instruction is
 * decided in the cheapest way that is exact:
 *   1. at decode, when the block itself sets its registers to known values
 *      (a constant, a flash literal, SP plus a multiple of 4);
 *   2. at block entry (core_traps_entry, from the block hook), when no
 *      earlier instruction of the block writes its registers: their values
 *      then are the ones it will use;
 *   3. otherwise by a code hook bound to the one instruction (a "site"):
 *      Unicorn calls it right before the instruction, with the registers
 *      and PC exact, and skips it when an IT condition fails.
 * A fault is always raised from a hook, where the PC is exact: an entry
 * check that finds one hooks that instruction first. Hooks apply to code
 * translated after they are added, so the block hook stops before a block
 * with sites to hook (core_block.unhooked); they are hooked and the block
 * is translated again. Each hook costs a call every time its instruction
 * runs, and a scan of all hooks (Unicorn keeps them in a list).
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
 * Registers an instruction may write (bit n: Rn), for the block scan:
 * conservative, every class not listed writes everything. A write to the
 * PC ends the block, so the PC is left out.
 */
static uint16_t writes16(uint16_t hw)
{
    uint16_t rd = (uint16_t)(1u << (hw & 7u));
    if (hw < 0x2000u)                                   /* shifts, add/sub */
        return rd;
    if (hw < 0x4000u)                                   /* MOV/CMP/ADD/SUB imm8 */
        return (uint16_t)(1u << ((hw >> 8) & 7u));
    if (hw < 0x4400u)                                   /* data processing */
        return rd;
    if (hw < 0x4800u)                                   /* high registers, BX/BLX */
        return (uint16_t)((1u << (((hw >> 4) & 8u) | (hw & 7u))) | (1u << 14));
    if (hw < 0x5000u || (hw >= 0x9000u && hw < 0xB000u)) /* literal, SP-relative, ADR, ADD SP */
        return (uint16_t)(1u << ((hw >> 8) & 7u));
    if (hw < 0x9000u)                                   /* load/store Rt */
        return rd;
    if ((hw & 0xFF00u) == 0xBF00u || (hw & 0xFFE8u) == 0xB660u || (hw & 0xF500u) == 0xB100u)
        return 0;                                       /* IT, hints, CPS, CBZ/CBNZ */
    if ((hw & 0xFF00u) == 0xB000u || (hw & 0xFE00u) == 0xB400u)
        return 1u << 13;                                /* ADD/SUB SP, PUSH */
    if ((hw & 0xFE00u) == 0xBC00u)                      /* POP */
        return (uint16_t)((1u << 13) | (hw & 0xFFu));
    if ((hw & 0xFF00u) == 0xB200u || (hw & 0xFF00u) == 0xBA00u)
        return rd;                                      /* extend, reverse */
    if (hw < 0xC000u)
        return 0xFFFFu;
    if (hw < 0xD000u)                                   /* LDM/STM */
        return (uint16_t)((hw & 0xFFu) | (1u << ((hw >> 8) & 7u)));
    return 0;                                           /* branches, SVC, UDF */
}

static uint16_t writes32(uint16_t hw1, uint16_t hw2)
{
    uint16_t rn = (uint16_t)(1u << (hw1 & 0xFu)), rt = (uint16_t)(1u << (hw2 >> 12));
    uint16_t rd = (uint16_t)(1u << ((hw2 >> 8) & 0xFu));
    bool load = hw1 & 0x0010u, wback = hw1 & 0x0020u;
    if ((hw1 & 0xFE40u) == 0xE800u)                     /* LDM/STM */
        return (uint16_t)((wback ? rn : 0) | (load ? hw2 : 0));
    if ((hw1 & 0xFE40u) == 0xE840u && (hw1 & 0x0120u))  /* LDRD/STRD */
        return (uint16_t)((wback ? rn : 0) | (load ? rt | rd : 0));
    if ((hw1 & 0xFE00u) == 0xE800u)                     /* exclusives (Rd of STREXB/H: [3:0]), TBB/TBH */
        return (uint16_t)(rt | rd | (1u << (hw2 & 0xFu)));
    if ((hw1 & 0xFE00u) == 0xEA00u || (hw1 & 0xFF00u) == 0xFA00u)
        return rd;                                      /* data processing register */
    if ((hw1 & 0xF800u) == 0xF000u)                     /* data processing imm; BL, MRS, MSR */
        return (hw2 & 0x8000u) ? (uint16_t)(rd | (1u << 13) | (1u << 14)) : rd;
    if ((hw1 & 0xFE00u) == 0xF800u)                     /* load/store single, W: imm8 form */
        return (uint16_t)((!(hw1 & 0x0080u) && (hw2 & 0x0900u) == 0x0900u ? rn : 0) | (load ? rt : 0));
    if ((hw1 & 0xFF00u) == 0xFB00u)                     /* multiplies, long multiplies, divides */
        return (uint16_t)(rd | rt);
    if ((hw1 & 0xEC00u) == 0xEC00u)                     /* coprocessor: VMOV to core, writeback */
        return (uint16_t)(rn | rt);
    return 0xFFFFu;
}

/* The registers the fault decision reads. */
static uint16_t reads(const struct trap *t)
{
    uint16_t r = t->rm >= 0 ? (uint16_t)(1u << t->rm) : 0;
    return t->kind == TRAP_DIV ? r : (uint16_t)(r | (1u << t->rn));
}

/* ThumbExpandImm (A5.3.2), for MOV.W. */
static uint32_t thumb_expand_imm(uint16_t hw1, uint16_t hw2)
{
    uint32_t imm12 = ((hw1 >> 10) & 1u) << 11 | ((hw2 >> 12) & 7u) << 8 | (hw2 & 0xFFu), b = imm12 & 0xFFu;
    if ((imm12 >> 10) == 0) {
        switch ((imm12 >> 8) & 3u) {
        case 0: return b;
        case 1: return b << 16 | b;
        case 2: return b << 24 | b << 8;
        default: return b << 24 | b << 16 | b << 8 | b;
        }
    }
    uint32_t v = 0x80u | (imm12 & 0x7Fu), rot = imm12 >> 7;
    return v >> rot | v << (32 - rot);
}

/*
 * What the block itself sets a register to, where decode can tell: a
 * constant (MOVS/MOV.W/MOVW immediate, LDR from a flash literal), or SP
 * plus a multiple of 4 (ADD Rd, SP, #imm; MOV Rd, SP: SP[1:0] are zero,
 * B1.4.1). Returns the register, -1: none of these.
 */
static int constant(struct qsim *s, uint32_t pc, uint16_t hw1, uint16_t hw2, uint32_t *v, bool *exact)
{
    *exact = true;
    if ((hw1 & 0xF800u) == 0x2000u) {                   /* MOVS Rd, #imm8 */
        *v = hw1 & 0xFFu;
        return (hw1 >> 8) & 7;
    }
    if ((hw1 & 0xF800u) == 0x4800u) {                   /* LDR Rt, [PC, #imm8] */
        uint32_t literal = ((pc + 4) & ~3u) + (hw1 & 0xFFu) * 4;
        if (literal - CORE_FLASH_BASE < CORE_FLASH_SIZE && core_mem_read32(s, literal, v))
            return (hw1 >> 8) & 7;
        return -1;
    }
    if ((hw1 & 0xFBEFu) == 0xF04Fu && !(hw2 & 0x8000u)) { /* MOV.W Rd, #const */
        *v = thumb_expand_imm(hw1, hw2);
        return (hw2 >> 8) & 0xF;
    }
    if ((hw1 & 0xFBF0u) == 0xF240u && !(hw2 & 0x8000u)) { /* MOVW Rd, #imm16 */
        *v = (hw1 & 0xFu) << 12 | ((hw1 >> 10) & 1u) << 11 | ((hw2 >> 12) & 7u) << 8 | (hw2 & 0xFFu);
        return (hw2 >> 8) & 0xF;
    }
    *exact = false;
    *v = 0;
    if ((hw1 & 0xF800u) == 0xA800u)                     /* ADD Rd, SP, #imm8 * 4 */
        return (hw1 >> 8) & 7;
    if ((hw1 & 0xFF78u) == 0x4668u)                     /* MOV Rd, SP */
        return ((hw1 >> 4) & 8) | (hw1 & 7);
    return -1;
}

/* A watched instruction whose registers the block sets itself (constant()):
 * decided now, true when it cannot fault. */
static bool constant_ok(const struct trap *t, uint16_t exact, uint16_t aligned, const uint32_t *value)
{
    if (t->kind == TRAP_DIV)
        return (exact >> t->rm) & 1u && value[t->rm] != 0;
    if (t->rm >= 0 && !((exact >> t->rm) & 1u))
        return false;
    uint32_t offset = t->rm >= 0 ? value[t->rm] << t->shift : t->imm;
    if ((exact >> t->rn) & 1u)
        return ((value[t->rn] + offset) & t->mask) == 0;
    return (aligned >> t->rn) & 1u && (offset & t->mask) == 0;
}

/*
 * Walk the block [addr, addr + size). A watched instruction whose
 * registers no earlier instruction of the block writes is checked at
 * block entry (b->check_off, up to CORE_BLOCK_CHECKS): the block hook
 * reads them then, cheaper than a hook call. The others need a hook
 * (b->unhooked until they have one); with `hook` set, they get it.
 * Registers the block sets to a known value (constant()) decide an
 * instruction at decode: if they make it safe it is not watched at all.
 */
static void scan(struct qsim *s, uint32_t addr, uint32_t size, struct core_block *b, bool hook)
{
    b->checks = 0;
    b->unhooked = false;
    uint16_t written = 0, exact = 0, aligned = 0; /* set by the block: constant(), value[] */
    unsigned in_it = 0; /* instructions left that an IT may skip (a MOV there is not a constant) */
    uint32_t value[16];
    for (uint32_t off = 0; off < size;) {
        uint16_t hw1 = 0, hw2 = 0;
        if (!core_fetch16(s, addr + off, &hw1))
            break;
        bool wide = (hw1 >> 11) >= 0x1D;
        if (wide && !core_fetch16(s, addr + off + 2, &hw2))
            break;
        struct trap t = decode(hw1, hw2);
        uint32_t pc = addr + off;
        if (watched(s, &t) && !core_trap_hooked(s, pc) && !constant_ok(&t, exact, aligned, value)) {
            if (!(reads(&t) & written) && b->checks < CORE_BLOCK_CHECKS) {
                b->check_off[b->checks++] = (uint16_t)off;
            } else if (!hook) {
                b->unhooked = true;
            } else {
                uc_hook h;
                if (add_site(s, pc) && uc_hook_add(s->uc, &h, UC_HOOK_CODE, (void *)on_site, s, pc, pc) != UC_ERR_OK)
                    sim_warn(s, "cannot watch the instruction at 0x%08x for faults", pc);
            }
        }
        uint16_t w = wide ? writes32(hw1, hw2) : writes16(hw1);
        written |= w;
        exact &= (uint16_t)~w;
        aligned &= (uint16_t)~w;
        bool is_exact;
        uint32_t v;
        int rd = constant(s, pc, hw1, hw2, &v, &is_exact);
        if (rd >= 0 && rd < 13 && in_it == 0) {
            value[rd] = v;
            if (is_exact)
                exact |= (uint16_t)(1u << rd);
            else
                aligned |= (uint16_t)(1u << rd);
        }
        in_it = (hw1 & 0xFF00u) == 0xBF00u && (hw1 & 0xFu) ? 4 : in_it ? in_it - 1 : 0;
        off += wide ? 4 : 2;
    }
}

void core_traps_scan(struct qsim *s, struct core_block *b, uint32_t addr, uint32_t size)
{
    scan(s, addr, size, b, false);
}

/*
 * The block hook, for a block with entry checks: the registers now are
 * those the checked instructions will use. A fault to come is not raised
 * here but handed to a hook on that instruction (returns its address, to
 * be hooked with core_traps_hook_block), which then stops right before it
 * with the PC exact and the IT condition applied. 0: no fault ahead.
 */
uint32_t core_traps_entry(struct qsim *s, const struct core_block *b, uint32_t addr)
{
    for (unsigned i = 0; i < b->checks; i++) {
        uint32_t pc = addr + b->check_off[i];
        uint16_t hw1 = 0, hw2 = 0;
        core_fetch16(s, pc, &hw1);
        if ((hw1 >> 11) >= 0x1D)
            core_fetch16(s, pc + 2, &hw2);
        struct trap t = decode(hw1, hw2);
        if (check(s, &t, pc))
            return pc;
    }
    return 0;
}
/*
 * Hook the instruction at `site`, or with `site` 0 those of the block
 * [addr, addr + size) that need it, and drop the block's translations (in
 * flash, in both mappings), so that it is translated again with the hooks.
 * Called between runs.
 */
void core_traps_hook_block(struct qsim *s, uint32_t addr, uint32_t size, uint32_t site)
{
    uc_hook h;
    if (site) {
        if (!core_trap_hooked(s, site) && add_site(s, site) &&
            uc_hook_add(s->uc, &h, UC_HOOK_CODE, (void *)on_site, s, site, site) != UC_ERR_OK)
            sim_warn(s, "cannot watch the instruction at 0x%08x for faults", site);
    } else {
        struct core_block tmp;
        scan(s, addr, size, &tmp, true);
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
