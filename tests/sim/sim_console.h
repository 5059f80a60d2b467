/*
 * What a probe image printed and what the run reported, for the tests that
 * judge a probe by its console (bkpsram, flash, backup-hal, flash-hal): a
 * run's stop at a console line, the console as one NUL-terminated string, the hex value printed after a label (probe_hex.h
 * prints them), and a substring of the JSON report.
 */
#ifndef SIM_CONSOLE_H
#define SIM_CONSOLE_H

#define _GNU_SOURCE /* open_memstream, memmem */
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "quartzsim.h"

/* The console so far into `buf` (cut at `cap` - 1 bytes). */
static inline const char *sim_console_copy(const struct qsim *s, char *buf, size_t cap)
{
    size_t len = 0;
    const char *c = qsim_console(s, &len);
    size_t n = len < cap - 1 ? len : cap - 1;
    memcpy(buf, c, n);
    buf[n] = '\0';
    return buf;
}

/* The number printed right after the first `label` in `console` (hex with
 * 0x, as probe_hex.h prints it); false when the label is not there. */
static inline bool sim_console_value(const char *console, const char *label, uint32_t *value)
{
    const char *p = strstr(console, label);
    if (p == NULL)
        return false;
    *value = (uint32_t)strtoul(p + strlen(label), NULL, 16);
    return true;
}

/* A qsim_run_until stop: `ctx` (a string) has appeared on the console. */
static inline bool sim_console_shows(struct qsim *s, void *ctx)
{
    size_t len = 0;
    const char *c = qsim_console(s, &len);
    return memmem(c, len, ctx, strlen(ctx)) != NULL;
}

/* Whether the run's JSON report contains `needle`. */
static inline bool sim_report_has(const struct qsim *s, const char *needle)
{
    char *buf = NULL;
    size_t len = 0;
    FILE *f = open_memstream(&buf, &len);
    if (f == NULL)
        return false;
    qsim_write_report(s, f);
    fclose(f);
    bool found = buf != NULL && strstr(buf, needle) != NULL;
    free(buf);
    return found;
}

#endif
