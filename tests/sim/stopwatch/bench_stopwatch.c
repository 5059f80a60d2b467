/*
 * Stopwatch figures measured on quartz-sim (printed as bench lines, see
 * tools/bench):
 *   tick_isr_cycles     TIM2 interrupt, entry to return, while running: the
 *                       CPU cycles (not asleep) from the update event that
 *                       pends it to the simulator's next stop point after the
 *                       handler returns; the smallest of all clean samples
 *                       (the CPU asleep before the tick, nothing else pending)
 *   oled_digits_bus_ms  I2C1 busy time of the largest single refresh while
 *                       running, over a minute rollover (all digits change)
 *   oled_refresh_ms     longest interval between OLED updates while running
 *   wfi_share_running   sleep cycles / cycles while running
 * usage: bench_stopwatch <stopwatch.elf>
 */
#define _GNU_SOURCE
#include <inttypes.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "quartzsim.h"

#define MS 1000000ull

static uint64_t i2c1_busy_ns(struct qsim *s)
{
    char *buf = NULL;
    size_t len = 0;
    FILE *f = open_memstream(&buf, &len);
    qsim_write_report(s, f);
    fclose(f);
    uint64_t ns = 0;
    const char *p = buf ? strstr(buf, "\"I2C1\":{") : NULL;
    p = p ? strstr(p, "\"busy_ns\":") : NULL;
    if (p)
        ns = strtoull(p + strlen("\"busy_ns\":"), NULL, 10);
    free(buf);
    return ns;
}

struct tick_probe {
    uint64_t tim2;       /* TIM2 count at the previous stop point */
    uint64_t awake_prev; /* awake cycles at the previous stop point */
    uint64_t awake_mark; /* awake cycles before the tick's entry */
    bool asleep_before;  /* the CPU was asleep at the previous stop point */
    bool pending;        /* a TIM2 entry was seen; measure at the next stop point */
    uint64_t sleep_prev;
    uint64_t best, samples;
};

static bool probe(struct qsim *s, void *ctx)
{
    struct tick_probe *p = ctx;
    uint64_t cycles = qsim_cycles(s), sleep = qsim_sleep_cycles(s);
    uint64_t awake = cycles - sleep;
    uint64_t tim2 = qsim_irq_count(s, "TIM2");
    if (p->pending) {
        uint64_t d = awake - p->awake_mark;
        if (d > 0 && (p->best == 0 || d < p->best))
            p->best = d;
        p->samples++;
        p->pending = false;
    }
    if (tim2 == p->tim2 + 1 && p->asleep_before) {
        p->pending = true;
        p->awake_mark = p->awake_prev;
    }
    p->asleep_before = sleep > p->sleep_prev;
    p->sleep_prev = sleep;
    p->tim2 = tim2;
    p->awake_prev = awake;
    return false;
}

int main(int argc, char **argv)
{
    if (argc != 2) {
        fprintf(stderr, "usage: %s <stopwatch.elf>\n", argv[0]);
        return 2;
    }
    struct qsim_options opt = { 0 };
    struct qsim *s = qsim_create(&opt);
    char err[256] = "";
    if (!s || qsim_load_elf(s, argv[1], err, sizeof err) != 0) {
        fprintf(stderr, "bench_stopwatch: %s\n", err);
        return 1;
    }
    qsim_reset(s);
    qsim_press_at(s, 100 * MS, 80 * MS);

    /* WFI share and refresh interval: 1 s .. 11 s of running. */
    if (qsim_run_until(s, 1000 * MS, NULL, NULL) != 0)
        return 1;
    uint64_t c0 = qsim_cycles(s), z0 = qsim_sleep_cycles(s);
    unsigned u0 = qsim_oled_update_count(s);
    if (qsim_run_until(s, 11000 * MS, NULL, NULL) != 0)
        return 1;
    uint64_t c1 = qsim_cycles(s), z1 = qsim_sleep_cycles(s);
    unsigned u1 = qsim_oled_update_count(s);
    double wfi = (double)(z1 - z0) / (double)(c1 - c0);
    uint64_t worst = 0;
    for (unsigned i = u0 + 1; i < u1; i++) {
        uint64_t d = qsim_oled_update_ns(s, i) - qsim_oled_update_ns(s, i - 1);
        if (d > worst)
            worst = d;
    }

    /* Tick ISR: 200 ms of stop points. */
    struct tick_probe tp = { 0 };
    tp.tim2 = qsim_irq_count(s, "TIM2");
    tp.sleep_prev = qsim_sleep_cycles(s);
    tp.awake_prev = qsim_cycles(s) - tp.sleep_prev;
    if (qsim_run_until(s, 11200 * MS, probe, &tp) < 0)
        return 1;

    /* Bus time per refresh across the 00:59.999 -> 01:00.000 rollover (start was at 100 ms):
     * 1 ms steps, a refresh is a run of steps with I2C activity. */
    if (qsim_run_until(s, 59000 * MS, NULL, NULL) != 0)
        return 1;
    uint64_t prev = i2c1_busy_ns(s), burst = 0, worst_burst = 0;
    for (uint64_t t = 59001; t <= 62000; t++) {
        if (qsim_run_until(s, t * MS, NULL, NULL) != 0)
            return 1;
        uint64_t now = i2c1_busy_ns(s);
        if (now != prev) {
            burst += now - prev;
        } else if (burst) {
            if (burst > worst_burst)
                worst_burst = burst;
            burst = 0;
        }
        prev = now;
    }

    printf("tick_isr_cycles %" PRIu64 " cycles 30 le\n", tp.best);
    printf("oled_digits_bus_ms %.3f ms 5 le\n", worst_burst / 1e6);
    printf("oled_refresh_ms %.3f ms 50 le\n", worst / 1e6);
    printf("wfi_share_running %.4f ratio 0.99 ge\n", wfi);
    fprintf(stderr, "bench_stopwatch: %" PRIu64 " clean tick samples\n", tp.samples);
    qsim_destroy(s);
    return 0;
}
