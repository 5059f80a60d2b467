#include "quartz/fmt.h"

size_t fmt_u64(char *buf, size_t size, uint64_t value)
{
    char tmp[20];
    size_t n = 0;
    do {
        tmp[n++] = (char)('0' + value % 10u);
        value /= 10u;
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
    /* At most one 64-bit division (a library call on a 32-bit core), and
     * none below 2^32 ms (49.7 days); the rest fits 32 bits. */
    uint64_t hours;
    uint32_t rest;
    if (ms <= UINT32_MAX) {
        hours = (uint32_t)ms / 3600000u;
        rest = (uint32_t)ms - (uint32_t)hours * 3600000u;
    } else {
        hours = ms / 3600000u;
        rest = (uint32_t)(ms - hours * 3600000u);
    }
    uint32_t minutes = rest / 60000u;
    rest -= minutes * 60000u;
    uint32_t seconds = rest / 1000u;
    uint32_t millis = rest - seconds * 1000u;

    char tmp[FMT_DURATION_MAX];
    char *p = tmp;
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
    size_t n = (size_t)(p - tmp);
    if (size < n + 1) {
        if (size > 0)
            buf[0] = '\0';
        return 0;
    }
    for (size_t i = 0; i < n; i++)
        buf[i] = tmp[i];
    buf[n] = '\0';
    return n;
}
