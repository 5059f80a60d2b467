/* Sorted timer list; see quartz/kernel/timerq.h for the complexity bound. */
#include <stddef.h>

#include <quartz/kernel/timerq.h>

bool timerq_insert(struct timerq *q, struct timerq_node *node, uint64_t at)
{
    struct timerq_node **link = &q->head;

    /* `<=` keeps FIFO order among equal deadlines. */
    while (*link != NULL && (*link)->at <= at) {
        link = &(*link)->next;
    }
    node->at = at;
    node->next = *link;
    node->armed = true;
    *link = node;
    return link == &q->head;
}

bool timerq_remove(struct timerq *q, struct timerq_node *node)
{
    struct timerq_node **link = &q->head;

    while (*link != NULL && *link != node) {
        link = &(*link)->next;
    }
    if (*link == NULL) {
        return false;
    }
    bool was_head = link == &q->head;
    *link = node->next;
    node->next = NULL;
    node->armed = false;
    return was_head;
}

struct timerq_node *timerq_pop_expired(struct timerq *q, uint64_t now)
{
    struct timerq_node *node = q->head;

    if (node == NULL || node->at > now) {
        return NULL;
    }
    q->head = node->next;
    node->next = NULL;
    node->armed = false;
    return node;
}
