/*
 * I2C port of the STM32F446 (RM0390 section 24): the instances' hardware,
 * the bus timing and pins, and the recovery of a bus a slave holds
 * (UM10204 3.1.16). The transfers are in i2c.c.
 */
#include <errno.h>

#include "i2c_port.h"
#include "quartz/hal/clock.h"
#include "stm32_hal.h"
#include "stm32f446/irq.h"
#include "stm32f446/rcc.h"

const struct stm32_i2c_hw stm32_i2c_hw[3] = {
    { I2C1, RCC_APB1ENR_I2C1EN, RCC_APB1RSTR_I2C1RST, I2C1_EV_IRQn, I2C1_ER_IRQn },
    { I2C2, RCC_APB1ENR_I2C2EN, RCC_APB1RSTR_I2C2RST, I2C2_EV_IRQn, I2C2_ER_IRQn },
    { I2C3, RCC_APB1ENR_I2C3EN, RCC_APB1RSTR_I2C3RST, I2C3_EV_IRQn, I2C3_ER_IRQn },
};

/* Timing registers (24.6.2 CR2.FREQ, 24.6.8 CCR, 24.6.9 TRISE). */
void stm32_i2c_setup_timing(const struct stm32_i2c_bus *b)
{
    struct stm32_i2c *i2c = stm32_i2c_hw_of(b)->regs;
    uint32_t pclk = stm32_clocks()->pclk1;
    uint32_t mhz = pclk / 1000000U;
    i2c->CR1 = 0;
    i2c->CR2 = mhz << I2C_CR2_FREQ_Pos;
    if (b->cfg->bus_hz > 100000U) {
        /* Fast mode, DUTY = 0: Tlow = 2 Thigh, period = 3 x CCR x Tpclk. */
        uint32_t ccr = (pclk + 3U * b->cfg->bus_hz - 1U) / (3U * b->cfg->bus_hz);
        i2c->CCR = I2C_CCR_F_S | (ccr < 1U ? 1U : ccr);
        i2c->TRISE = mhz * 300U / 1000U + 1U; /* 300 ns max rise time in fast mode */
    } else {
        uint32_t ccr = (pclk + 2U * b->cfg->bus_hz - 1U) / (2U * b->cfg->bus_hz);
        i2c->CCR = ccr < 4U ? 4U : ccr;
        i2c->TRISE = mhz + 1U; /* 1000 ns in standard mode */
    }
    i2c->CR1 = I2C_CR1_PE;
}

void stm32_i2c_pins_af(const struct stm32_i2c_bus *b)
{
    struct gpio_config af = { GPIO_ALTERNATE, GPIO_PULL_UP, GPIO_SPEED_HIGH, 1, b->cfg->af };
    gpio_configure(b->cfg->scl, &af);
    gpio_configure(b->cfg->sda, &af);
}

static bool line_low(struct gpio_pin pin)
{
    return !gpio_read(pin);
}

int stm32_i2c_recover(struct stm32_i2c_bus *b)
{
    const struct stm32_i2c_hw *h = stm32_i2c_hw_of(b);
    struct gpio_config od = { GPIO_OUTPUT, GPIO_PULL_UP, GPIO_SPEED_HIGH, 1, 0 };
    h->regs->CR1 = 0;
    gpio_write(b->cfg->scl, true);
    gpio_write(b->cfg->sda, true);
    gpio_configure(b->cfg->scl, &od);
    gpio_configure(b->cfg->sda, &od);
    /* A slave holding SDA low finishes its byte within 9 clocks (UM10204 3.1.16). */
    for (int i = 0; i < 9 && !gpio_read(b->cfg->sda); i++) {
        gpio_write(b->cfg->scl, false);
        clock_delay_us(5);
        gpio_write(b->cfg->scl, true);
        clock_delay_us(5);
    }
    /* STOP: SDA rises while SCL is high. */
    gpio_write(b->cfg->scl, false);
    clock_delay_us(5);
    gpio_write(b->cfg->sda, false);
    clock_delay_us(5);
    gpio_write(b->cfg->scl, true);
    clock_delay_us(5);
    gpio_write(b->cfg->sda, true);
    clock_delay_us(5);
    stm32_i2c_pins_af(b);
    /* SWRST clears a BUSY flag the analog filter left stuck (ES0298 2.4.6),
     * then the peripheral reset puts every register back. */
    h->regs->CR1 = I2C_CR1_SWRST;
    h->regs->CR1 = 0;
    RCC->APB1RSTR |= h->rst;
    RCC->APB1RSTR &= ~h->rst;
    stm32_i2c_setup_timing(b);
    b->recoveries++;
    /* A slave still holding a line (SCL stretched for good, SDA past 9
     * clocks) keeps SR2.BUSY set (24.6.7): the bus is not usable, and the
     * next transfer tries again. */
    bool held = line_low(b->cfg->scl) || line_low(b->cfg->sda) || (h->regs->SR2 & I2C_SR2_BUSY);
    b->recover_pending = held;
    return held ? -ETIMEDOUT : 0;
}
