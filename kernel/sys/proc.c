/*
 * Processes: set up, start, end, restart; the MPU layout (docs/os.md).
 * The scheduler and the kernel's timer are in sched.c.
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

#define STACK_FILL 0xA5u     /* untouched stack, for the high-water mark */

/* Exception numbers (ARMv7-M B1.5.2) as nvic_set_priority takes them. */
#define SVCALL_EXC (-5)
#define PENDSV_EXC (-2)

/* CONTROL.nPRIV (B1.4.4): thread mode unprivileged. */
#define CONTROL_NPRIV 0x1u

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

static uint64_t start_ticks; /* sys_now() at sys_start */

void sys_proc_return(void);
void sys_start_first(void); /* switch.S */

static uint32_t log2_exact(uint32_t v)
{
    return 31u - (uint32_t)__builtin_clz(v);
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
    p->control = (d->flags & SYS_PROC_KERNEL) ? 0u : CONTROL_NPRIV;

    p->frame = NULL;
    p->wq = NULL;
    p->wake_at = SYS_NEVER;
    p->woken = false;
}

void sys_proc_end(struct sys_proc *p, enum sys_proc_state how)
{
    sys_files_close_all(p);
    sys_leave(p, how);
}

int sys_proc_restart(struct sys_proc *p)
{
    if (p->state != SYS_STOPPED && p->state != SYS_FAULTED)
        sys_proc_end(p, SYS_STOPPED);
    p->starts++;
    proc_setup(p);
    sys_ready_now(p);
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
    uint64_t mine = p->cycles;
    if (p == sys_cur) /* (the caller) the cycles since its switch in */
        mine += DWT->CYCCNT - sys_last_cycles;
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
        p->prio = d->prio;
        if (d->flags & SYS_PROC_STOPPED) {
            sys_set_state(p, SYS_STOPPED);
            memset(d->ram, STACK_FILL, d->stack_size); /* nothing used yet */
        } else {
            proc_setup(p);
            sys_set_state(p, SYS_READY);
        }
    }
    /* SVC and PendSV at the lowest priority: every device interrupt
     * preempts a syscall, and a switch waits for the syscall to end. */
    nvic_set_priority(SVCALL_EXC, 1);
    nvic_set_priority(PENDSV_EXC, 1);
    sys_sched_start(HAL_IRQ_PRIO);
    sys_devs_init();
    mpu_init();
    start_ticks = sys_now();
    /* the first switch: every ready process was readied above */
    uint32_t key = cpu_irq_lock();
    sys_resched();
    sys_last_cycles = DWT->CYCCNT;
    cpu_irq_unlock(key);
    sys_start_first();
    for (;;) {
    }
}
