/*
 * Timer queue: armed timers in a singly linked list sorted by deadline.
 * Insert is O(n) in the number of armed timers n (the list is walked to the
 * first later deadline; equal deadlines keep insertion order, so two
 * spawn_at for the same instant run in the order they were made); expiry
 * pops from the head in O(1) per timer. n is bounded by the application's
 * declarations: the sum of the software tasks' queue capacities plus one
 * node per async task. Pure logic with no locking: the monotonic layer
 * (mono.h) serialises access.
 */
#ifndef QUARTZ_KERNEL_TIMERQ_H
#define QUARTZ_KERNEL_TIMERQ_H

#include <stdbool.h>
#include <stdint.h>

struct timerq_node;
typedef void (*timerq_fire_fn)(struct timerq_node *node);

struct timerq_node {
    struct timerq_node *next;
    uint64_t at;          /* deadline in monotonic ticks */
    timerq_fire_fn fire;  /* called once at or after `at` */
    bool armed;
};

struct timerq {
    struct timerq_node *head;
};

/* Returns true when `node` became the new head (the alarm must move). The
 * node must not be armed. */
bool timerq_insert(struct timerq *q, struct timerq_node *node, uint64_t at);

/* Unlinks an armed node; returns true when it was the head. */
bool timerq_remove(struct timerq *q, struct timerq_node *node);

/* Pops the head if its deadline is <= now, else returns NULL. */
struct timerq_node *timerq_pop_expired(struct timerq *q, uint64_t now);

static inline bool timerq_next(const struct timerq *q, uint64_t *at)
{
    if (q->head == 0) {
        return false;
    }
    *at = q->head->at;
    return true;
}

#endif
