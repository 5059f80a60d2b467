/*
 * irq_latency test image: interrupts whose pending-to-handler latency the
 * Cortex-M4 TRM (ARM DDI 0439D 3.3.1, 5.5) fixes, checked exactly by
 * test_core.c from the run report:
 *   - CAN1_TX (priority 0), pended by thread code: 12 cycles of entry.
 *     The pend is a store to NVIC ISPR; the model makes it pending at the
 *     end of the block that stores (here the branch right after it).
 *   - CAN1_RX0 (priority 4), pended by the CAN1_TX handler, which then runs
 *     ten NOPs and BX LR (10 + 2 cycles, blocks.c): the handler's remaining
 *     12 cycles, then a 6-cycle tail-chain, 18 in all.
 *   - SysTick, 3 times from WFI: the core wakes at the tick's cycle, 12.
 * Software-pended interrupts use CAN1 vectors, which nothing on the board
 * raises.
 */
#include <stdint.h>

#include "cortex_m/core.h"
#include "cortex_m/intrinsics.h"

#define IRQ_HIGH 19 /* CAN1_TX */
#define IRQ_LOW 20  /* CAN1_RX0 */

volatile uint32_t low_runs, ticks;

__attribute__((naked)) void CAN1_TX_IRQHandler(void)
{
    __asm volatile("ldr r0, =0xE000E200\n" /* NVIC ISPR0 */
                   "mov r1, #(1 << 20)\n"   /* IRQ_LOW */
                   "str r1, [r0]\n"
                   "b 1f\n"
                   "1: nop\n nop\n nop\n nop\n nop\n nop\n nop\n nop\n nop\n nop\n"
                   "bx lr\n"
                   ".ltorg\n");
}

void CAN1_RX0_IRQHandler(void)
{
    low_runs++;
}

void SysTick_Handler(void)
{
    if (++ticks == 3)
        SysTick->CTRL = 0;
}

int main(void)
{
    NVIC->IPR[IRQ_HIGH] = 0x00;
    NVIC->IPR[IRQ_LOW] = 0x40;
    NVIC->ISER[0] = (1UL << IRQ_HIGH) | (1UL << IRQ_LOW);
    NVIC->ISPR[IRQ_HIGH / 32] = 1UL << (IRQ_HIGH % 32);
    while (low_runs == 0) {
    }
    SysTick->LOAD = 999;
    SysTick->VAL = 0;
    SysTick->CTRL = SysTick_CTRL_CLKSOURCE_Msk | SysTick_CTRL_TICKINT_Msk | SysTick_CTRL_ENABLE_Msk;
    while (ticks < 3)
        __WFI();
    for (;;)
        __WFI();
}
