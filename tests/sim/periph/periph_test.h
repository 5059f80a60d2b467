/* Shared set-up for the model tests: a fake core with the Nucleo board on it. */
#ifndef PERIPH_TEST_H
#define PERIPH_TEST_H

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
/* cmocka needs the above first */
#include <cmocka.h>

#include "board/nucleo.h"
#include "fake_sim.h"
#include "stm32f446/f446.h"

#define RCC 0x40023800u
#define RCC_CR (RCC + 0x00)
#define RCC_PLLCFGR (RCC + 0x04)
#define RCC_CFGR (RCC + 0x08)
#define RCC_AHB1ENR (RCC + 0x30)
#define RCC_APB1ENR (RCC + 0x40)
#define RCC_APB2ENR (RCC + 0x44)
#define RCC_APB1RSTR (RCC + 0x20)
#define FLASH_ACR 0x40023C00u
#define GPIOA 0x40020000u
#define GPIOB 0x40020400u
#define GPIOC 0x40020800u
#define SYSCFG 0x40013800u
#define EXTI 0x40013C00u
#define TIM2 0x40000000u
#define TIM3 0x40000400u
#define I2C1 0x40005400u
#define USART2 0x40004400u

#define US(x) ((uint64_t)(x) * SIM_PS_PER_US)
#define MS(x) ((uint64_t)(x) * SIM_PS_PER_MS)

struct fixture {
    sim_t *sim;
    struct nucleo *board;
};

static inline int fixture_setup(void **state)
{
    struct fixture *f = calloc(1, sizeof *f);
    f->sim = fake_sim_new();
    f->board = nucleo_create(f->sim);
    *state = f;
    return 0;
}

static inline int fixture_teardown(void **state)
{
    struct fixture *f = *state;
    nucleo_destroy(f->board);
    fake_sim_free(f->sim);
    free(f);
    return 0;
}

static inline void set_bits(sim_t *s, uint32_t addr, uint32_t bits) { fake_write(s, addr, fake_read(s, addr) | bits); }

/* Test groups, one per file. */
int test_rcc_group(void);
int test_gpio_group(void);
int test_tim_group(void);
int test_i2c_group(void);
int test_usart_group(void);
int test_oled_group(void);
int test_fidelity_group(void);
int test_time_group(void);
int test_dma_group(void);
int test_spi_group(void);
int test_adc_group(void);
int test_adc_dma_group(void);
int test_flash_group(void);

#endif
