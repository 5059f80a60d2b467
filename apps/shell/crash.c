/*
 * The crash demo (`crash` in the shell): not started at boot; each odd
 * start writes into kernel memory (the bottom of the kernel's main stack)
 * and the MPU stops it: the kernel kills it, reports it on the console
 * and, as its table entry says, restarts it. The even start that follows
 * says so and exits.
 */
#include "procs.h"
#include "quartz/sys.h"

#define CRASH_STACK 512u

struct crash {
    uint8_t stack[CRASH_STACK];
};

SYS_PROC_RAM(struct crash, crash_ram, 1024);

extern uint32_t __stack_start[]; /* the kernel's main stack (arch/cortex-m/sections.ld) */

static void crash_main(uint32_t starts)
{
    if (starts % 2u == 1u) {
        *(volatile uint32_t *)__stack_start = 0xDEADBEEFu; /* MemManage: DACCVIOL */
        return;
    }
    int con = sys_open("/dev/console", 0);
    static const char msg[] = "crash: restarted by the kernel, exiting\r\n";
    if (con >= 0)
        (void)sys_write(con, msg, sizeof msg - 1u);
}

const struct sys_proc_desc crash_proc = {
    .name = "crash",
    .entry = crash_main,
    .ram = &crash_ram,
    .ram_size = sizeof crash_ram,
    .stack_size = CRASH_STACK,
    .prio = 1,
    .flags = SYS_PROC_RESTART | SYS_PROC_STOPPED,
};
