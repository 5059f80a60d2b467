/*
 * Fault scripts for tools/fleet (--scenario FILE): what hits the fleet and
 * when, in a small strict line format (docs/sensor-node.md, "Running a
 * fleet"). One event a line, `#` starts a comment, blank lines are allowed:
 *
 *   at 20s broker-restart down=5s     broker stopped at 20 s, started 5 s later
 *   at 40s link-down nodes=30% for=20s   the cable of 30 % of the nodes pulled for 20 s
 *   at 70s reset nodes=2              NRST of 2 nodes
 *
 * TIME as quartz-sim takes it (250ms, 2.5s). `nodes=` is a share (1..100 %)
 * or a count (1..), `down=` and `for=` are more than 0; every key once,
 * none missing. Which nodes a share means is fixed (scenario_picks), so a
 * run is decided entirely at launch.
 */
#ifndef FLEET_SCENARIO_H
#define FLEET_SCENARIO_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define SCENARIO_MAX_EVENTS 256
#define SCENARIO_MAX_LINE 200   /* characters, without the newline */
#define SCENARIO_MAX_BYTES 65536

enum scenario_kind { SCENARIO_BROKER_RESTART, SCENARIO_LINK_DOWN, SCENARIO_RESET };

struct scenario_event {
    enum scenario_kind kind;
    uint64_t at_ns;
    uint64_t duration_ns; /* broker-restart: down; link-down: for; reset: 0 */
    bool percent;         /* nodes= a share (`count` in percent) or a count */
    unsigned count;       /* link-down, reset */
    unsigned line;        /* in the file, for messages */
};

struct scenario {
    struct scenario_event ev[SCENARIO_MAX_EVENTS];
    size_t n;
};

/*
 * Parse `len` bytes of text. 0, or -EINVAL with "line N: what is wrong"
 * in `err` (and `s` holding nothing useful).
 */
int scenario_parse(struct scenario *s, const char *text, size_t len, char *err, size_t errlen);

/* Read and parse a file: 0 or -errno with "FILE: ..." in `err`. */
int scenario_load(struct scenario *s, const char *path, char *err, size_t errlen);

/*
 * The script against a run of `nodes` nodes lasting `duration_ns`: every
 * event (and a link's return, a broker's restart) within the run, a count
 * not above the fleet. 0 or -EINVAL with the message.
 */
int scenario_check(const struct scenario *s, unsigned nodes, uint64_t duration_ns, char *err, size_t errlen);

/* Whether node `i` of `nodes` is hit by event `e`: a count picks nodes
 * 0..count-1, a share p picks the nodes where floor((i+1)p/100) steps, so
 * spread evenly over the fleet (30 % of nodes 0..9: 3, 6 and 9). */
bool scenario_picks(const struct scenario_event *e, unsigned i, unsigned nodes);

/* One event as a line of the format (no newline): what parses back to it. */
int scenario_format(const struct scenario_event *e, char *out, size_t cap);

#endif
