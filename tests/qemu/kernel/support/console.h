/*
 * Test console for the kernel scenario images: a polled USART2 writer on
 * the 16 MHz HSI reset clock (no RCC clock-tree setup, so QEMU, whose RCC
 * reads as zero, and quartz-sim see the same image), plus the event log.
 * Every image ends its log with "END", which the runners wait for.
 */
#ifndef KTEST_CONSOLE_H
#define KTEST_CONSOLE_H

#include <stdint.h>

/* The scenarios name the STM32F446 vectors (CAN1_TX ...) in their tables. */
#include <stm32f446/irq.h>

#define KTEST_HCLK_HZ 16000000U

void ktest_console_init(void);
void ktest_puts(const char *s);
void ktest_putu(uint32_t v);
/* "<what>\n" */
void ktest_log(const char *what);
/* "<what> <v>\n" */
void ktest_log_u(const char *what, uint32_t v);
/* "<what> <v>\n" for negative errno values: "-28" */
void ktest_log_i(const char *what, int v);
/* Prints END and sleeps forever (the runner stops the machine). */
void ktest_end(void) __attribute__((noreturn));

#endif
