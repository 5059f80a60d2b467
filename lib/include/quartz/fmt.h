/*
 * Text formatting without printf (firmware links no stdio).
 */
#ifndef QUARTZ_FMT_H
#define QUARTZ_FMT_H

#include <stddef.h>
#include <stdint.h>

/* Longest fmt_duration_ms() text plus NUL: "5124095576030:25:51.615" for 2^64-1 ms. */
#define FMT_DURATION_MAX 24

/*
 * Elapsed time as `mm:ss.mmm` below one hour and `h:mm:ss.mmm` from one hour
 * on (hours unbounded: 49 days is "1176:00:00.000"). Writes a NUL-terminated
 * string and returns its length, or 0 when `size` is too small (then `buf`
 * holds an empty string if size > 0).
 */
size_t fmt_duration_ms(char *buf, size_t size, uint64_t ms);

/* Unsigned decimal, NUL-terminated; returns the length or 0 when `size` is too small. */
size_t fmt_u64(char *buf, size_t size, uint64_t value);

#endif
