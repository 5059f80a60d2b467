/*
 * Syscall dispatch (quartz/sys.h for the ABI). Every pointer argument is
 * checked against the caller's regions (uaccess.c) before it is used.
 */
#include <errno.h>
#include <string.h>

#include "cortex_m/core.h"
#include "sys_impl.h"

#define PATH_MAX_LEN 32u

typedef int32_t (*sys_fn)(struct sys_proc *p, const uint32_t *a);

void sys_svc(uint32_t *frame);

static int32_t do_null(struct sys_proc *p, const uint32_t *a)
{
    (void)p;
    (void)a;
    return 0;
}

static int32_t do_open(struct sys_proc *p, const uint32_t *a)
{
    uint32_t len;
    int rc = sys_user_string(p, a[0], PATH_MAX_LEN, &len);
    if (rc != 0)
        return rc;
    return sys_file_open(p, (const char *)a[0], a[1]);
}

static int32_t do_close(struct sys_proc *p, const uint32_t *a)
{
    struct sys_file *f = sys_file_get(p, (int32_t)a[0]);
    if (f == NULL)
        return -EBADF;
    if (f->dev->ops->close != NULL)
        f->dev->ops->close(f);
    f->dev = NULL;
    return 0;
}

/* -EAGAIN from a node: sleep on its queue unless the file is non-blocking. */
static int32_t wait_or_again(struct sys_file *f, uint32_t seq, int32_t rc)
{
    if (rc != -EAGAIN || (f->flags & SYS_O_NONBLOCK) || f->dev->wq == NULL)
        return rc;
    return sys_block(f->dev->wq, seq, SYS_NEVER, 0);
}

static int32_t do_read(struct sys_proc *p, const uint32_t *a)
{
    struct sys_file *f = sys_file_get(p, (int32_t)a[0]);
    if (f == NULL)
        return -EBADF;
    if (f->dev->ops->read == NULL)
        return -EACCES;
    int rc = sys_user_writable(p, a[1], a[2]);
    if (rc != 0)
        return rc;
    uint32_t seq = f->dev->wq != NULL ? f->dev->wq->seq : 0u;
    return wait_or_again(f, seq, f->dev->ops->read(f, (uint8_t *)a[1], a[2]));
}

static int32_t do_write(struct sys_proc *p, const uint32_t *a)
{
    struct sys_file *f = sys_file_get(p, (int32_t)a[0]);
    if (f == NULL)
        return -EBADF;
    if (f->dev->ops->write == NULL)
        return -EACCES;
    int rc = sys_user_readable(p, a[1], a[2]);
    if (rc != 0)
        return rc;
    return f->dev->ops->write(f, (const uint8_t *)a[1], a[2]);
}

static int32_t do_ioctl(struct sys_proc *p, const uint32_t *a)
{
    struct sys_file *f = sys_file_get(p, (int32_t)a[0]);
    if (f == NULL)
        return -EBADF;
    if (a[1] == SYS_IOC_SEEK) {
        f->pos = a[2];
        return 0;
    }
    if (f->dev->ops->ioctl == NULL)
        return -ENOTTY;
    return f->dev->ops->ioctl(f, a[1], a[2]);
}

static int32_t do_poll(struct sys_proc *p, const uint32_t *a)
{
    struct sys_file *f = sys_file_get(p, (int32_t)a[0]);
    if (f == NULL)
        return -EBADF;
    int32_t timeout_ms = (int32_t)a[1];
    uint32_t seq = f->dev->wq != NULL ? f->dev->wq->seq : 0u;
    int ready = f->dev->ops->poll != NULL ? f->dev->ops->poll(f) : (int)SYS_POLLIN;
    if (ready != 0 || timeout_ms == 0 || f->dev->wq == NULL)
        return ready;
    /* After a wake-up the call runs again: keep its first deadline. */
    uint64_t deadline = SYS_NEVER;
    if (p->woken)
        deadline = p->wake_at;
    else if (timeout_ms > 0)
        deadline = sys_now() + (uint64_t)timeout_ms * 1000u;
    return sys_block(f->dev->wq, seq, deadline, 0);
}

static int32_t do_sleep_ms(struct sys_proc *p, const uint32_t *a)
{
    (void)p;
    if (a[0] == 0u)
        return 0;
    return sys_block(NULL, 0, sys_now() + (uint64_t)a[0] * 1000u, 0);
}

static int32_t do_uptime_ms(struct sys_proc *p, const uint32_t *a)
{
    (void)p;
    (void)a;
    return (int32_t)(sys_ms() & 0x7FFFFFFFu);
}

static int32_t do_getpid(struct sys_proc *p, const uint32_t *a)
{
    (void)a;
    return p->pid;
}

static int32_t do_exit(struct sys_proc *p, const uint32_t *a)
{
    (void)a;
    sys_proc_end(p, SYS_STOPPED);
    return 0;
}

static int32_t do_yield(struct sys_proc *p, const uint32_t *a)
{
    (void)p;
    (void)a;
    sys_yield_now();
    return 0;
}

static int32_t do_cycles(struct sys_proc *p, const uint32_t *a)
{
    (void)p;
    if (a[0] == 1u)
        return (int32_t)(sys_switch_cycles & 0x7FFFFFFFu);
    return (int32_t)(DWT->CYCCNT & 0x7FFFFFFFu);
}

static struct sys_proc *proc_of(uint32_t pid)
{
    return pid < sys_proc_count ? &sys_proc_tab[pid] : NULL;
}

static int32_t do_proc_info(struct sys_proc *p, const uint32_t *a)
{
    struct sys_proc *q = proc_of(a[0]);
    if (q == NULL)
        return -ESRCH;
    int rc = sys_user_writable(p, a[1], sizeof(struct sys_proc_info));
    if (rc != 0)
        return rc;
    sys_proc_info_fill(q, (struct sys_proc_info *)a[1]);
    return 0;
}

static int32_t do_fault_info(struct sys_proc *p, const uint32_t *a)
{
    int rc = sys_user_writable(p, a[1], sizeof(struct sys_fault_info));
    if (rc != 0)
        return rc;
    return sys_fault_get(a[0], (struct sys_fault_info *)a[1]);
}

static int32_t do_kill(struct sys_proc *p, const uint32_t *a)
{
    (void)p;
    struct sys_proc *q = proc_of(a[0]);
    if (q == NULL)
        return -ESRCH;
    if (q->state == SYS_STOPPED || q->state == SYS_FAULTED)
        return 0;
    sys_proc_end(q, SYS_STOPPED);
    return 0;
}

static int32_t do_restart(struct sys_proc *p, const uint32_t *a)
{
    (void)p;
    struct sys_proc *q = proc_of(a[0]);
    if (q == NULL)
        return -ESRCH;
    return sys_proc_restart(q);
}

static const sys_fn calls[SYS_CALLS] = {
    [SYS_NULL] = do_null,
    [SYS_OPEN] = do_open,
    [SYS_CLOSE] = do_close,
    [SYS_READ] = do_read,
    [SYS_WRITE] = do_write,
    [SYS_IOCTL] = do_ioctl,
    [SYS_POLL] = do_poll,
    [SYS_SLEEP_MS] = do_sleep_ms,
    [SYS_UPTIME_MS] = do_uptime_ms,
    [SYS_GETPID] = do_getpid,
    [SYS_EXIT] = do_exit,
    [SYS_YIELD] = do_yield,
    [SYS_CYCLES] = do_cycles,
    [SYS_PROC_INFO] = do_proc_info,
    [SYS_FAULT_INFO] = do_fault_info,
    [SYS_KILL] = do_kill,
    [SYS_RESTART] = do_restart,
};

/* From SVC_Handler (switch.S) with the caller's hardware frame. */
void sys_svc(uint32_t *frame)
{
    struct sys_proc *p = sys_cur;
    if (p == NULL) {
        /* An SVC whose stacking faulted: its process is gone (the switch is pended). */
        return;
    }
    uint32_t nr = frame[4];
    p->frame = frame;
    int32_t rc = nr < SYS_CALLS ? calls[nr](p, frame) : -ENOSYS;
    /* A blocked call re-runs its SVC when woken (sys_block); a process that
     * ended in its own call (exit, kill or restart of itself) has no frame
     * to answer any more: sys_cur is no longer it. */
    if (rc != SYS_BLOCKED_RC && sys_cur == p) {
        frame[0] = (uint32_t)rc;
        p->woken = false;
    }
}
