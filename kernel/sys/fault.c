/*
 * A process's fault ends that process only (switch.S sends MemManage,
 * BusFault and UsageFault from thread mode here). The kernel records it
 * (pid, PC, CFSR, MMFAR), reports it on the console and restarts the
 * process if its table entry says so; the kernel and the other processes
 * run on. Faults of the kernel itself still go to the runtime's
 * record-and-reset (arch/cortex-m/fault.c).
 *
 * A stack overflow runs into the guard (the lowest SYS_GUARD_BYTES of the
 * process's region, privileged only): a push there is a DACCVIOL with
 * MMFAR in the guard, an exception entry whose frame would land there is
 * an MSTKERR (ARMv7-M B3.2.15, the frame is not written).
 */
#include <errno.h>
#include <string.h>

#include "cortex_m/core.h"
#include "cortex_m/intrinsics.h"
#include "sys_impl.h"

#define FAULT_LOG 4u /* the newest records kept */

#define CFSR_MMFSR_MASK 0xFFu
#define CFSR_WRITE_ONE_TO_CLEAR 0xFFFFFFFFu

static struct sys_fault_info fault_log[FAULT_LOG];
static uint32_t fault_seq;

void sys_fault_proc(uint32_t *frame, uint32_t exc_return);

int sys_fault_get(unsigned index, struct sys_fault_info *out)
{
    if (index >= FAULT_LOG || index >= fault_seq)
        return -ENOENT;
    *out = fault_log[(fault_seq - 1u - index) % FAULT_LOG];
    return 0;
}

static const char *exception_name(uint32_t exc)
{
    switch (exc) {
    case 3:
        return "HardFault";
    case 4:
        return "MemManage";
    case 5:
        return "BusFault";
    case 6:
        return "UsageFault";
    default:
        return "fault";
    }
}

void sys_fault_proc(uint32_t *frame, uint32_t exc_return)
{
    (void)exc_return;
    struct sys_proc *p = sys_cur;
    uint32_t cfsr = SCB->CFSR;
    uint32_t mmfar = SCB->MMFAR;
    SCB->CFSR = CFSR_WRITE_ONE_TO_CLEAR; /* B3.2.15: the bits are sticky until written 1 */
    SCB->HFSR = SCB->HFSR;               /* B3.2.16: FORCED, of an escalated fault, likewise */
    if (p == NULL)
        return; /* nothing runs on the process stack: a spurious entry */

    const struct sys_proc_desc *d = sys_procs[p->pid];
    uint32_t base = (uint32_t)d->ram;
    uint32_t f = (uint32_t)frame;
    bool frame_ok = f >= base + SYS_GUARD_BYTES && f <= base + d->ram_size - 32u && (f & 3u) == 0u;
    bool guard_hit = (cfsr & SCB_CFSR_MSTKERR) != 0u
                     || ((cfsr & SCB_CFSR_MMARVALID) != 0u && mmfar >= base && mmfar < base + SYS_GUARD_BYTES)
                     || (f >= base - 32u && f < base + SYS_GUARD_BYTES);

    struct sys_fault_info *r = &fault_log[fault_seq % FAULT_LOG];
    memset(r, 0, sizeof *r);
    r->seq = ++fault_seq;
    r->ms = sys_ms();
    r->pid = p->pid;
    r->pc = frame_ok ? frame[6] : 0u;
    r->cfsr = cfsr;
    r->mmfar = (cfsr & SCB_CFSR_MMARVALID) != 0u ? mmfar : 0u;
    r->exception = (uint8_t)(__get_IPSR() & 0x1FFu);
    r->stack_overflow = guard_hit;
    strncpy(r->name, d->name, sizeof r->name - 1u);

    p->faults++;
    bool restart = (d->flags & SYS_PROC_RESTART) && p->faults <= SYS_RESTART_MAX;
    r->restarted = restart;

    sys_console_puts("\r\nkernel: pid ");
    sys_console_dec("", p->pid);
    sys_console_puts(" (");
    sys_console_puts(d->name);
    sys_console_puts(") ");
    sys_console_puts(exception_name(r->exception));
    if (guard_hit)
        sys_console_puts(" stack overflow");
    sys_console_hex(" pc=", r->pc);
    sys_console_hex(" cfsr=", cfsr);
    sys_console_hex(" mmfar=", r->mmfar);
    sys_console_puts(restart ? ": killed, restarted\r\n" : ": killed\r\n");

    /* PendSV (pended here) runs before this handler's return would pop
     * the dead frame: it has the lowest priority but is above thread mode. */
    if (restart)
        (void)sys_proc_restart(p);
    else
        sys_proc_end(p, SYS_FAULTED);
}
