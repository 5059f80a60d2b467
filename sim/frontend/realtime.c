/*
 * quartz-sim --realtime, see realtime.h. Each slice: read CLOCK_MONOTONIC,
 * run the board to the virtual time that matches it, pass on the console,
 * sleep to the next slice. A board reset does not restart the virtual
 * clock (quartzsim.h), so the pacing needs no rebasing.
 */
#include "realtime.h"

#include <errno.h>
#include <signal.h>
#include <string.h>
#include <time.h>

static volatile sig_atomic_t realtime_stop;

static void realtime_on_signal(int sig)
{
    (void)sig;
    realtime_stop = 1;
}

uint64_t realtime_clock_ns(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (uint64_t)ts.tv_sec * 1000000000ull + (uint64_t)ts.tv_nsec;
}

uint64_t realtime_target(uint64_t wall0, uint64_t virtual0, uint64_t wall, uint64_t until)
{
    uint64_t elapsed = wall > wall0 ? wall - wall0 : 0;
    if (elapsed > until || virtual0 > until - elapsed)
        return until;
    return virtual0 + elapsed;
}

static int realtime_console(const struct qsim *s, FILE *console, size_t *done)
{
    size_t len = 0;
    const char *text = qsim_console(s, &len);
    if (!console || len <= *done)
        return 0;
    size_t n = len - *done;
    if (fwrite(text + *done, 1, n, console) != n || fflush(console) != 0)
        return -EIO;
    *done = len;
    return 0;
}

int realtime_run(struct qsim *s, uint64_t started_ns, uint64_t until_ns, FILE *console, size_t *console_done)
{
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_handler = realtime_on_signal;
    sigemptyset(&sa.sa_mask);
    sigaction(SIGINT, &sa, NULL);
    sigaction(SIGTERM, &sa, NULL);

    uint64_t wall0 = started_ns, virtual0 = 0;
    uint64_t next = realtime_clock_ns();
    int rc = 0;
    while (!realtime_stop) {
        uint64_t target = realtime_target(wall0, virtual0, realtime_clock_ns(), until_ns);
        if (target > qsim_time_ns(s)) {
            rc = qsim_run_until(s, target, NULL, NULL);
            if (rc < 0)
                break;
        }
        if (realtime_console(s, console, console_done) != 0)
            return -EIO;
        if (qsim_time_ns(s) >= until_ns)
            break;
        /* Absolute deadlines: the slices do not drift by the work done in them. */
        next += REALTIME_SLICE_NS;
        uint64_t now = realtime_clock_ns();
        if (next < now)
            next = now; /* behind: run on at once, do not make up for sleeps missed */
        struct timespec ts = { (time_t)(next / 1000000000ull), (long)(next % 1000000000ull) };
        while (!realtime_stop && clock_nanosleep(CLOCK_MONOTONIC, TIMER_ABSTIME, &ts, NULL) == EINTR) {
        }
    }
    if (realtime_console(s, console, console_done) != 0)
        return -EIO;
    return rc;
}
