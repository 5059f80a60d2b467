/* PWR CR/CSR (RM0390 5.4). The FLASH interface is in flash.c. */
#include "f446.h"
#include "regio.h"

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
