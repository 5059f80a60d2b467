/*
 * Whole STM32F446 peripherals that quartz-sim does not model. They are
 * mapped anyway so that an access is reported (by register name, from the
 * chip facts built into quartz-sim) instead of faulting: reads return 0,
 * writes are dropped. Bases from ST's SVD (chip/stm32f446/stm32f446.facts,
 * checked by tests/sim/svd), sizes from RM0390 table 1 (the OTG cores as
 * one block each); gating bits from RM0390 6.3.10-6.3.14.
 */
#include "f446.h"
#include "regio.h"

const struct f446_unmodeled f446_unmodeled_table[] = {
    {"TIM6", 0x40001000u, 0x400u, RCC_APB1, BIT(4)},
    {"TIM7", 0x40001400u, 0x400u, RCC_APB1, BIT(5)},
    {"TIM12", 0x40001800u, 0x400u, RCC_APB1, BIT(6)},
    {"TIM13", 0x40001C00u, 0x400u, RCC_APB1, BIT(7)},
    {"TIM14", 0x40002000u, 0x400u, RCC_APB1, BIT(8)},
    {"RTC", 0x40002800u, 0x400u, RCC_NBUS, 0},
    {"WWDG", 0x40002C00u, 0x400u, RCC_APB1, BIT(11)},
    {"IWDG", 0x40003000u, 0x400u, RCC_NBUS, 0},
    {"SPDIF_RX", 0x40004000u, 0x400u, RCC_APB1, BIT(16)},
    {"FMPI2C", 0x40006000u, 0x400u, RCC_APB1, BIT(24)},
    {"CAN1", 0x40006400u, 0x400u, RCC_APB1, BIT(25)},
    {"CAN2", 0x40006800u, 0x400u, RCC_APB1, BIT(26)},
    {"HDMI_CEC", 0x40006C00u, 0x400u, RCC_APB1, BIT(27)},
    {"DAC", 0x40007400u, 0x400u, RCC_APB1, BIT(29)},
    {"TIM1", 0x40010000u, 0x400u, RCC_APB2, BIT(0)},
    {"TIM8", 0x40010400u, 0x400u, RCC_APB2, BIT(1)},
    {"SDIO", 0x40012C00u, 0x400u, RCC_APB2, BIT(11)},
    {"TIM9", 0x40014000u, 0x400u, RCC_APB2, BIT(16)},
    {"TIM10", 0x40014400u, 0x400u, RCC_APB2, BIT(17)},
    {"TIM11", 0x40014800u, 0x400u, RCC_APB2, BIT(18)},
    {"SAI1", 0x40015800u, 0x400u, RCC_APB2, BIT(22)},
    {"SAI2", 0x40015C00u, 0x400u, RCC_APB2, BIT(23)},
    {"CRC", 0x40023000u, 0x400u, RCC_AHB1, BIT(12)},
    {"OTG_HS", 0x40040000u, 0x40000u, RCC_AHB1, BIT(29)},
    {"OTG_FS", 0x50000000u, 0x40000u, RCC_AHB2, BIT(7)},
    {"DCMI", 0x50050000u, 0x400u, RCC_AHB2, BIT(0)},
    {"FMC", 0xA0000000u, 0x1000u, RCC_AHB3, BIT(0)},
    {"QUADSPI", 0xA0001000u, 0x400u, RCC_AHB3, BIT(1)},
};
const size_t f446_unmodeled_count = sizeof f446_unmodeled_table / sizeof f446_unmodeled_table[0];

static uint32_t unmodeled_read(void *dev, uint32_t offset, unsigned size)
{
    const struct f446_unmodeled_region *r = dev;
    (void)size;
    sim_unmodeled(r->chip->sim, r->entry->base + offset, false);
    return 0;
}

static void unmodeled_write(void *dev, uint32_t offset, uint32_t value, unsigned size)
{
    const struct f446_unmodeled_region *r = dev;
    (void)value;
    (void)size;
    sim_unmodeled(r->chip->sim, r->entry->base + offset, true);
}

/* Debugger read: reads as zero like the firmware's, but leaves no report entry. */
static uint32_t unmodeled_peek(void *dev, uint32_t offset, unsigned size)
{
    (void)dev;
    (void)offset;
    (void)size;
    return 0;
}

const struct sim_mmio_ops unmodeled_ops = {unmodeled_read, unmodeled_write, unmodeled_peek};
