/*
 * The processes tools/fleet runs: a private mosquitto, the subscriber
 * (mosquitto_sub), one-shot mosquitto_pub, and the nodes (quartz-sim
 * --realtime). Every child gets PR_SET_PDEATHSIG, so none outlives the
 * fleet, however it ends.
 */
#ifndef FLEET_PROCS_H
#define FLEET_PROCS_H

#include <stdbool.h>
#include <stdint.h>
#include <sys/types.h>

/* fork + exec `argv` with stdin /dev/null, stdout to `out_fd` (or a new
 * pipe whose read end goes to *pipe_rd when out_fd is -1 and pipe_rd is
 * given; else /dev/null) and stderr to `err_path` (appended; NULL:
 * /dev/null). The pid or -1. */
pid_t procs_spawn(char *const argv[], int out_fd, int *pipe_rd, const char *err_path);

/* SIGTERM, then SIGKILL after `grace_ms`; reaps. The exit status (as
 * waitpid), or -1. */
int procs_stop(pid_t pid, unsigned grace_ms);

/* A TCP port on 127.0.0.1 free now, or -1. */
int procs_free_port(void);
/* A TCP connect to HOST:PORT succeeds now. */
bool procs_accepts(const char *host, unsigned port);

struct broker {
    char dir[256];
    char conf[300], log[300];
    unsigned port;
    pid_t pid;
};

/* A private mosquitto in `dir` (created) on a free loopback port:
 * anonymous, persistence (saved when it stops), no queue limit for the
 * subscriber's session, $SYS every second. 0 or -1 (message on stderr). */
int broker_create(struct broker *b, const char *dir);
int broker_start(struct broker *b);
/* SIGTERM (mosquitto saves its database) and wait. */
int broker_stop(struct broker *b);

void procs_sleep_ms(unsigned ms);
uint64_t procs_now_ms(void); /* CLOCK_MONOTONIC */

#endif
