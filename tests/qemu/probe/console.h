/*
 * Probe console and event log: a minimal polled USART2 writer (no HAL, no
 * interrupts) and a RAM log that handlers append to and thread mode prints,
 * so the transcript shows the order in which things happened.
 */
#ifndef PROBE_CONSOLE_H
#define PROBE_CONSOLE_H

#include <stdint.h>

/* USART2 on PA2 (AF7) at 115200 baud from the 16 MHz HSI reset clock. */
void console_init(void);
void console_puts(const char *text);
/* Waits (bounded) until the last character has left the shift register. */
void console_drain(void);

/* Appends one event; safe from any priority (the append runs with PRIMASK set). */
void log_event(const char *text);
/* Appends "<text><value>" with value in decimal. */
void log_value(const char *text, uint32_t value);
/* Appends "<text>0x<value>" with value in hex. */
void log_hex(const char *text, uint32_t value);
/* Prints and empties the log, one event per line. */
void log_flush(void);

#endif
