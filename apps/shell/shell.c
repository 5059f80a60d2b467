/*
 * The shell: an unprivileged process on /dev/console, NuttX nsh-like.
 * Everything it does goes through syscalls (quartz/sys.h); it has no
 * other way to the hardware. Its variables live in its own RAM region.
 */
#include <errno.h>
#include <string.h>

#include "line.h"
#include "procs.h"
#include "quartz/fmt.h"
#include "quartz/sys.h"

#define SHELL_STACK 1536u
#define PROMPT "nsh> "
#define CAT_WAIT_MS 300

struct shell {
    uint8_t stack[SHELL_STACK]; /* first: the bottom of the region, its guard */
    int con;
    struct line line;
    char echo[LINE_ECHO_MAX];
    char io[128];
    char out[96];
};

SYS_PROC_RAM(struct shell, shell_ram, 4096);
#define sh (&shell_ram.v)

static void out(const char *s, size_t n)
{
    while (n > 0) {
        int rc = sys_write(sh->con, s, n);
        if (rc <= 0)
            return;
        s += rc;
        n -= (size_t)rc;
    }
}

static void puts_(const char *s)
{
    out(s, strlen(s));
}

static void put_dec(int64_t v)
{
    char b[24];
    size_t n = 0;
    if (v < 0) {
        b[n++] = '-';
        v = -v;
    }
    n += fmt_u64(b + n, sizeof b - n, (uint64_t)v);
    out(b, n);
}

/* "  12" in a column of `width` */
static void put_dec_w(int64_t v, unsigned width)
{
    char b[24];
    size_t n = fmt_u64(b, sizeof b, (uint64_t)(v < 0 ? 0 : v));
    while (width-- > n)
        out(" ", 1);
    out(b, n);
}

static void put_str_w(const char *s, unsigned width)
{
    size_t n = strlen(s);
    out(s, n);
    while (width-- > n)
        out(" ", 1);
}

static const char *err_name(int rc)
{
    switch (-rc) {
    case ENOENT: return "no such file";
    case EBADF: return "bad file descriptor";
    case EACCES: return "permission denied";
    case EFAULT: return "bad address";
    case EINVAL: return "invalid argument";
    case ENOTTY: return "not a tty operation";
    case EMFILE: return "too many open files";
    case EAGAIN: return "try again";
    case ESRCH: return "no such process";
    case ENOSPC: return "no space";
    case E2BIG: return "too many words";
    default: return "error";
    }
}

static void fail(const char *what, const char *arg, int rc)
{
    puts_(what);
    if (arg != NULL) {
        puts_(": ");
        puts_(arg);
    }
    puts_(": ");
    puts_(err_name(rc));
    puts_(" (");
    put_dec(rc);
    puts_(")\r\n");
}

static void cmd_help(void)
{
    puts_("help            this text\r\n"
          "ls [/dev]       the device files\r\n"
          "cat FILE        print a file\r\n"
          "echo TEXT [> FILE]  write TEXT and a newline\r\n"
          "ps              processes\r\n"
          "uptime          time since boot\r\n"
          "faults          the recorded process faults\r\n"
          "kill PID        stop a process\r\n"
          "restart PID     start a process again\r\n"
          "crash           run a process that writes kernel memory\r\n");
}

/* Copy a file to the console, newlines as CR LF, until its end or until
 * nothing comes for CAT_WAIT_MS (/dev/button0, /dev/console). A node that
 * takes a moment (the BME280's, through the kernel's sensor worker) is
 * waited for. */
static int cat(const char *path)
{
    int fd = sys_open(path, 0);
    if (fd < 0)
        return fd;
    int rc;
    while ((rc = sys_poll(fd, CAT_WAIT_MS)) > 0 && (rc = sys_read(fd, sh->io, sizeof sh->io)) > 0) {
        for (int i = 0; i < rc; i++) {
            if (sh->io[i] == '\n')
                out("\r\n", 2);
            else
                out(&sh->io[i], 1);
        }
    }
    (void)sys_close(fd);
    return rc;
}

static void cmd_cat(const struct shell_cmd *c)
{
    if (c->argc != 2) {
        puts_("usage: cat FILE\r\n");
        return;
    }
    int rc = cat(c->argv[1]);
    if (rc < 0)
        fail("cat", c->argv[1], rc);
}

static void cmd_echo(const struct shell_cmd *c)
{
    size_t n = 0;
    for (unsigned i = 1; i < c->argc; i++) {
        size_t k = strlen(c->argv[i]);
        if (n + k + 2u > sizeof sh->out)
            break;
        if (i > 1)
            sh->out[n++] = ' ';
        memcpy(sh->out + n, c->argv[i], k);
        n += k;
    }
    if (c->redirect == NULL) {
        out(sh->out, n);
        out("\r\n", 2);
        return;
    }
    sh->out[n++] = '\n';
    int fd = sys_open(c->redirect, 0);
    if (fd < 0) {
        fail("echo", c->redirect, fd);
        return;
    }
    int rc = sys_write(fd, sh->out, n);
    if (rc < 0)
        fail("echo", c->redirect, rc);
    (void)sys_close(fd);
}

static const char *state_name(uint8_t s)
{
    switch (s) {
    case SYS_RUNNING: return "running";
    case SYS_READY: return "ready";
    case SYS_BLOCKED: return "blocked";
    case SYS_FAULTED: return "faulted";
    default: return "stopped";
    }
}

static void cmd_ps(void)
{
    struct sys_proc_info info;
    puts_("PID NAME     STATE   PRIO STACK/SIZE  CPU%  STARTS\r\n");
    for (int pid = 0; sys_proc_info(pid, &info) == 0; pid++) {
        put_dec_w(pid, 3);
        out(" ", 1);
        put_str_w(info.name, 9);
        put_str_w(state_name(info.state), 8);
        put_dec_w(info.prio, 4);
        put_dec_w(info.stack_used, 6);
        out("/", 1);
        put_dec_w(info.stack_size, 4);
        put_dec_w(info.cpu_permille / 10u, 5);
        out(".", 1);
        put_dec(info.cpu_permille % 10u);
        put_dec_w(info.starts, 8);
        out("\r\n", 2);
    }
}

static void cmd_uptime(void)
{
    uint32_t ms = sys_uptime_ms();
    puts_("up ");
    put_dec(ms / 1000u);
    out(".", 1);
    put_dec_w(ms % 1000u / 100u, 1);
    put_dec_w(ms % 100u / 10u, 1);
    put_dec_w(ms % 10u, 1);
    puts_(" s\r\n");
}

static void cmd_faults(void)
{
    struct sys_fault_info f;
    unsigned i = 0;
    for (; sys_fault_info(i, &f) == 0; i++) {
        out("#", 1);
        put_dec(f.seq);
        puts_(" t=");
        put_dec(f.ms);
        puts_("ms pid ");
        put_dec(f.pid);
        puts_(" (");
        puts_(f.name);
        puts_(f.exception == 4 ? ") MemManage" : f.exception == 5 ? ") BusFault" : ") UsageFault");
        if (f.stack_overflow)
            puts_(" stack overflow");
        char hex[11] = "0x";
        const uint32_t vals[3] = { f.pc, f.cfsr, f.mmfar };
        const char *labels[3] = { " pc=", " cfsr=", " mmfar=" };
        for (int k = 0; k < 3; k++) {
            for (int d = 0; d < 8; d++)
                hex[2 + d] = "0123456789abcdef"[(vals[k] >> (28 - 4 * d)) & 0xFu];
            puts_(labels[k]);
            out(hex, 10);
        }
        puts_(f.restarted ? " restarted\r\n" : "\r\n");
    }
    if (i == 0)
        puts_("no faults\r\n");
}

static int parse_pid(const struct shell_cmd *c)
{
    if (c->argc != 2)
        return -EINVAL;
    const char *s = c->argv[1];
    int v = 0;
    if (*s == '\0')
        return -EINVAL;
    for (; *s != '\0'; s++) {
        if (*s < '0' || *s > '9' || v > 1000)
            return -EINVAL;
        v = v * 10 + (*s - '0');
    }
    return v;
}

static void cmd_pid(const struct shell_cmd *c, int (*call)(int))
{
    int pid = parse_pid(c);
    int rc = pid < 0 ? pid : call(pid);
    if (rc < 0)
        fail(c->argv[0], c->argc > 1 ? c->argv[1] : NULL, rc);
}

static void cmd_crash(void)
{
    struct sys_proc_info info;
    for (int pid = 0; sys_proc_info(pid, &info) == 0; pid++) {
        if (strcmp(info.name, "crash") == 0) {
            puts_("crash: starting pid ");
            put_dec(pid);
            puts_(", which writes kernel memory\r\n");
            (void)sys_restart(pid);
            (void)sys_sleep_ms(50); /* let the report come before the prompt */
            return;
        }
    }
    puts_("crash: no crash process in this image\r\n");
}

static void run(char *text)
{
    struct shell_cmd c;
    int rc = shell_parse(text, &c);
    if (rc < 0) {
        fail("nsh", NULL, rc);
        return;
    }
    if (c.argc == 0)
        return;
    const char *name = c.argv[0];
    if (c.redirect != NULL && strcmp(name, "echo") != 0)
        puts_("nsh: only echo writes to a file\r\n");
    else if (strcmp(name, "help") == 0)
        cmd_help();
    else if (strcmp(name, "ls") == 0) {
        int r = cat("/dev");
        if (r < 0)
            fail("ls", NULL, r);
    } else if (strcmp(name, "cat") == 0)
        cmd_cat(&c);
    else if (strcmp(name, "echo") == 0)
        cmd_echo(&c);
    else if (strcmp(name, "ps") == 0)
        cmd_ps();
    else if (strcmp(name, "uptime") == 0)
        cmd_uptime();
    else if (strcmp(name, "faults") == 0)
        cmd_faults();
    else if (strcmp(name, "kill") == 0 && c.argc == 2 && parse_pid(&c) == sys_getpid())
        puts_("kill: that is this shell (restart it instead)\r\n");
    else if (strcmp(name, "kill") == 0)
        cmd_pid(&c, sys_kill);
    else if (strcmp(name, "restart") == 0)
        cmd_pid(&c, sys_restart);
    else if (strcmp(name, "crash") == 0)
        cmd_crash();
    else {
        puts_("nsh: ");
        puts_(name);
        puts_(": command not found\r\n");
    }
}

static void shell_main(uint32_t starts)
{
    (void)starts;
    sh->con = sys_open("/dev/console", 0);
    if (sh->con < 0)
        sys_exit(sh->con);
    line_reset(&sh->line);
    puts_("\r\nquartz nsh: type help\r\n" PROMPT);
    for (;;) {
        uint8_t buf[16];
        int n = sys_read(sh->con, buf, sizeof buf);
        for (int i = 0; i < n; i++) {
            size_t elen;
            enum line_event ev = line_feed(&sh->line, buf[i], sh->echo, &elen);
            out(sh->echo, elen);
            if (ev == LINE_MORE)
                continue;
            if (ev == LINE_DONE)
                run(sh->line.buf);
            else if (ev == LINE_TOO_LONG)
                puts_("nsh: line too long (max 72 characters), discarded\r\n");
            sh->line.len = 0;
            puts_(PROMPT);
        }
    }
}

const struct sys_proc_desc shell_proc = {
    .name = "shell",
    .entry = shell_main,
    .ram = &shell_ram,
    .ram_size = sizeof shell_ram,
    .stack_size = SHELL_STACK,
    .prio = 2,
    .flags = SYS_PROC_RESTART,
};
