/*
 * STM32F446 power controller, RM0390 section 5.5.
 */
#ifndef STM32F446_PWR_H
#define STM32F446_PWR_H

#include <stdint.h>

#include "stm32f446/base.h"

struct stm32_pwr {
    volatile uint32_t CR;        /* 0x00 */
    volatile uint32_t CSR;       /* 0x04 */
};

#define PWR_CR_LPDS_Pos 0U
#define PWR_CR_LPDS_Msk (0x1UL << PWR_CR_LPDS_Pos)
#define PWR_CR_LPDS PWR_CR_LPDS_Msk
#define PWR_CR_PDDS_Pos 1U
#define PWR_CR_PDDS_Msk (0x1UL << PWR_CR_PDDS_Pos)
#define PWR_CR_PDDS PWR_CR_PDDS_Msk
#define PWR_CR_CWUF_Pos 2U
#define PWR_CR_CWUF_Msk (0x1UL << PWR_CR_CWUF_Pos)
#define PWR_CR_CWUF PWR_CR_CWUF_Msk
#define PWR_CR_CSBF_Pos 3U
#define PWR_CR_CSBF_Msk (0x1UL << PWR_CR_CSBF_Pos)
#define PWR_CR_CSBF PWR_CR_CSBF_Msk
#define PWR_CR_PVDE_Pos 4U
#define PWR_CR_PVDE_Msk (0x1UL << PWR_CR_PVDE_Pos)
#define PWR_CR_PVDE PWR_CR_PVDE_Msk
#define PWR_CR_PLS_Pos 5U
#define PWR_CR_PLS_Msk (0x7UL << PWR_CR_PLS_Pos)
#define PWR_CR_PLS PWR_CR_PLS_Msk
#define PWR_CR_DBP_Pos 8U
#define PWR_CR_DBP_Msk (0x1UL << PWR_CR_DBP_Pos)
#define PWR_CR_DBP PWR_CR_DBP_Msk
#define PWR_CR_FPDS_Pos 9U
#define PWR_CR_FPDS_Msk (0x1UL << PWR_CR_FPDS_Pos)
#define PWR_CR_FPDS PWR_CR_FPDS_Msk
#define PWR_CR_LPLVDS_Pos 10U
#define PWR_CR_LPLVDS_Msk (0x1UL << PWR_CR_LPLVDS_Pos)
#define PWR_CR_LPLVDS PWR_CR_LPLVDS_Msk
#define PWR_CR_MRLVDS_Pos 11U
#define PWR_CR_MRLVDS_Msk (0x1UL << PWR_CR_MRLVDS_Pos)
#define PWR_CR_MRLVDS PWR_CR_MRLVDS_Msk
#define PWR_CR_ADCDC1_Pos 13U
#define PWR_CR_ADCDC1_Msk (0x1UL << PWR_CR_ADCDC1_Pos)
#define PWR_CR_ADCDC1 PWR_CR_ADCDC1_Msk
#define PWR_CR_VOS_Pos 14U
#define PWR_CR_VOS_Msk (0x3UL << PWR_CR_VOS_Pos)
#define PWR_CR_VOS PWR_CR_VOS_Msk
#define PWR_CR_ODEN_Pos 16U
#define PWR_CR_ODEN_Msk (0x1UL << PWR_CR_ODEN_Pos)
#define PWR_CR_ODEN PWR_CR_ODEN_Msk
#define PWR_CR_ODSWEN_Pos 17U
#define PWR_CR_ODSWEN_Msk (0x1UL << PWR_CR_ODSWEN_Pos)
#define PWR_CR_ODSWEN PWR_CR_ODSWEN_Msk
#define PWR_CR_UDEN_Pos 18U
#define PWR_CR_UDEN_Msk (0x3UL << PWR_CR_UDEN_Pos)
#define PWR_CR_UDEN PWR_CR_UDEN_Msk
#define PWR_CR_FMSSR_Pos 20U
#define PWR_CR_FMSSR_Msk (0x1UL << PWR_CR_FMSSR_Pos)
#define PWR_CR_FMSSR PWR_CR_FMSSR_Msk
#define PWR_CR_FISSR_Pos 21U
#define PWR_CR_FISSR_Msk (0x1UL << PWR_CR_FISSR_Pos)
#define PWR_CR_FISSR PWR_CR_FISSR_Msk

#define PWR_CSR_WUF_Pos 0U
#define PWR_CSR_WUF_Msk (0x1UL << PWR_CSR_WUF_Pos)
#define PWR_CSR_WUF PWR_CSR_WUF_Msk
#define PWR_CSR_SBF_Pos 1U
#define PWR_CSR_SBF_Msk (0x1UL << PWR_CSR_SBF_Pos)
#define PWR_CSR_SBF PWR_CSR_SBF_Msk
#define PWR_CSR_PVDO_Pos 2U
#define PWR_CSR_PVDO_Msk (0x1UL << PWR_CSR_PVDO_Pos)
#define PWR_CSR_PVDO PWR_CSR_PVDO_Msk
#define PWR_CSR_BRR_Pos 3U
#define PWR_CSR_BRR_Msk (0x1UL << PWR_CSR_BRR_Pos)
#define PWR_CSR_BRR PWR_CSR_BRR_Msk
#define PWR_CSR_EWUP2_Pos 7U
#define PWR_CSR_EWUP2_Msk (0x1UL << PWR_CSR_EWUP2_Pos)
#define PWR_CSR_EWUP2 PWR_CSR_EWUP2_Msk
#define PWR_CSR_EWUP1_Pos 8U
#define PWR_CSR_EWUP1_Msk (0x1UL << PWR_CSR_EWUP1_Pos)
#define PWR_CSR_EWUP1 PWR_CSR_EWUP1_Msk
#define PWR_CSR_BRE_Pos 9U
#define PWR_CSR_BRE_Msk (0x1UL << PWR_CSR_BRE_Pos)
#define PWR_CSR_BRE PWR_CSR_BRE_Msk
#define PWR_CSR_VOSRDY_Pos 14U
#define PWR_CSR_VOSRDY_Msk (0x1UL << PWR_CSR_VOSRDY_Pos)
#define PWR_CSR_VOSRDY PWR_CSR_VOSRDY_Msk
#define PWR_CSR_ODRDY_Pos 16U
#define PWR_CSR_ODRDY_Msk (0x1UL << PWR_CSR_ODRDY_Pos)
#define PWR_CSR_ODRDY PWR_CSR_ODRDY_Msk
#define PWR_CSR_ODSWRDY_Pos 17U
#define PWR_CSR_ODSWRDY_Msk (0x1UL << PWR_CSR_ODSWRDY_Pos)
#define PWR_CSR_ODSWRDY PWR_CSR_ODSWRDY_Msk
#define PWR_CSR_UDRDY_Pos 18U
#define PWR_CSR_UDRDY_Msk (0x3UL << PWR_CSR_UDRDY_Pos)
#define PWR_CSR_UDRDY PWR_CSR_UDRDY_Msk

#define PWR ((struct stm32_pwr *)PWR_BASE)

#endif
