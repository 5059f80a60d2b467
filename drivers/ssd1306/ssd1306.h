/*
 * SSD1306 128x64 OLED on I2C (Solomon Systech SSD1306 datasheet rev 1.1).
 *
 * The driver keeps a 1 KB framebuffer in GDDRAM order and a dirty column
 * range per page. Drawing changes only the framebuffer; a flush sends just
 * the changed columns of the changed pages, blocking or without blocking
 * (completion callback from the I2C interrupt). Adjacent dirty pages go as
 * one window in one I2C transaction: the window commands, each behind a
 * control byte with Co=1, then the data control byte and each page's
 * columns (datasheet 8.1.5.2): straight from the framebuffer, or, for a
 * window of up to SSD1306_STAGE_BYTES, copied behind the commands so that
 * the transaction is one buffer, which a bus with DMA moves with one stream
 * (three interrupts: START, address, last byte) instead of one per page. When the display stops
 * answering (unplugged: address NACK), the flush reports the error, and the
 * next flush initialises the controller again and redraws the whole frame.
 *
 * Concurrency: the thread (main loop) owns the framebuffer and the dirty
 * map. ssd1306_flush_async() copies the dirty map into the flush's own state
 * and clears it; from then until `done` runs, the flush (I2C interrupt
 * context) owns that state and only reads the framebuffer. The thread may keep
 * drawing (changes are marked dirty again) but must not start another flush
 * before `done`.
 */
#ifndef QUARTZ_SSD1306_H
#define QUARTZ_SSD1306_H

#include <stdbool.h>
#include <stdint.h>

#include "quartz/gfx.h"
#include "quartz/hal/i2c.h"

#define SSD1306_WIDTH 128
#define SSD1306_PAGES 8
#define SSD1306_FB_SIZE (SSD1306_WIDTH * SSD1306_PAGES)
#define SSD1306_ADDR 0x3C
#define SSD1306_WINDOW_BYTES 13 /* the window commands with Co=1, then the data control byte */
#define SSD1306_STAGE_BYTES 96  /* a window this small goes copied behind its commands, as one message */
#define SSD1306_STAGE_SLACK 3   /* the staging copy moves whole words: up to 3 bytes past the end */

struct ssd1306_config {
    struct i2c_bus *bus;
    uint8_t addr;
    uint16_t powerup_ms; /* wait before the first command after power-up */
    uint8_t init_tries;  /* ssd1306_init attempts (>= 1) */
};

typedef void (*ssd1306_done_fn)(void *ctx, int status);

struct ssd1306_flight {
    uint8_t lo[SSD1306_PAGES]; /* first dirty column, or 0xFF when clean */
    uint8_t hi[SSD1306_PAGES]; /* last dirty column */
    bool init;                 /* send the init sequence first and display-on last */
    bool unsettled;            /* ended (or running); the thread has not looked at the result */
    volatile bool in_flight;   /* an async flush runs: set at its start, cleared before `done` */
    uint8_t phase;
    uint8_t page;
    uint8_t cmd[SSD1306_WINDOW_BYTES + SSD1306_STAGE_BYTES + SSD1306_STAGE_SLACK];
    struct i2c_msg msgs[1 + SSD1306_PAGES];
    ssd1306_done_fn done;
    void *ctx;
    int status;
};

struct ssd1306 {
    const struct ssd1306_config *cfg;
    uint8_t fb[SSD1306_FB_SIZE];
    uint8_t dirty_lo[SSD1306_PAGES];
    uint8_t dirty_hi[SSD1306_PAGES];
    bool need_init;
    uint32_t errors; /* failed flushes so far */
    struct ssd1306_flight flight;
};

/* Blank framebuffer, everything dirty, controller not yet initialised. No bus traffic. */
void ssd1306_setup(struct ssd1306 *d, const struct ssd1306_config *cfg);

/*
 * Power-up: wait cfg->powerup_ms, send the init sequence (display off),
 * write the whole framebuffer (so GDDRAM is cleared, or holds what was
 * drawn) and only then switch the display on. Blocking, thread context.
 * Returns 0 or the last error after cfg->init_tries attempts; on error the
 * next flush tries again.
 */
int ssd1306_init(struct ssd1306 *d);

/* Set one framebuffer byte (8 rows of column x on `page`); marks it dirty if it changed. */
void ssd1306_put(struct ssd1306 *d, unsigned x, unsigned page, uint8_t bits);

/* ssd1306_put for columns [x, x + n) of one page (clipped at the right edge). */
void ssd1306_put_row(struct ssd1306 *d, unsigned x, unsigned page, const uint8_t *bits, unsigned n);

/*
 * A glyph of `pages` x w bytes (page-major) at column x from `page` on, copied
 * without comparing: all w columns of each page are marked dirty (for a glyph
 * known to differ from what it replaces; see gfx_blit_changed). Ignored
 * unless it lies wholly inside the display.
 */
void ssd1306_put_glyph(struct ssd1306 *d, unsigned x, unsigned page, const uint8_t *bits, unsigned w,
                       unsigned pages);

/* A gfx canvas drawing into this display's framebuffer. */
struct gfx_canvas ssd1306_canvas(struct ssd1306 *d);

/* Anything to send (changed bytes, or a controller that needs init)? */
bool ssd1306_pending(const struct ssd1306 *d);

/*
 * True once the controller answered and was initialised, false after a failed
 * flush. An async flush's result is taken into account when the next flush starts.
 */
bool ssd1306_online(const struct ssd1306 *d);

/* Blocking flush of what changed. Returns 0 or a negative errno from the bus. */
int ssd1306_flush(struct ssd1306 *d);

/*
 * Start a non-blocking flush. Returns 0 when started (`done(ctx, status)`
 * then runs once, in interrupt context), 1 when there was nothing to send
 * (`done` does not run), or a negative errno when the bus refused to start
 * (the frame stays dirty). Contract (QUARTZ_ASSERT): no flush of this display
 * is in flight, i.e. the previous async flush's `done` has run.
 */
int ssd1306_flush_async(struct ssd1306 *d, ssd1306_done_fn done, void *ctx);

#endif
