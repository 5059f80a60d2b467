/*
 * Inside the kernel layer (kernel/sys): the process records, wait queues,
 * files and device nodes. Not for processes (they see quartz/sys.h only).
 *
 * Concurrency: the scheduler state (process states, wait queues, the
 * timer) is changed from the SVC handler, PendSV (both at the lowest
 * priority, so neither preempts the other), the kernel timer's interrupt
 * and device interrupts (EXTI for the button); every change is made under
 * cpu_irq_lock(), a few dozen cycles at most.
 */
#ifndef SYS_IMPL_H
#define SYS_IMPL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "quartz/kernel/proc.h"
#include "quartz/sys.h"

/* A syscall that put its caller to sleep (the result comes later). */
#define SYS_BLOCKED_RC INT32_MIN

/* sys_block's timeout_rc: when the time is up, run the SVC again. */
#define SYS_TIMEOUT_RETRY (INT32_MIN + 1)

#define SYS_NEVER UINT64_MAX

struct sys_waitq {
    uint32_t waiters; /* one bit per pid */
    uint32_t seq;     /* counts the wake-ups: a waiter that saw an older seq does not sleep */
};

struct sys_dev;

/* sys_file.flags beside the SYS_O_* of sys_open: a node's request on the
 * bus for this file has started (the re-run SVC collects its result). */
#define SYS_F_STARTED 0x80000000u

struct sys_file {
    const struct sys_dev *dev; /* NULL: the fd is free */
    uint32_t pos;
    uint32_t flags; /* SYS_O_*, SYS_F_* */
};

/* Every op may be NULL (then: -EACCES for read/write, -ENOTTY for ioctl). */
struct sys_dev_ops {
    int (*open)(struct sys_file *f);
    void (*close)(struct sys_file *f);
    /* Bytes read (0: end of file) or -EAGAIN: nothing now, wait on the node's wq. */
    int (*read)(struct sys_file *f, uint8_t *buf, size_t len);
    int (*write)(struct sys_file *f, const uint8_t *buf, size_t len);
    int (*ioctl)(struct sys_file *f, uint32_t request, uint32_t value);
    /* SYS_POLLIN when a read would not wait; NULL: always readable. */
    int (*poll)(struct sys_file *f);
};

struct sys_dev {
    const char *path;
    const struct sys_dev_ops *ops;
    struct sys_waitq *wq; /* where readers wait, or NULL */
};

extern const struct sys_dev sys_devs[];
extern const unsigned sys_dev_count;
/* An image's own nodes, beside the kernel's (optional: define both, and
 * sys_image_devs_init for bring-up in thread mode before the processes). */
extern const struct sys_dev sys_image_devs[];
extern const unsigned sys_image_dev_count;
void sys_image_devs_init(void);
/* Every node, the kernel's first: i < sys_dev_total(). */
unsigned sys_dev_total(void);
const struct sys_dev *sys_dev_at(unsigned i);

/* The process record; switch.S knows sp, mpu and cycles (asserted below). */
struct sys_proc {
    uint32_t sp;      /* saved PSP while not running */
    uint32_t mpu[4];  /* RBAR, RASR of MPU regions 2 and 3 */
    uint32_t control; /* CONTROL in thread mode: nPRIV 1 (a process) or 0 (a kernel worker) */
    uint32_t *frame;  /* the hardware frame of its last SVC */
    uint64_t cycles;  /* CPU cycles it ran */
    uint64_t wake_at; /* sys_now() ticks, SYS_NEVER; kept after a wake-up for the re-run poll */
    struct sys_waitq *wq;
    int32_t timeout_rc; /* the result when wake_at comes first */
    uint32_t slice_mark; /* low word of cycles when its slice began */
    uint16_t starts;
    uint16_t faults;
    uint8_t state; /* enum sys_proc_state */
    uint8_t pid;
    uint8_t prio;  /* the table's, here for the scheduler */
    bool woken;    /* a wake-up (not the timeout) ended its last sleep */
    struct sys_file files[SYS_FD_MAX];
};
_Static_assert(offsetof(struct sys_proc, sp) == 0 && offsetof(struct sys_proc, mpu) == 4
               && offsetof(struct sys_proc, control) == 20 && offsetof(struct sys_proc, cycles) == 32,
               "kernel/sys/switch.S: struct sys_proc offsets");

extern struct sys_proc sys_proc_tab[SYS_PROC_MAX];
extern struct sys_proc *sys_cur;  /* the running process, NULL while idle or after it died */
extern struct sys_proc *sys_next; /* the scheduler's decision, carried out by PendSV */
extern uint32_t sys_last_cycles;   /* DWT CYCCNT at the last switch (switch.S) */
extern uint32_t sys_switch_cycles; /* the last switch's PendSV, first instruction to return */

/* Scheduler (sched.c); with interrupts locked where it says so. */
uint64_t sys_now(void); /* ticks of the kernel timer (1 MHz on the STM32F446 port) since boot */
uint32_t sys_ms(void);
void sys_sched_start(unsigned timer_prio);
void sys_set_state(struct sys_proc *p, enum sys_proc_state s); /* locked */
void sys_resched(void);                                        /* locked */
void sys_ready_now(struct sys_proc *p);
void sys_leave(struct sys_proc *p, enum sys_proc_state how);
int sys_block(struct sys_waitq *wq, uint32_t seq, uint64_t wake_at, int32_t timeout_rc);
void sys_wake_all(struct sys_waitq *wq);
void sys_yield_now(void);
/* For kernel workers (SYS_PROC_KERNEL, thread mode, no SVC frame): sleep on
 * wq until ready(ctx) holds, or for `us` microseconds. */
void sys_kwait(struct sys_waitq *wq, bool (*ready)(void *ctx), void *ctx);
void sys_ksleep_us(uint32_t us);
/* sys_kwait for at most `us` microseconds: whether ready(ctx) held. */
bool sys_kwait_us(struct sys_waitq *wq, bool (*ready)(void *ctx), void *ctx, uint32_t us);

/* Processes (proc.c) */
void sys_proc_end(struct sys_proc *p, enum sys_proc_state how);
int sys_proc_restart(struct sys_proc *p);
void sys_proc_info_fill(const struct sys_proc *p, struct sys_proc_info *info);
void sys_poll_devices(void);

/* Faults (fault.c) */
int sys_fault_get(unsigned index, struct sys_fault_info *out);

/* Files (file.c) */
void sys_files_close_all(struct sys_proc *p);
int sys_file_open(struct sys_proc *p, const char *path, uint32_t flags);
struct sys_file *sys_file_get(struct sys_proc *p, int32_t fd);

/* User memory (uaccess.c): 0 or -EFAULT. */
int sys_user_readable(const struct sys_proc *p, uint32_t addr, uint32_t len);
int sys_user_writable(const struct sys_proc *p, uint32_t addr, uint32_t len);
int sys_user_string(const struct sys_proc *p, uint32_t addr, uint32_t max, uint32_t *len);

/* Text nodes: copy `text` from the file position on, advance it. */
int sys_dev_text(struct sys_file *f, uint8_t *buf, size_t len, const char *text, size_t n);

/* Console output from the kernel (fault reports). */
void sys_console_puts(const char *s);
void sys_console_hex(const char *label, uint32_t v);
void sys_console_dec(const char *label, uint32_t v);

#endif
