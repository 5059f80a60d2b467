/*
 * Reset-value probe: reads every modeled register (probes.h) right after
 * reset into SRAM for the host to compare with the SVD. RCC is read first,
 * then the clocks of the modeled peripherals are enabled (a gated
 * peripheral reads 0 on quartz-sim) and the rest is read. Raw addresses
 * only: the image checks the simulator, not our register layer.
 */
#include <stdint.h>

#include "probes.h"

#define REG(a) (*(volatile uint32_t *)(a))
#define RCC_AHB1ENR REG(0x40023830u)
#define RCC_APB1ENR REG(0x40023840u)
#define RCC_APB2ENR REG(0x40023844u)

/* RM0390 6.3.10-6.3.14 bit positions. */
#define AHB1_GPIOA_TO_H 0x000000FFu
#define APB1_MODELED ((0xFu << 0) | (0xFu << 17) | (0x7u << 21) | (1u << 28)) /* TIM2-5, USART2-UART5, I2C1-3, PWR */
#define APB2_MODELED ((1u << 4) | (1u << 5) | (7u << 8) | (1u << 14))         /* USART1, USART6, ADC1-3, SYSCFG */

struct probe_results probe_results;

int main(void)
{
    probe_results.magic = PROBE_MAGIC;
    probe_results.count = PROBE_COUNT;
    for (unsigned i = 0; i < PROBE_RCC_COUNT; i++)
        probe_results.values[i] = REG(probes[i].address);
    RCC_AHB1ENR |= AHB1_GPIOA_TO_H;
    RCC_APB1ENR |= APB1_MODELED;
    RCC_APB2ENR |= APB2_MODELED;
    /* RM0390 6.3.10 note: wait two cycles after an enable before the access. */
    (void)RCC_APB2ENR;
    for (unsigned i = PROBE_RCC_COUNT; i < PROBE_COUNT; i++)
        probe_results.values[i] = REG(probes[i].address);
    probe_results.done = 1;
    for (;;)
        __asm volatile("wfi");
}
