/*
 * The STM32F446 as a whole: maps every peripheral (bases from the SVD,
 * clock gating from RM0390 6.3.10-6.3.14), dispatches resets and clock
 * changes between the models, and the DBGMCU (RM0390 33.16).
 */
#include <stdlib.h>

#include "f446.h"
#include "regio.h"

#define DBGMCU_BASE_ADDR 0xE0042000u
/* RM0390 33.6.1: DEV_ID 0x421 (STM32F446xx), REV_ID 0x1000 (revision A). */
#define DBGMCU_IDCODE 0x10006421u

static const struct {
    const char *name;
    uint32_t base;
    int irqn;
    enum rcc_bus bus;
    uint32_t bit;
    bool wide;
} tims[4] = {
    {"TIM2", 0x40000000u, 28, RCC_APB1, BIT(0), true},
    {"TIM3", 0x40000400u, 29, RCC_APB1, BIT(1), false},
    {"TIM4", 0x40000800u, 30, RCC_APB1, BIT(2), false},
    {"TIM5", 0x40000C00u, 50, RCC_APB1, BIT(3), true},
};

static const struct {
    const char *name;
    uint32_t base;
    int irq_ev, irq_er;
    uint32_t bit; /* APB1ENR */
} i2cs[3] = {
    {"I2C1", 0x40005400u, 31, 32, BIT(21)},
    {"I2C2", 0x40005800u, 33, 34, BIT(22)},
    {"I2C3", 0x40005C00u, 72, 73, BIT(23)},
};

static const struct {
    const char *name;
    uint32_t base;
    int irqn;
    enum rcc_bus bus;
    uint32_t bit;
} usarts[6] = {
    {"USART1", 0x40011000u, 37, RCC_APB2, BIT(4)},  {"USART2", 0x40004400u, 38, RCC_APB1, BIT(17)},
    {"USART3", 0x40004800u, 39, RCC_APB1, BIT(18)}, {"UART4", 0x40004C00u, 52, RCC_APB1, BIT(19)},
    {"UART5", 0x40005000u, 53, RCC_APB1, BIT(20)},  {"USART6", 0x40011400u, 71, RCC_APB2, BIT(5)},
};

static const struct {
    const char *name;
    uint32_t base;
    int irqn;
    enum rcc_bus bus;
    uint32_t bit;
} spis[4] = {
    {"SPI1", 0x40013000u, 35, RCC_APB2, BIT(12)},
    {"SPI2", 0x40003800u, 36, RCC_APB1, BIT(14)},
    {"SPI3", 0x40003C00u, 51, RCC_APB1, BIT(15)},
    {"SPI4", 0x40013400u, 84, RCC_APB2, BIT(13)},
};
static const char *const adc_names[ADC_COUNT] = {"ADC1", "ADC2", "ADC3"};

static const char *const gpio_names[8] = {"GPIOA", "GPIOB", "GPIOC", "GPIOD",
                                          "GPIOE", "GPIOF", "GPIOG", "GPIOH"};

static uint32_t dbgmcu_read(void *dev, uint32_t offset, unsigned size)
{
    struct f446 *c = dev;
    uint32_t v;
    switch (offset & ~3u) {
    case 0x00: v = DBGMCU_IDCODE; break;
    case 0x04: v = c->DBGMCU_CR; break;
    case 0x08: v = c->DBGMCU_APB1_FZ; break;
    case 0x0C: v = c->DBGMCU_APB2_FZ; break;
    default: sim_unmodeled(c->sim, DBGMCU_BASE_ADDR + (offset & ~3u), false); return 0;
    }
    return regio_read_lane(v, offset, size);
}

static void dbgmcu_write(void *dev, uint32_t offset, uint32_t value, unsigned size)
{
    struct f446 *c = dev;
    uint32_t lane = regio_lane(&offset, &value, size);
    /* Stored only: no debugger halts the simulated core, so the freeze bits have no effect. */
    switch (offset) {
    case 0x04: c->DBGMCU_CR = regio_merge(c->DBGMCU_CR, value, lane & 0xE7u); break;
    case 0x08: c->DBGMCU_APB1_FZ = regio_merge(c->DBGMCU_APB1_FZ, value, lane & 0x07E01DFFu); break;
    case 0x0C: c->DBGMCU_APB2_FZ = regio_merge(c->DBGMCU_APB2_FZ, value, lane & 0x00070003u); break;
    default: sim_unmodeled(c->sim, DBGMCU_BASE_ADDR + offset, true); break;
    }
}

const struct sim_mmio_ops dbgmcu_ops = {dbgmcu_read, dbgmcu_write, NULL};

/* SPIx TXE/RXNE with TXDMAEN/RXDMAEN drive the SPIx_TX/RX DMA request lines
 * (RM0390 26.3.9; the streams and channels are in tables 28/29). */
static void spi_dma_line(void *ctx, int spi_index, bool tx, bool asserted)
{
    dma_request(ctx, (enum dma_req)(DMA_REQ_SPI1_RX + 2 * spi_index + (tx ? 1 : 0)), asserted);
}

/* ADCx with CR2.DMA drive the ADCx DMA request lines (RM0390 13.8.1,
 * table 29: DMA2, ADC1 stream 0/4 channel 0, ADC2 stream 2/3 channel 1,
 * ADC3 stream 0/1 channel 2); dma_xfer.c tells the ADC about the stream's
 * last transfer (adc_dma_last, for DDS = 0). */
static void adc_dma_raise(void *ctx, struct adc *a)
{
    dma_request(ctx, (enum dma_req)(DMA_REQ_ADC1 + a->index), true);
}

static void adc_dma_drop(void *ctx, struct adc *a)
{
    dma_request(ctx, (enum dma_req)(DMA_REQ_ADC1 + a->index), false);
}

void f446_init(struct f446 *c, sim_t *s, const struct f446_board_hooks *hooks)
{
    c->sim = s;
    if (hooks)
        c->hooks = *hooks;
    const uint32_t *enr = c->rcc.ENR;
    c->rcc.chip = c->flash.chip = c->pwr.chip = c->exti.chip = c;

    sim_mmio_map(s, "RCC", 0x40023800u, 0x400u, &rcc_ops, &c->rcc, NULL, 0);
    sim_mmio_map(s, "FLASH", 0x40023C00u, 0x400u, &flash_ops, &c->flash, NULL, 0);
    flash_init(&c->flash);
    sim_mmio_map(s, "PWR", 0x40007000u, 0x400u, &pwr_ops, &c->pwr, &enr[RCC_APB1], BIT(28));
    c->bkpsram.chip = c;
    sim_mmio_map(s, "BKPSRAM", BKPSRAM_BASE_ADDR, BKPSRAM_SIZE, &bkpsram_ops, &c->bkpsram, &enr[RCC_AHB1],
                 BIT(18)); /* BKPSRAMEN */
    for (int p = 0; p < 8; p++) {
        c->gpio[p].chip = c;
        c->gpio[p].port = p;
        sim_mmio_map(s, gpio_names[p], 0x40020000u + 0x400u * (uint32_t)p, 0x400u, &gpio_ops, &c->gpio[p],
                     &enr[RCC_AHB1], BIT(p));
    }
    sim_mmio_map(s, "SYSCFG", 0x40013800u, 0x400u, &syscfg_ops, c, &enr[RCC_APB2], BIT(14));
    sim_mmio_map(s, "EXTI", 0x40013C00u, 0x400u, &exti_ops, &c->exti, NULL, 0);
    for (int k = 0; k < 4; k++) {
        struct tim *t = &c->tim[k];
        t->chip = c;
        t->name = tims[k].name;
        t->base = tims[k].base;
        t->irqn = tims[k].irqn;
        t->wide = tims[k].wide;
        sim_mmio_map(s, t->name, t->base, 0x400u, &tim_ops, t, &enr[tims[k].bus], tims[k].bit);
    }
    for (int k = 0; k < 3; k++) {
        struct i2c *i = &c->i2c[k];
        i->chip = c;
        i->name = i2cs[k].name;
        i->base = i2cs[k].base;
        i->index = k;
        i->irq_ev = i2cs[k].irq_ev;
        i->irq_er = i2cs[k].irq_er;
        sim_mmio_map(s, i->name, i->base, 0x400u, &i2c_ops, i, &enr[RCC_APB1], i2cs[k].bit);
    }
    for (int k = 0; k < 6; k++) {
        struct usart *u = &c->usart[k];
        u->chip = c;
        u->name = usarts[k].name;
        u->base = usarts[k].base;
        u->index = k;
        u->irqn = usarts[k].irqn;
        u->apb2 = usarts[k].bus == RCC_APB2;
        sim_mmio_map(s, u->name, u->base, 0x400u, &usart_ops, u, &enr[usarts[k].bus], usarts[k].bit);
    }
    for (int k = 0; k < 2; k++) {
        static const char *const names[2] = {"DMA1", "DMA2"};
        /* IRQ numbers from chip/stm32f446/stm32f446.facts (RM0390 table 38). */
        static const int irqs[2][DMA_STREAMS] = {{11, 12, 13, 14, 15, 16, 17, 47},
                                                 {56, 57, 58, 59, 60, 68, 69, 70}};
        struct dma *d = &c->dma[k];
        d->chip = c;
        d->name = names[k];
        d->index = k;
        for (int n = 0; n < DMA_STREAMS; n++)
            d->irqn[n] = irqs[k][n];
        sim_mmio_map(s, d->name, 0x40026000u + 0x400u * (uint32_t)k, 0x400u, &dma_ops, d, &enr[RCC_AHB1],
                     BIT(21 + k));
    }
    for (int k = 0; k < 4; k++) {
        struct spi *p = &c->spi[k];
        p->chip = c;
        p->name = spis[k].name;
        p->base = spis[k].base;
        p->index = k;
        p->irqn = spis[k].irqn;
        p->apb2 = spis[k].bus == RCC_APB2;
        p->dma_request = spi_dma_line;
        p->dma_ctx = c;
        sim_mmio_map(s, p->name, p->base, 0x400u, &spi_ops, p, &enr[spis[k].bus], spis[k].bit);
    }
    adc_common_init(&c->adc, c);
    for (int k = 0; k < ADC_COUNT; k++)
        c->adc.adc[k].dma = (struct adc_dma_port){adc_dma_raise, c, adc_dma_drop};
    for (int k = 0; k < ADC_COUNT; k++) /* one page, four regions (RM0390 13.13.18) */
        sim_mmio_map(s, adc_names[k], ADC_BASE_ADDR + 0x100u * (uint32_t)k, 0x100u, &adc_ops, &c->adc.adc[k],
                     &enr[RCC_APB2], BIT(8 + k));
    sim_mmio_map(s, "C_ADC", ADC_COMMON_ADDR, 0x100u, &adc_common_ops, &c->adc, &enr[RCC_APB2], BIT(8));
    sim_mmio_map(s, "DBGMCU", DBGMCU_BASE_ADDR, 0x400u, &dbgmcu_ops, c, NULL, 0);
    for (size_t k = 0; k < f446_unmodeled_count && k < F446_MAX_UNMODELED; k++) {
        const struct f446_unmodeled *e = &f446_unmodeled_table[k];
        c->unmodeled[k].chip = c;
        c->unmodeled[k].entry = e;
        sim_mmio_map(s, e->name, e->base, e->size, &unmodeled_ops, &c->unmodeled[k],
                     e->bus == RCC_NBUS ? NULL : &enr[e->bus], e->bit);
    }
    f446_reset(c, F446_RESET_POWER);
}

void f446_reset(struct f446 *c, enum f446_reset_cause cause)
{
    rcc_reset(&c->rcc, cause);
    flash_reset(&c->flash);
    pwr_reset(&c->pwr, cause);
    if (cause == F446_RESET_POWER) /* the backup domain keeps its content over a system reset */
        bkpsram_power_on(&c->bkpsram);
    syscfg_reset(&c->syscfg);
    exti_reset(&c->exti);
    for (int p = 0; p < 8; p++)
        gpio_reset(&c->gpio[p]);
    for (int k = 0; k < 4; k++)
        tim_reset(&c->tim[k]);
    for (int k = 0; k < 3; k++)
        i2c_reset(&c->i2c[k]);
    for (int k = 0; k < 6; k++)
        usart_reset(&c->usart[k]);
    for (int k = 0; k < 2; k++)
        dma_reset(&c->dma[k]);
    for (int k = 0; k < 4; k++)
        spi_reset(&c->spi[k]);
    adc_reset(&c->adc);
    if (cause == F446_RESET_POWER) /* DBGMCU is reset by power-on only (RM0390 33.16.3) */
        c->DBGMCU_CR = c->DBGMCU_APB1_FZ = c->DBGMCU_APB2_FZ = 0;
}

void f446_free(struct f446 *c)
{
    for (int k = 0; k < 6; k++) {
        free(c->usart[k].rx_queue);
        c->usart[k].rx_queue = NULL;
        c->usart[k].rx_cap = 0;
    }
    adc_inputs_free(&c->adc);
}

void f446_clocks_changed(struct f446 *c)
{
    for (int k = 0; k < 4; k++)
        if (c->tim[k].chip)
            tim_clock_changed(&c->tim[k]);
    flash_check_latency(&c->flash);
}

/* RCC_xxxRSTR bits (RM0390 6.3.5-6.3.9) put a peripheral back to its reset state. */
void f446_peripheral_reset(struct f446 *c, enum rcc_bus bus, uint32_t bits)
{
    switch (bus) {
    case RCC_AHB1:
        for (int p = 0; p < 8; p++)
            if (bits & BIT(p))
                gpio_reset(&c->gpio[p]);
        for (int k = 0; k < 2; k++) /* DMA1RST, DMA2RST (RM0390 6.3.5) */
            if (bits & BIT(21 + k))
                dma_reset(&c->dma[k]);
        break;
    case RCC_APB1:
        for (int k = 0; k < 4; k++)
            if (bits & BIT(k))
                tim_reset(&c->tim[k]);
        for (int k = 0; k < 3; k++)
            if (bits & BIT(21 + k))
                i2c_reset(&c->i2c[k]);
        for (int k = 1; k <= 4; k++) /* USART2, USART3, UART4, UART5: bits 17..20 */
            if (bits & BIT(16 + k))
                usart_reset(&c->usart[k]);
        if (bits & BIT(14))
            spi_reset(&c->spi[1]);
        if (bits & BIT(15))
            spi_reset(&c->spi[2]);
        if (bits & BIT(28))
            pwr_reset(&c->pwr, F446_RESET_SOFTWARE); /* BRE/BRR: backup domain, kept */
        break;
    case RCC_APB2:
        if (bits & BIT(4))
            usart_reset(&c->usart[0]);
        if (bits & BIT(5))
            usart_reset(&c->usart[5]);
        if (bits & BIT(12))
            spi_reset(&c->spi[0]);
        if (bits & BIT(13))
            spi_reset(&c->spi[3]);
        if (bits & BIT(8)) /* ADCRST: all three ADCs and the common registers (RM0390 6.3.8) */
            adc_reset(&c->adc);
        if (bits & BIT(14))
            syscfg_reset(&c->syscfg);
        break;
    default: break;
    }
}
