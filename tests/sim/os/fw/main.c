/*
 * os-test: quartz's kernel layer (kernel/sys) on quartz-sim. Processes:
 *   0 abi       (prio 2) every syscall check, result block for test_os.c
 *   1 spin_a    (prio 1) counts in a loop with a float beside it
 *   2 spin_b    (prio 1) the same: the two share the CPU in time slices
 *   3 intruder  (prio 3, restarts) one fault per start: writes abi's RAM,
 *               the kernel's, overflows its stack by pushing, then by an
 *               exception entry (MSTKERR); the fifth start exits
 * test_os.c presses B1 at 400 ms for 100 ms (the blocking read).
 * The spinners' counters are 1 KB above their region's base: quartz-sim
 * runs SRAM pages (1 KB) that an MPU region splits, like the one holding
 * a stack guard, through its slow MMIO path (docs/simulator.md).
 */
#include <errno.h>
#include <string.h>

#include "quartz/hal/serial.h"
#include "quartz/kernel/proc.h"
#include "quartz/sys.h"
#include "results.h"

#define ABI_STACK 1536u
#define SPIN_STACK 1024u
#define INTRUDER_STACK 512u
#define CANARY 0xC0FFEE42u

struct abi {
    uint8_t stack[ABI_STACK];
    struct os_abi_results r;
    uint8_t buf[64];
    char dir[256];
};
struct spin {
    uint8_t stack[SPIN_STACK];
    struct os_spin_results r;
};
struct intruder {
    uint8_t stack[INTRUDER_STACK];
};

SYS_PROC_RAM(struct abi, abi_ram, 4096);
SYS_PROC_RAM(struct spin, spin_a_ram, 2048);
SYS_PROC_RAM(struct spin, spin_b_ram, 2048);
SYS_PROC_RAM(struct intruder, intruder_ram, 1024);

extern uint32_t __data_start[]; /* kernel memory (arch/cortex-m/sections.ld) */

static int32_t raw_call(uint32_t nr)
{
    register uint32_t r0 __asm__("r0") = 0;
    register uint32_t r12 __asm__("r12") = nr;
    __asm__ volatile("svc #0" : "+r"(r0) : "r"(r12) : "memory");
    return (int32_t)r0;
}

static int32_t parse_centi(const uint8_t *s, int n)
{
    int32_t v = 0, frac = -1;
    for (int i = 0; i < n && s[i] != '\n'; i++) {
        if (s[i] == '.')
            frac = 0;
        else if (s[i] >= '0' && s[i] <= '9') {
            v = v * 10 + (s[i] - '0');
            if (frac >= 0)
                frac++;
        }
    }
    while (frac < 2) {
        v *= 10;
        frac = frac < 0 ? 1 : frac + 1;
    }
    return v;
}

static uint32_t parse_u32(const uint8_t *s, int n)
{
    uint32_t v = 0;
    for (int i = 0; i < n && s[i] >= '0' && s[i] <= '9'; i++)
        v = v * 10u + (uint32_t)(s[i] - '0');
    return v;
}

static void efault_cases(struct os_abi_results *r, uint8_t *buf)
{
    int fd = sys_open("/dev/null", 0);
    uint32_t own = (uint32_t)&abi_ram;
    static const char flash_text[] = "from flash\n";
    r->peer_ram = (uint32_t)&spin_a_ram;
    r->kernel_addr = (uint32_t)__data_start;
    r->read_null = sys_read(fd, NULL, 4);
    r->read_kernel = sys_read(fd, __data_start, 4);
    r->read_other = sys_read(fd, &spin_a_ram.v.r, 4);
    r->read_straddle = sys_read(fd, (uint8_t *)own + sizeof abi_ram - 4u, 8);
    r->read_wrap = sys_read(fd, buf, 0xFFFFFFF0u);
    r->read_guard = sys_read(fd, (uint8_t *)own, 4);
    r->read_flash = sys_read(fd, (void *)flash_text, 4);
    r->write_null = sys_write(fd, NULL, 4);
    r->write_kernel = sys_write(fd, __data_start, 4);
    r->write_other = sys_write(fd, &spin_b_ram.v.r, 4);
    r->write_flash_ok = sys_write(fd, flash_text, sizeof flash_text - 1u);
    r->open_null = sys_open(NULL, 0);
    r->open_kernel = sys_open((const char *)__data_start, 0);
    memset((uint8_t *)own + sizeof abi_ram - 8u, 'x', 8); /* no NUL before the region ends */
    r->open_unterminated = sys_open((const char *)(own + sizeof abi_ram - 8u), 0);
    r->info_kernel = sys_proc_info(0, (struct sys_proc_info *)__data_start);
    (void)sys_close(fd);
}

static void error_cases(struct os_abi_results *r)
{
    r->badf_neg = sys_read(-1, abi_ram.v.buf, 1);
    r->badf_unopened = sys_read(5, abi_ram.v.buf, 1);
    r->badf_close = sys_close(99);
    int fd = sys_open("/dev/null", 0);
    r->enotty = sys_ioctl(fd, 0x999, 0);
    (void)sys_close(fd);
    fd = sys_open("/dev/oled0", 0);
    r->einval_contrast = sys_ioctl(fd, OLED_IOC_CONTRAST, 300);
    (void)sys_close(fd);
    fd = sys_open("/dev/led0", 0);
    r->einval_led = sys_write(fd, "x", 1);
    (void)sys_close(fd);
    r->enoent = sys_open("/dev/nope", 0);
    fd = sys_open("/dev/uptime", 0);
    r->eacces_uptime = sys_write(fd, "1", 1);
    (void)sys_close(fd);
    fd = sys_open("/dev/button0", 0);
    r->eacces_button = sys_write(fd, "1", 1);
    (void)sys_close(fd);
    r->einval_flags = sys_open("/dev/null", 0x40);

    int fds[SYS_FD_MAX + 1];
    r->fds_opened = 0;
    for (unsigned i = 0; i < SYS_FD_MAX; i++)
        if ((fds[i] = sys_open("/dev/null", 0)) >= 0)
            r->fds_opened++;
    r->emfile = sys_open("/dev/null", 0);
    r->closes_ok = 0;
    for (unsigned i = 0; i < SYS_FD_MAX; i++)
        if (sys_close(fds[i]) == 0)
            r->closes_ok++;
}

static void node_cases(struct os_abi_results *r, uint8_t *buf)
{
    int fd = sys_open("/dev/null", 0);
    r->null_read = sys_read(fd, buf, 8);
    r->null_write = sys_write(fd, "hello", 5);
    (void)sys_close(fd);

    fd = sys_open("/dev/uptime", 0);
    r->uptime_len = sys_read(fd, buf, 64);
    r->uptime_now = sys_uptime_ms();
    r->uptime_value = r->uptime_len > 0 ? parse_u32(buf, r->uptime_len) : 0;
    (void)sys_close(fd);

    fd = sys_open("/dev/led0", 0);
    r->led_on_rc = sys_write(fd, "1\n", 2);
    (void)sys_ioctl(fd, SYS_IOC_SEEK, 0);
    r->led_read_on = sys_read(fd, buf, 8) == 2 ? buf[0] : -1;
    r->led_off_rc = sys_write(fd, "0", 1);
    (void)sys_ioctl(fd, SYS_IOC_SEEK, 0);
    r->led_read_off = sys_read(fd, buf, 8) == 2 ? buf[0] : -1;
    (void)sys_close(fd);

    fd = sys_open("/dev/console", 0);
    r->console_rc = sys_write(fd, "abi: hello from pid 0\r\n", 23);
    (void)sys_close(fd);

    fd = sys_open("/dev/oled0", 0);
    static const uint8_t pattern[4] = { 0xFF, 0x81, 0x81, 0xFF };
    r->oled_seek = sys_ioctl(fd, SYS_IOC_SEEK, 2u * 128u + 10u);
    r->oled_write = sys_write(fd, pattern, 4);
    r->oled_flush = sys_ioctl(fd, OLED_IOC_FLUSH, 0);
    (void)sys_ioctl(fd, SYS_IOC_SEEK, 2u * 128u + 10u);
    r->oled_readback_ok = sys_read(fd, buf, 4) == 4 && memcmp(buf, pattern, 4) == 0;
    r->oled_contrast = sys_ioctl(fd, OLED_IOC_CONTRAST, 0x40);
    r->oled_invert = sys_ioctl(fd, OLED_IOC_INVERT, 1);
    r->oled_invert_off = sys_ioctl(fd, OLED_IOC_INVERT, 0);
    r->oled_power = sys_ioctl(fd, OLED_IOC_POWER, 1);
    (void)sys_ioctl(fd, SYS_IOC_SEEK, OLED_FRAME_BYTES);
    r->oled_past_end = sys_write(fd, pattern, 1);
    (void)sys_close(fd);

    fd = sys_open("/dev/dietemp0", 0);
    r->dietemp_len = sys_read(fd, buf, 64);
    r->dietemp_centi = r->dietemp_len > 0 ? parse_centi(buf, r->dietemp_len) : 0;
    (void)sys_close(fd);

    fd = sys_open("/dev/log0", 0);
    r->log_write = sys_write(fd, "abc\n", 4);
    int n = sys_read(fd, buf, 64);
    r->log_read = n;
    r->log_found = n >= 4 && memcmp(buf + n - 4, "abc\n", 4) == 0;
    (void)sys_close(fd);

    fd = sys_open("/dev/temp0", 0);
    r->temp_no_worker = sys_read(fd, buf, 16);
    (void)sys_close(fd);

    fd = sys_open("/dev", 0);
    char *dir = abi_ram.v.dir;
    size_t len = 0;
    while (len < sizeof abi_ram.v.dir - 1u && (n = sys_read(fd, dir + len, 50)) > 0)
        len += (size_t)n; /* in pieces: the node reads on from the file position */
    dir[len] = '\0';
    r->dir_has_oled = strstr(dir, "\n/dev/oled0\n") != NULL && strncmp(dir, "/dev/console\n", 13) == 0;
    (void)sys_close(fd);
}

static void blocking_cases(struct os_abi_results *r, uint8_t *buf)
{
    int fd = sys_open("/dev/button0", SYS_O_NONBLOCK);
    r->button_nonblock = sys_read(fd, buf, sizeof(struct sys_button_event));
    uint32_t t0 = sys_uptime_ms();
    r->poll_timeout_rc = sys_poll(fd, 50);
    r->poll_waited_ms = sys_uptime_ms() - t0;
    (void)sys_close(fd);

    fd = sys_open("/dev/button0", 0);
    struct sys_button_event e;
    r->button_blocked_from = sys_uptime_ms();
    r->button_read_rc = sys_read(fd, &e, sizeof e);
    r->button_blocked_until = sys_uptime_ms();
    r->button_pressed = e.pressed;
    r->button_ms = e.ms;
    r->release_rc = sys_read(fd, &e, sizeof e);
    r->release_pressed = e.pressed;
    (void)sys_close(fd);

    t0 = sys_uptime_ms();
    (void)sys_sleep_ms(20);
    r->sleep_elapsed_ms = sys_uptime_ms() - t0;
}

static void abi_main(uint32_t starts)
{
    (void)starts;
    struct os_abi_results *r = &abi_ram.v.r;
    uint8_t *buf = abi_ram.v.buf;
    r->canary = CANARY;
    r->getpid = sys_getpid();
    r->null_rc = raw_call(SYS_NULL);
    r->nosys = raw_call(99);
    r->enosys = -ENOSYS; /* newlib's number, not the host's */
    r->uptime0 = sys_uptime_ms();
    efault_cases(r, buf);
    error_cases(r);
    node_cases(r, buf);
    blocking_cases(r, buf);
    (void)sys_sleep_ms(100); /* the intruder's last start is long over */
    r->uptime1 = sys_uptime_ms();

    struct sys_fault_info f;
    int count = 0;
    while (count < 16 && sys_fault_info((unsigned)count, &f) == 0)
        count++;
    r->fault_count = count;
    for (int i = 0; i < count && i < OS_FAULTS; i++) {
        (void)sys_fault_info((unsigned)(count - 1 - i), &f);
        r->faults[i] = (struct os_fault){ f.pid, f.pc, f.cfsr, f.mmfar, f.exception, f.stack_overflow, f.restarted };
    }
    r->fault_none = sys_fault_info((unsigned)count, &f);
    r->magic0 = OS_MAGIC0;
    r->magic1 = OS_ABI_MAGIC1;
    r->done = 1;
    for (;;)
        (void)sys_sleep_ms(1000);
}

static void spin(struct spin *s, uint32_t which, float step)
{
    /* volatile: the loop never ends, the stores must still happen */
    volatile struct os_spin_results *r = &s->r;
    r->magic0 = OS_MAGIC0;
    r->magic1 = OS_SPIN_MAGIC1 + which;
    /* s16: a callee-saved register, which only the switch's VSTMDB/VLDMIA
     * keep per process (s0-s15 are in the hardware's lazy frame) */
    register float f __asm__("s16") = 0.0f;
    for (uint32_t i = 1;; i++) {
        f += step;
        __asm__ volatile("" : "+t"(f)); /* keep it in an FP register, opaque */
        r->count = i;
        if ((i & 0xFFFFu) == 0u) {
            if (f != step * 65536.0f)
                r->fp_errors++;
            f = 0.0f;
        }
    }
}

static void spin_a_main(uint32_t starts)
{
    (void)starts;
    spin(&spin_a_ram.v, 0, 1.0f);
}

static void spin_b_main(uint32_t starts)
{
    (void)starts;
    spin(&spin_b_ram.v, 1, 3.0f);
}

static uint32_t deep(uint32_t n)
{
    volatile uint8_t pad[64];
    pad[0] = (uint8_t)n;
    return n == 0 ? pad[0] : deep(n - 1) + pad[0];
}

static void intruder_main(uint32_t starts)
{
    (void)sys_sleep_ms(30);
    switch (starts) {
    case 0:
        abi_ram.v.r.canary = 0xBADu; /* another process's memory */
        break;
    case 1:
        __data_start[0] = 0xBADu; /* the kernel's */
        break;
    case 2:
        (void)deep(1000000u); /* pushes into its guard */
        break;
    case 3: {
        /* SP just above the guard: the SVC's exception frame would land in it */
        uint32_t sp = (uint32_t)&intruder_ram + SYS_GUARD_BYTES + 8u;
        __asm__ volatile("mov sp, %0\n svc #0" : : "r"(sp) : "memory");
        break;
    }
    default:
        break;
    }
    sys_exit(0);
}

static const struct sys_proc_desc abi = {
    .name = "abi", .entry = abi_main, .ram = &abi_ram, .ram_size = sizeof abi_ram,
    .stack_size = ABI_STACK, .prio = 2,
};
static const struct sys_proc_desc spin_a = {
    .name = "spin_a", .entry = spin_a_main, .ram = &spin_a_ram, .ram_size = sizeof spin_a_ram,
    .stack_size = SPIN_STACK, .prio = 1,
};
static const struct sys_proc_desc spin_b = {
    .name = "spin_b", .entry = spin_b_main, .ram = &spin_b_ram, .ram_size = sizeof spin_b_ram,
    .stack_size = SPIN_STACK, .prio = 1,
};
static const struct sys_proc_desc intruder = {
    .name = "intruder", .entry = intruder_main, .ram = &intruder_ram, .ram_size = sizeof intruder_ram,
    .stack_size = INTRUDER_STACK, .prio = 3, .flags = SYS_PROC_RESTART,
};

const struct sys_proc_desc *const sys_procs[] = { &abi, &spin_a, &spin_b, &intruder };
const unsigned sys_proc_count = sizeof sys_procs / sizeof sys_procs[0];

int main(void)
{
    (void)serial_puts("os-test: start\r\n");
    sys_start();
}
