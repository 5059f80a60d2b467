/*
 * A line built piece by piece into a caller's buffer, always
 * NUL-terminated, cut (never overrun) at its capacity. For the console
 * lines, the status text and the OLED lines of the image (kernel and
 * process code alike: no state outside the struct).
 */
#ifndef SENSOR_NODE_TEXT_H
#define SENSOR_NODE_TEXT_H

#include <stddef.h>
#include <stdint.h>

#include "quartz/fmt.h"

struct text {
    char *buf;
    size_t cap; /* > 0 */
    size_t len;
};

static inline struct text text_on(char *buf, size_t cap)
{
    buf[0] = '\0';
    return (struct text){ buf, cap, 0 };
}

static inline void text_n(struct text *t, const char *s, size_t n)
{
    for (size_t i = 0; i < n && t->len + 1u < t->cap; i++)
        t->buf[t->len++] = s[i];
    t->buf[t->len] = '\0';
}

static inline void text_s(struct text *t, const char *s)
{
    while (*s && t->len + 1u < t->cap)
        t->buf[t->len++] = *s++;
    t->buf[t->len] = '\0';
}

static inline void text_u(struct text *t, uint64_t v)
{
    char d[24];
    fmt_u64(d, sizeof d, v);
    text_s(t, d);
}

static inline void text_i(struct text *t, int64_t v)
{
    if (v < 0) {
        text_s(t, "-");
        v = -v;
    }
    text_u(t, (uint64_t)v);
}

/* `milli` with `decimals` (1..3) digits after the point, truncated toward
 * zero: 21530, 2 -> "21.53". */
static inline void text_milli(struct text *t, int64_t milli, unsigned decimals)
{
    uint64_t mag = (uint64_t)(milli < 0 ? -milli : milli);
    if (milli < 0)
        text_s(t, "-");
    text_u(t, mag / 1000u);
    text_s(t, ".");
    char d[3] = { (char)('0' + mag / 100u % 10u), (char)('0' + mag / 10u % 10u), (char)('0' + mag % 10u) };
    text_n(t, d, decimals);
}

static inline void text_ip(struct text *t, const uint8_t ip[4])
{
    for (int i = 0; i < 4; i++) {
        if (i)
            text_s(t, ".");
        text_u(t, ip[i]);
    }
}

#endif
