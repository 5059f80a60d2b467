/*
 * Polled USART2 console for the QEMU/quartz-sim cross-check probe.
 * Registers are used directly (the probe must not depend on the HAL it is
 * meant to check). RM0390 section 25 (USART), 6.3 (RCC), 7.4 (GPIO).
 */
#include "console.h"

#include <stdbool.h>
#include <stddef.h>

#include "stm32f446/regs.h"

#define CONSOLE_BAUD 115200U
#define HSI_HZ 16000000U
/* At 115200 baud one character is ~1400 cycles at 16 MHz; a polling
 * iteration is at least 4 cycles, so this bound is many character times. */
#define TX_POLL_LIMIT 100000U

#define LOG_CAPACITY 48U

enum log_format { LOG_PLAIN, LOG_DEC, LOG_HEX };

struct log_entry {
    const char *text;
    uint32_t value;
    enum log_format format;
};

static struct log_entry log_entries[LOG_CAPACITY];
static volatile uint32_t log_count;
static volatile uint32_t log_dropped;

void console_init(void)
{
    /* RM0390 6.3.10 / 6.3.13: clock the port and the USART before use;
     * the read-back gives the two bus cycles the clock needs to settle. */
    RCC->AHB1ENR |= RCC_AHB1ENR_GPIOAEN;
    RCC->APB1ENR |= RCC_APB1ENR_USART2EN;
    (void)RCC->APB1ENR;

    /* PA2 = USART2_TX, alternate function 7 (datasheet Table 11). */
    GPIOA->MODER = (GPIOA->MODER & ~GPIO_MODER_MODER2) | (2UL << GPIO_MODER_MODER2_Pos);
    GPIOA->AFRL = (GPIOA->AFRL & ~GPIO_AFRL_AFRL2) | (7UL << GPIO_AFRL_AFRL2_Pos);

    /* RM0390 25.4.4: USARTDIV = fCK / (16 * baud) = 8.68 -> mantissa 8,
     * fraction round(0.68 * 16) = 11, BRR = 0x8B. */
    uint32_t div16 = (HSI_HZ + CONSOLE_BAUD / 2U) / CONSOLE_BAUD;
    USART2->BRR = ((div16 / 16U) << USART_BRR_DIV_Mantissa_Pos) | (div16 % 16U);
    USART2->CR1 = USART_CR1_UE | USART_CR1_TE;
}

static void console_putc(char c)
{
    for (uint32_t i = 0; i < TX_POLL_LIMIT; i++) {
        if (USART2->SR & USART_SR_TXE) {
            USART2->DR = (uint8_t)c;
            return;
        }
    }
}

void console_puts(const char *text)
{
    while (*text != '\0') {
        console_putc(*text++);
    }
}

void console_drain(void)
{
    for (uint32_t i = 0; i < TX_POLL_LIMIT; i++) {
        if (USART2->SR & USART_SR_TC) {
            return;
        }
    }
}

static void console_put_dec(uint32_t value)
{
    char buf[11];
    size_t n = 0;
    do {
        buf[n++] = (char)('0' + value % 10U);
        value /= 10U;
    } while (value != 0U);
    while (n > 0U) {
        console_putc(buf[--n]);
    }
}

static void console_put_hex(uint32_t value)
{
    static const char digits[] = "0123456789abcdef";
    bool started = false;
    console_puts("0x");
    for (int shift = 28; shift >= 0; shift -= 4) {
        uint32_t nibble = (value >> shift) & 0xFU;
        if (nibble != 0U || started || shift == 0) {
            console_putc(digits[nibble]);
            started = true;
        }
    }
}

static void log_append(const char *text, uint32_t value, enum log_format format)
{
    uint32_t primask;
    __asm volatile("mrs %0, primask\n\tcpsid i" : "=r"(primask)::"memory");
    if (log_count < LOG_CAPACITY) {
        log_entries[log_count] = (struct log_entry){ text, value, format };
        log_count = log_count + 1U;
    } else {
        log_dropped = log_dropped + 1U;
    }
    __asm volatile("msr primask, %0" ::"r"(primask) : "memory");
}

void log_event(const char *text)
{
    log_append(text, 0U, LOG_PLAIN);
}

void log_value(const char *text, uint32_t value)
{
    log_append(text, value, LOG_DEC);
}

void log_hex(const char *text, uint32_t value)
{
    log_append(text, value, LOG_HEX);
}

void log_flush(void)
{
    for (uint32_t i = 0; i < log_count; i++) {
        const struct log_entry *e = &log_entries[i];
        console_puts(e->text);
        if (e->format == LOG_DEC) {
            console_put_dec(e->value);
        } else if (e->format == LOG_HEX) {
            console_put_hex(e->value);
        }
        console_putc('\n');
    }
    if (log_dropped != 0U) {
        console_puts("log overflow, dropped ");
        console_put_dec(log_dropped);
        console_putc('\n');
    }
    log_count = 0U;
    log_dropped = 0U;
}
