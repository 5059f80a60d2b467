/*
 * One apps/sensor-node board on quartz-sim against a real mosquitto
 * (tests/host/mqtt/broker.c), watched from three sides: the broker (a
 * mosquitto_sub on quartz/<id>/#, a persistent session so that it misses
 * nothing across a broker restart), the console (tests/sim/mqtt-net's
 * rig: rig_wait, rig_count) and the sim report. Virtual times in ns.
 */
#ifndef SENSOR_NODE_RIG_H
#define SENSOR_NODE_RIG_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#include "sim_rig.h"

#define NODE_MSG_MAX 4096u

/* One message the subscriber saw. */
struct node_msg {
    char topic[16];       /* after "quartz/<id>/": "env", "status", ... */
    char payload[600];    /* NUL-terminated (payloads are text; longer ones are cut) */
    size_t len;           /* the payload's real length */
    bool retained;
    unsigned qos;
    uint64_t seen_ns;     /* the board's virtual time when the rig read it */
};

struct node {
    struct rig r;         /* the board and its console mark (sim_rig.h) */
    char id[16];          /* quartz-xxxxxx, from the UID (docs/sensor-node.md) */
    uint8_t uid[12];
    pid_t sub_pid;        /* mosquitto_sub on quartz/<id>/# */
    char sub_path[300];
    long sub_read;        /* bytes of its output parsed */
    struct node_msg *msg; /* NODE_MSG_MAX, in arrival order */
    unsigned n_msg;
    uint64_t pace_v0, pace_r0, pace_end; /* node_real_time: virtual and real ns at its start, its end */
};

/* The group's broker: broker_setup/broker_teardown of tests/host/mqtt. */
int node_group_setup(void **state);
int node_group_teardown(void **state);

/*
 * A board with the W5500, 10.0.2.2:1883 forwarded to the broker, UID bytes
 * derived from `uid_seed` (every test its own node id, so retained
 * messages of one test never meet another), the air at 21.50 C, 1013.25
 * hPa, 45.0 %RH and the die at 35.5 C; the subscriber started and known
 * to be subscribed; the image loaded but not run. 0 or -1.
 */
int node_create(struct node *n, const char *elf, unsigned uid_seed, const struct qsim_options *extra);
void node_destroy(struct node *n);
/* The board alone goes away (its host sockets close without a DISCONNECT); the subscriber stays. */
void node_kill_board(struct node *n);

/* A new subscriber in the same session, after a broker restart
 * (mosquitto_sub 2.0.11 gives up when its reconnection is refused);
 * what the session queued meanwhile comes to it. 0 or -1. */
int node_sub_restart(struct node *n);

/* The node id of a UID: "quartz-" + low 24 bits of FNV-1a 32 of the 12 bytes. */
void node_id_of(const uint8_t uid[12], char id[16]);

/* Read what the subscriber printed since the last call. */
void node_poll(struct node *n);
/* Poll until the subscriber printed nothing new for 300 ms of real time (3 s at most). */
void node_settle(struct node *n);
/* Run `ns` of virtual time, polling the subscriber every 10 ms of it. */
void node_run(struct node *n, uint64_t ns);
/*
 * For the next `ns` of virtual time, node_run and the waits keep virtual
 * time from running ahead of real time (otherwise they run as fast as the
 * host allows). A broker's answers come in real time: unpaced, a PUBACK
 * mosquitto sends 50 ms after the first one lands seconds of virtual time
 * later, which no board on a wire sees (quartz-sim holds virtual time
 * only until the first bytes of an answer, docs/simulator.md).
 */
void node_real_time(struct node *n, uint64_t ns);
/* Run until a message on `topic` (and containing `needle`, when given)
 * arrives at index >= `from`, at most `max_ns` of virtual time; its index or -1. */
int node_wait_msg(struct node *n, const char *topic, const char *needle, unsigned from, uint64_t max_ns);
/* Run until the node's status says online (message index >= from, 30 s of
 * virtual time at most): its index, or -1 with the messages and console on stderr. */
int node_online(struct node *n, unsigned from);
/* Messages on `topic` at index >= from (containing `needle` when given). */
unsigned node_count(const struct node *n, const char *topic, const char *needle, unsigned from);
/* The messages seen, for a failing test. */
void node_dump(const struct node *n, unsigned from);

/* mosquitto_pub to quartz/<id>/<topic> at QoS 1 (`len` bytes of `payload`). 0 or -1. */
int node_publish(struct node *n, const char *topic, const char *payload, size_t len);
/* A fresh mosquitto_sub that takes the retained message of quartz/<id>/<topic>:
 * "1 <payload>" (the retain flag and the payload) into `out`, "" when none came in 3 s. */
void node_retained(struct node *n, const char *topic, char *out, size_t cap);

/* The board's report as text (a static buffer). */
const char *node_report(const struct node *n);

#endif
