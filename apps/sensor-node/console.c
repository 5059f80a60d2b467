/*
 * The console process (unprivileged): the OS layer's shell on
 * /dev/console for the node. Line editing is apps/shell's (line.c);
 * the commands:
 *
 *   status   id, uptime, interval, seq, buffered, dropped, broker
 *   net      the network worker's status (/dev/net)
 *   show, set ..., save   the configuration (/dev/config: core/config_shell.c)
 *   ps       processes (pid, name, state, stack high-water, CPU share, starts)
 *   uptime, ls, help
 *   crash    this process writes the kernel's RAM: the MPU stops it, the
 *            kernel reports it and restarts the console, and the network
 *            worker and the app go on (the isolation, shown)
 */
#include <string.h>

#include "line.h"
#include "node_abi.h"
#include "quartz/kernel/proc.h"
#include "quartz/sys.h"
#include "read_text.h"
#include "text.h"

#define CONSOLE_STACK 1280u

struct console {
    uint8_t stack[CONSOLE_STACK];
    struct line line;
    char echo[LINE_ECHO_MAX];
    char text[256];
    int fd;
};
SYS_PROC_RAM(struct console, console_ram, 2048);
#define C (console_ram.v)

static void out(const char *s, size_t n)
{
    size_t done = 0;
    while (done < n) {
        int rc = sys_write(C.fd, s + done, n - done);
        if (rc <= 0)
            return;
        done += (size_t)rc;
    }
}

static void puts_(const char *s)
{
    out(s, strlen(s));
}

/* Text with "\n" line ends, as "\r\n". */
static void put_lines(const char *s)
{
    while (*s) {
        const char *e = strchr(s, '\n');
        size_t n = e ? (size_t)(e - s) : strlen(s);
        out(s, n);
        puts_("\r\n");
        s += n + (e ? 1u : 0u);
    }
}

static void config_line(const char *line)
{
    int fd = sys_open(NODE_DEV_CONFIG, 0);
    if (fd < 0) {
        puts_("error: no /dev/config\r\n");
        return;
    }
    int rc = sys_write(fd, line, strlen(line));
    size_t n = 0;
    if (rc >= 0) {
        while (n + 1u < sizeof C.text && (rc = sys_read(fd, C.text + n, sizeof C.text - 1u - n)) > 0)
            n += (size_t)rc;
    }
    (void)sys_close(fd);
    C.text[n] = '\0';
    put_lines(C.text);
    if (n == 0 || C.text[n - 1u] != '\n')
        puts_("\r\n");
}

static int net_ioctl(uint32_t request)
{
    int fd = sys_open(NODE_DEV_NET, 0);
    int rc = fd < 0 ? fd : sys_ioctl(fd, request, 0);
    (void)sys_close(fd);
    return rc;
}

/* The value after `key ` in /dev/net's text, up to the line's end. */
static void net_field(struct text *t, const char *net, const char *key)
{
    size_t k = strlen(key);
    for (const char *p = net; *p;) {
        if (strncmp(p, key, k) == 0 && p[k] == ' ') {
            p += k + 1u;
            const char *e = strchr(p, '\n');
            text_n(t, p, e ? (size_t)(e - p) : strlen(p));
            return;
        }
        const char *e = strchr(p, '\n');
        if (!e)
            break;
        p = e + 1;
    }
    text_s(t, "?");
}

static void cmd_status(void)
{
    char net[200], s[160];
    (void)read_text(NODE_DEV_NET, net, sizeof net);
    struct text t = text_on(s, sizeof s);
    const char *nl = strchr(net, '\n');
    text_n(&t, net, nl ? (size_t)(nl - net) : 0u);
    text_s(&t, " up ");
    uint32_t ms = sys_uptime_ms();
    text_u(&t, ms / 1000u);
    text_s(&t, ".");
    text_u(&t, ms / 100u % 10u);
    text_s(&t, " s, interval ");
    text_i(&t, net_ioctl(NODE_IOC_INTERVAL));
    text_s(&t, " s, next seq ");
    net_field(&t, net, "next seq");
    text_s(&t, ", buffered ");
    net_field(&t, net, "buffered");
    text_s(&t, ", dropped ");
    net_field(&t, net, "dropped");
    text_s(&t, ", broker ");
    net_field(&t, net, "broker");
    puts_(s);
    puts_("\r\n");
}

static void cmd_ps(void)
{
    static const char *const states[] = { "stopped", "ready", "blocked", "faulted", "running" };
    struct sys_proc_info info;
    puts_("PID NAME     STATE   PRIO STACK/SIZE CPU%o STARTS\r\n");
    for (int pid = 0; sys_proc_info(pid, &info) == 0; pid++) {
        char s[80];
        struct text t = text_on(s, sizeof s);
        text_u(&t, (unsigned)pid);
        text_s(&t, "   ");
        text_s(&t, info.name);
        text_s(&t, " ");
        text_s(&t, info.state < 5u ? states[info.state] : "?");
        text_s(&t, " ");
        text_u(&t, info.prio);
        text_s(&t, " ");
        text_u(&t, info.stack_used);
        text_s(&t, "/");
        text_u(&t, info.stack_size);
        text_s(&t, " ");
        text_u(&t, info.cpu_permille);
        text_s(&t, " ");
        text_u(&t, info.starts);
        puts_(s);
        puts_("\r\n");
    }
}

extern uint32_t __stack_start[]; /* the kernel's main stack (arch/cortex-m/sections.ld) */

static void run(char *line)
{
    struct shell_cmd cmd;
    char copy[LINE_MAX + 1u];
    strcpy(copy, line);
    if (shell_parse(line, &cmd) < 0 || cmd.argc == 0)
        return;
    const char *name = cmd.argv[0];
    if (strcmp(name, "help") == 0) {
        puts_("status            the node in one line\r\n"
              "net               link, DHCP, broker, buffered readings\r\n"
              "show              the configuration\r\n"
              "set broker A.B.C.D:PORT | user NAME | password WORD | anonymous | name NAME | interval S\r\n"
              "save              keep the configuration in flash and apply it\r\n"
              "ps, uptime, ls    processes, time since boot, device files\r\n"
              "crash             fault this shell (the kernel restarts it; the node goes on)\r\n");
    } else if (strcmp(name, "status") == 0) {
        cmd_status();
    } else if (strcmp(name, "net") == 0) {
        (void)read_text(NODE_DEV_NET, C.text, sizeof C.text);
        put_lines(C.text);
    } else if (strcmp(name, "show") == 0 || strcmp(name, "set") == 0 || strcmp(name, "save") == 0) {
        config_line(copy);
    } else if (strcmp(name, "ps") == 0) {
        cmd_ps();
    } else if (strcmp(name, "uptime") == 0) {
        (void)read_text("/dev/uptime", C.text, sizeof C.text);
        put_lines(C.text);
    } else if (strcmp(name, "crash") == 0) {
        *(volatile uint32_t *)__stack_start = 0xDEADBEEFu; /* MemManage: DACCVIOL */
    } else if (strcmp(name, "ls") == 0) {
        (void)read_text("/dev", C.text, sizeof C.text);
        put_lines(C.text);
    } else {
        puts_("unknown command (help)\r\n");
    }
}

static void console_main(uint32_t starts)
{
    C.fd = sys_open("/dev/console", 0);
    if (starts)
        puts_("console: restarted after a fault\r\n");
    line_reset(&C.line);
    puts_("node> ");
    for (;;) {
        uint8_t buf[16];
        int n = sys_read(C.fd, buf, sizeof buf);
        for (int i = 0; i < n; i++) {
            size_t elen = 0;
            enum line_event ev = line_feed(&C.line, buf[i], C.echo, &elen);
            out(C.echo, elen);
            if (ev == LINE_MORE)
                continue;
            if (ev == LINE_DONE)
                run(C.line.buf);
            else if (ev == LINE_TOO_LONG)
                puts_("line too long (max 72 characters), discarded\r\n");
            C.line.len = 0; /* as apps/shell: the CR/LF state stays */
            puts_("node> ");
        }
    }
}

const struct sys_proc_desc console_proc = {
    .name = "console",
    .entry = console_main,
    .ram = &console_ram,
    .ram_size = sizeof console_ram,
    .stack_size = CONSOLE_STACK,
    .prio = 2,
    .flags = SYS_PROC_RESTART,
};
