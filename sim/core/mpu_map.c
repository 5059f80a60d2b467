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
 *     SRAM pages a context may read only in part, or whose permissions
 *     change from one configuration to the next (a process's region):
 *     those are mapped as MMIO (mmio_page), each access decided in a
 *     callback, with no TLB entry to flush;
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
 * reached the hook when the page's state changes with the MPU registers,
 * or when the MPU stops or starts applying (tlb_filled).
 * Every change of Unicorn's memory map (a permission's WRITE bit, a page
 * unmapped or mapped) is a commit: the whole TLB flushed and the dispatch
 * rebuilt. Its cost grows with Unicorn's TLB tables, which Unicorn 2.0.1
 * doubles at almost every flush up to 64 MB before it shrinks them
 * (measured with perf probes: a memset of up to 64 MB and fresh pages each
 * time); before this was kept down it was most of a sensor node's host
 * time (docs/performance.md, "quartz-sim: process switches"). So an update
 * makes as few as it can: one flush for all the pages that need one
 * (flush_tlb, on a page out of the CPU's reach), none when a permission
 * change already made one, none for pages whose state did not change, and
 * none at all for the pages a process switch moves, once they are MMIO
 * (mmio_page). mpu_map_commits in the report counts them.
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

/*
 * The page states for the current registers; `changed` marks the pages
 * whose state differs from the last ones (only those may now refuse what
 * Unicorn's TLB holds). An SRAM page whose state changes from one
 * configuration of the enabled MPU to the next is `moved`: a process's
 * region, set and cleared at each switch (mmio_page).
 */
static void rebuild(struct core_mpu *m)
{
    bool on = m->ctrl & 1u, moves = on && m->built_on;
    int i = 0;
    for (unsigned k = 0; k < AREAS; k++)
        for (uint32_t p = 0; p < areas[k].pages; p++, i++) {
            uint32_t page = areas[k].base + p * CORE_PAGE;
            uint8_t pr = page_state(m, page, true), un = page_state(m, page, false);
            m->changed[i] = pr != m->page[MPU_CTX_PRIV][i] || un != m->page[MPU_CTX_UNPRIV][i];
            if (m->changed[i] && moves && areas[k].base == CORE_SRAM_BASE)
                m->sram_moved[p] = 1;
            m->page[MPU_CTX_PRIV][i] = pr;
            m->page[MPU_CTX_UNPRIV][i] = un;
        }
    m->built_on = on;
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
static bool mmio_page(const struct core_mpu *m, int k);
static bool executable(const struct core_mpu *m, int i);

static uint8_t wanted(const struct core_mpu *m, bool applied, int i, const struct area *a)
{
    if (!applied)
        return (uint8_t)a->perms;
    unsigned both = m->page[MPU_CTX_PRIV][i] & m->page[MPU_CTX_UNPRIV][i], keep = UC_PROT_EXEC;
    if (both & FULL(MPU_R))
        keep |= UC_PROT_READ;
    if (both & FULL(MPU_W))
        keep |= UC_PROT_WRITE;
    bool mmio = a->base == CORE_SRAM_BASE && mmio_page(m, i - (int)(CORE_MPU_PAGES - CORE_MPU_SRAM_PAGES));
    return (uint8_t)((a->perms & keep) | (mmio ? MPU_MMIO : 0));
}

/*
 * Whether SRAM page k (of SRAM's pages; i in page[]) is to be mapped as
 * MMIO while the MPU applies, every access decided in a callback with the
 * current privilege (sram_read, sram_write), so that a change of the
 * registers costs no commit there:
 *   - a context may read part of it but not all (a stack guard, a region
 *     smaller than a page): as RAM, every read allowed there would cost a
 *     TLB flush (tlb_filled);
 *   - or it has moved (rebuild): a process's region, whose permissions
 *     change at every switch; as RAM, each switch would cost two commits
 *     (its pages closed, the next process's opened) and a flush;
 *   - and no code has been fetched from it: Unicorn does not run code from
 *     MMIO; such a fetch stops, and core_mpu_fetch_unstick maps the page
 *     back as RAM for good before the run goes on.
 * A page once mapped so stays so while the MPU applies.
 */
static bool mmio_page(const struct core_mpu *m, int k)
{
    int i = k + (int)(CORE_MPU_PAGES - CORE_MPU_SRAM_PAGES);
    if (m->sram_fetched[k])
        return false;
    if ((m->applied[i] & MPU_MMIO) || m->sram_moved[k])
        return true;
    for (int c = MPU_CTX_PRIV; c <= MPU_CTX_UNPRIV; c++) {
        uint8_t st = m->page[c][i];
        if ((st & ANY(MPU_R)) && !(st & FULL(MPU_R)))
            return true;
    }
    return false;
}

static bool executable(const struct core_mpu *m, int i)
{
    return ((m->page[MPU_CTX_PRIV][i] | m->page[MPU_CTX_UNPRIV][i]) & ANY(MPU_X)) != 0;
}

/*
 * An SRAM page mapped as MMIO (mmio_page): every access the CPU makes
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
    m->map_commits += 2; /* the unmap and the map below */
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

/*
 * Flush Unicorn's TLB with one commit: a change of the WRITE permission of
 * a page mapped above 4 GB, which the core's 32-bit addresses never reach
 * (core_mpu_init maps it). Without that page, a page of ours set to
 * something else and back: two commits.
 */
static void flush_tlb(struct qsim *s, uint32_t base, uint8_t perms)
{
    struct core_mpu *m = &s->mpu;
    m->map_commits++;
    if (m->flush_page) {
        m->flush_write ^= 1u;
        uc_mem_protect(s->uc, CORE_MPU_FLUSH_PAGE, CORE_PAGE, UC_PROT_READ | (m->flush_write ? UC_PROT_WRITE : 0u));
        return;
    }
    uc_mem_protect(s->uc, base, CORE_PAGE, perms ^ UC_PROT_WRITE);
    uc_mem_protect(s->uc, base, CORE_PAGE, perms);
    m->map_commits++;
}

/*
 * A fetch stopped at addr (STOP_FETCH, or STOP_MEM for a fetch): where
 * the instruction lies on an SRAM page kept as MMIO (wanted) on which a
 * context may now execute, map the page back as RAM and return true: the
 * run loop then runs from the same address again, which Unicorn can now
 * translate. False when there is no such page: a fetch fault.
 */
bool core_mpu_fetch_unstick(struct qsim *s, uint32_t addr)
{
    struct core_mpu *m = &s->mpu;
    bool done = false;
    for (uint32_t a = addr; a - addr <= 2u; a += 2u) { /* a 32-bit instruction may cross a page */
        const struct area *ar = NULL;
        int j = page_index(a, &ar);
        if (j < 0 || ar->base != CORE_SRAM_BASE || !(m->applied[j] & MPU_MMIO) || !executable(m, j))
            continue;
        m->sram_fetched[(a - CORE_SRAM_BASE) / CORE_PAGE] = 1; /* for good: see mmio_page */
        remap(s, j, a & ~(CORE_PAGE - 1u), wanted(m, m->ctx != MPU_CTX_NONE, j, ar));
        done = true;
    }
    return done;
}

/*
 * Whether the current context may read the whole of every page of flash
 * and of its alias at 0 that [off_lo, off_hi) touches (offsets into flash).
 * A partial run executes the first part of a block through the other
 * mapping (cpu.c, partial_shift): a literal load there reads the other
 * mapping's address, which the MPU then allows as it would the first.
 */
bool core_mpu_alias_reads_alike(struct qsim *s, uint32_t off_lo, uint32_t off_hi)
{
    struct core_mpu *m = &s->mpu;
    if (m->ctx == MPU_CTX_NONE)
        return true;
    if (m->dirty)
        return false; /* the page states are not the registers' yet */
    if (off_hi > CORE_FLASH_SIZE)
        off_hi = CORE_FLASH_SIZE;
    for (uint32_t off = off_lo & ~(CORE_PAGE - 1u); off < off_hi; off += CORE_PAGE) {
        int alias = page_index(off, NULL), flash = page_index(CORE_FLASH_BASE + off, NULL);
        if (!(m->page[m->ctx][alias] & FULL(MPU_R)) || !(m->page[m->ctx][flash] & FULL(MPU_R)))
            return false;
    }
    return true;
}

/* What Unicorn's TLB may hold that an update must flush (apply). */
enum flush_mode {
    FLUSH_NONE,
    FLUSH_CHANGED, /* new registers: the pages whose state changed (rebuild) */
    FLUSH_ALL,     /* into or out of context NONE: every page read */
};

/* Whether page j, now with Unicorn permissions `applied`, may be in the
 * TLB with more than `want` allows (see apply): a page read through the
 * hook since the last flush whose state changed (or any, FLUSH_ALL; or
 * one the context may not read whole, read_hit 2), or one losing READ. */
static bool to_flush(const struct core_mpu *m, int j, uint8_t want, enum flush_mode mode)
{
    if (mode == FLUSH_NONE)
        return false;
    bool hit = m->read_hit[j] == 2 || (m->read_hit[j] && (mode == FLUSH_ALL || m->changed[j]));
    return hit || (m->applied[j] & ~want & UC_PROT_READ);
}

/*
 * Set the Unicorn permissions of every page whose permissions differ, a
 * run of pages per call, and flush the TLB once if a page needs it
 * (to_flush) and no change of WRITE or of the map did it already. Each
 * call may split Unicorn's mapping (it never merges them again), so pages
 * go in runs. After a flush no page is in the TLB any more (read_hit).
 */
static void apply(struct qsim *s, int ctx, enum flush_mode flush)
{
    struct core_mpu *m = &s->mpu;
    bool on = ctx != MPU_CTX_NONE, need = false, flushed = false;
    uint32_t need_base = 0; /* a page to flush with (flush_tlb's fallback) */
    int need_j = 0;
    int i = 0;
    for (unsigned k = 0; k < AREAS; k++) {
        const struct area *a = &areas[k];
        uint32_t p = 0;
        while (p < a->pages) {
            int j = i + (int)p;
            uint8_t want = wanted(m, on, j, a);
            if ((want | m->applied[j]) & MPU_MMIO) {
                if ((want ^ m->applied[j]) & MPU_MMIO) {
                    remap(s, j, a->base + p * CORE_PAGE, want);
                    flushed = true; /* an unmap is a commit */
                } else {
                    m->applied[j] = want; /* MMIO: the permissions are the callbacks' */
                    granules(s, a->base + p * CORE_PAGE); /* new registers */
                }
                p++;
                continue;
            }
            if (!need && to_flush(m, j, want, flush)) {
                need = true;
                need_base = a->base + p * CORE_PAGE;
                need_j = j;
            }
            if (want == m->applied[j]) {
                p++;
                continue;
            }
            /* Only a change of UC_PROT_WRITE flushes the TLB: it makes the
             * region read-only or not, a change of the memory map (Unicorn
             * 2.0.1; UC_PROT_READ is only looked at when an entry is filled). */
            bool commits = (want ^ m->applied[j]) & UC_PROT_WRITE;
            uint32_t q = p + 1;
            for (; q < a->pages; q++) {
                int n = i + (int)q;
                if (wanted(m, on, n, a) != want || (m->applied[n] & MPU_MMIO) || m->applied[n] == want)
                    break;
                if (!need && to_flush(m, n, want, flush)) {
                    need = true;
                    need_base = a->base + q * CORE_PAGE;
                    need_j = n;
                }
                commits = commits || ((want ^ m->applied[n]) & UC_PROT_WRITE);
            }
            uint32_t base = a->base + p * CORE_PAGE, len = (q - p) * CORE_PAGE;
            uc_mem_protect(s->uc, base, len, want);
            memset(&m->applied[j], want, q - p);
            flushed = flushed || commits;
            m->map_commits += commits;
            p = q;
        }
        i += (int)a->pages;
    }
    if (need && !flushed) {
        flush_tlb(s, need_base, m->applied[need_j]);
        flushed = true;
    }
    if (flushed) {
        memset(m->read_hit, 0, sizeof m->read_hit);
        m->hit_count = 0;
    }
}

/* The pages listed in hits[] (pages the context may not read whole,
 * reached through the hook since the last flush): one flush for all. */
static void flush_hits(struct qsim *s)
{
    struct core_mpu *m = &s->mpu;
    uint32_t base = 0;
    for (unsigned n = 0; n < m->hit_count; n++) {
        int j = m->hits[n], i = 0;
        for (unsigned k = 0; k < AREAS; k++) {
            if (j < i + (int)areas[k].pages) {
                base = areas[k].base + (uint32_t)(j - i) * CORE_PAGE;
                break;
            }
            i += (int)areas[k].pages;
        }
        m->read_hit[j] = 0;
    }
    if (m->hit_count)
        flush_tlb(s, base, m->applied[m->hits[m->hit_count - 1]]);
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
    m->flush_page = uc_mem_map(s->uc, CORE_MPU_FLUSH_PAGE, CORE_PAGE, UC_PROT_READ) == UC_ERR_OK;
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
     * negative priority): any page read may now be refused, flush them.
     * New registers: those whose state changed. A change of privilege
     * alone needs nothing. */
    bool none_edge = (ctx == MPU_CTX_NONE) != (m->ctx == MPU_CTX_NONE);
    if (none_edge || (m->reprotect && m->hit_count > CORE_MPU_HITS))
        apply(s, ctx, FLUSH_ALL);
    else if (rebuilt)
        apply(s, ctx, FLUSH_CHANGED);
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
