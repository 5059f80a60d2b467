/*
 * RTIC-style scheduler: tasks are interrupt handlers with static priorities
 * on one stack; resources are shared under the Stack Resource Policy with
 * priority ceilings computed at build time. See docs/concurrency.md.
 *
 * An application declares everything once, as X-macro tables, in its own
 * header, then includes <quartz/kernel/sched_app.h>:
 *
 *   #define APP_HW_TASKS(H)    H(name, vector, prio)
 *   #define APP_SW_TASKS(S)    S(name, prio, capacity, msg_type, spawners...)
 *   #define APP_RESOURCES(R)   R(name, type, users...)
 *   #define APP_DISPATCHERS(D) D(prio, vector)
 *   #define APP_MONO_PRIO      p    (optional: enables spawn_at/spawn_after)
 *
 * prio is a literal 1..16 (16 = most urgent), vector a CMSIS interrupt name
 * without _IRQn (EXTI15_10, CAN1_TX), msg_type one identifier (typedef
 * structs), users/spawners task names or `init` (main, before and after
 * sched_start). Exactly one .c file defines SCHED_APP_IMPL before including
 * the application header: it gets the vectors, queues and resources.
 *
 * Build-time guarantees (each a _Static_assert or an undeclared identifier):
 *   - a resource's ceiling is the highest priority among its declared users;
 *   - sched_lock from a task not among the resource's users fails;
 *   - sched_spawn from a task not among the target's spawners fails, naming
 *     the target; spawn_at from above APP_MONO_PRIO fails;
 *   - a software task without a dispatcher at its priority fails.
 */
#ifndef QUARTZ_KERNEL_SCHED_H
#define QUARTZ_KERNEL_SCHED_H

#include <errno.h>
#include <stdint.h>

#include <quartz/kernel/cpu.h>

#define SCHED_TOP_PRIO 16 /* the top of the quartz/cpu.h scale */
_Static_assert(SCHED_TOP_PRIO == CPU_PRIO_LEVELS, "sched: one priority scale (quartz/cpu.h)");

/* Highest set bit of a priority mask (bit p = priority p): a constant expression. */
#define SCHED_HIGHBIT_(m)                                                              \
    ((m) >> 16 ? 16 : (m) >> 15 ? 15 : (m) >> 14 ? 14 : (m) >> 13 ? 13 : (m) >> 12 ? 12 \
     : (m) >> 11 ? 11 : (m) >> 10 ? 10 : (m) >> 9 ? 9 : (m) >> 8 ? 8 : (m) >> 7 ? 7     \
     : (m) >> 6 ? 6 : (m) >> 5 ? 5 : (m) >> 4 ? 4 : (m) >> 3 ? 3 : (m) >> 2 ? 2         \
     : (m) >> 1 ? 1 : 0)
#define SCHED_MAX_(a, b) ((a) > (b) ? (a) : (b))

/* Apply m to each of up to 8 variadic arguments. */
#define SCHED_NARGS_(...) SCHED_NARGS_I_(__VA_ARGS__, 8, 7, 6, 5, 4, 3, 2, 1, 0)
#define SCHED_NARGS_I_(a1, a2, a3, a4, a5, a6, a7, a8, n, ...) n
#define SCHED_CAT_(a, b) SCHED_CAT_I_(a, b)
#define SCHED_CAT_I_(a, b) a##b
#define SCHED_EACH_(m, ...) SCHED_CAT_(SCHED_EACH_, SCHED_NARGS_(__VA_ARGS__))(m, __VA_ARGS__)
#define SCHED_EACH_1(m, a) m(a)
#define SCHED_EACH_2(m, a, ...) m(a) SCHED_EACH_1(m, __VA_ARGS__)
#define SCHED_EACH_3(m, a, ...) m(a) SCHED_EACH_2(m, __VA_ARGS__)
#define SCHED_EACH_4(m, a, ...) m(a) SCHED_EACH_3(m, __VA_ARGS__)
#define SCHED_EACH_5(m, a, ...) m(a) SCHED_EACH_4(m, __VA_ARGS__)
#define SCHED_EACH_6(m, a, ...) m(a) SCHED_EACH_5(m, __VA_ARGS__)
#define SCHED_EACH_7(m, a, ...) m(a) SCHED_EACH_6(m, __VA_ARGS__)
#define SCHED_EACH_8(m, a, ...) m(a) SCHED_EACH_7(m, __VA_ARGS__)

/*
 * A task's context is a null pointer whose type carries, in array sizes, the
 * task's id, the ceiling it currently runs at and whether BASEPRI on entry
 * is known; the checks below read them with sizeof, so they cost nothing at
 * run time. Inside sched_lock the name `ctx` is rebound to a type with the
 * raised ceiling, so a nested lock of a resource at or below it emits no code.
 */
#define SCHED_CTX_ID_(ctx) (sizeof((ctx)->id) - 1U)
#define SCHED_CTX_CEIL_(ctx) (sizeof((ctx)->ceil) - 1U)
/* 1: BASEPRI must be read and restored (APP_EXT_TASKS: someone else's
 * handler, whose entry BASEPRI the kernel does not restore); 0: the value to
 * restore is the current ceiling's, a constant. */
#define SCHED_CTX_READBACK_(ctx) (sizeof((ctx)->rd) - 1U)

#define SCHED_STATIC_CHECK_(cond, msg) ((void)sizeof(struct { _Static_assert(cond, msg); int sched_unused_; }))

struct sched_lock_key_ {
    uint32_t prev;
    uint8_t kind; /* 0: no code (already at the ceiling), 1: BASEPRI, 2: PRIMASK */
    uint8_t once;
};

/* Hardware BASEPRI of running at ceiling c (quartz/cpu.h scale): 0 in thread mode. */
#define SCHED_BASEPRI_AT_(c) ((c) == 0 ? 0U : CPU_PRIO_HW(c))

/*
 * Lock and unlock of a ceiling 1..15 are one MSR each, of constants, as in
 * RTIC: a task that locks runs at its static priority or, nested, at the
 * enclosing lock's ceiling, both known here, so unlock writes that value and
 * nothing is read. Writing the task's own priority instead of the BASEPRI
 * it found at entry (a lower task's ceiling, BASEPRI is not banked) masks
 * nothing more while the task runs, since its own priority masks the same
 * interrupts; the vector that runs the task puts the entry value back when
 * it returns (sched_impl.h, SCHED_RUN_).
 */
static inline __attribute__((always_inline)) struct sched_lock_key_
sched_lock_enter_(unsigned ceiling, unsigned current, unsigned readback)
{
    struct sched_lock_key_ key = {0, 0, 1};
    if (ceiling <= current) {
        return key;
    }
    if (ceiling >= SCHED_TOP_PRIO) {
        key.kind = 2;
        key.prev = cpu_irq_lock();
        return key;
    }
    /* A running task's priority is above whatever BASEPRI holds, and the
     * ceiling is above the task's priority, so a plain MSR always raises. */
    key.kind = 1;
    if (readback) {
        key.prev = kcpu_basepri();
        kcpu_set_basepri(CPU_PRIO_HW(ceiling));
    } else {
        key.prev = SCHED_BASEPRI_AT_(current);
        kcpu_set_basepri_const(CPU_PRIO_HW(ceiling));
    }
    return key;
}

static inline __attribute__((always_inline)) void sched_lock_exit_(struct sched_lock_key_ *key)
{
    if (key->kind == 1) {
        kcpu_set_basepri_const(key->prev);
    } else if (key->kind == 2) {
        cpu_irq_unlock(key->prev);
    }
}

/*
 * sched_lock(ctx, res, p) { use *p; }
 * Runs the block with `p` pointing at resource `res`, at the resource's
 * ceiling. Leaving the block any way (end, break, return) restores the
 * previous mask (GCC cleanup attribute).
 */
#define sched_lock(ctx, res, p)                                                                  \
    for (struct sched_lock_key_ sched_key_ __attribute__((cleanup(sched_lock_exit_))) =          \
             (SCHED_STATIC_CHECK_((SCHED_USERS_##res >> SCHED_CTX_ID_(ctx)) & 1U,                \
                                  "sched_lock: resource " #res                                  \
                                  " is not declared for this task in APP_RESOURCES"),           \
              sched_lock_enter_(SCHED_CEIL_##res, SCHED_CTX_CEIL_(ctx), SCHED_CTX_READBACK_(ctx))); \
         sched_key_.once;)                                                                       \
        for (struct {                                                                            \
                 char id[sizeof((ctx)->id)];                                                     \
                 char ceil[SCHED_MAX_(sizeof((ctx)->ceil), SCHED_CEIL_##res + 1U)];              \
                 char rd[1];                                                                     \
             } *ctx __attribute__((unused)) = 0;                                                 \
             sched_key_.once;)                                                                   \
            for (sched_res_type_##res *p = (sched_key_.once = 0, &sched_res_##res); p; p = 0)

/* Returns 0 or -ENOSPC (queue full; nothing already queued is lost). */
#define sched_spawn(ctx, task, msg)                                                              \
    (SCHED_STATIC_CHECK_((SCHED_SPAWNERS_##task >> SCHED_CTX_ID_(ctx)) & 1U,                     \
                         "sched_spawn: this task is not a declared spawner of " #task),      \
     sched_spawn_##task##_(msg))

/* Run `task` with `msg` at monotonic tick `at`; 0 or -ENOSPC. */
#define sched_spawn_at(ctx, task, at, msg)                                                       \
    (SCHED_STATIC_CHECK_((SCHED_SPAWNERS_##task >> SCHED_CTX_ID_(ctx)) & 1U,                     \
                         "sched_spawn_at: this task is not a declared spawner of " #task),   \
     SCHED_STATIC_CHECK_(SCHED_CTX_CEIL_(ctx) <= APP_MONO_PRIO,                                  \
                         "sched_spawn_at: caller runs above APP_MONO_PRIO (timer queue ceiling)"), \
     sched_spawn_at_##task##_((at), msg))

#define sched_spawn_after(ctx, task, ticks, msg) sched_spawn_at(ctx, task, mono_now() + (ticks), msg)

/* Task bodies. */
#define SCHED_HW_TASK(name) void sched_body_##name(struct sched_ctx_##name *ctx __attribute__((unused)))
#define SCHED_SW_TASK(name, msg)                                                                 \
    void sched_body_##name(struct sched_ctx_##name *ctx __attribute__((unused)),                 \
                           sched_msg_##name##_t msg)

/* The context of main(): `struct sched_ctx_init *ctx = SCHED_INIT_CTX;` */
#define SCHED_INIT_CTX ((struct sched_ctx_init *)0)

/* Generated by sched_app.h: sched_init() (interrupts off, queues and NVIC
 * set up) and sched_start() (interrupts on; main goes on as the idle task). */
void sched_init(void);
void sched_start(void);
/* The idle task: sleep until the next interrupt, forever. */
void sched_idle(void) __attribute__((noreturn));

#endif
