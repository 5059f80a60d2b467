/*
 * Processes: start, end, the scheduler and the kernel's timer.
 *
 * Scheduling: the highest priority ready process runs; equals take turns
 * in slices of SYS_SLICE_US (the kernel timer ends a slice). The choice is
 * made in PendSV (switch.S calls sys_pick), which every event that may
 * change it pends. With nothing ready, sys_pick sleeps in WFI inside
 * PendSV: PendSV has the lowest priority, so every interrupt still runs,
 * and one that wakes a process ends the wait.
 *
 * Time: the monotonic timer of quartz/hal/mono_timer.h (TIM5 at 1 MHz on
 * the STM32F446) with its one alarm, armed for the nearest of: a sleeper's
 * deadline, the end of the running slice, the next console poll.
 * Tickless: an idle kernel takes no interrupt it does not need.
 */
#include <errno.h>
#include <string.h>

#include "cortex_m/core.h"
#include "cortex_m/intrinsics.h"
#include "cortex_m/nvic.h"
#include "quartz/assert.h"
#include "quartz/cpu.h"
#include "quartz/hal/clock.h"
#include "quartz/hal/irq.h"
#include "quartz/hal/mono_timer.h"
#include "dev.h"
#include "sys_impl.h"

#define SYS_SLICE_US 10000u /* round-robin slice among equal priorities */
#define SYS_POLL_US 5000u   /* console receive poll while a reader waits */
#define STACK_FILL 0xA5u     /* untouched stack, for the high-water mark */

/* Exception numbers (ARMv7-M B1.5.2) as nvic_set_priority takes them. */
#define SVCALL_EXC (-5)
#define PENDSV_EXC (-2)

/* xPSR of a new frame: Thumb state (B1.4.2 EPSR.T). */
#define XPSR_T 0x01000000u
/* EXC_RETURN: thread mode, process stack, no FP frame (B1.5.8). */
#define EXC_RETURN_THREAD_PSP 0xFFFFFFFDu

/* RASR fields (B3.5.9): AP 0b011 full access, 0b001 privileged only,
 * 0b110 read-only for both; TEX 0 C 1 B 1 normal write-back memory
 * (Table B3-13); S for SRAM shared with DMA. */
#define RASR_AP(v) ((uint32_t)(v) << MPU_RASR_AP_Pos)
#define RASR_SIZE(log2) ((uint32_t)((log2) - 1u) << MPU_RASR_SIZE_Pos)
#define RASR_RAM (MPU_RASR_XN | MPU_RASR_S | MPU_RASR_C | MPU_RASR_B | MPU_RASR_ENABLE)

/* MPU regions: 0 the image's flash, 2 the running process's RAM, 3 its stack guard. */
#define MPU_REGION_FLASH 0u
#define MPU_REGION_RAM 2u
#define MPU_REGION_GUARD 3u

extern const uint8_t __isr_vector_start[];
extern const uint8_t __flash_end[];

struct sys_proc sys_proc_tab[SYS_PROC_MAX];
struct sys_proc *sys_cur;

static bool rotate;           /* the running slice is over: let an equal run */
static uint64_t slice_end;    /* of the running process */
static uint32_t last_cycles;  /* DWT CYCCNT at the last switch */
static uint64_t start_ticks;  /* sys_now() at sys_start */
static uint64_t boot_ticks;   /* time from boot to the kernel timer's start */

void sys_proc_return(void);
void sys_start_first(void); /* switch.S */

static uint32_t log2_exact(uint32_t v)
{
    return 31u - (uint32_t)__builtin_clz(v);
}

/* Kernel time counts from boot: the kernel timer starts in sys_start, the
 * cycle counter in board_init (the system tick's bring-up), and the
 * difference is added. */
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

static void pend_switch(void)
{
    SCB->ICSR = SCB_ICSR_PENDSVSET;
}

static void proc_setup(struct sys_proc *p)
{
    const struct sys_proc_desc *d = sys_procs[p->pid];
    uint8_t *ram = d->ram;
    memset(ram, 0, d->ram_size);
    memset(ram, STACK_FILL, d->stack_size);

    /* The frame an exception return pops (B1.5.6), then what PendSV
     * restores: r4-r11 and the EXC_RETURN (switch.S). The entry gets the
     * start count in r0; returning from it exits. */
    uint32_t *sp = (uint32_t *)(ram + d->stack_size) - 8;
    sp[0] = p->starts;
    sp[1] = sp[2] = sp[3] = sp[4] = 0;
    sp[5] = (uint32_t)sys_proc_return;
    sp[6] = (uint32_t)d->entry & ~1u;
    sp[7] = XPSR_T;
    sp -= 9;
    memset(sp, 0, 8 * sizeof *sp);
    sp[8] = EXC_RETURN_THREAD_PSP;
    p->sp = (uint32_t)sp;

    uint32_t base = (uint32_t)ram;
    p->mpu[0] = base | MPU_RBAR_VALID | MPU_REGION_RAM;
    p->mpu[1] = RASR_AP(3) | RASR_SIZE(log2_exact(d->ram_size)) | RASR_RAM;
    p->mpu[2] = base | MPU_RBAR_VALID | MPU_REGION_GUARD;
    p->mpu[3] = RASR_AP(1) | RASR_SIZE(log2_exact(SYS_GUARD_BYTES)) | RASR_RAM;

    p->frame = NULL;
    p->wq = NULL;
    p->wake_at = SYS_NEVER;
    p->woken = false;
    p->state = SYS_READY;
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
    if (sys_cur != NULL && slice_end < at)
        at = slice_end;
    if (console_wait) {
        uint64_t poll = sys_now() + us_to_ticks(SYS_POLL_US);
        if (poll < at)
            at = poll;
    }
    if (at == SYS_NEVER)
        mono_timer_disarm();
    else
        mono_timer_arm(at - boot_ticks);
}

/* The next to run: highest priority; among equals the running one keeps
 * the CPU until its slice ends, then the next after it in pid order. */
static struct sys_proc *choose(void)
{
    struct sys_proc *best = NULL;
    unsigned start = sys_cur != NULL ? sys_cur->pid + 1u : 0u;
    for (unsigned k = 0; k < sys_proc_count; k++) {
        struct sys_proc *p = &sys_proc_tab[(start + k) % sys_proc_count];
        if (p->state == SYS_READY && (best == NULL || sys_procs[p->pid]->prio > sys_procs[best->pid]->prio))
            best = p;
    }
    if (sys_cur != NULL && sys_cur->state == SYS_READY && !rotate && best != NULL
        && sys_procs[sys_cur->pid]->prio >= sys_procs[best->pid]->prio)
        return sys_cur;
    return best;
}

static void account(struct sys_proc *p)
{
    uint32_t now = DWT->CYCCNT;
    uint32_t d = now - last_cycles;
    last_cycles = now;
    if (p != NULL)
        p->cycles += d;
}

/* From PendSV (switch.S): the context of sys_cur is saved (or it died). */
struct sys_proc *sys_pick(void)
{
    account(sys_cur);
    for (;;) {
        uint32_t key = cpu_irq_lock();
        struct sys_proc *next = choose();
        if (next != NULL) {
            if (next != sys_cur || rotate)
                slice_end = sys_now() + us_to_ticks(SYS_SLICE_US);
            rotate = false;
            sys_cur = next;
            arm_timer();
            cpu_irq_unlock(key);
            return next;
        }
        sys_cur = NULL;
        arm_timer();
        /* Idle: WFI with interrupts masked still ends on a pending one
         * (B1.5.19); it runs on the unlock below. */
        __DSB();
        __WFI();
        cpu_irq_unlock(key);
        account(NULL);
        sys_poll_devices();
    }
}

/* With interrupts locked: does anything change who should run? */
static void resched(void)
{
    if (choose() != sys_cur || sys_cur == NULL)
        pend_switch();
    arm_timer();
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
    /* Retry at once (re-run the SVC) when the queue was woken after the
     * caller looked: the wake-up it would wait for has come already. */
    p->frame[6] -= 2u; /* the stacked PC back onto the 16-bit SVC */
    p->wake_at = wake_at;
    if (wq != NULL && wq->seq != seq) {
        p->woken = true;
        cpu_irq_unlock(key);
        return SYS_BLOCKED_RC;
    }
    p->state = SYS_BLOCKED;
    p->wq = wq;
    if (wq != NULL)
        wq->waiters |= 1u << p->pid;
    p->wake_at = wake_at;
    p->timeout_rc = timeout_rc;
    p->woken = false;
    resched();
    cpu_irq_unlock(key);
    return SYS_BLOCKED_RC;
}

void sys_wake_all(struct sys_waitq *wq)
{
    uint32_t key = cpu_irq_lock();
    wq->seq++;
    for (uint32_t w = wq->waiters; w != 0; w &= w - 1u) {
        struct sys_proc *p = &sys_proc_tab[__builtin_ctz(w)];
        p->state = SYS_READY;
        p->wq = NULL;
        p->woken = true; /* it re-runs its SVC (a poll keeps its deadline, wake_at) */
    }
    wq->waiters = 0;
    resched();
    cpu_irq_unlock(key);
}

void sys_yield_now(void)
{
    uint32_t key = cpu_irq_lock();
    rotate = true;
    pend_switch();
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
            p->state = SYS_READY;
        }
    }
    if (sys_cur != NULL && now >= slice_end) {
        rotate = true;
        slice_end = now + us_to_ticks(SYS_SLICE_US);
        pend_switch();
    }
    resched();
    cpu_irq_unlock(key);
    sys_poll_devices();
}

void sys_proc_end(struct sys_proc *p, enum sys_proc_state how)
{
    sys_files_close_all(p);
    uint32_t key = cpu_irq_lock();
    waitq_leave(p);
    p->wake_at = SYS_NEVER;
    p->state = (uint8_t)how;
    if (p == sys_cur) {
        sys_cur = NULL; /* PendSV must not save its context */
        pend_switch();
    }
    resched();
    cpu_irq_unlock(key);
}

int sys_proc_restart(struct sys_proc *p)
{
    if (p->state != SYS_STOPPED && p->state != SYS_FAULTED)
        sys_proc_end(p, SYS_STOPPED);
    uint32_t key = cpu_irq_lock();
    p->starts++;
    proc_setup(p);
    resched();
    cpu_irq_unlock(key);
    return 0;
}

void sys_proc_info_fill(const struct sys_proc *p, struct sys_proc_info *info)
{
    const struct sys_proc_desc *d = sys_procs[p->pid];
    memset(info, 0, sizeof *info);
    strncpy(info->name, d->name, sizeof info->name - 1u);
    info->state = p == sys_cur ? (uint8_t)SYS_RUNNING : p->state;
    info->prio = d->prio;
    info->starts = p->starts;
    info->stack_size = d->stack_size - SYS_GUARD_BYTES;
    const uint8_t *s = (const uint8_t *)d->ram + SYS_GUARD_BYTES;
    uint32_t untouched = 0;
    while (untouched < info->stack_size && s[untouched] == STACK_FILL)
        untouched++;
    info->stack_used = info->stack_size - untouched;
    /* The cycle counter stops while the core sleeps (WFI), so the share
     * is of the time since the start, in cycles at HCLK. */
    uint32_t key = cpu_irq_lock();
    account(sys_cur);
    uint64_t mine = p->cycles;
    cpu_irq_unlock(key);
    uint64_t total = (sys_now() - start_ticks) * (clock_hclk_hz() / mono_timer_hz());
    info->cpu_permille = total != 0 ? (uint32_t)(mine * 1000u / total) : 0u;
}

static void mpu_init(void)
{
    /* Region 0: the image's flash, read-only and executable for everyone.
     * PMSAv7 needs a power-of-two size aligned to it (B3.5.8): the
     * smallest such region from 0x08000000 covering the image. */
    uint32_t flash = (uint32_t)__isr_vector_start;
    uint32_t used = (uint32_t)(__flash_end - __isr_vector_start);
    uint32_t log2 = 5u;
    while ((1u << log2) < used)
        log2++;
    QUARTZ_ASSERT((flash & ((1u << log2) - 1u)) == 0u);
    MPU->CTRL = 0;
    MPU->RBAR = flash | MPU_RBAR_VALID | MPU_REGION_FLASH;
    MPU->RASR = RASR_AP(6) | RASR_SIZE(log2) | MPU_RASR_C | MPU_RASR_ENABLE;
    /* Privileged code keeps the default map (PRIVDEFENA, B3.5.2). */
    MPU->CTRL = MPU_CTRL_PRIVDEFENA | MPU_CTRL_ENABLE;
    __DSB();
    __ISB();
}

void sys_start(void)
{
    QUARTZ_ASSERT(sys_proc_count >= 1u && sys_proc_count <= SYS_PROC_MAX);
    for (unsigned i = 0; i < sys_proc_count; i++) {
        const struct sys_proc_desc *d = sys_procs[i];
        /* A wrong table is a bug: each region a power of two aligned to itself. */
        QUARTZ_ASSERT(d->ram_size >= 256u && (d->ram_size & (d->ram_size - 1u)) == 0u);
        QUARTZ_ASSERT(((uint32_t)d->ram & (d->ram_size - 1u)) == 0u);
        QUARTZ_ASSERT(d->stack_size % 8u == 0u && d->stack_size >= 256u && d->stack_size <= d->ram_size);
        QUARTZ_ASSERT(d->prio >= 1u && d->prio <= SYS_PRIO_MAX);
        struct sys_proc *p = &sys_proc_tab[i];
        p->pid = (uint8_t)i;
        if (d->flags & SYS_PROC_STOPPED) {
            p->state = SYS_STOPPED;
            memset(d->ram, STACK_FILL, d->stack_size); /* nothing used yet */
        }
        else
            proc_setup(p);
    }
    /* SVC and PendSV at the lowest priority: every device interrupt
     * preempts a syscall, and a switch waits for the syscall to end. */
    nvic_set_priority(SVCALL_EXC, 1);
    nvic_set_priority(PENDSV_EXC, 1);
    uint32_t cycles = DWT->CYCCNT;
    int rc = mono_timer_init(HAL_IRQ_PRIO, timer_expired);
    QUARTZ_ASSERT(rc == 0);
    boot_ticks = (uint64_t)cycles / (clock_hclk_hz() / mono_timer_hz());
    sys_devs_init();
    mpu_init();
    start_ticks = sys_now();
    last_cycles = DWT->CYCCNT;
    sys_start_first();
    for (;;) {
    }
}
