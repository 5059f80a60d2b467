/* tools/fleet's outputs: the live table, the summary JSON and the chart. */
#ifndef FLEET_REPORT_H
#define FLEET_REPORT_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

#include "fleet.h"

struct report_totals {
    /* The broker's own counters ($SYS/broker/...), -1 until heard. */
    long long sys_received, sys_sent, sys_clients;
    bool sys_seen;
    uint64_t foreign;           /* messages of ids not in the fleet */
    unsigned broker_restarts, broker_start_failures;
    bool drained;
    uint64_t end_ms;
};

/* One $SYS/broker/ topic (without that prefix) and its payload. */
void report_sys(struct report_totals *t, const char *topic, const char *payload);

/* The table (a terminal: redrawn in place, as many rows as fit) or one line (not a terminal). */
void report_table(FILE *out, const struct fleet_node *nodes, unsigned n, const struct report_totals *t,
                  uint64_t elapsed_ms, bool draining, bool table);

/* DIR/summary.json and DIR/temperature.png, and a few lines on stdout.
 * true when something was lost (or cannot be checked). */
bool report_summary(const struct fleet_options *o, const struct scenario *sc, const struct fleet_node *nodes,
                    const struct report_totals *t, const char *host, unsigned port, bool private_broker);

#endif
