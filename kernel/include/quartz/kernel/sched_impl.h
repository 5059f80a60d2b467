/*
 * Storage and interrupt handlers generated from the application's tables;
 * included by sched_app.h in the one file that defines SCHED_APP_IMPL.
 *
 * Each software task T has a message ring of SCHED_POW2_(capacity) entries
 * with free-running 32-bit indices:
 *   head   advanced by spawners and T's timer callbacks (under the spawn lock)
 *   tail   advanced by T's dispatcher only
 *   taken  reservations, under the spawn lock: a spawn or spawn_at is
 *          refused with -ENOSPC when taken - tail == capacity, before
 *          anything is touched, so nothing already queued is lost
 * A spawn_at reserves at once and keeps its message in one of T's timer
 * nodes (a free stack of node indices, under the spawn lock); the timer
 * callback pushes it onto the ring, so the ring is in order of readiness.
 * A priority with more than one software task also has a ready ring of task
 * ids (FIFO across its tasks), pushed together with the message.
 * Each index has a single writer, so the dispatchers take no lock.
 */
#ifndef QUARTZ_KERNEL_SCHED_IMPL_H
#define QUARTZ_KERNEL_SCHED_IMPL_H

#include <stdbool.h>

static inline __attribute__((always_inline)) uint32_t sched_spawn_lock_(void)
{
    if (SCHED_SPAWN_CEIL_ >= SCHED_TOP_PRIO) {
        return cpu_irq_lock();
    }
    uint32_t prev = kcpu_basepri();
    kcpu_raise_basepri(CPU_PRIO_HW(SCHED_SPAWN_CEIL_ > 0 ? SCHED_SPAWN_CEIL_ : 1));
    return prev;
}

static inline __attribute__((always_inline)) void sched_spawn_unlock_(uint32_t prev)
{
    if (SCHED_SPAWN_CEIL_ >= SCHED_TOP_PRIO) {
        cpu_irq_unlock(prev);
    } else {
        kcpu_set_basepri(prev);
    }
}

/* ---- which tasks may change BASEPRI with a lock -------------------------- */
/* A task whose resources all have ceilings <= its priority never writes
 * BASEPRI (its locks compile to nothing); the others leave BASEPRI at their
 * own priority after a lock, so their vector restores the entry value. */
#define SCHED_MAYLOCK_TERM_(name, type, ...) || (((SCHED_USERS_##name >> id) & 1U) && SCHED_CEIL_##name > prio)
static inline __attribute__((always_inline)) bool sched_maylock_(unsigned id, unsigned prio)
{
    (void)id;
    (void)prio;
    return false APP_RESOURCES(SCHED_MAYLOCK_TERM_);
}

/* ---- resources ----------------------------------------------------------- */
#define SCHED_DEF_RES_(name, type, ...) sched_res_type_##name sched_res_##name;
APP_RESOURCES(SCHED_DEF_RES_)

/* ---- per priority: task count, ready ring of task ids if more than one --- */
#define SCHED_DEF_RQ_(p, vector)                                                                 \
    enum { SCHED_NTASKS_##p = 0 APP_SW_TASKS(SCHED_NTASKS_TERM_##p##_) };                         \
    static struct {                                                                              \
        uint8_t e[SCHED_RQLEN_##p];                                                              \
        volatile uint32_t head, tail;                                                            \
    } sched_rq_##p __attribute__((unused)); /* used with more than one task at p */
#define SCHED_NTASKS_TERM_1_(name, prio, cap, type, ...) +((prio) == 1)
#define SCHED_NTASKS_TERM_2_(name, prio, cap, type, ...) +((prio) == 2)
#define SCHED_NTASKS_TERM_3_(name, prio, cap, type, ...) +((prio) == 3)
#define SCHED_NTASKS_TERM_4_(name, prio, cap, type, ...) +((prio) == 4)
#define SCHED_NTASKS_TERM_5_(name, prio, cap, type, ...) +((prio) == 5)
#define SCHED_NTASKS_TERM_6_(name, prio, cap, type, ...) +((prio) == 6)
#define SCHED_NTASKS_TERM_7_(name, prio, cap, type, ...) +((prio) == 7)
#define SCHED_NTASKS_TERM_8_(name, prio, cap, type, ...) +((prio) == 8)
#define SCHED_NTASKS_TERM_9_(name, prio, cap, type, ...) +((prio) == 9)
#define SCHED_NTASKS_TERM_10_(name, prio, cap, type, ...) +((prio) == 10)
#define SCHED_NTASKS_TERM_11_(name, prio, cap, type, ...) +((prio) == 11)
#define SCHED_NTASKS_TERM_12_(name, prio, cap, type, ...) +((prio) == 12)
#define SCHED_NTASKS_TERM_13_(name, prio, cap, type, ...) +((prio) == 13)
#define SCHED_NTASKS_TERM_14_(name, prio, cap, type, ...) +((prio) == 14)
#define SCHED_NTASKS_TERM_15_(name, prio, cap, type, ...) +((prio) == 15)
APP_DISPATCHERS(SCHED_DEF_RQ_)

#ifdef APP_MONO_PRIO
#define SCHED_DEF_SW_AT_(name, prio, cap, type)                                                  \
    static struct {                                                                              \
        struct timerq_node node;                                                                 \
        type msg;                                                                                \
    } sched_timer_##name[cap];                                                                   \
    static struct {                                                                              \
        uint8_t n;                                                                               \
        uint8_t idx[cap];                                                                        \
    } sched_tfree_##name;                                                                        \
    static void sched_fire_##name##_(struct timerq_node *node)                                   \
    {                                                                                            \
        /* node is the first member of its element */                                            \
        uint8_t i = (uint8_t)(((char *)node - (char *)sched_timer_##name) /                      \
                              (int)sizeof(sched_timer_##name[0]));                               \
        uint32_t key = sched_spawn_lock_();                                                      \
        sched_push_##name##_(sched_timer_##name[i].msg);                                         \
        sched_tfree_##name.idx[sched_tfree_##name.n++] = i;                                      \
        sched_spawn_unlock_(key);                                                                \
        kcpu_pend(SCHED_DISPATCH_IRQ_##prio);                                                    \
    }                                                                                            \
    int sched_spawn_at_##name##_(uint64_t at, sched_msg_##name##_t msg)                          \
    {                                                                                            \
        uint32_t key = sched_spawn_lock_();                                                      \
        if (sched_q_##name.taken - sched_q_##name.tail >= (cap)) {                               \
            sched_spawn_unlock_(key);                                                            \
            return -ENOSPC;                                                                      \
        }                                                                                        \
        sched_q_##name.taken++;                                                                  \
        uint8_t i = sched_tfree_##name.idx[--sched_tfree_##name.n];                              \
        sched_spawn_unlock_(key);                                                                \
        sched_timer_##name[i].msg = msg;                                                         \
        mono_timer_start(&sched_timer_##name[i].node, at, sched_fire_##name##_);                 \
        return 0;                                                                                \
    }
#define SCHED_INIT_SW_AT_(name, cap)                                                             \
    for (unsigned i = 0; i < (cap); i++) {                                                       \
        sched_tfree_##name.idx[i] = (uint8_t)i;                                                  \
    }                                                                                            \
    sched_tfree_##name.n = (cap);
#else
#define SCHED_DEF_SW_AT_(name, prio, cap, type)
#define SCHED_INIT_SW_AT_(name, cap)
#endif

/* ---- per software task: message ring ------------------------------------- */
#define SCHED_QLEN_(cap) SCHED_POW2_(cap)
#define SCHED_DEF_SW_(name, prio, cap, type, ...)                                                \
    static struct {                                                                              \
        sched_msg_##name##_t e[SCHED_QLEN_(cap)];                                                \
        volatile uint32_t head, tail;                                                            \
        uint32_t taken;                                                                          \
    } sched_q_##name;                                                                            \
    /* Under the spawn lock, with a reservation: message, then its turn. */                      \
    static inline __attribute__((always_inline)) void sched_push_##name##_(sched_msg_##name##_t msg) \
    {                                                                                            \
        uint32_t h = sched_q_##name.head;                                                        \
        sched_q_##name.e[h & (SCHED_QLEN_(cap) - 1U)] = msg;                                     \
        kcpu_barrier();                                                                          \
        sched_q_##name.head = h + 1U;                                                            \
        if (SCHED_NTASKS_##prio > 1) {                                                           \
            uint32_t rh = sched_rq_##prio.head;                                                  \
            sched_rq_##prio.e[rh & (SCHED_RQLEN_##prio - 1U)] = SCHED_ID_##name;                 \
            kcpu_barrier();                                                                      \
            sched_rq_##prio.head = rh + 1U;                                                      \
        }                                                                                        \
    }                                                                                            \
    int sched_spawn_##name##_(sched_msg_##name##_t msg)                                          \
    {                                                                                            \
        uint32_t key = sched_spawn_lock_();                                                      \
        if (sched_q_##name.taken - sched_q_##name.tail >= (cap)) {                               \
            sched_spawn_unlock_(key);                                                            \
            return -ENOSPC;                                                                      \
        }                                                                                        \
        sched_q_##name.taken++;                                                                  \
        sched_push_##name##_(msg);                                                               \
        sched_spawn_unlock_(key);                                                                \
        kcpu_pend(SCHED_DISPATCH_IRQ_##prio);                                                    \
        return 0;                                                                                \
    }                                                                                            \
    SCHED_DEF_SW_AT_(name, prio, cap, type)
APP_SW_TASKS(SCHED_DEF_SW_)

/* ---- running a task from its vector -------------------------------------- */
/* `call` runs the task; when it may leave BASEPRI at its own priority
 * (sched_maylock_), the entry value is put back afterwards: 0 for priority 1
 * (only thread mode is below it, and a lock there would mask priority 1),
 * else read on entry. Otherwise `call` is the handler's last act (a tail
 * call, no stack frame). */
#define SCHED_RUN_(maylock, prio, call)                                                          \
    do {                                                                                         \
        if (maylock) {                                                                           \
            uint32_t sched_entry_ = (prio) == 1 ? 0U : kcpu_basepri();                           \
            call;                                                                                \
            kcpu_set_basepri(sched_entry_);                                                      \
        } else {                                                                                 \
            call;                                                                                \
        }                                                                                        \
    } while (0)

/* ---- hardware tasks: the vector is the task ------------------------------ */
#define SCHED_DEF_HW_(name, vector, prio)                                                        \
    void vector##_IRQHandler(void)                                                               \
    {                                                                                            \
        SCHED_RUN_(sched_maylock_(SCHED_ID_##name, (prio)), (prio), sched_body_##name(0));       \
    }
APP_HW_TASKS(SCHED_DEF_HW_)

/* ---- dispatchers --------------------------------------------------------- */
/*
 * One message per entry: take the oldest, re-pend the vector if more are
 * queued (they run after this task by tail-chaining, in FIFO order), run the
 * task. With one task at the priority there is no id ring and no switch.
 */
#define SCHED_DISPATCH_MAYLOCK_(name, prio, cap, type, ...)                                      \
    || ((prio) == sched_p_ && sched_maylock_(SCHED_ID_##name, (prio)))
/* Copy the oldest message out, then free its entry (tail is ours alone). */
#define SCHED_TAKE_(name, cap, m, qt)                                                            \
    sched_msg_##name##_t m = sched_q_##name.e[(qt) & (SCHED_QLEN_(cap) - 1U)];                   \
    kcpu_barrier();                                                                              \
    sched_q_##name.tail = (qt) + 1U
#define SCHED_DISPATCH_ONE_(name, prio, cap, type, ...)                                          \
    if ((prio) == sched_p_ && SCHED_NTASKS_##prio == 1) {                                        \
        uint32_t t = sched_q_##name.tail;                                                        \
        uint32_t h = sched_q_##name.head;                                                        \
        if (t == h) {                                                                            \
            return;                                                                              \
        }                                                                                        \
        SCHED_TAKE_(name, cap, m, t);                                                            \
        if (__builtin_expect(t + 1U != h, 0)) { /* out of line */                                \
            kcpu_set_pending(SCHED_DISPATCH_IRQ_##prio);                                         \
        }                                                                                        \
        SCHED_RUN_(maylock, sched_p_, sched_body_##name(0, m));                                  \
        return;                                                                                  \
    }
#define SCHED_DISPATCH_CASE_(name, prio, cap, type, ...)                                         \
    case SCHED_ID_##name:                                                                        \
        if ((prio) == sched_p_) {                                                                \
            uint32_t qt = sched_q_##name.tail;                                                   \
            SCHED_TAKE_(name, cap, m, qt);                                                       \
            SCHED_RUN_(maylock, sched_p_, sched_body_##name(0, m));                              \
        }                                                                                        \
        return;

#define SCHED_DEF_DISPATCH_(p, vector)                                                           \
    void vector##_IRQHandler(void)                                                               \
    {                                                                                            \
        enum { sched_p_ = p };                                                                   \
        const bool maylock = false APP_SW_TASKS(SCHED_DISPATCH_MAYLOCK_);                        \
        (void)maylock;                                                                           \
        APP_SW_TASKS(SCHED_DISPATCH_ONE_)                                                        \
        uint32_t t = sched_rq_##p.tail;                                                          \
        uint32_t h = sched_rq_##p.head;                                                          \
        if (t == h) {                                                                            \
            return;                                                                              \
        }                                                                                        \
        uint8_t id = sched_rq_##p.e[t & (SCHED_RQLEN_##p - 1U)];                                 \
        kcpu_barrier();                                                                          \
        sched_rq_##p.tail = t + 1U;                                                              \
        if (t + 1U != h) {                                                                       \
            kcpu_set_pending(SCHED_DISPATCH_IRQ_##p);                                            \
        }                                                                                        \
        switch (id) {                                                                            \
            APP_SW_TASKS(SCHED_DISPATCH_CASE_)                                                   \
        default:                                                                                 \
            return;                                                                              \
        }                                                                                        \
    }
APP_DISPATCHERS(SCHED_DEF_DISPATCH_)

/* ---- init and start ------------------------------------------------------ */
#define SCHED_INIT_SW_(name, prio, cap, type, ...)                                               \
    sched_q_##name.head = 0;                                                                     \
    sched_q_##name.tail = 0;                                                                     \
    sched_q_##name.taken = 0;                                                                    \
    SCHED_INIT_SW_AT_(name, cap)
#define SCHED_INIT_HW_(name, vector, prio) kcpu_irq_setup(vector##_IRQn, (prio));
#define SCHED_INIT_DISP_(p, vector)                                                              \
    sched_rq_##p.head = 0;                                                                       \
    sched_rq_##p.tail = 0;                                                                       \
    kcpu_irq_setup(vector##_IRQn, (p));

void sched_init(void)
{
    (void)cpu_irq_lock();
    APP_SW_TASKS(SCHED_INIT_SW_)
    APP_HW_TASKS(SCHED_INIT_HW_)
    APP_DISPATCHERS(SCHED_INIT_DISP_)
}

void sched_start(void)
{
    cpu_irq_unlock(CPU_IRQ_UNLOCKED);
}

#endif
