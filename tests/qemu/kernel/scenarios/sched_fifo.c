/*
 * Software tasks at one priority run in spawn order, across tasks (RTIC
 * examples: message.rs / spawn.rs): one ready queue per priority holds
 * (task, slot) pairs. A higher-priority task spawning lower ones does not
 * reorder them, and a task spawned by a lower one from inside a
 * same-priority task runs after the ones already queued.
 */
#include "console.h"

#define APP_HW_TASKS(H) H(isr, CAN2_TX, 3)
#define APP_SW_TASKS(S) \
    S(a, 1, 4, uint32_t, init, isr) \
    S(b, 1, 4, uint32_t, init, isr, a)
#define APP_RESOURCES(R)
#define APP_DISPATCHERS(D) D(1, CAN1_TX)
#define SCHED_APP_IMPL
#include <quartz/kernel/sched_app.h>

SCHED_SW_TASK(a, msg)
{
    ktest_log_u("a", msg);
    if (msg == 1) {
        kcpu_pend(CAN2_TX_IRQn); /* isr spawns a 10, b 11 behind b 2, a 3 */
        (void)sched_spawn(ctx, b, 12);
        ktest_log("a 1 end");
    }
}

SCHED_SW_TASK(b, msg)
{
    ktest_log_u("b", msg);
}

SCHED_HW_TASK(isr)
{
    ktest_log("isr");
    (void)sched_spawn(ctx, a, 10);
    (void)sched_spawn(ctx, b, 11);
}

int main(void)
{
    struct sched_ctx_init *ctx = SCHED_INIT_CTX;
    ktest_console_init();
    sched_init();
    (void)sched_spawn(ctx, a, 1);
    (void)sched_spawn(ctx, b, 2);
    (void)sched_spawn(ctx, a, 3);
    (void)sched_spawn(ctx, b, 4);
    sched_start();
    ktest_end();
}
