/*
 * The flash array as the FLASH interface model sees it (sim.h,
 * "flash memory"). Flash is host memory mapped read-only into Unicorn
 * twice (at 0x08000000 and, for BOOT0 low, its copy at 0: core_cpu_init).
 *
 * A CPU store to it arrives here as a write-protection miss. Unicorn
 * cannot drop a store whose hook says "handled": it writes the value into
 * the host buffer right after the hook. So the core lets the chip's model
 * decide what the cells hold (program: old AND new, RM0390 3.5.4; or
 * unchanged, for a store the interface refuses), remembers that result,
 * and puts it back over Unicorn's raw store at the start of the next
 * translated block (on_block) and before the next slice. An instruction
 * of the same block that reads the very cells it just stored to would see
 * the raw value; programming code never does that (it waits for BSY first).
 *
 * Code that changed (a program, an erase) is translated and costed again:
 * its Unicorn translations and the block cache are dropped before the next
 * slice, never inside one.
 */
#include <string.h>

#include "core/core.h"

static uint8_t *array(struct qsim *s, uint32_t address, uint32_t *offset)
{
    if (address < CORE_FLASH_SIZE) {
        *offset = address;
        return s->flash_alias;
    }
    if (address - CORE_FLASH_BASE < CORE_FLASH_SIZE) {
        *offset = address - CORE_FLASH_BASE;
        return s->flash;
    }
    return NULL;
}

static void mark_dirty(struct qsim *s, uint32_t offset, uint32_t len)
{
    if (s->flash_dirty_hi <= s->flash_dirty_lo) {
        s->flash_dirty_lo = offset;
        s->flash_dirty_hi = offset + len;
        return;
    }
    if (offset < s->flash_dirty_lo)
        s->flash_dirty_lo = offset;
    if (offset + len > s->flash_dirty_hi)
        s->flash_dirty_hi = offset + len;
}

void sim_flash_set_store_hook(sim_t *s, sim_flash_store_fn fn, void *dev)
{
    s->flash_store = fn;
    s->flash_store_dev = dev;
}

void sim_flash_read(sim_t *s, uint32_t offset, void *buf, size_t len)
{
    if (offset < CORE_FLASH_SIZE && len <= CORE_FLASH_SIZE - offset)
        memcpy(buf, s->flash + offset, len);
}

void sim_flash_write(sim_t *s, uint32_t offset, const void *buf, size_t len)
{
    if (offset >= CORE_FLASH_SIZE || len > CORE_FLASH_SIZE - offset || len == 0)
        return;
    memcpy(s->flash + offset, buf, len);
    memcpy(s->flash_alias + offset, buf, len);
    mark_dirty(s, offset, (uint32_t)len);
}

bool core_flash_store(struct qsim *s, uint32_t address, int size, int64_t value)
{
    uint32_t offset;
    if (!s->flash_store || size < 1 || size > 4 || !array(s, address, &offset) ||
        offset + (uint32_t)size > CORE_FLASH_SIZE)
        return false;
    s->flash_store(s->flash_store_dev, offset, (unsigned)size, (uint32_t)value);
    /* What the cells hold now (the model may have programmed them), to put
     * back over the raw store Unicorn makes after this hook returns. */
    s->flash_fix.offset = offset;
    s->flash_fix.size = (uint8_t)size;
    memcpy(s->flash_fix.bytes, s->flash + offset, (size_t)size);
    s->flash_fix.pending = true;
    return true;
}

void core_flash_fixup(struct qsim *s)
{
    if (!s->flash_fix.pending)
        return;
    s->flash_fix.pending = false;
    memcpy(s->flash + s->flash_fix.offset, s->flash_fix.bytes, s->flash_fix.size);
    memcpy(s->flash_alias + s->flash_fix.offset, s->flash_fix.bytes, s->flash_fix.size);
}

void core_flash_retranslate(struct qsim *s)
{
    core_flash_fixup(s);
    if (s->flash_dirty_hi <= s->flash_dirty_lo)
        return;
    uint32_t lo = s->flash_dirty_lo, hi = s->flash_dirty_hi;
    s->flash_dirty_lo = s->flash_dirty_hi = 0;
    uc_ctl_remove_cache(s->uc, lo, hi);
    uc_ctl_remove_cache(s->uc, (uint64_t)CORE_FLASH_BASE + lo, (uint64_t)CORE_FLASH_BASE + hi);
    core_blocks_flush(s);
    memset(s->kept_cuts, 0, sizeof s->kept_cuts);
}

void sim_flash_stall_until(sim_t *s, uint64_t due_ps)
{
    if (due_ps > s->flash_stall_ps)
        s->flash_stall_ps = due_ps;
    core_request_check(s);
}

/* The CPU runs from flash (the usual case): its fetches wait for the array. */
bool core_flash_stalls(struct qsim *s)
{
    if (s->flash_stall_ps <= sim_now_ps(s))
        return false;
    uint32_t pc = s->pc;
    return pc < CORE_FLASH_SIZE || pc - CORE_FLASH_BASE < CORE_FLASH_SIZE;
}
