/*
 * The cycle model, applied per translated block.
 *
 * Unicorn calls the block hook once per basic block with its address and
 * size; the block's cost is computed once from the Thumb encodings and cached.
 * Costs follow the Cortex-M4 TRM (ARM DDI 0439B, 3.3 "Instruction set
 * summary", table 3-1), simplified where the real figure depends on run-time
 * state (docs/simulator.md, "Cycle model"):
 *   - 1 cycle per instruction;
 *   - load or store of one register 2, LDRD/STRD 3, LDM/STM/PUSH/POP 1+N,
 *     +2 when PC is loaded (pipeline refill);
 *   - branches (B, BL, BX, BLX, CBZ/CBNZ, conditional B) 2, counted as taken;
 *   - SDIV/UDIV 7 (the middle of 2..12), VDIV/VSQRT 14;
 *   - VLDR/VSTR 2, VLDM/VSTM/VPUSH/VPOP 1+N;
 *   - flash wait states (FLASH_ACR LATENCY) are not charged: the ART
 *     accelerator hides most of them on straight-line code.
 */
#include <stdlib.h>
#include <string.h>

#include "core/core.h"

static bool fetch16(struct qsim *s, uint32_t addr, uint16_t *hw)
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

static unsigned cost16(uint16_t hw)
{
    if ((hw & 0xF800u) == 0x4800u)                       /* LDR literal */
        return 2;
    if ((hw & 0xF000u) == 0x5000u || (hw & 0xE000u) == 0x6000u ||
        (hw & 0xF000u) == 0x8000u || (hw & 0xF000u) == 0x9000u)
        return 2;                                        /* load/store single */
    if ((hw & 0xF600u) == 0xB400u) {                     /* PUSH / POP */
        unsigned n = (unsigned)__builtin_popcount(hw & 0x1FFu);
        bool pc = (hw & 0x0800u) && (hw & 0x100u);
        return 1 + n + (pc ? 2 : 0);
    }
    if ((hw & 0xF000u) == 0xC000u)                       /* LDM / STM */
        return 1 + (unsigned)__builtin_popcount(hw & 0xFFu);
    if ((hw & 0xF000u) == 0xD000u && (hw & 0x0F00u) < 0x0E00u)
        return 2;                                        /* B<c> */
    if ((hw & 0xF800u) == 0xE000u)                       /* B */
        return 2;
    if ((hw & 0xFF00u) == 0x4700u)                       /* BX / BLX */
        return 2;
    if ((hw & 0xF500u) == 0xB100u)                       /* CBZ / CBNZ */
        return 2;
    return 1;
}

static unsigned cost32(uint16_t hw1, uint16_t hw2)
{
    if ((hw1 & 0xFE50u) == 0xE810u) {                    /* LDM / STM (T2) */
        unsigned n = (unsigned)__builtin_popcount(hw2);
        return 1 + n + ((hw1 & 0x0010u) && (hw2 & 0x8000u) ? 2 : 0);
    }
    if ((hw1 & 0xFE40u) == 0xE840u)                      /* LDRD / STRD */
        return 3;
    if ((hw1 & 0xFE00u) == 0xF800u)                      /* load / store single */
        return 2;
    if ((hw1 & 0xF800u) == 0xF000u && (hw2 & 0x8000u)) {
        bool misc = (hw1 & 0x0380u) == 0x0380u && (hw2 & 0x5000u) == 0;
        return misc ? 1 : 2;                             /* B.W, B<c>.W, BL vs MSR/MRS/hints */
    }
    if ((hw1 & 0xFFD0u) == 0xFB90u && (hw2 & 0x00F0u) == 0x00F0u)
        return 7;                                        /* SDIV / UDIV */
    if (is_fp(hw1, hw2)) {
        if ((hw1 & 0xFF20u) == 0xED00u)
            return 2;                                    /* VLDR / VSTR */
        if ((hw1 & 0xFE00u) == 0xEC00u && (hw1 & 0x01E0u) != 0x0040u) {
            unsigned words = hw2 & 0xFFu;                /* VLDM / VSTM / VPUSH / VPOP */
            return 1 + (words ? words : 1);
        }
        if ((hw1 & 0xFFB0u) == 0xEE80u && (hw2 & 0x0F50u) == 0x0A00u)
            return 14;                                   /* VDIV */
        if ((hw1 & 0xFFBFu) == 0xEEB1u && (hw2 & 0x0FD0u) == 0x0AC0u)
            return 14;                                   /* VSQRT */
    }
    return 1;
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
    uint32_t off = 0;
    while (off < size) {
        if (budget >= 0 && (int64_t)b->cycles >= budget)
            break;
        if (fp_stop >= 0 && off >= (uint32_t)fp_stop)
            break;
        uint16_t hw1 = 0, hw2 = 0;
        if (!fetch16(s, addr + off, &hw1))
            break;
        unsigned len = 2, c;
        if (is_wide(hw1)) {
            if (!fetch16(s, addr + off + 2, &hw2))
                break;
            len = 4;
            c = cost32(hw1, hw2);
            if (b->fp_off < 0 && is_fp(hw1, hw2))
                b->fp_off = (int16_t)off;
        } else {
            c = cost16(hw1);
            if (off == 0 && size == 2 && hw1 == 0xE7FEu)
                b->selfloop = true;
        }
        b->cycles += c;
        b->insns++;
        off += len;
    }
    if (cut)
        *cut = off;
}

const struct core_block *core_block_get(struct qsim *s, uint32_t addr, uint32_t size)
{
    struct core_block *b = &s->blocks[((addr >> 1) ^ (addr >> 13)) & (CORE_BLOCK_CACHE - 1)];
    if (b->valid && b->addr == addr && b->size == size)
        return b;
    decode(s, addr, size, b, -1, -1, NULL);
    uint16_t hw1 = 0, hw2 = 0;
    b->after_msr_basepri = fetch16(s, addr - 4, &hw1) && fetch16(s, addr - 2, &hw2) &&
                           (hw1 & 0xFFF0u) == 0xF380u && (hw2 == 0x8811u || hw2 == 0x8812u);
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

void core_blocks_flush(struct qsim *s)
{
    memset(s->blocks, 0, sizeof(struct core_block) * CORE_BLOCK_CACHE);
}
