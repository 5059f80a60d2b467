/*
 * Internals of the STM32F446 I2C port shared by i2c.c (transfers) and
 * i2c_recover.c (instances, timing, pins, bus recovery).
 */
#ifndef STM32F446_I2C_PORT_H
#define STM32F446_I2C_PORT_H

#include <stdint.h>

#include "stm32_hal.h"
#include "stm32f446/i2c.h"

struct stm32_i2c_hw {
    struct stm32_i2c *regs;
    uint32_t enr, rst; /* RCC APB1ENR / APB1RSTR bits */
    int ev, er;        /* event and error IRQ numbers */
};

extern const struct stm32_i2c_hw stm32_i2c_hw[3];

static inline const struct stm32_i2c_hw *stm32_i2c_hw_of(const struct stm32_i2c_bus *b)
{
    return &stm32_i2c_hw[b->cfg->index - 1];
}

/* Timing registers (24.6.2 CR2.FREQ, 24.6.8 CCR, 24.6.9 TRISE), then PE. */
void stm32_i2c_setup_timing(const struct stm32_i2c_bus *b);
/* SCL and SDA in their alternate function, open drain. */
void stm32_i2c_pins_af(const struct stm32_i2c_bus *b);

#endif
