/*
 * Enforcing the MPU's decisions (mpu.c) on Unicorn, at no cost while
 * MPU_CTRL.ENABLE = 0 and little while it is set:
 *   - data accesses to flash, its alias, system memory and SRAM: Unicorn's
 *     own page permissions (uc_mem_protect on its 1 KB pages), set for the
 *     context the core is in (privileged, unprivileged, MPU not applied)
 *     and set again when that context or an MPU register changes. A page
 *     the MPU allows whole keeps its mapping's permissions and runs at full
 *     speed; a page it denies whole, or allows only in part (regions and
 *     subregions smaller than a page), loses them, so that each access
 *     there reaches on_bad_mem and is decided here, per access; except
 *     SRAM pages a context may read only in part where nothing may
 *     execute: those are mapped as MMIO (split_data), each access decided
 *     in a callback, without the TLB flush an allowed read costs above;
 *   - peripherals (MMIO): the decision in the MMIO callback;
 *   - instruction fetches: in the block hook, before the block runs, for
 *     every instruction the block holds.
 * Unicorn 2.0.1 (measured): an access refused by the permission hook
 * (returning false) has no effect and the load does not write its
 * register; a write the hook accepts is NOT done by Unicorn, so the core
 * does it; a read the hook accepts fills Unicorn's TLB for the page, and
 * later reads of that page are not seen until the TLB is flushed.
 * Unicorn keeps one TLB per MMU index, privileged and unprivileged apart
 * (the core keeps Unicorn's privilege in step, core_priv_sync), so an
 * entry filled by a privileged read never serves unprivileged code: a
 * change of privilege needs no flush. A flush is needed where the same
 * context may be refused later on a page in its TLB: a page it may not
 * read whole (at the end of the block, `reprotect`), and every page that
 * reached the hook when the MPU registers change or the MPU stops or
 * starts applying (tlb_filled).
 */
#include <string.h>

#include "core/core.h"

#define FULL(p) (p)            /* permission allowed on the whole page */
#define ANY(p) ((p) << 4)      /* permission allowed somewhere on the page */
#define NO_PAGE 0xFFFFFFFFu    /* x_page: none (page numbers are below 1 << 22) */

_Static_assert(CORE_MPU_SRAM_PAGES * CORE_PAGE == CORE_SRAM_SIZE, "mmio[]: one entry per SRAM page");

struct area {
    uint32_t base, pages, perms;
};

/* The RAM-like mappings of core_cpu_init, in page order of `page[]`. */
static const struct area areas[] = {
    {0, CORE_FLASH_SIZE / CORE_PAGE, UC_PROT_READ | UC_PROT_EXEC},
    {CORE_FLASH_BASE, CORE_FLASH_SIZE / CORE_PAGE, UC_PROT_READ | UC_PROT_EXEC},
    {CORE_SYSMEM_BASE, CORE_SYSMEM_SIZE / CORE_PAGE, UC_PROT_READ | UC_PROT_EXEC},
    {CORE_OPTION_BASE, 1, UC_PROT_READ},
    {CORE_SRAM_BASE, CORE_SRAM_SIZE / CORE_PAGE, UC_PROT_ALL},
};
#define AREAS (sizeof areas / sizeof areas[0])

/* Index of addr's page in page[], -1 outside the areas; *a its area. */
static int page_index(uint32_t addr, const struct area **a)
{
    int first = 0;
    for (unsigned i = 0; i < AREAS; i++) {
        uint32_t off = addr - areas[i].base;
        if (off < areas[i].pages * CORE_PAGE) {
            if (a)
                *a = &areas[i];
            return first + (int)(off / CORE_PAGE);
        }
        first += (int)areas[i].pages;
    }
    return -1;
}

/* Whether the MPU's answer can change inside [page, page + 1 KB). */
static bool page_uniform(const struct core_mpu *m, uint32_t page)
{
    for (int r = 0; r < CORE_MPU_REGIONS; r++) {
        uint32_t rasr = m->rasr[r];
        if (!(rasr & 1u))
            continue;
        unsigned n = ((rasr >> 1) & 0x1Fu) + 1u;
        if (n < 10) {                          /* smaller than a page */
            if (((m->rbar[r] & ~(CORE_PAGE - 1)) == page))
                return false;
        } else if (n < 13 && (rasr & 0xFF00u)) { /* subregions smaller than a page */
            uint32_t mask = ~((1u << n) - 1u);
            if ((page & mask) == (m->rbar[r] & mask))
                return false;
        }
    }
    return true;
}

static uint8_t page_state(const struct core_mpu *m, uint32_t page, bool priv)
{
    if (page_uniform(m, page)) {
        unsigned p = core_mpu_perms(m, page, priv);
        return (uint8_t)(FULL(p) | ANY(p));
    }
    unsigned all = 7, any = 0;
    for (uint32_t a = page; a < page + CORE_PAGE; a += 32) {
        unsigned p = core_mpu_perms(m, a, priv);
        all &= p;
        any |= p;
    }
    return (uint8_t)(FULL(all) | ANY(any));
}

static void rebuild(struct core_mpu *m)
{
    int i = 0;
    for (unsigned k = 0; k < AREAS; k++)
        for (uint32_t p = 0; p < areas[k].pages; p++, i++) {
            uint32_t page = areas[k].base + p * CORE_PAGE;
            m->page[MPU_CTX_PRIV][i] = page_state(m, page, true);
            m->page[MPU_CTX_UNPRIV][i] = page_state(m, page, false);
        }
}

/*
 * Unicorn permissions for a page while the MPU applies: R and W only where
 * the MPU allows the whole page to privileged and unprivileged code alike;
 * EXEC as mapped (fetches are checked in the block hook). So a change of
 * privilege needs no new permissions: where the two differ every access
 * reaches on_bad_mem, which decides with the current privilege. An
 * access allowed there (a load or a store) fills Unicorn's TLB for
 * the page, for the current privilege only (Unicorn's MMU index); the page
 * is set again, which flushes the TLB, before that privilege may be
 * refused there: at the end of the block when the context may not read
 * the whole page, else when the MPU's registers or its context NONE
 * change (tlb_filled, core_mpu_sync).
 */
static bool split_data(const struct core_mpu *m, int i);

static uint8_t wanted(const struct core_mpu *m, bool applied, int i, const struct area *a)
{
    if (!applied)
        return (uint8_t)a->perms;
    unsigned both = m->page[MPU_CTX_PRIV][i] & m->page[MPU_CTX_UNPRIV][i], keep = UC_PROT_EXEC;
    if (both & FULL(MPU_R))
        keep |= UC_PROT_READ;
    if (both & FULL(MPU_W))
        keep |= UC_PROT_WRITE;
    return (uint8_t)((a->perms & keep) | (a->base == CORE_SRAM_BASE && split_data(m, i) ? MPU_MMIO : 0));
}

/*
 * Whether SRAM page i is to be mapped as MMIO while the MPU applies: a
 * context may read part of it but not all (on RAM every allowed read there
 * would cost a TLB flush, see tlb_filled), and no context may execute
 * anywhere on it (Unicorn does not run code from MMIO; the block hook
 * refuses it before it would).
 */
static bool split_data(const struct core_mpu *m, int i)
{
    bool split = false;
    for (int c = MPU_CTX_PRIV; c <= MPU_CTX_UNPRIV; c++) {
        uint8_t st = m->page[c][i];
        if (st & ANY(MPU_X))
            return false;
        split = split || ((st & ANY(MPU_R)) && !(st & FULL(MPU_R)));
    }
    return split;
}

/*
 * An SRAM page mapped as MMIO (split_data): every access the CPU makes
 * comes here, is decided with the current privilege (a refused one is a
 * MemManage, as for a peripheral) and reaches the same host buffer the
 * rest of the core uses (stacking, DMA, the debugger, bit-band). Accesses
 * that are not the CPU's (uc_mem_read/uc_mem_write from the core, a
 * debugger read) are not checked: their callers check what they need.
 */
static bool sram_denied(const struct mpu_mmio_page *pg, uint32_t addr, unsigned size, bool write)
{
    struct qsim *s = pg->s;
    int ctx = s->mpu.ctx;
    if (!s->running || s->peeking || ctx == MPU_CTX_NONE)
        return false;
    uint32_t allowed = write ? pg->w[ctx] : pg->r[ctx];
    uint32_t first = (addr & (CORE_PAGE - 1)) / 32, last = ((addr + size - 1) & (CORE_PAGE - 1)) / 32;
    if ((allowed >> first & 1u) && (allowed >> last & 1u))
        return false;
    return core_mpu_mmio_denied(s, addr, size, write); /* records the MemManage */
}

/* The granule masks of an SRAM page mapped as MMIO, for the current
 * registers (set again whenever they change: apply). */
static void granules(struct qsim *s, uint32_t base)
{
    struct mpu_mmio_page *pg = &s->mpu.mmio[(base - CORE_SRAM_BASE) / CORE_PAGE];
    *pg = (struct mpu_mmio_page){s, base, {0, 0}, {0, 0}};
    for (int c = MPU_CTX_PRIV; c <= MPU_CTX_UNPRIV; c++)
        for (uint32_t g = 0; g < CORE_PAGE / 32; g++) {
            unsigned p = core_mpu_perms(&s->mpu, base + g * 32, c == MPU_CTX_PRIV);
            pg->r[c] |= (p & MPU_R ? 1u : 0u) << g;
            pg->w[c] |= (p & MPU_W ? 1u : 0u) << g;
        }
}

static uint64_t sram_read(uc_engine *uc, uint64_t offset, unsigned size, void *user)
{
    const struct mpu_mmio_page *pg = user;
    uint32_t addr = pg->base + (uint32_t)offset;
    (void)uc;
    /* QEMU splits unaligned accesses to MMIO into aligned ones: never
     * past the page. */
    if (size > 8 || offset + size > CORE_PAGE || sram_denied(pg, addr, size, false))
        return 0;
    /* Loads of the access's own width (a memcpy into a wider variable
     * stalls the host's store forwarding); little-endian host. */
    const uint8_t *p = pg->s->sram + (addr - CORE_SRAM_BASE);
    uint16_t h;
    uint32_t w;
    uint64_t d;
    switch (size) {
    case 1:
        return *p;
    case 2:
        memcpy(&h, p, 2);
        return h;
    case 4:
        memcpy(&w, p, 4);
        return w;
    default:
        d = 0;
        memcpy(&d, p, size);
        return d;
    }
}

static void sram_write(uc_engine *uc, uint64_t offset, unsigned size, uint64_t value, void *user)
{
    const struct mpu_mmio_page *pg = user;
    uint32_t addr = pg->base + (uint32_t)offset;
    (void)uc;
    if (size > sizeof value || offset + size > CORE_PAGE || sram_denied(pg, addr, size, true))
        return;
    uint8_t *p = pg->s->sram + (addr - CORE_SRAM_BASE);
    uint32_t w = (uint32_t)value;
    if (size == 4)
        memcpy(p, &w, 4);
    else
        memcpy(p, &value, size);
}

/*
 * Map SRAM page j (at base) as MMIO or back as RAM (`want`, MPU_MMIO set
 * or not). A memory-map change (a TLB flush), only when the MPU's
 * registers or its context NONE change. The page's translated code is
 * dropped both ways: MMIO writes do not invalidate it as RAM writes do.
 */
static void remap(struct qsim *s, int j, uint32_t base, uint8_t want)
{
    struct core_mpu *m = &s->mpu;
    uint32_t off = base - CORE_SRAM_BASE;
    uc_mem_unmap(s->uc, base, CORE_PAGE);
    uc_ctl_remove_cache(s->uc, base, base + CORE_PAGE);
    if (want & MPU_MMIO) {
        struct mpu_mmio_page *pg = &m->mmio[off / CORE_PAGE];
        granules(s, base);
        if (uc_mmio_map(s->uc, base, CORE_PAGE, sram_read, pg, sram_write, pg) == UC_ERR_OK) {
            m->applied[j] = want;
            return;
        }
        want &= (uint8_t)~MPU_MMIO; /* the permission hook's path instead */
    }
    uc_mem_map_ptr(s->uc, base, CORE_PAGE, want, s->sram + off);
    m->applied[j] = want;
}

/* Whether page j, now with Unicorn permissions `applied`, is to be set
 * to `want` and flushed (see apply). */
static bool to_flush(const struct core_mpu *m, int j, uint8_t want, bool flush)
{
    return flush && (m->read_hit[j] || (m->applied[j] & ~want & UC_PROT_READ));
}

/*
 * Set the Unicorn permissions of every page whose permissions differ, a
 * run of pages per call, and, with `flush`, of the pages where a read was
 * allowed since the last flush (read_hit) and the pages that lose READ
 * (the TLB may hold them readable): setting them to something else and
 * back flushes Unicorn's TLB. Each call may split Unicorn's mapping (it
 * never merges them again), so pages go in runs.
 */
static void apply(struct qsim *s, int ctx, bool flush)
{
    struct core_mpu *m = &s->mpu;
    bool on = ctx != MPU_CTX_NONE;
    int i = 0;
    for (unsigned k = 0; k < AREAS; k++) {
        const struct area *a = &areas[k];
        uint32_t p = 0;
        while (p < a->pages) {
            int j = i + (int)p;
            uint8_t want = wanted(m, on, j, a);
            if ((want | m->applied[j]) & MPU_MMIO) {
                if (want != m->applied[j])
                    remap(s, j, a->base + p * CORE_PAGE, want);
                else if (want & MPU_MMIO)
                    granules(s, a->base + p * CORE_PAGE); /* new registers */
                p++;
                continue;
            }
            bool hit = to_flush(m, j, want, flush);
            if (want == m->applied[j] && !hit) {
                p++;
                continue;
            }
            uint32_t q = p + 1;
            for (; q < a->pages; q++) {
                int n = i + (int)q;
                if (wanted(m, on, n, a) != want || (m->applied[n] & MPU_MMIO) || to_flush(m, n, want, flush) != hit ||
                    (m->applied[n] == want && !hit))
                    break;
            }
            uint32_t base = a->base + p * CORE_PAGE, len = (q - p) * CORE_PAGE;
            /* Only a change of UC_PROT_WRITE flushes the TLB: it makes the
             * region read-only or not, a change of the memory map (Unicorn
             * 2.0.1; UC_PROT_READ is only looked at when an entry is filled). */
            if (hit)
                uc_mem_protect(s->uc, base, len, want ^ UC_PROT_WRITE);
            uc_mem_protect(s->uc, base, len, want);
            memset(&m->applied[j], want, q - p);
            p = q;
        }
        i += (int)a->pages;
    }
    if (flush) {
        memset(m->read_hit, 0, sizeof m->read_hit);
        m->hit_count = 0;
    }
}

/* Only the pages listed in hits[] (pages the context may not read whole,
 * reached through the hook since the last flush), set again. */
static void flush_hits(struct qsim *s)
{
    struct core_mpu *m = &s->mpu;
    for (unsigned n = 0; n < m->hit_count; n++) {
        int j = m->hits[n];
        const struct area *a = NULL;
        int i = 0;
        for (unsigned k = 0; k < AREAS; k++) {
            if (j < i + (int)areas[k].pages) {
                a = &areas[k];
                break;
            }
            i += (int)areas[k].pages;
        }
        uint32_t base = a->base + (uint32_t)(j - i) * CORE_PAGE;
        uc_mem_protect(s->uc, base, CORE_PAGE, m->applied[j] ^ UC_PROT_WRITE);
        uc_mem_protect(s->uc, base, CORE_PAGE, m->applied[j]);
        m->read_hit[j] = 0;
    }
    m->hit_count = 0;
}

void core_mpu_init(struct qsim *s)
{
    struct core_mpu *m = &s->mpu;
    int i = 0;
    for (unsigned k = 0; k < AREAS; k++)
        for (uint32_t p = 0; p < areas[k].pages; p++)
            m->applied[i++] = (uint8_t)areas[k].perms;
    m->ctx = MPU_CTX_NONE;
    m->resync_pc = 1;
    m->x_page = NO_PAGE;
    for (unsigned k = 0; k < CORE_MPU_RESYNC_CACHE; k++)
        m->after_msr[k].addr = 1;
}

/*
 * Bring Unicorn's permissions in line with the MPU's registers and the
 * current context. The run loop calls it before each slice while the MPU
 * is enabled or still applied: after exception entry and return, MPU
 * register writes (which stop the CPU at the next block), a change of
 * CONTROL or FAULTMASK (core_mpu_block stops after MSR/CPS).
 */
void core_mpu_sync(struct qsim *s)
{
    struct core_mpu *m = &s->mpu;
    bool rebuilt = m->dirty;
    if (m->dirty) {
        rebuild(m);
        m->dirty = false;
    }
    int ctx = core_mpu_context(s);
    /* Into or out of "not applied" (the mappings' own permissions, and
     * Unicorn's privileged TLB: Unicorn has no MMU index of its own for a
     * negative priority), or new registers: any page read may now be
     * refused, flush them. A change of privilege alone needs nothing. */
    bool none_edge = (ctx == MPU_CTX_NONE) != (m->ctx == MPU_CTX_NONE);
    if (rebuilt || none_edge || (m->reprotect && m->hit_count > CORE_MPU_HITS))
        apply(s, ctx, true);
    else if (m->reprotect)
        flush_hits(s);
    if (ctx != m->ctx || rebuilt)
        m->x_page = NO_PAGE;
    m->ctx = ctx;
    m->reprotect = false;
    m->resync_pc = s->pc;
}

/*
 * The permission hook allowed an access to page i: Unicorn has filled its
 * TLB entry for the page and the current privilege, readable, for a store
 * as for a load (Unicorn 2.0.1, measured; after a refused access, which
 * ends the run, the next access reaches the hook again), so later reads
 * there will not reach the hook. Where the context may read the whole page that is right until the
 * MPU's registers or its context NONE change (core_mpu_sync flushes every
 * page marked here then); where it may not, the page is set again at the
 * end of the block (`reprotect`, flush_hits).
 */
static void tlb_filled(struct qsim *s, int i)
{
    struct core_mpu *m = &s->mpu;
    if (m->page[m->ctx][i] & FULL(MPU_R)) {
        if (!m->read_hit[i])
            m->read_hit[i] = 1;
        return;
    }
    if (m->read_hit[i] != 2) {
        m->read_hit[i] = 2; /* listed in hits[] */
        if (m->hit_count < CORE_MPU_HITS)
            m->hits[m->hit_count] = (uint16_t)i;
        m->hit_count++; /* past CORE_MPU_HITS: apply() scans all pages */
    }
    m->reprotect = true;
    core_request_check(s);
}

static void mpu_fault(struct qsim *s, uint32_t addr, bool fetch)
{
    s->mem_addr = addr;
    s->mpu_fault = fetch ? 1 : 2;
}

/*
 * A load or store that Unicorn refused (permissions or unmapped) while the
 * MPU is applied. Returns 1 when the MPU allows it and it is done (the
 * hook returns true), 0 when the MPU refuses it (a MemManage follows),
 * -1 when it is not the MPU's business (the bus answers, as without MPU).
 */
int core_mpu_bad_mem(struct qsim *s, int type, uint32_t addr, int size, int64_t value)
{
    struct core_mpu *m = &s->mpu;
    if (m->ctx == MPU_CTX_NONE)
        return -1;
    bool priv = m->ctx == MPU_CTX_PRIV;
    if (type == UC_MEM_FETCH_PROT || type == UC_MEM_FETCH_UNMAPPED) {
        if (core_may_execute(s, addr))
            return -1;
        mpu_fault(s, addr, true);
        return 0;
    }
    bool write = type == UC_MEM_WRITE_PROT || type == UC_MEM_WRITE_UNMAPPED;
    bool mapped = type != UC_MEM_READ_UNMAPPED && type != UC_MEM_WRITE_UNMAPPED;
    unsigned need = write ? MPU_W : MPU_R;
    uint32_t last = addr + (uint32_t)(size > 0 ? size - 1 : 0);
    if (!(core_mpu_perms(m, addr, priv) & need) || !(core_mpu_perms(m, last, priv) & need)) {
        mpu_fault(s, addr, false);
        return 0;
    }
    const struct area *a = NULL;
    int i = mapped ? page_index(addr, &a) : -1;
    if (i < 0)
        return -1;
    tlb_filled(s, i);
    int j = page_index(last, NULL);
    if (j >= 0 && j != i)
        tlb_filled(s, j);
    if (write) {
        if (!(a->perms & UC_PROT_WRITE) || addr - CORE_SRAM_BASE > CORE_SRAM_SIZE - (uint32_t)size)
            return -1; /* flash: the bus refuses */
        memcpy(s->sram + (addr - CORE_SRAM_BASE), &value, (size_t)size); /* little-endian host */
        return 1;
    }
    if (!(a->perms & UC_PROT_READ))
        return -1;
    return 1;
}

/* A peripheral access (MMIO callback): true when the MPU refuses it; the
 * CPU then stops and a MemManage follows (core_bus_error's mechanism). */
bool core_mpu_mmio_denied(struct qsim *s, uint32_t addr, unsigned size, bool write)
{
    unsigned need = write ? MPU_W : MPU_R;
    bool priv = s->mpu.ctx == MPU_CTX_PRIV;
    if ((core_mpu_perms(&s->mpu, addr, priv) & need) && (core_mpu_perms(&s->mpu, addr + size - 1, priv) & need))
        return false;
    core_bus_error(s, addr);
    mpu_fault(s, addr, false);
    return true;
}

/* A halfword of flash, its alias, system memory or SRAM, from the host
 * buffers (uc_mem_read looks the mapping up: too slow for every block). */
static bool halfword(struct qsim *s, uint32_t addr, uint16_t *hw)
{
    const uint8_t *p = NULL;
    if (addr < CORE_FLASH_SIZE - 1)
        p = s->flash + addr;
    else if (addr - CORE_FLASH_BASE < CORE_FLASH_SIZE - 1)
        p = s->flash + (addr - CORE_FLASH_BASE);
    else if (addr - CORE_SRAM_BASE < CORE_SRAM_SIZE - 1)
        p = s->sram + (addr - CORE_SRAM_BASE);
    else if (addr - CORE_SYSMEM_BASE < CORE_SYSMEM_SIZE - 1)
        p = s->sysmem + (addr - CORE_SYSMEM_BASE);
    if (!p)
        return false;
    *hw = (uint16_t)(p[0] | p[1] << 8);
    return true;
}

/*
 * Block hook, MPU applied: the address of the first instruction of the
 * block [addr, addr + size) that may not execute, or addr + size. A 32-bit
 * instruction whose second half may not execute faults at its start.
 */
uint32_t core_mpu_fetch_limit(struct qsim *s, uint32_t addr, uint32_t size)
{
    struct core_mpu *m = &s->mpu;
    uint32_t end = addr + size;
    if ((addr >> 10) == m->x_page && ((end - 1) >> 10) == m->x_page)
        return end; /* the page checked last: the usual case */
    int first = page_index(addr, NULL), last = page_index(end - 1, NULL);
    if (first >= 0 && last >= 0 && (m->page[m->ctx][first] & FULL(MPU_X)) &&
        (m->page[m->ctx][last] & FULL(MPU_X))) {
        if (first == last)
            m->x_page = addr >> 10;
        return end;
    }
    for (uint32_t pc = addr; pc < end;) {
        uint16_t hw = 0;
        halfword(s, pc, &hw);
        uint32_t len = (hw >> 11) >= 0x1D ? 4 : 2;
        if (!core_may_execute(s, pc) || !core_may_execute(s, pc + len - 1))
            return pc;
        pc += len;
    }
    return end;
}

/*
 * Block hook, MPU enabled: whether the block follows an MSR to CONTROL or
 * FAULTMASK or a CPS that changes FAULTMASK, which may change the context
 * (privilege; priority for HFNMIENA). Unicorn ends a block after each of
 * them, so the core stops here once and core_mpu_sync looks again.
 */
bool core_mpu_block_resync(struct qsim *s, uint32_t addr)
{
    struct core_mpu *m = &s->mpu;
    if (m->resync_pc == addr) {
        m->resync_pc = 1;
        return false;
    }
    /* Cached per block start; SRAM code can change, so only flash's. */
    struct mpu_resync *c = &m->after_msr[(addr >> 1) % CORE_MPU_RESYNC_CACHE];
    if (c->addr == addr)
        return c->after;
    uint16_t a = 0, b = 0;
    bool after = halfword(s, addr - 2, &b) && (b == 0xB661u || b == 0xB671u); /* CPSIE/CPSID f */
    after = after || (halfword(s, addr - 4, &a) && (a & 0xFFF0u) == 0xF380u && (b & 0xFF00u) == 0x8800u &&
                      ((b & 0xFFu) == 0x14u || (b & 0xFFu) == 0x13u)); /* MSR CONTROL, FAULTMASK */
    if (addr - CORE_SRAM_BASE >= CORE_SRAM_SIZE) {
        c->addr = addr;
        c->after = after;
    }
    return after;
}
