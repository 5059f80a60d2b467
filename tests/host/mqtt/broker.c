/* mosquitto for the broker test (broker.h). */
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <signal.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "broker.h"

static struct {
    char dir[256];
    char conf[300], passwd[300], log[300], db[300], out[300];
    uint16_t port;
    pid_t pid;
    bool anonymous; /* broker_setup_anonymous */
} B = { .pid = -1 };

static void sleep_ms(unsigned ms)
{
    struct timespec ts = { ms / 1000, (long)(ms % 1000) * 1000000L };
    while (nanosleep(&ts, &ts) < 0 && errno == EINTR) {
    }
}

/* fork + exec with stdout to `out_path` (or /dev/null), stderr to the broker log. */
static pid_t spawn(char *const argv[], const char *out_path)
{
    pid_t parent = getpid();
    pid_t pid = fork();
    if (pid != 0) {
        return pid;
    }
    prctl(PR_SET_PDEATHSIG, SIGKILL);
    if (getppid() != parent) {
        _exit(127); /* the test died between fork and prctl */
    }
    int out = open(out_path ? out_path : "/dev/null", O_WRONLY | O_CREAT | O_TRUNC, 0600);
    int err = open(B.log, O_WRONLY | O_CREAT | O_APPEND, 0600);
    if (out >= 0) {
        dup2(out, 1);
    }
    if (err >= 0) {
        dup2(err, 2);
    }
    execvp(argv[0], argv);
    _exit(127);
}

/* Wait for `pid` at most `timeout_ms`; SIGKILL after. Returns the exit status or -1. */
static int reap(pid_t pid, unsigned timeout_ms)
{
    int status;
    for (unsigned t = 0; t <= timeout_ms; t += 10) {
        pid_t r = waitpid(pid, &status, WNOHANG);
        if (r == pid) {
            return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
        }
        if (r < 0) {
            return -1;
        }
        sleep_ms(10);
    }
    kill(pid, SIGKILL);
    waitpid(pid, &status, 0);
    return -1;
}

static int free_port(void)
{
    int fd = socket(AF_INET, SOCK_STREAM, 0);
    struct sockaddr_in sa = { .sin_family = AF_INET, .sin_addr.s_addr = htonl(INADDR_LOOPBACK) };
    socklen_t len = sizeof sa;
    if (fd < 0 || bind(fd, (struct sockaddr *)&sa, sizeof sa) < 0 ||
        getsockname(fd, (struct sockaddr *)&sa, &len) < 0) {
        return -1;
    }
    close(fd);
    return ntohs(sa.sin_port);
}

static bool accepts(void)
{
    int fd = socket(AF_INET, SOCK_STREAM, 0);
    struct sockaddr_in sa = { .sin_family = AF_INET, .sin_port = htons(B.port),
                              .sin_addr.s_addr = htonl(INADDR_LOOPBACK) };
    bool ok = fd >= 0 && connect(fd, (struct sockaddr *)&sa, sizeof sa) == 0;
    if (fd >= 0) {
        close(fd);
    }
    return ok;
}

int broker_start(void)
{
    char *argv[] = { "mosquitto", "-c", B.conf, NULL };
    B.pid = spawn(argv, NULL);
    for (unsigned t = 0; t < 10000; t += 20) {
        if (accepts()) {
            return 0;
        }
        if (waitpid(B.pid, NULL, WNOHANG) == B.pid) {
            fprintf(stderr, "broker: mosquitto exited at start; log %s\n", B.log);
            B.pid = -1;
            return -1;
        }
        sleep_ms(20);
    }
    fprintf(stderr, "broker: mosquitto not listening on %u after 10 s\n", B.port);
    return -1;
}

int broker_stop(void)
{
    if (B.pid <= 0) {
        return 0;
    }
    kill(B.pid, SIGTERM); /* a clean exit writes the persistence file */
    int r = reap(B.pid, 5000);
    B.pid = -1;
    return r == 0 ? 0 : -1;
}

int broker_kill(void)
{
    if (B.pid <= 0) {
        return -1;
    }
    kill(B.pid, SIGKILL); /* no chance to save: what survives is what autosave wrote */
    int status;
    pid_t r = waitpid(B.pid, &status, 0);
    B.pid = -1;
    return r > 0 && WIFSIGNALED(status) ? 0 : -1;
}

uint16_t broker_port(void) { return B.port; }

const char *broker_log_path(void) { return B.log; }

static int write_file(const char *path, const char *text)
{
    FILE *f = fopen(path, "w");
    if (!f) {
        return -1;
    }
    fputs(text, f);
    return fclose(f);
}

int broker_setup(void)
{
    snprintf(B.dir, sizeof B.dir, "%s/mqtt-broker-XXXXXX", getenv("TMPDIR") ? getenv("TMPDIR") : "/tmp");
    if (!mkdtemp(B.dir)) {
        perror("broker: mkdtemp");
        return -1;
    }
    snprintf(B.conf, sizeof B.conf, "%s/mosquitto.conf", B.dir);
    snprintf(B.passwd, sizeof B.passwd, "%s/passwd", B.dir);
    snprintf(B.log, sizeof B.log, "%s/mosquitto.log", B.dir);
    snprintf(B.db, sizeof B.db, "%s/mosquitto.db", B.dir);
    snprintf(B.out, sizeof B.out, "%s/client.out", B.dir);
    int port = free_port();
    if (port < 0) {
        return -1;
    }
    B.port = (uint16_t)port;
    char *pw[] = { "mosquitto_passwd", "-b", "-c", B.passwd, BROKER_USER, BROKER_PASSWORD, NULL };
    if (reap(spawn(pw, NULL), 10000) != 0) {
        fprintf(stderr, "broker: mosquitto_passwd failed\n");
        return -1;
    }
    chmod(B.passwd, 0600);
    char conf[1024];
    /* user root: when started as root, mosquitto would switch to the
     * "mosquitto" user, which cannot write the persistence file here.
     * autosave_on_changes with an interval of 1: the database is written
     * after every change (a subscription, a queued message), so sessions
     * survive a SIGKILL, as they would a power cut with a real broker. */
    snprintf(conf, sizeof conf,
             "listener %u 127.0.0.1\n"
             "allow_anonymous %s\n"
             "password_file %s\n"
             "persistence true\n"
             "persistence_location %s/\n"
             "autosave_interval 1\n"
             "autosave_on_changes true\n"
             "queue_qos0_messages true\n"
             "user root\n"
             "log_dest stderr\n"
             "log_type all\n",
             B.port, B.anonymous ? "true" : "false", B.passwd, B.dir);
    if (write_file(B.conf, conf) < 0) {
        return -1;
    }
    return broker_start();
}

int broker_setup_anonymous(void)
{
    B.anonymous = true;
    return broker_setup();
}

void broker_teardown(void)
{
    broker_stop();
    if (getenv("MQTT_BROKER_KEEP")) {
        fprintf(stderr, "broker: kept %s\n", B.dir);
        return;
    }
    const char *files[] = { B.conf, B.passwd, B.log, B.db, B.out };
    for (size_t i = 0; i < sizeof files / sizeof files[0]; i++) {
        unlink(files[i]);
    }
    rmdir(B.dir);
}

int broker_run_client(const char *const *args, unsigned timeout_s, char *out, size_t cap)
{
    char port[8];
    snprintf(port, sizeof port, "%u", B.port);
    char *argv[32];
    size_t n = 0;
    argv[n++] = (char *)args[0];
    const char *common[] = { "-h", "127.0.0.1", "-p", port, "-u", BROKER_USER, "-P", BROKER_PASSWORD };
    for (size_t i = 0; i < sizeof common / sizeof common[0]; i++) {
        argv[n++] = (char *)common[i];
    }
    for (size_t i = 1; args[i] && n < 31; i++) {
        argv[n++] = (char *)args[i];
    }
    argv[n] = NULL;
    int r = reap(spawn(argv, B.out), timeout_s * 1000u + 2000u);
    if (out && cap) {
        out[0] = '\0';
        FILE *f = fopen(B.out, "r");
        if (f) {
            size_t got = fread(out, 1, cap - 1, f);
            out[got] = '\0';
            fclose(f);
        }
    }
    return r;
}
