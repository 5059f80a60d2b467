/*
 * One quartz-sim board running tests/sim/mqtt-net/client.c with the W5500,
 * 10.0.2.2:1883 forwarded to a loopback port, driven by console lines and
 * checked by the lines it prints. Virtual times in ns.
 */
#ifndef MQTT_NET_SIM_RIG_H
#define MQTT_NET_SIM_RIG_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "quartzsim.h"

#define RIG_MS 1000000ull
#define RIG_S 1000000000ull

struct rig {
    struct qsim *s;
    char forward[64];
    size_t mark; /* console offset: rig_wait and rig_count look from here */
};

/* Create the board with 10.0.2.2:1883 -> 127.0.0.1:`port`, load the image,
 * run it to its DHCP line. 0 or -1 (with a message on stderr). */
int rig_start(struct rig *r, const char *elf, uint16_t port);
void rig_stop(struct rig *r);

/* Send one command line now (the image reads it within 10 ms of virtual time). */
void rig_cmd(struct rig *r, const char *line);
/* Run until a console line starting with `prefix` appears after the mark,
 * at most `max_ns` more of virtual time; the line (without CR LF) into
 * `line` when given. Moves the mark past it. true when it came. Virtual
 * time runs at most 10 times faster than real time meanwhile (sim_rig.c). */
bool rig_wait(struct rig *r, const char *prefix, uint64_t max_ns, char *line, size_t cap);
/* rig_cmd then rig_wait for `prefix` within 1 s: the reply's value after it (-9999 when none). */
int rig_ask(struct rig *r, const char *cmd, const char *prefix);
/* Run `ns` more of virtual time. */
void rig_run(struct rig *r, uint64_t ns);
/* Lines starting with `prefix` from console offset `from` on. */
unsigned rig_count(const struct rig *r, size_t from, const char *prefix);
size_t rig_console_len(const struct rig *r);
/* Print the console from `from` on (for a failing test). */
void rig_dump(const struct rig *r, size_t from);
/* Lines of `path` containing both `a` and `b` (b may be NULL). */
unsigned rig_count_in_file(const char *path, const char *a, const char *b);

#endif
