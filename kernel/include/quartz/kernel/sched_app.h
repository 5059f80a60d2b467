/*
 * Expands an application's scheduler tables (see sched.h) into constants,
 * checks and, in the one file that defines SCHED_APP_IMPL, the storage and
 * interrupt handlers. Include it once, at the end of the application's
 * table header.
 */
#ifndef QUARTZ_KERNEL_SCHED_APP_H
#define QUARTZ_KERNEL_SCHED_APP_H

/* Dispatcher vectors are the chip's free ones, SWI0.. (quartz/hal/irq.h).
 * A hardware task names a chip vector (NAME_IRQn, NAME_IRQHandler): the file
 * that declares it knows the chip and includes its interrupt numbers. */
#include <quartz/hal/irq.h>

#include <quartz/kernel/sched.h>
#ifdef APP_MONO_PRIO
#include <quartz/kernel/mono.h>
#endif

#if !defined(APP_HW_TASKS) || !defined(APP_SW_TASKS) || !defined(APP_RESOURCES) || !defined(APP_DISPATCHERS)
#error "define APP_HW_TASKS, APP_SW_TASKS, APP_RESOURCES and APP_DISPATCHERS (empty ones too) before sched_app.h"
#endif

/* Optional: tasks whose interrupt handler belongs to someone else (a HAL
 * callback runs in the HAL's handler at a known priority). They get an id,
 * a priority and a context (SCHED_EXT_CTX(name)) for locks and spawns; the
 * kernel generates no vector for them. */
#ifndef APP_EXT_TASKS
#define APP_EXT_TASKS(X)
#endif

/* ---- task ids and priorities ------------------------------------------ */
#define SCHED_GEN_ID_H_(name, vector, prio) SCHED_ID_##name,
#define SCHED_GEN_ID_S_(name, prio, cap, type, ...) SCHED_ID_##name,
#define SCHED_GEN_ID_X_(name, prio) SCHED_ID_##name,
enum sched_task_id_ {
    SCHED_ID_init,
    APP_HW_TASKS(SCHED_GEN_ID_H_) APP_SW_TASKS(SCHED_GEN_ID_S_) APP_EXT_TASKS(SCHED_GEN_ID_X_)
    SCHED_TASK_COUNT_
};
_Static_assert(SCHED_TASK_COUNT_ <= 31, "sched: at most 30 tasks");

#define SCHED_GEN_PRIO_H_(name, vector, prio) SCHED_PRIO_##name = (prio),
#define SCHED_GEN_PRIO_S_(name, prio, cap, type, ...) SCHED_PRIO_##name = (prio),
#define SCHED_GEN_PRIO_X_(name, prio) SCHED_PRIO_##name = (prio),
enum {
    SCHED_PRIO_init = 0,
    APP_HW_TASKS(SCHED_GEN_PRIO_H_) APP_SW_TASKS(SCHED_GEN_PRIO_S_) APP_EXT_TASKS(SCHED_GEN_PRIO_X_)
};

struct sched_ctx_init { char id[SCHED_ID_init + 1]; char ceil[1]; char rd[1]; };
#define SCHED_GEN_CTX_H_(name, vector, prio)                                                     \
    struct sched_ctx_##name { char id[SCHED_ID_##name + 1]; char ceil[(prio) + 1]; char rd[1]; }; \
    _Static_assert((prio) >= 1 && (prio) <= SCHED_TOP_PRIO, "task " #name ": priority must be 1..16"); \
    SCHED_HW_TASK(name);
APP_HW_TASKS(SCHED_GEN_CTX_H_)

#define SCHED_GEN_CTX_X_(name, prio)                                                             \
    struct sched_ctx_##name { char id[SCHED_ID_##name + 1]; char ceil[(prio) + 1]; char rd[2]; }; \
    _Static_assert((prio) >= 1 && (prio) <= SCHED_TOP_PRIO, "task " #name ": priority must be 1..16");
APP_EXT_TASKS(SCHED_GEN_CTX_X_)
/* The context of an APP_EXT_TASKS task, for use in its callback. */
#define SCHED_EXT_CTX(name) ((struct sched_ctx_##name *)0)

#define SCHED_PRIO_BIT_(task) | (1L << SCHED_PRIO_##task)
#define SCHED_ID_BIT_(task) | (1L << SCHED_ID_##task)

#define SCHED_GEN_CTX_S_(name, prio, cap, type, ...)                                             \
    struct sched_ctx_##name { char id[SCHED_ID_##name + 1]; char ceil[(prio) + 1]; char rd[1]; }; \
    typedef type sched_msg_##name##_t;                                                           \
    enum { SCHED_CAP_##name = (cap), SCHED_SPAWNERS_##name = 0 SCHED_EACH_(SCHED_ID_BIT_, __VA_ARGS__) }; \
    _Static_assert((prio) >= 1 && (prio) < SCHED_TOP_PRIO, "software task " #name ": priority must be 1..15"); \
    _Static_assert((cap) >= 1 && (cap) <= 254, "software task " #name ": capacity must be 1..254");    \
    SCHED_SW_TASK(name, msg);                                                                    \
    int sched_spawn_##name##_(sched_msg_##name##_t msg);                                         \
    int sched_spawn_at_##name##_(uint64_t at, sched_msg_##name##_t msg);
APP_SW_TASKS(SCHED_GEN_CTX_S_)

/* ---- resources: ceiling = highest priority among the declared users ---- */
#define SCHED_GEN_RES_(name, type, ...)                                                          \
    typedef type sched_res_type_##name;                                                          \
    enum {                                                                                       \
        SCHED_CEIL_##name = SCHED_HIGHBIT_(0L SCHED_EACH_(SCHED_PRIO_BIT_, __VA_ARGS__)),        \
        SCHED_USERS_##name = 0 SCHED_EACH_(SCHED_ID_BIT_, __VA_ARGS__)                            \
    };                                                                                           \
    extern sched_res_type_##name sched_res_##name;
APP_RESOURCES(SCHED_GEN_RES_)

/* ---- dispatchers --------------------------------------------------------- */
/* Ready-queue length of priority P: the sum of the capacities there. */
#define SCHED_CAP_AT_(P, prio, cap) +((prio) == (P) ? (cap) : 0)
#define SCHED_CAPSUM1_(n, prio, cap, ...) SCHED_CAP_AT_(1, prio, cap)
#define SCHED_CAPSUM2_(n, prio, cap, ...) SCHED_CAP_AT_(2, prio, cap)
#define SCHED_CAPSUM3_(n, prio, cap, ...) SCHED_CAP_AT_(3, prio, cap)
#define SCHED_CAPSUM4_(n, prio, cap, ...) SCHED_CAP_AT_(4, prio, cap)
#define SCHED_CAPSUM5_(n, prio, cap, ...) SCHED_CAP_AT_(5, prio, cap)
#define SCHED_CAPSUM6_(n, prio, cap, ...) SCHED_CAP_AT_(6, prio, cap)
#define SCHED_CAPSUM7_(n, prio, cap, ...) SCHED_CAP_AT_(7, prio, cap)
#define SCHED_CAPSUM8_(n, prio, cap, ...) SCHED_CAP_AT_(8, prio, cap)
#define SCHED_CAPSUM9_(n, prio, cap, ...) SCHED_CAP_AT_(9, prio, cap)
#define SCHED_CAPSUM10_(n, prio, cap, ...) SCHED_CAP_AT_(10, prio, cap)
#define SCHED_CAPSUM11_(n, prio, cap, ...) SCHED_CAP_AT_(11, prio, cap)
#define SCHED_CAPSUM12_(n, prio, cap, ...) SCHED_CAP_AT_(12, prio, cap)
#define SCHED_CAPSUM13_(n, prio, cap, ...) SCHED_CAP_AT_(13, prio, cap)
#define SCHED_CAPSUM14_(n, prio, cap, ...) SCHED_CAP_AT_(14, prio, cap)
#define SCHED_CAPSUM15_(n, prio, cap, ...) SCHED_CAP_AT_(15, prio, cap)

/* Ring sizes are powers of two so that advancing an index is add + and. */
#define SCHED_POW2_(n)                                                                           \
    ((n) <= 2 ? 2 : (n) <= 4 ? 4 : (n) <= 8 ? 8 : (n) <= 16 ? 16 : (n) <= 32 ? 32               \
     : (n) <= 64 ? 64 : (n) <= 128 ? 128 : 256)

#define SCHED_GEN_DISP_CONST_(p, vector)                                                         \
    enum { SCHED_DISPATCH_IRQ_##p = vector##_IRQn,                                               \
           SCHED_RQLEN_##p = SCHED_POW2_(1 + (0 APP_SW_TASKS(SCHED_CAPSUM##p##_))) };             \
    _Static_assert((p) >= 1 && (p) < SCHED_TOP_PRIO, "dispatcher priority must be 1..15");       \
    _Static_assert(0 APP_SW_TASKS(SCHED_CAPSUM##p##_) <= 255, "too many queued messages at one priority");
APP_DISPATCHERS(SCHED_GEN_DISP_CONST_)

#define SCHED_DISP_BIT_(p, vector) | (1L << (p))
#define SCHED_SWPRIO_BIT_(name, prio, cap, type, ...) | (1L << (prio))
#define SCHED_SPAWNER_PRIOS_(name, prio, cap, type, ...) SCHED_EACH_(SCHED_PRIO_BIT_, __VA_ARGS__)
#define SCHED_GEN_DISP_CHECK_(name, prio, cap, type, ...)                                        \
    _Static_assert(((0L APP_DISPATCHERS(SCHED_DISP_BIT_)) >> (prio)) & 1,                       \
                   "software task " #name ": no dispatcher at its priority in APP_DISPATCHERS");
APP_SW_TASKS(SCHED_GEN_DISP_CHECK_)

#ifdef APP_MONO_PRIO
#define SCHED_MONO_BIT_ (1L << (APP_MONO_PRIO))
_Static_assert(APP_MONO_PRIO >= 1 && APP_MONO_PRIO < SCHED_TOP_PRIO, "APP_MONO_PRIO must be 1..15");
#else
#define SCHED_MONO_BIT_ 0L
#endif

/* The ready and free queues are shared by every spawner (and the timer
 * interrupt): their ceiling is the highest of those priorities. */
enum { SCHED_SPAWN_CEIL_ = SCHED_HIGHBIT_(SCHED_MONO_BIT_ APP_SW_TASKS(SCHED_SPAWNER_PRIOS_)) };

#ifdef SCHED_APP_IMPL
#include <quartz/kernel/sched_impl.h>
#endif

#endif
