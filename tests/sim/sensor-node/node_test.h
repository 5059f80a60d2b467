/*
 * What the sensor-node scenarios share: the board of the current test,
 * its teardown, the env readings of a stretch of messages, and a cmocka
 * main that runs the one scenario named on the command line (each is its
 * own CTest, so the long ones can carry the soak label).
 */
#ifndef SENSOR_NODE_TEST_H
#define SENSOR_NODE_TEST_H

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
/* cmocka needs the above first */
#include <cmocka.h>

#include "env_payload.h"
#include "node_rig.h"

#define NODE_INTERVAL_DEFAULT_S 10 /* docs/sensor-node.md: interval_s from board data */

extern const char *node_elf;
extern struct node node; /* the board of the current test */

int node_teardown(void **state);
/* Fail the test with the messages and the console on stderr. */
void node_fail_unless(bool ok, const char *what, unsigned from);
#define NODE_CHECK(cond, from) node_fail_unless((cond), #cond, (from))

/* The env readings (not dropped reports) at message index >= from, each
 * checked against the doc (a payload that breaks it fails the test); how many. */
unsigned node_readings(unsigned from, struct env_reading *out, unsigned max);
/* Create the board (uid_seed as node_create) and run it until it is online: the status message's index. */
unsigned node_up(unsigned uid_seed, const struct qsim_options *extra);
/* Send a command on quartz/<id>/cmd and run until an error message comes
 * (true) or 3 s of virtual time pass (false). */
bool node_cmd_refused(const char *cmd, size_t len);

/* Occurrences of `needle` in the console from offset `from` on (the
 * node's log lines may follow its shell prompt on one line). */
unsigned node_console_count(size_t from, const char *needle);

/* main for one file of scenarios: argv[1] the image, argv[2] a scenario name (all when absent). */
int node_main(int argc, char **argv, const char *group, const struct CMUnitTest *tests, size_t n);

#endif
