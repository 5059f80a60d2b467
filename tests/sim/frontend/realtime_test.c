/*
 * quartz-sim --realtime (sim/frontend/realtime.c): the pacing arithmetic,
 * then the program on the env-monitor image (one CSV line per second of
 * virtual time): no line comes before its virtual time in real time, the
 * lines come while the run goes on (not at its end), and SIGTERM ends a
 * run at once with its outputs written.
 * Usage: realtime_test [QUARTZ_SIM ENV_MONITOR.elf] (without them, only the arithmetic).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <spawn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "realtime.h"

extern char **environ;
static const char *program, *image;

static uint64_t wall_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (uint64_t)ts.tv_sec * 1000u + (uint64_t)ts.tv_nsec / 1000000u;
}

static void test_target(void **state)
{
    (void)state;
    assert_int_equal(realtime_target(1000, 0, 1000, 5000), 0);
    assert_int_equal(realtime_target(1000, 0, 1700, 5000), 700);
    assert_int_equal(realtime_target(1000, 300, 1700, 5000), 1000);
    assert_int_equal(realtime_target(1000, 300, 9000, 5000), 5000);     /* never past the end */
    assert_int_equal(realtime_target(1000, 300, 900, 5000), 300);       /* a clock before the start: no step back */
    assert_int_equal(realtime_target(0, UINT64_MAX - 5, UINT64_MAX, UINT64_MAX), UINT64_MAX); /* no wrap */
}

/* Spawns quartz-sim with stdout on a pipe; returns the read end. */
static int spawn(pid_t *pid, char *const argv[])
{
    int fds[2];
    assert_int_equal(pipe(fds), 0);
    posix_spawn_file_actions_t fa;
    posix_spawn_file_actions_init(&fa);
    posix_spawn_file_actions_addopen(&fa, 0, "/dev/null", O_RDONLY, 0);
    posix_spawn_file_actions_adddup2(&fa, fds[1], 1);
    posix_spawn_file_actions_addclose(&fa, fds[0]);
    assert_int_equal(posix_spawn(pid, program, &fa, NULL, argv, environ), 0);
    posix_spawn_file_actions_destroy(&fa);
    close(fds[1]);
    return fds[0];
}

/* Reads one line within `timeout_ms`; false at the end or on timeout. */
static bool read_line(int fd, char *line, size_t cap, uint64_t timeout_ms)
{
    size_t n = 0;
    uint64_t end = wall_ms() + timeout_ms;
    while (n + 1 < cap) {
        struct pollfd p = { fd, POLLIN, 0 };
        uint64_t now = wall_ms();
        if (now >= end || poll(&p, 1, (int)(end - now)) != 1)
            return false;
        if (read(fd, &line[n], 1) != 1)
            return false;
        if (line[n] == '\n') {
            line[n] = '\0';
            return true;
        }
        n++;
    }
    return false;
}

static void test_paced_and_live(void **state)
{
    (void)state;
    if (!program)
        skip();
    char *argv[] = { (char *)program, "--realtime", "--until", "4s", (char *)image, NULL };
    pid_t pid;
    uint64_t start = wall_ms();
    int fd = spawn(&pid, argv);
    char line[256];
    int samples = 0;
    while (read_line(fd, line, sizeof line, 6000)) {
        unsigned long uptime;
        if (sscanf(line, "%lu,", &uptime) != 1)
            continue; /* the header */
        uint64_t at = wall_ms() - start;
        /* Never ahead of real time; and the line is passed on within a few slices of its virtual time
         * (a run that held the console to its end would print every line at 4 s; 2.5 s allows for a loaded machine). */
        if (at < uptime || at > uptime + 2500)
            fail_msg("sample at %lu ms virtual came %llu ms after the start", uptime, (unsigned long long)at);
        samples++;
    }
    int status;
    assert_int_equal(waitpid(pid, &status, 0), pid);
    assert_true(WIFEXITED(status) && WEXITSTATUS(status) == 0);
    assert_true(wall_ms() - start >= 4000);
    assert_int_equal(samples, 4); /* 40, 1040, 2040, 3040 ms */
    close(fd);
}

static void test_sigterm_ends_the_run(void **state)
{
    (void)state;
    if (!program)
        skip();
    char report[] = "/tmp/qsim-realtime-XXXXXX";
    int rfd = mkstemp(report);
    assert_true(rfd >= 0);
    close(rfd);
    char *argv[] = { (char *)program, "--realtime", "--until", "600s", "--report", report, (char *)image, NULL };
    pid_t pid;
    int fd = spawn(&pid, argv);
    char line[256];
    assert_true(read_line(fd, line, sizeof line, 5000)); /* the header: the run is going */
    uint64_t sent = wall_ms();
    assert_int_equal(kill(pid, SIGTERM), 0);
    int status;
    assert_int_equal(waitpid(pid, &status, 0), pid);
    assert_true(wall_ms() - sent < 5000); /* at once: not the 600 s */
    assert_true(WIFEXITED(status) && WEXITSTATUS(status) == 0);
    FILE *f = fopen(report, "r");
    assert_non_null(f);
    char text[4096] = "";
    size_t n = fread(text, 1, sizeof text - 1, f);
    fclose(f);
    unlink(report);
    text[n] = '\0';
    const char *v = strstr(text, "\"virtual_ms\":");
    assert_non_null(v);
    double ms = strtod(v + strlen("\"virtual_ms\":"), NULL);
    assert_true(ms > 0 && ms < 5000); /* ended where it was, not at 600 s */
    close(fd);
}

int main(int argc, char **argv)
{
    if (argc == 3) {
        program = argv[1];
        image = argv[2];
    }
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_target),
        cmocka_unit_test(test_paced_and_live),
        cmocka_unit_test(test_sigterm_ends_the_run),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
