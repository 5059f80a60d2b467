/*
 * STM32F446 ADC1..ADC3 and their common registers, RM0390 section 13.13.
 */
#ifndef STM32F446_ADC_H
#define STM32F446_ADC_H

#include <stdint.h>

#include "stm32f446/base.h"

struct stm32_adc {
    volatile uint32_t SR;    /* 0x00 */
    volatile uint32_t CR1;   /* 0x04 */
    volatile uint32_t CR2;   /* 0x08 */
    volatile uint32_t SMPR1; /* 0x0C: SMP10..SMP18, 3 bits each */
    volatile uint32_t SMPR2; /* 0x10: SMP0..SMP9, 3 bits each */
    volatile uint32_t JOFR1; /* 0x14 */
    volatile uint32_t JOFR2; /* 0x18 */
    volatile uint32_t JOFR3; /* 0x1C */
    volatile uint32_t JOFR4; /* 0x20 */
    volatile uint32_t HTR;   /* 0x24 */
    volatile uint32_t LTR;   /* 0x28 */
    volatile uint32_t SQR1;  /* 0x2C */
    volatile uint32_t SQR2;  /* 0x30 */
    volatile uint32_t SQR3;  /* 0x34 */
    volatile uint32_t JSQR;  /* 0x38 */
    volatile uint32_t JDR1;  /* 0x3C */
    volatile uint32_t JDR2;  /* 0x40 */
    volatile uint32_t JDR3;  /* 0x44 */
    volatile uint32_t JDR4;  /* 0x48 */
    volatile uint32_t DR;    /* 0x4C */
};

/* At ADC1_BASE + 0x300 (RM0390 13.13.18). */
struct stm32_adc_common {
    volatile uint32_t CSR; /* 0x00 */
    volatile uint32_t CCR; /* 0x04 */
    volatile uint32_t CDR; /* 0x08 */
};

#define ADC_SR_AWD_Pos 0U
#define ADC_SR_AWD_Msk (0x1UL << ADC_SR_AWD_Pos)
#define ADC_SR_AWD ADC_SR_AWD_Msk
#define ADC_SR_EOC_Pos 1U
#define ADC_SR_EOC_Msk (0x1UL << ADC_SR_EOC_Pos)
#define ADC_SR_EOC ADC_SR_EOC_Msk
#define ADC_SR_JEOC_Pos 2U
#define ADC_SR_JEOC_Msk (0x1UL << ADC_SR_JEOC_Pos)
#define ADC_SR_JEOC ADC_SR_JEOC_Msk
#define ADC_SR_JSTRT_Pos 3U
#define ADC_SR_JSTRT_Msk (0x1UL << ADC_SR_JSTRT_Pos)
#define ADC_SR_JSTRT ADC_SR_JSTRT_Msk
#define ADC_SR_STRT_Pos 4U
#define ADC_SR_STRT_Msk (0x1UL << ADC_SR_STRT_Pos)
#define ADC_SR_STRT ADC_SR_STRT_Msk
#define ADC_SR_OVR_Pos 5U
#define ADC_SR_OVR_Msk (0x1UL << ADC_SR_OVR_Pos)
#define ADC_SR_OVR ADC_SR_OVR_Msk
#define ADC_CR1_AWDCH_Pos 0U
#define ADC_CR1_AWDCH_Msk (0x1FUL << ADC_CR1_AWDCH_Pos)
#define ADC_CR1_AWDCH ADC_CR1_AWDCH_Msk
#define ADC_CR1_EOCIE_Pos 5U
#define ADC_CR1_EOCIE_Msk (0x1UL << ADC_CR1_EOCIE_Pos)
#define ADC_CR1_EOCIE ADC_CR1_EOCIE_Msk
#define ADC_CR1_AWDIE_Pos 6U
#define ADC_CR1_AWDIE_Msk (0x1UL << ADC_CR1_AWDIE_Pos)
#define ADC_CR1_AWDIE ADC_CR1_AWDIE_Msk
#define ADC_CR1_JEOCIE_Pos 7U
#define ADC_CR1_JEOCIE_Msk (0x1UL << ADC_CR1_JEOCIE_Pos)
#define ADC_CR1_JEOCIE ADC_CR1_JEOCIE_Msk
#define ADC_CR1_SCAN_Pos 8U
#define ADC_CR1_SCAN_Msk (0x1UL << ADC_CR1_SCAN_Pos)
#define ADC_CR1_SCAN ADC_CR1_SCAN_Msk
#define ADC_CR1_AWDSGL_Pos 9U
#define ADC_CR1_AWDSGL_Msk (0x1UL << ADC_CR1_AWDSGL_Pos)
#define ADC_CR1_AWDSGL ADC_CR1_AWDSGL_Msk
#define ADC_CR1_JAUTO_Pos 10U
#define ADC_CR1_JAUTO_Msk (0x1UL << ADC_CR1_JAUTO_Pos)
#define ADC_CR1_JAUTO ADC_CR1_JAUTO_Msk
#define ADC_CR1_DISCEN_Pos 11U
#define ADC_CR1_DISCEN_Msk (0x1UL << ADC_CR1_DISCEN_Pos)
#define ADC_CR1_DISCEN ADC_CR1_DISCEN_Msk
#define ADC_CR1_JDISCEN_Pos 12U
#define ADC_CR1_JDISCEN_Msk (0x1UL << ADC_CR1_JDISCEN_Pos)
#define ADC_CR1_JDISCEN ADC_CR1_JDISCEN_Msk
#define ADC_CR1_DISCNUM_Pos 13U
#define ADC_CR1_DISCNUM_Msk (0x7UL << ADC_CR1_DISCNUM_Pos)
#define ADC_CR1_DISCNUM ADC_CR1_DISCNUM_Msk
#define ADC_CR1_JAWDEN_Pos 22U
#define ADC_CR1_JAWDEN_Msk (0x1UL << ADC_CR1_JAWDEN_Pos)
#define ADC_CR1_JAWDEN ADC_CR1_JAWDEN_Msk
#define ADC_CR1_AWDEN_Pos 23U
#define ADC_CR1_AWDEN_Msk (0x1UL << ADC_CR1_AWDEN_Pos)
#define ADC_CR1_AWDEN ADC_CR1_AWDEN_Msk
#define ADC_CR1_RES_Pos 24U
#define ADC_CR1_RES_Msk (0x3UL << ADC_CR1_RES_Pos)
#define ADC_CR1_RES ADC_CR1_RES_Msk
#define ADC_CR1_OVRIE_Pos 26U
#define ADC_CR1_OVRIE_Msk (0x1UL << ADC_CR1_OVRIE_Pos)
#define ADC_CR1_OVRIE ADC_CR1_OVRIE_Msk
#define ADC_CR2_ADON_Pos 0U
#define ADC_CR2_ADON_Msk (0x1UL << ADC_CR2_ADON_Pos)
#define ADC_CR2_ADON ADC_CR2_ADON_Msk
#define ADC_CR2_CONT_Pos 1U
#define ADC_CR2_CONT_Msk (0x1UL << ADC_CR2_CONT_Pos)
#define ADC_CR2_CONT ADC_CR2_CONT_Msk
#define ADC_CR2_DMA_Pos 8U
#define ADC_CR2_DMA_Msk (0x1UL << ADC_CR2_DMA_Pos)
#define ADC_CR2_DMA ADC_CR2_DMA_Msk
#define ADC_CR2_DDS_Pos 9U
#define ADC_CR2_DDS_Msk (0x1UL << ADC_CR2_DDS_Pos)
#define ADC_CR2_DDS ADC_CR2_DDS_Msk
#define ADC_CR2_EOCS_Pos 10U
#define ADC_CR2_EOCS_Msk (0x1UL << ADC_CR2_EOCS_Pos)
#define ADC_CR2_EOCS ADC_CR2_EOCS_Msk
#define ADC_CR2_ALIGN_Pos 11U
#define ADC_CR2_ALIGN_Msk (0x1UL << ADC_CR2_ALIGN_Pos)
#define ADC_CR2_ALIGN ADC_CR2_ALIGN_Msk
#define ADC_CR2_JEXTSEL_Pos 16U
#define ADC_CR2_JEXTSEL_Msk (0xFUL << ADC_CR2_JEXTSEL_Pos)
#define ADC_CR2_JEXTSEL ADC_CR2_JEXTSEL_Msk
#define ADC_CR2_JEXTEN_Pos 20U
#define ADC_CR2_JEXTEN_Msk (0x3UL << ADC_CR2_JEXTEN_Pos)
#define ADC_CR2_JEXTEN ADC_CR2_JEXTEN_Msk
#define ADC_CR2_JSWSTART_Pos 22U
#define ADC_CR2_JSWSTART_Msk (0x1UL << ADC_CR2_JSWSTART_Pos)
#define ADC_CR2_JSWSTART ADC_CR2_JSWSTART_Msk
#define ADC_CR2_EXTSEL_Pos 24U
#define ADC_CR2_EXTSEL_Msk (0xFUL << ADC_CR2_EXTSEL_Pos)
#define ADC_CR2_EXTSEL ADC_CR2_EXTSEL_Msk
#define ADC_CR2_EXTEN_Pos 28U
#define ADC_CR2_EXTEN_Msk (0x3UL << ADC_CR2_EXTEN_Pos)
#define ADC_CR2_EXTEN ADC_CR2_EXTEN_Msk
#define ADC_CR2_SWSTART_Pos 30U
#define ADC_CR2_SWSTART_Msk (0x1UL << ADC_CR2_SWSTART_Pos)
#define ADC_CR2_SWSTART ADC_CR2_SWSTART_Msk
/* SQRx: 5-bit SQn fields; SQ1, SQ7 and SQ13 start SQR3, SQR2 and SQR1 (RM0390 13.13.9-13.13.11). */
#define ADC_SQR1_SQ13_Pos 0U
#define ADC_SQR1_SQ13_Msk (0x1FUL << ADC_SQR1_SQ13_Pos)
#define ADC_SQR1_SQ13 ADC_SQR1_SQ13_Msk
#define ADC_SQR1_L_Pos 20U
#define ADC_SQR1_L_Msk (0xFUL << ADC_SQR1_L_Pos)
#define ADC_SQR1_L ADC_SQR1_L_Msk
#define ADC_SQR2_SQ7_Pos 0U
#define ADC_SQR2_SQ7_Msk (0x1FUL << ADC_SQR2_SQ7_Pos)
#define ADC_SQR2_SQ7 ADC_SQR2_SQ7_Msk
#define ADC_SQR3_SQ1_Pos 0U
#define ADC_SQR3_SQ1_Msk (0x1FUL << ADC_SQR3_SQ1_Pos)
#define ADC_SQR3_SQ1 ADC_SQR3_SQ1_Msk
#define ADC_DR_DATA_Pos 0U
#define ADC_DR_DATA_Msk (0xFFFFUL << ADC_DR_DATA_Pos)
#define ADC_DR_DATA ADC_DR_DATA_Msk
#define ADC_CCR_MULT_Pos 0U
#define ADC_CCR_MULT_Msk (0x1FUL << ADC_CCR_MULT_Pos)
#define ADC_CCR_MULT ADC_CCR_MULT_Msk
#define ADC_CCR_DDS_Pos 13U
#define ADC_CCR_DDS_Msk (0x1UL << ADC_CCR_DDS_Pos)
#define ADC_CCR_DDS ADC_CCR_DDS_Msk
#define ADC_CCR_DMA_Pos 14U
#define ADC_CCR_DMA_Msk (0x3UL << ADC_CCR_DMA_Pos)
#define ADC_CCR_DMA ADC_CCR_DMA_Msk
#define ADC_CCR_ADCPRE_Pos 16U
#define ADC_CCR_ADCPRE_Msk (0x3UL << ADC_CCR_ADCPRE_Pos)
#define ADC_CCR_ADCPRE ADC_CCR_ADCPRE_Msk
#define ADC_CCR_VBATE_Pos 22U
#define ADC_CCR_VBATE_Msk (0x1UL << ADC_CCR_VBATE_Pos)
#define ADC_CCR_VBATE ADC_CCR_VBATE_Msk
#define ADC_CCR_TSVREFE_Pos 23U
#define ADC_CCR_TSVREFE_Msk (0x1UL << ADC_CCR_TSVREFE_Pos)
#define ADC_CCR_TSVREFE ADC_CCR_TSVREFE_Msk

#define ADC1 ((struct stm32_adc *)ADC1_BASE)
#define ADC2 ((struct stm32_adc *)ADC2_BASE)
#define ADC3 ((struct stm32_adc *)ADC3_BASE)
#define ADC123_COMMON ((struct stm32_adc_common *)ADC123_COMMON_BASE)

#endif
