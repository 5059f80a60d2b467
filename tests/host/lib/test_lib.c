#define _GNU_SOURCE /* setitimer, sigaction */
#include <errno.h>
#include <signal.h>
#include <sys/time.h>
#include <time.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "quartz/fmt.h"
#include "quartz/gfx.h"
#include "quartz/ring.h"

static void test_ring(void **state)
{
    (void)state;
    struct ring r;
    uint8_t buf[8], out[16];
    assert_int_equal(ring_init(&r, buf, 6), -EINVAL);
    assert_int_equal(ring_init(&r, buf, 8), 0);
    assert_int_equal(ring_free(&r), 7);
    assert_int_equal(ring_put(&r, (const uint8_t *)"abcdefghij", 10), 7); /* capacity 7 */
    assert_false(ring_put_byte(&r, 'x'));
    assert_int_equal(ring_get(&r, out, 3), 3);
    assert_memory_equal(out, "abc", 3);
    assert_int_equal(ring_put(&r, (const uint8_t *)"XYZ", 3), 3); /* wraps around */
    assert_int_equal(ring_used(&r), 7);
    assert_int_equal(ring_get(&r, out, sizeof out), 7);
    assert_memory_equal(out, "defgXYZ", 7);
    uint8_t b;
    assert_false(ring_get_byte(&r, &b));
    for (int i = 0; i < 100; i++) {
        assert_true(ring_put_byte(&r, (uint8_t)i));
        assert_true(ring_get_byte(&r, &b));
        assert_int_equal(b, (uint8_t)i);
    }
}

/*
 * Single producer (ring.h contract): a second producer that interrupts a
 * put in progress must fail QUARTZ_ASSERT. SIGALRM plays the interrupt
 * handler and produces a byte; the "thread" keeps putting and draining.
 * A signal that lands between two puts is a legal producer (one at a
 * time); the first one that lands inside ring_put must trip the contract.
 */
static struct ring preempted;
static unsigned alarms;

static void on_alarm(int sig)
{
    (void)sig;
    alarms++;
    (void)ring_put_byte(&preempted, 'i');
}

static void produce_until_preempted(void)
{
    static uint8_t buf[4096], out[4096], data[512];
    assert_int_equal(ring_init(&preempted, buf, sizeof buf), 0);
    struct timespec start, now;
    clock_gettime(CLOCK_MONOTONIC, &start);
    do {
        (void)ring_put(&preempted, data, sizeof data);
        (void)ring_get(&preempted, out, sizeof out);
        clock_gettime(CLOCK_MONOTONIC, &now);
    } while (now.tv_sec - start.tv_sec < 5);
}

/* In place: the contiguous part up to the buffer's end, then the rest. */
static void test_ring_peek_skip(void **state)
{
    (void)state;
    uint8_t buf[8];
    struct ring r;
    assert_int_equal(ring_init(&r, buf, sizeof buf), 0);
    const uint8_t *p;
    assert_int_equal(ring_peek(&r, &p), 0);
    assert_int_equal(ring_put(&r, (const uint8_t *)"abcdef", 6), 6);
    assert_int_equal(ring_peek(&r, &p), 6);
    assert_memory_equal(p, "abcdef", 6);
    ring_skip(&r, 5);
    assert_int_equal(ring_put(&r, (const uint8_t *)"ghij", 4), 4); /* wraps */
    assert_int_equal(ring_peek(&r, &p), 3);
    assert_memory_equal(p, "fgh", 3);
    ring_skip(&r, 3);
    assert_int_equal(ring_peek(&r, &p), 2);
    assert_memory_equal(p, "ij", 2);
    ring_skip(&r, 2);
    assert_int_equal(ring_used(&r), 0);
}

static void test_ring_second_producer_breaks_the_contract(void **state)
{
    (void)state;
    struct sigaction sa = {0};
    sa.sa_handler = on_alarm;
    assert_int_equal(sigaction(SIGALRM, &sa, NULL), 0);
    struct itimerval every_50us = {{0, 50}, {0, 50}};
    assert_int_equal(setitimer(ITIMER_REAL, &every_50us, NULL), 0);
    expect_assert_failure(produce_until_preempted());
    struct itimerval off = {{0, 0}, {0, 0}};
    setitimer(ITIMER_REAL, &off, NULL);
    signal(SIGALRM, SIG_IGN);
    sigset_t alrm;
    sigemptyset(&alrm);
    sigaddset(&alrm, SIGALRM);
    sigprocmask(SIG_UNBLOCK, &alrm, NULL); /* the jump left the handler with it blocked */
    assert_true(alarms >= 1);
}

static void test_fmt_u64(void **state)
{
    (void)state;
    char buf[21];
    assert_int_equal(fmt_u64(buf, sizeof buf, 0), 1);
    assert_string_equal(buf, "0");
    assert_int_equal(fmt_u64(buf, sizeof buf, UINT64_MAX), 20);
    assert_string_equal(buf, "18446744073709551615");
    /* both sides of 2^32: the 32-bit division and the long one */
    assert_int_equal(fmt_u64(buf, sizeof buf, 4294967295u), 10);
    assert_string_equal(buf, "4294967295");
    assert_int_equal(fmt_u64(buf, sizeof buf, 4294967296u), 10);
    assert_string_equal(buf, "4294967296");
    assert_int_equal(fmt_u64(buf, sizeof buf, 12345678901234567u), 17);
    assert_string_equal(buf, "12345678901234567");
    assert_int_equal(fmt_u64(buf, 3, 123), 0);
}

static uint8_t fb[2][16];
static void put(void *ctx, unsigned x, unsigned page, uint8_t bits)
{
    (void)ctx;
    fb[page][x] = bits;
}

static void test_gfx_text_clips_and_spaces(void **state)
{
    (void)state;
    struct gfx_canvas c = { 16, 2, put, NULL, NULL, NULL };
    memset(fb, 0x55, sizeof fb);
    const uint8_t *bits;
    assert_int_equal(gfx_glyph(&gfx_font_small, 'A', &bits), 5);
    assert_int_equal(gfx_glyph(&gfx_font_small, '~', &bits), 0);
    assert_int_equal(gfx_text_width(&gfx_font_small, "AB"), 12);
    assert_int_equal(gfx_text_width(&gfx_font_large, "0:0."), 12 + 6 + 12 + 6);
    int end = gfx_text(&c, &gfx_font_small, 13, 1, "AB"); /* clipped at column 16 */
    assert_int_equal(end, 25);
    gfx_glyph(&gfx_font_small, 'A', &bits);
    assert_memory_equal(&fb[1][13], bits, 3);
    assert_int_equal(fb[0][13], 0x55); /* other page untouched */
    end = gfx_text(&c, &gfx_font_small, -3, 0, "A~");
    assert_int_equal(end, 9);
    assert_memory_equal(&fb[0][0], bits + 3, 2);
    for (int x = 2; x < 9; x++)
        assert_int_equal(fb[0][x], 0); /* spacing and the unknown glyph are blank */
    /* every large digit is 16 rows tall and no two glyphs are the same */
    for (const char *a = gfx_font_large.chars; *a; a++)
        for (const char *b = a + 1; *b; b++) {
            const uint8_t *ba, *bb;
            unsigned wa = gfx_glyph(&gfx_font_large, *a, &ba);
            unsigned wb = gfx_glyph(&gfx_font_large, *b, &bb);
            assert_false(wa == wb && memcmp(ba, bb, wa * 2) == 0);
        }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_ring),
        cmocka_unit_test(test_ring_peek_skip),
        cmocka_unit_test(test_ring_second_producer_breaks_the_contract),
        cmocka_unit_test(test_fmt_u64),
        cmocka_unit_test(test_gfx_text_clips_and_spaces),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
