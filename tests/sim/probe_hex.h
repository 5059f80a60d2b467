/*
 * For probe images (firmware): one line `label0x%08x` on the console, then
 * a wait until it is out, since the TX queue drops what does not fit. The
 * host side reads it back with sim_console_value (sim_console.h).
 */
#ifndef PROBE_HEX_H
#define PROBE_HEX_H

#include <stdint.h>

#include "quartz/hal/serial.h"

static inline void probe_hex(const char *label, uint32_t v)
{
    static const char digits[] = "0123456789abcdef";
    char s[11] = { '0', 'x' };
    for (int i = 0; i < 8; i++)
        s[2 + i] = digits[(v >> (28 - 4 * i)) & 0xFu];
    s[10] = '\0';
    serial_puts(label);
    serial_puts(s);
    serial_puts("\r\n");
    (void)serial_drain();
}

#endif
