/*
 * Portable clock services, bound at link time to the chip port (one
 * implementation per build; host tests link a fake).
 */
#ifndef QUARTZ_HAL_CLOCK_H
#define QUARTZ_HAL_CLOCK_H

#include <stdint.h>

/* Core clock (HCLK) in Hz as actually configured. */
uint32_t clock_hclk_hz(void);

/* Milliseconds since boot from the system tick; 64 bits never wrap. */
uint64_t clock_uptime_ms(void);

/* Busy-wait at least `us` microseconds (thread context, short waits only). */
void clock_delay_us(uint32_t us);

static inline void clock_delay_ms(uint32_t ms)
{
    while (ms-- > 0)
        clock_delay_us(1000);
}

#endif
