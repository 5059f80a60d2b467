/*
 * Resources under the Stack Resource Policy (RTIC examples: lock.rs).
 * `shared` is used by low (1) and high (3): its ceiling is 3. `other` is
 * used by low and top (4): ceiling 4. Inside low's lock on `shared`:
 *   - high (shares it) is pended and must not run until the lock ends;
 *   - mid (2, below the ceiling, shares nothing) must wait too: SRP blocks
 *     every task up to the ceiling, which is what makes one stack enough;
 *   - top (4, above the ceiling) preempts at once.
 * A nested lock of `other` raises to 4 and holds top off until it ends.
 * BASEPRI is logged to show the mask: hardware (16 - p) << 4. Unlock writes
 * constants (RTIC style): the enclosing ceiling, or the task's own priority
 * (low: 240, which masks nothing more than running at priority 1 does);
 * the dispatcher puts back the 0 it found when low returns.
 */
#include "console.h"

#define APP_HW_TASKS(H) \
    H(high, CAN2_TX, 3) \
    H(mid, CAN2_RX0, 2) \
    H(top, CAN2_RX1, 4)
#define APP_SW_TASKS(S) S(low, 1, 1, uint32_t, init)
#define APP_RESOURCES(R) \
    R(shared, uint32_t, low, high) \
    R(other, uint32_t, low, top)
#define APP_DISPATCHERS(D) D(1, CAN1_TX)
#define SCHED_APP_IMPL
#include <quartz/kernel/sched_app.h>

_Static_assert(SCHED_CEIL_shared == 3, "ceiling of shared is derived from low and high");
_Static_assert(SCHED_CEIL_other == 4, "ceiling of other is derived from low and top");

SCHED_SW_TASK(low, msg)
{
    (void)msg;
    ktest_log_u("low basepri", kcpu_basepri());
    sched_lock(ctx, shared, s) {
        *s = 1;
        ktest_log_u("low locked shared, basepri", kcpu_basepri());
        kcpu_pend(CAN2_TX_IRQn);
        ktest_log("low pended high");
        kcpu_pend(CAN2_RX0_IRQn);
        ktest_log("low pended mid");
        kcpu_pend(CAN2_RX1_IRQn);
        ktest_log("low pended top");
        sched_lock(ctx, other, o) {
            ktest_log_u("low locked other, basepri", kcpu_basepri());
            kcpu_pend(CAN2_RX1_IRQn);
            ktest_log("low pended top again");
            *o = *s + 1;
        }
        ktest_log_u("low unlocked other, basepri", kcpu_basepri());
        *s = 2;
    }
    ktest_log_u("low unlocked shared, basepri", kcpu_basepri());
}

SCHED_HW_TASK(high)
{
    /* high runs at the ceiling of shared: its lock emits no code. */
    sched_lock(ctx, shared, s) {
        ktest_log_u("high shared", *s);
    }
}

SCHED_HW_TASK(mid)
{
    ktest_log("mid");
}

SCHED_HW_TASK(top)
{
    uint32_t seen = 0;
    sched_lock(ctx, other, o) {
        seen = *o;
    }
    ktest_log_u("top other", seen);
}

int main(void)
{
    struct sched_ctx_init *ctx = SCHED_INIT_CTX;
    ktest_console_init();
    sched_init();
    (void)sched_spawn(ctx, low, 0);
    sched_start();
    ktest_log_u("main basepri", kcpu_basepri());
    ktest_end();
}
