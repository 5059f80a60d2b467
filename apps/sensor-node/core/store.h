/*
 * The node's record in backup SRAM: the persistent `seq` and a ring of the
 * last STORE_CAPACITY readings buffered while offline, oldest dropped (and
 * counted) beyond that. It works on a plain memory block, so host tests run
 * it on an array; on the board the block is quartz/hal/backup.h's RAM.
 *
 * Layout (little-endian, byte-addressed, no padding):
 *
 *   0    header copy 0   (STORE_HEADER_BYTES)
 *   64   header copy 1
 *   128  STORE_SLOTS entries of STORE_ENTRY_BYTES
 *
 * header: magic "QSNS", version, slot count, generation, next_seq,
 *         first_seq (the oldest entry's), last_seq (the newest entry's),
 *         head (the oldest entry's slot), count, dropped, CRC-32 (crc32.h)
 *         of the bytes before it.
 * entry:  uptime_ms (40 bits), seq minus the previous entry's seq (8 bits),
 *         t in 0.01 C (int16), p in Pa (24 bits), h in 0.1 % (14 bits) with
 *         the two reading flags above it, die_t in 0.1 C (int16). These are
 *         the payload's own decimals (payload_round), so a reading sent from
 *         the ring reads exactly as it would have live; values beyond a
 *         field (t beyond +-327.67 C, h beyond 1638.3 %) are clamped.
 *
 * Torn writes: every change is one header written to the copy that is not
 * the current one, with the next generation and its CRC; open() takes the
 * valid copy with the higher generation. An entry is written into a free
 * slot (there is one more slot than the capacity) before the header that
 * counts it. A reset at any byte therefore leaves either the state before
 * the change or the state after it. `seq` is committed before it is
 * handed out (store_seq_take), so a reset can skip a seq, never repeat one.
 *
 * Content at power-on without VBAT is undefined: no valid header, and
 * open() starts a fresh record (seq from 0).
 */
#ifndef SENSOR_NODE_STORE_H
#define SENSOR_NODE_STORE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "reading.h"

#define STORE_CAPACITY 256u
#define STORE_SLOTS (STORE_CAPACITY + 1u)
#define STORE_HEADER_BYTES 36u
#define STORE_ENTRY_BYTES 15u
#define STORE_ENTRIES_AT 128u
#define STORE_BYTES (STORE_ENTRIES_AT + STORE_SLOTS * STORE_ENTRY_BYTES) /* 3983 */
#define STORE_VERSION 1u

/* How the store writes its memory: a plain copy by default; host tests
 * pass one that stops part-way, as a reset would. */
typedef void store_write_fn(void *dst, const void *src, size_t len);

struct store_state {
    uint32_t gen, next_seq, first_seq, last_seq, dropped;
    uint16_t head, count;
};

struct store {
    uint8_t *mem;
    store_write_fn *write;
    struct store_state cur; /* the committed state */
    uint8_t cur_copy;       /* which header copy holds it */
};

/*
 * Open the record in `mem` (`size` >= STORE_BYTES). Returns 0 when a valid
 * record was found, 1 when none was and a fresh one was written, -EINVAL
 * when `size` is too small. `write` may be NULL (memcpy).
 */
int store_open(struct store *s, void *mem, size_t size, store_write_fn *write);

/* The next seq, committed as used before it is returned. */
uint32_t store_seq_take(struct store *s);

/*
 * Buffer reading `r` (its seq taken with store_seq_take and above every
 * buffered one: -EINVAL otherwise). When the ring is full the oldest entry
 * is dropped and counted. A seq more than 255 above the newest (seqs lost
 * to many resets) cannot be chained: the buffered entries are then dropped
 * and counted too.
 */
int store_push(struct store *s, const struct reading *r);

/*
 * store_push, but when the ring is full and its oldest entry is held
 * elsewhere (`held` and its seq at most `held_upto`: the sensor node's
 * MQTT client has it in flight and sends it until its PUBACK), that entry
 * leaves the ring uncounted: it is not lost. In the same header commit.
 */
int store_push_held(struct store *s, const struct reading *r, bool held, uint32_t held_upto);

/* Buffered readings. */
static inline unsigned store_count(const struct store *s)
{
    return s->cur.count;
}

/* Readings dropped since the last store_dropped_ack(). */
static inline uint32_t store_dropped(const struct store *s)
{
    return s->cur.dropped;
}

/* The i-th buffered reading, 0 the oldest: 0, or -ENOENT. */
int store_get(const struct store *s, unsigned i, struct reading *r);

/* Forget the oldest (sent and acknowledged): 0, or -ENOENT when empty. */
int store_pop(struct store *s);

/* `n` dropped readings were reported: subtract them (drops since stay counted). */
void store_dropped_ack(struct store *s, uint32_t n);

/* `n` readings were lost outside the ring (held ones whose holder went): count them. */
void store_dropped_add(struct store *s, uint32_t n);

#endif
