/*
 * The shared timer queue behind spawn_at and await_until. Its lock is a
 * priority ceiling: BASEPRI raised (never lowered, BASEPRI_MAX) to the timer
 * interrupt's priority, so tasks above it are never blocked by it. Blocking
 * is bounded by one O(n) insert, n = armed timers (timerq.h).
 */
#include <quartz/assert.h>
#include <quartz/kernel/cpu.h>
#include <quartz/kernel/mono.h>

static struct timerq mono_queue;

static inline uint32_t mono_lock(void)
{
    uint32_t prev = kcpu_basepri();
    kcpu_raise_basepri(CPU_PRIO_HW(mono_timer_prio()));
    return prev;
}

static inline void mono_unlock(uint32_t prev)
{
    kcpu_set_basepri(prev);
}

void mono_timer_start(struct timerq_node *node, uint64_t at, timerq_fire_fn fire)
{
    QUARTZ_ASSERT(!node->armed); /* re-arming an armed timer: cancel it first */
    uint32_t key = mono_lock();
    node->fire = fire;
    if (timerq_insert(&mono_queue, node, at)) {
        mono_timer_arm(at);
    }
    mono_unlock(key);
}

bool mono_timer_cancel(struct timerq_node *node)
{
    uint32_t key = mono_lock();
    bool armed = node->armed;
    if (armed && timerq_remove(&mono_queue, node)) {
        uint64_t next;
        if (timerq_next(&mono_queue, &next)) {
            mono_timer_arm(next);
        } else {
            mono_timer_disarm();
        }
    }
    mono_unlock(key);
    return armed;
}

void mono_expire(void)
{
    /* Runs at the timer priority: nothing that touches the queue can
     * preempt it, so no lock is needed here. */
    for (;;) {
        struct timerq_node *node = timerq_pop_expired(&mono_queue, mono_now());
        if (node == 0) {
            break;
        }
        node->fire(node);
    }
    uint64_t next;
    if (timerq_next(&mono_queue, &next)) {
        mono_timer_arm(next);
    } else {
        mono_timer_disarm();
    }
}
