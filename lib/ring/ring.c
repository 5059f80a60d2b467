#include <errno.h>

#include "quartz/assert.h"
#include "quartz/ring.h"

int ring_init(struct ring *r, uint8_t *buf, uint32_t size)
{
    if (size < 2 || (size & (size - 1)) != 0)
        return -EINVAL;
    r->buf = buf;
    r->mask = size - 1;
    atomic_init(&r->head, 0);
    atomic_init(&r->tail, 0);
    atomic_init(&r->producing, false);
    return 0;
}

size_t ring_used(const struct ring *r)
{
    uint32_t head = (uint32_t)atomic_load_explicit(&r->head, memory_order_acquire);
    uint32_t tail = (uint32_t)atomic_load_explicit(&r->tail, memory_order_acquire);
    return (head - tail) & r->mask;
}

size_t ring_free(const struct ring *r)
{
    return r->mask - ring_used(r);
}

/* Single producer: a put that finds another one in progress interrupted it
 * (it cannot be the other way round on one core: the interrupted put does
 * not run until the interrupting one has returned). */
static void producer_enter(struct ring *r)
{
    bool was = atomic_exchange_explicit(&r->producing, true, memory_order_relaxed);
    QUARTZ_ASSERT(!was);
}

static void producer_leave(struct ring *r)
{
    atomic_store_explicit(&r->producing, false, memory_order_relaxed);
}

static bool put_one(struct ring *r, uint8_t byte)
{
    uint32_t head = (uint32_t)atomic_load_explicit(&r->head, memory_order_relaxed);
    uint32_t tail = (uint32_t)atomic_load_explicit(&r->tail, memory_order_acquire);
    if (((head + 1) & r->mask) == (tail & r->mask))
        return false;
    r->buf[head & r->mask] = byte;
    atomic_store_explicit(&r->head, (head + 1) & r->mask, memory_order_release);
    return true;
}

bool ring_put_byte(struct ring *r, uint8_t byte)
{
    producer_enter(r);
    bool stored = put_one(r, byte);
    producer_leave(r);
    return stored;
}

bool ring_get_byte(struct ring *r, uint8_t *byte)
{
    uint32_t tail = (uint32_t)atomic_load_explicit(&r->tail, memory_order_relaxed);
    uint32_t head = (uint32_t)atomic_load_explicit(&r->head, memory_order_acquire);
    if (head == tail)
        return false;
    *byte = r->buf[tail & r->mask];
    atomic_store_explicit(&r->tail, (tail + 1) & r->mask, memory_order_release);
    return true;
}

size_t ring_put(struct ring *r, const uint8_t *data, size_t len)
{
    producer_enter(r);
    size_t n = 0;
    while (n < len && put_one(r, data[n]))
        n++;
    producer_leave(r);
    return n;
}

size_t ring_get(struct ring *r, uint8_t *data, size_t len)
{
    size_t n = 0;
    while (n < len && ring_get_byte(r, &data[n]))
        n++;
    return n;
}

size_t ring_peek(const struct ring *r, const uint8_t **data)
{
    uint32_t tail = (uint32_t)atomic_load_explicit(&r->tail, memory_order_relaxed);
    uint32_t head = (uint32_t)atomic_load_explicit(&r->head, memory_order_acquire);
    *data = &r->buf[tail];
    return (head >= tail ? head : r->mask + 1U) - tail; /* up to the end of the buffer */
}

void ring_skip(struct ring *r, size_t n)
{
    QUARTZ_ASSERT(n <= ring_used(r)); /* only what ring_peek showed */
    uint32_t tail = (uint32_t)atomic_load_explicit(&r->tail, memory_order_relaxed);
    atomic_store_explicit(&r->tail, (tail + (uint32_t)n) & r->mask, memory_order_release);
}
