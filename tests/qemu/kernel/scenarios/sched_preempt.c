/*
 * Preemption by a higher priority (RTIC examples: preempt.rs). `low`
 * pends the hardware task `high`, which runs at once, inside low; then low
 * spawns `mid` (priority 2), which also preempts low at once and itself
 * pends high. Idle (main, priority 0) runs only when all are done.
 */
#include "console.h"

#define APP_HW_TASKS(H) H(high, CAN2_TX, 3)
#define APP_SW_TASKS(S) \
    S(low, 1, 1, uint32_t, init) \
    S(mid, 2, 1, uint32_t, low)
#define APP_RESOURCES(R)
#define APP_DISPATCHERS(D) D(1, CAN1_TX) D(2, CAN1_RX0)
#define SCHED_APP_IMPL
#include <quartz/kernel/sched_app.h>

SCHED_SW_TASK(low, msg)
{
    ktest_log_u("low start", msg);
    kcpu_pend(CAN2_TX_IRQn);
    ktest_log("low after high");
    (void)sched_spawn(ctx, mid, 7);
    ktest_log("low end");
}

SCHED_SW_TASK(mid, msg)
{
    ktest_log_u("mid start", msg);
    kcpu_pend(CAN2_TX_IRQn);
    ktest_log("mid end");
}

SCHED_HW_TASK(high)
{
    ktest_log("high");
}

int main(void)
{
    struct sched_ctx_init *ctx = SCHED_INIT_CTX;
    ktest_console_init();
    sched_init();
    ktest_log("init");
    (void)sched_spawn(ctx, low, 1);
    sched_start();
    ktest_log("idle");
    ktest_end();
}
