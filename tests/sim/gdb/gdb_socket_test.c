/*
 * The GDB server's socket loop (gdb_server.c) served from a thread, driven
 * by raw packets: acknowledgements and a bad checksum, Ctrl-C (0x03) while
 * running, virtual time standing still while halted, errors for bad
 * packets, detach (the firmware runs on) and kill. argv[1]: the stopwatch.
 */
#define _GNU_SOURCE /* memmem */
#include <arpa/inet.h>
#include <netinet/in.h>
#include <poll.h>
#include <pthread.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include <cmocka.h>

#include "gdb.h"
#include "gdb_rsp.h"
#include "quartzsim.h"

static const char *image;

struct served {
    struct qsim *s;
    struct gdb_config c;
    int rc;
};

static void *serve(void *arg)
{
    struct served *v = arg;
    v->rc = gdb_serve(v->s, &v->c);
    return NULL;
}

static void sleep_ms(long ms)
{
    struct timespec ts = {ms / 1000, (ms % 1000) * 1000000L};
    nanosleep(&ts, NULL);
}

static int connect_to(int port)
{
    int fd = socket(AF_INET, SOCK_STREAM, 0);
    struct sockaddr_in a = {.sin_family = AF_INET, .sin_port = htons((uint16_t)port)};
    a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    assert_int_equal(connect(fd, (struct sockaddr *)&a, sizeof a), 0);
    return fd;
}

/* Read until a whole packet (after any '+'/'-'), at most 10 s. */
static const char *read_packet(int fd, char *acks)
{
    static struct gdb_rsp r;
    gdb_rsp_init(&r);
    size_t nacks = 0;
    for (int waited = 0; waited < 10000;) {
        struct pollfd p = {.fd = fd, .events = POLLIN};
        if (poll(&p, 1, 10) <= 0) {
            waited += 10;
            continue;
        }
        uint8_t c;
        assert_int_equal(recv(fd, &c, 1, 0), 1);
        if ((c == '+' || c == '-') && acks && nacks < 7) {
            acks[nacks++] = (char)c;
            acks[nacks] = '\0';
        }
        if (gdb_rsp_feed(&r, c) == GDB_RSP_PACKET)
            return r.buf;
    }
    fail_msg("no reply within 10 s");
    return NULL;
}

static void send_raw(int fd, const char *bytes)
{
    assert_int_equal(send(fd, bytes, strlen(bytes), 0), (ssize_t)strlen(bytes));
}

static const char *command(int fd, const char *payload)
{
    char frame[256];
    size_t n = gdb_rsp_frame(payload, strlen(payload), frame, sizeof frame);
    frame[n] = '\0';
    send_raw(fd, frame);
    return read_packet(fd, NULL);
}

static void monitor_time(int fd, char *out, size_t outlen)
{
    char hex[16];
    gdb_hex_encode((const uint8_t *)"time", 4, hex);
    char pkt[32];
    snprintf(pkt, sizeof pkt, "qRcmd,%s", hex);
    const char *reply = command(fd, pkt);
    size_t digits = strlen(reply);
    assert_true(digits / 2 < outlen);
    assert_int_equal(gdb_hex_decode(reply, digits, (uint8_t *)out), 0);
    out[digits / 2] = '\0';
}

static void test_interrupt_detach_kill(void **state)
{
    (void)state;
    struct qsim_options o = {0};
    struct served v = {.s = qsim_create(&o), .c = {.port = 0, .wait = true}};
    char err[256];
    assert_int_equal(qsim_load_elf(v.s, image, err, sizeof err), 0);
    pthread_t thread;
    assert_int_equal(pthread_create(&thread, NULL, serve, &v), 0);
    int port = 0;
    for (int i = 0; i < 500 && !(port = __atomic_load_n(&v.c.bound_port, __ATOMIC_ACQUIRE)); i++)
        sleep_ms(10);
    assert_true(port > 0);
    int fd = connect_to(port);

    /* Held at reset: the PC is the reset handler, no time has passed. */
    char acks[8] = "";
    send_raw(fd, "$?#3f");
    assert_string_equal(read_packet(fd, acks), "T05");
    assert_string_equal(acks, "+");
    char t0[128];
    monitor_time(fd, t0, sizeof t0);
    assert_non_null(strstr(t0, "0.000000 ms virtual, 0 cycles"));
    send_raw(fd, "$?#00"); /* bad checksum: '-' and no reply */
    send_raw(fd, "$?#3f");
    acks[0] = '\0';
    assert_string_equal(read_packet(fd, acks), "T05");
    assert_string_equal(acks, "-+");
    assert_string_equal(command(fd, "mffffff00,4"), "E01");
    assert_string_equal(command(fd, "zz"), "E01");

    /* Continue, Ctrl-C: SIGINT, then time stands still while halted. */
    send_raw(fd, "$c#63");
    sleep_ms(200);
    send_raw(fd, "\x03");
    assert_string_equal(read_packet(fd, NULL), "T02");
    char t1[128], t2[128];
    monitor_time(fd, t1, sizeof t1);
    sleep_ms(200);
    monitor_time(fd, t2, sizeof t2);
    assert_non_null(strstr(t1, "ms virtual"));
    assert_string_equal(t1, t2);
    assert_string_not_equal(t1, t0);

    /* Detach: the firmware runs on without a debugger... */
    assert_string_equal(command(fd, "D"), "OK");
    close(fd);
    sleep_ms(200);
    /* ...and a new connection halts it again; kill ends gdb_serve. */
    fd = connect_to(port);
    assert_string_equal(command(fd, "?"), "T05");
    char t3[128];
    monitor_time(fd, t3, sizeof t3);
    assert_string_not_equal(t3, t2); /* it ran on while detached */
    send_raw(fd, "$k#6b");
    pthread_join(thread, NULL);
    assert_int_equal(v.rc, 0);
    close(fd);
    size_t len = 0;
    const char *console = qsim_console(v.s, &len);
    assert_non_null(memmem(console, len, "ready", 5));
    qsim_destroy(v.s);
}

int main(int argc, char **argv)
{
    if (argc < 2) {
        fprintf(stderr, "usage: %s stopwatch.elf\n", argv[0]);
        return 2;
    }
    image = argv[1];
    const struct CMUnitTest tests[] = {cmocka_unit_test(test_interrupt_detach_kill)};
    return cmocka_run_group_tests(tests, NULL, NULL);
}
