/*
 * Stopwatch figures measured on quartz-sim (printed as bench lines, see
 * tools/bench):
 *   tick_isr_cycles     TIM2 1 kHz tick, entry to return, in cycles of the
 *                       simulator's cycle model: 12 entry + the handler's
 *                       instructions + 10 return, from the exception hook
 *                       (qsim_set_exc_hook). Only isolated ticks count: not
 *                       reached by a tail-chain, nothing nested, left by a
 *                       real return. The largest such sample is printed.
 *   oled_digits_bus_ms  I2C1 busy time of the largest single refresh while
 *                       running, over a minute rollover (all digits change)
 *   oled_refresh_ms     longest interval between OLED updates while running
 *   wfi_share_running   sleep cycles / cycles while running (1 s .. 11 s)
 *   oled_refresh_cpu_cycles  CPU cycles awake for one refresh of the time:
 *                       the awake cycles of the running window less its
 *                       TIM2 handler (the millisecond count, entry and
 *                       return included) less the awake cycles of as long a
 *                       window stopped (SysTick, the main loop's 100 Hz
 *                       wakes: what runs whether or not the display
 *                       changes), per OLED refresh of the running window
 * On stderr: where the awake cycles of that window went (per handler,
 * exclusive of nested handlers, and thread mode).
 * With --cycles=upper, the simulator runs its pessimistic cycle model
 * (QSIM_CYCLES_UPPER) and only the cycle figure is printed, as
 * tick_isr_cycles_upper, without a budget: the bound beside the figure.
 * With --variant=NAME (the rtic and async images) only the two figures
 * that compare across the variants are printed, as wfi_share_running_NAME
 * and oled_refresh_cpu_cycles_NAME.
 * usage: bench_stopwatch [--cycles=upper | --variant=NAME] <stopwatch.elf>
 */
#define _GNU_SOURCE
#include <inttypes.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "quartzsim.h"

#define MS 1000000ull
#define MAX_EXC 128
#define MAX_DEPTH 16

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

struct frame {
    int exc;
    uint64_t entry, nested;
    bool chained; /* entered by a tail-chain */
};

struct profile {
    int tick_exc; /* TIM2's exception number */
    struct frame stack[MAX_DEPTH];
    int depth;
    bool last_tailchain;
    uint64_t last_cycles;
    uint64_t handler_cycles[MAX_EXC], entries[MAX_EXC];
    uint64_t tick_min, tick_max, tick_samples;
};

static void on_exc(void *ctx, enum qsim_exc_event ev, int exc, uint64_t cycles)
{
    struct profile *p = ctx;
    bool chained = p->last_tailchain && p->last_cycles == cycles;
    p->last_tailchain = ev == QSIM_EXC_TAILCHAIN;
    p->last_cycles = cycles;
    if (ev == QSIM_EXC_ENTRY) {
        if (p->depth < MAX_DEPTH)
            p->stack[p->depth] = (struct frame){ exc, cycles, 0, chained };
        p->depth++;
        return;
    }
    if (p->depth == 0)
        return;
    p->depth--;
    if (p->depth >= MAX_DEPTH)
        return;
    struct frame *f = &p->stack[p->depth];
    uint64_t inclusive = cycles - f->entry;
    if (f->exc >= 0 && f->exc < MAX_EXC) {
        p->handler_cycles[f->exc] += inclusive - f->nested;
        p->entries[f->exc]++;
    }
    if (p->depth > 0 && p->depth <= MAX_DEPTH)
        p->stack[p->depth - 1].nested += inclusive;
    if (f->exc == p->tick_exc && ev == QSIM_EXC_RETURN && !f->chained && f->nested == 0) {
        if (p->tick_samples == 0 || inclusive < p->tick_min)
            p->tick_min = inclusive;
        if (inclusive > p->tick_max)
            p->tick_max = inclusive;
        p->tick_samples++;
    }
}

static int exc_number(const char *name)
{
    for (int e = 0; e < MAX_EXC; e++)
        if (strcmp(qsim_exc_name(e), name) == 0)
            return e;
    return -1;
}

/* Refreshes in updates [from, to): a refresh may end in more than one
 * update (one per window), less than 5 ms apart. */
static unsigned refreshes(struct qsim *s, unsigned from, unsigned to)
{
    unsigned n = 0;
    for (unsigned i = from; i < to; i++)
        if (i == from || qsim_oled_update_ns(s, i) - qsim_oled_update_ns(s, i - 1) > 5 * MS)
            n++;
    return n;
}

/* The refresh's own cycles (see the top): B1 pressed again at `at_ms` + 100
 * stops the stopwatch; the stopped window is the 10 s from `at_ms` + 1 s. */
static double refresh_cycles(struct qsim *s, uint64_t at_ms, unsigned n_refresh, uint64_t awake_run,
                             uint64_t tim2_run)
{
    qsim_press_at(s, (at_ms + 100) * MS, 80 * MS);
    if (qsim_run_until(s, (at_ms + 1000) * MS, NULL, NULL) != 0)
        return 0;
    uint64_t c = qsim_cycles(s), z = qsim_sleep_cycles(s);
    if (qsim_run_until(s, (at_ms + 11000) * MS, NULL, NULL) != 0)
        return 0;
    uint64_t awake_stopped = (qsim_cycles(s) - c) - (qsim_sleep_cycles(s) - z);
    fprintf(stderr, "bench_stopwatch: %u refreshes in 10 s running; awake %" PRIu64 " running (TIM2 %" PRIu64
                    "), %" PRIu64 " in 10 s stopped\n", n_refresh, awake_run, tim2_run, awake_stopped);
    return n_refresh ? ((double)awake_run - (double)tim2_run - (double)awake_stopped) / n_refresh : 0;
}

int main(int argc, char **argv)
{
    bool upper = argc == 3 && strcmp(argv[1], "--cycles=upper") == 0;
    const char *variant = argc == 3 && strncmp(argv[1], "--variant=", 10) == 0 ? argv[1] + 10 : NULL;
    if (argc != 2 && !upper && !variant) {
        fprintf(stderr, "usage: %s [--cycles=upper | --variant=NAME] <stopwatch.elf>\n", argv[0]);
        return 2;
    }
    struct qsim_options opt = { .cycles = upper ? QSIM_CYCLES_UPPER : QSIM_CYCLES_DEFAULT };
    struct qsim *s = qsim_create(&opt);
    char err[256] = "";
    if (!s || qsim_load_elf(s, argv[argc - 1], err, sizeof err) != 0) {
        fprintf(stderr, "bench_stopwatch: %s\n", err);
        return 1;
    }
    qsim_reset(s);
    qsim_press_at(s, 100 * MS, 80 * MS);

    /* WFI share, refresh interval, tick ISR and profile: 1 s .. 11 s of running. */
    static struct profile prof;
    prof.tick_exc = exc_number("TIM2");
    if (qsim_run_until(s, 1000 * MS, NULL, NULL) != 0)
        return 1;
    qsim_set_exc_hook(s, on_exc, &prof);
    uint64_t c0 = qsim_cycles(s), z0 = qsim_sleep_cycles(s);
    unsigned u0 = qsim_oled_update_count(s);
    if (qsim_run_until(s, 11000 * MS, NULL, NULL) != 0)
        return 1;
    qsim_set_exc_hook(s, NULL, NULL);
    uint64_t c1 = qsim_cycles(s), z1 = qsim_sleep_cycles(s);
    unsigned u1 = qsim_oled_update_count(s);
    double wfi = (double)(z1 - z0) / (double)(c1 - c0);
    uint64_t worst = 0;
    for (unsigned i = u0 + 1; i < u1; i++) {
        uint64_t d = qsim_oled_update_ns(s, i) - qsim_oled_update_ns(s, i - 1);
        if (d > worst)
            worst = d;
    }

    if (upper) {
        printf("tick_isr_cycles_upper %" PRIu64 " cycles - -\n", prof.tick_max);
        fprintf(stderr, "bench_stopwatch (upper model): %" PRIu64 " isolated ticks, %" PRIu64 "..%" PRIu64
                        " cycles entry to return\n", prof.tick_samples, prof.tick_min, prof.tick_max);
        qsim_destroy(s);
        return 0;
    }

    unsigned n_refresh = refreshes(s, u0, u1);
    uint64_t awake_run = (c1 - c0) - (z1 - z0), tim2_run = prof.handler_cycles[prof.tick_exc];
    if (variant) {
        double per_refresh = refresh_cycles(s, 11000, n_refresh, awake_run, tim2_run);
        /* Six decimals: the gate compares the printed figure, which four
         * would round up to it. Both variants at the 0.998
         * (docs/performance.md, "Fifth pass"). */
        printf("wfi_share_running_%s %.6f ratio 0.998 ge\n", variant, wfi);
        printf("oled_refresh_cpu_cycles_%s %.0f cycles - -\n", variant, per_refresh);
        qsim_destroy(s);
        return 0;
    }

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

    double per_refresh = refresh_cycles(s, 62000, n_refresh, awake_run, tim2_run);
    printf("tick_isr_cycles %" PRIu64 " cycles 33 le\n", prof.tick_max);
    printf("oled_digits_bus_ms %.3f ms 5 le\n", worst_burst / 1e6);
    printf("oled_refresh_ms %.3f ms 50 le\n", worst / 1e6);
    printf("wfi_share_running %.6f ratio 0.998 ge\n", wfi); /* issue 12's budget; six decimals: see above */
    printf("oled_refresh_cpu_cycles %.0f cycles - -\n", per_refresh);

    uint64_t awake = (c1 - c0) - (z1 - z0), in_handlers = 0;
    double secs = 10.0;
    fprintf(stderr, "bench_stopwatch: %" PRIu64 " isolated ticks, %" PRIu64 "..%" PRIu64
                    " cycles entry to return\n",
            prof.tick_samples, prof.tick_min, prof.tick_max);
    fprintf(stderr, "bench_stopwatch: awake %" PRIu64 " of %" PRIu64 " cycles in 10 s running:\n",
            awake, c1 - c0);
    for (int e = 0; e < MAX_EXC; e++) {
        if (!prof.entries[e])
            continue;
        in_handlers += prof.handler_cycles[e];
        fprintf(stderr, "  %-12s %8.0f entries/s %10.0f cycles/s (%.0f per entry, with entry/return)\n",
                qsim_exc_name(e), prof.entries[e] / secs, prof.handler_cycles[e] / secs,
                (double)prof.handler_cycles[e] / (double)prof.entries[e]);
    }
    fprintf(stderr, "  %-12s %19s %10.0f cycles/s\n", "thread", "",
            (double)(awake - in_handlers) / secs);
    qsim_destroy(s);
    return 0;
}
