/*
 * STM32F446 I2C1..3 (not FMPI2C1), RM0390 section 24.6.
 * RxNE, TxE and F_S keep the SVD spelling (RM0390 writes F/S).
 */
#ifndef STM32F446_I2C_H
#define STM32F446_I2C_H

#include <stdint.h>

#include "stm32f446/base.h"

struct stm32_i2c {
    volatile uint32_t CR1;       /* 0x00 */
    volatile uint32_t CR2;       /* 0x04 */
    volatile uint32_t OAR1;      /* 0x08 */
    volatile uint32_t OAR2;      /* 0x0C */
    volatile uint32_t DR;        /* 0x10 */
    volatile uint32_t SR1;       /* 0x14 */
    volatile uint32_t SR2;       /* 0x18 */
    volatile uint32_t CCR;       /* 0x1C */
    volatile uint32_t TRISE;     /* 0x20 */
    volatile uint32_t FLTR;      /* 0x24 */
};

#define I2C_CR1_PE_Pos 0U
#define I2C_CR1_PE_Msk (0x1UL << I2C_CR1_PE_Pos)
#define I2C_CR1_PE I2C_CR1_PE_Msk
#define I2C_CR1_SMBUS_Pos 1U
#define I2C_CR1_SMBUS_Msk (0x1UL << I2C_CR1_SMBUS_Pos)
#define I2C_CR1_SMBUS I2C_CR1_SMBUS_Msk
#define I2C_CR1_SMBTYPE_Pos 3U
#define I2C_CR1_SMBTYPE_Msk (0x1UL << I2C_CR1_SMBTYPE_Pos)
#define I2C_CR1_SMBTYPE I2C_CR1_SMBTYPE_Msk
#define I2C_CR1_ENARP_Pos 4U
#define I2C_CR1_ENARP_Msk (0x1UL << I2C_CR1_ENARP_Pos)
#define I2C_CR1_ENARP I2C_CR1_ENARP_Msk
#define I2C_CR1_ENPEC_Pos 5U
#define I2C_CR1_ENPEC_Msk (0x1UL << I2C_CR1_ENPEC_Pos)
#define I2C_CR1_ENPEC I2C_CR1_ENPEC_Msk
#define I2C_CR1_ENGC_Pos 6U
#define I2C_CR1_ENGC_Msk (0x1UL << I2C_CR1_ENGC_Pos)
#define I2C_CR1_ENGC I2C_CR1_ENGC_Msk
#define I2C_CR1_NOSTRETCH_Pos 7U
#define I2C_CR1_NOSTRETCH_Msk (0x1UL << I2C_CR1_NOSTRETCH_Pos)
#define I2C_CR1_NOSTRETCH I2C_CR1_NOSTRETCH_Msk
#define I2C_CR1_START_Pos 8U
#define I2C_CR1_START_Msk (0x1UL << I2C_CR1_START_Pos)
#define I2C_CR1_START I2C_CR1_START_Msk
#define I2C_CR1_STOP_Pos 9U
#define I2C_CR1_STOP_Msk (0x1UL << I2C_CR1_STOP_Pos)
#define I2C_CR1_STOP I2C_CR1_STOP_Msk
#define I2C_CR1_ACK_Pos 10U
#define I2C_CR1_ACK_Msk (0x1UL << I2C_CR1_ACK_Pos)
#define I2C_CR1_ACK I2C_CR1_ACK_Msk
#define I2C_CR1_POS_Pos 11U
#define I2C_CR1_POS_Msk (0x1UL << I2C_CR1_POS_Pos)
#define I2C_CR1_POS I2C_CR1_POS_Msk
#define I2C_CR1_PEC_Pos 12U
#define I2C_CR1_PEC_Msk (0x1UL << I2C_CR1_PEC_Pos)
#define I2C_CR1_PEC I2C_CR1_PEC_Msk
#define I2C_CR1_ALERT_Pos 13U
#define I2C_CR1_ALERT_Msk (0x1UL << I2C_CR1_ALERT_Pos)
#define I2C_CR1_ALERT I2C_CR1_ALERT_Msk
#define I2C_CR1_SWRST_Pos 15U
#define I2C_CR1_SWRST_Msk (0x1UL << I2C_CR1_SWRST_Pos)
#define I2C_CR1_SWRST I2C_CR1_SWRST_Msk

#define I2C_CR2_FREQ_Pos 0U
#define I2C_CR2_FREQ_Msk (0x3FUL << I2C_CR2_FREQ_Pos)
#define I2C_CR2_FREQ I2C_CR2_FREQ_Msk
#define I2C_CR2_ITERREN_Pos 8U
#define I2C_CR2_ITERREN_Msk (0x1UL << I2C_CR2_ITERREN_Pos)
#define I2C_CR2_ITERREN I2C_CR2_ITERREN_Msk
#define I2C_CR2_ITEVTEN_Pos 9U
#define I2C_CR2_ITEVTEN_Msk (0x1UL << I2C_CR2_ITEVTEN_Pos)
#define I2C_CR2_ITEVTEN I2C_CR2_ITEVTEN_Msk
#define I2C_CR2_ITBUFEN_Pos 10U
#define I2C_CR2_ITBUFEN_Msk (0x1UL << I2C_CR2_ITBUFEN_Pos)
#define I2C_CR2_ITBUFEN I2C_CR2_ITBUFEN_Msk
#define I2C_CR2_DMAEN_Pos 11U
#define I2C_CR2_DMAEN_Msk (0x1UL << I2C_CR2_DMAEN_Pos)
#define I2C_CR2_DMAEN I2C_CR2_DMAEN_Msk
#define I2C_CR2_LAST_Pos 12U
#define I2C_CR2_LAST_Msk (0x1UL << I2C_CR2_LAST_Pos)
#define I2C_CR2_LAST I2C_CR2_LAST_Msk

#define I2C_OAR1_ADD0_Pos 0U
#define I2C_OAR1_ADD0_Msk (0x1UL << I2C_OAR1_ADD0_Pos)
#define I2C_OAR1_ADD0 I2C_OAR1_ADD0_Msk
#define I2C_OAR1_ADD7_Pos 1U
#define I2C_OAR1_ADD7_Msk (0x7FUL << I2C_OAR1_ADD7_Pos)
#define I2C_OAR1_ADD7 I2C_OAR1_ADD7_Msk
#define I2C_OAR1_ADD10_Pos 8U
#define I2C_OAR1_ADD10_Msk (0x3UL << I2C_OAR1_ADD10_Pos)
#define I2C_OAR1_ADD10 I2C_OAR1_ADD10_Msk
#define I2C_OAR1_ADDMODE_Pos 15U
#define I2C_OAR1_ADDMODE_Msk (0x1UL << I2C_OAR1_ADDMODE_Pos)
#define I2C_OAR1_ADDMODE I2C_OAR1_ADDMODE_Msk

#define I2C_OAR2_ENDUAL_Pos 0U
#define I2C_OAR2_ENDUAL_Msk (0x1UL << I2C_OAR2_ENDUAL_Pos)
#define I2C_OAR2_ENDUAL I2C_OAR2_ENDUAL_Msk
#define I2C_OAR2_ADD2_Pos 1U
#define I2C_OAR2_ADD2_Msk (0x7FUL << I2C_OAR2_ADD2_Pos)
#define I2C_OAR2_ADD2 I2C_OAR2_ADD2_Msk

#define I2C_DR_DR_Pos 0U
#define I2C_DR_DR_Msk (0xFFUL << I2C_DR_DR_Pos)
#define I2C_DR_DR I2C_DR_DR_Msk

#define I2C_SR1_SB_Pos 0U
#define I2C_SR1_SB_Msk (0x1UL << I2C_SR1_SB_Pos)
#define I2C_SR1_SB I2C_SR1_SB_Msk
#define I2C_SR1_ADDR_Pos 1U
#define I2C_SR1_ADDR_Msk (0x1UL << I2C_SR1_ADDR_Pos)
#define I2C_SR1_ADDR I2C_SR1_ADDR_Msk
#define I2C_SR1_BTF_Pos 2U
#define I2C_SR1_BTF_Msk (0x1UL << I2C_SR1_BTF_Pos)
#define I2C_SR1_BTF I2C_SR1_BTF_Msk
#define I2C_SR1_ADD10_Pos 3U
#define I2C_SR1_ADD10_Msk (0x1UL << I2C_SR1_ADD10_Pos)
#define I2C_SR1_ADD10 I2C_SR1_ADD10_Msk
#define I2C_SR1_STOPF_Pos 4U
#define I2C_SR1_STOPF_Msk (0x1UL << I2C_SR1_STOPF_Pos)
#define I2C_SR1_STOPF I2C_SR1_STOPF_Msk
#define I2C_SR1_RxNE_Pos 6U
#define I2C_SR1_RxNE_Msk (0x1UL << I2C_SR1_RxNE_Pos)
#define I2C_SR1_RxNE I2C_SR1_RxNE_Msk
#define I2C_SR1_TxE_Pos 7U
#define I2C_SR1_TxE_Msk (0x1UL << I2C_SR1_TxE_Pos)
#define I2C_SR1_TxE I2C_SR1_TxE_Msk
#define I2C_SR1_BERR_Pos 8U
#define I2C_SR1_BERR_Msk (0x1UL << I2C_SR1_BERR_Pos)
#define I2C_SR1_BERR I2C_SR1_BERR_Msk
#define I2C_SR1_ARLO_Pos 9U
#define I2C_SR1_ARLO_Msk (0x1UL << I2C_SR1_ARLO_Pos)
#define I2C_SR1_ARLO I2C_SR1_ARLO_Msk
#define I2C_SR1_AF_Pos 10U
#define I2C_SR1_AF_Msk (0x1UL << I2C_SR1_AF_Pos)
#define I2C_SR1_AF I2C_SR1_AF_Msk
#define I2C_SR1_OVR_Pos 11U
#define I2C_SR1_OVR_Msk (0x1UL << I2C_SR1_OVR_Pos)
#define I2C_SR1_OVR I2C_SR1_OVR_Msk
#define I2C_SR1_PECERR_Pos 12U
#define I2C_SR1_PECERR_Msk (0x1UL << I2C_SR1_PECERR_Pos)
#define I2C_SR1_PECERR I2C_SR1_PECERR_Msk
#define I2C_SR1_TIMEOUT_Pos 14U
#define I2C_SR1_TIMEOUT_Msk (0x1UL << I2C_SR1_TIMEOUT_Pos)
#define I2C_SR1_TIMEOUT I2C_SR1_TIMEOUT_Msk
#define I2C_SR1_SMBALERT_Pos 15U
#define I2C_SR1_SMBALERT_Msk (0x1UL << I2C_SR1_SMBALERT_Pos)
#define I2C_SR1_SMBALERT I2C_SR1_SMBALERT_Msk

#define I2C_SR2_MSL_Pos 0U
#define I2C_SR2_MSL_Msk (0x1UL << I2C_SR2_MSL_Pos)
#define I2C_SR2_MSL I2C_SR2_MSL_Msk
#define I2C_SR2_BUSY_Pos 1U
#define I2C_SR2_BUSY_Msk (0x1UL << I2C_SR2_BUSY_Pos)
#define I2C_SR2_BUSY I2C_SR2_BUSY_Msk
#define I2C_SR2_TRA_Pos 2U
#define I2C_SR2_TRA_Msk (0x1UL << I2C_SR2_TRA_Pos)
#define I2C_SR2_TRA I2C_SR2_TRA_Msk
#define I2C_SR2_GENCALL_Pos 4U
#define I2C_SR2_GENCALL_Msk (0x1UL << I2C_SR2_GENCALL_Pos)
#define I2C_SR2_GENCALL I2C_SR2_GENCALL_Msk
#define I2C_SR2_SMBDEFAULT_Pos 5U
#define I2C_SR2_SMBDEFAULT_Msk (0x1UL << I2C_SR2_SMBDEFAULT_Pos)
#define I2C_SR2_SMBDEFAULT I2C_SR2_SMBDEFAULT_Msk
#define I2C_SR2_SMBHOST_Pos 6U
#define I2C_SR2_SMBHOST_Msk (0x1UL << I2C_SR2_SMBHOST_Pos)
#define I2C_SR2_SMBHOST I2C_SR2_SMBHOST_Msk
#define I2C_SR2_DUALF_Pos 7U
#define I2C_SR2_DUALF_Msk (0x1UL << I2C_SR2_DUALF_Pos)
#define I2C_SR2_DUALF I2C_SR2_DUALF_Msk
#define I2C_SR2_PEC_Pos 8U
#define I2C_SR2_PEC_Msk (0xFFUL << I2C_SR2_PEC_Pos)
#define I2C_SR2_PEC I2C_SR2_PEC_Msk

#define I2C_CCR_CCR_Pos 0U
#define I2C_CCR_CCR_Msk (0xFFFUL << I2C_CCR_CCR_Pos)
#define I2C_CCR_CCR I2C_CCR_CCR_Msk
#define I2C_CCR_DUTY_Pos 14U
#define I2C_CCR_DUTY_Msk (0x1UL << I2C_CCR_DUTY_Pos)
#define I2C_CCR_DUTY I2C_CCR_DUTY_Msk
#define I2C_CCR_F_S_Pos 15U
#define I2C_CCR_F_S_Msk (0x1UL << I2C_CCR_F_S_Pos)
#define I2C_CCR_F_S I2C_CCR_F_S_Msk

#define I2C_TRISE_TRISE_Pos 0U
#define I2C_TRISE_TRISE_Msk (0x3FUL << I2C_TRISE_TRISE_Pos)
#define I2C_TRISE_TRISE I2C_TRISE_TRISE_Msk

#define I2C_FLTR_DNF_Pos 0U
#define I2C_FLTR_DNF_Msk (0xFUL << I2C_FLTR_DNF_Pos)
#define I2C_FLTR_DNF I2C_FLTR_DNF_Msk
#define I2C_FLTR_ANOFF_Pos 4U
#define I2C_FLTR_ANOFF_Msk (0x1UL << I2C_FLTR_ANOFF_Pos)
#define I2C_FLTR_ANOFF I2C_FLTR_ANOFF_Msk

#define I2C1 ((struct stm32_i2c *)I2C1_BASE)
#define I2C2 ((struct stm32_i2c *)I2C2_BASE)
#define I2C3 ((struct stm32_i2c *)I2C3_BASE)

#endif
