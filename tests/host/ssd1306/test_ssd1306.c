#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "quartz/hal/clock.h"
#include "quartz/hal/i2c.h"
#include "ssd1306/ssd1306.h"

/* ---- fakes -------------------------------------------------------------- */

static uint64_t delayed_us;
void clock_delay_us(uint32_t us) { delayed_us += us; }

#define MAX_TX 64
#define MAX_BYTES 1100

/* One I2C transaction as it appears on the wire (START .. STOP). */
struct tx {
    uint8_t addr;
    size_t len;
    uint8_t bytes[MAX_BYTES];
};

struct fake_bus {
    struct i2c_bus bus;
    struct tx tx[MAX_TX];
    size_t ntx;
    bool detached;     /* address NACK */
    int nack_data_at;  /* transaction index that NACKs a data byte, -1 = none */
    /* async: one pending completion, run by fake_complete() ("the interrupt") */
    i2c_done_fn done;
    void *ctx;
    int pending_status;
    uint64_t bytes_on_wire;
    size_t msgs_last; /* messages of the last transaction */
};

static int record(struct fake_bus *b, const struct i2c_msg *msgs, size_t n)
{
    assert_true(n >= 1);
    b->bytes_on_wire += 1; /* address byte */
    if (b->detached)
        return -ENXIO;
    assert_true(b->ntx < MAX_TX);
    struct tx *t = &b->tx[b->ntx];
    b->msgs_last = n;
    t->addr = msgs[0].addr;
    t->len = 0;
    for (size_t i = 0; i < n; i++) {
        assert_int_equal(msgs[i].flags & I2C_MSG_READ, 0);
        assert_int_equal(msgs[i].addr, t->addr);
        if (i > 0)
            assert_int_equal(msgs[i].flags & I2C_MSG_RESTART, 0); /* one stream */
        assert_true(t->len + msgs[i].len <= MAX_BYTES);
        memcpy(t->bytes + t->len, msgs[i].buf, msgs[i].len);
        t->len += msgs[i].len;
    }
    b->bytes_on_wire += t->len;
    if ((int)b->ntx == b->nack_data_at) {
        b->ntx++;
        return -EIO;
    }
    b->ntx++;
    return 0;
}

static int fake_transfer(struct i2c_bus *bus, const struct i2c_msg *msgs, size_t n)
{
    return record((struct fake_bus *)bus, msgs, n);
}

static int fake_transfer_async(struct i2c_bus *bus, const struct i2c_msg *msgs, size_t n,
                               i2c_done_fn done, void *ctx)
{
    struct fake_bus *b = (struct fake_bus *)bus;
    assert_null(b->done); /* never two in flight */
    b->pending_status = record(b, msgs, n);
    b->done = done;
    b->ctx = ctx;
    return 0;
}

static const struct i2c_bus_ops fake_ops = { fake_transfer, fake_transfer_async };

/* Run completions until the chain ends; returns the number of transactions completed. */
static int fake_complete_all(struct fake_bus *b)
{
    int n = 0;
    while (b->done) {
        i2c_done_fn done = b->done;
        b->done = NULL;
        done(b->ctx, b->pending_status);
        n++;
    }
    return n;
}

static struct fake_bus fb;
static struct ssd1306 dev;
static const struct ssd1306_config cfg = { &fb.bus, SSD1306_ADDR, 20, 3 };
static int done_calls, done_status;

static void on_done(void *ctx, int status)
{
    assert_ptr_equal(ctx, &dev);
    done_calls++;
    done_status = status;
}

static int setup(void **state)
{
    (void)state;
    memset(&fb, 0, sizeof fb);
    fb.bus.ops = &fake_ops;
    fb.nack_data_at = -1;
    delayed_us = 0;
    done_calls = 0;
    done_status = 1;
    ssd1306_setup(&dev, &cfg);
    return 0;
}

static bool is_cmd(const struct tx *t, uint8_t cmd)
{
    return t->len >= 2 && t->bytes[0] == 0x00 && t->bytes[1] == cmd;
}

/* A window transaction: columns lo..hi of pages first..last as commands
 * behind Co=1 control bytes, then the data control byte (datasheet 8.1.5.2). */
#define WINDOW_BYTES 13
static void assert_window(const struct tx *t, unsigned lo, unsigned hi, unsigned first, unsigned last)
{
    const uint8_t want[WINDOW_BYTES] = { 0x80, 0x21, 0x80, (uint8_t)lo, 0x80, (uint8_t)hi, 0x80, 0x22,
                                         0x80, (uint8_t)first, 0x80, (uint8_t)last, 0x40 };
    assert_true(t->len >= WINDOW_BYTES);
    assert_memory_equal(t->bytes, want, WINDOW_BYTES);
}

/* ---- tests -------------------------------------------------------------- */

static void test_init_sequence(void **state)
{
    (void)state;
    assert_int_equal(ssd1306_init(&dev), 0);
    assert_true(delayed_us >= 20000); /* power-up wait before the first command */
    assert_true(ssd1306_online(&dev));
    /* init commands, one window over the whole GDDRAM with its 1024 zero bytes, display on */
    assert_int_equal(fb.ntx, 3);
    for (size_t i = 0; i < fb.ntx; i++)
        assert_int_equal(fb.tx[i].addr, 0x3C);
    const struct tx *init = &fb.tx[0];
    assert_true(is_cmd(init, 0xAE)); /* display off first */
    const uint8_t must[][2] = { { 0x8D, 0x14 }, { 0xA8, 0x3F }, { 0x20, 0x00 } };
    for (size_t m = 0; m < 3; m++) {
        bool seen = false;
        for (size_t i = 1; i + 1 < init->len; i++)
            seen |= init->bytes[i] == must[m][0] && init->bytes[i + 1] == must[m][1];
        assert_true(seen);
    }
    for (size_t i = 0; i < init->len; i++)
        assert_int_not_equal(init->bytes[i], 0xAF); /* not on before GDDRAM is cleared */
    assert_window(&fb.tx[1], 0, 127, 0, 7); /* the whole GDDRAM in the same transaction */
    assert_int_equal(fb.tx[1].len, WINDOW_BYTES + 1024);
    for (size_t i = WINDOW_BYTES; i < fb.tx[1].len; i++)
        assert_int_equal(fb.tx[1].bytes[i], 0);
    assert_true(is_cmd(&fb.tx[2], 0xAF));
    assert_int_equal(fb.tx[2].len, 2);
    /* nothing changed: nothing to send */
    assert_false(ssd1306_pending(&dev));
    assert_int_equal(ssd1306_flush(&dev), 0);
    assert_int_equal(fb.ntx, 3);
}

static void test_init_retries_then_reports(void **state)
{
    (void)state;
    fb.detached = true;
    assert_int_equal(ssd1306_init(&dev), -ENXIO);
    assert_false(ssd1306_online(&dev));
    assert_int_equal(fb.bytes_on_wire, 3); /* three tries, each stopped at the address */
    assert_int_equal(dev.errors, 3);
    fb.detached = false;
    assert_int_equal(ssd1306_flush(&dev), 0); /* the next flush initialises */
    assert_true(ssd1306_online(&dev));
    assert_true(is_cmd(&fb.tx[0], 0xAE));
}

static void test_partial_flush_sends_only_dirty_columns(void **state)
{
    (void)state;
    assert_int_equal(ssd1306_init(&dev), 0);
    fb.ntx = 0;
    struct gfx_canvas c = ssd1306_canvas(&dev);
    /* draw "12" at column 40 on pages 4..5: only those columns change */
    gfx_text(&c, &gfx_font_large, 40, 4, "12");
    assert_true(ssd1306_pending(&dev));
    assert_int_equal(ssd1306_flush(&dev), 0);
    /* one window over both pages, the union of their dirty columns (within
       the pixels drawn), then each page's columns from the framebuffer */
    assert_int_equal(fb.ntx, 1);
    const struct tx *w = &fb.tx[0];
    unsigned lo = w->bytes[3], hi = w->bytes[5];
    assert_true(lo >= 40 && hi <= 40 + 24 && lo <= hi);
    assert_window(w, lo, hi, 4, 5);
    assert_int_equal(w->len, WINDOW_BYTES + 2u * (hi - lo + 1u));
    for (int p = 0; p < 2; p++)
        assert_memory_equal(w->bytes + WINDOW_BYTES + p * (hi - lo + 1u), &dev.fb[(4 + p) * 128 + lo],
                            hi - lo + 1u);
    /* redrawing the same text changes nothing and sends nothing */
    fb.ntx = 0;
    gfx_text(&c, &gfx_font_large, 40, 4, "12");
    assert_false(ssd1306_pending(&dev));
    /* one changed digit sends only that digit's columns */
    gfx_text(&c, &gfx_font_large, 40, 4, "13");
    assert_int_equal(ssd1306_flush(&dev), 0);
    assert_int_equal(fb.ntx, 1);
    assert_true(fb.tx[0].bytes[3] >= 52);
    assert_true(fb.tx[0].bytes[5] <= 61);
}

static void test_async_flush_and_callback(void **state)
{
    (void)state;
    assert_int_equal(ssd1306_init(&dev), 0);
    fb.ntx = 0;
    struct gfx_canvas c = ssd1306_canvas(&dev);
    gfx_text(&c, &gfx_font_small, 0, 0, "Hi");
    gfx_text(&c, &gfx_font_small, 100, 7, "x");
    assert_int_equal(ssd1306_flush_async(&dev, on_done, &dev), 0);
    /* the dirty map was handed to the flight: drawing again marks new work */
    assert_false(ssd1306_pending(&dev));
    assert_int_equal(fb.ntx, 1); /* only the first transaction is out */
    assert_int_equal(done_calls, 0);
    assert_int_equal(fake_complete_all(&fb), 2); /* pages 0 and 7: two windows */
    assert_int_equal(done_calls, 1);
    assert_int_equal(done_status, 0);
    assert_int_equal(fb.tx[0].bytes[9], 0);
    assert_int_equal(fb.tx[1].bytes[9], 7);
    assert_int_equal(fb.tx[1].bytes[3], 100);
    /* nothing to do: returns 1 and never calls back */
    assert_int_equal(ssd1306_flush_async(&dev, on_done, &dev), 1);
    assert_null(fb.done);
}

/* Contract (QUARTZ_ASSERT): a second flush while one is in flight is a bug,
 * blocking or not; once `done` has run, the next flush is fine. */
static void test_flush_while_in_flight_breaks_the_contract(void **state)
{
    (void)state;
    assert_int_equal(ssd1306_init(&dev), 0);
    struct gfx_canvas c = ssd1306_canvas(&dev);
    gfx_text(&c, &gfx_font_small, 0, 0, "Hi");
    assert_int_equal(ssd1306_flush_async(&dev, on_done, &dev), 0);
    gfx_text(&c, &gfx_font_small, 0, 2, "again");
    expect_assert_failure(ssd1306_flush_async(&dev, on_done, &dev));
    expect_assert_failure(ssd1306_flush(&dev));
    fake_complete_all(&fb);
    assert_int_equal(done_calls, 1);
    assert_int_equal(ssd1306_flush_async(&dev, on_done, &dev), 0);
    fake_complete_all(&fb);
    assert_int_equal(done_calls, 2);
}

static void test_nack_keeps_going_and_redraws_fully(void **state)
{
    (void)state;
    assert_int_equal(ssd1306_init(&dev), 0);
    struct gfx_canvas c = ssd1306_canvas(&dev);
    /* unplugged mid-run */
    fb.detached = true;
    gfx_text(&c, &gfx_font_large, 16, 4, "00:01.000");
    assert_int_equal(ssd1306_flush_async(&dev, on_done, &dev), 0);
    fake_complete_all(&fb);
    assert_int_equal(done_status, -ENXIO);
    /* the caller keeps drawing; every flush fails fast at the address */
    for (int i = 0; i < 5; i++) {
        gfx_text(&c, &gfx_font_large, 16, 4, i % 2 ? "00:01.050" : "00:01.100");
        assert_int_equal(ssd1306_flush_async(&dev, on_done, &dev), 0);
        fake_complete_all(&fb);
        assert_int_equal(done_status, -ENXIO);
        assert_false(ssd1306_online(&dev));
    }
    /* plugged back: init, the full frame, display on */
    fb.detached = false;
    fb.ntx = 0;
    gfx_text(&c, &gfx_font_large, 16, 4, "00:01.150");
    assert_int_equal(ssd1306_flush_async(&dev, on_done, &dev), 0);
    fake_complete_all(&fb);
    assert_int_equal(done_status, 0);
    assert_int_equal(fb.ntx, 3);
    assert_true(is_cmd(&fb.tx[0], 0xAE));
    assert_int_equal(fb.tx[1].len, WINDOW_BYTES + 1024);
    assert_memory_equal(fb.tx[1].bytes + WINDOW_BYTES, dev.fb, 1024);
    assert_true(is_cmd(&fb.tx[2], 0xAF));
    assert_int_equal(ssd1306_flush_async(&dev, on_done, &dev), 1);
    assert_true(ssd1306_online(&dev));
    assert_int_equal(dev.errors, 6);
}

static void test_data_nack_mid_flush(void **state)
{
    (void)state;
    assert_int_equal(ssd1306_init(&dev), 0);
    fb.ntx = 0;
    struct gfx_canvas c = ssd1306_canvas(&dev);
    gfx_text(&c, &gfx_font_small, 0, 2, "ab");
    gfx_text(&c, &gfx_font_small, 0, 5, "cd");
    fb.nack_data_at = 0; /* the first window's data is refused */
    assert_int_equal(ssd1306_flush(&dev), -EIO);
    assert_int_equal(fb.ntx, 1); /* stopped at the error: page 5 not sent */
    assert_false(ssd1306_online(&dev));
    fb.nack_data_at = -1;
    fb.ntx = 0;
    assert_int_equal(ssd1306_flush(&dev), 0);
    assert_int_equal(fb.ntx, 3); /* re-init + full frame */
    assert_memory_equal(fb.tx[1].bytes + WINDOW_BYTES, dev.fb, 1024);
}

/* Adjacent pages share a window only while widening costs fewer bus bytes
 * than a window of their own (15). */
static void test_window_merge_rule(void **state)
{
    (void)state;
    assert_int_equal(ssd1306_init(&dev), 0);
    fb.ntx = 0;
    ssd1306_put(&dev, 10, 2, 0x01);
    ssd1306_put(&dev, 100, 3, 0x01); /* far apart: 2 x 91 columns instead of 2 */
    assert_int_equal(ssd1306_flush(&dev), 0);
    assert_int_equal(fb.ntx, 2);
    assert_window(&fb.tx[0], 10, 10, 2, 2);
    assert_window(&fb.tx[1], 100, 100, 3, 3);
    fb.ntx = 0;
    ssd1306_put(&dev, 10, 2, 0x02);
    ssd1306_put(&dev, 14, 3, 0x02); /* close: 2 x 5 columns, 8 more bytes than 2 x 1 */
    assert_int_equal(ssd1306_flush(&dev), 0);
    assert_int_equal(fb.ntx, 1);
    assert_window(&fb.tx[0], 10, 14, 2, 3);
    assert_int_equal(fb.tx[0].len, WINDOW_BYTES + 10);
    assert_int_equal(fb.tx[0].bytes[WINDOW_BYTES], 0x02);
    assert_int_equal(fb.tx[0].bytes[WINDOW_BYTES + 9], 0x02);
}

static void test_put_bounds(void **state)
{
    (void)state;
    assert_int_equal(ssd1306_init(&dev), 0);
    ssd1306_put(&dev, 128, 0, 0xFF);
    ssd1306_put(&dev, 0, 8, 0xFF);
    assert_false(ssd1306_pending(&dev));
    ssd1306_put(&dev, 127, 7, 0x80);
    assert_true(ssd1306_pending(&dev));
    assert_int_equal(dev.fb[1023], 0x80);
}

/* A small window (digits) goes as one buffer, commands and both pages'
 * columns copied behind them: one message, so one DMA stream. A window
 * over SSD1306_STAGE_BYTES still goes as commands plus a message per page.
 * The bytes on the wire are the same either way. */
static void test_small_window_is_one_message(void **state)
{
    (void)state;
    assert_int_equal(ssd1306_init(&dev), 0);
    struct gfx_canvas c = ssd1306_canvas(&dev);
    fb.ntx = 0;
    gfx_text(&c, &gfx_font_large, 40, 2, "12"); /* 24 columns x 2 pages = 48 bytes */
    assert_int_equal(ssd1306_flush(&dev), 0);
    assert_int_equal(fb.ntx, 1);
    assert_int_equal(fb.msgs_last, 1);
    const struct tx *w = &fb.tx[0];
    unsigned lo = w->bytes[3], hi = w->bytes[5], width = hi - lo + 1u;
    assert_int_equal(w->len, WINDOW_BYTES + 2u * width);
    for (unsigned p = 0; p < 2; p++)
        assert_memory_equal(w->bytes + WINDOW_BYTES + p * width, &dev.fb[(2 + p) * 128 + lo], width);
    fb.ntx = 0;
    gfx_text(&c, &gfx_font_large, 0, 2, "88888888"); /* ~96 columns x 2 pages */
    assert_int_equal(ssd1306_flush(&dev), 0);
    assert_int_equal(fb.ntx, 1);
    w = &fb.tx[0];
    lo = w->bytes[3];
    hi = w->bytes[5];
    width = hi - lo + 1u;
    assert_true(2u * width > SSD1306_STAGE_BYTES);
    assert_int_equal(fb.msgs_last, 3); /* commands, page 2, page 3 */
    for (unsigned p = 0; p < 2; p++)
        assert_memory_equal(w->bytes + WINDOW_BYTES + p * width, &dev.fb[(2 + p) * 128 + lo], width);
}

/* ---- glyph rows: ssd1306_put_row against the per-byte path ------------- */

static void put_byte(void *ctx, unsigned x, unsigned page, uint8_t bits)
{
    ssd1306_put(ctx, x, page, bits);
}

/* A framebuffer with a pattern and a few pages dirty, the same in both. */
static void scene(struct ssd1306 *d, unsigned seed)
{
    static const struct ssd1306_config none = { 0 };
    ssd1306_setup(d, &none);
    for (unsigned i = 0; i < SSD1306_FB_SIZE; i++)
        d->fb[i] = (uint8_t)((i * 37u + seed * 11u) >> (seed % 3u));
    for (unsigned p = 0; p < SSD1306_PAGES; p++) {
        d->dirty_lo[p] = (p + seed) % 3u == 0 ? (uint8_t)(p * 9u) : 0xFF;
        d->dirty_hi[p] = (p + seed) % 3u == 0 ? (uint8_t)(p * 9u + seed % 40u) : 0;
    }
}

/* Every character of both fonts at every column from fully left of the
 * display to fully right of it, on every page (clipped at the bottom too),
 * over framebuffers that hold the glyph already or not: the row path leaves
 * the same bytes and the same dirty ranges as one put per byte did. */
static void test_put_row_draws_as_put(void **state)
{
    (void)state;
    static struct ssd1306 a, b;
    const struct gfx_font *fonts[] = { &gfx_font_large, &gfx_font_small };
    for (unsigned f = 0; f < 2; f++) {
        const char *chars = fonts[f]->chars;
        for (unsigned page = 0; page < SSD1306_PAGES; page++) {
            for (int x = -14; x <= SSD1306_WIDTH + 2; x += (page == 2 ? 1 : 7)) {
                for (unsigned seed = 0; seed < 3; seed++) {
                    scene(&a, seed + page);
                    scene(&b, seed + page);
                    struct gfx_canvas old = { SSD1306_WIDTH, SSD1306_PAGES, put_byte, &a, NULL, NULL };
                    struct gfx_canvas row = ssd1306_canvas(&b);
                    assert_non_null(row.put_row);
                    int x0 = x;
                    for (unsigned i = 0; chars[i] != '\0'; i++) {
                        char one[2] = { chars[i], '\0' };
                        if (seed == 2) { /* the glyph is there already: nothing changes */
                            (void)gfx_text(&old, fonts[f], x0, page, one);
                            (void)gfx_text(&row, fonts[f], x0, page, one);
                        }
                        int ea = gfx_text(&old, fonts[f], x0, page, one);
                        int eb = gfx_text(&row, fonts[f], x0, page, one);
                        assert_int_equal(ea, eb);
                        assert_memory_equal(a.fb, b.fb, SSD1306_FB_SIZE);
                        assert_memory_equal(a.dirty_lo, b.dirty_lo, SSD1306_PAGES);
                        assert_memory_equal(a.dirty_hi, b.dirty_hi, SSD1306_PAGES);
                    }
                }
            }
        }
    }
}

/* gfx_blit_changed: the same picture as gfx_blit everywhere (inside the
 * display through put_glyph, clipped at an edge through gfx_blit); inside,
 * every column of the glyph is dirty afterwards, equal bytes included, and
 * the dirty ranges only grow. */
static void test_put_glyph_marks_the_whole_glyph(void **state)
{
    (void)state;
    static struct ssd1306 a, b;
    const uint8_t *bits;
    unsigned w = gfx_glyph(&gfx_font_large, '8', &bits);
    assert_true(w > 0);
    for (int x = -12; x <= SSD1306_WIDTH + 2; x += 3) {
        for (unsigned page = 0; page < SSD1306_PAGES; page++) {
            scene(&a, page);
            scene(&b, page);
            struct gfx_canvas ca = ssd1306_canvas(&a), cb = ssd1306_canvas(&b);
            gfx_blit(&ca, x, page, bits, w, gfx_font_large.pages);
            gfx_blit_changed(&cb, x, page, bits, w, gfx_font_large.pages);
            assert_memory_equal(a.fb, b.fb, SSD1306_FB_SIZE);
            bool inside = x >= 0 && x + (int)w <= SSD1306_WIDTH && page + gfx_font_large.pages <= SSD1306_PAGES;
            for (unsigned p = 0; p < SSD1306_PAGES; p++) {
                if (!inside || p < page || p >= page + gfx_font_large.pages) {
                    assert_int_equal(a.dirty_lo[p], b.dirty_lo[p]);
                    assert_int_equal(a.dirty_hi[p], b.dirty_hi[p]);
                    continue;
                }
                assert_true(b.dirty_lo[p] <= (unsigned)x);
                assert_true(b.dirty_hi[p] >= (unsigned)x + w - 1u);
                if (a.dirty_lo[p] != 0xFF) { /* never narrower than the compare's range */
                    assert_true(b.dirty_lo[p] <= a.dirty_lo[p]);
                    assert_true(b.dirty_hi[p] >= a.dirty_hi[p]);
                }
            }
        }
    }
    /* The glyph already there: put_glyph still marks it, the compare does not. */
    scene(&b, 1);
    for (unsigned p = 0; p < SSD1306_PAGES; p++)
        b.dirty_lo[p] = 0xFF, b.dirty_hi[p] = 0;
    ssd1306_put_glyph(&b, 20, 4, bits, w, 2);
    b.dirty_lo[4] = b.dirty_lo[5] = 0xFF;
    ssd1306_put_row(&b, 20, 4, bits, w);
    assert_int_equal(b.dirty_lo[4], 0xFF); /* equal bytes: put_row leaves it clean */
    ssd1306_put_glyph(&b, 20, 4, bits, w, 2);
    assert_int_equal(b.dirty_lo[4], 20);
    assert_int_equal(b.dirty_hi[5], 20 + w - 1);
    ssd1306_put_glyph(&b, SSD1306_WIDTH - 2, 0, bits, w, 2); /* not wholly inside: ignored */
    assert_int_equal(b.dirty_lo[0], 0xFF);
}

/* Direct calls: a row running past the right edge is cut there, one off the
 * display changes nothing. */
static void test_put_row_clips(void **state)
{
    (void)state;
    static struct ssd1306 d;
    static const struct ssd1306_config none = { 0 };
    ssd1306_setup(&d, &none);
    memset(d.dirty_lo, 0xFF, sizeof d.dirty_lo);
    static const uint8_t ones[8] = { 1, 1, 1, 1, 1, 1, 1, 1 };
    ssd1306_put_row(&d, 124, 1, ones, 8);
    assert_int_equal(d.dirty_lo[1], 124);
    assert_int_equal(d.dirty_hi[1], 127);
    assert_int_equal(d.fb[2 * SSD1306_WIDTH], 0); /* nothing wrapped onto page 2 */
    ssd1306_put_row(&d, 128, 1, ones, 8);
    ssd1306_put_row(&d, 0, 8, ones, 8);
    assert_int_equal(d.dirty_lo[1], 124);
    assert_int_equal(d.dirty_lo[0], 0xFF);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup(test_init_sequence, setup),
        cmocka_unit_test_setup(test_init_retries_then_reports, setup),
        cmocka_unit_test_setup(test_partial_flush_sends_only_dirty_columns, setup),
        cmocka_unit_test_setup(test_async_flush_and_callback, setup),
        cmocka_unit_test_setup(test_flush_while_in_flight_breaks_the_contract, setup),
        cmocka_unit_test_setup(test_nack_keeps_going_and_redraws_fully, setup),
        cmocka_unit_test_setup(test_data_nack_mid_flush, setup),
        cmocka_unit_test_setup(test_window_merge_rule, setup),
        cmocka_unit_test_setup(test_put_bounds, setup),
        cmocka_unit_test(test_put_row_draws_as_put),
        cmocka_unit_test(test_put_row_clips),
        cmocka_unit_test(test_put_glyph_marks_the_whole_glyph),
        cmocka_unit_test_setup(test_small_window_is_one_message, setup),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
