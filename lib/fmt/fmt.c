#include "quartz/fmt.h"

/*
 * *n /= d; returns the remainder. A 32-bit core divides 64 bits only through
 * a library routine (__aeabi_uldivmod, about 700 bytes of flash); values
 * below 2^32 take the core's UDIV, larger ones a bit-serial long division
 * of constant shifts (64 steps), which is rare here: counts and times past
 * 2^32 (49.7 days of milliseconds).
 */
static uint32_t divmod_u32(uint64_t *n, uint32_t d)
{
    uint64_t v = *n;
    if (v <= UINT32_MAX) {
        uint32_t q = (uint32_t)v / d;
        *n = q;
        return (uint32_t)v - q * d;
    }
    uint64_t q = 0, r = 0;
    for (unsigned i = 0; i < 64; i++) {
        r = (r << 1) | (v >> 63);
        v <<= 1;
        q <<= 1;
        if (r >= d) {
            r -= d;
            q |= 1u;
        }
    }
    *n = q;
    return (uint32_t)r;
}

size_t fmt_u64(char *buf, size_t size, uint64_t value)
{
    char tmp[20];
    size_t n = 0;
    do {
        tmp[n++] = (char)('0' + divmod_u32(&value, 10u));
    } while (value != 0);
    if (size < n + 1) {
        if (size > 0)
            buf[0] = '\0';
        return 0;
    }
    for (size_t i = 0; i < n; i++)
        buf[i] = tmp[n - 1 - i];
    buf[n] = '\0';
    return n;
}

/*
 * Division by a constant as a multiply and a shift: UDIV takes 2 to 12
 * cycles on the Cortex-M4 (ARM DDI 0439 table 3-1), UMULL one, and -Os
 * keeps the UDIV. q = (x * m) >> k is exact when x * e < 2^k, e = m * d -
 * 2^k (the rounding error of m = ceil(2^k / d)); each helper states the
 * range it is exact for.
 */
static inline uint32_t div10(uint32_t x) /* every 32-bit x: e = 2, 2 * 2^32 < 2^35 */
{
    return (uint32_t)(((uint64_t)x * 0xCCCCCCCDu) >> 35);
}

static inline uint32_t div100(uint32_t x) /* every 32-bit x: e = 28, 28 * 2^32 < 2^37 */
{
    return (uint32_t)(((uint64_t)x * 0x51EB851Fu) >> 37);
}

static inline uint32_t div1000(uint32_t x) /* every 32-bit x: e = 56, 56 * 2^32 < 2^38 */
{
    return (uint32_t)(((uint64_t)x * 0x10624DD3u) >> 38);
}

static inline uint32_t div60000(uint32_t x) /* x < 2^26: e = 12224, 12224 * 2^26 < 2^40 */
{
    return (uint32_t)(((uint64_t)x * 18325194u) >> 40);
}

static inline uint32_t div3600000(uint32_t x) /* every 32-bit x: e = 59008, 59008 * 2^32 < 2^53 */
{
    return (uint32_t)(((uint64_t)x * 2501999793u) >> 53);
}

static char *put2(char *p, uint32_t v)
{
    uint32_t tens = div10(v);
    p[0] = (char)('0' + tens);
    p[1] = (char)('0' + (v - tens * 10u));
    return p + 2;
}

__attribute__((optimize("O2"))) size_t fmt_duration_ms(char *buf, size_t size, uint64_t ms)
{
    uint64_t hours = ms;
    uint32_t rest;
    if (ms <= UINT32_MAX) { /* below 49.7 days: no division */
        uint32_t h = div3600000((uint32_t)ms);
        hours = h;
        rest = (uint32_t)ms - h * 3600000u;
    } else {
        rest = divmod_u32(&hours, 3600000u);
    }
    uint32_t minutes = div60000(rest); /* rest < 3600000 < 2^26 */
    rest -= minutes * 60000u;
    uint32_t seconds = div1000(rest);
    uint32_t millis = rest - seconds * 1000u;

    /* Straight into buf when it holds the longest text (the usual case: a
     * FMT_DURATION_MAX buffer); a smaller one gets the text only if it fits. */
    char tmp[FMT_DURATION_MAX];
    char *start = size >= FMT_DURATION_MAX ? buf : tmp;
    char *p = start;
    if (hours > 0) {
        p += fmt_u64(p, sizeof tmp, hours);
        *p++ = ':';
    }
    p = put2(p, minutes);
    *p++ = ':';
    p = put2(p, seconds);
    *p++ = '.';
    uint32_t hundreds = div100(millis);
    *p++ = (char)('0' + hundreds);
    p = put2(p, millis - hundreds * 100u);
    size_t n = (size_t)(p - start);
    if (size < n + 1) {
        if (size > 0)
            buf[0] = '\0';
        return 0;
    }
    if (start == tmp)
        for (size_t i = 0; i < n; i++)
            buf[i] = tmp[i];
    buf[n] = '\0';
    return n;
}
