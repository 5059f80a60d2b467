/*
 * Checks the STM32F446 register headers against ST's SVD, as extracted into
 * chip/stm32f446/stm32f446.facts (passed as argv[1]): every base address,
 * register offset, field position/width and interrupt number quartz
 * defines. A mismatch names the register, e.g.
 *     RCC.AHB1ENR: offset 0x34 in quartz, 0x30 in SVD
 * check-coverage.cmake makes sure every macro and struct member of the
 * headers is listed in these tables.
 *
 * Where ST's SVD (v1.9) deviates from RM0390, quartz uses the RM0390 name;
 * each deviation is listed once, with its RM0390 section, in
 * chip/stm32f446/svd-deviations.md. The alias tables below are exactly
 * that list (single-bit splits such as PLLN0..PLLN8 are merged back before
 * comparing; the DMA streams are flattened S0CR..S7FCR in the SVD).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include "stm32f446/regs.h"
#include "facts.h"
#include "test_regs.h"

static struct facts svd; /* ST's SVD, as chip/stm32f446/stm32f446.facts */
static const char *facts_path;
int regs_failures;

void regs_fail(const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vfprintf(stderr, fmt, ap);
    va_end(ap);
    fputc('\n', stderr);
    regs_failures++;
}

/* ---- groups of instances sharing one struct (first = reference) ---- */

enum group { RCC_G, FLASH_G, PWR_G, GPIO_G, SYSCFG_G, EXTI_G, TIM_G, I2C_G, USART_G, SPI_G, DMA_G, ADC_G };

static const char *const group_instances[][9] = {
    [RCC_G] = {"RCC"},
    [FLASH_G] = {"FLASH"},
    [PWR_G] = {"PWR"},
    [GPIO_G] = {"GPIOA", "GPIOB", "GPIOC", "GPIOD", "GPIOE", "GPIOF", "GPIOG", "GPIOH"},
    [SYSCFG_G] = {"SYSCFG"},
    [EXTI_G] = {"EXTI"},
    [TIM_G] = {"TIM2", "TIM3", "TIM4", "TIM5"},
    [I2C_G] = {"I2C1", "I2C2", "I2C3"},
    [USART_G] = {"USART1", "USART2", "USART3", "UART4", "UART5", "USART6"},
    [SPI_G] = {"SPI1", "SPI2", "SPI3", "SPI4"},
    [DMA_G] = {"DMA1", "DMA2"},
    [ADC_G] = {"ADC1", "ADC2", "ADC3", "C_ADC"}, /* C_ADC: the common registers (struct stm32_adc_common) */
};

static const char *const group_names[] = {"RCC", "FLASH", "PWR", "GPIO", "SYSCFG", "EXTI",
                                          "TIM", "I2C", "USART", "SPI", "DMA", "ADC"};

/* ---- base addresses ---- */

struct instance {
    const char *name;
    uint32_t base;
    uintptr_t pointer;
};
#define I(name, base) {#name, base, (uintptr_t)(name)}

static const struct instance instances[] = {
    I(RCC, RCC_BASE), I(FLASH, FLASH_R_BASE), I(PWR, PWR_BASE),
    I(GPIOA, GPIOA_BASE), I(GPIOB, GPIOB_BASE), I(GPIOC, GPIOC_BASE), I(GPIOD, GPIOD_BASE),
    I(GPIOE, GPIOE_BASE), I(GPIOF, GPIOF_BASE), I(GPIOG, GPIOG_BASE), I(GPIOH, GPIOH_BASE),
    I(SYSCFG, SYSCFG_BASE), I(EXTI, EXTI_BASE),
    I(TIM2, TIM2_BASE), I(TIM3, TIM3_BASE), I(TIM4, TIM4_BASE), I(TIM5, TIM5_BASE),
    I(I2C1, I2C1_BASE), I(I2C2, I2C2_BASE), I(I2C3, I2C3_BASE),
    I(USART1, USART1_BASE), I(USART2, USART2_BASE), I(USART3, USART3_BASE),
    I(UART4, UART4_BASE), I(UART5, UART5_BASE), I(USART6, USART6_BASE),
    I(SPI1, SPI1_BASE), I(SPI2, SPI2_BASE), I(SPI3, SPI3_BASE), I(SPI4, SPI4_BASE),
    I(DMA1, DMA1_BASE), I(DMA2, DMA2_BASE),
    I(ADC1, ADC1_BASE), I(ADC2, ADC2_BASE), I(ADC3, ADC3_BASE),
    {"C_ADC", ADC123_COMMON_BASE, (uintptr_t)ADC123_COMMON},
};

/* Memories are not in the SVD: RM0390 section 2.3.1 (Figure 2) and 2.3.3
 * (Table 4, 512 KB main memory); SRAM1 112 KB at 0x20000000, SRAM2 16 KB
 * at 0x2001C000 (RM0390 section 2.3.1). */
static void test_bases(void **state)
{
    (void)state;
    regs_failures = 0;
    for (size_t i = 0; i < sizeof instances / sizeof instances[0]; i++) {
        const struct instance *in = &instances[i];
        const struct facts_periph *p = facts_periph(&svd, in->name);
        if (!p)
            regs_fail("%s: not in the SVD", in->name);
        else if (p->base != in->base)
            regs_fail("%s: base 0x%08X in quartz, 0x%08X in SVD", in->name, in->base, p->base);
        if (in->pointer != in->base)
            regs_fail("%s: instance pointer 0x%08lX differs from its _BASE 0x%08X", in->name,
                      (unsigned long)in->pointer, in->base);
    }
    if (FLASH_BASE != 0x08000000UL || FLASH_SIZE != 512UL * 1024U)
        regs_fail("FLASH_BASE/FLASH_SIZE: expected 0x08000000, 512 KB (RM0390 2.3.3)");
    if (SRAM1_BASE != 0x20000000UL || SRAM2_BASE != 0x2001C000UL || SRAM_SIZE != 128UL * 1024U)
        regs_fail("SRAM1_BASE/SRAM2_BASE/SRAM_SIZE: expected 0x20000000, 0x2001C000, 128 KB (RM0390 2.3.1)");
    assert_int_equal(regs_failures, 0);
}

/* ---- register offsets ---- */

struct reg_entry {
    enum group group;
    const char *member;
    size_t offset;
    const char *svd_name;
};
#define R(g, st, member, svdname) {g##_G, #member, offsetof(struct st, member), svdname},

static const struct reg_entry reg_table[] = {
#include "regs.def"
    R(DMA, stm32_dma, LISR, "LISR")
    R(DMA, stm32_dma, HISR, "HISR")
    R(DMA, stm32_dma, LIFCR, "LIFCR")
    R(DMA, stm32_dma, HIFCR, "HIFCR")
};

/* DMA_SxCR..DMA_SxFCR: SVD "S<n><name>" for stream n. */
struct stream_entry {
    const char *member;
    size_t offset;
};
#define DS(member) {#member, offsetof(struct stm32_dma_stream, member)}
static const struct stream_entry stream_table[] = {DS(CR), DS(NDTR), DS(PAR), DS(M0AR), DS(M1AR), DS(FCR)};

static void check_reg(enum group g, const char *label, size_t offset, const char *svd_name)
{
    bool seen = false;
    for (size_t i = 0; i < 9 && group_instances[g][i]; i++) {
        const char *inst = group_instances[g][i];
        const struct facts_periph *p = facts_periph(&svd, inst);
        const struct facts_reg *r = facts_reg(p, svd_name);
        if (!r)
            continue; /* e.g. TIM3 has no OR, UART4 no GTPR */
        seen = true;
        if (r->offset != offset) {
            regs_fail("%s.%s: offset 0x%02zX in quartz, 0x%02X in SVD (%s.%s)", group_names[g], label,
                      offset, r->offset, inst, svd_name);
            return;
        }
    }
    if (!seen)
        regs_fail("%s.%s: register \"%s\" not in the SVD", group_names[g], label, svd_name);
}

static void test_offsets(void **state)
{
    (void)state;
    regs_failures = 0;
    for (size_t i = 0; i < sizeof reg_table / sizeof reg_table[0]; i++)
        check_reg(reg_table[i].group, reg_table[i].member, reg_table[i].offset, reg_table[i].svd_name);
    for (unsigned s = 0; s < 8; s++) {
        for (size_t i = 0; i < sizeof stream_table / sizeof stream_table[0]; i++) {
            char svd_name[32], label[32];
            snprintf(svd_name, sizeof svd_name, "S%u%s", s, stream_table[i].member);
            snprintf(label, sizeof label, "S[%u].%s", s, stream_table[i].member);
            check_reg(DMA_G, label,
                      offsetof(struct stm32_dma, S) + s * sizeof(struct stm32_dma_stream) + stream_table[i].offset,
                      svd_name);
        }
    }
    printf("checked %zu register offsets against the SVD\n", sizeof reg_table / sizeof reg_table[0] + 8 * 6);
    assert_int_equal(regs_failures, 0);
}

/* ---- fields ---- */

struct field_entry {
    enum group group;
    const char *reg;
    const char *field;
    uint32_t pos;
    uint32_t msk;
    uint32_t plain;
};
#define F(g, reg, field) {g##_G, #reg, #field, g##_##reg##_##field##_Pos, g##_##reg##_##field##_Msk, g##_##reg##_##field},

static const struct field_entry field_table[] = {
#include "fields.def"
};

struct alias {
    const char *group, *reg, *field, *svd_field;
};
static const struct alias field_aliases[] = {
    {"RCC", "APB1RSTR", "USART2RST", "UART2RST"},
    {"RCC", "APB1RSTR", "USART3RST", "UART3RST"},
    {"RCC", "APB1RSTR", "FMPI2C1RST", "I2CFMP1RST"},
    {"RCC", "APB1ENR", "FMPI2C1EN", "I2CFMP1EN"},
    {"RCC", "APB1ENR", "CECEN", "CEC"},
    {"RCC", "APB1LPENR", "FMPI2C1LPEN", "I2CFMP1LPEN"},
    {"RCC", "APB2ENR", "SPI4EN", "SPI4ENR"},
    {"PWR", "CSR", "EWUP1", "EWUP"},
    {"TIM", "CCMR1", "IC1PSC", "ICPCS"},
    {"TIM", "CCMR1", "IC2PSC", "IC2PCS"},
    {"TIM", "OR", "TI4_RMP", "IT4_RMP"},
    {"SPI", "SR", "FRE", "TIFRFE"},
};

/* SVD register names for a quartz register name (up to two views). */
static void svd_reg_names(enum group g, const char *reg, char out[2][32])
{
    out[1][0] = 0;
    if (g == SYSCFG_G && strcmp(reg, "MEMRMP") == 0)
        snprintf(out[0], 32, "MEMRM");
    else if (g == TIM_G && strncmp(reg, "CCMR", 4) == 0) {
        snprintf(out[0], 32, "%s_Output", reg);
        snprintf(out[1], 32, "%s_Input", reg);
    } else if (g == DMA_G && strncmp(reg, "Sx", 2) == 0)
        snprintf(out[0], 32, "S0%s", reg + 2);
    else
        snprintf(out[0], 32, "%s", reg);
}

/* Finds a field, merging SVD single-bit splits (PLLN0..PLLN8 -> PLLN). */
static bool find_field(const struct facts_reg *r, const char *name, unsigned *pos, unsigned *width)
{
    const struct facts_field *f = facts_field(r, name);
    if (f) {
        *pos = f->pos;
        *width = f->width;
        return true;
    }
    unsigned n = 0;
    for (;; n++) {
        char bit[64];
        snprintf(bit, sizeof bit, "%s%u", name, n);
        const struct facts_field *b = facts_field(r, bit);
        if (!b || b->width != 1 || (n > 0 && b->pos != *pos + n))
            break;
        if (n == 0)
            *pos = b->pos;
    }
    *width = n;
    return n > 1;
}

static void check_field(const struct field_entry *e)
{
    const char *g = group_names[e->group];
    const char *svd_field_name = e->field;
    for (size_t i = 0; i < sizeof field_aliases / sizeof field_aliases[0]; i++) {
        const struct alias *a = &field_aliases[i];
        if (!strcmp(a->group, g) && !strcmp(a->reg, e->reg) && !strcmp(a->field, e->field))
            svd_field_name = a->svd_field;
    }
    char names[2][32];
    svd_reg_names(e->group, e->reg, names);
    unsigned pos = 0, width = 0;
    bool found = false;
    for (size_t i = 0; i < 9 && group_instances[e->group][i] && !found; i++) {
        const struct facts_periph *p = facts_periph(&svd, group_instances[e->group][i]);
        for (int v = 0; v < 2 && !found && names[v][0]; v++)
            found = find_field(facts_reg(p, names[v]), svd_field_name, &pos, &width);
    }
    if (!found) {
        regs_fail("%s.%s.%s: field \"%s\" not in the SVD", g, e->reg, e->field, svd_field_name);
        return;
    }
    uint32_t want = (uint32_t)((((uint64_t)1 << width) - 1) << pos);
    if (e->pos != pos)
        regs_fail("%s.%s.%s: position %u in quartz, %u in SVD", g, e->reg, e->field, e->pos, pos);
    else if (e->msk != want)
        regs_fail("%s.%s.%s: mask 0x%08X in quartz, 0x%08X in SVD (width %u)", g, e->reg, e->field, e->msk,
                  want, width);
    else if (e->plain != e->msk)
        regs_fail("%s_%s_%s: differs from its _Msk", g, e->reg, e->field);
}

static void test_fields(void **state)
{
    (void)state;
    regs_failures = 0;
    for (size_t i = 0; i < sizeof field_table / sizeof field_table[0]; i++)
        check_field(&field_table[i]);
    printf("checked %zu field macros against the SVD\n", sizeof field_table / sizeof field_table[0]);
    assert_int_equal(regs_failures, 0);
}

/* ---- interrupts ---- */

struct irq_entry {
    const char *name;
    int value;
};
#define Q(name) {#name, name##_IRQn}
static const struct irq_entry irq_table[] = {
    Q(WWDG), Q(PVD), Q(TAMP_STAMP), Q(RTC_WKUP), Q(FLASH), Q(RCC), Q(EXTI0), Q(EXTI1),
    Q(EXTI2), Q(EXTI3), Q(EXTI4), Q(DMA1_Stream0), Q(DMA1_Stream1), Q(DMA1_Stream2),
    Q(DMA1_Stream3), Q(DMA1_Stream4), Q(DMA1_Stream5), Q(DMA1_Stream6), Q(ADC), Q(CAN1_TX),
    Q(CAN1_RX0), Q(CAN1_RX1), Q(CAN1_SCE), Q(EXTI9_5), Q(TIM1_BRK_TIM9), Q(TIM1_UP_TIM10),
    Q(TIM1_TRG_COM_TIM11), Q(TIM1_CC), Q(TIM2), Q(TIM3), Q(TIM4), Q(I2C1_EV), Q(I2C1_ER),
    Q(I2C2_EV), Q(I2C2_ER), Q(SPI1), Q(SPI2), Q(USART1), Q(USART2), Q(USART3), Q(EXTI15_10),
    Q(RTC_Alarm), Q(OTG_FS_WKUP), Q(TIM8_BRK_TIM12), Q(TIM8_UP_TIM13), Q(TIM8_TRG_COM_TIM14),
    Q(TIM8_CC), Q(DMA1_Stream7), Q(FMC), Q(SDIO), Q(TIM5), Q(SPI3), Q(UART4), Q(UART5),
    Q(TIM6_DAC), Q(TIM7), Q(DMA2_Stream0), Q(DMA2_Stream1), Q(DMA2_Stream2), Q(DMA2_Stream3),
    Q(DMA2_Stream4), Q(CAN2_TX), Q(CAN2_RX0), Q(CAN2_RX1), Q(CAN2_SCE), Q(OTG_FS),
    Q(DMA2_Stream5), Q(DMA2_Stream6), Q(DMA2_Stream7), Q(USART6), Q(I2C3_EV), Q(I2C3_ER),
    Q(OTG_HS_EP1_OUT), Q(OTG_HS_EP1_IN), Q(OTG_HS_WKUP), Q(OTG_HS), Q(DCMI), Q(FPU), Q(SPI4),
    Q(SAI1), Q(SAI2), Q(QUADSPI), Q(CEC), Q(SPDIF_RX), Q(FMPI2C1_EV), Q(FMPI2C1_ER),
};

static const struct {
    const char *cmsis, *svd;
} irq_aliases[] = {
    {"QUADSPI", "QuadSPI"}, {"CEC", "HDMI_CEC"}, {"SPDIF_RX", "SPDIF_Rx"},
    {"FMPI2C1_EV", "FMPI2C1"}, {"FMPI2C1_ER", "FMPI2C1_error"},
};

static void test_irqs(void **state)
{
    (void)state;
    regs_failures = 0;
    size_t n = sizeof irq_table / sizeof irq_table[0];
    for (size_t i = 0; i < n; i++) {
        const char *name = irq_table[i].name;
        for (size_t a = 0; a < sizeof irq_aliases / sizeof irq_aliases[0]; a++)
            if (!strcmp(irq_aliases[a].cmsis, name))
                name = irq_aliases[a].svd;
        if (!strcmp(name, "FPU")) {
            if (irq_table[i].value != 81) /* RM0390 Table 38, position 81 */
                regs_fail("FPU_IRQn: %d in quartz, 81 in RM0390 Table 38", irq_table[i].value);
            continue;
        }
        const struct facts_irq *q = facts_irq(&svd, name);
        if (!q)
            regs_fail("%s_IRQn: interrupt \"%s\" not in the SVD", irq_table[i].name, name);
        else if (q->value != irq_table[i].value)
            regs_fail("%s_IRQn: %d in quartz, %d in SVD", irq_table[i].name, irq_table[i].value, q->value);
    }
    /* And the other way round: every SVD interrupt has its quartz number. */
    for (size_t j = 0; j < svd.nirqs; j++) {
        const struct facts_irq *q = &svd.irqs[j];
        bool have = false;
        for (size_t i = 0; i < n && !have; i++)
            have = irq_table[i].value == q->value;
        if (!have)
            regs_fail("SVD interrupt %s (%d) has no enum irqn entry", q->name, q->value);
    }
    if (STM32F446_IRQ_COUNT != 97)
        regs_fail("STM32F446_IRQ_COUNT: %d, RM0390 Table 38 has 97 positions", STM32F446_IRQ_COUNT);
    assert_int_equal(regs_failures, 0);
}

static int load(void **state)
{
    (void)state;
    char err[512];
    if (facts_load(&svd, facts_path, err, sizeof err) == 0)
        return 0;
    fprintf(stderr, "%s\n", err);
    return -1;
}

static int unload(void **state)
{
    (void)state;
    facts_free(&svd);
    return 0;
}

int main(int argc, char **argv)
{
    if (argc != 2) {
        fprintf(stderr, "usage: %s stm32f446.facts\n", argv[0]);
        return 2;
    }
    facts_path = argv[1];
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_bases),
        cmocka_unit_test(test_offsets),
        cmocka_unit_test(test_fields),
        cmocka_unit_test(test_irqs),
        cmocka_unit_test(test_core_addresses),
        cmocka_unit_test(test_core_fields),
        cmocka_unit_test(test_core_exceptions),
    };
    return cmocka_run_group_tests(tests, load, unload);
}
