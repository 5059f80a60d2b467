/*
 * quartz-sim --realtime: a headless run paced to the wall clock, for
 * fleets of simulated nodes against real servers (tools/fleet). Virtual
 * time never runs ahead of the real time elapsed since the process
 * started; when the host is too slow it falls behind and catches up as
 * fast as it can. That includes the start: the time taken to load the
 * image and make the board (a second or more when a fleet starts a
 * hundred processes at once on two cores) is caught up, not carried as a
 * lag for the whole run. The console is written as it comes, not at the
 * end.
 */
#ifndef QSIM_FRONTEND_REALTIME_H
#define QSIM_FRONTEND_REALTIME_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "quartzsim.h"

/* How often the run looks at the wall clock: the most virtual time lags
 * real time on an idle host, and the console's latency. */
#define REALTIME_SLICE_NS 50000000ull /* 50 ms */

/*
 * The virtual time a run paced from (wall0, virtual0) may reach at wall
 * time `wall`: virtual0 + (wall - wall0), never past `until`.
 */
uint64_t realtime_target(uint64_t wall0, uint64_t virtual0, uint64_t wall, uint64_t until);

/* CLOCK_MONOTONIC in ns: main takes it first thing, as the run's start. */
uint64_t realtime_clock_ns(void);

/*
 * Run `s` to `until_ns` paced to CLOCK_MONOTONIC from `started_ns` (a
 * realtime_clock_ns reading, when virtual time was 0). New console bytes go to
 * `console` (may be NULL) after every slice, flushed; *console_done counts
 * the bytes written. SIGINT and SIGTERM end the run early, at the virtual
 * time reached (the caller then writes its outputs as for any end).
 * Returns what qsim_run_until returned last (0, or -EFAULT on a lock-up),
 * or -EIO when the console could not be written.
 */
int realtime_run(struct qsim *s, uint64_t started_ns, uint64_t until_ns, FILE *console, size_t *console_done);

#endif
