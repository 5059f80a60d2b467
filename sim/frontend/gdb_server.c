/*
 * The GDB server's socket and run loop (docs/debugging.md). One client at a
 * time on 127.0.0.1. While GDB has the target halted, the simulation does
 * not run and virtual time stands still; while it runs, it runs in slices
 * of SLICE_NS virtual time, and between slices the socket is polled for
 * the interrupt byte (Ctrl-C) and for a client to accept.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "gdb.h"
#include "gdb_rsp.h"

#define SLICE_NS 1000000u /* 1 ms of virtual time between polls */
#define STEP_SLICES 1000
#define SIG_INT 2
#define SIG_ILL 4
#define SIG_TRAP 5
#define SIG_BUS 10 /* GDB's own numbering (gdb/signals.def), not the host's */
#define SIG_SEGV 11
/* Fault exceptions (ARMv7-M B1.5.2) and the fault status register. */
#define EXC_HARDFAULT 3
#define EXC_BUSFAULT 5
#define EXC_USAGEFAULT 6
#define SCB_CFSR 0xE000ED28u
#define CFSR_BFSR 0x0000FF00u
#define CFSR_UFSR 0xFFFF0000u

struct gdb_server {
    struct qsim *s;
    const struct gdb_config *c;
    int listen_fd, fd;
    struct gdb_rsp rsp;
    struct gdb_target t;
    bool halted;   /* GDB holds the target */
    bool killed;   /* GDB killed it: the run ends */
    char reply[GDB_PACKET_MAX + 1];
    char frame[2 * GDB_PACKET_MAX + 8];
};

static int listen_on(int port, int *out_port)
{
    int fd = socket(AF_INET, SOCK_STREAM, 0);
    if (fd < 0)
        return -errno;
    int one = 1;
    setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
    struct sockaddr_in a = {.sin_family = AF_INET, .sin_port = htons((uint16_t)port)};
    a.sin_addr.s_addr = htonl(INADDR_LOOPBACK); /* never reachable from other hosts */
    socklen_t alen = sizeof a;
    if (bind(fd, (struct sockaddr *)&a, sizeof a) || listen(fd, 1) ||
        getsockname(fd, (struct sockaddr *)&a, &alen)) {
        int rc = -errno;
        close(fd);
        return rc;
    }
    *out_port = ntohs(a.sin_port);
    return fd;
}

static int send_all(struct gdb_server *v, const char *buf, size_t len)
{
    while (len) {
        ssize_t n = send(v->fd, buf, len, MSG_NOSIGNAL);
        if (n <= 0)
            return -EIO;
        buf += n;
        len -= (size_t)n;
    }
    return 0;
}

static int send_packet(struct gdb_server *v, const char *payload)
{
    size_t n = gdb_rsp_frame(payload, strlen(payload), v->frame, sizeof v->frame);
    return n ? send_all(v, v->frame, n) : -EMSGSIZE;
}

static void drop_client(struct gdb_server *v)
{
    if (v->fd >= 0)
        close(v->fd);
    v->fd = -1;
}

/* The exception hook: a fault handler entered stops the target
 * (docs/debugging.md, "How the run looks from GDB"). */
static void on_exc(void *ctx, enum qsim_exc_event ev, int exc, uint64_t cycles)
{
    struct gdb_target *t = ctx;
    (void)cycles;
    if (ev == QSIM_EXC_ENTRY && exc >= EXC_HARDFAULT && exc <= EXC_USAGEFAULT) {
        t->fault_entered = true;
        t->fault_exc = exc;
    }
}

/* The signal GDB shows for a fault: from the fault status (CFSR, ARMv7-M
 * B3.2.15), so that a BusFault escalated to HardFault is still SIGBUS. */
static int fault_signal(struct qsim *s, int exc)
{
    uint32_t cfsr = 0;
    qsim_debug_read(s, SCB_CFSR, &cfsr, sizeof cfsr);
    if (exc == EXC_BUSFAULT || (cfsr & CFSR_BFSR))
        return SIG_BUS;
    if (exc == EXC_USAGEFAULT || (cfsr & CFSR_UFSR))
        return SIG_ILL;
    return SIG_SEGV; /* MemManage (MMFSR), or a HardFault of its own (vector read, BKPT) */
}

enum run_result { RUN_HALTED, RUN_END, RUN_LOCKUP, RUN_SLICE };

struct stops {
    struct gdb_server *v;
    qsim_stop_fn other;
    void *other_ctx;
};

static bool stop_check(struct qsim *s, void *ctx)
{
    struct stops *st = ctx;
    return (st->v->fd >= 0 && st->v->t.fault_entered) || (st->other && st->other(s, st->other_ctx));
}

/* Run up to `until` (clipped to the configured end); the signal of a stop in t.signal. */
static enum run_result run_to(struct gdb_server *v, uint64_t until, qsim_stop_fn other, void *other_ctx)
{
    if (v->c->until_ns && until > v->c->until_ns)
        until = v->c->until_ns;
    v->t.fault_entered = false;
    struct stops st = {v, other, other_ctx};
    int rc = qsim_run_until(v->s, until, stop_check, &st);
    if (rc == QSIM_RUN_HALTED) {
        v->t.signal = SIG_TRAP;
        return RUN_HALTED;
    }
    if (rc == 1 && v->fd >= 0 && v->t.fault_entered) {
        v->t.signal = fault_signal(v->s, v->t.fault_exc);
        return RUN_HALTED;
    }
    if (rc == -EFAULT) {
        v->t.signal = SIG_SEGV;
        return RUN_LOCKUP;
    }
    if (v->c->until_ns && qsim_time_ns(v->s) >= v->c->until_ns)
        return RUN_END;
    return RUN_SLICE;
}

static enum run_result run_slice(struct gdb_server *v)
{
    return run_to(v, qsim_time_ns(v->s) + SLICE_NS, NULL, NULL);
}

static void accept_client(struct gdb_server *v)
{
    v->fd = accept(v->listen_fd, NULL, NULL);
    if (v->fd < 0)
        return;
    int one = 1;
    setsockopt(v->fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
    gdb_rsp_init(&v->rsp);
    v->t.signal = SIG_TRAP; /* attaching halts the target */
}

/*
 * Read what the client sent and act on it. `halted`: packets are
 * answered; while running, only the interrupt byte counts (GDB sends
 * nothing else then). Returns the action that changes the run state, or
 * GDB_REPLY when none; -1 when the client went away.
 */
static int serve_input(struct gdb_server *v, bool halted, bool *interrupt)
{
    uint8_t buf[1024];
    ssize_t n = recv(v->fd, buf, sizeof buf, 0);
    if (n <= 0)
        return -1;
    int action = GDB_REPLY;
    for (ssize_t i = 0; i < n; i++) {
        enum gdb_rsp_event e = gdb_rsp_feed(&v->rsp, buf[i]);
        if (e == GDB_RSP_INTERRUPT) {
            *interrupt = true;
        } else if (e == GDB_RSP_BAD) {
            send_all(v, "-", 1);
        } else if (e == GDB_RSP_PACKET) {
            send_all(v, "+", 1);
            if (!halted || action != GDB_REPLY)
                continue; /* a packet while running is not expected: dropped */
            enum gdb_action a = gdb_target_handle(&v->t, v->rsp.buf, v->rsp.len, v->reply);
            if (a == GDB_REPLY || a == GDB_DETACH)
                send_packet(v, v->reply);
            if (a != GDB_REPLY)
                action = (int)a;
        }
    }
    return action;
}

static bool readable(int fd, int timeout_ms)
{
    struct pollfd p = {.fd = fd, .events = POLLIN};
    return poll(&p, 1, timeout_ms) > 0;
}

static void stop_reply(struct gdb_server *v)
{
    gdb_target_stop_reply(&v->t, v->reply);
    send_packet(v, v->reply);
    v->halted = true;
}

/* One instruction; a core asleep (WFI) waits for its wake-up, for at most
 * STEP_SLICES slices. */
static void step(struct gdb_server *v)
{
    qsim_step(v->s);
    enum run_result r = RUN_SLICE;
    for (int i = 0; i < STEP_SLICES && r == RUN_SLICE; i++)
        r = run_slice(v);
    if (r == RUN_END) {
        send_packet(v, "W00");
        v->killed = true;
        return;
    }
    if (r == RUN_SLICE)
        v->t.signal = SIG_TRAP;
    stop_reply(v);
}

int gdb_server_open(struct gdb_server **out, struct qsim *s, struct gdb_config *c)
{
    struct gdb_server *v = calloc(1, sizeof *v);
    if (!v)
        return -ENOMEM;
    *v = (struct gdb_server){.s = s, .c = c, .fd = -1};
    v->t.s = s;
    int port = 0;
    v->listen_fd = listen_on(c->port, &port);
    if (v->listen_fd < 0) {
        int rc = v->listen_fd;
        free(v);
        return rc;
    }
    __atomic_store_n(&c->bound_port, port, __ATOMIC_RELEASE); /* tests serve from a thread */
    fprintf(stderr, "quartz-sim: GDB server on 127.0.0.1:%d\n", port);
    fflush(stderr);
    qsim_set_exc_hook(s, on_exc, &v->t);
    if (c->wait) {
        accept_client(v); /* held at reset until GDB attaches */
        v->halted = v->fd >= 0;
    }
    *out = v;
    return 0;
}

void gdb_server_close(struct gdb_server *v)
{
    if (!v)
        return;
    qsim_set_exc_hook(v->s, NULL, NULL);
    drop_client(v);
    close(v->listen_fd);
    free(v);
}

enum gdb_state gdb_server_poll(struct gdb_server *v, int timeout_ms)
{
    if (v->killed)
        return GDB_KILLED;
    if (v->fd < 0) {
        if (readable(v->listen_fd, v->halted ? timeout_ms : 0)) {
            accept_client(v);
            v->halted = v->fd >= 0;
        }
        return v->halted ? GDB_HALTED : GDB_RUNNING;
    }
    if (!readable(v->fd, v->halted ? timeout_ms : 0)) /* never wait while the target runs */
        return v->halted ? GDB_HALTED : GDB_RUNNING;
    bool interrupt = false;
    int a = serve_input(v, v->halted, &interrupt);
    if (a < 0 || a == GDB_DETACH) {
        drop_client(v); /* the firmware runs on */
        v->halted = false;
    } else if (a == GDB_KILL) {
        v->killed = true;
        return GDB_KILLED;
    } else if (a == GDB_STEP) {
        step(v);
    } else if (a == GDB_CONTINUE) {
        v->halted = false;
    } else if (interrupt && !v->halted) {
        v->t.signal = SIG_INT;
        stop_reply(v);
    }
    if (v->killed)
        return GDB_KILLED;
    return v->halted ? GDB_HALTED : GDB_RUNNING;
}

int gdb_server_run(struct gdb_server *v, uint64_t until_ns, qsim_stop_fn stop, void *ctx)
{
    if (v->halted || v->killed)
        return 0;
    enum run_result r = run_to(v, until_ns, stop, ctx);
    if (v->fd >= 0 && (r == RUN_HALTED || r == RUN_LOCKUP)) {
        stop_reply(v);
    } else if (r == RUN_END) {
        if (v->fd >= 0)
            send_packet(v, "W00"); /* the run's end: the "process" exits */
        v->killed = true;
    }
    if (r == RUN_LOCKUP)
        return -EFAULT;
    return r == RUN_HALTED ? 1 : 0;
}

int gdb_server_fd(const struct gdb_server *v)
{
    return v->fd >= 0 ? v->fd : v->listen_fd;
}

bool gdb_server_ended(const struct gdb_server *v)
{
    return v->killed;
}

int gdb_serve(struct qsim *s, struct gdb_config *c)
{
    struct gdb_server *v;
    int rc = gdb_server_open(&v, s, c);
    if (rc)
        return rc;
    for (;;) {
        enum gdb_state st = gdb_server_poll(v, -1);
        if (st == GDB_KILLED)
            break;
        if (st == GDB_HALTED)
            continue;
        rc = gdb_server_run(v, qsim_time_ns(s) + SLICE_NS, NULL, NULL);
        if (rc == -EFAULT && v->fd < 0)
            break; /* locked up with no debugger attached */
        rc = 0;
        if (v->killed)
            break;
    }
    gdb_server_close(v);
    return rc;
}
