/* The sensor node under test (node_rig.h). */
#define _GNU_SOURCE
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "broker.h"
#include "node_rig.h"

#define SLICE_NS (10 * RIG_MS)

static uint64_t real_ns(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (uint64_t)ts.tv_sec * 1000000000u + (uint64_t)ts.tv_nsec;
}

static void sleep_ms(unsigned ms)
{
    struct timespec ts = { ms / 1000, (long)(ms % 1000) * 1000000L };
    nanosleep(&ts, NULL);
}

int node_group_setup(void **state)
{
    (void)state;
    return broker_setup_anonymous(); /* the node's default configuration has no user */
}

int node_group_teardown(void **state)
{
    (void)state;
    broker_teardown();
    return 0;
}

void node_id_of(const uint8_t uid[12], char id[16])
{
    uint32_t h = 2166136261u; /* FNV-1a 32: offset basis, prime 16777619 */
    for (int i = 0; i < 12; i++)
        h = (h ^ uid[i]) * 16777619u;
    snprintf(id, 16, "quartz-%06x", (unsigned)(h & 0xFFFFFFu));
}

/* mosquitto_sub in the background, its output into n->sub_path. */
static int sub_spawn(struct node *n, bool append)
{
    char port[8], topic[64], client[40];
    snprintf(port, sizeof port, "%u", broker_port());
    snprintf(topic, sizeof topic, "quartz/%s/#", n->id);
    snprintf(client, sizeof client, "chk-%s", n->id);
    snprintf(n->sub_path, sizeof n->sub_path, "%s.%s.sub", broker_log_path(), n->id);
    pid_t parent = getpid();
    pid_t pid = fork();
    if (pid < 0)
        return -1;
    if (pid == 0) {
        prctl(PR_SET_PDEATHSIG, SIGKILL);
        if (getppid() != parent)
            _exit(127);
        int out = open(n->sub_path, O_WRONLY | O_CREAT | (append ? O_APPEND : O_TRUNC), 0600);
        int err = open("/dev/null", O_WRONLY);
        if (out < 0 || err < 0)
            _exit(127);
        dup2(out, 1);
        dup2(err, 2);
        /* -c: a persistent session, so messages queued while the broker
         * restarts reach us; %x: the payload in hex, one line whatever it holds. */
        execlp("mosquitto_sub", "mosquitto_sub", "-h", "127.0.0.1", "-p", port, "-u", BROKER_USER, "-P",
               BROKER_PASSWORD, "-c", "-i", client, "-q", "1", "-t", topic, "-F", "%r %q %t %x\\n", (char *)NULL);
        _exit(127);
    }
    n->sub_pid = pid;
    return 0;
}

static int hexval(char c)
{
    if (c >= '0' && c <= '9')
        return c - '0';
    if (c >= 'a' && c <= 'f')
        return c - 'a' + 10;
    return -1;
}

/* "R Q quartz/<id>/TOPIC HEX" */
static void parse_line(struct node *n, const char *line)
{
    if (n->n_msg >= NODE_MSG_MAX)
        return;
    struct node_msg *m = &n->msg[n->n_msg];
    memset(m, 0, sizeof *m);
    char prefix[32];
    int plen = snprintf(prefix, sizeof prefix, "quartz/%s/", n->id);
    if (line[0] != '0' && line[0] != '1')
        return;
    m->retained = line[0] == '1';
    m->qos = (unsigned)(line[2] - '0');
    const char *topic = line + 4;
    if (strncmp(topic, prefix, (size_t)plen) != 0)
        return;
    topic += plen;
    const char *sp = strchr(topic, ' ');
    size_t tlen = sp ? (size_t)(sp - topic) : strlen(topic);
    if (tlen >= sizeof m->topic)
        tlen = sizeof m->topic - 1;
    memcpy(m->topic, topic, tlen);
    if (strcmp(m->topic, "rig") == 0)
        return; /* the rig's own marker, not the node's */
    for (const char *h = sp ? sp + 1 : ""; hexval(h[0]) >= 0 && hexval(h[1]) >= 0; h += 2, m->len++)
        if (m->len < sizeof m->payload - 1)
            m->payload[m->len] = (char)(hexval(h[0]) << 4 | hexval(h[1]));
    m->seen_ns = n->r.s ? qsim_time_ns(n->r.s) : 0;
    n->n_msg++;
}

void node_poll(struct node *n)
{
    FILE *f = fopen(n->sub_path, "r");
    if (!f)
        return;
    fseek(f, n->sub_read, SEEK_SET);
    static char line[4096];
    while (fgets(line, sizeof line, f)) {
        size_t len = strlen(line);
        if (!len || line[len - 1] != '\n')
            break; /* a line still being written: read it next time */
        line[len - 1] = '\0';
        n->sub_read += (long)len;
        parse_line(n, line);
    }
    fclose(f);
}

void node_settle(struct node *n)
{
    uint64_t quiet = real_ns(), end = quiet + 3000000000u;
    while (real_ns() < end && real_ns() - quiet < 300000000u) {
        unsigned before = n->n_msg;
        long read = n->sub_read;
        node_poll(n);
        if (n->n_msg != before || n->sub_read != read)
            quiet = real_ns();
        sleep_ms(20);
    }
}

/* The subscriber is subscribed once a marker published after it started comes back. */
static int sub_ready(struct node *n)
{
    char topic[64];
    snprintf(topic, sizeof topic, "quartz/%s/rig", n->id);
    for (int i = 0; i < 50; i++) {
        const char *args[] = { "mosquitto_pub", "-q", "1", "-t", topic, "-m", "ready", NULL };
        if (broker_run_client(args, 5, NULL, 0) != 0)
            return -1;
        sleep_ms(100);
        FILE *f = fopen(n->sub_path, "r");
        char line[256];
        bool seen = false;
        while (f && !seen && fgets(line, sizeof line, f))
            seen = strstr(line, "/rig ") != NULL;
        if (f)
            fclose(f);
        if (seen)
            return 0;
    }
    return -1;
}

int node_create(struct node *n, const char *elf, unsigned uid_seed, const struct qsim_options *extra)
{
    memset(n, 0, sizeof *n);
    n->sub_pid = -1;
    n->msg = calloc(NODE_MSG_MAX, sizeof *n->msg);
    if (!n->msg)
        return -1;
    for (int i = 0; i < 12; i++)
        n->uid[i] = (uint8_t)(0x30 + i * 7 + uid_seed * 13);
    node_id_of(n->uid, n->id);
    snprintf(n->r.forward, sizeof n->r.forward, "10.0.2.2:1883=127.0.0.1:%u", broker_port());
    static const char *forwards[1];
    forwards[0] = n->r.forward;
    struct qsim_options o = extra ? *extra : (struct qsim_options){ 0 };
    o.w5500 = true;
    o.net_forwards = forwards;
    o.n_net_forwards = 1;
    o.uid_given = true;
    memcpy(o.uid, n->uid, sizeof o.uid);
    n->r.s = qsim_create(&o);
    char err[256];
    if (!n->r.s || qsim_load_elf(n->r.s, elf, err, sizeof err) != 0) {
        fprintf(stderr, "cannot load %s: %s\n", elf, n->r.s ? err : "no simulator");
        return -1;
    }
    unsigned all = QSIM_ENV_T | QSIM_ENV_P | QSIM_ENV_H;
    if (qsim_env_at(n->r.s, 0, all, 21500, 101325000, 45000) != 0 || qsim_chip_temp_at(n->r.s, 35500, 0) != 0)
        return -1;
    if (sub_spawn(n, false) != 0 || sub_ready(n) != 0) {
        fprintf(stderr, "the subscriber did not start\n");
        return -1;
    }
    node_poll(n);
    return 0;
}

static void sub_end(struct node *n)
{
    if (n->sub_pid > 0) {
        kill(n->sub_pid, SIGTERM);
        waitpid(n->sub_pid, NULL, 0);
        n->sub_pid = -1;
    }
}

int node_sub_restart(struct node *n)
{
    sub_end(n);
    return sub_spawn(n, true);
}

void node_kill_board(struct node *n)
{
    rig_stop(&n->r);
}

void node_destroy(struct node *n)
{
    rig_stop(&n->r);
    sub_end(n);
    if (n->sub_path[0] && !getenv("MQTT_BROKER_KEEP"))
        unlink(n->sub_path);
    free(n->msg);
    n->msg = NULL;
}

void node_real_time(struct node *n, uint64_t ns)
{
    n->pace_v0 = qsim_time_ns(n->r.s);
    n->pace_r0 = real_ns();
    n->pace_end = n->pace_v0 + ns;
}

/* Within a node_real_time span: wait until real time has caught up. */
static void node_pace(struct node *n)
{
    uint64_t v = qsim_time_ns(n->r.s);
    if (v >= n->pace_end || v < n->pace_v0)
        return;
    uint64_t due = n->pace_r0 + (v - n->pace_v0), now = real_ns();
    if (now < due) {
        struct timespec ts = { (time_t)((due - now) / 1000000000u), (long)((due - now) % 1000000000u) };
        nanosleep(&ts, NULL);
    }
}

void node_run(struct node *n, uint64_t ns)
{
    uint64_t end = qsim_time_ns(n->r.s) + ns;
    while (qsim_time_ns(n->r.s) < end) {
        uint64_t slice = qsim_time_ns(n->r.s) + SLICE_NS;
        if (qsim_run_until(n->r.s, slice < end ? slice : end, NULL, NULL) < 0)
            break; /* a lock-up: the report says so */
        node_pace(n);
        node_poll(n);
    }
}

static bool msg_matches(const struct node_msg *m, const char *topic, const char *needle)
{
    return strcmp(m->topic, topic) == 0 && (!needle || strstr(m->payload, needle));
}

unsigned node_count(const struct node *n, const char *topic, const char *needle, unsigned from)
{
    unsigned c = 0;
    for (unsigned i = from; i < n->n_msg; i++)
        c += msg_matches(&n->msg[i], topic, needle);
    return c;
}

/*
 * The subscriber hears a message in real time, a little after the board's
 * PUBACK (which quartz-sim waits for in real time, docs/simulator.md). A
 * wait lets virtual time run at most 20 times faster than real time, so
 * that a message that is on its way arrives within the bound.
 */
int node_wait_msg(struct node *n, const char *topic, const char *needle, unsigned from, uint64_t max_ns)
{
    uint64_t start = qsim_time_ns(n->r.s), end = start + max_ns, real_start = real_ns();
    for (;;) {
        node_poll(n);
        for (unsigned i = from; i < n->n_msg; i++)
            if (msg_matches(&n->msg[i], topic, needle))
                return (int)i;
        uint64_t now = qsim_time_ns(n->r.s);
        if (now >= end)
            return -1;
        uint64_t slice = now + SLICE_NS;
        if (qsim_run_until(n->r.s, slice < end ? slice : end, NULL, NULL) < 0)
            return -1;
        node_pace(n);
        uint64_t due = real_start + (qsim_time_ns(n->r.s) - start) / 20u, real = real_ns();
        if (real < due) {
            struct timespec ts = { (time_t)((due - real) / 1000000000u), (long)((due - real) % 1000000000u) };
            nanosleep(&ts, NULL);
        }
    }
}

void node_dump(const struct node *n, unsigned from)
{
    fprintf(stderr, "messages of %s from %u (of %u):\n", n->id, from, n->n_msg);
    for (unsigned i = from; i < n->n_msg; i++)
        fprintf(stderr, "  [%u] %.3f s %s%s q%u %s\n", i, (double)n->msg[i].seen_ns / 1e9, n->msg[i].topic,
                n->msg[i].retained ? " (retained)" : "", n->msg[i].qos, n->msg[i].payload);
    if (n->r.s)
        rig_dump(&n->r, 0);
}

int node_publish(struct node *n, const char *topic, const char *payload, size_t len)
{
    char t[64], *p = malloc(len + 1);
    if (!p)
        return -1;
    memcpy(p, payload, len);
    p[len] = '\0'; /* mosquitto_pub -m takes a C string: the tests' payloads hold no NUL */
    snprintf(t, sizeof t, "quartz/%s/%s", n->id, topic);
    const char *args[] = { "mosquitto_pub", "-q", "1", "-t", t, "-m", p, NULL };
    int rc = broker_run_client(args, 5, NULL, 0);
    free(p);
    return rc == 0 ? 0 : -1;
}

void node_retained(struct node *n, const char *topic, char *out, size_t cap)
{
    char t[64];
    snprintf(t, sizeof t, "quartz/%s/%s", n->id, topic);
    const char *args[] = { "mosquitto_sub", "-t", t, "-C", "1", "-W", "3", "-F", "%r %p", NULL };
    (void)broker_run_client(args, 5, out, cap);
    size_t len = strlen(out);
    while (len && (out[len - 1] == '\n' || out[len - 1] == '\r'))
        out[--len] = '\0';
}

const char *node_report(const struct node *n)
{
    static char rep[1 << 17];
    rep[0] = '\0';
    FILE *f = fmemopen(rep, sizeof rep - 1, "w");
    if (f) {
        qsim_write_report(n->r.s, f);
        fclose(f);
    }
    return rep;
}

int node_online(struct node *n, unsigned from)
{
    int i = node_wait_msg(n, "status", "online", from, 30 * RIG_S);
    if (i < 0)
        node_dump(n, from);
    return i;
}
