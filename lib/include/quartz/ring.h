/*
 * Byte ring buffer for one producer and one consumer (for example an
 * interrupt handler and the main loop). Each index has a single writer:
 * `head` is written only by the producer, `tail` only by the consumer, and
 * both are C11 atomics with release/acquire ordering, so the bytes are
 * visible before the index that publishes them. No lock is needed.
 * Capacity is the buffer size minus one; the size must be a power of two.
 *
 * Contract: one producer at a time. A put that starts while another put on
 * the same ring is in progress (an interrupt handler producing into a ring
 * the thread was producing into) is a bug: QUARTZ_ASSERT (quartz/assert.h).
 */
#ifndef QUARTZ_RING_H
#define QUARTZ_RING_H

#include <stdatomic.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct ring {
    uint8_t *buf;
    uint32_t mask; /* size - 1 */
    atomic_uint_fast32_t head; /* next slot to write (producer) */
    atomic_uint_fast32_t tail; /* next slot to read (consumer) */
    atomic_bool producing;     /* a put is in progress: a second producer is a bug */
};

/* Returns 0 or -EINVAL when size is not a power of two >= 2. */
int ring_init(struct ring *r, uint8_t *buf, uint32_t size);

/* Producer side. Returns the number of bytes stored (stops when full). */
size_t ring_put(struct ring *r, const uint8_t *data, size_t len);
bool ring_put_byte(struct ring *r, uint8_t byte);

/* Consumer side. Returns the number of bytes taken. */
size_t ring_get(struct ring *r, uint8_t *data, size_t len);
bool ring_get_byte(struct ring *r, uint8_t *byte);

/* Consumer side in place (a DMA reads the bytes where they are): the oldest
 * bytes that are contiguous in the buffer, then ring_skip once they are used. */
size_t ring_peek(const struct ring *r, const uint8_t **data);
void ring_skip(struct ring *r, size_t n);

size_t ring_used(const struct ring *r);
size_t ring_free(const struct ring *r);

#endif
