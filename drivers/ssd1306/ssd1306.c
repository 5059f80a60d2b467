#include <errno.h>
#include <string.h>

#include "quartz/assert.h"
#include "quartz/hal/clock.h"
#include "ssd1306/ssd1306.h"

/*
 * Control byte before the bytes of one I2C write (datasheet 8.1.5.2):
 * Co = 0 (only data bytes follow), D/C# selects command or GDDRAM data.
 */
#define CTL_COMMANDS 0x00
#define CTL_DATA 0x40
#define CTL_ONE_COMMAND 0x80 /* Co=1, D/C#=0: one command byte, then another control byte (8.1.5.2) */
/* Bus bytes a separate window costs (address, its 13 bytes, START and STOP):
 * a page joins the window before it when widening costs fewer. */
#define MERGE_SLACK 15U

#define CMD_DISPLAY_OFF 0xAE
#define CMD_DISPLAY_ON 0xAF
#define CMD_COLUMN_ADDR 0x21 /* 10.1.4: start, end column (horizontal mode) */
#define CMD_PAGE_ADDR 0x22   /* 10.1.5: start, end page */

/*
 * Init sequence, from the datasheet's software initialisation flow (Application
 * Example) and the charge pump app note: display stays off until GDDRAM has
 * been written, so power-up never shows the random RAM content.
 */
static const uint8_t init_cmds[] = {
    CTL_COMMANDS,
    CMD_DISPLAY_OFF,
    0xD5, 0x80, /* display clock: divide 1, oscillator default (10.1.16) */
    0xA8, 0x3F, /* multiplex ratio 64 (10.1.11) */
    0xD3, 0x00, /* display offset 0 (10.1.15) */
    0x40,       /* display start line 0 (10.1.6) */
    0x8D, 0x14, /* charge pump on: internal VCC (charge pump app note) */
    0x20, 0x00, /* horizontal addressing: column then page wraps (10.1.3) */
    0xA1,       /* segment remap: column 127 -> SEG0 (module wiring) (10.1.8) */
    0xC8,       /* COM scan COM63 -> COM0 (10.1.14) */
    0xDA, 0x12, /* COM pins: alternative, no left/right remap (10.1.18) */
    0x81, 0xCF, /* contrast (10.1.7) */
    0xD9, 0xF1, /* pre-charge 15 DCLK / discharge 1 DCLK, internal VCC (10.1.17) */
    0xDB, 0x40, /* VCOMH deselect level (10.1.19) */
    0x2E,       /* scrolling off (10.2.3) */
    0xA4,       /* output follows GDDRAM (10.1.9) */
    0xA6,       /* normal, not inverted (10.1.10) */
};

static const uint8_t display_on_cmds[] = { CTL_COMMANDS, CMD_DISPLAY_ON };

enum phase { PH_INIT, PH_WINDOW, PH_ON, PH_END };

#define CLEAN 0xFF

static void mark_all(struct ssd1306 *d)
{
    for (unsigned p = 0; p < SSD1306_PAGES; p++) {
        d->dirty_lo[p] = 0;
        d->dirty_hi[p] = SSD1306_WIDTH - 1;
    }
}

/* The window commands ahead of a flight's data, each behind a control byte
 * with Co=1 (8.1.5.2), then the data control byte; flight_next fills in the
 * columns (bytes 3, 5) and pages (9, 11). */
static const uint8_t window[SSD1306_WINDOW_BYTES] = {
    CTL_ONE_COMMAND, CMD_COLUMN_ADDR, CTL_ONE_COMMAND, 0, CTL_ONE_COMMAND, 0,
    CTL_ONE_COMMAND, CMD_PAGE_ADDR, CTL_ONE_COMMAND, 0, CTL_ONE_COMMAND, 0, CTL_DATA,
};

void ssd1306_setup(struct ssd1306 *d, const struct ssd1306_config *cfg)
{
    memset(d, 0, sizeof *d);
    memcpy(d->flight.cmd, window, sizeof window); /* once: a flight rewrites only its range */
    d->cfg = cfg;
    d->need_init = true;
    mark_all(d);
}

void ssd1306_put(struct ssd1306 *d, unsigned x, unsigned page, uint8_t bits)
{
    if (x >= SSD1306_WIDTH || page >= SSD1306_PAGES)
        return;
    uint8_t *b = &d->fb[page * SSD1306_WIDTH + x];
    if (*b == bits)
        return;
    *b = bits;
    if (d->dirty_lo[page] == CLEAN) {
        d->dirty_lo[page] = (uint8_t)x;
        d->dirty_hi[page] = (uint8_t)x;
    } else if (x < d->dirty_lo[page]) {
        d->dirty_lo[page] = (uint8_t)x;
    } else if (x > d->dirty_hi[page]) {
        d->dirty_hi[page] = (uint8_t)x;
    }
}

/* Unaligned 32-bit access: LDR and STR take unaligned addresses
 * (ARMv7-M ARM A3.2.1; CCR.UNALIGN_TRP stays clear). */
static inline uint32_t load32(const uint8_t *p)
{
    uint32_t w;
    __builtin_memcpy(&w, p, 4);
    return w;
}

/* A word at a time where it can (see load32). */
static inline __attribute__((always_inline)) void copy(uint8_t *to, const uint8_t *from, unsigned n)
{
    unsigned i = 0;
    for (; i + 4u <= n; i += 4u) {
        uint32_t w = load32(from + i);
        __builtin_memcpy(to + i, &w, 4);
    }
    if (i + 2u <= n) {
        uint16_t h;
        __builtin_memcpy(&h, from + i, 2);
        __builtin_memcpy(to + i, &h, 2);
        i += 2u;
    }
    if (i < n)
        to[i] = from[i];
}

void ssd1306_put_row(struct ssd1306 *d, unsigned x, unsigned page, const uint8_t *bits, unsigned n)
{
    if (page >= SSD1306_PAGES || x >= SSD1306_WIDTH)
        return;
    if (n > SSD1306_WIDTH - x)
        n = SSD1306_WIDTH - x;
    /* Only the bytes from the first to the last that differ are copied and
     * marked: the dirty range grows as n calls of ssd1306_put would leave it.
     * Both ends are found a word at a time first: a glyph row is a few words. */
    uint8_t *b = &d->fb[page * SSD1306_WIDTH + x];
    unsigned first = 0;
    while (first + 4u <= n && load32(b + first) == load32(bits + first))
        first += 4u;
    while (first < n && b[first] == bits[first])
        first++;
    if (first == n)
        return;
    unsigned end = n; /* one past the last that differs; b[first] differs, so end > first */
    while (end - first >= 4u && load32(b + end - 4u) == load32(bits + end - 4u))
        end -= 4u;
    while (b[end - 1u] == bits[end - 1u])
        end--;
    copy(b + first, bits + first, end - first);
    unsigned lo = x + first, hi = x + end - 1u;
    if (d->dirty_lo[page] == CLEAN) {
        d->dirty_lo[page] = (uint8_t)lo;
        d->dirty_hi[page] = (uint8_t)hi;
        return;
    }
    if (lo < d->dirty_lo[page])
        d->dirty_lo[page] = (uint8_t)lo;
    if (hi > d->dirty_hi[page])
        d->dirty_hi[page] = (uint8_t)hi;
}

__attribute__((optimize("O2"))) void ssd1306_put_glyph(struct ssd1306 *d, unsigned x, unsigned page, const uint8_t *bits, unsigned w,
                       unsigned pages)
{
    if (w == 0 || x >= SSD1306_WIDTH || w > SSD1306_WIDTH - x || page >= SSD1306_PAGES ||
        pages > SSD1306_PAGES - page)
        return;
    unsigned hi = x + w - 1u;
    for (unsigned p = page; p < page + pages; p++, bits += w) {
        copy(&d->fb[p * SSD1306_WIDTH + x], bits, w);
        if (d->dirty_lo[p] == CLEAN) {
            d->dirty_lo[p] = (uint8_t)x;
            d->dirty_hi[p] = (uint8_t)hi;
            continue;
        }
        if (x < d->dirty_lo[p])
            d->dirty_lo[p] = (uint8_t)x;
        if (hi > d->dirty_hi[p])
            d->dirty_hi[p] = (uint8_t)hi;
    }
}

static void canvas_put(void *ctx, unsigned x, unsigned page, uint8_t bits)
{
    ssd1306_put(ctx, x, page, bits);
}

static void canvas_put_row(void *ctx, unsigned x, unsigned page, const uint8_t *bits, unsigned n)
{
    ssd1306_put_row(ctx, x, page, bits, n);
}

static void canvas_put_glyph(void *ctx, unsigned x, unsigned page, const uint8_t *bits, unsigned w,
                             unsigned pages)
{
    ssd1306_put_glyph(ctx, x, page, bits, w, pages);
}

struct gfx_canvas ssd1306_canvas(struct ssd1306 *d)
{
    struct gfx_canvas c = { SSD1306_WIDTH, SSD1306_PAGES, canvas_put, d, canvas_put_row, canvas_put_glyph };
    return c;
}

static inline __attribute__((always_inline)) bool pending(const struct ssd1306 *d)
{
    if (d->need_init)
        return true;
    /* Some page's first dirty column is not CLEAN (0xFF): two words. */
    return (load32(&d->dirty_lo[0]) & load32(&d->dirty_lo[4])) != 0xFFFFFFFFu;
}

bool ssd1306_pending(const struct ssd1306 *d)
{
    return pending(d);
}

bool ssd1306_online(const struct ssd1306 *d)
{
    return !d->need_init;
}

/* Thread context: hand the dirty map over to a new flight. Returns false when clean. */
static inline __attribute__((always_inline)) bool flight_begin(struct ssd1306 *d)
{
    struct ssd1306_flight *f = &d->flight;
    if (!pending(d))
        return false;
    if (d->need_init)
        mark_all(d);
    f->init = d->need_init;
    __builtin_memcpy(f->lo, d->dirty_lo, SSD1306_PAGES);
    __builtin_memcpy(f->hi, d->dirty_hi, SSD1306_PAGES);
    __builtin_memset(d->dirty_lo, CLEAN, SSD1306_PAGES);
    __builtin_memset(d->dirty_hi, 0, SSD1306_PAGES);
    f->phase = f->init ? PH_INIT : PH_WINDOW;
    f->page = 0;
    f->status = 0;
    f->unsettled = true;
    return true;
}

/* Next transaction of the flight into f->msgs; returns its message count, 0 at the end. */
__attribute__((optimize("O2"))) static size_t flight_next(struct ssd1306 *d)
{
    struct ssd1306_flight *f = &d->flight;
    uint8_t addr = d->cfg->addr;
    for (;;) {
        switch (f->phase) {
        case PH_INIT:
            f->phase = PH_WINDOW;
            f->msgs[0] = (struct i2c_msg){ (uint8_t *)init_cmds, sizeof init_cmds, addr,
                                           I2C_MSG_WRITE | I2C_MSG_STOP };
            return 1;
        case PH_WINDOW: {
            unsigned first = f->page;
            while (first < SSD1306_PAGES && f->lo[first] == CLEAN)
                first++;
            if (first >= SSD1306_PAGES) {
                f->phase = f->init ? PH_ON : PH_END;
                continue;
            }
            /* The run of dirty pages from here, widened to one column range
             * while that costs fewer bus bytes than a window of its own. */
            unsigned last = first, lo = f->lo[first], hi = f->hi[first];
            unsigned own = hi - lo + 1u;
            while (last + 1 < SSD1306_PAGES && f->lo[last + 1] != CLEAN) {
                unsigned nlo = lo < f->lo[last + 1] ? lo : f->lo[last + 1];
                unsigned nhi = hi > f->hi[last + 1] ? hi : f->hi[last + 1];
                unsigned nown = own + f->hi[last + 1] - f->lo[last + 1] + 1u;
                if ((nhi - nlo + 1u) * (last - first + 2u) > nown + MERGE_SLACK)
                    break;
                lo = nlo;
                hi = nhi;
                own = nown;
                last++;
            }
            f->cmd[3] = (uint8_t)lo; /* the rest of the window: ssd1306_setup */
            f->cmd[5] = (uint8_t)hi;
            f->cmd[9] = (uint8_t)first;
            f->cmd[11] = (uint8_t)last;
            f->msgs[0] = (struct i2c_msg){ f->cmd, SSD1306_WINDOW_BYTES, addr, I2C_MSG_WRITE };
            /* Each page's columns from the framebuffer; full-width pages are
             * contiguous, a small window is copied behind the commands. */
            size_t n = 1;
            unsigned width = hi - lo + 1u;
            unsigned bytes = width * (last - first + 1u);
            if (width < SSD1306_WIDTH && bytes <= SSD1306_STAGE_BYTES) {
                /* Whole words: the last may carry up to 3 bytes past a
                 * page's columns, which the next page's copy overwrites, or
                 * past the message (SSD1306_STAGE_SLACK), and is read from
                 * inside the page's row whenever the row has them. */
                uint8_t *to = &f->cmd[SSD1306_WINDOW_BYTES];
                unsigned words = (hi + 4u <= SSD1306_WIDTH ? width + 3u : width) / 4u;
                for (unsigned p = first; p <= last; p++, to += width) {
                    const uint8_t *from = &d->fb[p * SSD1306_WIDTH + lo];
                    uint8_t *w_to = to;
                    /* Pointers and a count down to 0: the loop is a load,
                     * a store and one conditional branch a word. */
                    for (unsigned k = words; k != 0; k--, from += 4, w_to += 4) {
                        uint32_t w = load32(from);
                        __builtin_memcpy(w_to, &w, 4);
                    }
                    for (unsigned i = words * 4u; i < width; i++)
                        to[i] = d->fb[p * SSD1306_WIDTH + lo + i];
                }
                f->msgs[0].len = (uint16_t)(SSD1306_WINDOW_BYTES + bytes);
            } else if (width == SSD1306_WIDTH)
                f->msgs[n++] = (struct i2c_msg){ &d->fb[first * SSD1306_WIDTH],
                                                 (uint16_t)((last - first + 1u) * SSD1306_WIDTH), addr,
                                                 I2C_MSG_WRITE };
            else
                for (unsigned p = first; p <= last; p++)
                    f->msgs[n++] = (struct i2c_msg){ &d->fb[p * SSD1306_WIDTH + lo], (uint16_t)width, addr,
                                                     I2C_MSG_WRITE };
            f->msgs[n - 1].flags |= I2C_MSG_STOP;
            /* The last window? Then the flight's next step is known now and
             * its completion needs no second look at the map. */
            unsigned next = last + 1u;
            while (next < SSD1306_PAGES && f->lo[next] == CLEAN)
                next++;
            f->page = (uint8_t)next;
            if (next >= SSD1306_PAGES)
                f->phase = f->init ? PH_ON : PH_END;
            return n;
        }
        case PH_ON:
            f->phase = PH_END;
            f->msgs[0] = (struct i2c_msg){ (uint8_t *)display_on_cmds, sizeof display_on_cmds,
                                           addr, I2C_MSG_WRITE | I2C_MSG_STOP };
            return 1;
        default:
            return 0;
        }
    }
}

/* Thread context, after a flight ended with `status`. */
static inline __attribute__((always_inline)) void flight_settle(struct ssd1306 *d, int status)
{
    if (!d->flight.unsettled)
        return;
    d->flight.unsettled = false;
    if (status < 0) {
        d->errors++;
        d->need_init = true; /* re-init and full redraw once it answers again */
        mark_all(d);
    } else if (d->flight.init) {
        d->need_init = false;
    }
}

int ssd1306_flush(struct ssd1306 *d)
{
    QUARTZ_ASSERT(!d->flight.in_flight); /* an async flush owns the flight state */
    flight_settle(d, d->flight.status);
    if (!flight_begin(d))
        return 0;
    int status = 0;
    size_t n;
    while (status == 0 && (n = flight_next(d)) > 0)
        status = i2c_transfer(d->cfg->bus, d->flight.msgs, n);
    flight_settle(d, status);
    return status;
}

int ssd1306_init(struct ssd1306 *d)
{
    unsigned tries = d->cfg->init_tries ? d->cfg->init_tries : 1;
    int status = -EIO;
    clock_delay_ms(d->cfg->powerup_ms);
    for (unsigned i = 0; i < tries && status != 0; i++) {
        if (i > 0)
            clock_delay_ms(10);
        d->need_init = true;
        status = ssd1306_flush(d);
    }
    return status;
}

/* I2C completion (interrupt context): next transaction, or the end of the flight. */
static void flight_step(void *ctx, int status)
{
    struct ssd1306 *d = ctx;
    struct ssd1306_flight *f = &d->flight;
    size_t n = status == 0 && f->phase != PH_END ? flight_next(d) : 0;
    if (n > 0) {
        status = i2c_transfer_async(d->cfg->bus, f->msgs, n, flight_step, d);
        if (status == 0)
            return;
    }
    f->status = status; /* read by the thread at the next flush, after `done` */
    f->in_flight = false;
    f->done(f->ctx, status);
}

int ssd1306_flush_async(struct ssd1306 *d, ssd1306_done_fn done, void *ctx)
{
    QUARTZ_ASSERT(!d->flight.in_flight); /* one flush at a time: wait for `done` */
    flight_settle(d, d->flight.status);
    if (!flight_begin(d))
        return 1;
    struct ssd1306_flight *f = &d->flight;
    f->done = done;
    f->ctx = ctx;
    size_t n = flight_next(d);
    f->in_flight = true;
    int status = i2c_transfer_async(d->cfg->bus, f->msgs, n, flight_step, d);
    if (status < 0) {
        f->in_flight = false;
        flight_settle(d, status);
    }
    return status;
}
