/*
 * STM32F446 register layer: one include for every peripheral quartz uses.
 * Names follow RM0390 and ST's SVD (svd/STM32F446.svd); tests/host/regs
 * checks every base address, register offset and field against the SVD.
 */
#ifndef STM32F446_REGS_H
#define STM32F446_REGS_H

#include "stm32f446/base.h"
#include "stm32f446/irq.h"
#include "stm32f446/rcc.h"
#include "stm32f446/flash.h"
#include "stm32f446/pwr.h"
#include "stm32f446/gpio.h"
#include "stm32f446/syscfg.h"
#include "stm32f446/exti.h"
#include "stm32f446/tim.h"
#include "stm32f446/i2c.h"
#include "stm32f446/usart.h"
#include "stm32f446/spi.h"
#include "stm32f446/dma.h"
#include "stm32f446/adc.h"

#endif
