/* The env payload, read strictly (env_payload.h). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "env_payload.h"
#include "quartz/json.h"

/* A number token with exactly `decimals` digits after the point (0: an
 * integer) and no exponent, as a scaled integer; "-0.00" refused (the doc:
 * never a negative zero). */
static int fixed(const struct json_doc *d, int tok, unsigned decimals, int64_t *out)
{
    if (tok < 0 || d->tok[tok].type != JSON_NUMBER)
        return -1;
    const char *s = d->text + d->tok[tok].start, *end = s + d->tok[tok].len;
    bool neg = *s == '-';
    s += neg;
    int64_t v = 0;
    unsigned frac = 0;
    bool point = false, nonzero = false;
    for (; s < end; s++) {
        if (*s == '.' && !point) {
            point = true;
            continue;
        }
        if (*s < '0' || *s > '9' || v > (INT64_MAX - 9) / 10)
            return -1; /* an exponent, or too long */
        v = v * 10 + (*s - '0');
        nonzero |= *s != '0';
        frac += point;
    }
    if (frac != decimals || (point && decimals == 0) || (neg && !nonzero))
        return -1;
    *out = neg ? -v : v;
    return 0;
}

static int fail(char *why, size_t cap, const char *what)
{
    snprintf(why, cap, "%s", what);
    return -1;
}

int env_parse(const char *payload, size_t len, struct env_reading *r, char *why, size_t cap)
{
    memset(r, 0, sizeof *r);
    struct json_token tok[32];
    struct json_doc d;
    if (json_parse(&d, payload, len, tok, 32) != 0)
        return fail(why, cap, "not strict JSON");
    if (tok[0].type != JSON_OBJECT)
        return fail(why, cap, "not an object");
    static const char *const known[] = { "seq", "uptime_ms", "t", "p", "h", "die_t", "sensor", "dropped" };
    /* every member documented (lib/json already refused duplicates), none nested */
    for (int i = 1; i < d.ntok; i = tok[i + 1].next) {
        bool ok = false;
        for (size_t k = 0; k < sizeof known / sizeof known[0]; k++)
            ok |= json_string_is(&d, i, known[k]);
        if (!ok)
            return fail(why, cap, "an undocumented member");
    }
    int64_t v;
    if (json_object_get(&d, 0, "dropped") >= 0) {
        if (tok[0].size != 1 || fixed(&d, json_object_get(&d, 0, "dropped"), 0, &v) || v <= 0)
            return fail(why, cap, "dropped: not alone or not a count");
        r->dropped_report = true;
        r->dropped = v;
        return 0;
    }
    if (fixed(&d, json_object_get(&d, 0, "seq"), 0, &r->seq) || r->seq < 0)
        return fail(why, cap, "seq: missing or not a count");
    if (fixed(&d, json_object_get(&d, 0, "uptime_ms"), 0, &r->uptime_ms) || r->uptime_ms < 0)
        return fail(why, cap, "uptime_ms: missing or not a count");
    int t = json_object_get(&d, 0, "t"), p = json_object_get(&d, 0, "p"), h = json_object_get(&d, 0, "h");
    int sensor = json_object_get(&d, 0, "sensor");
    if (sensor >= 0) {
        if (!json_string_is(&d, sensor, "missing"))
            return fail(why, cap, "sensor: not \"missing\"");
        if (t >= 0 || p >= 0 || h >= 0)
            return fail(why, cap, "values with the sensor missing");
        r->missing = true;
    } else {
        int64_t tv, pv, hv;
        if (fixed(&d, t, 2, &tv) || fixed(&d, p, 0, &pv) || fixed(&d, h, 1, &hv))
            return fail(why, cap, "t (2 decimals), p (integer), h (1 decimal): one missing or malformed");
        r->has_thp = true;
        r->t_c100 = (int32_t)tv;
        r->p_pa = (int32_t)pv;
        r->h_10 = (int32_t)hv;
    }
    int die = json_object_get(&d, 0, "die_t");
    if (die >= 0) {
        if (fixed(&d, die, 1, &v))
            return fail(why, cap, "die_t: not 1 decimal");
        r->has_die = true;
        r->die_10 = (int32_t)v;
    }
    return 0;
}

static int cmp_i64(const void *a, const void *b)
{
    int64_t x = *(const int64_t *)a, y = *(const int64_t *)b;
    return (x > y) - (x < y);
}

void env_seq_stats(const struct node *n, unsigned from, struct seq_stats *st)
{
    memset(st, 0, sizeof *st);
    int64_t *seqs = calloc(NODE_MSG_MAX, sizeof *seqs);
    unsigned *at = calloc(NODE_MSG_MAX, sizeof *at);
    unsigned k = 0;
    int64_t highest = -1;
    for (unsigned i = from; seqs && at && i < n->n_msg; i++) {
        const struct node_msg *m = &n->msg[i];
        struct env_reading r;
        char why[96];
        /* The doc gives {"dropped":N} without its topic: env or event count. */
        if (strcmp(m->topic, "event") == 0 && env_parse(m->payload, m->len, &r, why, sizeof why) == 0 &&
            r.dropped_report) {
            st->dropped += r.dropped;
            continue;
        }
        if (strcmp(m->topic, "env") != 0)
            continue;
        if (env_parse(m->payload, m->len, &r, why, sizeof why) != 0) {
            st->bad++;
            continue;
        }
        if (r.dropped_report) {
            st->dropped += r.dropped;
            continue;
        }
        st->readings++;
        bool seen = false;
        for (unsigned j = 0; j < k && !seen; j++) {
            if (seqs[j] != r.seq)
                continue;
            seen = true;
            const struct node_msg *o = &n->msg[at[j]];
            if (o->len == m->len && memcmp(o->payload, m->payload, m->len) == 0)
                st->dup_same++;
            else
                st->dup_differ++;
        }
        if (seen)
            continue;
        if (r.seq < highest)
            st->backwards++;
        if (r.seq > highest)
            highest = r.seq;
        seqs[k] = r.seq;
        at[k++] = i;
    }
    st->distinct = k;
    if (k) {
        qsort(seqs, k, sizeof *seqs, cmp_i64);
        st->first = seqs[0];
        st->last = seqs[k - 1];
        for (unsigned j = 1; j < k; j++) {
            int64_t gap = seqs[j] - seqs[j - 1] - 1;
            st->missing += (unsigned)gap;
            if (gap > st->max_gap)
                st->max_gap = (unsigned)gap;
        }
    }
    free(seqs);
    free(at);
}

void env_seq_print(const struct seq_stats *st)
{
    fprintf(stderr,
            "env: %u readings, %u refused payloads, seq %lld..%lld, %u distinct, %u resent, %u seq reused, "
            "%u backwards, %u missing (longest gap %u), dropped reported %lld\n",
            st->readings, st->bad, (long long)st->first, (long long)st->last, st->distinct, st->dup_same,
            st->dup_differ, st->backwards, st->missing, st->max_gap, (long long)st->dropped);
}
