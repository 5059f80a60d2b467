/*
 * STM32F446 port of the portable HAL (include/quartz/hal): the parts a
 * board configures with const data. Everything here is bound at link time.
 *
 * Interrupt priorities: every handler of this port (SysTick, TIM2, EXTI,
 * I2C EV/ER, USART2) runs at STM32_HAL_IRQ_PRIO, so they never preempt one
 * another; thread code shares data with them through cpu_irq_lock().
 */
#ifndef STM32F446_HAL_H
#define STM32F446_HAL_H

#include <stdbool.h>
#include <stdint.h>

#include "quartz/hal/gpio.h"
#include "quartz/hal/i2c.h"
#include "quartz/hal/irq.h"

/* HAL_IRQ_PRIO (public/quartz_chip/irq.h): what applications see. */
#define STM32_HAL_IRQ_PRIO ((unsigned)HAL_IRQ_PRIO)

/* ---- clocks (RM0390 section 6) ----------------------------------------- */

enum stm32_clock_source { STM32_CLOCK_HSI, STM32_CLOCK_PLL_HSE, STM32_CLOCK_PLL_HSI };

struct stm32_clock_plan {
    uint32_t hse_hz;       /* external clock on OSC_IN (bypass), 0 = none */
    uint8_t pllm_hse;      /* PLL input divider for HSE, to 2 MHz (RM0390 6.3.2: 1..2 MHz) */
    uint8_t pllm_hsi;      /* same for the 16 MHz HSI */
    uint16_t plln;         /* VCO = input x N (100..432 MHz) */
    uint8_t pllp;          /* SYSCLK = VCO / P (2, 4, 6, 8) */
    uint8_t pllq;          /* 48 MHz domain = VCO / Q */
    uint8_t apb1_div;      /* 1, 2, 4, 8, 16 (APB1 <= 45 MHz) */
    uint8_t apb2_div;      /* APB2 <= 90 MHz */
    uint8_t flash_ws;      /* FLASH_ACR LATENCY for the PLL clock at the board's VDD */
};

struct stm32_clocks {
    uint32_t sysclk, hclk, pclk1, pclk2;
    uint32_t tim_apb1; /* timer kernel clock on APB1: x2 when APB1 is divided (RM0390 6.2) */
    enum stm32_clock_source source;
};

/*
 * Switch to the PLL as planned: HSE bypass first (bounded wait), HSI as the
 * PLL source when HSE does not start, and HSI 16 MHz without the PLL when
 * the PLL does not lock. Flash wait states are set before the switch.
 * Returns 0, or -ETIMEDOUT when the PLL failed (running on HSI, reported
 * in `source`).
 */
int stm32_clock_setup(const struct stm32_clock_plan *plan);
const struct stm32_clocks *stm32_clocks(void);

/* SysTick at `hz` (interrupt), DWT cycle counter on; drives clock_uptime_ms(). */
void stm32_systick_init(uint32_t hz);

/* ---- I2C master (RM0390 section 24) ------------------------------------ */

struct stm32_i2c_config {
    uint8_t index;   /* 1..3 */
    uint32_t bus_hz; /* 100000 or 400000 */
    struct gpio_pin scl, sda;
    uint8_t af;
};

/* Instance: struct i2c_bus first, so the portable bus pointer is the instance. */
struct stm32_i2c_bus {
    struct i2c_bus bus;
    const struct stm32_i2c_config *cfg;
    /* transfer in flight: owned by the I2C interrupt (and the SysTick watchdog) */
    const struct i2c_msg *msgs;
    uint8_t n, i, phase;
    uint16_t pos;
    i2c_done_fn done;
    void *ctx;
    uint64_t deadline_ms;
    volatile bool busy;
    /* blocking transfers */
    volatile bool sync_done;
    volatile int sync_status;
    uint32_t recoveries;
};

/* Pins, clock, timing. Returns 0 or -EINVAL. */
int stm32_i2c_init(struct stm32_i2c_bus *b, const struct stm32_i2c_config *cfg);

/* 9 SCL pulses as GPIO until SDA is released, a STOP, peripheral reset and re-init. */
void stm32_i2c_recover(struct stm32_i2c_bus *b);

/* Called by the SysTick handler: ends transfers past their deadline with -ETIMEDOUT. */
void stm32_i2c_watchdog(uint64_t now_ms);

#endif
