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

static char *put2(char *p, uint32_t v)
{
    p[0] = (char)('0' + v / 10u);
    p[1] = (char)('0' + v % 10u);
    return p + 2;
}

size_t fmt_duration_ms(char *buf, size_t size, uint64_t ms)
{
    uint64_t hours = ms;
    uint32_t rest = divmod_u32(&hours, 3600000u);
    uint32_t minutes = rest / 60000u;
    rest -= minutes * 60000u;
    uint32_t seconds = rest / 1000u;
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
    *p++ = (char)('0' + millis / 100u);
    p = put2(p, millis % 100u);
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
