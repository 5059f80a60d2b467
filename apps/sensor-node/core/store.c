/* The backup-SRAM record (store.h). */
#include "store.h"

#include <errno.h>
#include <stdbool.h>
#include <string.h>

#include "crc32.h"
#include "payload.h"

#define MAGIC 0x534E5351u /* "QSNS" little-endian */
#define HEADER_AT(copy) ((copy) * 64u)
#define CRC_AT (STORE_HEADER_BYTES - 4u)
#define MAX_DELTA 255u
#define H_FLAGS_SHIFT 14
#define H_MAX 0x3FFFu
#define P_MAX (UINT32_MAX / 1000u) /* whole Pa that fit struct reading's milli-pascal */

static void put_le(uint8_t *p, uint64_t v, unsigned bytes)
{
    for (unsigned i = 0; i < bytes; i++, v >>= 8)
        p[i] = (uint8_t)v;
}

static uint64_t get_le(const uint8_t *p, unsigned bytes)
{
    uint64_t v = 0;
    for (unsigned i = bytes; i-- > 0;)
        v = v << 8 | p[i];
    return v;
}

static int64_t clamp(int64_t v, int64_t lo, int64_t hi)
{
    return v < lo ? lo : v > hi ? hi : v;
}

static void copy_plain(void *dst, const void *src, size_t len)
{
    memcpy(dst, src, len);
}

/* ---- header ------------------------------------------------------------ */

static void encode_header(const struct store_state *st, uint8_t h[STORE_HEADER_BYTES])
{
    put_le(h + 0, MAGIC, 4);
    put_le(h + 4, STORE_VERSION, 2);
    put_le(h + 6, STORE_SLOTS, 2);
    put_le(h + 8, st->gen, 4);
    put_le(h + 12, st->next_seq, 4);
    put_le(h + 16, st->first_seq, 4);
    put_le(h + 20, st->last_seq, 4);
    put_le(h + 24, st->head, 2);
    put_le(h + 26, st->count, 2);
    put_le(h + 28, st->dropped, 4);
    put_le(h + CRC_AT, crc32_ieee(h, CRC_AT), 4);
}

static bool decode_header(const uint8_t *h, struct store_state *st)
{
    if (get_le(h, 4) != MAGIC || get_le(h + 4, 2) != STORE_VERSION || get_le(h + 6, 2) != STORE_SLOTS)
        return false;
    if (get_le(h + CRC_AT, 4) != crc32_ieee(h, CRC_AT))
        return false;
    st->gen = (uint32_t)get_le(h + 8, 4);
    st->next_seq = (uint32_t)get_le(h + 12, 4);
    st->first_seq = (uint32_t)get_le(h + 16, 4);
    st->last_seq = (uint32_t)get_le(h + 20, 4);
    st->head = (uint16_t)get_le(h + 24, 2);
    st->count = (uint16_t)get_le(h + 26, 2);
    st->dropped = (uint32_t)get_le(h + 28, 4);
    return st->head < STORE_SLOTS && st->count <= STORE_CAPACITY;
}

/* The new state becomes current: written whole to the other copy. */
static void commit(struct store *s, struct store_state next)
{
    uint8_t h[STORE_HEADER_BYTES];
    next.gen = s->cur.gen + 1u;
    encode_header(&next, h);
    uint8_t copy = (uint8_t)(s->cur_copy ^ 1u);
    s->write(s->mem + HEADER_AT(copy), h, sizeof h);
    s->cur = next;
    s->cur_copy = copy;
}

int store_open(struct store *s, void *mem, size_t size, store_write_fn *write)
{
    if (size < STORE_BYTES)
        return -EINVAL;
    s->mem = mem;
    s->write = write != NULL ? write : copy_plain;
    struct store_state a, b;
    bool va = decode_header(s->mem + HEADER_AT(0), &a);
    bool vb = decode_header(s->mem + HEADER_AT(1), &b);
    if (va && (!vb || (int32_t)(a.gen - b.gen) >= 0)) {
        s->cur = a;
        s->cur_copy = 0;
        return 0;
    }
    if (vb) {
        s->cur = b;
        s->cur_copy = 1;
        return 0;
    }
    /* Nothing valid: a fresh record, written to copy 0. */
    memset(&s->cur, 0, sizeof s->cur);
    s->cur.gen = UINT32_MAX; /* commit() makes it 0 */
    s->cur_copy = 1;
    commit(s, s->cur);
    return 1;
}

uint32_t store_seq_take(struct store *s)
{
    struct store_state next = s->cur;
    uint32_t seq = next.next_seq++;
    commit(s, next);
    return seq;
}

/* ---- entries ----------------------------------------------------------- */

static uint8_t *slot_at(const struct store *s, unsigned slot)
{
    return s->mem + STORE_ENTRIES_AT + slot * STORE_ENTRY_BYTES;
}

static void encode_entry(const struct reading *r, uint8_t delta, uint8_t e[STORE_ENTRY_BYTES])
{
    uint32_t h = (uint32_t)clamp(payload_round(r->h_mpct, PAYLOAD_H_DECIMALS), 0, H_MAX);
    h |= (uint32_t)(r->flags & (READING_SENSOR_OK | READING_DIE_OK)) << H_FLAGS_SHIFT;
    put_le(e + 0, r->uptime_ms, 5);
    e[5] = delta;
    put_le(e + 6, (uint16_t)clamp(payload_round(r->t_mc, PAYLOAD_T_DECIMALS), INT16_MIN, INT16_MAX), 2);
    put_le(e + 8, (uint32_t)clamp(payload_round(r->p_mpa, PAYLOAD_P_DECIMALS), 0, P_MAX), 3);
    put_le(e + 11, h, 2);
    put_le(e + 13, (uint16_t)clamp(payload_round(r->die_mc, PAYLOAD_DIE_DECIMALS), INT16_MIN, INT16_MAX), 2);
}

static void decode_entry(const uint8_t *e, uint32_t seq, struct reading *r)
{
    uint32_t h = (uint32_t)get_le(e + 11, 2);
    r->seq = seq;
    r->uptime_ms = get_le(e, 5);
    r->t_mc = (int16_t)get_le(e + 6, 2) * 10;
    r->p_mpa = (uint32_t)get_le(e + 8, 3) * 1000u;
    r->h_mpct = (h & H_MAX) * 100u;
    r->die_mc = (int16_t)get_le(e + 13, 2) * 100;
    r->flags = (uint8_t)(h >> H_FLAGS_SHIFT);
}

static uint8_t delta_at(const struct store *s, unsigned slot)
{
    return slot_at(s, slot)[5];
}

int store_push(struct store *s, const struct reading *r)
{
    return store_push_held(s, r, false, 0);
}

int store_push_held(struct store *s, const struct reading *r, bool held, uint32_t held_upto)
{
    struct store_state next = s->cur;
    if ((int32_t)(r->seq - next.next_seq) >= 0 || (next.count > 0 && (int32_t)(r->seq - next.last_seq) <= 0))
        return -EINVAL;
    if (next.count > 0 && r->seq - next.last_seq > MAX_DELTA) {
        next.dropped += next.count; /* cannot chain: start the ring again */
        next.head = (uint16_t)((next.head + next.count) % STORE_SLOTS);
        next.count = 0;
    }
    unsigned slot = (next.head + next.count) % STORE_SLOTS; /* free: never counted */
    uint8_t e[STORE_ENTRY_BYTES];
    encode_entry(r, (uint8_t)(next.count > 0 ? r->seq - next.last_seq : 0u), e);
    s->write(slot_at(s, slot), e, sizeof e);
    if (next.count == 0)
        next.first_seq = r->seq;
    if (next.count == STORE_CAPACITY) {
        bool counted = !held || (int32_t)(next.first_seq - held_upto) > 0;
        next.head = (uint16_t)((next.head + 1u) % STORE_SLOTS);
        next.first_seq += delta_at(s, next.head);
        if (counted)
            next.dropped++;
    } else {
        next.count++;
    }
    next.last_seq = r->seq;
    commit(s, next);
    return 0;
}

int store_get(const struct store *s, unsigned i, struct reading *r)
{
    if (i >= s->cur.count)
        return -ENOENT;
    uint32_t seq = s->cur.first_seq;
    for (unsigned k = 1; k <= i; k++)
        seq += delta_at(s, (s->cur.head + k) % STORE_SLOTS);
    decode_entry(slot_at(s, (s->cur.head + i) % STORE_SLOTS), seq, r);
    return 0;
}

int store_pop(struct store *s)
{
    struct store_state next = s->cur;
    if (next.count == 0)
        return -ENOENT;
    next.head = (uint16_t)((next.head + 1u) % STORE_SLOTS);
    if (--next.count > 0)
        next.first_seq += delta_at(s, next.head);
    commit(s, next);
    return 0;
}

void store_dropped_ack(struct store *s, uint32_t n)
{
    struct store_state next = s->cur;
    next.dropped -= n < next.dropped ? n : next.dropped;
    commit(s, next);
}

void store_dropped_add(struct store *s, uint32_t n)
{
    if (n == 0)
        return;
    struct store_state next = s->cur;
    next.dropped += n;
    commit(s, next);
}
