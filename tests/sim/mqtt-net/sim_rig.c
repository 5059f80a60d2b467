/* The board under test (sim_rig.h). */
#define _GNU_SOURCE
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "sim_rig.h"

/* A wait runs in slices of virtual time, each taking at least a tenth of
 * its length in real time (see rig_wait). */
#define SLICE_NS (10 * RIG_MS)
#define PACE 10u

static uint64_t real_ns(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (uint64_t)ts.tv_sec * 1000000000u + (uint64_t)ts.tv_nsec;
}

int rig_start(struct rig *r, const char *elf, uint16_t port)
{
    memset(r, 0, sizeof *r);
    snprintf(r->forward, sizeof r->forward, "10.0.2.2:1883=127.0.0.1:%u", port);
    const char *forwards[] = { r->forward };
    r->s = qsim_create(&(struct qsim_options){ .w5500 = true, .net_forwards = forwards, .n_net_forwards = 1 });
    char err[256];
    if (!r->s || qsim_load_elf(r->s, elf, err, sizeof err) != 0) {
        fprintf(stderr, "cannot load %s: %s\n", elf, r->s ? err : "no simulator");
        rig_stop(r);
        return -1;
    }
    if (!rig_wait(r, "mqtt dhcp ", 15 * RIG_S, NULL, 0)) {
        fprintf(stderr, "no DHCP line\n");
        rig_dump(r, 0);
        rig_stop(r);
        return -1;
    }
    r->mark = 0; /* the tests look at the whole start too */
    return 0;
}

void rig_stop(struct rig *r)
{
    qsim_destroy(r->s);
    r->s = NULL;
}

void rig_cmd(struct rig *r, const char *line)
{
    char buf[96];
    int n = snprintf(buf, sizeof buf, "%s\n", line);
    (void)qsim_rx_at(r->s, buf, (size_t)n, qsim_time_ns(r->s));
}

struct wait_ctx {
    struct rig *r;
    const char *prefix;
    size_t checked; /* the console up to here held no complete matching line */
    const char *found;
};

/* A complete line (CR LF seen) starting with the prefix, after the mark. */
static const char *find_line(const char *c, size_t len, size_t from, const char *prefix)
{
    size_t plen = strlen(prefix);
    for (size_t at = from; at < len;) {
        const char *eol = memchr(c + at, '\n', len - at);
        if (!eol)
            return NULL;
        if ((size_t)(eol - (c + at)) >= plen && memcmp(c + at, prefix, plen) == 0)
            return c + at;
        at = (size_t)(eol - c) + 1;
    }
    return NULL;
}

static bool line_came(struct qsim *s, void *ctx)
{
    struct wait_ctx *w = ctx;
    size_t len;
    const char *c = qsim_console(s, &len);
    if (len == w->checked)
        return false; /* nothing new: the usual case, kept cheap */
    w->found = find_line(c, len, w->r->mark, w->prefix);
    w->checked = len;
    return w->found != NULL;
}

/*
 * quartz-sim holds virtual time while a socket awaits the host's answer to
 * a SEND, but only until the first bytes of it come (docs/simulator.md).
 * When one SEND asks several answers (five stored QoS 1 publishes go out
 * in one SEND after a reconnect, and mosquitto answers each PUBACK on its
 * own, after saving its database), the later ones come in real time while
 * a sleeping board races through virtual seconds. So a wait lets virtual
 * time run at most PACE times faster than real time: a line that comes
 * at once costs nothing, a wait that fails costs a tenth of its bound.
 */
bool rig_wait(struct rig *r, const char *prefix, uint64_t max_ns, char *line, size_t cap)
{
    struct wait_ctx w = { r, prefix, (size_t)-1, NULL };
    uint64_t start = qsim_time_ns(r->s), end = start + max_ns, real_start = real_ns();
    while (!w.found && !line_came(r->s, &w) && qsim_time_ns(r->s) < end) {
        uint64_t slice = qsim_time_ns(r->s) + SLICE_NS;
        qsim_run_until(r->s, slice < end ? slice : end, line_came, &w);
        uint64_t due = real_start + (qsim_time_ns(r->s) - start) / PACE, now = real_ns();
        if (!w.found && now < due) {
            struct timespec ts = { (time_t)((due - now) / 1000000000u), (long)((due - now) % 1000000000u) };
            nanosleep(&ts, NULL);
        }
    }
    if (!w.found)
        return false;
    size_t len;
    const char *c = qsim_console(r->s, &len);
    const char *eol = memchr(w.found, '\n', len - (size_t)(w.found - c));
    size_t n = (size_t)(eol - w.found);
    if (n && w.found[n - 1] == '\r')
        n--;
    if (line && cap) {
        size_t k = n < cap - 1 ? n : cap - 1;
        memcpy(line, w.found, k);
        line[k] = '\0';
    }
    r->mark = (size_t)(eol - c) + 1;
    return true;
}

int rig_ask(struct rig *r, const char *cmd, const char *prefix)
{
    char line[160];
    rig_cmd(r, cmd);
    if (!rig_wait(r, prefix, RIG_S, line, sizeof line))
        return -9999;
    return atoi(line + strlen(prefix));
}

void rig_run(struct rig *r, uint64_t ns) { qsim_run_until(r->s, qsim_time_ns(r->s) + ns, NULL, NULL); }

unsigned rig_count(const struct rig *r, size_t from, const char *prefix)
{
    size_t len;
    const char *c = qsim_console(r->s, &len);
    unsigned n = 0;
    for (const char *p; (p = find_line(c, len, from, prefix)) != NULL; n++)
        from = (size_t)(p - c) + 1;
    return n;
}

size_t rig_console_len(const struct rig *r)
{
    size_t len;
    (void)qsim_console(r->s, &len);
    return len;
}

void rig_dump(const struct rig *r, size_t from)
{
    size_t len;
    const char *c = qsim_console(r->s, &len);
    if (from < len)
        fprintf(stderr, "console (from %zu, at %.3f s virtual):\n%.*s\n", from, (double)qsim_time_ns(r->s) / 1e9,
                (int)(len - from), c + from);
}

unsigned rig_count_in_file(const char *path, const char *a, const char *b)
{
    FILE *f = fopen(path, "r");
    if (!f)
        return 0;
    char line[1024];
    unsigned n = 0;
    while (fgets(line, sizeof line, f))
        if (strstr(line, a) && (!b || strstr(line, b)))
            n++;
    fclose(f);
    return n;
}
