/*
 * The cycle model, applied per translated block.
 *
 * Unicorn calls the block hook once per basic block with its address and
 * size; the block's cost is computed once from the Thumb encodings and cached.
 * Costs follow the Cortex-M4 TRM (ARM DDI 0439D), 3.3.1 "Cortex-M4
 * instructions" (Table 3-1) and 3.3.2 "Load/store timings", for a zero wait
 * state system. Where Table 3-1 gives a range the choice is stated
 * (docs/simulator.md, "Cycle model"):
 *   - data processing, MUL/MLA/long multiplies, extend, bit field, IT: 1;
 *   - MRS, MSR, CPSID, CPSIE: "1 or 2" in Table 3-1, counted 1;
 *   - load single (LDR, LDRB, LDRH, LDRS*, literal, exclusive): 2; a load or
 *     store single right after a load single pipelines and costs one less
 *     unless it uses the loaded register for its address (3.3.2);
 *   - store single with an immediate offset: 1 ("STR Rx,[Ry,#imm] is always
 *     one cycle", 3.3.2); with a register offset: 2;
 *   - a load or store whose address register was written by the data
 *     processing instruction just before it: +1 (no forwarding path, 3.3.2);
 *   - LDRD/STRD 1 + N = 3; LDM/STM/PUSH/POP 1 + N (VLDM/VSTM likewise);
 *   - branches (B, BL, BX, BLX, CBZ/CBNZ, B<c>, MOV/ADD to PC) 1 + P with
 *     P = 1, the fastest refill; a conditional branch is counted as taken
 *     (1 + P) because the cost is fixed per block before it runs;
 *   - loads into PC: LDR PC 2 + 3 (3.3.2: "at least five cycles"), LDM/POP
 *     with PC 1 + N + 3 (the same blocking load and refill);
 *   - TBB/TBH 2 + 1 + 3 = 6 (3.3.2: "at least six cycles");
 *   - ISB 1 + B with B = one refill = 2; DSB, DMB 1 + B with B = 0 = 1 (the
 *     write buffer is not modeled);
 *   - SDIV/UDIV 7 (the middle of 2..12), VDIV/VSQRT 14, VLDR/VSTR 2;
 *   - flash wait states (FLASH_ACR LATENCY) are not charged: the ART
 *     accelerator hides most of them on straight-line code.
 * The pessimistic model (QSIM_CYCLES_UPPER) changes two things: MSR, MRS,
 * CPSID and CPSIE cost 2, the top of Table 3-1's "1 or 2"; and a block
 * entered by a non-sequential fetch from flash pays ACR.LATENCY wait states
 * (core_block_fetch_wait; exception entry, tail-chain and return charge
 * theirs in exc.c). Straight-line fetches stay free: with PRFTEN set, the
 * next 128-bit line (4 to 8 instructions, at least 4 cycles to execute) is
 * read while the current one runs, which hides up to 3 wait states
 * (RM0390 3.4.2 "Instruction prefetch").
 */
#include <stdlib.h>
#include <string.h>

#include "core/core.h"

/* SEV, encodings T1 and T2 (ARMv7-M A7.7.129). */
#define SEV_HW 0xBF40u
#define SEV_W_HW1 0xF3AFu
#define SEV_W_HW2 0x8004u

bool core_fetch16(struct qsim *s, uint32_t addr, uint16_t *hw)
{
    const uint8_t *p = NULL;
    if (addr < CORE_FLASH_SIZE - 1)
        p = s->flash + addr;
    else if (addr - CORE_FLASH_BASE < CORE_FLASH_SIZE - 1)
        p = s->flash + (addr - CORE_FLASH_BASE);
    else if (addr - CORE_SRAM_BASE < CORE_SRAM_SIZE - 1)
        p = s->sram + (addr - CORE_SRAM_BASE);
    if (p) {
        *hw = (uint16_t)(p[0] | p[1] << 8);
        return true;
    }
    return uc_mem_read(s->uc, addr, hw, 2) == UC_ERR_OK;
}

static bool is_wide(uint16_t hw1)
{
    return (hw1 >> 11) >= 0x1D;
}

static bool is_fp(uint16_t hw1, uint16_t hw2)
{
    /* Coprocessor space with coprocessor 10/11 (ARMv7-M A5.3.18, A6.1). */
    unsigned cp = (hw2 >> 8) & 0xFu;
    return (hw1 & 0xEC00u) == 0xEC00u && (hw1 & 0x1000u) == 0 && (cp == 10 || cp == 11);
}

/* What the previous instruction leaves for the next one's timing. */
struct prev_insn {
    int load_rt; /* destination of a load single, -1: not one */
    int dp_rd;   /* register written by a data processing instruction, -1: none */
};

/* The current instruction as a memory access: its address registers. */
struct access {
    bool mem;    /* load or store of any kind */
    bool single; /* load/store single (can pipeline after a load, 3.3.2) */
    int rn, rm;  /* address registers, -1: none */
};

static unsigned popcount16(unsigned v)
{
    return (unsigned)__builtin_popcount(v & 0xFFFFu);
}

/* Destination of a 16-bit data processing instruction (ARMv7-M A5.2), -1. */
static int dp_rd16(uint16_t hw)
{
    if (hw < 0x2000u)                                    /* shifts, ADD/SUB reg and imm3 */
        return hw & 7;
    if (hw < 0x4000u)                                    /* MOV/CMP/ADD/SUB imm8 */
        return (hw & 0xF800u) == 0x2800u ? -1 : (hw >> 8) & 7;
    if ((hw & 0xFC00u) == 0x4000u) {                     /* data processing register */
        unsigned op = (hw >> 6) & 0xFu;
        return op == 8 || op == 10 || op == 11 ? -1 : hw & 7;  /* TST, CMP, CMN */
    }
    if ((hw & 0xFC00u) == 0x4400u) {                     /* ADD/MOV high registers */
        unsigned op = (hw >> 8) & 3u;
        return op == 0 || op == 2 ? (int)(((hw >> 4) & 8u) | (hw & 7u)) : -1;
    }
    if ((hw & 0xF000u) == 0xA000u)                       /* ADR, ADD Rd, SP, #imm */
        return (hw >> 8) & 7;
    if ((hw & 0xFF00u) == 0xB000u)                       /* ADD/SUB SP, SP, #imm */
        return 13;
    if ((hw & 0xFF00u) == 0xB200u || (hw & 0xFF00u) == 0xBA00u)
        return hw & 7;                                   /* extend, reverse */
    return -1;
}

/* Destination of a 32-bit data processing instruction (ARMv7-M A5.3), -1. */
static int dp_rd32(uint16_t hw1, uint16_t hw2)
{
    int rd = (hw2 >> 8) & 0xF;
    bool dp = ((hw1 & 0xF800u) == 0xF000u && !(hw2 & 0x8000u)) || /* immediate forms */
              (hw1 & 0xFE00u) == 0xEA00u ||                         /* shifted register */
              ((hw1 & 0xFF00u) == 0xFA00u && (hw2 & 0xF000u) == 0xF000u) ||
              (hw1 & 0xFF80u) == 0xFB00u;                           /* multiply */
    return dp && rd != 15 ? rd : -1;                     /* Rd 15: compare/test */
}

static unsigned cost16(uint16_t hw, struct access *m, int *load_rt, bool upper)
{
    if ((hw & 0xFFE8u) == 0xB660u)                       /* CPSIE / CPSID */
        return upper ? 2 : 1;
    if ((hw & 0xF800u) == 0x4800u) {                     /* LDR literal */
        *m = (struct access){true, true, 15, -1};
        *load_rt = (hw >> 8) & 7;
        return 2;
    }
    if ((hw & 0xF000u) == 0x5000u) {                     /* load/store register offset */
        *m = (struct access){true, true, (hw >> 3) & 7, (hw >> 6) & 7};
        if (((hw >> 9) & 7u) >= 3)                       /* LDRSB, LDR, LDRH, LDRB, LDRSH */
            *load_rt = hw & 7;
        return 2;
    }
    if ((hw & 0xE000u) == 0x6000u || (hw & 0xF000u) == 0x8000u) { /* imm5 forms */
        *m = (struct access){true, true, (hw >> 3) & 7, -1};
        if (hw & 0x0800u) {
            *load_rt = hw & 7;
            return 2;
        }
        return 1;                                        /* STR #imm: 3.3.2 */
    }
    if ((hw & 0xF000u) == 0x9000u) {                     /* SP-relative */
        *m = (struct access){true, true, 13, -1};
        if (hw & 0x0800u) {
            *load_rt = (hw >> 8) & 7;
            return 2;
        }
        return 1;
    }
    if ((hw & 0xF600u) == 0xB400u) {                     /* PUSH / POP */
        *m = (struct access){true, false, 13, -1};
        bool pc = (hw & 0x0800u) && (hw & 0x100u);
        return 1 + popcount16(hw & 0x1FFu) + (pc ? 3 : 0);
    }
    if ((hw & 0xF000u) == 0xC000u) {                     /* LDM / STM */
        *m = (struct access){true, false, (hw >> 8) & 7, -1};
        return 1 + popcount16(hw & 0xFFu);
    }
    if ((hw & 0xF000u) == 0xD000u && (hw & 0x0F00u) < 0x0E00u)
        return 2;                                        /* B<c> */
    if ((hw & 0xF800u) == 0xE000u)                       /* B */
        return 2;
    if ((hw & 0xFF00u) == 0x4700u)                       /* BX / BLX */
        return 2;
    if ((hw & 0xFC00u) == 0x4400u && (hw & 0x0200u) == 0 && (hw & 0x87u) == 0x87u)
        return 2;                                        /* ADD/MOV PC, Rm */
    if ((hw & 0xF500u) == 0xB100u)                       /* CBZ / CBNZ */
        return 2;
    return 1;
}

static unsigned cost32(uint16_t hw1, uint16_t hw2, struct access *m, int *load_rt, bool upper)
{
    int rn = hw1 & 0xF;
    if ((hw1 & 0xFE40u) == 0xE800u && ((hw1 & 0x0180u) == 0x0080u || (hw1 & 0x0180u) == 0x0100u)) {
        bool pc = (hw1 & 0x0010u) && (hw2 & 0x8000u);    /* LDM / STM (T2), PUSH.W/POP.W */
        *m = (struct access){true, false, rn, -1};
        return 1 + popcount16(hw2) + (pc ? 3 : 0);
    }
    if ((hw1 & 0xFE40u) == 0xE840u) {
        if (hw1 & 0x0120u) {                             /* LDRD / STRD */
            *m = (struct access){true, false, rn, -1};
            return 3;
        }
        if ((hw1 & 0xFFF0u) == 0xE8D0u && (hw2 & 0xFFE0u) == 0xF000u)
            return 6;                                    /* TBB / TBH */
        *m = (struct access){true, true, rn, -1};        /* exclusives, pipeline as LDR */
        if (hw1 & 0x0010u)
            *load_rt = hw2 >> 12;
        return 2;
    }
    if ((hw1 & 0xFE00u) == 0xF800u) {                    /* load / store single */
        bool reg = !(hw1 & 0x0080u) && (hw2 & 0x0FC0u) == 0 && rn != 15;
        *m = (struct access){true, true, rn, reg ? hw2 & 0xF : -1};
        if (hw1 & 0x0010u) {
            unsigned rt = hw2 >> 12;
            if (rt == 15 && (hw1 & 0x0060u) == 0x0040u)
                return 5;                                /* LDR PC: 3.3.2 */
            *load_rt = (int)rt;
            return 2;
        }
        return reg ? 2 : 1;
    }
    if ((hw1 & 0xF800u) == 0xF000u && (hw2 & 0x8000u)) {
        bool misc = (hw1 & 0x0380u) == 0x0380u && (hw2 & 0x5000u) == 0;
        if (!misc)
            return 2;                                    /* B.W, B<c>.W, BL */
        if (hw1 == 0xF3BFu && (hw2 & 0xFFF0u) == 0x8F60u)
            return 2;                                    /* ISB: 1 + B, B = one refill */
        if ((hw1 & 0xFFE0u) == 0xF380u || (hw1 & 0xFFE0u) == 0xF3E0u)
            return upper ? 2 : 1;                        /* MSR, MRS */
        return 1;                                        /* hints, DSB/DMB */
    }
    if ((hw1 & 0xFFD0u) == 0xFB90u && (hw2 & 0x00F0u) == 0x00F0u)
        return 7;                                        /* SDIV / UDIV */
    if (is_fp(hw1, hw2)) {
        if ((hw1 & 0xFF20u) == 0xED00u) {
            *m = (struct access){true, false, rn, -1};
            return 2;                                    /* VLDR / VSTR */
        }
        if ((hw1 & 0xFE00u) == 0xEC00u && (hw1 & 0x01E0u) != 0x0040u) {
            unsigned words = hw2 & 0xFFu;                /* VLDM / VSTM / VPUSH / VPOP */
            *m = (struct access){true, false, rn, -1};
            return 1 + (words ? words : 1);
        }
        if ((hw1 & 0xFFB0u) == 0xEE80u && (hw2 & 0x0F50u) == 0x0A00u)
            return 14;                                   /* VDIV */
        if ((hw1 & 0xFFBFu) == 0xEEB1u && (hw2 & 0x0FD0u) == 0x0AC0u)
            return 14;                                   /* VSQRT */
    }
    return 1;
}

/* Cost of one instruction after `prev`; updates `prev` for the next one. */
static unsigned insn_cost(bool wide, uint16_t hw1, uint16_t hw2, struct prev_insn *prev, bool upper)
{
    struct access m = {false, false, -1, -1};
    int load_rt = -1;
    unsigned c = wide ? cost32(hw1, hw2, &m, &load_rt, upper) : cost16(hw1, &m, &load_rt, upper);
    if (m.mem) {
        bool uses_dp = prev->dp_rd >= 0 && (m.rn == prev->dp_rd || m.rm == prev->dp_rd);
        bool uses_load = prev->load_rt >= 0 && (m.rn == prev->load_rt || m.rm == prev->load_rt);
        if (uses_dp)
            c += 1;
        else if (m.single && prev->load_rt >= 0 && !uses_load && c > 1)
            c -= 1;
    }
    prev->load_rt = load_rt;
    prev->dp_rd = m.mem ? -1 : wide ? dp_rd32(hw1, hw2) : dp_rd16(hw1);
    return c;
}

/*
 * Decode [addr, addr+size): instruction count, cycles, first FP offset.
 * With `budget` >= 0, stop at the first instruction boundary where the cost
 * so far reaches the budget and return that byte offset in *cut.
 */
static void decode(struct qsim *s, uint32_t addr, uint32_t size, struct core_block *b,
                   int64_t budget, int fp_stop, uint32_t *cut)
{
    b->insns = 0;
    b->cycles = 0;
    b->fp_off = -1;
    b->selfloop = false;
    b->mrs_control = false;
    b->msr_control = false;
    b->mrs_before_fp = false;
    b->mrs_after_fp = false;
    b->sev = false;
    uint32_t off = 0;
    struct prev_insn prev = {-1, -1};
    bool upper = s->opt.cycles == QSIM_CYCLES_UPPER;
    while (off < size) {
        if (budget >= 0 && (int64_t)b->cycles >= budget)
            break;
        if (fp_stop >= 0 && off >= (uint32_t)fp_stop)
            break;
        uint16_t hw1 = 0, hw2 = 0;
        if (!core_fetch16(s, addr + off, &hw1))
            break;
        unsigned len = 2, c;
        if (is_wide(hw1)) {
            if (!core_fetch16(s, addr + off + 2, &hw2))
                break;
            len = 4;
            c = insn_cost(true, hw1, hw2, &prev, upper);
            if (b->fp_off < 0 && is_fp(hw1, hw2))
                b->fp_off = (int16_t)off;
            if (hw1 == 0xF3EFu && (hw2 & 0xF0FFu) == 0x8014u) { /* MRS Rd, CONTROL (A7.7.82) */
                b->mrs_control = true;
                b->mrs_before_fp |= b->fp_off < 0;
                b->mrs_after_fp |= b->fp_off >= 0;
            }
            if ((hw1 & 0xFFF0u) == 0xF380u && hw2 == 0x8814u) /* MSR CONTROL, Rn (A7.7.83) */
                b->msr_control = true;
            b->sev |= hw1 == SEV_W_HW1 && hw2 == SEV_W_HW2;
        } else {
            c = insn_cost(false, hw1, 0, &prev, upper);
            if (off == 0 && size == 2 && hw1 == 0xE7FEu)
                b->selfloop = true;
            b->sev |= hw1 == SEV_HW;
        }
        b->cycles += c;
        b->insns++;
        off += len;
    }
    if (cut)
        *cut = off;
}

static uint32_t block_index(uint32_t addr)
{
    return ((addr >> 1) ^ (addr >> 13)) & (CORE_BLOCK_CACHE - 1);
}

const struct core_block *core_block_get(struct qsim *s, uint32_t addr, uint32_t size)
{
    struct core_block *b = &s->blocks[block_index(addr)];
    if (b->valid && b->addr == addr && b->size == size)
        return b;
    decode(s, addr, size, b, -1, -1, NULL);
    core_traps_scan(s, b, addr, size);
    uint16_t hw1 = 0, hw2 = 0;
    b->after_msr_basepri = core_fetch16(s, addr - 4, &hw1) && core_fetch16(s, addr - 2, &hw2) &&
                           (hw1 & 0xFFF0u) == 0xF380u && (hw2 == 0x8811u || hw2 == 0x8812u);
    b->after_msr_control = (hw1 & 0xFFF0u) == 0xF380u && hw2 == 0x8814u; /* MSR CONTROL, Rn */
    b->special = b->after_msr_basepri || b->after_msr_control || b->mrs_control || b->msr_control;
    b->addr = addr;
    b->size = (uint16_t)size;
    b->valid = true;
    return b;
}

/*
 * Where to stop inside the block at `addr`: the first instruction boundary
 * at which `budget` cycles are used, or the FP instruction at `fp_off`
 * (-1: none), whichever comes first. Returns an address in the block.
 */
uint32_t core_block_cut(struct qsim *s, uint32_t addr, uint32_t size, int64_t budget, int fp_off)
{
    struct core_block tmp;
    uint32_t cut = 0;
    decode(s, addr, size, &tmp, budget < 0 ? 0 : budget, fp_off, &cut);
    return addr + cut;
}

/* Wait states of a non-sequential fetch (or vector read) at `addr`: the
 * pessimistic model charges ACR.LATENCY for main flash and its alias at 0,
 * nothing for SRAM or system memory (no wait states there). */
unsigned core_fetch_wait(const struct qsim *s, uint32_t addr)
{
    if (s->opt.cycles != QSIM_CYCLES_UPPER)
        return 0;
    return addr < CORE_FLASH_SIZE || addr - CORE_FLASH_BASE < CORE_FLASH_SIZE ? s->flash_ws : 0;
}

/* Fetches in flash compare by offset: a partial run executes through the
 * alias at 0 (cpu.c, partial_shift) and the rest of the block does not. */
static uint32_t fetch_key(uint32_t addr)
{
    return addr < CORE_FLASH_SIZE ? addr + CORE_FLASH_BASE : addr;
}

/*
 * Wait states for entering the block at `addr` (0 but in the pessimistic
 * model): ACR.LATENCY when it does not start where the last block charged
 * ended, i.e. when the core got there by a taken branch or another write to
 * the PC. A not-taken conditional branch, a block Unicorn ends early (MSR,
 * page, size, a partial run's cut) and the instruction after WFI continue
 * sequentially and pay nothing. Exceptions set CORE_NO_FETCH after
 * charging their own fetch (exc.c), so that fetch is not charged twice.
 */
unsigned core_block_fetch_wait(struct qsim *s, uint32_t addr)
{
    if (s->opt.cycles != QSIM_CYCLES_UPPER || fetch_key(addr) == s->fetch_next)
        return 0;
    return core_fetch_wait(s, addr);
}

/* An exception's fetch at `target` (handler or return address): its wait
 * states, charged by exc.c with the entry, tail-chain or return, after
 * which the block at `target` counts as sequential. */
unsigned core_jump_wait(struct qsim *s, uint32_t target)
{
    s->fetch_next = fetch_key(target);
    return core_fetch_wait(s, target);
}

/* The block at `addr` ran to `end`: the next sequential fetch. */
void core_block_ran(struct qsim *s, uint32_t end)
{
    s->fetch_next = fetch_key(end);
}

void sim_set_flash_latency(sim_t *s, unsigned wait_states)
{
    s->flash_ws = wait_states;
}

/* Decode the block at `addr` again when next reached (traps.c hooked it). */
void core_block_forget(struct qsim *s, uint32_t addr)
{
    s->blocks[block_index(addr)].valid = false;
}

void core_blocks_flush(struct qsim *s)
{
    memset(s->blocks, 0, sizeof(struct core_block) * CORE_BLOCK_CACHE);
}
