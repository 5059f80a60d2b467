/*
 * The process table of quartz's kernel layer (kernel/sys, docs/os.md):
 * what an image declares to run processes. Static, Hubris-style: the
 * application defines `sys_procs[]` and `sys_proc_count` as const data and
 * calls sys_start(); nothing is created at run time.
 *
 * A process owns one RAM region: a power of two in size, aligned to its
 * size (a PMSAv7 MPU region, ARMv7-M B3.5.8), declared with SYS_PROC_RAM.
 * Its stack is at the bottom of the region, the first SYS_GUARD_BYTES of
 * it a guard the process cannot touch (an overflow faults there); the
 * rest of the region holds the process's own variables. A process uses no
 * ordinary static variables: those are the kernel's and the MPU refuses
 * them. The kernel zeroes the region whenever it (re)starts the process.
 */
#ifndef QUARTZ_KERNEL_PROC_H
#define QUARTZ_KERNEL_PROC_H

#include <stdint.h>

#define SYS_PROC_MAX 4u /* 112 bytes of kernel RAM each */
#define SYS_FD_MAX 4u   /* open files per process */
#define SYS_GUARD_BYTES 32u
#define SYS_PRIO_MAX 7u

/* Table flags */
#define SYS_PROC_RESTART 0x1u /* a fault restarts it (up to SYS_RESTART_MAX times in a row) */
#define SYS_PROC_STOPPED 0x2u /* not started at boot (sys_restart starts it) */
#define SYS_PROC_KERNEL 0x4u  /* privileged, in thread mode: a kernel worker (the sensor worker), never an app */

#define SYS_RESTART_MAX 8u

struct sys_proc_desc {
    const char *name;
    void (*entry)(uint32_t starts); /* starts: 0 the first time, then 1, 2, ... */
    void *ram;                      /* the SYS_PROC_RAM variable */
    uint32_t ram_size;              /* its size: a power of two, 256 .. 64 K */
    uint32_t stack_size;            /* bytes at the bottom of ram, the guard included; a multiple of 8 */
    uint8_t prio;                   /* 1 .. SYS_PRIO_MAX, higher runs first; equals share in time slices */
    uint8_t flags;                  /* SYS_PROC_* */
};

/* Defined by the application: pid n is sys_procs[n]; each process's file
 * defines its descriptor next to its RAM region. */
extern const struct sys_proc_desc *const sys_procs[];
extern const unsigned sys_proc_count;

/*
 * A process's RAM region `name` holding a `type` (whose first member is its
 * stack), `size` bytes, aligned to `size`, in the .sys_proc output section
 * (arch/cortex-m/sections.ld). The union pads it to exactly `size`, so the
 * next region never shares its MPU region.
 */
#define SYS_PROC_RAM(type, name, size)                                                             \
    _Static_assert(sizeof(type) <= (size), #name ": the process's data do not fit its region");    \
    _Static_assert(((size) & ((size) - 1u)) == 0u, #name ": a region size is a power of two");     \
    union name##_region {                                                                          \
        type v;                                                                                    \
        uint8_t raw[size];                                                                         \
    };                                                                                             \
    static union name##_region name __attribute__((section(".sys_proc." #name), aligned(size)))

/* The kernel's sensor worker (kernel/sys/dev_sensor.c): list it in
 * sys_procs for /dev/temp0, /dev/press0 and /dev/hum0. */
extern const struct sys_proc_desc sys_sensor_worker;

/* Brings up the MPU and the kernel's timer, starts the processes; never returns. */
__attribute__((noreturn)) void sys_start(void);

#endif
