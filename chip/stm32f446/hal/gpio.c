/* GPIO (RM0390 section 7) and EXTI line routing (sections 8.2 SYSCFG_EXTICR, 10.2 EXTI). */
#include <errno.h>
#include <stddef.h>

#include "cortex_m/nvic.h"
#include "quartz/assert.h"
#include "quartz/hal/gpio.h"
#include "stm32_hal.h"
#include "stm32f446/exti.h"
#include "stm32f446/gpio.h"
#include "stm32f446/irq.h"
#include "stm32f446/rcc.h"
#include "stm32f446/syscfg.h"

void EXTI0_IRQHandler(void);
void EXTI1_IRQHandler(void);
void EXTI2_IRQHandler(void);
void EXTI3_IRQHandler(void);
void EXTI4_IRQHandler(void);
void EXTI9_5_IRQHandler(void);
void EXTI15_10_IRQHandler(void);

static bool valid(struct gpio_pin pin)
{
    return pin.port >= 'A' && pin.port <= 'H' && pin.pin < 16;
}

/* A pin this chip does not have (port A..H, pin 0..15) comes from a wrong
 * board table: a bug, not an error to return (quartz/hal/gpio.h). */
static struct stm32_gpio *port_regs(struct gpio_pin pin)
{
    QUARTZ_ASSERT(valid(pin)); /* instance out of range */
    /* GPIOA..GPIOH are 0x400 apart (RM0390 Table 1). */
    return (struct stm32_gpio *)(GPIOA_BASE + 0x400UL * (uint32_t)(pin.port - 'A'));
}

int gpio_configure(struct gpio_pin pin, const struct gpio_config *cfg)
{
    struct stm32_gpio *g = port_regs(pin);
    if (cfg->af > 15)
        return -EINVAL;
    RCC->AHB1ENR |= RCC_AHB1ENR_GPIOAEN << (pin.port - 'A');
    (void)RCC->AHB1ENR; /* two AHB cycles before the port answers (RM0390 6.3.10 note) */
    unsigned n = pin.pin;
    volatile uint32_t *afr = n < 8 ? &g->AFRL : &g->AFRH;
    unsigned af_shift = (n % 8U) * 4U;
    /* AF and output type before MODER, so the pin never drives the wrong function. */
    *afr = (*afr & ~(0xFUL << af_shift)) | ((uint32_t)cfg->af << af_shift);
    g->OTYPER = (g->OTYPER & ~(1UL << n)) | ((uint32_t)(cfg->open_drain ? 1 : 0) << n);
    g->OSPEEDR = (g->OSPEEDR & ~(3UL << (2 * n))) | ((uint32_t)cfg->speed << (2 * n));
    g->PUPDR = (g->PUPDR & ~(3UL << (2 * n))) | ((uint32_t)cfg->pull << (2 * n));
    g->MODER = (g->MODER & ~(3UL << (2 * n))) | ((uint32_t)cfg->mode << (2 * n));
    return 0;
}

void gpio_write(struct gpio_pin pin, bool level)
{
    /* BSRR: set in the low half, reset in the high half, no read-modify-write (7.4.7). */
    port_regs(pin)->BSRR = level ? (1UL << pin.pin) : (1UL << (pin.pin + 16U));
}

bool gpio_read(struct gpio_pin pin)
{
    return (port_regs(pin)->IDR >> pin.pin) & 1U;
}

/* ---- EXTI ---------------------------------------------------------------- */

static struct {
    gpio_irq_fn fn;
    void *ctx;
    uint8_t port;
} lines[16];

static int line_irqn(unsigned line)
{
    static const int8_t low[5] = { EXTI0_IRQn, EXTI1_IRQn, EXTI2_IRQn, EXTI3_IRQn, EXTI4_IRQn };
    if (line < 5)
        return low[line];
    return line < 10 ? EXTI9_5_IRQn : EXTI15_10_IRQn;
}

int gpio_irq_enable(struct gpio_pin pin, enum gpio_edge edge, gpio_irq_fn handler, void *ctx)
{
    if (!valid(pin) || handler == NULL)
        return -EINVAL;
    unsigned n = pin.pin;
    if (lines[n].fn != NULL && lines[n].port != pin.port)
        return -EBUSY; /* one port per EXTI line (RM0390 10.2.5) */
    RCC->APB2ENR |= RCC_APB2ENR_SYSCFGEN;
    (void)RCC->APB2ENR;
    int irqn = line_irqn(n);
    nvic_disable(irqn);
    lines[n].fn = handler;
    lines[n].ctx = ctx;
    lines[n].port = pin.port;
    unsigned shift = (n % 4U) * 4U;
    SYSCFG->EXTICR[n / 4U] = (SYSCFG->EXTICR[n / 4U] & ~(0xFUL << shift)) |
                             ((uint32_t)(pin.port - 'A') << shift);
    uint32_t bit = 1UL << n;
    EXTI->RTSR = (edge & GPIO_EDGE_RISING) ? (EXTI->RTSR | bit) : (EXTI->RTSR & ~bit);
    EXTI->FTSR = (edge & GPIO_EDGE_FALLING) ? (EXTI->FTSR | bit) : (EXTI->FTSR & ~bit);
    EXTI->PR = bit; /* drop an edge seen before we were ready (rc_w1) */
    EXTI->IMR |= bit;
    nvic_clear_pending(irqn);
    nvic_set_priority(irqn, STM32_HAL_IRQ_PRIO);
    nvic_enable(irqn);
    return 0;
}

static void dispatch(uint32_t mask)
{
    uint32_t pending = EXTI->PR & EXTI->IMR & mask;
    for (unsigned n = 0; pending != 0; n++, pending >>= 1) {
        if (pending & 1U) {
            EXTI->PR = 1UL << n; /* clear first: an edge during the handler pends again */
            if (lines[n].fn)
                lines[n].fn(lines[n].ctx);
        }
    }
}

void EXTI0_IRQHandler(void) { dispatch(1UL << 0); }
void EXTI1_IRQHandler(void) { dispatch(1UL << 1); }
void EXTI2_IRQHandler(void) { dispatch(1UL << 2); }
void EXTI3_IRQHandler(void) { dispatch(1UL << 3); }
void EXTI4_IRQHandler(void) { dispatch(1UL << 4); }
void EXTI9_5_IRQHandler(void) { dispatch(0x3E0UL); }
void EXTI15_10_IRQHandler(void) { dispatch(0xFC00UL); }
