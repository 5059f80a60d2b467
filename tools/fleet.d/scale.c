/*
 * fleet-scale: the measurement behind tools/fleet's choice of one
 * quartz-sim process per node over several boards in one process
 * (docs/sensor-node.md, "Running a fleet"). Runs K sensor nodes paced to
 * real time against a broker on 127.0.0.1:PORT for S seconds, either as K
 * `quartz-sim --realtime` processes or as K boards of libquartzsim in one
 * process (qsim_create per board, T threads, each pacing its boards in
 * 50 ms slices as quartz-sim --realtime does), and prints the CPU time
 * used per node and second of real time, and (threads) the worst lag of a
 * board's virtual time behind the wall clock.
 * usage: fleet-scale procs|threads SIM ELF K SECONDS PORT [THREADS]
 *        fleet-scale ids K (the node ids, one a line), fleet-scale port (a free loopback port)
 * (the retained {"interval_s":1} commands are the caller's: tools/bench.d/fleet.sh)
 */
#define _GNU_SOURCE
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "fleet.h"
#include "quartzsim.h"

#define SLICE_NS 50000000ull /* REALTIME_SLICE_NS of sim/frontend/realtime.h */

static const char *elf;
static unsigned k_nodes, threads;
static uint64_t seconds;
static char forward[64];
static struct fleet_node *nodes;
static struct qsim **boards;
static uint64_t worst_lag_ns;
static pthread_mutex_t lag_lock = PTHREAD_MUTEX_INITIALIZER;

static uint64_t wall_ns(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (uint64_t)ts.tv_sec * 1000000000ull + (uint64_t)ts.tv_nsec;
}

static void *pace(void *arg)
{
    unsigned t = (unsigned)(uintptr_t)arg;
    uint64_t w0 = wall_ns(), end = seconds * 1000000000ull, worst = 0, next = w0;
    for (;;) {
        bool done = true;
        for (unsigned i = t; i < k_nodes; i += threads) {
            uint64_t elapsed = wall_ns() - w0;
            uint64_t v = qsim_time_ns(boards[i]);
            if (elapsed > v && elapsed - v > worst && v > 0)
                worst = elapsed - v;
            uint64_t target = elapsed < end ? elapsed : end;
            if (target > v)
                qsim_run_until(boards[i], target, NULL, NULL);
            done &= qsim_time_ns(boards[i]) >= end;
        }
        if (done)
            break;
        next += SLICE_NS;
        uint64_t now = wall_ns();
        if (next < now)
            next = now;
        struct timespec ts = { (time_t)(next / 1000000000ull), (long)(next % 1000000000ull) };
        clock_nanosleep(CLOCK_MONOTONIC, TIMER_ABSTIME, &ts, NULL);
    }
    pthread_mutex_lock(&lag_lock);
    if (worst > worst_lag_ns)
        worst_lag_ns = worst;
    pthread_mutex_unlock(&lag_lock);
    return NULL;
}

static int run_threads(void)
{
    boards = calloc(k_nodes, sizeof *boards);
    const char *fwd[] = { forward };
    for (unsigned i = 0; i < k_nodes; i++) {
        struct qsim_options o = { .uid_given = true, .w5500 = true, .net_forwards = fwd, .n_net_forwards = 1 };
        memcpy(o.uid, nodes[i].uid, sizeof o.uid);
        char err[256] = "";
        if (!(boards[i] = qsim_create(&o)) || qsim_load_elf(boards[i], elf, err, sizeof err) != 0 ||
            qsim_env_noise(boards[i], i + 1) != 0) {
            fprintf(stderr, "fleet-scale: board %u: %s\n", i, err);
            return -1;
        }
    }
    pthread_t tid[64];
    for (unsigned t = 0; t < threads; t++)
        pthread_create(&tid[t], NULL, pace, (void *)(uintptr_t)t);
    for (unsigned t = 0; t < threads; t++)
        pthread_join(tid[t], NULL);
    for (unsigned i = 0; i < k_nodes; i++)
        qsim_destroy(boards[i]);
    return 0;
}

static int run_procs(const char *sim)
{
    char until[32];
    snprintf(until, sizeof until, "%llus", (unsigned long long)seconds);
    pid_t *pid = calloc(k_nodes, sizeof *pid);
    for (unsigned i = 0; i < k_nodes; i++) {
        char seed[16];
        snprintf(seed, sizeof seed, "%u", i + 1);
        char *argv[] = { (char *)sim, "--realtime", "--until", until, "--uid", nodes[i].uid_hex, "--net-forward",
                         forward, "--env-noise", seed, "--console", "/dev/null", (char *)elf, NULL };
        pid[i] = procs_spawn(argv, -1, NULL, NULL);
    }
    int bad = 0;
    for (unsigned i = 0; i < k_nodes; i++) {
        int status;
        bad += waitpid(pid[i], &status, 0) != pid[i] || !WIFEXITED(status) || WEXITSTATUS(status) != 0;
    }
    free(pid);
    return bad ? -1 : 0;
}

int main(int argc, char **argv)
{
    if (argc == 2 && strcmp(argv[1], "port") == 0) { /* a free loopback port, for the caller's broker */
        printf("%d\n", procs_free_port());
        return 0;
    }
    if (argc == 3 && strcmp(argv[1], "ids") == 0) { /* the node ids of a fleet of K, one a line */
        unsigned k = (unsigned)atoi(argv[2]);
        if (k < 1 || k > FLEET_MAX_NODES || !(nodes = calloc(k, sizeof *nodes)) || fleet_make_uids(nodes, k) != 0)
            return 2;
        for (unsigned i = 0; i < k; i++)
            printf("%s\n", nodes[i].t.id);
        return 0;
    }
    if (argc < 7) {
        fprintf(stderr, "usage: fleet-scale procs|threads SIM ELF K SECONDS PORT [THREADS]\n");
        return 2;
    }
    elf = argv[3];
    k_nodes = (unsigned)atoi(argv[4]);
    seconds = (uint64_t)atoi(argv[5]);
    threads = argc > 7 ? (unsigned)atoi(argv[7]) : 2;
    snprintf(forward, sizeof forward, "10.0.2.2:1883=127.0.0.1:%s", argv[6]);
    if (k_nodes < 1 || k_nodes > FLEET_MAX_NODES || seconds < 1 || threads < 1 || threads > 64)
        return 2;
    nodes = calloc(k_nodes, sizeof *nodes);
    if (fleet_make_uids(nodes, k_nodes) != 0)
        return 2;
    bool procs = strcmp(argv[1], "procs") == 0;
    uint64_t w0 = wall_ns();
    int rc = procs ? run_procs(argv[2]) : run_threads();
    double wall = (double)(wall_ns() - w0) / 1e9;
    struct rusage ru;
    getrusage(procs ? RUSAGE_CHILDREN : RUSAGE_SELF, &ru);
    double cpu = (double)ru.ru_utime.tv_sec + ru.ru_utime.tv_usec / 1e6 + (double)ru.ru_stime.tv_sec +
                 ru.ru_stime.tv_usec / 1e6;
    printf("%s nodes %u wall_s %.1f cpu_s %.2f cpu_ms_per_node_s %.2f max_rss_kb %ld", procs ? "procs" : "threads",
           k_nodes, wall, cpu, cpu * 1000.0 / (k_nodes * wall), ru.ru_maxrss);
    if (!procs)
        printf(" worst_lag_ms %.1f", (double)worst_lag_ns / 1e6);
    printf("\n");
    return rc ? 1 : 0;
}
