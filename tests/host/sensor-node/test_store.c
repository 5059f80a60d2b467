/*
 * The backup-SRAM record (store.c) on a plain array: a fresh record on
 * undefined content, seq kept over reopen, the ring's order, bound and
 * drop count, seq gaps, and the torn-write property: a script of updates
 * cut after every single byte written, reopened, must show exactly the
 * state before the interrupted update or the state after it, and never a
 * seq at or below one already handed out.
 */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include "payload.h"
#include "store.h"

#define MEM 4096u

static uint8_t mem[MEM];

/* Power-on content: undefined, so a pattern that is not zeros. */
static void power_on(void)
{
    uint32_t x = 0x9E3779B9u;
    for (size_t i = 0; i < MEM; i++) {
        x ^= x << 13;
        x ^= x >> 17;
        x ^= x << 5;
        mem[i] = (uint8_t)x;
    }
}

static struct reading reading_for(uint32_t seq)
{
    return (struct reading){ .seq = seq, .uptime_ms = 1000ull * seq + 0x100000000ull, .t_mc = -4000 + (int32_t)seq * 37,
                             .p_mpa = 99000000u + seq * 1000u, .h_mpct = (seq * 100u) % 100100u,
                             .die_mc = 30000 + (int32_t)seq, .flags = (uint8_t)((seq % 5u) ? 3u : 2u) };
}

/* The payload text both ways: a buffered reading must read as it would live. */
static void assert_same_reading(const struct reading *got, const struct reading *want)
{
    char a[PAYLOAD_MAX], b[PAYLOAD_MAX];
    assert_true(payload_format(got, a, sizeof a) > 0);
    assert_true(payload_format(want, b, sizeof b) > 0);
    assert_string_equal(a, b);
}

static void push_new(struct store *s)
{
    struct reading r = reading_for(store_seq_take(s));
    assert_int_equal(store_push(s, &r), 0);
}

static void test_fresh_and_reopen(void **state)
{
    (void)state;
    struct store s;
    power_on();
    assert_int_equal(store_open(&s, mem, STORE_BYTES - 1u, NULL), -EINVAL);
    assert_int_equal(store_open(&s, mem, MEM, NULL), 1); /* nothing valid: fresh */
    assert_int_equal(store_count(&s), 0);
    assert_int_equal(store_dropped(&s), 0);
    assert_int_equal(store_seq_take(&s), 0);
    assert_int_equal(store_seq_take(&s), 1);
    struct store again;
    assert_int_equal(store_open(&again, mem, MEM, NULL), 0);
    assert_int_equal(store_seq_take(&again), 2); /* survives the "reset" */
    /* Both header copies damaged: fresh again. */
    mem[0] ^= 1;
    mem[64] ^= 1;
    assert_int_equal(store_open(&again, mem, MEM, NULL), 1);
    assert_int_equal(store_seq_take(&again), 0);
}

static void test_ring_order_and_pop(void **state)
{
    (void)state;
    struct store s;
    power_on();
    store_open(&s, mem, MEM, NULL);
    for (int i = 0; i < 5; i++)
        push_new(&s);
    assert_int_equal(store_count(&s), 5);
    struct reading r;
    for (unsigned i = 0; i < 5; i++) {
        assert_int_equal(store_get(&s, i, &r), 0);
        assert_int_equal(r.seq, i);
        struct reading want = reading_for(i);
        assert_same_reading(&r, &want);
        assert_int_equal(r.uptime_ms, want.uptime_ms); /* 40 bits kept */
    }
    assert_int_equal(store_get(&s, 5, &r), -ENOENT);
    assert_int_equal(store_pop(&s), 0);
    assert_int_equal(store_get(&s, 0, &r), 0);
    assert_int_equal(r.seq, 1);
    struct store again;
    assert_int_equal(store_open(&again, mem, MEM, NULL), 0);
    assert_int_equal(store_count(&again), 4);
    assert_int_equal(store_get(&again, 3, &r), 0);
    assert_int_equal(r.seq, 4);
    while (store_count(&again) > 0)
        assert_int_equal(store_pop(&again), 0);
    assert_int_equal(store_pop(&again), -ENOENT);
}

static void test_ring_bound_drops_oldest(void **state)
{
    (void)state;
    struct store s;
    power_on();
    store_open(&s, mem, MEM, NULL);
    for (int i = 0; i < 300; i++)
        push_new(&s);
    assert_int_equal(store_count(&s), STORE_CAPACITY);
    assert_int_equal(store_dropped(&s), 300 - STORE_CAPACITY);
    struct reading r;
    for (unsigned i = 0; i < STORE_CAPACITY; i++) {
        assert_int_equal(store_get(&s, i, &r), 0);
        assert_int_equal(r.seq, 44u + i);
        struct reading want = reading_for(44u + i);
        assert_same_reading(&r, &want);
    }
    store_dropped_ack(&s, 40);
    assert_int_equal(store_dropped(&s), 4);
    store_dropped_ack(&s, 10); /* more than counted: to zero, not below */
    assert_int_equal(store_dropped(&s), 0);
}

static void test_push_contract(void **state)
{
    (void)state;
    struct store s;
    power_on();
    store_open(&s, mem, MEM, NULL);
    struct reading r = reading_for(0);
    assert_int_equal(store_push(&s, &r), -EINVAL); /* seq 0 not taken yet */
    uint32_t a = store_seq_take(&s), b = store_seq_take(&s);
    r = reading_for(b);
    assert_int_equal(store_push(&s, &r), 0);
    r = reading_for(a);
    assert_int_equal(store_push(&s, &r), -EINVAL); /* below the newest */
    r = reading_for(b);
    assert_int_equal(store_push(&s, &r), -EINVAL); /* twice */
    assert_int_equal(store_count(&s), 1);
}

static void test_seq_gaps(void **state)
{
    (void)state;
    struct store s;
    power_on();
    store_open(&s, mem, MEM, NULL);
    push_new(&s);              /* 0 */
    (void)store_seq_take(&s);  /* 1: published live, or lost to a reset */
    push_new(&s);              /* 2 */
    for (int i = 0; i < 254; i++)
        (void)store_seq_take(&s);
    push_new(&s);              /* 257: 255 above 2, the widest step chained */
    struct reading r;
    assert_int_equal(store_count(&s), 3);
    store_get(&s, 1, &r);
    assert_int_equal(r.seq, 2);
    store_get(&s, 2, &r);
    assert_int_equal(r.seq, 257);
    assert_int_equal(store_pop(&s), 0);
    store_get(&s, 0, &r);
    assert_int_equal(r.seq, 2); /* first_seq follows the deltas */
    for (int i = 0; i < 256; i++)
        (void)store_seq_take(&s);
    push_new(&s); /* 514: 257 above 257, cannot chain: the two buffered are dropped */
    assert_int_equal(store_count(&s), 1);
    assert_int_equal(store_dropped(&s), 2);
    store_get(&s, 0, &r);
    assert_int_equal(r.seq, 514);
}

/* ---- torn writes ---------------------------------------------------------- */

static jmp_buf cut;
static long budget; /* bytes the "power" lasts; < 0: no cut */
static long written;

static void cutting_write(void *dst, const void *src, size_t len)
{
    uint8_t *d = dst;
    const uint8_t *s = src;
    for (size_t i = 0; i < len; i++) {
        if (budget == 0)
            longjmp(cut, 1);
        if (budget > 0)
            budget--;
        d[i] = s[i];
        written++;
    }
}

#define VIEW_MAX (64u + (STORE_CAPACITY + 1u) * PAYLOAD_MAX)

/* Everything a user of the store can observe, as text. */
static void view(const struct store *s, char *out)
{
    size_t n = (size_t)sprintf(out, "next %u count %u dropped %u\n", s->cur.next_seq, store_count(s),
                               store_dropped(s));
    for (unsigned i = 0; i < store_count(s); i++) {
        struct reading r;
        assert_int_equal(store_get(s, i, &r), 0);
        n += (size_t)payload_format(&r, out + n, PAYLOAD_MAX);
        out[n++] = '\n';
    }
    out[n] = '\0';
}

static uint32_t taken_max; /* the highest seq handed out; UINT32_MAX: none */

enum op { TAKE, PUSH, POP, ACK };

/* One update per op: TAKE hands out a seq (the app may publish it now),
 * PUSH buffers the reading of the last one taken. */
static void apply(struct store *s, enum op op)
{
    switch (op) {
    case TAKE: taken_max = store_seq_take(s); break;
    case PUSH: {
        struct reading r = reading_for(taken_max);
        assert_int_equal(store_push(s, &r), 0);
        break;
    }
    case POP: assert_int_equal(store_pop(s), 0); break;
    case ACK: store_dropped_ack(s, 1); break;
    }
}

/* Script A on a ring of 255: to full, beyond full (drops the oldest), a
 * seq published live, chained over the gap, pops, the drop count. */
static const enum op script_a[] = { TAKE, PUSH, TAKE, PUSH, TAKE, TAKE, PUSH, POP, POP, ACK, TAKE, PUSH };

/* Script B: a gap too wide to chain, the ring restarts. */
#define WIDE 257
static enum op script_b[WIDE + 1];

static void prepare_a(struct store *s)
{
    for (int i = 0; i < 255; i++)
        push_new(s);
    (void)store_seq_take(s);
    push_new(s); /* a gap inside the ring too */
    while (store_count(s) > 255)
        store_pop(s);
}

static void prepare_b(struct store *s)
{
    for (int i = 0; i < 3; i++)
        push_new(s);
}

#define STEPS_MAX (WIDE + 1)

static char views[STEPS_MAX + 1][VIEW_MAX];
static char seen[VIEW_MAX];
static uint8_t start[MEM];

static void torn(void (*prepare)(struct store *), const enum op *script, int steps)
{
    struct store s;
    power_on();
    store_open(&s, mem, MEM, NULL);
    prepare(&s);
    memcpy(start, mem, MEM);

    /* The uncut run: the views between steps and the bytes written. */
    budget = -1;
    written = 0;
    struct store run;
    store_open(&run, mem, MEM, cutting_write);
    taken_max = run.cur.next_seq - 1u;
    view(&run, views[0]);
    long before[STEPS_MAX + 1] = { 0 };
    for (int k = 0; k < steps; k++) {
        apply(&run, script[k]);
        before[k + 1] = written;
        view(&run, views[k + 1]);
    }
    long total = written;
    assert_true(total > 300);

    for (long n = 0; n <= total; n++) {
        memcpy(mem, start, MEM);
        store_open(&run, mem, MEM, cutting_write);
        taken_max = run.cur.next_seq - 1u; /* handed out before the script */
        budget = n;
        volatile int k = 0;
        if (setjmp(cut) == 0) {
            for (; k < steps; k++)
                apply(&run, script[k]);
        }
        uint32_t handed = taken_max;
        budget = -1;
        struct store after;
        assert_int_equal(store_open(&after, mem, MEM, NULL), 0); /* always a valid record */
        view(&after, seen);
        int done = k; /* steps finished before the cut */
        bool same = strcmp(seen, views[done]) == 0 || (done < steps && strcmp(seen, views[done + 1]) == 0);
        if (!same)
            fail_msg("cut after %ld bytes (in step %d, from byte %ld): state is neither before nor after it", n,
                     done, before[done]);
        if ((int32_t)(after.cur.next_seq - handed) <= 0)
            fail_msg("cut after %ld bytes: seq %u was handed out but the next is %u", n, handed,
                     after.cur.next_seq);
    }
}

static void test_torn_writes_full_ring(void **state)
{
    (void)state;
    torn(prepare_a, script_a, (int)(sizeof script_a / sizeof script_a[0]));
}

static void test_torn_writes_wide_gap(void **state)
{
    (void)state;
    for (int i = 0; i < WIDE; i++)
        script_b[i] = TAKE;
    script_b[WIDE] = PUSH;
    torn(prepare_b, script_b, WIDE + 1);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_fresh_and_reopen), cmocka_unit_test(test_ring_order_and_pop),
        cmocka_unit_test(test_ring_bound_drops_oldest), cmocka_unit_test(test_push_contract),
        cmocka_unit_test(test_seq_gaps),         cmocka_unit_test(test_torn_writes_full_ring),
        cmocka_unit_test(test_torn_writes_wide_gap),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
