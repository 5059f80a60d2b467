/*
 * The STM32F446 facts that portable code may name, through
 * include/quartz/hal/irq.h. Nothing here is a register.
 *
 * SWIn: vectors of peripherals no quartz driver or board uses (bxCAN1 and
 * bxCAN2, RM0390 Table 38 positions 19-22 and 63-66), free to be pended in
 * software as the kernel's dispatchers. A name works where a CMSIS vector
 * name does: SWIn_IRQn is the number, SWIn_IRQHandler the handler.
 * chip/stm32f446/vectors.c checks the numbers against stm32f446/irq.h.
 *
 * HAL_IRQ_PRIO: the one priority every handler of the HAL port runs at
 * (quartz/hal/cpu.h), on the scale of quartz/cpu.h.
 */
#ifndef QUARTZ_CHIP_IRQ_H
#define QUARTZ_CHIP_IRQ_H

#define SWI_COUNT 8

#define SWI0_IRQn 19 /* CAN1_TX */
#define SWI0_IRQHandler CAN1_TX_IRQHandler
#define SWI1_IRQn 20 /* CAN1_RX0 */
#define SWI1_IRQHandler CAN1_RX0_IRQHandler
#define SWI2_IRQn 21 /* CAN1_RX1 */
#define SWI2_IRQHandler CAN1_RX1_IRQHandler
#define SWI3_IRQn 22 /* CAN1_SCE */
#define SWI3_IRQHandler CAN1_SCE_IRQHandler
#define SWI4_IRQn 63 /* CAN2_TX */
#define SWI4_IRQHandler CAN2_TX_IRQHandler
#define SWI5_IRQn 64 /* CAN2_RX0 */
#define SWI5_IRQHandler CAN2_RX0_IRQHandler
#define SWI6_IRQn 65 /* CAN2_RX1 */
#define SWI6_IRQHandler CAN2_RX1_IRQHandler
#define SWI7_IRQn 66 /* CAN2_SCE */
#define SWI7_IRQHandler CAN2_SCE_IRQHandler

#define HAL_IRQ_PRIO 8

#endif
