/*
 * What tools/fleet learns about each node from the broker: every `seq` of
 * `quartz/<id>/env` that arrived (with its uptime_ms, to see resets), the
 * last reading, arrivals per minute, connections (`online` on
 * `quartz/<id>/status`), the temperature series for the chart and how far
 * the node's virtual time lags the wall clock. At the end: exactly which
 * seqs are missing, and why where it is known.
 */
#ifndef FLEET_TRACK_H
#define FLEET_TRACK_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#define TRACK_NO_UPTIME UINT32_MAX
#define TRACK_RATE_WINDOW 128 /* arrivals kept for msgs/min (> 60 at 1 s) */
#define TRACK_MAX_SEQ 10000000u /* a seq beyond this is refused (memory: 4 bytes a seq) */

struct track_point {
    uint32_t at_ms; /* sampled: ms since the fleet started (the node's start + boot + uptime) */
    int32_t t_mc;
};

struct track_node {
    char id[16];
    uint64_t spawn_ms;          /* when its simulator started: virtual 0 */
    const uint64_t *resets_ms;  /* scripted resets (virtual ms), ascending */
    size_t n_resets;
    uint32_t *uptime;           /* by seq: uptime_ms, or TRACK_NO_UPTIME */
    uint32_t cap;
    int64_t max_seq;            /* -1: none yet */
    uint64_t msgs, dups, malformed;
    uint64_t dropped_reported;  /* {"dropped":N} */
    unsigned onlines;           /* `online` status messages: connections */
    bool have_reading, sensor_missing;
    int32_t t_mc, h_dpct;       /* last reading: 0.01 C, 0.1 % */
    int32_t p_pa;
    uint64_t arrivals[TRACK_RATE_WINDOW];
    unsigned n_arrivals;        /* total, the ring index is n % WINDOW */
    uint64_t last_arrival_ms;
    int64_t max_lag_ms;         /* over readings that count (track_env: counts_lag) */
    uint64_t newest_virt_ms;    /* virtual time the newest seq was sampled at (boot + uptime) */
    struct track_point *series;
    size_t n_series, series_cap;
    int buffered;               /* from the console, -1: not known */
};

void track_init(struct track_node *n, const char *id);
void track_free(struct track_node *n);

/*
 * One message on quartz/<id>/env arrived at `now_ms`: 0, or -EINVAL when
 * the payload is not the node's JSON (counted as malformed). `counts_lag`:
 * its lag enters max_lag_ms (false during warm-up and fault windows).
 */
int track_env(struct track_node *n, const char *payload, size_t len, uint64_t now_ms, bool counts_lag);
/* quartz/<id>/status. */
void track_status(struct track_node *n, const char *payload, size_t len);

/* Arrivals within the last 60 s before `now_ms`. */
unsigned track_per_min(const struct track_node *n, uint64_t now_ms);

/* The seqs in 0..max_seq that never arrived. */
uint64_t track_missing(const struct track_node *n);
/*
 * Of those, the ones a reset explains: a single seq missing between two
 * received ones of which the later was sampled in a later boot (its
 * uptime_ms is smaller). docs/sensor-node.md: a reset skips at most one.
 */
uint64_t track_reset_skips(const struct track_node *n);

/* JSON: "missing":[[from,to],...] of the seqs lost (reset skips are listed apart). */
void track_write_missing(const struct track_node *n, FILE *out);

#endif
