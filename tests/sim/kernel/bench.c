/*
 * Kernel cycle costs, measured with DWT CYCCNT (ARMv7-M C1.8.8) on
 * quartz-sim's cycle model; tools/bench.d/kernel.sh runs it and reads the
 * lines "<metric> <cycles>", one per round (ROUNDS): tools/bench judges
 * their median and keeps min and max beside it.
 *
 * Bracketing. quartz-sim charges a translated block's cycles when the block
 * starts, so a CYCCNT load sees the cost of its whole block
 * (docs/simulator.md, "Cycle model"). Every read is therefore
 * `isb; ldr rX, [CYCCNT]; isb` (cyc() below): the first ISB ends the block
 * before it, the second makes the load the only other instruction of its own
 * block. Between two reads the counter then advances by exactly
 *     cost(code in between) + cost(isb) + cost(ldr) + cost(isb)
 * and the empty bracket (two reads with nothing between them) measures the
 * last three terms: that is the measurement overhead subtracted from every
 * figure (`cyccnt_read_cycles`), and nothing else is subtracted. The code
 * under test starts right after an ISB, i.e. with nothing to pipeline with.
 *
 *   lock_unlock_cycles   sched_lock + unlock of a resource whose ceiling is
 *                        above the task (one BASEPRI raise and restore)
 *   pend_to_task_cycles  from the STIR store that pends a dispatcher (DSB and
 *                        ISB included, as kcpu_pend does them) through
 *                        exception entry and the dispatcher, to the first
 *                        instruction of the software task
 *   wake_to_poll_cycles  from the call of async_wake() in an interrupt
 *                        handler to the first instruction of the task's poll
 *                        in the thread-mode executor, which was asleep in
 *                        WFI: the wake, the rest of the handler, exception
 *                        return, the executor's dequeue and the call
 *   wake_to_poll_irq_cycles  the same for an executor bound to an interrupt
 *                        below the waker (the wake pends it, tail-chain)
 */
#include "console.h"

#include <cortex_m/core.h>
#include <stm32f446/flash.h>
#include <quartz/kernel/async.h>
#include <quartz/kernel/mono.h>

typedef uint32_t u32;
#define APP_HW_TASKS(H)
#define APP_SW_TASKS(S) \
    S(measure, 1, 1, u32, init) \
    S(target, 2, 1, u32, init, measure)
#define APP_RESOURCES(R) R(res, u32, measure, target)
#define APP_DISPATCHERS(D) D(1, CAN1_TX) D(2, CAN1_RX0)
#define APP_MONO_PRIO 3
#define SCHED_APP_IMPL
#include <quartz/kernel/sched_app.h>

#define ROUNDS 8U

static volatile uint32_t t_end;
static uint32_t lock_cost[ROUNDS], pend_cost[ROUNDS], base_cost[ROUNDS], store_cost[ROUNDS];
static volatile uint32_t sink;

/* The whole read, CYCCNT's address included, is one asm statement, so the
 * compiler cannot move part of it (a literal load) into the measured code. */
#define CYC_READ_ "movw %1, #0x1004\n\tmovt %1, #0xE000\n\tisb\n\tldr %0, [%1]\n\tisb"
static inline __attribute__((always_inline)) uint32_t cyc(void)
{
    uint32_t v, a;
    __asm__ volatile(CYC_READ_ : "=r"(v), "=&r"(a) : : "memory");
    return v;
}

/* cyc() and a store of the value to *dst (one `str`, its cost measured and
 * subtracted like the read's): for a handler that must hand the time on. */
static inline __attribute__((always_inline)) void cyc_to(volatile uint32_t *dst)
{
    uint32_t v, a;
    __asm__ volatile(CYC_READ_ "\n\tstr %0, [%2]" : "=&r"(v), "=&r"(a) : "r"(dst) : "memory");
}

/* Median of the rounds (the upper middle one): every round is printed and
 * tools/bench judges their median, but the overheads subtracted from the
 * wake figures, measured in another task, are one value each. */
static uint32_t median(const uint32_t *v)
{
    uint32_t s[ROUNDS];
    for (uint32_t i = 0; i < ROUNDS; i++) {
        uint32_t j = i;
        for (; j > 0 && s[j - 1] > v[i]; j--) {
            s[j] = s[j - 1];
        }
        s[j] = v[i];
    }
    return s[ROUNDS / 2];
}

SCHED_SW_TASK(target, msg)
{
    t_end = cyc(); /* first line of the task */
    (void)msg;
}

SCHED_SW_TASK(measure, msg)
{
    (void)msg;
    for (uint32_t i = 0; i < ROUNDS; i++) {
        uint32_t t0 = cyc();
        uint32_t t1 = cyc();
        base_cost[i] = t1 - t0;
        cyc_to(&sink);
        t1 = cyc();
        store_cost[i] = t1 - sink - base_cost[i];

        t0 = cyc();
        sched_lock(ctx, res, r) {
        }
        t1 = cyc();
        lock_cost[i] = t1 - t0 - base_cost[i];

        /* Queue a message with the dispatcher masked, take the pend back,
         * then pend it again from here and time the way into the task. */
        sched_lock(ctx, res, r) {
            (void)sched_spawn(ctx, target, i);
            NVIC->ICPR[CAN1_RX0_IRQn >> 5] = 1UL << (CAN1_RX0_IRQn & 31U);
        }
        t0 = cyc();
        kcpu_pend(CAN1_RX0_IRQn);
        pend_cost[i] = t_end - t0 - base_cost[i];
    }
}

/* ---- executor: thread mode and interrupt ---------------------------------- */
static struct async_executor thread_ex = ASYNC_EXECUTOR_THREAD;
static struct async_executor irq_ex = ASYNC_EXECUTOR_IRQ(CAN2_RX1_IRQn);
static volatile uint32_t t_wake, t_poll;
static struct async_task *wake_target;

static struct async_signal probe_done;

static void probe_poll(struct async_task *t)
{
    t_poll = cyc(); /* first line of the poll */
    (void)t;
    async_signal_raise(&probe_done, 0);
}

static struct async_task thread_probe = ASYNC_TASK_INIT(probe_poll);
static struct async_task irq_probe = ASYNC_TASK_INIT(probe_poll);

void CAN2_TX_IRQHandler(void)
{
    struct async_task *t = wake_target;
    cyc_to(&t_wake);
    async_wake(t);
}

void CAN2_RX1_IRQHandler(void)
{
    async_run_pending(&irq_ex);
}

static void driver_poll(struct async_task *t)
{
    static uint32_t round, wake[ROUNDS], wake_irq[ROUNDS];
    ASYNC_BEGIN(t);
    probe_done.set = false; /* the probes' first polls (at spawn) raised it */
    for (round = 0; round < ROUNDS; round++) {
        /* Thread executor, from idle: the interrupt is pended with PRIMASK
         * set, so it is taken right after the executor's WFI, with nothing
         * ready; its wake is the only way back to a poll. */
        wake_target = &thread_probe;
        (void)cpu_irq_lock();
        kcpu_set_pending(CAN2_TX_IRQn);
        ASYNC_AWAIT_SIGNAL(t, &probe_done, NULL);
        wake[round] = t_poll - t_wake;
        /* Interrupt executor below the waker: wake pends it, tail-chain. */
        wake_target = &irq_probe;
        kcpu_pend(CAN2_TX_IRQn);
        ASYNC_AWAIT_SIGNAL(t, &probe_done, NULL);
        wake_irq[round] = t_poll - t_wake;
    }
    uint32_t overhead = median(base_cost) + median(store_cost);
    for (uint32_t i = 0; i < ROUNDS; i++) {
        ktest_log_u("lock_unlock_cycles", lock_cost[i]);
        ktest_log_u("pend_to_task_cycles", pend_cost[i]);
        ktest_log_u("wake_to_poll_cycles", wake[i] - overhead);
        ktest_log_u("wake_to_poll_irq_cycles", wake_irq[i] - overhead);
    }
    ktest_log_u("cyccnt_read_cycles", median(base_cost));
    ktest_log_u("timestamp_store_cycles", median(store_cost));
    ktest_end();
    ASYNC_END(t);
}

static struct async_task driver = ASYNC_TASK_INIT(driver_poll);

int main(void)
{
    struct sched_ctx_init *ctx = SCHED_INIT_CTX;
    ktest_console_init();
    /* One flash wait state, as the applications run at 48 MHz (RM0390
     * 3.4.1, table 5; more than 16 MHz needs, which is allowed): the
     * default cycle model does not charge wait states, the pessimistic one
     * (--cycles upper, the *_upper figures) then bounds the 48 MHz case. */
    FLASH->ACR = (1U << FLASH_ACR_LATENCY_Pos) | FLASH_ACR_ICEN | FLASH_ACR_DCEN | FLASH_ACR_PRFTEN;
    CoreDebug->DEMCR |= CoreDebug_DEMCR_TRCENA;
    DWT->CYCCNT = 0;
    DWT->CTRL |= DWT_CTRL_CYCCNTENA;
    sched_init();
    if (mono_init(APP_MONO_PRIO) != 0)
        ktest_log("mono init failed"); /* the transcript comparison then fails */
    kcpu_irq_setup(CAN2_TX_IRQn, 4);
    async_executor_irq_setup(&irq_ex, 2);
    (void)sched_spawn(ctx, measure, 0);
    sched_start(); /* measure runs to completion here */
    async_spawn(&irq_ex, &irq_probe);       /* first polls: they only raise probe_done */
    async_spawn(&thread_ex, &thread_probe);
    async_spawn(&thread_ex, &driver);
    async_run(&thread_ex);
}
