/*
 * The environment monitor's portable part: one sample of readings, their
 * minimum and maximum, the console's CSV line and the two OLED pages. No
 * hardware here (main.c schedules and talks to the sensors), so host tests
 * and the simulator's tests can use the same text.
 */
#ifndef ENV_MONITOR_ENV_H
#define ENV_MONITOR_ENV_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "quartz/gfx.h"

/* Which readings a sample has (a BME280 that does not answer has none). */
#define ENV_HAVE_T 0x1u
#define ENV_HAVE_P 0x2u
#define ENV_HAVE_H 0x4u
#define ENV_HAVE_DIE 0x8u

struct env_sample {
    uint64_t uptime_ms;
    int32_t t_mc;   /* air, millidegrees C */
    int32_t p_pa;   /* pascals */
    int32_t h_mpct; /* relative humidity, 1/1000 % */
    int32_t die_mc; /* the MCU's die, millidegrees C */
    uint8_t have;   /* ENV_HAVE_* */
};

struct env_range {
    int32_t min, max;
    bool seen;
};

struct env_stats {
    struct env_range t, p, h, die;
};

enum env_page { ENV_PAGE_READINGS, ENV_PAGE_MINMAX, ENV_PAGES };

#define ENV_CSV_HEADER "uptime_ms,t_mC,p_Pa,h_mpct,die_mC"
#define ENV_CSV_MAX 72 /* longest line (20-digit uptime, four 11-character fields) with CR LF and NUL */

/* "uptime_ms,t_mC,p_Pa,h_mpct,die_mC\r\n"; a missing reading is an empty
 * field. Returns the length. */
size_t env_csv(char *buf, size_t size, const struct env_sample *s);

void env_stats_init(struct env_stats *st);
void env_stats_add(struct env_stats *st, const struct env_sample *s);

/* `value` / 10^scale with `decimals` digits after the point, rounded half
 * away from zero: env_fixed(buf, n, 23456, 3, 2) is "23.46". */
size_t env_fixed(char *buf, size_t size, int32_t value, unsigned scale, unsigned decimals);

/* Draw one page of the whole 128x64 frame; `sensor_ok` false shows the
 * BME280 as unplugged (the die temperature stays). */
void env_draw(const struct gfx_canvas *c, enum env_page page, const struct env_sample *s,
              const struct env_stats *st, bool sensor_ok);

#endif
