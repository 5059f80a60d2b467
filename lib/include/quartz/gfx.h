/*
 * Text into a monochrome, page-organised framebuffer (SSD1306 layout: a page
 * is 8 rows, one byte per column, bit 0 on top). Text is placed on whole
 * pages, so drawing writes whole bytes and never reads the framebuffer.
 *
 * The canvas does not own memory: every byte goes through `put` (or, for a
 * glyph's columns on one page, `put_row`), so the owner (for example the
 * SSD1306 driver) can compare it with what it holds and track what changed.
 */
#ifndef QUARTZ_GFX_H
#define QUARTZ_GFX_H

#include <stddef.h>
#include <stdint.h>

struct gfx_canvas {
    uint16_t width; /* columns */
    uint8_t pages;  /* rows / 8 */
    void (*put)(void *ctx, unsigned x, unsigned page, uint8_t bits);
    void *ctx;
    /* Optional (NULL: `put` per byte): bytes of columns [x, x + n) of one
     * page at once, all inside the canvas; the same result as n puts. A
     * glyph then costs one call per page instead of one per byte. */
    void (*put_row)(void *ctx, unsigned x, unsigned page, const uint8_t *bits, unsigned n);
    /* Optional (NULL: gfx_blit): a glyph of `pages` x w bytes (page-major)
     * at column x, all inside the canvas, stored without comparing: all of
     * its columns count as changed. For content the caller knows differs
     * (gfx_blit_changed): a redrawn digit costs one call, not a compare per
     * byte. */
    void (*put_glyph)(void *ctx, unsigned x, unsigned page, const uint8_t *bits, unsigned w,
                      unsigned pages);
};

struct gfx_font {
    const char *chars;      /* characters in table order */
    const uint8_t *widths;  /* per glyph; NULL when every glyph is `width` wide */
    const uint8_t *bitmap;  /* glyphs in order, each `pages` x width bytes, page-major */
    uint8_t width;          /* widest glyph */
    uint8_t pages;          /* glyph height in pages */
    uint8_t spacing;        /* blank columns after each glyph */
};

/* Our own fonts (drawings in lib/gfx/fonts/small.txt, large.txt). */
extern const struct gfx_font gfx_font_small; /* 5x7, printable letters, digits, ":.-!?/" */
extern const struct gfx_font gfx_font_large; /* 10x16 digits, 4x16 ':' and '.' */

/*
 * Glyph of `ch`: returns its width and sets *bits (pages x width bytes,
 * page-major), or returns 0 when the font has no such character.
 */
unsigned gfx_glyph(const struct gfx_font *font, char ch, const uint8_t **bits);

/* Advance of `s` in columns (glyphs plus spacing, also after the last glyph). */
unsigned gfx_text_width(const struct gfx_font *font, const char *s);

/*
 * Draw `s` with its left edge at column x on pages [page, page + font pages);
 * columns outside the canvas are clipped, a character the font lacks is drawn
 * as a blank of the font's width. Spacing columns are cleared. Returns the
 * column after the text.
 */
int gfx_text(const struct gfx_canvas *c, const struct gfx_font *font, int x, unsigned page,
             const char *s);

/*
 * Draw a bitmap of `pages` x w bytes (page-major, as a glyph's) with its
 * left edge at column x on pages [page, page + pages), clipped to the
 * canvas; nothing around it is cleared.
 */
void gfx_blit(const struct gfx_canvas *c, int x, unsigned page, const uint8_t *bits, unsigned w,
              unsigned pages);

/*
 * gfx_blit for a glyph that differs from what it is drawn over (a digit that
 * changed): through the canvas's put_glyph when it has one and the glyph is
 * inside the canvas, which marks the whole glyph as changed instead of the
 * bytes that differ; else gfx_blit. The picture is the same either way.
 */
static inline void gfx_blit_changed(const struct gfx_canvas *c, int x, unsigned page, const uint8_t *bits,
                                    unsigned w, unsigned pages)
{
    if (c->put_glyph && x >= 0 && (unsigned)x + w <= c->width && page + pages <= c->pages)
        c->put_glyph(c->ctx, (unsigned)x, page, bits, w, pages);
    else
        gfx_blit(c, x, page, bits, w, pages);
}

/* Set columns [x0, x1) of pages [page, page + pages) to `bits` (0 clears). */
void gfx_fill(const struct gfx_canvas *c, int x0, int x1, unsigned page, unsigned pages,
              uint8_t bits);

#endif
