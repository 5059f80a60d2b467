/*
 * The quartz/<id>/env payload as docs/sensor-node.md gives it, read
 * strictly: strict JSON (lib/json), one flat object, only the documented
 * members, each once, with its documented number of decimals; either t, p
 * and h together or "sensor":"missing" and none of them; or {"dropped":N}
 * alone. And the seq bookkeeping of a run.
 */
#ifndef SENSOR_NODE_ENV_PAYLOAD_H
#define SENSOR_NODE_ENV_PAYLOAD_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "node_rig.h"

struct env_reading {
    bool dropped_report;  /* {"dropped":N}: only `dropped` is set */
    int64_t dropped;
    int64_t seq, uptime_ms;
    bool missing;         /* "sensor":"missing" */
    bool has_thp, has_die;
    int32_t t_c100;       /* t in 0.01 C */
    int32_t p_pa;
    int32_t h_10;         /* h in 0.1 %RH */
    int32_t die_10;       /* die_t in 0.1 C */
};

/* 0, or -1 with the reason in `why` when the payload breaks the doc. */
int env_parse(const char *payload, size_t len, struct env_reading *r, char *why, size_t cap);

/* What the env readings at message index >= from say about their seqs. */
struct seq_stats {
    unsigned readings;    /* env readings (not dropped reports) */
    unsigned bad;         /* payloads env_parse refused */
    int64_t first, last;  /* lowest and highest seq seen */
    unsigned distinct;    /* different seqs */
    unsigned dup_same;    /* a seq again with the same payload (a QoS 1 resend) */
    unsigned dup_differ;  /* a seq again with another payload: two readings, one seq */
    unsigned backwards;   /* a new seq below one seen before: not oldest first */
    unsigned missing;     /* seqs in [first, last] never seen */
    unsigned max_gap;     /* the longest run of missing seqs */
    int64_t dropped;      /* sum of the dropped reports (on env or event) */
};
void env_seq_stats(const struct node *n, unsigned from, struct seq_stats *st);
void env_seq_print(const struct seq_stats *st);

#endif
