/* Child processes of tools/fleet, see procs.h. */
#define _GNU_SOURCE
#include "procs.h"

#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

void procs_sleep_ms(unsigned ms)
{
    struct timespec ts = { ms / 1000, (long)(ms % 1000) * 1000000L };
    while (nanosleep(&ts, &ts) < 0 && errno == EINTR) {
    }
}

uint64_t procs_now_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (uint64_t)ts.tv_sec * 1000u + (uint64_t)ts.tv_nsec / 1000000u;
}

pid_t procs_spawn(char *const argv[], int out_fd, int *pipe_rd, const char *err_path)
{
    int fds[2] = { -1, -1 };
    if (out_fd < 0 && pipe_rd && pipe2(fds, O_CLOEXEC) < 0)
        return -1;
    pid_t parent = getpid();
    pid_t pid = fork();
    if (pid < 0) {
        if (fds[0] >= 0)
            close(fds[0]), close(fds[1]);
        return -1;
    }
    if (pid == 0) {
        prctl(PR_SET_PDEATHSIG, SIGKILL);
        if (getppid() != parent)
            _exit(127); /* the fleet died between fork and prctl */
        signal(SIGPIPE, SIG_DFL);
        int in = open("/dev/null", O_RDONLY);
        int out = fds[1] >= 0 ? fds[1] : out_fd >= 0 ? out_fd : open("/dev/null", O_WRONLY);
        int err = err_path ? open(err_path, O_WRONLY | O_CREAT | O_APPEND, 0644) : open("/dev/null", O_WRONLY);
        if (in < 0 || out < 0 || err < 0 || dup2(in, 0) < 0 || dup2(out, 1) < 0 || dup2(err, 2) < 0)
            _exit(127);
        execvp(argv[0], argv);
        _exit(127);
    }
    if (fds[1] >= 0) {
        close(fds[1]);
        fcntl(fds[0], F_SETFL, O_NONBLOCK);
        *pipe_rd = fds[0];
    }
    return pid;
}

int procs_stop(pid_t pid, unsigned grace_ms)
{
    if (pid <= 0)
        return -1;
    kill(pid, SIGTERM);
    int status;
    for (unsigned t = 0; t <= grace_ms; t += 10) {
        pid_t r = waitpid(pid, &status, WNOHANG);
        if (r == pid)
            return status;
        if (r < 0)
            return -1;
        procs_sleep_ms(10);
    }
    kill(pid, SIGKILL);
    return waitpid(pid, &status, 0) == pid ? status : -1;
}

int procs_free_port(void)
{
    int fd = socket(AF_INET, SOCK_STREAM, 0);
    struct sockaddr_in sa = { .sin_family = AF_INET, .sin_addr.s_addr = htonl(INADDR_LOOPBACK) };
    socklen_t len = sizeof sa;
    int port = -1;
    if (fd >= 0 && bind(fd, (struct sockaddr *)&sa, sizeof sa) == 0 &&
        getsockname(fd, (struct sockaddr *)&sa, &len) == 0)
        port = ntohs(sa.sin_port);
    if (fd >= 0)
        close(fd);
    return port;
}

bool procs_accepts(const char *host, unsigned port)
{
    struct sockaddr_in sa = { .sin_family = AF_INET, .sin_port = htons((uint16_t)port) };
    if (inet_pton(AF_INET, host, &sa.sin_addr) != 1)
        return false;
    int fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
    bool ok = fd >= 0 && connect(fd, (struct sockaddr *)&sa, sizeof sa) == 0;
    if (fd >= 0)
        close(fd);
    return ok;
}

int broker_create(struct broker *b, const char *dir)
{
    memset(b, 0, sizeof *b);
    b->pid = -1;
    snprintf(b->dir, sizeof b->dir, "%s", dir);
    if (mkdir(b->dir, 0755) < 0 && errno != EEXIST) {
        fprintf(stderr, "fleet: %s: %s\n", b->dir, strerror(errno));
        return -1;
    }
    snprintf(b->conf, sizeof b->conf, "%s/mosquitto.conf", b->dir);
    snprintf(b->log, sizeof b->log, "%s/mosquitto.log", b->dir);
    int port = procs_free_port();
    if (port < 0)
        return -1;
    b->port = (unsigned)port;
    FILE *f = fopen(b->conf, "w");
    if (!f) {
        fprintf(stderr, "fleet: %s: %s\n", b->conf, strerror(errno));
        return -1;
    }
    /* persistence: the subscriber's session and the messages queued for it
     * survive a broker restart (SIGTERM saves the database).
     * max_queued_messages 0: no limit, so a restart with hundreds of nodes
     * sending their buffered readings at once drops none for the subscriber.
     * max_inflight_messages 0 likewise. user root: started as root,
     * mosquitto would switch to "mosquitto", who cannot write here. */
    fprintf(f,
            "listener %u 127.0.0.1\n"
            "allow_anonymous true\n"
            "persistence true\n"
            "persistence_location %s/\n"
            "autosave_interval 0\n"
            "max_queued_messages 0\n"
            "max_inflight_messages 0\n"
            "sys_interval 1\n"
            "user root\n"
            "log_dest stderr\n"
            "log_type error\nlog_type warning\nlog_type notice\n",
            b->port, b->dir);
    return fclose(f) == 0 ? 0 : -1;
}

int broker_start(struct broker *b)
{
    char *argv[] = { "mosquitto", "-c", b->conf, NULL };
    b->pid = procs_spawn(argv, -1, NULL, b->log);
    for (unsigned t = 0; b->pid > 0 && t < 10000; t += 20) {
        if (procs_accepts("127.0.0.1", b->port))
            return 0;
        if (waitpid(b->pid, NULL, WNOHANG) == b->pid) {
            fprintf(stderr, "fleet: mosquitto exited at start; see %s\n", b->log);
            b->pid = -1;
            return -1;
        }
        procs_sleep_ms(20);
    }
    fprintf(stderr, "fleet: mosquitto not listening on port %u after 10 s; see %s\n", b->port, b->log);
    return -1;
}

int broker_stop(struct broker *b)
{
    int status = procs_stop(b->pid, 10000);
    b->pid = -1;
    return status == 0 ? 0 : -1;
}
