/*
 * env_monitor_wfi_share: the share of the CPU's cycles spent in WFI while
 * apps/env-monitor samples once a second (BME280 present, default air),
 * over 10 s of virtual time from 2 s on (past the display's bring-up),
 * from quartz-sim's cycle counters as tests/sim/stopwatch/bench_stopwatch.c
 * measures wfi_share_running. Prints a bench line (tools/bench).
 * usage: bench_env_monitor <env-monitor.elf>
 */
#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include "quartzsim.h"

#define MS 1000000ull

int main(int argc, char **argv)
{
    if (argc != 2) {
        fprintf(stderr, "usage: %s <env-monitor.elf>\n", argv[0]);
        return 2;
    }
    struct qsim_options opt = { 0 };
    struct qsim *s = qsim_create(&opt);
    char err[256];
    if (!s || qsim_load_elf(s, argv[1], err, sizeof err) != 0) {
        fprintf(stderr, "bench_env_monitor: %s\n", s ? err : "no simulator");
        return 1;
    }
    if (qsim_run_until(s, 2000 * MS, NULL, NULL) != 0)
        return 1;
    uint64_t c0 = qsim_cycles(s), z0 = qsim_sleep_cycles(s);
    if (qsim_run_until(s, 12000 * MS, NULL, NULL) != 0)
        return 1;
    uint64_t c1 = qsim_cycles(s), z1 = qsim_sleep_cycles(s);
    size_t len;
    const char *con = qsim_console(s, &len);
    /* the sensor answered all along: no outage line */
    if (memmem(con, len, "# bme280", 8) != NULL) {
        fprintf(stderr, "bench_env_monitor: the BME280 did not answer\n");
        return 1;
    }
    fprintf(stderr, "bench_env_monitor: %" PRIu64 " cycles awake in 10 s\n", (c1 - c0) - (z1 - z0));
    printf("env_monitor_wfi_share %.4f ratio 0.995 ge\n", (double)(z1 - z0) / (double)(c1 - c0));
    qsim_destroy(s);
    return 0;
}
