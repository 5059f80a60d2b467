/*
 * Debugger support (docs/debugging.md): registers, side-effect-free memory
 * access, breakpoints and single steps for the GDB server.
 *
 * Breakpoints need no change to the code and no Unicorn code hook: the
 * block hook (cpu.c, on_block) already sees every translated block when it
 * is about to run, cached or new, so a breakpoint set on code that has
 * already been translated is found there as well. A breakpoint at the start
 * of a block stops before the block; one inside a block (and the end of a
 * single step) uses the partial run that cuts a block at an instruction
 * boundary for the cycle budget, so cycle counts stay exact.
 */
#include <errno.h>
#include <string.h>

#include "core/core.h"

static const int core_regs[] = {
    UC_ARM_REG_R0, UC_ARM_REG_R1, UC_ARM_REG_R2, UC_ARM_REG_R3, UC_ARM_REG_R4, UC_ARM_REG_R5,
    UC_ARM_REG_R6, UC_ARM_REG_R7, UC_ARM_REG_R8, UC_ARM_REG_R9, UC_ARM_REG_R10, UC_ARM_REG_R11,
    UC_ARM_REG_R12, UC_ARM_REG_SP, UC_ARM_REG_LR, UC_ARM_REG_PC, UC_ARM_REG_XPSR,
    UC_ARM_REG_MSP, UC_ARM_REG_PSP, UC_ARM_REG_PRIMASK, UC_ARM_REG_BASEPRI, UC_ARM_REG_FAULTMASK,
    UC_ARM_REG_CONTROL,
};

static int uc_reg_of(int reg)
{
    if (reg >= QSIM_REG_R0 && reg <= QSIM_REG_CONTROL)
        return core_regs[reg];
    if (reg >= QSIM_REG_D0 && reg <= QSIM_REG_D15)
        return UC_ARM_REG_D0 + (reg - QSIM_REG_D0);
    if (reg == QSIM_REG_FPSCR)
        return UC_ARM_REG_FPSCR;
    return -1;
}

int qsim_reg_read(struct qsim *s, int reg, uint64_t *value)
{
    int r = uc_reg_of(reg);
    if (r < 0)
        return -EINVAL;
    if (reg == QSIM_REG_PC) {
        *value = s->pc; /* Unicorn's PC is stale between runs: s->pc is where the next one starts */
        return 0;
    }
    uint64_t v = 0;
    bool special = reg >= QSIM_REG_MSP && reg <= QSIM_REG_CONTROL;
    /* A debugger sees the special registers whatever the code's privilege:
     * Unicorn's unprivileged reads give 0 (priv.c). */
    uint32_t npriv = special ? core_priv_begin(s) : 0;
    uc_reg_read(s->uc, r, &v);
    core_priv_end(s, npriv);
    if (reg == QSIM_REG_CONTROL)
        v |= npriv;
    *value = reg >= QSIM_REG_D0 && reg <= QSIM_REG_D15 ? v : (uint32_t)v;
    return 0;
}

int qsim_reg_write(struct qsim *s, int reg, uint64_t value)
{
    int r = uc_reg_of(reg);
    if (r < 0)
        return -EINVAL;
    if (reg == QSIM_REG_PC) {
        s->pc = (uint32_t)value & ~1u;
        s->partial = false;
        return 0;
    }
    if (reg == QSIM_REG_XPSR) /* IPSR belongs to the core (exc.c keeps s->ipsr) */
        value = ((uint32_t)value & ~0x1FFu) | s->ipsr;
    bool special = reg >= QSIM_REG_MSP && reg <= QSIM_REG_CONTROL;
    /* Unprivileged Thread mode ignores MSR writes; a debugger's go through
     * (priv.c). CONTROL's written value decides nPRIV itself. */
    uint32_t npriv = special ? core_priv_begin(s) : 0;
    if (reg == QSIM_REG_CONTROL) {
        value &= 0x7u; /* nPRIV, SPSEL, FPCA (B1.4.4) */
        npriv = 0;
        if (value & 1u)
            s->npriv_maybe = true;
    }
    uc_err e = uc_reg_write(s->uc, r, &value);
    core_priv_end(s, npriv);
    if (special || reg == QSIM_REG_XPSR)
        core_priv_sync(s); /* Unicorn's cached privilege (hflags) follows */
    return e == UC_ERR_OK ? 0 : -EINVAL;
}

static uint8_t *host_ram(struct qsim *s, uint32_t addr, size_t len, bool *code)
{
    *code = true;
    if (addr < CORE_FLASH_SIZE && len <= CORE_FLASH_SIZE - addr)
        return s->flash_alias + addr;
    if (addr - CORE_FLASH_BASE < CORE_FLASH_SIZE && len <= CORE_FLASH_SIZE - (addr - CORE_FLASH_BASE))
        return s->flash + (addr - CORE_FLASH_BASE);
    if (addr - CORE_SRAM_BASE < CORE_SRAM_SIZE && len <= CORE_SRAM_SIZE - (addr - CORE_SRAM_BASE))
        return s->sram + (addr - CORE_SRAM_BASE);
    *code = false;
    if (addr - CORE_SYSMEM_BASE < CORE_SYSMEM_SIZE && len <= CORE_SYSMEM_SIZE - (addr - CORE_SYSMEM_BASE))
        return s->sysmem + (addr - CORE_SYSMEM_BASE);
    if (addr - CORE_OPTION_BASE < CORE_PAGE && len <= CORE_PAGE - (addr - CORE_OPTION_BASE))
        return s->option + (addr - CORE_OPTION_BASE);
    return NULL;
}

/* Peripheral registers one access each: words where aligned, else bytes. */
static int mmio_span(struct qsim *s, uint32_t addr, uint8_t *buf, size_t len, bool write)
{
    size_t i = 0;
    while (i < len) {
        uint32_t a = addr + (uint32_t)i;
        unsigned size = (a & 3u) == 0 && len - i >= 4 ? 4 : (a & 1u) == 0 && len - i >= 2 ? 2 : 1;
        uint32_t v = 0;
        if (write) {
            for (unsigned k = 0; k < size; k++)
                v |= (uint32_t)buf[i + k] << (8 * k);
            if (!core_mmio_debug_write(s, a, size, v))
                return -EFAULT;
        } else {
            if (!core_mmio_debug_read(s, a, size, &v))
                return -EFAULT;
            for (unsigned k = 0; k < size; k++)
                buf[i + k] = (uint8_t)(v >> (8 * k));
        }
        i += size;
    }
    return 0;
}

int qsim_debug_read(struct qsim *s, uint32_t address, void *buf, size_t len)
{
    bool code;
    if (len == 0)
        return 0;
    const uint8_t *p = host_ram(s, address, len, &code);
    if (p) {
        memcpy(buf, p, len);
        return 0;
    }
    return mmio_span(s, address, buf, len, false);
}

int qsim_debug_write(struct qsim *s, uint32_t address, const void *buf, size_t len)
{
    bool code;
    if (len == 0)
        return 0;
    uint8_t *p = host_ram(s, address, len, &code);
    if (!p)
        return mmio_span(s, address, (uint8_t *)buf, len, true);
    if (!code)
        return -EFAULT; /* system memory and option bytes are read-only here */
    memcpy(p, buf, len);
    /* Flash is mapped twice (core_cpu_init): keep the alias a copy. */
    if (address < CORE_FLASH_SIZE)
        memcpy(s->flash + address, buf, len);
    else if (address - CORE_FLASH_BASE < CORE_FLASH_SIZE)
        memcpy(s->flash_alias + (address - CORE_FLASH_BASE), buf, len);
    /* Code may have changed: drop its translations and cycle costs. */
    uint32_t off = address < CORE_FLASH_SIZE ? address : address - CORE_FLASH_BASE;
    if (address - CORE_SRAM_BASE >= CORE_SRAM_SIZE) {
        uc_ctl_remove_cache(s->uc, off, (uint64_t)off + len);
        uc_ctl_remove_cache(s->uc, (uint64_t)CORE_FLASH_BASE + off, (uint64_t)CORE_FLASH_BASE + off + len);
    } else {
        uc_ctl_remove_cache(s->uc, address, (uint64_t)address + len);
    }
    core_blocks_flush(s);
    memset(s->kept_cuts, 0, sizeof s->kept_cuts);
    return 0;
}

static void update_active(struct qsim *s)
{
    s->debug_active = s->dbg.nbp > 0 || s->dbg.step || s->dbg.nwatch > 0;
}

/*
 * Memory hook while watchpoints are set. It does not stop Unicorn itself
 * (a stop from inside an access repeats the access, cpu.c): it asks
 * on_block to stop before the next block, so the block with the access
 * completes and is counted whole.
 */
static void on_access(uc_engine *uc, uc_mem_type type, uint64_t address, int size, int64_t value, void *user)
{
    struct qsim *s = user;
    (void)uc;
    (void)value;
    int kind = type == UC_MEM_WRITE ? QSIM_WATCH_WRITE : QSIM_WATCH_READ;
    uint32_t a = (uint32_t)address;
    for (unsigned i = 0; i < s->dbg.nwatch; i++) {
        uint32_t w = s->dbg.watch[i].addr;
        if ((s->dbg.watch[i].kind & kind) && a < w + s->dbg.watch[i].len && w < a + (uint32_t)size &&
            !s->dbg.watch_hit) {
            s->dbg.watch_hit = true;
            s->dbg.hit_addr = w;
            s->dbg.hit_kind = s->dbg.watch[i].kind;
            s->stop_next = true;
        }
    }
}

/* Translated code calls memory hooks only when it was translated with
 * them: drop all translations when the hook comes or goes. */
static void retranslate(struct qsim *s)
{
    uc_ctl_remove_cache(s->uc, 0, CORE_FLASH_SIZE);
    uc_ctl_remove_cache(s->uc, CORE_FLASH_BASE, (uint64_t)CORE_FLASH_BASE + CORE_FLASH_SIZE);
    uc_ctl_remove_cache(s->uc, CORE_SRAM_BASE, (uint64_t)CORE_SRAM_BASE + CORE_SRAM_SIZE);
    memset(s->kept_cuts, 0, sizeof s->kept_cuts);
}

int qsim_watch_insert(struct qsim *s, uint32_t address, uint32_t len, enum qsim_watch kind)
{
    if (len == 0 || kind < QSIM_WATCH_WRITE || kind > QSIM_WATCH_ACCESS)
        return -EINVAL;
    if (s->dbg.nwatch == CORE_MAX_WATCH)
        return -ENOSPC;
    if (s->dbg.nwatch == 0) {
        if (uc_hook_add(s->uc, &s->dbg.watch_hook, UC_HOOK_MEM_READ | UC_HOOK_MEM_WRITE, (void *)on_access, s, 1,
                        0) != UC_ERR_OK)
            return -ENOMEM;
        retranslate(s);
    }
    s->dbg.watch[s->dbg.nwatch].addr = address;
    s->dbg.watch[s->dbg.nwatch].len = len;
    s->dbg.watch[s->dbg.nwatch].kind = kind;
    s->dbg.nwatch++;
    update_active(s);
    return 0;
}

int qsim_watch_remove(struct qsim *s, uint32_t address, uint32_t len, enum qsim_watch kind)
{
    for (unsigned i = 0; i < s->dbg.nwatch; i++) {
        if (s->dbg.watch[i].addr == address && s->dbg.watch[i].len == len && s->dbg.watch[i].kind == (int)kind) {
            s->dbg.watch[i] = s->dbg.watch[--s->dbg.nwatch];
            if (s->dbg.nwatch == 0) {
                uc_hook_del(s->uc, s->dbg.watch_hook);
                retranslate(s);
            }
            update_active(s);
            return 0;
        }
    }
    return -ENOENT;
}

bool qsim_watch_hit(const struct qsim *s, uint32_t *address, enum qsim_watch *kind)
{
    if (!s->dbg.halted || !s->dbg.watch_hit)
        return false;
    *address = s->dbg.hit_addr;
    *kind = (enum qsim_watch)s->dbg.hit_kind;
    return true;
}

int qsim_break_insert(struct qsim *s, uint32_t address)
{
    address &= ~1u;
    for (unsigned i = 0; i < s->dbg.nbp; i++)
        if (s->dbg.bp[i] == address)
            return 0;
    if (s->dbg.nbp == CORE_MAX_BREAK)
        return -ENOSPC;
    s->dbg.bp[s->dbg.nbp++] = address;
    update_active(s);
    return 0;
}

int qsim_break_remove(struct qsim *s, uint32_t address)
{
    address &= ~1u;
    for (unsigned i = 0; i < s->dbg.nbp; i++) {
        if (s->dbg.bp[i] == address) {
            s->dbg.bp[i] = s->dbg.bp[--s->dbg.nbp];
            update_active(s);
            return 0;
        }
    }
    return -ENOENT;
}

void qsim_step(struct qsim *s)
{
    s->dbg.step = true;
    s->dbg.step_insns = s->insns;
    update_active(s);
}

bool qsim_halted(const struct qsim *s)
{
    return s->dbg.halted;
}

/* Breakpoints compare in the firmware's view: code run through the flash
 * alias at 0 (a partial run, cpu.c) is the code at 0x08000000. */
static uint32_t key(uint32_t addr)
{
    return addr < CORE_FLASH_SIZE ? addr + CORE_FLASH_BASE : addr;
}

static bool break_at(const struct qsim *s, uint32_t addr)
{
    for (unsigned i = 0; i < s->dbg.nbp; i++)
        if (s->dbg.bp[i] == key(addr))
            return true;
    return false;
}

static uint32_t insn_len(struct qsim *s, uint32_t addr)
{
    uint32_t hw = 0;
    if (!core_mem_read32(s, addr & ~3u, &hw))
        return 2;
    uint16_t hw1 = (uint16_t)(addr & 2u ? hw >> 16 : hw);
    return (hw1 >> 11) >= 0x1Du ? 4 : 2; /* ARMv7-M A5.1: 0b11101, 0b11110, 0b11111 are 32-bit */
}

/*
 * on_block, for a block about to run (not a partial run): stop before it
 * at a breakpoint, or cut it before a breakpoint inside it or after the
 * one instruction of a step. Returns true when it stopped the run. A cut
 * the cycle budget or an FP instruction makes first is left to on_block:
 * the rest of the block comes back here as a block of its own.
 */
bool core_debug_block(struct qsim *s, uint32_t addr, uint32_t size, const struct core_block *b, uint64_t cost)
{
    bool skip = s->dbg.skip_armed && key(addr) == s->dbg.skip_pc;
    s->dbg.skip_armed = false;
    if (!skip && !s->dbg.step && break_at(s, addr)) {
        s->stop = STOP_DEBUG;
        uc_emu_stop(s->uc);
        return true;
    }
    uint32_t cut = 0;
    if (s->dbg.step) {
        uint32_t len = insn_len(s, addr);
        if (len < size)
            cut = addr + len;
        else
            s->stop_next = true; /* a one-instruction block: stop after it */
    }
    for (unsigned i = 0; i < s->dbg.nbp; i++) {
        uint32_t bp = s->dbg.bp[i] - (addr < CORE_FLASH_SIZE ? CORE_FLASH_BASE : 0);
        if (bp > addr && bp < addr + size && (!cut || bp < cut))
            cut = bp;
    }
    if (!cut)
        return false;
    if (s->cycles + cost > s->stop_cycles) {
        int64_t budget = (int64_t)(s->stop_cycles - s->cycles) - (int64_t)(cost - b->cycles);
        if (core_block_cut(s, addr, size, budget < 1 ? 1 : budget, -1) <= cut)
            return false;
    }
    if (s->scs.fp_denied && b->fp_off >= 0 && addr + (uint32_t)b->fp_off <= cut)
        return false;
    s->partial_until = cut;
    s->partial_then = STOP_DEBUG;
    s->stop = STOP_PARTIAL;
    uc_emu_stop(s->uc);
    return true;
}

/* qsim_run_until begins: a run from a halt does not stop at once on the
 * breakpoint it halted at. */
void core_debug_resume(struct qsim *s)
{
    s->dbg.watch_hit = false;
    if (!s->dbg.halted)
        return;
    s->dbg.halted = false;
    s->dbg.skip_armed = true;
    s->dbg.skip_pc = key(s->pc);
}

/* After a slice: has the debugger's stop come (a breakpoint, or the step's
 * instruction done)? Never in the middle of a partial run. */
bool core_debug_slice_done(struct qsim *s)
{
    if (s->partial)
        return false;
    if ((s->dbg.step && s->insns != s->dbg.step_insns) || s->dbg.watch_hit)
        s->dbg.halted = true;
    if (s->dbg.halted) {
        s->dbg.step = false;
        update_active(s);
    }
    return s->dbg.halted;
}
