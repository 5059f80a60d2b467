/*
 * The PMSAv7 MPU of the Cortex-M4: its registers and the access decision
 * (ARMv7-M ARM DDI 0403E B3.5 "Protected Memory System Architecture",
 * PM0214 4.5). How the decision is enforced on Unicorn is mpu_map.c's.
 *
 * Registers (B3.5.5-B3.5.9): MPU_TYPE reads DREGION = 8, separate = 0;
 * MPU_CTRL holds ENABLE, HFNMIENA, PRIVDEFENA; MPU_RNR selects the region
 * that MPU_RBAR and MPU_RASR show; a write to MPU_RBAR with VALID = 1 also
 * writes REGION into MPU_RNR. RBAR_A1..A3 and RASR_A1..A3 are aliases of
 * RBAR and RASR (in ARMv7-M they do not add to the region number).
 *
 * The decision (B3.5.1, the ValidateAddress pseudocode): the Private
 * Peripheral Bus always uses the default map; with the MPU off, or at a
 * negative execution priority (HardFault, NMI, FAULTMASK) with HFNMIENA
 * clear, everything does. Otherwise the highest numbered enabled region
 * that holds the address, in a subregion that is not disabled, gives AP
 * and XN; no region: the default map for privileged code when PRIVDEFENA
 * is set, else a fault. A fetch needs read access and XN clear, and the
 * System region (0xE0000000 up) never executes.
 */
#include <string.h>

#include "core/core.h"

#define CTRL_ENABLE 1u
#define CTRL_HFNMIENA 2u
#define CTRL_PRIVDEFENA 4u
#define RBAR_VALID (1u << 4)
#define RASR_ENABLE 1u
#define RASR_XN (1u << 28)
/* XN, AP, TEX, S, C, B, SRD, SIZE, ENABLE: what MPU_RASR stores (B3.5.9) */
#define RASR_MASK 0x173FFF3Fu
#define PPB_BASE 0xE0000000u
#define PPB_END 0xE0100000u

static unsigned default_perms(uint32_t addr)
{
    return MPU_R | MPU_W | (core_default_xn(addr) ? 0u : MPU_X);
}

/* log2 of a region's size: SIZE + 1, at least 5 (32 bytes, B3.5.9). */
static unsigned region_bits(uint32_t rasr)
{
    unsigned n = ((rasr >> 1) & 0x1Fu) + 1u;
    return n < 5 ? 5 : n;
}

/* Whether region r holds addr in an enabled subregion. */
static bool region_hit(const struct core_mpu *m, int r, uint32_t addr)
{
    uint32_t rasr = m->rasr[r];
    if (!(rasr & RASR_ENABLE))
        return false;
    unsigned n = region_bits(rasr);
    if (n < 32) {
        uint32_t mask = ~((1u << n) - 1u);
        if ((addr & mask) != (m->rbar[r] & mask))
            return false;
    }
    /* 8 subregions for regions of 256 bytes and more (B3.5.4). */
    if (n >= 8 && (rasr >> (8 + ((addr >> (n - 3)) & 7u))) & 1u)
        return false;
    return true;
}

/* Access permissions, AP field (B3.5.4, table B3-15): privileged, unprivileged. */
static unsigned ap_perms(uint32_t rasr, bool priv)
{
    static const uint8_t p[8] = {0, MPU_R | MPU_W, MPU_R | MPU_W, MPU_R | MPU_W, 0, MPU_R, MPU_R, MPU_R};
    static const uint8_t u[8] = {0, 0, MPU_R, MPU_R | MPU_W, 0, 0, MPU_R, MPU_R};
    unsigned ap = (rasr >> 24) & 7u;
    return priv ? p[ap] : u[ap];
}

unsigned core_mpu_perms(const struct core_mpu *m, uint32_t addr, bool priv)
{
    if (addr >= PPB_BASE && addr < PPB_END)
        return MPU_R | MPU_W;
    int hit = -1;
    for (int r = 0; r < CORE_MPU_REGIONS; r++)
        if (region_hit(m, r, addr))
            hit = r; /* the highest numbered region wins */
    if (hit < 0)
        return priv && (m->ctrl & CTRL_PRIVDEFENA) ? default_perms(addr) : 0;
    unsigned perms = ap_perms(m->rasr[hit], priv);
    if ((perms & MPU_R) && !(m->rasr[hit] & RASR_XN) && addr < PPB_BASE)
        perms |= MPU_X;
    return perms;
}

/* Whether the MPU decides accesses made at execution priority `prio`. */
static bool applies(const struct qsim *s, int prio)
{
    return (s->mpu.ctrl & CTRL_ENABLE) && (prio >= 0 || (s->mpu.ctrl & CTRL_HFNMIENA));
}

int core_mpu_context(struct qsim *s)
{
    if (!(s->mpu.ctrl & CTRL_ENABLE))
        return MPU_CTX_NONE;
    if (!applies(s, core_exec_priority(s, false)))
        return MPU_CTX_NONE;
    return core_unprivileged(s) ? MPU_CTX_UNPRIV : MPU_CTX_PRIV;
}

/*
 * "May the core execute at addr now": the one place that decides it, for
 * the MPU's regions and for the default map's XN regions alike (B3.1
 * table B3-1, B3.5.1). Privilege and priority are the current ones.
 */
bool core_may_execute(struct qsim *s, uint32_t addr)
{
    if (s->mpu.ctx == MPU_CTX_NONE)
        return !core_default_xn(addr);
    return core_mpu_perms(&s->mpu, addr, s->mpu.ctx == MPU_CTX_PRIV) & MPU_X;
}

/*
 * Whether every byte of [addr, addr + len) allows `need` for an access
 * with the given privilege at execution priority `prio` (stacking,
 * unstacking, lazy FP state preservation: B1.5.6-B1.5.8). Permissions
 * change at 32-byte boundaries at the finest.
 */
bool core_mpu_range_ok(struct qsim *s, uint32_t addr, uint32_t len, unsigned need, bool unprivileged, int prio)
{
    if (!applies(s, prio) || len == 0)
        return true;
    uint32_t end = addr + len - 1;
    for (uint32_t a = addr;; a = (a | 31u) + 1u) {
        if ((core_mpu_perms(&s->mpu, a, !unprivileged) & need) != need)
            return false;
        if ((a | 31u) >= end)
            return true;
    }
}

/* ---- registers (B3.5.5-B3.5.9) ---------------------------------------------- */

uint32_t core_mpu_read(struct qsim *s, uint32_t off)
{
    struct core_mpu *m = &s->mpu;
    switch (off) {
    case 0xD90: return (uint32_t)CORE_MPU_REGIONS << 8; /* MPU_TYPE: DREGION, no IREGION, unified */
    case 0xD94: return m->ctrl;
    case 0xD98: return m->rnr;
    case 0xD9C: case 0xDA4: case 0xDAC: case 0xDB4:      /* RBAR and its aliases */
        return (m->rbar[m->rnr] & ~0x1Fu) | m->rnr;       /* VALID reads 0, REGION = RNR */
    default:                                              /* RASR and its aliases */
        return m->rasr[m->rnr];
    }
}

void core_mpu_write(struct qsim *s, uint32_t off, uint32_t v)
{
    struct core_mpu *m = &s->mpu;
    switch (off) {
    case 0xD90: return;                                   /* MPU_TYPE is read-only */
    case 0xD94: m->ctrl = v & (CTRL_ENABLE | CTRL_HFNMIENA | CTRL_PRIVDEFENA); break;
    case 0xD98:
        /* REGION >= DREGION is UNPREDICTABLE: ignored (as QEMU does). */
        if ((v & 0xFFu) >= CORE_MPU_REGIONS)
            return;
        m->rnr = v & 0xFFu;
        break;
    case 0xD9C: case 0xDA4: case 0xDAC: case 0xDB4:
        if (v & RBAR_VALID) {
            if ((v & 0xFu) >= CORE_MPU_REGIONS)
                return;
            m->rnr = v & 0xFu;
        }
        m->rbar[m->rnr] = v & ~0x1Fu;
        break;
    default:
        m->rasr[m->rnr] = v & RASR_MASK;
        break;
    }
    /* Takes effect at the next block boundary, where the core stops after
     * any SCS write (scs_write32): the architecture asks for DSB + ISB. */
    m->dirty = true;
}

void core_mpu_reset(struct qsim *s)
{
    struct core_mpu *m = &s->mpu;
    m->ctrl = m->rnr = 0;
    memset(m->rbar, 0, sizeof m->rbar);
    memset(m->rasr, 0, sizeof m->rasr);
    m->dirty = true;
    m->resync_pc = 1; /* Thumb addresses are even: none */
    for (unsigned k = 0; k < CORE_MPU_RESYNC_CACHE; k++)
        m->after_msr[k].addr = 1; /* a new image may be loaded */
    if (s->uc)
        core_mpu_sync(s); /* back to the mappings' own permissions */
}
