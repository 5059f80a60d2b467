/* Per-node accounting of tools/fleet, see track.h. */
#include "track.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "quartz/json.h"

void track_init(struct track_node *n, const char *id)
{
    memset(n, 0, sizeof *n);
    snprintf(n->id, sizeof n->id, "%s", id);
    n->max_seq = -1;
    n->buffered = -1;
}

void track_free(struct track_node *n)
{
    free(n->uptime);
    free(n->series);
    n->uptime = NULL;
    n->series = NULL;
}

static int grow(struct track_node *n, uint32_t seq)
{
    if (seq < n->cap)
        return 0;
    uint32_t cap = n->cap ? n->cap : 256;
    while (cap <= seq)
        cap *= 2;
    uint32_t *u = realloc(n->uptime, (size_t)cap * sizeof *u);
    if (!u)
        return -ENOMEM;
    for (uint32_t i = n->cap; i < cap; i++)
        u[i] = TRACK_NO_UPTIME;
    n->uptime = u;
    n->cap = cap;
    return 0;
}

static void add_point(struct track_node *n, uint64_t now_ms, int32_t t_mc)
{
    if (n->n_series == n->series_cap) {
        size_t cap = n->series_cap ? n->series_cap * 2 : 512;
        struct track_point *p = realloc(n->series, cap * sizeof *p);
        if (!p)
            return; /* the chart loses a point, the accounting nothing */
        n->series = p;
        n->series_cap = cap;
    }
    n->series[n->n_series++] = (struct track_point){ (uint32_t)now_ms, t_mc };
}

/* A JSON number with up to `digits` decimals as an integer scaled by 10^digits. */
static bool fixed(const char *text, size_t len, int digits, int64_t *out)
{
    size_t i = 0;
    bool neg = i < len && text[i] == '-';
    if (neg)
        i++;
    int64_t v = 0;
    int frac = -1;
    size_t start = i;
    for (; i < len; i++) {
        if (text[i] == '.' && frac < 0) {
            frac = 0;
            continue;
        }
        if (text[i] < '0' || text[i] > '9' || v > INT64_MAX / 100)
            return false;
        if (frac >= 0 && ++frac > digits)
            return false;
        v = v * 10 + (text[i] - '0');
    }
    if (i == start)
        return false;
    for (int k = frac < 0 ? 0 : frac; k < digits; k++)
        v *= 10;
    *out = neg ? -v : v;
    return true;
}

/* The raw text of member `name`'s value (a number), or false. */
static bool member(const struct json_doc *d, const struct json_token *tok, int obj, const char *name,
                   const char *text, int digits, int64_t *out)
{
    int t = json_object_get(d, obj, name);
    if (t < 0 || tok[t].type != JSON_NUMBER)
        return false;
    return fixed(text + tok[t].start, tok[t].len, digits, out);
}

int track_env(struct track_node *n, const char *payload, size_t len, uint64_t now_ms, bool counts_lag)
{
    struct json_doc d;
    struct json_token tok[24];
    if (json_parse(&d, payload, len, tok, sizeof tok / sizeof tok[0]) < 0 || tok[0].type != JSON_OBJECT) {
        n->malformed++;
        return -EINVAL;
    }
    int64_t seq, uptime, v;
    if (member(&d, tok, 0, "dropped", payload, 0, &v) && v >= 0) {
        n->dropped_reported += (uint64_t)v;
        return 0;
    }
    if (!member(&d, tok, 0, "seq", payload, 0, &seq) || seq < 0 || seq > TRACK_MAX_SEQ ||
        !member(&d, tok, 0, "uptime_ms", payload, 0, &uptime) || uptime < 0 || uptime >= TRACK_NO_UPTIME ||
        grow(n, (uint32_t)seq) != 0) {
        n->malformed++;
        return -EINVAL;
    }
    n->msgs++;
    n->arrivals[n->n_arrivals++ % TRACK_RATE_WINDOW] = now_ms;
    n->last_arrival_ms = now_ms;
    if (n->uptime[seq] != TRACK_NO_UPTIME) {
        n->dups++; /* QoS 1 is at least once: a seq seen before counts once */
        return 0;
    }
    n->uptime[seq] = (uint32_t)uptime;
    if (seq > n->max_seq) {
        n->max_seq = seq;
        n->have_reading = true;
        n->sensor_missing = json_object_get(&d, 0, "sensor") >= 0;
        if (member(&d, tok, 0, "t", payload, 2, &v))
            n->t_mc = (int32_t)(v * 10);
        if (member(&d, tok, 0, "p", payload, 0, &v))
            n->p_pa = (int32_t)v;
        if (member(&d, tok, 0, "h", payload, 1, &v))
            n->h_dpct = (int32_t)v;
    }
    /* Lag: the reading was sampled at virtual time boot + uptime, and
     * virtual time never runs ahead of the wall clock since the node's
     * start; the boot is the latest scripted reset that fits. */
    uint64_t virt = (uint64_t)uptime;
    for (size_t i = 0; i < n->n_resets; i++)
        if (n->resets_ms[i] + (uint64_t)uptime <= now_ms - n->spawn_ms)
            virt = n->resets_ms[i] + (uint64_t)uptime;
    if (seq == n->max_seq)
        n->newest_virt_ms = virt;
    /* The chart's point at the time it was sampled, buffered readings too. */
    if (member(&d, tok, 0, "t", payload, 2, &v))
        add_point(n, n->spawn_ms + virt, (int32_t)(v * 10));
    int64_t lag = (int64_t)now_ms - (int64_t)n->spawn_ms - (int64_t)virt;
    if (counts_lag && lag > n->max_lag_ms)
        n->max_lag_ms = lag;
    return 0;
}

void track_status(struct track_node *n, const char *payload, size_t len)
{
    if (len == 6 && memcmp(payload, "online", 6) == 0)
        n->onlines++;
}

unsigned track_per_min(const struct track_node *n, uint64_t now_ms)
{
    unsigned kept = n->n_arrivals < TRACK_RATE_WINDOW ? n->n_arrivals : TRACK_RATE_WINDOW;
    unsigned count = 0;
    for (unsigned i = 0; i < kept; i++)
        if (n->arrivals[i] + 60000 > now_ms)
            count++;
    return count;
}

/* Calls `fn` for every run [from, to] of missing seqs; `skip` tells whether a reset explains it. */
static void runs(const struct track_node *n, void (*fn)(void *ctx, uint32_t from, uint32_t to, bool skip), void *ctx)
{
    for (int64_t s = 0; s <= n->max_seq; s++) {
        if (n->uptime[s] != TRACK_NO_UPTIME)
            continue;
        int64_t e = s;
        while (e + 1 <= n->max_seq && n->uptime[e + 1] == TRACK_NO_UPTIME)
            e++;
        /* e + 1 <= max_seq was received; s - 1 too when s > 0. */
        bool skip = s > 0 && e == s && n->uptime[e + 1] < n->uptime[s - 1];
        fn(ctx, (uint32_t)s, (uint32_t)e, skip);
        s = e;
    }
}

struct count_ctx {
    uint64_t missing, skips;
};

static void count_run(void *ctx, uint32_t from, uint32_t to, bool skip)
{
    struct count_ctx *c = ctx;
    c->missing += (uint64_t)to - from + 1;
    if (skip)
        c->skips++;
}

uint64_t track_missing(const struct track_node *n)
{
    struct count_ctx c = { 0, 0 };
    runs(n, count_run, &c);
    return c.missing;
}

uint64_t track_reset_skips(const struct track_node *n)
{
    struct count_ctx c = { 0, 0 };
    runs(n, count_run, &c);
    return c.skips;
}

struct write_ctx {
    FILE *out;
    bool want_skip;
    int n;
};

static void write_run(void *ctx, uint32_t from, uint32_t to, bool skip)
{
    struct write_ctx *w = ctx;
    if (skip != w->want_skip)
        return;
    fprintf(w->out, "%s[%u,%u]", w->n++ ? "," : "", from, to);
}

void track_write_missing(const struct track_node *n, FILE *out)
{
    struct write_ctx w = { out, false, 0 };
    fputs("\"lost\":[", out);
    runs(n, write_run, &w);
    fputs("],\"skipped_at_reset\":[", out);
    w = (struct write_ctx){ out, true, 0 };
    runs(n, write_run, &w);
    fputs("]", out);
}
