/*
 * Where the model's reset value deliberately differs from the SVD: the
 * RM0390 values of chip/stm32f446/svd-deviations.md, and the pin levels
 * the board sets in IDR.
 */
#include <string.h>

#include "probes.h"

uint32_t expected_value(const struct probe *p, uint32_t svd);

uint32_t expected_value(const struct probe *p, uint32_t svd)
{
    /* RM0390 25.6.1: USART_SR resets to 0x00C0 (TXE, TC); the SVD has 0x00C00000. */
    if (!strcmp(p->reg, "SR") && (strstr(p->peripheral, "USART") || strstr(p->peripheral, "UART")))
        return 0x000000C0u;
    /* RM0390 7.4.3: GPIOA_OSPEEDR resets to 0x0C000000 (PA13 SWDIO); the SVD has 0. */
    if (!strcmp(p->reg, "OSPEEDR") && !strcmp(p->peripheral, "GPIOA"))
        return 0x0C000000u;
    /* RM0390 33.6.1: DEV_ID 0x421 for the STM32F446; the SVD has 0x411 (STM32F40x). */
    if (!strcmp(p->reg, "DBGMCU_IDCODE"))
        return 0x10006421u;
    /* IDR is the pin level, set by the board: PA3 (ST-LINK TX, high), the
     * debug pins in alternate function push-pull (idle high in the model:
     * PA13-15, PB3, PB4), PB8/PB9 (OLED module pull-ups), PC13 (B1 pull-up). */
    if (!strcmp(p->reg, "IDR")) {
        if (!strcmp(p->peripheral, "GPIOA"))
            return (1u << 3) | (1u << 13) | (1u << 14) | (1u << 15);
        if (!strcmp(p->peripheral, "GPIOB"))
            return (1u << 3) | (1u << 4) | (1u << 8) | (1u << 9);
        if (!strcmp(p->peripheral, "GPIOC"))
            return 1u << 13;
    }
    return svd;
}

