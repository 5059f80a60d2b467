/*
 * quartz-sim's GDB server (docs/debugging.md): `--gdb PORT` serves the GDB
 * remote serial protocol on 127.0.0.1 for the simulated Cortex-M4.
 */
#ifndef QSIM_FRONTEND_GDB_H
#define QSIM_FRONTEND_GDB_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "quartzsim.h"

struct gdb_config {
    int port;          /* 0: any free port (printed on stderr) */
    bool wait;         /* hold the CPU at reset until GDB attaches */
    uint64_t until_ns; /* end of the run; 0: none */
    int bound_port;    /* out: the port listened on, set before the first accept */
};

/*
 * Serve until GDB kills the target, or until `until_ns` is reached. Returns
 * 0, -EFAULT when the firmware locked up with no debugger attached, or
 * -errno when the socket cannot be set up.
 */
int gdb_serve(struct qsim *s, struct gdb_config *c);

/*
 * The server in steps, for a front end with its own loop (the terminal
 * board, tui.c). gdb_server_poll serves the socket for up to `timeout_ms`
 * (-1: until something arrives while halted): accepts a client (which
 * halts the target), answers packets, takes Ctrl-C. gdb_server_run runs
 * the target up to `until_ns` unless GDB holds it, with `stop` checked as
 * qsim_run_until does, and tells GDB where it stopped. Returns 0, 1 when
 * `stop` (or a debugger stop) ended the run early, -EFAULT on a lock-up.
 */
struct gdb_server;
enum gdb_state { GDB_RUNNING, GDB_HALTED, GDB_KILLED };
int gdb_server_open(struct gdb_server **out, struct qsim *s, struct gdb_config *c);
enum gdb_state gdb_server_poll(struct gdb_server *v, int timeout_ms);
int gdb_server_run(struct gdb_server *v, uint64_t until_ns, qsim_stop_fn stop, void *ctx);
bool gdb_server_ended(const struct gdb_server *v);
int gdb_server_fd(const struct gdb_server *v); /* to wait on: the client, or the listening socket */ /* killed, or the configured end reached */
void gdb_server_close(struct gdb_server *v);

/* One debugging session's target state (gdb_target.c). */
struct gdb_target {
    struct qsim *s;
    int signal;          /* of the last stop, for '?' */
    bool fault_entered;  /* a fault handler was entered (exception hook) */
    int fault_exc;
};

enum gdb_action {
    GDB_REPLY,    /* send `reply` */
    GDB_CONTINUE, /* resume; the stop reply comes when it halts */
    GDB_STEP,     /* one instruction, then the stop reply */
    GDB_DETACH,   /* send `reply`, then let the firmware run on */
    GDB_KILL,     /* end the simulation, no reply */
};

/* Handle one packet payload; the reply (NUL-terminated) goes into `reply`,
 * which holds at least GDB_PACKET_MAX + 1 bytes. */
enum gdb_action gdb_target_handle(struct gdb_target *t, const char *pkt, size_t len, char *reply);
/* The stop reply for signal `sig` ("T05" and so on). */
void gdb_target_stop_reply(const struct gdb_target *t, char *reply);

#endif
