/*
 * The address of the instruction that made a bad data access.
 *
 * Unicorn 2.0.1 only keeps the PC exact with a per-instruction code hook,
 * which quartz-sim does not install; after an unmapped access it reports
 * the start of the translated block. The registers, though, are those the
 * faulting instruction used (TCG writes them back before the memory helper
 * runs). So the block is walked from its start and each load/store's
 * effective address is computed from the current registers (ARMv7-M A7.7
 * encodings); the first one whose access covers the bad address is the
 * faulting instruction. Unknown encodings leave the block start.
 */
#include "core/core.h"

static uint32_t reg(struct qsim *s, unsigned n, uint32_t pc)
{
    if (n < 13)
        return core_reg(s, UC_ARM_REG_R0 + (int)n);
    if (n == 13)
        return core_reg(s, UC_ARM_REG_SP);
    if (n == 14)
        return core_reg(s, UC_ARM_REG_LR);
    return (pc + 4) & ~3u; /* PC as a base: Align(PC, 4) (A7.7.43) */
}

static bool covers(uint32_t lo, uint32_t len, uint32_t bad)
{
    return bad - lo < len;
}

static bool hit16(struct qsim *s, uint16_t hw, uint32_t pc, uint32_t bad)
{
    unsigned rn = (hw >> 3) & 7u, imm5 = (hw >> 6) & 0x1Fu;
    if ((hw & 0xF000u) == 0x6000u)                                   /* LDR/STR imm */
        return covers(reg(s, rn, pc) + imm5 * 4, 4, bad);
    if ((hw & 0xF000u) == 0x7000u)                                   /* LDRB/STRB imm */
        return covers(reg(s, rn, pc) + imm5, 1, bad);
    if ((hw & 0xF000u) == 0x8000u)                                   /* LDRH/STRH imm */
        return covers(reg(s, rn, pc) + imm5 * 2, 2, bad);
    if ((hw & 0xF000u) == 0x9000u)                                   /* SP-relative */
        return covers(reg(s, 13, pc) + (hw & 0xFFu) * 4, 4, bad);
    if ((hw & 0xF000u) == 0x5000u)                                   /* register offset */
        return covers(reg(s, rn, pc) + reg(s, (hw >> 6) & 7u, pc), 4, bad);
    if ((hw & 0xF800u) == 0x4800u)                                   /* LDR literal */
        return covers(reg(s, 15, pc) + (hw & 0xFFu) * 4, 4, bad);
    unsigned n = (unsigned)__builtin_popcount(hw & 0xFFu);
    if ((hw & 0xFE00u) == 0xB400u)                                   /* PUSH */
        return covers(reg(s, 13, pc) - 4 * (n + ((hw >> 8) & 1u)), 4 * (n + ((hw >> 8) & 1u)), bad);
    if ((hw & 0xFE00u) == 0xBC00u)                                   /* POP */
        return covers(reg(s, 13, pc), 4 * (n + ((hw >> 8) & 1u)), bad);
    if ((hw & 0xF000u) == 0xC000u)                                   /* LDM/STM */
        return covers(reg(s, (hw >> 8) & 7u, pc), 4 * n, bad);
    return false;
}

static bool hit32(struct qsim *s, uint16_t hw1, uint16_t hw2, uint32_t pc, uint32_t bad)
{
    unsigned rn = hw1 & 0xFu;
    uint32_t base = reg(s, rn, pc);
    if ((hw1 & 0xFE00u) == 0xF800u) {                                /* load/store single */
        uint32_t imm12 = hw2 & 0xFFFu;
        if (rn == 15)                                                /* literal, U = bit 7 */
            return covers((hw1 & 0x0080u) ? base + imm12 : base - imm12, 4, bad);
        if (hw1 & 0x0080u)                                           /* imm12 */
            return covers(base + imm12, 4, bad);
        if (hw2 & 0x0800u) {                                         /* imm8 with P/U/W */
            uint32_t imm = hw2 & 0xFFu;
            bool p = hw2 & 0x0400u, u = hw2 & 0x0200u;
            return covers(p ? (u ? base + imm : base - imm) : base, 4, bad);
        }
        return covers(base + (reg(s, hw2 & 0xFu, pc) << ((hw2 >> 4) & 3u)), 4, bad);
    }
    if ((hw1 & 0xFE40u) == 0xE840u) {                                /* LDRD/STRD */
        uint32_t imm = (hw2 & 0xFFu) * 4;
        bool p = hw1 & 0x0100u, u = hw1 & 0x0080u;
        return covers(p ? (u ? base + imm : base - imm) : base, 8, bad);
    }
    if ((hw1 & 0xFE50u) == 0xE810u) {                                /* LDM/STM */
        uint32_t len = 4u * (uint32_t)__builtin_popcount(hw2);
        return covers((hw1 & 0x0100u) ? base - len : base, len, bad);
    }
    if ((hw1 & 0xEE00u) == 0xEC00u && ((hw2 >> 9) & 7u) == 5u) {    /* VLDR/VSTR/VLDM/VSTM */
        uint32_t imm = (hw2 & 0xFFu) * 4;
        if ((hw1 & 0xFF20u) == 0xED00u)
            return covers((hw1 & 0x0080u) ? base + imm : base - imm, 8, bad);
        return covers((hw1 & 0x0100u) ? base - imm : base, imm, bad);
    }
    return false;
}

uint32_t core_fault_pc(struct qsim *s, uint32_t block, uint32_t bad)
{
    uint32_t pc = block;
    for (int i = 0; i < 64; i++) {
        uint16_t hw1, hw2 = 0;
        if (uc_mem_read(s->uc, pc, &hw1, 2) != UC_ERR_OK)
            break;
        bool wide = (hw1 >> 11) >= 0x1D;
        if (wide && uc_mem_read(s->uc, pc + 2, &hw2, 2) != UC_ERR_OK)
            break;
        if (wide ? hit32(s, hw1, hw2, pc, bad) : hit16(s, hw1, pc, bad))
            return pc;
        pc += wide ? 4 : 2;
    }
    return block;
}
