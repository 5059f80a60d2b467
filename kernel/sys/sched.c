/*
 * The scheduler and the kernel's timer.
 *
 * The highest-priority ready process runs; equals take turns. Every event
 * that may change who runs (a wake-up, a block, a yield, the end of a
 * process, a slice tick) decides at once, under the interrupt lock, and
 * leaves the answer in sys_next; PendSV (switch.S) only carries it out,
 * so a switch costs no scheduling beyond the event's own. With nothing
 * ready PendSV idles in sys_idle (WFI); PendSV has the lowest priority,
 * so every interrupt still runs, and one that readies a process ends the
 * wait.
 *
 * Time: the monotonic timer of quartz/hal/mono_timer.h (TIM5 at 1 MHz on
 * the STM32F446) and its one alarm, armed for the nearest of: a sleeper's
 * deadline, the next slice tick while a process runs, the next console
 * poll while a reader waits. Slices are CPU time: a tick rotates equals
 * once the running one has used SYS_SLICE_US of the CPU since it was
 * picked (a preempted process resumes where its slice was), so a slice
 * ends 10 to 20 ms after it began. An idle kernel takes no tick.
 */
#include "cortex_m/core.h"
#include "cortex_m/intrinsics.h"
#include "dev.h"
#include "quartz/assert.h"
#include "quartz/cpu.h"
#include "quartz/hal/clock.h"
#include "quartz/hal/mono_timer.h"
#include "sys_impl.h"

#define SYS_SLICE_US 10000u
#define SYS_POLL_US 5000u /* console receive poll while a reader waits */

struct sys_proc *sys_cur;
struct sys_proc *sys_next;
uint32_t sys_ready; /* bit per pid: state SYS_READY */
uint32_t sys_last_cycles;
uint32_t sys_switch_cycles;

static bool rotate;         /* the running process yielded or had its slice: an equal goes next */
static uint64_t slice_next; /* the next slice tick while a process runs */
static uint8_t rr_last[SYS_PRIO_MAX + 1u]; /* per priority: the pid that had the last slice, + 1 (0: none) */
static uint64_t boot_ticks; /* from boot to the kernel timer's start */

/* Kernel time counts from boot: the kernel timer starts in sys_start, the
 * cycle counter in board_init (the system tick's bring-up); the difference
 * is added. */
uint64_t sys_now(void)
{
    return mono_timer_now() + boot_ticks;
}

uint32_t sys_ms(void)
{
    return (uint32_t)(sys_now() / (mono_timer_hz() / 1000u));
}

static uint64_t us_to_ticks(uint64_t us)
{
    return us * (mono_timer_hz() / 1000000u);
}

void sys_set_state(struct sys_proc *p, enum sys_proc_state s)
{
    p->state = (uint8_t)s;
    if (s == SYS_READY)
        sys_ready |= 1u << p->pid;
    else
        sys_ready &= ~(1u << p->pid);
}

/* Nearest deadline; with interrupts locked. */
static void arm_timer(void)
{
    uint64_t at = SYS_NEVER;
    bool console_wait = false;
    for (unsigned i = 0; i < sys_proc_count; i++) {
        struct sys_proc *p = &sys_proc_tab[i];
        if (p->state == SYS_BLOCKED && p->wake_at < at)
            at = p->wake_at;
        if (p->state == SYS_BLOCKED && p->wq == &sys_console_wq)
            console_wait = true;
    }
    if (sys_next != NULL && slice_next < at) /* a process runs (or will, once PendSV has run) */
        at = slice_next;
    /* The console poll only while a process runs: an idle kernel wakes on
     * the USART's receive interrupt anyway and polls after every wake-up
     * (sys_idle), so it needs no timer for it. */
    if (console_wait && sys_next != NULL) {
        uint64_t poll = sys_now() + us_to_ticks(SYS_POLL_US);
        if (poll < at)
            at = poll;
    }
    if (at == SYS_NEVER)
        mono_timer_disarm();
    else
        mono_timer_arm(at > boot_ticks ? at - boot_ticks : 0u); /* a past deadline fires at once */
}

/* Highest priority; among equals the running one, unless it yielded or
 * had its slice, then the next ready one after it in pid order. */
static struct sys_proc *choose(void)
{
    uint32_t ready = sys_ready;
    if (ready == 0u)
        return NULL;
    uint32_t best = 0u; /* the ready ones of the highest priority */
    unsigned prio = 0u;
    for (uint32_t w = ready; w != 0u; w &= w - 1u) {
        unsigned i = (unsigned)__builtin_ctz(w);
        unsigned pr = sys_proc_tab[i].prio;
        if (pr > prio) {
            prio = pr;
            best = 0u;
        }
        if (pr == prio)
            best |= 1u << i;
    }
    /* The one that had this level's slice keeps it (a preempted one resumes);
     * after a yield or a used-up slice the next one after it in pid order. */
    uint32_t last = rr_last[prio] != 0u ? 1u << (rr_last[prio] - 1u) : 0u;
    if ((best & last) && !rotate)
        return &sys_proc_tab[rr_last[prio] - 1u];
    uint32_t after = best & ~((last << 1) - 1u);
    if (last != 0u && after != 0u)
        best = after;
    return &sys_proc_tab[__builtin_ctz(best)];
}

/* With interrupts locked: decide, and pend the switch if it changes. */
void sys_resched(void)
{
    bool new_slice = rotate;
    struct sys_proc *next = choose();
    rotate = false;
    sys_next = next;
    if (next != NULL && (new_slice || rr_last[next->prio] != next->pid + 1u)) {
        rr_last[next->prio] = (uint8_t)(next->pid + 1u);
        next->slice_mark = (uint32_t)next->cycles; /* its slice starts */
    }
    if (next != sys_cur || sys_cur == NULL)
        SCB->ICSR = SCB_ICSR_PENDSVSET;
}

static void resched_timed(void)
{
    sys_resched();
    arm_timer();
}

/* From PendSV (switch.S) when sys_next is NULL: sleep until a process is
 * ready, then start the slice ticks again. */
struct sys_proc *sys_idle(void)
{
    sys_cur = NULL;
    bool armed = false;
    for (;;) {
        uint32_t key = cpu_irq_lock();
        struct sys_proc *next = sys_next;
        if (next != NULL) {
            slice_next = sys_now() + us_to_ticks(SYS_SLICE_US);
            sys_cur = next;
            arm_timer();
            SCB->ICSR = SCB_ICSR_PENDSVCLR; /* this switch is the one pended */
            cpu_irq_unlock(key);
            return next;
        }
        /* Armed once on the way in; every event that changes a deadline
         * after that re-arms it itself (resched_timed), so an interrupt
         * that changed nothing (a 1 kHz tick of an application timer)
         * costs this loop one pass and no timer reprogramming. */
        if (!armed)
            arm_timer();
        armed = true;
        /* WFI with interrupts masked still ends on a pending one (B1.5.19);
         * it runs on the unlock below. */
        __DSB();
        __WFI();
        cpu_irq_unlock(key);
        /* Most wake-ups are timer ticks with nothing received: the console
         * is polled only after its receive interrupt said something came. */
        if (sys_console_rx_seen) {
            sys_console_rx_seen = false;
            sys_poll_devices();
        }
    }
}

static void waitq_leave(struct sys_proc *p)
{
    if (p->wq != NULL)
        p->wq->waiters &= ~(1u << p->pid);
    p->wq = NULL;
}

int sys_block(struct sys_waitq *wq, uint32_t seq, uint64_t wake_at, int32_t timeout_rc)
{
    struct sys_proc *p = sys_cur;
    uint32_t key = cpu_irq_lock();
    p->frame[6] -= 2u; /* the stacked PC back onto the 16-bit SVC: it runs again when woken */
    p->wake_at = wake_at;
    /* The queue was woken after the caller looked: run the SVC again at once. */
    if (wq != NULL && wq->seq != seq) {
        p->woken = true;
        cpu_irq_unlock(key);
        return SYS_BLOCKED_RC;
    }
    sys_set_state(p, SYS_BLOCKED);
    p->wq = wq;
    if (wq != NULL)
        wq->waiters |= 1u << p->pid;
    p->timeout_rc = timeout_rc;
    p->woken = false;
    resched_timed();
    cpu_irq_unlock(key);
    return SYS_BLOCKED_RC;
}

void sys_wake_all(struct sys_waitq *wq)
{
    uint32_t key = cpu_irq_lock();
    wq->seq++;
    for (uint32_t w = wq->waiters; w != 0; w &= w - 1u) {
        struct sys_proc *p = &sys_proc_tab[__builtin_ctz(w)];
        sys_set_state(p, SYS_READY);
        p->wq = NULL;
        p->woken = true; /* it re-runs its SVC (a poll keeps its deadline, wake_at) */
    }
    wq->waiters = 0;
    resched_timed();
    cpu_irq_unlock(key);
}

void sys_kwait(struct sys_waitq *wq, bool (*ready)(void *ctx), void *ctx)
{
    uint32_t key = cpu_irq_lock();
    while (!ready(ctx)) {
        struct sys_proc *p = sys_cur;
        sys_set_state(p, SYS_BLOCKED);
        p->wq = wq;
        wq->waiters |= 1u << p->pid;
        p->wake_at = SYS_NEVER;
        resched_timed();
        cpu_irq_unlock(key); /* PendSV (pended) runs here: thread mode, lowest priority above it */
        key = cpu_irq_lock();
    }
    cpu_irq_unlock(key);
}

bool sys_kwait_us(struct sys_waitq *wq, bool (*ready)(void *ctx), void *ctx, uint32_t us)
{
    uint64_t until = sys_now() + us_to_ticks(us);
    uint32_t key = cpu_irq_lock();
    bool ok;
    while (!(ok = ready(ctx)) && sys_now() < until) {
        struct sys_proc *p = sys_cur;
        sys_set_state(p, SYS_BLOCKED);
        p->wq = wq;
        wq->waiters |= 1u << p->pid;
        p->wake_at = until;
        p->timeout_rc = SYS_TIMEOUT_RETRY; /* no SVC frame to answer */
        resched_timed();
        cpu_irq_unlock(key); /* PendSV runs here, as in sys_kwait */
        key = cpu_irq_lock();
    }
    cpu_irq_unlock(key);
    return ok;
}

void sys_ksleep_us(uint32_t us)
{
    uint32_t key = cpu_irq_lock();
    struct sys_proc *p = sys_cur;
    sys_set_state(p, SYS_BLOCKED);
    p->wq = NULL;
    p->wake_at = sys_now() + us_to_ticks(us);
    p->timeout_rc = SYS_TIMEOUT_RETRY; /* no SVC frame to answer */
    resched_timed();
    cpu_irq_unlock(key);
}

void sys_yield_now(void)
{
    uint32_t key = cpu_irq_lock();
    rotate = true;
    sys_resched();
    cpu_irq_unlock(key);
}

/* The kernel timer's alarm (mono_timer interrupt). */
static void timer_expired(void)
{
    uint64_t now = sys_now();
    uint32_t key = cpu_irq_lock();
    for (unsigned i = 0; i < sys_proc_count; i++) {
        struct sys_proc *p = &sys_proc_tab[i];
        if (p->state == SYS_BLOCKED && p->wake_at <= now) {
            waitq_leave(p);
            p->wake_at = SYS_NEVER;
            if (p->timeout_rc != SYS_TIMEOUT_RETRY) {
                p->frame[6] += 2u; /* past the SVC again: it returns */
                p->frame[0] = (uint32_t)p->timeout_rc;
            }
            p->woken = false;
            sys_set_state(p, SYS_READY);
        }
    }
    struct sys_proc *cur = sys_cur;
    if (now >= slice_next) {
        /* (also while idle, with a process just readied: a stale tick
         * would fire again at once, above PendSV, and starve it) */
        if (cur != NULL) {
            uint32_t used = (uint32_t)cur->cycles + (DWT->CYCCNT - sys_last_cycles) - cur->slice_mark;
            if (used >= SYS_SLICE_US * (clock_hclk_hz() / 1000000u))
                rotate = true; /* its slice is used up: an equal goes next */
        }
        slice_next = now + us_to_ticks(SYS_SLICE_US);
    }
    resched_timed();
    cpu_irq_unlock(key);
    sys_poll_devices();
}

void sys_leave(struct sys_proc *p, enum sys_proc_state how)
{
    uint32_t key = cpu_irq_lock();
    waitq_leave(p);
    p->wake_at = SYS_NEVER;
    sys_set_state(p, how);
    if (p == sys_cur)
        sys_cur = NULL; /* PendSV must not save its context */
    resched_timed();
    cpu_irq_unlock(key);
}

void sys_ready_now(struct sys_proc *p)
{
    uint32_t key = cpu_irq_lock();
    sys_set_state(p, SYS_READY);
    resched_timed();
    cpu_irq_unlock(key);
}

void sys_sched_start(unsigned timer_prio)
{
    uint32_t cycles = DWT->CYCCNT;
    int rc = mono_timer_init(timer_prio, timer_expired);
    QUARTZ_ASSERT(rc == 0);
    boot_ticks = (uint64_t)cycles / (clock_hclk_hz() / mono_timer_hz());
    slice_next = sys_now() + us_to_ticks(SYS_SLICE_US);
}
