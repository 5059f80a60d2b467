/* Fault scripts for tools/fleet, see scenario.h. */
#include "scenario.h"

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "quartzsim.h" /* qsim_parse_time: the TIME syntax of quartz-sim */

#define MAX_TOKENS 8

static const char *const kind_names[] = {
    [SCENARIO_BROKER_RESTART] = "broker-restart",
    [SCENARIO_LINK_DOWN] = "link-down",
    [SCENARIO_RESET] = "reset",
};

static int fail(char *err, size_t errlen, const char *fmt, ...) __attribute__((format(printf, 3, 4)));

static int fail(char *err, size_t errlen, const char *fmt, ...)
{
    if (err && errlen) {
        va_list ap;
        va_start(ap, fmt);
        vsnprintf(err, errlen, fmt, ap);
        va_end(ap);
    }
    return -EINVAL;
}

/* Tokens shown in messages are printable ASCII already (the line was checked). */
static int parse_time(unsigned line, const char *what, const char *text, uint64_t *ns, char *err, size_t errlen)
{
    if (qsim_parse_time(text, ns) != 0 || *ns > QSIM_TIME_MAX_NS)
        return fail(err, errlen, "line %u: %s '%s' is not a TIME (e.g. 250ms, 2.5s)", line, what, text);
    return 0;
}

static int parse_nodes(unsigned line, const char *text, struct scenario_event *e, char *err, size_t errlen)
{
    size_t n = strlen(text);
    e->percent = n > 0 && text[n - 1] == '%';
    if (e->percent)
        n--;
    unsigned long v = 0;
    size_t i = 0;
    for (; i < n && text[i] >= '0' && text[i] <= '9' && v <= 1000000; i++)
        v = v * 10 + (unsigned long)(text[i] - '0');
    if (n == 0 || i != n || (n > 1 && text[0] == '0') || v == 0 || v > 1000000 || (e->percent && v > 100))
        return fail(err, errlen, "line %u: nodes='%s' is not a share 1%%..100%% or a count 1..1000000", line, text);
    e->count = (unsigned)v;
    return 0;
}

/* One event from its tokens (at TIME KIND key=value...). */
static int parse_event(unsigned line, char **tok, int n, struct scenario_event *e, char *err, size_t errlen)
{
    if (strcmp(tok[0], "at") != 0)
        return fail(err, errlen, "line %u: expected 'at TIME EVENT ...', got '%s'", line, tok[0]);
    if (n < 3)
        return fail(err, errlen, "line %u: expected 'at TIME EVENT ...'", line);
    *e = (struct scenario_event){ .line = line };
    int rc = parse_time(line, "at", tok[1], &e->at_ns, err, errlen);
    if (rc)
        return rc;
    size_t k = 0;
    while (k < sizeof kind_names / sizeof kind_names[0] && strcmp(tok[2], kind_names[k]) != 0)
        k++;
    if (k == sizeof kind_names / sizeof kind_names[0])
        return fail(err, errlen, "line %u: unknown event '%s' (broker-restart, link-down, reset)", line, tok[2]);
    e->kind = (enum scenario_kind)k;
    /* The keys each event takes; all required. */
    const char *keys[2];
    int n_keys = 0;
    if (e->kind == SCENARIO_BROKER_RESTART)
        keys[n_keys++] = "down";
    if (e->kind != SCENARIO_BROKER_RESTART)
        keys[n_keys++] = "nodes";
    if (e->kind == SCENARIO_LINK_DOWN)
        keys[n_keys++] = "for";
    bool seen[2] = { false, false };
    for (int t = 3; t < n; t++) {
        char *eq = strchr(tok[t], '=');
        if (!eq)
            return fail(err, errlen, "line %u: expected KEY=VALUE, got '%s'", line, tok[t]);
        *eq = '\0';
        const char *value = eq + 1;
        int j = 0;
        while (j < n_keys && strcmp(tok[t], keys[j]) != 0)
            j++;
        if (j == n_keys)
            return fail(err, errlen, "line %u: %s takes no '%s='", line, kind_names[k], tok[t]);
        if (seen[j])
            return fail(err, errlen, "line %u: '%s=' given twice", line, tok[t]);
        seen[j] = true;
        if (strcmp(tok[t], "nodes") == 0) {
            rc = parse_nodes(line, value, e, err, errlen);
        } else {
            rc = parse_time(line, tok[t], value, &e->duration_ns, err, errlen);
            if (rc == 0 && e->duration_ns == 0)
                rc = fail(err, errlen, "line %u: %s=%s must be more than 0", line, tok[t], value);
        }
        if (rc)
            return rc;
    }
    for (int j = 0; j < n_keys; j++)
        if (!seen[j])
            return fail(err, errlen, "line %u: %s needs %s=", line, kind_names[k], keys[j]);
    return 0;
}

int scenario_parse(struct scenario *s, const char *text, size_t len, char *err, size_t errlen)
{
    s->n = 0;
    if (len > SCENARIO_MAX_BYTES)
        return fail(err, errlen, "more than %u bytes", SCENARIO_MAX_BYTES);
    unsigned line = 0;
    size_t pos = 0;
    while (pos < len) {
        line++;
        size_t end = pos;
        while (end < len && text[end] != '\n')
            end++;
        if (end - pos > SCENARIO_MAX_LINE)
            return fail(err, errlen, "line %u: longer than %d characters", line, SCENARIO_MAX_LINE);
        char buf[SCENARIO_MAX_LINE + 1];
        size_t n = 0;
        for (size_t i = pos; i < end; i++) {
            unsigned char c = (unsigned char)text[i];
            if (c == '#')
                break;
            if (c == '\r')
                return fail(err, errlen, "line %u: a carriage return (use Unix line ends)", line);
            if (c != '\t' && (c < 0x20 || c > 0x7e))
                return fail(err, errlen, "line %u: byte 0x%02x is not printable ASCII", line, c);
            buf[n++] = c == '\t' ? ' ' : (char)c;
        }
        buf[n] = '\0';
        pos = end + 1;
        char *tok[MAX_TOKENS];
        int nt = 0;
        for (char *p = strtok(buf, " "); p; p = strtok(NULL, " ")) {
            if (nt == MAX_TOKENS)
                return fail(err, errlen, "line %u: too many words", line);
            tok[nt++] = p;
        }
        if (nt == 0)
            continue;
        if (s->n == SCENARIO_MAX_EVENTS)
            return fail(err, errlen, "line %u: more than %d events", line, SCENARIO_MAX_EVENTS);
        int rc = parse_event(line, tok, nt, &s->ev[s->n], err, errlen);
        if (rc)
            return rc;
        s->n++;
    }
    return 0;
}

int scenario_load(struct scenario *s, const char *path, char *err, size_t errlen)
{
    FILE *f = fopen(path, "rb");
    if (!f) {
        int e = errno;
        snprintf(err, errlen, "%s: %s", path, strerror(e));
        return -e;
    }
    static char text[SCENARIO_MAX_BYTES + 1];
    size_t len = fread(text, 1, sizeof text, f);
    bool bad = ferror(f);
    fclose(f);
    if (bad) {
        snprintf(err, errlen, "%s: read error", path);
        return -EIO;
    }
    char msg[256];
    int rc = scenario_parse(s, text, len, msg, sizeof msg);
    if (rc)
        snprintf(err, errlen, "%s: %s", path, msg);
    return rc;
}

int scenario_check(const struct scenario *s, unsigned nodes, uint64_t duration_ns, char *err, size_t errlen)
{
    for (size_t i = 0; i < s->n; i++) {
        const struct scenario_event *e = &s->ev[i];
        if (e->at_ns >= duration_ns || e->duration_ns >= duration_ns - e->at_ns)
            return fail(err, errlen, "line %u: %s does not end within the run (--duration)", e->line,
                        kind_names[e->kind]);
        if (e->kind != SCENARIO_BROKER_RESTART && !e->percent && e->count > nodes)
            return fail(err, errlen, "line %u: nodes=%u but the fleet has %u", e->line, e->count, nodes);
    }
    return 0;
}

bool scenario_picks(const struct scenario_event *e, unsigned i, unsigned nodes)
{
    if (e->kind == SCENARIO_BROKER_RESTART || i >= nodes)
        return false;
    if (!e->percent)
        return i < e->count;
    return (uint64_t)(i + 1) * e->count / 100 > (uint64_t)i * e->count / 100;
}

/* The largest unit that states `ns` exactly. */
static void format_time(uint64_t ns, char *out, size_t cap)
{
    static const struct { uint64_t ns; const char *unit; } units[] = {
        { 1000000000ull, "s" }, { 1000000ull, "ms" }, { 1000ull, "us" }, { 1ull, "ns" },
    };
    size_t u = 0;
    while (ns != 0 && ns % units[u].ns != 0)
        u++;
    if (ns == 0)
        u = 0;
    snprintf(out, cap, "%llu%s", (unsigned long long)(ns / units[u].ns), units[u].unit);
}

int scenario_format(const struct scenario_event *e, char *out, size_t cap)
{
    char at[32], d[32];
    format_time(e->at_ns, at, sizeof at);
    format_time(e->duration_ns, d, sizeof d);
    int n;
    switch (e->kind) {
    case SCENARIO_BROKER_RESTART: n = snprintf(out, cap, "at %s broker-restart down=%s", at, d); break;
    case SCENARIO_LINK_DOWN:
        n = snprintf(out, cap, "at %s link-down nodes=%u%s for=%s", at, e->count, e->percent ? "%" : "", d);
        break;
    case SCENARIO_RESET: n = snprintf(out, cap, "at %s reset nodes=%u%s", at, e->count, e->percent ? "%" : ""); break;
    default: return -EINVAL;
    }
    return n < 0 || (size_t)n >= cap ? -ENOSPC : n;
}
