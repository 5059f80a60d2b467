/*
 * The application process (unprivileged, its own MPU region): samples the
 * air every interval_s, hands each reading to the network worker through
 * /dev/env, draws the OLED pages, takes B1 presses and the commands the
 * broker sends (/dev/cmd). It sees only device files and syscalls: a fault
 * here ends and restarts this process, the network worker and the
 * buffered readings go on (docs/sensor-node.md, "Concurrency").
 *
 * It sleeps in sys_poll on /dev/cmd until the next sample is due; the
 * node's poll also wakes it for a B1 edge and a change of the network
 * state (node_dev.c), so nothing runs on a timer between samples.
 */
#include <errno.h>
#include <string.h>

#include "command.h"
#include "node_abi.h"
#include "pages.h"
#include "quartz/kernel/proc.h"
#include "quartz/sys.h"
#include "read_text.h"
#include "text.h"

#define APP_STACK 2048u

struct app {
    uint8_t stack[APP_STACK];
    uint8_t frame[PAGES_FRAME_BYTES];
    char net_text[200];
    char cmd[NODE_CMD_READ_MAX];
    char id[24];
    struct reading last;
    struct pages_minmax mm;
    struct pages_cache cache; /* what the bands written to /dev/oled0 show */
    bool have_last, sensor_missing, oled_failed, display_on;
    enum pages_page page;
    unsigned state, buffered;
    uint32_t presses;
    int fd_cmd, fd_button, fd_console; /* open all the time; the rest per use (4 fds a process) */
    uint32_t up_prev, up_wraps; /* uptime64() */
};
SYS_PROC_RAM(struct app, app_ram, 4096);
#define A (app_ram.v)

/* sys_uptime_ms is modulo 2^31 (24.8 days): times are kept modulo 2^31
 * and compared by their difference; the payload's uptime is extended to
 * 64 bits (the app looks at least once an interval, far more often than
 * the wrap). */
#define MS_MASK 0x7FFFFFFFu

static int32_t ms_diff(uint32_t a, uint32_t b)
{
    return (int32_t)(((a - b) & MS_MASK) << 1) / 2; /* sign-extended from 31 bits */
}

static uint64_t uptime64(void)
{
    uint32_t now = sys_uptime_ms();
    if (now < A.up_prev)
        A.up_wraps++;
    A.up_prev = now;
    return ((uint64_t)A.up_wraps << 31) + now;
}

static void say(const char *line)
{
    size_t n = strlen(line), done = 0;
    while (done < n) {
        int rc = sys_write(A.fd_console, line + done, n - done);
        if (rc <= 0)
            return;
        done += (size_t)rc;
    }
    (void)sys_write(A.fd_console, "\r\n", 2);
}

/* "21.53\n" -> 21530 (milli-units of a text with up to 3 decimals). */
static int read_milli(const char *path, int64_t *out)
{
    char s[24];
    int rc = read_text(path, s, sizeof s);
    if (rc < 0)
        return rc;
    const char *p = s;
    bool neg = *p == '-';
    if (neg)
        p++;
    int64_t v = 0;
    unsigned frac = 0;
    bool point = false;
    for (; *p && *p != '\n'; p++) {
        if (*p == '.' && !point) {
            point = true;
        } else if (*p >= '0' && *p <= '9' && frac < 3u) {
            v = v * 10 + (*p - '0');
            if (point)
                frac++;
        } else if (!(*p >= '0' && *p <= '9')) {
            return -EIO;
        }
    }
    for (; frac < 3u; frac++)
        v *= 10;
    *out = neg ? -v : v;
    return 0;
}

static int node_ioctl(uint32_t request, uint32_t value)
{
    return sys_ioctl(A.fd_cmd, request, value); /* /dev/cmd takes the node's ioctls */
}

static int write_node(const char *path, const void *buf, size_t len)
{
    int fd = sys_open(path, 0);
    if (fd < 0)
        return fd;
    int rc = sys_write(fd, buf, len);
    (void)sys_close(fd);
    return rc;
}

static void redraw(void)
{
    if (!A.display_on)
        return;
    if (A.page == PAGE_NETWORK)
        (void)read_text(NODE_DEV_NET, A.net_text, sizeof A.net_text);
    struct pages_view v = {
        .id = A.id, .last = A.have_last ? &A.last : NULL, .mm = &A.mm,
        .state = A.state, .buffered = A.buffered, .net_text = A.net_text,
    };
    unsigned changed = pages_draw(A.frame, &A.cache, A.page, &v);
    int fd = sys_open("/dev/oled0", 0);
    int rc = fd;
    /* Only the bands that changed go to the kernel: a byte written costs a
     * driver call there. */
    for (unsigned pg = 0; pg < PAGES_BANDS && rc >= 0; pg++) {
        if (!(changed & (1u << pg)))
            continue;
        rc = sys_ioctl(fd, SYS_IOC_SEEK, 128u * pg);
        if (rc >= 0)
            rc = sys_write(fd, A.frame + 128u * pg, 128u);
    }
    if (rc < 0)
        A.cache.valid = false; /* everything again next time */
    if (rc >= 0)
        rc = sys_ioctl(fd, OLED_IOC_FLUSH, 0);
    (void)sys_close(fd);
    if (rc < 0 && !A.oled_failed)
        say("oled: not answering, the node goes on without it");
    else if (rc >= 0 && A.oled_failed)
        say("oled: answering again");
    A.oled_failed = rc < 0;
}

static void log_reading(const struct reading *r)
{
    char s[112];
    struct text t = text_on(s, sizeof s);
    text_s(&t, "sample: seq ");
    text_u(&t, r->seq);
    if (r->flags & READING_SENSOR_OK) {
        text_s(&t, " t=");
        text_milli(&t, r->t_mc, 2);
        text_s(&t, " p=");
        text_u(&t, (r->p_mpa + 500u) / 1000u);
        text_s(&t, " h=");
        text_milli(&t, r->h_mpct, 1);
    } else {
        text_s(&t, " sensor=missing");
    }
    if (r->flags & READING_DIE_OK) {
        text_s(&t, " die_t=");
        text_milli(&t, r->die_mc, 1);
    }
    text_s(&t, " buffered ");
    text_u(&t, A.buffered);
    say(s);
}

static void sample(void)
{
    struct reading r = { .uptime_ms = uptime64() };
    int64_t t, p, h, die;
    int rc = read_milli("/dev/temp0", &t);
    if (rc == 0)
        rc = read_milli("/dev/press0", &p); /* hPa with 2 decimals: p * 100 = mPa */
    if (rc == 0)
        rc = read_milli("/dev/hum0", &h);
    if (rc == 0) {
        r.t_mc = (int32_t)t;
        r.p_mpa = (uint32_t)(p * 100);
        r.h_mpct = (uint32_t)h;
        r.flags |= READING_SENSOR_OK;
    }
    if (read_milli("/dev/dietemp0", &die) == 0) {
        r.die_mc = (int32_t)die;
        r.flags |= READING_DIE_OK;
    }
    bool missing = !(r.flags & READING_SENSOR_OK);
    if (missing != A.sensor_missing) {
        char s[64];
        struct text tx = text_on(s, sizeof s);
        text_s(&tx, missing ? "sensor: missing (" : "sensor: back");
        if (missing) {
            text_i(&tx, rc);
            text_s(&tx, "), publishing sensor=missing");
        }
        say(s);
    }
    A.sensor_missing = missing;
    /* The backlog before this reading: 0 while the broker keeps up. */
    int st = node_ioctl(NODE_IOC_STATE, 0);
    if (st >= 0) {
        A.state = (unsigned)st & 0xFFu;
        A.buffered = (unsigned)st >> 8;
    }
    if (write_node(NODE_DEV_ENV, &r, sizeof r) == (int)sizeof r) {
        int seq = node_ioctl(NODE_IOC_LAST_SEQ, 0);
        r.seq = seq < 0 ? 0u : (uint32_t)seq;
    }
    A.last = r;
    A.have_last = true;
    pages_minmax_add(&A.mm, &r);
    log_reading(&r);
    redraw();
}

static void refuse(const char *reason)
{
    char json[NODE_NOTE_MAX];
    int n = command_error_json(reason, json, sizeof json);
    if (n > 0)
        (void)write_node(NODE_DEV_ERROR, json, (size_t)n);
    char s[96];
    struct text t = text_on(s, sizeof s);
    text_s(&t, "cmd: refused: ");
    text_s(&t, reason);
    say(s);
}

static void command(uint32_t *next_ms, uint32_t *last_ms)
{
    int n = sys_read(A.fd_cmd, A.cmd, sizeof A.cmd);
    if (n < 0)
        return;
    struct command c;
    const char *reason = "";
    if (command_parse(A.cmd, (size_t)n, &c, &reason) < 0) {
        refuse(reason);
        return;
    }
    char s[64];
    struct text t = text_on(s, sizeof s);
    text_s(&t, "cmd: ");
    switch (c.kind) {
    case COMMAND_INTERVAL:
        (void)node_ioctl(NODE_IOC_SET_INTERVAL, c.interval_s);
        *next_ms = (*last_ms + c.interval_s * 1000u) & MS_MASK;
        text_s(&t, "interval_s ");
        text_u(&t, c.interval_s);
        break;
    case COMMAND_LED:
        (void)write_node("/dev/led0", c.on ? "1" : "0", 1);
        text_s(&t, c.on ? "led 1" : "led 0");
        break;
    case COMMAND_DISPLAY:
        A.display_on = c.on;
        {
            int fd = sys_open("/dev/oled0", 0);
            (void)sys_ioctl(fd, OLED_IOC_POWER, c.on ? 1u : 0u);
            (void)sys_close(fd);
        }
        text_s(&t, c.on ? "display on" : "display off");
        break;
    case COMMAND_RESTART:
        say("cmd: restart");
        (void)node_ioctl(NODE_IOC_RESTART, 0);
        return;
    }
    say(s);
    if (c.kind == COMMAND_DISPLAY && c.on)
        redraw();
}

static void buttons(void)
{
    struct sys_button_event e;
    while (sys_read(A.fd_button, &e, sizeof e) == (int)sizeof e) {
        if (!e.pressed)
            continue;
        A.presses++;
        A.page = (enum pages_page)((A.page + 1u) % PAGE_COUNT);
        char json[NODE_NOTE_MAX];
        struct text t = text_on(json, sizeof json);
        text_s(&t, "{\"button\":\"B1\",\"presses\":");
        text_u(&t, A.presses);
        text_s(&t, ",\"uptime_ms\":");
        text_u(&t, e.ms);
        text_s(&t, "}");
        (void)write_node(NODE_DEV_EVENT, json, t.len);
        char s[64];
        t = text_on(s, sizeof s);
        text_s(&t, "button: press ");
        text_u(&t, A.presses);
        text_s(&t, ", page ");
        text_s(&t, pages_name(A.page));
        say(s);
        redraw();
    }
}

static void app_main(uint32_t starts)
{
    A.fd_console = sys_open("/dev/console", 0);
    A.fd_cmd = sys_open(NODE_DEV_CMD, SYS_O_NONBLOCK);
    A.fd_button = sys_open("/dev/button0", SYS_O_NONBLOCK);
    A.display_on = true;
    if (starts)
        say("app: restarted after a fault");
    int idfd = sys_open(NODE_DEV_NET, 0);
    int n = idfd < 0 ? 0 : sys_read(idfd, A.id, sizeof A.id - 1u);
    (void)sys_close(idfd);
    for (int i = 0; i < n && i < (int)sizeof A.id - 1; i++)
        if (A.id[i] == '\n') {
            n = i;
            break;
        }
    A.id[n > 0 ? n : 0] = '\0';
    redraw();
    uint32_t last_ms = sys_uptime_ms(), next_ms = last_ms;
    for (;;) {
        uint32_t now = (uint32_t)uptime64() & MS_MASK;
        if (ms_diff(now, next_ms) >= 0) {
            last_ms = next_ms;
            int iv = node_ioctl(NODE_IOC_INTERVAL, 0);
            uint32_t step = (uint32_t)(iv > 0 ? iv : 10) * 1000u;
            next_ms = (next_ms + step) & MS_MASK;
            if (ms_diff(now, next_ms) >= 0)
                next_ms = (now + step) & MS_MASK; /* far behind (a flash erase, a new interval): no burst */
            sample();
        }
        int st = node_ioctl(NODE_IOC_STATE, 0); /* also tells /dev/cmd's poll what the app has seen */
        if (st >= 0 && ((unsigned)st & 0xFFu) != A.state) {
            A.state = (unsigned)st & 0xFFu;
            A.buffered = (unsigned)st >> 8;
            redraw();
        }
        buttons();
        for (int i = 0; i < 4 && sys_poll(A.fd_cmd, 0) > 0; i++)
            command(&next_ms, &last_ms);
        int32_t wait = ms_diff(next_ms, sys_uptime_ms());
        if (wait > 0)
            (void)sys_poll(A.fd_cmd, wait);
    }
}

const struct sys_proc_desc app_proc = {
    .name = "app",
    .entry = app_main,
    .ram = &app_ram,
    .ram_size = sizeof app_ram,
    .stack_size = APP_STACK,
    .prio = 4,
    .flags = SYS_PROC_RESTART,
};
