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

enum phase { PH_INIT, PH_WINDOW, PH_DATA, PH_ON, PH_END };

#define CLEAN 0xFF

static void mark_all(struct ssd1306 *d)
{
    for (unsigned p = 0; p < SSD1306_PAGES; p++) {
        d->dirty_lo[p] = 0;
        d->dirty_hi[p] = SSD1306_WIDTH - 1;
    }
}

void ssd1306_setup(struct ssd1306 *d, const struct ssd1306_config *cfg)
{
    memset(d, 0, sizeof *d);
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

static void canvas_put(void *ctx, unsigned x, unsigned page, uint8_t bits)
{
    ssd1306_put(ctx, x, page, bits);
}

struct gfx_canvas ssd1306_canvas(struct ssd1306 *d)
{
    struct gfx_canvas c = { SSD1306_WIDTH, SSD1306_PAGES, canvas_put, d };
    return c;
}

bool ssd1306_pending(const struct ssd1306 *d)
{
    if (d->need_init)
        return true;
    for (unsigned p = 0; p < SSD1306_PAGES; p++)
        if (d->dirty_lo[p] != CLEAN)
            return true;
    return false;
}

bool ssd1306_online(const struct ssd1306 *d)
{
    return !d->need_init;
}

/* Thread context: hand the dirty map over to a new flight. Returns false when clean. */
static bool flight_begin(struct ssd1306 *d)
{
    struct ssd1306_flight *f = &d->flight;
    if (!ssd1306_pending(d))
        return false;
    if (d->need_init)
        mark_all(d);
    f->init = d->need_init;
    for (unsigned p = 0; p < SSD1306_PAGES; p++) {
        f->lo[p] = d->dirty_lo[p];
        f->hi[p] = d->dirty_hi[p];
        d->dirty_lo[p] = CLEAN;
        d->dirty_hi[p] = 0;
    }
    f->phase = f->init ? PH_INIT : PH_WINDOW;
    f->page = 0;
    f->status = 0;
    f->ctl = CTL_DATA;
    f->unsettled = true;
    return true;
}

static bool full_width(const struct ssd1306_flight *f, unsigned p)
{
    return f->lo[p] == 0 && f->hi[p] == SSD1306_WIDTH - 1;
}

/* Next transaction of the flight into f->msgs; returns its message count, 0 at the end. */
static size_t flight_next(struct ssd1306 *d)
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
            while (f->page < SSD1306_PAGES && f->lo[f->page] == CLEAN)
                f->page++;
            if (f->page >= SSD1306_PAGES) {
                f->phase = f->init ? PH_ON : PH_END;
                continue;
            }
            /* Consecutive full-width pages are contiguous in the framebuffer: one window. */
            unsigned last = f->page;
            if (full_width(f, f->page))
                while (last + 1 < SSD1306_PAGES && full_width(f, last + 1))
                    last++;
            f->last_page = (uint8_t)last;
            f->cmd[0] = CTL_COMMANDS;
            f->cmd[1] = CMD_COLUMN_ADDR;
            f->cmd[2] = f->lo[f->page];
            f->cmd[3] = f->hi[f->page];
            f->cmd[4] = CMD_PAGE_ADDR;
            f->cmd[5] = f->page;
            f->cmd[6] = (uint8_t)last;
            f->msgs[0] = (struct i2c_msg){ f->cmd, 7, addr, I2C_MSG_WRITE | I2C_MSG_STOP };
            f->phase = PH_DATA;
            return 1;
        }
        case PH_DATA: {
            unsigned p = f->page, lo = f->lo[p];
            unsigned len = (f->last_page > p) ? (f->last_page - p + 1u) * SSD1306_WIDTH
                                              : f->hi[p] - lo + 1u;
            /* Control byte and payload are two buffers sent as one stream (no copy). */
            f->msgs[0] = (struct i2c_msg){ &f->ctl, 1, addr, I2C_MSG_WRITE };
            f->msgs[1] = (struct i2c_msg){ &d->fb[p * SSD1306_WIDTH + lo], (uint16_t)len, addr,
                                           I2C_MSG_WRITE | I2C_MSG_STOP };
            f->page = (uint8_t)(f->last_page + 1);
            f->phase = PH_WINDOW;
            return 2;
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
static void flight_settle(struct ssd1306 *d, int status)
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
    size_t n = status == 0 ? flight_next(d) : 0;
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
