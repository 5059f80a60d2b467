/*
 * A full queue refuses with -ENOSPC and loses nothing already queued. `job`
 * holds 3 messages: the fourth spawn fails; the three run in order; after
 * they ran, their slots are free again. A higher-priority task fills the
 * queue while job runs (job's own slot was freed before its body ran).
 */
#include "console.h"

#define APP_HW_TASKS(H) H(burst, CAN2_TX, 2)
#define APP_SW_TASKS(S) S(job, 1, 3, uint32_t, init, burst)
#define APP_RESOURCES(R)
#define APP_DISPATCHERS(D) D(1, CAN1_TX)
#define SCHED_APP_IMPL
#include <quartz/kernel/sched_app.h>

static uint32_t job_runs;

SCHED_SW_TASK(job, msg)
{
    ktest_log_u("job", msg);
    if (++job_runs == 3) {
        kcpu_pend(CAN2_TX_IRQn);
    }
}

SCHED_HW_TASK(burst)
{
    for (uint32_t i = 20; i < 25; i++) {
        ktest_log_i("burst spawn", sched_spawn(ctx, job, i));
    }
}

int main(void)
{
    struct sched_ctx_init *ctx = SCHED_INIT_CTX;
    ktest_console_init();
    sched_init();
    for (uint32_t i = 1; i <= 4; i++) {
        ktest_log_i("init spawn", sched_spawn(ctx, job, i));
    }
    sched_start();
    ktest_log_u("runs", job_runs);
    ktest_end();
}
