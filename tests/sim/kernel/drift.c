/*
 * Zero drift over 1,000,000 periods (quartz-sim; 50 s of virtual time).
 * A software task on the TIM5 monotonic (1 MHz, 32-bit counter extended to
 * 64 bits) re-arms itself at previous release + period. Each run checks it
 * did not start before its release and started within one period of it;
 * at the end, the last release must be first + (N - 1) * period exactly,
 * and the monotonic clock, read independently, agrees with that span.
 */
#include "console.h"

#include <quartz/kernel/mono.h>

typedef uint64_t release_t;

#define APP_HW_TASKS(H)
#define APP_SW_TASKS(S) S(periodic, 2, 1, release_t, init, periodic)
#define APP_RESOURCES(R)
#define APP_DISPATCHERS(D) D(2, CAN1_RX0)
#define APP_MONO_PRIO 3
#define SCHED_APP_IMPL
#include <quartz/kernel/sched_app.h>

#define PERIOD_US 50U
#define PERIODS 1000000U

static release_t first;
static uint32_t runs;
static uint32_t early, late;
static uint64_t max_late;
static volatile bool done;

SCHED_SW_TASK(periodic, release)
{
    uint64_t now = mono_now();
    if (runs == 0) {
        first = release;
    }
    if (now < release) {
        early++;
    } else {
        uint64_t l = now - release;
        max_late = l > max_late ? l : max_late;
        if (l >= PERIOD_US) {
            late++;
        }
    }
    if (++runs < PERIODS) {
        (void)sched_spawn_at(ctx, periodic, release + PERIOD_US, release + PERIOD_US);
        return;
    }
    ktest_log_u("periods", runs);
    ktest_log_u("release span us", (uint32_t)(release - first));
    ktest_log_u("expected span us", (PERIODS - 1U) * PERIOD_US);
    ktest_log_i("drift us", (int)((int64_t)(release - first) - (int64_t)(PERIODS - 1U) * PERIOD_US));
    ktest_log_u("early starts", early);
    ktest_log_u("starts a period late", late);
    ktest_log(now - first >= (PERIODS - 1U) * PERIOD_US && now - first < PERIODS * PERIOD_US
                  ? "clock agrees" : "clock DISAGREES");
    done = true;
}

int main(void)
{
    struct sched_ctx_init *ctx = SCHED_INIT_CTX;
    ktest_console_init();
    sched_init();
    /* TIM5 runs from the APB1 timer clock: 16 MHz HSI at reset (RM0390 section 6.2). */
    if (mono_init(APP_MONO_PRIO) != 0)
        ktest_log("mono init failed"); /* the transcript comparison then fails */
    (void)sched_spawn_at(ctx, periodic, 100, 100);
    sched_start();
    while (!done) {
        kcpu_wfi();
    }
    ktest_log_u("max late us", (uint32_t)max_late);
    ktest_end();
}
