/*
 * Busy-loop image: a counted loop with a fixed number of instructions per
 * iteration, between a "start" and a "done" line on USART2. The benchmark
 * (tools/bench.d/qemu.sh) reads the iteration count from the console, counts
 * the loop's instructions in the disassembly of busy_loop and divides by the
 * wall time between the two lines (QEMU) or of the whole run (quartz-sim).
 * No interrupts, no timers: it runs the same on any emulator.
 * USART2 as in RM0390 section 25 (polled TXE), clocks as in 6.3; its TX pin
 * PA2 in alternate function 7 (AF7, as on the Nucleo's ST-LINK VCP; GPIO
 * alternate function selection in RM0390 7.3.2), which quartz-sim requires
 * before it passes a byte on (QEMU does not model GPIO).
 */
#include <stdint.h>

#include "stm32f446/regs.h"

#define BUSY_ITERATIONS 100000000U
#define TX_POLL_LIMIT 100000U

uint32_t busy_loop(uint32_t iterations, const uint32_t *data);
/* busy_loop.S: five instructions per iteration; returns a checksum. */

static void putc_polled(char c)
{
    for (uint32_t i = 0; i < TX_POLL_LIMIT; i++) {
        if (USART2->SR & USART_SR_TXE) {
            USART2->DR = (uint8_t)c;
            return;
        }
    }
}

static void puts_polled(const char *s)
{
    while (*s != '\0') {
        putc_polled(*s++);
    }
}

static void put_dec(uint32_t value)
{
    char buf[11];
    int n = 0;
    do {
        buf[n++] = (char)('0' + value % 10U);
        value /= 10U;
    } while (value != 0U);
    while (n > 0) {
        putc_polled(buf[--n]);
    }
}

int main(void)
{
    static const uint32_t word = 0x9E3779B9U;

    RCC->AHB1ENR |= RCC_AHB1ENR_GPIOAEN;
    RCC->APB1ENR |= RCC_APB1ENR_USART2EN;
    (void)RCC->APB1ENR;
    GPIOA->AFRL = (GPIOA->AFRL & ~GPIO_AFRL_AFRL2_Msk) | (7UL << GPIO_AFRL_AFRL2_Pos);
    GPIOA->MODER = (GPIOA->MODER & ~GPIO_MODER_MODER2_Msk) | (2UL << GPIO_MODER_MODER2_Pos);
    /* 115200 baud at the 16 MHz HSI reset clock: BRR = 0x8B (25.4.4). */
    USART2->BRR = 0x8BU;
    USART2->CR1 = USART_CR1_UE | USART_CR1_TE;

    puts_polled("busy iterations=");
    put_dec(BUSY_ITERATIONS);
    puts_polled("\nstart\n");
    uint32_t sum = busy_loop(BUSY_ITERATIONS, &word);
    puts_polled("sum=");
    put_dec(sum);
    puts_polled("\ndone\n");
    for (;;) {
        __asm volatile("wfi");
    }
}
