/*
 * The non-generated part of the scheduler: the idle loop. Everything else
 * (vectors, queues, spawn) is generated per application by sched_app.h.
 */
#include <quartz/kernel/cpu.h>
#include <quartz/kernel/sched.h>

void sched_idle(void)
{
    /* Idle runs at priority 0 in thread mode; any task interrupts the WFI. */
    for (;;) {
        kcpu_wfi();
    }
}
