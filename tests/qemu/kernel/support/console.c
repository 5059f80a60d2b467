/* Polled USART2 writer for the scenario images; see console.h. */
#include "console.h"

#include <quartz/kernel/cpu.h>
#include <stm32f446/regs.h>

/* 115200 baud from the 16 MHz HSI with OVER8 = 0: USARTDIV = 16e6 / (16 *
 * 115200) = 8.68, mantissa 8, fraction 0.68 * 16 = 11 (RM0390 section
 * 25.4.4, Table 144). */
#define KTEST_BRR ((8U << USART_BRR_DIV_Mantissa_Pos) | (11U << USART_BRR_DIV_Fraction_Pos))
/* One character at 115200 baud is 87 us = 1389 cycles at 16 MHz; a bounded
 * wait a hundred times that long means the USART is not there. */
#define KTEST_TXE_SPINS 20000U

void ktest_console_init(void)
{
    RCC->AHB1ENR |= RCC_AHB1ENR_GPIOAEN;
    RCC->APB1ENR |= RCC_APB1ENR_USART2EN;
    (void)RCC->APB1ENR;
    /* PA2 = USART2_TX, alternate function 7 (STM32F446 datasheet Table 11). */
    GPIOA->MODER = (GPIOA->MODER & ~GPIO_MODER_MODER2_Msk) | (2U << GPIO_MODER_MODER2_Pos);
    GPIOA->AFRL = (GPIOA->AFRL & ~GPIO_AFRL_AFRL2_Msk) | (7U << GPIO_AFRL_AFRL2_Pos);
    USART2->BRR = KTEST_BRR;
    USART2->CR1 = USART_CR1_UE | USART_CR1_TE;
}

static void ktest_putc(char c)
{
    for (uint32_t i = 0; i < KTEST_TXE_SPINS && !(USART2->SR & USART_SR_TXE); i++) {
    }
    USART2->DR = (uint8_t)c;
}

void ktest_puts(const char *s)
{
    /* Tasks of several priorities log; a line is written whole. */
    uint32_t key = cpu_irq_lock();
    while (*s != '\0') {
        ktest_putc(*s++);
    }
    cpu_irq_unlock(key);
}

void ktest_putu(uint32_t v)
{
    char buf[11];
    int i = 10;
    buf[i] = '\0';
    do {
        buf[--i] = (char)('0' + v % 10U);
        v /= 10U;
    } while (v != 0);
    ktest_puts(&buf[i]);
}

void ktest_log(const char *what)
{
    uint32_t key = cpu_irq_lock();
    ktest_puts(what);
    ktest_puts("\n");
    cpu_irq_unlock(key);
}

void ktest_log_u(const char *what, uint32_t v)
{
    uint32_t key = cpu_irq_lock();
    ktest_puts(what);
    ktest_puts(" ");
    ktest_putu(v);
    ktest_puts("\n");
    cpu_irq_unlock(key);
}

void ktest_log_i(const char *what, int v)
{
    uint32_t key = cpu_irq_lock();
    ktest_puts(what);
    ktest_puts(v < 0 ? " -" : " ");
    ktest_putu(v < 0 ? (uint32_t)-v : (uint32_t)v);
    ktest_puts("\n");
    cpu_irq_unlock(key);
}

void ktest_end(void)
{
    ktest_log("END");
    /* Drain the last character before sleeping (TC, RM0390 section 25.6.1). */
    for (uint32_t i = 0; i < KTEST_TXE_SPINS && !(USART2->SR & USART_SR_TC); i++) {
    }
    (void)cpu_irq_lock();
    SysTick->CTRL = 0; /* nothing left to wake the sleeping core */
    for (;;) {
        kcpu_wfi();
    }
}
