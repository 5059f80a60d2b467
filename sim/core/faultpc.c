/*
 * The address of the instruction that made a bad data access.
 *
 * Unicorn 2.0.1 only keeps the PC exact with a per-instruction code hook,
 * which quartz-sim does not install; after a refused access it reports the
 * start of the translated block. The registers are those the faulting
 * instruction used: TCG writes the guest registers back before a memory
 * access that may fault, and an instruction writes its base back (and a
 * load its target) only after its accesses (an LDM's loaded registers
 * excepted, never its base). So every earlier instruction of the block has
 * run and the faulting one has not changed its address registers.
 *
 * Snapshotting the registers at each block entry to replay the block would
 * cost every block a register read; faults are rare, so the work is done
 * here instead. Each load/store of the block (ARMv7-M A5.2, A5.3, A6.4
 * encodings) is a candidate when its access, computed from the registers at
 * the stop, has the fault's direction (read or write) and covers the bad
 * address. A candidate c is refuted when some earlier instruction j would
 * have made the same access before it: the registers before j are
 * recovered by walking back from c over j..c-1, undoing base writeback and
 * known SP/immediate adjustments, and forgetting registers that loads or
 * data processing overwrote. The first candidate not refuted is the
 * faulting instruction. This distinguishes `ldr r1, [r3], #4; str r1, [r0]`
 * (a load cannot be the faulting write) and `str r2, [r0], #4; str r1,
 * [r0, #-4]` (the first store would already have hit the address).
 */
#include "core/core.h"

#define MAX_INSNS 64
#define ALL_REGS 0x7FFFu /* r0-r14; the PC is always known */

struct insn {
    uint32_t pc;
    bool mem;          /* makes a data access */
    bool write;        /* a store (else a load) */
    bool cond;         /* in an IT block: may not have run */
    bool ends;         /* a branch: the block ends after it */
    bool tb;           /* TBB/TBH: PC as a base is not aligned (A7.7.182) */
    int8_t rn, rm;     /* base, index (-1: none); base 15 is the PC */
    uint8_t shift;     /* of the index */
    int32_t off;       /* added to the base for the address */
    uint32_t len;      /* bytes accessed from the address */
    int8_t wb;         /* register changed by a known amount (-1: none) */
    int32_t delta;
    uint16_t clobbers; /* registers written with values not known here */
    int8_t rt, rt2;    /* a load's targets (-1: none): rt from the address, rt2 from +4 */
    bool sign;         /* LDRSB/LDRSH */
    uint16_t list;     /* LDM/POP: loaded from the address upwards, 4 bytes each */
};

static void data_access(struct insn *i, bool write, unsigned rn, int32_t off, uint32_t len)
{
    i->mem = true;
    i->write = write;
    i->rn = (int8_t)rn;
    i->off = off;
    i->len = len;
}

static void writeback(struct insn *i, unsigned rn, int32_t delta)
{
    i->wb = (int8_t)rn;
    i->delta = delta;
}

/* A loaded register list (LDM, POP): the PC among them ends the block. */
static void loads_list(struct insn *i, uint32_t list)
{
    i->clobbers |= (uint16_t)(list & ALL_REGS);
    i->ends = i->ends || (list & 0x8000u);
}

/* 16-bit instructions that are no data access (A5.2): what they write. */
static void other16(struct insn *i, uint16_t hw)
{
    unsigned lo3 = hw & 7u, hi3 = (hw >> 8) & 7u;
    if ((hw & 0xFF00u) == 0xB000u) {                     /* ADD/SUB SP, SP, #imm7 */
        int32_t imm = (int32_t)(hw & 0x7Fu) * 4;
        writeback(i, 13, (hw & 0x80u) ? -imm : imm);
    } else if ((hw & 0xF000u) == 0x3000u) {              /* ADDS/SUBS Rdn, #imm8 */
        writeback(i, hi3, (hw & 0x0800u) ? -(int32_t)(hw & 0xFFu) : (int32_t)(hw & 0xFFu));
    } else if ((hw & 0xFC00u) == 0x1C00u && lo3 == ((hw >> 3) & 7u)) { /* ADDS/SUBS Rd, Rd, #imm3 */
        int32_t imm = (hw >> 6) & 7;
        writeback(i, lo3, (hw & 0x0200u) ? -imm : imm);
    } else if ((hw & 0xF000u) == 0xD000u || (hw & 0xF800u) == 0xE000u || (hw & 0xFF00u) == 0x4700u ||
               (hw & 0xF500u) == 0xB100u) {
        i->ends = true;                                  /* B, SVC, UDF, BX/BLX, CBZ/CBNZ */
        i->clobbers = 1u << 14;
    } else {
        /* Every other 16-bit instruction writes at most Rd in [2:0], Rdn in
         * [10:8] or D:Rd (high-register ADD/MOV): forget all three. */
        unsigned hi = ((hw >> 4) & 8u) | lo3;
        i->clobbers = (uint16_t)(((1u << lo3) | (1u << hi3) | (1u << hi)) & ALL_REGS);
        i->ends = (hw & 0xFC00u) == 0x4400u && hi == 15; /* ADD/MOV PC */
    }
}

static void decode16(struct insn *i, uint16_t hw)
{
    unsigned lo3 = hw & 7u, rn3 = (hw >> 3) & 7u, hi3 = (hw >> 8) & 7u, imm5 = (hw >> 6) & 0x1Fu;
    bool load = hw & 0x0800u;
    uint32_t list = hw & 0xFFu, n4 = 4u * (uint32_t)__builtin_popcount(list);
    switch (hw >> 12) {
    case 0x5: {                                          /* register offset (A5.2.4) */
        static const uint8_t size[8] = {4, 2, 1, 1, 4, 2, 1, 2}; /* STR STRH STRB LDRSB LDR LDRH LDRB LDRSH */
        unsigned op = (hw >> 9) & 7u;
        data_access(i, op < 3, rn3, 0, size[op]);
        i->rm = (int8_t)((hw >> 6) & 7u);
        if (op >= 3) {
            i->clobbers = (uint16_t)(1u << lo3);
            i->rt = (int8_t)lo3;
            i->sign = op == 3 || op == 7;
        }
        return;
    }
    case 0x6: data_access(i, !load, rn3, (int32_t)imm5 * 4, 4); break; /* LDR/STR imm5 */
    case 0x7: data_access(i, !load, rn3, (int32_t)imm5, 1); break;     /* LDRB/STRB */
    case 0x8: data_access(i, !load, rn3, (int32_t)imm5 * 2, 2); break; /* LDRH/STRH */
    case 0x9:                                                     /* LDR/STR SP-relative */
        data_access(i, !load, 13, (int32_t)(hw & 0xFFu) * 4, 4);
        if (load) {
            i->clobbers = (uint16_t)(1u << hi3);
            i->rt = (int8_t)hi3;
        }
        return;
    case 0xC:                                                     /* LDM/STM (A7.7.40, A7.7.159) */
        data_access(i, !load, hi3, 0, n4);
        if (load) {
            loads_list(i, list);
            i->list = (uint16_t)list;
        }
        if (!load || !(list & (1u << hi3)))              /* LDM: no writeback of a loaded base */
            writeback(i, hi3, (int32_t)n4);
        return;
    default:
        if ((hw & 0xF800u) == 0x4800u) {                 /* LDR literal */
            data_access(i, false, 15, (int32_t)(hw & 0xFFu) * 4, 4);
            i->clobbers = (uint16_t)(1u << hi3);
            i->rt = (int8_t)hi3;
        } else if ((hw & 0xFE00u) == 0xB400u) {          /* PUSH: STMDB SP! (A7.7.99) */
            uint32_t n = n4 + ((hw & 0x0100u) ? 4u : 0u);
            data_access(i, true, 13, -(int32_t)n, n);
            writeback(i, 13, -(int32_t)n);
        } else if ((hw & 0xFE00u) == 0xBC00u) {          /* POP: LDMIA SP! (A7.7.98) */
            uint32_t n = n4 + ((hw & 0x0100u) ? 4u : 0u);
            data_access(i, false, 13, 0, n);
            i->list = (uint16_t)(list | ((hw & 0x0100u) ? 0x8000u : 0u));
            loads_list(i, i->list);
            writeback(i, 13, (int32_t)n);
        } else {
            other16(i, hw);
        }
        return;
    }
    if (load) {
        i->clobbers = (uint16_t)(1u << lo3);
        i->rt = (int8_t)lo3;
    }
}

/* Load/store single, 32-bit (A5.3.7-A5.3.10). */
static void single32(struct insn *i, uint16_t hw1, uint16_t hw2)
{
    unsigned rn = hw1 & 0xFu, rt = hw2 >> 12, sz = (hw1 >> 5) & 3u;
    bool load = hw1 & 0x0010u, sign = hw1 & 0x0100u;
    uint32_t imm12 = hw2 & 0xFFFu, imm8 = hw2 & 0xFFu;
    if (sz == 3 || (!load && sign)) {
        i->clobbers = ALL_REGS; /* undefined: nothing known */
        return;
    }
    if (load && rt == 15 && sz < 2)
        return; /* PLD/PLI: hints, no access that faults (A7.7.98-A7.7.100) */
    uint32_t len = 1u << sz;
    if (rn == 15) {                                      /* literal, U in hw1[7] */
        data_access(i, !load, 15, (hw1 & 0x0080u) ? (int32_t)imm12 : -(int32_t)imm12, len);
    } else if (hw1 & 0x0080u) {                          /* imm12 */
        data_access(i, !load, rn, (int32_t)imm12, len);
    } else if (hw2 & 0x0800u) {                          /* imm8: 1 P U W, T variant = 1110 */
        bool p = hw2 & 0x0400u, u = hw2 & 0x0200u, w = hw2 & 0x0100u;
        int32_t off = u ? (int32_t)imm8 : -(int32_t)imm8;
        data_access(i, !load, rn, p ? off : 0, len);
        if (w)
            writeback(i, rn, off);
    } else if (!(hw2 & 0x0FC0u)) {                       /* register, LSL #imm2 */
        data_access(i, !load, rn, 0, len);
        i->rm = (int8_t)(hw2 & 0xFu);
        i->shift = (uint8_t)((hw2 >> 4) & 3u);
    } else {
        i->clobbers = ALL_REGS;
        return;
    }
    if (load) {
        i->clobbers = (uint16_t)((1u << rt) & ALL_REGS);
        i->ends = rt == 15;
        i->rt = rt == 15 ? -1 : (int8_t)rt;
        i->sign = sign;
    }
}

/* Load/store dual or exclusive, table branch (A5.3.6). */
static void dual32(struct insn *i, uint16_t hw1, uint16_t hw2)
{
    unsigned rn = hw1 & 0xFu, rt = hw2 >> 12, op1 = (hw1 >> 7) & 3u, op2 = (hw1 >> 4) & 3u, op3 = (hw2 >> 4) & 0xFu;
    if (op1 == 0 && op2 < 2) {                           /* STREX, LDREX: [Rn, #imm8*4] */
        data_access(i, op2 == 0, rn, (int32_t)(hw2 & 0xFFu) * 4, 4);
        i->clobbers = (uint16_t)(1u << (op2 == 0 ? (hw2 >> 8) & 0xFu : rt));
        i->rt = op2 == 0 ? -1 : (int8_t)rt;
    } else if (op1 == 1 && op2 == 1 && op3 < 2) {        /* TBB, TBH: [Rn, Rm (LSL #1)] */
        data_access(i, false, rn, 0, op3 ? 2 : 1);
        i->rm = (int8_t)(hw2 & 0xFu);
        i->shift = (uint8_t)op3;
        i->tb = true;
        i->ends = true;
    } else if (op1 == 1 && op2 < 2 && (op3 == 4 || op3 == 5)) { /* STREXB/H, LDREXB/H: [Rn] */
        data_access(i, op2 == 0, rn, 0, op3 == 4 ? 1 : 2);
        i->clobbers = (uint16_t)(1u << (op2 == 0 ? hw2 & 0xFu : rt));
        i->rt = op2 == 0 ? -1 : (int8_t)rt;
    } else if (op1 == 1 && op2 < 2) {
        i->clobbers = ALL_REGS;                          /* STREXD/LDREXD: not ARMv7-M */
    } else {                                             /* LDRD/STRD: P U W in hw1[8,7,5] */
        bool p = hw1 & 0x0100u, w = hw1 & 0x0020u, load = hw1 & 0x0010u;
        int32_t imm = (int32_t)(hw2 & 0xFFu) * 4, off = (hw1 & 0x0080u) ? imm : -imm;
        data_access(i, !load, rn, p ? off : 0, 8);
        if (w)
            writeback(i, rn, off);
        if (load) {
            i->clobbers = (uint16_t)(((1u << rt) | (1u << ((hw2 >> 8) & 0xFu))) & ALL_REGS);
            i->rt = (int8_t)rt;
            i->rt2 = (int8_t)((hw2 >> 8) & 0xFu);
        }
    }
}

/* VLDR/VSTR/VLDM/VSTM/VPUSH/VPOP (A6.4 "Extension register load/store"). */
static void vfp32(struct insn *i, uint16_t hw1, uint16_t hw2)
{
    unsigned rn = hw1 & 0xFu;
    bool p = hw1 & 0x0100u, u = hw1 & 0x0080u, w = hw1 & 0x0020u, load = hw1 & 0x0010u;
    int32_t imm = (int32_t)(hw2 & 0xFFu) * 4;
    if (!p && !u) {                                      /* 64-bit transfers to core registers */
        i->clobbers = (uint16_t)(((1u << (hw2 >> 12)) | (1u << rn)) & ALL_REGS);
    } else if (p && !w) {                                /* VLDR/VSTR [Rn, #+/-imm8*4] */
        data_access(i, !load, rn, u ? imm : -imm, (hw2 & 0x0100u) ? 8 : 4);
    } else if (p == u) {
        i->clobbers = ALL_REGS;                          /* P = U = W = 1: undefined */
    } else {                                             /* IA (VPOP), DB! (VPUSH) */
        data_access(i, !load, rn, p ? -imm : 0, (uint32_t)imm);
        if (w)
            writeback(i, rn, p ? -imm : imm);
    }
}

static void decode32(struct insn *i, uint16_t hw1, uint16_t hw2)
{
    if ((hw1 & 0xFE00u) == 0xF800u) {
        single32(i, hw1, hw2);
    } else if ((hw1 & 0xFE40u) == 0xE840u) {
        dual32(i, hw1, hw2);
    } else if ((hw1 & 0xFE40u) == 0xE800u) {             /* LDM/STM (A5.3.5): IA or DB */
        unsigned rn = hw1 & 0xFu, op = (hw1 >> 7) & 3u;
        bool load = hw1 & 0x0010u, w = hw1 & 0x0020u;
        int32_t n = 4 * __builtin_popcount(hw2);
        if (op != 1 && op != 2) {
            i->clobbers = ALL_REGS;
            return;
        }
        data_access(i, !load, rn, op == 2 ? -n : 0, (uint32_t)n);
        if (load) {
            loads_list(i, hw2);
            i->list = hw2;
        }
        if (w && !(load && (hw2 & (1u << rn))))
            writeback(i, rn, op == 2 ? -n : n);
    } else if ((hw1 & 0xFE00u) == 0xEC00u && (hw2 & 0x0E00u) == 0x0A00u) {
        vfp32(i, hw1, hw2);
    } else if (((hw1 & 0xFBF0u) == 0xF200u || (hw1 & 0xFBF0u) == 0xF2A0u) && !(hw2 & 0x8000u)) { /* ADDW/SUBW */
        unsigned rn = hw1 & 0xFu, rd = (hw2 >> 8) & 0xFu;
        int32_t imm = (int32_t)(((hw1 >> 10) & 1u) << 11 | ((hw2 >> 12) & 7u) << 8 | (hw2 & 0xFFu));
        if (rd == rn && rn != 15)
            writeback(i, rn, (hw1 & 0x00A0u) == 0x00A0u ? -imm : imm);
        else
            i->clobbers = (uint16_t)((1u << rd) & ALL_REGS);
    } else if ((hw1 & 0xF800u) == 0xF000u && (hw2 & 0x8000u)) { /* branches, misc control (A5.3.4) */
        bool misc = !(hw2 & 0x5000u) && ((hw1 >> 7) & 7u) == 7u;
        i->ends = !misc;
        i->clobbers = (uint16_t)(((1u << ((hw2 >> 8) & 0xFu)) | (1u << 13) | (1u << 14)) & ALL_REGS);
    } else {
        /* Data processing and multiply write Rd in hw2[11:8] (A5.3.1-A5.3.3,
         * A5.3.11-A5.3.16); long multiply also RdLo in hw2[15:12], which
         * elsewhere holds imm3 or Ra; coprocessor moves write Rt in
         * hw2[15:12] (and Rt2 in hw1[3:0] for a 64-bit VMOV). */
        uint32_t m = 1u << ((hw2 >> 8) & 0xFu);
        bool copro = (hw1 & 0xEC00u) == 0xEC00u;
        if (copro || (hw1 & 0xFF80u) == 0xFB80u)
            m |= 1u << (hw2 >> 12);
        if (copro)
            m |= 1u << (hw1 & 0xFu);
        i->clobbers = (uint16_t)(m & ALL_REGS);
    }
}

/* Decode the block: instructions up to its first branch. */
static unsigned decode_block(const uint16_t *code, unsigned halfwords, uint32_t block, struct insn *out)
{
    unsigned n = 0, at = 0, it_left = 0;
    while (n < MAX_INSNS && at < halfwords) {
        uint16_t hw1 = code[at];
        bool wide = (hw1 >> 11) >= 0x1D;
        if (wide && at + 1 >= halfwords)
            break;
        struct insn *i = &out[n++];
        *i = (struct insn){.pc = block + 2u * at, .rn = -1, .rm = -1, .wb = -1, .rt = -1, .rt2 = -1};
        i->cond = it_left > 0;
        if (it_left)
            it_left--;
        if (wide)
            decode32(i, hw1, code[at + 1]);
        else if ((hw1 & 0xFF00u) == 0xBF00u && (hw1 & 0xFu))   /* IT: 4 - ctz(mask) instructions */
            it_left = 4u - (unsigned)__builtin_ctz(hw1 & 0xFu);
        else
            decode16(i, hw1);
        at += wide ? 2 : 1;
        if (i->ends)
            break;
    }
    return n;
}

/* The access of `i` from registers `r`; false when a register it needs is not known. */
static bool address(const struct insn *i, const uint32_t *r, uint16_t known, uint32_t *addr)
{
    uint32_t base, index = 0;
    if (i->rn == 15)
        base = i->tb ? i->pc + 4 : (i->pc + 4) & ~3u; /* Align(PC, 4) for literals (A7.7.43) */
    else if (known & (1u << i->rn))
        base = r[i->rn];
    else
        return false;
    if (i->rm >= 0) {
        if (i->rm == 15 || !(known & (1u << i->rm)))
            return false;
        index = r[i->rm] << i->shift;
    }
    *addr = base + (uint32_t)i->off + index;
    return true;
}

/* `i` reads or writes (as `type` says) a range holding `bad`. */
static bool hits(const struct insn *i, const uint32_t *r, uint16_t known, uint32_t bad, enum core_fault_access type)
{
    uint32_t a;
    if (!i->mem || !address(i, r, known, &a) || bad - a >= i->len)
        return false;
    return type == CORE_ACCESS_ANY || (type == CORE_ACCESS_WRITE) == i->write;
}

/* `len` bytes (1, 2 or 4) of flash or SRAM at `a`; false elsewhere (MMIO is not read). */
static bool memory(const struct core_fault_site *f, uint32_t a, uint32_t len, uint32_t *v)
{
    const uint8_t *p;
    if (f->flash && a - CORE_FLASH_BASE <= CORE_FLASH_SIZE - len)
        p = f->flash + (a - CORE_FLASH_BASE);
    else if (f->sram && a - CORE_SRAM_BASE <= CORE_SRAM_SIZE - len)
        p = f->sram + (a - CORE_SRAM_BASE);
    else
        return false;
    uint32_t x = 0;
    for (uint32_t k = len; k-- > 0;)
        x = x << 8 | p[k];
    *v = x;
    return true;
}

/* What the instructions between an earlier load and the hypothesis changed. */
struct since {
    uint16_t pristine;     /* registers nobody wrote */
    unsigned stores;       /* stores seen, with `spans` their known ranges */
    uint32_t span_lo[MAX_INSNS], span_len[MAX_INSNS];
    bool unknown_store;    /* a store whose address is not known */
};

/* Register `reg` against what a load of `len` bytes at `a` gave: 1 equal, -1 not, 0 cannot be told. */
static int value_check(const struct core_fault_site *f, const struct since *w, int reg, uint32_t a, uint32_t len,
                       bool sign)
{
    uint32_t v;
    if (reg < 0 || reg > 14 || !(w->pristine & (1u << reg)) || w->unknown_store || !memory(f, a, len, &v))
        return 0;
    for (unsigned k = 0; k < w->stores; k++)
        if (a - w->span_lo[k] < w->span_len[k] || w->span_lo[k] - a < len)
            return 0; /* overwritten since */
    if (sign && len < 4 && (v >> (8 * len - 1)) & 1u)
        v |= ~0u << (8 * len);
    return v == f->regs[reg] ? 1 : -1;
}

/* The registers a load at `a` wrote, untouched since, against memory: as value_check. */
static int load_check(const struct core_fault_site *f, const struct insn *i, uint32_t a, const struct since *w)
{
    if (i->wb >= 0 && (i->wb == i->rt || i->wb == i->rt2))
        return 0; /* UNPREDICTABLE forms */
    int v[17], n = 0, worst = 0;
    v[n++] = value_check(f, w, i->rt, a, i->rt2 >= 0 || i->list ? 4 : i->len, i->sign);
    v[n++] = value_check(f, w, i->rt2, a + 4, 4, false);
    uint32_t at = a;
    for (int k = 0; k < 15; k++) {
        if (i->list & (1u << k)) {
            v[n++] = value_check(f, w, k, at, 4, false);
            at += 4;
        }
    }
    for (int k = 0; k < n; k++) {
        if (v[k] < 0)
            return -1;
        if (v[k] > 0)
            worst = 1;
    }
    return worst;
}

/*
 * Assume instruction c faulted (so the registers at the stop are those it
 * used) and walk back to instruction `to`, recovering the registers before
 * each. Returns true when the assumption fails: an earlier instruction j
 * certainly made the same access before c, or j is a load whose target,
 * untouched since, does not hold what memory (untouched since) holds at
 * its address. `*confirmed` (may be NULL) tells whether instruction `to`
 * then is a load with a known address other than the bad one and whose
 * targets hold what memory holds: it ran, and did not fault.
 */
static bool refuted(const struct core_fault_site *f, const struct insn *in, unsigned c, unsigned to, bool *confirmed)
{
    uint32_t r[15];
    uint16_t known = ALL_REGS;
    struct since w = {.pristine = (uint16_t)(ALL_REGS & ~in[c].clobbers)}; /* an LDM that faulted midway */
    for (unsigned k = 0; k < 15; k++)
        r[k] = f->regs[k];
    for (unsigned j = c; j-- > to;) {
        const struct insn *i = &in[j];
        uint16_t lost = i->clobbers;
        if (i->wb >= 0 && i->cond)
            lost |= (uint16_t)(1u << i->wb);             /* may not have run */
        else if (i->wb >= 0 && (known & (1u << i->wb)))
            r[i->wb] -= (uint32_t)i->delta;
        known &= (uint16_t)~lost;
        uint32_t a;
        bool at = i->mem && address(i, r, known, &a);
        if (!i->cond && hits(i, r, known, f->bad, f->type))
            return true;
        int loaded = !i->cond && at && !i->write ? load_check(f, i, a, &w) : 0;
        if (loaded < 0)
            return true;
        if (j == to && confirmed)
            *confirmed = loaded > 0 && !hits(i, r, known, f->bad, CORE_ACCESS_ANY);
        if (i->mem && i->write && !at) {
            w.unknown_store = true;
        } else if (i->mem && i->write) {
            w.span_lo[w.stores] = a;
            w.span_len[w.stores++] = i->len;
        }
        w.pristine &= (uint16_t)~(i->clobbers | (i->wb >= 0 ? 1u << i->wb : 0u));
    }
    return false;
}

/*
 * The faulting instruction among those whose access, from the registers at
 * the stop, covers the bad address in the fault's direction (candidates):
 * the first one not refuted, unless a later one not refuted shows that the
 * first ran without fault (a load stepping its base onto the bad address,
 * `ldr r1, [r0], #4; ldr r2, [r0], #4` across the end of SRAM).
 */
uint32_t core_fault_pc_find(const struct core_fault_site *f)
{
    struct insn in[MAX_INSNS];
    unsigned n = decode_block(f->code, f->halfwords, f->block, in);
    bool ok[MAX_INSNS];
    int first = -1, any = -1, pick = -1;
    for (unsigned c = 0; c < n; c++) {
        ok[c] = false;
        if (any < 0 && hits(&in[c], f->regs, ALL_REGS, f->bad, CORE_ACCESS_ANY))
            any = (int)c;
        if (!hits(&in[c], f->regs, ALL_REGS, f->bad, f->type))
            continue;
        if (first < 0)
            first = (int)c;
        ok[c] = !refuted(f, in, c, 0, NULL);
        if (ok[c] && pick < 0)
            pick = (int)c;
    }
    for (unsigned c = pick >= 0 ? (unsigned)pick + 1 : n; c < n; c++) {
        bool ran = false;
        if (ok[c] && !refuted(f, in, c, (unsigned)pick, &ran) && ran)
            pick = (int)c;
    }
    if (pick >= 0)
        return in[pick].pc;
    /* Nothing fits exactly (an encoding decoded too boldly): the closest. */
    if (first >= 0)
        return in[first].pc;
    return any >= 0 ? in[any].pc : f->block;
}

uint32_t core_fault_pc(struct qsim *s, uint32_t block, uint32_t bad)
{
    uint16_t code[MAX_INSNS * 2];
    struct core_fault_site f = {.code = code, .block = block, .flash = s->flash, .sram = s->sram, .bad = bad};
    /* A block ends before an instruction that would cross a 1 KB page of
     * Unicorn's ARM target (TARGET_PAGE_BITS 10 for M-profile). */
    uint32_t page_left = (0x400u - (block & 0x3FFu)) / 2u;
    while (f.halfwords < MAX_INSNS * 2 && f.halfwords < page_left &&
           core_fetch16(s, block + 2u * f.halfwords, &code[f.halfwords]))
        f.halfwords++;
    for (int k = 0; k < 13; k++)
        f.regs[k] = core_reg(s, UC_ARM_REG_R0 + k);
    f.regs[13] = core_reg(s, UC_ARM_REG_SP);
    f.regs[14] = core_reg(s, UC_ARM_REG_LR);
    f.type = CORE_ACCESS_ANY; /* core_bus_error: the direction is not passed */
    if (s->mem_type == UC_MEM_READ_UNMAPPED || s->mem_type == UC_MEM_READ_PROT)
        f.type = CORE_ACCESS_READ;
    else if (s->mem_type == UC_MEM_WRITE_UNMAPPED || s->mem_type == UC_MEM_WRITE_PROT)
        f.type = CORE_ACCESS_WRITE;
    return core_fault_pc_find(&f);
}
