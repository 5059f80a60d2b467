/*
 * The non-generated part of the scheduler: the idle loop. Everything else
 * (vectors, queues, spawn) is generated per application by sched_app.h.
 */
#include <quartz/kernel/cpu.h>
#include <quartz/kernel/sched.h>

void sched_idle(void)
{
    /* Idle runs at priority 0 in thread mode and has nothing to do: every
     * task runs in a handler. Sleep-on-exit keeps the core asleep across
     * them all; the loop only comes back if some handler clears the bit. */
    for (;;) {
        kcpu_sleep_until_woken();
    }
}
