/*
 * FLASH interface ACR (RM0390 3.8.1) and PWR CR/CSR (RM0390 5.4). Flash
 * programming (KEYR, SR, CR, OPTCR) is not modeled: those registers read
 * their reset values and writes are reported as unmodeled.
 */
#include "f446.h"
#include "regio.h"

#define FLASH_BASE_ADDR 0x40023C00u
#define ACR_LATENCY_MASK 0xFu
#define ACR_MASK 0x00000707u /* LATENCY, PRFTEN, ICEN, DCEN; ICRST/DCRST read 0 */

#define PWR_BASE_ADDR 0x40007000u
#define PWR_CR_MASK 0x003FEFFFu
#define PWR_CR_CLRWUF BIT(2)
#define PWR_CR_CSBF BIT(3)
#define PWR_CR_ODEN BIT(16)
#define PWR_CR_ODSWEN BIT(17)
#define PWR_CSR_WUF BIT(0)
#define PWR_CSR_SBF BIT(1)
#define PWR_CSR_VOSRDY BIT(14)
#define PWR_CSR_ODRDY BIT(16)
#define PWR_CSR_ODSWRDY BIT(17)
#define PWR_CSR_EWUP_BITS (BIT(7) | BIT(8)) /* EWUP2, EWUP1 */
#define PWR_CSR_BRR BIT(3)
#define PWR_CSR_BRE BIT(9)
#define PWR_CR_DBP BIT(8)
#define RCC_CR_PLLRDY BIT(25)

void flash_check_latency(struct flash_if *f)
{
    /* RM0390 3.4.1 table 5, 2.7 V..3.6 V: 30 MHz per wait state. */
    uint32_t hclk = rcc_hclk_hz(&f->chip->rcc);
    uint32_t ws = f->ACR & ACR_LATENCY_MASK;
    if (hclk > (ws + 1u) * 30000000u)
        sim_warn(f->chip->sim,
                 "FLASH: LATENCY=%u wait states too few for HCLK %u Hz (RM0390 3.4.1 table 5 needs %u)",
                 ws, hclk, (hclk - 1u) / 30000000u);
}

static uint32_t flash_read(void *dev, uint32_t offset, unsigned size)
{
    struct flash_if *f = dev;
    uint32_t v;
    switch (offset & ~3u) {
    case 0x00: v = f->ACR; break;
    case 0x0C: v = 0; break;           /* SR: no operation ever in progress */
    case 0x10: v = 0x80000000u; break; /* CR: LOCK */
    case 0x14: v = 0x0FFFAAEDu; break; /* OPTCR: factory option bytes */
    default:
        sim_unmodeled(f->chip->sim, FLASH_BASE_ADDR + (offset & ~3u), false);
        return 0;
    }
    return regio_read_lane(v, offset, size);
}

static void flash_write(void *dev, uint32_t offset, uint32_t value, unsigned size)
{
    struct flash_if *f = dev;
    uint32_t lane = regio_lane(&offset, &value, size);
    if (offset != 0) {
        sim_unmodeled(f->chip->sim, FLASH_BASE_ADDR + offset, true);
        return;
    }
    f->ACR = regio_merge(f->ACR, value, lane & ACR_MASK);
    sim_set_flash_latency(f->chip->sim, f->ACR & ACR_LATENCY_MASK);
    flash_check_latency(f);
}

const struct sim_mmio_ops flash_ops = {flash_read, flash_write, NULL};

void flash_reset(struct flash_if *f)
{
    f->ACR = 0;
    sim_set_flash_latency(f->chip->sim, 0);
}

/*
 * RM0390 5.1.4: the VOS setting takes effect only while the PLL is on
 * (VOSRDY); over-drive (ODEN, ODSWEN) needs the PLL too. The ramp-up times
 * are not modeled: the ready bits follow at once.
 */
void pwr_update(struct pwr *p)
{
    bool pll = (p->chip->rcc.CR & RCC_CR_PLLRDY) != 0;
    p->CSR &= ~(PWR_CSR_VOSRDY | PWR_CSR_ODRDY | PWR_CSR_ODSWRDY);
    if (pll) {
        p->CSR |= PWR_CSR_VOSRDY;
        if (p->CR & PWR_CR_ODEN)
            p->CSR |= PWR_CSR_ODRDY;
        if ((p->CR & PWR_CR_ODEN) && (p->CR & PWR_CR_ODSWEN))
            p->CSR |= PWR_CSR_ODSWRDY;
    }
}

static uint32_t pwr_read(void *dev, uint32_t offset, unsigned size)
{
    struct pwr *p = dev;
    switch (offset & ~3u) {
    case 0x00: return regio_read_lane(p->CR, offset, size);
    case 0x04: return regio_read_lane(p->CSR, offset, size);
    default: sim_unmodeled(p->chip->sim, PWR_BASE_ADDR + (offset & ~3u), false); return 0;
    }
}

static void pwr_write(void *dev, uint32_t offset, uint32_t value, unsigned size)
{
    struct pwr *p = dev;
    uint32_t lane = regio_lane(&offset, &value, size);
    if (offset == 0x00) {
        uint32_t v = regio_merge(p->CR, value, lane & PWR_CR_MASK);
        /* CLRWUF / CSBF are write-1 actions that read back 0 (RM0390 5.4.1). */
        if (v & PWR_CR_CLRWUF)
            p->CSR &= ~PWR_CSR_WUF;
        if (v & PWR_CR_CSBF)
            p->CSR &= ~PWR_CSR_SBF;
        p->CR = v & ~(PWR_CR_CLRWUF | PWR_CR_CSBF);
        pwr_update(p);
        flash_check_latency(&p->chip->flash);
    } else if (offset == 0x04) {
        /* BRE is in the backup domain: writable only with DBP set (RM0390
         * 5.4.1 DBP). The regulator's start-up is not modeled: BRR follows. */
        uint32_t writable = PWR_CSR_EWUP_BITS | ((p->CR & PWR_CR_DBP) ? PWR_CSR_BRE : 0u);
        p->CSR = regio_merge(p->CSR, value, lane & writable);
        p->CSR = (p->CSR & PWR_CSR_BRE) ? (p->CSR | PWR_CSR_BRR) : (p->CSR & ~PWR_CSR_BRR);
    } else {
        sim_unmodeled(p->chip->sim, PWR_BASE_ADDR + offset, true);
    }
}

const struct sim_mmio_ops pwr_ops = {pwr_read, pwr_write, NULL};

void pwr_reset(struct pwr *p, enum f446_reset_cause cause)
{
    p->CR = 0x0000C000u;
    /* BRE and BRR belong to the backup domain: a system reset keeps them
     * (RM0390 5.4.2, their notes); a run's power-on clears them. */
    p->CSR = cause == F446_RESET_POWER ? 0u : (p->CSR & (PWR_CSR_BRE | PWR_CSR_BRR));
}
