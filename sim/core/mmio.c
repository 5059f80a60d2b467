/*
 * Peripheral regions on Unicorn's MMIO pages. Unicorn maps whole 1 KB
 * pages. Models register their regions while the board is built; the core
 * then maps each run of consecutive pages that hold regions as one Unicorn
 * mapping (core_mmio_commit) and finds the region from the page: Unicorn
 * looks up its mappings by bisection at every store and every MMIO access,
 * so fewer mappings are faster (and each one costs a TLB flush when made).
 * Addresses in a mapped page outside any region are holes (reserved); pages
 * without a region stay unmapped. Either is a bus error: precise for a
 * load, imprecise for a buffered store (faults.c). A region whose RCC
 * enable bit is clear reads as zero and drops writes, as on silicon, and
 * the access is counted in the report.
 */
#include <stdlib.h>
#include <string.h>

#include "core/core.h"

static struct mmio_region *find(struct mmio_run *run, uint32_t offset)
{
    const struct mmio_page *p = &run->page[offset / CORE_PAGE];
    uint32_t addr = run->base + offset;
    for (int i = 0; i < p->count; i++) {
        struct mmio_region *r = p->regions[i];
        if (addr - r->base < r->size)
            return r;
    }
    return NULL;
}

static bool gated(struct mmio_region *r)
{
    if (!r->clock_enr || (*r->clock_enr & r->clock_bit))
        return false;
    r->gated++;
    return true;
}

/* A hole inside a mapped page: a reserved address, a bus error on silicon.
 * Loads fault precisely; stores go through the write buffer (faults.c). */
static void hole(struct qsim *s, uint32_t addr, bool write)
{
    if (write && core_hole_write(s, addr))
        return;
    core_precise_stop(s, addr, write);
}

static uint64_t mmio_read(uc_engine *uc, uint64_t offset, unsigned size, void *user)
{
    struct mmio_run *run = user;
    (void)uc;
    uint32_t addr = run->base + (uint32_t)offset;
    if (run->s->mpu.ctx != MPU_CTX_NONE && core_mpu_mmio_denied(run->s, addr, size, false))
        return 0; /* MemManage: the MPU decides before the bus (mpu_map.c) */
    struct mmio_region *r = find(run, (uint32_t)offset);
    if (!r) {
        hole(run->s, addr, false);
        return 0;
    }
    if (gated(r))
        return 0;
    if (!r->ops) {
        sim_unmodeled(run->s, addr, false);
        return 0;
    }
    return r->ops->read(r->dev, addr - r->base, size);
}

static void mmio_write(uc_engine *uc, uint64_t offset, unsigned size, uint64_t value, void *user)
{
    struct mmio_run *run = user;
    (void)uc;
    uint32_t addr = run->base + (uint32_t)offset;
    if (run->s->mpu.ctx != MPU_CTX_NONE && core_mpu_mmio_denied(run->s, addr, size, true))
        return;
    struct mmio_region *r = find(run, (uint32_t)offset);
    if (!r) {
        hole(run->s, addr, true);
        return;
    }
    if (gated(r))
        return;
    if (!r->ops) {
        sim_unmodeled(run->s, addr, true);
        return;
    }
    r->ops->write(r->dev, addr - r->base, (uint32_t)value, size);
}

static struct mmio_region *region_at(struct qsim *s, uint32_t addr)
{
    for (int i = 0; i < s->run_count; i++) {
        struct mmio_run *run = s->runs[i];
        if (addr - run->base < run->pages * CORE_PAGE)
            return find(run, addr - run->base);
    }
    return NULL;
}

/*
 * Debugger access to a peripheral register (docs/debugging.md): a read
 * goes through the model's `peek` (no side effects; `read` when the model
 * has none, its reads having none), a write through `write` as a debug
 * port write would. A gated region reads 0 and is not counted. Returns
 * false for an address in no region (holes included).
 */
bool core_mmio_debug_read(struct qsim *s, uint32_t addr, unsigned size, uint32_t *value)
{
    struct mmio_region *r = region_at(s, addr);
    if (!r)
        return false;
    *value = 0;
    if (r->ops && (!r->clock_enr || (*r->clock_enr & r->clock_bit))) {
        s->peeking = true;
        *value = (r->ops->peek ? r->ops->peek : r->ops->read)(r->dev, addr - r->base, size);
        s->peeking = false;
    }
    return true;
}

bool core_mmio_debug_write(struct qsim *s, uint32_t addr, unsigned size, uint32_t value)
{
    struct mmio_region *r = region_at(s, addr);
    if (!r)
        return false;
    if (r->ops && (!r->clock_enr || (*r->clock_enr & r->clock_bit)))
        r->ops->write(r->dev, addr - r->base, value, size);
    return true;
}

/* A run's registers as the CPU reaches them (the bit-band alias, bitband.c). */
uint32_t core_mmio_run_read(struct mmio_run *run, uint32_t offset, unsigned size)
{
    return (uint32_t)mmio_read(NULL, offset, size, run);
}

void core_mmio_run_write(struct mmio_run *run, uint32_t offset, uint32_t value, unsigned size)
{
    mmio_write(NULL, offset, size, value, run);
}

static uint32_t first_page(const struct mmio_region *r)
{
    return r->base & ~(CORE_PAGE - 1);
}

static uint32_t end_page(const struct mmio_region *r) /* one past the last page */
{
    return (r->base + (r->size - 1)) / CORE_PAGE + 1;
}

static int by_base(const void *a, const void *b)
{
    const struct mmio_region *x = *(struct mmio_region *const *)a, *y = *(struct mmio_region *const *)b;
    return x->base < y->base ? -1 : x->base > y->base;
}

/* Map regions[0..n) (sorted by base, not overlapping) as runs of pages. */
static void map_runs(struct qsim *s, struct mmio_region **regions, int n)
{
    int i = 0;
    while (i < n) {
        /* A run: regions whose pages touch or follow each other. */
        uint32_t run_first = first_page(regions[i]) / CORE_PAGE, run_end = end_page(regions[i]);
        int j = i + 1;
        while (j < n && first_page(regions[j]) / CORE_PAGE <= run_end) {
            if (end_page(regions[j]) > run_end)
                run_end = end_page(regions[j]);
            j++;
        }
        uint32_t pages = run_end - run_first;
        struct mmio_run *run = calloc(1, sizeof *run + pages * sizeof run->page[0]);
        if (!run || s->run_count == (int)(sizeof s->runs / sizeof s->runs[0])) {
            free(run);
            sim_warn(s, "cannot map %s at 0x%08x: too many mappings", regions[i]->name, regions[i]->base);
            i = j;
            continue;
        }
        run->s = s;
        run->base = run_first * CORE_PAGE;
        run->pages = pages;
        for (int k = i; k < j; k++) {
            for (uint32_t p = first_page(regions[k]) / CORE_PAGE; p < end_page(regions[k]); p++) {
                struct mmio_page *pg = &run->page[p - run_first];
                if (pg->count < (int)(sizeof pg->regions / sizeof pg->regions[0]))
                    pg->regions[pg->count++] = regions[k];
            }
        }
        uc_err err = uc_mmio_map(s->uc, run->base, (size_t)pages * CORE_PAGE, mmio_read, run, mmio_write, run);
        if (err != UC_ERR_OK) {
            sim_warn(s, "cannot map %s at 0x%08x: %s", regions[i]->name, regions[i]->base, uc_strerror(err));
            free(run);
        } else {
            s->runs[s->run_count++] = run;
        }
        i = j;
    }
}

/*
 * Map the regions registered since the last commit (all of them after the
 * board is built). A region overlapping another is not mapped (as Unicorn
 * refuses overlapping mappings).
 */
void core_mmio_commit(struct qsim *s)
{
    int n = s->region_count - s->mapped_count;
    if (n <= 0)
        return;
    struct mmio_region **sorted = malloc((size_t)n * sizeof *sorted);
    if (!sorted)
        return;
    memcpy(sorted, &s->regions[s->mapped_count], (size_t)n * sizeof *sorted);
    qsort(sorted, (size_t)n, sizeof *sorted, by_base);
    int kept = 0;
    for (int i = 0; i < n; i++) {
        struct mmio_region *r = sorted[i];
        bool clash = kept && r->base - sorted[kept - 1]->base < sorted[kept - 1]->size;
        for (int k = 0; !clash && k < s->mapped_count; k++) {
            const struct mmio_region *m = s->regions[k];
            clash = r->base - m->base < m->size || m->base - r->base < r->size;
        }
        if (clash)
            sim_warn(s, "cannot map %s at 0x%08x: overlaps another region", r->name, r->base);
        else
            sorted[kept++] = r;
    }
    map_runs(s, sorted, kept);
    free(sorted);
    s->mapped_count = s->region_count;
}

void sim_mmio_map(sim_t *s, const char *name, uint32_t base, uint32_t size, const struct sim_mmio_ops *ops,
                  void *dev, const uint32_t *clock_enr, uint32_t clock_bit)
{
    if (s->region_count == (int)(sizeof s->regions / sizeof s->regions[0])) {
        sim_warn(s, "too many peripheral regions: %s not mapped", name);
        return;
    }
    if (size == 0)
        return;
    struct mmio_region *r = calloc(1, sizeof *r);
    if (!r)
        return;
    *r = (struct mmio_region){name, base, size, ops, dev, clock_enr, clock_bit, 0};
    s->regions[s->region_count++] = r;
}

void core_mmio_free(struct qsim *s)
{
    for (int i = 0; i < s->region_count; i++)
        free(s->regions[i]);
    for (int i = 0; i < s->run_count; i++)
        free(s->runs[i]);
    s->region_count = s->run_count = s->mapped_count = 0;
}

void core_mmio_reset_counts(struct qsim *s)
{
    for (int i = 0; i < s->region_count; i++)
        s->regions[i]->gated = 0;
}

/* Host memory a bus master other than the CPU reaches (sim.h, sim_bus_read):
 * flash, its alias at 0 and SRAM; code run from SRAM and then rewritten by
 * a DMA would need Unicorn's translation cache dropped, which this does not. */
static uint8_t *bus_mem(struct qsim *s, uint32_t addr, unsigned size, bool *flash)
{
    *flash = true;
    if (addr < CORE_FLASH_SIZE && size <= CORE_FLASH_SIZE - addr)
        return s->flash + addr;
    if (addr - CORE_FLASH_BASE < CORE_FLASH_SIZE && size <= CORE_FLASH_SIZE - (addr - CORE_FLASH_BASE))
        return s->flash + (addr - CORE_FLASH_BASE);
    *flash = false;
    if (addr - CORE_SRAM_BASE < CORE_SRAM_SIZE && size <= CORE_SRAM_SIZE - (addr - CORE_SRAM_BASE))
        return s->sram + (addr - CORE_SRAM_BASE);
    return NULL;
}

bool sim_bus_read(sim_t *s, uint32_t addr, unsigned size, uint32_t *value)
{
    bool flash;
    const uint8_t *p = bus_mem(s, addr, size, &flash);
    *value = 0;
    if (p) {
        for (unsigned k = 0; k < size; k++)
            *value |= (uint32_t)p[k] << (8 * k);
        return true;
    }
    struct mmio_region *r = region_at(s, addr);
    if (!r)
        return false;
    if (!r->ops)
        sim_unmodeled(s, addr, false);
    else if (!gated(r))
        *value = r->ops->read(r->dev, addr - r->base, size);
    return true;
}

bool sim_bus_write(sim_t *s, uint32_t addr, unsigned size, uint32_t value)
{
    bool flash;
    uint8_t *p = bus_mem(s, addr, size, &flash);
    if (p) {
        if (flash)
            return false;
        for (unsigned k = 0; k < size; k++)
            p[k] = (uint8_t)(value >> (8 * k));
        return true;
    }
    struct mmio_region *r = region_at(s, addr);
    if (!r)
        return false;
    if (!r->ops)
        sim_unmodeled(s, addr, true);
    else if (!gated(r))
        r->ops->write(r->dev, addr - r->base, value, size);
    return true;
}
