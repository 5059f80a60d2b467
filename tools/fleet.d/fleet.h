/*
 * tools/fleet: N simulated sensor nodes (quartz-sim --realtime, one
 * process each) against one MQTT broker, a live table, fault scripts, and
 * a summary that checks every seq arrived (docs/sensor-node.md, "Running
 * a fleet").
 */
#ifndef FLEET_H
#define FLEET_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#include "procs.h"
#include "scenario.h"
#include "track.h"

#define FLEET_MAX_NODES 2000

struct fleet_node {
    struct track_node t;
    uint8_t uid[12];
    char uid_hex[25];
    pid_t pid;
    int console_fd;        /* -1: closed */
    char line[160];        /* the console line being read */
    size_t line_len;
    FILE *log;             /* the console, kept */
    int exit_status;       /* after the end; -1 unknown */
    uint64_t resets_ms[SCENARIO_MAX_EVENTS];
    uint64_t fault_end_ms; /* the end of the last fault that hits it (virtual ms), 0: none */
};

struct fleet_options {
    unsigned nodes;
    const char *broker; /* HOST:PORT, NULL: a private mosquitto */
    uint64_t duration_ms;
    const char *scenario_path;
    const char *sim, *elf, *out_dir;
    unsigned interval_s;
    uint64_t warmup_ms, drain_ms;
    uint64_t stagger_ms; /* wall time between two nodes' starts */
    bool table;         /* the live table (a terminal); else a line every 10 s */
};

/* The command line (options.c): 0, or -1 with a message on stderr (exit 2); --help exits 0. */
int fleet_parse_options(struct fleet_options *o, int argc, char **argv);
/* "IPV4:PORT" as quartz-sim's --net-forward takes it: 0 or -1. */
int fleet_split_broker(const char *text, char *host, size_t cap, unsigned *port);
/* DIR/env/<id>.csv: node `node`'s seeded weather for `span_ms` (--env-csv rows every 10 s). 0 or -1. */
int fleet_write_weather(const char *path, unsigned node, uint64_t span_ms);

/* The node ids: "quartz-" + FNV-1a of the UID; UIDs are made until no two ids clash. */
int fleet_make_uids(struct fleet_node *nodes, unsigned n);

#endif
