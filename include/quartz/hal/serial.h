/*
 * Portable serial console: interrupt-driven TX queue and RX ring buffer,
 * bound at link time to the chip port (USART2 on the Nucleo).
 */
#ifndef QUARTZ_HAL_SERIAL_H
#define QUARTZ_HAL_SERIAL_H

#include <stddef.h>
#include <stdint.h>

/* Configure the console UART (8N1) at `baud`. Returns 0 or -EINVAL. */
int serial_init(uint32_t baud);

/*
 * Queue bytes for transmission and return at once. Returns the number of
 * bytes queued; fewer than `len` when the queue is full (the rest is dropped
 * and counted, never waited for).
 */
size_t serial_write(const void *buf, size_t len);
size_t serial_puts(const char *s);

/* Bytes received so far, up to `len`; never blocks. */
size_t serial_read(void *buf, size_t len);
/* `fn` is called from the receive interrupt after each byte is queued (NULL:
 * nothing): a hint for a kernel that sleeps, so it looks at the receive
 * queue only when something came instead of after every wake-up. */
void serial_on_receive(void (*fn)(void));

/* Wait (bounded by the queue length at the line rate) until the TX queue is empty. */
int serial_drain(void);

#endif
