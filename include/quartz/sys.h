/*
 * The user side of quartz's kernel layer (kernel/sys, docs/os.md): the
 * system call ABI and its wrappers, for code running in a process
 * (unprivileged, on its own stack, seeing only its own RAM and the flash).
 *
 * ABI: `svc #0` with the call number in r12 and up to four arguments in
 * r0-r3; the result comes back in r0: >= 0 on success, a negative errno
 * (<errno.h>) on failure. r12 and not the SVC immediate: the kernel reads
 * the number from the exception frame it already has, instead of loading
 * the SVC instruction back from the stacked PC (one load from flash fewer,
 * and no trust in the caller's PC). Every other register is preserved.
 *
 * Pointers: every buffer the kernel is asked to read must lie inside the
 * caller's RAM region or the flash, every buffer it writes inside the
 * caller's RAM region, whole (no straddling, no wrap-around); anything
 * else is -EFAULT before the kernel touches it.
 *
 * Blocking: a read with nothing to return (console, button) puts the
 * caller to sleep until the device has data, unless the file was opened
 * with SYS_O_NONBLOCK (then -EAGAIN). sys_poll waits with a timeout.
 */
#ifndef QUARTZ_SYS_H
#define QUARTZ_SYS_H

#include <stddef.h>
#include <stdint.h>

enum sys_call {
    SYS_NULL,      /* does nothing, returns 0 (the syscall_null_cycles bench) */
    SYS_OPEN,      /* (path, flags) -> fd */
    SYS_CLOSE,     /* (fd) */
    SYS_READ,      /* (fd, buf, len) -> bytes, 0 at the end */
    SYS_WRITE,     /* (fd, buf, len) -> bytes */
    SYS_IOCTL,     /* (fd, request, value) -> request's result */
    SYS_POLL,      /* (fd, timeout_ms; < 0 forever) -> SYS_POLLIN, or 0 on timeout */
    SYS_SLEEP_MS,  /* (ms) */
    SYS_UPTIME_MS, /* () -> ms since boot, modulo 2^31 */
    SYS_GETPID,    /* () -> pid */
    SYS_EXIT,      /* (status); does not return */
    SYS_YIELD,     /* () let another process of the same priority run */
    SYS_CYCLES,    /* (0) -> the core's cycle counter, (1) -> the cycles of the last process
                      switch (PendSV, first instruction to its return); modulo 2^31 (benchmarks) */
    SYS_PROC_INFO, /* (pid, struct sys_proc_info *) */
    SYS_FAULT_INFO,/* (index from newest, struct sys_fault_info *) */
    SYS_KILL,      /* (pid) stop a process */
    SYS_RESTART,   /* (pid) start it again, fresh */
    SYS_CALLS
};

/* sys_open flags */
#define SYS_O_NONBLOCK 0x1u

/* sys_poll result */
#define SYS_POLLIN 0x1u

/* ioctl requests every node takes */
#define SYS_IOC_SEEK 0x100u /* value: the new file position */
/* /dev/oled0 */
#define OLED_IOC_FLUSH 0x200u    /* send what changed (waits for the bus) */
#define OLED_IOC_CONTRAST 0x201u /* value 0..255 */
#define OLED_IOC_INVERT 0x202u   /* value 0/1 */
#define OLED_IOC_POWER 0x203u    /* value 0 (display off) / 1 (on) */

#define OLED_FRAME_BYTES 1024u

/* /dev/button0: one press or release, 8 bytes per read */
struct sys_button_event {
    uint32_t ms;     /* uptime of the edge */
    uint8_t pressed; /* 1 press, 0 release */
    uint8_t pad[3];
};

/* SYS_RUNNING only in sys_proc_info: the caller itself, or the one it preempted */
enum sys_proc_state { SYS_STOPPED, SYS_READY, SYS_BLOCKED, SYS_FAULTED, SYS_RUNNING };

struct sys_proc_info {
    char name[12];
    uint8_t state; /* enum sys_proc_state */
    uint8_t prio;
    uint16_t starts;
    uint32_t stack_size;
    uint32_t stack_used;   /* high-water mark in bytes */
    uint32_t cpu_permille; /* share of the cycles since boot */
};

struct sys_fault_info {
    uint32_t seq; /* 1 for the first fault since boot */
    uint32_t ms;
    uint32_t pc;
    uint32_t cfsr;
    uint32_t mmfar;
    uint8_t pid;
    uint8_t exception;      /* 3 HardFault (an escalated one), 4 MemManage, 5 BusFault, 6 UsageFault */
    uint8_t stack_overflow; /* the guard region was hit */
    uint8_t restarted;
    char name[12];
};

static inline int32_t sys_call4(enum sys_call nr, uint32_t a0, uint32_t a1, uint32_t a2, uint32_t a3)
{
    register uint32_t r0 __asm__("r0") = a0;
    register uint32_t r1 __asm__("r1") = a1;
    register uint32_t r2 __asm__("r2") = a2;
    register uint32_t r3 __asm__("r3") = a3;
    register uint32_t r12 __asm__("r12") = (uint32_t)nr;
    __asm__ volatile("svc #0" : "+r"(r0) : "r"(r1), "r"(r2), "r"(r3), "r"(r12) : "memory");
    return (int32_t)r0;
}

static inline int sys_open(const char *path, uint32_t flags)
{
    return sys_call4(SYS_OPEN, (uint32_t)path, flags, 0, 0);
}
static inline int sys_close(int fd)
{
    return sys_call4(SYS_CLOSE, (uint32_t)fd, 0, 0, 0);
}
static inline int sys_read(int fd, void *buf, size_t len)
{
    return sys_call4(SYS_READ, (uint32_t)fd, (uint32_t)buf, len, 0);
}
static inline int sys_write(int fd, const void *buf, size_t len)
{
    return sys_call4(SYS_WRITE, (uint32_t)fd, (uint32_t)buf, len, 0);
}
static inline int sys_ioctl(int fd, uint32_t request, uint32_t value)
{
    return sys_call4(SYS_IOCTL, (uint32_t)fd, request, value, 0);
}
static inline int sys_poll(int fd, int32_t timeout_ms)
{
    return sys_call4(SYS_POLL, (uint32_t)fd, (uint32_t)timeout_ms, 0, 0);
}
static inline int sys_sleep_ms(uint32_t ms)
{
    return sys_call4(SYS_SLEEP_MS, ms, 0, 0, 0);
}
static inline uint32_t sys_uptime_ms(void)
{
    return (uint32_t)sys_call4(SYS_UPTIME_MS, 0, 0, 0, 0);
}
static inline int sys_getpid(void)
{
    return sys_call4(SYS_GETPID, 0, 0, 0, 0);
}
__attribute__((noreturn)) static inline void sys_exit(int status)
{
    (void)sys_call4(SYS_EXIT, (uint32_t)status, 0, 0, 0);
    __builtin_unreachable();
}
static inline int sys_yield(void)
{
    return sys_call4(SYS_YIELD, 0, 0, 0, 0);
}
static inline int sys_proc_info(int pid, struct sys_proc_info *info)
{
    return sys_call4(SYS_PROC_INFO, (uint32_t)pid, (uint32_t)info, 0, 0);
}
static inline int sys_fault_info(unsigned index, struct sys_fault_info *info)
{
    return sys_call4(SYS_FAULT_INFO, index, (uint32_t)info, 0, 0);
}
static inline int sys_kill(int pid)
{
    return sys_call4(SYS_KILL, (uint32_t)pid, 0, 0, 0);
}
static inline int sys_restart(int pid)
{
    return sys_call4(SYS_RESTART, (uint32_t)pid, 0, 0, 0);
}

#endif
