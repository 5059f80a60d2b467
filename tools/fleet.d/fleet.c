/*
 * tools/fleet: the program behind the script (fleet.h). Usage: `fleet
 * --help`. One thread: a poll(2) loop over the subscriber's output and the
 * nodes' consoles, the fault script by the wall clock, the table every
 * second.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "fleet.h"
#include "quartzsim.h"
#include "report.h"

static volatile sig_atomic_t interrupted;

static void on_signal(int sig)
{
    (void)sig;
    interrupted = 1;
}

struct run {
    struct fleet_options o;
    struct scenario sc;
    struct fleet_node *nodes;
    size_t *order; /* node indices sorted by id, for lookups */
    char host[64];
    unsigned port;
    struct broker broker;
    bool private_broker;
    pid_t sub_pid;
    int sub_fd;
    char sub_buf[65536];
    size_t sub_len;
    uint64_t t0;           /* wall ms: the first node started */
    struct report_totals totals;
    bool probe_seen;
};

static int cmp_id(const void *a, const void *b, void *ctx)
{
    const struct fleet_node *n = ctx;
    return strcmp(n[*(const size_t *)a].t.id, n[*(const size_t *)b].t.id);
}

static struct fleet_node *find(struct run *r, const char *id, size_t len)
{
    size_t lo = 0, hi = r->o.nodes;
    while (lo < hi) {
        size_t mid = (lo + hi) / 2;
        const char *m = r->nodes[r->order[mid]].t.id;
        int c = strncmp(m, id, len);
        if (c == 0 && m[len] != '\0')
            c = 1;
        if (c == 0)
            return &r->nodes[r->order[mid]];
        if (c < 0)
            lo = mid + 1;
        else
            hi = mid;
    }
    return NULL;
}

/* Whether a reading arriving now counts for the lag: after the warm-up, and outside every fault
 * that hits the node, with 30 s after it for the buffered readings. */
static bool counts_lag(const struct run *r, const struct fleet_node *n, uint64_t now)
{
    uint64_t v = now - r->t0 - n->t.spawn_ms; /* the node's virtual time, at most */
    if (v < r->o.warmup_ms)
        return false;
    for (size_t k = 0; k < r->sc.n; k++) {
        const struct scenario_event *e = &r->sc.ev[k];
        unsigned idx = (unsigned)(n - r->nodes);
        if (e->kind != SCENARIO_BROKER_RESTART && !scenario_picks(e, idx, r->o.nodes))
            continue;
        uint64_t from = e->at_ns / 1000000u, to = (e->at_ns + e->duration_ns) / 1000000u + 30000;
        if (v >= from && v <= to)
            return false;
    }
    return true;
}

static void sub_line(struct run *r, char *line, uint64_t now)
{
    char *sp = strchr(line, ' ');
    if (!sp)
        return;
    *sp = '\0';
    const char *topic = line, *payload = sp + 1;
    size_t plen = strlen(payload);
    if (strncmp(topic, "$SYS/broker/", 12) == 0) {
        report_sys(&r->totals, topic + 12, payload);
        return;
    }
    if (strncmp(topic, "quartz/", 7) != 0)
        return;
    const char *id = topic + 7, *slash = strchr(id, '/');
    if (!slash)
        return;
    if (strcmp(slash, "/status") == 0 && strncmp(id, "fleet-probe/", 12) == 0) {
        r->probe_seen = true;
        return;
    }
    struct fleet_node *n = find(r, id, (size_t)(slash - id));
    if (!n) {
        r->totals.foreign++;
        return;
    }
    if (strcmp(slash, "/env") == 0)
        track_env(&n->t, payload, plen, now - r->t0, counts_lag(r, n, now));
    else if (strcmp(slash, "/status") == 0)
        track_status(&n->t, payload, plen);
}

static void read_sub(struct run *r, uint64_t now)
{
    for (;;) {
        ssize_t k = read(r->sub_fd, r->sub_buf + r->sub_len, sizeof r->sub_buf - 1 - r->sub_len);
        if (k <= 0)
            return;
        r->sub_len += (size_t)k;
        size_t start = 0;
        for (size_t i = 0; i < r->sub_len; i++) {
            if (r->sub_buf[i] != '\n')
                continue;
            r->sub_buf[i] = '\0';
            sub_line(r, r->sub_buf + start, now);
            start = i + 1;
        }
        memmove(r->sub_buf, r->sub_buf + start, r->sub_len - start);
        r->sub_len -= start;
        if (r->sub_len == sizeof r->sub_buf - 1)
            r->sub_len = 0; /* a line longer than the buffer: no node sends one */
    }
}

/* The node's console: kept in its log; "buffered N" in a line gives the table's column. */
static void read_console(struct fleet_node *n)
{
    char buf[4096];
    ssize_t k;
    while ((k = read(n->console_fd, buf, sizeof buf)) > 0) {
        if (n->log)
            fwrite(buf, 1, (size_t)k, n->log);
        for (ssize_t i = 0; i < k; i++) {
            if (buf[i] != '\n' && n->line_len + 1 < sizeof n->line) {
                n->line[n->line_len++] = buf[i];
                continue;
            }
            if (buf[i] != '\n')
                continue;
            n->line[n->line_len] = '\0';
            const char *b = strstr(n->line, "buffered ");
            if (b)
                n->t.buffered = atoi(b + 9);
            n->line_len = 0;
        }
    }
    if (k == 0) {
        close(n->console_fd);
        n->console_fd = -1;
    }
}

static int pump(struct run *r, int timeout_ms)
{
    static struct pollfd fds[FLEET_MAX_NODES + 1];
    size_t nf = 0;
    fds[nf++] = (struct pollfd){ r->sub_fd, POLLIN, 0 };
    for (unsigned i = 0; i < r->o.nodes; i++)
        if (r->nodes[i].console_fd >= 0)
            fds[nf++] = (struct pollfd){ r->nodes[i].console_fd, POLLIN, 0 };
    int k = poll(fds, nf, timeout_ms);
    if (k <= 0)
        return k;
    uint64_t now = procs_now_ms();
    if (fds[0].revents)
        read_sub(r, now);
    for (unsigned i = 0; i < r->o.nodes; i++)
        if (r->nodes[i].console_fd >= 0)
            read_console(&r->nodes[i]);
    return k;
}

static int publish(const struct run *r, const char *topic, const char *message, bool retain)
{
    char port[8];
    snprintf(port, sizeof port, "%u", r->port);
    char *argv[16] = { "mosquitto_pub", "-h", (char *)r->host, "-p", port, "-q", "1", "-t", (char *)topic };
    int a = 9;
    if (message[0])
        argv[a++] = "-m", argv[a++] = (char *)message;
    else
        argv[a++] = "-n"; /* an empty retained message removes the retained one */
    if (retain)
        argv[a++] = "-r";
    argv[a] = NULL;
    return procs_spawn(argv, -1, NULL, NULL);
}

/* The retained interval command (or its removal) for every node, eight mosquitto_pub at a time. */
static int publish_cmds(const struct run *r, const char *message)
{
    pid_t running[8] = { 0 };
    int failed = 0;
    for (unsigned i = 0; i <= r->o.nodes; i++) {
        int slot = (int)(i % 8);
        if (running[slot] > 0) {
            int status;
            if (waitpid(running[slot], &status, 0) != running[slot] || !WIFEXITED(status) || WEXITSTATUS(status))
                failed++;
            running[slot] = 0;
        }
        if (i == r->o.nodes) {
            for (int s = 0; s < 8; s++) {
                int status;
                if (running[s] > 0 && (waitpid(running[s], &status, 0) != running[s] || !WIFEXITED(status) ||
                                       WEXITSTATUS(status)))
                    failed++;
            }
            break;
        }
        char topic[64];
        snprintf(topic, sizeof topic, "quartz/%s/cmd", r->nodes[i].t.id);
        running[slot] = publish(r, topic, message, true);
    }
    return failed ? -1 : 0;
}

static int start_subscriber(struct run *r)
{
    char port[8], client[48];
    snprintf(port, sizeof port, "%u", r->port);
    snprintf(client, sizeof client, "quartz-fleet-%d", (int)getpid());
    char *argv[] = { "mosquitto_sub", "-h", r->host, "-p", port, "-v", "-q", "1", "-c", "-i", client,
                     "-t", "quartz/+/env", "-t", "quartz/+/status",
                     "-t", "$SYS/broker/messages/received", "-t", "$SYS/broker/messages/sent",
                     "-t", "$SYS/broker/clients/connected", NULL };
    char err[512];
    snprintf(err, sizeof err, "%s/subscriber.log", r->o.out_dir);
    r->sub_pid = procs_spawn(argv, -1, &r->sub_fd, err);
    if (r->sub_pid < 0)
        return -1;
    /* Subscribed once its own probe comes back: no node publishes before. */
    for (int attempt = 0; attempt < 50 && !r->probe_seen; attempt++) {
        char topic[64];
        snprintf(topic, sizeof topic, "quartz/fleet-probe/status");
        pid_t p = publish(r, topic, "probe", false);
        if (p > 0)
            waitpid(p, NULL, 0);
        uint64_t until = procs_now_ms() + 200;
        while (!r->probe_seen && procs_now_ms() < until)
            pump(r, 50);
    }
    if (!r->probe_seen)
        fprintf(stderr, "fleet: the subscriber got nothing from %s:%u (see %s)\n", r->host, r->port, err);
    return r->probe_seen ? 0 : -1;
}

static int start_node(struct run *r, unsigned i)
{
    struct fleet_node *n = &r->nodes[i];
    char path[512], seed[24], uid[32], fwd[96], until[32], env[512];
    snprintf(env, sizeof env, "%s/env/%s.csv", r->o.out_dir, n->t.id);
    if (fleet_write_weather(env, i, r->o.duration_ms + r->o.drain_ms) != 0) {
        fprintf(stderr, "fleet: %s: %s\n", env, strerror(errno));
        return -1;
    }
    snprintf(seed, sizeof seed, "%u", i + 1);
    snprintf(uid, sizeof uid, "%s", n->uid_hex);
    snprintf(fwd, sizeof fwd, "10.0.2.2:1883=%s:%u", r->host, r->port);
    snprintf(until, sizeof until, "%llums", (unsigned long long)(r->o.duration_ms + r->o.drain_ms + 60000));
    char *argv[16 + 3 * SCENARIO_MAX_EVENTS];
    static char times[3 * SCENARIO_MAX_EVENTS][48];
    int a = 0, t = 0;
    argv[a++] = (char *)r->o.sim;
    argv[a++] = "--realtime";
    argv[a++] = "--until", argv[a++] = until;
    argv[a++] = "--uid", argv[a++] = uid;
    argv[a++] = "--net-forward", argv[a++] = fwd;
    argv[a++] = "--env-csv", argv[a++] = env;
    argv[a++] = "--env-noise", argv[a++] = seed;
    /* The scripted faults for this node, as quartz-sim inputs: decided at launch. */
    for (size_t k = 0; k < r->sc.n; k++) {
        const struct scenario_event *e = &r->sc.ev[k];
        if (!scenario_picks(e, i, r->o.nodes))
            continue;
        if (e->kind == SCENARIO_LINK_DOWN) {
            snprintf(times[t], sizeof times[t], "down@%lluns", (unsigned long long)e->at_ns);
            argv[a++] = "--link", argv[a++] = times[t++];
            snprintf(times[t], sizeof times[t], "up@%lluns", (unsigned long long)(e->at_ns + e->duration_ns));
            argv[a++] = "--link", argv[a++] = times[t++];
        } else if (e->kind == SCENARIO_RESET) {
            snprintf(times[t], sizeof times[t], "%lluns", (unsigned long long)e->at_ns);
            argv[a++] = "--reset", argv[a++] = times[t++];
        }
    }
    argv[a++] = (char *)r->o.elf;
    argv[a] = NULL;
    snprintf(path, sizeof path, "%s/nodes/%s.log", r->o.out_dir, n->t.id);
    n->log = fopen(path, "we"); /* close-on-exec: the next nodes do not inherit it */
    snprintf(path, sizeof path, "%s/nodes/%s.err", r->o.out_dir, n->t.id);
    n->t.spawn_ms = procs_now_ms() - r->t0; /* all times in track.h count from t0 */
    n->pid = procs_spawn(argv, -1, &n->console_fd, path);
    return n->pid > 0 ? 0 : -1;
}

/* Each node's resets and the end of the last fault that hits it (virtual ms). */
static void plan_faults(struct run *r)
{
    for (unsigned i = 0; i < r->o.nodes; i++) {
        struct fleet_node *n = &r->nodes[i];
        for (size_t k = 0; k < r->sc.n; k++) {
            const struct scenario_event *e = &r->sc.ev[k];
            bool hit = e->kind == SCENARIO_BROKER_RESTART || scenario_picks(e, i, r->o.nodes);
            uint64_t end = (e->at_ns + e->duration_ns) / 1000000u;
            if (hit && end > n->fault_end_ms)
                n->fault_end_ms = end;
            if (hit && e->kind == SCENARIO_RESET)
                n->resets_ms[n->t.n_resets++] = e->at_ns / 1000000u;
        }
        /* Ascending, for track_env. */
        for (size_t a = 1; a < n->t.n_resets; a++)
            for (size_t b = a; b > 0 && n->resets_ms[b - 1] > n->resets_ms[b]; b--) {
                uint64_t x = n->resets_ms[b];
                n->resets_ms[b] = n->resets_ms[b - 1];
                n->resets_ms[b - 1] = x;
            }
        n->t.resets_ms = n->resets_ms;
    }
}

/* Broker restarts by the wall clock since the first node started. */
static void run_broker_faults(struct run *r, uint64_t now, bool *down, size_t *next)
{
    for (size_t k = 0; k < r->sc.n; k++) {
        const struct scenario_event *e = &r->sc.ev[k];
        if (e->kind != SCENARIO_BROKER_RESTART)
            continue;
        uint64_t at = r->t0 + e->at_ns / 1000000u, up = at + e->duration_ns / 1000000u;
        if (!down[k] && next[k] == 0 && now >= at) {
            broker_stop(&r->broker);
            down[k] = true;
            next[k] = 1;
            r->totals.broker_restarts++;
        } else if (down[k] && now >= up) {
            if (broker_start(&r->broker) != 0)
                r->totals.broker_start_failures++;
            down[k] = false;
        }
    }
}

/* Every node has delivered a reading sampled after its last fault: its buffered ones came before it. */
static bool drained(const struct run *r)
{
    for (unsigned i = 0; i < r->o.nodes; i++) {
        const struct fleet_node *n = &r->nodes[i];
        if (n->t.max_seq < 0 || n->t.newest_virt_ms < n->fault_end_ms)
            return false;
    }
    return true;
}

/* A node silent longer than the interval (outside warm-up and faults) lags by the excess. */
static void silence_lag(struct run *r, uint64_t now)
{
    for (unsigned i = 0; i < r->o.nodes; i++) {
        struct fleet_node *n = &r->nodes[i];
        if (!counts_lag(r, n, now) || n->t.last_arrival_ms == 0)
            continue;
        int64_t lag = (int64_t)(now - r->t0) - (int64_t)n->t.last_arrival_ms - (int64_t)r->o.interval_s * 1000;
        if (lag > n->t.max_lag_ms)
            n->t.max_lag_ms = lag;
    }
}

static int make_dirs(const char *out)
{
    char path[512];
    const char *sub[] = { "", "/nodes", "/env" };
    for (size_t i = 0; i < 3; i++) {
        snprintf(path, sizeof path, "%s%s", out, sub[i]);
        if (mkdir(path, 0755) < 0 && errno != EEXIST) {
            fprintf(stderr, "fleet: %s: %s\n", path, strerror(errno));
            return -1;
        }
    }
    return 0;
}

int main(int argc, char **argv)
{
    static struct run r;
    if (fleet_parse_options(&r.o, argc, argv) != 0)
        return 2;
    char err[512];
    if (r.o.scenario_path && scenario_load(&r.sc, r.o.scenario_path, err, sizeof err) != 0) {
        fprintf(stderr, "fleet: %s\n", err);
        return 2;
    }
    if (scenario_check(&r.sc, r.o.nodes, r.o.duration_ms * 1000000u, err, sizeof err) != 0) {
        fprintf(stderr, "fleet: %s: %s\n", r.o.scenario_path, err);
        return 2;
    }
    r.private_broker = !r.o.broker;
    for (size_t k = 0; k < r.sc.n; k++)
        if (r.sc.ev[k].kind == SCENARIO_BROKER_RESTART && !r.private_broker) {
            fprintf(stderr, "fleet: %s: line %u: broker-restart needs the private broker (no --broker)\n",
                    r.o.scenario_path, r.sc.ev[k].line);
            return 2;
        }
    if (r.o.broker && fleet_split_broker(r.o.broker, r.host, sizeof r.host, &r.port) != 0) {
        fprintf(stderr, "fleet: --broker: '%s' is not IPV4:PORT\n", r.o.broker);
        return 2;
    }
    if (access(r.o.sim, X_OK) != 0 || access(r.o.elf, R_OK) != 0) {
        fprintf(stderr, "fleet: %s or %s missing\n", r.o.sim, r.o.elf);
        return 2;
    }
    signal(SIGPIPE, SIG_IGN);
    /* Two descriptors a node (its console pipe and log): 500 nodes need more than the usual 1024. */
    struct rlimit nofile;
    if (getrlimit(RLIMIT_NOFILE, &nofile) == 0 && nofile.rlim_cur < nofile.rlim_max) {
        nofile.rlim_cur = nofile.rlim_max;
        setrlimit(RLIMIT_NOFILE, &nofile);
    }
    struct sigaction sa = { .sa_handler = on_signal };
    sigaction(SIGINT, &sa, NULL);
    sigaction(SIGTERM, &sa, NULL);
    if (make_dirs(r.o.out_dir) != 0)
        return 3;

    r.nodes = calloc(r.o.nodes, sizeof *r.nodes);
    r.order = calloc(r.o.nodes, sizeof *r.order);
    if (!r.nodes || !r.order || fleet_make_uids(r.nodes, r.o.nodes) != 0) {
        fprintf(stderr, "fleet: cannot make %u distinct node ids\n", r.o.nodes);
        return 3;
    }
    for (unsigned i = 0; i < r.o.nodes; i++) {
        r.order[i] = i;
        r.nodes[i].console_fd = -1;
        r.nodes[i].exit_status = -1;
    }
    qsort_r(r.order, r.o.nodes, sizeof *r.order, cmp_id, r.nodes);
    plan_faults(&r);

    if (r.private_broker) {
        snprintf(err, sizeof err, "%s/broker", r.o.out_dir);
        if (broker_create(&r.broker, err) != 0 || broker_start(&r.broker) != 0)
            return 3;
        snprintf(r.host, sizeof r.host, "127.0.0.1");
        r.port = r.broker.port;
    }
    int code = 3;
    char cmd[32];
    snprintf(cmd, sizeof cmd, "{\"interval_s\":%u}", r.o.interval_s);
    if (publish_cmds(&r, cmd) != 0) {
        fprintf(stderr, "fleet: could not publish the retained interval commands to %s:%u\n", r.host, r.port);
        goto out;
    }
    if (start_subscriber(&r) != 0)
        goto out;

    /* Started --stagger apart, so that a hundred do not load and boot their
     * images at once (0.1-0.2 s of host CPU each: two cores then run
     * seconds behind, and the nodes never catch up). Each runs --duration
     * from its own start; the lag counts from there (spawn_ms). */
    r.t0 = procs_now_ms();
    for (unsigned i = 0; i < r.o.nodes && !interrupted; i++) {
        if (start_node(&r, i) != 0) {
            fprintf(stderr, "fleet: cannot start node %u\n", i);
            goto stop;
        }
        uint64_t next = r.t0 + (uint64_t)(i + 1) * r.o.stagger_ms;
        do
            pump(&r, 2);
        while (!interrupted && i + 1 < r.o.nodes && procs_now_ms() < next);
    }
    bool down[SCENARIO_MAX_EVENTS] = { false };
    size_t next[SCENARIO_MAX_EVENTS] = { 0 };
    uint64_t end = procs_now_ms() + r.o.duration_ms, drain_end = end + r.o.drain_ms, next_draw = 0;
    bool draining = false;
    while (!interrupted) {
        pump(&r, 100);
        uint64_t now = procs_now_ms();
        run_broker_faults(&r, now, down, next);
        if (now >= next_draw) {
            silence_lag(&r, now);
            report_table(stdout, r.nodes, r.o.nodes, &r.totals, now - r.t0, draining, r.o.table);
            next_draw = now + (r.o.table ? 1000 : 10000);
        }
        if (now >= end && !draining)
            draining = true;
        if (draining && (drained(&r) || now >= drain_end))
            break;
    }
    r.totals.drained = drained(&r);
    r.totals.end_ms = procs_now_ms() - r.t0;
stop:
    for (unsigned i = 0; i < r.o.nodes; i++)
        if (r.nodes[i].pid > 0)
            kill(r.nodes[i].pid, SIGTERM);
    for (unsigned i = 0; i < r.o.nodes; i++) {
        r.nodes[i].exit_status = procs_stop(r.nodes[i].pid, 5000);
        if (r.nodes[i].console_fd >= 0)
            read_console(&r.nodes[i]);
        if (r.nodes[i].log)
            fclose(r.nodes[i].log);
    }
    /* The last messages on their way to the subscriber. */
    for (uint64_t until = procs_now_ms() + 1000; procs_now_ms() < until;)
        pump(&r, 50);
    code = report_summary(&r.o, &r.sc, r.nodes, &r.totals, r.host, r.port, r.private_broker) ? 1 : 0;
    if (!r.private_broker)
        publish_cmds(&r, ""); /* an empty retained message removes the retained one */
out:
    procs_stop(r.sub_pid, 2000);
    if (r.private_broker)
        broker_stop(&r.broker);
    for (unsigned i = 0; i < r.o.nodes; i++)
        track_free(&r.nodes[i].t);
    free(r.nodes);
    free(r.order);
    return code;
}
