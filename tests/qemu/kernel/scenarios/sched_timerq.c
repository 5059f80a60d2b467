/*
 * Timer queue order and drift-free periodic release (RTIC examples:
 * schedule.rs, periodic.rs), on the SysTick monotonic at 1 kHz.
 *   - `shot` is scheduled out of order (30, 10, 20, 20 ms): it runs in
 *     deadline order, equal deadlines in spawn order, never early; a fifth
 *     spawn_after into its 4-slot queue is refused with -ENOSPC.
 *   - `tick` re-arms itself at previous release + period (not now + period),
 *     so release n is exactly first + n * period however late a run starts.
 */
#include "console.h"

#include <quartz/kernel/mono.h>

typedef struct {
    uint32_t at;
    uint32_t id;
} shot_msg;
typedef uint64_t release_t;

#define APP_HW_TASKS(H)
#define APP_SW_TASKS(S) \
    S(shot, 1, 4, shot_msg, init) \
    S(tick, 2, 1, release_t, init, tick)
#define APP_RESOURCES(R)
#define APP_DISPATCHERS(D) D(1, CAN1_TX) D(2, CAN1_RX0)
#define APP_MONO_PRIO 3
#define SCHED_APP_IMPL
#include <quartz/kernel/sched_app.h>

#define TICK_PERIOD 3U
#define TICK_RUNS 50U

static volatile uint32_t shots_done;
static volatile bool ticks_done;
static release_t tick_first;
static uint32_t tick_runs;
static bool tick_early;

SCHED_SW_TASK(shot, msg)
{
    uint64_t now = mono_now();
    ktest_puts(now >= msg.at ? "shot on time " : "shot EARLY ");
    ktest_putu(msg.at);
    ktest_log_u(" id", msg.id);
    shots_done = shots_done + 1U;
}

SCHED_SW_TASK(tick, release)
{
    if (tick_runs == 0) {
        tick_first = release;
    }
    tick_early |= mono_now() < release;
    if (++tick_runs < TICK_RUNS) {
        (void)sched_spawn_at(ctx, tick, release + TICK_PERIOD, release + TICK_PERIOD);
        return;
    }
    ktest_log_u("tick runs", tick_runs);
    ktest_log_u("tick last - first", (uint32_t)(release - tick_first));
    ktest_log(tick_early ? "tick EARLY" : "tick never early");
    ticks_done = true;
}

int main(void)
{
    struct sched_ctx_init *ctx = SCHED_INIT_CTX;
    ktest_console_init();
    sched_init();
    if (mono_systick_init(KTEST_HCLK_HZ, 1000U, APP_MONO_PRIO) != 0)
        ktest_log("mono init failed"); /* the transcript comparison then fails */
    static const uint32_t after[] = {30, 10, 20, 20, 5};
    for (uint32_t i = 0; i < 5; i++) {
        uint32_t at = (uint32_t)mono_now() + after[i];
        ktest_log_i("spawn_at", sched_spawn_at(ctx, shot, at, ((shot_msg){at, i})));
    }
    (void)sched_spawn_at(ctx, tick, 2, 2);
    sched_start();
    while (shots_done < 4 || !ticks_done) {
        kcpu_wfi();
    }
    ktest_end();
}
