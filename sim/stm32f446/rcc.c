/*
 * RCC: reset and clock control (RM0390 section 6) as a clock tree.
 * HSI 16 MHz, HSE 8 MHz from the ST-LINK MCO (bypass only: the Nucleo's X3
 * crystal is not fitted), the main PLL, SW/SWS, AHB/APB prescalers and the
 * timer clocks. Ready flags rise after a start-up delay in virtual time.
 */
#include "f446.h"
#include "regio.h"

#define HSI_HZ 16000000u
#define HSE_HZ 8000000u
/* Start-up times: DS10693 (STM32F446xC/E datasheet) tsu(HSI) 2.2 us typ,
 * tLOCK of the PLL up to 100 us; an external (bypass) clock is usable after
 * a few cycles of the HSE detector, taken as 1 us. */
#define HSI_STARTUP_PS (2200ull * SIM_PS_PER_NS)
#define HSE_STARTUP_PS (1ull * SIM_PS_PER_US)
#define PLL_LOCK_PS (100ull * SIM_PS_PER_US)

/* RCC_CR (RM0390 6.3.1) */
#define CR_HSION BIT(0)
#define CR_HSIRDY BIT(1)
#define CR_HSITRIM (0x1Fu << 3)
#define CR_HSEON BIT(16)
#define CR_HSERDY BIT(17)
#define CR_HSEBYP BIT(18)
#define CR_CSSON BIT(19)
#define CR_PLLON BIT(24)
#define CR_PLLRDY BIT(25)
#define CR_PLLI2SON BIT(26)
#define CR_PLLI2SRDY BIT(27)
#define CR_PLLSAION BIT(28)
#define CR_PLLSAIRDY BIT(29)
#define CR_WRITABLE (CR_HSION | CR_HSITRIM | CR_HSEON | CR_HSEBYP | CR_CSSON | CR_PLLON | CR_PLLI2SON | CR_PLLSAION)

/* RCC_PLLCFGR (6.3.2); the SVD omits PLLR[30:28], RM0390 has it. */
#define PLLCFGR_PLLSRC BIT(22)
#define PLLCFGR_MASK 0x7F437FFFu
/* RCC_CFGR (6.3.3) */
#define CFGR_SWS_POS 2
#define CFGR_MASK (0xFFFFFCFFu & ~(3u << CFGR_SWS_POS))
/* RCC_CIR (6.3.4): flags 0..7, enables 8..14, clear bits 16..23 */
#define CIR_HSIRDYF BIT(2)
#define CIR_HSERDYF BIT(3)
#define CIR_PLLRDYF BIT(4)
#define CIR_PLLI2SRDYF BIT(5)
#define CIR_PLLSAIRDYF BIT(6)
/* RCC_BDCR (6.3.20), RCC_CSR (6.3.21) */
#define BDCR_LSEON BIT(0)
#define BDCR_LSERDY BIT(1)
#define BDCR_MASK 0x0001830Du
#define CSR_LSION BIT(0)
#define CSR_LSIRDY BIT(1)
#define CSR_RMVF BIT(24)
#define CSR_BORRSTF BIT(25)
#define CSR_PINRSTF BIT(26)
#define CSR_PORRSTF BIT(27)
#define CSR_SFTRSTF BIT(28)
#define CSR_FLAGS 0xFE000000u
#define PWR_CR_DBP BIT(8)
#define DCKCFGR_TIMPRE BIT(24)

#define RCC_IRQ 5

static const uint32_t enr_mask[RCC_NBUS] = {
    0x606410FFu | BIT(20), /* AHB1ENR; bit 20 reads 1 after reset (RM0390 6.3.10) */
    0x00000081u, 0x00000003u, 0x3FFFC9FFu, 0x00C77F33u};
static const uint32_t rstr_mask[RCC_NBUS] = {0x206010FFu, 0x00000081u, 0x00000003u, 0x37FFC9FFu,
                                             0x00C77933u};
static const uint32_t enr_reset[RCC_NBUS] = {0x00100000u, 0, 0, 0, 0};
static const uint32_t lpenr_reset[RCC_NBUS] = {0x7E6791FFu, 0x000000F1u, 0x00000001u, 0x36FEC9FFu,
                                               0x00075F33u};

static sim_t *sim_of(const struct rcc *r) { return r->chip->sim; }

static bool hse_ready(const struct rcc *r) { return (r->CR & CR_HSERDY) != 0; }
static bool hsi_ready(const struct rcc *r) { return (r->CR & CR_HSIRDY) != 0; }
static bool pll_src_hse(const struct rcc *r) { return (r->PLLCFGR & PLLCFGR_PLLSRC) != 0; }
static bool pll_src_ready(const struct rcc *r) { return pll_src_hse(r) ? hse_ready(r) : hsi_ready(r); }

static uint32_t pll_vco_hz(const struct rcc *r)
{
    uint32_t m = FIELD(r->PLLCFGR, 0, 6), n = FIELD(r->PLLCFGR, 6, 9);
    if (m < 2)
        return 0;
    return (uint32_t)((uint64_t)(pll_src_hse(r) ? HSE_HZ : HSI_HZ) / m * n);
}

uint32_t rcc_pll_p_hz(const struct rcc *r) { return pll_vco_hz(r) / (2u * (FIELD(r->PLLCFGR, 16, 2) + 1u)); }

uint32_t rcc_pll_r_hz(const struct rcc *r)
{
    uint32_t div = FIELD(r->PLLCFGR, 28, 3);
    return div < 2 ? 0 : pll_vco_hz(r) / div;
}

uint32_t rcc_sysclk_hz(const struct rcc *r)
{
    switch (FIELD(r->CFGR, CFGR_SWS_POS, 2)) {
    case 1: return HSE_HZ;
    case 2: return rcc_pll_p_hz(r);
    case 3: return rcc_pll_r_hz(r);
    default: return HSI_HZ;
    }
}

uint32_t rcc_hclk_hz(const struct rcc *r)
{
    static const uint16_t div[8] = {2, 4, 8, 16, 64, 128, 256, 512};
    uint32_t hpre = FIELD(r->CFGR, 4, 4);
    return (hpre & 8u) ? rcc_sysclk_hz(r) / div[hpre & 7u] : rcc_sysclk_hz(r);
}

static uint32_t apb_div(uint32_t ppre) { return (ppre & 4u) ? 2u << (ppre & 3u) : 1u; }

uint32_t rcc_pclk1_hz(const struct rcc *r) { return rcc_hclk_hz(r) / apb_div(FIELD(r->CFGR, 10, 3)); }
uint32_t rcc_pclk2_hz(const struct rcc *r) { return rcc_hclk_hz(r) / apb_div(FIELD(r->CFGR, 13, 3)); }

/* RM0390 6.2 and 6.3.27 (TIMPRE): x1 when the APB prescaler is 1, else x2;
 * with TIMPRE, HCLK up to a prescaler of 4, else x4. */
static uint32_t timclk(const struct rcc *r, uint32_t ppre)
{
    uint32_t div = apb_div(ppre), pclk = rcc_hclk_hz(r) / div;
    if (r->DCKCFGR & DCKCFGR_TIMPRE)
        return div <= 4 ? rcc_hclk_hz(r) : pclk * 4u;
    return div == 1 ? pclk : pclk * 2u;
}

uint32_t rcc_timclk1_hz(const struct rcc *r) { return timclk(r, FIELD(r->CFGR, 10, 3)); }
uint32_t rcc_timclk2_hz(const struct rcc *r) { return timclk(r, FIELD(r->CFGR, 13, 3)); }

static void update_irq(struct rcc *r)
{
    sim_irq_set_level(sim_of(r), RCC_IRQ, (r->CIR & (r->CIR >> 8) & 0x7Fu) != 0);
}

static void ready_flag(struct rcc *r, uint32_t cir_flag)
{
    /* RM0390 6.3.4: xxxRDYF is set when the clock becomes stable and xxxRDYIE is set. */
    if (r->CIR & (cir_flag << 8))
        r->CIR |= cir_flag;
    update_irq(r);
}

static bool source_ready(const struct rcc *r, uint32_t sw)
{
    switch (sw) {
    case 0: return hsi_ready(r);
    case 1: return hse_ready(r);
    default: return (r->CR & CR_PLLRDY) != 0;
    }
}

/* Applies SW once its source is ready (RM0390 6.2.6: the switch happens only
 * when the target clock is ready), then propagates clocks. */
static void rcc_eval(struct rcc *r)
{
    uint32_t sw = FIELD(r->CFGR, 0, 2);
    if (sw != FIELD(r->CFGR, CFGR_SWS_POS, 2) && source_ready(r, sw))
        r->CFGR = (r->CFGR & ~(3u << CFGR_SWS_POS)) | (sw << CFGR_SWS_POS);

    uint32_t hclk = rcc_hclk_hz(r);
    if (hclk > 180000000u)
        sim_warn(sim_of(r), "RCC: HCLK %u Hz above the 180 MHz maximum (DS10693 table 17)", hclk);
    if (rcc_pclk1_hz(r) > 45000000u)
        sim_warn(sim_of(r), "RCC: PCLK1 %u Hz above the 45 MHz maximum (RM0390 6.2)", rcc_pclk1_hz(r));
    if (rcc_pclk2_hz(r) > 90000000u)
        sim_warn(sim_of(r), "RCC: PCLK2 %u Hz above the 90 MHz maximum (RM0390 6.2)", rcc_pclk2_hz(r));
    if (hclk != r->hclk_hz) {
        r->hclk_hz = hclk;
        sim_set_hclk(sim_of(r), hclk);
    }
    f446_clocks_changed(r->chip);
}

static void pll_check_config(struct rcc *r)
{
    uint32_t m = FIELD(r->PLLCFGR, 0, 6), n = FIELD(r->PLLCFGR, 6, 9);
    uint32_t in = m ? (pll_src_hse(r) ? HSE_HZ : HSI_HZ) / m : 0;
    /* RM0390 6.3.2: VCO input 1..2 MHz, PLLN 50..432, VCO output 100..432 MHz. */
    if (m < 2 || in < 950000u || in > 2100000u)
        sim_warn(sim_of(r), "RCC: PLL input %u Hz (PLLM=%u) outside 0.95..2.1 MHz (RM0390 6.3.2)", in, m);
    if (n < 50 || n > 432 || pll_vco_hz(r) < 100000000u || pll_vco_hz(r) > 432000000u)
        sim_warn(sim_of(r), "RCC: PLL VCO %u Hz (PLLN=%u) outside 100..432 MHz (RM0390 6.3.2)",
                 pll_vco_hz(r), n);
    if (FIELD(r->PLLCFGR, 24, 4) < 2)
        sim_warn(sim_of(r), "RCC: PLLQ=%u is a wrong configuration (RM0390 6.3.2)", FIELD(r->PLLCFGR, 24, 4));
}

static void osc_event(sim_t *s, void *dev, uint32_t which);

static void schedule(struct rcc *r, struct sim_event *ev, uint64_t delay, uint32_t which)
{
    sim_event_at(sim_of(r), ev, sim_now_ps(sim_of(r)) + delay, osc_event, r, which);
}

static void pll_maybe_lock(struct rcc *r)
{
    if ((r->CR & CR_PLLON) && !(r->CR & CR_PLLRDY) && pll_src_ready(r) && !r->ev_pll.queued)
        schedule(r, &r->ev_pll, PLL_LOCK_PS, CR_PLLRDY);
}

static void osc_event(sim_t *s, void *dev, uint32_t which)
{
    (void)s;
    struct rcc *r = dev;
    switch (which) {
    case CR_HSIRDY:
        if (!(r->CR & CR_HSION))
            return;
        r->CR |= CR_HSIRDY;
        ready_flag(r, CIR_HSIRDYF);
        break;
    case CR_HSERDY:
        if (!(r->CR & CR_HSEON))
            return;
        r->CR |= CR_HSERDY;
        ready_flag(r, CIR_HSERDYF);
        break;
    case CR_PLLRDY:
        if (!(r->CR & CR_PLLON) || !pll_src_ready(r))
            return;
        r->CR |= CR_PLLRDY;
        ready_flag(r, CIR_PLLRDYF);
        pwr_update(&r->chip->pwr);
        break;
    case CR_PLLI2SRDY:
        r->CR |= CR_PLLI2SRDY;
        ready_flag(r, CIR_PLLI2SRDYF);
        break;
    case CR_PLLSAIRDY:
        r->CR |= CR_PLLSAIRDY;
        ready_flag(r, CIR_PLLSAIRDYF);
        break;
    default: return;
    }
    pll_maybe_lock(r);
    rcc_eval(r);
}

static void write_cr(struct rcc *r, uint32_t v)
{
    uint32_t sws = FIELD(r->CFGR, CFGR_SWS_POS, 2);
    bool pll_sys = sws >= 2;
    /* RM0390 6.3.1: an oscillator used directly or through the PLL as system
     * clock cannot be stopped; the PLL cannot be stopped while it is SYSCLK. */
    if ((sws == 0 || (pll_sys && !pll_src_hse(r))) && !(v & CR_HSION))
        v |= CR_HSION;
    if ((sws == 1 || (pll_sys && pll_src_hse(r))) && !(v & CR_HSEON))
        v |= CR_HSEON;
    if (pll_sys && !(v & CR_PLLON))
        v |= CR_PLLON;
    /* HSEBYP can be written only while the HSE is off (RM0390 6.3.1). */
    if ((r->CR & CR_HSEON) || (r->CR & CR_HSERDY))
        v = (v & ~CR_HSEBYP) | (r->CR & CR_HSEBYP);

    uint32_t old = r->CR;
    r->CR = (old & ~CR_WRITABLE) | (v & CR_WRITABLE);
    uint32_t on = r->CR & ~old, off = old & ~r->CR;

    if (off & CR_HSION) {
        r->CR &= ~CR_HSIRDY;
        sim_event_cancel(sim_of(r), &r->ev_hsi);
    }
    if (on & CR_HSION)
        schedule(r, &r->ev_hsi, HSI_STARTUP_PS, CR_HSIRDY);
    if (off & CR_HSEON) {
        r->CR &= ~CR_HSERDY;
        sim_event_cancel(sim_of(r), &r->ev_hse);
    }
    if (on & CR_HSEON) {
        if (r->CR & CR_HSEBYP)
            schedule(r, &r->ev_hse, HSE_STARTUP_PS, CR_HSERDY);
        else
            sim_warn(sim_of(r), "RCC: HSEON without HSEBYP: the Nucleo-F446RE has no crystal on X3, "
                                "HSE comes from the ST-LINK MCO in bypass (RM0390 6.2.1); HSERDY stays 0");
    }
    if (off & CR_PLLON) {
        r->CR &= ~CR_PLLRDY;
        sim_event_cancel(sim_of(r), &r->ev_pll);
        pwr_update(&r->chip->pwr);
    }
    if (on & CR_PLLON)
        pll_check_config(r);
    if (off & CR_PLLI2SON) {
        r->CR &= ~CR_PLLI2SRDY;
        sim_event_cancel(sim_of(r), &r->ev_plli2s);
    }
    if (on & CR_PLLI2SON)
        schedule(r, &r->ev_plli2s, PLL_LOCK_PS, CR_PLLI2SRDY);
    if (off & CR_PLLSAION) {
        r->CR &= ~CR_PLLSAIRDY;
        sim_event_cancel(sim_of(r), &r->ev_pllsai);
    }
    if (on & CR_PLLSAION)
        schedule(r, &r->ev_pllsai, PLL_LOCK_PS, CR_PLLSAIRDY);
    /* A PLL whose input went away loses lock. */
    if ((r->CR & CR_PLLRDY) && !pll_src_ready(r))
        r->CR &= ~CR_PLLRDY;
    pll_maybe_lock(r);
    rcc_eval(r);
}

static void write_bdcr(struct rcc *r, uint32_t v)
{
    /* RM0390 5.1.2: the backup domain is write-protected until PWR_CR.DBP = 1. */
    if (!(r->chip->pwr.CR & PWR_CR_DBP)) {
        sim_warn(sim_of(r), "RCC: BDCR written while PWR_CR.DBP=0: ignored (RM0390 5.1.2)");
        return;
    }
    if (v & BIT(16)) { /* BDRST */
        r->BDCR = BIT(16);
        return;
    }
    r->BDCR = v & BDCR_MASK & ~BDCR_LSERDY;
    if (r->BDCR & BDCR_LSEON)
        r->BDCR |= BDCR_LSERDY;
}

static uint32_t *plain_reg(struct rcc *r, uint32_t off, uint32_t *mask)
{
    switch (off) {
    case 0x80: *mask = 0xCFFFFFFFu; return &r->SSCGR;
    case 0x84: *mask = 0x7F037FFFu; return &r->PLLI2SCFGR;
    case 0x88: *mask = 0x0F037FFFu; return &r->PLLSAICFGR;
    case 0x90: *mask = 0x0000007Fu; return &r->CKGATENR;
    case 0x94: *mask = 0x3CC00000u; return &r->DCKCFGR2;
    default: break;
    }
    if (off >= 0x50 && off <= 0x64 && off != 0x5C) {
        *mask = 0xFFFFFFFFu;
        return &r->LPENR[(off - 0x50) / 4 - (off >= 0x60 ? 1 : 0)];
    }
    return NULL;
}

static int bus_of(uint32_t off, uint32_t base)
{
    if (off < base || off > base + 0x14 || off == base + 0x0C)
        return -1;
    return (int)((off - base) / 4) - (off >= base + 0x10 ? 1 : 0);
}

static uint32_t rcc_read(void *dev, uint32_t offset, unsigned size)
{
    struct rcc *r = dev;
    uint32_t off = offset & ~3u, v, mask;
    int bus;
    uint32_t *p;
    switch (off) {
    case 0x00: v = r->CR; break;
    case 0x04: v = r->PLLCFGR; break;
    case 0x08: v = r->CFGR; break;
    case 0x0C: v = r->CIR & 0x00007FFFu; break; /* PLLI2SRDYF, PLLSAIRDYF are bits 5, 6 (6.3.4) */
    case 0x70: v = r->BDCR; break;
    case 0x74: v = r->CSR; break;
    case 0x8C: v = r->DCKCFGR; break;
    default:
        if ((bus = bus_of(off, 0x10)) >= 0)
            v = r->RSTR[bus];
        else if ((bus = bus_of(off, 0x30)) >= 0)
            v = r->ENR[bus];
        else if ((p = plain_reg(r, off, &mask)) != NULL)
            v = *p;
        else {
            sim_unmodeled(sim_of(r), 0x40023800u + off, false);
            return 0;
        }
    }
    return regio_read_lane(v, offset, size);
}

static void rcc_write(void *dev, uint32_t offset, uint32_t value, unsigned size)
{
    struct rcc *r = dev;
    uint32_t lane = regio_lane(&offset, &value, size), mask;
    int bus;
    uint32_t *p;
    switch (offset) {
    case 0x00: write_cr(r, regio_merge(r->CR, value, lane)); return;
    case 0x04:
        /* RM0390 6.3.2: write only while the PLL is off. */
        if (r->CR & CR_PLLON) {
            sim_warn(sim_of(r), "RCC: PLLCFGR written while PLLON=1: ignored (RM0390 6.3.2)");
            return;
        }
        r->PLLCFGR = regio_merge(r->PLLCFGR, value, lane & PLLCFGR_MASK);
        pll_maybe_lock(r);
        rcc_eval(r);
        return;
    case 0x08:
        r->CFGR = regio_merge(r->CFGR, value, lane & CFGR_MASK);
        rcc_eval(r);
        return;
    case 0x0C: {
        uint32_t v = regio_merge(r->CIR, value, lane);
        r->CIR = (r->CIR & ~0x7F00u) | (v & 0x7F00u);
        r->CIR &= ~((value & lane) >> 16 & 0xFFu); /* xxxRDYC / CSSC clear the flags */
        update_irq(r);
        return;
    }
    case 0x70: write_bdcr(r, regio_merge(r->BDCR, value, lane)); return;
    case 0x74: {
        uint32_t v = regio_merge(r->CSR, value, lane);
        r->CSR = (r->CSR & CSR_FLAGS) | (v & CSR_LSION) | ((v & CSR_LSION) ? CSR_LSIRDY : 0);
        if (v & CSR_RMVF)
            r->CSR &= ~CSR_FLAGS;
        return;
    }
    case 0x8C:
        r->DCKCFGR = regio_merge(r->DCKCFGR, value, lane & 0x1FF01F1Fu);
        rcc_eval(r);
        return;
    default: break;
    }
    if ((bus = bus_of(offset, 0x10)) >= 0) {
        uint32_t v = regio_merge(r->RSTR[bus], value, lane & rstr_mask[bus]);
        uint32_t rising = v & ~r->RSTR[bus];
        r->RSTR[bus] = v;
        if (rising)
            f446_peripheral_reset(r->chip, (enum rcc_bus)bus, rising);
    } else if ((bus = bus_of(offset, 0x30)) >= 0) {
        r->ENR[bus] = regio_merge(r->ENR[bus], value, lane & enr_mask[bus]);
    } else if ((p = plain_reg(r, offset, &mask)) != NULL) {
        *p = regio_merge(*p, value, lane & mask);
    } else {
        sim_unmodeled(sim_of(r), 0x40023800u + offset, true);
    }
}

const struct sim_mmio_ops rcc_ops = {rcc_read, rcc_write, NULL};

void rcc_reset(struct rcc *r, enum f446_reset_cause cause)
{
    sim_t *s = sim_of(r);
    sim_event_cancel(s, &r->ev_hsi);
    sim_event_cancel(s, &r->ev_hse);
    sim_event_cancel(s, &r->ev_pll);
    sim_event_cancel(s, &r->ev_plli2s);
    sim_event_cancel(s, &r->ev_pllsai);
    /* Values from RM0390 6.3 / the SVD; HSI runs and is ready out of reset. */
    r->CR = 0x00000083u;
    r->PLLCFGR = 0x24003010u;
    r->CFGR = 0;
    r->CIR = 0;
    for (int i = 0; i < RCC_NBUS; i++) {
        r->RSTR[i] = 0;
        r->ENR[i] = enr_reset[i];
        r->LPENR[i] = lpenr_reset[i];
    }
    r->SSCGR = 0;
    r->PLLI2SCFGR = 0x20003000u;
    r->PLLSAICFGR = 0x24003000u;
    r->DCKCFGR = 0;
    r->CKGATENR = 0;
    r->DCKCFGR2 = 0;
    /* RM0390 6.3.21: reset flags survive a system reset, cleared by RMVF or a
     * power reset; the backup domain (BDCR) survives a system reset. */
    switch (cause) {
    case F446_RESET_POWER:
        r->BDCR = 0;
        r->CSR = CSR_PORRSTF | CSR_PINRSTF | CSR_BORRSTF;
        break;
    case F446_RESET_PIN: r->CSR = (r->CSR & CSR_FLAGS) | CSR_PINRSTF; break;
    case F446_RESET_SOFTWARE: r->CSR = (r->CSR & CSR_FLAGS) | CSR_SFTRSTF | CSR_PINRSTF; break;
    }
    r->hclk_hz = HSI_HZ;
    sim_set_hclk(s, HSI_HZ);
    sim_irq_set_level(s, RCC_IRQ, false);
}
