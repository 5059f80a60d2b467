/*
 * apps/sensor-node/pages.c: the OLED pages drawn band by band. The
 * property that matters: a frame drawn incrementally (only the bands whose
 * text changed) equals the same view drawn from scratch, through page
 * changes, large digits appearing and going, and sensor loss; and the
 * bands reported changed are exactly those that differ.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "node_abi.h"
#include "pages.h"

static const struct pages_minmax no_mm;

static struct reading reading(uint32_t seq, int32_t t_mc, uint8_t flags)
{
    return (struct reading){ .seq = seq, .uptime_ms = 1000u * seq, .t_mc = t_mc, .p_mpa = 101325000u,
                             .h_mpct = 45200u, .die_mc = 31200, .flags = flags };
}

/* The view drawn from scratch (a fresh cache). */
static void fresh(uint8_t out[PAGES_FRAME_BYTES], enum pages_page page, const struct pages_view *v)
{
    struct pages_cache cache;
    memset(&cache, 0, sizeof cache);
    memset(out, 0xA5, PAGES_FRAME_BYTES); /* garbage: every band must be drawn */
    assert_int_equal(pages_draw(out, &cache, page, v), 0xFFu);
}

/* Draws `v` incrementally into frame/cache; checks it against a fresh
 * draw, and that the bands reported changed are those that differ from
 * the frame before. Returns the changed bands. */
static unsigned step(uint8_t frame[PAGES_FRAME_BYTES], struct pages_cache *cache, enum pages_page page,
                     const struct pages_view *v)
{
    uint8_t before[PAGES_FRAME_BYTES], want[PAGES_FRAME_BYTES];
    memcpy(before, frame, sizeof before);
    unsigned changed = pages_draw(frame, cache, page, v);
    fresh(want, page, v);
    assert_memory_equal(frame, want, PAGES_FRAME_BYTES);
    for (unsigned band = 0; band < PAGES_BANDS; band++) {
        bool differs = memcmp(before + 128u * band, frame + 128u * band, 128u) != 0;
        if (differs)
            assert_true(changed & (1u << band)); /* a band that changed is reported */
    }
    return changed;
}

static void test_incremental_equals_fresh(void **state)
{
    (void)state;
    uint8_t frame[PAGES_FRAME_BYTES];
    struct pages_cache cache;
    memset(frame, 0, sizeof frame);
    memset(&cache, 0, sizeof cache);
    struct pages_minmax mm = no_mm;
    struct reading r = reading(7, 21530, READING_SENSOR_OK | READING_DIE_OK);
    pages_minmax_add(&mm, &r);
    struct pages_view v = { .id = "quartz-3f09a2", .last = &r, .mm = &mm,
                            .state = NODE_STATE_LINK | NODE_STATE_DHCP | NODE_STATE_BROKER,
                            .net_text = "quartz-3f09a2\nlink up\ndhcp 10.0.2.15\nbroker up\n" };

    assert_int_equal(step(frame, &cache, PAGE_READINGS, &v), 0xFFu); /* the first draw: everything */
    assert_int_equal(step(frame, &cache, PAGE_READINGS, &v), 0u);    /* nothing changed */

    r.seq = 8; /* only the seq line */
    assert_int_equal(step(frame, &cache, PAGE_READINGS, &v), 1u << 3);

    r.t_mc = 22110; /* the large digits: bands 0 and 1 */
    pages_minmax_add(&mm, &r);
    assert_int_equal(step(frame, &cache, PAGE_READINGS, &v), 3u);

    v.state = NODE_STATE_LINK; /* the network line */
    v.buffered = 12;
    assert_int_equal(step(frame, &cache, PAGE_READINGS, &v), 1u << 6);

    r = reading(9, 0, READING_DIE_OK); /* sensor lost: the digits go, band 1 is cleared */
    unsigned c = step(frame, &cache, PAGE_READINGS, &v);
    assert_true((c & 3u) == 3u);
    for (unsigned x = 0; x < 128u; x++)
        assert_int_equal(frame[128u + x], 0);

    r = reading(10, -5250, READING_SENSOR_OK); /* back, below zero, no die temperature */
    pages_minmax_add(&mm, &r);
    (void)step(frame, &cache, PAGE_READINGS, &v);

    (void)step(frame, &cache, PAGE_NETWORK, &v); /* page changes both ways */
    v.net_text = "quartz-3f09a2\nlink down\n";
    (void)step(frame, &cache, PAGE_NETWORK, &v);
    (void)step(frame, &cache, PAGE_MINMAX, &v);
    (void)step(frame, &cache, PAGE_READINGS, &v);
    assert_int_equal(step(frame, &cache, PAGE_READINGS, &v), 0u);

    cache.valid = false; /* a failed write: everything again */
    assert_int_equal(step(frame, &cache, PAGE_READINGS, &v), 0xFFu);
}

static void test_minmax(void **state)
{
    (void)state;
    struct pages_minmax mm = no_mm;
    struct reading a = reading(1, 20000, READING_SENSOR_OK), b = reading(2, -1000, READING_SENSOR_OK);
    struct reading missing = reading(3, 99999, 0);
    b.h_mpct = 90000;
    b.p_mpa = 99000000u;
    pages_minmax_add(&mm, &a);
    pages_minmax_add(&mm, &missing); /* no sensor: not a value */
    pages_minmax_add(&mm, &b);
    assert_true(mm.any);
    assert_int_equal(mm.t_min, -1000);
    assert_int_equal(mm.t_max, 20000);
    assert_int_equal(mm.h_min, 45200);
    assert_int_equal(mm.h_max, 90000);
    assert_int_equal(mm.p_min, 99000000u);
    assert_int_equal(mm.p_max, 101325000u);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_incremental_equals_fresh),
        cmocka_unit_test(test_minmax),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
