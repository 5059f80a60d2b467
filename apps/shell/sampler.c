/*
 * The sampler: a second unprivileged process beside the shell. Once a
 * second it reads the air temperature (/dev/temp0, the BME280) and the
 * die temperature (/dev/dietemp0) and appends "<seconds> <air C> <die C>"
 * to /dev/log0, which `cat /dev/log0` in the shell prints: two isolated
 * processes cooperating through device files.
 */
#include <string.h>

#include "procs.h"
#include "quartz/fmt.h"
#include "quartz/sys.h"

#define SAMPLER_STACK 768u

struct sampler {
    uint8_t stack[SAMPLER_STACK];
    char line[48];
};

SYS_PROC_RAM(struct sampler, sampler_ram, 1024);

/* Appends the first line of `path` (without its newline), or "-". */
static size_t append(struct sampler *s, size_t n, const char *path)
{
    int fd = sys_open(path, 0);
    int rc = fd < 0 ? fd : sys_read(fd, s->line + n, sizeof s->line - n - 2u);
    if (fd >= 0)
        (void)sys_close(fd);
    if (rc <= 0) {
        s->line[n++] = '-';
        return n;
    }
    n += (size_t)rc;
    if (s->line[n - 1] == '\n')
        n--;
    return n;
}

static void sampler_main(uint32_t starts)
{
    (void)starts;
    struct sampler *s = &sampler_ram.v;
    int log = sys_open("/dev/log0", 0);
    if (log < 0)
        sys_exit(log);
    for (;;) {
        (void)sys_sleep_ms(1000);
        size_t n = fmt_u64(s->line, sizeof s->line, sys_uptime_ms() / 1000u);
        s->line[n++] = ' ';
        n = append(s, n, "/dev/temp0");
        s->line[n++] = ' ';
        n = append(s, n, "/dev/dietemp0");
        s->line[n++] = '\n';
        (void)sys_write(log, s->line, n);
    }
}

const struct sys_proc_desc sampler_proc = {
    .name = "sampler",
    .entry = sampler_main,
    .ram = &sampler_ram,
    .ram_size = sizeof sampler_ram,
    .stack_size = SAMPLER_STACK,
    .prio = 3,
    .flags = SYS_PROC_RESTART,
};
