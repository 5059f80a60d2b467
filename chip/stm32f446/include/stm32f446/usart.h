/*
 * STM32F446 USART1..3/6 and UART4/5, RM0390 section 25.6.
 * UART4/5 have no GTPR and no synchronous/smartcard bits.
 */
#ifndef STM32F446_USART_H
#define STM32F446_USART_H

#include <stdint.h>

#include "stm32f446/base.h"

struct stm32_usart {
    volatile uint32_t SR;        /* 0x00 */
    volatile uint32_t DR;        /* 0x04 */
    volatile uint32_t BRR;       /* 0x08 */
    volatile uint32_t CR1;       /* 0x0C */
    volatile uint32_t CR2;       /* 0x10 */
    volatile uint32_t CR3;       /* 0x14 */
    volatile uint32_t GTPR;      /* 0x18 */
};

#define USART_SR_PE_Pos 0U
#define USART_SR_PE_Msk (0x1UL << USART_SR_PE_Pos)
#define USART_SR_PE USART_SR_PE_Msk
#define USART_SR_FE_Pos 1U
#define USART_SR_FE_Msk (0x1UL << USART_SR_FE_Pos)
#define USART_SR_FE USART_SR_FE_Msk
#define USART_SR_NF_Pos 2U
#define USART_SR_NF_Msk (0x1UL << USART_SR_NF_Pos)
#define USART_SR_NF USART_SR_NF_Msk
#define USART_SR_ORE_Pos 3U
#define USART_SR_ORE_Msk (0x1UL << USART_SR_ORE_Pos)
#define USART_SR_ORE USART_SR_ORE_Msk
#define USART_SR_IDLE_Pos 4U
#define USART_SR_IDLE_Msk (0x1UL << USART_SR_IDLE_Pos)
#define USART_SR_IDLE USART_SR_IDLE_Msk
#define USART_SR_RXNE_Pos 5U
#define USART_SR_RXNE_Msk (0x1UL << USART_SR_RXNE_Pos)
#define USART_SR_RXNE USART_SR_RXNE_Msk
#define USART_SR_TC_Pos 6U
#define USART_SR_TC_Msk (0x1UL << USART_SR_TC_Pos)
#define USART_SR_TC USART_SR_TC_Msk
#define USART_SR_TXE_Pos 7U
#define USART_SR_TXE_Msk (0x1UL << USART_SR_TXE_Pos)
#define USART_SR_TXE USART_SR_TXE_Msk
#define USART_SR_LBD_Pos 8U
#define USART_SR_LBD_Msk (0x1UL << USART_SR_LBD_Pos)
#define USART_SR_LBD USART_SR_LBD_Msk
#define USART_SR_CTS_Pos 9U
#define USART_SR_CTS_Msk (0x1UL << USART_SR_CTS_Pos)
#define USART_SR_CTS USART_SR_CTS_Msk

#define USART_DR_DR_Pos 0U
#define USART_DR_DR_Msk (0x1FFUL << USART_DR_DR_Pos)
#define USART_DR_DR USART_DR_DR_Msk

#define USART_BRR_DIV_Fraction_Pos 0U
#define USART_BRR_DIV_Fraction_Msk (0xFUL << USART_BRR_DIV_Fraction_Pos)
#define USART_BRR_DIV_Fraction USART_BRR_DIV_Fraction_Msk
#define USART_BRR_DIV_Mantissa_Pos 4U
#define USART_BRR_DIV_Mantissa_Msk (0xFFFUL << USART_BRR_DIV_Mantissa_Pos)
#define USART_BRR_DIV_Mantissa USART_BRR_DIV_Mantissa_Msk

#define USART_CR1_SBK_Pos 0U
#define USART_CR1_SBK_Msk (0x1UL << USART_CR1_SBK_Pos)
#define USART_CR1_SBK USART_CR1_SBK_Msk
#define USART_CR1_RWU_Pos 1U
#define USART_CR1_RWU_Msk (0x1UL << USART_CR1_RWU_Pos)
#define USART_CR1_RWU USART_CR1_RWU_Msk
#define USART_CR1_RE_Pos 2U
#define USART_CR1_RE_Msk (0x1UL << USART_CR1_RE_Pos)
#define USART_CR1_RE USART_CR1_RE_Msk
#define USART_CR1_TE_Pos 3U
#define USART_CR1_TE_Msk (0x1UL << USART_CR1_TE_Pos)
#define USART_CR1_TE USART_CR1_TE_Msk
#define USART_CR1_IDLEIE_Pos 4U
#define USART_CR1_IDLEIE_Msk (0x1UL << USART_CR1_IDLEIE_Pos)
#define USART_CR1_IDLEIE USART_CR1_IDLEIE_Msk
#define USART_CR1_RXNEIE_Pos 5U
#define USART_CR1_RXNEIE_Msk (0x1UL << USART_CR1_RXNEIE_Pos)
#define USART_CR1_RXNEIE USART_CR1_RXNEIE_Msk
#define USART_CR1_TCIE_Pos 6U
#define USART_CR1_TCIE_Msk (0x1UL << USART_CR1_TCIE_Pos)
#define USART_CR1_TCIE USART_CR1_TCIE_Msk
#define USART_CR1_TXEIE_Pos 7U
#define USART_CR1_TXEIE_Msk (0x1UL << USART_CR1_TXEIE_Pos)
#define USART_CR1_TXEIE USART_CR1_TXEIE_Msk
#define USART_CR1_PEIE_Pos 8U
#define USART_CR1_PEIE_Msk (0x1UL << USART_CR1_PEIE_Pos)
#define USART_CR1_PEIE USART_CR1_PEIE_Msk
#define USART_CR1_PS_Pos 9U
#define USART_CR1_PS_Msk (0x1UL << USART_CR1_PS_Pos)
#define USART_CR1_PS USART_CR1_PS_Msk
#define USART_CR1_PCE_Pos 10U
#define USART_CR1_PCE_Msk (0x1UL << USART_CR1_PCE_Pos)
#define USART_CR1_PCE USART_CR1_PCE_Msk
#define USART_CR1_WAKE_Pos 11U
#define USART_CR1_WAKE_Msk (0x1UL << USART_CR1_WAKE_Pos)
#define USART_CR1_WAKE USART_CR1_WAKE_Msk
#define USART_CR1_M_Pos 12U
#define USART_CR1_M_Msk (0x1UL << USART_CR1_M_Pos)
#define USART_CR1_M USART_CR1_M_Msk
#define USART_CR1_UE_Pos 13U
#define USART_CR1_UE_Msk (0x1UL << USART_CR1_UE_Pos)
#define USART_CR1_UE USART_CR1_UE_Msk
#define USART_CR1_OVER8_Pos 15U
#define USART_CR1_OVER8_Msk (0x1UL << USART_CR1_OVER8_Pos)
#define USART_CR1_OVER8 USART_CR1_OVER8_Msk

#define USART_CR2_ADD_Pos 0U
#define USART_CR2_ADD_Msk (0xFUL << USART_CR2_ADD_Pos)
#define USART_CR2_ADD USART_CR2_ADD_Msk
#define USART_CR2_LBDL_Pos 5U
#define USART_CR2_LBDL_Msk (0x1UL << USART_CR2_LBDL_Pos)
#define USART_CR2_LBDL USART_CR2_LBDL_Msk
#define USART_CR2_LBDIE_Pos 6U
#define USART_CR2_LBDIE_Msk (0x1UL << USART_CR2_LBDIE_Pos)
#define USART_CR2_LBDIE USART_CR2_LBDIE_Msk
#define USART_CR2_LBCL_Pos 8U
#define USART_CR2_LBCL_Msk (0x1UL << USART_CR2_LBCL_Pos)
#define USART_CR2_LBCL USART_CR2_LBCL_Msk
#define USART_CR2_CPHA_Pos 9U
#define USART_CR2_CPHA_Msk (0x1UL << USART_CR2_CPHA_Pos)
#define USART_CR2_CPHA USART_CR2_CPHA_Msk
#define USART_CR2_CPOL_Pos 10U
#define USART_CR2_CPOL_Msk (0x1UL << USART_CR2_CPOL_Pos)
#define USART_CR2_CPOL USART_CR2_CPOL_Msk
#define USART_CR2_CLKEN_Pos 11U
#define USART_CR2_CLKEN_Msk (0x1UL << USART_CR2_CLKEN_Pos)
#define USART_CR2_CLKEN USART_CR2_CLKEN_Msk
#define USART_CR2_STOP_Pos 12U
#define USART_CR2_STOP_Msk (0x3UL << USART_CR2_STOP_Pos)
#define USART_CR2_STOP USART_CR2_STOP_Msk
#define USART_CR2_LINEN_Pos 14U
#define USART_CR2_LINEN_Msk (0x1UL << USART_CR2_LINEN_Pos)
#define USART_CR2_LINEN USART_CR2_LINEN_Msk

#define USART_CR3_EIE_Pos 0U
#define USART_CR3_EIE_Msk (0x1UL << USART_CR3_EIE_Pos)
#define USART_CR3_EIE USART_CR3_EIE_Msk
#define USART_CR3_IREN_Pos 1U
#define USART_CR3_IREN_Msk (0x1UL << USART_CR3_IREN_Pos)
#define USART_CR3_IREN USART_CR3_IREN_Msk
#define USART_CR3_IRLP_Pos 2U
#define USART_CR3_IRLP_Msk (0x1UL << USART_CR3_IRLP_Pos)
#define USART_CR3_IRLP USART_CR3_IRLP_Msk
#define USART_CR3_HDSEL_Pos 3U
#define USART_CR3_HDSEL_Msk (0x1UL << USART_CR3_HDSEL_Pos)
#define USART_CR3_HDSEL USART_CR3_HDSEL_Msk
#define USART_CR3_NACK_Pos 4U
#define USART_CR3_NACK_Msk (0x1UL << USART_CR3_NACK_Pos)
#define USART_CR3_NACK USART_CR3_NACK_Msk
#define USART_CR3_SCEN_Pos 5U
#define USART_CR3_SCEN_Msk (0x1UL << USART_CR3_SCEN_Pos)
#define USART_CR3_SCEN USART_CR3_SCEN_Msk
#define USART_CR3_DMAR_Pos 6U
#define USART_CR3_DMAR_Msk (0x1UL << USART_CR3_DMAR_Pos)
#define USART_CR3_DMAR USART_CR3_DMAR_Msk
#define USART_CR3_DMAT_Pos 7U
#define USART_CR3_DMAT_Msk (0x1UL << USART_CR3_DMAT_Pos)
#define USART_CR3_DMAT USART_CR3_DMAT_Msk
#define USART_CR3_RTSE_Pos 8U
#define USART_CR3_RTSE_Msk (0x1UL << USART_CR3_RTSE_Pos)
#define USART_CR3_RTSE USART_CR3_RTSE_Msk
#define USART_CR3_CTSE_Pos 9U
#define USART_CR3_CTSE_Msk (0x1UL << USART_CR3_CTSE_Pos)
#define USART_CR3_CTSE USART_CR3_CTSE_Msk
#define USART_CR3_CTSIE_Pos 10U
#define USART_CR3_CTSIE_Msk (0x1UL << USART_CR3_CTSIE_Pos)
#define USART_CR3_CTSIE USART_CR3_CTSIE_Msk
#define USART_CR3_ONEBIT_Pos 11U
#define USART_CR3_ONEBIT_Msk (0x1UL << USART_CR3_ONEBIT_Pos)
#define USART_CR3_ONEBIT USART_CR3_ONEBIT_Msk

#define USART_GTPR_PSC_Pos 0U
#define USART_GTPR_PSC_Msk (0xFFUL << USART_GTPR_PSC_Pos)
#define USART_GTPR_PSC USART_GTPR_PSC_Msk
#define USART_GTPR_GT_Pos 8U
#define USART_GTPR_GT_Msk (0xFFUL << USART_GTPR_GT_Pos)
#define USART_GTPR_GT USART_GTPR_GT_Msk

#define USART1 ((struct stm32_usart *)USART1_BASE)
#define USART2 ((struct stm32_usart *)USART2_BASE)
#define USART3 ((struct stm32_usart *)USART3_BASE)
#define UART4 ((struct stm32_usart *)UART4_BASE)
#define UART5 ((struct stm32_usart *)UART5_BASE)
#define USART6 ((struct stm32_usart *)USART6_BASE)

#endif
