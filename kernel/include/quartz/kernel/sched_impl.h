/*
 * Storage and interrupt handlers generated from the application's tables;
 * included by sched_app.h in the one file that defines SCHED_APP_IMPL.
 *
 * Queues are rings of uint8_t indices with one producer side and one
 * consumer side:
 *   free ring of task T: slots of T's message buffer not in use;
 *       produced by T's dispatcher (after copying the message out),
 *       consumed by spawners (under the spawn lock).
 *   ready ring of priority P: (task id, slot) in spawn order, FIFO across
 *       the tasks of that priority; produced by spawners (under the spawn
 *       lock), consumed by P's dispatcher.
 * Each index has a single writer, so the dispatchers take no lock.
 * The ready ring of P holds the sum of the capacities at P, so a spawn that
 * got a free slot always finds room there.
 */
#ifndef QUARTZ_KERNEL_SCHED_IMPL_H
#define QUARTZ_KERNEL_SCHED_IMPL_H

#include <stdbool.h>

static inline __attribute__((always_inline)) uint32_t sched_spawn_lock_(void)
{
    if (SCHED_SPAWN_CEIL_ >= SCHED_TOP_PRIO) {
        return kcpu_irq_save();
    }
    uint32_t prev = kcpu_basepri();
    kcpu_raise_basepri(KCPU_PRIO_HW(SCHED_SPAWN_CEIL_ > 0 ? SCHED_SPAWN_CEIL_ : 1));
    return prev;
}

static inline __attribute__((always_inline)) void sched_spawn_unlock_(uint32_t prev)
{
    if (SCHED_SPAWN_CEIL_ >= SCHED_TOP_PRIO) {
        kcpu_irq_restore(prev);
    } else {
        kcpu_set_basepri(prev);
    }
}

/* `size` is a power of two (SCHED_POW2_). */
static inline __attribute__((always_inline)) uint8_t sched_ring_next_(uint8_t i, unsigned size)
{
    return (uint8_t)((i + 1U) & (size - 1U));
}

/* ---- resources ----------------------------------------------------------- */
#define SCHED_DEF_RES_(name, type, ...) sched_res_type_##name sched_res_##name;
APP_RESOURCES(SCHED_DEF_RES_)

/* ---- ready rings, one per dispatcher ------------------------------------- */
#define SCHED_DEF_RQ_(p, vector)                                                                 \
    static struct {                                                                              \
        volatile uint8_t head, tail;                                                             \
        uint16_t e[SCHED_RQLEN_##p];                                                             \
    } sched_rq_##p;
APP_DISPATCHERS(SCHED_DEF_RQ_)

#ifdef APP_MONO_PRIO
/* spawn_at: the slot is taken now (so a full queue is refused at once) and
 * handed to the ready ring by the timer interrupt. */
#define SCHED_DEF_SW_AT_(name, prio, cap)                                                        \
    static struct timerq_node sched_timer_##name[cap];                                           \
    static void sched_fire_##name##_(struct timerq_node *node)                                   \
    {                                                                                            \
        uint32_t key = sched_spawn_lock_();                                                      \
        sched_ready_##name##_((uint8_t)(node - sched_timer_##name));                             \
        sched_spawn_unlock_(key);                                                                \
        kcpu_pend(SCHED_DISPATCH_IRQ_##prio);                                                    \
    }                                                                                            \
    int sched_spawn_at_##name##_(uint64_t at, sched_msg_##name##_t msg)                          \
    {                                                                                            \
        uint32_t key = sched_spawn_lock_();                                                      \
        int slot = sched_take_##name##_();                                                       \
        sched_spawn_unlock_(key);                                                                \
        if (slot < 0) {                                                                          \
            return slot;                                                                         \
        }                                                                                        \
        sched_buf_##name[slot] = msg;                                                            \
        mono_timer_start(&sched_timer_##name[slot], at, sched_fire_##name##_);                   \
        return 0;                                                                                \
    }
#else
#define SCHED_DEF_SW_AT_(name, prio, cap)
#endif

/* ---- per software task: message buffer and free ring -------------------- */
#define SCHED_DEF_SW_(name, prio, cap, type, ...)                                                \
    static sched_msg_##name##_t sched_buf_##name[cap];                                           \
    static struct {                                                                              \
        volatile uint8_t head, tail;                                                             \
        uint8_t e[SCHED_POW2_((cap) + 1)];                                                       \
    } sched_free_##name;                                                                         \
    static inline __attribute__((always_inline)) void sched_ready_##name##_(uint8_t slot)        \
    {                                                                                            \
        uint8_t h = sched_rq_##prio.head;                                                        \
        sched_rq_##prio.e[h] = (uint16_t)((SCHED_ID_##name << 8) | slot);                        \
        kcpu_barrier();                                                                          \
        sched_rq_##prio.head = sched_ring_next_(h, SCHED_RQLEN_##prio);                          \
    }                                                                                            \
    /* Under the spawn lock: a free slot or -ENOSPC. */                                          \
    static inline __attribute__((always_inline)) int sched_take_##name##_(void)                  \
    {                                                                                            \
        uint8_t t = sched_free_##name.tail;                                                      \
        if (t == sched_free_##name.head) {                                                       \
            return -ENOSPC;                                                                      \
        }                                                                                        \
        sched_free_##name.tail = sched_ring_next_(t, SCHED_POW2_((cap) + 1));                                 \
        return sched_free_##name.e[t];                                                           \
    }                                                                                            \
    int sched_spawn_##name##_(sched_msg_##name##_t msg)                                          \
    {                                                                                            \
        uint32_t key = sched_spawn_lock_();                                                      \
        int slot = sched_take_##name##_();                                                       \
        if (slot >= 0) {                                                                         \
            sched_buf_##name[slot] = msg;                                                        \
            sched_ready_##name##_((uint8_t)slot);                                                \
        }                                                                                        \
        sched_spawn_unlock_(key);                                                                \
        if (slot < 0) {                                                                          \
            return slot;                                                                         \
        }                                                                                        \
        kcpu_pend(SCHED_DISPATCH_IRQ_##prio);                                                    \
        return 0;                                                                                \
    }                                                                                            \
    SCHED_DEF_SW_AT_(name, prio, cap)
APP_SW_TASKS(SCHED_DEF_SW_)


/* ---- hardware tasks: the vector is the task ------------------------------ */
#define SCHED_DEF_HW_(name, vector, prio)                                                        \
    void vector##_IRQHandler(void)                                                               \
    {                                                                                            \
        sched_body_##name(0);                                                                    \
    }
APP_HW_TASKS(SCHED_DEF_HW_)

/* ---- dispatchers: run the ready ring of one priority in FIFO order ------- */
#define SCHED_DISPATCH_CASE_(name, prio, cap, type, ...)                                         \
    case SCHED_ID_##name:                                                                        \
        if ((prio) == sched_p_) {                                                                \
            sched_msg_##name##_t m = sched_buf_##name[slot];                                     \
            uint8_t fh = sched_free_##name.head;                                                 \
            sched_free_##name.e[fh] = slot;                                                      \
            kcpu_barrier();                                                                      \
            sched_free_##name.head = sched_ring_next_(fh, SCHED_POW2_((cap) + 1));                            \
            sched_body_##name(0, m);                                                             \
        }                                                                                        \
        break;

#define SCHED_DEF_DISPATCH_(p, vector)                                                           \
    void vector##_IRQHandler(void)                                                               \
    {                                                                                            \
        enum { sched_p_ = p };                                                                   \
        uint8_t t = sched_rq_##p.tail;                                                           \
        while (t != sched_rq_##p.head) {                                                         \
            uint16_t e = sched_rq_##p.e[t];                                                      \
            uint8_t slot = (uint8_t)e;                                                           \
            t = sched_ring_next_(t, SCHED_RQLEN_##p);                                            \
            sched_rq_##p.tail = t;                                                               \
            switch (e >> 8) {                                                                    \
                APP_SW_TASKS(SCHED_DISPATCH_CASE_)                                               \
            default:                                                                             \
                break;                                                                           \
            }                                                                                    \
        }                                                                                        \
    }
APP_DISPATCHERS(SCHED_DEF_DISPATCH_)

/* ---- init and start ------------------------------------------------------ */
#define SCHED_INIT_SW_(name, prio, cap, type, ...)                                               \
    for (unsigned i = 0; i < (cap); i++) {                                                       \
        sched_free_##name.e[i] = (uint8_t)i;                                                     \
    }                                                                                            \
    sched_free_##name.tail = 0;                                                                  \
    sched_free_##name.head = (cap);
#define SCHED_INIT_HW_(name, vector, prio) kcpu_irq_setup(vector##_IRQn, (prio));
#define SCHED_INIT_DISP_(p, vector) kcpu_irq_setup(vector##_IRQn, (p));

void sched_init(void)
{
    kcpu_irq_disable();
    APP_SW_TASKS(SCHED_INIT_SW_)
    APP_HW_TASKS(SCHED_INIT_HW_)
    APP_DISPATCHERS(SCHED_INIT_DISP_)
}

void sched_start(void)
{
    kcpu_irq_enable();
}

#endif
