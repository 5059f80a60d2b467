/*
 * Thumb-2 decoding for core_fault_pc (faultpc.c): for each instruction of
 * a block, the data access it makes (direction, base, index, offset,
 * length; ARMv7-M A5.2 16-bit, A5.3.5-A5.3.10 32-bit load/store, A6.4
 * extension register load/store), the base writeback or the known
 * adjustment it makes (ADD/SUB SP, ADDS/SUBS #imm, ADDW/SUBW), the
 * registers it loads, and, conservatively, every other register it may
 * write. A register listed as written when it is not only makes the search
 * know less; one missed could make it refute the faulting instruction.
 */
#include "core/faultpc.h"

static void data_access(struct core_fault_insn *i, bool write, unsigned rn, int32_t off, uint32_t len)
{
    i->mem = true;
    i->write = write;
    i->rn = (int8_t)rn;
    i->off = off;
    i->len = len;
}

static void writeback(struct core_fault_insn *i, unsigned rn, int32_t delta)
{
    i->wb = (int8_t)rn;
    i->delta = delta;
}

/* A loaded register list (LDM, POP): the PC among them ends the block. */
static void loads_list(struct core_fault_insn *i, uint32_t list)
{
    i->clobbers |= (uint16_t)(list & CORE_FAULT_ALL_REGS);
    i->ends = i->ends || (list & 0x8000u);
}

/* 16-bit instructions that are no data access (A5.2): what they write. */
static void other16(struct core_fault_insn *i, uint16_t hw)
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
        i->clobbers = (uint16_t)(((1u << lo3) | (1u << hi3) | (1u << hi)) & CORE_FAULT_ALL_REGS);
        i->ends = (hw & 0xFC00u) == 0x4400u && hi == 15; /* ADD/MOV PC */
    }
}

static void decode16(struct core_fault_insn *i, uint16_t hw)
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
static void single32(struct core_fault_insn *i, uint16_t hw1, uint16_t hw2)
{
    unsigned rn = hw1 & 0xFu, rt = hw2 >> 12, sz = (hw1 >> 5) & 3u;
    bool load = hw1 & 0x0010u, sign = hw1 & 0x0100u;
    uint32_t imm12 = hw2 & 0xFFFu, imm8 = hw2 & 0xFFu;
    if (sz == 3 || (!load && sign)) {
        i->clobbers = CORE_FAULT_ALL_REGS; /* undefined: nothing known */
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
        i->clobbers = CORE_FAULT_ALL_REGS;
        return;
    }
    if (load) {
        i->clobbers = (uint16_t)((1u << rt) & CORE_FAULT_ALL_REGS);
        i->ends = rt == 15;
        i->rt = rt == 15 ? -1 : (int8_t)rt;
        i->sign = sign;
    }
}

/* Load/store dual or exclusive, table branch (A5.3.6). */
static void dual32(struct core_fault_insn *i, uint16_t hw1, uint16_t hw2)
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
        i->clobbers = CORE_FAULT_ALL_REGS;                          /* STREXD/LDREXD: not ARMv7-M */
    } else {                                             /* LDRD/STRD: P U W in hw1[8,7,5] */
        bool p = hw1 & 0x0100u, w = hw1 & 0x0020u, load = hw1 & 0x0010u;
        int32_t imm = (int32_t)(hw2 & 0xFFu) * 4, off = (hw1 & 0x0080u) ? imm : -imm;
        data_access(i, !load, rn, p ? off : 0, 8);
        if (w)
            writeback(i, rn, off);
        if (load) {
            i->clobbers = (uint16_t)(((1u << rt) | (1u << ((hw2 >> 8) & 0xFu))) & CORE_FAULT_ALL_REGS);
            i->rt = (int8_t)rt;
            i->rt2 = (int8_t)((hw2 >> 8) & 0xFu);
        }
    }
}

/* VLDR/VSTR/VLDM/VSTM/VPUSH/VPOP (A6.4 "Extension register load/store"). */
static void vfp32(struct core_fault_insn *i, uint16_t hw1, uint16_t hw2)
{
    unsigned rn = hw1 & 0xFu;
    bool p = hw1 & 0x0100u, u = hw1 & 0x0080u, w = hw1 & 0x0020u, load = hw1 & 0x0010u;
    int32_t imm = (int32_t)(hw2 & 0xFFu) * 4;
    if (!p && !u) {                                      /* 64-bit transfers to core registers */
        i->clobbers = (uint16_t)(((1u << (hw2 >> 12)) | (1u << rn)) & CORE_FAULT_ALL_REGS);
    } else if (p && !w) {                                /* VLDR/VSTR [Rn, #+/-imm8*4] */
        data_access(i, !load, rn, u ? imm : -imm, (hw2 & 0x0100u) ? 8 : 4);
    } else if (p == u) {
        i->clobbers = CORE_FAULT_ALL_REGS;                          /* P = U = W = 1: undefined */
    } else {                                             /* IA (VPOP), DB! (VPUSH) */
        data_access(i, !load, rn, p ? -imm : 0, (uint32_t)imm);
        if (w)
            writeback(i, rn, p ? -imm : imm);
    }
}

static void decode32(struct core_fault_insn *i, uint16_t hw1, uint16_t hw2)
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
            i->clobbers = CORE_FAULT_ALL_REGS;
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
            i->clobbers = (uint16_t)((1u << rd) & CORE_FAULT_ALL_REGS);
    } else if ((hw1 & 0xF800u) == 0xF000u && (hw2 & 0x8000u)) { /* branches, misc control (A5.3.4) */
        bool misc = !(hw2 & 0x5000u) && ((hw1 >> 7) & 7u) == 7u;
        i->ends = !misc;
        i->clobbers = (uint16_t)(((1u << ((hw2 >> 8) & 0xFu)) | (1u << 13) | (1u << 14)) & CORE_FAULT_ALL_REGS);
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
        i->clobbers = (uint16_t)(m & CORE_FAULT_ALL_REGS);
    }
}

unsigned core_fault_decode(const uint16_t *code, unsigned halfwords, uint32_t block, struct core_fault_insn *out)
{
    unsigned n = 0, at = 0, it_left = 0;
    while (n < CORE_FAULT_MAX_INSNS && at < halfwords) {
        uint16_t hw1 = code[at];
        bool wide = (hw1 >> 11) >= 0x1D;
        if (wide && at + 1 >= halfwords)
            break;
        struct core_fault_insn *i = &out[n++];
        *i = (struct core_fault_insn){.pc = block + 2u * at, .rn = -1, .rm = -1, .wb = -1, .rt = -1, .rt2 = -1};
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

