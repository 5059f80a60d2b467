#include <string.h>

#include "env.h"
#include "quartz/fmt.h"

static size_t put(char *buf, size_t size, size_t n, const char *s)
{
    while (*s && n + 1 < size)
        buf[n++] = *s++;
    buf[n] = '\0';
    return n;
}

static size_t put_int(char *buf, size_t size, size_t n, int32_t v)
{
    char d[12];
    if (v < 0)
        n = put(buf, size, n, "-");
    fmt_u64(d, sizeof d, v < 0 ? (uint64_t)(-(int64_t)v) : (uint64_t)v);
    return put(buf, size, n, d);
}

size_t env_csv(char *buf, size_t size, const struct env_sample *s)
{
    char d[21];
    fmt_u64(d, sizeof d, s->uptime_ms);
    size_t n = put(buf, size, 0, d);
    const int32_t v[4] = { s->t_mc, s->p_pa, s->h_mpct, s->die_mc };
    for (unsigned i = 0; i < 4; i++) {
        n = put(buf, size, n, ",");
        if (s->have & (1u << i))
            n = put_int(buf, size, n, v[i]);
    }
    return put(buf, size, n, "\r\n");
}

static void range_add(struct env_range *r, int32_t v)
{
    if (!r->seen || v < r->min)
        r->min = v;
    if (!r->seen || v > r->max)
        r->max = v;
    r->seen = true;
}

void env_stats_init(struct env_stats *st)
{
    memset(st, 0, sizeof *st);
}

void env_stats_add(struct env_stats *st, const struct env_sample *s)
{
    if (s->have & ENV_HAVE_T)
        range_add(&st->t, s->t_mc);
    if (s->have & ENV_HAVE_P)
        range_add(&st->p, s->p_pa);
    if (s->have & ENV_HAVE_H)
        range_add(&st->h, s->h_mpct);
    if (s->have & ENV_HAVE_DIE)
        range_add(&st->die, s->die_mc);
}

size_t env_fixed(char *buf, size_t size, int32_t value, unsigned scale, unsigned decimals)
{
    int64_t v = value, div = 1;
    for (unsigned i = decimals; i < scale; i++)
        div *= 10;
    bool neg = v < 0;
    uint64_t mag = (uint64_t)(neg ? -v : v);
    mag = (mag + (uint64_t)div / 2u) / (uint64_t)div; /* now in 10^-decimals */
    uint64_t unit = 1;
    for (unsigned i = 0; i < decimals; i++)
        unit *= 10;
    char d[21];
    size_t n = put(buf, size, 0, neg && mag ? "-" : "");
    fmt_u64(d, sizeof d, mag / unit);
    n = put(buf, size, n, d);
    if (decimals) {
        n = put(buf, size, n, ".");
        fmt_u64(d, sizeof d, mag % unit + unit); /* leading zeros: 1 followed by the digits */
        n = put(buf, size, n, d + 1);
    }
    return n;
}

/* Text from column x on `pages` pages, the rest of the line blank. */
static void line(const struct gfx_canvas *c, const struct gfx_font *f, int x, unsigned page,
                 const char *s)
{
    gfx_fill(c, 0, x, page, f->pages, 0);
    int end = gfx_text(c, f, x, page, s);
    gfx_fill(c, end, c->width, page, f->pages, 0);
}

/* A reading in large digits, right-aligned before a small unit on the
 * top page of the pair; a minus sign (not in the large font) in small
 * type in front. */
#define UNIT_X 98
static void big(const struct gfx_canvas *c, unsigned page, const char *digits, const char *unit)
{
    const struct gfx_font *L = &gfx_font_large, *S = &gfx_font_small;
    bool neg = digits[0] == '-';
    const char *t = neg ? digits + 1 : digits;
    int x = UNIT_X - 2 - (int)gfx_text_width(L, t);
    gfx_fill(c, 0, c->width, page, L->pages, 0);
    gfx_text(c, L, x, page, t);
    if (neg)
        gfx_text(c, S, x - (int)gfx_text_width(S, "-"), page, "-");
    gfx_text(c, S, UNIT_X, page, unit);
}

static void readings(const struct gfx_canvas *c, const struct env_sample *s, bool sensor_ok)
{
    char b[24];
    if (sensor_ok && (s->have & ENV_HAVE_T)) {
        env_fixed(b, sizeof b, s->t_mc, 3, 2);
        big(c, 0, b, "C");
    } else {
        gfx_fill(c, 0, c->width, 0, 2, 0);
    }
    if (!sensor_ok) {
        line(c, &gfx_font_small, 4, 2, "BME280 unplugged");
        gfx_fill(c, 0, c->width, 3, 1, 0);
        line(c, &gfx_font_small, 4, 4, "no sensor answer");
        gfx_fill(c, 0, c->width, 5, 1, 0);
    } else {
        if (s->have & ENV_HAVE_P) {
            env_fixed(b, sizeof b, s->p_pa, 2, 2); /* hPa */
            big(c, 2, b, "hPa");
        } else {
            gfx_fill(c, 0, c->width, 2, 2, 0);
        }
        if (s->have & ENV_HAVE_H) {
            env_fixed(b, sizeof b, s->h_mpct, 3, 2);
            big(c, 4, b, "RH");
        } else {
            gfx_fill(c, 0, c->width, 4, 2, 0);
        }
    }
    gfx_fill(c, 0, c->width, 6, 1, 0);
    size_t n = 0;
    memcpy(b, "die ", 5);
    n = 4;
    if (s->have & ENV_HAVE_DIE) {
        n += env_fixed(b + n, sizeof b - n, s->die_mc, 3, 1);
        memcpy(b + n, " C", 3);
    } else {
        memcpy(b + n, "-", 2);
    }
    line(c, &gfx_font_small, 4, 7, b);
}

/* "T  21.50  25.00" : label, min, max, in the small font. */
static void minmax_row(const struct gfx_canvas *c, unsigned page, const char *label,
                       const struct env_range *r, unsigned scale, unsigned decimals)
{
    char b[32];
    size_t n = strlen(label);
    memcpy(b, label, n + 1);
    if (r->seen) {
        n += env_fixed(b + n, sizeof b - n, r->min, scale, decimals);
        b[n++] = ' ';
        env_fixed(b + n, sizeof b - n, r->max, scale, decimals);
    } else {
        memcpy(b + n, "-", 2);
    }
    line(c, &gfx_font_small, 4, page, b);
}

void env_draw(const struct gfx_canvas *c, enum env_page page, const struct env_sample *s,
              const struct env_stats *st, bool sensor_ok)
{
    if (page == ENV_PAGE_READINGS) {
        readings(c, s, sensor_ok);
        return;
    }
    line(c, &gfx_font_small, 4, 0, "min/max");
    gfx_fill(c, 0, c->width, 1, 1, 0);
    minmax_row(c, 2, "T C   ", &st->t, 3, 2);
    minmax_row(c, 3, "P hPa ", &st->p, 2, 1);
    minmax_row(c, 4, "H RH  ", &st->h, 3, 1);
    minmax_row(c, 5, "die C ", &st->die, 3, 1);
    gfx_fill(c, 0, c->width, 6, 1, 0);
    line(c, &gfx_font_small, 4, 7, sensor_ok ? "" : "BME280 unplugged");
}
