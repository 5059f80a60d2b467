/*
 * The address of the instruction that made a bad data access.
 *
 * Unicorn 2.0.1 only keeps the PC exact with a per-instruction code hook,
 * which quartz-sim does not install; after a refused access it reports the
 * start of the translated block. The registers are those the faulting
 * instruction used: TCG writes the guest registers back before a memory
 * access that may fault, and an instruction writes its base back (and a
 * load its target) only after its accesses (except the registers an LDM,
 * POP or LDRD loaded before a later word faulted: an LDM keeps a loaded
 * base aside, an LDRD whose first target is its base loses it). So every
 * earlier instruction of the block has run and the faulting one has not
 * changed its address registers.
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
 * data processing overwrote; or when an earlier load's target, untouched
 * since, does not hold what memory holds at its address (it did not run).
 * The first candidate not refuted is the faulting instruction, unless a
 * later one shows that the first ran (see core_fault_pc_find). This tells
 * `ldr r1, [r3], #4; str r1, [r0]` apart (a load cannot be the faulting
 * write) and `ldr r1, [r0]; ldr r2, [r0]` (the first would have faulted).
 */
#include "core/core.h"
#include "core/faultpc.h"

/* The access of `i` from registers `r`; false when a register it needs is not known. */
static bool address(const struct core_fault_insn *i, const uint32_t *r, uint16_t known, uint32_t *addr)
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
static bool hits(const struct core_fault_insn *i, const uint32_t *r, uint16_t known, uint32_t bad, enum core_fault_access type)
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
    uint32_t span_lo[CORE_FAULT_MAX_INSNS], span_len[CORE_FAULT_MAX_INSNS];
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
static int load_check(const struct core_fault_site *f, const struct core_fault_insn *i, uint32_t a, const struct since *w)
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
static bool refuted(const struct core_fault_site *f, const struct core_fault_insn *in, unsigned c, unsigned to, bool *confirmed)
{
    uint32_t r[15];
    uint16_t known = CORE_FAULT_ALL_REGS;
    /* A single load writes its target after its access; an LDM, POP or
     * LDRD that faulted midway may have loaded some of its registers. */
    bool several = in[c].list || in[c].rt2 >= 0;
    struct since w = {.pristine = (uint16_t)(CORE_FAULT_ALL_REGS & ~(several ? in[c].clobbers : 0u))};
    for (unsigned k = 0; k < 15; k++)
        r[k] = f->regs[k];
    for (unsigned j = c; j-- > to;) {
        const struct core_fault_insn *i = &in[j];
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
    struct core_fault_insn in[CORE_FAULT_MAX_INSNS];
    unsigned n = core_fault_decode(f->code, f->halfwords, f->block, in);
    bool ok[CORE_FAULT_MAX_INSNS];
    int first = -1, any = -1, pick = -1;
    for (unsigned c = 0; c < n; c++) {
        ok[c] = false;
        if (any < 0 && hits(&in[c], f->regs, CORE_FAULT_ALL_REGS, f->bad, CORE_ACCESS_ANY))
            any = (int)c;
        if (!hits(&in[c], f->regs, CORE_FAULT_ALL_REGS, f->bad, f->type))
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
    uint16_t code[CORE_FAULT_MAX_INSNS * 2];
    struct core_fault_site f = {.code = code, .block = block, .flash = s->flash, .sram = s->sram, .bad = bad};
    /* A block ends before an instruction that would cross a 1 KB page of
     * Unicorn's ARM target (TARGET_PAGE_BITS 10 for M-profile). */
    uint32_t page_left = (0x400u - (block & 0x3FFu)) / 2u;
    while (f.halfwords < CORE_FAULT_MAX_INSNS * 2 && f.halfwords < page_left &&
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
