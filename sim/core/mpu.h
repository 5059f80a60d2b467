/*
 * The PMSAv7 MPU of the Cortex-M4 (ARMv7-M ARM DDI 0403E B3.5, PM0214
 * 4.5): registers, the access decision and how it is enforced on Unicorn
 * (sim/core/mpu.c, mpu_map.c). Included by core.h.
 */
#ifndef SIM_CORE_MPU_H
#define SIM_CORE_MPU_H

#include <stdbool.h>
#include <stdint.h>

#define CORE_MPU_REGIONS 8
/* The RAM-like mappings of cpu.c in 1 KB pages: flash alias at 0 (512),
 * flash (512), system memory (31), option bytes (1), SRAM (128). */
#define CORE_MPU_PAGES (512 + 512 + 31 + 1 + 128)

/* Permission bits of an address for one context (core_mpu_perms). */
enum { MPU_R = 1, MPU_W = 2, MPU_X = 4 };

/* The context the MPU is applied in: privilege, or not applied at all
 * (MPU off, or HardFault/NMI/FAULTMASK without HFNMIENA). */
enum { MPU_CTX_PRIV = 0, MPU_CTX_UNPRIV = 1, MPU_CTX_NONE = 2 };

#define CORE_MPU_RESYNC_CACHE 1024u
#define CORE_MPU_HITS 16u
/* A page above 4 GB, out of the 32-bit core's reach, whose permission
 * changes flush Unicorn's TLB (mpu_map.c, flush_tlb). */
#define CORE_MPU_FLUSH_PAGE 0x100000000ull

/* Whether the block at `addr` follows an MSR CONTROL/FAULTMASK or CPS f. */
struct mpu_resync {
    uint32_t addr; /* 1: empty */
    bool after;
};

struct qsim;

/* An SRAM page mapped as MMIO while the MPU splits it (mpu_map.c). */
struct mpu_mmio_page {
    struct qsim *s;
    uint32_t base;
    /* Per context (PRIV, UNPRIV): bit g set when the MPU allows reading
     * (writing) the 32 B granule g of the page, the MPU's smallest unit. */
    uint32_t r[2], w[2];
};

/* applied[] value of a page mapped as MMIO (not a Unicorn permission). */
#define MPU_MMIO 0x80u
#define CORE_MPU_SRAM_PAGES 128

struct core_mpu {
    uint32_t ctrl, rnr;
    uint32_t rbar[CORE_MPU_REGIONS], rasr[CORE_MPU_REGIONS];
    bool dirty;       /* registers changed since the page states were made */
    bool reprotect;   /* Unicorn's TLB holds a page the context may not read whole */
    int ctx;          /* the context the current Unicorn permissions are for */
    uint32_t resync_pc; /* block already re-synchronised after an MSR/CPS */
    uint32_t x_page;    /* a 1 KB page (address >> 10) the context may execute whole */
    /* Per page and context (PRIV, UNPRIV): for each of R, W, X whether the
     * whole page allows it (bits 0-2) or only part of it does (bits 4-6). */
    uint8_t page[2][CORE_MPU_PAGES];
    uint8_t applied[CORE_MPU_PAGES]; /* Unicorn permissions set on each page */
    /* Unicorn's TLB may hold the page (an access reached the hook since
     * the last flush): 1, or 2 when the context may not read it whole
     * and the page is listed in hits[] */
    uint8_t read_hit[CORE_MPU_PAGES];
    uint16_t hits[CORE_MPU_HITS];
    unsigned hit_count;
    struct mpu_mmio_page mmio[CORE_MPU_SRAM_PAGES];
    uint8_t changed[CORE_MPU_PAGES]; /* state changed at the last rebuild */
    bool built_on;                   /* the last rebuild was with the MPU enabled */
    /* Per SRAM page (mpu_map.c, mmio_page): its state changed between two
     * configurations of the enabled MPU; code has been fetched there. */
    uint8_t sram_moved[CORE_MPU_SRAM_PAGES], sram_fetched[CORE_MPU_SRAM_PAGES];
    struct mpu_resync after_msr[CORE_MPU_RESYNC_CACHE];
    bool flush_page;       /* CORE_MPU_FLUSH_PAGE is mapped (flush_tlb) */
    uint64_t map_commits;  /* changes of Unicorn's memory map made here (report) */
    uint8_t flush_write;   /* its WRITE permission, toggled by each flush */
};

#endif
