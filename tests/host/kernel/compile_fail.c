/*
 * Programs that must NOT build: each -D selects one mistake, and
 * compile_fail.sh checks that the compiler refuses it with the message
 * that names the problem. Without any -D the file builds (the control).
 */
#include <stdint.h>

/* The table names STM32F446 vectors (EXTI0, CAN1_TX). */
#include <stm32f446/irq.h>

typedef uint32_t u32;
#ifdef NO_DISPATCHER
#define APP_SW_TASKS(S) S(a, 1, 2, u32, init) S(b, 3, 1, u32, init, a) S(c, 2, 1, u32, init, a)
#else
#define APP_SW_TASKS(S) S(a, 1, 2, u32, init) S(b, 1, 1, u32, init, a) S(c, 2, 1, u32, init, a)
#endif
#define APP_HW_TASKS(H) H(fast, EXTI0, 5)
#define APP_RESOURCES(R) R(shared, u32, a, c)
#define APP_DISPATCHERS(D) D(1, CAN1_TX) D(2, CAN1_RX0)
#define APP_MONO_PRIO 4
#include <quartz/kernel/sched_app.h>

void sched_body_a(struct sched_ctx_a *ctx, u32 msg)
{
    (void)msg;
    sched_lock(ctx, shared, p) {
        *p = 1;
    }
    (void)sched_spawn(ctx, b, 1);
}

void sched_body_b(struct sched_ctx_b *ctx, u32 msg)
{
    (void)msg;
#ifdef BAD_LOCK
    sched_lock(ctx, shared, p) {
        *p = 2;
    }
#endif
#ifdef BAD_SPAWN
    (void)sched_spawn(ctx, b, 2);
#endif
    (void)ctx;
}

void sched_body_c(struct sched_ctx_c *ctx, u32 msg)
{
    (void)msg;
    (void)ctx;
}

void sched_body_fast(struct sched_ctx_fast *ctx)
{
#ifdef SPAWN_AT_ABOVE_TIMER
    (void)sched_spawn_at(ctx, c, 10, 1);
#endif
    (void)ctx;
}
