/* Fixed-point JSON of a reading (payload.h). */
#include "payload.h"

#include <errno.h>
#include <stdbool.h>
#include <string.h>

#include "quartz/fmt.h"

struct out {
    char *buf;
    size_t cap, len;
    bool over;
};

static void put(struct out *o, const char *s, size_t n)
{
    if (o->over || o->cap - o->len <= n) { /* keep a byte for the NUL */
        o->over = true;
        return;
    }
    memcpy(o->buf + o->len, s, n);
    o->len += n;
}

static void put_str(struct out *o, const char *s)
{
    put(o, s, strlen(s));
}

static void put_u64(struct out *o, uint64_t v)
{
    char digits[21];
    size_t n = fmt_u64(digits, sizeof digits, v);
    put(o, digits, n);
}

static const uint32_t pow10[4] = { 1, 10, 100, 1000 };

int64_t payload_round(int64_t milli, unsigned decimals)
{
    int64_t d = pow10[3u - decimals];
    int64_t half = d / 2;
    return milli >= 0 ? (milli + half) / d : -((-milli + half) / d);
}

/* A number with `decimals` digits after the point, from milli-units. */
static void put_fixed(struct out *o, int64_t milli, unsigned decimals)
{
    int64_t v = payload_round(milli, decimals);
    uint64_t mag = v < 0 ? (uint64_t)-v : (uint64_t)v;
    if (v < 0)
        put(o, "-", 1);
    put_u64(o, mag / pow10[decimals]);
    if (decimals == 0)
        return;
    char frac[3];
    uint64_t f = mag % pow10[decimals];
    for (unsigned i = decimals; i-- > 0; f /= 10)
        frac[i] = (char)('0' + f % 10);
    put(o, ".", 1);
    put(o, frac, decimals);
}

static int finish(struct out *o)
{
    if (o->over) {
        if (o->cap > 0)
            o->buf[0] = '\0';
        return -ENOSPC;
    }
    o->buf[o->len] = '\0';
    return (int)o->len;
}

int payload_format(const struct reading *r, char *buf, size_t cap)
{
    struct out o = { buf, cap, 0, cap == 0 };
    put_str(&o, "{\"seq\":");
    put_u64(&o, r->seq);
    put_str(&o, ",\"uptime_ms\":");
    put_u64(&o, r->uptime_ms);
    if (r->flags & READING_SENSOR_OK) {
        put_str(&o, ",\"t\":");
        put_fixed(&o, r->t_mc, PAYLOAD_T_DECIMALS);
        put_str(&o, ",\"p\":");
        put_fixed(&o, r->p_mpa, PAYLOAD_P_DECIMALS);
        put_str(&o, ",\"h\":");
        put_fixed(&o, r->h_mpct, PAYLOAD_H_DECIMALS);
    } else {
        put_str(&o, ",\"sensor\":\"missing\"");
    }
    if (r->flags & READING_DIE_OK) {
        put_str(&o, ",\"die_t\":");
        put_fixed(&o, r->die_mc, PAYLOAD_DIE_DECIMALS);
    }
    put_str(&o, "}");
    return finish(&o);
}

int payload_format_dropped(uint32_t dropped, char *buf, size_t cap)
{
    struct out o = { buf, cap, 0, cap == 0 };
    put_str(&o, "{\"dropped\":");
    put_u64(&o, dropped);
    put_str(&o, "}");
    return finish(&o);
}
