/*
 * A real mosquitto for the broker test: started on a free loopback port
 * with a generated configuration (password file, persistence) in a fresh
 * folder, stopped and started again at will, and mosquitto_sub /
 * mosquitto_pub run against it. Every child gets PR_SET_PDEATHSIG, so no
 * broker outlives the test, however the test ends.
 */
#ifndef MQTT_BROKER_H
#define MQTT_BROKER_H

#include <stddef.h>
#include <stdint.h>

#define BROKER_USER "quartz"
#define BROKER_PASSWORD "secret"

/* Create the folder, password file and configuration; start the broker.
 * 0, or -1 with a message on stderr. */
int broker_setup(void);
/* The same, and clients without a user name are let in too (mosquitto
 * still checks the password of a client that gives a user name). */
int broker_setup_anonymous(void);
/* Stop the broker (SIGTERM: it saves its persistence file) and remove the folder. */
void broker_teardown(void);
/* Stop (SIGTERM, then SIGKILL after 5 s) and start again on the same port. */
int broker_stop(void);
/* SIGKILL: the broker dies without a word to its clients or its disk. */
int broker_kill(void);
int broker_start(void);
uint16_t broker_port(void);
/* The broker's log (log_type all): connections, PINGREQs, refusals. */
const char *broker_log_path(void);

/*
 * Run a mosquitto client program (argv[0] "mosquitto_sub" or
 * "mosquitto_pub"; -h/-p/-u/-P are added) to its end or `timeout_s`;
 * its standard output is kept in `out` (NUL-terminated, may be NULL).
 * Returns its exit status, or -1.
 */
int broker_run_client(const char *const *args, unsigned timeout_s, char *out, size_t cap);

#endif
