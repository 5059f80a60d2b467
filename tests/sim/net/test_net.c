/*
 * Runs tests/sim/net/probe.c on quartz-sim with the W5500, an echo server
 * on a free loopback port (forwarded from 10.0.2.2:7) and a loopback port
 * nobody listens on (forwarded from 10.0.2.2:9), then checks the
 * transcript and the report's socket states. Twice: through the library
 * with the link up, and through the quartz-sim program's options
 * (--net-forward, --net-lease, --link down@0s, --link up@15s).
 */
#include <arpa/inet.h>
#include <netinet/in.h>
#include <pthread.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>
/* cmocka needs the above first */
#include <cmocka.h>

#include "quartzsim.h"

#define MS 1000000ull

static const char *image, *program;
static char console[8192], console_down[8192];
static char report[65536];
static int listener = -1;
static unsigned long echoed;

static int loopback_socket(uint16_t *port, bool listen_on)
{
    int fd = socket(AF_INET, SOCK_STREAM, 0);
    struct sockaddr_in a = { .sin_family = AF_INET, .sin_addr.s_addr = htonl(INADDR_LOOPBACK) };
    socklen_t len = sizeof a;
    if (fd < 0 || bind(fd, (struct sockaddr *)&a, sizeof a) != 0 || getsockname(fd, (struct sockaddr *)&a, &len) != 0 ||
        (listen_on && listen(fd, 4) != 0)) {
        if (fd >= 0)
            close(fd);
        return -1;
    }
    *port = ntohs(a.sin_port);
    return fd;
}

/* Echoes every connection until its peer closes, one at a time. */
static void *echo_server(void *arg)
{
    (void)arg;
    for (;;) {
        int c = accept(listener, NULL, NULL);
        if (c < 0)
            return NULL;
        char buf[4096];
        ssize_t n;
        while ((n = recv(c, buf, sizeof buf, 0)) > 0) {
            echoed += (unsigned long)n;
            if (send(c, buf, (size_t)n, MSG_NOSIGNAL) != n)
                break;
        }
        close(c);
    }
}

static bool done(struct qsim *s, void *ctx)
{
    (void)ctx;
    size_t len;
    return strstr(qsim_console(s, &len), "done\r\n") != NULL;
}

/* One run of the probe: its console into `out`, its report into `report` when given. */
static int run_once(const char *const *forwards, bool link_down, char *out, size_t outlen, char *rep, size_t replen)
{
    struct qsim *s = qsim_create(&(struct qsim_options){
        .w5500 = true, .net_forwards = forwards, .n_net_forwards = 2, .net_lease_s = 20 });
    char err[256];
    if (!s || qsim_load_elf(s, image, err, sizeof err) != 0) {
        fprintf(stderr, "cannot load %s: %s\n", image, s ? err : "no simulator");
        qsim_destroy(s);
        return -1;
    }
    if (link_down && (qsim_link_at(s, false, 0) != 0 || qsim_link_at(s, true, 15000 * MS) != 0)) {
        qsim_destroy(s);
        return -1;
    }
    qsim_run_until(s, 60000 * MS, done, NULL);
    size_t len;
    const char *c = qsim_console(s, &len);
    size_t n = len < outlen - 1 ? len : outlen - 1;
    memcpy(out, c, n);
    out[n] = '\0';
    FILE *f = rep ? fmemopen(rep, replen - 1, "w") : NULL;
    if (f) {
        qsim_write_report(s, f);
        fclose(f);
    }
    qsim_destroy(s);
    return 0;
}

/* The same scenario with the link down until 15 s, through the program's options. */
static int run_cli(const char *const *forwards, char *out, size_t outlen)
{
    char path[] = "/tmp/test_net_console_XXXXXX";
    int fd = mkstemp(path);
    if (fd < 0)
        return -1;
    close(fd);
    pid_t pid = fork();
    if (pid == 0) {
        execl(program, program, "--net-forward", forwards[0], "--net-forward", forwards[1], "--net-lease", "20s",
              "--link", "down@0s", "--link", "up@15s", "--until", "40s", "--console", path, image, (char *)NULL);
        _exit(127);
    }
    int status = -1;
    if (pid < 0 || waitpid(pid, &status, 0) != pid || !WIFEXITED(status) || WEXITSTATUS(status) != 0) {
        fprintf(stderr, "%s exited with status %d\n", program, status);
        unlink(path);
        return -1;
    }
    FILE *f = fopen(path, "rb");
    size_t n = f ? fread(out, 1, outlen - 1, f) : 0;
    out[n] = '\0';
    if (f)
        fclose(f);
    unlink(path);
    return 0;
}

static int run_probe(void **state)
{
    (void)state;
    uint16_t echo_port = 0, closed_port = 0;
    listener = loopback_socket(&echo_port, true);
    int closed = loopback_socket(&closed_port, false); /* bound, never listening: connect is refused */
    if (listener < 0 || closed < 0)
        return -1;
    pthread_t server;
    if (pthread_create(&server, NULL, echo_server, NULL) != 0)
        return -1;
    char fwd_echo[64], fwd_closed[64];
    snprintf(fwd_echo, sizeof fwd_echo, "10.0.2.2:7=127.0.0.1:%u", echo_port);
    snprintf(fwd_closed, sizeof fwd_closed, "10.0.2.2:9=127.0.0.1:%u", closed_port);
    const char *forwards[] = { fwd_echo, fwd_closed };
    int rc = run_once(forwards, false, console, sizeof console, report, sizeof report);
    if (rc == 0)
        rc = program ? run_cli(forwards, console_down, sizeof console_down)
                     : run_once(forwards, true, console_down, sizeof console_down, NULL, 0);
    shutdown(listener, SHUT_RDWR);
    close(listener);
    pthread_join(server, NULL);
    close(closed);
    return rc;
}

static void expect_line(const char *want)
{
    char line[160];
    snprintf(line, sizeof line, "%s\r\n", want);
    if (!strstr(console, line))
        print_message("console:\n%s\n", console);
    assert_non_null(strstr(console, line));
}

/* Reset by RSTn, VERSIONR and RTR read back, the link up. */
static void init_and_link(void **state)
{
    (void)state;
    expect_line("net init 0");
    expect_line("net link 1");
}

/* DISCOVER/OFFER/REQUEST/ACK with the simulated server (lease 20 s here):
 * 10.0.2.15, gateway 10.0.2.2, T1 half the lease; no renewal before T1, one at T1. */
static void dhcp_lease(void **state)
{
    (void)state;
    expect_line("net dhcp 0 lease 10.0.2.15 gw 10.0.2.2 t1 10");
    expect_line("net renew early 0");
    const char *p = strstr(console, "net renew 0 at ");
    assert_non_null(p);
    assert_in_range(strtoul(p + strlen("net renew 0 at "), NULL, 10), 10, 11);
    assert_non_null(strstr(report, "\"dhcp\":{\"offers\":2,\"acks\":3,\"naks\":0}")); /* and the polled lease */
}

/* Link down from the start: no server within the 10 s bound, the board's
 * static address; once the link is up (15 s), a lease. */
static void dhcp_fallback(void **state)
{
    (void)state;
    if (!strstr(console_down, "net dhcp 0 static 10.0.2.200 gw 10.0.2.2 t1 0\r\n"))
        print_message("console:\n%s\n", console_down);
    assert_non_null(strstr(console_down, "net link 0\r\n"));
    assert_non_null(strstr(console_down, "net dhcp 0 static 10.0.2.200 gw 10.0.2.2 t1 0\r\n"));
    assert_non_null(strstr(console_down, "net wait link 1\r\n"));
    assert_non_null(strstr(console_down, "net dhcp again 0 lease 10.0.2.15 gw 10.0.2.2 t1 10\r\n"));
    assert_non_null(strstr(console_down, "net echo 0 3000 same\r\n"));
}

/* 3000 bytes through the echo server and back intact: TX and RX pointers wrapped in 2 KB buffers. */
static void echo_round_trip(void **state)
{
    (void)state;
    expect_line("net echo 0 3000 same");
    assert_int_equal(echoed, 2 * 3000); /* both runs */
}

/* The host refused: the chip's RST, Sn_SR CLOSED, -ECONNREFUSED. */
static void refused(void **state)
{
    (void)state;
    expect_line("net refused -111");
}

/* 10.0.2.99 answers no ARP: TIMEOUT after ARPTO = 200 ms x 9 = 1.8 s of virtual time. */
static void unreachable(void **state)
{
    (void)state;
    const char *p = strstr(console, "net unreachable -116 ms ");
    if (!p)
        print_message("console:\n%s\n", console);
    assert_non_null(p);
    unsigned long ms = strtoul(p + strlen("net unreachable -116 ms "), NULL, 10);
    assert_in_range(ms, 1790, 1830); /* the 10 ms tick on either side */
}

/* Without INTn the driver still sees the chip's events: it re-reads it
 * every 10 ms, so the lease takes two server delays (1 ms each) and a few
 * polls, not the client's 1 s resend. */
static void polling_fallback(void **state)
{
    (void)state;
    expect_line("net polled dhcp 0 lease 10.0.2.15 gw 10.0.2.2 t1 10");
    const char *p = strstr(console, "net polled dhcp ms ");
    assert_non_null(p);
    assert_in_range(strtoul(p + strlen("net polled dhcp ms "), NULL, 10), 0, 100);
}

/* The driver woke on INTn, and the report shows the sockets' states. */
static void report_states(void **state)
{
    (void)state;
    const char *p = strstr(console, "net irqs ");
    assert_non_null(p);
    assert_true(strtoul(p + strlen("net irqs "), NULL, 10) > 0);
    const char *w = strstr(report, "\"w5500\":");
    if (!w)
        print_message("report:\n%s\n", report);
    assert_non_null(w);
    assert_non_null(strstr(w, "\"0x17\"")); /* ESTABLISHED */
    assert_non_null(strstr(w, "\"0x15\"")); /* SYNSENT */
    assert_non_null(strstr(w, "\"0x22\"")); /* UDP (DHCP) */
    assert_non_null(strstr(w, "\"timeouts\":1"));
    /* buffer transfers of 32 bytes or more went by DMA (SPI2_RX DMA1 stream 3, SPI2_TX stream 4) */
    assert_non_null(strstr(report, "\"DMA1\":{\"S3\":{\"transfers\":"));
    /* Socket 0 served DHCP (DISCOVER, REQUEST, the renewal, then DISCOVER
     * and REQUEST of the polled lease: five 300-byte requests, five
     * 286-byte replies) and the echo connection (3000 bytes each way). */
    assert_non_null(strstr(w, "\"0\":{\"bytes_tx\":4500,\"bytes_rx\":4430"));
}

int main(int argc, char **argv)
{
    if (argc < 2) {
        fprintf(stderr, "usage: %s net-probe.elf [quartz-sim]\n", argv[0]);
        return 2;
    }
    image = argv[1];
    program = argc > 2 ? argv[2] : NULL;
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(init_and_link), cmocka_unit_test(dhcp_lease), cmocka_unit_test(dhcp_fallback),
        cmocka_unit_test(echo_round_trip),
        cmocka_unit_test(refused),       cmocka_unit_test(unreachable), cmocka_unit_test(polling_fallback),
        cmocka_unit_test(report_states),
    };
    return cmocka_run_group_tests_name("net_probe", tests, run_probe, NULL);
}
