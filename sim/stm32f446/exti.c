/*
 * SYSCFG (RM0390 section 8) and EXTI (RM0390 section 10). GPIO edges reach
 * EXTI lines 0..15 through SYSCFG_EXTICRx. Lines 16..22 (PVD, RTC, USB
 * wake-up) have no modeled source; SWIER still drives them. Each line
 * raises its interrupt (IMR) and/or an event for the core's WFE (EMR).
 */
#include "f446.h"
#include "regio.h"

#define SYSCFG_BASE_ADDR 0x40013800u
#define EXTI_BASE_ADDR 0x40013C00u
#define EXTI_LINES 0x007FFFFFu
#define MEMRMP_MASK 0x00000D07u
#define PMC_MASK 0x00870000u
#define CMPCR_CMP_PD BIT(0)
#define CMPCR_READY BIT(8)

/* NVIC lines fed by EXTI (RM0390 table 38 / the SVD). */
static const struct {
    int irqn;
    uint32_t lines;
} exti_irqs[] = {
    {6, BIT(0)},  {7, BIT(1)},  {8, BIT(2)},  {9, BIT(3)},  {10, BIT(4)},
    {23, 0x3E0u}, {40, 0xFC00u}, {1, BIT(16)}, {41, BIT(17)}, {42, BIT(18)},
    {76, BIT(20)}, {2, BIT(21)}, {3, BIT(22)},
};

static void update_irqs(struct exti *e)
{
    uint32_t active = e->PR & e->IMR;
    for (size_t i = 0; i < sizeof exti_irqs / sizeof exti_irqs[0]; i++)
        sim_irq_set_level(e->chip->sim, exti_irqs[i].irqn, (active & exti_irqs[i].lines) != 0);
}

static void trigger(struct exti *e, uint32_t lines)
{
    /* RM0390 10.2.3 / figure 29: the pending bit is set only for unmasked
     * lines (IMR). A line whose event is unmasked (EMR) sends an event
     * pulse to the core, which wakes it from WFE; no pending bit is set
     * for the event ("Event management": "the pending bit corresponding to
     * the event line is not set"). */
    e->PR |= lines & e->IMR;
    update_irqs(e);
    if (lines & e->EMR)
        sim_cpu_event(e->chip->sim);
}

void exti_gpio_edge(struct f446 *c, int port, int pin, bool rising)
{
    struct exti *e = &c->exti;
    unsigned sel = FIELD(c->syscfg.EXTICR[pin / 4], 4 * (pin % 4), 4);
    if ((int)sel != port)
        return;
    uint32_t line = BIT(pin);
    if ((rising && (e->RTSR & line)) || (!rising && (e->FTSR & line)))
        trigger(e, line);
}

static uint32_t syscfg_read(void *dev, uint32_t offset, unsigned size)
{
    struct f446 *c = dev;
    struct syscfg *s = &c->syscfg;
    uint32_t v;
    switch (offset & ~3u) {
    case 0x00: v = s->MEMRMP; break;
    case 0x04: v = s->PMC; break;
    case 0x08: case 0x0C: case 0x10: case 0x14: v = s->EXTICR[((offset & ~3u) - 8) / 4]; break;
    case 0x20: v = s->CMPCR; break;
    default: sim_unmodeled(c->sim, SYSCFG_BASE_ADDR + (offset & ~3u), false); return 0;
    }
    return regio_read_lane(v, offset, size);
}

static void syscfg_write(void *dev, uint32_t offset, uint32_t value, unsigned size)
{
    struct f446 *c = dev;
    struct syscfg *s = &c->syscfg;
    uint32_t lane = regio_lane(&offset, &value, size);
    switch (offset) {
    case 0x00:
        s->MEMRMP = regio_merge(s->MEMRMP, value, lane & MEMRMP_MASK);
        if (s->MEMRMP & 7u)
            sim_warn(c->sim, "SYSCFG: MEMRMP.MEM_MODE=%u: memory remapping at 0 is not modeled "
                             "(address 0 stays an alias of flash)", s->MEMRMP & 7u);
        break;
    case 0x04: s->PMC = regio_merge(s->PMC, value, lane & PMC_MASK); break;
    case 0x08: case 0x0C: case 0x10: case 0x14:
        s->EXTICR[(offset - 8) / 4] = regio_merge(s->EXTICR[(offset - 8) / 4], value, lane & 0xFFFFu);
        break;
    case 0x20:
        /* RM0390 8.2.8: READY follows CMP_PD (the cell's start-up is not modeled). */
        s->CMPCR = (regio_merge(s->CMPCR, value, lane) & CMPCR_CMP_PD);
        if (s->CMPCR & CMPCR_CMP_PD)
            s->CMPCR |= CMPCR_READY;
        break;
    default: sim_unmodeled(c->sim, SYSCFG_BASE_ADDR + offset, true); break;
    }
}

const struct sim_mmio_ops syscfg_ops = {syscfg_read, syscfg_write, NULL};

void syscfg_reset(struct syscfg *s)
{
    s->MEMRMP = 0;
    s->PMC = 0;
    for (int i = 0; i < 4; i++)
        s->EXTICR[i] = 0;
    s->CMPCR = 0;
}

static uint32_t exti_read(void *dev, uint32_t offset, unsigned size)
{
    struct exti *e = dev;
    uint32_t v;
    switch (offset & ~3u) {
    case 0x00: v = e->IMR; break;
    case 0x04: v = e->EMR; break;
    case 0x08: v = e->RTSR; break;
    case 0x0C: v = e->FTSR; break;
    case 0x10: v = e->SWIER; break;
    case 0x14: v = e->PR; break;
    default: sim_unmodeled(e->chip->sim, EXTI_BASE_ADDR + (offset & ~3u), false); return 0;
    }
    return regio_read_lane(v, offset, size);
}

static void exti_write(void *dev, uint32_t offset, uint32_t value, unsigned size)
{
    struct exti *e = dev;
    uint32_t lane = regio_lane(&offset, &value, size) & EXTI_LINES;
    switch (offset) {
    case 0x00: e->IMR = regio_merge(e->IMR, value, lane); break;
    case 0x04: e->EMR = regio_merge(e->EMR, value, lane); break;
    case 0x08: e->RTSR = regio_merge(e->RTSR, value, lane); break;
    case 0x0C: e->FTSR = regio_merge(e->FTSR, value, lane); break;
    case 0x10: {
        /* RM0390 10.3.5: writing 1 to a SWIER bit that is 0 sets the pending
         * bit when the line is unmasked; SWIER is cleared with PR. */
        uint32_t rising = value & lane & ~e->SWIER;
        e->SWIER |= value & lane;
        trigger(e, rising);
        return;
    }
    case 0x14:
        /* PR is rc_w1; clearing a pending bit also clears SWIER (10.3.6). */
        e->PR &= ~(value & lane);
        e->SWIER &= ~(value & lane);
        break;
    default: sim_unmodeled(e->chip->sim, EXTI_BASE_ADDR + offset, true); return;
    }
    update_irqs(e);
}

const struct sim_mmio_ops exti_ops = {exti_read, exti_write, NULL};

void exti_reset(struct exti *e)
{
    e->IMR = e->EMR = e->RTSR = e->FTSR = e->SWIER = e->PR = 0;
    update_irqs(e);
}
