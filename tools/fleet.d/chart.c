/* The temperature chart, see chart.h. A bitmap drawn here, streamed out by png_write_gray1. */
#include "chart.h"

#include <errno.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "frontend/png.h"

#define MARGIN_L 40
#define MARGIN_R 10
#define MARGIN_T 10
#define MARGIN_B 30

struct bitmap {
    uint8_t px[CHART_H][CHART_W];
};

static void plot(struct bitmap *b, int x, int y)
{
    if (x >= 0 && x < CHART_W && y >= 0 && y < CHART_H)
        b->px[y][x] = 1;
}

static void line(struct bitmap *b, int x0, int y0, int x1, int y1)
{
    int dx = abs(x1 - x0), dy = -abs(y1 - y0);
    int sx = x0 < x1 ? 1 : -1, sy = y0 < y1 ? 1 : -1;
    int e = dx + dy;
    for (;;) {
        plot(b, x0, y0);
        if (x0 == x1 && y0 == y1)
            break;
        int e2 = 2 * e;
        if (e2 >= dy)
            e += dy, x0 += sx;
        if (e2 <= dx)
            e += dx, y0 += sy;
    }
}

static int by_time(const void *a, const void *b)
{
    uint32_t x = ((const struct track_point *)a)->at_ms, y = ((const struct track_point *)b)->at_ms;
    return x < y ? -1 : x > y;
}

static bool pixel(const void *ctx, int x, int y)
{
    const struct bitmap *b = ctx;
    return b->px[y][x] != 0;
}

int chart_write(FILE *out, const struct track_node *nodes, size_t n, unsigned end_ms)
{
    int32_t lo = INT32_MAX, hi = INT32_MIN;
    for (size_t i = 0; i < n; i++)
        for (size_t k = 0; k < nodes[i].n_series; k++) {
            int32_t t = nodes[i].series[k].t_mc;
            lo = t < lo ? t : lo;
            hi = t > hi ? t : hi;
        }
    if (lo > hi)
        lo = 20000, hi = 30000; /* no reading: an empty frame */
    lo = (lo / 1000 - (lo < 0)) * 1000; /* whole degrees around the data */
    hi = (hi / 1000 + 1) * 1000;
    if (end_ms == 0)
        end_ms = 1;
    struct bitmap *b = calloc(1, sizeof *b);
    if (!b)
        return -ENOMEM;
    const int x0 = MARGIN_L, x1 = CHART_W - MARGIN_R, y0 = CHART_H - MARGIN_B, y1 = MARGIN_T;
    line(b, x0, y0, x1, y0);
    line(b, x0, y0, x0, y1);
    /* Ticks: every 10 s (every 60 s past 10 minutes), every degree (every 5 past 20). */
    unsigned step_ms = end_ms > 600000 ? 60000 : 10000;
    for (unsigned t = 0; t <= end_ms; t += step_ms) {
        int x = x0 + (int)((int64_t)t * (x1 - x0) / end_ms);
        line(b, x, y0, x, y0 + 5);
    }
    int32_t deg = hi - lo > 20000 ? 5000 : 1000;
    for (int32_t t = lo; t <= hi; t += deg) {
        int y = y0 - (int)((int64_t)(t - lo) * (y0 - y1) / (hi - lo));
        line(b, x0 - 5, y, x0, y);
    }
    for (size_t i = 0; i < n; i++) {
        int px = -1, py = -1;
        /* In the order sampled: buffered readings arrive after later live ones. */
        struct track_point *sorted = malloc(nodes[i].n_series * sizeof *sorted + 1);
        if (!sorted) {
            free(b);
            return -ENOMEM;
        }
        memcpy(sorted, nodes[i].series, nodes[i].n_series * sizeof *sorted);
        qsort(sorted, nodes[i].n_series, sizeof *sorted, by_time);
        for (size_t k = 0; k < nodes[i].n_series; k++) {
            const struct track_point *p = &sorted[k];
            int x = x0 + (int)((int64_t)(p->at_ms > end_ms ? end_ms : p->at_ms) * (x1 - x0) / end_ms);
            int y = y0 - (int)((int64_t)(p->t_mc - lo) * (y0 - y1) / (hi - lo));
            if (px >= 0)
                line(b, px, py, x, y);
            else
                plot(b, x, y);
            px = x, py = y;
        }
        free(sorted);
    }
    int rc = png_write_gray1(out, CHART_W, CHART_H, 1, pixel, b);
    free(b);
    return rc;
}
