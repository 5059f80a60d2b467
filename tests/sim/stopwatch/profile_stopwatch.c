/*
 * Where a stopwatch image's awake cycles go: a flat profile by program
 * counter over one window of virtual time, for the WFI work of issue 12
 * (docs/performance.md, "Third pass").
 *
 * B1 is pressed at 100 ms (running from then on; with --stopped pressed
 * again at 500 ms), the window is [1 s, 1 s + --seconds). The image runs
 * one instruction at a time; each step's awake cycles (cycles less sleep
 * cycles) are added to the address it started at. Exception entry and
 * return cycles therefore land on the instruction that was interrupted
 * (for a sleeping image: its WFI), a handler's own instructions on the
 * handler. Prints "address cycles" lines (hex, decimal) on stdout, the
 * window's totals on stderr, and fails (exit 1) if the profile's sum is
 * not the window's awake cycles. Symbols: profile_syms.py.
 *
 * usage: profile_stopwatch [--stopped] [--seconds=N] <stopwatch.elf>
 */
#include <inttypes.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "quartzsim.h"

#define MS 1000000ull
#define FLASH_BASE 0x08000000u
#define FLASH_HALFWORDS (512u * 1024u / 2u) /* the F446's 512 KB, by Thumb halfword */

static uint64_t cycles_at[FLASH_HALFWORDS];

int main(int argc, char **argv)
{
    bool stopped = false;
    unsigned seconds = 1;
    const char *elf = NULL;
    for (int i = 1; i < argc; i++) {
        if (strcmp(argv[i], "--stopped") == 0)
            stopped = true;
        else if (strncmp(argv[i], "--seconds=", 10) == 0)
            seconds = (unsigned)strtoul(argv[i] + 10, NULL, 10);
        else
            elf = argv[i];
    }
    if (elf == NULL || seconds == 0) {
        fprintf(stderr, "usage: profile_stopwatch [--stopped] [--seconds=N] <stopwatch.elf>\n");
        return 2;
    }
    struct qsim_options opt = { 0 };
    struct qsim *s = qsim_create(&opt);
    char err[256];
    if (s == NULL || qsim_load_elf(s, elf, err, sizeof err) != 0) {
        fprintf(stderr, "profile_stopwatch: %s\n", s ? err : "no simulator");
        return 2;
    }
    qsim_press_at(s, 100 * MS, 80 * MS);
    if (stopped)
        qsim_press_at(s, 500 * MS, 80 * MS);
    qsim_run_until(s, 1000 * MS, NULL, NULL);

    uint64_t end = (1000 + 1000ull * seconds) * MS, outside = 0;
    uint64_t c_start = qsim_cycles(s), z_start = qsim_sleep_cycles(s);
    while (qsim_time_ns(s) < end) {
        uint64_t pc = 0;
        qsim_reg_read(s, QSIM_REG_PC, &pc);
        uint64_t c0 = qsim_cycles(s), z0 = qsim_sleep_cycles(s);
        qsim_step(s);
        qsim_run_until(s, end, NULL, NULL);
        uint64_t awake = (qsim_cycles(s) - c0) - (qsim_sleep_cycles(s) - z0);
        uint64_t off = ((uint32_t)pc - FLASH_BASE) / 2u;
        if ((uint32_t)pc >= FLASH_BASE && off < FLASH_HALFWORDS)
            cycles_at[off] += awake;
        else
            outside += awake; /* code outside flash (none in these images) */
    }
    uint64_t total = (qsim_cycles(s) - c_start) - (qsim_sleep_cycles(s) - z_start), sum = outside;
    for (uint32_t i = 0; i < FLASH_HALFWORDS; i++) {
        if (cycles_at[i] == 0)
            continue;
        sum += cycles_at[i];
        printf("%08" PRIx32 " %" PRIu64 "\n", FLASH_BASE + 2u * i, cycles_at[i]);
    }
    fprintf(stderr, "profile_stopwatch: %s, %u s %s: %" PRIu64 " awake cycles (%" PRIu64 " outside flash)\n",
            elf, seconds, stopped ? "stopped" : "running", total, outside);
    qsim_destroy(s);
    if (sum != total) {
        fprintf(stderr, "profile_stopwatch: the profile sums to %" PRIu64 ", not %" PRIu64 "\n", sum, total);
        return 1;
    }
    return 0;
}
