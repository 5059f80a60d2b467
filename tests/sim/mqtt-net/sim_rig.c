/* The board under test (sim_rig.h). */
#define _GNU_SOURCE
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "sim_rig.h"

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

bool rig_wait(struct rig *r, const char *prefix, uint64_t max_ns, char *line, size_t cap)
{
    struct wait_ctx w = { r, prefix, (size_t)-1, NULL };
    if (!line_came(r->s, &w))
        qsim_run_until(r->s, qsim_time_ns(r->s) + max_ns, line_came, &w);
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
