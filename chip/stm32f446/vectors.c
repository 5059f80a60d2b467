/*
 * STM32F446 vector table: 16 Cortex-M4 entries and the 97 device interrupt
 * positions of RM0390 section 10.2 Table 38 (reserved positions are 0).
 * Every handler is a weak alias of Default_Handler, so an image overrides
 * one just by defining a function with the CMSIS name. Default_Handler
 * treats an exception nobody handles as a fault: fault_entry records the
 * exception number (IPSR) and the stacked frame in .noinit RAM and resets;
 * the next boot reports it (cortex_m/fault.h).
 */
#include <stdint.h>

#include "quartz/hal/irq.h"
#include "stm32f446/irq.h"

/* The dispatcher vectors named in public/quartz_chip/irq.h are these. */
_Static_assert(SWI0_IRQn == CAN1_TX_IRQn && SWI1_IRQn == CAN1_RX0_IRQn &&
               SWI2_IRQn == CAN1_RX1_IRQn && SWI3_IRQn == CAN1_SCE_IRQn &&
               SWI4_IRQn == CAN2_TX_IRQn && SWI5_IRQn == CAN2_RX0_IRQn &&
               SWI6_IRQn == CAN2_RX1_IRQn && SWI7_IRQn == CAN2_SCE_IRQn,
               "quartz_chip/irq.h: SWI numbers differ from RM0390 Table 38");

/* Top of the main stack, from arch/cortex-m/sections.ld. */
extern uint32_t __stack_top[];

void Reset_Handler(void);
void Default_Handler(void);

/* No C here: the stack may be the broken one (see fault_entry.S). */
__attribute__((naked)) void Default_Handler(void)
{
    __asm volatile("b fault_entry");
}

#define WEAK_DEFAULT __attribute__((weak, alias("Default_Handler")))

void NMI_Handler(void) WEAK_DEFAULT;
void HardFault_Handler(void) WEAK_DEFAULT;
void MemManage_Handler(void) WEAK_DEFAULT;
void BusFault_Handler(void) WEAK_DEFAULT;
void UsageFault_Handler(void) WEAK_DEFAULT;
void SVC_Handler(void) WEAK_DEFAULT;
void DebugMon_Handler(void) WEAK_DEFAULT;
void PendSV_Handler(void) WEAK_DEFAULT;
void SysTick_Handler(void) WEAK_DEFAULT;

void WWDG_IRQHandler(void) WEAK_DEFAULT;
void PVD_IRQHandler(void) WEAK_DEFAULT;
void TAMP_STAMP_IRQHandler(void) WEAK_DEFAULT;
void RTC_WKUP_IRQHandler(void) WEAK_DEFAULT;
void FLASH_IRQHandler(void) WEAK_DEFAULT;
void RCC_IRQHandler(void) WEAK_DEFAULT;
void EXTI0_IRQHandler(void) WEAK_DEFAULT;
void EXTI1_IRQHandler(void) WEAK_DEFAULT;
void EXTI2_IRQHandler(void) WEAK_DEFAULT;
void EXTI3_IRQHandler(void) WEAK_DEFAULT;
void EXTI4_IRQHandler(void) WEAK_DEFAULT;
void DMA1_Stream0_IRQHandler(void) WEAK_DEFAULT;
void DMA1_Stream1_IRQHandler(void) WEAK_DEFAULT;
void DMA1_Stream2_IRQHandler(void) WEAK_DEFAULT;
void DMA1_Stream3_IRQHandler(void) WEAK_DEFAULT;
void DMA1_Stream4_IRQHandler(void) WEAK_DEFAULT;
void DMA1_Stream5_IRQHandler(void) WEAK_DEFAULT;
void DMA1_Stream6_IRQHandler(void) WEAK_DEFAULT;
void ADC_IRQHandler(void) WEAK_DEFAULT;
void CAN1_TX_IRQHandler(void) WEAK_DEFAULT;
void CAN1_RX0_IRQHandler(void) WEAK_DEFAULT;
void CAN1_RX1_IRQHandler(void) WEAK_DEFAULT;
void CAN1_SCE_IRQHandler(void) WEAK_DEFAULT;
void EXTI9_5_IRQHandler(void) WEAK_DEFAULT;
void TIM1_BRK_TIM9_IRQHandler(void) WEAK_DEFAULT;
void TIM1_UP_TIM10_IRQHandler(void) WEAK_DEFAULT;
void TIM1_TRG_COM_TIM11_IRQHandler(void) WEAK_DEFAULT;
void TIM1_CC_IRQHandler(void) WEAK_DEFAULT;
void TIM2_IRQHandler(void) WEAK_DEFAULT;
void TIM3_IRQHandler(void) WEAK_DEFAULT;
void TIM4_IRQHandler(void) WEAK_DEFAULT;
void I2C1_EV_IRQHandler(void) WEAK_DEFAULT;
void I2C1_ER_IRQHandler(void) WEAK_DEFAULT;
void I2C2_EV_IRQHandler(void) WEAK_DEFAULT;
void I2C2_ER_IRQHandler(void) WEAK_DEFAULT;
void SPI1_IRQHandler(void) WEAK_DEFAULT;
void SPI2_IRQHandler(void) WEAK_DEFAULT;
void USART1_IRQHandler(void) WEAK_DEFAULT;
void USART2_IRQHandler(void) WEAK_DEFAULT;
void USART3_IRQHandler(void) WEAK_DEFAULT;
void EXTI15_10_IRQHandler(void) WEAK_DEFAULT;
void RTC_Alarm_IRQHandler(void) WEAK_DEFAULT;
void OTG_FS_WKUP_IRQHandler(void) WEAK_DEFAULT;
void TIM8_BRK_TIM12_IRQHandler(void) WEAK_DEFAULT;
void TIM8_UP_TIM13_IRQHandler(void) WEAK_DEFAULT;
void TIM8_TRG_COM_TIM14_IRQHandler(void) WEAK_DEFAULT;
void TIM8_CC_IRQHandler(void) WEAK_DEFAULT;
void DMA1_Stream7_IRQHandler(void) WEAK_DEFAULT;
void FMC_IRQHandler(void) WEAK_DEFAULT;
void SDIO_IRQHandler(void) WEAK_DEFAULT;
void TIM5_IRQHandler(void) WEAK_DEFAULT;
void SPI3_IRQHandler(void) WEAK_DEFAULT;
void UART4_IRQHandler(void) WEAK_DEFAULT;
void UART5_IRQHandler(void) WEAK_DEFAULT;
void TIM6_DAC_IRQHandler(void) WEAK_DEFAULT;
void TIM7_IRQHandler(void) WEAK_DEFAULT;
void DMA2_Stream0_IRQHandler(void) WEAK_DEFAULT;
void DMA2_Stream1_IRQHandler(void) WEAK_DEFAULT;
void DMA2_Stream2_IRQHandler(void) WEAK_DEFAULT;
void DMA2_Stream3_IRQHandler(void) WEAK_DEFAULT;
void DMA2_Stream4_IRQHandler(void) WEAK_DEFAULT;
void CAN2_TX_IRQHandler(void) WEAK_DEFAULT;
void CAN2_RX0_IRQHandler(void) WEAK_DEFAULT;
void CAN2_RX1_IRQHandler(void) WEAK_DEFAULT;
void CAN2_SCE_IRQHandler(void) WEAK_DEFAULT;
void OTG_FS_IRQHandler(void) WEAK_DEFAULT;
void DMA2_Stream5_IRQHandler(void) WEAK_DEFAULT;
void DMA2_Stream6_IRQHandler(void) WEAK_DEFAULT;
void DMA2_Stream7_IRQHandler(void) WEAK_DEFAULT;
void USART6_IRQHandler(void) WEAK_DEFAULT;
void I2C3_EV_IRQHandler(void) WEAK_DEFAULT;
void I2C3_ER_IRQHandler(void) WEAK_DEFAULT;
void OTG_HS_EP1_OUT_IRQHandler(void) WEAK_DEFAULT;
void OTG_HS_EP1_IN_IRQHandler(void) WEAK_DEFAULT;
void OTG_HS_WKUP_IRQHandler(void) WEAK_DEFAULT;
void OTG_HS_IRQHandler(void) WEAK_DEFAULT;
void DCMI_IRQHandler(void) WEAK_DEFAULT;
void FPU_IRQHandler(void) WEAK_DEFAULT;
void SPI4_IRQHandler(void) WEAK_DEFAULT;
void SAI1_IRQHandler(void) WEAK_DEFAULT;
void SAI2_IRQHandler(void) WEAK_DEFAULT;
void QUADSPI_IRQHandler(void) WEAK_DEFAULT;
void CEC_IRQHandler(void) WEAK_DEFAULT;
void SPDIF_RX_IRQHandler(void) WEAK_DEFAULT;
void FMPI2C1_EV_IRQHandler(void) WEAK_DEFAULT;
void FMPI2C1_ER_IRQHandler(void) WEAK_DEFAULT;

struct vector_table {
    uint32_t *initial_sp;
    void (*reset)(void);
    void (*core[14])(void);
    void (*irq[97])(void);
};

__attribute__((section(".isr_vector"), used)) const struct vector_table vector_table = {
    .initial_sp = __stack_top,
    .reset = Reset_Handler,
    .core = {
        NMI_Handler,
        HardFault_Handler,
        MemManage_Handler,
        BusFault_Handler,
        UsageFault_Handler,
        0,
        0,
        0,
        0,
        SVC_Handler,
        DebugMon_Handler,
        0,
        PendSV_Handler,
        SysTick_Handler,
    },
    .irq = {
        [0] = WWDG_IRQHandler,
        [1] = PVD_IRQHandler,
        [2] = TAMP_STAMP_IRQHandler,
        [3] = RTC_WKUP_IRQHandler,
        [4] = FLASH_IRQHandler,
        [5] = RCC_IRQHandler,
        [6] = EXTI0_IRQHandler,
        [7] = EXTI1_IRQHandler,
        [8] = EXTI2_IRQHandler,
        [9] = EXTI3_IRQHandler,
        [10] = EXTI4_IRQHandler,
        [11] = DMA1_Stream0_IRQHandler,
        [12] = DMA1_Stream1_IRQHandler,
        [13] = DMA1_Stream2_IRQHandler,
        [14] = DMA1_Stream3_IRQHandler,
        [15] = DMA1_Stream4_IRQHandler,
        [16] = DMA1_Stream5_IRQHandler,
        [17] = DMA1_Stream6_IRQHandler,
        [18] = ADC_IRQHandler,
        [19] = CAN1_TX_IRQHandler,
        [20] = CAN1_RX0_IRQHandler,
        [21] = CAN1_RX1_IRQHandler,
        [22] = CAN1_SCE_IRQHandler,
        [23] = EXTI9_5_IRQHandler,
        [24] = TIM1_BRK_TIM9_IRQHandler,
        [25] = TIM1_UP_TIM10_IRQHandler,
        [26] = TIM1_TRG_COM_TIM11_IRQHandler,
        [27] = TIM1_CC_IRQHandler,
        [28] = TIM2_IRQHandler,
        [29] = TIM3_IRQHandler,
        [30] = TIM4_IRQHandler,
        [31] = I2C1_EV_IRQHandler,
        [32] = I2C1_ER_IRQHandler,
        [33] = I2C2_EV_IRQHandler,
        [34] = I2C2_ER_IRQHandler,
        [35] = SPI1_IRQHandler,
        [36] = SPI2_IRQHandler,
        [37] = USART1_IRQHandler,
        [38] = USART2_IRQHandler,
        [39] = USART3_IRQHandler,
        [40] = EXTI15_10_IRQHandler,
        [41] = RTC_Alarm_IRQHandler,
        [42] = OTG_FS_WKUP_IRQHandler,
        [43] = TIM8_BRK_TIM12_IRQHandler,
        [44] = TIM8_UP_TIM13_IRQHandler,
        [45] = TIM8_TRG_COM_TIM14_IRQHandler,
        [46] = TIM8_CC_IRQHandler,
        [47] = DMA1_Stream7_IRQHandler,
        [48] = FMC_IRQHandler,
        [49] = SDIO_IRQHandler,
        [50] = TIM5_IRQHandler,
        [51] = SPI3_IRQHandler,
        [52] = UART4_IRQHandler,
        [53] = UART5_IRQHandler,
        [54] = TIM6_DAC_IRQHandler,
        [55] = TIM7_IRQHandler,
        [56] = DMA2_Stream0_IRQHandler,
        [57] = DMA2_Stream1_IRQHandler,
        [58] = DMA2_Stream2_IRQHandler,
        [59] = DMA2_Stream3_IRQHandler,
        [60] = DMA2_Stream4_IRQHandler,
        [61] = 0, /* reserved */
        [62] = 0, /* reserved */
        [63] = CAN2_TX_IRQHandler,
        [64] = CAN2_RX0_IRQHandler,
        [65] = CAN2_RX1_IRQHandler,
        [66] = CAN2_SCE_IRQHandler,
        [67] = OTG_FS_IRQHandler,
        [68] = DMA2_Stream5_IRQHandler,
        [69] = DMA2_Stream6_IRQHandler,
        [70] = DMA2_Stream7_IRQHandler,
        [71] = USART6_IRQHandler,
        [72] = I2C3_EV_IRQHandler,
        [73] = I2C3_ER_IRQHandler,
        [74] = OTG_HS_EP1_OUT_IRQHandler,
        [75] = OTG_HS_EP1_IN_IRQHandler,
        [76] = OTG_HS_WKUP_IRQHandler,
        [77] = OTG_HS_IRQHandler,
        [78] = DCMI_IRQHandler,
        [79] = 0, /* reserved */
        [80] = 0, /* reserved */
        [81] = FPU_IRQHandler,
        [82] = 0, /* reserved */
        [83] = 0, /* reserved */
        [84] = SPI4_IRQHandler,
        [85] = 0, /* reserved */
        [86] = 0, /* reserved */
        [87] = SAI1_IRQHandler,
        [88] = 0, /* reserved */
        [89] = 0, /* reserved */
        [90] = 0, /* reserved */
        [91] = SAI2_IRQHandler,
        [92] = QUADSPI_IRQHandler,
        [93] = CEC_IRQHandler,
        [94] = SPDIF_RX_IRQHandler,
        [95] = FMPI2C1_EV_IRQHandler,
        [96] = FMPI2C1_ER_IRQHandler,
    },
};
