/*
 * Peripheral regions on Unicorn's MMIO pages. Unicorn maps whole 1 KB pages;
 * a region that is page-aligned gets its own mapping, smaller regions that
 * share a page (ADC1/ADC2/ADC3/ADC common) go through a page dispatcher.
 * A region whose RCC enable bit is clear reads as zero and drops writes, as
 * on silicon, and the access is counted in the report.
 */
#include <stdlib.h>
#include <string.h>

#include "core/core.h"

struct mmio_ctx {
    struct qsim *s;
    struct mmio_region *region; /* NULL: dispatch through `page` */
    struct mmio_page *page;
};

static struct mmio_region *find(struct mmio_ctx *c, uint32_t addr)
{
    if (c->region)
        return c->region;
    for (int i = 0; i < c->page->count; i++) {
        struct mmio_region *r = c->page->regions[i];
        if (addr - r->base < r->size)
            return r;
    }
    return NULL;
}

static bool gated(struct qsim *s, struct mmio_region *r)
{
    if (!r->clock_enr || (*r->clock_enr & r->clock_bit))
        return false;
    r->gated++;
    (void)s;
    return true;
}

/* A hole inside a mapped page: reserved address, a bus error on silicon. */
static void hole(struct qsim *s, uint32_t addr)
{
    s->imprecise = true; /* BusFault IMPRECISERR: the write buffer hides the PC */
    sim_warn(s, "access to reserved address 0x%08x", addr);
    core_request_check(s);
}

static uint64_t mmio_read(uc_engine *uc, uint64_t offset, unsigned size, void *user)
{
    struct mmio_ctx *c = user;
    (void)uc;
    uint32_t base = c->region ? c->region->base : c->page->base;
    uint32_t addr = base + (uint32_t)offset;
    struct mmio_region *r = find(c, addr);
    if (!r) {
        hole(c->s, addr);
        return 0;
    }
    if (gated(c->s, r))
        return 0;
    if (!r->ops) {
        sim_unmodeled(c->s, addr, false);
        return 0;
    }
    return r->ops->read(r->dev, addr - r->base, size);
}

static void mmio_write(uc_engine *uc, uint64_t offset, unsigned size, uint64_t value, void *user)
{
    struct mmio_ctx *c = user;
    (void)uc;
    uint32_t base = c->region ? c->region->base : c->page->base;
    uint32_t addr = base + (uint32_t)offset;
    struct mmio_region *r = find(c, addr);
    if (!r) {
        hole(c->s, addr);
        return;
    }
    if (gated(c->s, r))
        return;
    if (!r->ops) {
        sim_unmodeled(c->s, addr, true);
        return;
    }
    r->ops->write(r->dev, addr - r->base, (uint32_t)value, size);
}

static struct mmio_ctx *ctx_new(struct qsim *s, struct mmio_region *r, struct mmio_page *p)
{
    struct mmio_ctx *c = calloc(1, sizeof *c);
    if (c) {
        c->s = s;
        c->region = r;
        c->page = p;
    }
    return c;
}

static void map_page_region(struct qsim *s, struct mmio_region *r)
{
    uint32_t page_base = r->base & ~(CORE_PAGE - 1);
    struct mmio_page *p = NULL;
    for (int i = 0; i < s->page_count; i++)
        if (s->pages[i]->base == page_base)
            p = s->pages[i];
    if (!p) {
        if (s->page_count == (int)(sizeof s->pages / sizeof s->pages[0]))
            return;
        p = calloc(1, sizeof *p);
        struct mmio_ctx *c = p ? ctx_new(s, NULL, p) : NULL;
        if (!c) {
            free(p);
            return;
        }
        p->base = page_base;
        if (uc_mmio_map(s->uc, page_base, CORE_PAGE, mmio_read, c, mmio_write, c) != UC_ERR_OK) {
            free(c);
            free(p);
            sim_warn(s, "cannot map page 0x%08x", page_base);
            return;
        }
        p->ctx = c;
        s->pages[s->page_count++] = p;
    }
    if (p->count < (int)(sizeof p->regions / sizeof p->regions[0]))
        p->regions[p->count++] = r;
}

void sim_mmio_map(sim_t *s, const char *name, uint32_t base, uint32_t size, const struct sim_mmio_ops *ops,
                  void *dev, const uint32_t *clock_enr, uint32_t clock_bit)
{
    if (s->region_count == (int)(sizeof s->regions / sizeof s->regions[0])) {
        sim_warn(s, "too many peripheral regions: %s not mapped", name);
        return;
    }
    struct mmio_region *r = calloc(1, sizeof *r);
    if (!r)
        return;
    *r = (struct mmio_region){name, base, size, ops, dev, clock_enr, clock_bit, 0, NULL};
    s->regions[s->region_count++] = r;
    if ((base % CORE_PAGE) == 0 && (size % CORE_PAGE) == 0) {
        struct mmio_ctx *c = ctx_new(s, r, NULL);
        uc_err err = c ? uc_mmio_map(s->uc, base, size, mmio_read, c, mmio_write, c) : UC_ERR_NOMEM;
        if (err != UC_ERR_OK) {
            free(c);
            sim_warn(s, "cannot map %s at 0x%08x: %s", name, base, uc_strerror(err));
            return;
        }
        r->ctx = c;
    } else {
        map_page_region(s, r);
    }
}

void core_mmio_free(struct qsim *s)
{
    for (int i = 0; i < s->region_count; i++) {
        free(s->regions[i]->ctx);
        free(s->regions[i]);
    }
    for (int i = 0; i < s->page_count; i++) {
        free(s->pages[i]->ctx);
        free(s->pages[i]);
    }
    s->region_count = s->page_count = 0;
}

void core_mmio_reset_counts(struct qsim *s)
{
    for (int i = 0; i < s->region_count; i++)
        s->regions[i]->gated = 0;
}
